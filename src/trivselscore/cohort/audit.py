"""The attacker that suppression is checked against: which hidden counts can be worked back?

The attacker knows every shown count, the relations the report publishes
(``total = sum(parts)``), that counts are whole numbers, and what each hidden
cell's mark promises of it, as a :class:`Domain`:

* ``"<5"``: 1 to ``min_cell - 1`` (0 to ``min_cell - 1`` with ``hide_zero``);
* ``"hidden"`` (*skjult*) on a cell hidden to protect another: it would have been
  shown, so it is 0 or at least ``min_cell`` (a *gap*; at least ``min_cell`` with
  ``hide_zero``);
* a range ``a-b``: from a to b;
* a count the report never shows, or shows only as a share of a hidden
  denominator: any whole number from 0 to the sum of all counts (*plain*).

A hidden count is *worked back* (pinned) when only one whole number fits all of that.

:class:`Audit` decides this exactly: interval propagation over the relations
and their combinations (Gauss-Jordan elimination) narrows every cell; a cell
still open is proven free by a second whole-number solution, found either by
moving the truth along a direction that keeps every relation (the null space) or
by a search (branching on the narrowest cell, the true value's side first). When
the search runs out of budget, the cell is taken as worked back, so that more is
hidden, never less. The bounds it narrows to are outer bounds: every whole-number
solution lies inside them, so publishing them tells an attacker nothing new.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = ["SECONDARY", "Audit", "Domain"]

SECONDARY = "hidden"
"""The mark of a cell hidden to protect another (*skjult*: 0 or at least ``min_cell``)."""

_EPS = 1e-9
_TOLERANCE = 1e-6
_PASSES = 100
_BUDGET = 400

Terms = list[tuple[NDArray[np.intp], NDArray[np.float64], float]]


class Domain(NamedTuple):
    """What a hidden cell's mark promises: from ``low`` to ``high``, and with ``gap`` never 1..min_cell-1."""

    low: float
    high: float
    gap: bool = False


class Audit:
    """The attacker's view of one report's hidden cells (see the module docstring).

    Args:
        counts: Every count (shown or not): the shown ones are the known values,
            the hidden ones the truth the search starts from.
        relations: ``(total, parts)``: ``total = sum(parts)``.
        domains: Each hidden cell's :class:`Domain`; a cell without one is shown.
        min_cell: The threshold the gaps refer to.
    """

    def __init__(
        self,
        counts: Mapping[Hashable, int],
        relations: Sequence[tuple[Hashable, Sequence[Hashable]]],
        domains: Mapping[Hashable, Domain],
        *,
        min_cell: int,
    ) -> None:
        active = [(t, p) for t, p in relations if t in domains or any(m in domains for m in p)]
        self.cells = list(dict.fromkeys(m for t, p in active for m in (t, *p) if m in domains))
        self._domains = dict(domains)
        self.where = {k: i for i, k in enumerate(self.cells)}
        self.min_cell = float(min_cell)
        self.gap = np.array([self._domains[k].gap for k in self.cells], dtype=bool)
        self.low = np.array([float(self._domains[k].low) for k in self.cells])
        self.high = np.array([float(self._domains[k].high) for k in self.cells])
        self.truth = np.array([float(counts[k]) for k in self.cells])
        self.pivots: list[int] = []
        self.reduced: NDArray[np.float64] = np.zeros((0, len(self.cells)))
        self.exact = self._rows(counts, active)
        self.terms = self.exact + self._eliminated(self.exact)
        self._matrix = np.zeros((len(self.terms), len(self.cells)))
        self._constant = np.zeros((len(self.terms), 1))
        for r, (index, coef, constant) in enumerate(self.terms):
            self._matrix[r, index], self._constant[r, 0] = coef, constant
        self._directions: list[NDArray[np.float64]] | None = None
        self.verdicts: dict[Hashable, bool] = {}
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
        self.pivots = []
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
            self.pivots.append(col)
            lead += 1
        self.reduced = matrix[:lead, :-1]
        out: Terms = []
        for row in matrix[:lead]:
            index = np.flatnonzero(np.abs(row[:-1]) > _EPS)
            out.append((index, row[:-1][index], float(row[-1])))
        return out

    def _gaps(self, low: NDArray[np.float64], high: NDArray[np.float64]) -> bool:
        """A cell with a gap is 0 or at least ``min_cell``: close the gap; False if empty."""
        inside_low = self.gap & (low > 0) & (low < self.min_cell)
        inside_high = self.gap & (high > 0) & (high < self.min_cell)
        low[inside_low] = self.min_cell
        high[inside_high] = 0.0
        return not bool((low > high).any())

    def propagate(self, low: NDArray[np.float64], high: NDArray[np.float64]) -> bool:
        """Narrow ``low``/``high`` in place to a fixed point; False if no whole numbers fit.

        Every relation narrows every cell in it at once: a cell lies between what is
        left of the constant when the others take their extreme values.
        """
        if not self._gaps(low, high):
            return False
        matrix, constant = self._matrix, self._constant
        if not len(matrix):
            return True
        positive, present = matrix > 0, matrix != 0
        divisor = np.where(present, matrix, 1.0)
        for _ in range(_PASSES):
            part_low = np.where(positive, matrix * low, matrix * high)
            part_high = np.where(positive, matrix * high, matrix * low)
            rest_low = part_low.sum(axis=1, keepdims=True) - part_low
            rest_high = part_high.sum(axis=1, keepdims=True) - part_high
            first, second = (constant - rest_high) / divisor, (constant - rest_low) / divisor
            new_low = np.where(present, np.ceil(np.where(positive, first, second) - _TOLERANCE), -np.inf)
            new_high = np.where(present, np.floor(np.where(positive, second, first) + _TOLERANCE), np.inf)
            lowest, highest = np.maximum(low, new_low.max(axis=0)), np.minimum(high, new_high.min(axis=0))
            if (lowest == low).all() and (highest == high).all():
                return True
            low[:], high[:] = lowest, highest
            if not self._gaps(low, high):
                return False
        return True

    def bounds(self) -> dict[Hashable, tuple[float, float]]:
        """Each hidden cell's interval after propagation (its domain if in no relation)."""
        out = {k: (float(d.low), float(d.high)) for k, d in self._domains.items()}
        out.update({k: (float(self.low[i]), float(self.high[i])) for k, i in self.where.items()})
        return out

    def pinned(self, key: Hashable) -> bool:
        """Whether only one whole number fits the hidden cell ``key``."""
        if key not in self.where:
            lowest, highest, gap = self._domains[key]
            return lowest >= highest or (gap and lowest == 0 and 0 < highest < self.min_cell)
        i = self.where[key]
        if not self.ok or self.low[i] >= self.high[i]:
            return True
        if self._moves(i):
            return False
        value = self.truth[i]
        for below, above in ((value + 1, self.high[i]), (self.low[i], value - 1)):
            if below > above:
                continue
            low, high = self.low.copy(), self.high.copy()
            low[i], high[i] = below, above
            if self._feasible(low, high, [_BUDGET]):  # None (out of budget) counts as pinned
                return False
        return True

    def directions(self) -> list[NDArray[np.float64]]:
        """The null-space basis of the relations: one direction per cell no pivot fixes."""
        if self._directions is None:
            pivots = set(self.pivots)
            found = []
            for f in (f for f in range(len(self.cells)) if f not in pivots):
                direction = np.zeros(len(self.cells))
                direction[f] = 1.0
                for row, pivot in enumerate(self.pivots):
                    direction[pivot] = -self.reduced[row, f]
                found.append(direction)
            self._directions = found
        return self._directions

    def _moves(self, i: int) -> bool:
        """A quick second solution: the truth moved along one direction that keeps every relation.

        A few whole steps along each null-space direction that moves cell ``i`` are
        tried against every cell's range (and the gaps).
        """
        for direction in self.directions():
            if abs(direction[i]) < _EPS:
                continue
            scale = 1.0 / abs(direction[i])  # move cell i by whole steps
            for step in range(1, int(self.min_cell) + 2):
                for sign in (1.0, -1.0):
                    moved = self.truth + sign * step * scale * direction
                    if self._fits(moved):
                        return True
        return False

    def _fits(self, values: NDArray[np.float64]) -> bool:
        """Whether ``values`` are whole numbers in every range that satisfy every relation."""
        whole = np.round(values)
        if (np.abs(values - whole) > _TOLERANCE).any():
            return False
        if (whole < self.low).any() or (whole > self.high).any():
            return False
        if (self.gap & (whole > 0) & (whole < self.min_cell)).any():
            return False
        return all(
            abs(float(coef @ whole[index]) - constant) < _TOLERANCE for index, coef, constant in self.exact
        )

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
