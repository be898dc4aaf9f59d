"""`trivselscore score ID ANSWER...` with --age, --sex and --age-policy (issue 13, item 6).

Before: `--sex pige` was refused by argparse ("invalid choice: 'pige' (choose from 'female',
'male')", usage lines, exit 2) although `Respondent` takes it; `--age 200` printed "1 validation
error for Respondent"; `--age-policy` was an unknown argument.
"""

from __future__ import annotations

import io

import pytest

from trivselscore import Respondent, get_instrument, score
from trivselscore.cli.commands import main, render
from trivselscore.definitions.model import SEX_WORDS

SDQ_ANSWERS = ["1"] * 35
REASON = "age 22 is outside 11-17, the range of sdq-s11-17"


def run(*argv: object) -> tuple[int, str]:
    out = io.StringIO()
    code = main([str(a) for a in argv], out=out)
    return code, out.getvalue()


@pytest.mark.parametrize("word", [*SEX_WORDS, "Pige", " DRENG ", "Kvinde", "K", "M"])
def test_sex_takes_every_word_respondent_takes(word):
    code, text = run("score", "sdq-s11-17", *SDQ_ANSWERS, "--age", "15", "--sex", word)
    assert code == 0
    expected = score("sdq-s11-17", [1] * 35, respondent=Respondent(age=15, sex=word))
    assert text.strip() == render(expected, get_instrument("sdq-s11-17"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--sex", "piger"), "--sex: sex 'piger' is not one of female, f, pige, kvinde, k, male, m, "),
        (("--sex", ""), "--sex: sex '' is not one of"),
        (("--age", "200"), "--age 200.0: Input should be less than or equal to 130"),
        (("--age", "-1"), "--age -1.0: Input should be greater than or equal to 0"),
        (("--age-policy", "strict"), "unknown age_policy 'strict'; allowed: ['flag', 'raise']"),
    ],
)
def test_a_bad_option_is_one_line_and_exit_2(capsys, args, message):
    code, text = run("score", "who5", "3", "3", "3", "3", "3", *args)
    err = capsys.readouterr().err
    assert code == 2
    assert text == ""
    assert err.startswith(f"trivselscore: error: {message}")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "validation error" not in err


def test_an_age_outside_the_range_is_scored_without_bands_and_flagged():
    code, text = run("score", "sdq-s11-17", *SDQ_ANSWERS, "--age", "22", "--age-policy", "flag")
    assert code == 0
    assert f"total: 20  band (sdq-3band): None ({REASON})" in text
    assert f"flag outside_age_range: {REASON}: scored, but no bands or T-scores" in text
    assert run("score", "sdq-s11-17", *SDQ_ANSWERS, "--age", "22") == (code, text)


def test_age_policy_raise_exits_2_naming_the_age(capsys):
    code, text = run("score", "sdq-s11-17", *SDQ_ANSWERS, "--age", "22", "--age-policy", "raise")
    err = capsys.readouterr().err
    assert code == 2
    assert text == ""
    assert err.startswith(f"trivselscore: error: sdq-s11-17: {REASON} (age_policy='raise')")
    assert err.count("\n") == 1


def test_age_policy_raise_passes_an_age_inside_the_range():
    flagged = run("score", "sdq-s11-17", *SDQ_ANSWERS, "--age", "17.9", "--sex", "dreng")
    raised = run("score", "sdq-s11-17", *SDQ_ANSWERS, "--age", "17.9", "--sex", "m", "--age-policy", "raise")
    assert raised == flagged
    assert "outside_age_range" not in flagged[1]
