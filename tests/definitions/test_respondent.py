"""Respondent: Danish and English sex words, normalised to female/male; the age's range.

Issue 13, item 6: ``Respondent(sex="pige")`` was refused, though Danish
municipal data say pige/dreng, kvinde/mand or K/M.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from trivselscore import Respondent
from trivselscore.definitions.model import SEX_WORDS

FEMALE = ["female", "Female", "FEMALE", "f", "F", "pige", "Pige", "PIGE", "kvinde", "Kvinde", "k", "K"]
MALE = ["male", "Male", "m", "M", "dreng", "Dreng", "DRENG", "mand", "Mand", "MAND"]


@pytest.mark.parametrize(("word", "sex"), [*((w, "female") for w in FEMALE), *((w, "male") for w in MALE)])
def test_sex_words_are_normalised(word, sex):
    assert Respondent(sex=word).sex == sex
    assert Respondent.model_validate({"sex": f"  {word}\t\n"}).sex == sex


@given(st.sampled_from(sorted(SEX_WORDS)), st.data())
def test_any_case_and_surrounding_whitespace(word, data):
    cased = "".join(data.draw(st.sampled_from([c.lower(), c.upper()])) for c in word)
    padding = st.text(alphabet=" \t\n\r", max_size=3)
    text = data.draw(padding) + cased + data.draw(padding)
    assert Respondent.model_validate({"sex": text}) == Respondent(sex=SEX_WORDS[word])


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("girl", id="english-girl"),
        pytest.param("x", id="x"),
        pytest.param("k m", id="two-words"),
        pytest.param("piger", id="plural"),
        pytest.param("kvindelig", id="adjective"),
        pytest.param(1, id="code-1"),
        pytest.param(True, id="bool"),
        pytest.param(b"f", id="bytes"),
    ],
)
def test_other_sex_values_are_refused(bad):
    with pytest.raises(ValidationError, match="sex"):
        Respondent(sex=bad)


def test_the_refusal_lists_the_accepted_words():
    with pytest.raises(
        ValidationError, match=r"sex 'girl' is not one of female, f, pige, kvinde, k, male, m"
    ):
        Respondent.model_validate({"sex": "girl"})


def test_sex_words_cannot_be_changed():
    with pytest.raises(TypeError):
        SEX_WORDS["pige"] = "male"  # type: ignore[index]


def test_none_stays_none_and_ages_keep_their_range():
    assert Respondent().sex is None
    assert Respondent(age=22.5).age == 22.5
    for bad in (-1, 131, float("nan"), float("inf"), "22"):
        with pytest.raises(ValidationError, match="age"):
            Respondent.model_validate({"age": bad})
