"""The evaluation's analyses (issue 23 item 4) against an independent pandas computation.

Data: the realistic export of ``tests/study/realistic.py`` (about 200 young people,
three tracks, four time points, drop-out, forms not given). With ``min_cell=1``
nothing is hidden (no count is from 1 to 0), so every number is compared.
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.study import realistic
from trivselscore.errors import CohortDataError
from trivselscore.study import Study

pd = pytest.importorskip("pandas")

ITEMS = [f"who5_{i}" for i in range(1, 6)]
CS = {"sdq": {"cutoff": 16}}


@pytest.fixture(scope="module")
def data():
    records = realistic.rows()
    study = Study.from_long(
        records,
        instruments=realistic.INSTRUMENTS,
        time_points=realistic.TIMES,
        person="id",
        time="tidspunkt",
        groups=["forløb", "køn"],
        sex="køn",
        age="alder",
    )
    frame = pd.DataFrame(records)
    complete = frame[ITEMS].notna().all(axis=1)
    frame["score"] = (frame[ITEMS].sum(axis=1) * 4).where(complete)  # WHO-5 percentage: raw x 4
    frame["given"] = frame[ITEMS].notna().any(axis=1)
    return study, frame


def _groups(frame: Any, column: str) -> list[tuple[str, Any]]:
    return [
        ("all", frame),
        *((str(k), g) for k, g in sorted(frame.groupby(column), key=lambda kv: str(kv[0]))),
    ]


def test_the_frame_scores_as_the_study(data):
    study, frame = data
    wide = frame.pivot(index="id", columns="tidspunkt", values="score")[realistic.TIMES]
    values = study.values("who5", "percentage")
    ids = sorted(frame["id"].unique())
    np.testing.assert_array_equal(wide.loc[ids].to_numpy(dtype=float), values)


@pytest.mark.parametrize("times", [None, ["start", "efter forløb"], ["start", "efter samtaler", "3 mdr"]])
def test_paired_means_by_sex_equal_pandas(data, times):
    study, frame = data
    report = study.sex_means("who5", "percentage", sex="køn", by=["forløb"], time_points=times, min_cell=1)
    chosen = times or realistic.TIMES
    wide = frame.pivot(index="id", columns="tidspunkt", values="score")[chosen].dropna()
    people = frame.drop_duplicates("id").set_index("id")[["forløb", "køn"]]
    expected = {}
    for track, in_track in _groups(people, "forløb"):
        for sex, persons in _groups(in_track, "køn"):
            cell = wide.loc[wide.index.isin(persons.index)]
            expected[track, sex] = (len(cell), [cell[t].mean() if len(cell) else None for t in chosen])
    assert report.time_points == tuple(chosen)
    assert {(r.group, r.sex) for r in report.rows} == set(expected)
    for r in report.rows:
        n, means = expected[r.group, r.sex]
        assert r.n.value == n
        for cell, mean in zip(r.means, means, strict=True):
            assert (cell.value is None) == (mean is None)
            if mean is not None:
                assert math.isclose(cell.value, mean)


def test_two_time_points_pair_as_the_change_table(data):
    """Two time points: n is the change table's pairs, group by group."""
    study, _ = data
    paired = study.sex_means("who5", "percentage", sex="køn", by=["forløb"], time_points=["start", "3 mdr"])
    change = study.change("start", "3 mdr", by=["forløb"], scales={"who5": ["percentage"]})
    totals = {r.group: r.n.value for r in paired.rows if r.sex == "all"}
    assert totals == {r.group: r.pairs.value for r in change.rows}


def test_flow_equals_pandas(data):
    study, frame = data
    report = study.flow("who5", "percentage", by=["forløb"], min_cell=1)
    given = frame[frame["score"].notna()]
    rows = {(r.group, r.time): r for r in report.rows}
    people = frame.drop_duplicates("id")
    for track, members in _groups(people, "forløb"):
        ids = set(members["id"])
        at = {t: set(given.loc[given["tidspunkt"] == t, "id"]) & ids for t in realistic.TIMES}
        for i, time in enumerate(realistic.TIMES):
            row = rows[track, time]
            assert row.measured.value == len(at[time])
            if i == 0:
                assert row.dropout.value is None
                continue
            before = at[realistic.TIMES[i - 1]]
            out = len(before - at[time])
            assert row.dropout.value == out
            if before:
                assert math.isclose(row.dropout_share.value, out / len(before))


def test_fremgang_across_measures_equals_pandas(data):
    """WHO-5 (10 points, the minimal important change) and SDQ (any change down) against pandas."""
    study, frame = data
    method = {"who5": "threshold", "sdq": "difference"}
    report = study.fremgang(
        "start", "efter forløb", scales={"who5": "percentage", "sdq": "total"}, by=["forløb"], method=method
    )
    wide = frame.pivot(index="id", columns="tidspunkt", values="score")[["start", "efter forløb"]].dropna()
    wide = wide.join(frame.drop_duplicates("id").set_index("id")["forløb"])
    sdq = study.values("sdq", "total")
    ids = sorted(frame["id"].unique())
    sdq_wide = pd.DataFrame(sdq[:, [0, 2]], index=ids, columns=["start", "end"]).dropna()
    sdq_wide = sdq_wide.join(frame.drop_duplicates("id").set_index("id")["forløb"])
    rows = {(r.measure, r.group): r for r in report.rows}
    for track, pairs in _groups(wide, "forløb"):
        better = int(((pairs["efter forløb"] - pairs["start"]) >= 10).sum())
        row = rows["who5", track]
        assert (row.pairs.value, row.improved.value) == (len(pairs), better)
        assert math.isclose(row.share.value, better / len(pairs))
        assert row.share.low < row.share.value < row.share.high
    for track, pairs in _groups(sdq_wide, "forløb"):
        row = rows["sdq", track]
        assert (row.pairs.value, row.improved.value) == (
            len(pairs),
            int((pairs["end"] < pairs["start"]).sum()),
        )


def test_fremgang_under_clinical_significance_adds_the_recovered(data):
    study, _ = data
    report = study.fremgang(
        "start",
        "efter forløb",
        scales={"sdq": "total"},
        method="clinical_significance",
        options=CS,
        min_cell=1,
    )
    change = study.change(
        "start",
        "efter forløb",
        scales={"sdq": ["total"]},
        method="clinical_significance",
        options=CS,
        min_cell=1,
    )
    better = sum(c.count.value for c in change.rows[0].categories if c.key in {"improvement", "recovered"})
    assert report.rows[0].improved.value == better
    assert report.rows[0].pairs.value == change.rows[0].pairs.value


def test_small_cells_are_hidden_in_every_analysis(data):
    study, _ = data
    paired = study.sex_means("who5", "percentage", sex="køn", by=["forløb"])
    for r in paired.rows:
        if r.n.value is None:
            assert all(m.value is None for m in r.means)
        else:
            assert r.n.value == 0 or r.n.value >= 5
    flow = study.flow("who5", by=["forløb"])
    assert all(r.dropout.value is None or r.dropout.value == 0 or r.dropout.value >= 5 for r in flow.rows)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.sex_means("who5", "percentage", sex="køn", time_points=["start"]), "at least two"),
        (
            lambda s: s.sex_means("who5", "percentage", sex="køn", time_points=["start", "start"]),
            "at least two",
        ),
        (lambda s: s.sex_means("who5", "percentage", sex="køn", by=["køn"]), "also in by"),
        (lambda s: s.sex_means("who5", "percentage", sex="køn", time_points=["start", "x"]), "unknown time"),
        (lambda s: s.flow("nope"), "unknown measure"),
        (lambda s: s.flow("who5", by=["spor"]), "not given as groups"),
        (lambda s: s.fremgang("start", "start", scales={"who5": "percentage"}), "start"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(data, call, message):
    study, _ = data
    with pytest.raises(CohortDataError, match=message):
        call(study)


def test_the_reports_print_as_tables(data):
    study, _ = data
    assert "efter køn" in study.sex_means("who5", "percentage", sex="køn").table()
    assert "frafald" in study.flow("who5").table("da")
    assert "drop-out" in study.flow("who5").table("en")
    text = study.fremgang("start", "3 mdr", scales={"who5": "percentage"}).table("en")
    assert "fremgang across measures" in text
    assert len(study.fremgang("start", "3 mdr", scales={"who5": "percentage"}).to_frame()) == 1
    assert "by sex, only persons measured at every one of" in study.sex_means("who5", "raw", sex="køn").table(
        "en"
    )
    assert len(study.flow("who5").records()) == len(realistic.TIMES)  # no groups: everyone
    assert study.sex_means("who5", "raw", sex="køn", by=["forløb"]).records()[0]["n"] >= 0


def _random_rows(seed: int) -> list[dict[str, Any]]:
    """A random small study: tracks a/b, two sexes, three time points, rows and forms now and then missing."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    rows = []
    for p in range(rng.randint(3, 40)):
        track, sex = rng.choice("ab"), rng.choice(["female", "male"])
        for t in ("t0", "t1", "t2"):
            if rng.random() < 0.25:
                continue
            form = rng.random() > 0.15
            answers = {f"who5_{i}": rng.randint(0, 5) if form else None for i in range(1, 6)}
            rows.append({"person": p, "time": t, "track": track, "sex": sex, **answers})
    return rows


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_flow_and_paired_means_equal_a_plain_count_on_random_studies(seed):
    rows = _random_rows(seed)
    assume(rows)
    times = ["t0", "t1", "t2"]
    study = Study.from_long(rows, instruments={"who5": "who5"}, time_points=times, groups=["track", "sex"])
    score = {
        (r["person"], r["time"]): 4 * sum(r[f"who5_{i}"] for i in range(1, 6))
        for r in rows
        if r["who5_1"] is not None
    }
    people = {r["person"]: (r["track"], r["sex"]) for r in rows}
    flow = {(r.group, r.time): r for r in study.flow("who5", "percentage", by=["track"], min_cell=1).rows}
    paired = study.sex_means("who5", "percentage", sex="sex", by=["track"], min_cell=1)
    for track in ["all", *sorted({t for t, _ in people.values()})]:
        members = {p for p, (t, _) in people.items() if track in {"all", t}}
        at = [{p for p in members if (p, t) in score} for t in times]
        for i, t in enumerate(times):
            row = flow[track, t]
            assert row.measured.value == len(at[i])
            if i:
                joined = len(at[i] - at[i - 1])
                assert row.dropout.value == len(at[i - 1] - at[i])
                assert row.measured.value == len(at[i - 1]) - row.dropout.value + joined
    for r in paired.rows:
        chosen = {
            p
            for p, (t, s) in people.items()
            if r.group in {"all", t} and r.sex in {"all", s} and all((p, x) in score for x in times)
        }
        assert r.n.value == len(chosen)
        for cell, t in zip(r.means, times, strict=True):
            expected = sum(score[p, t] for p in chosen) / len(chosen) if chosen else None
            assert (cell.value is None) == (expected is None)
            if expected is not None:
                assert cell.value is not None
                assert math.isclose(cell.value, expected)
