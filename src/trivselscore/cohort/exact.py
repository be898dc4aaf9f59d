"""The whole-number attacker over mixed-integer programs, for releases too big to search by hand.

The same attacker as :class:`~trivselscore.cohort.audit.Audit` (every shown count,
every relation, whole numbers, what each mark promises: a ``skjult`` cell is 0 or
at least ``min_cell`` through a 0/1 variable), asked with scipy's HiGHS: a hidden
cell is free as soon as a whole-number solution gives it another value than its
true one. One program per group of linked unknown cells pushes every cell still
in question away from its truth at once (up, then down), which settles most of
them in a few solves; each cell left is asked on its own (``x >= truth + 1``, then
``x <= truth - 1``; a solution found that way moves other cells too, which are then
settled). A cell no solution moves is pinned. A count the relations give away on
their own (:meth:`~trivselscore.cohort.suppression.Protector.derived`), or that
interval propagation fixes, is pinned without a solve.

Every solution is kept (the cells it moves) while the engine searches: hiding
more only widens the program, so a solution that still fits the marks frees its
cells in the next round without a solve.

No answer of HiGHS is taken on trust: a solution must meet every bound and
relation (else it is asked again without presolve), and "infeasible" is asked
again without presolve (HiGHS's MIP presolve has called feasible programs
infeasible: the release property found one). Without any answer a cell counts as
pinned, and a bound as its mark's own limit: the engine then hides more, never less.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from trivselscore.cohort.audit import Audit
from trivselscore.cohort.guard import linked
from trivselscore.support.optional import require

if TYPE_CHECKING:
    from trivselscore.cohort.audit import Domain
    from trivselscore.cohort.guard import Guard as Protector

__all__ = ["bounds", "leaks", "pinned"]

Key = Hashable
_PUSHES = 4
_KEPT = 200


def leaks(guard: Protector, marks: Mapping[Key, str]) -> list[Key]:
    """Every critical hidden cell the attacker pins (as :meth:`Protector.leaks`, solved by HiGHS)."""
    optimize = require("scipy.optimize", "stats")
    sparse = require("scipy.sparse", "stats")
    unknown = guard.unknown(marks)
    derived = guard.derived(unknown)
    found = [k for k in unknown if k in derived and guard.critical(k, unknown, marks)]
    free = _witnessed(guard, unknown)
    for members, numbers in linked([k for k in unknown if k not in derived], guard.relations, guard.index):
        critical = [k for k in members if k not in free and guard.critical(k, unknown, marks)]
        if not critical:
            continue
        relations = [guard.relations[n] for n in numbers]
        narrowed = Audit(guard.counts, relations, {k: unknown[k] for k in members}, min_cell=guard.min_cell)
        sure = {k for k, (low, high) in narrowed.bounds().items() if low >= high or not narrowed.ok}
        found += [k for k in critical if k in sure]  # interval propagation pins these: no solve needed
        rest = [k for k in critical if k not in sure]
        if rest:
            found += _Program(guard, members, numbers, unknown, optimize, sparse).pinned(rest)
    return found


def pinned(guard: Protector, marks: Mapping[Key, str], key: Key) -> bool:
    """Whether the attacker pins the hidden cell ``key`` (its group of linked cells only)."""
    optimize = require("scipy.optimize", "stats")
    sparse = require("scipy.sparse", "stats")
    unknown = guard.unknown(marks)
    derived = guard.derived(unknown)
    if key in derived:
        return True
    if key in _witnessed(guard, unknown):
        return False
    open_ = {k for k in unknown if k not in derived}
    numbers = guard.component(key, open_)
    members = sorted(
        {m for n in numbers for m in (guard.relations[n][0], *guard.relations[n][1])} & open_ | {key},
        key=repr,
    )
    program = _Program(guard, members, numbers, unknown, optimize, sparse)
    return bool(program.pinned([key]))


def bounds(guard: Protector, marks: Mapping[Key, str], keys: Sequence[Key]) -> dict[Key, tuple[float, float]]:
    """The smallest and largest value the attacker allows each hidden cell of ``keys`` (linear relaxation).

    Outer bounds: every whole-number solution lies inside them (the 0/1 variables of
    the gaps relaxed), so a range printed from them tells a reader nothing new.
    """
    optimize = require("scipy.optimize", "stats")
    sparse = require("scipy.sparse", "stats")
    unknown = guard.unknown(marks)
    derived = guard.derived(unknown)
    out = {k: (float(guard.counts[k]), float(guard.counts[k])) for k in keys if k in derived}
    wanted = {k for k in keys if k in unknown and k not in derived}
    for members, numbers in linked([k for k in unknown if k not in derived], guard.relations, guard.index):
        asked = [k for k in members if k in wanted]
        if asked:
            program = _Program(guard, members, numbers, unknown, optimize, sparse)
            out |= program.limits(asked)
    return out


def _witnessed(guard: Protector, unknown: Mapping[Key, Domain]) -> set[Key]:
    """The cells a solution found before moves, where it still fits what the marks promise.

    A solution (the cells it moves away from their truth, every other cell at its
    truth) keeps every relation whatever is hidden; it is a solution of the
    attacker's program for these marks when each cell it moves is hidden and
    inside its mark. Hiding more only widens the program, so most cells freed in
    one round of the search need no solve in the next.
    """
    free: set[Key] = set()
    for moved in guard.witnesses:
        if all(k in unknown and _fits(unknown[k], v, guard.min_cell) for k, v in moved.items()):
            free |= moved.keys()
    return free


def _fits(domain: Domain, value: float, min_cell: int) -> bool:
    return domain.low <= value <= domain.high and not (domain.gap and 0 < value < min_cell)


class _Program:
    def __init__(  # noqa: PLR0913, PLR0917 - the cells, their relations and the solver
        self,
        guard: Protector,
        members: list[Key],
        numbers: list[int],
        unknown: Mapping[Key, Domain],
        optimize: Any,  # noqa: ANN401 - scipy.optimize (optional)
        sparse: Any,  # noqa: ANN401 - scipy.sparse (optional)
    ) -> None:
        self.optimize = optimize
        self.witnesses = guard.witnesses
        self.members = members
        self.column = {k: i for i, k in enumerate(members)}
        gaps = [k for k in members if unknown[k].gap]
        n = len(members)
        self.width = n + len(gaps)
        self.truth = np.array([float(guard.counts[k]) for k in members])
        self.low = np.array([unknown[k].low for k in members] + [0.0] * len(gaps))
        self.high = np.array([unknown[k].high for k in members] + [1.0] * len(gaps))
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        lower: list[float] = []
        upper: list[float] = []
        for number in numbers:
            total, parts = guard.relations[number]
            constant = 0.0
            for cell, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
                if cell in self.column:
                    rows.append(len(lower))
                    cols.append(self.column[cell])
                    vals.append(sign)
                else:
                    constant -= sign * guard.counts[cell]
            lower.append(constant)
            upper.append(constant)
        for g, key in enumerate(gaps):  # x <= high * z and x >= min_cell * z
            i, j = self.column[key], n + g
            rows += [len(lower), len(lower), len(lower) + 1, len(lower) + 1]
            cols += [i, j, i, j]
            vals += [1.0, -float(self.high[i]), 1.0, -float(guard.min_cell)]
            lower += [-np.inf, 0.0]
            upper += [0.0, np.inf]
        matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(lower), self.width))
        self.constraints = [optimize.LinearConstraint(matrix, np.array(lower), np.array(upper))]

    def _solve(self, objective: Any, low: Any, high: Any, *, whole: bool = True) -> Any:  # noqa: ANN401 - scipy arrays
        """A solution of the program (``x`` None when there is none), checked.

        HiGHS's presolve has declared feasible programs infeasible (and the
        reverse): a solution is accepted only when it meets every bound and
        relation, and "no solution" only when the solver says so without presolve
        too.
        """
        integrality = np.full(self.width, 1.0 if whole else 0.0)
        bounds = self.optimize.Bounds(low, high)
        for presolve in (True, False):
            result = self.optimize.milp(
                objective,
                constraints=self.constraints,
                integrality=integrality,
                bounds=bounds,
                options={"presolve": presolve},
            )
            if result.x is not None and self._meets(result.x, low, high, whole=whole):
                return result
        result.x = None
        return result

    def _meets(self, x: Any, low: Any, high: Any, *, whole: bool) -> bool:  # noqa: ANN401 - scipy arrays
        tolerance = 1e-6
        if whole and np.abs(x - np.round(x)).max(initial=0.0) > tolerance:
            return False
        if (x < low - tolerance).any() or (x > high + tolerance).any():
            return False
        (constraint,) = self.constraints
        found = constraint.A @ x
        return bool(((found >= constraint.lb - tolerance) & (found <= constraint.ub + tolerance)).all())

    def limits(self, keys: list[Key]) -> dict[Key, tuple[float, float]]:
        out = {}
        for key in keys:
            found = []
            for sign in (1.0, -1.0):
                objective = np.zeros(self.width)
                objective[self.column[key]] = sign
                result = self._solve(objective, self.low, self.high, whole=False)
                i = self.column[key]
                outer = self.low[i] if sign > 0 else self.high[i]  # no answer: the mark's own limit
                found.append(float(result.x[i]) if result.x is not None else float(outer))
            out[key] = (found[0], found[1])
        return out

    def pinned(self, keys: list[Key]) -> list[Key]:
        columns = [self.column[k] for k in keys]
        open_ = {i for i in columns if self.low[i] < self.high[i]}
        fixed = {i for i in columns if i not in open_}
        up = self.truth < self.high[: len(self.truth)]  # a cell at the top of its mark can only go down
        for push in range(_PUSHES):
            if not open_:
                break
            objective = np.zeros(self.width)
            ordered = sorted(open_)
            sign = np.where(up[ordered], 1.0, -1.0) * (1.0 if push % 2 == 0 else -1.0)
            objective[ordered] = -sign
            moved = self._moved(self._solve(objective, self.low, self.high), open_)
            if not moved and push:
                break
            open_ -= moved
        pinned = set(fixed)
        while open_:  # each cell left asked on its own; a solution that frees it may free others too
            i = min(open_)
            open_.discard(i)
            found = self._free(i)
            if found is None:
                pinned.add(i)
            else:
                open_ -= self._moved(found, open_)
        return [k for k, i in zip(keys, columns, strict=True) if i in pinned]

    def _moved(self, result: Any, open_: set[int]) -> set[int]:  # noqa: ANN401 - a scipy result
        """The open cells a solution moves (none without one; the truth is a solution); the solution kept."""
        x = self.truth if result.x is None else np.round(result.x[: len(self.truth)])
        moved = np.flatnonzero(np.abs(x - self.truth) > 0.5)  # noqa: PLR2004 - whole numbers
        if len(moved):
            self.witnesses.append({self.members[i]: float(x[i]) for i in moved})
            del self.witnesses[:-_KEPT]
        return {int(i) for i in moved if i in open_}

    def _free(self, i: int) -> Any:  # noqa: ANN401 - a scipy result
        for below, above in ((self.truth[i] + 1, self.high[i]), (self.low[i], self.truth[i] - 1)):
            if below > above:
                continue
            low, high = self.low.copy(), self.high.copy()
            low[i], high[i] = below, above
            result = self._solve(np.zeros(self.width), low, high)
            if result.x is not None:
                return result
        return None
