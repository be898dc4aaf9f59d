"""Open an export of any supported format as one kind of table: a header and records.

* **CSV** (any other suffix) through :func:`trivselscore.tabular.csvread.open_records`,
  with every record exactly as wide as the header (a row cut short stops the run
  naming its line). Without ``encoding``, the file is read as UTF-8 (with or
  without a byte-order mark; UTF-16/32 with one) and, if its bytes are not
  UTF-8 but are Windows-1252, as ``cp1252``, which :attr:`Source.note` says.
* **Excel** (``.xlsx``, ``.xlsm``): one sheet (``sheet``, default the first)
  through :mod:`trivselscore.report.excel`; its first row with a value is the header.
* **SPSS** (``.sav``, ``.zsav``) and **Stata** (``.dta``) through
  :mod:`trivselscore.report.spss`, with each column's value labels.

:func:`fast_csv` reads a large CSV export in one pass with pyarrow when it is
installed (the extra ``frames``), as text, each column as its distinct values
and an index per row, so a cell is parsed once per distinct value rather than
once per row. It gives up (returns None, and the file is read as above) on
anything the line-by-line reader would judge: a row of another width, a
quote never closed, a cell with a line break or a NUL, or one past the cell
limit; those files get the same messages as before.

Every format: column names are stripped; a name used twice stops the run
naming it and where; a column without a name may only be empty (it is then
left out).
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import TYPE_CHECKING

from trivselscore.errors import TrivselscoreError
from trivselscore.report.excel import column_letters, read_sheet
from trivselscore.report.spss import STAT_SUFFIXES, read_stat
from trivselscore.tabular.csvread import CELL_LIMIT, DEFAULT_ENCODING, open_records

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "EXCEL_SUFFIXES",
    "DataError",
    "Distinct",
    "Source",
    "detect_encoding",
    "fast_csv",
    "header_name",
    "open_source",
]

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_OLD_FORMATS = {
    ".xls": "Excel 97-2003 (.xls)",
    ".ods": "OpenDocument (.ods)",
    ".xlsb": "Excel binary (.xlsb)",
}
_BLOCK = 1 << 20
_CHUNK = 5_000


class DataError(TrivselscoreError, ValueError):
    """The export cannot be used as STUDY.toml describes it (a column, a code, the file)."""


@dataclass
class Source:
    """An open export: its name in messages, header, records (in chunks) and how it was read."""

    name: str
    header: list[str]
    chunks: Iterator[Sequence[Sequence[object]]]
    where: Callable[[int], str]
    labels: dict[str, dict[object, str]] = field(default_factory=dict)
    typed: bool = False
    guessed: str | None = None
    """The encoding a CSV file was read with when it was guessed (not UTF-8): ``cp1252``."""
    sheets: list[str] = field(default_factory=list)
    done: Callable[[], float] = lambda: 1.0
    keep: list[int] = field(default_factory=list)
    """The positions of the named columns (a nameless, empty column is left out)."""


def header_name(value: object) -> str:
    """A header cell as a column name: text stripped, a whole number without ``.0``, a date as ISO.

    Examples:
        >>> [header_name(v) for v in (" Køn ", 3.0, 2, None, dt.date(2024, 1, 2))]
        ['Køn', '3', '2', '', '2024-01-02']
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def detect_encoding(path: Path) -> tuple[str, bool]:
    r"""The codec to read a CSV file with when none was given, and whether it is a guess.

    UTF-8 (or a UTF-16/32 byte-order mark) is no guess. A file whose bytes are
    not UTF-8 but decode as Windows-1252 (the Danish Windows export) gives
    ``cp1252``, a guess. Anything else is read as UTF-8, whose error then names
    the bad byte's line.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = Path(folder, "d.csv")
        ...     _ = path.write_bytes("køn;id\\n".encode("cp1252"))
        ...     detect_encoding(path)[0]
        'cp1252'
    """
    with path.open("rb") as handle:
        first = handle.read(4)
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return DEFAULT_ENCODING, False
        handle.seek(0)
        if _decodes(handle, "utf-8"):
            return DEFAULT_ENCODING, False
        handle.seek(0)
        if _decodes(handle, "cp1252"):
            return "cp1252", True
    return DEFAULT_ENCODING, False


def _decodes(handle: object, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    read = handle.read  # type: ignore[attr-defined]
    try:
        while block := read(_BLOCK):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _checked(name: str, header: list[str], position: Callable[[int], str]) -> list[int]:
    """The positions of named columns; :class:`DataError` for a name used twice."""
    seen: dict[str, list[int]] = {}
    for at, column in enumerate(header):
        if column:
            seen.setdefault(column, []).append(at)
    twice = {column: at for column, at in seen.items() if len(at) > 1}
    if twice:
        shown = "; ".join(
            f"{column!r} ({' and '.join(position(a) for a in at)})" for column, at in twice.items()
        )
        msg = f"{name}: column names used more than once: {shown}; rename or remove one of each"
        raise DataError(msg)
    return [at for at, column in enumerate(header) if column]


def _nameless(
    name: str, header: list[str], keep: list[int], position: Callable[[int], str]
) -> Callable[[list[object], str], list[object]]:
    """A check that a nameless column holds nothing (returns the record cut to the named columns)."""
    blank = [at for at in range(len(header)) if at not in set(keep)]

    def cut(record: list[object], row: str) -> list[object]:
        for at in blank:
            value = record[at] if at < len(record) else None
            if value is not None and str(value).strip():
                msg = f"{name} {row}: {position(at)} holds {value!r} but has no name in the header"
                raise DataError(msg)
        return [record[at] if at < len(record) else None for at in keep]

    return cut


@contextmanager
def open_source(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None
) -> Iterator[Source]:
    """Open the export at ``path`` (CSV, Excel, SPSS or Stata) as header + records.

    Raises:
        DataError: An unsupported format, ``sheet`` for a file that has no
            sheets, a column name used twice, values in a nameless column.
        CsvFileError, ExcelError, StatError: The file is not readable as its format.
        OSError: The file cannot be opened.
    """
    suffix = path.suffix.lower()
    if suffix in _OLD_FORMATS:
        msg = f"{path.name} is an {_OLD_FORMATS[suffix]} file; save it as .xlsx or export it as CSV"
        raise DataError(msg)
    if sheet is not None and suffix not in EXCEL_SUFFIXES:
        msg = f"--sheet is for Excel workbooks (.xlsx); {path.name} has no sheets"
        raise DataError(msg)
    if suffix in EXCEL_SUFFIXES:
        yield _excel(path, sheet)
    elif suffix in STAT_SUFFIXES:
        yield _stat(path)
    else:
        with _csv(path, encoding, delimiter) as source:
            yield source


def _excel(path: Path, sheet: str | None) -> Source:
    book = read_sheet(path, sheet=sheet)
    name = f"{path.name} (sheet {book.name!r})"
    rows, numbers = book.rows, book.row_numbers
    header = [header_name(v) for v in rows[0]] if rows else []

    def letters(at: int) -> str:
        return f"column {column_letters(at)}"

    keep = _checked(name, header, letters)
    cut = _nameless(name, header, keep, letters)
    records = [cut(row, f"row {numbers[i + 1]}") for i, row in enumerate(rows[1:])]
    if len(header) < max(map(len, rows), default=0):
        for i, row in enumerate(rows[1:]):
            extra = next((at for at in range(len(header), len(row)) if row[at] is not None), None)
            if extra is not None:
                msg = (
                    f"{name} row {numbers[i + 1]}: {letters(extra)} holds {row[extra]!r} but the header "
                    f"(row {numbers[0]}) ends at column {column_letters(len(header) - 1)}"
                )
                raise DataError(msg)
    return Source(
        name=name,
        header=[header[at] for at in keep],
        chunks=iter([records]),
        where=lambda i: f"row {numbers[i + 1]}",
        typed=True,
        sheets=book.names,
        keep=keep,
    )


def _stat(path: Path) -> Source:
    stat = read_stat(path)
    header = [header_name(h) for h in stat.header]
    keep = _checked(path.name, header, lambda at: f"column {at + 1}")
    columns = [stat.columns[stat.header[at]] for at in keep]
    records = [list(values) for values in zip(*columns, strict=True)] if columns else []
    return Source(
        name=path.name,
        header=[header[at] for at in keep],
        chunks=iter([records]),
        where=lambda i: f"case {i + 1}",
        labels={header_name(column): codes for column, codes in stat.labels.items()},
        typed=True,
        keep=keep,
    )


@contextmanager
def _csv(path: Path, encoding: str | None, delimiter: str | None) -> Iterator[Source]:
    guessed = False
    if encoding is None:
        encoding, guessed = detect_encoding(path)
    with open_records(path, encoding=encoding, delimiter=delimiter, exact_width=True) as records:
        header = list(records.header)

        def numbered(at: int) -> str:
            return f"column {at + 1}"

        keep = _checked(path.name, header, numbered)
        cut = _nameless(path.name, header, keep, numbered)
        size = max(path.stat().st_size, 1)
        count = [0]

        def chunks() -> Iterator[Sequence[Sequence[object]]]:
            for chunk in records.chunks(_CHUNK):
                if len(keep) == len(header):
                    yield chunk
                else:
                    yield [cut(list(r), f"data row {count[0] + i + 1}") for i, r in enumerate(chunk)]
                count[0] += len(chunk)

        yield Source(
            name=path.name,
            header=[header[at] for at in keep],
            chunks=chunks(),
            where=lambda i: f"data row {i + 1}",
            guessed=encoding if guessed else None,
            done=lambda: min(1.0, records.position / size),
            keep=keep,
        )


@dataclass
class Distinct:
    """A CSV export read column by column: each column's distinct cells and every row's index into them."""

    name: str
    header: list[str]
    n_rows: int
    columns: dict[str, tuple[list[str], NDArray[np.intp]]]
    guessed: str | None = None


_FAST_FROM = 1_000_000
"""Bytes from which :func:`fast_csv` is worth its start (importing pyarrow costs about 0.2 s)."""


def _worth_it(path: Path, minimum: int) -> bool:
    """A CSV file (not UTF-16/32) of at least ``minimum`` bytes, and pyarrow installed."""
    suffix = path.suffix.lower()
    if suffix in _OLD_FORMATS or suffix in EXCEL_SUFFIXES or suffix in STAT_SUFFIXES:
        return False
    if path.stat().st_size < minimum or find_spec("pyarrow") is None:
        return False
    with path.open("rb") as handle:
        return not handle.read(4).startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def fast_csv(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None, minimum: int | None = None
) -> Distinct | None:
    """The CSV export at ``path`` read by pyarrow, or None to read it line by line.

    None: not a CSV file, smaller than ``minimum`` bytes, pyarrow not installed,
    a header not on the first line (after a ``sep=`` line), a header with a
    nameless column, or a file pyarrow cannot read exactly as the line-by-line
    reader would (see the module docstring). The checks of :func:`open_source`
    on the header (a name used twice) run first, with the same message.

    Raises:
        DataError: A column name used twice.
        CsvFileError: The file is empty or not text (as :func:`open_source`).
    """
    if not _worth_it(path, _FAST_FROM if minimum is None else minimum):
        return None
    guessed = False
    if encoding is None:
        encoding, guessed = detect_encoding(path)
    with open_records(path, encoding=encoding, delimiter=delimiter, exact_width=True) as records:
        header = list(records.header)
        skip, sign = records.lines_read, records.delimiter
    _checked(path.name, header, lambda at: f"column {at + 1}")
    if not all(header) or skip > 2:  # noqa: PLR2004 - the header, and a sep= line before it
        return None
    codec = "utf8" if encoding.replace("_", "-").lower() in {"utf-8", "utf-8-sig", "utf8"} else encoding
    columns = _arrow_columns(path, header, skip=skip, delimiter=sign, codec=codec)
    if columns is None:
        return None
    n_rows = next(iter(columns.values()))[1].size if columns else 0
    return Distinct(
        name=path.name, header=header, n_rows=n_rows, columns=columns, guessed=encoding if guessed else None
    )


def _arrow_columns(
    path: Path, header: list[str], *, skip: int, delimiter: str, codec: str
) -> dict[str, tuple[list[str], NDArray[np.intp]]] | None:
    """Each column's distinct cells and indices, read by pyarrow as text; None where it reads otherwise."""
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415 - optional, for a large file
    import pyarrow.compute as pc  # type: ignore[import-untyped]  # noqa: PLC0415 - optional, for a large file
    from pyarrow import csv as pacsv  # noqa: PLC0415 - optional, for a large file

    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(skip_rows=skip, column_names=header, encoding=codec),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        return None
    columns: dict[str, tuple[list[str], NDArray[np.intp]]] = {}
    for name in header:
        coded = table.column(name).combine_chunks().dictionary_encode()
        values = coded.dictionary
        if len(values) and (
            pc.max(pc.utf8_length(values)).as_py() > CELL_LIMIT
            or pc.any(pc.match_substring_regex(values, "[\\r\\n\\x00]")).as_py()
        ):
            return None
        columns[name] = (values.to_pylist(), coded.indices.to_numpy().astype("intp"))
    return columns
