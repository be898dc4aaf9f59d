"""Suppression that cannot be undone: an attacker solves every relation a report publishes.

The attacker (``tests/cohort/attacker.py``) reads only the published report. It must
never pin down a hidden count, whatever the cohort; and it does pin them down in what
version 0ccc9ff published (the two leaks of issue 13 item 5, kept below as data).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.cohort.attacker import attack_change, attack_summary, leaks
from tests.study.attacker import pinned as study_pinned
from trivselscore.cohort import Cohort
from trivselscore.cohort import moves as _moves
from trivselscore.cohort import suppression as _suppression

TIMES = ["t0", "t1", "t2"]


def _row(time: str, group: str, **cells: Any) -> dict[str, Any]:
    """A published summary row: an int is a shown count, a str a suppressed one (its note)."""
    row: dict[str, Any] = {"time": time, "group": group}
    for name, value in cells.items():
        if name == "bands":
            row["bands"] = [{"count": _cell(count), "share": _cell(note)} for count, note in value]
        else:
            row[name] = _cell(value)
    return row


def _cell(value: float | str) -> dict[str, Any]:
    if isinstance(value, str):
        return {"value": None, "low": None, "high": None, "suppressed": True, "note": value}
    return {"value": value, "low": None, "high": None, "suppressed": False, "note": None}


def _report(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"interval": "wilson", "confidence": 0.95, "min_cell": 5, "rows": rows}


# What version 0ccc9ff published (``summary("percentage", by=["g"])``, min_cell 5).
# Leak a: groups a and b of 5 people each; 3 of the 10 could not be scored. The total's
# not_scored is hidden, so the old cross-group rule never looked at the measured column:
# 5 + 5 - 7 = 3.
LEAK_A = [("a", v) for v in (80, 20, 20, 80, None)] + [("b", v) for v in (80, 80, 80, None, None)]
OLD_A = _report(
    [
        _row("start", "all", measured="hidden", n=7, not_scored="<5", unbanded="<5", mean=62.857142857142854,
             bands=[("<5", "<5"), ("hidden", "hidden")]),
        _row("start", "a", measured=5, n="<5", not_scored="<5", unbanded="<5", mean="n<5",
             bands=[("<5", "n<5"), ("<5", "n<5")]),
        _row("start", "b", measured=5, n="<5", not_scored="<5", unbanded="<5", mean="n<5",
             bands=[("<5", "n<5"), ("<5", "n<5")]),
    ]
)  # fmt: skip
# Leak b: a group whose label is "all" (3 people) was taken for the total row and skipped
# by the secondary rules: 23 - 20 = 3 people, and their mean (23 * 75.30 - 20 * 80) / 3 = 44.
LEAK_B = [("all", v) for v in (40, 44, 48)] + [("b", 80)] * 20
OLD_B = _report(
    [
        _row("start", "all", measured="hidden", n=23, not_scored="<5", unbanded="<5", mean=75.30434782608695,
             bands=[("<5", "<5"), ("hidden", "hidden")]),
        _row("start", "all", measured="<5", n="<5", not_scored="<5", unbanded="<5", mean="n<5",
             bands=[("<5", "n<5"), ("<5", "n<5")]),
        _row("start", "b", measured="hidden", n=20, not_scored="<5", unbanded="<5", mean=80.0,
             bands=[("<5", "<5"), ("hidden", "hidden")]),
    ]
)  # fmt: skip


def _cohort(data: Sequence[tuple[str, float | None]]) -> Cohort:
    rows = [{"person": i, "time": "start", "g": g, "pct": v} for i, (g, v) in enumerate(data)]
    return Cohort.from_long(rows, "who5", time_points=["start"], groups=["g"], scores={"percentage": "pct"})


def test_the_attacker_recovers_both_leaks_of_the_old_suppression():
    assert attack_summary(OLD_A, has_total=True)[(0, "not_scored")] == 3  # leak a
    assert attack_summary(OLD_B, has_total=True)[(1, "n")] == 3  # leak b
    old_total, old_b = OLD_B["rows"][0], OLD_B["rows"][2]
    mean = (23 * Fraction(old_total["mean"]["value"]) - 20 * Fraction(old_b["mean"]["value"])) / 3
    assert round(mean, 6) == 44  # and the hidden group's mean with it


@pytest.mark.parametrize(
    ("data", "is_total"), [(LEAK_A, [True, False, False]), (LEAK_B, [True, False, False])]
)
def test_the_same_cohorts_leak_nothing_now(data, is_total):
    report = _cohort(data).summary("percentage", by=["g"])
    assert [r.is_total for r in report.rows] == is_total
    assert leaks(attack_summary(report.to_dict(), has_total=True), report.to_dict()) == {}


@pytest.mark.parametrize("label", ["all", "alle"])
def test_a_group_labelled_all_is_protected_like_any_group(label):
    data = [(label, v) for v in (40, 44, 48)] + [("b", 80)] * 20
    report = _cohort(data).summary("percentage", by=["g"])
    total, group, other = report.rows
    assert (total.is_total, group.is_total, other.is_total) == (True, False, False)
    assert total.n.value == 23
    assert group.n.note == "<5"
    assert other.n.note == "hidden"  # else 23 - 20 = 3
    assert other.mean.suppressed  # else (23 * mean - 20 * 80) / 3 = 44
    assert f"{label} (gruppe)" in report.table()
    assert f"{label} (group)" in report.table(language="en")


# --- the property -------------------------------------------------------------------------

SCORE = st.one_of(st.none(), st.integers(0, 25).map(lambda raw: 4.0 * raw))
GROUPS = st.lists(st.sampled_from(["a", "b", "c", "all", "alle"]), min_size=1, max_size=4, unique=True)


@st.composite
def cohorts(draw: st.DrawFn) -> list[dict[str, object]]:
    """Several groups of 0-12 people, measured (or not, or not scored) at up to three time points."""
    rows: list[dict[str, object]] = []
    person = 0
    for group in draw(GROUPS):
        for _ in range(draw(st.integers(0, 12))):
            age = draw(st.sampled_from([8, 15, 20]))  # 8 is outside the WHO-5's 9-130
            times = [t for t in TIMES if t == "t0" or draw(st.booleans())]
            rows.extend(
                {"person": person, "time": t, "g": group, "pct": draw(SCORE), "age": age} for t in times
            )
            person += 1
    return rows


def _solve(
    rows: list[dict[str, object]], *, min_cell: int, hide_zero: bool, scheme: str, method: str
) -> None:
    cohort = Cohort.from_long(
        rows, "who5", time_points=TIMES, groups=["g"], scores={"percentage": "pct"}, age="age"
    )
    options: dict[str, Any] = {"by": ["g"], "min_cell": min_cell, "hide_zero": hide_zero}
    summary = cohort.summary("percentage", scheme=scheme, **options)
    published = summary.to_dict()
    assert leaks(attack_summary(published, has_total=True), published) == {}
    extra: dict[str, Any] = {"cutoff": 50} if method == "clinical_significance" else {}
    change = cohort.change("percentage", "t0", "t1", method=method, **options, **extra)
    published = change.to_dict()
    assert leaks(attack_change(published, has_total=True), published) == {}
    for row in summary.rows:
        if row.n.suppressed:
            assert row.mean.suppressed
            assert row.sd.suppressed
        for band in row.bands:
            assert band.share.value is None or not band.count.suppressed
    for pair in change.rows:
        if pair.pairs.suppressed:
            assert pair.mean_change.suppressed
            assert pair.dz.suppressed
        if pair.start_only.suppressed or pair.pairs.suppressed:
            assert pair.attrition.suppressed


def test_the_attacker_has_teeth(monkeypatch):
    """Without the secondary rule (primary suppression only), the attacker pins cells down."""
    monkeypatch.setattr(_moves, "protect", lambda *_: None)
    report = _cohort(LEAK_B).summary("percentage", by=["g"]).to_dict()
    assert leaks(attack_summary(report, has_total=True), report)[(1, "n")] == 3
    values = {(p, t): 40.0 for p in range(20) for t in ("start", "slut")}
    rows = [{"person": p, "time": t, "pct": v} for (p, t), v in values.items() if p >= 3 or t == "start"]
    change = Cohort.from_long(rows, "who5", time_points=["start", "slut"], scores={"percentage": "pct"})
    published = change.change("percentage", "start", "slut", method="difference").to_dict()
    assert leaks(attack_change(published, has_total=False), published) == {(0, "start_only"): 3}


_GAVE_UP = [  # the engine used to give up here, n at the start pinned (hypothesis seed 1, issue 22)
    {"person": p, "time": t, "g": g, "pct": v, "age": 8}
    for p, t, g, v in [
        *((p, "t0", "a" if p < 4 else "b", None) for p in range(10)),
        *((10, t, "c", v) for t, v in (("t0", 0.0), ("t1", 0.0), ("t2", None))),
        *((p, "t0", "c", None) for p in range(11, 17)),
        (17, "t0", "c", 0.0),
        (17, "t2", "c", None),
        (18, "t0", "c", 0.0),
    ]
]


@settings(max_examples=200, deadline=None)
@example(rows=_GAVE_UP, min_cell=5, hide_zero=False, scheme="risk", method="difference")
@given(
    cohorts(),
    st.sampled_from([3, 5]),
    st.booleans(),
    st.sampled_from(["risk", "dk-3band"]),
    st.sampled_from(["difference", "clinical_significance"]),
)
def test_the_attacker_never_pins_down_a_hidden_count(rows, min_cell, hide_zero, scheme, method):
    if rows:
        _solve(rows, min_cell=min_cell, hide_zero=hide_zero, scheme=scheme, method=method)


def _table(values: dict[str, int]) -> _suppression.Protector:
    guard = _suppression.Protector(min_cell=5)
    for key, value in values.items():
        guard.add(key, value)
    guard.relate("n", [k for k in values if k != "n"])
    return guard


def test_a_hidden_one_next_to_a_hidden_five_is_protected_from_range_reasoning():
    """1 + 5 = 6 is the only split of 6 into a <5 cell (1-4) and a hidden shown one (0 or >= 5)."""
    guard = _table({"n": 26, "a": 1, "b": 5, "c": 20})
    assert _suppression.bounds(guard.counts, guard.relations, {"a": "<5", "b": "hidden"}, min_cell=5) == {
        "a": (1, 1),
        "b": (5, 5),
    }
    notes = guard.solve()
    assert notes == {"a": "<5", "c": "hidden"}  # hiding b (5) alone leaves 1 + 5 = 6
    assert _suppression.bounds(guard.counts, guard.relations, notes, min_cell=5)["a"] == (1, 4)


def test_cells_that_pin_each_other_alone_are_closed_by_a_wider_honest_mark():
    """Four groups of 1 under a total of 4: the <5 marks alone say 1 each; one becomes 0-4, still true."""
    guard = _table({"n": 4, "a": 1, "b": 1, "c": 1, "d": 1})
    naive = dict.fromkeys(["n", *"abcd"], "<5")
    assert set(_suppression.bounds(guard.counts, guard.relations, naive, min_cell=5).values()) == {
        (1, 1),
        (4, 4),
    }
    notes = guard.solve()
    assert sorted(notes.values()) == ["<5", "<5", "<5", "<5", "range"]  # one widened to 0-4: honest
    assert list(guard.ranges.values()) == [(0, 4)]
    assert study_pinned(guard.counts, notes, guard.relations, min_cell=5, ranges=guard.ranges) == []


# --- ranges: tiny cohorts, checked over whole numbers ---------------------------------------------


Solved = list[tuple[_suppression.Protector, dict[Any, str]]]


def _tables(monkeypatch: pytest.MonkeyPatch) -> Solved:
    """Every table the engine solves from now on, with its marks (to attack it)."""
    solved: Solved = []
    solve = _suppression.Protector.solve

    def recording(self: _suppression.Protector) -> dict[Any, str]:
        marks = solve(self)
        solved.append((self, marks))
        return marks

    monkeypatch.setattr(_suppression.Protector, "solve", recording)
    return solved


def _tiny(seed: int) -> list[dict[str, object]]:
    """Up to four groups of 0-12 people, measured at one or two time points, some not scored."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    rows: list[dict[str, object]] = []
    person = 0
    for group in rng.sample(["a", "b", "c", "d"], rng.randint(1, 4)):
        for _ in range(rng.randint(0, 12)):
            times = ("t0", "t1")[: rng.randint(1, 2)]
            rows.extend(
                {"person": person, "time": t, "g": group, "pct": rng.choice([None, 20.0, 80.0])}
                for t in times
            )
            person += 1
    return rows


def _attack_all(solved: Solved) -> None:
    for table, marks in solved:
        found = study_pinned(
            table.counts,
            marks,
            table.relations,
            min_cell=table.min_cell,
            ranges=table.ranges,
            unseen=table.unpublished,
        )
        leaks = [k for k in found if k in marks or table.primary(table.counts[k])]
        assert leaks == [], (table.counts, marks)


@pytest.mark.stress
def test_no_small_count_of_a_tiny_cohort_is_pinned_over_whole_numbers(monkeypatch, stress_rounds):
    """The old cohort engine left <5 cells that pin each other by their ranges (58 % of such cohorts)."""
    solved = _tables(monkeypatch)
    for seed in range(10 * stress_rounds):
        rows = _tiny(seed)
        if rows:
            cohort = Cohort.from_long(
                rows, "who5", time_points=["t0", "t1"], groups=["g"], scores={"percentage": "pct"}
            )
            cohort.summary("percentage", by=["g"])
            cohort.change("percentage", "t0", "t1", method="difference", by=["g"])
    assert len(solved) > 10
    _attack_all(solved)


def test_the_engine_raises_rather_than_publish_a_count_it_cannot_protect(monkeypatch):
    """No give-up path: without widening a mark, four groups of 1 under 4 cannot be protected."""
    rows = [{"person": p, "time": "t0", "g": "abcd"[p], "pct": 80.0} for p in range(4)]
    cohort = Cohort.from_long(rows, "who5", time_points=["t0"], groups=["g"], scores={"percentage": "pct"})
    guard = _table({"n": 4, "a": 1, "b": 1, "c": 1, "d": 1})
    naive = dict.fromkeys(["n", *"abcd"], "<5")
    assert sorted(map(str, study_pinned(guard.counts, naive, guard.relations, min_cell=5))) == [*"abcd", "n"]
    monkeypatch.setattr(_moves, "widen", lambda *_: False)
    with pytest.raises(_suppression.DisclosureError, match="nothing is left to hide"):
        cohort.summary("percentage", by=["g"])
