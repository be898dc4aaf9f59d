"""`trivselscore serve` is wired into the command line and hands its arguments to the service."""

from __future__ import annotations

import argparse

import pytest

from trivselscore.cli import commands as cli_main
from trivselscore.cli.commands import main


def test_serve_hands_its_parsed_arguments_to_the_service(monkeypatch):
    seen: list[argparse.Namespace] = []

    def fake_run(args: argparse.Namespace) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(cli_main, "run_serve", fake_run)
    assert main(["serve", "--port", "8123", "--workers", "2"]) == 0
    assert (seen[0].port, seen[0].workers) == (8123, 2)


def test_serve_help_names_the_extra(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    assert "needs trivselscore[server]" in " ".join(capsys.readouterr().out.split())
