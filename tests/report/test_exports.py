"""Realistic exports from tests/report/exports.py, run as an analyst would: ``--init``, then ``report``.

The same generated data written as cp1252 CSV, as an Excel workbook (data on a
named sheet) and as SPSS and Stata files with value labels give the same
tables, cell for cell.
"""

from __future__ import annotations

import contextlib
import io
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pandas as pd
import pyreadstat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.report.exports import (
    SEXES,
    TIMES,
    ExportSpec,
    make_export,
    spss_name,
    write_csv,
    write_sav,
    write_xlsx,
)
from trivselscore.cli.commands import main
from trivselscore.report.config import load_config, parse_config
from trivselscore.report.guess import MeasureGuess
from trivselscore.report.init import Guess, study_toml


@dataclass(frozen=True)
class Run:
    code: int
    err: str
    study: Path
    xlsx: Path
    html: str


def _cli(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, err.getvalue()


def analyst(data: Path, *options: str, html: bool = True) -> Run:
    """``--init`` then ``report`` with the options the init line printed (without ``-o``: tables only)."""
    study = data.with_name(data.name + ".toml")
    code, err = _cli("report", str(data), "--init", "--study", str(study), *options)
    assert code == 0, err
    printed = err.strip().splitlines()[-1].split(" then run: ")[1].split()
    assert printed[:3] == ["trivselscore", "report", str(data)]
    xlsx, page = data.with_name(data.name + ".out.xlsx"), data.with_suffix(".html")
    argv = [*printed[1:], "--xlsx", str(xlsx)]
    at = argv.index("-o")
    if html:
        argv[at + 1] = str(page)
    else:
        del argv[at : at + 2]
    code, report_err = _cli(*argv)
    text = page.read_text(encoding="utf-8") if code == 0 and html else ""
    return Run(code, err + report_err, study, xlsx, text)


def workbook(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {s.title: [tuple(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}
    finally:
        book.close()


@pytest.fixture(scope="module")
def export_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    export = make_export()
    return export, {
        "csv": write_csv(export, folder / "eksport.csv"),
        "xlsx": write_xlsx(export, folder / "eksport.xlsx"),
        "sav": write_sav(export, folder / "eksport.sav"),
    }


@pytest.fixture(scope="module")
def csv_run(export_files):
    return analyst(export_files[1]["csv"])


def test_the_generator_is_messy_as_asked():
    export = make_export(ExportSpec(other_sex=True, impact=False))
    header = export.header
    assert "SDQ_25" in header
    assert "SDQ_26" not in header
    assert {"WHO5_1", "SCAS 44", "q33_mfq", "Forløbstype", "Køn", "Dato"} <= set(header)
    assert set(export.column("Køn")) == set(SEXES)
    counts = Counter(export.column("Tidspunkt"))
    assert [counts[t] for t in TIMES] == sorted(counts.values(), reverse=True)  # drop-out
    assert len(set(export.column("Deltager-ID"))) == 212
    assert Counter(export.column("Kommune"))["Ærø"] < 40  # a small municipality
    assert {v["mfq"] for v in export.versions} == {"mfq-c", "mfq-a"}
    order = export.column("Tidspunkt")
    assert order[: len(TIMES)] != list(TIMES)  # the file's order is not the time order
    assert make_export(ExportSpec(other_sex=True, impact=False)).rows == export.rows


def test_a_cp1252_export_goes_through_init_and_report_without_edits(export_files, csv_run):
    export, _ = export_files
    assert csv_run.code == 0, csv_run.err
    assert "eksport.csv is not UTF-8: read as Windows-1252 (cp1252)" in csv_run.err
    assert "(ikke UTF-8: læst som Windows-1252 (cp1252))" in csv_run.html
    persons = len(set(export.column("Deltager-ID")))
    assert f"{len(export.rows)} rows read; {persons} persons" in csv_run.err
    config = load_config(csv_run.study)
    assert config.time_points == TIMES  # by date, not by the file's order
    assert config.columns.person == "Deltager-ID"
    assert config.columns.groups == ("Forløbstype",)
    assert (config.columns.sex, config.columns.age) == ("Køn", "Alder")
    assert config.measures["sdq"].ids == ("sdq-s11-17", "sdq-s18")
    assert config.measures["scas"].columns["1"] == "SCAS 1"
    assert config.measures["mfq"].columns["33"] == "q33_mfq"
    assert config.measures["sdq"].columns["ebddiff"] == "SDQ_26"
    assert '"Kommune"' in csv_run.study.read_text(encoding="utf-8")  # named as another grouping


def test_no_section_is_empty(csv_run):
    sheets = workbook(csv_run.xlsx)
    assert len(sheets) > 10
    for name, rows in sheets.items():
        body = [r for r in rows[3:] if any(c not in (None, "") for c in r)]
        assert body, name


@pytest.mark.parametrize("kind", ["xlsx", "sav", "dta"])
def test_every_format_gives_the_same_tables_as_the_csv(export_files, csv_run, kind, tmp_path):
    _, files = export_files
    if kind == "dta":
        data = tmp_path / "eksport.dta"
        frame, meta = pyreadstat.read_sav(str(files["sav"]))
        pyreadstat.write_dta(frame, str(data), variable_value_labels=meta.variable_value_labels)
        run = analyst(data, html=False)
    elif kind == "xlsx":
        run = analyst(files[kind], html=False)  # --init picks the data sheet and prints --sheet
        assert "read 'Besvarelser'" in run.err
        assert "--sheet Besvarelser" in run.err
    else:
        run = analyst(files[kind], html=False)
    assert run.code == 0, run.err
    first, second = workbook(run.xlsx), workbook(csv_run.xlsx)
    for book in (first, second):  # the title (from --init) and the data set name name the file
        del book["Om data"]
        book["Indhold"] = book["Indhold"][1:]
    assert first == second
    config = load_config(run.study)
    assert config.time_points == TIMES
    if kind != "xlsx":
        assert config.columns.person == spss_name("Deltager-ID")
        assert not config.measures["scas"].columns  # SCAS_1 is found as scas_1 without naming it
        assert config.measures["mfq"].columns["1"] == "q1_mfq"


def test_value_labels_are_read_as_the_words(export_files, tmp_path):
    _, files = export_files
    frame, meta = pyreadstat.read_sav(str(files["sav"]))
    assert set(frame["Køn"].dropna()) == {1.0, 2.0}
    assert meta.variable_value_labels["Køn"] == {1.0: "Pige", 2.0: "Dreng", 3.0: "Andet"}
    study = tmp_path / "S.toml"
    assert _cli("report", str(files["sav"]), "--init", "--study", str(study))[0] == 0
    config = load_config(study)
    assert config.time_points == TIMES


def test_an_export_without_the_sdq_impact_block_runs_today(tmp_path):
    export = make_export(ExportSpec(impact=False, n_persons=60, seed=3))
    run = analyst(write_csv(export, tmp_path / "uden.csv"), html=False)
    assert run.code == 0, run.err
    columns = load_config(run.study).measures["sdq"].columns
    assert columns["ebddiff"] == ""
    assert columns["25"] == "SDQ_25"


def test_the_workbook_without_sheet_says_which_sheets_it_has(export_files, tmp_path):
    _, files = export_files
    study = tmp_path / "S.toml"
    code, err = _cli("report", str(files["csv"]), "--init", "--study", str(study))
    assert code == 0, err
    code, err = _cli("report", str(files["xlsx"]), "--study", str(study), "-o", str(tmp_path / "r.html"))
    assert code == 2
    assert "not in eksport.xlsx (sheet 'Info')" in err
    assert "other sheets: 'Besvarelser' (choose one with --sheet)" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "r.html").exists()


def test_the_time_points_follow_the_first_seen_order_without_a_date(tmp_path):
    export = make_export(ExportSpec(n_persons=40))
    frame = pd.DataFrame(export.rows, columns=export.header).drop(columns=["Dato"])
    data = tmp_path / "uden_dato.csv"
    frame.to_csv(data, sep=";", index=False, encoding="utf-8")
    study = tmp_path / "S.toml"
    assert _cli("report", str(data), "--init", "--study", str(study))[0] == 0
    seen = list(dict.fromkeys(frame["Tidspunkt"]))
    assert list(load_config(study).time_points) == seen
    assert "in the order first seen" in study.read_text(encoding="utf-8")


labels = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20)


@given(
    st.lists(labels, min_size=2, max_size=5, unique=True),
    st.lists(labels, min_size=3, max_size=3, unique=True),
    labels,
)
def test_the_toml_is_valid_for_any_label(times, names, data_name):
    person, time, track = names
    guess = Guess(
        header=[person, time, track, "WHO5_1"],
        person=person,
        time=time,
        times=times,
        times_by="first seen",
        groups=[track],
        other_groups=[data_name],
        sex=track,
        sex_values=times,
        measures=[
            MeasureGuess(name="who5", ids=["who5"], columns={"1": data_name, "2": None}, explicit=True)
        ],
    )
    text = study_toml(guess, data_name=data_name)
    parsed = tomllib.loads(text)
    assert parsed["time_points"] == times
    assert parsed["data_name"] == data_name
    assert parsed["columns"] == {"person": person, "time": time, "groups": [track], "sex": track}
    assert parsed["measures"]["who5"]["columns"] == {"1": data_name, "2": ""}
    config = parse_config(text)
    assert config.columns.person == person
