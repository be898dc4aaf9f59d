"""Turn counted numbers into report cells after suppression (see :mod:`trivselscore.cohort.suppression`).

A :class:`Ledger` is a :class:`~trivselscore.cohort.suppression.Protector` (the one
disclosure engine of every report) that, once solved, hands out cells: a count
(shown, hidden with its mark, or the range it surely lies in), a share with its
interval (shown only when its count and denominator are shown) and a mean or
other statistic of a denominator (shown only when the denominator is).

Every count is registered under a *semantic key* (:func:`group_key` and the keys
of the report functions): the same people get the same key in every table, so
that one Ledger can hold a whole release (:mod:`trivselscore.study.release`) and
the same number is hidden, or shown, everywhere at once.

A Ledger made for one report (``shown=None``) publishes every count it is given,
as the reports' ``to_dict()`` do. A Ledger for a release is told what the
documents print (``shown``: per table and column, ``"count"`` or ``"share"``): a
count printed nowhere is unknown to a reader (a leak only when worked back to a
small count); a count printed as a share of a shown denominator is taken as
known exactly (a figure's bar gives it away). Its costs put results before
auxiliary counts (see :data:`COSTS`), and it publishes hidden results as the
ranges a reader can work out anyway (``ranges=True``): a hidden count as its
range, a share whose count or denominator is hidden as the range of the ratio.

The intervals and the mean's t-interval come from the cohort wing's statistics
(Wilson or Clopper-Pearson; Student t), so study and cohort reports agree.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, Literal

from trivselscore.cohort import Cell, ShareCell
from trivselscore.cohort.report import ranged
from trivselscore.cohort.stats import IntervalMethod, proportion_interval
from trivselscore.cohort.suppression import RANGE, SECONDARY, Protector, check_min_cell

if TYPE_CHECKING:
    from trivselscore.definitions import Instrument

__all__ = ["ALL", "COSTS", "Ledger", "Role", "Shown", "group_key", "same_people"]

ALL: Final = ("all",)
"""The group key of everyone (the total row of every table)."""

Role = Literal["result", "pairs", "denominator", "headline", "auxiliary", "bookkeeping"]
"""What a count is to the reader: a result, a result's denominator, an auxiliary or a bookkeeping count."""

Shown = Mapping[tuple[str, str], Literal["count", "share"]]
"""(table, column) -> how a release prints it; a pair missing is printed nowhere."""

COSTS: Final[dict[str, float]] = {
    "bookkeeping": 1.0,
    "auxiliary": 10.0,
    "result": 100.0,
    "pairs": 400.0,
    "denominator": 1000.0,
    "headline": 3000.0,
}
"""What hiding a count of each role loses, in a release: a bookkeeping total (the first page's
totals over time points) before an auxiliary count (rows, forms not given, drop-out, the
persons of a group) before a result (a band or change category, fremgang, the improved) before
a change table's pairs (hiding them hides the mean change; the shares become ranges) before a
level table's n (hiding one hides its mean and SD) before the number of persons in the study
(the first page's headline). A total row's count costs three times as much."""

_TOTAL_ROW = 3.0
_RESULTS = frozenset({"result", "pairs", "denominator", "headline"})


def group_key(by: Sequence[str], label: str, *, total: bool) -> Hashable:
    """The key of a group in every table: :data:`ALL` for everyone, else the columns and the label.

    Examples:
        >>> group_key(["forløb"], "all", total=True), group_key(["forløb"], "all", total=False)
        (('all',), (('forløb',), 'all'))
    """
    return ALL if total else (tuple(by), label)


def same_people(instrument: Instrument, scale_id: str) -> str:
    """The scale whose scored persons are this scale's: itself, or the one scale it is a multiple of.

    WHO-5's percentage score is its raw score times 4: the same persons are scored
    on both, so their counts are one number (one key) in a release.

    Examples:
        >>> from trivselscore import get_instrument
        >>> same_people(get_instrument("who5"), "percentage")
        'raw'
        >>> same_people(get_instrument("sdq-s11-17"), "total")
        'total'
    """
    scale = instrument.scale(scale_id)
    while len(scale.scales) == 1 and not scale.items and scale.gate is None:
        scale = instrument.scale(scale.scales[0])
    return scale.id


class Ledger(Protector):
    """Counts, their relations, and after :meth:`close` the cells to publish."""

    def __init__(  # noqa: PLR0913 - the rule, the intervals, then what a release prints
        self,
        *,
        min_cell: int,
        hide_zero: bool,
        interval: IntervalMethod,
        confidence: float,
        shown: Shown | None = None,
        ranges: bool = False,
    ) -> None:
        check_min_cell(min_cell, hide_zero=hide_zero)
        super().__init__(min_cell=min_cell, hide_zero=hide_zero)
        self.interval: IntervalMethod = interval
        self.confidence = confidence
        self.shown = shown
        self.publish_ranges = ranges
        self.hidden: dict[Hashable, str] = {}
        self.spans: dict[Hashable, tuple[int, int]] = {}
        self.roles: dict[Hashable, Role] = {}
        self.limits: dict[Hashable, tuple[int, int]] = {}
        self.closed = False

    def put(  # noqa: PLR0913 - one count, where it is printed and what it is
        self,
        key: Hashable,
        value: int,
        *,
        table: str,
        column: str,
        role: Role = "auxiliary",
        keep: bool = False,
        total_row: bool = False,
        field: bool = True,
    ) -> None:
        """Register a count printed in ``table`` under ``column`` (as a count or as a share).

        ``field=False``: a count the report itself has no field for (it only links
        the report's counts to the same people in other tables), never published
        by a report made on its own.
        """
        self.roles[key] = max(role, self.roles.get(key, role), key=COSTS.__getitem__)
        if self.shown is None:
            self.add(key, value, keep=keep, published=field)
            return
        cost = COSTS[role] * (_TOTAL_ROW if total_row else 1.0)
        self.add(key, value, keep=keep, published=(table, column) in self.shown, cost=cost)

    def close(self, *, optimal: bool = False) -> None:
        """Decide what to hide (call once, after every count and relation is added)."""
        self.hidden = self.solve(optimal=optimal)
        self.closed = True
        if not self.publish_ranges:
            return
        small = (0 if self.hide_zero else 1, self.min_cell - 1)
        self.limits = {k: small for k, m in self.hidden.items() if m.startswith("<")}
        self.limits |= {k: self.ranges[k] for k, m in self.hidden.items() if m == RANGE}
        secondary = [k for k, m in self.hidden.items() if m == SECONDARY]
        results = [k for k in secondary if self.roles.get(k, "auxiliary") in _RESULTS]
        found = self.bounds_of(results)  # a result's range as tight as the attacker's linear relaxation
        found |= self.bounds_of([k for k in secondary if k not in found], tight=False)
        for key, (low, high) in found.items():
            least, most = math.ceil(low - 1e-9), math.floor(high + 1e-9)
            self.limits[key] = (least, most)
            if 0 < least < most <= 2 * least:
                self.spans[key] = (least, most)

    def span(self, key: Hashable) -> tuple[int, int] | None:
        """The range a hidden count is published as, if any."""
        if self.hidden.get(key) == RANGE:
            return self.ranges[key]
        return self.spans.get(key)

    def count(self, key: Hashable) -> Cell:
        """The count, or a hidden cell with its mark (or its range)."""
        if key in self.hidden:
            span = self.span(key)
            if span is not None:
                return ranged(*span)
            mark = self.hidden[key]
            return Cell(value=None, suppressed=True, note=SECONDARY if mark == RANGE else mark)
        return Cell(value=self.counts[key])

    def bounds(self, key: Hashable) -> tuple[int, int] | None:
        """What a reader can work out of a count: itself when shown, else its range or limits."""
        if key not in self.hidden:
            return None if key in self.unpublished else (self.counts[key], self.counts[key])
        return self.span(key) or self.limits.get(key)

    def _blocked(self, denominator: Hashable) -> Cell | None:
        """A hidden (or empty) cell when statistics of this denominator may not be shown."""
        if denominator in self.hidden:
            mark = self.hidden[denominator]
            return Cell(value=None, suppressed=True, note=f"n{mark}" if mark.startswith("<") else SECONDARY)
        n = self.counts[denominator]
        if n == 0:
            return Cell(value=None, note="n=0")
        if n < self.min_cell:
            return Cell(value=None, suppressed=True, note=f"n<{self.min_cell}")
        return None

    def ratio(self, key: Hashable, denominator: Hashable) -> Cell | None:
        """The share as the range a reader can work out, when its count or denominator is hidden.

        None when that range says nothing (0-100%), when a range may not be
        published (``ranges=False``), or when the denominator is small (``n<5``).
        """
        mark = self.hidden.get(denominator, "")
        if not self.publish_ranges or mark.startswith("<"):
            return None
        count, total = self.bounds(key), self.bounds(denominator)
        if count is None or total is None or total[1] <= 0:
            return None
        if key in self.hidden and self.hidden[key].startswith("<") and denominator not in self.hidden:
            return None  # a small count keeps its mark
        low = count[0] / total[1]
        high = 1.0 if total[0] <= 0 else min(1.0, count[1] / total[0])
        if count[1] == 0:
            return Cell(value=0.0)
        if low <= 0 and high >= 1:
            return None
        return ranged(math.floor(100 * low + 1e-9) / 100, math.ceil(100 * high - 1e-9) / 100)

    def share(self, key: Hashable, denominator: Hashable) -> Cell:
        """Count / denominator with its interval, when both are shown; else a range, or the mark."""
        blocked = self._blocked(denominator)
        if blocked is not None:
            return (self.ratio(key, denominator) if blocked.suppressed else None) or blocked
        if key in self.hidden:
            return self.ratio(key, denominator) or self.count(key)
        k, n = self.counts[key], self.counts[denominator]
        low, high = proportion_interval(k, n, self.interval, self.confidence)
        return Cell(value=k / n, low=low, high=high)

    def shares(
        self, labels: Sequence[tuple[str, str, str]], keys: Sequence[Hashable], denominator: Hashable
    ) -> tuple[ShareCell, ...]:
        """One :class:`ShareCell` per (key, English, Danish) label."""
        return tuple(
            ShareCell(
                key=k, label_en=en, label_da=da, count=self.count(key), share=self.share(key, denominator)
            )
            for (k, en, da), key in zip(labels, keys, strict=True)
        )

    def statistic(
        self,
        value: float | None,
        denominator: Hashable,
        *,
        low: float | None = None,
        high: float | None = None,
    ) -> Cell:
        """A mean, SD, effect size or share of ``denominator`` persons, when it may be shown."""
        blocked = self._blocked(denominator)
        if blocked is not None:
            return blocked
        return Cell(value=value, low=low, high=high)

    def tally(self) -> dict[str, dict[str, int]]:
        """Per role, how many printed counts are shown, ``<5``, ``skjult`` or a range."""
        out: dict[str, dict[str, int]] = {}
        for key in self.counts:
            if key in self.unpublished:
                continue
            mark = self.hidden.get(key)
            if mark is None:
                state = "shown"
            elif mark.startswith("<"):
                state = "small"
            else:
                state = "range" if self.span(key) is not None else "secondary"
            row = out.setdefault(self.roles.get(key, "auxiliary"), {})
            row[state] = row.get(state, 0) + 1
        return out
