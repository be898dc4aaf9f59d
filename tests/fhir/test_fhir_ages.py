"""A FHIR response scored for a respondent outside the form's age range: no band, the flag.

Issue 13, item 6: KL's SDQ 11-17 read from FHIR and scored for a 22-year-old
gave bands (and an Observation ``interpretation``) as if the age fitted.
"""

from __future__ import annotations

import pytest

from tests.fhir.fixtures import (
    CORE_LINK_IDS,
    SDQ_LINK_IDS,
    check_observation,
    sdq_questionnaire,
    sdq_response,
)
from trivselscore import AgeRangeError, Respondent, score
from trivselscore.fhir import QuestionnaireAnswers, from_questionnaire_response, to_observations

ANSWERS = {link: 2 if link in CORE_LINK_IDS else 0 for link in SDQ_LINK_IDS}
REASON = "age 22 is outside 11-17, the range of sdq-s11-17"


def read() -> QuestionnaireAnswers:
    return from_questionnaire_response(sdq_response(ANSWERS), sdq_questionnaire("self"))


def test_fhir_response_for_a_22_year_old_gets_no_band_and_the_flag():
    answers = read()
    result = answers.score(respondent=Respondent(age=22))
    assert result.instrument_id == "sdq-s11-17"
    assert result.flag_ids == ("outside_age_range",)
    for scale in result.scales:
        assert scale.band is None
        assert all(b.reason in {REASON, "the scale was not scored"} for b in scale.bands)
    assert result["total"].bands[0].reason == REASON
    assert result.values == answers.score().values  # scored all the same
    assert result == score("sdq-s11-17", answers.answers, respondent=Respondent(age=22))
    for observation in to_observations(result, subject="Patient/example", effective="2024-04-23"):
        check_observation(observation)
        assert "interpretation" not in observation


def test_the_same_response_for_a_15_year_old_is_banded():
    result = read().score(respondent=Respondent.model_validate({"age": 15, "sex": "pige"}))
    assert result.flag_ids == ()
    assert result["total"].band is not None
    assert result.respondent == Respondent(age=15, sex="female")


# --- age_policy through QuestionnaireAnswers.score() ---------------------------------------------
# Before: `read().score(respondent=..., age_policy="raise")` was a TypeError (no such argument),
# so a FHIR caller could not ask for the error the other front doors give.


def test_age_policy_flag_is_the_default_and_can_be_named():
    answers = read()
    named = answers.score(respondent=Respondent(age=22), age_policy="flag")
    assert named == answers.score(respondent=Respondent(age=22))
    assert named.flag_ids == ("outside_age_range",)
    assert named["total"].band is None
    assert named["total"].bands[0].reason == REASON


def test_age_policy_raise_raises_age_range_error_naming_the_age_and_range():
    with pytest.raises(AgeRangeError, match=f"^sdq-s11-17: {REASON} ") as caught:
        read().score(respondent=Respondent(age=22.5), age_policy="raise")
    with pytest.raises(AgeRangeError):
        score("sdq-s11-17", read().answers, respondent=Respondent(age=22), age_policy="raise")
    error = caught.value
    assert error.instrument_id == "sdq-s11-17"
    assert error.age == 22.5
    assert error.row is None
    assert error.age_range == (11, 17)


def test_age_policy_raise_passes_an_age_inside_the_range_and_an_unknown_age():
    answers = read()
    people = [
        Respondent.model_validate({"age": 17.9, "sex": "dreng"}),
        Respondent.model_validate({"sex": "pige"}),
    ]
    for respondent in (*people, None):
        result = answers.score(respondent=respondent, age_policy="raise")
        assert result == answers.score(respondent=respondent)
        assert "outside_age_range" not in result.flag_ids


def test_an_unknown_age_policy_is_refused_naming_the_allowed_ones():
    with pytest.raises(ValueError, match=r"unknown age_policy 'strict'; allowed: \['flag', 'raise'\]"):
        read().score(respondent=Respondent(age=22), age_policy="strict")  # type: ignore[arg-type]
