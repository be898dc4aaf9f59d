"""Read an analyst's export (CSV or Excel) into rows for :meth:`Study.from_long`.

* **CSV** through :func:`trivselscore.tabular.csvread.open_records`: UTF-8 with or
  without a byte-order mark, or ``encoding`` (``cp1252``); the delimiter given,
  from an Excel ``sep=`` line, or guessed from the header (``;`` in a Danish
  export); numbers with ``decimal`` (``","`` reads ``12,5`` as 12.5).
* **Excel** (``.xlsx``) through pandas' reader with openpyxl (the extra ``excel``);
  typed cells stay numbers, text cells are read as CSV cells are.

The person, time point, group and sex columns are kept as text (``"007"`` stays
``"007"``); every other cell is read by :func:`~trivselscore.tabular.csvread.parse_answer`.
Sex codes become ``female``, ``male``, ``other`` or ``unknown`` through STUDY.toml's
``sex_codes`` first, then the words :class:`~trivselscore.definitions.Respondent`
takes (``SEX_WORDS``: pige/dreng, kvinde/mand, K/M, f/m, female/male; andet,
ikke-binær, other; uoplyst, ved ikke, ønsker ikke at svare; any case).
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trivselscore.definitions.model import SEX_CATEGORIES, sex_category
from trivselscore.errors import TrivselscoreError
from trivselscore.support import require
from trivselscore.tabular.csvread import open_records, parse_answer

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from trivselscore.report.config import StudyConfig

__all__ = [
    "EXCEL_SUFFIXES",
    "DataError",
    "Export",
    "label_text",
    "map_sex",
    "read_excel",
    "read_export",
    "read_header",
]

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_CHUNK = 5_000
_SHOWN = 12


class DataError(TrivselscoreError, ValueError):
    """The export cannot be used as STUDY.toml describes it (a column, a code, the file)."""


@dataclass
class Export:
    """The rows of an export, one mapping per row, and where they came from."""

    path: Path
    header: list[str]
    rows: list[dict[str, object]] = field(default_factory=list)


def label_text(value: object) -> str | None:
    """A label cell as text; blank is None; a whole float from Excel (3.0) is ``"3"``.

    Examples:
        >>> [label_text(v) for v in (" a ", 3.0, "", None, float("nan"), 7)]
        ['a', '3', None, None, None, '7']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _number(value: object, decimal: str) -> object:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else value
    return parse_answer(str(value), decimal)


def map_sex(value: str | None, codes: Mapping[str, str], *, column: str, where: str) -> str | None:
    """The sex category of a code: STUDY.toml's ``sex_codes`` first, then ``SEX_WORDS``.

    ``female``, ``male``, ``other`` (andet, ikke-binær, ...) or ``unknown`` (uoplyst,
    ved ikke, ...); a blank cell is None (not given).

    Raises:
        DataError: A code neither table knows (naming the column, row and the codes allowed).

    Examples:
        >>> codes = {"1": "female", "2": "male", "3": "other"}
        >>> [map_sex(v, codes, column="køn", where="") for v in ("3", "Pige", " M ", "Andet", "Ved ikke")]
        ['other', 'female', 'male', 'other', 'unknown']
    """
    if value is None:
        return None
    if value in codes:
        return codes[value]
    found = sex_category(value)
    if found is None:
        words = ["pige", "dreng", "kvinde", "mand", "K", "M", "andet", "ikke-binær", "uoplyst", "ved ikke"]
        allowed = [*sorted(codes), *words, *SEX_CATEGORIES]
        msg = (
            f"column {column!r}, {where}: sex code {value!r} is not known; codes: {', '.join(allowed)} "
            "(add it under [sex_codes] in STUDY.toml as female, male, other or unknown)"
        )
        raise DataError(msg)
    return found


def _check_columns(header: Sequence[str], config: StudyConfig, path: Path) -> None:
    named = config.columns
    wanted = [("person", named.person), ("time", named.time)]
    wanted += [("groups", g) for g in named.groups]
    wanted += [(key, getattr(named, key)) for key in ("sex", "age") if getattr(named, key) is not None]
    wanted += [
        (f"measures.{m}.columns.{item}", column)
        for m, measure in config.measures.items()
        for item, column in measure.columns.items()
        if column
    ]
    for key, column in wanted:
        if column not in header:
            shown = ", ".join(repr(h) for h in header[:_SHOWN]) + (", ..." if len(header) > _SHOWN else "")
            msg = f"STUDY.toml {key} names column {column!r}, which is not in {path.name}; columns: {shown}"
            raise DataError(msg)


def read_header(path: Path, *, encoding: str = "utf-8", delimiter: str | None = None) -> list[str]:
    """The column names of a CSV or Excel export.

    Raises:
        DataError: Not readable (or, for Excel, the extra ``excel`` is missing).
    """
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return [str(c) for c in read_excel(path, header_only=True).columns]
    with open_records(path, encoding=encoding, delimiter=delimiter) as records:
        return list(records.header)


def read_excel(path: Path, *, header_only: bool = False) -> Any:  # noqa: ANN401 - a pandas DataFrame
    """The sheet as a pandas DataFrame of objects (pandas' reader with openpyxl).

    Raises:
        DataError: pandas or openpyxl is not installed (the extra ``excel``), or the file is unreadable.
    """
    try:
        pandas = require("pandas", "excel")
        require("openpyxl", "excel")
    except ImportError as error:
        msg = f"{path.name} is an Excel file: {error} (or export it as CSV)"
        raise DataError(msg) from None
    try:
        return pandas.read_excel(path, dtype=object, nrows=0 if header_only else None, engine="openpyxl")
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as error:
        first = str(error).splitlines()[0] if str(error) else repr(error)
        msg = f"{path.name} is not a readable Excel file: {first}"
        raise DataError(msg) from None


def read_export(  # noqa: PLR0913 - the file, then how to read it
    path: Path,
    config: StudyConfig,
    *,
    encoding: str = "utf-8",
    delimiter: str | None = None,
    decimal: str = ".",
    progress: Callable[[int, float], None] | None = None,
) -> Export:
    """Every row of the export as a mapping, the label columns as text, sex as female/male.

    Raises:
        DataError: A column STUDY.toml names is missing, a sex code is unknown,
            a row is longer than the header, or the file is not CSV/Excel.
        CsvFileError: The CSV file is unreadable (empty, not text, a quote never closed).
        OSError: The file cannot be opened.
    """
    named = config.columns
    labels = {named.person, named.time, *named.groups}
    if path.suffix.lower() in EXCEL_SUFFIXES:
        frame = read_excel(path)
        header = [str(c) for c in frame.columns]
        raw_rows: list[list[object]] = frame.to_numpy().tolist()
        export = Export(path, header)
        _check_columns(header, config, path)
        _add(export, raw_rows, labels, config, decimal)
        return export
    with open_records(path, encoding=encoding, delimiter=delimiter) as records:
        header = list(records.header)
        export = Export(path, header)
        _check_columns(header, config, path)
        size = max(path.stat().st_size, 1)
        for chunk in records.chunks(_CHUNK):
            _add(export, chunk, labels, config, decimal)
            if progress is not None:
                progress(len(export.rows), min(1.0, records.position / size))
    return export


def _add(
    export: Export, chunk: Sequence[Sequence[object]], labels: set[str], config: StudyConfig, decimal: str
) -> None:
    """Append the chunk's rows; ``data row N`` in a message counts rows after the header from 1."""
    header = export.header
    width = len(header)
    readers = [(name, name in labels) for name in header]
    sex = config.columns.sex
    sex_at = header.index(sex) if sex is not None else -1
    for record in chunk:
        where = f"data row {len(export.rows) + 1}"
        if len(record) > width and any(label_text(v) is not None for v in record[width:]):
            msg = f"{export.path.name} {where}: {len(record)} fields, the header has {width}"
            raise DataError(msg)
        padded = [*record[:width], *([None] * (width - len(record)))]
        row = {
            name: label_text(value) if is_label else _number(value, decimal)
            for (name, is_label), value in zip(readers, padded, strict=True)
        }
        if sex is not None:
            row[sex] = map_sex(label_text(padded[sex_at]), config.sex_codes, column=sex, where=where)
        export.rows.append(row)
