"""Scoring one respondent over HTTP, and every error status of the score route."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.service.conftest import MAX_BODY_BYTES
from trivselscore import Respondent, Score, score

if TYPE_CHECKING:
    import httpx

SCORE = "/v1/instruments/{}/score"
PROBLEM = "application/problem+json"


def problem_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def test_who5_score_is_the_library_score(http):
    answers = {"1": 3, "2": 4, "3": 2, "4": 3, "5": 1}
    response = http.post(SCORE.format("who5"), json={"answers": answers, "respondent": {"age": 16}})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    expected = score("who5", answers, respondent=Respondent(age=16))
    assert response.json() == expected.model_dump(mode="json")
    assert Score.model_validate(response.json()) == expected


def test_sdq_with_every_option(http):
    answers = [1, 2, 0, 1, 2] * 5 + [2, 1, 1, 0, 1, 2, 1, 0, 1, 1]
    body = {
        "answers": answers,
        "respondent": {"age": 14, "sex": "female"},
        "missing": "prorate",
        "scheme": "sdq-4band",
    }
    response = http.post(SCORE.format("sdq-s11-17"), json=body)
    expected = score(
        "sdq-s11-17",
        answers,
        missing="prorate",
        scheme="sdq-4band",
        respondent=Respondent(age=14, sex="female"),
    )
    assert response.json() == expected.model_dump(mode="json")


def test_norms_and_missing_variant(http):
    answers = [1] * 38
    response = http.post(SCORE.format("scas-p"), json={"answers": answers, "norms": "nauta-2004"})
    assert response.json() == score("scas-p", answers, norms="nauta-2004").model_dump(mode="json")
    sdq = [1] * 35
    response = http.post(SCORE.format("sdq-p4-17"), json={"answers": sdq, "missing": "pmhc-total"})
    assert response.json()["policy"] == "pmhc-total"


def test_missing_answers_give_none_with_reason(http):
    body = http.post(SCORE.format("who5"), json={"answers": {"1": 3}}).json()
    assert body["scales"][0]["value"] is None
    assert body["scales"][0]["reason"] == "1 of 5 items answered; the rule in use needs all 5"


@pytest.mark.parametrize(
    ("answers", "item", "value"),
    [
        ({"1": 6}, "1", 6),
        ({"1": -1}, "1", -1),
        ({"1": "3"}, "1", None),  # only a value shaped like a code is repeated
        ({"1": True}, "1", None),
        ({"1": 2.5}, "1", None),
        ({"1": 1000}, "1", None),
        ({"9": 1}, "9", None),
    ],
)
def test_bad_answer_is_422_naming_item_value_and_codes(http, answers, item, value):
    problem = problem_of(http.post(SCORE.format("who5"), json={"answers": answers}), 422)
    assert problem["type"] == "https://trivselscore.dev/problems/invalid-answers"
    assert problem["instrument"] == "who5"
    assert problem["item"] == item
    assert problem.get("value") == value
    assert ("(withheld)" in problem["detail"]) == (value is None and item == "1")
    if item != "9":
        assert problem["allowed"] == [0, 1, 2, 3, 4, 5]


def test_wrong_length_list_is_422(http):
    problem = problem_of(http.post(SCORE.format("who5"), json={"answers": [1, 2]}), 422)
    assert "expected 5 answers" in problem["detail"]


def test_incomplete_answers_with_missing_raise(http):
    response = http.post(SCORE.format("who5"), json={"answers": [1, 2, None, 3, 4], "missing": "raise"})
    problem = problem_of(response, 422)
    assert problem["type"] == "https://trivselscore.dev/problems/incomplete-answers"


@pytest.mark.parametrize(
    ("respondent", "parameter", "value"),
    [
        ({"age": -3}, "respondent.age", -3),
        ({"sex": "x"}, "respondent.sex", "x"),
        ({"age": 200}, "respondent.age", 200),
    ],
)
def test_bad_respondent_is_422_not_500(http, respondent, parameter, value):
    response = http.post(SCORE.format("who5"), json={"answers": [1] * 5, "respondent": respondent})
    problem = problem_of(response, 422)
    assert problem["parameter"] == parameter
    assert problem["value"] == value
    assert problem["errors"][0]["location"] == parameter


@pytest.mark.parametrize(
    ("option", "value", "allowed"),
    [
        ("scheme", "nope", ["risk", "dk-3band", "who-form"]),
        ("missing", "impute", ["raise", "propagate", "prorate"]),
        ("norms", "danish-2030", []),
    ],
)
def test_unknown_option_is_422_listing_the_allowed_values(http, option, value, allowed):
    problem = problem_of(http.post(SCORE.format("who5"), json={"answers": [1] * 5, option: value}), 422)
    assert (problem["parameter"], problem["value"], problem["allowed"]) == (option, value, allowed)
    assert problem["type"] == "https://trivselscore.dev/problems/invalid-parameter"


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2", b'{"answers": [1, 1, 1, 1, 1], }', b"\xff\xfe"],
)
def test_malformed_json_is_422(http, body):
    response = http.post(SCORE.format("who5"), content=body, headers={"content-type": "application/json"})
    problem = problem_of(response, 422)
    assert problem["type"] == "https://trivselscore.dev/problems/invalid-request"


@pytest.mark.parametrize(
    "body", [{}, {"answers": "3 4 2"}, {"answers": [1] * 5, "extra": 1}, {"answers": [1] * 5, "missing": 3}]
)
def test_wrong_shape_is_422(http, body):
    problem_of(http.post(SCORE.format("who5"), json=body), 422)


def test_empty_body_is_422(http):
    response = http.post(SCORE.format("who5"), content=b"", headers={"content-type": "application/json"})
    problem_of(response, 422)


def test_unknown_instrument_is_404(http):
    problem = problem_of(http.post(SCORE.format("sdq"), json={"answers": [1]}), 404)
    assert problem["value"] == "sdq"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_wrong_content_type_is_415(http, content_type):
    headers = {} if content_type is None else {"content-type": content_type}
    response = http.post(SCORE.format("who5"), content=json.dumps({"answers": [1] * 5}), headers=headers)
    problem = problem_of(response, 415)
    assert problem["allowed"] == ["application/json"]


def test_json_with_charset_is_accepted(http):
    response = http.post(
        SCORE.format("who5"),
        content=json.dumps({"answers": [1] * 5}),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200


def test_declared_length_above_the_limit_is_413_at_once(http):
    body = json.dumps({"answers": [1] * 5, "pad": " " * MAX_BODY_BYTES})
    response = http.post(SCORE.format("who5"), content=body, headers={"content-type": "application/json"})
    problem = problem_of(response, 413)
    assert str(MAX_BODY_BYTES) in problem["detail"]


def test_streamed_body_above_the_limit_is_413(http):
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer encoding
        yield b'{"answers": [1, 1, 1, 1, 1], "pad": "'
        for _ in range(MAX_BODY_BYTES // 4096 + 2):
            yield b" " * 4096
        yield b'"}'

    response = http.post(SCORE.format("who5"), content=chunks(), headers={"content-type": "application/json"})
    problem_of(response, 413)


def test_streamed_body_below_the_limit_is_scored(http):
    def chunks() -> Iterator[bytes]:
        yield b'{"answers": '
        yield b"[1, 1, 1, 1, 1]}"

    response = http.post(SCORE.format("who5"), content=chunks(), headers={"content-type": "application/json"})
    assert response.json()["scales"][0]["value"] == 5
