"""An independent attacker for suppressed tables: integer programming over everything published.

The attacker knows the shown counts, every relation ``total = sum(parts)`` (or a
weighted sum) the report publishes, that counts are whole numbers >= 0, and what
each hidden cell's mark promises:

* ``"<m"``: 1 to m - 1 (0 to m - 1 with ``hide_zero``);
* ``"hidden"`` (*skjult*): 0 or at least m (at least m with ``hide_zero``), a
  binary variable per cell (``x <= U z``, ``x >= m z``);
* a range: within it;
* anything else it does not see (a count never shown): any whole number.

A hidden cell is *pinned* when no whole-number solution gives it another value
than its true one. The attacker proves a cell free by exhibiting such a solution:
it asks scipy's solver (HiGHS) for solutions that push many unresolved cells away
from their truth at once (so a few solves settle most cells), then, for each cell
left, whether ``x >= truth + 1`` or ``x <= truth - 1`` is feasible. Every verdict
is exact (a solution found is a whole-number solution of every published relation).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

optimize = pytest.importorskip("scipy.optimize")
sparse = pytest.importorskip("scipy.sparse")

Relation = tuple[dict[Hashable, float], float]
"""``sum(coefficient * cell) == constant`` over unknown cells."""


@dataclass
class Problem:
    """Unknown cells with their truth and domains, and the equations between them."""

    truth: dict[Hashable, int] = field(default_factory=dict)
    low: dict[Hashable, float] = field(default_factory=dict)
    high: dict[Hashable, float] = field(default_factory=dict)
    gap: set[Hashable] = field(default_factory=set)
    equations: list[Relation] = field(default_factory=list)
    floors: list[Relation] = field(default_factory=list)
    min_cell: int = 5

    def unknown(self, key: Hashable, truth: int, low: float = 0.0, high: float = math.inf) -> None:
        """Add an unknown cell (again: the domains intersect)."""
        if key in self.truth:
            assert self.truth[key] == truth, (key, self.truth[key], truth)
        self.truth[key] = truth
        self.low[key] = max(self.low.get(key, 0.0), low)
        self.high[key] = min(self.high.get(key, math.inf), high)

    def equal(self, terms: Mapping[Hashable, float], constant: float = 0.0) -> None:
        """``sum(coef * x) == constant``."""
        self.equations.append((dict(terms), constant))

    def at_least(self, terms: Mapping[Hashable, float], constant: float = 0.0) -> None:
        """``sum(coef * x) >= constant``."""
        self.floors.append((dict(terms), constant))

    def check(self) -> None:
        """The truth satisfies every published fact (else the attacker is wrong, not the report)."""
        for key, value in self.truth.items():
            assert self.low[key] <= value <= self.high[key], (key, value, self.low[key], self.high[key])
            assert key not in self.gap or value == 0 or value >= self.min_cell, (key, value)
        for terms, constant in self.equations:
            total = sum(c * self.truth[k] for k, c in terms.items())
            assert abs(total - constant) < 1e-6, (terms, constant, total)
        for terms, constant in self.floors:
            total = sum(c * self.truth[k] for k, c in terms.items())
            assert total >= constant - 1e-6, (terms, constant, total)

    def pinned(self, keys: Iterable[Hashable]) -> list[Hashable]:
        """The cells of ``keys`` that only their true value fits."""
        return _Solver(self).pinned(list(dict.fromkeys(keys)))


class _Solver:
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.keys = list(problem.truth)
        self.column = {k: i for i, k in enumerate(self.keys)}
        n = len(self.keys)
        big = 10.0 * (sum(problem.truth.values()) + 10)
        self.gaps = [k for k in self.keys if k in problem.gap]
        width = n + len(self.gaps)
        self.low = np.array([problem.low[k] for k in self.keys] + [0.0] * len(self.gaps))
        self.high = np.array([min(problem.high[k], big) for k in self.keys] + [1.0] * len(self.gaps))
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        lower: list[float] = []
        upper: list[float] = []
        for terms, constant, top in [
            *((t, c, c) for t, c in problem.equations),
            *((t, c, np.inf) for t, c in problem.floors),
        ]:
            for key, coef in terms.items():
                rows.append(len(lower))
                cols.append(self.column[key])
                vals.append(coef)
            lower.append(constant)
            upper.append(top)
        base = len(lower)
        for g, key in enumerate(self.gaps):  # x - U z <= 0 and x - m z >= 0
            i, z = self.column[key], n + g
            rows += [base + 2 * g, base + 2 * g, base + 2 * g + 1, base + 2 * g + 1]
            cols += [i, z, i, z]
            vals += [1.0, -float(self.high[i]), 1.0, -float(problem.min_cell)]
            lower += [-np.inf, 0.0]
            upper += [0.0, np.inf]
        matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(lower), width))
        self.constraints = [optimize.LinearConstraint(matrix, lower, upper)] if lower else []
        self.integrality = np.ones(width)
        self.truth = np.array([float(problem.truth[k]) for k in self.keys])
        self.width = width

    def solve(self, objective: Any, low: Any = None, high: Any = None) -> Any:
        """HiGHS's answer, a solution checked against every fact; "infeasible" confirmed without presolve.

        (HiGHS's MIP presolve has declared feasible programs infeasible.)
        """
        low = self.low if low is None else low
        high = self.high if high is None else high
        for presolve in (True, False):
            result = optimize.milp(
                objective,
                constraints=self.constraints,
                integrality=self.integrality,
                bounds=optimize.Bounds(low, high),
                options={"presolve": presolve},
            )
            if result.status == 0:
                self._check(result.x, low, high)
                return result
        return result

    def _check(self, x: Any, low: Any, high: Any) -> None:
        assert np.abs(x - np.round(x)).max(initial=0.0) < 1e-6
        assert (x >= low - 1e-6).all()
        assert (x <= high + 1e-6).all()
        for constraint in self.constraints:
            found = constraint.A @ x
            assert ((found >= constraint.lb - 1e-6) & (found <= constraint.ub + 1e-6)).all()

    def pinned(self, keys: list[Hashable]) -> list[Hashable]:
        fixed = {k for k in keys if self.problem.low[k] >= self.problem.high[k]}
        open_ = set(keys) - fixed
        rng = np.random.default_rng(0)
        for round_ in range(6):
            if not open_:
                break
            objective = np.zeros(self.width)
            for key in sorted(open_, key=repr):
                sign = (-1.0) ** round_ if round_ < 2 else float(rng.choice([-1.0, 1.0]))
                objective[self.column[key]] = -sign
            result = self.solve(objective)
            assert result.status == 0, result.message
            moved = self._moved(result.x, open_)
            if not moved and round_ >= 1:
                break
            open_ -= moved
        pinned = set(fixed)
        for key in sorted(open_, key=repr):  # each cell left on its own; a solution may free others
            if key not in open_:
                continue
            open_.discard(key)
            found = self._free(key)
            if found is None:
                pinned.add(key)
            else:
                open_ -= self._moved(found, open_)
        return [k for k in keys if k in pinned]

    def _moved(self, x: Any, open_: set[Hashable]) -> set[Hashable]:
        return {k for k in open_ if abs(x[self.column[k]] - self.truth[self.column[k]]) > 0.5}

    def _free(self, key: Hashable) -> Any:
        i = self.column[key]
        for below, above in ((self.truth[i] + 1, self.high[i]), (self.low[i], self.truth[i] - 1)):
            if below > above:
                continue
            low, high = self.low.copy(), self.high.copy()
            low[i], high[i] = below, above
            result = self.solve(np.zeros(self.width), low, high)
            if result.status == 0:
                return result.x
            assert result.status == 2, result.message  # 2: infeasible
        return None


def table_problem(  # noqa: PLR0913 - the published table, then the attacker's knowledge
    counts: Mapping[Hashable, int],
    marks: Mapping[Hashable, str],
    relations: Sequence[tuple[Hashable, Sequence[Hashable]]],
    *,
    min_cell: int,
    hide_zero: bool = False,
    ranges: Mapping[Hashable, tuple[int, int]] | None = None,
    unseen: Iterable[Hashable] = (),
) -> Problem:
    """The attacker's problem for one table: ``counts`` is the truth, ``marks`` the hidden cells'."""
    problem = Problem(min_cell=min_cell)
    hidden = {*marks, *unseen}
    for key in hidden:
        mark = marks.get(key)
        truth = int(counts[key])
        if mark is not None and mark.startswith("<"):
            problem.unknown(key, truth, 0.0 if hide_zero else 1.0, min_cell - 1.0)
        elif mark == "hidden":
            problem.unknown(key, truth, min_cell if hide_zero else 0.0)
            if not hide_zero:
                problem.gap.add(key)
        elif mark == "range":
            low, high = (ranges or {})[key]
            problem.unknown(key, truth, low, high)
        else:
            problem.unknown(key, truth)
    for total, parts in relations:
        terms: dict[Hashable, float] = {}
        constant = 0.0
        for cell, sign in [(total, 1.0), *((p, -1.0) for p in parts)]:
            if cell in hidden:
                terms[cell] = terms.get(cell, 0.0) + sign
            else:
                constant -= sign * counts[cell]
        terms = {k: v for k, v in terms.items() if v}
        if terms:
            problem.equal(terms, constant)
        else:
            assert abs(constant) < 1e-9, (total, parts)
    problem.check()
    return problem


def pinned(  # noqa: PLR0913 - the published table, then the attacker's knowledge
    counts: Mapping[Hashable, int],
    marks: Mapping[Hashable, str],
    relations: Sequence[tuple[Hashable, Sequence[Hashable]]],
    *,
    min_cell: int,
    hide_zero: bool = False,
    ranges: Mapping[Hashable, tuple[int, int]] | None = None,
    unseen: Iterable[Hashable] = (),
) -> list[Hashable]:
    """The hidden cells of one table (``marks``, and ``unseen`` counts never shown) only one value fits.

    ``counts`` holds every cell's true value: the shown ones are what the attacker
    reads, the hidden ones only the truth the verdict is checked against.
    """
    problem = table_problem(
        counts, marks, relations, min_cell=min_cell, hide_zero=hide_zero, ranges=ranges, unseen=unseen
    )
    return problem.pinned([*marks, *unseen])
