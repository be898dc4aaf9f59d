"""Cohort reports: counts, means, shares with intervals, change on complete pairs, suppression."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore import ChangeCategory, CohortDataError, ResponseError, UnknownScaleError, score
from trivselscore.cohort import Cell, Cohort
from trivselscore.cohort import stats as _stats

TIMES = ["start", "slut", "3 mdr"]


def who5_rows(
    answers: Mapping[Any, list[int | None]], groups: Mapping[Any, dict[str, str]] | None = None
) -> list[dict[str, object]]:
    """Records with item columns who5_1..who5_5 from {(person, time): answers}."""
    rows = []
    for (person, time), items in answers.items():
        row: dict[str, object] = {"person": person, "time": time}
        row.update({f"who5_{i}": v for i, v in enumerate(items, start=1)})
        row.update((groups or {}).get(person, {}))
        rows.append(row)
    return rows


def score_rows(
    values: Mapping[Any, float | None], groups: Mapping[Any, dict[str, str]] | None = None
) -> list[dict[str, object]]:
    return [{"person": p, "time": t, "pct": v, **(groups or {}).get(p, {})} for (p, t), v in values.items()]


def cohort_of(
    values: Mapping[Any, float | None], groups: Mapping[Any, dict[str, str]] | None = None, **kwargs: Any
) -> Cohort:
    rows = score_rows(values, groups)
    names = sorted({k for g in (groups or {}).values() for k in g})
    return Cohort.from_long(
        rows, "who5", time_points=TIMES, groups=names, scores={"percentage": "pct"}, **kwargs
    )


# --- change.md section 4.2: the paired vector d = (-7, -2, 3, 8, 13) ------------------------


def test_mean_change_ci_and_dz_reproduce_the_paired_vector():
    before = [40, 40, 40, 40, 40]
    after = [40 + d for d in (-7, -2, 3, 8, 13)]
    values = {(p, "start"): b for p, b in enumerate(before)} | {(p, "slut"): a for p, a in enumerate(after)}
    row = cohort_of(values).change("percentage", "start", "slut", method="difference").rows[0]
    assert row.pairs.value == 5
    assert row.mean_change.value == 3.0
    assert row.sd_change.value == pytest.approx(7.905694, abs=5e-7)
    assert row.dz.value == pytest.approx(0.3794733, abs=5e-8)  # = t / sqrt(5) = 0.8485281 / sqrt(5)
    half = 2.7764451051977987 * 7.905694150420948 / math.sqrt(5)
    assert (row.mean_change.low, row.mean_change.high) == pytest.approx((3 - half, 3 + half), abs=1e-9)


# --- change.md section 4.1: shares with Wilson / Clopper-Pearson, 7 of 50 ----------------------


@pytest.mark.parametrize(
    ("interval", "expected"),
    [("wilson", (0.0695083, 0.2618619)), ("clopper-pearson", (0.0581917, 0.2673960))],
)
def test_band_share_7_of_50_with_both_intervals(interval, expected):
    values = {(p, "start"): (40.0 if p < 7 else 80.0) for p in range(50)}
    summary = cohort_of(values).summary("percentage", interval=interval)
    risk = summary.rows[0].bands[0]
    assert risk.key == "risk"
    assert risk.count.value == 7
    assert risk.share.value == pytest.approx(0.14)
    assert (risk.share.low, risk.share.high) == pytest.approx(expected, abs=5e-7)
    assert summary.rows[0].bands[1].count.value == 43


# --- summaries --------------------------------------------------------------------------------


def test_summary_counts_means_and_groups_from_item_answers():
    answers: dict[tuple[int, str], list[int | None]] = {}
    groups: dict[int, dict[str, str]] = {}
    for p in range(12):
        groups[p] = {"gender": "girl" if p < 6 else "boy"}
        answers[(p, "start")] = [p % 4, 2, 2, 2, 2]
        if p != 0:
            answers[(p, "slut")] = [3, 3, 3, 3, 3 if p != 1 else None]  # person 1 skips an item
    cohort = Cohort.from_long(who5_rows(answers, groups), "who5", time_points=TIMES, groups=["gender"])
    summary = cohort.summary("percentage", by=["gender"], min_cell=5)
    by_key = {(r.time, r.group): r for r in summary.rows}
    start = np.array(
        [score("who5", answers[(p, "start")])["percentage"].value for p in range(12)], dtype=float
    )
    assert by_key[("start", "all")].n.value == 12
    assert by_key[("start", "all")].mean.value == pytest.approx(start.mean())
    assert by_key[("start", "all")].sd.value == pytest.approx(start.std(ddof=1))
    assert by_key[("start", "girl")].mean.value == pytest.approx(start[:6].mean())
    assert by_key[("start", "boy")].mean.value == pytest.approx(start[6:].mean())
    slut = by_key[("slut", "all")]
    assert slut.n.value == 10
    assert slut.not_scored.suppressed  # 1 < 5, shown as "<5", never 0
    assert slut.measured.note == "hidden"  # else measured - n = 1 gives not_scored away
    assert [r.group for r in summary.rows[:3]] == ["all", "boy", "girl"]
    nobody = by_key[("3 mdr", "all")]
    assert nobody.measured.value == 0  # a count of 0 is not a small cell: shown (issue 14 item 4)
    assert nobody.mean == Cell(value=None, note="n=0")
    hidden_zero = cohort.summary("percentage", by=["gender"], hide_zero=True)
    assert hidden_zero.hide_zero
    assert next(r for r in hidden_zero.rows if r.time == "3 mdr").measured.note == "<5"


def test_records_and_dataframe_give_the_same_report():
    pd = pytest.importorskip("pandas")
    values = {(p, t): float(4 * ((p * 7 + i * 3) % 26)) for p in range(30) for i, t in enumerate(TIMES)}
    groups = {p: {"course": "counselling" if p % 3 else "individual"} for p in range(30)}
    rows = score_rows(values, groups)
    kwargs: dict[str, Any] = {"time_points": TIMES, "groups": ["course"], "scores": {"percentage": "pct"}}
    from_records = Cohort.from_long(rows, "who5", **kwargs)
    from_frame = Cohort.from_long(pd.DataFrame(rows), "who5", **kwargs)
    assert from_records.summary("percentage", by=["course"]) == from_frame.summary(
        "percentage", by=["course"]
    )
    change = from_frame.change("percentage", "start", "3 mdr", method="threshold", by=["course"])
    assert change == from_records.change("percentage", "start", "3 mdr", method="threshold", by=["course"])
    frame = change.to_frame()
    assert list(frame["group"]) == ["all", "counselling", "individual"]
    assert "improvement_share" in frame.columns
    assert "suppressed" in frame.columns


# --- change -----------------------------------------------------------------------------------


def test_change_counts_everyone_and_uses_complete_pairs_only():
    values: dict[tuple[object, str], float | None] = {}
    for p in range(20):
        values[(p, "start")] = 40.0
    for p in range(12):
        values[(p, "slut")] = 56.0 if p < 9 else 28.0  # 9 improve, 3 decline
    for p in range(20, 26):
        values[(p, "slut")] = 60.0  # six without a start score
    for p in range(26, 32):
        values[(p, "3 mdr")] = 60.0  # six measured at neither start nor end
    values[(40, "start")] = None  # a row without a score (counted as not scored)
    report = cohort_of(values).change("percentage", "start", "slut", method="threshold")
    row = report.rows[0]
    assert row.persons.value == 33
    assert row.pairs.value == 12
    assert row.start_only.value == 8
    assert row.attrition.value == pytest.approx(8 / 20)
    assert row.end_only.value == 6
    assert row.neither.value == 7
    assert row.not_scored.suppressed  # 1 person
    shares = {c.key: c for c in row.categories}
    assert shares["status_quo"].share.value == 0
    assert (shares["status_quo"].share.low, shares["status_quo"].share.high) == pytest.approx(
        _stats.wilson(0, 12)
    )
    assert shares["decline"].count.suppressed
    assert shares["decline"].share.note == "<5"
    # status quo (0) is shown, so decline (3) would be 12 - 9 - 0: improvement is hidden too
    assert shares["status_quo"].count.value == 0
    assert shares["improvement"].count.note == "hidden"
    assert shares["improvement"].share.note == "hidden"
    assert row.mean_change.value == pytest.approx((9 * 16 - 3 * 12) / 12)
    assert report.rule.method == "threshold"
    assert "John Ware" in report.table()
    assert str(report) == report.table()
    exported = json.loads(json.dumps(report.to_dict()))
    assert exported["rule"]["important_change"]["value"] == 10
    assert exported["rows"][0]["pairs"]["value"] == 12
    assert "alle" in report.table()
    assert "all" in report.table(language="en")


def test_change_with_clinical_significance_lists_five_categories():
    values = {(p, "start"): 20.0 for p in range(10)} | {(p, "slut"): 80.0 for p in range(10)}
    report = cohort_of(values).change(
        "percentage", "start", "slut", method="clinical_significance", cutoff=50
    )
    assert [c.key for c in report.rows[0].categories] == [str(c) for c in report.rule.categories]
    assert report.rows[0].categories[0].count.value == 10
    assert report.rows[0].categories[0].key == ChangeCategory.RECOVERED


# --- suppression ------------------------------------------------------------------------------


def test_small_group_is_suppressed_and_the_next_smallest_too():
    values = {(p, "start"): 40.0 + p for p in range(23)}
    groups = {p: {"g": "a" if p < 3 else ("b" if p < 10 else "c")} for p in range(23)}
    summary = cohort_of(values, groups).summary("percentage", by=["g"])
    rows = {r.group: r for r in summary.rows if r.time == "start"}
    assert rows["all"].n.value == 23
    assert rows["a"].n == Cell(value=None, suppressed=True, note="<5")
    assert rows["a"].mean == Cell(value=None, suppressed=True, note="n<5")
    assert rows["b"].n.suppressed  # 7 would reveal a's 3 from the total 23
    assert rows["b"].n.note == "hidden"
    assert rows["b"].mean.value is None
    assert rows["c"].n.value == 13
    text = summary.table()
    assert "<5" in text
    assert "skjult" in text
    assert summary.to_dict()["rows"][1]["n"] == {
        "value": None,
        "low": None,
        "high": None,
        "suppressed": True,
        "note": "<5",
    }


def test_min_cell_is_configurable():
    values = {(p, "start"): 40.0 for p in range(3)} | {(p, "slut"): 52.0 for p in range(3)}
    cohort = cohort_of(values)
    assert cohort.change("percentage", "start", "slut", method="threshold").rows[0].pairs.suppressed
    shown = cohort.change("percentage", "start", "slut", method="threshold", min_cell=3).rows[0]
    assert shown.pairs.value == 3
    assert shown.categories[0].count.value == 3
    open_table = cohort.change("percentage", "start", "slut", method="threshold", min_cell=0).rows[0]
    assert [c.count.value for c in open_table.categories] == [3, 0, 0]


# --- bad input ----------------------------------------------------------------------------------


def test_duplicate_person_and_time_point():
    rows = [{"person": 1, "time": "start", "pct": 40}, {"person": 1, "time": "start", "pct": 44}]
    with pytest.raises(
        CohortDataError, match=r"duplicate \(person, time point\) rows \[0, 1\]: \(1, 'start'\)"
    ) as caught:
        Cohort.from_long(rows, "who5", time_points=TIMES, scores={"percentage": "pct"})
    assert caught.value.problem == "duplicate"
    assert caught.value.rows == (0, 1)


def test_unknown_time_point_label():
    rows = [{"person": 1, "time": "start", "pct": 40}, {"person": 1, "time": "after", "pct": 44}]
    with pytest.raises(CohortDataError, match=r"unknown time point label\(s\) 'after'.*rows \[1\]") as caught:
        Cohort.from_long(rows, "who5", time_points=TIMES, scores={"percentage": "pct"})
    assert caught.value.problem == "unknown_time"
    cohort = Cohort.from_long(rows[:1], "who5", time_points=TIMES, scores={"percentage": "pct"})
    with pytest.raises(CohortDataError, match="unknown time point label 'after'"):
        cohort.change("percentage", "start", "after", method="difference")
    with pytest.raises(CohortDataError, match="same time point"):
        cohort.change("percentage", "start", "start", method="difference")


@pytest.mark.parametrize(
    ("rows", "kwargs", "error", "match"),
    [
        ([{"person": 1, "tid": "start", "pct": 4}], {}, CohortDataError, "no column 'time'"),
        ([{"person": None, "time": "start", "pct": 4}], {}, CohortDataError, "no usable person id"),
        (
            [{"person": 1, "time": "start", "pct": 104}],
            {},
            CohortDataError,
            "outside who5/percentage's range 0-100",
        ),
        ([{"person": 1, "time": "start", "pct": "high"}], {}, CohortDataError, "'high' is not a number"),
        (
            [{"person": 1, "time": "start", "pct": 4}],
            {"scores": {"total": "pct"}},
            UnknownScaleError,
            "no scale 'total'",
        ),
        (
            [{"person": 1, "time": "start", "pct": 4}],
            {"scores": None},
            CohortDataError,
            "no column for who5 item '1'",
        ),
        (
            [{"person": 1, "time": "start", "pct": 4}],
            {"time_points": ["a", "a"]},
            CohortDataError,
            "distinct",
        ),
        ([["person", 1]], {}, CohortDataError, "row 0 is a list"),
        (
            [
                {"person": 1, "time": "start", "pct": 4, "g": "x"},
                {"person": 1, "time": "slut", "pct": 4, "g": "y"},
            ],
            {"groups": ["g"]},
            CohortDataError,
            "person 1 has g='x' in row 0 but g='y' in row 1",
        ),
        (
            [{"person": 1, "time": "start", "who5_1": 9, "who5_2": 1, "who5_3": 1, "who5_4": 1, "who5_5": 1}],
            {"scores": None},
            ResponseError,
            "row 0",
        ),
    ],
)
def test_bad_data_raises_clear_errors(rows, kwargs, error, match):
    options = {"time_points": TIMES, "scores": {"percentage": "pct"}} | kwargs
    with pytest.raises(error, match=match):
        Cohort.from_long(rows, "who5", **options)


def test_bad_report_arguments():
    cohort = cohort_of({(1, "start"): 40.0})
    with pytest.raises(CohortDataError, match="by= names"):
        cohort.summary("percentage", by=["gender"])
    with pytest.raises(UnknownScaleError, match="not available in this cohort"):
        cohort.summary("raw")
    with pytest.raises(ValueError, match="unknown interval method"):
        cohort.summary("percentage", interval="wald")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no cutoff scheme 'nope'"):
        cohort.summary("percentage", scheme="nope")
    with pytest.raises(ValueError, match="min_cell must be >= 0"):
        cohort.summary("percentage", min_cell=-1)
    with pytest.raises(CohortDataError, match="iterable of mappings"):
        Cohort.from_long({"person": [1]}, "who5", time_points=TIMES)


# --- properties ---------------------------------------------------------------------------------

SCORES = st.one_of(st.none(), st.integers(0, 25).map(lambda r: 4.0 * r))


@given(
    st.lists(st.tuples(SCORES, SCORES, st.sampled_from(["a", "b"])), min_size=1, max_size=40),
    st.sampled_from(["difference", "threshold", "reliable_change"]),
)
def test_category_shares_sum_to_one_and_everyone_is_counted(people, method):
    values: dict[tuple[object, str], float | None] = {}
    groups = {}
    for p, (before, after, group) in enumerate(people):
        values[(p, "start")] = before
        values[(p, "slut")] = after
        groups[p] = {"g": group}
    report = cohort_of(values, groups).change(
        "percentage", "start", "slut", method=method, by=["g"], min_cell=0
    )
    for row in report.rows:
        pairs = row.pairs.value
        assert sum(c.count.value or 0 for c in row.categories) == pairs
        if pairs:
            assert math.fsum(c.share.value or 0 for c in row.categories) == pytest.approx(1.0)
        parts = (row.pairs, row.start_only, row.end_only, row.neither)
        assert sum(int(c.value or 0) for c in parts) == row.persons.value


@given(
    st.lists(st.tuples(SCORES, st.sampled_from(["a", "b", "c"])), min_size=1, max_size=40), st.integers(1, 8)
)
def test_suppressed_cells_never_carry_a_number(people, min_cell):
    values = {(p, "start"): v for p, (v, _) in enumerate(people)}
    groups = {p: {"g": g} for p, (_, g) in enumerate(people)}
    summary = cohort_of(values, groups).summary("percentage", by=["g"], min_cell=min_cell)
    for row in summary.rows:
        cells = [row.measured, row.n, row.not_scored, row.mean, row.sd]
        cells += [c for b in row.bands for c in (b.count, b.share)]
        for cell in cells:
            assert cell.suppressed == (cell.value is None and cell.note is not None and cell.note != "n=0")
            if cell.value is not None and cell in (row.measured, row.n):
                assert cell.value >= min_cell or cell.value == 0


def test_schemes_and_scales_without_bands():
    values = {(p, "start"): 4.0 * p for p in range(26)}
    cohort = cohort_of(values)
    three = cohort.summary("percentage", scheme="dk-3band").rows[0]
    assert [b.key for b in three.bands] == ["high_risk", "risk", "no_risk"]
    assert [b.count.value for b in three.bands] == [None, None, 13]
    assert [b.count.note for b in three.bands] == ["hidden", "<5", None]  # 4 in (35, 50]; then 9
    with pytest.raises(CohortDataError, match=r"column 'pct': 28 \(row 7\) is outside who5/raw's range 0-25"):
        Cohort.from_long(score_rows(values), "who5", time_points=TIMES, scores={"raw": "pct"})
    raw = Cohort.from_long(
        score_rows({(p, "start"): float(p % 26) for p in range(26)}),
        "who5",
        time_points=TIMES,
        scores={"raw": "pct"},
    )
    summary = raw.summary("raw")  # the default scheme bands only the percentage score
    assert summary.scheme is None
    assert summary.rows[0].bands == ()
    with pytest.raises(ValueError, match="does not band scale 'raw'"):
        raw.summary("raw", scheme="risk")


def test_sex_and_age_columns_and_empty_data():
    rows = [
        {"person": 1, "time": "start", "pct": 40, "sex": "female", "age": 15},
        {"person": 2, "time": "start", "pct": 60, "sex": None, "age": None},
    ]
    cohort = Cohort.from_long(
        rows, "who5", time_points=TIMES, scores={"percentage": "pct"}, sex="sex", age="age"
    )
    assert cohort.summary("percentage", min_cell=0).rows[0].n.value == 2
    with pytest.raises(CohortDataError, match=r"sex 'x' is not a sex word; use female, male.*pige"):
        Cohort.from_long(
            [rows[0] | {"sex": "x"}], "who5", time_points=TIMES, scores={"percentage": "pct"}, sex="sex"
        )
    with pytest.raises(CohortDataError, match="no usable person id"):
        Cohort.from_long([rows[0] | {"person": [1]}], "who5", time_points=TIMES, scores={"percentage": "pct"})
    empty = Cohort.from_long([], "who5", time_points=TIMES, person="id")
    assert empty.n_persons == 0
    assert empty.summary("percentage").rows[0].n.value == 0
    assert empty.summary("percentage", hide_zero=True).rows[0].n.suppressed


def test_core_import_needs_no_optional_dependency():
    code = (
        "import sys, trivselscore, trivselscore.cohort, trivselscore.plots;"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'scipy', 'hypothesis') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# --- regressions: scores-only T-score schemes, respondent columns, secondary suppression --------


def test_scas_summary_from_scores_skips_the_t_score_default_scheme():
    rows = [{"person": p, "time": t, "tot": 10} for p in range(6) for t in ("a", "b")]
    cohort = Cohort.from_long(rows, "scas-p", time_points=["a", "b"], scores={"total": "tot"})
    summary = cohort.summary("total")
    assert summary.scheme is None
    assert summary.rows[0].bands == ()
    assert summary.rows[0].mean.value == 10.0
    scheme = cohort.instrument.default_scheme
    assert scheme is not None
    with pytest.raises(ValueError, match="T-scores"):
        cohort.summary("total", scheme=scheme)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("age", 200),
        ("age", -1),
        ("age", math.inf),
        ("age", 10**400),
        ("sex", ["female"]),
        ("sex", {"female"}),
        ("sex", 1),
        ("pct", 10**400),
    ],
)
def test_bad_respondent_and_score_values_name_the_row(column, value):
    rows = [{"person": p, "time": "start", "pct": 40, "age": 15, "sex": "male"} for p in range(6)]
    rows[2][column] = value
    with pytest.raises(CohortDataError) as caught:
        Cohort.from_long(
            rows, "who5", time_points=["start"], scores={"percentage": "pct"}, sex="sex", age="age"
        )
    assert caught.value.rows == (2,)


def test_huge_integer_item_answer_is_a_cohort_data_error():
    rows = who5_rows({(p, "start"): [3, 3, 3, 3, 3] for p in range(6)})
    rows[4]["who5_2"] = 10**400
    with pytest.raises(CohortDataError) as caught:
        Cohort.from_long(rows, "who5", time_points=["start"])
    assert caught.value.rows == (4,)


def test_numpy_string_sex_is_accepted():
    rows = [{"person": p, "time": "start", "pct": 40, "sex": np.str_("female")} for p in range(6)]
    cohort = Cohort.from_long(rows, "who5", time_points=["start"], scores={"percentage": "pct"}, sex="sex")
    assert cohort.n_persons == 6


def test_not_scored_cannot_be_worked_back_from_measured_minus_n():
    answers: dict[tuple[int, str], list[int | None]] = {
        (p, "start"): ([3, 3, 3, 3, 3] if p >= 3 else [3, 3, None, 3, 3]) for p in range(20)
    }
    row = Cohort.from_long(who5_rows(answers), "who5", time_points=["start"]).summary("percentage").rows[0]
    assert row.n.value == 17
    assert row.not_scored.suppressed
    assert row.measured.suppressed  # else 20 - 17 = 3
    assert row.measured.note == "hidden"


def test_start_only_cannot_be_worked_back_from_persons():
    values: dict[tuple[int, str], float | None] = {}
    for p in range(20):
        values[(p, "start")] = 40.0
        if p >= 3:
            values[(p, "slut")] = 60.0
    for p in range(20, 26):
        values[(p, "slut")] = 60.0  # 6 end only
    for p in range(26, 31):
        values[(p, "3 mdr")] = 60.0  # 5 neither
    row = cohort_of(values).change("percentage", "start", "slut", method="difference").rows[0]
    parts = (row.pairs, row.start_only, row.end_only, row.neither)
    assert row.start_only.note == "<5"
    assert row.attrition.suppressed
    assert [c.suppressed for c in parts] == [False, True, False, True]  # neither (5) hidden too
    assert row.neither.note == "hidden"


def test_band_count_of_one_group_cannot_be_worked_back_from_the_all_row():
    rows = []
    pid = 0
    for group, risk, no_risk in (("A", 3, 10), ("B", 8, 12)):
        for k in range(risk + no_risk):
            rows.append({"person": pid, "time": "t0", "g": group, "pct": 40 if k < risk else 80})
            pid += 1
    cohort = Cohort.from_long(rows, "who5", time_points=["t0"], groups=["g"], scores={"percentage": "pct"})
    by_group = {r.group: r for r in cohort.summary("percentage", by=["g"]).rows}
    assert by_group["all"].bands[0].count.value == 11
    assert by_group["A"].bands[0].count.note == "<5"
    assert by_group["B"].bands[0].count.suppressed  # else 11 - 8 = 3
    for group in ("A", "B"):  # and n - risk gives risk back
        assert all(b.count.suppressed and b.share.suppressed for b in by_group[group].bands)


def test_change_category_count_of_one_group_cannot_be_worked_back_from_the_all_row():
    values: dict[tuple[int, str], float | None] = {}
    groups: dict[int, dict[str, str]] = {}
    changes = {"A": [20] * 10 + [0] * 3 + [-20] * 6, "B": [20] * 12 + [0] * 8 + [-20] * 6}
    pid = 0
    for group, deltas in changes.items():
        for delta in deltas:
            values[(pid, "start")], values[(pid, "slut")] = 40.0, 40.0 + delta
            groups[pid] = {"g": group}
            pid += 1
    report = Cohort.from_long(
        score_rows(values, groups), "who5", time_points=TIMES, groups=["g"], scores={"percentage": "pct"}
    ).change("percentage", "start", "slut", method="difference", by=["g"])
    by_group = {r.group: {c.key: c.count for c in r.categories} for r in report.rows}
    assert by_group["all"]["status_quo"].value == 11
    assert by_group["A"]["status_quo"].note == "<5"
    assert by_group["B"]["status_quo"].suppressed  # else 11 - 8 = 3
