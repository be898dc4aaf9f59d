"""`trivselscore score ID FILE.csv` with ages: flag and reason columns, --age-policy, the summary.

Issue 13, item 6. Before: SDQ self-report 11-17 for rows aged 15, 22, 12 and 30 (``--age-column
alder``) wrote empty band columns for the 22- and 30-year-olds and nothing said why; the summary
read "4 records read = 4 scored; 4 rows written"; ``--age-policy`` was an unknown argument (exit
2 with argparse's usage); and a sex column of pige/dreng/K made every such row an error ("sex
'pige' (column 'koen') is not 'female' or 'male'"), 3 of 4 rows not scored.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trivselscore import AgeRangeError, Respondent, get_instrument, score_batch
from trivselscore.cli.commands import main
from trivselscore.definitions.model import SEX_WORDS
from trivselscore.tabular.csvfile import CsvOptions, CsvSummary, score_csv

SDQ = get_instrument("sdq-s11-17")
REASON_22 = "age 22 is outside 11-17, the range of sdq-s11-17"
REASON_30 = "age 30 is outside 11-17, the range of sdq-s11-17"


def run(*argv: object) -> tuple[int, str]:
    out = io.StringIO()
    code = main([str(a) for a in argv], out=out)
    return code, out.getvalue()


def sdq_file(path: Path, people: list[tuple[str, str]], answer: str = "1") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "alder", "koen", *SDQ.item_ids])
        for k, (age, sex) in enumerate(people):
            writer.writerow([f"p{k}", age, sex, *[answer] * len(SDQ.item_ids)])
    return path


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


PEOPLE = [("15", "pige"), ("22", "dreng"), ("12", "K"), ("30", "female")]


def test_rows_outside_the_age_range_say_why_and_are_counted(tmp_path, capsys):
    path = sdq_file(tmp_path / "in.csv", PEOPLE)
    code, text = run("score", "sdq-s11-17", path, "--id-column", "id", "--age-column", "alder")
    out = rows_of(text)
    assert code == 0
    assert [r["outside_age_range"] for r in out] == ["false", "true", "false", "true"]
    assert [r["age_reason"] for r in out] == ["", REASON_22, "", REASON_30]
    assert [r["total_band"] for r in out] == ["abnormal", "", "abnormal", ""]
    assert [r["total"] for r in out] == ["20"] * 4  # scored all the same
    header = next(csv.reader(io.StringIO(text)))
    bands = [c for c in header if c.endswith("_band")]
    assert header[header.index(bands[-1]) + 1 : header.index(bands[-1]) + 3] == [
        "outside_age_range",
        "age_reason",
    ]
    assert capsys.readouterr().err.strip() == (
        "trivselscore: 4 records read = 4 scored; 4 rows written; "
        "2 rows outside the age range of sdq-s11-17 (scored, no bands)"
    )


def test_the_columns_equal_score_batch(tmp_path):
    ages = ["15", "22", "", "10.9", "17.9", "11"]
    path = sdq_file(tmp_path / "in.csv", [(a, "") for a in ages])
    _, text = run("score", "sdq-s11-17", path, "--age-column", "alder")
    people = [Respondent(age=float(a)) if a else None for a in ages]
    data = np.ones((len(ages), len(SDQ.items)))
    batch = score_batch(SDQ, data, respondent=people)
    out = rows_of(text)
    assert [r["outside_age_range"] == "true" for r in out] == batch.outside_age_range.tolist()
    assert [r["age_reason"] or None for r in out] == batch.age_reasons().tolist()
    assert [r["emotional_band"] or None for r in out] == batch.bands("emotional").tolist()


def test_one_age_for_every_row_adds_the_columns_too(tmp_path, capsys):
    path = sdq_file(tmp_path / "in.csv", [("", "")] * 3)
    code, text = run("score", "sdq-s11-17", path, "--age", "22")
    assert code == 0
    assert {r["age_reason"] for r in rows_of(text)} == {REASON_22}
    assert "3 rows outside the age range of sdq-s11-17" in capsys.readouterr().err


def test_without_ages_the_output_is_as_before(tmp_path, capsys):
    path = sdq_file(tmp_path / "in.csv", PEOPLE)
    _, text = run("score", "sdq-s11-17", path)
    header = next(csv.reader(io.StringIO(text)))
    assert "outside_age_range" not in header
    assert "age_reason" not in header
    assert "outside the age range" not in capsys.readouterr().err


def test_error_rows_have_empty_age_columns_and_are_not_counted(tmp_path, capsys):
    path = sdq_file(tmp_path / "in.csv", [("22", ""), ("x", ""), ("22", "")])
    with path.open("a", encoding="utf-8") as handle:  # a bad answer in a 22-year-old's row
        handle.write("p3,22,," + ",".join(["9"] + ["1"] * (len(SDQ.item_ids) - 1)) + "\n")
    code, text = run("score", "sdq-s11-17", path, "--age-column", "alder")
    out = rows_of(text)
    assert code == 1
    assert [r["outside_age_range"] for r in out] == ["true", "", "true", ""]
    assert [r["age_reason"] for r in out] == [REASON_22, "", REASON_22, ""]
    err = capsys.readouterr().err
    assert "2 not scored (errors" in err
    assert err.strip().endswith("; 2 rows outside the age range of sdq-s11-17 (scored, no bands)")


# --- --age-policy raise --------------------------------------------------------------------------


def test_age_policy_raise_exits_2_naming_the_row_and_the_age(tmp_path, capsys):
    path = sdq_file(tmp_path / "in.csv", PEOPLE)
    code, text = run("score", "sdq-s11-17", path, "--age-column", "alder", "--age-policy", "raise")
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert err.startswith(f"trivselscore: error: sdq-s11-17: row 2: {REASON_22}")
    assert "--age-policy raise" in err
    assert text == ""  # the first chunk is checked before the header is written
    code, _ = run(
        "score", "sdq-s11-17", path, "--age-column", "alder", "--age-policy", "raise", "--id-column", "id"
    )
    assert code == 2
    assert f"row 2 (id 'p1'): {REASON_22}" in capsys.readouterr().err


def test_age_policy_raise_in_a_later_chunk_leaves_the_output_file_untouched(tmp_path, capsys):
    people = [("15", "")] * 30 + [("30", "")] + [("15", "")] * 5
    path = sdq_file(tmp_path / "in.csv", people)
    target = tmp_path / "out.csv"
    target.write_bytes(b"old\n")
    argv = ("score", "sdq-s11-17", path, "--age-column", "alder", "--age-policy", "raise")
    code, _ = run(*argv, "--chunk-size", "7", "-o", target)
    assert code == 2
    assert f"row 31: {REASON_30}" in capsys.readouterr().err
    assert target.read_bytes() == b"old\n"
    assert {p.name for p in tmp_path.iterdir()} == {"in.csv", "out.csv"}  # no temporary file left


def test_age_policy_raise_passes_a_file_inside_the_range(tmp_path):
    path = sdq_file(tmp_path / "in.csv", [("15", ""), ("", ""), ("17.9", "")])
    flag = run("score", "sdq-s11-17", path, "--age-column", "alder")
    assert run("score", "sdq-s11-17", path, "--age-column", "alder", "--age-policy", "raise") == flag
    assert flag[0] == 0


def test_the_library_raises_age_range_error(tmp_path):
    path = sdq_file(tmp_path / "in.csv", PEOPLE)
    options = CsvOptions(age_column="alder", age_policy="raise")
    with pytest.raises(AgeRangeError, match="row 2: ") as caught:
        score_csv(SDQ, path, io.StringIO(), options)
    assert (caught.value.age, caught.value.age_range) == (22.0, (11, 17))


@pytest.mark.parametrize("policy", ["strict", "Raise", ""])
def test_an_unknown_age_policy_exits_2_before_anything_is_written(tmp_path, capsys, policy):
    path = sdq_file(tmp_path / "in.csv", PEOPLE)
    target = tmp_path / "out.csv"
    code, text = run("score", "sdq-s11-17", path, "--age-policy", policy, "-o", target)
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == f"trivselscore: error: unknown age_policy {policy!r}; allowed: ['flag', 'raise']"
    assert text == ""
    assert not target.exists()
    with pytest.raises(ValueError, match="unknown age_policy"):
        score_csv(SDQ, path, io.StringIO(), CsvOptions(age_policy=policy))


# --- sex words -----------------------------------------------------------------------------------


def test_the_sex_column_takes_every_word_respondent_takes(tmp_path):
    words = [*SEX_WORDS, "PIGE", " Dreng ", "k", "M", "NA", ""]
    path = sdq_file(tmp_path / "in.csv", [("15", w) for w in words])
    code, text = run("score", "sdq-s11-17", path, "--age-column", "alder", "--sex-column", "koen")
    assert code == 0
    people = [
        Respondent.model_validate({"age": 15, "sex": w if w.strip() and w != "NA" else None}) for w in words
    ]
    batch = score_batch(SDQ, np.ones((len(words), len(SDQ.items))), respondent=people)
    assert [r["total_band"] or None for r in rows_of(text)] == batch.bands("total").tolist()
    assert all(r["error"] == "" for r in rows_of(text))


def test_a_bad_sex_word_names_the_words_allowed(tmp_path):
    path = sdq_file(tmp_path / "in.csv", [("15", "x"), ("15", "piger")])
    code, text = run("score", "sdq-s11-17", path, "--sex-column", "koen")
    assert code == 1
    errors = [r["error"] for r in rows_of(text)]
    allowed = ", ".join(SEX_WORDS)
    assert errors == [
        f"sex 'x' (column 'koen') is not one of {allowed} (any case)",
        f"sex 'piger' (column 'koen') is not one of {allowed} (any case)",
    ]


# --- the summary line ----------------------------------------------------------------------------


def test_the_summary_names_rows_outside_the_age_range_only_when_there_are_some():
    plain = CsvSummary(rows=12, bad_rows=0)
    assert "outside" not in plain.line()
    one = CsvSummary(rows=12, bad_rows=0, outside_age_range=1, instrument_id="sdq-s11-17")
    assert one.line().endswith("; 1 row outside the age range of sdq-s11-17 (scored, no bands)")
    many = CsvSummary(rows=1518, bad_rows=0, outside_age_range=1200, instrument_id="sdq-s11-17")
    assert re.search(r"; 1,200 rows outside the age range of sdq-s11-17 \(scored, no bands\)$", many.line())


# --- a property: the count equals the column, whatever the chunks -------------------------------

ROW_KINDS = st.sampled_from(["fits", "old", "young", "no age", "bad", "old and bad", "blank"])
WHO5_CELLS = {
    "fits": "15,3,3,3,3,3",
    "old": "200,3,3,3,3,3",  # WHO-5 is 9-130: 200 is not an age at all, a bad cell
    "young": "8,3,3,3,3,3",
    "no age": ",3,3,3,3,3",
    "bad": "15,3,x,3,3,3",
    "old and bad": "8,3,x,3,3,3",
    "blank": "",
}


@settings(max_examples=40, deadline=None)
@given(st.lists(ROW_KINDS, min_size=1, max_size=30), st.integers(1, 6))
def test_the_outside_count_is_the_number_of_true_cells(kinds, chunk_size):
    if all(k == "blank" for k in kinds):
        kinds = [*kinds, "fits"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.csv"
        path.write_text(
            "alder,1,2,3,4,5\n" + "\n".join(WHO5_CELLS[k] for k in kinds) + "\n", encoding="utf-8"
        )
        out = io.StringIO()
        options = CsvOptions(age_column="alder", chunk_size=chunk_size)
        summary = score_csv(get_instrument("who5"), path, out, options)
    rows = rows_of(out.getvalue())
    written = [k for k in kinds if k != "blank"]
    assert [r["outside_age_range"] for r in rows] == [
        "true" if k == "young" else "" if k in {"old", "bad", "old and bad"} else "false" for k in written
    ]
    assert summary.outside_age_range == written.count("young")
    assert summary.bad_rows == written.count("old") + written.count("bad") + written.count("old and bad")
    assert summary.records == summary.rows + summary.blank_lines == len(kinds)
    assert ("outside the age range of who5" in summary.line()) == ("young" in written)
