"""Least-loss secondary suppression for a whole release: cuts, and a mixed-integer program.

The attacker (:meth:`~trivselscore.cohort.suppression.Protector.leaks`) finds every
hidden cell it can pin. For each, :func:`~trivselscore.cohort.moves.cut` lists the
shown cells of which at least one must be hidden to free it (those that free it
on their own, or else every shown cell of its component); a cell hidden to
protect another gets a *conditional* cut (needed only while it is hidden). The
master problem chooses the hidden cells ``h`` (0 or 1 each):

    minimise   sum(cost[c] * h[c])
    subject to sum(h[c] for c in cut) >= 1 (or >= h[cell] for a conditional cut)
               h[count] >= h[denominator]  for a count shown only as a share of it

and scipy's ``milp`` (HiGHS) solves it exactly. The attacker then checks the new
pattern; new pinned cells add new cuts, until none is pinned. Each round's pattern
breaks a cut the earlier ones kept, so no pattern repeats and the loop ends; after
:data:`ROUNDS` rounds (never seen) the greedy engine finishes from the last
pattern, which only hides more. A pinned cell with no shown cell left to hide
widens a mark (:func:`~trivselscore.cohort.moves.widen`) or raises.

This is the cut-generation scheme of Fischetti & Salazar-González, "Solving the
cell suppression problem on tabular data with linear constraints", *Management
Science* 47 (2001), which tau-ARGUS ("optimal") and sdcTable ("OPT") implement
[recalled]; here the cuts come from the exact whole-number attacker, not from the
dual of its linear relaxation.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from trivselscore.cohort.audit import SECONDARY
from trivselscore.cohort.moves import cut, widen
from trivselscore.cohort.suppression import RANGE, DisclosureError
from trivselscore.support.optional import require

if TYPE_CHECKING:
    from trivselscore.cohort.suppression import Protector

__all__ = ["ROUNDS", "solve_optimal"]

ROUNDS: Final = 40
"""The most rounds of cuts before the greedy engine finishes the pattern."""

_SECONDS = 30.0

Key = Hashable
Cut = tuple[tuple[Key, ...], Key | None]


def solve_optimal(guard: Protector, primary: Mapping[Key, str]) -> dict[Key, str]:
    """The marks of the least costly pattern the attacker cannot break (see the module).

    Raises:
        DisclosureError: A pinned cell with nothing left to hide and no mark to widen.
        ImportError: scipy is not installed (the extra ``stats``).
    """
    optimize = require("scipy.optimize", "stats")
    sparse = require("scipy.sparse", "stats")
    cuts: list[Cut] = []
    seen: set[Cut] = set()
    chosen: set[Key] = set()
    forbidden: set[Key] = set()
    widened: dict[Key, tuple[int, int]] = {}
    marks = _marks(guard, primary, chosen, widened)
    for _ in range(ROUNDS):
        guard.rounds += 1
        leaks = guard.leaks(marks)
        if not leaks:
            return marks
        added = False
        for key in leaks:
            cells = cut(guard, key, marks)
            if cells:
                found: Cut = (tuple(cells), key if key in chosen else None)
                if found not in seen:
                    seen.add(found)
                    cuts.append(found)
                    added = True
            elif key in chosen:
                forbidden.add(key)  # pinned whatever is hidden near it: hiding it protects nothing
                added = True
            elif widen(guard, key, marks, guard.audit(marks, key)):
                widened |= {k: guard.ranges[k] for k, m in marks.items() if m == RANGE}
                added = True
            else:
                msg = f"count {key!r} can be worked back from what is shown, and nothing is left to hide"
                raise DisclosureError(msg)
        if not added:
            break
        picked = _master(guard, cuts, forbidden, optimize, sparse)
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


def _master(
    guard: Protector, cuts: list[Cut], forbidden: set[Key], optimize: Any, sparse: Any
) -> set[Key] | None:
    """The cheapest set of cells meeting every cut (None when the solver finds none in time)."""
    cells = list(
        dict.fromkeys(
            c for found, condition in cuts for c in (*found, *(() if condition is None else (condition,)))
        )
    )
    shares = [(c, d) for c, d in guard.via.items() if d in cells or c in cells]
    cells = list(dict.fromkeys([*cells, *(c for c, _ in shares), *(d for _, d in shares)]))
    cells = [c for c in cells if c in guard.counts and c not in guard.unpublished]
    column = {c: i for i, c in enumerate(cells)}
    rows, cols, vals, lower = [], [], [], []
    for r, (found, condition) in enumerate(cuts):
        for c in found:
            if c in column:
                rows.append(r)
                cols.append(column[c])
                vals.append(1.0)
        if condition is not None and condition in column:
            rows.append(r)
            cols.append(column[condition])
            vals.append(-1.0)
            lower.append(0.0)
        else:
            lower.append(1.0)
    base = len(cuts)
    links = [(c, d) for c, d in shares if c in column and d in column]
    for r, (count, denominator) in enumerate(links):
        rows += [base + r, base + r]
        cols += [column[count], column[denominator]]
        vals += [1.0, -1.0]
        lower.append(0.0)
    matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(lower), len(cells)))
    costs = np.array([guard.cost(c) + guard.counts[c] * 1e-6 for c in cells])
    high = np.array([0.0 if c in forbidden else 1.0 for c in cells])
    result = optimize.milp(
        costs,
        constraints=[optimize.LinearConstraint(matrix, np.array(lower), np.inf)],
        integrality=np.ones(len(cells)),
        bounds=optimize.Bounds(np.zeros(len(cells)), high),
        options={"time_limit": _SECONDS},
    )
    if result.x is None:
        return None
    return {c for c, x in zip(cells, result.x, strict=True) if x > 0.5}
