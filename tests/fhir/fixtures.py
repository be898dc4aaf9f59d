"""FHIR R4 fixtures shaped like KL's resources, with placeholder wording, and an Observation checker.

Structure follows the KL IGs (hl7dk/kl-children: 33 flat SDQ choice items with
valueString options, FindingInformer extension; hl7dk/KL-dk-tools: WHO-5 with
coded answers listed highest first and a free-text comment). Every option text,
code and display here is a PLACEHOLDER ("option 0", "who5-happy-5"): the Danish
SDQ wording is copyrighted and is never committed. The linkIds, canonical URLs,
SNOMED CT codes and FindingInformer codes are KL's own identifiers.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

SDQ_SELF_URL = "http://fhir.kl.dk/children/Questionnaire/klgateway-children-sdq11-17"
SDQ_PARENT_URL = "http://fhir.kl.dk/children/Questionnaire/klgateway-children-sdq4-10"
WHO5_URL = "http://kl.dk/fhir/tools/care/Questionnaire/KLToolsCareWHO-5"
SNOMED = "http://snomed.info/sct"

CORE_LINK_IDS = (
    "1friendly",
    "2restless",
    "3headache",
    "4sharing",
    "5angry",
    "6keepingToOneSelf",
    "7followInstructions",
    "8oftenWorried",
    "9helpfull",
    "10restlessBody",
    "11friend",
    "12fighting",
    "13sad",
    "14liked",
    "15distracted",
    "16uneasy",
    "17treatWell",
    "18lying",
    "19bullied",
    "20offersHelp",
    "21consideration",
    "22steal",
    "23PreferAdults",
    "24afraid",
    "25finish",
)
IMPACT_LINK_IDS = (
    "26difficulties",
    "27difficultiesPeriod",
    "28difficultiesUnhappy",
    "29affectFamilyLife",
    "30affectFriendships",
    "31affectLearning",
    "32affectLeisureActivities",
    "33AffectOthers",
)
SDQ_LINK_IDS = (*CORE_LINK_IDS, *IMPACT_LINK_IDS)
WHO5_LINK_IDS = ("happy", "calm", "active", "rested", "interest")

INFORMER_URL = "http://fhir.kl.dk/children/StructureDefinition/FindingInformer"
INFORMERS = {
    "self": ("a3d30bf2-4a3c-4c49-9001-5363ae11681c", "Borger"),
    "parent": ("d5762abe-706b-4d52-ac2b-2621c60486b2", "Pårørende alene"),
}
PLACEHOLDER_SYSTEM = "urn:example:placeholder-codes"
ORDINAL_URL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
ITEM_WEIGHT_URL = "http://hl7.org/fhir/StructureDefinition/itemWeight"

Json = dict[str, Any]


def option(n: int) -> str:
    """The placeholder text of an SDQ option at position ``n``."""
    return f"option {n}"


def sdq_questionnaire(form: str = "self") -> Json:
    """A KL-shaped SDQ Questionnaire: 25 items with 3 options, 8 impact items with 4."""
    url, code = (SDQ_SELF_URL, "717639006") if form == "self" else (SDQ_PARENT_URL, "718133008")
    return {
        "resourceType": "Questionnaire",
        "url": url,
        "status": "active",
        "code": [{"system": SNOMED, "code": code}],
        "item": [
            {
                "linkId": link,
                "type": "choice",
                "repeats": False,
                "answerOption": [
                    {"valueString": option(n)} for n in range(3 if link in CORE_LINK_IDS else 4)
                ],
            }
            for link in SDQ_LINK_IDS
        ],
    }


def sdq_response(
    positions: Mapping[str, int], *, questionnaire: str = SDQ_SELF_URL, informer: str | None = "self"
) -> Json:
    """A KL-shaped SDQ response: linkId -> position of the chosen option (valueString)."""
    response: Json = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire,
        "status": "completed",
        "subject": {"reference": "Patient/example"},
        "authored": "2024-04-23",
        "item": [{"linkId": link, "answer": [{"valueString": option(p)}]} for link, p in positions.items()],
    }
    if informer is not None:
        code, display = INFORMERS[informer]
        concept = {
            "coding": [
                {"system": "http://fhir.kl.dk/term/CodeSystem/Tempcodes", "code": code, "display": display}
            ]
        }
        response["extension"] = [{"url": INFORMER_URL, "valueCodeableConcept": concept}]
    return response


def who5_questionnaire(variant: str = "coding") -> Json:
    """A KL-shaped WHO-5 Questionnaire, options listed highest first as in KL's value sets.

    ``variant``: ``coding`` (answerOption valueCoding), ``integer`` (valueInteger),
    ``ordinal`` (valueCoding with R4 ordinalValue), ``weight`` (itemWeight),
    ``valueset`` (answerValueSet pointing at contained ValueSets).
    """
    items: list[Json] = []
    contained: list[Json] = []
    for link in WHO5_LINK_IDS:
        item: Json = {"linkId": link, "type": "choice", "repeats": False}
        codings = [
            {"system": PLACEHOLDER_SYSTEM, "code": f"who5-{link}-{n}", "display": f"placeholder {n}"}
            for n in range(5, -1, -1)
        ]
        if variant == "valueset":
            contained.append(
                {
                    "resourceType": "ValueSet",
                    "id": f"vs-{link}",
                    "status": "draft",
                    "compose": {
                        "include": [
                            {
                                "system": PLACEHOLDER_SYSTEM,
                                "concept": [{"code": c["code"], "display": c["display"]} for c in codings],
                            }
                        ]
                    },
                }
            )
            item["answerValueSet"] = f"#vs-{link}"
        elif variant == "integer":
            item["answerOption"] = [{"valueInteger": n} for n in range(5, -1, -1)]
        else:
            url = {"ordinal": ORDINAL_URL, "weight": ITEM_WEIGHT_URL}.get(variant)
            item["answerOption"] = [
                {"valueCoding": c, **({"extension": [{"url": url, "valueDecimal": 5 - n}]} if url else {})}
                for n, c in enumerate(codings)
            ]
        items.append(item)
    items.append({"linkId": "who5comment", "type": "text", "repeats": False})
    questionnaire: Json = {
        "resourceType": "Questionnaire",
        "url": WHO5_URL,
        "status": "draft",
        "code": [{"system": SNOMED, "code": "1144665009"}],
        "item": items,
    }
    if contained:
        questionnaire["contained"] = contained
    return questionnaire


def who5_response(values: Mapping[str, int], *, variant: str = "coding", comment: str | None = None) -> Json:
    """A WHO-5 response: linkId -> the 0-5 value meant (encoded as the variant's answer)."""

    def answer(link: str, value: int) -> Json:
        if variant == "integer":
            return {"valueInteger": value}
        return {
            "valueCoding": {
                "system": PLACEHOLDER_SYSTEM,
                "code": f"who5-{link}-{value}",
                "display": f"placeholder {value}",
            }
        }

    items: list[dict[str, object]] = [
        {"linkId": link, "answer": [answer(link, v)]} for link, v in values.items()
    ]
    if comment is not None:
        items.append({"linkId": "who5comment", "answer": [{"valueString": comment}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": WHO5_URL,
        "status": "completed",
        "subject": {"reference": "Patient/example"},
        "item": items,
    }


def copied(resource: Mapping[str, object]) -> Json:
    """A deep copy to mutate in a test."""
    return copy.deepcopy(dict(resource))


# --- a structural checker for the R4 Observation elements trivselscore writes --------------------
# Element names, cardinalities and value[x] types from https://hl7.org/fhir/R4/observation.html;
# invariants obs-6 (dataAbsentReason only without a value) and obs-7 (a component with the
# Observation's own code has no value); ext-1 (an extension has a value or extensions, not both).

OBSERVATION_ELEMENTS = frozenset(
    {
        "resourceType",
        "id",
        "meta",
        "implicitRules",
        "language",
        "text",
        "contained",
        "extension",
        "modifierExtension",
        "identifier",
        "basedOn",
        "partOf",
        "status",
        "category",
        "code",
        "subject",
        "focus",
        "encounter",
        "issued",
        "performer",
        "dataAbsentReason",
        "interpretation",
        "note",
        "bodySite",
        "method",
        "specimen",
        "device",
        "referenceRange",
        "hasMember",
        "derivedFrom",
        "component",
    }
)
EFFECTIVE = frozenset({"effectiveDateTime", "effectivePeriod", "effectiveTiming", "effectiveInstant"})
VALUE_TYPES = frozenset(
    f"value{t}"
    for t in (
        "Quantity",
        "CodeableConcept",
        "String",
        "Boolean",
        "Integer",
        "Range",
        "Ratio",
        "SampledData",
        "Time",
        "DateTime",
        "Period",
    )
)
STATUSES = frozenset(
    {
        "registered",
        "preliminary",
        "final",
        "amended",
        "corrected",
        "cancelled",
        "entered-in-error",
        "unknown",
    }
)
DATE_TIME = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?")


def check_observation(obs: Json) -> None:  # noqa: C901 - one rule per line
    """Assert that ``obs`` is a structurally valid R4 Observation (for the elements we write)."""
    assert obs.get("resourceType") == "Observation"
    unknown = set(obs) - OBSERVATION_ELEMENTS - EFFECTIVE - VALUE_TYPES
    assert not unknown, f"not R4 Observation elements: {unknown}"
    assert obs.get("status") in STATUSES
    check_concept(obs["code"])
    assert len(set(obs) & EFFECTIVE) <= 1
    if "effectiveDateTime" in obs:
        assert isinstance(obs["effectiveDateTime"], str)
        assert DATE_TIME.fullmatch(obs["effectiveDateTime"])
    values = set(obs) & VALUE_TYPES
    assert len(values) <= 1, f"value[x] is a choice of one type: {values}"
    if "dataAbsentReason" in obs:
        assert not values, "obs-6: dataAbsentReason only when there is no value"
        check_concept(obs["dataAbsentReason"])
    for name in values:
        check_value(name, obs[name])
    if "subject" in obs:
        check_reference(obs["subject"])
    for name in ("category", "interpretation"):
        for concept in obs.get(name, []):
            check_concept(concept)
    if "method" in obs:
        check_concept(obs["method"])
    for reference in obs.get("derivedFrom", []):
        check_reference(reference)
    for extension in obs.get("extension", []):
        check_extension(extension)
    for component in obs.get("component", []):
        assert (
            set(component) <= {"code", "dataAbsentReason", "interpretation", "referenceRange"} | VALUE_TYPES
        )
        check_concept(component["code"])
        component_values = set(component) & VALUE_TYPES
        assert len(component_values) <= 1
        if component["code"] == obs["code"]:
            assert not component_values, "obs-7"
        for name in component_values:
            check_value(name, component[name])
    check_no_empty(obs)


def check_value(name: str, value: object) -> None:
    if name == "valueInteger":
        assert isinstance(value, int)
        assert not isinstance(value, bool)
        assert -(2**31) <= value < 2**31
    elif name == "valueQuantity":
        assert isinstance(value, Mapping)
        assert set(value) <= {"value", "comparator", "unit", "system", "code"}
        assert isinstance(value["value"], (int, float))
        assert not isinstance(value["value"], bool)
    else:
        msg = f"unexpected value type {name}"
        raise AssertionError(msg)


def check_concept(concept: object) -> None:
    assert isinstance(concept, Mapping)
    assert set(concept) <= {"coding", "text"}
    assert concept
    for coding in concept.get("coding", []):
        assert isinstance(coding, Mapping)
        assert set(coding) <= {
            "system",
            "version",
            "code",
            "display",
            "userSelected",
        }
        assert all(isinstance(coding[k], str) for k in coding if k != "userSelected")
    if "text" in concept:
        assert isinstance(concept["text"], str)


def check_reference(reference: object) -> None:
    assert isinstance(reference, Mapping)
    assert reference
    assert set(reference) <= {"reference", "type", "identifier", "display"}


def check_extension(extension: object) -> None:
    assert isinstance(extension, Mapping)
    assert isinstance(extension.get("url"), str)
    values = [k for k in extension if k.startswith("value")]
    nested = extension.get("extension", [])
    assert bool(values) != bool(nested), "ext-1: a value or extensions, not both"
    assert len(values) <= 1
    for child in nested:
        check_extension(child)


def check_no_empty(node: object) -> None:
    """FHIR JSON has no nulls, empty strings, empty arrays or empty objects."""
    assert node is not None
    assert node not in ("", [], {})
    if isinstance(node, Mapping):
        for value in node.values():
            check_no_empty(value)
    elif isinstance(node, list):
        for value in node:
            check_no_empty(value)
