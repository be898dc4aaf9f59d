"""Least-loss secondary suppression for a whole release: protecting sets and a mixed-integer program.

A hidden cell ``p`` is safe when the attacker can move it: some other whole-number
table agrees with everything published and gives ``p`` another value. Such a
*perturbation* ``d`` keeps every relation (``A d = 0``), moves ``p`` by one, and
moves no shown cell; every cell it moves must stay inside what its mark promises
(a ``<5`` cell inside 1-4, a ``skjult`` one at least ``min_cell`` or 0, a count the
report never shows at least 0). So ``p`` is protected by hiding the shown cells a
perturbation moves: a *protecting set*.

For every cell the attacker pins (:meth:`~trivselscore.cohort.suppression.Protector.leaks`),
:func:`protecting_set` finds the cheapest protecting set with a linear program
(scipy's HiGHS; the cost of moving a cell is the cost of hiding it, and the
cells near ``p``, a few relations away, may move). The *master* problem then
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

This is the model of Kelly, Golden & Assad (1992) and Fischetti &
Salazar-González, "Models and algorithms for the 2-dimensional cell suppression
problem in statistical disclosure control", *Mathematical Programming* 84 (1999),
which tau-ARGUS ("optimal") and the R package sdcTable ("OPT") implement
[recalled], solved here by generating each cell's protecting sets on demand.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from trivselscore.cohort import exact
from trivselscore.cohort.audit import SECONDARY, Domain
from trivselscore.cohort.moves import widen
from trivselscore.cohort.suppression import RANGE, DisclosureError
from trivselscore.support.optional import require

if TYPE_CHECKING:
    from trivselscore.cohort.suppression import Protector

__all__ = ["DEPTH", "ROUNDS", "protecting_set", "solve_optimal"]

ROUNDS: Final = 30
"""The most rounds of the attacker before the greedy engine finishes the pattern."""

DEPTH: Final = 8
"""How many relations away from a pinned cell its perturbation may reach."""

_SECONDS = 30.0
_TRIES = 3
_FREE = 1e-3

Key = Hashable


def solve_optimal(guard: Protector, primary: Mapping[Key, str]) -> dict[Key, str]:
    """The marks of the least costly pattern the attacker cannot break (see the module).

    Raises:
        DisclosureError: A pinned cell with nothing left to hide and no mark to widen.
        ImportError: scipy is not installed (the extra ``stats``).
    """
    optimize = require("scipy.optimize", "stats")
    sparse = require("scipy.sparse", "stats")
    columns: dict[Key, list[frozenset[Key]]] = {}
    tries: dict[Key, int] = {}
    conditional: set[Key] = set()
    chosen: set[Key] = set()
    widened: dict[Key, tuple[int, int]] = {}
    marks = _marks(guard, primary, chosen, widened)
    for _ in range(ROUNDS):
        guard.rounds += 1
        leaks = exact.leaks(guard, marks)
        if not leaks:
            return marks
        added = False
        for key in leaks:
            tries[key] = tries.get(key, 0) + 1
            if tries[key] > _TRIES:
                continue
            found = protecting_set(guard, key, marks, whole=tries[key] > 1, optimize=optimize, sparse=sparse)
            if found is not None and found not in columns.get(key, []):
                columns.setdefault(key, []).append(found)
                if key not in primary and key in marks:
                    conditional.add(key)
                added = True
            elif found is None and key not in chosen:
                if not widen(guard, key, marks, guard.audit(marks, key)):
                    msg = f"count {key!r} can be worked back from what is shown, and nothing is left to hide"
                    raise DisclosureError(msg)
                widened |= {k: guard.ranges[k] for k, m in marks.items() if m == RANGE}
                added = True
        if not added:
            break
        picked = _master(guard, columns, conditional, optimize=optimize, sparse=sparse)
        if picked is None:
            break
        chosen = picked
        marks = _marks(guard, primary, chosen, widened)
    guard.greedy(marks)
    return marks


def _marks(
    guard: Protector, primary: Mapping[Key, str], chosen: set[Key], widened: Mapping[Key, tuple[int, int]]
) -> dict[Key, str]:
    marks = dict(primary) | dict.fromkeys(sorted(chosen - set(primary), key=repr), SECONDARY)
    guard.ranges = {k: v for k, v in widened.items() if k in marks}
    for key in guard.ranges:
        marks[key] = RANGE
    return marks


def _price(guard: Protector, key: Key) -> float:
    """What hiding a cell loses: its cost, and among equals the larger count (a wider range)."""
    return guard.cost(key) * (1.0 + guard.counts[key] / 1000.0)


def _near(guard: Protector, key: Key) -> tuple[list[Key], list[int]]:
    """The cells at most :data:`DEPTH` relations from ``key``, and the relations among them."""
    cells, frontier, numbers = {key}, [key], set()
    for _ in range(DEPTH):
        following = []
        for cell in frontier:
            for number in guard.index.get(cell, ()):
                numbers.add(number)
                total, parts = guard.relations[number]
                for member in (total, *parts):
                    if member not in cells:
                        cells.add(member)
                        following.append(member)
        frontier = following
    for cell in frontier:  # the farthest cells keep every relation they are in (the rest stands still)
        numbers.update(guard.index.get(cell, ()))
    return sorted(cells, key=repr), sorted(numbers)


def _room(guard: Protector, key: Key, unknown: Mapping[Key, Domain]) -> tuple[float, float, bool]:
    """How far a cell may move (down, up) and whether moving it means hiding it (a decision cell)."""
    value = float(guard.counts[key])
    if key in guard.unpublished:
        return value, math.inf, False  # never shown: any count
    if key in unknown and not unknown[key].gap and unknown[key].low < guard.min_cell:
        low, high, _ = unknown[key]
        return value - low, high - value, False  # a small count (or a range): inside its mark
    if value == 0 and not guard.hide_zero:
        return 0.0, 0.0, True  # a hidden zero can only jump past the gap: kept still
    return value - guard.min_cell, math.inf, True  # shown, or hidden to protect another: >= min_cell


def protecting_set(  # noqa: PLR0913 - the pinned cell, the pattern, then how to solve
    guard: Protector,
    key: Key,
    marks: Mapping[Key, str],
    *,
    whole: bool,
    optimize: Any,  # noqa: ANN401 - scipy.optimize (optional)
    sparse: Any,  # noqa: ANN401 - scipy.sparse (optional)
) -> frozenset[Key] | None:
    """The cheapest set of cells whose hiding lets the attacker move ``key`` (None: none near it).

    A linear program over the cells near ``key`` (``whole=True``: over whole
    numbers): move ``key`` by one, up or down, keep every relation, move each
    cell only within what its mark would promise, at the cost of hiding each
    cell moved (published cells; a cell never shown moves almost for free).
    """
    unknown = guard.unknown(marks)
    cells, numbers = _near(guard, key)
    column = {c: i for i, c in enumerate(cells)}
    width = len(cells)
    rows, cols, vals = [], [], []
    for r, number in enumerate(numbers):
        total, parts = guard.relations[number]
        for cell, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
            if cell in column:  # d = plus - minus
                rows += [r, r]
                cols += [column[cell], width + column[cell]]
                vals += [sign, -sign]
    matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(numbers), 2 * width))
    down, up, cost = np.zeros(width), np.zeros(width), np.zeros(width)
    for cell, i in column.items():
        below, above, decision = _room(guard, cell, unknown)
        down[i], up[i] = below, above
        cost[i] = _price(guard, cell) if decision else _FREE
    best: tuple[float, frozenset[Key]] | None = None
    i = column[key]
    for sign in (1.0, -1.0):
        if (up[i] if sign > 0 else down[i]) < 1:
            continue
        high = np.concatenate([np.minimum(up, 1e6), np.minimum(down, 1e6)])
        low = np.zeros(2 * width)
        low[i if sign > 0 else width + i] = 1.0
        high[width + i if sign > 0 else i] = 0.0
        result = optimize.milp(
            np.concatenate([cost, cost]),
            constraints=[optimize.LinearConstraint(matrix, 0.0, 0.0)] if len(numbers) else [],
            integrality=np.full(2 * width, 1.0 if whole else 0.0),
            bounds=optimize.Bounds(low, high),
            options={"time_limit": _SECONDS},
        )
        if result.x is None:
            continue
        moved = np.abs(result.x[:width] - result.x[width:]) > 1e-7
        found = frozenset(c for c in cells if moved[column[c]] and c != key and _room(guard, c, unknown)[2])
        price = sum(guard.cost(c) for c in found)
        if best is None or price < best[0]:
            best = (price, found)
    return None if best is None else best[1]


def _master(
    guard: Protector,
    columns: Mapping[Key, list[frozenset[Key]]],
    conditional: set[Key],
    *,
    optimize: Any,  # noqa: ANN401 - scipy.optimize (optional)
    sparse: Any,  # noqa: ANN401 - scipy.sparse (optional)
) -> set[Key] | None:
    """The cheapest cells to hide so that every pinned cell gets one of its protecting sets."""
    cells = sorted({c for sets in columns.values() for found in sets for c in found} | conditional, key=repr)
    cells = [c for c in cells if c not in guard.unpublished]
    h = {c: i for i, c in enumerate(cells)}
    z = [(key, found) for key, sets in columns.items() for found in sets]
    width = len(cells) + len(z)
    rows, cols, vals, lower = [], [], [], []

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
        bounds=optimize.Bounds(np.zeros(width), np.ones(width)),
        options={"time_limit": _SECONDS},
    )
    if result.x is None:
        return None
    return {c for c in cells if result.x[h[c]] > 0.5}  # noqa: PLR2004 - a binary's 1
