"""Bad input: one line naming the problem, exit code 2, and no report file left behind."""

from __future__ import annotations

import importlib
import os
import signal
from pathlib import Path

import pandas as pd
import pytest

from trivselscore.cli.commands import main
from trivselscore.report import command as report_command

SMALL_TOML = """
title = "Lille test"
time_points = ["start", "slut"]
comparisons = [["start", "slut"]]

[columns]
person = "id"
time = "tidspunkt"
groups = ["spor"]
sex = "køn"
age = "alder"

[measures.who5]
instrument = "who5"
"""


def small_csv(path: Path, *, n: int = 12, extra_row: str | None = None, encoding: str = "utf-8") -> Path:
    lines = ["id;tidspunkt;spor;køn;alder;who5_1;who5_2;who5_3;who5_4;who5_5"]
    for p in range(n):
        for t, label in enumerate(("start", "slut")):
            answers = ";".join(str((p + t + i) % 6) for i in range(5))
            track, sex = "a" if p % 2 else "b", "pige" if p % 3 else "dreng"
            lines.append(f"P{p};{label};{track};{sex};{12 + p % 5},5;{answers}")
    if extra_row is not None:
        lines.append(extra_row)
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


@pytest.fixture
def small(tmp_path):
    data = small_csv(tmp_path / "data.csv")
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    return tmp_path, data, study


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["report", *argv])
    return code, capsys.readouterr().err


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix in {".html", ".xlsx", ".part"})


def test_the_small_export_makes_a_report(small, capsys):
    folder, data, study = small
    code, err = _run(capsys, str(data), "--study", str(study), "-o", str(folder / "r.html"), "--decimal", ",")
    assert code == 0, err
    assert "24 rows read; 12 persons" in err
    assert _leftovers(folder) == ["r.html"]


@pytest.mark.parametrize(
    ("toml_change", "row", "message"),
    [
        (
            ('person = "id"', 'person = "elev"'),
            None,
            "STUDY.toml person names column 'elev', which is not in data.csv",
        ),
        (('groups = ["spor"]', 'groups = ["track"]'), None, "STUDY.toml groups names column 'track'"),
        (
            ('instrument = "who5"', 'instrument = "who6"'),
            None,
            "key 'measures.who5.instrument': no instrument with id 'who6'",
        ),
        (
            ('title = "Lille test"', 'title = "x"\ntitel = "y"'),
            None,
            "key 'titel' is not allowed; keys: analyses, by_sex, change, columns",
        ),
        (
            ("[measures.who5]", "[suppression]\nmin_cell = 0\n[measures.who5]"),
            None,
            "key 'suppression.min_cell': Input should be greater than or equal to 1",
        ),
        (
            ('comparisons = [["start", "slut"]]', 'comparisons = [["start", "senere"]]'),
            None,
            "'senere' is not in time_points",
        ),
        (
            ('title = "Lille test"', 'title = "x"\nmissing = "nonsense"'),
            None,
            "unknown missing policy 'nonsense'",
        ),
        (
            (
                "[measures.who5]",
                '[change]\nmethod = "reliable_change"\noptions = { who5 = { z = -1 } }\n[measures.who5]',
            ),
            None,
            "z must be > 0, not -1.0",
        ),
        (
            ("[measures.who5]", '[change]\nmethod = "rci"\n[measures.who5]'),
            None,
            "key 'change.method': Input should be",
        ),
        (
            ('instrument = "who5"', 'instrument = "who5"\nscales = ["pct"]'),
            None,
            "scale 'pct' is not a scale of who5",
        ),
        (None, "X1;3 mdr;a;pige;14;1;2;3;4;5", "unknown time point '3 mdr' in column 'tidspunkt'"),
        (
            None,
            "X1;start;a;hemmelig;14;1;2;3;4;5",
            "column 'køn', data row 25: sex code 'hemmelig' is not known",
        ),
        (None, "X1;start;a;pige;14;1;2;3;4;9", "9"),
        (None, "P1;start;a;pige;14;1;2;3;4;5", "duplicate (person, time point)"),
        (('title = "Lille test"', 'title = "Lille test'), None, "is not valid TOML"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(small, capsys, toml_change, row, message):
    folder, data, study = small
    if toml_change is not None:
        study.write_text(SMALL_TOML.replace(*toml_change), encoding="utf-8")
    if row is not None:
        small_csv(data, extra_row=row)
    out = folder / "r.html"
    code, err = _run(
        capsys,
        str(data),
        "--study",
        str(study),
        "-o",
        str(out),
        "--xlsx",
        str(folder / "r.xlsx"),
        "--decimal",
        ",",
    )
    assert code == 2
    assert message in err
    assert err.startswith("trivselscore: error: ")
    assert err.count("\n") == 1
    assert _leftovers(folder) == []


def test_an_existing_report_is_kept_when_the_run_fails(small, capsys):
    folder, data, study = small
    out = folder / "r.html"
    out.write_text("old report", encoding="utf-8")
    small_csv(data, extra_row="X1;3 mdr;a;pige;14;1;2;3;4;5")
    code, _ = _run(capsys, str(data), "--study", str(study), "-o", str(out), "--decimal", ",")
    assert code == 2
    assert out.read_text(encoding="utf-8") == "old report"
    assert _leftovers(folder) == ["r.html"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: d.unlink(), "no such file"),
        (lambda d: d.write_bytes(b"PK\x03\x04\x00\x00binary\x00\x00"), "is not a CSV text file"),
        (lambda d: d.write_bytes(b""), "is empty"),
        (lambda d: d.write_bytes(b"id;tidspunkt\n\xf8\x81;start\n"), "is not UTF-8 text"),
    ],
)
def test_unreadable_files(small, capsys, setup, message):
    folder, data, study = small
    setup(data)
    code, err = _run(capsys, str(data), "--study", str(study), "-o", str(folder / "r.html"))
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert _leftovers(folder) == []


def test_missing_study_file_and_options(small, capsys):
    folder, data, study = small
    assert _run(capsys, str(data), "-o", str(folder / "r.html"))[1].count("--study STUDY.toml is needed") == 1
    assert "give -o REPORT.html" in _run(capsys, str(data), "--study", str(study))[1]
    assert "cannot read" in _run(capsys, str(data), "--study", str(folder / "nope.toml"), "-o", "x.html")[1]
    assert (
        "unknown encoding"
        in _run(capsys, str(data), "--study", str(study), "-o", "x.html", "--encoding", "nope")[1]
    )
    assert (
        "would overwrite the data file" in _run(capsys, str(data), "--study", str(study), "-o", str(data))[1]
    )
    assert _leftovers(folder) == []


def test_reading_excel_needs_no_extra_but_spss_needs_pyreadstat(small, capsys, monkeypatch):
    folder, data, study = small
    frame = pd.read_csv(data, sep=";", decimal=",", dtype={"id": str})
    frame.to_excel(folder / "data.xlsx", index=False)
    (folder / "data.sav").write_bytes(b"not read")
    real = importlib.import_module

    def blocked(name, *args):
        if name in {"openpyxl", "pyreadstat"}:
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", blocked)
    code, err = _run(capsys, str(folder / "data.xlsx"), "--study", str(study), "-o", str(folder / "r.html"))
    assert code == 0, err
    code, err = _run(capsys, str(folder / "data.sav"), "--study", str(study), "-o", str(folder / "s.html"))
    assert code == 2
    assert (
        "data.sav is an SPSS/Stata file: this needs pyreadstat, an optional dependency: "
        'pip install "trivselscore[spss]"' in err
    )
    assert err.count("\n") == 1
    assert _leftovers(folder) == ["data.xlsx", "r.html"]


def test_a_broken_excel_file(small, capsys):
    folder, _, study = small
    sheet = folder / "data.xlsx"
    sheet.write_bytes(b"not a zip file")
    code, err = _run(capsys, str(sheet), "--study", str(study), "-o", str(folder / "r.html"))
    assert code == 2
    assert "data.xlsx is not a readable Excel file" in err
    assert _leftovers(folder) == ["data.xlsx"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_writing_leaves_no_file(small, capsys, monkeypatch, signum):
    folder, data, study = small
    real = report_command.render_html  # type: ignore[attr-defined]

    def interrupted(*args, **kwargs):
        html = real(*args, **kwargs)
        os.kill(os.getpid(), signum)
        return html

    monkeypatch.setattr("trivselscore.report.command.render_html", interrupted)
    code, err = _run(capsys, str(data), "--study", str(study), "-o", str(folder / "r.html"), "--decimal", ",")
    assert code == 128 + signum
    assert err == f"trivselscore: stopped by {signal.Signals(signum).name}; no report was written\n"
    assert _leftovers(folder) == []
