"""Every result type serialises to JSON and back, and records what produced it."""

from __future__ import annotations

import importlib.metadata
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.contract.checks import CHECKS
from trivselscore import (
    INSTRUMENTS,
    ChangeResult,
    Respondent,
    Score,
    classify_change,
    score,
    score_batch,
)
from trivselscore.cohort import Cohort
from trivselscore.cohort.report import ChangeSummary, TimePointSummary
from trivselscore.strategies import responses


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
@given(data=st.data())
def test_score_round_trips_through_json(instrument_id, data):
    answers = data.draw(responses(instrument_id, missing="sometimes"))
    result = score(instrument_id, answers, respondent=Respondent(age=15, sex="female"))
    again = Score.model_validate_json(result.model_dump_json())
    assert again == result
    assert again.values == result.values
    # built without validation inside the engine; validates all the same
    assert Score.model_validate(result.model_dump()) == result


def test_score_records_library_and_definition_versions():
    result = score("who5", [1, 2, 3, 4, 5])
    assert result.library_version == importlib.metadata.version("trivselscore")
    assert result.instrument_version == INSTRUMENTS["who5"].version
    dumped = json.loads(result.model_dump_json())
    assert dumped["instrument_id"] == "who5"
    assert dumped["policy"] == "default"
    assert dumped["scheme"] == "risk"


def test_change_result_round_trips_through_json():
    result = classify_change("who5", "percentage", 32, 60, method="reliable_change")
    again = ChangeResult.model_validate_json(result.model_dump_json())
    assert again == result
    assert again.category == result.category


def _cohort() -> Cohort:
    records = []
    for person in range(12):
        for time, shift in (("start", 0), ("end", 1)):
            answers = {f"who5_{i}": min(5, (person + i + shift) % 6) for i in range(1, 6)}
            records.append(
                {"person": f"p{person}", "time": time, "sex": "girl" if person % 2 else "boy", **answers}
            )
    return Cohort.from_long(records, "who5", time_points=("start", "end"), groups=["sex"])


def test_cohort_reports_round_trip_through_json():
    cohort = _cohort()
    summary = cohort.summary("percentage", by=["sex"])
    change = cohort.change("percentage", "start", "end", method="difference")
    assert TimePointSummary.model_validate_json(summary.model_dump_json()) == summary
    assert ChangeSummary.model_validate_json(change.model_dump_json()) == change
    assert json.loads(json.dumps(summary.to_dict())) == summary.to_dict()
    assert json.loads(json.dumps(change.to_dict())) == change.to_dict()


def test_contract_checks_are_all_named():
    assert set(CHECKS) == {
        "range",
        "monotone",
        "reverse-involution",
        "bands-partition",
        "batch-equals-single",
        "single-equals-numpy",
        "prorate-equals-raw",
        "boundaries-reached",
        "json-round-trip",
        "response-model",
    }


@pytest.mark.parametrize(
    ("sex", "band", "label"),
    [("male", "below_cutoff", "below 6"), ("female", "below_cutoff", "below 12")],
)
def test_band_label_comes_from_the_table_that_applied(sex, band, label):
    # Jarbin 2020 bands have the same ids for girls and boys but different edges and labels.
    answers = {str(i): 0 for i in range(1, 14)} | {"1": 2, "2": 2}  # SMFQ total 4
    found = score("smfq-c", answers, respondent=Respondent(sex=sex), scheme="jarbin-2020")["total"]
    jarbin = next(b for b in found.bands if b.scheme == "jarbin-2020")
    assert (jarbin.band, jarbin.label_en) == (band, label)
    batch = score_batch("smfq-c", [[2, 2] + [0] * 11] * 2, respondent=[Respondent(sex=sex), Respondent()])
    assert batch.row(0)["total"].bands == found.bands
    assert batch.bands("total", "jarbin-2020").tolist() == [band, None]
