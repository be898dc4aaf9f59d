"""Score a CSV file in chunks with the stdlib ``csv`` module (no pandas).

Memory does not grow with the file: rows are read ``chunk_size`` at a time,
checked without a loop over rows (cells are parsed through a per-column cache
of distinct strings, bad cells are found with one vectorised pass), the good
rows of the chunk go through :func:`trivselscore.score_batch`, and one output
row is written per input row, in order. A bad row is never dropped: its scores
are empty and its ``error`` column names the item, the column and the value.

Cells (see :func:`parse_answer`, shared with the command line): ASCII integers
(``3``, ``+3``, ``03``) and whole decimals (``3.0``) are numbers; empty, ``NA``,
``NaN``, ``.``, ``-`` and ``None`` (any case) are unanswered; anything else
(``3.5``, ``abc``, ``true``, ``1e0``, ``1_0``, ``٣``, ``3.00000000000000001``)
is an error for that row.

Rows: an empty line is not a respondent and is skipped (it gets no output row);
every other row gets exactly one output row, in input order. A row may have
more fields than the header only when every extra field is empty (a trailing
delimiter, as spreadsheet exports write it).
"""

from __future__ import annotations

import csv
import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, TextIO

import numpy as np

from trivselscore.definitions.model import Respondent
from trivselscore.engine import compute as _engine
from trivselscore.engine.scoring import score_batch
from trivselscore.errors import ColumnError, TrivselscoreError
from trivselscore.tabular.columns import SEXES, find_columns

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument

__all__ = [
    "MISSING_TOKENS",
    "CsvFileError",
    "CsvOptions",
    "CsvSummary",
    "check_options",
    "parse_answer",
    "score_csv",
]

MISSING_TOKENS = frozenset({"", "na", "nan", ".", "-", "none"})
DELIMITERS = (",", ";", "\t", "|")
_NUMBER = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]+))?", re.ASCII)
_EXACT_DIGITS = 15  # an integer with at most this many digits is exact as a float
_UNPARSABLE = math.inf  # never a code; the raw cell is looked up for the message
_SAMPLE = 1 << 16


class CsvFileError(TrivselscoreError, ValueError):
    """The file as a whole cannot be scored (empty, not CSV, header only, unreadable)."""


@dataclass(frozen=True)
class CsvOptions:
    """What ``trivselscore score ID FILE.csv`` was asked to do."""

    columns: Mapping[str, str | None] = field(default_factory=dict)
    missing: str | None = None
    scheme: str | None = None
    id_column: str | None = None
    age_column: str | None = None
    sex_column: str | None = None
    respondent: Respondent | None = None
    delimiter: str | None = None
    encoding: str = "utf-8-sig"
    chunk_size: int = 20_000
    progress: bool = False


@dataclass(frozen=True)
class CsvSummary:
    """How many rows were read and how many could not be scored."""

    rows: int
    bad_rows: int


def parse_answer(text: str) -> int | float | str | None:
    """Read one answer as typed, without guessing (CSV cells and command-line answers).

    Only ASCII ``[+-]?[0-9]+`` with an optional ``.[0-9]+`` is a number: a whole
    number (``3``, ``+3``, ``03``, ``3.0``) is an ``int``, a decimal whose value
    is not whole (``2.5``) a ``float``. A missing token (``NA``, ``.``, empty...,
    any case) is ``None``. Anything else comes back as the text itself, which is
    never a code: exponents (``1e0``), underscores (``1_0``), non-ASCII digits
    (``٣``), and decimals whose fraction a float cannot hold
    (``3.00000000000000001``, which ``float()`` would round to 3).

    Examples:
        >>> [parse_answer(t) for t in ["3", " +3 ", "3.0", "2.5", "NA", "1e0", "0_1", "٣"]]
        [3, 3, 3, 2.5, None, '1e0', '0_1', '٣']
    """
    stripped = text.strip()
    if stripped.lower() in MISSING_TOKENS:
        return None
    match = _NUMBER.fullmatch(stripped)
    if match is None:
        return text
    sign, digits, fraction = match.groups()
    if fraction is None or not fraction.strip("0"):
        whole = f"{sign}{digits}"
        # a very long integer is no code: keep it a float (inf at worst), never a huge int
        return int(whole) if len(digits.lstrip("0")) <= _EXACT_DIGITS else float(whole)
    value = float(stripped)
    return value if value != math.floor(value) else text


def check_options(instrument: Instrument, missing: object, scheme: object) -> None:
    """Refuse an unknown ``--missing`` or ``--scheme`` before anything is read or written.

    Raises:
        ValueError: The policy or scheme is not one of the instrument's (the
            message lists the allowed values).
    """
    variants = [v.id for v in instrument.missing_variants]
    allowed: list[str | None] = [None, *_engine.POLICIES, *sorted(variants)]
    if missing not in allowed:
        msg = f"unknown missing policy {missing!r}; allowed: {allowed}"
        raise ValueError(msg)
    schemes = [s.id for s in instrument.schemes]
    if scheme is not None and scheme not in schemes:
        msg = f"{instrument.id} has no cutoff scheme {scheme!r}; schemes: {schemes}"
        raise ValueError(msg)


class _Cells(dict[str, float]):
    """Distinct cell text -> float (NaN unanswered, inf not a number); filled on demand."""

    def __missing__(self, text: str) -> float:
        parsed = parse_answer(text)
        if parsed is None:
            value = math.nan
        elif isinstance(parsed, str):
            value = _UNPARSABLE
        else:
            value = float(parsed)
        self[text] = value
        return value


def score_csv(instrument: Instrument, path: Path, out: TextIO, options: CsvOptions) -> CsvSummary:
    """Score every row of the CSV file at ``path`` and write the results to ``out``.

    Raises:
        CsvFileError: The file is empty, has a header but no rows, is not text, or
            breaks mid-way (the message names the line).
        ColumnError: Item, id, age or sex columns are missing or ambiguous.
        OSError: The file cannot be opened.
        ValueError: ``options.missing`` or ``options.scheme`` is not the instrument's.
    """
    check_options(instrument, options.missing, options.scheme)
    size = path.stat().st_size
    with path.open("rb") as raw:
        if b"\x00" in raw.read(_SAMPLE):
            msg = f"{path} is not a CSV text file (it holds NUL bytes; export it as CSV)"
            raise CsvFileError(msg)
    with path.open(newline="", encoding=options.encoding) as handle:
        try:
            return _score(instrument, path, handle, out=out, options=options, size=size)
        except UnicodeDecodeError as error:
            encoding = "UTF-8" if options.encoding == "utf-8-sig" else options.encoding
            msg = f"{path} is not {encoding} text ({error.reason}); give --encoding, e.g. latin-1"
            raise CsvFileError(msg) from None
        except csv.Error as error:
            msg = f"{path}: not readable as CSV: {error}"
            raise CsvFileError(msg) from None


def _score(  # noqa: PLR0913 - the file's parts, passed once
    instrument: Instrument, path: Path, handle: TextIO, *, out: TextIO, options: CsvOptions, size: int
) -> CsvSummary:
    sample = handle.read(_SAMPLE)
    if not sample.strip():
        msg = f"{path} is empty"
        raise CsvFileError(msg)
    handle.seek(0)
    first_line = next(line for line in sample.splitlines() if line.strip())
    delimiter = options.delimiter or max(DELIMITERS, key=first_line.count)
    reader = filter(None, csv.reader(handle, delimiter=delimiter))  # empty lines: no respondent
    header = [name.strip() for name in next(reader)]
    layout = _Layout.build(instrument, header, options, delimiter)
    chunks = _chunks(reader, options.chunk_size)
    first = next(chunks, None)
    if first is None:
        msg = f"{path} has a header but no data rows"
        raise CsvFileError(msg)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(layout.output_header)
    rows = bad = 0
    for chunk in _prepend(first, chunks):
        bad += _score_chunk(instrument, layout, chunk, offset=rows, writer=writer, options=options)
        rows += len(chunk)
        if options.progress:
            done = min(1.0, _position(handle) / max(size, 1))
            sys.stderr.write(f"\rtrivselscore: {rows:,} rows ({done:.0%})")
            sys.stderr.flush()
    if options.progress:
        sys.stderr.write("\n")
    return CsvSummary(rows, bad)


def _position(handle: TextIO) -> int:
    buffer = getattr(handle, "buffer", None)
    return int(buffer.tell()) if buffer is not None else 0


def _chunks(reader: Iterator[list[str]], size: int) -> Iterator[list[list[str]]]:
    while chunk := list(islice(reader, size)):
        yield chunk


def _prepend(first: list[list[str]], rest: Iterator[list[list[str]]]) -> Iterator[list[list[str]]]:
    yield first
    yield from rest


@dataclass(frozen=True)
class _Layout:
    """Where everything is in the input and what the output looks like."""

    header: list[str]
    items: dict[str, int | None]
    id_position: int | None
    age_position: int | None
    sex_position: int | None
    band_scales: tuple[str, ...]
    output_header: list[str]
    scheme: str | None

    @classmethod
    def build(cls, instrument: Instrument, header: list[str], options: CsvOptions, delimiter: str) -> _Layout:
        check_options(instrument, options.missing, options.scheme)
        try:
            items = find_columns(instrument, header, options.columns)
        except ColumnError as error:
            if len(header) == 1 and len(instrument.items) > 1:
                shown = "tab" if delimiter == "\t" else repr(delimiter)
                msg = (
                    f"the header has one column when split on {shown}: is the file delimited by "
                    f"something else? Give --delimiter. ({error})"
                )
                raise CsvFileError(msg) from None
            raise
        positions = {
            what: _named(instrument, header, name, what)
            for what, name in (
                ("id", options.id_column),
                ("age", options.age_column),
                ("sex", options.sex_column),
            )
        }
        scheme = options.scheme if options.scheme is not None else instrument.default_scheme
        banded = instrument.scheme(scheme).scale_ids if scheme is not None else ()
        band_scales = tuple(s for s in instrument.scale_ids if s in banded)
        out = [
            options.id_column or "row",
            *instrument.scale_ids,
            *(f"{s}_band" for s in band_scales),
            "error",
        ]
        return cls(
            header,
            items,
            positions["id"],
            positions["age"],
            positions["sex"],
            band_scales,
            out,
            scheme,
        )


def _named(instrument: Instrument, header: list[str], name: str | None, what: str) -> int | None:
    if name is None:
        return None
    positions = [p for p, column in enumerate(header) if column == name]
    if len(positions) != 1:
        problem = "does not exist" if not positions else f"appears {len(positions)} times"
        msg = f"{what} column {name!r} {problem}; columns: {header[:12]}"
        raise ColumnError(msg, instrument_id=instrument.id, value=name)
    return positions[0]


def _score_chunk(  # noqa: PLR0913 - one chunk and where it goes
    instrument: Instrument,
    layout: _Layout,
    chunk: list[list[str]],
    *,
    offset: int,
    writer: csv.Writer,  # type: ignore[name-defined]
    options: CsvOptions,
) -> int:
    n, width = len(chunk), len(layout.header)
    errors: list[list[str]] = [[] for _ in range(n)]
    widths = np.fromiter(map(len, chunk), dtype=np.intp, count=n)
    for row in np.flatnonzero(widths != width).tolist():
        fields = chunk[row]
        if len(fields) < width or any(cell.strip() for cell in fields[width:]):
            errors[row].append(f"the row has {len(fields)} fields, the header {width}")
        chunk[row] = (fields + [""] * width)[:width]  # extra empty fields: a trailing delimiter
    cells = list(zip(*chunk, strict=True))
    data = np.full((n, len(instrument.items)), np.nan)
    for j, position in enumerate(layout.items.values()):
        if position is not None:
            parser = _Cells()
            data[:, j] = np.fromiter(map(parser.__getitem__, cells[position]), dtype=np.float64, count=n)
    invalid, gaps = _engine.cell_problems(instrument, data, policy=options.missing)
    for row, j in np.argwhere(invalid).tolist():
        errors[row].append(_cell_error(instrument, layout, j, cells, row))
    for row, j in np.argwhere(gaps).tolist():
        errors[row].append(f"item {instrument.items[j].id!r} is unanswered and --missing raise")
    who = _respondents(layout, cells, n, options, errors)
    bad = np.fromiter(map(bool, errors), dtype=np.bool_, count=n)
    good = ~bad
    ids = cells[layout.id_position] if layout.id_position is not None else range(offset + 1, offset + n + 1)
    columns: list[object] = [ids]
    batch = score_batch(
        instrument,
        data[good],
        missing=options.missing,
        respondent=[who[i] for i in np.flatnonzero(good).tolist()],
        scheme=layout.scheme,
    )
    for scale_id in instrument.scale_ids:
        values = np.full(n, np.nan)
        values[good] = batch[scale_id]
        columns.append(_format(values))
    for scale_id in layout.band_scales:
        bands = np.full(n, "", dtype=object)
        bands[good] = batch.bands(scale_id)
        bands[bands == None] = ""  # noqa: E711 - elementwise comparison on an object array
        columns.append(bands)
    columns.append(["; ".join(e) for e in errors])
    writer.writerows(zip(*columns, strict=True))
    return int(bad.sum())


def _cell_error(
    instrument: Instrument, layout: _Layout, j: int, cells: list[tuple[str, ...]], row: int
) -> str:
    item = instrument.items[j]
    position = layout.items[item.id]
    column = layout.header[position] if position is not None else "?"
    raw = cells[position][row] if position is not None else ""
    parsed = parse_answer(raw)
    if isinstance(parsed, str):
        problem = "is not a whole number" if _NUMBER.fullmatch(raw.strip()) else "is not a number"
    elif isinstance(parsed, float) and math.isfinite(parsed) and parsed != math.floor(parsed):
        problem = "is not a whole number"
    else:
        problem = "is not an allowed code"
    return f"item {item.id!r} (column {column!r}): {raw!r} {problem}; allowed: {list(item.codes)}"


def _respondents(
    layout: _Layout,
    cells: list[tuple[str, ...]],
    n: int,
    options: CsvOptions,
    errors: list[list[str]],
) -> list[Respondent | None]:
    if layout.age_position is None and layout.sex_position is None:
        return [options.respondent] * n
    base = options.respondent or Respondent()
    ages: list[float | None] = [base.age] * n
    sexes: list[str | None] = [base.sex] * n
    if layout.age_position is not None:
        _ages(cells[layout.age_position], ages, errors, options.age_column)
    if layout.sex_position is not None:
        _sexes(cells[layout.sex_position], sexes, errors, options.sex_column)
    cache: dict[tuple[float | None, str | None], Respondent | None] = {(None, None): None}
    out: list[Respondent | None] = []
    for key in zip(ages, sexes, strict=True):
        if key not in cache:
            cache[key] = Respondent(age=key[0], sex=key[1])  # type: ignore[arg-type]
        out.append(cache[key])
    return out


def _ages(
    texts: tuple[str, ...], ages: list[float | None], errors: list[list[str]], column: str | None
) -> None:
    parser = _Cells()
    for row, text in enumerate(texts):
        value = parser[text]
        if math.isnan(value):
            continue
        if 0 <= value <= 130:  # noqa: PLR2004 - Respondent's range
            ages[row] = value
        else:
            errors[row].append(f"age {text!r} (column {column!r}) is not a number in 0-130")


def _sexes(
    texts: tuple[str, ...], sexes: list[str | None], errors: list[list[str]], column: str | None
) -> None:
    for row, text in enumerate(texts):
        stripped = text.strip()
        if stripped in SEXES:
            sexes[row] = stripped
        elif stripped.lower() not in MISSING_TOKENS:
            errors[row].append(f"sex {text!r} (column {column!r}) is not 'female' or 'male'")


def _format(values: NDArray[np.float64]) -> NDArray[np.object_]:
    """Scores as text: integers without ``.0``, others with up to 10 digits, NaN empty."""
    text = np.full(values.shape[0], "", dtype=object)
    finite = ~np.isnan(values)
    whole = finite & (values == np.floor(values))
    text[whole] = values[whole].astype(np.int64).astype(str)
    for row in np.flatnonzero(finite & ~whole).tolist():
        text[row] = f"{values[row]:.10g}"
    return text
