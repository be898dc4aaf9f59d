"""The FastAPI example of the "For system developers" page, run with FastAPI's test client."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx2")

from examples.api import app
from fastapi.testclient import TestClient

from trivselscore import Score

client = TestClient(app)


def test_valid_form_is_scored_and_stored_result_round_trips():
    response = client.post("/who5/score?age=16", json={"1": 3, "2": 2, "3": 2, "4": 1, "5": 3})
    assert response.status_code == 200
    body = response.json()
    stored = Score.model_validate(body)
    assert stored.values == {"raw": 11, "percentage": 44}
    assert stored["percentage"].band == "risk"
    assert body["instrument_version"] == "1"
    assert body["library_version"]


def test_out_of_range_answer_is_rejected_before_scoring():
    response = client.post("/who5/score", json={"1": 6})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "1"]


def test_unknown_item_is_rejected():
    response = client.post("/who5/score", json={"6": 1})
    assert response.status_code == 422


def test_missing_answers_give_none_with_reasons():
    body = client.post("/who5/score", json={"1": 3}).json()
    assert body["scales"][0]["value"] is None
    assert body["scales"][0]["reason"] == "1 of 5 items answered; the rule in use needs all 5"


def test_schema_endpoint():
    assert client.get("/schema/sdq-s11-17").json()["additionalProperties"] is False
    assert client.get("/schema/nope").status_code == 404
