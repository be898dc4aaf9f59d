"""The benchmark script runs (tiny sizes) and its hand-written scorer agrees with the library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_benchmark_script_runs_with_tiny_sizes():
    pytest.importorskip("pandas")
    command = [
        sys.executable,
        str(BENCHMARKS / "run.py"),
        "--rows",
        "2000",
        "--repeat",
        "1",
        "--number",
        "20",
        "--import-runs",
        "1",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2].startswith("| measurement | time |")
    names = [line.split("|")[1].strip() for line in lines[4:]]
    assert names == [
        "score_batch + all bands",
        "pandas row-wise apply",
        "plain Python loop",
        "score() one respondent",
        "score() one WHO-5 respondent",
        "import trivselscore",
        "peak memory of the batch",
    ]
