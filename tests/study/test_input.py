"""Reading study data: any DataFrame library, versions, forms not given, and bad input."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import polars as pl
import pytest

from tests.study import synthetic
from trivselscore import get_instrument
from trivselscore.errors import CohortDataError, ResponseError, UnknownScaleError
from trivselscore.study import Study, Versions

pa = pytest.importorskip("pyarrow")
SDQ_ITEMS = get_instrument("sdq-s11-17").item_ids
MAIN = {"who5": ["percentage"], "sdq": ["total"], "scas": ["total"], "mfq": ["total"]}


def who5_rows(n: int = 10, times=("start", "end")) -> list[dict[str, Any]]:
    return [
        {
            "person": p,
            "time": t,
            "track": "a" if p % 2 else "b",
            "age": 15,
            **{f"who5_{i}": 3 for i in range(1, 6)},
        }
        for p in range(n)
        for t in times
    ]


def build(rows, **kwargs) -> Study:
    options = {"instruments": {"who5": "who5"}, "time_points": ["start", "end"], **kwargs}
    return Study.from_long(rows, **options)


def reports(study: Study) -> list[dict[str, Any]]:
    return [
        study.coverage(by=["forløb"]).to_dict(),
        study.change("start", "3 mdr", by=["forløb"], scales=MAIN).to_dict(),
        study.summary("who5", "percentage", by=["køn"], paired=("start", "3 mdr")).to_dict(),
        study.combined_change(
            "start", "3 mdr", scales={"sdq": "total", "mfq": "total"}, by=["forløb"]
        ).to_dict(),
    ]


def test_pandas_polars_and_pyarrow_give_identical_reports():
    data = synthetic.make(n_persons=240, seed=3)
    expected = reports(Study.from_long(data, **synthetic.study_kwargs()))
    for native in (pl.from_pandas(data), pa.Table.from_pandas(data, preserve_index=False)):
        assert reports(Study.from_long(native, **synthetic.study_kwargs())) == expected
    records = data.astype(object).where(data.notna(), None).to_dict("records")
    assert reports(Study.from_long(records, **synthetic.study_kwargs())) == expected


def test_to_frame_in_every_library():
    study = build(who5_rows(12))
    report = study.change("start", "end")
    assert isinstance(report.to_frame(), pd.DataFrame)
    assert isinstance(report.to_frame(native="polars"), pl.DataFrame)
    assert isinstance(report.to_frame(native="pyarrow"), pa.Table)
    assert report.to_frame(native="polars")["pairs"].to_list() == report.to_frame()["pairs"].tolist()


def test_versions_by_age_and_outside_age_range():
    rows = who5_rows(12)
    for i, row in enumerate(rows):
        row["age"] = [13, 20, 40][i % 3]
        row.update({f"scas_{k}": 1 for k in range(1, 45)})
    study = Study.from_long(
        rows, instruments={"scas": "scas-c", "who5": "who5"}, time_points=["start", "end"], age="age"
    )
    measure = study.measure("scas")
    assert measure.outside.sum() == 16  # the rows aged 20 and 40
    _, bands = measure.bands("total", None)
    assert all(b is None for b in bands[measure.outside])
    assert study.coverage(min_cell=0).rows[0].outside_age_range.value == 8
    assert study.summary("scas", "total", min_cell=0).rows[0].outside_age_range.value == 8


def test_versions_by_age_choose_per_row():
    rows = who5_rows(4)
    for i, row in enumerate(rows):
        row["age"] = 16 if i < 4 else 19
        row.update({f"sdq_{item}": 1 for item in SDQ_ITEMS})
    study = Study.from_long(
        rows, instruments={"sdq": ["sdq-s11-17", "sdq-s18"]}, time_points=["start", "end"], age="age"
    )
    assert study.measure("sdq").version.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert not study.measure("sdq").outside.any()


def test_version_named_by_a_column_and_an_unknown_one():
    rows = who5_rows(4)
    for i, row in enumerate(rows):
        row.update({f"mfq_{k}": 1 for k in range(1, 34)}, form="mfq-a" if i % 2 else "mfq-c")
    spec = {"mfq": Versions(["mfq-c", "mfq-a"], column="form")}
    study = Study.from_long(rows, instruments=spec, time_points=["start", "end"])
    assert study.measure("mfq").version.tolist() == [0, 1] * 4
    rows[3]["form"] = "smfq-c"
    with pytest.raises(CohortDataError, match=r"row 3 \(person 1, time 'end'\).*'smfq-c' is not one of"):
        Study.from_long(rows, instruments=spec, time_points=["start", "end"])


def test_scores_given_directly():
    rows = [
        {"person": p, "time": t, "pct": 40 + 4 * p if t == "end" else 40}
        for p in range(8)
        for t in ("start", "end")
    ]
    study = Study.from_long(
        rows,
        instruments={"who5": "who5"},
        time_points=["start", "end"],
        scores={"who5": {"percentage": "pct"}},
    )
    report = study.change("start", "end", scales={"who5": ["percentage"]}, min_cell=0)
    assert report.rows[0].categories[0].count.value == 7
    assert study.summary("who5", "percentage", min_cell=0).rows[0].bands[0].count.value == 8  # risk, below 50
    rows[0]["pct"] = 101
    with pytest.raises(CohortDataError, match=r"measure 'who5', column 'pct', row 0 \(person 0.*range 0-100"):
        Study.from_long(
            rows,
            instruments={"who5": "who5"},
            time_points=["start", "end"],
            scores={"who5": {"percentage": "pct"}},
        )


def test_a_zero_cell_stays_visible_and_hide_zero_hides_it():
    rows = who5_rows(20)
    for row in rows:
        if row["time"] == "end" and row["person"] < 14:
            row["who5_1"] = 5  # 14 improve, 6 stay the same, nobody declines
    study = build(rows)
    shown = study.change("start", "end", scales={"who5": ["percentage"]}).rows[0]
    decline = shown.categories[2]
    assert decline.count.value == 0
    assert decline.share.value == 0.0
    assert not decline.count.suppressed
    assert shown.categories[1].count.value == 6
    hidden = study.change("start", "end", scales={"who5": ["percentage"]}, hide_zero=True).rows[0]
    assert hidden.categories[2].count.note == "<5"
    assert hidden.categories[1].count.suppressed  # the second cell, so the zero cannot be worked back


def test_a_blank_form_is_not_given_and_a_gap_is_not_scored():
    rows = who5_rows(6)
    for i in range(5):
        rows[1][f"who5_{i + 1}"] = None  # person 0 at end: form not given
    rows[3]["who5_2"] = None  # person 1 at end: one item missing, not scored
    study = build(rows)
    report = study.summary("who5", "percentage", min_cell=0)
    end = report.rows[1]
    assert (end.rows.value, end.not_given.value, end.measured.value, end.n.value, end.not_scored.value) == (
        6,
        1,
        5,
        4,
        1,
    )
    change = study.change("start", "end", min_cell=0).rows[0]
    assert change.not_given.value == 1
    assert change.not_scored.value == 1


@pytest.mark.parametrize(
    ("edit", "kwargs", "match", "problem"),
    [
        (lambda r: r.append(dict(r[0])), {}, r"duplicate.*person 0 at 'start' in rows 0 and 20", "duplicate"),
        (lambda r: r[5].update(time="later"), {}, r"unknown time point 'later'.*person 2", "unknown_time"),
        (
            lambda r: r[1].update(track="z"),
            {"groups": ["track"]},
            r"person 0 has track='b' in row 0 but track='z'",
            "group_conflict",
        ),
        (
            lambda r: r[2].update(age=None),
            {"instruments": {"who5": ["who5"], "sdq": ["sdq-s11-17", "sdq-s18"]}, "age": "age"},
            r"measure 'sdq': row 2 \(person 1, time 'start'\) has no age",
            "missing_age",
        ),
        (
            lambda _: None,
            {"instruments": {"who5": "who5", "mfq": "mfq-c"}},
            r"measure 'mfq' \(mfq-c\) has no item column",
            "missing_column",
        ),
        (
            lambda _: None,
            {"columns": {"sdq": {"1": "x"}}},
            r"columns names measure\(s\) \['sdq'\]",
            "unknown_measure",
        ),
        (
            lambda r: r[4].update(who5_3="3"),
            {},
            r"column 'who5_3', row 4 \(person 2, time 'start'\): '3' is not a number",
            "bad_value",
        ),
        (lambda r: r[4].update(person=None), {}, r"no usable person id in rows \[4\]", "bad_value"),
    ],
)
def test_bad_input_names_the_person_row_or_measure(edit, kwargs, match, problem):
    rows = who5_rows()
    for row in rows:
        row.update({f"sdq_{item}": 1 for item in SDQ_ITEMS})
    edit(rows)
    with pytest.raises(CohortDataError, match=match) as caught:
        build(rows, **kwargs)
    assert caught.value.problem == problem


def test_a_bad_answer_names_row_person_and_column():
    rows = who5_rows()
    rows[7]["who5_2"] = 9
    with pytest.raises(
        ResponseError, match=r"measure 'who5', column 'who5_2', row 7 \(person 3, time 'end'\)"
    ):
        build(rows)


def test_bad_report_requests():
    study = build(who5_rows(12), groups=["track"])
    with pytest.raises(CohortDataError, match=r"unknown measure\(s\) \['sdq'\]") as caught:
        study.combined_change("start", "end", scales={"sdq": "total"})
    assert caught.value.problem == "unknown_measure"
    with pytest.raises(CohortDataError, match="same time point"):
        study.change("start", "start")
    with pytest.raises(CohortDataError, match="unknown time point 'x'"):
        study.summary("who5", "raw", paired=("start", "x"))
    with pytest.raises(CohortDataError, match="not given as groups"):
        study.change("start", "end", by=["gender"])
    with pytest.raises(UnknownScaleError, match="no scale 'total'"):
        study.summary("who5", "total")
    with pytest.raises(ValueError, match="rule must be"):
        study.combined_change("start", "end", scales={"who5": "raw"}, rule=2)
    with pytest.raises(ValueError, match="min_cell=2"):
        study.change("start", "end", min_cell=2)
    one_track = build([r for r in who5_rows(12) if r["track"] == "a"], groups=["track"]).predictors(
        "start", "end", measure="who5", scale="raw", covariates=["track"]
    )  # one value: no contrast, so the covariate is left out of the model, and the report says so
    assert ("track", "dropped") in [(m.covariate, m.action) for m in one_track.merged]
    assert [t.term for t in one_track.terms] == ["raw (start)"]


def test_empty_data_and_non_tables_are_errors():
    with pytest.raises(CohortDataError, match="no rows"):
        build([])
    with pytest.raises(CohortDataError, match="iterable of mappings"):
        build({"person": [1]})
    with pytest.raises(CohortDataError, match="row 1 is a list"):
        build([who5_rows(1)[0], [1, 2]])


def test_a_column_read_by_two_measures_is_an_error():
    rows = who5_rows()
    with pytest.raises(CohortDataError, match="read by measures 'a' and 'b'"):
        build(rows, instruments={"a": "who5", "b": "who5"})


def test_reprs_are_short_and_html_is_a_table():
    data = synthetic.make(n_persons=120, seed=5)
    study = Study.from_long(data, **synthetic.study_kwargs())
    items: list[Any] = [
        study,
        study.coverage(by=["forløb"]),
        study.change("start", "3 mdr", by=["forløb"]),
        study.summary("who5", "percentage", by=["køn"]),
        study.combined_change("start", "3 mdr", scales={"sdq": "total", "mfq": "total"}),
        study.predictors("start", "3 mdr", measure="who5", scale="percentage", covariates=["relation"]),
    ]
    for item in items:
        assert len(repr(item).splitlines()) <= 20
        html = item._repr_html_()
        assert html.startswith("<table>")
        assert html.endswith("</table>")
    for report in items[1:]:
        assert report.table("en") != report.table("da")
        assert str(report) == report.table()


def test_a_small_regression_hides_its_odds_ratios():
    rows = who5_rows(8)
    for row in rows:
        row["relation"] = row["person"] % 3
        if row["time"] == "end" and row["person"] < 3:
            row["who5_1"] = 5
    report = build(rows).predictors("start", "end", measure="who5", scale="raw", covariates=["relation"])
    assert all(t.odds_ratio.suppressed and t.p_value is None for t in report.terms)
    assert report.improved.note == "<5"
    assert math.isnan(report.to_frame()["odds_ratio"][0])


def test_methods_and_options_per_measure():
    rows = who5_rows(12)
    for row in rows:
        if row["time"] == "end":
            row["who5_1"] = 5  # +8 points: beyond 0, below the 10-point threshold
    study = build(rows)
    default = study.change("start", "end", scales={"who5": ["percentage"]}, min_cell=0)
    assert default.rows[0].categories[0].count.value == 12
    strict = study.change(
        "start", "end", scales={"who5": ["percentage"]}, method={"who5": "threshold"}, min_cell=0
    )
    assert strict.rows[0].categories[1].count.value == 12
    assert strict.rules["who5/percentage"].method == "threshold"
    tolerant = study.change(
        "start",
        "end",
        scales={"who5": ["percentage"]},
        options={"who5/percentage": {"tolerance": 8}},
        min_cell=0,
    )
    assert tolerant.rows[0].categories[1].count.value == 12
    with pytest.raises(ValueError, match="method= has no entry for 'who5'"):
        study.change("start", "end", method={"sdq": "difference"})


def test_versions_must_share_their_scales():
    with pytest.raises(CohortDataError, match="versions 'who5' and 'mfq-c' have different scales") as caught:
        build(who5_rows(), instruments={"x": ["who5", "mfq-c"]})
    assert caught.value.problem == "unknown_measure"
