"""The study reports checked against independent pandas / numpy / statsmodels computations.

The data are the synthetic evaluation of ``tests/study/synthetic.py``. Scores of the
SDQ, SCAS and MFQ come from ``score_frame`` (the engine is tested elsewhere); the
WHO-5 score is also recomputed by hand. Everything the study adds (forms not
given, versions by age or column, pairs, shares, means, the combined criterion,
the regression) is recomputed here with plain pandas.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.study import synthetic
from trivselscore import get_instrument, score_frame
from trivselscore.study import Study

sm = pytest.importorskip("statsmodels.api")
proportion_confint = pytest.importorskip("statsmodels.stats.proportion").proportion_confint
MAIN = {"who5": ["percentage"], "sdq": ["total"], "scas": ["total"], "mfq": ["total"]}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return synthetic.make()


@pytest.fixture(scope="module")
def study(data) -> Study:
    return Study.from_long(data, **synthetic.study_kwargs())


def version_of(measure: str, frame: pd.DataFrame) -> pd.Series:
    if measure == "sdq":
        return pd.Series(np.where(frame["alder"] <= 17, "sdq-s11-17", "sdq-s18"), index=frame.index)
    if measure == "mfq":
        return frame["mfq_form"]
    return pd.Series({"who5": "who5", "scas": "scas-c"}[measure], index=frame.index)


def expected(data: pd.DataFrame, measure: str, scale: str) -> pd.DataFrame:
    """Per row: given (any item answered), version, score (NaN unless scored)."""
    items = data.filter(regex=f"^{measure}_(?!form)")
    out = pd.DataFrame({"id": data["id"], "time": data["tidspunkt"], "given": items.notna().any(axis=1)})
    out["version"] = version_of(measure, data).where(out["given"])
    out["score"] = np.nan
    for version, rows in out[out["given"]].groupby("version"):
        instrument = get_instrument(str(version))
        columns = {i: f"{measure}_{i}" for i in instrument.item_ids}
        scored = score_frame(
            instrument, data.loc[rows.index], columns=columns, respondent={"age": "alder", "sex": "sex"}
        )
        out.loc[rows.index, "score"] = scored[scale]
    return out


def grid(frame: pd.DataFrame, study: Study, column: str = "score") -> np.ndarray:
    table = frame.pivot_table(index="id", columns="time", values=column, dropna=False)
    return table.reindex(index=pd.unique(frame["id"]), columns=list(study.time_points)).to_numpy(dtype=float)


def test_who5_scores_by_hand_and_every_scale_by_the_engine(data, study):
    items = data[[f"who5_{i}" for i in range(1, 6)]]
    by_hand = (4 * items.sum(axis=1)).where(items.notna().all(axis=1))
    table = pd.DataFrame({"id": data["id"], "time": data["tidspunkt"], "score": by_hand})
    assert np.allclose(study.values("who5", "percentage"), grid(table, study), equal_nan=True)
    for measure, scales in {"sdq": ["total", "emotional"], "scas": ["total"], "mfq": ["total"]}.items():
        for scale in scales:
            truth = grid(expected(data, measure, scale), study)
            assert np.allclose(study.values(measure, scale), truth, equal_nan=True), (measure, scale)


def test_coverage_counts_every_row(data, study):
    report = study.coverage(by=["forløb"], min_cell=0)
    frame = report.to_frame()
    for measure in MAIN:
        truth = expected(data, measure, "total" if measure != "who5" else "percentage")
        truth["forløb"] = data["forløb"]
        truth["outside"] = truth["given"] & (data["alder"] > 17) & (measure == "scas")
        for (time, track), rows in truth.groupby(["time", "forløb"]):
            got = frame[(frame.measure == measure) & (frame.time == time) & (frame.group == track)].iloc[0]
            assert got["rows"] == len(rows)
            assert got["not_given"] == (~rows["given"]).sum()
            assert got["given"] == rows["given"].sum()
            assert got["outside_age_range"] == rows["outside"].sum()
            for version, count in rows["version"].value_counts().items():
                assert got[f"{version}_count"] == count
    every = frame[frame.group == "all"].groupby("measure")["rows"].sum()
    assert (every == len(data)).all()


@pytest.mark.parametrize(("start", "end"), [("start", "efter forløb"), ("start", "3 mdr")])
def test_change_against_pandas(data, study, start, end):
    report = study.change(start, end, by=["forløb"], scales=MAIN, min_cell=0)
    frame = report.to_frame()
    tracks = data.groupby("id", sort=False)["forløb"].first()
    for measure, (scale,) in MAIN.items():
        truth = grid(expected(data, measure, scale), study)
        s, e = study.time_points.index(start), study.time_points.index(end)
        before, after = truth[:, s], truth[:, e]
        better = 1 if get_instrument(synthetic.FORMS[measure]).scale(scale).higher_is_better else -1
        for group in ["all", *sorted(tracks.unique())]:
            members = np.ones(len(tracks), bool) if group == "all" else (tracks == group).to_numpy()
            pairs = members & ~np.isnan(before) & ~np.isnan(after)
            diff = (after - before)[pairs] * better
            got = frame[(frame.measure == measure) & (frame.group == group)].iloc[0]
            assert got["pairs"] == pairs.sum()
            assert got["start_only"] == (members & ~np.isnan(before) & np.isnan(after)).sum()
            counts = {
                "improvement": (diff > 0).sum(),
                "status_quo": (diff == 0).sum(),
                "decline": (diff < 0).sum(),
            }
            for key, count in counts.items():
                assert got[f"{key}_count"] == count
            assert got["pairs"] == sum(counts.values())
            assert got["persons"] == got["pairs"] + got["start_only"] + got["end_only"] + got["neither"]
            if pairs.sum() >= 2:
                raw = (after - before)[pairs]
                assert math.isclose(got["mean_change"], raw.mean())
                assert math.isclose(got["sd_change"], raw.std(ddof=1))
                assert math.isclose(got["dz"], raw.mean() / raw.std(ddof=1))
                low, high = proportion_confint(counts["improvement"], pairs.sum(), method="wilson")
                assert math.isclose(got["improvement_share"], counts["improvement"] / pairs.sum())
                assert math.isclose(got["improvement_share_low"], low, abs_tol=1e-9)
                assert math.isclose(got["improvement_share_high"], high, abs_tol=1e-9)


def test_shown_cells_equal_the_raw_counts_and_hidden_ones_are_marked(study):
    raw = study.change("start", "3 mdr", by=["forløb"], scales=MAIN, min_cell=0).to_frame()
    safe = study.change("start", "3 mdr", by=["forløb"], scales=MAIN).to_frame()
    for column in ["pairs", "improvement_count", "status_quo_count", "decline_count", "start_only"]:
        for value, truth, hidden in zip(safe[column], raw[column], safe["suppressed"], strict=True):
            if column in hidden.split(","):
                assert math.isnan(value)
            else:
                assert value == truth
                assert not 0 < truth < 5


def test_combined_criterion_against_pandas(data, study):
    scales = {"sdq": "total", "scas": "total", "mfq": "total"}
    report = study.combined_change("start", "efter forløb", scales=scales, by=["forløb"], min_cell=0)
    s, e = 0, 2
    improved = np.ones(study.n_persons, bool)
    complete = np.ones(study.n_persons, bool)
    for measure, scale in scales.items():
        truth = grid(expected(data, measure, scale), study)
        complete &= ~np.isnan(truth[:, s]) & ~np.isnan(truth[:, e])
        improved &= truth[:, e] < truth[:, s]  # lower is better on all three
    tracks = data.groupby("id", sort=False)["forløb"].first().to_numpy()
    for row in report.rows:
        members = np.ones(len(tracks), bool) if row.group == "all" else tracks == row.group
        assert row.complete.value == (members & complete).sum()
        assert row.left_out.value == (members & ~complete).sum()
        assert row.improved.value == (members & complete & improved).sum()
        if row.complete.value:
            assert math.isclose(row.share.value, row.improved.value / row.complete.value)
    any_report = study.combined_change("start", "efter forløb", scales=scales, rule="any", min_cell=0)
    at_least = study.combined_change("start", "efter forløb", scales=scales, rule=1, min_cell=0)
    assert any_report.rows[0].improved == at_least.rows[0].improved
    assert any_report.rows[0].improved.value >= report.rows[0].improved.value


def test_paired_means_by_gender(data, study):
    report = study.summary("who5", "percentage", by=["køn"], paired=("start", "efter rådgivning"), min_cell=0)
    truth = grid(expected(data, "who5", "percentage"), study)
    both = ~np.isnan(truth[:, 0]) & ~np.isnan(truth[:, 1])
    gender = data.groupby("id", sort=False)["køn"].first().to_numpy()
    for row in report.rows:
        t = study.time_points.index(row.time)
        members = (np.ones(len(gender), bool) if row.group == "all" else gender == row.group) & both
        values = truth[members, t]
        values = values[~np.isnan(values)]
        assert row.n.value == values.size
        if values.size >= 2:
            assert math.isclose(row.mean.value, values.mean())
            assert math.isclose(row.sd.value, values.std(ddof=1))
            risk = next(b for b in row.bands if b.key == "risk")
            assert risk.count.value == (values < 50).sum()
        if t in (0, 1):
            assert row.n.value == members.sum()
    assert "målt både ved start og efter rådgivning" in report.table()


def test_risk_at_start_share(data, study):
    row = study.summary("who5", "percentage").rows[0]
    truth = grid(expected(data, "who5", "percentage"), study)[:, 0]
    truth = truth[~np.isnan(truth)]
    risk = next(b for b in row.bands if b.key == "risk")
    assert math.isclose(risk.share.value, (truth < 50).mean())


def test_predictors_against_statsmodels(data, study):
    report = study.predictors(
        "start", "efter rådgivning", measure="who5", scale="percentage", covariates=["netværk", "relation"]
    )
    truth = grid(expected(data, "who5", "percentage"), study)
    first = data[data["tidspunkt"] == "start"].set_index("id").reindex(pd.unique(data["id"]))
    frame = pd.DataFrame(
        {
            "y": (truth[:, 1] > truth[:, 0]).astype(float),
            "start": truth[:, 0],
            "svagt": (first["netværk"] == "svagt").astype(float).to_numpy(),
            "relation": first["relation"].to_numpy(),
            "ok": ~np.isnan(truth[:, 0]) & ~np.isnan(truth[:, 1]) & first["netværk"].notna().to_numpy(),
        }
    )
    used = frame[frame["ok"]]
    fitted = sm.Logit(used["y"], sm.add_constant(used[["start", "svagt", "relation"]])).fit(disp=0)
    assert report.n.value == len(used)
    assert report.left_out.value == study.n_persons - len(used)
    for term, name in zip(report.terms, ["start", "svagt", "relation"], strict=True):
        assert math.isclose(term.odds_ratio.value, math.exp(fitted.params[name]), rel_tol=1e-6)
        low, high = np.exp(fitted.conf_int().loc[name])
        assert math.isclose(term.odds_ratio.low, low, rel_tol=1e-6)
        assert math.isclose(term.odds_ratio.high, high, rel_tol=1e-6)
    assert report.terms[1].reference == "godt"
    assert report.terms[1].odds_ratio.value < 1 < report.terms[2].odds_ratio.value  # the design


def test_the_cohort_bridge_agrees(study):
    cohort = study.cohort("who5")
    theirs = cohort.change("percentage", "start", "3 mdr", method="difference", by=["forløb"], min_cell=0)
    ours = study.change("start", "3 mdr", by=["forløb"], scales={"who5": ["percentage"]}, min_cell=0)
    for a, b in zip(theirs.rows, ours.rows, strict=True):
        assert a.group == b.group
        assert a.pairs.value == b.pairs.value
        assert [c.count.value for c in a.categories] == [c.count.value for c in b.categories]
        assert math.isclose(a.mean_change.value, b.mean_change.value)
    assert study.cohort("sdq").instrument.id == "sdq-s11-17"  # several versions: scores given


def test_forms_not_given_are_not_measurements(study):
    report = study.summary("sdq", "total", min_cell=0)
    row = next(r for r in report.rows if r.time == "efter rådgivning")
    assert row.measured.value == 0
    assert row.not_given.value == row.rows.value > 0
    cohort_rows = study.cohort("sdq").summary("total", min_cell=0).rows
    assert next(r for r in cohort_rows if r.time == "efter rådgivning").measured.value == 0
