"""Problem details, what they may repeat, and the middleware's last guard, in process (no server needed)."""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import Any

import pytest
from pydantic import ValidationError

from trivselscore import Respondent
from trivselscore.fhir.guard import quote
from trivselscore.service import redact
from trivselscore.service.middleware import BodyTooLargeError, ServiceMiddleware
from trivselscore.service.problems import PROBLEM_TYPES, from_exception, problem_type


def test_every_problem_type_has_a_uri_and_unknown_names_fail():
    assert all(problem_type(name).endswith(name) for name in PROBLEM_TYPES)
    with pytest.raises(KeyError):
        problem_type("teapot")


def test_a_validation_error_raised_anywhere_is_a_422():
    with pytest.raises(ValidationError) as caught:
        Respondent.model_validate({"age": -1})
    problem = from_exception(caught.value, row=4)
    assert (problem.status, problem.parameter, problem.value, problem.row) == (422, "age", -1, 4)


@pytest.mark.parametrize(
    ("answer", "rule"),
    [
        ("x" * 1000, "is not a number"),
        ([1], "is not a number"),
        ({"a": "Anna Hansen"}, "is not a number"),
        ("Anna Hansen", "is not a number"),
    ],
)
def test_text_and_odd_values_are_withheld(http, answer, rule):
    problem = http.post("/v1/instruments/who5/score", json={"answers": {"1": answer}}).json()
    assert "value" not in problem
    assert problem["detail"].startswith(f"who5: item '1': (withheld) {rule}")
    assert "x" * 10 not in problem["detail"]
    assert "Anna" not in problem["detail"]


def test_an_infinite_number_is_withheld(http):
    body = b'{"answers": {"1": 1e400}}'
    problem = http.post(
        "/v1/instruments/who5/score", content=body, headers={"content-type": "application/json"}
    ).json()
    assert "value" not in problem
    assert (
        problem["detail"] == "who5: item '1': (withheld) is not a finite number; allowed: [0, 1, 2, 3, 4, 5]"
    )


def run_middleware(app: Any, scope_extra: dict[str, Any] | None = None) -> list[MutableMapping[str, Any]]:
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"x" * 10, "more_body": True}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/x", "headers": [], **(scope_extra or {})}
    middleware = ServiceMiddleware(app, token=None, max_body_bytes=15, routes=[])
    asyncio.run(middleware(scope, receive, send))
    return sent


def test_a_body_limit_error_that_escapes_the_app_is_still_a_413():
    async def reader(_scope: Any, receive: Any, _send: Any) -> None:
        while True:
            await receive()

    sent = run_middleware(reader)
    assert sent[0]["status"] == 413
    assert b"larger than the limit of 15 bytes" in sent[1]["body"]


def test_other_scopes_pass_through():
    seen = []

    async def app(scope: Any, _receive: Any, _send: Any) -> None:
        seen.append(scope["type"])

    middleware = ServiceMiddleware(app, token=None, max_body_bytes=1, routes=[])
    asyncio.run(middleware({"type": "lifespan"}, None, None))  # type: ignore[arg-type]
    assert seen == ["lifespan"]


def test_body_too_large_error_closes_the_connection():
    assert BodyTooLargeError(10).headers == {"connection": "close"}


def test_a_value_too_long_for_repr_is_withheld_by_its_size_only():
    huge = 10**5000  # repr() refuses more than 4,300 digits
    text = f"item '1': {quote(huge)} is not an allowed code"
    assert redact.scrub(text, huge) == "item '1': (withheld) is not an allowed code"


def test_tokens_codes_and_numbers():
    assert [redact.token(v) for v in ("sdq-s11-17", "a" * 65, "x1234567", "Patient/123", 5)] == [
        "sdq-s11-17",
        None,
        None,
        "Patient/123",
        None,
    ]
    assert [redact.code(v) for v in (0, -999, 1000, 2.0, False)] == [0, -999, None, None, None]
    assert [redact.number(v) for v in (52.5, 999.9, 1000.0, float("nan"), True, 7)] == [
        52.5,
        999.9,
        None,
        None,
        None,
        7,
    ]


def test_a_disconnect_before_the_body_ends_is_passed_on():
    messages: list[dict[str, object]] = [
        {"type": "http.request", "body": b"x", "more_body": True},
        {"type": "http.disconnect"},
    ]
    seen: list[str] = []

    async def reader(_scope: Any, receive: Any, _send: Any) -> None:
        while len(seen) < len(messages):
            message = await receive()
            seen.append(message["type"])

    async def receive() -> dict[str, object]:
        return messages[len(seen)]

    async def send(_message: MutableMapping[str, Any]) -> None:
        pass

    scope = {"type": "http", "method": "POST", "path": "/x", "headers": []}
    asyncio.run(ServiceMiddleware(reader, token=None, max_body_bytes=15, routes=[])(scope, receive, send))
    assert seen == ["http.request", "http.disconnect"]
