"""From counted numbers to report rows, with suppression applied (see :mod:`.suppression`).

:class:`Cohort` counts each time point x group (:class:`SummaryCounts`) and each
group's change (:class:`ChangeCounts`); :func:`summary_rows` and
:func:`change_rows` decide, for one block of rows at a time (the total row first,
then its groups), which counts to hide, and then what follows from that: a share,
mean or SD whose denominator is hidden is hidden with it, and so is the attrition
when the people it is a share of cannot be shown.

The relations a block publishes, all of which the suppression protects:

* summary row: ``measured = n + not_scored``; ``n = banded + unbanded`` (banded:
  the denominator of the band shares, known as soon as one share is shown);
  ``banded`` = the sum of the band counts;
* change row: ``persons = pairs + start_only + end_only + neither``; ``pairs``
  = the sum of the change-category counts; attrition = ``start_only / (pairs +
  start_only)``, shown only when both counts are;
* across a block with a total row: for every count column, the total row is the
  sum of the group rows (the groups partition everyone: a missing group value is
  its own group). The total row is known by its position, never by its label.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from trivselscore.cohort import stats as _stats
from trivselscore.cohort import suppression as _suppression
from trivselscore.cohort.report import Cell, ChangeRow, ShareCell, TimePointRow, hidden, ranged

__all__ = ["ChangeCounts", "Options", "SummaryCounts", "change_rows", "summary_rows"]

Labels = Sequence[tuple[str, str, str]]
"""(key, English label, Danish label) of each band or change category."""


@dataclass(frozen=True)
class Options:
    """How to report: the suppression threshold, zeros, and the intervals."""

    min_cell: int
    hide_zero: bool
    interval: _stats.IntervalMethod
    confidence: float


@dataclass(frozen=True)
class SummaryCounts:
    """One time point x group, unsuppressed."""

    time: str
    group: str
    is_total: bool
    measured: int
    scores: tuple[float, ...]
    unbanded: int
    outside_age_range: int
    bands: tuple[int, ...]


@dataclass(frozen=True)
class ChangeCounts:
    """One group's change between two time points, unsuppressed."""

    group: str
    is_total: bool
    persons: int
    pairs: int
    start_only: int
    end_only: int
    neither: int
    not_scored: int
    outside_age_range: int
    categories: tuple[int, ...]
    differences: tuple[float, ...]


class _Block:
    """The grid of one block of rows and, once solved, its cells."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.grid = _suppression.Protector(min_cell=options.min_cell, hide_zero=options.hide_zero)
        self.notes: dict[Hashable, str] = {}

    def solve(self, n_rows: int, columns: Sequence[str], *, has_total: bool) -> None:
        if has_total and n_rows > 1:
            for name in columns:
                self.grid.relate((0, name), [(i, name) for i in range(1, n_rows)])
        self.notes = self.grid.solve()

    def count(self, key: Hashable) -> Cell:
        if key in self.notes:
            if self.notes[key] == _suppression.RANGE:
                return ranged(*self.grid.ranges[key])
            return hidden(self.notes[key])
        return Cell(value=self.grid.counts[key])

    def denominator_note(self, key: Hashable) -> str | None:
        """The note of what rests on a hidden denominator: ``"n<5"`` or ``"hidden"``."""
        note = self.notes.get(key)
        if note is None:
            return None
        return "hidden" if note in {_suppression.SECONDARY, _suppression.RANGE} else f"n{note}"

    def shares(self, row: int, labels: Labels, prefix: str, denominator: Hashable) -> tuple[ShareCell, ...]:
        total = self.grid.counts[denominator]
        out = []
        for j, (key, en, da) in enumerate(labels):
            count = self.count((row, f"{prefix}{j}"))
            cut = self.denominator_note(denominator)
            if count.suppressed and count.note == _suppression.RANGE and cut is None and total:
                least, most = self.grid.ranges[(row, f"{prefix}{j}")]
                share = ranged((100 * least // total) / 100, -(-100 * most // total) / 100)
            elif count.suppressed:
                share = hidden("hidden" if count.note == _suppression.RANGE else str(count.note))
            elif cut is not None:
                share = hidden(cut)
            elif total == 0:
                share = Cell(value=None, note="n=0")
            else:
                k = int(self.grid.counts[(row, f"{prefix}{j}")])
                low, high = _stats.proportion_interval(
                    k, total, self.options.interval, self.options.confidence
                )
                share = Cell(value=k / total, low=low, high=high)
            out.append(ShareCell(key=key, label_en=en, label_da=da, count=count, share=share))
        return tuple(out)

    def mean(self, denominator: Hashable, values: Sequence[float], *, interval: bool) -> tuple[Cell, Cell]:
        cut = self.denominator_note(denominator)
        if cut is not None:
            return hidden(cut), hidden(cut)
        if not values:
            return Cell(value=None, note="n=0"), Cell(value=None, note="n=0")
        result = _stats.mean_interval(values, self.options.confidence)
        mean = Cell(
            value=result.mean, low=result.low if interval else None, high=result.high if interval else None
        )
        return mean, Cell(value=result.sd)


def summary_rows(
    block: Sequence[SummaryCounts], labels: Labels, options: Options, *, band_note: str | None = None
) -> list[TimePointRow]:
    """One time point's rows (the total row first, if any), suppressed.

    ``band_note`` (e.g. ``"no norm table"``) says why no score can have a band:
    the band counts and shares are then that note, not a count.
    """
    grid = _Block(options)
    width = 0 if band_note is not None else len(labels)
    for i, c in enumerate(block):
        scored = len(c.scores)
        last = c.is_total
        grid.grid.add((i, "measured"), c.measured, last=last)
        grid.grid.add((i, "n"), scored, keep=True, last=last)
        grid.grid.add((i, "not_scored"), c.measured - scored, last=last)
        grid.grid.add((i, "unbanded"), c.unbanded, last=last)
        grid.grid.add((i, "outside_age_range"), c.outside_age_range, last=last)
        grid.grid.relate((i, "measured"), [(i, "n"), (i, "not_scored")])
        if width:
            grid.grid.add((i, "banded"), sum(c.bands), keep=True, last=last, virtual=True)
            for j, k in enumerate(c.bands):
                grid.grid.add((i, f"band{j}"), k, last=last)
            grid.grid.relate((i, "n"), [(i, "banded"), (i, "unbanded")])
            grid.grid.relate((i, "banded"), [(i, f"band{j}") for j in range(width)])
        else:
            grid.grid.relate((i, "n"), [(i, "unbanded")])
    columns = ["measured", "n", "not_scored", "unbanded", "outside_age_range"]
    columns += ["banded", *(f"band{j}" for j in range(width))] if width else []
    grid.solve(len(block), columns, has_total=_has_total(block))
    rows = []
    for i, c in enumerate(block):
        mean, sd = grid.mean((i, "n"), c.scores, interval=False)
        if width:
            bands = grid.shares(i, labels, "band", (i, "banded"))
        else:
            note = Cell(value=None, note=band_note)
            bands = tuple(
                ShareCell(key=k, label_en=en, label_da=da, count=note, share=note) for k, en, da in labels
            )
        rows.append(
            TimePointRow(
                time=c.time,
                group=c.group,
                is_total=c.is_total,
                measured=grid.count((i, "measured")),
                n=grid.count((i, "n")),
                not_scored=grid.count((i, "not_scored")),
                mean=mean,
                sd=sd,
                bands=bands,
                unbanded=grid.count((i, "unbanded")),
                outside_age_range=grid.count((i, "outside_age_range")),
            )
        )
    return rows


_CHANGE_COUNTS = ("persons", "pairs", "start_only", "end_only", "neither", "not_scored", "outside_age_range")


def change_rows(block: Sequence[ChangeCounts], labels: Labels, options: Options) -> list[ChangeRow]:
    """The rows of a change report (the total row first, if any), suppressed."""
    grid = _Block(options)
    for i, c in enumerate(block):
        for name in _CHANGE_COUNTS:
            grid.grid.add((i, name), int(getattr(c, name)), keep=name == "pairs", last=c.is_total)
        for j, k in enumerate(c.categories):
            grid.grid.add((i, f"category{j}"), k, last=c.is_total)
        grid.grid.relate((i, "persons"), [(i, "pairs"), (i, "start_only"), (i, "end_only"), (i, "neither")])
        grid.grid.relate((i, "pairs"), [(i, f"category{j}") for j in range(len(c.categories))])
        grid.grid.add((i, "started"), c.pairs + c.start_only, published=False)
        grid.grid.relate((i, "started"), [(i, "pairs"), (i, "start_only")])
    columns = [*_CHANGE_COUNTS, *(f"category{j}" for j in range(len(labels)))]
    grid.solve(len(block), columns, has_total=_has_total(block))
    rows = []
    for i, c in enumerate(block):
        mean, sd = grid.mean((i, "pairs"), c.differences, interval=True)
        rows.append(
            ChangeRow(
                group=c.group,
                is_total=c.is_total,
                persons=grid.count((i, "persons")),
                pairs=grid.count((i, "pairs")),
                start_only=grid.count((i, "start_only")),
                attrition=_attrition(grid, i, c),
                end_only=grid.count((i, "end_only")),
                neither=grid.count((i, "neither")),
                not_scored=grid.count((i, "not_scored")),
                outside_age_range=grid.count((i, "outside_age_range")),
                categories=grid.shares(i, labels, "category", (i, "pairs")),
                mean_change=mean,
                sd_change=sd,
                dz=_dz(mean, c.differences),
            )
        )
    return rows


def _attrition(grid: _Block, i: int, counts: ChangeCounts) -> Cell:
    """``start_only / (pairs + start_only)``, shown only when both counts are."""
    start_only = grid.notes.get((i, "start_only"))
    if start_only is not None:
        return hidden("hidden" if start_only == _suppression.RANGE else start_only)
    if (i, "pairs") in grid.notes:
        return hidden()
    started = counts.pairs + counts.start_only
    return Cell(value=counts.start_only / started) if started else Cell(value=None, note="n=0")


def _dz(mean: Cell, differences: Sequence[float]) -> Cell:
    if mean.value is None:
        return mean
    return Cell(value=_stats.dz(differences) if len(differences) > 1 else None)


def _has_total(block: Sequence[SummaryCounts] | Sequence[ChangeCounts]) -> bool:
    """Whether the block's first row is the total row of the others (by position and flag)."""
    return bool(block) and block[0].is_total and not any(c.is_total for c in block[1:])
