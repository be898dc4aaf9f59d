"""Other survey questions (``[[questions]]``): each answer's share per time point and track (issue 23).

Checked against an independent pandas computation on the messy realistic export
(``tests/report/exports.py`` with ``questions=True``), read back from the HTML
and the Excel file; the SPSS file (answers coded with value labels) gives the
same table; bad keys and answers stop with one line.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pandas as pd
import pytest

from tests.report.exports import QUESTIONS, ExportSpec, make_export, write_csv, write_sav
from tests.report.pages import Page, plain
from trivselscore.cli.commands import main
from trivselscore.errors import CohortDataError
from trivselscore.report.config import ConfigError, parse_config
from trivselscore.study import Study

HELPED, RECOMMEND = list(QUESTIONS)

STUDY = f"""
title = "Evaluering"
time_points = ["Start", "Midtvejs", "Afslutning", "Opfølgning"]
[columns]
person = "Deltager-ID"
time = "Tidspunkt"
groups = ["Forløbstype"]
[measures.who5]
instrument = "who5"
[measures.who5.columns]
"1" = "WHO5_1"
"2" = "WHO5_2"
"3" = "WHO5_3"
"4" = "WHO5_4"
"5" = "WHO5_5"
[[questions]]
column = "{HELPED}"
answers = ["Enig", "Delvis enig", "Uenig"]
[[questions]]
column = "{RECOMMEND}"
title = "Anbefaler forløbet"
time_points = ["Afslutning"]
"""


def _run(tmp_path: Path, data: Path, study: str = STUDY) -> tuple[int, str]:
    (tmp_path / "STUDY.toml").write_text(study, encoding="utf-8")
    args = ["report", str(data), "--study", str(tmp_path / "STUDY.toml"), "--decimal", ","]
    args += ["-o", str(tmp_path / "r.html"), "--xlsx", str(tmp_path / "r.xlsx")]
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(args)
    return code, err.getvalue()


def _expected(
    csv: Path, column: str, answers: list[str], times: list[str]
) -> dict[tuple[str, str], dict[str, int]]:
    """Per (time, track) n, blank and each answer's count: pandas on the raw CSV, nothing of ours."""
    frame = pd.read_csv(csv, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    out = {}
    for time in times:
        at = frame[frame["Tidspunkt"] == time]
        for track, rows in [("alle", at), *sorted(at.groupby("Forløbstype"))]:
            answered = rows[rows[column].str.strip() != ""]
            out[time, str(track)] = {
                "n": len(answered),
                "blank": len(rows) - len(answered),
                **{a: int((answered[column] == a).sum()) for a in answers},
            }
    return out


@pytest.fixture(scope="module")
def export_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(make_export(ExportSpec(questions=True)), tmp_path_factory.mktemp("q") / "data.csv")


def test_the_question_tables_equal_pandas_in_html_and_excel(tmp_path, export_csv):
    code, err = _run(tmp_path, export_csv)
    assert code == 0, err
    page = Page((tmp_path / "r.html").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    cases = [
        (HELPED, HELPED, ["Enig", "Delvis enig", "Uenig"], ["Afslutning", "Opfølgning"], "spørgsmål 1"),
        (RECOMMEND, "Anbefaler forløbet", ["Ja", "Nej"], ["Afslutning"], "spørgsmål 2"),
    ]
    shown = 0
    for column, caption, answers, times, sheet_name in cases:
        table = next(t for t in page.tables if t.caption == caption)
        assert table.head == ["tidspunkt", "gruppe", "besvaret (n)", "ikke besvaret"] + [
            f"{a} (%)" for a in answers
        ]
        expected = _expected(export_csv, column, answers, times)
        assert [(r[0], r[1]) for r in table.body] == list(expected)
        sheet = list(book[sheet_name].iter_rows(values_only=True))
        assert sheet[0][0] == caption
        for line, cells, want in zip(table.body, sheet[2:], expected.values(), strict=False):
            for text, key in ((line[2], "n"), (line[3], "blank")):
                if text.isdigit():
                    assert int(text) == want[key]
                    shown += 1
            for text, answer in zip(line[4:], answers, strict=True):
                if text.endswith(")"):  # a share shown with its interval
                    assert plain(text).startswith(f"{100 * want[answer] / want['n']:.0f}%")
                    shown += 1
            assert cells[2] == (int(line[2]) if line[2].isdigit() else line[2])
            shares = list(cells[4::3])
            for value, answer in zip(shares, answers, strict=True):
                if isinstance(value, float):
                    assert value == pytest.approx(want[answer] / want["n"])
    assert shown >= 20  # most cells of a 212-person export are shown


def test_the_spss_file_with_value_labels_gives_the_same_table(tmp_path, export_csv):
    export = make_export(ExportSpec(questions=True))
    sav = write_sav(export, tmp_path / "data.sav")
    study = STUDY.replace('"WHO5_', '"WHO5_').replace("Deltager-ID", "Deltager_ID")
    study = study.replace(f'"{HELPED}"', '"Samtalerne_hjalp_mig_til_at_forstå_mine_udfordringer"')
    study = study.replace(f'"{RECOMMEND}"', '"Vil_du_anbefale_forløbet_til_andre"')
    code, err = _run(tmp_path, sav, study)
    assert code == 0, err
    from_sav = {t.caption: t.body for t in Page((tmp_path / "r.html").read_text(encoding="utf-8")).tables}
    code, err = _run(tmp_path, export_csv)
    assert code == 0, err
    from_csv = {t.caption: t.body for t in Page((tmp_path / "r.html").read_text(encoding="utf-8")).tables}
    assert from_sav["Anbefaler forløbet"] == from_csv["Anbefaler forløbet"]
    assert from_sav["Samtalerne_hjalp_mig_til_at_forstå_mine_udfordringer"] == from_csv[HELPED]


def test_the_python_api_counts_every_answer_and_blank_like_pandas():
    export = make_export(ExportSpec(questions=True, n_persons=80, seed=5))
    rows = [dict(zip(export.header, r, strict=True)) for r in export.rows]
    items = {str(i): f"WHO5_{i}" for i in range(1, 6)}
    study = Study.from_long(
        rows,
        instruments={"who5": "who5"},
        time_points=["Start", "Midtvejs", "Afslutning", "Opfølgning"],
        person="Deltager-ID",
        time="Tidspunkt",
        groups=["Forløbstype"],
        columns={"who5": items},
    )
    report = study.survey(HELPED, by=["Forløbstype"], min_cell=1)
    frame = pd.DataFrame(rows)
    assert report.answer_order == ("Delvis enig", "Enig", "Uenig")  # as found: alphabetical
    assert report.time_points == ("Afslutning", "Opfølgning")
    for row in report.rows:
        at = frame[frame["Tidspunkt"] == row.time]
        if row.group != "all":
            at = at[at["Forløbstype"] == row.group]
        assert row.rows.value == len(at)
        assert row.n.value == int(at[HELPED].notna().sum())
        assert row.blank.value == int(at[HELPED].isna().sum())
        counts = at[HELPED].value_counts()
        for cell in row.answers:
            assert cell.count.value == int(counts.get(cell.key, 0))
    frame_out = report.to_frame()
    assert len(frame_out) == len(report.rows)


BAD_QUESTIONS = [
    ('[[questions]]\ncolumn = ""', "key 'questions.0.column'"),
    ('[[questions]]\ncolumn = "q"\nanswers = ["ja", "ja"]', "'questions.0.answers': 'ja' is listed twice"),
    ('[[questions]]\ncolumn = "q"\nanswers = ["ja", " "]', "key 'questions.0.answers': an answer is blank"),
    ('[[questions]]\ncolumn = "q"\ntime_points = ["x"]', "questions.0.time_points: 'x' is not in"),
    ('[[questions]]\ncolumn = "q"\n[[questions]]\ncolumn = "q"', "questions.1.column: 'q' is asked for"),
    ('[[questions]]\ncolumn = "q"\nanswer = ["ja"]', "key 'questions.0.answer' is not allowed"),
]


@pytest.mark.parametrize(("extra", "message"), BAD_QUESTIONS)
def test_a_bad_question_key_is_one_line_naming_it(extra, message):
    base = 'title = "t"\ntime_points = ["a"]\n[columns]\nperson = "p"\ntime = "t"\n'
    base += '[measures.who5]\ninstrument = "who5"\n'
    with pytest.raises(ConfigError) as caught:
        parse_config(base + extra)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("study", "message"),
    [
        (STUDY.replace('"Enig", "Delvis enig", "Uenig"', '"Enig", "Uenig"'), "'Delvis enig' is not one"),
        (STUDY.replace(f'column = "{RECOMMEND}"', 'column = "Tilfreds"'), "questions.1.column names column"),
    ],
)
def test_an_answer_not_listed_or_a_missing_column_stops_with_one_line(tmp_path, export_csv, study, message):
    code, err = _run(tmp_path, export_csv, study)
    assert code == 2
    line = err.strip().splitlines()[-1]
    assert line.startswith("trivselscore: error:")
    assert message in line


def test_an_answer_with_a_control_character_stops_with_one_line(tmp_path):
    export = make_export(ExportSpec(questions=True, n_persons=40, seed=3))
    at = export.header.index(HELPED)
    first = next(row for row in export.rows if row[at] is not None)
    first[at] = "Enig\x07"
    data = write_csv(export, tmp_path / "data.csv")
    code, err = _run(tmp_path, data, STUDY.replace('answers = ["Enig", "Delvis enig", "Uenig"]\n', ""))
    assert code == 2
    line = err.strip().splitlines()[-1]
    assert f"question {HELPED!r}, answer 'Enig\\x07' contains the control character U+0007" in line


def test_the_python_report_prints_as_a_table_in_both_languages():
    rows = [
        {"id": p, "t": "slut", "q": [1.0, 2.0, float("nan")][p % 3], **{f"who5_{i}": 3 for i in range(1, 6)}}
        for p in range(30)
    ]
    study = Study.from_long(rows, instruments={"who5": "who5"}, time_points=["slut"], person="id", time="t")
    report = study.survey("q", title="Hjalp samtalerne?")
    assert report.answer_order == ("1", "2")  # whole numbers without .0; NaN is blank
    assert report.rows[0].blank.value == 10
    da, en = report.table("da"), report.table("en")
    assert da.splitlines()[0] == en.splitlines()[0] == "Hjalp samtalerne?"
    assert "ikke besvaret" in da
    assert "not answered" in en
    assert "50% (30-70)" in da  # 10 of 20 (Wilson)


def test_without_answers_an_spss_file_gives_them_in_the_order_of_their_codes(tmp_path):
    sav = write_sav(make_export(ExportSpec(questions=True, n_persons=60)), tmp_path / "data.sav")
    study = STUDY.replace("Deltager-ID", "Deltager_ID").replace(
        'answers = ["Enig", "Delvis enig", "Uenig"]\n', ""
    )
    study = study.replace(f'"{HELPED}"', '"Samtalerne_hjalp_mig_til_at_forstå_mine_udfordringer"')
    study = study.replace(f'"{RECOMMEND}"', '"Vil_du_anbefale_forløbet_til_andre"')
    code, err = _run(tmp_path, sav, study)
    assert code == 0, err
    tables = {t.caption: t.head for t in Page((tmp_path / "r.html").read_text(encoding="utf-8")).tables}
    assert tables["Samtalerne_hjalp_mig_til_at_forstå_mine_udfordringer"][4:] == [
        "Enig (%)",
        "Delvis enig (%)",
        "Uenig (%)",
    ]  # 1, 2, 3 in the file; from a CSV they would be in alphabetical order


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"column": "nope"}, CohortDataError, "no column 'nope' in the data"),
        ({"column": "q", "time_points": ["b"]}, CohortDataError, "unknown time point 'b'"),
        ({"column": "q", "answers": ["ja"]}, CohortDataError, "question 'q': answer 'nej' is not one of"),
        ({"column": "q", "by": ["spor"]}, CohortDataError, "not given as groups"),
        ({"column": "q", "min_cell": 2}, ValueError, "min_cell=2"),
        ({"column": "q", "interval": "wald"}, ValueError, "wald"),
    ],
)
def test_bad_arguments_to_study_survey_are_typed_errors(kwargs, error, message):
    rows = [
        {"id": p, "t": "a", "q": ["ja", "nej"][p % 2], **{f"who5_{i}": 3 for i in range(1, 6)}}
        for p in range(10)
    ]
    study = Study.from_long(rows, instruments={"who5": "who5"}, time_points=["a"], person="id", time="t")
    with pytest.raises(error, match=message):
        study.survey(**kwargs)
