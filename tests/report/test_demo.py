"""The shipped example evaluation (issue 24, item 1): its data, its STUDY.toml and ``report --demo [--init]``.

The report itself is built from the example once, in a subprocess with a cp1252 console
(``tests/cli/test_console_encoding.py``); these tests are about the data and the command's options.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shlex
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore.cli.commands import _parser, main
from trivselscore.instruments.registry import get_instrument
from trivselscore.report import command, demo
from trivselscore.report.command import Progress
from trivselscore.report.config import load_config

# The example's bytes, pinned: a change of the generator (or of numpy's integer stream) must be deliberate.
EXPORT_SHA256 = "c5b9bbacb52d9b77fabd3a1c3f17c78a2bac1e576ad92ff88673c730b7d141e5"


def read(data: bytes) -> list[dict[str, str]]:
    """The export read back with the standard library (independently of the report's readers)."""
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.fixture(scope="module")
def export() -> bytes:
    return demo.export_bytes()


@pytest.fixture(scope="module")
def rows(export) -> list[dict[str, str]]:
    return read(export)


def who5_percentage(row: dict[str, str]) -> int | None:
    cells = [row[f"who5_{i}"] for i in range(1, 6)]
    return None if "" in cells else 4 * sum(int(c) for c in cells)


def age_in_years(row: dict[str, str]) -> float:
    return float(row["Alder"].replace(",", "."))


def test_same_bytes_every_run(export):
    assert demo.export_bytes() == export
    assert hashlib.sha256(export).hexdigest() == EXPORT_SHA256


def test_a_danish_export(export, rows):
    assert export.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel writes
    first = export.decode("utf-8-sig").split("\r\n")[0]
    assert first.startswith("Deltager-ID;Tidspunkt;Dato;Forløb;Køn;Alder;who5_1;")
    assert all("," in row["Alder"] and "." not in row["Alder"] for row in rows)
    assert all(len(row["Dato"]) == 10 and row["Dato"][2] == "-" for row in rows)
    assert len(export) < 1_000_000


def test_persons_tracks_sexes_and_ages(rows):
    persons = {row["Deltager-ID"] for row in rows}
    assert len(persons) == demo.N_PERSONS
    assert {row["Forløb"] for row in rows} == set(demo.TRACKS)
    assert {row["Køn"] for row in rows} == {"Pige", "Dreng", "Andet", ""}
    ages = [age_in_years(row) for row in rows]
    assert 13 <= min(ages) < 14
    assert 24 < max(ages) < 26
    # Both versions of the SDQ and the MFQ (chosen by age) are used.
    assert sum(a < 18 for a in ages) > 200
    assert sum(a >= 18 for a in ages) > 200
    per_track = defaultdict(set)
    for row in rows:
        per_track[row["Forløb"]].add(row["Deltager-ID"])
    assert min(len(p) for p in per_track.values()) < 80  # a small track: the suppression shows


def test_drop_out_over_the_four_time_points(rows):
    counts = [sum(row["Tidspunkt"] == t for row in rows) for t in demo.TIME_POINTS]
    assert counts[0] == demo.N_PERSONS
    assert counts == sorted(counts, reverse=True)
    assert 0.4 < counts[-1] / counts[0] < 0.65


def test_who5_rises_from_about_45_to_about_65(rows):
    means = []
    for label in demo.TIME_POINTS:
        scores = [s for row in rows if row["Tidspunkt"] == label and (s := who5_percentage(row)) is not None]
        means.append(statistics.mean(scores))
    assert 40 < means[0] < 50
    start = [s for row in rows if row["Tidspunkt"] == "start" and (s := who5_percentage(row)) is not None]
    assert 0.55 < sum(s < 50 for s in start) / len(start) < 0.75  # about two in three at risk
    assert 58 < means[-1] < 70
    assert means == sorted(means)


def test_some_improve_and_some_do_not(rows):
    scores = {(row["Deltager-ID"], row["Tidspunkt"]): who5_percentage(row) for row in rows}
    changes = [
        scores[p, "afslutning"] - start  # type: ignore[operator]
        for (p, t), start in scores.items()
        if t == "start" and start is not None and scores.get((p, "afslutning")) is not None
    ]
    better = sum(c > 0 for c in changes) / len(changes)
    worse = sum(c < 0 for c in changes) / len(changes)
    assert 0.55 < better < 0.85
    assert 0.05 < worse < 0.3


def test_missing_answers_and_forms_not_given(rows):
    columns = [c for c in rows[0] if c.startswith("mfq_")]
    partly = [row for row in rows if 0 < sum(row[c] == "" for c in columns) < len(columns)]
    none = [row for row in rows if all(row[c] == "" for c in columns)]
    assert 0.02 < len(partly) / len(rows) < 0.15
    assert 0 < len(none) / len(rows) < 0.06
    # The SDQ is not given midway, the SCAS only at the start and the end, to those under 18.
    sdq = [c for c in rows[0] if c.startswith("sdq_")]
    scas = [c for c in rows[0] if c.startswith("scas_")]
    assert all(row[c] == "" for row in rows if row["Tidspunkt"] == "midtvejs" for c in sdq)
    assert all(
        row[c] == ""
        for row in rows
        if row["Tidspunkt"] in {"midtvejs", "opfølgning 3 mdr"} or age_in_years(row) >= 18
        for c in scas
    )
    assert any(row[c] != "" for row in rows for c in scas)


def test_no_impact_supplement_in_the_export(rows):
    sdq = [c.removeprefix("sdq_") for c in rows[0] if c.startswith("sdq_")]
    assert sdq == [str(i) for i in range(1, 26)]


def test_study_toml_names_the_export_columns(rows, tmp_path):
    path = tmp_path / "STUDY.toml"
    path.write_text(demo.study_toml(), encoding="utf-8")
    config = load_config(path)
    header = set(rows[0])
    named = [config.columns.person, config.columns.time, *config.columns.groups]
    assert set(named) | {config.columns.sex, config.columns.age} <= header
    assert config.time_points == demo.TIME_POINTS
    assert {t for row in rows for t in [row["Tidspunkt"]]} == set(config.time_points)
    assert config.measures["mfq"].ids == ("mfq-c", "mfq-a")
    assert config.measures["sdq"].not_collected == ("impact",)
    assert config.combined is not None
    for name, measure in config.measures.items():
        for instrument_id in measure.ids:
            items = get_instrument(instrument_id).item_ids
            assert any(f"{name}_{item}" in header for item in items)


def test_shipped_files_are_small():
    folder = Path(demo.__file__).parent
    assert (folder / "demo.py").stat().st_size + (folder / "demo_study.toml").stat().st_size < 30_000


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 12))
def test_any_seed_gives_a_consistent_export(seed, n):
    rows = read(demo.export_bytes(n_persons=n, seed=seed))
    by_person = defaultdict(list)
    for row in rows:
        by_person[row["Deltager-ID"]].append(row)
    assert len(by_person) == n
    codes = {
        column: {str(c) for c in get_instrument(f).items[0].codes}
        for column, f in (("who5_1", "who5"), ("sdq_1", "sdq-s11-17"), ("mfq_1", "mfq-c"))
    }
    for person_rows in by_person.values():
        assert person_rows[0]["Tidspunkt"] == "start"
        times = [demo.TIME_POINTS.index(r["Tidspunkt"]) for r in person_rows]
        assert times == sorted(times)
        assert len(set(times)) == len(times)
        assert len({(r["Forløb"], r["Køn"]) for r in person_rows}) == 1
        ages = [age_in_years(r) for r in person_rows]
        assert ages == sorted(ages)
        for row in person_rows:
            for column, allowed in codes.items():
                assert row[column] in allowed | {""}


def test_init_writes_the_files_here_and_never_overwrites(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--demo", "--init"]) == 0
    err = capsys.readouterr().err
    assert (tmp_path / demo.DATA_NAME).read_bytes() == demo.export_bytes()
    assert (tmp_path / demo.STUDY_NAME).read_text(encoding="utf-8") == demo.study_toml()
    command = err.split("make the report with: ")[1].strip()
    assert command == (
        f"trivselscore report {demo.DATA_NAME} --study {demo.STUDY_NAME} -o rapport.html --decimal ,"
    )
    (tmp_path / demo.STUDY_NAME).write_text("mine", encoding="utf-8")
    assert main(["report", "--demo", "--init"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{demo.DATA_NAME} and {demo.STUDY_NAME} already exist" in err
    assert "--force" in err
    assert (tmp_path / demo.STUDY_NAME).read_text(encoding="utf-8") == "mine"
    assert main(["report", "--demo", "--init", "--force"]) == 0
    assert (tmp_path / demo.STUDY_NAME).read_text(encoding="utf-8") == demo.study_toml()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([demo.DATA_NAME, demo.STUDY_NAME])


def test_init_writes_neither_file_when_one_exists(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / demo.DATA_NAME).write_text("mine", encoding="utf-8")
    assert main(["report", "--demo", "--init"]) == 2
    assert f"{demo.DATA_NAME} already exists in {tmp_path}" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == [demo.DATA_NAME]


def test_demo_runs_what_init_prints(tmp_path, monkeypatch, capsys):
    """--demo makes the report from the same files, STUDY.toml and options as the command --init prints."""
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--demo", "--init"]) == 0
    printed = shlex.split(capsys.readouterr().err.split("make the report with: ")[1])
    expected = _parser().parse_args(printed[1:])
    seen: dict[str, object] = {}

    def run_command(args):
        seen.update(vars(args))
        seen["files"] = (Path(args.data).read_bytes(), Path(args.study).read_bytes())
        return 0

    monkeypatch.setattr(command, "run_command", run_command)
    assert main(["report", "--demo", "-o", "r.html", "--xlsx", "r.xlsx", "--lang", "en"]) == 0
    assert seen["files"] == (
        (tmp_path / expected.data).read_bytes(),
        (tmp_path / expected.study).read_bytes(),
    )
    assert Path(str(seen["data"])).name == expected.data
    assert Path(str(seen["study"])).name == expected.study
    assert (seen["decimal"], seen["output"], seen["xlsx"], seen["lang"]) == (
        expected.decimal,
        "r.html",
        "r.xlsx",
        "en",
    )
    assert not Path(str(seen["data"])).exists()  # the temporary copy is gone


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["eksport.csv", "--demo", "-o", "r.html"], "DATA"),
        (["--demo", "--study", "S.toml", "-o", "r.html"], "--study"),
        (["--demo", "--decimal", ",", "-o", "r.html"], "--decimal"),
        (["--demo", "--encoding", "cp1252", "-o", "r.html"], "--encoding"),
        (["--demo", "--sheet", "Data", "--delimiter", ";", "-o", "r.html"], "--sheet, --delimiter"),
    ],
)
def test_demo_refuses_options_that_name_data(argv, named, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report", *argv]) == 2
    err = capsys.readouterr().err
    assert err == f"trivselscore: error: --demo brings its own export and STUDY.toml: leave out {named}\n"
    assert list(tmp_path.iterdir()) == []


def test_demo_without_an_output(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--demo"]) == 2
    assert capsys.readouterr().err.startswith("trivselscore: error: give -o REPORT.html")
    assert list(tmp_path.iterdir()) == []


def test_neither_data_nor_demo(capsys):
    assert main(["report", "--study", "S.toml", "-o", "r.html"]) == 2
    assert capsys.readouterr().err == (
        "trivselscore: error: give the export (DATA), or --demo for the shipped example\n"
    )


def test_demo_leaves_no_temporary_files(tmp_path, monkeypatch, capsys):
    """The export and STUDY.toml the report is made from live in a folder that is removed afterwards."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", None)  # tempfile caches its folder: read TMPDIR again
    assert main(["report", "--demo", "-o", str(tmp_path / "missing" / "r.html")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_progress_without_ansi_pads_over_the_last_line():
    stream = io.StringIO()
    progress = Progress(stream, ansi=False)
    progress.start = time.monotonic() - 2
    progress("read 1,000 rows (50%)")
    progress.last = 0.0
    progress("scoring")
    progress.done()
    first, second = "trivselscore: read 1,000 rows (50%)", "trivselscore: scoring"
    assert stream.getvalue() == f"\r{first}\r{second}{' ' * (len(first) - len(second))}\n"
    assert "\033" not in stream.getvalue()
