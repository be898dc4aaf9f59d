"""FHIR interop (issue 9): KL-shaped QuestionnaireResponses in, R4 Observations out.

Fixtures (tests/fhir/fixtures.py) use KL's linkIds, canonicals and structure with
placeholder option texts; see shared/reference/verification.md section 5.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fhir.fixtures import (
    CORE_LINK_IDS,
    IMPACT_LINK_IDS,
    ORDINAL_URL,
    SDQ_LINK_IDS,
    SDQ_PARENT_URL,
    SDQ_SELF_URL,
    WHO5_LINK_IDS,
    WHO5_URL,
    Json,
    check_observation,
    copied,
    option,
    sdq_questionnaire,
    sdq_response,
    who5_questionnaire,
    who5_response,
)
from trivselscore import Respondent, ResponseError, get_instrument, score
from trivselscore.errors import FhirError
from trivselscore.fhir import (
    BAND_SYSTEM,
    KNOWN_QUESTIONNAIRES,
    PROVENANCE_URL,
    SCALE_SYSTEM,
    QuestionnaireAnswers,
    from_questionnaire_response,
    to_observations,
)
from trivselscore.strategies import responses

SDQ = get_instrument("sdq-s11-17")
IMPACT_ITEMS = ("chronic", "distres", "imphome", "impfrie", "impclas", "impleis", "burden")
# position of the chosen option per linkId: a fixed pattern over 0-2 (core) and 0-3 (impact)
COMPLETE = {link: (n * 7) % (3 if link in CORE_LINK_IDS else 4) for n, link in enumerate(SDQ_LINK_IDS)}
COMPLETE["26difficulties"] = 2
WHO5_VALUES = {"happy": 5, "calm": 3, "active": 4, "rested": 0, "interest": 2}
WHO5_CODES = {"1": 5, "2": 3, "3": 4, "4": 0, "5": 2}


def read(response: object, questionnaire: object, **kwargs: str) -> QuestionnaireAnswers:
    return from_questionnaire_response(response, questionnaire, **kwargs)


def fhir_error(response: object, questionnaire: object, match: str, **kwargs: str) -> FhirError:
    with pytest.raises(FhirError, match=match) as info:
        read(response, questionnaire, **kwargs)
    return info.value


# --- reading the SDQ ------------------------------------------------------------------------------


def test_complete_self_report_scores_as_the_same_answers_scored_directly():
    result = read(sdq_response(COMPLETE), sdq_questionnaire("self"))
    assert (result.instrument_id, result.detected, result.informant) == ("sdq-s11-17", "sdq-s11-17", "self")
    assert result.questionnaire == SDQ_SELF_URL
    assert (result.missing, result.not_asked, result.ignored, result.notes) == ((), (), (), ())
    assert len(result.answers) == 33
    direct = score("sdq-s11-17", COMPLETE)  # KL linkIds are item aliases; position = code
    assert result.score().values == direct.values
    assert score(result.instrument_id, result.answers) == direct
    assert (result.subject, result.authored, result.status) == ("Patient/example", "2024-04-23", "completed")


def test_parent_response_that_stops_after_no_has_impact_zero_and_nothing_missing():
    positions = dict.fromkeys(CORE_LINK_IDS, 1) | {"26difficulties": 0}
    response = sdq_response(positions, questionnaire=SDQ_PARENT_URL, informer="parent")
    result = read(response, sdq_questionnaire("parent"))
    assert result.instrument_id == "sdq-p4-17"
    assert result.not_asked == IMPACT_ITEMS
    assert result.missing == ()
    scored = result.score(missing="raise")  # skipped items are not missing data
    assert scored["impact"].value == 0
    assert (
        scored["total"].value == score("sdq-p4-17", dict.fromkeys(map(str, range(1, 26)), 1))["total"].value
    )


def test_absent_impact_items_after_yes_are_missing_not_skipped():
    positions = dict.fromkeys(CORE_LINK_IDS, 0) | {"26difficulties": 1, "28difficultiesUnhappy": 3}
    result = read(sdq_response(positions), sdq_questionnaire("self"))
    assert result.not_asked == ()
    assert result.missing == ("chronic", "imphome", "impfrie", "impclas", "impleis", "burden")
    assert result.score()["impact"].value == 2


def test_impact_items_answered_after_no_are_kept_and_noted():
    positions = dict.fromkeys(CORE_LINK_IDS, 0) | {"26difficulties": 0, "28difficultiesUnhappy": 3}
    result = read(sdq_response(positions), sdq_questionnaire("self"))
    assert result.answers["distres"] == 3
    assert "distres" not in result.not_asked
    assert any("impact items answered after ebddiff = 0" in note for note in result.notes)
    assert result.score()["impact"].value == 0


def test_parent_answers_under_the_self_report_canonical_are_refused_with_a_hint():
    # KL's own parent example (SDQ4-10AnswerLars) points at the sdq11-17 canonical.
    positions = dict.fromkeys(CORE_LINK_IDS, 1) | {"26difficulties": 0}
    response = sdq_response(positions, questionnaire=SDQ_SELF_URL, informer="parent")
    error = fhir_error(response, sdq_questionnaire("self"), "FindingInformer is 'Pårørende alene'")
    assert error.instrument_id == "sdq-s11-17"
    assert "instrument='sdq-p4-17'" in str(error)
    assert isinstance(error, ResponseError)


def test_parent_answers_under_the_self_report_canonical_score_when_the_instrument_is_named():
    positions = dict.fromkeys(CORE_LINK_IDS, 1) | {"26difficulties": 0}
    response = sdq_response(positions, questionnaire=SDQ_SELF_URL, informer="parent")
    result = read(response, sdq_questionnaire("self"), instrument="sdq-p4-17")
    assert (result.instrument_id, result.detected) == ("sdq-p4-17", "sdq-s11-17")
    assert any("registered as sdq-s11-17" in note for note in result.notes)
    assert result.not_asked == IMPACT_ITEMS
    assert result.score()["impact"].value == 0


def test_informer_is_recognised_by_display_when_the_code_is_unknown():
    response = sdq_response(COMPLETE, informer="parent")
    response["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] = "not-a-known-code"
    fhir_error(response, sdq_questionnaire("self"), "Pårørende alene")


def test_an_unrecognised_informer_is_noted_not_held_against_the_response():
    response = sdq_response(COMPLETE)
    response["extension"][0]["valueCodeableConcept"] = {"coding": [{"code": "x"}], "text": "someone"}
    result = read(response, sdq_questionnaire("self"))
    assert result.informant is None
    assert any("not recognised" in note for note in result.notes)


def test_unrelated_extensions_are_ignored():
    other = {"url": "https://example.org/StructureDefinition/other", "valueString": "x"}
    response = sdq_response(COMPLETE, informer="self")
    response["extension"].insert(0, other)
    questionnaire = sdq_questionnaire()
    questionnaire["item"][0]["answerOption"][0]["extension"] = [other]
    result = read(response, questionnaire)
    assert result.informant == "self"
    assert result.answers == read(sdq_response(COMPLETE), sdq_questionnaire()).answers


def test_a_form_without_the_impact_supplement_does_not_match_its_canonical():
    questionnaire = sdq_questionnaire("self")
    questionnaire["item"] = questionnaire["item"][:25]
    response = sdq_response(dict.fromkeys(CORE_LINK_IDS, 0))
    error = fhir_error(response, questionnaire, "25 scored items")
    assert "impact supplement lacks" in str(error)
    named = read(response, questionnaire, instrument="sdq-s11-17")
    assert (
        named.score()["total"].value
        == score("sdq-s11-17", dict.fromkeys(map(str, range(1, 26)), 0))["total"].value
    )
    assert any("25 scored items" in note for note in named.notes)


def test_detection_by_snomed_code_when_the_questionnaire_has_no_url():
    questionnaire = sdq_questionnaire("parent")
    del questionnaire["url"]
    response = sdq_response(COMPLETE, informer="parent")
    del response["questionnaire"]
    result = read(response, questionnaire)
    assert (result.instrument_id, result.questionnaire) == ("sdq-p4-17", None)


def test_url_and_snomed_code_naming_different_forms_is_a_mismatch():
    questionnaire = sdq_questionnaire("self")
    questionnaire["code"] = [{"system": "http://snomed.info/sct", "code": "718133008"}]
    fhir_error(sdq_response(COMPLETE), questionnaire, "SNOMED CT code names sdq-p4-17")


@pytest.mark.parametrize("code", [["x"], {"a": 1}, 718133008])
def test_a_snomed_coding_whose_code_is_not_a_string_is_a_fhir_error(code):
    questionnaire = sdq_questionnaire("self")
    questionnaire["code"] = [{"system": "http://snomed.info/sct", "code": code}]
    error = fhir_error(
        sdq_response(COMPLETE), questionnaire, r"Questionnaire\.code\[0\]\.code .* is not a string"
    )
    assert error.value == code


# --- bad input ------------------------------------------------------------------------------------


def test_an_answer_string_not_in_the_option_list():
    response = sdq_response(COMPLETE)
    response["item"][2]["answer"] = [{"valueString": "Option 1"}]  # case differs
    error = fhir_error(response, sdq_questionnaire(), "linkId '3headache': answer 'Option 1' is not one of")
    assert (error.link_id, error.value) == ("3headache", "Option 1")


def test_an_unknown_linkid_in_the_response():
    response = sdq_response(COMPLETE | {"34unknown": 0})
    error = fhir_error(response, sdq_questionnaire(), "linkId '34unknown': unknown linkId")
    assert error.link_id == "34unknown"


def test_linkids_are_case_sensitive():
    response = sdq_response({"33affectOthers": 0})
    fhir_error(response, sdq_questionnaire(), "'33affectOthers': unknown linkId")


def test_a_repeated_item_in_the_response():
    response = sdq_response(COMPLETE)
    response["item"].append({"linkId": "13sad", "answer": [{"valueString": option(0)}]})
    fhir_error(response, sdq_questionnaire(), "'13sad': appears twice in the QuestionnaireResponse")


def test_a_duplicate_linkid_in_the_questionnaire():
    questionnaire = sdq_questionnaire()
    questionnaire["item"].append(copied(questionnaire["item"][0]))
    fhir_error(sdq_response(COMPLETE), questionnaire, "'1friendly': appears twice in the Questionnaire")


def test_two_linkids_for_one_item():
    questionnaire = sdq_questionnaire()
    extra = copied(questionnaire["item"][0]) | {"linkId": "consid"}  # sdqinfo alias of item 1
    questionnaire["item"].append(extra)
    fhir_error(sdq_response(COMPLETE), questionnaire, "item '1' is asked twice")


def test_more_than_one_answer_on_a_single_answer_item():
    response = sdq_response(COMPLETE)
    response["item"][0]["answer"] = [{"valueString": option(0)}, {"valueString": option(1)}]
    fhir_error(response, sdq_questionnaire(), "'1friendly': 2 answers on a single-answer item")


def test_a_response_for_another_questionnaire():
    response = sdq_response(COMPLETE, questionnaire=WHO5_URL)
    fhir_error(response, sdq_questionnaire(), "the response is for Questionnaire .*KLToolsCareWHO-5")


def test_a_response_for_another_version_of_the_questionnaire():
    questionnaire = sdq_questionnaire() | {"version": "2.1.0"}
    fhir_error(
        sdq_response(COMPLETE, questionnaire=f"{SDQ_SELF_URL}|1.0.0"), questionnaire, "is for Questionnaire"
    )
    same = read(sdq_response(COMPLETE, questionnaire=f"{SDQ_SELF_URL}|2.1.0"), questionnaire)
    assert same.questionnaire == f"{SDQ_SELF_URL}|2.1.0"


@pytest.mark.parametrize("items", [None, []], ids=["no item", "item []"])
def test_an_empty_response(items):
    response = sdq_response({})
    if items is None:
        del response["item"]
    fhir_error(response, sdq_questionnaire(), "has no item")


def test_a_questionnaire_without_items():
    questionnaire = sdq_questionnaire()
    del questionnaire["item"]
    fhir_error(sdq_response(COMPLETE), questionnaire, "the Questionnaire has no item")


@pytest.mark.parametrize(
    ("response", "questionnaire", "match"),
    [
        ("{}", sdq_questionnaire(), "must be a JSON object"),
        (sdq_response(COMPLETE), [sdq_questionnaire()], "must be a JSON object"),
        (sdq_response(COMPLETE) | {"resourceType": "Observation"}, sdq_questionnaire(), "resourceType"),
        (
            sdq_response(COMPLETE),
            sdq_questionnaire() | {"resourceType": "QuestionnaireResponse"},
            "resourceType",
        ),
        (sdq_response(COMPLETE) | {"status": "entered-in-error"}, sdq_questionnaire(), "entered-in-error"),
        (
            sdq_response(COMPLETE) | {"item": {"linkId": "1friendly"}},
            sdq_questionnaire(),
            "list of JSON objects",
        ),
        (sdq_response(COMPLETE) | {"questionnaire": 7}, sdq_questionnaire(), "not a canonical URL"),
    ],
    ids=[
        "not a dict",
        "questionnaire not a dict",
        "wrong type",
        "wrong questionnaire type",
        "entered in error",
        "item not a list",
        "reference not a string",
    ],
)
def test_malformed_resources(response, questionnaire, match):
    error = fhir_error(response, questionnaire, match)
    assert error.link_id is None


def test_item_without_linkid():
    response = sdq_response(COMPLETE)
    del response["item"][0]["linkId"]
    fhir_error(response, sdq_questionnaire(), "has no linkId")


def test_answer_of_the_wrong_type():
    response = sdq_response(COMPLETE)
    response["item"][0]["answer"] = [{"valueCoding": {"code": "option 0"}}]
    fhir_error(
        response, sdq_questionnaire(), "the answer is valueCoding but the item's options are valueString"
    )


def test_answer_with_two_values_or_nested_items():
    response = sdq_response(COMPLETE)
    response["item"][0]["answer"] = [{"valueString": option(0), "valueInteger": 0}]
    fhir_error(response, sdq_questionnaire(), "exactly one value")
    response["item"][0]["answer"] = [{"valueString": option(0), "item": [{"linkId": "x"}]}]
    fhir_error(response, sdq_questionnaire(), "nested under an answer")


def test_an_unknown_questionnaire_needs_the_instrument_named():
    questionnaire = sdq_questionnaire() | {"url": "https://example.org/sdq", "code": []}
    response = sdq_response(COMPLETE, questionnaire="https://example.org/sdq")
    fhir_error(response, questionnaire, "not a known form; name the instrument")
    assert (
        read(response, questionnaire, instrument="sdq-s11-17").answers
        == read(sdq_response(COMPLETE), sdq_questionnaire()).answers
    )


def test_a_choice_item_the_instrument_does_not_have():
    questionnaire = sdq_questionnaire()
    questionnaire["item"].append(
        {"linkId": "consent", "type": "choice", "answerOption": [{"valueString": "yes"}]}
    )
    fhir_error(
        sdq_response(COMPLETE),
        questionnaire,
        "'consent': unknown linkId: not an item id or alias of sdq-s11-17",
    )


def test_a_scored_item_of_a_type_that_cannot_be_scored():
    questionnaire = sdq_questionnaire()
    questionnaire["item"][0] = {"linkId": "1friendly", "type": "integer"}
    fhir_error(sdq_response(COMPLETE), questionnaire, "'1friendly': item type 'integer' cannot be scored")


def test_option_count_must_match_the_codes_without_ordinals():
    questionnaire = sdq_questionnaire()
    questionnaire["item"][0]["answerOption"].append({"valueString": "option 3"})
    fhir_error(
        sdq_response(COMPLETE), questionnaire, "'1friendly': 4 answer options but item '1' has 3 codes"
    )


def test_options_listed_twice_or_of_mixed_types():
    questionnaire = sdq_questionnaire()
    questionnaire["item"][0]["answerOption"][2] = {"valueString": option(0)}
    fhir_error(sdq_response(COMPLETE), questionnaire, "listed twice")
    questionnaire["item"][0]["answerOption"][2] = {"valueInteger": 2}
    fhir_error(sdq_response(COMPLETE), questionnaire, "mixed value types")


def test_groups_are_walked_in_questionnaire_and_response():
    questionnaire = sdq_questionnaire()
    items = questionnaire["item"]
    questionnaire["item"] = [
        {"linkId": "core", "type": "group", "item": items[:25]},
        {"linkId": "intro", "type": "display", "text": "placeholder"},
        {"linkId": "impact", "type": "group", "item": items[25:]},
    ]
    response = sdq_response(COMPLETE)
    response["item"] = [
        {"linkId": "core", "item": response["item"][:25]},
        {"linkId": "impact", "item": response["item"][25:]},
    ]
    assert read(response, questionnaire).answers == read(sdq_response(COMPLETE), sdq_questionnaire()).answers


def test_items_nested_under_a_question_are_refused():
    questionnaire = sdq_questionnaire()
    questionnaire["item"][0]["item"] = [{"linkId": "child", "type": "string"}]
    fhir_error(sdq_response(COMPLETE), questionnaire, "'1friendly': items nested under a question")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"type": 3}, "item type 3 is not a string"),
        ({"answerOption": []}, "a choice item without answer options"),
        ({"answerValueSet": "#vs"}, "both answerOption and answerValueSet"),
        ({"answerOption": [{"valueDate": "2024-01-01"}]}, "answerOption must hold one of"),
        ({"answerOption": [{"valueCoding": {"system": "urn:x"}}]}, "is not a valid coding"),
        ({"answerOption": [{"valueInteger": True}]}, "is not a valid integer"),
        ({"repeats": True}, "a repeating item cannot be scored"),
    ],
)
def test_questionnaire_items_that_cannot_be_read(change, match):
    questionnaire = sdq_questionnaire()
    questionnaire["item"][0] |= change
    error = fhir_error(sdq_response(COMPLETE), questionnaire, match)
    assert error.link_id == "1friendly"


@pytest.mark.parametrize(
    ("value_set", "match"),
    [
        ({"compose": {"include": [{"system": "urn:x"}]}}, "includes codes it does not list"),
        ({"compose": {"include": []}}, "lists no codes"),
    ],
)
def test_contained_value_sets_that_cannot_be_read(value_set, match):
    questionnaire = who5_questionnaire("valueset")
    questionnaire["contained"][0] = {"resourceType": "ValueSet", "id": "vs-happy"} | value_set
    fhir_error(who5_response(WHO5_VALUES), questionnaire, f"'happy': .*{match}")


def test_a_questionnaire_without_url_is_matched_by_id():
    questionnaire = sdq_questionnaire() | {"id": "sdq-self"}
    del questionnaire["url"]
    result = read(sdq_response(COMPLETE, questionnaire="Questionnaire/sdq-self"), questionnaire)
    assert result.instrument_id == "sdq-s11-17"
    fhir_error(
        sdq_response(COMPLETE, questionnaire="Questionnaire/other"), questionnaire, "is for Questionnaire"
    )


def test_a_named_instrument_on_another_form_keeps_every_difference_as_a_note():
    questionnaire = sdq_questionnaire() | {"url": WHO5_URL, "code": []}
    response = sdq_response(COMPLETE, questionnaire=WHO5_URL)
    fhir_error(response, questionnaire, "'1friendly': unknown linkId: not an item id or alias of who5")
    result = read(response, questionnaire, instrument="sdq-s11-17")
    assert result.answers == read(sdq_response(COMPLETE), sdq_questionnaire()).answers
    assert any(
        "which http://kl.dk/fhir/tools/care/Questionnaire/KLToolsCareWHO-5 has not" in n for n in result.notes
    )


def test_nothing_is_scored_from_a_partly_understood_resource():
    # one bad answer among 32 good ones: no partial result comes back
    response = sdq_response(COMPLETE)
    response["item"][-1]["answer"] = [{"valueString": "option 9"}]
    fhir_error(response, sdq_questionnaire(), "'33AffectOthers'")


def test_fhir_error_is_a_response_error_and_pickles():
    error = fhir_error(sdq_response({"34unknown": 0}), sdq_questionnaire(), "unknown linkId")
    assert isinstance(error, ResponseError)
    assert isinstance(error, ValueError)
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (type(again), str(again), again.link_id, again.instrument_id) == (
        FhirError,
        str(error),
        "34unknown",
        "sdq-s11-17",
    )


# --- WHO-5 from KL's care tools -------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["coding", "integer", "ordinal", "weight", "valueset"])
def test_who5_kl_answers_map_highest_option_first(variant):
    response = who5_response(
        WHO5_VALUES, variant="integer" if variant == "integer" else "coding", comment="free text"
    )
    result = read(response, who5_questionnaire(variant))
    assert (result.instrument_id, result.detected) == ("who5", "who5")
    assert result.answers == WHO5_CODES
    assert result.ignored == ("who5comment",)
    assert result.score().values == score("who5", WHO5_CODES).values


def renamed(resource: Json, names: dict[str, str]) -> Json:
    """Rename linkIds (KL's WHO-5 linkIds are known only with KL's canonical)."""
    for item in resource["item"]:
        item["linkId"] = names.get(item["linkId"], item["linkId"])
    return resource


def test_who5_ordinal_values_win_over_position_on_an_unknown_questionnaire():
    names = {link: f"who5_{n}" for n, link in enumerate(WHO5_LINK_IDS, start=1)}
    unknown = {"url": "https://example.org/who5", "code": []}
    response = renamed(who5_response(WHO5_VALUES), names) | {"questionnaire": "https://example.org/who5"}
    fhir_error(response, who5_questionnaire("ordinal") | unknown, "not a known form")
    ordinal = renamed(who5_questionnaire("ordinal"), names) | unknown
    assert read(response, ordinal, instrument="who5").answers == WHO5_CODES
    positional = renamed(who5_questionnaire("coding"), names) | unknown
    reversed_codes = {k: 5 - v for k, v in WHO5_CODES.items()}  # unknown form: first option = lowest code
    assert read(response, positional, instrument="who5").answers == reversed_codes


def test_kl_who5_linkids_are_unknown_without_the_kl_canonical():
    unknown = {"url": "https://example.org/who5", "code": []}
    response = who5_response(WHO5_VALUES) | {"questionnaire": "https://example.org/who5"}
    fhir_error(response, who5_questionnaire() | unknown, "'happy': unknown linkId", instrument="who5")


def test_ordinal_values_must_be_codes_on_every_option():
    questionnaire = who5_questionnaire("ordinal")
    questionnaire["item"][0]["answerOption"][0]["extension"][0]["valueDecimal"] = 7
    fhir_error(who5_response(WHO5_VALUES), questionnaire, "'happy': ordinals .* must be distinct codes")
    questionnaire = who5_questionnaire("ordinal")
    del questionnaire["item"][0]["answerOption"][0]["extension"]
    fhir_error(who5_response(WHO5_VALUES), questionnaire, "on all options")


def test_conflicting_or_non_numeric_ordinal_values():
    questionnaire = who5_questionnaire("ordinal")
    first = questionnaire["item"][0]["answerOption"][0]
    first["valueCoding"]["extension"] = [{"url": ORDINAL_URL, "valueDecimal": 4}]
    fhir_error(who5_response(WHO5_VALUES), questionnaire, "conflicting ordinal values")
    first["extension"][0]["valueDecimal"] = "5"
    fhir_error(who5_response(WHO5_VALUES), questionnaire, "is not a number")


def test_who5_coding_matches_system_and_code():
    response = who5_response(WHO5_VALUES)
    response["item"][0]["answer"][0]["valueCoding"]["system"] = "urn:other"
    fhir_error(response, who5_questionnaire(), "'happy': answer 'urn:other|who5-happy-5' is not one of")


def test_who5_value_set_that_is_not_contained_is_refused():
    questionnaire = who5_questionnaire("valueset")
    questionnaire["item"][0]["answerValueSet"] = "http://kl.dk/fhir/tools/care/ValueSet/WHO5AnswerCodesHappy"
    fhir_error(
        who5_response(WHO5_VALUES), questionnaire, "'happy': answerValueSet .* is not a ValueSet contained"
    )


def test_who5_value_set_expansion_is_read_in_order():
    questionnaire = who5_questionnaire("valueset")
    for value_set in questionnaire["contained"]:
        include = value_set.pop("compose")["include"][0]
        value_set["expansion"] = {
            "contains": [{"system": include["system"], **c} for c in include["concept"]]
        }
    assert read(who5_response(WHO5_VALUES), questionnaire).answers == WHO5_CODES


def test_who5_from_a_relative_is_not_the_self_report():
    response = who5_response(WHO5_VALUES)
    response["extension"] = sdq_response({}, informer="parent")["extension"]
    fhir_error(response, who5_questionnaire(), "who5 is the self form")


def test_who5_unanswered_item_is_missing():
    response = who5_response(WHO5_VALUES)
    response["item"][1]["answer"] = []
    result = read(response, who5_questionnaire())
    assert result.missing == ("2",)
    assert result.score()["raw"].value is None


# --- properties -----------------------------------------------------------------------------------


@given(responses("sdq-s11-17", missing="sometimes"))
def test_any_sdq_self_report_round_trips(answers):
    aliases = {item.id: item.aliases[-1] for item in SDQ.items}  # the KL linkId is the last alias
    positions = {aliases[i]: c for i, c in answers.items() if c is not None and aliases[i] in SDQ_LINK_IDS}
    if not positions:
        return
    result = read(sdq_response(positions), sdq_questionnaire())
    expected = {i: c for i, c in answers.items() if c is not None and aliases[i] in SDQ_LINK_IDS}
    assert result.answers == expected
    assert result.score().values == score("sdq-s11-17", expected).values


@given(
    st.fixed_dictionaries({link: st.integers(0, 5) for link in WHO5_LINK_IDS}),
    st.sampled_from(["coding", "integer", "ordinal", "valueset"]),
)
def test_any_who5_kl_response_round_trips(values, variant):
    response = who5_response(values, variant="integer" if variant == "integer" else "coding")
    result = read(response, who5_questionnaire(variant))
    assert result.answers == {str(n): values[link] for n, link in enumerate(WHO5_LINK_IDS, start=1)}


def test_known_questionnaires_point_at_registered_instruments_and_items():
    for row in KNOWN_QUESTIONNAIRES:
        definition = get_instrument(row.instrument)
        assert set(row.skipped_with_gate) <= set(definition.item_ids)
        assert {item for _, item in row.link_ids} <= set(definition.item_ids)
    sdq = {item.id: set(item.aliases) for item in get_instrument("sdq-p4-17").items}
    assert all(any(link in a for a in sdq.values()) for link in (*CORE_LINK_IDS, *IMPACT_LINK_IDS))


# --- Observations ---------------------------------------------------------------------------------


def test_observations_one_per_scale_with_code_value_band_and_versions():
    result = read(sdq_response(COMPLETE), sdq_questionnaire()).score()
    observations = to_observations(result, subject="Patient/example", effective="2024-04-23")
    assert len(observations) == len(SDQ.scales)
    for obs, scale in zip(observations, result.scales, strict=True):
        check_observation(obs)
        assert obs["code"]["coding"][0] == {
            "system": SCALE_SYSTEM,
            "code": f"sdq-s11-17.{scale.scale}",
            "display": f"{SDQ.name}: {SDQ.scale(scale.scale).label_en}",
        }
        assert obs["valueInteger"] == scale.value
        band = next((b for b in scale.bands if b.scheme == result.scheme), None)
        if band is None:  # a scale the scheme does not band
            assert "interpretation" not in obs
        else:
            assert obs["interpretation"][0]["coding"][0] == {
                "system": BAND_SYSTEM,
                "code": f"sdq-s11-17.sdq-3band.{band.band}",
                "display": band.label_en,
            }
        provenance = {e["url"]: e for e in obs["extension"][0]["extension"]}
        assert obs["extension"][0]["url"] == PROVENANCE_URL
        assert provenance["instrumentVersion"]["valueString"] == SDQ.version
        assert provenance["libraryVersion"]["valueString"] == result.library_version
        assert provenance["scheme"]["valueString"] == "sdq-3band"
        assert result.library_version in obs["method"]["text"]
        assert (obs["status"], obs["subject"], obs["effectiveDateTime"]) == (
            "final",
            {"reference": "Patient/example"},
            "2024-04-23",
        )
    json.dumps(observations)


def test_unscored_scale_gets_data_absent_reason_with_the_reason_text():
    result = score("who5", [3, 3, None, 2, 2])
    [raw, percentage] = to_observations(
        result, subject={"reference": "Patient/1"}, effective=dt.date(2024, 4, 23)
    )
    for obs in (raw, percentage):
        check_observation(obs)
        assert "valueInteger" not in obs
        assert "interpretation" not in obs
    assert raw["dataAbsentReason"]["text"] == result["raw"].reason
    assert raw["dataAbsentReason"]["coding"][0]["code"] == "unknown"


def test_non_integer_score_goes_in_value_quantity_and_t_score_in_a_component():
    prorated = to_observations(
        score("who5", [3, 3, 3, 2, None], missing="prorate"), subject="Patient/1", effective="2024"
    )
    check_observation(prorated[0])
    assert prorated[0]["valueQuantity"]["value"] == 13.75
    scas = score("scas-p", [1] * 38, respondent=Respondent(age=14, sex="female"))
    observations = to_observations(scas, subject="Patient/1", effective="2024-04-23T10:15:00+02:00")
    total = next(o for o in observations if o["code"]["coding"][0]["code"] == "scas-p.total")
    check_observation(total)
    component = total["component"][0]
    assert component["code"]["coding"][0]["code"] == "scas-p.total.t-score"
    assert component["valueQuantity"]["value"] == scas["total"].t_score


def test_observations_without_a_scheme_or_a_registered_instrument():
    [total] = [
        o
        for o in to_observations(score("sdq-s18", COMPLETE), subject="Patient/1", effective="2024")
        if o["code"]["coding"][0]["code"] == "sdq-s18.total"
    ]
    check_observation(total)
    assert "interpretation" not in total
    assert "scheme" not in {e["url"] for e in total["extension"][0]["extension"]}
    custom = get_instrument("who5").model_copy(update={"id": "who5-local"})
    [raw, _] = to_observations(score(custom, [2] * 5), subject="Patient/1", effective="2024")
    check_observation(raw)
    assert raw["code"]["text"] == "who5-local: raw"


def test_derived_from_and_datetime():
    when = dt.datetime(2024, 4, 23, 10, 15, tzinfo=dt.UTC)
    [raw, _] = to_observations(
        score("who5", [1] * 5), subject="Patient/1", effective=when, derived_from="QuestionnaireResponse/9"
    )
    check_observation(raw)
    assert raw["derivedFrom"] == [{"reference": "QuestionnaireResponse/9"}]
    assert raw["effectiveDateTime"] == "2024-04-23T10:15:00+00:00"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"effective": dt.datetime(2024, 4, 23, 10, 15)}, ValueError),  # noqa: DTZ001 - the point of the test
        ({"effective": "2024-04-23T10:15"}, ValueError),
        ({"effective": "23/04/2024"}, ValueError),
        ({"effective": 2024}, ValueError),
        ({"subject": ""}, ValueError),
        ({"subject": 7}, TypeError),
        ({"subject": {}}, TypeError),
    ],
)
def test_to_observations_argument_errors(kwargs, error):
    arguments = {"subject": "Patient/1", "effective": "2024-04-23"} | kwargs
    with pytest.raises(error):
        to_observations(score("who5", [1] * 5), **arguments)


def test_to_observations_needs_a_score():
    with pytest.raises(TypeError, match="Score"):
        to_observations({"raw": 5}, subject="Patient/1", effective="2024")  # type: ignore[arg-type]


# --- returned Observations share no mutable state ---------------------------------------------------


def containers(value: object) -> list[object]:
    """Every dict and list inside ``value`` (itself included)."""
    found: list[object] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            found.append(node)
            stack.extend(node)
    return found


def test_no_two_observations_share_a_dict_or_a_list():
    subject = {"identifier": {"system": "urn:example:pupil", "value": "E-17"}}
    derived = {"reference": "QuestionnaireResponse/qr-1", "extension": [{"url": "urn:x", "valueString": "y"}]}
    result = score("scas-p", [1] * 38, norms="nauta-2004")
    first = to_observations(result, subject=subject, effective="2024-04-23", derived_from=derived)
    second = to_observations(result, subject=subject, effective="2024-04-23", derived_from=derived)
    owners: dict[int, str] = {}
    for name, value in (("subject", subject), ("derived_from", derived)):
        owners.update((id(node), name) for node in containers(value))
    for call, observations in (("first", first), ("second", second)):
        for index, observation in enumerate(observations):
            for node in containers(observation):
                assert id(node) not in owners, (call, index, owners.get(id(node)))
                owners[id(node)] = f"{call} call, observation {index}"
    before = json.dumps(second)
    first[0]["category"][0]["coding"][0]["code"] = "changed"
    first[0]["subject"]["identifier"]["value"] = "changed"
    first[0]["derivedFrom"][0]["extension"][0]["valueString"] = "changed"
    assert json.dumps(second) == before
    assert subject["identifier"]["value"] == "E-17"
    third = to_observations(result, subject="Patient/1", effective="2024-04-23")
    assert third[0]["category"][0]["coding"][0]["code"] == "survey"
