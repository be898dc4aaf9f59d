"""The service under test: real uvicorn processes on 127.0.0.1, on free ports, stopped at the end.

Two servers start together, once per test session:

* ``server``: no token, a 64 KiB body limit, no CORS (the defaults otherwise);
* ``secured``: a bearer token (from TRIVSELSCORE_TOKEN) and one CORS origin;
* ``strict``: one-second header, body and keep-alive timeouts (for the slow-client tests,
  apart so that the load of other tests cannot make a request late).

Each writes its log to a file, which the log tests read. When the test run
measures coverage, so do the servers (see ``server_main.py``).
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
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from coverage import Coverage

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

TOKEN = "test-token-0123456789abcdef"  # noqa: S105 - a token for the test servers only
ORIGIN = "https://kommune.example"
MAX_BODY_BYTES = 65536
MAIN = Path(__file__).with_name("server_main.py")
START_TIMEOUT = 20.0
STRICT_TIMEOUT = 1


@dataclass
class Server:
    """A running service process."""

    base_url: str
    log: Path
    process: subprocess.Popen[bytes]
    token: str | None = None
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, *, auth: bool = True) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        client = httpx.Client(base_url=self.base_url, headers=headers, timeout=15)
        self.clients.append(client)
        return client

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def service_env(extra: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRIVSELSCORE_")}
    env.update(extra)
    coverage = _coverage()
    if coverage is not None:
        env["TRIVSELSCORE_TEST_COVERAGE"] = os.path.abspath(coverage.config.data_file)  # noqa: PTH100
        env["TRIVSELSCORE_TEST_COVERAGE_RC"] = str(coverage.config.config_file or "")
    return env


def _coverage() -> Coverage | None:
    return Coverage.current()


def launch(log: Path, args: list[str], env: dict[str, str], token: str | None = None) -> Server:
    port = free_port()
    command = [sys.executable, str(MAIN), "--port", str(port), *args]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=service_env(env))
    return Server(base_url=f"http://127.0.0.1:{port}", log=log, process=process, token=token)


def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the service exited with {server.process.returncode}:\n{server.log_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(server.base_url + "/health", timeout=1).status_code == 200:
                return
        time.sleep(0.05)
    stop(server)
    pytest.fail(f"the service did not answer /health within {START_TIMEOUT} s:\n{server.log_text()}")


def stop(server: Server) -> None:
    for client in server.clients:
        client.close()
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if shutdown hangs
            server.process.kill()
            server.process.wait()


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[dict[str, Server]]:
    logs = tmp_path_factory.mktemp("service-logs")
    started = {
        "server": launch(logs / "open.log", [], {"TRIVSELSCORE_MAX_BODY_BYTES": str(MAX_BODY_BYTES)}),
        "secured": launch(
            logs / "secured.log",
            ["--cors-origin", ORIGIN],
            {"TRIVSELSCORE_TOKEN": TOKEN, "TRIVSELSCORE_MAX_BODY_BYTES": str(MAX_BODY_BYTES)},
            token=TOKEN,
        ),
        "strict": launch(
            logs / "strict.log",
            [],
            {
                "TRIVSELSCORE_HEADER_TIMEOUT": str(STRICT_TIMEOUT),
                "TRIVSELSCORE_BODY_TIMEOUT": str(STRICT_TIMEOUT),
                "TRIVSELSCORE_KEEP_ALIVE_TIMEOUT": str(STRICT_TIMEOUT),
            },
        ),
    }
    try:
        for server in started.values():
            wait_until_up(server)
        yield started
    finally:
        for server in started.values():
            stop(server)


@pytest.fixture(scope="session")
def server(servers: dict[str, Server]) -> Server:
    return servers["server"]


@pytest.fixture(scope="session")
def secured(servers: dict[str, Server]) -> Server:
    return servers["secured"]


@pytest.fixture(scope="session")
def strict(servers: dict[str, Server]) -> Server:
    return servers["strict"]


@pytest.fixture(scope="session")
def http(server: Server) -> httpx.Client:
    return server.client()
