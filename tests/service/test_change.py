"""POST /v1/change: numbers, stored scores or answers -> the change category with its rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from trivselscore import classify_change, score

if TYPE_CHECKING:
    import httpx


def change(http: httpx.Client, **body: object) -> httpx.Response:
    return http.post("/v1/change", json={"instrument": "who5", "scale": "percentage", **body})


def test_numbers_give_the_library_result(http):
    response = change(http, method="threshold", before=40, after=52)
    assert response.status_code == 200
    body = response.json()
    expected = classify_change("who5", "percentage", 40, 52, method="threshold")
    assert body["change"] == expected.model_dump(mode="json")
    assert (body["category"], body["label_da"], body["label_en"]) == (
        "improvement",
        "fremgang",
        "improvement",
    )
    assert body["change"]["rule"]["important_change"]["source"]["citation"]
    assert body["before_score"] is None


def test_answers_are_scored_first(http):
    before, after = [1, 1, 2, 1, 1], [3, 3, 3, 4, 3]
    response = change(
        http,
        method="reliable_change",
        before={"answers": before},
        after={"answers": after},
        options={"z": 1.645},
    )
    body = response.json()
    first, second = score("who5", before), score("who5", after)
    expected = classify_change("who5", "percentage", first, second, method="reliable_change", z=1.645)
    assert body["change"] == expected.model_dump(mode="json")
    assert body["before_score"] == first.model_dump(mode="json")
    assert body["after_score"] == second.model_dump(mode="json")


def test_stored_scores_round_trip(http):
    first = score("who5", [1, 1, 1, 1, 1]).model_dump(mode="json")
    second = http.post("/v1/instruments/who5/score", json={"answers": [4, 4, 4, 4, 4]}).json()
    body = change(http, method="difference", before=first, after=second, options={"tolerance": 4}).json()
    assert body["category"] == "improvement"
    assert (body["change"]["before"], body["change"]["after"]) == (20, 80)


def test_missing_value_gives_no_category_with_reason(http):
    body = change(http, method="difference", before=40, after=None).json()
    assert body["category"] is None
    assert body["change"]["reason"] == "after is missing"


def test_clinical_significance_with_populations(http):
    options = {
        "sd": 15,
        "reliability": 0.8,
        "cutoff": "c",
        "functional": {"mean": 70, "sd": 15},
        "dysfunctional": {"mean": 35, "sd": 15},
    }
    body = change(http, method="clinical_significance", before=20, after=90, options=options).json()
    assert body["category"] == "recovered"


@pytest.mark.parametrize(
    ("body", "kind", "parameter"),
    [
        ({"scale": "percent", "method": "threshold", "before": 40, "after": 50}, "unknown-scale", "scale"),
        ({"method": "rci", "before": 40, "after": 50}, "invalid-change-parameter", "method"),
        (
            {"method": "difference", "before": 40, "after": 50, "options": {"z": 2}},
            "invalid-change-parameter",
            "z",
        ),
        (
            {
                "method": "reliable_change",
                "before": 40,
                "after": 50,
                "options": {"sd": -1, "reliability": 0.8},
            },
            "invalid-change-parameter",
            "sd",
        ),
        ({"method": "threshold", "before": 400, "after": 50}, "invalid-change-value", None),
        (
            {"instrument": "who-5", "method": "threshold", "before": 4, "after": 5},
            "unknown-instrument",
            "instrument",
        ),
        ({"method": "threshold", "before": "40", "after": 50}, "invalid-parameter", "before"),
        ({"method": "threshold", "before": 40, "after": 50, "missing": "x"}, "invalid-parameter", "missing"),
    ],
)
def test_bad_change_requests_are_422(http, body, kind, parameter):
    response = change(http, **body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == f"https://trivselscore.dev/problems/{kind}"
    if parameter is not None:
        assert problem["parameter"].split(".")[0] == parameter


def test_score_of_another_instrument_is_422(http):
    other = score("smfq-c", [0] * 13).model_dump(mode="json")
    response = change(http, method="difference", before=other, after=50)
    assert response.status_code == 422
    assert response.json()["type"] == "https://trivselscore.dev/problems/invalid-change-value"


def test_bad_answers_in_a_change_name_the_item(http):
    response = change(http, method="difference", before={"answers": [1, 1, 1, 1, 7]}, after=50)
    assert (response.status_code, response.json()["item"], response.json()["value"]) == (422, "5", 7)
