"""Invariants on random small studies: every row counted, counts add up, no hidden count recoverable."""

from __future__ import annotations

import math
from collections.abc import Hashable

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.study.attacker import pinned
from trivselscore.cohort import moves as _moves
from trivselscore.study import Study

TIMES = ["t0", "t1", "t2"]
COUNTS = [
    "persons",
    "pairs",
    "start_only",
    "end_only",
    "neither",
    "not_scored",
    "not_given",
    "outside_age_range",
]
CATEGORIES = ["improvement_count", "status_quo_count", "decline_count"]

answer = st.one_of(st.none(), st.integers(0, 5)) | st.integers(0, 5)
form = st.one_of(st.just([None] * 5), st.lists(answer, min_size=5, max_size=5))


@st.composite
def studies(draw: st.DrawFn) -> tuple[Study, int]:
    rows = []
    for person in range(draw(st.integers(3, 24))):
        group = draw(st.sampled_from(["a", "b", "c"]))
        for time in TIMES:
            if (person, time) == (0, "t0") or draw(st.booleans()) or draw(st.booleans()):
                items = draw(form)
                rows.append(
                    {"p": person, "t": time, "g": group, **{f"who5_{i + 1}": v for i, v in enumerate(items)}}
                )
    study = Study.from_long(
        rows, instruments={"who5": "who5"}, time_points=TIMES, person="p", time="t", groups=["g"]
    )
    return study, len(rows)


@settings(max_examples=25, deadline=None)
@given(drawn=studies())
def test_every_row_is_counted_and_counts_add_up(drawn):
    study, n_rows = drawn
    coverage = study.coverage(by=["g"], min_cell=0).to_frame()
    assert coverage[coverage.group == "all"]["rows"].sum() == n_rows
    assert (coverage["rows"] == coverage["not_given"] + coverage["given"]).all()
    summary = study.summary("who5", "percentage", by=["g"], min_cell=0).to_frame()
    assert (summary["rows"] == summary["left_out"] + summary["not_given"] + summary["measured"]).all()
    assert (summary["measured"] == summary["n"] + summary["not_scored"]).all()
    assert (summary["n"] == summary.filter(like="_count").sum(axis=1)).all()
    change = study.change("t0", "t2", by=["g"], scales={"who5": ["percentage"]}, min_cell=0).to_frame()
    assert (change["pairs"] == change[CATEGORIES].sum(axis=1)).all()
    parts = change["pairs"] + change["start_only"] + change["end_only"] + change["neither"]
    assert (change["persons"] == parts).all()
    groups = change[change.group != "all"]
    for column in [*COUNTS, *CATEGORIES]:
        assert change[change.group == "all"][column].iloc[0] == groups[column].sum()


def _pinned(study: Study, *, hide_zero: bool) -> list[Hashable]:
    """The small counts of a change report that the MILP attacker pins (and the report's own checks)."""
    report = study.change("t0", "t2", by=["g"], scales={"who5": ["percentage"]}, hide_zero=hide_zero)
    raw = study.change("t0", "t2", by=["g"], scales={"who5": ["percentage"]}, min_cell=0)
    counts: dict[Hashable, int] = {}
    marks: dict[Hashable, str] = {}
    ranges: dict[Hashable, tuple[int, int]] = {}
    for row, truth in zip(report.rows, raw.rows, strict=True):
        cells = {name: (getattr(row, name), getattr(truth, name)) for name in COUNTS}
        cells |= {c.key: (c.count, t.count) for c, t in zip(row.categories, truth.categories, strict=True)}
        for name, (cell, true) in cells.items():
            assert true.value is not None
            counts[(row.group, name)] = int(true.value)
            if cell.suppressed:
                marks[(row.group, name)] = str(cell.note)
                if cell.note == "range":  # a widened mark: the range it surely lies in
                    ranges[(row.group, name)] = (int(cell.low or 0), int(cell.high or 0))
            else:  # a hidden count is never shown as zero; a shown one is the truth
                assert cell.value == true.value
        for share, count in zip(row.categories, truth.categories, strict=True):
            if share.share.value is not None:
                k, n = count.count.value, truth.pairs.value
                assert k is not None
                assert n is not None
                assert math.isclose(share.share.value, k / n)
                assert n >= 5
                assert not share.count.suppressed
    groups = [row.group for row in report.rows if row.group != "all"]
    keys = [c.key for c in report.rows[0].categories]
    parts = ("pairs", "start_only", "end_only", "neither")
    relations = [((g, "persons"), [(g, p) for p in parts]) for g in ["all", *groups]]
    relations += [((g, "pairs"), [(g, k) for k in keys]) for g in ["all", *groups]]
    relations += [(("all", name), [(g, name) for g in groups]) for name in [*COUNTS, *keys]]
    return pinned(counts, marks, relations, min_cell=5, hide_zero=hide_zero, ranges=ranges)


_WIDENED = [  # four groups of one: the engine widens a <5 to 0-4 (a range mark the attacker must read)
    {"p": p, "t": t, "g": g, **{f"who5_{i}": v for i in range(1, 6)}}
    for p, t, g, v in [(0, "t0", "a", None), (1, "t2", "c", None), (2, "t2", "a", 0), (3, "t0", "b", None)]
]


@settings(max_examples=200, deadline=None)
@given(drawn=studies(), hide_zero=st.booleans())
@example(
    drawn=(
        Study.from_long(
            _WIDENED, instruments={"who5": "who5"}, time_points=TIMES, person="p", time="t", groups=["g"]
        ),
        4,
    ),
    hide_zero=False,
)
def test_the_attacker_cannot_recover_a_hidden_count_in_a_change_report(drawn, hide_zero):
    study, _ = drawn
    assert _pinned(study, hide_zero=hide_zero) == []


def test_the_attacker_has_teeth(monkeypatch):
    """With primary suppression only, the attacker works the small group's 3 pairs back (23 - 20)."""
    rows = [
        {"p": p, "t": t, "g": "a" if p < 3 else "b", **{f"who5_{i}": 2 + (t == "t2") for i in range(1, 6)}}
        for p in range(23)
        for t in ("t0", "t2")
    ]
    study = Study.from_long(
        rows, instruments={"who5": "who5"}, time_points=TIMES, person="p", time="t", groups=["g"]
    )
    assert _pinned(study, hide_zero=False) == []
    monkeypatch.setattr(_moves, "protect", lambda *_: None)
    assert ("a", "pairs") in _pinned(study, hide_zero=False)
