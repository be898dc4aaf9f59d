"""Least-loss secondary suppression for a whole release: protecting sets and a mixed-integer program.

A hidden cell ``p`` is safe when the attacker can move it: some other whole-number
table agrees with everything published and gives ``p`` another value. Such a
*perturbation* ``d`` keeps every relation (``A d = 0``), moves ``p`` by one, and
moves no shown cell; every cell it moves must stay inside what its mark promises
(a ``<5`` cell inside 1-4, a ``skjult`` one at least ``min_cell`` or 0, a count the
report never shows at least 0). So ``p`` is protected by hiding the shown cells a
perturbation moves: a *protecting set*.

For every cell the attacker pins (:meth:`~trivselscore.cohort.suppression.Protector.leaks`),
:meth:`Perturbations.protecting_set` finds the cheapest protecting set with a
linear program over every relation of the release (scipy's HiGHS; the cost of
moving a cell is the cost of hiding it), moving ``p`` up and down (the cheaper
wins). A small set (at most three cells) also protects the other pinned
cells its perturbation moves, which then need no search of their own; a larger
one is added to their choices. The *master* problem then
chooses the hidden cells ``h`` (0 or 1) and, for each pinned cell, one of its
protecting sets ``z``:

    minimise   sum(cost[c] * h[c])
    subject to sum(z[p, k] for k) >= 1      (>= h[p] for a cell hidden to protect another)
               h[c] >= z[p, k]              for every cell c of protecting set k of p

which scipy's ``milp`` solves exactly. The whole-number attacker then checks the
pattern; a cell it still pins gets another protecting set (on a second try over
whole numbers only), until none is pinned. After :data:`ROUNDS` rounds (never
seen) the greedy engine finishes from the last pattern, which only hides more.
A pinned cell that no shown cell can free widens a mark
(:func:`~trivselscore.cohort.moves.widen`), or the engine raises.

A zero hidden to protect another is published as ``0-4`` (a mark of ``skjult``
would say "0 or at least 5", so it could move only by jumps of five): only the
cheapest counts (cost at most 1, the first page's totals over the time points)
are moved that way, so that a total of zero forms not scored printed on the first
page never forces a level table's n to be hidden.

This is the model of Kelly, Golden & Assad (1992) and Fischetti &
Salazar-González, "Models and algorithms for the 2-dimensional cell suppression
problem in statistical disclosure control", *Mathematical Programming* 84 (1999),
which tau-ARGUS ("optimal") and the R package sdcTable ("OPT") implement
[recalled], solved here by generating each cell's protecting sets on demand.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from trivselscore.cohort import exact
from trivselscore.cohort.audit import SECONDARY, Domain
from trivselscore.cohort.guard import RANGE
from trivselscore.cohort.moves import widen
from trivselscore.support.optional import require

if TYPE_CHECKING:
    from trivselscore.cohort.guard import Guard as Protector

__all__ = ["ROUNDS", "Perturbations", "solve_optimal"]

ROUNDS: Final = 30
"""The most rounds of the attacker before the greedy engine finishes the pattern."""

_SECONDS = 30.0
_WIDEN = 50.0
_TRIES = 3
_SPARE = 1.0
_SHARED = 3
_FREE = 1e-3
_TINY = 1e-7

Key = Hashable
Found = tuple[frozenset[Key], frozenset[Key], frozenset[Key]]
"""A protecting set: the cells to hide, the ``<5`` marks to widen, every cell the perturbation moves."""


def solve_optimal(guard: Protector, primary: Mapping[Key, str]) -> dict[Key, str]:
    """The marks of the least costly pattern the attacker cannot break (see the module).

    Raises:
        DisclosureError: A pinned cell with nothing left to hide and no mark to widen.
        ImportError: scipy is not installed (the extra ``stats``).
    """
    search = _Search(guard, primary)
    for _ in range(ROUNDS):
        guard.rounds += 1
        leaks = exact.leaks(guard, search.marks)
        if not leaks:
            return search.marks
        system = Perturbations(guard, search.marks, search.optimize, search.sparse)
        added, freed = False, set[Key]()
        for key in leaks:  # a protecting set that moves other pinned cells protects them as well
            if key not in freed:
                added |= search.protect(key, system, leaks, freed)
        if not added or not search.choose():
            break
    guard.greedy(search.marks)
    return search.marks


class _Search:
    """The protecting sets found so far, the widened marks, and the pattern the master chose."""

    def __init__(self, guard: Protector, primary: Mapping[Key, str]) -> None:
        self.optimize = require("scipy.optimize", "stats")
        self.sparse = require("scipy.sparse", "stats")
        self.guard, self.primary = guard, primary
        self.columns: dict[Key, list[frozenset[Key]]] = {}
        self.tries: dict[Key, int] = {}
        self.conditional: set[Key] = set()
        self.forbidden: set[Key] = set()
        self.chosen: set[Key] = set()
        self.widened: dict[Key, tuple[int, int]] = {}
        self.marks = self._marks()

    def _marks(self) -> dict[Key, str]:
        guard = self.guard
        marks = dict(self.primary) | dict.fromkeys(
            sorted(self.chosen - set(self.primary), key=repr), SECONDARY
        )
        guard.ranges = {k: v for k, v in self.widened.items() if k in marks}
        if not guard.hide_zero:  # a zero hidden to protect another reads 0-4 (skjult would say 0 or >= 5)
            top = guard.min_cell - 1
            guard.ranges |= {k: (0, top) for k in marks if k not in self.primary and guard.counts[k] == 0}
        for key in guard.ranges:
            marks[key] = RANGE
        return marks

    def protect(self, key: Key, system: Perturbations, leaks: Sequence[Key], freed: set[Key]) -> bool:
        """Add a protecting set for a pinned cell (or widen a mark); whether anything was added.

        The other ``leaks`` the same perturbation moves get the set too (into ``freed``).
        Where no perturbation of the published cells moves ``key`` and no mark can be
        widened, nothing is added: :func:`solve_optimal` then ends with the greedy engine,
        which hides more or raises :class:`~trivselscore.cohort.guard.DisclosureError`.
        """
        self.tries[key] = self.tries.get(key, 0) + 1
        if self.tries[key] > _TRIES:
            return False
        whole = self.tries[key] > 1
        found = system.protecting_set(key, whole=whole)
        widened = False
        if found is None:  # the marks alone pin it: widen a <5 to 0-4 where that frees it
            found = system.protecting_set(key, whole=whole, widening=True)
            for cell in found[1] if found is not None else ():
                self.widened[cell] = (0, self.guard.min_cell - 1)
                widened = True
        if found is not None:
            if found[0] in self.columns.get(key, []):
                return widened
            small = len(found[0]) <= _SHARED  # a small set: the others it frees need no search of their own
            for other in [key, *(k for k in leaks if k in found[2] and k not in freed)]:
                if other == key or small:
                    freed.add(other)
                self._column(other, found[0])
            return True
        if key in self.chosen:
            self.forbidden.add(key)  # pinned whatever is hidden: hiding it protects nothing
            return True
        if not widen(self.guard, key, self.marks, self.guard.audit(self.marks, key)):
            return False  # no perturbation moves it here: the greedy engine hides more, or raises
        self.widened |= {k: self.guard.ranges[k] for k, m in self.marks.items() if m == RANGE}
        return True

    def _column(self, key: Key, cells: frozenset[Key]) -> None:
        """A protecting set of ``key`` (needed only while ``key`` is hidden, for a cell hidden to protect)."""
        if cells not in self.columns.get(key, []):
            self.columns.setdefault(key, []).append(cells)
        if key not in self.primary and key in self.marks:
            self.conditional.add(key)

    def choose(self) -> bool:
        """Solve the master problem; whether it found a pattern."""
        picked = _master(self)
        if picked is None:
            return False
        self.chosen = picked
        self.marks = self._marks()
        return True


def _price(guard: Protector, key: Key) -> float:
    """What hiding a cell loses: its cost, and among equals the larger count (a wider range)."""
    return guard.cost(key) * (1.0 + guard.counts[key] / 1000.0)


def _room(guard: Protector, key: Key, unknown: Mapping[Key, Domain]) -> tuple[float, float, bool]:
    """How far a cell may move (down, up) and whether moving it means hiding it (a decision cell)."""
    value = float(guard.counts[key])
    if key in guard.unpublished:
        return value, math.inf, False  # never shown: any count
    if key in unknown and not unknown[key].gap and unknown[key].low < guard.min_cell:
        low, high, _ = unknown[key]
        return value - low, high - value, False  # a small count (or a range): inside its mark
    if value == 0 and not guard.hide_zero:
        top = guard.min_cell - 1.0 if guard.cost(key) <= _SPARE else 0.0
        return 0.0, top, True  # kept still, but a bookkeeping zero may be published as 0-4
    return value - guard.min_cell, math.inf, True  # shown, or hidden to protect another: >= min_cell


class Perturbations:
    """Every relation as a linear program, to find the cheapest protecting set of one cell after another.

    Built once per pattern of marks: a perturbation ``d = plus - minus`` keeps every
    relation; each cell moves only within what its mark would promise; moving a
    decision cell (a published count not small) costs what hiding it costs.
    """

    def __init__(
        self,
        guard: Protector,
        marks: Mapping[Key, str],
        optimize: Any,  # noqa: ANN401 - scipy.optimize (optional)
        sparse: Any,  # noqa: ANN401 - scipy.sparse (optional)
    ) -> None:
        self.guard, self.marks, self.optimize = guard, marks, optimize
        self.unknown = guard.unknown(marks)
        self.cells = list(dict.fromkeys(m for t, p in guard.relations for m in (t, *p)))
        self.column = {c: i for i, c in enumerate(self.cells)}
        width = len(self.cells)
        rows, cols, vals = [], [], []
        for r, (total, parts) in enumerate(guard.relations):
            for cell, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
                rows += [r, r]
                cols += [self.column[cell], width + self.column[cell]]
                vals += [sign, -sign]
        matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(guard.relations), 2 * width))
        self.constraints = [optimize.LinearConstraint(matrix, 0.0, 0.0)] if guard.relations else []
        self.down, self.up = np.zeros(width), np.zeros(width)
        self.cost, self.decision = np.zeros(width), np.zeros(width, dtype=bool)
        for cell, i in self.column.items():
            self.down[i], self.up[i], self.decision[i] = _room(guard, cell, self.unknown)
            self.cost[i] = _price(guard, cell) if self.decision[i] else _FREE
        small = f"<{guard.min_cell}"
        self.widenable = np.array(
            [marks.get(c) == small and not guard.hide_zero for c in self.cells], dtype=bool
        )
        self.values = np.array([float(guard.counts[c]) for c in self.cells])

    def protecting_set(
        self, key: Key, *, whole: bool, widening: bool = False, frozen: frozenset[Key] = frozenset()
    ) -> Found | None:
        """The cheapest cells whose hiding frees ``key``, the marks to widen, the cells moved (None: none).

        Move ``key`` by one (up, and down: the cheaper wins), keep every relation,
        move each cell within what its mark would promise (``whole=True``: by whole
        numbers), never a cell of ``frozen``. ``widening=True`` (when the ``<5``
        marks alone pin ``key``): a ``<5`` cell may also go down to 0, at a cost,
        which widens its mark to ``0-4``.
        """
        if key not in self.column:
            return None
        i = self.column[key]
        down, up, falls = self.down.copy(), self.up.copy(), self.cost.copy()
        if widening:
            lower = self.widenable.copy()
            lower[i] = False
            down[lower], falls[lower] = self.values[lower], _WIDEN
        still = [self.column[c] for c in frozen if c in self.column and c != key]
        down[still], up[still] = 0.0, 0.0
        width = len(self.cells)
        best: tuple[float, Found] | None = None
        for sign in (1.0, -1.0):
            if (up[i] if sign > 0 else down[i]) < 1:
                continue
            high = np.concatenate([np.minimum(up, 1e6), np.minimum(down, 1e6)])
            low = np.zeros(2 * width)
            low[i if sign > 0 else width + i] = 1.0
            high[width + i if sign > 0 else i] = 0.0
            result = self.optimize.milp(
                np.concatenate([self.cost, falls]),
                constraints=self.constraints,
                integrality=np.full(2 * width, 1.0 if whole else 0.0),
                bounds=self.optimize.Bounds(low, high),
                options={"time_limit": _SECONDS},
            )
            if result.x is not None and (best is None or result.fun < best[0] - _TINY):
                best = (float(result.fun), self._found(result.x, i, whole=whole))
        return None if best is None else best[1]

    def _found(self, x: Any, i: int, *, whole: bool) -> Found:  # noqa: ANN401 - a scipy array
        width = len(self.cells)
        change = x[:width] - x[width:]
        moved = (np.abs(change) > _TINY) & self.decision
        moved[i] = False
        wider = self.widenable & (self.values + change < 1 - _TINY)
        shifted = np.abs(change) >= (1 - _TINY if whole else _TINY)
        return (
            frozenset(c for c, m in zip(self.cells, moved, strict=True) if m),
            frozenset(c for c, w in zip(self.cells, wider, strict=True) if w),
            frozenset(c for c, m in zip(self.cells, shifted, strict=True) if m),
        )


def _master(search: _Search) -> set[Key] | None:
    """The cheapest cells to hide so that every pinned cell gets one of its protecting sets."""
    guard, columns, conditional, forbidden = (
        search.guard,
        search.columns,
        search.conditional,
        search.forbidden,
    )
    optimize, sparse = search.optimize, search.sparse
    cells = sorted({c for sets in columns.values() for found in sets for c in found} | conditional, key=repr)
    cells = [c for c in cells if c not in guard.unpublished]
    h = {c: i for i, c in enumerate(cells)}
    z = [(key, found) for key, sets in columns.items() for found in sets]
    width = len(cells) + len(z)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []

    def constraint(terms: list[tuple[int, float]], bound: float) -> None:
        for col, val in terms:
            rows.append(len(lower))
            cols.append(col)
            vals.append(val)
        lower.append(bound)

    for key in columns:
        choices = [(len(cells) + j, 1.0) for j, (k, _) in enumerate(z) if k == key]
        if key in conditional and key in h:
            constraint([*choices, (h[key], -1.0)], 0.0)
        else:
            constraint(choices, 1.0)
    for j, (_, found) in enumerate(z):
        for cell in found:
            if cell in h:
                constraint([(h[cell], 1.0), (len(cells) + j, -1.0)], 0.0)
    matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(lower), width))
    costs = np.concatenate([[_price(guard, c) for c in cells], np.zeros(len(z))])
    result = optimize.milp(
        costs,
        constraints=[optimize.LinearConstraint(matrix, np.array(lower), np.inf)] if lower else [],
        integrality=np.ones(width),
        bounds=optimize.Bounds(
            np.zeros(width), np.array([0.0 if c in forbidden else 1.0 for c in cells] + [1.0] * len(z))
        ),
        options={"time_limit": _SECONDS},
    )
    if result.x is None:
        return None
    return {c for c in cells if result.x[h[c]] > 0.5}  # noqa: PLR2004 - a binary's 1
