"""A FHIR response scored for a respondent outside the form's age range: no band, the flag.

Issue 13, item 6: KL's SDQ 11-17 read from FHIR and scored for a 22-year-old
gave bands (and an Observation ``interpretation``) as if the age fitted.
"""

from __future__ import annotations

from tests.fhir.fixtures import (
    CORE_LINK_IDS,
    SDQ_LINK_IDS,
    check_observation,
    sdq_questionnaire,
    sdq_response,
)
from trivselscore import Respondent, score
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
