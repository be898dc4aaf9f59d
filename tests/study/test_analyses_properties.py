"""Properties of the other questions' counts and of the merging of small categories (issue 23)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from trivselscore.study import Study
from trivselscore.study.groups import merge_small

TIMES = ["start", "slut"]
ANSWERS = ["ja", "nej", "ved ikke"]


@st.composite
def studies(draw: st.DrawFn) -> tuple[Study, list[dict[str, object]]]:
    n = draw(st.integers(1, 30))
    rows: list[dict[str, object]] = []
    for p in range(n):
        track = draw(st.sampled_from(["a", "b", "c"]))
        for time in TIMES:
            if time != "start" and draw(st.booleans()):
                continue
            answer = draw(st.sampled_from([*ANSWERS, None, "", " ja "]))
            rows.append(
                {"id": p, "t": time, "spor": track, "q": answer, **{f"who5_{i}": 3 for i in range(1, 6)}}
            )
    study = Study.from_long(
        rows, instruments={"who5": "who5"}, time_points=TIMES, person="id", time="t", groups=["spor"]
    )
    return study, rows


@given(studies())
def test_every_row_is_answered_or_blank_and_every_answer_is_counted_once(drawn):
    study, rows = drawn
    report = study.survey("q", answers=ANSWERS, time_points=TIMES, by=["spor"], min_cell=1)
    for row in report.rows:
        mine = [r for r in rows if r["t"] == row.time and (row.group == "all" or r["spor"] == row.group)]
        text = [None if r["q"] is None or not str(r["q"]).strip() else str(r["q"]).strip() for r in mine]
        assert row.rows.value == len(mine) == (row.n.value or 0) + (row.blank.value or 0)
        assert row.n.value == sum(t is not None for t in text)
        assert [a.count.value for a in row.answers] == [text.count(a) for a in ANSWERS]
        for a in row.answers:
            if row.n.value:
                assert a.share.value is not None
                assert abs(a.share.value - text.count(a.key) / row.n.value) < 1e-12
    for time in TIMES:
        block = [r for r in report.rows if r.time == time]
        assert block[0].n.value == sum(r.n.value or 0 for r in block[1:])


@given(
    st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from("xyz"), st.booleans()), max_size=60),
    st.integers(1, 6),
)
def test_every_category_left_in_a_model_has_enough_persons_and_both_outcomes(people, limit):
    first = [p[0] for p in people]
    second = [p[1] for p in people]
    outcome = np.array([p[2] for p in people], dtype=bool)
    start = np.ones(len(people), dtype=bool)
    grouped, used, said = merge_small({"f": first, "s": second}, start, outcome, limit)
    assert not (used & ~start).any()
    for name, levels in grouped.items():
        assert len(levels) >= 2
        members = [lv.members & used for lv in levels]
        for m in members:
            assert m.sum() >= limit
            assert 0 < (m & outcome).sum() < m.sum()
        assert (np.sum(members, axis=0) == used).all(), name  # the levels partition the model's persons
    dropped = {c for c, action, _ in said if action == "dropped"}
    assert dropped.isdisjoint(grouped)
    assert set(grouped) | dropped == {"f", "s"}
