"""SIGINT and SIGTERM during `trivselscore score ID FILE.csv -o OUT.csv`: one line, old output kept."""

from __future__ import annotations

import importlib
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from trivselscore.cli.interrupt import stop_on_signals

main_module = importlib.import_module(
    "trivselscore.cli.commands"
)  # the module; the package exports the function

ROWS = 600_000  # long enough that the run is still writing when the signal comes
CHUNK = 2_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.csv"
    path.write_bytes(b"1,2,3,4,5\n" + b"3,3,2,1,4\n" * ROWS)
    return path


def wait_for_partial_output(folder: Path, process: subprocess.Popen[str]) -> Path:
    """The temporary file, once the run has written into it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before it could be interrupted"
        partial = [p for p in folder.iterdir() if p.name.startswith(".out.csv.")]
        if partial and partial[0].stat().st_size > 0:
            return partial[0]
        time.sleep(0.005)
    pytest.fail("the run never started writing")  # pragma: no cover - a hung run


@pytest.mark.parametrize(
    ("signum", "code", "name"), [(signal.SIGINT, 130, "SIGINT"), (signal.SIGTERM, 143, "SIGTERM")]
)
def test_a_signal_leaves_the_old_output_and_no_temporary_file(tmp_path, big, signum, code, name):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old output\n")
    command = [sys.executable, "-m", "trivselscore", "score", "who5", str(big), "-o", str(target)]
    with subprocess.Popen(
        [*command, "--chunk-size", str(CHUNK)], stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as process:
        partial = wait_for_partial_output(tmp_path, process)
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stdout == ""
    assert stderr == f"trivselscore: stopped by {name}; {target} was not changed\n"
    assert target.read_bytes() == b"old output\n"
    assert not partial.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_signal_while_writing_to_stdout_says_the_output_is_incomplete(tmp_path, monkeypatch, capsys):
    path = tmp_path / "in.csv"
    path.write_text("1,2,3,4,5\n3,3,3,3,3\n", encoding="utf-8")

    def interrupted(*_: object) -> None:
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(main_module, "score_csv", interrupted)
    assert main_module.main(["score", "who5", str(path)]) == 130
    assert capsys.readouterr().err == "trivselscore: stopped by SIGINT; the output is incomplete\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_handlers_are_left_alone_outside_the_main_thread():
    seen: list[object] = []

    def look() -> None:
        with stop_on_signals():
            seen.append(signal.getsignal(signal.SIGINT))

    worker = threading.Thread(target=look)
    worker.start()
    worker.join()
    assert seen == [signal.default_int_handler]
    with stop_on_signals():
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
