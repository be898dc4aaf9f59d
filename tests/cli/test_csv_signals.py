"""SIGINT and SIGTERM during `trivselscore score ID FILE.csv -o OUT.csv`: one line, old output kept."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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
