"""Hostile export files: each is one line on stderr, exit code 2, and no file written."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pandas as pd
import pyreadstat
import pytest

from tests.report.test_bad_input import SMALL_TOML
from trivselscore.cli.commands import main
from trivselscore.report import excel

HEADER: list[object] = [
    "id",
    "tidspunkt",
    "spor",
    "køn",
    "alder",
    "who5_1",
    "who5_2",
    "who5_3",
    "who5_4",
    "who5_5",
]


def rows(n: int = 12) -> list[list[object]]:
    out: list[list[object]] = []
    for p in range(n):
        for t, label in enumerate(("start", "slut")):
            answers: list[object] = [(p + t + i) % 6 for i in range(5)]
            out.append(
                [f"P{p}", label, "a" if p % 2 else "b", "pige" if p % 3 else "dreng", 12 + p % 5, *answers]
            )
    return out


def book(path: Path, header: list[object], body: list[list[object]], *, sheet: str = "Data") -> Path:
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = sheet
    data.append(header)
    for row in body:
        data.append(row)
    workbook.save(path)
    return path


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def shared_book(
    path: Path, header: list[object], body: list[list[object]], *, more: tuple[bytes, int] = (b"", 0)
) -> Path:
    """A workbook as Excel writes it: text in the shared strings (``more``: a block of them, how often)."""
    texts: dict[str, int] = {}
    lines = []
    for number, row in enumerate([header, *body], start=1):
        cells = []
        for at, value in enumerate(row):
            ref = f"{chr(65 + at)}{number}"
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="s"><v>{texts.setdefault(value, len(texts))}</v></c>')
            elif value is not None:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    shared = "".join(f"<si><t>{t}</t></si>" for t in texts)
    parts = {
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}"><sheets>'
        '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(lines)}'
        "</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for name, content in parts.items():
            target.writestr(name, content)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as handle:
            count = len(texts) + more[0].count(b"<si>") * more[1]
            handle.write(f'<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">{shared}'.encode())
            for _ in range(more[1]):
                handle.write(more[0])
            handle.write(b"</sst>")
    return path


def _patch_part(path: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = edit(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return path


def _sav(path: Path, *, twice: bool = False) -> Path:
    frame = pd.DataFrame(rows(), columns=HEADER)
    frame = frame.rename(columns={"køn": "kon"})
    if twice:  # no writer makes two columns of one name: rename one in the file itself
        frame = frame.rename(columns={"who5_4": "aa", "who5_5": "ab"})
    pyreadstat.write_sav(frame, str(path))
    if twice:
        path.write_bytes(path.read_bytes().replace(b"AB=ab", b"AB=aa"))
    return path


def _csv(text: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / "data.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return write


A_DATE = dt.datetime(2024, 1, 3)  # noqa: DTZ001 - Excel dates have no time zone


def _raw(name: str, content: bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        (folder / name).write_bytes(content)
        return folder / name

    return write


HEAD = ";".join(map(str, HEADER))
GOOD = "P0;start;a;pige;12;1;2;3;4;5"

CASES: dict[str, tuple[Callable[[Path], Path], list[str], str]] = {
    "csv duplicate column": (
        _csv(HEAD.replace("who5_5", "who5_4") + "\n" + GOOD + "\n"),
        [],
        "data.csv: column names used more than once: 'who5_4' (column 9 and column 10)",
    ),
    "csv short row": (
        _csv(f"{HEAD}\n{GOOD}\nP1;start;a;pige;12;1;2\n{GOOD.replace('P0', 'P2')}\n"),
        [],
        "data.csv line 3: 7 fields, the header has 10; the row is cut short",
    ),
    "csv long row": (
        _csv(f"{HEAD}\n{GOOD};9\n"),
        [],
        "data.csv line 2: 11 fields, the header has 10; a value lies past the last column",
    ),
    "csv value without a column name": (
        _csv(HEAD.replace(";who5_5", ";who5_5;") + "\n" + GOOD + ";x\n"),
        [],
        "data.csv data row 1: column 11 holds 'x' but has no name in the header",
    ),
    "excel duplicate column": (
        lambda f: book(f / "data.xlsx", [*HEADER[:-1], "who5_4"], rows()),
        [],
        "data.xlsx (sheet 'Data'): column names used more than once: 'who5_4' (column I and column J)",
    ),
    "excel value past the header": (
        lambda f: book(f / "data.xlsx", HEADER, [[*rows()[0], None, 7]]),
        [],
        "data.xlsx (sheet 'Data') row 2: column L holds 7 but the header (row 1) ends at column J",
    ),
    "excel formula without a saved value": (
        lambda f: book(f / "data.xlsx", HEADER, [*rows()[:3], [*rows()[3][:5], 1, 2, "=F5+G5", 3, 4]]),
        [],
        "data.xlsx, sheet 'Data', cell H5: a formula without a saved value",
    ),
    "excel not a zip": (
        _raw("data.xlsx", b"PK\x03\x04 broken"),
        [],
        "data.xlsx is not a readable Excel file (not a zip archive",
    ),
    "excel broken sheet xml": (
        lambda f: _patch_part(
            book(f / "data.xlsx", HEADER, rows()), "xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2]
        ),
        [],
        "data.xlsx is not a readable Excel file: xl/worksheets/sheet1.xml: no element found",
    ),
    "excel without its workbook part": (
        lambda f: _patch_part(book(f / "data.xlsx", HEADER, rows()), "xl/workbook.xml", lambda _: b"<x/>"),
        [],
        "data.xlsx is not a readable Excel file: it has no sheet",
    ),
    "excel unknown sheet": (
        lambda f: book(f / "data.xlsx", HEADER, rows()),
        ["--sheet", "Ark2"],
        "--sheet: data.xlsx has no sheet 'Ark2'; sheets: 'Data'",
    ),
    "excel dates as item answers": (
        lambda f: book(
            f / "data.xlsx",
            HEADER,
            [[*r[:7], A_DATE, *r[8:]] for r in rows()],
        ),
        [],
        "column 'who5_3' holds dates or times, not numbers",
    ),
    "xls": (_raw("data.xls", b"\xd0\xcf"), [], "save it as .xlsx"),
    "sheet option for a csv": (_csv(f"{HEAD}\n{GOOD}\n"), ["--sheet", "x"], "--sheet is for Excel workbooks"),
    "sav duplicate column": (
        lambda f: _sav(f / "data.sav", twice=True),
        [],
        "data.sav: column names used more than once: 'aa'",
    ),
    "sav not readable": (
        _raw("data.sav", b"$FL2 nothing"),
        [],
        "data.sav is not a readable SPSS file",
    ),
}


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.suffix in {".html", ".xlsx", ".part"} and p.stem != "data"
    )


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_file_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, case):
    make, options, message = CASES[case]
    data = make(tmp_path)
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML.replace('"køn"', '"kon"') if data.suffix == ".sav" else SMALL_TOML, "utf-8")
    out, table = tmp_path / "r.html", tmp_path / "r.xlsx"
    code = main(["report", str(data), "--study", str(study), "-o", str(out), "--xlsx", str(table), *options])
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err
    assert err.startswith("trivselscore: error: ")
    assert err.count("\n") == 1
    assert _leftovers(tmp_path) == []


def test_a_real_formula_with_its_saved_value_is_read(tmp_path, capsys):
    path = book(tmp_path / "data.xlsx", HEADER, rows())
    _patch_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda b: b.replace(b'<c r="H5" t="n"><v>', b'<c r="H5" t="n"><f>F5+G5</f><v>'),
    )
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    assert main(["report", str(path), "--study", str(study), "--xlsx", str(tmp_path / "r.xlsx")]) == 0
    assert "24 rows read; 12 persons" in capsys.readouterr().err


def test_a_part_past_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    path = book(tmp_path / "data.xlsx", HEADER, rows())
    monkeypatch.setattr(excel, "PART_LIMIT", 1024)
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    assert main(["report", str(path), "--study", str(study), "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "data.xlsx: the part xl/" in err
    assert "KiB unpacked, over the limit of 1.0 KiB; export the sheet as CSV" in err


@pytest.mark.parametrize("declared", [True, False])
def test_too_many_shared_strings_are_refused(tmp_path, monkeypatch, capsys, declared):
    path = shared_book(tmp_path / "data.xlsx", HEADER, rows())
    if not declared:
        _patch_part(path, "xl/sharedStrings.xml", lambda b: b.replace(b'uniqueCount="', b'x="'))
    monkeypatch.setattr(excel, "STRING_LIMIT", 5)
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    assert main(["report", str(path), "--study", str(study), "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert ("over the limit of 5" if declared else "more than 5 different texts") in err


def test_a_workbook_with_shared_strings_reads_as_openpyxl_writes_it(tmp_path, capsys):
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    for name, writer in (("a", shared_book), ("b", book)):
        path = writer(tmp_path / f"{name}.xlsx", HEADER, rows())
        out = str(tmp_path / f"{name}.out.xlsx")
        assert main(["report", str(path), "--study", str(study), "--xlsx", out]) == 0
    capsys.readouterr()
    first = openpyxl.load_workbook(tmp_path / "a.out.xlsx").worksheets[0]
    second = openpyxl.load_workbook(tmp_path / "b.out.xlsx").worksheets[0]
    assert list(first.values) == list(second.values)


def test_a_shared_string_that_does_not_exist_is_a_damaged_file(tmp_path):
    path = shared_book(tmp_path / "data.xlsx", HEADER, rows())
    _patch_part(path, "xl/worksheets/sheet1.xml", lambda b: b.replace(b"<v>0</v>", b"<v>999</v>", 1))
    with pytest.raises(excel.ExcelError, match="cell A1: shared string '999' does not exist"):
        excel.read_sheet(path)


def _huge_shared_strings(path: Path, count: int, *, declare: bool) -> Path:
    block = b"".join(b"<si><t>%d</t></si>" % i for i in range(10_000))
    shared_book(path, HEADER, rows(1), more=(block, count // 10_000))
    if not declare:
        with zipfile.ZipFile(path) as source:
            parts = {i.filename: i for i in source.infolist()}
            tmp = path.with_suffix(".tmp")
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
                for name, info in parts.items():
                    with source.open(info) as reading, target.open(name, "w", force_zip64=True) as writing:
                        first = reading.read(300)
                        writing.write(re.sub(rb' uniqueCount="[0-9]+"', b"", first))
                        while chunk := reading.read(1 << 20):
                            writing.write(chunk)
        tmp.replace(path)
    return path


@pytest.mark.stress
@pytest.mark.parametrize("declare", [True, False])
def test_ten_million_shared_strings_stop_under_500_mb(tmp_path, declare):
    long = os.environ.get("TRIVSELSCORE_STRESS") == "long"
    count, limit = (10_000_000, excel.STRING_LIMIT) if long else (300_000, 100_000)
    path = _huge_shared_strings(tmp_path / "data.xlsx", count, declare=declare)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from trivselscore.report import excel\n"
        "from trivselscore.report.excel import ExcelError, read_sheet\n"
        f"excel.STRING_LIMIT = {limit}\n"
        "try:\n"
        f"    read_sheet(Path({str(path)!r}))\n"
        "except ExcelError as error:\n"
        "    print(error)\n"
        "status = Path('/proc/self/status').read_text()\n"
        "print(next(line.split()[1] for line in status.splitlines() if line.startswith('VmHWM')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    message, peak_kib = done.stdout.strip().splitlines()
    assert "different texts (shared strings)" in message
    assert int(peak_kib) < 500 * 1024  # VmHWM: the peak of this process alone (kB)


def test_the_excel_reader_reads_what_pandas_reads(tmp_path):
    body = [[*r[:4], float(str(r[4])) + 0.5, *r[5:]] for r in rows()]
    body[0][2] = "gruppe & co"
    body[1][5] = None
    path = book(tmp_path / "data.xlsx", HEADER, body)
    frame = pd.read_excel(path, dtype=object)
    sheet = excel.read_sheet(path)
    assert sheet.rows[0] == HEADER
    expected = [[None if pd.isna(v) else v for v in row] for row in frame.to_numpy().tolist()]
    got = [[*row, *([None] * (len(HEADER) - len(row)))] for row in sheet.rows[1:]]
    assert got == expected
    assert sheet.row_numbers[:3] == [1, 2, 3]


def test_excel_dates_booleans_and_rich_text(tmp_path):
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.append(["dato", "bool", "tekst"])
    data.append([pd.Timestamp(2024, 2, 29, 13, 30).to_pydatetime(), True, "a"])
    data["A2"].number_format = "dd-mm-yyyy hh:mm"
    path = tmp_path / "d.xlsx"
    workbook.save(path)
    sheet = excel.read_sheet(path)
    assert sheet.rows[1] == [pd.Timestamp(2024, 2, 29, 13, 30).to_pydatetime(), True, "a"]


def test_sheets_by_name_any_case(tmp_path):
    path = book(tmp_path / "d.xlsx", ["a"], [[1]], sheet="Besvarelser")
    assert excel.sheet_names(path) == ["Besvarelser"]
    assert excel.read_sheet(path, sheet="besvarelser").name == "Besvarelser"
    out = io.StringIO()
    assert out.getvalue() == ""
