"""The embedding example (examples/api.py): the service mounted in another FastAPI app."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx2")

from examples.api import app
from fastapi.testclient import TestClient

from trivselscore import Score

client = TestClient(app)
SCORE = "/trivselscore/v1/instruments/who5/score"


def test_the_host_app_links_to_the_service():
    assert client.get("/").json()["scoring"] == "/trivselscore/v1/instruments"
    assert client.get("/trivselscore/health").json() == {"status": "ok"}


def test_valid_form_is_scored_and_stored_result_round_trips():
    body = {"answers": {"1": 3, "2": 2, "3": 2, "4": 1, "5": 3}, "respondent": {"age": 16}}
    response = client.post(SCORE, json=body)
    assert response.status_code == 200
    stored = Score.model_validate(response.json())
    assert stored.values == {"raw": 11, "percentage": 44}
    assert stored["percentage"].band == "risk"
    assert response.json()["instrument_version"] == "1"


def test_bad_input_is_a_problem_not_a_500():
    response = client.post(SCORE, json={"answers": {"1": 3}, "respondent": {"age": -3}})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == "respondent.age"
    out_of_range = client.post(SCORE, json={"answers": {"1": 6}}).json()
    assert (out_of_range["item"], out_of_range["value"], out_of_range["allowed"]) == (
        "1",
        6,
        [0, 1, 2, 3, 4, 5],
    )


def test_the_contract_and_the_schema_are_served_under_the_mount():
    assert client.get("/trivselscore/openapi.json").json()["info"]["title"] == "trivselscore scoring service"
    assert (
        client.get("/trivselscore/v1/instruments/sdq-s11-17/schema").json()["additionalProperties"] is False
    )
    assert client.get("/trivselscore/v1/instruments/nope/schema").status_code == 404
