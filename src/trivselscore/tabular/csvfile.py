"""Score a CSV file in chunks with the stdlib ``csv`` module (no pandas).

Memory does not grow with the file: records come ``chunk_size`` at a time from
:mod:`trivselscore.tabular.csvread` (which decodes the file, finds the delimiter,
and refuses a quote that never closes), are checked without a loop over rows
(cells are parsed through a per-column cache of distinct strings, bad cells are
found with one vectorised pass), the good rows of the chunk go through
:func:`trivselscore.score_batch`, and one output row is written per input row, in
order. A bad row is never dropped: its scores are empty and its ``error`` column
names the item, the column and the value.

Rows: an empty line is not a respondent and is skipped (it gets no output row,
and is counted); every other record gets exactly one output row, in input order.
A row may have more fields than the header only when every extra field is empty
(a trailing delimiter, as spreadsheet exports write it). The run ends with a
:class:`CsvSummary` whose counts balance: the records read are the rows scored,
partly scored, not scored for missing answers and not scored for errors, plus
the blank lines skipped.

Output: to a text stream, or to a file path, written all or nothing (a temporary
file beside it, renamed over it on success: see
:func:`trivselscore.tabular.atomic.atomic_text`). The header, the columns and the
options are checked, and the first chunk read, before anything is opened for
writing. When the missing-data policy in use can prorate, a ``prorated`` column
lists the scales whose value was prorated, space-separated.

Ages: when they are given (an age column, or one age for every row), the columns
``outside_age_range`` and ``age_reason`` say which rows lie outside the instrument's
``age_range`` and why they have no bands, and the summary counts them. With
``age_policy="raise"`` the first such row stops the run (see
:mod:`trivselscore.tabular.csvchunk`); the header is written with the first chunk's
rows, so a run stopped in its first chunk writes nothing.
"""

from __future__ import annotations

import csv
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from trivselscore.engine import ages as _ages
from trivselscore.engine import compute as _engine
from trivselscore.tabular.atomic import atomic_text
from trivselscore.tabular.csvchunk import CsvOptions, Layout, score_chunk
from trivselscore.tabular.csvread import (
    DECIMALS,
    MISSING_TOKENS,
    CsvFileError,
    Records,
    open_records,
    parse_answer,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

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


@dataclass(frozen=True)
class CsvSummary:
    """What one run read and wrote; the counts balance.

    ``rows`` rows were written, one per non-empty record: ``scored`` with every
    scale, ``partly_scored`` and ``unscored`` with some or no scale for missing
    answers (the instrument's rule or the policy in use), ``bad_rows`` with an
    ``error``. ``blank_lines`` empty lines after the header were skipped.
    ``outside_age_range`` of the rows without an error (already counted above)
    have an age outside the range of ``instrument_id``: scored, but no bands.

    Examples:
        >>> summary = CsvSummary(rows=1518, bad_rows=1, blank_lines=4, unscored=81)
        >>> summary.records, summary.scored
        (1522, 1436)
        >>> print(summary.line())
        1,522 records read = 1,436 scored + 81 not scored (missing answers) + 1 not scored (errors, \
see the 'error' column) + 4 blank lines skipped; 1,518 rows written
        >>> print(CsvSummary(rows=40, bad_rows=0, outside_age_range=12, instrument_id="sdq-s11-17").line())
        40 records read = 40 scored; 40 rows written; 12 rows outside the age range of sdq-s11-17 \
(scored, no bands)
    """

    rows: int
    bad_rows: int
    blank_lines: int = 0
    unscored: int = 0
    partly_scored: int = 0
    outside_age_range: int = 0
    instrument_id: str | None = None

    @property
    def records(self) -> int:
        """Records read after the header: rows written plus blank lines skipped."""
        return self.rows + self.blank_lines

    @property
    def scored(self) -> int:
        """Rows with a value for every scale."""
        return self.rows - self.bad_rows - self.unscored - self.partly_scored

    def line(self) -> str:
        """The accounting in one line: records read, each kind of row, rows written."""
        parts = [f"{self.scored:,} scored"]
        if self.partly_scored:
            parts.append(f"{self.partly_scored:,} partly scored (missing answers)")
        if self.unscored:
            parts.append(f"{self.unscored:,} not scored (missing answers)")
        if self.bad_rows:
            parts.append(f"{self.bad_rows:,} not scored (errors, see the 'error' column)")
        if self.blank_lines:
            parts.append(f"{self.blank_lines:,} blank {_plural(self.blank_lines, 'line')} skipped")
        line = (
            f"{self.records:,} {_plural(self.records, 'record')} read = {' + '.join(parts)}; "
            f"{self.rows:,} {_plural(self.rows, 'row')} written"
        )
        if self.outside_age_range:
            line += (
                f"; {self.outside_age_range:,} {_plural(self.outside_age_range, 'row')} outside the age "
                f"range of {self.instrument_id} (scored, no bands)"
            )
        return line


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"


def check_options(
    instrument: Instrument, missing: object, scheme: object, age_policy: object = "flag"
) -> None:
    """Refuse an unknown ``--missing``, ``--scheme`` or ``--age-policy`` before anything is read or written.

    Raises:
        ValueError: The policy or scheme is not one of the instrument's, or the
            age policy is not ``flag`` or ``raise`` (the message lists the allowed values).
    """
    if age_policy not in _ages.AGE_POLICIES:
        msg = f"unknown age_policy {age_policy!r}; allowed: {list(_ages.AGE_POLICIES)}"
        raise ValueError(msg)
    variants = [v.id for v in instrument.missing_variants]
    allowed: list[str | None] = [None, *_engine.POLICIES, *sorted(variants)]
    if missing not in allowed:
        msg = f"unknown missing policy {missing!r}; allowed: {allowed}"
        raise ValueError(msg)
    schemes = [s.id for s in instrument.schemes]
    if scheme is not None and scheme not in schemes:
        msg = f"{instrument.id} has no cutoff scheme {scheme!r}; schemes: {schemes}"
        raise ValueError(msg)


def score_csv(instrument: Instrument, path: Path, out: TextIO | Path, options: CsvOptions) -> CsvSummary:
    """Score every row of the CSV file at ``path`` and write the results to ``out``.

    ``out`` is a text stream, or a file path written all or nothing: a run that
    fails, for any reason, leaves an existing file as it was and no partial file.
    Nothing is written before the options, the header, the columns and the first
    chunk of records have been checked.

    Raises:
        CsvFileError: The file is empty, has a header but no rows, is not text, or
            breaks mid-way (the message names the line): a quote that never closes,
            a cell over the limit, bytes that do not decode.
        ColumnError: Item, id, age or sex columns are missing or ambiguous.
        OSError: The file cannot be opened, or the output cannot be written.
        AgeRangeError: ``options.age_policy`` is ``"raise"`` and a row's age is
            outside the instrument's range (the message names the row and the age).
        ValueError: ``options.missing``, ``options.scheme``, ``options.age_policy``,
            ``options.decimal`` or ``options.delimiter`` is not allowed.
    """
    check_options(instrument, options.missing, options.scheme, options.age_policy)
    if options.decimal not in DECIMALS:
        msg = f"decimal mark {options.decimal!r} is not one of {list(DECIMALS)}"
        raise ValueError(msg)
    if options.delimiter is not None and len(options.delimiter) != 1:
        msg = f"delimiter {options.delimiter!r} is not one character"
        raise ValueError(msg)
    size = path.stat().st_size
    with open_records(path, encoding=options.encoding, delimiter=options.delimiter) as records:
        layout = Layout.build(instrument, records.header, options, records.delimiter)
        chunks = records.chunks(options.chunk_size)
        first = next(chunks, None)
        if first is None:
            msg = f"{path} has a header but no data rows"
            raise CsvFileError(msg)
        with ExitStack() as stack:
            target = stack.enter_context(atomic_text(out)) if isinstance(out, Path) else out
            counts = _write(
                instrument,
                layout,
                _prepend(first, chunks),
                out=target,
                options=options,
                records=records,
                size=size,
            )
        return CsvSummary(
            rows=counts[0],
            bad_rows=counts[1],
            blank_lines=records.blank_lines,
            unscored=counts[2],
            partly_scored=counts[3],
            outside_age_range=counts[4],
            instrument_id=instrument.id,
        )


def _write(  # noqa: PLR0913 - the run's parts, passed once
    instrument: Instrument,
    layout: Layout,
    chunks: Iterator[list[list[str]]],
    *,
    out: TextIO,
    options: CsvOptions,
    records: Records,
    size: int,
) -> list[int]:
    """Score and write every chunk; return [rows, errors, not scored, partly scored, outside ages]."""
    writer = _HeaderFirst(csv.writer(out, delimiter=records.delimiter, lineterminator="\n"), layout)
    counts = [0, 0, 0, 0, 0]
    for chunk in chunks:
        found = score_chunk(instrument, layout, chunk, offset=counts[0], writer=writer, options=options)
        counts = [counts[0] + len(chunk), *(a + b for a, b in zip(counts[1:], found, strict=True))]
        if options.progress:
            done = min(1.0, records.position / max(size, 1))
            sys.stderr.write(f"\rtrivselscore: {counts[0]:,} rows ({done:.0%})")
            sys.stderr.flush()
    if options.progress:
        sys.stderr.write("\n")
    return counts


class _HeaderFirst:
    """A csv writer that writes the header with the first rows, so a chunk that fails writes nothing."""

    def __init__(self, writer: csv.Writer, layout: Layout) -> None:  # type: ignore[name-defined]
        self._writer = writer
        self._header: list[str] | None = layout.output_header

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        if self._header is not None:
            self._writer.writerow(self._header)
            self._header = None
        self._writer.writerows(rows)


def _prepend(first: list[list[str]], rest: Iterator[list[list[str]]]) -> Iterator[list[list[str]]]:
    yield first
    yield from rest
