"""``trivselscore report`` on a Windows console (cp1252), forced on Linux (issue 24, item 4).

A Windows console whose output is redirected, or an old one, encodes as cp1252, which has
æ, ø, å but not, e.g., Ω or ŵ. The report command writes only to stderr, which Python
encodes with ``backslashreplace``; the command line sets stdout the same way
(``console_safe``): a character the console lacks is shown as its escape
(``\\u03a9``) and the run goes on. Each run here is a subprocess with
``PYTHONIOENCODING=cp1252`` and ``PYTHONUTF8=0``, from a folder outside the repository.

This also makes the shipped example's report once, end to end (``--demo``, HTML and Excel).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from trivselscore.cli.commands import console_safe
from trivselscore.report import demo

LACKING = "Ω ŵ"  # not in cp1252
ESCAPED = "\\u03a9 \\u0175"


def console_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONUTF8", "PYTHONIOENCODING"))}
    return {**env, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0", "LC_ALL": "C.UTF-8"}


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run(args: list[str], cwd: Path) -> Run:
    completed = subprocess.run(
        [sys.executable, "-m", "trivselscore", *args],
        cwd=cwd,
        env=console_env(),
        capture_output=True,
        timeout=300,
        check=False,
    )
    return Run(completed.returncode, completed.stdout.decode("cp1252"), completed.stderr.decode("cp1252"))


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[Path, Run]:
    folder = tmp_path_factory.mktemp(f"rapporter {LACKING}")
    return folder, run(
        ["report", "--demo", "-o", f"rapport {LACKING}.html", "--xlsx", "tabeller.xlsx"], folder
    )


def test_the_console_is_cp1252(tmp_path):
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; print(sys.stdout.encoding, sys.stderr.encoding, sys.stderr.errors)",
        ],
        env=console_env(),
        capture_output=True,
        check=True,
        cwd=tmp_path,
    )
    assert probe.stdout.decode().split() == ["cp1252", "cp1252", "backslashreplace"]


def test_demo_report_with_a_name_cp1252_lacks(demo_run):
    folder, result = demo_run
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert result.out == ""
    lines = result.err.splitlines()
    assert f"{demo.N_PERSONS} persons" in lines[0]
    assert lines[0].endswith(f"wrote rapport {ESCAPED}.html, tabeller.xlsx")
    html = (folder / f"rapport {LACKING}.html").read_text(encoding="utf-8")
    assert html.count("<svg") + html.count("<img") >= 4  # figures
    assert "fremgang" in html
    assert "tilbagegang" in html
    assert (folder / "tabeller.xlsx").stat().st_size > 10_000
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"rapport {LACKING}.html", "tabeller.xlsx"])


def test_an_error_naming_a_file_cp1252_lacks(tmp_path):
    result = run(["report", f"eksport {LACKING}.csv", "--study", "STUDY.toml", "-o", "r.html"], tmp_path)
    assert result.code == 2
    assert result.err == f"trivselscore: error: no such file: eksport {ESCAPED}.csv\n"


def test_an_error_naming_a_label_cp1252_lacks(tmp_path):
    (tmp_path / "eksport.csv").write_text(
        "id;tid;who5_1;who5_2;who5_3;who5_4;who5_5\n1;start;1;2;3;4;5\n1;slut Ω;2;2;3;4;5\n", encoding="utf-8"
    )
    (tmp_path / "STUDY.toml").write_text(
        'title = "T"\ntime_points = ["start", "slut"]\n[columns]\nperson = "id"\ntime = "tid"\n'
        '[measures.who5]\ninstrument = "who5"\n',
        encoding="utf-8",
    )
    result = run(["report", "eksport.csv", "--study", "STUDY.toml", "-o", "r.html"], tmp_path)
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert result.err.startswith("trivselscore: error: ")
    assert "'slut \\u03a9'" in result.err
    assert not (tmp_path / "r.html").exists()


def test_init_in_a_folder_cp1252_lacks(tmp_path):
    folder = tmp_path / f"evaluering {LACKING}"
    folder.mkdir()
    first = run(["report", "--demo", "--init"], folder)
    assert first.code == 0
    assert first.err.count("\n") == 1
    again = run(["report", "--demo", "--init"], folder)
    assert again.code == 2
    assert again.err.count("\n") == 1
    assert f"evaluering {ESCAPED}; give --force" in again.err


@pytest.mark.parametrize("command", [[], ["report"], ["score"], ["serve"]])
def test_help_on_a_cp1252_console(command, tmp_path):
    result = run([*command, "--help"], tmp_path)
    assert result.code == 0, result.err
    assert "usage: trivselscore" in result.out


def test_scores_to_stdout_with_an_id_cp1252_lacks(tmp_path):
    (tmp_path / "svar.csv").write_text(
        "id;who5_1;who5_2;who5_3;who5_4;who5_5\nΩ1;1;2;3;4;5\n", encoding="utf-8"
    )
    result = run(["score", "who5", "svar.csv", "--id-column", "id"], tmp_path)
    assert result.code == 0, result.err
    assert result.out.splitlines()[1] == "\\u03a91;15;60;no_risk;"


@pytest.mark.parametrize(
    ("encoding", "errors", "written"),
    [
        ("cp1252", "strict", b"\\u03a9 \xe6\xf8\xe5"),  # escaped; æøå as cp1252 has them
        ("utf-8", "strict", "Ω æøå".encode()),  # UTF-8 has every character: left as it is
        ("cp1252", "replace", b"? \xe6\xf8\xe5"),  # a handler the caller chose is kept
    ],
)
def test_console_safe_escapes_only_what_the_code_page_lacks(encoding, errors, written):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors=errors)
    assert console_safe(stream) is stream
    stream.write("Ω æøå")
    stream.flush()
    assert raw.getvalue() == written


def test_console_safe_leaves_other_streams_alone():
    stream = io.StringIO()
    assert console_safe(stream) is stream
