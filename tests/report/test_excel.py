"""The workbook reader on hand-written parts: every cell type, dates, styles, damaged files."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from trivselscore.report.excel import ExcelError, column_letters, read_sheet, sheet_names


def when(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour)  # noqa: DTZ001 - Excel dates have no time zone


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def workbook(  # noqa: PLR0913 - each part may be replaced
    path: Path,
    sheet: str,
    *,
    strings: list[str] | None = None,
    styles: str | None = None,
    props: str = "",
    sheets: str = '<sheet name="Data" sheetId="1" r:id="rId1"/>',
    extra_relations: str = "",
) -> Path:
    relations = f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
    parts = {
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">{props}<sheets>{sheets}</sheets>'
        "</workbook>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{sheet}</sheetData></worksheet>',
    }
    if strings is not None:
        parts["xl/strings.xml"] = f'<sst xmlns="{MAIN}">' + "".join(strings) + "</sst>"
        relations += f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="strings.xml"/>'
    if styles is not None:
        parts["xl/styles.xml"] = f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{PACKAGE}">{relations}{extra_relations}</Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return path


STYLES = (
    '<numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="0.0&quot;d&quot;"/></numFmts>'
    '<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>'
    '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs>'
    "<dxfs><dxf/></dxfs>"
)


def test_every_cell_type(tmp_path):
    strings = ["<si><t>tekst</t></si>", "<si><r><t>rig </t></r><r><t>tekst</t></r><rPh><t>x</t></rPh></si>"]
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr">'
        '<is><t>inline</t></is></c><c r="D1" t="b"><v>1</v></c><c r="E1" t="e"><v>#N/A</v></c>'
        '<c r="F1" t="str"><f>A1</f><v>tekst</v></c><c r="G1" t="d"><v>2024-02-29T10:00:00Z</v></c></row>'
        '<row r="3"><c r="A3" s="1"><v>45351</v></c><c r="B3" s="2"><v>2.5</v></c>'
        '<c r="C3" s="3"><v>1.5</v></c><c r="D3"><v>3</v></c><c r="E3"><v>1E+20</v></c>'
        '<c r="F3" t="str"><v></v></c><c r="G3"><v></v></c></row>'
        "<row><c><v>7</v></c><c><v>8</v></c><x/></row>"
    )
    book = read_sheet(workbook(tmp_path / "a.xlsx", sheet, strings=strings, styles=STYLES))
    assert book.rows[0] == [
        "tekst",
        "rig tekst",
        "inline",
        True,
        "#N/A",
        "tekst",
        when(2024, 2, 29, 10),
    ]
    assert book.rows[1][:5] == [when(2024, 2, 29), 2.5, when(1900, 1, 1, 12), 3, 10**20]
    assert book.rows[2] == [7, 8]
    assert book.row_numbers == [1, 3, 4]


def test_dates_from_1904_and_before_the_leap_year_bug(tmp_path):
    sheet = (
        '<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>59</v></c>'
        '<c r="C1" s="1"><v>61</v></c></row>'
    )
    path = workbook(tmp_path / "a.xlsx", sheet, styles=STYLES)
    assert read_sheet(path).rows[0] == [
        when(1899, 12, 31),
        when(1900, 2, 28),
        when(1900, 3, 1),
    ]
    path = workbook(tmp_path / "b.xlsx", sheet, styles=STYLES, props='<workbookPr date1904="1"/>')
    assert read_sheet(path).rows[0][0] == when(1904, 1, 1)


@pytest.mark.parametrize(
    ("sheet", "options", "message"),
    [
        ('<row r="1"><c r="A1" t="d"><v>someday</v></c></row>', {}, "cell A1: 'someday' is not a date"),
        ('<row r="1"><c r="B1"><v>x1</v></c></row>', {}, "cell B1: 'x1' is not a number"),
        (
            '<row r="1"><c r="A1" s="1"><v>1e9</v></c></row>',
            {"styles": STYLES},
            r"cell A1: 1e\+09 is not a date",
        ),
        (
            '<row r="1"><c r="A1" t="s"><v>x</v></c></row>',
            {"strings": []},
            "shared string 'x' does not exist",
        ),
        ("<row><c>", {}, "xl/worksheets/sheet1.xml: mismatched tag"),
        ("", {"sheets": '<sheet name="Data" sheetId="1" r:id="rId9"/>'}, "sheet 'Data' has no part"),
    ],
)
def test_damaged_cells_and_parts(tmp_path, sheet, options, message):
    with pytest.raises(ExcelError, match=message):
        read_sheet(workbook(tmp_path / "a.xlsx", sheet, **options))


def test_a_part_that_does_not_exist_or_does_not_unpack(tmp_path):
    path = workbook(tmp_path / "a.xlsx", "", extra_relations="")
    with zipfile.ZipFile(path) as source:
        parts = {i.filename: source.read(i) for i in source.infolist()}
    del parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(path, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    with pytest.raises(ExcelError, match=re.escape("the part xl/worksheets/sheet1.xml is missing")):
        read_sheet(path)
    broken = workbook(tmp_path / "b.xlsx", "", strings=["<si><t>" + "x" * 5000 + "</t></si>"] * 50)
    raw = bytearray(broken.read_bytes())
    with zipfile.ZipFile(broken) as source:
        info = source.getinfo("xl/strings.xml")
    start = info.header_offset + 30 + len(info.filename)
    raw[start : start + 40] = b"\xff" * 40
    broken.write_bytes(bytes(raw))
    with pytest.raises(ExcelError, match=re.escape("not a readable Excel file: xl/strings.xml")):
        read_sheet(broken)


def test_sheet_names_and_columns(tmp_path):
    sheets = '<sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="2" r:id="rId1"/>'
    path = workbook(tmp_path / "a.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>', sheets=sheets)
    assert sheet_names(path) == ["A", "B"]
    assert read_sheet(path, sheet="B").name == "B"
    assert [column_letters(i) for i in (0, 16383)] == ["A", "XFD"]
