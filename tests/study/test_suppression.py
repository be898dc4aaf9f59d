"""Small-cell suppression: primary, zero shown, and no hidden count an attacker can work back."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.study.attacker import pinned
from trivselscore.cohort import moves as _moves
from trivselscore.cohort.suppression import Protector, bounds, check_min_cell


def build(table: list[list[int]], *, min_cell: int, hide_zero: bool) -> tuple[Protector, list[Any]]:
    """Groups x categories, each group's total (a denominator), the all row and its total."""
    guard = Protector(min_cell=min_cell, hide_zero=hide_zero)
    cats = range(len(table[0]))
    for g, row in enumerate(table):
        for c, value in enumerate(row):
            guard.add((g, c), value)
        guard.add((g, "n"), sum(row), keep=True)
    for c in cats:
        guard.add(("all", c), sum(row[c] for row in table))
    guard.add(("all", "n"), sum(map(sum, table)), keep=True)
    relations = [((g, "n"), [(g, c) for c in cats]) for g in [*range(len(table)), "all"]]
    relations += [(("all", c), [(g, c) for g in range(len(table))]) for c in [*cats, "n"]]
    for total, parts in relations:
        guard.relate(total, parts)
    return guard, relations


tables = st.integers(1, 3).flatmap(
    lambda groups: st.integers(2, 4).flatmap(
        lambda cats: st.lists(
            st.lists(st.integers(0, 14), min_size=cats, max_size=cats), min_size=groups, max_size=groups
        )
    )
)


@settings(max_examples=200, deadline=None)
@given(table=tables, min_cell=st.sampled_from([3, 5]), hide_zero=st.booleans())
def test_no_hidden_count_can_be_worked_back(table, min_cell, hide_zero):
    guard, relations = build(table, min_cell=min_cell, hide_zero=hide_zero)
    hidden = guard.solve()
    for key, value in guard.counts.items():
        small = value < min_cell and (value > 0 or hide_zero)
        if small:  # every small count is hidden, marked small (or widened to a range it lies in)
            assert hidden.get(key) in {f"<{min_cell}", "range"}
        elif key in hidden:  # a zero or larger count is hidden only to protect another: 0 or >= min_cell
            assert hidden[key] in {"hidden", "range"}
        if hidden.get(key) == "range":
            low, high = guard.ranges[key]
            assert low <= value <= high
            assert low < high
    options = {"min_cell": min_cell, "hide_zero": hide_zero, "ranges": guard.ranges}
    assert pinned(guard.counts, hidden, relations, **options) == []


def test_a_zero_stays_visible_and_one_small_cell_hides_a_second():
    guard, _ = build([[38, 18, 4], [40, 0, 20]], min_cell=5, hide_zero=False)
    hidden = guard.solve()
    assert hidden[(0, 2)] == "<5"
    assert (1, 1) not in hidden  # the zero is shown
    assert sum(1 for k in hidden if isinstance(k, tuple) and k[0] == 0) >= 2  # a second cell is hidden
    assert pinned(guard.counts, hidden, _, min_cell=5) == []


def test_hide_zero_hides_zeros_as_small_cells():
    guard, _ = build([[40, 0, 20]], min_cell=5, hide_zero=True)
    assert guard.solve()[(0, 1)] == "<5"


def test_the_attacker_sees_a_single_hidden_cell():
    counts: dict[Hashable, int] = {"n": 60, "a": 40, "b": 16, "c": 4}
    relations = [("n", ["a", "b", "c"])]
    assert bounds(counts, relations, {"c": "<5"}, min_cell=5) == {"c": (4, 4)}
    assert pinned(counts, {"c": "<5"}, relations, min_cell=5) == ["c"]


def test_min_cell_must_protect_something():
    with pytest.raises(ValueError, match="min_cell=2"):
        check_min_cell(2, hide_zero=False)
    with pytest.raises(ValueError, match=">= 0"):
        check_min_cell(-1, hide_zero=False)
    check_min_cell(2, hide_zero=True)
    assert Protector(min_cell=0).primary(0) is False


def test_the_attacker_has_teeth(monkeypatch):
    """With primary suppression only, the 4 of [38, 18, 4] is 60 - 38 - 18."""
    monkeypatch.setattr(_moves, "protect", lambda *_: None)
    guard, relations = build([[38, 18, 4], [40, 0, 20]], min_cell=5, hide_zero=False)
    hidden = guard.solve()
    assert hidden == {(0, 2): "<5"}
    assert pinned(guard.counts, hidden, relations, min_cell=5) == [(0, 2)]
