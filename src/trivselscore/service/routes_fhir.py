"""The FHIR operation: a KL QuestionnaireResponse (with its Questionnaire) -> a Bundle of Observations.

``POST /fhir/QuestionnaireResponse/$score`` takes a FHIR R4 ``Parameters``
resource, because the operation needs two resources: the response, and the
Questionnaire whose answer options say what each answer scores (the service
stores nothing, so it cannot look the Questionnaire up).

Parameters (``parameter[].name``):

* ``questionnaireResponse`` (``resource``, required): the QuestionnaireResponse;
* ``questionnaire`` (``resource``, required): its Questionnaire;
* ``instrument``, ``missing``, ``scheme`` (``valueString`` or ``valueCode``): as in
  :func:`trivselscore.fhir.from_questionnaire_response` and :func:`trivselscore.score`;
* ``subject`` (``valueString`` or ``valueReference``): default the response's subject;
* ``effective`` (``valueDateTime`` or ``valueDate``): default the response's ``authored``;
* ``age`` (``valueInteger`` or ``valueDecimal``, years) and ``sex`` (``valueCode`` or
  ``valueString``: female/male or the Danish words :class:`~trivselscore.Respondent` reads):
  the respondent, as ``respondent`` in ``POST /v1/score``. A FHIR response carries no age,
  so the caller gives it (from the Patient's birth date on the day the form was answered);
  an age outside the instrument's range is scored with no bands and the flag
  ``outside_age_range``, so the Observations carry no ``interpretation``.

Errors are OperationOutcomes (``application/fhir+json``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from trivselscore.definitions.model import Respondent
from trivselscore.fhir import from_questionnaire_response, to_observations
from trivselscore.instruments.registry import get_instrument
from trivselscore.service import redact
from trivselscore.service.bodies import BodyError, loads
from trivselscore.service.middleware import FHIR_JSON
from trivselscore.service.options import check_options, require
from trivselscore.service.problems import Problem, ProblemError, problem_type

__all__ = ["PARAMETERS", "router"]

PARAMETERS = (
    "questionnaireResponse",
    "questionnaire",
    "instrument",
    "missing",
    "scheme",
    "subject",
    "effective",
    "age",
    "sex",
)
"""The parameters of the ``$score`` operation."""

_STRINGS = ("valueString", "valueCode")
_EXAMPLE_LINKS = ("happy", "calm", "active", "rested", "interest")
_EXAMPLE_OPTIONS = [{"valueInteger": code} for code in range(5, -1, -1)]
_EXAMPLE = {  # KL's WHO-5 care tool in short: integer options listed highest first
    "resourceType": "Parameters",
    "parameter": [
        {
            "name": "questionnaire",
            "resource": {
                "resourceType": "Questionnaire",
                "url": "http://kl.dk/fhir/tools/care/Questionnaire/KLToolsCareWHO-5",
                "status": "active",
                "item": [
                    {"linkId": link, "type": "choice", "answerOption": _EXAMPLE_OPTIONS}
                    for link in _EXAMPLE_LINKS
                ],
            },
        },
        {
            "name": "questionnaireResponse",
            "resource": {
                "resourceType": "QuestionnaireResponse",
                "id": "qr-1",
                "questionnaire": "http://kl.dk/fhir/tools/care/Questionnaire/KLToolsCareWHO-5",
                "status": "completed",
                "subject": {"reference": "Patient/example"},
                "authored": "2024-04-23",
                "item": [
                    {"linkId": link, "answer": [{"valueInteger": code}]}
                    for link, code in (
                        ("happy", 5),
                        ("calm", 3),
                        ("active", 4),
                        ("rested", 0),
                        ("interest", 2),
                    )
                ],
            },
        },
        {"name": "age", "valueInteger": 16},
    ],
}
_OPERATION: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "A FHIR R4 Parameters resource: questionnaireResponse and questionnaire (resources), "
            "and optionally instrument, missing, scheme (valueString), subject (valueString or "
            "valueReference), effective (valueDateTime), age (valueInteger or valueDecimal) and "
            "sex (valueCode)."
        ),
        "content": {
            FHIR_JSON: {
                "schema": {"$ref": "#/components/schemas/FhirParameters"},
                "examples": {"kl-who5": {"value": _EXAMPLE}},
            }
        },
    },
    "responses": {
        "200": {
            "description": "A FHIR R4 Bundle (type collection) with one Observation per scale.",
            "content": {FHIR_JSON: {"schema": {"$ref": "#/components/schemas/FhirBundle"}}},
        }
    },
}

router = APIRouter(tags=["fhir"])


@router.post("/fhir/QuestionnaireResponse/$score", response_class=Response, openapi_extra=_OPERATION)
async def score_questionnaire_response(request: Request) -> Response:
    """Read a KL QuestionnaireResponse with ``trivselscore.fhir`` and return its scores as Observations."""
    require(request, (FHIR_JSON, "application/json"))
    try:
        resource = loads(await request.body())
    except BodyError as error:
        raise ProblemError(_invalid(f"the body is not valid JSON: {error}")) from None
    parameters = _parameters(resource)
    response = _resource(parameters, "questionnaireResponse")
    answers = from_questionnaire_response(
        response, _resource(parameters, "questionnaire"), instrument=_string(parameters, "instrument")
    )
    request.state.instrument = answers.instrument_id
    missing, scheme = _string(parameters, "missing"), _string(parameters, "scheme")
    check_options(get_instrument(answers.instrument_id), missing=missing, scheme=scheme)
    result = answers.score(missing=missing, scheme=scheme, respondent=_respondent(parameters))
    subject = _subject(parameters) or answers.subject
    effective = _string(parameters, "effective", ("valueDateTime", "valueDate")) or answers.authored
    if subject is None or effective is None:
        lacking = "subject" if subject is None else "effective"
        msg = f"no {lacking}: the response has none, so pass the {lacking} parameter"
        raise ProblemError(_invalid(msg, parameter=lacking))
    response_id = response.get("id")
    observations = to_observations(
        result,
        subject=subject,
        effective=effective,
        derived_from=f"QuestionnaireResponse/{response_id}" if isinstance(response_id, str) else None,
    )
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": o} for o in observations],
    }
    return Response(json.dumps(bundle, ensure_ascii=False), media_type=FHIR_JSON)


def _parameters(resource: object) -> dict[str, Mapping[str, Any]]:
    """The operation's parameters by name; anything unknown or repeated is refused."""
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "Parameters":
        kind = resource.get("resourceType") if isinstance(resource, Mapping) else type(resource).__name__
        msg = f"send a FHIR Parameters resource (questionnaireResponse and questionnaire), not {kind!r}"
        raise ProblemError(_invalid(msg))
    found: dict[str, Mapping[str, Any]] = {}
    entries = resource.get("parameter")
    for entry in entries if isinstance(entries, list) else []:
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if name not in PARAMETERS or not isinstance(entry, Mapping):
            shown = redact.token(name)
            named = redact.WITHHELD if shown is None else repr(shown)
            msg = f"unknown parameter {named}; parameters: {list(PARAMETERS)}"
            raise ProblemError(_invalid(msg, parameter="parameter", value=shown, allowed=list(PARAMETERS)))
        if name in found:
            raise ProblemError(_invalid(f"parameter {name!r} is given twice", parameter=name))
        found[name] = entry
    return found


def _resource(parameters: Mapping[str, Mapping[str, Any]], name: str) -> dict[str, Any]:
    resource = parameters.get(name, {}).get("resource")
    if not isinstance(resource, dict):
        raise ProblemError(_invalid(f"parameter {name!r} with a resource is required", parameter=name))
    return resource


def _string(
    parameters: Mapping[str, Mapping[str, Any]], name: str, kinds: tuple[str, ...] = _STRINGS
) -> str | None:
    entry = parameters.get(name)
    if entry is None:
        return None
    for kind in kinds:
        value = entry.get(kind)
        if isinstance(value, str) and value:
            return value
    msg = f"parameter {name!r} needs one of {list(kinds)} (a non-empty string)"
    raise ProblemError(_invalid(msg, parameter=name))


def _subject(parameters: Mapping[str, Mapping[str, Any]]) -> str | None:
    entry = parameters.get("subject")
    reference = entry.get("valueReference") if entry is not None else None
    if isinstance(reference, Mapping) and isinstance(reference.get("reference"), str):
        return str(reference["reference"])
    return _string(parameters, "subject")


def _respondent(parameters: Mapping[str, Mapping[str, Any]]) -> Respondent | None:
    """The ``age`` and ``sex`` parameters as a ``Respondent`` (None when neither is given)."""
    age_entry = parameters.get("age")
    age: object = None
    if age_entry is not None:
        age = next((age_entry[k] for k in ("valueInteger", "valueDecimal") if k in age_entry), None)
        if isinstance(age, bool) or not isinstance(age, int | float):
            msg = "parameter 'age' needs valueInteger or valueDecimal (years)"
            raise ProblemError(_invalid(msg, parameter="age"))
    sex = _string(parameters, "sex")
    if age is None and sex is None:
        return None
    try:
        return Respondent.model_validate({"age": age, "sex": sex})
    except ValidationError as error:
        detail = error.errors()[0]
        name = str(detail["loc"][0]) if detail["loc"] else "age"
        msg = f"parameter {name!r}: {detail['msg']}"
        raise ProblemError(_invalid(msg, parameter=name)) from None


def _invalid(
    detail: str, *, parameter: str | None = None, value: str | None = None, allowed: list[str] | None = None
) -> Problem:
    return Problem(
        type=problem_type("fhir-resource"),
        title="Invalid FHIR request",
        status=422,
        detail=detail,
        parameter=parameter,
        value=value,
        allowed=allowed,
    )
