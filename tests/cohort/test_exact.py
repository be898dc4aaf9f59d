"""The exact attacker of releases takes no answer of the solver on trust (``cohort/exact.py``).

HiGHS's MIP presolve has called feasible programs infeasible (found by the release
property: a ``<5`` cell taken for pinned); a solution is checked against every
bound and relation, "no solution" is asked again without presolve, and without
any answer a cell counts as pinned (the engine then hides more, never less).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pytest

from trivselscore.cohort import exact
from trivselscore.cohort.suppression import Protector

optimize = pytest.importorskip("scipy.optimize")

MARKS: dict[Hashable, str] = {"a": "<5", "b": "<5", "c": "hidden"}
"""26 = a + b + c with a and b 1-4 and c 0 or at least 5: every hidden cell has other values."""


def _table() -> Protector:
    guard = Protector(min_cell=5)
    for key, value in {"n": 26, "a": 2, "b": 4, "c": 20}.items():
        guard.add(key, value)
    guard.relate("n", ["a", "b", "c"])
    return guard


def _solver(monkeypatch: pytest.MonkeyPatch, spoil: Any) -> list[bool]:
    """HiGHS with presolve spoiled by ``spoil(result)``; the presolve options asked, in order."""
    real = optimize.milp
    asked: list[bool] = []

    def milp(*args: Any, options: dict[str, Any], **kwargs: Any) -> Any:
        asked.append(options["presolve"])
        result = real(*args, options=options, **kwargs)
        return spoil(result) if options["presolve"] else result

    monkeypatch.setattr(optimize, "milp", milp)
    return asked


def _infeasible(result: Any) -> Any:
    result.x, result.status = None, 2
    return result


def _broken(result: Any) -> Any:
    if result.x is not None:
        result.x = result.x + 0.5  # off every whole number and every relation
    return result


def test_a_false_infeasible_of_presolve_is_asked_again_without_it(monkeypatch):
    asked = _solver(monkeypatch, _infeasible)
    assert exact.pinned(_table(), MARKS, "a") is False
    assert asked[:2] == [True, False]


def test_a_solution_that_breaks_a_relation_is_not_taken(monkeypatch):
    asked = _solver(monkeypatch, _broken)
    guard = _table()
    assert exact.leaks(guard, MARKS) == []
    assert False in asked
    assert exact.bounds(guard, MARKS, ["a"])["a"] == (1.0, 4.0)


def test_without_any_answer_a_cell_counts_as_pinned_and_its_range_is_its_mark(monkeypatch):
    def nothing(*_: Any, **__: Any) -> Any:
        return optimize.OptimizeResult(x=None, status=2, fun=None)

    monkeypatch.setattr(optimize, "milp", nothing)
    guard = _table()
    assert exact.pinned(guard, MARKS, "a") is True  # the engine hides more: never less
    assert exact.bounds(guard, MARKS, ["a", "c"]) == {"a": (1.0, 4.0), "c": (0.0, 52.0)}


def test_a_solution_found_before_frees_cells_without_a_solve(monkeypatch):
    guard = _table()
    assert exact.leaks(guard, MARKS) == []
    assert guard.witnesses  # the solutions that moved the cells are kept
    asked = _solver(monkeypatch, lambda result: result)
    assert exact.leaks(guard, MARKS) == []
    assert exact.pinned(guard, MARKS, "b") is False
    assert asked == []


def test_a_solution_that_no_longer_fits_the_marks_is_not_used():
    guard = _table()
    guard.witnesses.append({"a": 3.0, "c": 19.0})  # c shown: this solution is not one of the attacker's
    assert "a" not in exact._witnessed(guard, guard.unknown(dict[Hashable, str]({"a": "<5"})))
    assert "a" in exact._witnessed(guard, guard.unknown(MARKS))
