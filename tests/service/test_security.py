"""Secure by default: bearer token, CORS only when configured, headers, and a bare 500."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator

import pytest
from pydantic import SecretStr

from tests.service.conftest import ORIGIN, TOKEN
from trivselscore.service import Settings, create_app
from trivselscore.service.logs import LOGGER_NAME

pytest.importorskip("httpx2")
from fastapi import FastAPI
from fastapi.testclient import TestClient

SCORE = "/v1/instruments/who5/score"


@pytest.mark.parametrize(
    ("authorization", "challenge"),
    [
        (None, 'Bearer realm="trivselscore"'),
        ("Bearer wrong-token-0123456789", 'Bearer realm="trivselscore", error="invalid_token"'),
        (f"Basic {TOKEN}", 'Bearer realm="trivselscore", error="invalid_token"'),
        ("Bearer", 'Bearer realm="trivselscore"'),
        (f"Bearer {TOKEN}x", 'Bearer realm="trivselscore", error="invalid_token"'),
    ],
)
def test_missing_or_wrong_token_is_401(secured, authorization, challenge):
    client = secured.client(auth=False)
    headers = {} if authorization is None else {"Authorization": authorization}
    for response in (
        client.get("/v1/instruments", headers=headers),
        client.post(SCORE, json={"answers": [1] * 5}, headers=headers),
        client.get("/openapi.json", headers=headers),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == challenge
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["title"] == "Unauthorized"


def test_right_token_is_let_in_and_health_is_open(secured):
    client = secured.client()
    assert client.get("/v1/instruments").status_code == 200
    assert client.post(SCORE, json={"answers": [1] * 5}).json()["scales"][0]["value"] == 5
    assert (
        client.get("/v1/instruments/who5/schema", headers={"Authorization": f"bearer {TOKEN}"}).status_code
        == 200
    )
    assert secured.client(auth=False).get("/health").status_code == 200


def test_the_fhir_401_is_an_operation_outcome(secured):
    response = secured.client(auth=False).post("/fhir/QuestionnaireResponse/$score", json={})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/fhir+json"
    assert response.json()["issue"][0]["code"] == "login"


def test_the_open_server_needs_no_token(http):
    assert http.get("/v1/instruments").status_code == 200


def test_cors_only_for_the_configured_origin(server, secured):
    preflight = {
        "Origin": ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    allowed = secured.client(auth=False).options(SCORE, headers=preflight)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    other = secured.client(auth=False).options(SCORE, headers={**preflight, "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    simple = secured.client().get("/v1/version", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    default = server.client().options(SCORE, headers=preflight)
    assert default.status_code == 405
    assert "access-control-allow-origin" not in default.headers
    assert (
        "access-control-allow-origin"
        not in server.client().get("/v1/version", headers={"Origin": ORIGIN}).headers
    )


def test_security_headers_and_no_server_banner(http):
    response = http.get("/v1/version")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "server" not in response.headers
    assert http.get("/docs").status_code == 404  # the interactive docs (CDN scripts) are off by default


def test_docs_ui_when_asked():
    client = TestClient(create_app(Settings(docs=True)))
    assert client.get("/docs").status_code == 200


def failing_app() -> FastAPI:
    app = create_app(Settings(max_body_bytes=100))

    async def boom(text: str) -> dict[str, str]:
        msg = f"secret input {text}"
        raise RuntimeError(msg)

    app.add_api_route("/boom/{text}", boom, methods=["GET"])
    return app


def test_unexpected_error_is_a_bare_500_logged_by_type_only(caplog):
    client = TestClient(failing_app())
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        response = client.get("/boom/0101011234")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem == {
        "type": "https://trivselscore.dev/problems/internal-error",
        "title": "Internal error",
        "status": 500,
        "detail": "The service failed unexpectedly; the request was not scored. The event is logged.",
    }
    assert "0101011234" not in caplog.text
    assert "unexpected RuntimeError at " in caplog.text
    assert "path=/boom/{text} status=500" in caplog.text


def test_a_failing_row_is_a_500_line_and_the_stream_goes_on(monkeypatch, caplog):
    from trivselscore.engine import score as real  # noqa: PLC0415
    from trivselscore.service import routes_score  # noqa: PLC0415

    def flaky(instrument, answers, **options):
        if answers == [9, 9, 9, 9, 9]:
            msg = "secret 0101011234"
            raise RuntimeError(msg)
        return real(instrument, answers, **options)

    monkeypatch.setattr(routes_score, "score", flaky)
    client = TestClient(create_app())
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        response = client.post(
            "/v1/instruments/who5/scores",
            json=[{"answers": [1] * 5}, {"answers": [9] * 5}, {"answers": [2] * 5}],
        )
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert [("score" in row, row.get("error", {}).get("status")) for row in rows] == [
        (True, None),
        (False, 500),
        (True, None),
    ]
    assert "0101011234" not in response.text + caplog.text
    assert "unexpected RuntimeError while scoring a batch row of who5" in caplog.text


def test_an_error_after_the_response_started_cuts_it_short(caplog):
    from starlette.responses import StreamingResponse  # noqa: PLC0415

    app = create_app()

    async def lines() -> AsyncIterator[bytes]:
        yield b'{"row": 0}\n'
        msg = "secret 0101011234"
        raise RuntimeError(msg)

    async def stream() -> StreamingResponse:
        return StreamingResponse(lines(), media_type="application/x-ndjson")

    app.add_api_route("/stream", stream, methods=["GET"])
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        response = TestClient(app).get("/stream")
    assert response.status_code == 200
    assert response.text == '{"row": 0}\n'
    assert "unexpected RuntimeError" in caplog.text
    assert "0101011234" not in caplog.text


def test_body_too_large_while_streaming_a_batch_in_process():
    client = TestClient(failing_app())

    def chunks() -> Iterator[bytes]:
        yield b"[" + b" " * 90
        yield b" " * 90 + b"]"

    response = client.post(
        "/v1/instruments/who5/scores", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_a_mounted_service_keeps_health_open_and_the_rest_closed():
    host = FastAPI()
    host.mount("/scoring", create_app(Settings(token=SecretStr(TOKEN))))
    client = TestClient(host)
    assert client.get("/scoring/health").status_code == 200
    assert client.get("/scoring/v1/version").status_code == 401
    assert client.get("/scoring/v1/version", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
