"""Read an analyst's export (CSV, Excel, SPSS or Stata) into rows for :meth:`Study.from_long`.

The file is opened by :func:`trivselscore.report.readers.open_source` (every
format as a header and records; see there for encodings, sheets and value
labels). Then each record becomes a mapping:

* the person, time point, group and sex columns are kept as text (``"007"``
  stays ``"007"``, a whole number ``3.0`` from Excel is ``"3"``), through the
  column's value labels first if the file has them (SPSS/Stata ``Køn`` 1/2/3
  labelled Pige/Dreng/Andet reads as the words);
* every other cell: a typed cell (Excel, SPSS, Stata) stays as it is (a number, a
  date, text); a CSV cell is read by :func:`~trivselscore.tabular.csvread.parse_answer`
  (``decimal=","`` reads ``12,5`` as 12.5), and so is an Excel text cell.

A large CSV export is read by :func:`~trivselscore.report.readers.fast_csv`
when pyarrow is installed: each column's distinct cells are read as above, once
each, and a column whose cells are all numbers (or blank) is kept as one float64
array rather than a Python value per cell.

Sex codes become ``female``, ``male``, ``other`` or ``unknown`` through STUDY.toml's
``sex_codes`` first, then the words :class:`~trivselscore.definitions.Respondent`
takes (``SEX_WORDS``: pige/dreng, kvinde/mand, K/M, f/m, female/male; andet,
ikke-binær, other; uoplyst, ved ikke, ønsker ikke at svare; any case).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from trivselscore.definitions.model import SEX_CATEGORIES, sex_category
from trivselscore.report.readers import EXCEL_SUFFIXES, DataError, Distinct, Source, fast_csv, open_source
from trivselscore.tabular.csvread import parse_answer

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from numpy.typing import NDArray

    from trivselscore.report.config import StudyConfig

__all__ = [
    "EXCEL_SUFFIXES",
    "DataError",
    "Export",
    "label_text",
    "map_sex",
    "read_export",
]

_SHOWN = 12


class Export:
    """The columns of an export, where they came from and how they were read.

    ``columns`` holds each column in row order: a list of values, or (a large
    CSV file's all-number column) a float64 array with NaN where blank. It can be
    built from ``rows`` (one mapping per row, with the header's keys) instead.
    ``guessed`` is the encoding a CSV file was read with, when it was guessed
    (``cp1252``: not UTF-8). ``answer_labels``: per question column (``[[questions]]``)
    with SPSS/Stata value labels, the labels in code order.
    """

    def __init__(  # noqa: PLR0913 - the file, its columns (or rows), and how it was read
        self,
        path: Path,
        header: list[str],
        rows: Sequence[Mapping[str, object]] | None = None,
        *,
        columns: dict[str, Any] | None = None,
        n_rows: int = 0,
        name: str = "",
        guessed: str | None = None,
    ) -> None:
        self.path, self.header, self.name, self.guessed = path, header, name, guessed
        self.columns: dict[str, Any] = {} if columns is None else columns
        self.n_rows = n_rows
        self.answer_labels: dict[str, tuple[str, ...]] = {}
        if rows is not None:
            names = dict.fromkeys([*header, *(key for row in rows for key in row)])
            self.columns = {h: [row.get(h) for row in rows] for h in names}
            self.n_rows = len(rows)

    @property
    def rows(self) -> list[dict[str, object]]:
        """One mapping per row (blank is None); for small exports and tests."""
        lists = [
            [None if v != v else v for v in c.tolist()] if isinstance(c, np.ndarray) else c  # noqa: PLR0124 - NaN
            for c in self.columns.values()
        ]
        return [dict(zip(self.columns, values, strict=True)) for values in zip(*lists, strict=True)]


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


def read_export(  # noqa: PLR0913 - the file, then how to read it
    path: Path,
    config: StudyConfig,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str = ".",
    sheet: str | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> Export:
    """Every row of the export as a mapping, the label columns as text, sex as its category.

    Raises:
        DataError: A column STUDY.toml names is missing, a sex code is unknown,
            a column name is used twice, or the format is not supported.
        CsvFileError: The CSV file is unreadable (empty, not text, a quote never
            closed, a row cut short).
        ExcelError, StatError: The workbook or SPSS/Stata file is unreadable.
        OSError: The file cannot be opened.
    """
    if sheet is None and (fast := fast_csv(path, encoding=encoding, delimiter=delimiter)) is not None:
        export = _from_distinct(path, fast, config, decimal)
        if progress is not None:
            progress(export.n_rows, 1.0)
        return export
    with open_source(path, encoding=encoding, delimiter=delimiter, sheet=sheet) as source:
        export = Export(path, list(source.header), name=source.name, guessed=source.guessed)
        export.columns = {name: [] for name in export.header}
        _check_columns(source, config)
        for question in config.questions:
            labels = _in_code_order(source.labels.get(question.column, {}))
            if labels:
                export.answer_labels[question.column] = labels
        for chunk in source.chunks:
            _add(export, source, chunk, config, decimal)
            if progress is not None:
                progress(export.n_rows, source.done())
    return export


def _from_distinct(path: Path, fast: Distinct, config: StudyConfig, decimal: str) -> Export:
    """The export from a column-wise read: each distinct cell read once, as :func:`_add` reads a cell."""
    source = Source(name=fast.name, header=fast.header, chunks=iter(()), where=lambda i: f"data row {i + 1}")
    _check_columns(source, config)
    named = config.columns
    labels = {named.person, named.time, *named.groups, *([named.sex] if named.sex else [])}
    labels |= {q.column for q in config.questions}  # a question's answers, as text (as in _add)
    export = Export(path, list(fast.header), n_rows=fast.n_rows, name=fast.name, guessed=fast.guessed)
    for name in fast.header:
        distinct, index = fast.columns.pop(name)
        if name == named.sex:
            first = _first_rows(index, len(distinct))
            texts: list[object] = [
                map_sex(label_text(v), config.sex_codes, column=name, where=source.where(int(first[k])))
                for k, v in enumerate(distinct)
            ]
        elif name in labels:
            texts = [label_text(v) for v in distinct]
        else:
            texts = [_value(v, decimal, typed=False) for v in distinct]
            if all(v is None or isinstance(v, int | float) for v in texts):
                lookup = np.array([np.nan if v is None else float(v) for v in texts])  # type: ignore[arg-type]
                export.columns[name] = lookup[index]
                continue
        export.columns[name] = np.array(texts, dtype=object)[index].tolist()
    return export


def _first_rows(index: NDArray[np.intp], size: int) -> NDArray[np.intp]:
    """The first row holding each distinct value (every value is held: it was read from the rows)."""
    first = np.full(size, -1, dtype=np.intp)
    first[index[::-1]] = np.arange(index.size, dtype=np.intp)[::-1]
    return first


def _in_code_order(codes: Mapping[object, str]) -> tuple[str, ...]:
    """Value labels in the order of their codes (numbers first, in numeric order), each once.

    Examples:
        >>> _in_code_order({3.0: "uenig", 1.0: "enig", 2.0: " delvis enig"})
        ('enig', 'delvis enig', 'uenig')
    """

    def key(code: object) -> tuple[int, float, str]:
        return (0, float(code), "") if isinstance(code, int | float) else (1, 0.0, str(code))

    labels = [label_text(label) for _, label in sorted(codes.items(), key=lambda pair: key(pair[0]))]
    return tuple(dict.fromkeys(label for label in labels if label))


def _check_columns(source: Source, config: StudyConfig) -> None:
    named = config.columns
    header = source.header
    wanted = [("person", named.person), ("time", named.time)]
    wanted += [("groups", g) for g in named.groups]
    wanted += [(key, getattr(named, key)) for key in ("sex", "age") if getattr(named, key) is not None]
    wanted += [
        (f"measures.{m}.columns.{item}", column)
        for m, measure in config.measures.items()
        for item, column in measure.columns.items()
        if column
    ]
    wanted += [(f"questions.{i}.column", q.column) for i, q in enumerate(config.questions)]
    wanted += [
        (f"predictors.{i}.covariates", c) for i, m in enumerate(config.predictors) for c in m.covariates
    ]
    for key, column in wanted:
        if column not in header:
            shown = ", ".join(repr(h) for h in header[:_SHOWN]) + (", ..." if len(header) > _SHOWN else "")
            others = ", ".join(repr(s) for s in source.sheets if f"{s!r}" not in source.name)
            hint = f"; other sheets: {others} (choose one with --sheet)" if others else ""
            msg = (
                f"STUDY.toml {key} names column {column!r}, which is not in {source.name}; "
                f"columns: {shown}{hint}"
            )
            raise DataError(msg)


def _value(value: object, decimal: str, *, typed: bool) -> object:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else value
    if isinstance(value, str) or not typed:
        return parse_answer(str(value), decimal)
    return value


def _add(
    export: Export, source: Source, chunk: Sequence[Sequence[object]], config: StudyConfig, decimal: str
) -> None:
    """Append the chunk's rows, naming a row by ``source.where`` in a message."""
    named = config.columns
    header = export.header
    labels = {named.person, named.time, *named.groups, *([named.sex] if named.sex else [])}
    labels |= {q.column for q in config.questions}  # a question's answers: their SPSS value labels
    coded = [source.labels.get(name, {}) if name in labels else {} for name in header]
    readers = [(name, name in labels, codes) for name, codes in zip(header, coded, strict=True)]
    sex = named.sex
    typed = source.typed
    columns = export.columns
    for record in chunk:
        row: dict[str, object] = {}
        for (name, is_label, codes), value in zip(readers, record, strict=True):
            if is_label:
                row[name] = label_text(codes.get(value, value) if codes and value is not None else value)
            else:
                row[name] = _value(value, decimal, typed=typed)
        if sex is not None:
            where = source.where(export.n_rows)
            row[sex] = map_sex(row[sex], config.sex_codes, column=sex, where=where)  # type: ignore[arg-type]
        for name, value in row.items():
            columns[name].append(value)
        export.n_rows += 1
