"""Score one chunk of CSV records: find the columns, parse the cells, score, format the output.

The middle of :func:`trivselscore.tabular.csvfile.score_csv`: :class:`Layout` says
where everything is in the input and what the output looks like, and
:func:`score_chunk` turns a list of records into output rows with the engine,
without a loop over rows (cells go through a per-column cache of distinct
strings, bad cells are found with one vectorised pass). A bad row keeps its place:
its scores are empty and its ``error`` names the item, the column and the value.

Ages (``--age-column`` or ``--age``) add two columns after the bands:
``outside_age_range`` (``true``/``false``: the age, in completed years, is outside the
instrument's ``age_range``; such a row is scored but its band columns are empty) and
``age_reason`` (why, e.g. "age 22 is outside 11-17, the range of sdq-s11-17"); both are
empty in a row with an ``error``. With ``age_policy="raise"`` the first row whose age is
outside the range, with or without an error, stops the run with
:class:`~trivselscore.errors.AgeRangeError` before its chunk is written.

Cells copied from the input (the id column, and its name in the header) are written so
that a spreadsheet shows them as text and never runs them: one that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return, and is not a plain number, gets a leading
``'`` (:func:`spreadsheet_safe`), unless ``raw_cells`` asks for them unchanged.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.definitions.model import SEX_WORDS, Respondent
from trivselscore.engine import ages as age_rule
from trivselscore.engine import compute as _engine
from trivselscore.engine.scoring import score_batch
from trivselscore.errors import AgeRangeError, ColumnError
from trivselscore.tabular.columns import find_columns
from trivselscore.tabular.csvread import (
    DEFAULT_ENCODING,
    MISSING_TOKENS,
    CsvFileError,
    is_number,
    parse_answer,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument
    from trivselscore.engine.results import BatchScores

__all__ = [
    "AGE_REASON_COLUMN",
    "OUTSIDE_AGE_COLUMN",
    "CsvOptions",
    "Layout",
    "score_chunk",
    "spreadsheet_safe",
]

OUTSIDE_AGE_COLUMN = "outside_age_range"
"""Output column, when ages are given: ``true`` where the age is outside the instrument's range."""

AGE_REASON_COLUMN = "age_reason"
"""Output column, when ages are given: why the row has no bands (empty where the age fits)."""

_UNPARSABLE = math.inf  # never a code; the raw cell is looked up for the message
_FORMULA_START = frozenset("=+-@\t\r")  # what makes a spreadsheet read a cell as a formula (OWASP)
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def spreadsheet_safe(cell: str) -> str:
    r"""``cell``, with a leading ``'`` if a spreadsheet would read it as a formula.

    Examples:
        >>> spreadsheet_safe('=HYPERLINK("http://x.example","klik")'), spreadsheet_safe("E-17")
        ('\'=HYPERLINK("http://x.example","klik")', 'E-17')
        >>> spreadsheet_safe("-5"), spreadsheet_safe("@SUM(A1)"), spreadsheet_safe("+45 1234")
        ('-5', "'@SUM(A1)", "'+45 1234")
    """
    if cell[:1] in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


@dataclass(frozen=True)
class CsvOptions:
    """What ``trivselscore score ID FILE.csv`` was asked to do.

    ``decimal`` is the decimal mark of the file's numbers (``"."`` or ``","``),
    used for reading answers and ages and for writing scores. ``age_policy`` is
    ``"flag"`` (a row outside the instrument's age range is scored without bands,
    and says so) or ``"raise"`` (it stops the run with ``AgeRangeError``).
    ``raw_cells`` writes the cells copied from the input exactly as read, even
    one a spreadsheet would run as a formula (default: :func:`spreadsheet_safe`).
    """

    columns: Mapping[str, str | None] = field(default_factory=dict)
    missing: str | None = None
    scheme: str | None = None
    id_column: str | None = None
    age_column: str | None = None
    sex_column: str | None = None
    respondent: Respondent | None = None
    delimiter: str | None = None
    encoding: str = DEFAULT_ENCODING
    decimal: str = "."
    age_policy: str = "flag"
    chunk_size: int = 20_000
    progress: bool = False
    raw_cells: bool = False


class _Cells(dict[str, float]):
    """Distinct cell text -> float (NaN unanswered, inf not a number); filled on demand."""

    def __init__(self, decimal: str) -> None:
        super().__init__()
        self.decimal = decimal

    def __missing__(self, text: str) -> float:
        parsed = parse_answer(text, self.decimal)
        if parsed is None:
            value = math.nan
        elif isinstance(parsed, str):
            value = _UNPARSABLE
        else:
            value = float(parsed)
        self[text] = value
        return value


@dataclass(frozen=True)
class Layout:
    """Where everything is in the input and what the output looks like."""

    header: list[str]
    items: dict[str, int | None]
    id_position: int | None
    age_position: int | None
    sex_position: int | None
    band_scales: tuple[str, ...]
    output_header: list[str]
    scheme: str | None
    aged: bool = False

    @classmethod
    def build(cls, instrument: Instrument, header: list[str], options: CsvOptions, delimiter: str) -> Layout:
        """Find the columns in ``header`` and decide the output's.

        Raises:
            ColumnError: Item, id, age or sex columns are missing or ambiguous.
            CsvFileError: The header is one column: the delimiter is likely wrong.
        """
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
        aged = options.age_column is not None or (
            options.respondent is not None and options.respondent.age is not None
        )
        out = [
            _header_cell(options.id_column, raw=options.raw_cells),
            *instrument.scale_ids,
            *(f"{s}_band" for s in band_scales),
            *([OUTSIDE_AGE_COLUMN, AGE_REASON_COLUMN] if aged else []),
            *(["prorated"] if _can_prorate(instrument, options.missing) else []),
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
            aged,
        )


def _header_cell(id_column: str | None, *, raw: bool) -> str:
    """The output's first header cell: the id column's name (spreadsheet-safe unless raw), or ``row``."""
    if id_column is None:
        return "row"
    return id_column if raw else spreadsheet_safe(id_column)


def _can_prorate(instrument: Instrument, missing: str | None) -> bool:
    """Whether the policy in use prorates some scale (then the output says which, per row)."""
    if missing in _engine.POLICIES:
        return missing == "prorate"
    return any(instrument.rule(scale_id, missing).kind == "prorate" for scale_id in instrument.scale_ids)


def _named(instrument: Instrument, header: list[str], name: str | None, what: str) -> int | None:
    if name is None:
        return None
    positions = [p for p, column in enumerate(header) if column == name]
    if len(positions) != 1:
        problem = "does not exist" if not positions else f"appears {len(positions)} times"
        msg = f"{what} column {name!r} {problem}; columns: {header[:12]}"
        raise ColumnError(msg, instrument_id=instrument.id, value=name)
    return positions[0]


def score_chunk(  # noqa: PLR0913 - one chunk and where it goes
    instrument: Instrument,
    layout: Layout,
    chunk: list[list[str]],
    *,
    offset: int,
    writer: csv.Writer,  # type: ignore[name-defined]
    options: CsvOptions,
) -> tuple[int, int, int, int]:
    """Score and write one chunk.

    Returns:
        Its counts of error rows, unscored rows, partly scored rows, and rows
        (without an error) outside the instrument's age range.

    Raises:
        AgeRangeError: ``options.age_policy`` is ``"raise"`` and a row's age is
            outside the instrument's range (nothing of the chunk is written).
    """
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
            parser = _Cells(options.decimal)
            data[:, j] = np.fromiter(map(parser.__getitem__, cells[position]), dtype=np.float64, count=n)
    invalid, gaps = _engine.cell_problems(instrument, data, policy=options.missing)
    for row, j in np.argwhere(invalid).tolist():
        errors[row].append(_cell_error(instrument, layout, j, cells, row, decimal=options.decimal))
    for row, j in np.argwhere(gaps).tolist():
        errors[row].append(f"item {instrument.items[j].id!r} is unanswered and --missing raise")
    who = _respondents(layout, cells, n, options, errors)
    ids = cells[layout.id_position] if layout.id_position is not None else range(offset + 1, offset + n + 1)
    if layout.aged and options.age_policy == "raise":
        _stop_outside(instrument, who, ids, offset, options.id_column)
    bad = np.fromiter(map(bool, errors), dtype=np.bool_, count=n)
    good = ~bad
    batch = score_batch(
        instrument,
        data[good],
        missing=options.missing,
        respondent=[who[i] for i in np.flatnonzero(good).tolist()],
        scheme=layout.scheme,
    )
    columns, empty = _output(instrument, layout, batch, good, options.decimal)
    columns.append(["; ".join(e) for e in errors])
    shown = ids if options.raw_cells or isinstance(ids, range) else [spreadsheet_safe(cell) for cell in ids]
    writer.writerows(zip(shown, *columns, strict=True))
    none, some = empty[good].all(axis=1), empty[good].any(axis=1)
    outside = int(batch.outside_age_range.sum()) if layout.aged else 0
    return int(bad.sum()), int(none.sum()), int((some & ~none).sum()), outside


def _stop_outside(
    instrument: Instrument,
    who: list[Respondent | None],
    ids: Sequence[str] | range,
    offset: int,
    id_column: str | None,
) -> None:
    """``--age-policy raise``: raise for the chunk's first row whose age is outside the range."""
    if instrument.age_range is None:
        return
    ages = np.fromiter(
        (np.nan if r is None or r.age is None else r.age for r in who), dtype=np.float64, count=len(who)
    )
    rows = age_rule.outside(instrument.age_range, ages)
    if not rows.any():
        return
    row = int(np.argmax(rows))
    age = float(ages[row])
    where = f"row {offset + row + 1:,}" + (f" ({id_column} {ids[row]!r})" if id_column is not None else "")
    msg = (
        f"{where}: {age_rule.reason(instrument.id, instrument.age_range, age)} and --age-policy raise; "
        "score it with an instrument for this age, or with --age-policy flag (scored, no bands)"
    )
    raise AgeRangeError(msg, instrument_id=instrument.id, age=age, age_range=instrument.age_range)


def _output(
    instrument: Instrument, layout: Layout, batch: BatchScores, good: NDArray[np.bool_], decimal: str
) -> tuple[list[object], NDArray[np.bool_]]:
    """The output columns after the id, but the error; and which scales have no value, per row."""
    n = good.shape[0]
    columns: list[object] = []
    empty = np.zeros((n, len(instrument.scale_ids)), dtype=np.bool_)
    for k, scale_id in enumerate(instrument.scale_ids):
        values = np.full(n, np.nan)
        values[good] = batch[scale_id]
        empty[:, k] = np.isnan(values)
        columns.append(_format(values, decimal))
    for scale_id in layout.band_scales:
        bands = np.full(n, "", dtype=object)
        bands[good] = batch.bands(scale_id)
        bands[bands == None] = ""  # noqa: E711 - elementwise comparison on an object array
        columns.append(bands)
    if layout.aged:
        outside = np.full(n, "", dtype=object)
        outside[good] = np.where(batch.outside_age_range, "true", "false")
        reasons = np.full(n, "", dtype=object)
        reasons[good] = batch.age_reasons()
        reasons[reasons == None] = ""  # noqa: E711 - elementwise comparison on an object array
        columns.extend([outside, reasons])
    if "prorated" in layout.output_header:
        prorated = np.zeros((n, len(instrument.scale_ids)), dtype=np.bool_)
        for k, scale_id in enumerate(instrument.scale_ids):
            prorated[good, k] = batch.prorated(scale_id)
        names = np.array(instrument.scale_ids, dtype=object)
        columns.append([" ".join(names[row]) for row in prorated.tolist()])
    return columns, empty


def _cell_error(  # noqa: PLR0913 - the cell and how to read it
    instrument: Instrument, layout: Layout, j: int, cells: list[tuple[str, ...]], row: int, *, decimal: str
) -> str:
    item = instrument.items[j]
    position = layout.items[item.id]
    column = layout.header[position] if position is not None else "?"
    raw = cells[position][row] if position is not None else ""
    parsed = parse_answer(raw, decimal)
    if isinstance(parsed, str):
        problem = "is not a whole number" if is_number(raw, decimal) else "is not a number"
        if decimal == "." and is_number(raw, ","):
            problem += " (a decimal comma? give --decimal ,)"
    elif isinstance(parsed, float) and math.isfinite(parsed) and parsed != math.floor(parsed):
        problem = "is not a whole number"
    else:
        problem = "is not an allowed code"
    return f"item {item.id!r} (column {column!r}): {raw!r} {problem}; allowed: {list(item.codes)}"


def _respondents(
    layout: Layout,
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
        _ages(cells[layout.age_position], ages, errors, options)
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
    texts: tuple[str, ...], ages: list[float | None], errors: list[list[str]], options: CsvOptions
) -> None:
    column = options.age_column
    parser = _Cells(options.decimal)
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
    """The words ``Respondent`` takes (:data:`SEX_WORDS`, any case); a missing token is unknown."""
    for row, text in enumerate(texts):
        word = text.strip().casefold()
        if word in SEX_WORDS:
            sexes[row] = SEX_WORDS[word]
        elif word not in MISSING_TOKENS:
            allowed = ", ".join(SEX_WORDS)
            errors[row].append(f"sex {text!r} (column {column!r}) is not one of {allowed} (any case)")


def _format(values: NDArray[np.float64], decimal: str) -> NDArray[np.object_]:
    """Scores as text: integers without ``.0``, others with up to 10 digits and ``decimal``, NaN empty."""
    text = np.full(values.shape[0], "", dtype=object)
    finite = ~np.isnan(values)
    whole = finite & (values == np.floor(values))
    text[whole] = values[whole].astype(np.int64).astype(str)
    for row in np.flatnonzero(finite & ~whole).tolist():
        text[row] = f"{values[row]:.10g}".replace(".", decimal)
    return text
