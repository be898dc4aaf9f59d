"""CSV files: no row is ever lost, every run balances its books, and no output is half-written."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore import get_instrument
from trivselscore.cli.commands import main
from trivselscore.tabular.csvfile import CsvOptions, score_csv
from trivselscore.tabular.csvread import CELL_LIMIT, RECORD_LINE_LIMIT, CsvFileError, open_records

WHO5 = "1,2,3,4,5"
SUMMARY = re.compile(
    r"trivselscore: (?P<records>[\d,]+) records? read = (?P<parts>.+); (?P<rows>[\d,]+) rows? written"
)


def run(*argv: object) -> tuple[int, str]:
    out = io.StringIO()
    code = main([str(a) for a in argv], out=out)
    return code, out.getvalue()


def rows_of(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def numbers(line: str) -> dict[str, int]:
    """The summary line's counts by what they count ('scored', 'blank lines skipped', ...)."""
    match = SUMMARY.fullmatch(line.strip())
    assert match is not None, line
    found = {"records": int(match["records"].replace(",", "")), "rows": int(match["rows"].replace(",", ""))}
    for part in match["parts"].split(" + "):
        count, _, what = part.partition(" ")
        found[what] = int(count.replace(",", ""))
    return found


# --- a quote that never closes ------------------------------------------------------------------


def stray_quote_file(path: Path, column: int, line: int, n: int = 1000) -> Path:
    lines = ["id,1,2,3,4,5,kommentar"]
    for i in range(1, n + 1):
        fields = [f"p{i}", "3", "3", "3", "3", "3", "fint"]
        if len(lines) + 1 == line:
            fields[column] = '"' + fields[column]
        lines.append(",".join(fields))
    return write(path, "\n".join(lines) + "\n")


@pytest.mark.parametrize(("column", "line"), [(6, 10), (0, 10), (3, 500), (6, 1001), (6, 2)])
def test_a_quote_that_never_closes_stops_the_run_naming_its_line(tmp_path, capsys, column, line):
    path = stray_quote_file(tmp_path / "in.csv", column, line)
    target = tmp_path / "out.csv"
    target.write_bytes(b"old\n")
    code, text = run("score", "who5", path, "--id-column", "id", "-o", target)
    err = capsys.readouterr().err
    assert (code, text) == (2, "")
    assert f"line {line}: a quoted field opens here and never closes" in err
    assert err.count("\n") == 1
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_a_quote_that_swallows_too_many_lines_stops_the_run(tmp_path, capsys):
    lines = ["id,1,2,3,4,5,kommentar"] + [f"p{i},3,3,3,3,3,fint" for i in range(1, 3001)]
    lines[9] = lines[9].replace("fint", '"citat')  # opens a quote; line 2010 closes it: 2,000 rows gone
    lines[2009] = lines[2009].replace("fint", 'slut"')
    path = write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    code, _ = run("score", "who5", path, "--id-column", "id")
    err = capsys.readouterr().err
    assert code == 2
    assert f"line 10: a quoted field opens here and runs over more than {RECORD_LINE_LIMIT:,} lines" in err


def test_a_quote_closed_by_a_later_stray_quote_stops_the_run(tmp_path, capsys):
    lines = ["id,1,2,3,4,5,kommentar"] + [f"p{i},3,3,3,3,3,fint" for i in range(1, 31)]
    lines[9] = lines[9].replace("fint", '"hej')  # line 10 opens a quote
    lines[19] = lines[19].replace("fint", 'han sagde "hej')  # line 20 ends it: rows 10-19 in one cell
    path = write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    code, _ = run("score", "who5", path, "--id-column", "id")
    err = capsys.readouterr().err
    assert code == 2
    assert "line 10: a quoted field opens here and swallows line 11, which looks like a record" in err


@pytest.mark.parametrize(
    "comment",
    [
        "Jeg er 15, går i 9. klasse,\nog har det fint, 3 gange om ugen",
        "1,2,3\n4,5,6\n7,8",
        "a,b,c,d,e,f\ng,h,i,j,k,l",
        "\n\n,,,,,,\n",
    ],
)
def test_prose_with_line_breaks_and_commas_is_kept(tmp_path, comment):
    text = 'id,1,2,3,4,5,kommentar\np1,3,3,3,3,3,"' + comment + '"\np2,1,1,1,1,1,fint\n'
    code, out = run("score", "who5", write(tmp_path / "in.csv", text), "--id-column", "id")
    assert code == 0
    assert [r["raw"] for r in rows_of(out)] == ["15", "5"]


def test_the_opening_line_is_found_after_an_earlier_multiline_field(tmp_path, capsys):
    text = 'id,1,2,3,4,5,a,b\np1,3,3,3,3,3,"two\nlines",fint\np2,3,3,3,3,3,"ok\nstill ok","never\n'
    path = write(tmp_path / "in.csv", text + "p3,3,3,3,3,3,x,y\n")
    assert run("score", "who5", path)[0] == 2
    assert "line 5: a quoted field opens here and never closes" in capsys.readouterr().err


def test_any_other_csv_error_names_the_line(tmp_path):
    path = write(tmp_path / "in.csv", WHO5 + "\n3,3,3,3,3\n3,3,3,3,3\n")
    with open_records(path) as records:
        assert next(records.chunks(1)) == [["3"] * 5]
        with pytest.raises(CsvFileError, match=r"in\.csv line 3: not readable as CSV: boom$"):
            records._fail(csv.Error("boom"))


def test_quoted_line_breaks_in_free_text_are_kept_and_counted(tmp_path, capsys):
    text = 'id,1,2,3,4,5,kommentar\np1,3,3,3,3,3,"en\r\nto\n\ntre"\np2,1,1,1,1,1,fint\n'
    path = write(tmp_path / "in.csv", text)
    code, out = run("score", "who5", path, "--id-column", "id")
    assert code == 0
    assert [(r["id"], r["raw"]) for r in rows_of(out)] == [("p1", "15"), ("p2", "5")]
    assert numbers(capsys.readouterr().err) == {"records": 2, "rows": 2, "scored": 2}


# --- every run balances -------------------------------------------------------------------------


def test_the_summary_counts_every_unscored_row_by_reason(tmp_path, capsys):
    lines = [WHO5]
    for i in range(1518):
        row = ["3"] * 5
        if i < 81:
            row[2] = ""  # WHO-5 has no missing rule: no score, and that is not an error
        if i == 100:
            row[0] = "9"
        lines.append(",".join(row))
        if i % 500 == 0:
            lines.append("")
    path = write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    code, text = run("score", "who5", path)
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip() == (
        "trivselscore: 1,522 records read = 1,436 scored + 81 not scored (missing answers)"
        " + 1 not scored (errors, see the 'error' column) + 4 blank lines skipped; 1,518 rows written"
    )
    assert len(rows_of(text)) == 1518


def test_partly_scored_rows_are_counted(tmp_path, capsys):
    instrument = get_instrument("sdq-s11-17")
    full = ["1"] * len(instrument.items)
    part = list(full)
    part[instrument.item_ids.index(instrument.scale_items("emotional")[0])] = ""
    part[instrument.item_ids.index(instrument.scale_items("emotional")[1])] = ""
    part[instrument.item_ids.index(instrument.scale_items("emotional")[2])] = ""
    rows = [full, part, [""] * len(full)]
    text = ",".join(instrument.item_ids) + "\n" + "\n".join(",".join(r) for r in rows) + "\n"
    code, _ = run("score", "sdq-s11-17", write(tmp_path / "in.csv", text))
    assert code == 0
    counts = numbers(capsys.readouterr().err)
    assert counts == {
        "records": 3,
        "rows": 3,
        "scored": 1,
        "partly scored (missing answers)": 1,
        "not scored (missing answers)": 1,
    }


KINDS = st.sampled_from(["good", "missing", "bad", "blank", "short"])


@given(st.lists(KINDS, min_size=1, max_size=40), st.integers(1, 7))
def test_the_books_balance_for_any_mixture_of_rows(kinds, chunk_size):
    cells = {
        "good": "3,3,3,3,3",
        "missing": "3,,3,3,3",
        "bad": "3,x,3,3,3",
        "blank": "",
        "short": "3,3",
    }
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "in.csv", WHO5 + "\n" + "\n".join(cells[k] for k in kinds) + "\n")
        out = io.StringIO()
        if all(k == "blank" for k in kinds):
            with pytest.raises(ValueError, match="has a header but no data rows"):
                score_csv(get_instrument("who5"), path, out, CsvOptions(chunk_size=chunk_size))
            return
        summary = score_csv(get_instrument("who5"), path, out, CsvOptions(chunk_size=chunk_size))
    assert summary.blank_lines == kinds.count("blank")
    assert summary.rows == len(kinds) - kinds.count("blank")
    assert summary.bad_rows == kinds.count("bad") + kinds.count("short")
    assert summary.unscored == kinds.count("missing")
    assert summary.scored == kinds.count("good")
    assert summary.records == summary.rows + summary.blank_lines
    assert summary.rows == summary.scored + summary.partly_scored + summary.unscored + summary.bad_rows
    assert len(rows_of(out.getvalue())) == summary.rows
    assert numbers("trivselscore: " + summary.line())["records"] == summary.records


# --- nothing half-written -----------------------------------------------------------------------


def big_enough_to_fail_late(path: Path) -> Path:
    rows = "3,3,3,3,3,fint\n" * 20_000  # 300 KB: well past the 64 KB sample and the first chunk
    path.write_bytes(b"1,2,3,4,5,note\n" + rows.encode() + "3,3,3,3,3,k\u00f8n\n".encode("latin-1"))
    return path


FAILING_RUNS = [
    ("bad column", WHO5 + "\n3,3,3,3,3\n", ("--columns", "1=nope")),
    ("bad id column", WHO5 + "\n3,3,3,3,3\n", ("--id-column", "nope")),
    ("bad option", WHO5 + "\n3,3,3,3,3\n", ("--scheme", "nope")),
    ("bad missing", WHO5 + "\n3,3,3,3,3\n", ("--missing", "nope")),
    ("header only", WHO5 + "\n", ()),
    ("empty", "", ()),
    ("stray quote", WHO5 + '\n3,3,3,3,3\n"3,3,3,3,3\n3,3,3,3,3\n', ("--chunk-size", "1")),
    ("long cell", WHO5 + ",note\n3,3,3,3,3,short\n3,3,3,3,3," + "x" * (CELL_LIMIT + 1) + "\n", ()),
]


@pytest.mark.parametrize(("what", "content", "args"), FAILING_RUNS, ids=[f[0] for f in FAILING_RUNS])
def test_a_failing_run_leaves_the_old_output_untouched(tmp_path, capsys, what, content, args):
    path = write(tmp_path / "in.csv", content)
    target = tmp_path / "out.csv"
    target.write_bytes(b"old output\r\n")
    code, _ = run("score", "who5", path, "-o", target, *args)
    err = capsys.readouterr().err
    assert code == 2, what
    assert err.count("\n") == 1
    assert target.read_bytes() == b"old output\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_an_encoding_error_after_the_sample_leaves_the_old_output_untouched(tmp_path, capsys):
    path = big_enough_to_fail_late(tmp_path / "in.csv")
    target = tmp_path / "out.csv"
    target.write_bytes(b"old output\n")
    code, _ = run("score", "who5", path, "-o", target, "--chunk-size", "100")
    err = capsys.readouterr().err
    assert code == 2
    assert "is not UTF-8 text" in err
    assert "after line " in err
    assert target.read_bytes() == b"old output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]
    assert run("score", "who5", path, "-o", target, "--encoding", "latin-1")[0] == 0
    assert len(rows_of(target.read_text(encoding="utf-8"))) == 20_001


def test_a_successful_run_replaces_the_output_keeping_its_mode(tmp_path):
    path = write(tmp_path / "in.csv", WHO5 + "\n3,3,3,3,3\n")
    target = tmp_path / "out.csv"
    target.write_bytes(b"old output\n")
    target.chmod(0o640)
    assert run("score", "who5", path, "-o", target) == (0, "")
    assert rows_of(target.read_text(encoding="utf-8"))[0]["raw"] == "15"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]
    fresh = tmp_path / "fresh.csv"
    assert run("score", "who5", path, "-o", fresh)[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


def test_output_through_a_symlink_replaces_the_file_it_points_to(tmp_path):
    path = write(tmp_path / "in.csv", WHO5 + "\n3,3,3,3,3\n")
    real = tmp_path / "real.csv"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert run("score", "who5", path, "-o", link)[0] == 0
    assert link.is_symlink()
    assert rows_of(real.read_text(encoding="utf-8"))[0]["raw"] == "15"


def test_output_in_a_missing_folder_is_one_line(tmp_path, capsys):
    path = write(tmp_path / "in.csv", WHO5 + "\n3,3,3,3,3\n")
    assert run("score", "who5", path, "-o", tmp_path / "nope" / "out.csv")[0] == 2
    assert "no such folder" in capsys.readouterr().err


# --- encodings, Excel habits, long cells, decimal commas, proration -----------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_encoding_given(tmp_path, encoding):
    text = ("\ufeff" if encoding != "utf-16" else "") + "id\t1\t2\t3\t4\t5\nS\u00f8ren\t3\t3\t3\t3\t3\n"
    path = write(tmp_path / "in.csv", text, encoding)
    code, out = run("score", "who5", path, "--encoding", encoding, "--id-column", "id")
    assert code == 0
    assert rows_of(out, "\t")[0] == {
        "id": "S\u00f8ren",
        "raw": "15",
        "percentage": "60",
        "percentage_band": "no_risk",
        "error": "",
    }


def test_utf16_with_a_byte_order_mark_needs_no_option(tmp_path):
    path = write(tmp_path / "in.csv", "1\t2\t3\t4\t5\n3\t3\t3\t3\t3\n", "utf-16")
    code, out = run("score", "who5", path)
    assert code == 0
    assert rows_of(out, "\t")[0]["raw"] == "15"


def test_utf16_without_a_mark_or_option_gets_a_hint(tmp_path, capsys):
    path = write(tmp_path / "in.csv", "1,2,3,4,5\n3,3,3,3,3\n", "utf-16-le")
    assert run("score", "who5", path)[0] == 2
    assert "give --encoding utf-16" in capsys.readouterr().err


def test_nul_characters_in_decoded_text_are_refused(tmp_path, capsys):
    path = write(tmp_path / "in.csv", "1,2,3,4,5\n3,3,\x003,3,3\n", "utf-16")
    assert run("score", "who5", path, "--encoding", "utf-16")[0] == 2
    assert "not a CSV text file" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "utf-8-sig", None])
def test_utf8_with_a_byte_order_mark(tmp_path, encoding):
    path = tmp_path / "in.csv"
    path.write_bytes(b"\xef\xbb\xbfid,1,2,3,4,5\n\xc3\xa6,3,3,3,3,3\n")
    args = ("--encoding", encoding) if encoding else ()
    code, out = run("score", "who5", path, "--id-column", "id", *args)
    assert code == 0
    assert [(r["id"], r["raw"]) for r in rows_of(out)] == [("\u00e6", "15")]


def test_cp1252(tmp_path):
    path = write(tmp_path / "in.csv", "id;1;2;3;4;5\n\u00c6r\u00f8 \u2013 \u20ac;3;3;3;3;3\n", "cp1252")
    code, out = run("score", "who5", path, "--encoding", "cp1252", "--id-column", "id")
    assert code == 0
    assert rows_of(out, ";")[0]["id"] == "\u00c6r\u00f8 \u2013 \u20ac"


@pytest.mark.parametrize(("line", "delimiter"), [("sep=;", ";"), ("SEP=|", "|"), ("sep=\t", "\t")])
def test_an_excel_sep_line_sets_the_delimiter(tmp_path, capsys, line, delimiter):
    body = delimiter.join("12345") + "\n" + delimiter.join("33333") + "\n"
    path = write(tmp_path / "in.csv", line + "\r\n" + body)
    code, out = run("score", "who5", path)
    assert code == 0
    assert rows_of(out, delimiter)[0]["raw"] == "15"
    assert numbers(capsys.readouterr().err)["records"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sep=;\n", "in.csv is empty"),
        ("sep=\r\n1,2,3,4,5\r\n3,3,3,3,3\r\n", "the header has one column when split on ','"),
        ("\n\n \n", "in.csv is empty"),
        ("1,2,3,4,5," + "x" * (CELL_LIMIT + 1) + "\n3,3,3,3,3\n", "line 1: a cell is longer than"),
        ('sep=;\n1;2;3;4;"5\n3;3;3;3;3\n', "line 2: a quoted field opens here and never closes"),
    ],
)
def test_a_file_without_a_readable_header(tmp_path, capsys, content, message):
    assert run("score", "who5", write(tmp_path / "in.csv", content))[0] == 2
    assert message in capsys.readouterr().err


def test_a_given_delimiter_wins_over_the_sep_line(tmp_path):
    path = write(tmp_path / "in.csv", "sep=;\n1,2,3,4,5\n3,3,3,3,3\n")
    code, out = run("score", "who5", path, "--delimiter", ",")
    assert code == 0
    assert rows_of(out)[0]["raw"] == "15"


def test_line_numbers_count_the_sep_line(tmp_path, capsys):
    path = write(tmp_path / "in.csv", 'sep=;\n1;2;3;4;5\n3;3;3;3;3\n"3;3;3;3;3\n')
    assert run("score", "who5", path)[0] == 2
    assert "line 4: a quoted field opens here" in capsys.readouterr().err


def test_a_long_free_text_cell_is_accepted_up_to_the_limit(tmp_path, capsys):
    long = "ord " * 50_000  # 200 KB
    path = write(tmp_path / "in.csv", f'1,2,3,4,5,note\n3,3,3,3,3,"{long}"\n1,1,1,1,1,kort\n')
    code, out = run("score", "who5", path)
    assert code == 0
    assert [r["raw"] for r in rows_of(out)] == ["15", "5"]
    capsys.readouterr()
    path = write(tmp_path / "in.csv", "1,2,3,4,5,note\n3,3,3,3,3,ok\n3,3,3,3,3," + "x" * (CELL_LIMIT + 1))
    assert run("score", "who5", path)[0] == 2
    err = capsys.readouterr().err
    assert f"line 3: a cell is longer than {CELL_LIMIT:,} characters" in err
    assert csv.field_size_limit() == 131_072  # the csv module's process-wide limit is put back


def test_decimal_commas(tmp_path, capsys):
    text = "alder;1;2;3;4;5\n14,5;2,0;3;+3,00;3;3\n15;2,5;3;3;3;3\n16;2.0;3;3;3;3\n"
    path = write(tmp_path / "in.csv", text)
    code, out = run("score", "who5", path, "--decimal", ",", "--age-column", "alder")
    rows = rows_of(out, ";")
    assert code == 1
    assert rows[0]["raw"] == "14"
    assert rows[1]["error"].startswith("item '1' (column '1'): '2,5' is not a whole number")
    assert rows[2]["error"].startswith("item '1' (column '1'): '2.0' is not a number")
    capsys.readouterr()
    code, out = run("score", "who5", path)
    assert code == 1
    assert "give --decimal ," in rows_of(out, ";")[0]["error"]


def test_decimal_comma_output(tmp_path):
    path = write(tmp_path / "in.csv", "1;2;3;4;5\n3;3;;2;2\n")
    _, point = run("score", "who5", path, "--missing", "prorate")
    _, comma = run("score", "who5", path, "--missing", "prorate", "--decimal", ",")
    assert rows_of(point, ";")[0]["raw"] == "12.5"
    assert rows_of(comma, ";")[0]["raw"] == "12,5"
    assert point.replace("12.5", "12,5") == comma


def test_bad_decimal_option_exits_2(tmp_path, capsys):
    path = write(tmp_path / "in.csv", WHO5 + "\n3,3,3,3,3\n")
    with pytest.raises(SystemExit) as stop:
        run("score", "who5", path, "--decimal", ":")
    assert stop.value.code == 2
    capsys.readouterr()
    with pytest.raises(ValueError, match="decimal"):
        score_csv(get_instrument("who5"), path, io.StringIO(), CsvOptions(decimal=":"))
    with pytest.raises(ValueError, match="delimiter ';;' is not one character"):
        score_csv(get_instrument("who5"), path, io.StringIO(), CsvOptions(delimiter=";;"))


def test_prorate_adds_a_prorated_column(tmp_path):
    path = write(tmp_path / "in.csv", WHO5 + "\n3,3,,3,3\n3,3,3,3,3\n")
    code, out = run("score", "who5", path, "--missing", "prorate")
    assert code == 0
    rows = rows_of(out)
    assert list(rows[0]) == ["row", "raw", "percentage", "percentage_band", "prorated", "error"]
    assert [(r["raw"], r["prorated"]) for r in rows] == [("15", "raw percentage"), ("15", "")]
    _, plain = run("score", "who5", path)
    assert "prorated" not in plain.splitlines()[0]


def test_an_instrument_rule_that_prorates_gets_the_column_too(tmp_path):
    instrument = get_instrument("sdq-s11-17")
    first = instrument.scale_items("emotional")[0]
    cells = ["" if item == first else "1" for item in instrument.item_ids]
    path = write(tmp_path / "in.csv", ",".join(instrument.item_ids) + "\n" + ",".join(cells) + "\n")
    code, out = run("score", "sdq-s11-17", path)
    assert code == 0
    assert "emotional" in rows_of(out)[0]["prorated"].split()


def test_the_cell_limit_is_held_while_any_file_is_open(tmp_path):
    path = write(tmp_path / "in.csv", WHO5 + "\n3,3,3,3,3\n")
    before = csv.field_size_limit()
    with open_records(path):
        with open_records(path):
            assert csv.field_size_limit() == CELL_LIMIT
        assert csv.field_size_limit() == CELL_LIMIT
    assert csv.field_size_limit() == before


def _records(path: Path, **options) -> list[list[str]]:
    with open_records(path, **options) as records:
        return [record for chunk in records.chunks(2) for record in chunk]


def test_exact_width_names_the_line_of_a_row_cut_short(tmp_path):
    path = write(tmp_path / "d.csv", 'id,a,b\n1,2,3\n\n2,"x\ny",3\n3,4\n')
    with pytest.raises(CsvFileError, match=r"d.csv line 6: 2 fields, the header has 3; the row is cut short"):
        _records(path, exact_width=True)
    assert _records(path)[-1] == ["3", "4"]  # without it the caller judges the width (score: an error row)


def test_exact_width_cuts_a_trailing_delimiter_and_refuses_a_value_past_the_header(tmp_path):
    trailing = write(tmp_path / "d.csv", "id,a\n1,2,\n2,3,,\n")
    assert _records(trailing, exact_width=True) == [["1", "2"], ["2", "3"]]
    with pytest.raises(CsvFileError, match="line 3: 3 fields, the header has 2; a value lies past"):
        _records(write(tmp_path / "e.csv", "sep=,\nid,a\n1,2,x\n"), exact_width=True)


@given(st.lists(st.sampled_from(["a", "b", "c", "a b"]), min_size=1, max_size=6))
def test_duplicates_are_the_names_used_twice(names):
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "d.csv", ";".join(names) + "\n" + ";".join("1" * len(names)) + "\n")
        with open_records(path, delimiter=";") as records:
            twice = records.duplicates
    assert twice == [n for n in dict.fromkeys(names) if names.count(n) > 1]


def test_score_gives_a_short_row_an_error_and_refuses_an_item_column_named_twice(tmp_path, capsys):
    path = write(tmp_path / "d.csv", f"id,{WHO5}\nA,1,2,3,4,5\nB,1,2\n")
    code, out = run("score", "who5", path)
    assert code == 1  # a row with an error: its output row says why, and the exit code too
    scored = rows_of(out)
    assert scored[1]["error"].startswith("the row has 3 fields, the header 6")
    assert scored[1]["percentage"] == ""
    capsys.readouterr()
    twice = write(tmp_path / "e.csv", "id,1,2,3,4,5,5\nA,1,2,3,4,5,5\n")
    code, _ = run("score", "who5", twice)
    assert code == 2
    assert "ambiguous: 5 matches '5', '5'" in capsys.readouterr().err
