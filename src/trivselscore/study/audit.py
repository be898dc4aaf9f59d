"""The attacker that suppression is checked against: which hidden counts can be worked back?

The attacker knows every shown count, the relations the report publishes
(``total = sum(parts)``), that counts are whole numbers from 0 to the sum of all
counts, and what each mark says of a hidden cell (``"<5"``: 1-4, or 0-4 with
``hide_zero``; ``"hidden"``: any count). A hidden count is *worked back* when
only one whole number fits all of that.

:class:`Audit` decides this exactly: interval propagation over the relations
and their combinations (Gauss-Jordan elimination) narrows every cell; a cell
still open is proven free by a search for a second whole-number solution
(branching on the narrowest cell, the true value's side first). When the search
runs out of budget, the cell is taken as worked back, so that more is hidden,
never less.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["SECONDARY", "Audit"]

SECONDARY = "hidden"
"""The mark of a cell hidden to protect another (it says nothing of its size)."""

_EPS = 1e-9
_TOLERANCE = 1e-6
_PASSES = 100
_BUDGET = 400

Terms = list[tuple[NDArray[np.intp], NDArray[np.float64], float]]


class Audit:
    """The attacker's view of one report's hidden cells (see the module docstring)."""

    def __init__(
        self,
        counts: Mapping[Hashable, int],
        relations: Sequence[tuple[Hashable, Sequence[Hashable]]],
        hidden: Mapping[Hashable, str],
        *,
        min_cell: int,
        hide_zero: bool = False,
    ) -> None:
        active = [(t, p) for t, p in relations if t in hidden or any(m in hidden for m in p)]
        self.related = list(dict.fromkeys(m for t, p in active for m in (t, *p) if m in hidden))
        self.cells = self.related
        self._hidden = dict(hidden)
        self.where = {k: i for i, k in enumerate(self.cells)}
        ceiling = float(sum(counts.values()))
        small = (0.0 if hide_zero else 1.0, float(min_cell - 1))
        self._domains = {SECONDARY: (0.0, ceiling), "small": small}
        self.low = np.array([0.0 if hidden[k] == SECONDARY else small[0] for k in self.cells])
        self.high = np.array([ceiling if hidden[k] == SECONDARY else small[1] for k in self.cells])
        self.truth = np.array([float(counts[k]) for k in self.cells])
        self.exact = self._rows(counts, active)
        self.terms = self.exact + self._eliminated(self.exact)
        self.ok = self.propagate(self.low, self.high)

    def _rows(
        self, counts: Mapping[Hashable, int], active: Sequence[tuple[Hashable, Sequence[Hashable]]]
    ) -> Terms:
        rows: Terms = []
        for total, parts in active:
            row = np.zeros(len(self.cells))
            constant = 0.0
            for cell, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
                if cell in self.where:
                    row[self.where[cell]] += sign
                else:
                    constant -= sign * counts[cell]
            index = np.flatnonzero(np.abs(row) > _EPS)
            rows.append((index, row[index], constant))
        return rows

    def _eliminated(self, rows: Terms) -> Terms:
        """The reduced rows of Gauss-Jordan elimination (sums and differences of relations)."""
        if not rows:
            return []
        matrix = np.zeros((len(rows), len(self.cells) + 1))
        for r, (index, coef, constant) in enumerate(rows):
            matrix[r, index], matrix[r, -1] = coef, constant
        lead = 0
        for col in range(len(self.cells)):
            if lead == len(matrix):
                break
            pivot = lead + int(np.argmax(np.abs(matrix[lead:, col])))
            if abs(matrix[pivot, col]) < _EPS:
                continue
            matrix[[lead, pivot]] = matrix[[pivot, lead]]
            matrix[lead] /= matrix[lead, col]
            others = np.arange(len(matrix)) != lead
            matrix[others] -= np.outer(matrix[others, col], matrix[lead])
            lead += 1
        out: Terms = []
        for row in matrix[:lead]:
            index = np.flatnonzero(np.abs(row[:-1]) > _EPS)
            out.append((index, row[:-1][index], float(row[-1])))
        return out

    def propagate(self, low: NDArray[np.float64], high: NDArray[np.float64]) -> bool:
        """Narrow ``low``/``high`` in place to a fixed point; False if no whole numbers fit."""
        for _ in range(_PASSES):
            changed = False
            for index, coef, constant in self.terms:
                lows, highs = low[index], high[index]
                part_low = np.where(coef > 0, coef * lows, coef * highs)
                part_high = np.where(coef > 0, coef * highs, coef * lows)
                rest_low, rest_high = part_low.sum() - part_low, part_high.sum() - part_high
                first, second = (constant - rest_high) / coef, (constant - rest_low) / coef
                new_low = np.ceil(np.where(coef > 0, first, second) - _TOLERANCE)
                new_high = np.floor(np.where(coef > 0, second, first) + _TOLERANCE)
                tighter = (new_low > lows) | (new_high < highs)
                if tighter.any():
                    low[index], high[index] = np.maximum(lows, new_low), np.minimum(highs, new_high)
                    changed = True
                    if (low[index] > high[index]).any():
                        return False
            if not changed:
                return True
        return True

    def bounds(self) -> dict[Hashable, tuple[float, float]]:
        """Each hidden cell's interval after propagation (its mark's range if in no relation)."""
        out = {k: self._domains[SECONDARY if m == SECONDARY else "small"] for k, m in self._hidden.items()}
        out.update({k: (float(self.low[i]), float(self.high[i])) for k, i in self.where.items()})
        return out

    def pinned(self, key: Hashable) -> bool:
        """Whether only one whole number fits the hidden cell ``key``."""
        if key not in self.where:
            lowest, highest = self.bounds()[key]
            return lowest >= highest
        i = self.where[key]
        if self.low[i] >= self.high[i]:
            return True
        value = self.truth[i]
        for below, above in ((value + 1, self.high[i]), (self.low[i], value - 1)):
            if below > above:
                continue
            low, high = self.low.copy(), self.high.copy()
            low[i], high[i] = below, above
            if self._feasible(low, high, [_BUDGET]):  # None (out of budget) counts as pinned
                return False
        return True

    def _feasible(
        self, low: NDArray[np.float64], high: NDArray[np.float64], budget: list[int]
    ) -> bool | None:
        """A whole-number solution inside the box? None when the budget runs out.

        Branches on the narrowest open cell: its true value first (most cells keep
        theirs when one cell moves), then the values below and above it.
        """
        budget[0] -= 1
        if budget[0] < 0:
            return None
        if not self.propagate(low, high):
            return False
        open_ = np.flatnonzero(low < high)
        if not open_.size:
            return all(
                abs(float(coef @ low[index]) - constant) < _TOLERANCE for index, coef, constant in self.exact
            )
        i = int(open_[np.argmin(high[open_] - low[open_])])
        value = self.truth[i]
        if low[i] <= value <= high[i]:
            branches = [(value, value), (low[i], value - 1), (value + 1, high[i])]
        else:
            middle = float(math.floor((low[i] + high[i]) / 2))
            branches = [(low[i], middle), (middle + 1, high[i])]
            if value > middle:
                branches.reverse()
        unknown = False
        for below, above in branches:
            if below > above:
                continue
            left, right = low.copy(), high.copy()
            left[i], right[i] = below, above
            found = self._feasible(left, right, budget)
            if found:
                return True
            unknown = unknown or found is None
        return None if unknown else False
