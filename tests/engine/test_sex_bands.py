"""Sex as people answer it: other and unknown are scored; sex-specific cutoffs say why they give none.

Before (issue 21): ``Respondent(sex="andet")`` was refused, so a young person answering the third
option every Danish survey offers could not be scored at all.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trivselscore import Respondent, get_instrument, score, score_batch
from trivselscore.definitions.model import SEX_CATEGORIES, SEX_WORDS, sex_category
from trivselscore.engine import bands as _bands

SMFQ = [2, 1, 1, 0, 2, 1, 1, 0, 1, 1, 0, 0, 0]  # total 10: girls' cutoff 12, boys' 6 (Jarbin 2020)
REASON = "scheme 'jarbin-2020' has sex-specific bands; there is no sex-specific cutoff for sex {!r}"


@pytest.mark.parametrize(
    ("word", "category"),
    [
        ("Andet", "other"),
        ("anden", "other"),
        ("Ikke-binær", "other"),
        ("non-binary", "other"),
        ("OTHER", "other"),
        ("uoplyst", "unknown"),
        ("Ved ikke", "unknown"),
        ("Ønsker ikke at svare", "unknown"),
        ("ønsker  ikke at svare ", "unknown"),
        ("prefer not to say", "unknown"),
        ("Pige", "female"),
        ("M", "male"),
    ],
)
def test_danish_and_english_words_for_every_category(word, category):
    assert sex_category(word) == category
    assert Respondent(sex=word).sex == category


def test_every_word_maps_to_a_category_and_every_category_is_a_word():
    assert set(SEX_WORDS.values()) == set(SEX_CATEGORIES)
    assert all(w == " ".join(w.split()).casefold() for w in SEX_WORDS)  # stored normalised


@pytest.mark.parametrize("word", ["x", "3", "pigen", ""])
def test_other_words_are_refused_naming_the_accepted_ones(word):
    with pytest.raises(ValueError, match="andet"):
        Respondent(sex=word)


@pytest.mark.parametrize("sex", ["other", "unknown"])
def test_a_sex_specific_scheme_gives_no_band_and_says_why(sex):
    result = score("smfq-c", SMFQ, respondent=Respondent(age=15, sex=sex))
    total = result["total"]
    assert total.value == 10  # scored like anyone else
    jarbin = {b.scheme: b for b in total.bands}["jarbin-2020"]
    assert jarbin.band is None
    assert jarbin.reason == REASON.format(sex)
    assert total.band == "below_cutoff"  # the default scheme is not sex-specific


def test_the_missing_sex_keeps_its_own_reason():
    jarbin = {b.scheme: b for b in score("smfq-c", SMFQ)["total"].bands}["jarbin-2020"]
    assert jarbin.reason == "scheme 'jarbin-2020' has sex-specific bands; Respondent.sex is missing"


def test_batch_and_single_agree_on_every_category():
    people = [Respondent(age=15, sex=s) for s in SEX_CATEGORIES] + [Respondent(age=15), None]
    batch = score_batch("smfq-c", np.array([SMFQ] * len(people)), respondent=people)
    assert batch.bands("total", "jarbin-2020").tolist() == [
        "below_cutoff",
        "at_or_above_cutoff",
        None,
        None,
        None,
        None,
    ]
    for row, person in enumerate(people):
        assert batch.row(row) == score("smfq-c", SMFQ, respondent=person)


@pytest.mark.parametrize("sex", ["other", "unknown"])
def test_sex_specific_norms_give_no_t_score_and_say_why(sex):
    result = score("scas-p", [1] * 38, respondent=Respondent(age=14, sex=sex))["total"]
    assert result.value == 38
    assert result.t_score is None
    assert (
        result.t_score_reason
        == f"norm table 'nauta-2004' is sex-specific; there are no norms for sex {sex!r}"
    )
    assert result.band is None  # t60 bands the T-score
    assert result.bands[0].reason == result.t_score_reason


@settings(max_examples=60)
@given(
    value=st.integers(0, 26),
    age=st.one_of(st.just(float("nan")), st.integers(0, 30).map(float)),
    sex=st.sampled_from(["", *SEX_CATEGORIES]),
)
def test_assign_and_assign_one_agree(value, age, sex):
    """The scalar rule (``score()``) and the vectorised one (``score_batch``) give one band and reason."""
    scheme = get_instrument("smfq-c").scheme("jarbin-2020")
    one = _bands.assign_one(scheme, "total", float(value), age, sex)
    values = np.array([float(value), float(value)])
    position, reasons = _bands.assign(scheme, "total", values, np.array([age, age]), np.array([sex, sex]))
    assert (int(position[0]), int(reasons[0])) == one
    if sex in {"other", "unknown"}:
        assert one[0] == _bands.NO_BAND
        assert f"sex {sex!r}" in (_bands.reason_text(one[1], scheme.id) or "")
