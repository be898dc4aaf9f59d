"""Turn counted numbers into report cells after suppression (see :mod:`trivselscore.cohort.suppression`).

A :class:`Ledger` is a :class:`~trivselscore.cohort.suppression.Protector` (the one
suppression engine of every report) that,
once solved, hands out cells: a count (shown, or hidden with its mark), a share
with its interval (shown only when its count and denominator are shown) and a
mean or other statistic of a denominator (shown only when the denominator is).

The intervals and the mean's t-interval come from the cohort wing's statistics
(Wilson or Clopper-Pearson; Student t), so study and cohort reports agree.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from trivselscore.cohort import Cell, ShareCell
from trivselscore.cohort.stats import IntervalMethod, proportion_interval
from trivselscore.cohort.suppression import Protector, check_min_cell

__all__ = ["Ledger"]


class Ledger(Protector):
    """Counts, their relations, and after :meth:`close` the cells to publish."""

    def __init__(
        self, *, min_cell: int, hide_zero: bool, interval: IntervalMethod, confidence: float
    ) -> None:
        check_min_cell(min_cell, hide_zero=hide_zero)
        super().__init__(min_cell=min_cell, hide_zero=hide_zero)
        self.interval: IntervalMethod = interval
        self.confidence = confidence
        self.hidden: dict[Hashable, str] = {}

    def close(self) -> None:
        """Decide what to hide (call once, after every count and relation is added)."""
        self.hidden = self.solve()

    def count(self, key: Hashable) -> Cell:
        """The count, or a hidden cell with its mark."""
        if key in self.hidden:
            return Cell(value=None, suppressed=True, note=self.hidden[key])
        return Cell(value=self.counts[key])

    def _blocked(self, denominator: Hashable) -> Cell | None:
        """A hidden (or empty) cell when statistics of this denominator may not be shown."""
        if denominator in self.hidden:
            mark = self.hidden[denominator]
            return Cell(value=None, suppressed=True, note="hidden" if mark == "hidden" else f"n{mark}")
        n = self.counts[denominator]
        if n == 0:
            return Cell(value=None, note="n=0")
        if n < self.min_cell:
            return Cell(value=None, suppressed=True, note=f"n<{self.min_cell}")
        return None

    def share(self, key: Hashable, denominator: Hashable) -> Cell:
        """Count / denominator with its interval, when both are shown."""
        blocked = self._blocked(denominator)
        if blocked is not None:
            return blocked
        if key in self.hidden:
            return self.count(key)
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
