"""The embedding example (examples/api.py): the service mounted in another FastAPI app.

In process with FastAPI's test client (no token in the environment), and as a real
``uvicorn examples.api:app`` process started with a token: secure by default.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
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


ROOT = Path(__file__).resolve().parents[1]
TOKEN = "example-token-0123456789abcdef"  # noqa: S105 - a token for this test's server only


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def uvicorn_example(env: dict[str, str], log: Path) -> Iterator[str]:
    """``uvicorn examples.api:app`` as the docstring says, on a free port; yields its URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "examples.api:app",
        "--port",
        str(port),
        "--http",
        "trivselscore.service.protocol:GuardedH11Protocol",
    ]
    clean = {key: value for key, value in os.environ.items() if not key.startswith("TRIVSELSCORE_")}
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=clean | env, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, log.read_text(encoding="utf-8")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(base + "/trivselscore/health", timeout=1).status_code == 200:
                    break
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.05)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if shutdown hangs
            process.kill()
            process.wait()


def test_the_example_with_a_token_refuses_a_request_without_it(tmp_path):
    with uvicorn_example({"TRIVSELSCORE_TOKEN": TOKEN}, tmp_path / "example.log") as base:
        body = {"answers": [3, 4, 2, 3, 1]}
        without = httpx.post(f"{base}/trivselscore/v1/instruments/who5/score", json=body, timeout=10)
        assert without.status_code == 401
        assert without.headers["www-authenticate"] == 'Bearer realm="trivselscore"'
        wrong = httpx.get(
            f"{base}/trivselscore/v1/version", headers={"Authorization": "Bearer nope"}, timeout=10
        )
        assert wrong.status_code == 401
        right = httpx.post(
            f"{base}/trivselscore/v1/instruments/who5/score",
            json=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
        assert right.status_code == 200
        assert right.json()["scales"][0]["value"] == 13
        assert httpx.get(f"{base}/trivselscore/health", timeout=10).status_code == 200


def test_the_example_stops_on_a_bad_setting(tmp_path):
    log = tmp_path / "example.log"
    with log.open("wb") as sink:
        result = subprocess.run(
            [sys.executable, "-c", "import examples.api"],
            cwd=ROOT,
            env={**os.environ, "TRIVSELSCORE_TOKEN": "short"},
            stdout=sink,
            stderr=subprocess.STDOUT,
            timeout=60,
            check=False,
        )
    assert result.returncode != 0
    assert "TRIVSELSCORE_TOKEN: the token is shorter than 16 characters" in log.read_text(encoding="utf-8")
