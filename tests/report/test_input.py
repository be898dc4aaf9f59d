"""Danish exports read as written: encodings, sep=, decimal commas, sex codes, Excel; --init; --xlsx."""

from __future__ import annotations

import io
import time
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pandas as pd
import pytest

from tests.report.synthetic import write_csv
from tests.report.test_bad_input import SMALL_TOML, small_csv
from trivselscore.cli.commands import main
from trivselscore.report.command import Progress
from trivselscore.report.config import load_config
from trivselscore.report.data import read_export


def _rows(path: Path, config_text: str = SMALL_TOML, **options):
    study = path.parent / "STUDY.toml"
    study.write_text(config_text, encoding="utf-8")
    return read_export(path, load_config(study), **options).rows


def test_decimal_comma_and_danish_sex_words(tmp_path):
    rows = _rows(small_csv(tmp_path / "d.csv"), decimal=",")
    assert rows[0] == {
        "id": "P0",
        "tidspunkt": "start",
        "spor": "b",
        "køn": "male",
        "alder": 12.5,
        "who5_1": 0,
        "who5_2": 1,
        "who5_3": 2,
        "who5_4": 3,
        "who5_5": 4,
    }
    assert {r["køn"] for r in rows} == {"female", "male"}


def test_without_decimal_comma_the_age_is_not_a_number(tmp_path, capsys):
    data = small_csv(tmp_path / "d.csv")
    (tmp_path / "S.toml").write_text(SMALL_TOML, encoding="utf-8")
    code = main(["report", str(data), "--study", str(tmp_path / "S.toml"), "-o", str(tmp_path / "r.html")])
    assert code == 2
    assert (
        "column 'alder', row 0 (person 'P0', time 'start'): '12,5' is not a number" in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("encoding", "option"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("cp1252", "cp1252")],
)
def test_encodings(tmp_path, encoding, option):
    data = small_csv(tmp_path / "d.csv", encoding=encoding)
    rows = _rows(data, encoding=option, decimal=",")
    assert len(rows) == 24
    assert "køn" in rows[0]
    assert rows[0]["id"] == "P0"  # no byte-order mark glued to the first column name


def test_sep_line_and_a_given_delimiter(tmp_path):
    data = small_csv(tmp_path / "d.csv")
    text = data.read_text(encoding="utf-8")
    data.write_text("sep=;\n" + text, encoding="utf-8")
    assert len(_rows(data, decimal=",")) == 24
    data.write_text(text.replace(";", "|"), encoding="utf-8")
    assert len(_rows(data, decimal=",", delimiter="|")) == 24


def test_sex_codes_from_study_toml(tmp_path):
    data = small_csv(tmp_path / "d.csv")
    data.write_text(
        data.read_text(encoding="utf-8").replace(";pige;", ";1;").replace(";dreng;", ";2;"), encoding="utf-8"
    )
    config = SMALL_TOML + '\n[sex_codes]\n"1" = "female"\n"2" = "male"\n'
    rows = _rows(data, config, decimal=",")
    assert rows[0]["køn"] == "male"
    assert {r["køn"] for r in rows} == {"female", "male"}


def test_labels_stay_text(tmp_path):
    data = tmp_path / "d.csv"
    small_csv(data)
    data.write_text(data.read_text(encoding="utf-8").replace("P1;", "007;"), encoding="utf-8")
    rows = _rows(data, decimal=",")
    assert "007" in {r["id"] for r in rows}


def _workbook(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: [tuple(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets
        }
    finally:
        book.close()


def test_excel_input_gives_the_same_tables_as_csv(tmp_path, capsys):
    data = small_csv(tmp_path / "d.csv")
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    frame = pd.read_csv(data, sep=";", decimal=",", dtype={"id": str})
    frame.to_excel(tmp_path / "d.xlsx", index=False)
    assert (
        main(
            ["report", str(data), "--study", str(study), "--xlsx", str(tmp_path / "a.xlsx"), "--decimal", ","]
        )
        == 0
    )
    assert (
        main(["report", str(tmp_path / "d.xlsx"), "--study", str(study), "--xlsx", str(tmp_path / "b.xlsx")])
        == 0
    )
    capsys.readouterr()
    first, second = _workbook(tmp_path / "a.xlsx"), _workbook(tmp_path / "b.xlsx")
    for book, name in ((first, "d.csv"), (second, "d.xlsx")):  # the data set's name differs, nothing else
        assert ("Datasæt", name) in book["Om data"]
        book["Om data"].remove(("Datasæt", name))
    assert first == second


def test_init_guesses_a_study_toml_that_runs(tmp_path, capsys):
    data = write_csv(tmp_path / "eksport.csv", n_persons=30)
    target = tmp_path / "STUDY.toml"
    assert main(["report", str(data), "--init", "--study", str(target)]) == 0
    assert "check it, then run" in capsys.readouterr().err
    config = load_config(target)
    assert config.columns.person == "elev_id"
    assert config.columns.time == "tidspunkt"
    assert config.columns.groups == ("forløb",)
    assert (config.columns.sex, config.columns.age) == ("køn", "alder")
    assert set(config.time_points) == {"start", "efter samtaler", "efter forløb", "3 mdr"}
    assert {name: m.ids[0] for name, m in config.measures.items()} == {
        "who5": "who5",
        "sdq": "sdq-s11-17",
        "scas": "scas-c",
        "mfq": "mfq-c",
    }
    text = target.read_text(encoding="utf-8")
    assert text.count("#") > 20  # commented for the user to check
    assert "sdq-p4-17" in text  # the other SDQ forms the columns fit, named in a comment
    # never overwrite without --force
    target.write_text("mine", encoding="utf-8")
    assert main(["report", str(data), "--init", "--study", str(target)]) == 2
    assert "exists; give --force" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "mine"
    assert main(["report", str(data), "--init", "--study", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8") == text


def test_progress_only_when_slow():
    stream = io.StringIO()
    progress = Progress(stream)
    progress("fast")
    progress.done()
    assert stream.getvalue() == ""
    progress.start = time.monotonic() - 2
    progress("read 10 rows (50%)")
    progress("too soon")
    progress.done()
    assert stream.getvalue() == "\rtrivselscore: read 10 rows (50%)\033[K\n"
    quiet = Progress(stream, enabled=False)
    quiet.start -= 2
    quiet("x")
    assert stream.getvalue().count("trivselscore") == 1


def test_item_columns_named_in_study_toml(tmp_path, capsys):
    data = small_csv(tmp_path / "d.csv")
    data.write_text(data.read_text(encoding="utf-8").replace("who5_1;", "trivsel1;"), encoding="utf-8")
    study = tmp_path / "S.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["report", str(data), "--study", str(study), "-o", str(out), "--decimal", ","]) == 2
    assert "no column for 1 item(s): 1 (tried who5_1" in capsys.readouterr().err
    study.write_text(SMALL_TOML + 'columns = { "1" = "trivsel1" }\n', encoding="utf-8")
    assert main(["report", str(data), "--study", str(study), "-o", str(out), "--decimal", ","]) == 0
    assert "who5: 0 rows without the form" in capsys.readouterr().err
