"""``trivselscore serve``: arguments, a missing extra, bad settings, and what is passed to uvicorn."""

from __future__ import annotations

import argparse
import logging
import logging.config
import os
import socket
import subprocess
import sys

import pytest
import uvicorn
from pydantic import SecretStr

from trivselscore.service import add_arguments, run, serve, serve_command
from trivselscore.service.app import app_from_env
from trivselscore.service.cli import INSTALL_HINT
from trivselscore.service.settings import Settings


@pytest.mark.parametrize("module", ["fastapi", "uvicorn"])
def test_missing_extra_is_one_line_and_exit_2(monkeypatch, capsys, module):
    monkeypatch.setitem(sys.modules, module, None)
    assert serve_command([]) == 2
    assert capsys.readouterr().err == INSTALL_HINT + "\n"


def test_missing_extra_in_a_fresh_process_has_no_traceback():
    code = (
        "import sys; sys.modules['fastapi'] = None; sys.modules['uvicorn'] = None\n"
        "from trivselscore.service import serve_command\n"
        "sys.exit(serve_command(['--port', '9']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [INSTALL_HINT]
    assert 'pip install "trivselscore[server]"' in INSTALL_HINT


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port", "70000"], "trivselscore: error: port: Input should be less than or equal to 65535\n"),
        (["--token-file", "/nonexistent/token"], "trivselscore: error: TRIVSELSCORE_TOKEN_FILE: cannot read"),
    ],
)
def test_bad_settings_are_one_line_and_exit_2(monkeypatch, capsys, argv, message):
    monkeypatch.delenv("TRIVSELSCORE_TOKEN", raising=False)
    assert serve_command(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert len(err.splitlines()) == 1


class FakeUvicorn:
    def __init__(self) -> None:
        self.calls: list[tuple[object, dict[str, object]]] = []

    def __call__(self, app: object, **options: object) -> None:
        self.calls.append((app, options))
        raise KeyboardInterrupt  # as after Ctrl-C


@pytest.fixture
def fake_run(monkeypatch):
    fake = FakeUvicorn()
    monkeypatch.setattr(uvicorn, "run", fake)
    monkeypatch.setattr(logging.config, "dictConfig", lambda _config: None)
    monkeypatch.setattr(os, "environ", {})
    return fake


def test_a_subcommand_of_an_existing_parser(fake_run):
    parser = argparse.ArgumentParser(prog="trivselscore")
    commands = parser.add_subparsers(dest="command")
    add_arguments(commands.add_parser("serve"))
    args = parser.parse_args(
        ["serve", "--port", "8123", "--cors-origin", "https://a.example", "--log-level", "debug"]
    )
    assert run(args) == 0
    [(app, options)] = fake_run.calls
    assert app.state.settings.cors_origins == ("https://a.example",)
    assert options["host"] == "127.0.0.1"
    assert options["port"] == 8123
    assert options["access_log"] is False
    assert options["server_header"] is False
    assert options["factory"] is False
    assert options["log_config"]["loggers"]["uvicorn.access"]["handlers"] == []


def test_several_workers_build_the_app_from_the_environment(fake_run):
    serve(Settings(workers=2, max_body_bytes=1234))
    [(app, options)] = fake_run.calls
    assert (app, options["factory"], options["workers"]) == ("trivselscore.service.app:app_from_env", True, 2)
    assert os.environ["TRIVSELSCORE_MAX_BODY_BYTES"] == "1234"
    assert app_from_env().state.settings == Settings(workers=2, max_body_bytes=1234)


@pytest.mark.usefixtures("fake_run")
def test_a_public_interface_without_token_is_warned_about(caplog):
    with caplog.at_level(logging.WARNING):
        serve(Settings(host="10.11.12.13"))
    assert "listening on 10.11.12.13 without a token" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        serve(Settings(host="10.11.12.13", token=SecretStr("t" * 20)))
    assert caplog.text == ""


def test_another_factory_can_be_served(fake_run):
    serve(Settings(port=9123), factory="benchmarks_app:build")
    [(app, options)] = fake_run.calls
    assert (app, options["factory"], options["workers"]) == ("benchmarks_app:build", True, 1)
    assert os.environ["TRIVSELSCORE_PORT"] == "9123"


def test_the_workers_listening_socket_has_nagle_off(monkeypatch):
    bound = []

    def run(app: str, **_options: object) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None)
        sock = config.bind_socket()  # what uvicorn does before it starts its workers
        bound.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        sock.close()

    original = uvicorn.Config.bind_socket
    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setattr(logging.config, "dictConfig", lambda _config: None)
    monkeypatch.setattr(os, "environ", {})
    serve(Settings(workers=2))
    assert bound == [1]
    assert uvicorn.Config.bind_socket is original
