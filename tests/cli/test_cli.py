"""The command line: list, describe, score; bad input exits 2 with one line."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from trivselscore import INSTRUMENTS
from trivselscore.cli.commands import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_list_names_every_instrument():
    code, text = run("list")
    assert code == 0
    assert [line.split("\t")[0] for line in text.splitlines()] == list(INSTRUMENTS)


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_describe_shows_items_scales_schemes_sources(instrument_id):
    code, text = run("describe", instrument_id)
    assert code == 0
    instrument = INSTRUMENTS[instrument_id]
    assert text.startswith(f"{instrument_id}: {instrument.name}")
    for scale in instrument.scales:
        assert f"  {scale.id} (" in text
    for scheme in instrument.schemes:
        assert f"  {scheme.id}" in text
    assert "licence:" in text


def test_describe_marks_unverified_facts():
    _, text = run("describe", "who5")
    assert "[0, 28] likely_depression: likely depression [" in text
    assert "[unverified]" in text
    assert "risk (default)" in text


def test_score_prints_values_and_bands():
    code, text = run("score", "who5", "3", "4", "2", "3", "1")
    assert code == 0
    assert text.splitlines() == [
        "raw: 13",
        "percentage: 52  band (risk): no_risk = no risk of depression/stress indicated",
        "flag low_item: an item was answered 0 or 1: assess for depression (WHO-5 form rule)",
    ]


def test_score_with_missing_and_policy():
    code, text = run(
        "score", "who5", "3", "3", "NA", "2", "2", "--missing", "prorate", "--scheme", "dk-3band"
    )
    assert code == 0
    assert "raw: 12.5 (prorated)" in text
    assert "percentage: 50 (prorated)  band (dk-3band): risk" in text


def test_score_default_missing_explains_none():
    code, text = run("score", "who5", "3", "3", "NA", "2", "2")
    assert code == 0
    assert "raw: None (4 of 5 items answered; the rule in use needs all 5)" in text


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["3", "4", "2", "3", "9"], "item '5': 9 is not an allowed code; allowed: [0, 1, 2, 3, 4, 5]"),
        (["3", "4", "2", "3", "2.5"], "item '5': 2.5 is not a whole number"),
        (["3", "4", "two", "3", "1"], "item '3': 'two' is not a number"),
        (["3", "4", "2", "3"], "expected 5 answers"),
    ],
)
def test_bad_input_exits_2_with_one_line(answers, message, capsys):
    code, text = run("score", "who5", *answers)
    assert code == 2
    assert text == ""
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert message in err


@pytest.mark.parametrize(
    "token", ["0_1", "1e0", "\u0663", "\uff13", "3.00000000000000001", "0x3", "inf", "3."]
)
def test_number_strings_python_would_coerce_are_refused(token, capsys):
    code, text = run("score", "who5", "3", "3", "3", "3", token)
    assert (code, text) == (2, "")
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert f"item '5': {token!r} is not a number" in err


def test_plain_whole_numbers_in_any_written_form_are_accepted():
    code, text = run("score", "who5", "+3", "3.0", "03", " 3 ", "3.000")
    assert code == 0
    assert "raw: 15" in text


def test_unknown_instrument_exits_2(capsys):
    code, _ = run("describe", "who-5")
    assert code == 2
    assert "did you mean 'who5'" in capsys.readouterr().err


def test_sex_without_sex_specific_cutoffs_is_harmless():
    code, text = run("score", "who5", "1", "1", "1", "1", "1", "--age", "15", "--sex", "female")
    assert code == 0
    assert "percentage: 20" in text


def test_module_entry_point_runs():
    completed = subprocess.run(
        [sys.executable, "-m", "trivselscore", "score", "who5", "5", "5", "5", "5", "5"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("raw: 25\npercentage: 100")


def test_module_entry_point_bad_input_exit_code():
    completed = subprocess.run(
        [sys.executable, "-m", "trivselscore", "score", "who5", "5", "5", "5", "5", "6"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "allowed: [0, 1, 2, 3, 4, 5]" in completed.stderr


def test_score_marks_unverified_bands_and_shows_t_scores():
    sdq = ["1"] * 25 + ["2", "1", "2", "1", "1", "1", "1", "1", "NA", "NA"]
    code, text = run("score", "sdq-s11-17", *sdq)
    assert code == 0
    assert "impact: 1  band (sdq-3band): borderline = borderline [unverified]" in text
    assert "total: 20  band (sdq-3band): abnormal = abnormal\n" in text + "\n"
    code, text = run("score", "scas-p", *["1"] * 38, "--age", "14", "--sex", "female")
    assert code == 0
    assert "total: 38  T=77.9  band (t60): elevated" in text


def test_describe_lists_norm_tables():
    _, text = run("describe", "scas-p")
    assert "norm table nauta-2004: SCAS-P community norms (Nauta et al. 2004)" in text
