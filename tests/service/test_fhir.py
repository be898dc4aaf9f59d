"""POST /fhir/QuestionnaireResponse/$score on KL-shaped resources: a Bundle, or an OperationOutcome."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.fhir import fixtures  # KL-shaped resources with placeholder wording
from trivselscore import Respondent, score
from trivselscore.fhir import from_questionnaire_response, to_observations

if TYPE_CHECKING:
    import httpx

Json = dict[str, Any]
OPERATION = "/fhir/QuestionnaireResponse/$score"
FHIR = "application/fhir+json"


def parameters(response: Json, questionnaire: Json, **extra: Json) -> Json:
    entries = [
        {"name": "questionnaireResponse", "resource": response},
        {"name": "questionnaire", "resource": questionnaire},
    ]
    for name, value in extra.items():
        entries.append({"name": name, **value})
    return {"resourceType": "Parameters", "parameter": entries}


def post(http: httpx.Client, body: object, content_type: str = FHIR) -> httpx.Response:
    return http.post(OPERATION, content=json.dumps(body), headers={"content-type": content_type})


def outcome_of(response: httpx.Response, status: int) -> Json:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == FHIR
    body: Json = response.json()
    assert body["resourceType"] == "OperationOutcome"
    issue: Json
    [issue] = body["issue"]
    assert issue["severity"] == "error"
    return issue


def who5_pair(values: tuple[int, ...] = (5, 3, 4, 0, 2)) -> tuple[Json, Json]:
    response = fixtures.who5_response(
        dict(zip(fixtures.WHO5_LINK_IDS, values, strict=True)), comment="fri tekst"
    )
    response["id"] = "qr-1"
    response["authored"] = "2024-04-23"
    return response, fixtures.who5_questionnaire()


def test_kl_who5_round_trip(http):
    response, questionnaire = who5_pair()
    reply = post(http, parameters(response, questionnaire))
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == FHIR
    bundle = reply.json()
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    observations = [entry["resource"] for entry in bundle["entry"]]
    answers = from_questionnaire_response(response, questionnaire)
    assert observations == to_observations(
        answers.score(),
        subject="Patient/example",
        effective="2024-04-23",
        derived_from="QuestionnaireResponse/qr-1",
    )
    for observation in observations:
        fixtures.check_observation(observation)
    assert [o["valueInteger"] for o in observations] == [14, 56]


@pytest.mark.parametrize("variant", ["integer", "ordinal", "weight", "valueset"])
def test_kl_who5_answer_variants(http, variant):
    response = fixtures.who5_response(
        dict(zip(fixtures.WHO5_LINK_IDS, [1, 2, 3, 4, 5], strict=True)), variant=variant
    )
    extra = {"effective": {"valueDateTime": "2024-05-01T10:00:00+02:00"}}
    reply = post(
        http, parameters(response, fixtures.who5_questionnaire(variant), **extra), "application/json"
    )
    values = [entry["resource"]["valueInteger"] for entry in reply.json()["entry"]]
    assert values == list(score("who5", [1, 2, 3, 4, 5]).values.values())


def test_kl_sdq_self_form(http):
    positions = {link: (i % 3 if i < 25 else 1) for i, link in enumerate(fixtures.SDQ_LINK_IDS)}
    response = fixtures.sdq_response(positions)
    reply = post(
        http, parameters(response, fixtures.sdq_questionnaire(), scheme={"valueString": "sdq-4band"})
    )
    assert reply.status_code == 200, reply.text
    observations = [entry["resource"] for entry in reply.json()["entry"]]
    expected = from_questionnaire_response(response, fixtures.sdq_questionnaire()).score(scheme="sdq-4band")
    assert observations == to_observations(expected, subject="Patient/example", effective="2024-04-23")


def test_age_and_sex_parameters_reach_the_score(http):
    positions = {link: (i % 3 if i < 25 else 1) for i, link in enumerate(fixtures.SDQ_LINK_IDS)}
    response = fixtures.sdq_response(positions)
    answers = from_questionnaire_response(response, fixtures.sdq_questionnaire())
    cases: list[tuple[dict[str, Json], Respondent]] = [
        ({"age": {"valueInteger": 15}, "sex": {"valueCode": "pige"}}, Respondent(age=15, sex="female")),
        ({"age": {"valueDecimal": 22.5}}, Respondent(age=22.5)),
    ]
    for extra, respondent in cases:
        reply = post(http, parameters(response, fixtures.sdq_questionnaire(), **extra))
        assert reply.status_code == 200, reply.text
        observations = [entry["resource"] for entry in reply.json()["entry"]]
        expected = answers.score(respondent=respondent)
        assert observations == to_observations(expected, subject="Patient/example", effective="2024-04-23")
    assert "outside_age_range" in expected.flag_ids
    assert not any("interpretation" in o for o in observations)  # 22.5: no bands


@pytest.mark.parametrize(
    ("extra", "diagnostic"),
    [
        ({"age": {"valueString": "15"}}, "parameter 'age' needs valueInteger or valueDecimal"),
        ({"age": {"valueBoolean": True}}, "parameter 'age' needs valueInteger or valueDecimal"),
        ({"age": {"valueInteger": True}}, "parameter 'age' needs valueInteger or valueDecimal"),
        ({"age": {"valueInteger": -1}}, "parameter 'age': Input should be greater than or equal to 0"),
        ({"age": {"valueDecimal": 131}}, "parameter 'age': Input should be less than or equal to 130"),
        ({"sex": {"valueCode": "x"}}, "parameter 'sex': Value error, sex 'x' is not one of"),
        ({"sex": {"valueCode": ""}}, "parameter 'sex' needs one of"),
    ],
)
def test_bad_age_or_sex_parameters(http, extra, diagnostic):
    response, questionnaire = who5_pair()
    issue = outcome_of(post(http, parameters(response, questionnaire, **extra)), 422)
    assert diagnostic in issue["diagnostics"]


def test_kl_parent_example_needs_the_instrument_named(http):
    positions = dict.fromkeys(fixtures.CORE_LINK_IDS, 1) | {"26difficulties": 0}
    response = fixtures.sdq_response(positions, informer="parent")
    questionnaire = fixtures.sdq_questionnaire()
    issue = outcome_of(post(http, parameters(response, questionnaire)), 422)
    assert "pass instrument='sdq-p4-17'" in issue["diagnostics"]
    named = parameters(
        response,
        questionnaire,
        instrument={"valueCode": "sdq-p4-17"},
        subject={"valueReference": {"reference": "Patient/42"}},
    )
    reply = post(http, named)
    assert reply.status_code == 200, reply.text
    observations = {o["resource"]["code"]["coding"][0]["code"]: o["resource"] for o in reply.json()["entry"]}
    assert observations["sdq-p4-17.impact"]["valueInteger"] == 0
    assert observations["sdq-p4-17.total"]["subject"] == {"reference": "Patient/42"}


def test_answer_not_among_the_options_names_the_link_id(http):
    response, questionnaire = who5_pair()
    response["item"][1]["answer"][0]["valueCoding"]["code"] = "no-such-code"
    issue = outcome_of(post(http, parameters(response, questionnaire)), 422)
    assert issue["code"] == "invalid"
    assert issue["expression"] == ["QuestionnaireResponse.item.where(linkId='calm')"]
    assert "no-such-code" in issue["diagnostics"]


@pytest.mark.parametrize(
    ("body", "diagnostic"),
    [
        ({"resourceType": "QuestionnaireResponse"}, "send a FHIR Parameters resource"),
        ([1], "send a FHIR Parameters resource"),
        ({"resourceType": "Parameters", "parameter": [{"name": "x"}]}, "unknown parameter 'x'"),
        ({"resourceType": "Parameters"}, "parameter 'questionnaireResponse' with a resource is required"),
    ],
)
def test_malformed_parameters(http, body, diagnostic):
    issue = outcome_of(post(http, body), 422)
    assert diagnostic in issue["diagnostics"]


def test_parameter_errors(http):
    response, questionnaire = who5_pair()
    twice = parameters(response, questionnaire)
    twice["parameter"].append(twice["parameter"][0])
    assert "given twice" in outcome_of(post(http, twice), 422)["diagnostics"]
    empty = parameters(response, questionnaire, missing={"valueString": ""})
    assert "needs one of" in outcome_of(post(http, empty), 422)["diagnostics"]
    scheme = parameters(response, questionnaire, scheme={"valueString": "nope"})
    assert "has no scheme 'nope'" in outcome_of(post(http, scheme), 422)["diagnostics"]
    unknown = parameters(response, questionnaire, instrument={"valueString": "who-5"})
    assert "did you mean 'who5'" in outcome_of(post(http, unknown), 422)["diagnostics"]


def test_no_subject_or_effective(http):
    response, questionnaire = who5_pair()
    del response["authored"]
    assert "no effective" in outcome_of(post(http, parameters(response, questionnaire)), 422)["diagnostics"]
    del response["subject"]
    body = parameters(response, questionnaire, effective={"valueDate": "2024-04-23"})
    assert "no subject" in outcome_of(post(http, body), 422)["diagnostics"]
    body = parameters(
        response,
        questionnaire,
        effective={"valueDateTime": "2024-04-23T10:00:00"},
        subject={"valueString": "Patient/1"},
    )
    assert "aware datetime" in outcome_of(post(http, body), 422)["diagnostics"]


def test_malformed_json_and_media_type(http):
    reply = http.post(OPERATION, content=b"{", headers={"content-type": FHIR})
    assert outcome_of(reply, 422)["diagnostics"].startswith("the body is not valid JSON: ")
    reply = http.post(OPERATION, content=b"<xml/>", headers={"content-type": "application/fhir+xml"})
    assert outcome_of(reply, 415)["code"] == "not-supported"
