"""`trivselscore score ID FILE.csv`: round trips, bad rows kept, streaming, exit codes, bad files."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from trivselscore import INSTRUMENTS, Respondent, get_instrument, score_batch
from trivselscore.cli.commands import main
from trivselscore.tabular.csvfile import CsvOptions, score_csv
from trivselscore.tabular.csvread import CELL_LIMIT

IDS = sorted(INSTRUMENTS)


def run(*argv: object) -> tuple[int, str]:
    out = io.StringIO()
    code = main([str(a) for a in argv], out=out)
    return code, out.getvalue()


def answers(instrument_id: str, n: int, seed: int = 0, missing: float = 0.1) -> np.ndarray:
    instrument = get_instrument(instrument_id)
    rng = np.random.default_rng(seed)
    data = np.column_stack([rng.choice(np.array(item.codes, dtype=float), n) for item in instrument.items])
    data[rng.random(data.shape) < missing] = np.nan
    return data


def write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def cells(data: np.ndarray) -> list[list[str]]:
    return [["" if np.isnan(v) else str(int(v)) for v in row] for row in data]


def read_csv(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def number(text: str) -> float:
    return np.nan if text == "" else float(text)


@pytest.mark.parametrize("instrument_id", IDS)
def test_round_trip_equals_score_batch(tmp_path, instrument_id):
    instrument = get_instrument(instrument_id)
    data = answers(instrument_id, 50)
    ids = [f"id{i}" for i in range(50)]
    path = write_csv(
        tmp_path / "in.csv",
        ["elev", *instrument.item_ids],
        [[i, *r] for i, r in zip(ids, cells(data), strict=True)],
    )
    code, text = run("score", instrument_id, path, "--id-column", "elev")
    assert code == 0
    rows = read_csv(text)
    assert len(rows) == 50
    assert [r["elev"] for r in rows] == ids
    batch = score_batch(instrument, data)
    for scale_id in instrument.scale_ids:
        np.testing.assert_array_equal([number(r[scale_id]) for r in rows], batch[scale_id])
    if batch.scheme is not None:
        for scale_id in instrument.scheme(batch.scheme).scale_ids:
            assert [r[f"{scale_id}_band"] or None for r in rows] == batch.bands(scale_id).tolist()
    assert all(r["error"] == "" for r in rows)


def test_bad_rows_are_kept_in_order_with_their_error(tmp_path):
    rows = [["a", "3", "3", "2", "2", "2"], ["b", "x", "3", "2", "3.5", "7"], ["c", "1", "1", "1", "1", "1"]]
    path = write_csv(tmp_path / "in.csv", ["id", "who5_1", "who5_2", "who5_3", "who5_4", "who5_5"], rows)
    code, text = run("score", "who5", path, "--id-column", "id")
    assert code == 1
    out = read_csv(text)
    assert [r["id"] for r in out] == ["a", "b", "c"]
    assert [r["raw"] for r in out] == ["12", "", "5"]
    error = out[1]["error"]
    assert "item '1' (column 'who5_1'): 'x' is not a number" in error
    assert "item '4' (column 'who5_4'): '3.5' is not a whole number" in error
    assert "item '5' (column 'who5_5'): '7' is not an allowed code" in error
    assert run("score", "who5", path, "--keep-going")[0] == 0


def test_rows_with_wrong_field_count_are_kept(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("1,2,3,4,5\n3,3,3,3,3\n3,3\n3,3,3,3,3,3\n", encoding="utf-8")
    code, text = run("score", "who5", path)
    out = read_csv(text)
    assert code == 1
    assert [r["row"] for r in out] == ["1", "2", "3"]
    assert out[1]["error"].startswith("the row has 2 fields, the header 5")
    assert out[2]["error"] == "the row has 6 fields, the header 5"
    assert out[0]["raw"] == "15"


def test_missing_raise_marks_rows(tmp_path):
    path = write_csv(tmp_path / "in.csv", list("12345"), [["3"] * 5, ["3", "", "3", "3", "3"]])
    code, text = run("score", "who5", path, "--missing", "raise")
    out = read_csv(text)
    assert code == 1
    assert out[1]["error"] == "item '2' is unanswered and --missing raise"
    assert out[0]["percentage"] == "60"


def test_missing_tokens_and_whole_decimals(tmp_path):
    path = write_csv(
        tmp_path / "in.csv", list("12345"), [["3.0", " 3 ", "NA", "nan", "."], ["+3", "03", "3", "3", "None"]]
    )
    code, text = run("score", "who5", path, "--missing", "prorate")
    out = read_csv(text)
    assert code == 0
    assert [r["raw"] for r in out] == ["", "15"]


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("1e0", "is not a number"),
        ("0_1", "is not a number"),
        ("\u0663", "is not a number"),
        ("\uff13", "is not a number"),
        ("3.00000000000000001", "is not a whole number"),
        ("9" * 400, "is not an allowed code"),
    ],
)
def test_number_strings_python_would_coerce_are_bad_cells(tmp_path, cell, problem):
    path = write_csv(tmp_path / "in.csv", list("12345"), [["3"] * 5, ["3", "3", "3", "3", cell]])
    code, text = run("score", "who5", path)
    out = read_csv(text)
    assert code == 1
    assert [r["raw"] for r in out] == ["15", ""]
    assert out[1]["error"].startswith(f"item '5' (column '5'): {cell!r} {problem}")


def test_an_age_python_would_coerce_is_a_bad_cell(tmp_path):
    path = write_csv(tmp_path / "in.csv", ["age", *"12345"], [["1_4", *["3"] * 5], ["14.0", *["3"] * 5]])
    code, text = run("score", "who5", path, "--age-column", "age")
    out = read_csv(text)
    assert code == 1
    assert out[0]["error"] == "age '1_4' (column 'age') is not a number in 0-130"
    assert out[1]["error"] == ""


@pytest.mark.parametrize(
    "content",
    [
        "1,2,3,4,5\n3,3,3,3,3\n\n2,2,2,2,2\n",
        "1,2,3,4,5\r\n3,3,3,3,3\r\n\r\n2,2,2,2,2\r\n\r\n",
        "\n1,2,3,4,5\n3,3,3,3,3\n2,2,2,2,2\n\n\n",
    ],
)
def test_empty_lines_are_skipped(tmp_path, content):
    path = tmp_path / "in.csv"
    path.write_bytes(content.encode("utf-8"))
    code, text = run("score", "who5", path)
    out = read_csv(text)
    assert code == 0
    assert [(r["row"], r["raw"], r["error"]) for r in out] == [("1", "15", ""), ("2", "10", "")]


def test_only_empty_lines_after_the_header_is_header_only(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("1,2,3,4,5\n\n\n", encoding="utf-8")
    assert run("score", "who5", path)[0] == 2
    assert "has a header but no data rows" in capsys.readouterr().err


def test_trailing_empty_fields_are_accepted(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("1,2,3,4,5\n3,3,3,3,3,\n2,2,2,2,2,,\n1,1,1,1,1,x\n1,1,1,1,1, ,\n", encoding="utf-8")
    code, text = run("score", "who5", path)
    out = read_csv(text)
    assert code == 1
    assert [r["raw"] for r in out] == ["15", "10", "", "5"]
    assert out[2]["error"] == "the row has 6 fields, the header 5"
    assert [r["error"] for r in (out[0], out[1], out[3])] == ["", "", ""]


def test_trailing_delimiter_on_the_header_too(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("1,2,3,4,5,\n3,3,3,3,3,\n", encoding="utf-8")
    code, text = run("score", "who5", path)
    assert code == 0
    assert read_csv(text)[0]["raw"] == "15"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scheme", "bogus"), "who5 has no cutoff scheme 'bogus'; schemes: ["),
        (
            ("--missing", "bogus"),
            "unknown missing policy 'bogus'; allowed: [None, 'raise', 'propagate', 'prorate'",
        ),
    ],
)
def test_bad_scheme_or_missing_exits_2_before_writing(tmp_path, capsys, args, message):
    path = write_csv(tmp_path / "in.csv", list("12345"), [["3"] * 5])
    output = tmp_path / "out.csv"
    code, text = run("score", "who5", path, *args)
    assert (code, text) == (2, "")
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert run("score", "who5", path, *args, "-o", output)[0] == 2
    assert not output.exists()
    options = CsvOptions(scheme="bogus") if args[0] == "--scheme" else CsvOptions(missing="bogus")
    with pytest.raises(ValueError, match="bogus"):
        score_csv(get_instrument("who5"), path, io.StringIO(), options)


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_is_guessed_from_the_header(tmp_path, delimiter):
    path = write_csv(tmp_path / "in.csv", list("12345"), [["1", "2", "3", "4", "5"]], delimiter)
    code, text = run("score", "who5", path)
    assert code == 0
    assert read_csv(text, delimiter)[0]["raw"] == "15"


def test_explicit_delimiter_columns_and_output_file(tmp_path):
    path = write_csv(
        tmp_path / "in.csv", ["x", "y", "3", "4", "5", "extra"], [["1", "1", "1", "1", "1", "9"]], ";"
    )
    target = tmp_path / "out.csv"
    code, text = run(
        "score", "who5", path, "--delimiter", "semicolon", "--columns", "1=x, who5_2=y", "-o", target
    )
    assert (code, text) == (0, "")
    assert read_csv(target.read_text(encoding="utf-8"), ";")[0]["raw"] == "5"
    code, _ = run("score", "who5", path, "--columns", "1=x,2=y,5=", "--missing", "prorate")
    assert code == 0


def test_streams_a_file_larger_than_one_chunk(tmp_path):
    data = answers("sdq-s11-17", 1234, seed=5)
    instrument = get_instrument("sdq-s11-17")
    path = write_csv(tmp_path / "in.csv", list(instrument.item_ids), cells(data))
    data[5, 0] = 7
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[6] = "7" + lines[6][lines[6].index(",") :]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    summary = score_csv(instrument, path, out, CsvOptions(chunk_size=100))
    assert (summary.rows, summary.bad_rows) == (1234, 1)
    rows = read_csv(out.getvalue())
    assert [r["row"] for r in rows] == [str(i) for i in range(1, 1235)]
    good = np.ones(1234, dtype=bool)
    good[5] = False
    batch = score_batch(instrument, data[good])
    np.testing.assert_array_equal([number(r["total"]) for r in rows if not r["error"]], batch["total"])
    assert "'7' is not an allowed code" in rows[5]["error"]


def test_progress_on_stderr(tmp_path, capsys):
    path = write_csv(tmp_path / "in.csv", list("12345"), [["1"] * 5] * 30)
    code, _ = run("score", "who5", path, "--chunk-size", "10", "--progress")
    assert code == 0
    assert "30 rows (100%)" in capsys.readouterr().err


def test_respondent_columns(tmp_path):
    instrument_id = next(
        (
            i
            for i in IDS
            if any(t.sex or t.min_age is not None for s in INSTRUMENTS[i].schemes for t in s.cutoffs)
        ),
        "who5",
    )
    instrument = get_instrument(instrument_id)
    data = answers(instrument_id, 4, seed=6, missing=0)
    rows = [
        [age, sex, *r]
        for age, sex, r in zip(
            ["12", "15", "", "x"], ["female", "", "male", "female"], cells(data), strict=True
        )
    ]
    path = write_csv(tmp_path / "in.csv", ["alder", "koen", *instrument.item_ids], rows)
    code, text = run("score", instrument_id, path, "--age-column", "alder", "--sex-column", "koen")
    out = read_csv(text)
    assert code == 1
    assert out[3]["error"] == "age 'x' (column 'alder') is not a number in 0-130"
    people = [Respondent(age=12, sex="female"), Respondent(age=15), Respondent(sex="male")]
    batch = score_batch(instrument, data[:3], respondent=people)
    first = instrument.scale_ids[0]
    np.testing.assert_array_equal([number(r[first]) for r in out[:3]], batch[first])
    path = write_csv(tmp_path / "bad.csv", ["koen", *instrument.item_ids], [["2", *cells(data)[0]]])
    code, text = run("score", instrument_id, path, "--sex-column", "koen", "--keep-going")
    assert code == 0
    assert read_csv(text)[0]["error"].startswith("sex '2' (column 'koen') is not one of female, ")


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("", (), "is empty"),
        ("1,2,3,4,5\n", (), "has a header but no data rows"),
        ("a b c d e\n1 2 3 4 5\n", (), "the header has one column when split on ','"),
        ("1,1,2,3,4,5\n1,1,1,1,1,1\n", (), "ambiguous: 1 matches '1', '1'"),
        ("1,2,3,4\n1,1,1,1\n", (), "no column for 1 item(s): 5"),
        ("1,2,3,4,5\n1,1,1,1,1\n", ("--id-column", "nope"), "id column 'nope' does not exist"),
        ("1,2,3,4,5\n1,1,1,1,1\n", ("--columns", "1"), "--columns: '1' is not item=column"),
        ("1,2,3,4,5\n1,1,1,1,1\n", ("--delimiter", "ab"), "--delimiter: 'ab' is not one character"),
        ('1,2,3,4,5\n"1,1,1,1,1\n', ("--encoding", "no-such-codec"), "unknown encoding"),
    ],
)
def test_bad_files_exit_2_with_one_line(tmp_path, capsys, content, args, message):
    path = tmp_path / "in.csv"
    path.write_text(content, encoding="utf-8")
    code, _ = run("score", "who5", path, *args)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_not_text_and_not_found(tmp_path, capsys):
    binary = tmp_path / "sheet.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00\xff\xfe")
    assert run("score", "who5", binary)[0] == 2
    assert "not a CSV text file" in capsys.readouterr().err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("1,2,3,4,5,k\u00f8n\n1,1,1,1,1,x\n".encode("latin-1"))
    assert run("score", "who5", latin)[0] == 2
    assert "is not UTF-8 text" in capsys.readouterr().err
    assert run("score", "who5", latin, "--encoding", "latin-1")[0] == 0
    assert run("score", "who5", tmp_path / "nope.csv")[0] == 2
    assert "no such file" in capsys.readouterr().err


def test_csv_error_mid_file(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("1,2,3,4,5\n" + "1,1,1,1," + "x" * (CELL_LIMIT + 1) + "\n", encoding="utf-8")
    assert run("score", "who5", path)[0] == 2
    assert f"line 2: a cell is longer than {CELL_LIMIT:,} characters" in capsys.readouterr().err


def test_output_may_not_overwrite_input(tmp_path, capsys):
    path = write_csv(tmp_path / "in.csv", list("12345"), [["1"] * 5])
    assert run("score", "who5", path, "-o", path)[0] == 2
    assert "would overwrite the input" in capsys.readouterr().err


def test_file_options_need_a_file(capsys):
    assert run("score", "who5", "1", "1", "1", "1", "1", "--id-column", "x")[0] == 2
    assert "--id-column: only with a CSV file" in capsys.readouterr().err


def test_answers_still_score_one_respondent():
    code, text = run("score", "who5", "3", "4", "2", "3", "1")
    assert code == 0
    assert text.startswith("raw: 13")


def test_entry_point_and_broken_pipe(tmp_path):
    path = write_csv(tmp_path / "in.csv", list("12345"), [["1"] * 5] * 50_000)
    command = f"{sys.executable} -m trivselscore score who5 {path} | head -n 2"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)  # noqa: S602
    assert result.stdout.splitlines() == ["row,raw,percentage,percentage_band,error", "1,5,20,risk,"]
    assert "Traceback" not in result.stderr
    assert "Broken pipe" not in result.stderr
