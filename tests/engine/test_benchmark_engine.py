"""The issue-26 benchmark script runs with tiny sizes and prints every row (timings are not tested)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "engine.py"


def test_engine_benchmark_runs_with_tiny_sizes():
    command = [sys.executable, str(SCRIPT), "--rows", "300", "--repeat", "1", "--starts", "1"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2].startswith("| measurement | time |")
    names = [line.split("|")[1].strip() for line in lines[4:]]
    assert names == [
        "score_batch int8 + all bands (codes)",
        "score_batch int8 + all bands (ids)",
        "score_batch float64 + all bands (ids)",
        "peak memory, int8 batch (tracemalloc)",
        "first score() in a fresh interpreter",
    ]
