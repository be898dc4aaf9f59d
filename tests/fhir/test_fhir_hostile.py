"""Hostile FHIR input (issue 13, item 4): typed errors only, fail fast, short messages, status.

Each table row is a regression: before the fix it raised OverflowError (a
400-digit ordinal value), ValueError from Python's int-to-str limit (a
5,000-digit integer), AttributeError (a non-string JSON key), RecursionError
(100,000 nested groups), or read an ``in-progress`` response as if finished.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fhir.fixtures import (
    SDQ_LINK_IDS,
    WHO5_LINK_IDS,
    Json,
    copied,
    option,
    sdq_questionnaire,
    sdq_response,
    who5_questionnaire,
    who5_response,
)
from trivselscore.errors import FhirError
from trivselscore.fhir import SCORED_STATUSES, QuestionnaireAnswers, from_questionnaire_response
from trivselscore.fhir.guard import QUOTE_LIMIT

WHO5_VALUES = {"happy": 5, "calm": 3, "active": 4, "rested": 0, "interest": 2}
SDQ_POSITIONS = dict.fromkeys(SDQ_LINK_IDS, 1)
HUGE = 10**400  # float() overflows
ENORMOUS = 10**5000  # str() and repr() exceed Python's 4,300-digit limit
MESSAGE_LIMIT = 600  # a message quotes at most ~80 characters of any one value, and a few options
MEGABYTE = "x" * 1_000_000


def refused(response: object, questionnaire: object, **kwargs: Any) -> FhirError:
    with pytest.raises(FhirError) as info:
        from_questionnaire_response(response, questionnaire, **kwargs)
    error = info.value
    assert len(str(error)) < MESSAGE_LIMIT
    return error


# --- numbers, keys and nesting that used to escape as other exceptions ---------------------------


def _ordinal(value: object) -> tuple[Json, Json]:
    questionnaire = who5_questionnaire("ordinal")
    questionnaire["item"][0]["answerOption"][1]["extension"][0]["valueDecimal"] = value
    return who5_response(WHO5_VALUES), questionnaire


def _option_integer(value: object) -> tuple[Json, Json]:
    questionnaire = who5_questionnaire("integer")
    questionnaire["item"][2]["answerOption"][0]["valueInteger"] = value
    return who5_response(WHO5_VALUES, variant="integer"), questionnaire


def _answer_integer(value: object) -> tuple[Json, Json]:
    response = who5_response(WHO5_VALUES, variant="integer")
    response["item"][1]["answer"][0]["valueInteger"] = value
    return response, who5_questionnaire("integer")


def _answer_key(key: object) -> tuple[Json, Json]:
    response = who5_response(WHO5_VALUES)
    response["item"][3]["answer"][0][key] = "x"
    return response, who5_questionnaire()


def _option_key(key: object) -> tuple[Json, Json]:
    questionnaire = who5_questionnaire()
    questionnaire["item"][4]["answerOption"][2][key] = "x"
    return who5_response(WHO5_VALUES), questionnaire


def _item_key(key: object) -> tuple[Json, Json]:
    response = who5_response(WHO5_VALUES)
    response["item"][0][key] = "x"
    return response, who5_questionnaire()


def _resource_key(key: object) -> tuple[Json, Json]:
    response: dict[Any, Any] = who5_response(WHO5_VALUES)
    response[key] = "x"
    return response, who5_questionnaire()


def _deep_coding(depth: int) -> tuple[Json, Json]:
    response = who5_response(WHO5_VALUES)
    response["item"][0]["answer"][0]["valueCoding"] = nested_dict(depth)
    return response, who5_questionnaire()


def nested_dict(depth: int) -> Json:
    node: Json = {}
    root = node
    for _ in range(depth):
        node["a"] = {}
        node = node["a"]
    return root


def nested_groups(items: list[Json], depth: int, *, questionnaire: bool) -> list[Json]:
    """``items`` under ``depth`` levels of groups (built bottom-up, so no recursion here either)."""
    for level in reversed(range(depth)):
        group: Json = {"linkId": f"g{level}", "item": items}
        if questionnaire:
            group["type"] = "group"
        items = [group]
    return items


HOSTILE = [  # build the resources around the value; the linkId and path the error must name
    (_ordinal, HUGE, "happy", "Questionnaire.item[0].answerOption[1].extension[0]"),
    (_ordinal, ENORMOUS, "happy", "Questionnaire.item[0].answerOption[1].extension[0]"),
    (_ordinal, -HUGE, "happy", "Questionnaire.item[0].answerOption[1].extension[0]"),
    (_ordinal, math.nan, "happy", "Questionnaire.item[0].answerOption[1].extension[0]"),
    (_ordinal, math.inf, "happy", "Questionnaire.item[0].answerOption[1].extension[0]"),
    (_ordinal, MEGABYTE, "happy", "Questionnaire.item[0].answerOption[1].extension[0]"),
    (_option_integer, ENORMOUS, "active", "Questionnaire.item[2].answerOption[0].valueInteger"),
    (_option_integer, 2**31, "active", "Questionnaire.item[2].answerOption[0].valueInteger"),
    (_answer_integer, ENORMOUS, "calm", "QuestionnaireResponse.item[1].answer[0].valueInteger"),
    (_answer_integer, -(2**31) - 1, "calm", "QuestionnaireResponse.item[1].answer[0].valueInteger"),
    (_answer_key, 1, None, "QuestionnaireResponse.item[3].answer[0]"),
    (_answer_key, ENORMOUS, None, "QuestionnaireResponse.item[3].answer[0]"),
    (_answer_key, ("value", "x"), None, "QuestionnaireResponse.item[3].answer[0]"),
    (_option_key, None, None, "Questionnaire.item[4].answerOption[2]"),
    (_item_key, 2.5, None, "QuestionnaireResponse.item[0]"),
    (_resource_key, 7, None, "QuestionnaireResponse"),
    (_deep_coding, 100_000, "happy", "QuestionnaireResponse.item[0].answer[0].valueCoding"),
]


@pytest.mark.parametrize(
    ("build", "value", "link_id", "path"),
    HOSTILE,
    ids=[f"{b.__name__}-{type(v).__name__}-{n}" for n, (b, v, *_) in enumerate(HOSTILE)],
)
def test_hostile_values_are_fhir_errors_naming_the_linkid_and_path(
    build: Callable[[object], tuple[Json, Json]], value: object, link_id: str | None, path: str
):
    error = refused(*build(value))
    assert error.path == path
    assert error.link_id == link_id
    assert path in str(error)


@pytest.mark.parametrize("in_questionnaire", [False, True], ids=["response", "questionnaire"])
def test_groups_nested_100000_deep_are_refused_without_recursion(in_questionnaire):
    response, questionnaire = who5_response(WHO5_VALUES), who5_questionnaire()
    resource = questionnaire if in_questionnaire else response
    resource["item"] = nested_groups(resource["item"], 100_000, questionnaire=in_questionnaire)
    error = refused(response, questionnaire)
    assert "nested more than 32 deep" in str(error)
    root = "Questionnaire" if in_questionnaire else "QuestionnaireResponse"
    assert error.path == root + ".item[0]" * 32
    assert error.link_id == "g31"


def test_groups_nested_a_few_levels_are_still_read():
    response, questionnaire = who5_response(WHO5_VALUES), who5_questionnaire()
    questionnaire["item"] = nested_groups(questionnaire["item"], 31, questionnaire=True)
    response["item"] = nested_groups(response["item"], 31, questionnaire=False)
    assert from_questionnaire_response(response, questionnaire).answers == {
        "1": 5,
        "2": 3,
        "3": 4,
        "4": 0,
        "5": 2,
    }


def test_integers_at_the_edges_of_fhir_integer_are_read_as_values():
    questionnaire = who5_questionnaire("integer")
    questionnaire["item"][0]["answerOption"][0]["valueInteger"] = 2**31 - 1
    questionnaire["item"][0]["answerOption"][1]["valueInteger"] = -(2**31)
    response = who5_response(WHO5_VALUES, variant="integer")
    response["item"][0]["answer"][0]["valueInteger"] = 2**31 - 1
    assert from_questionnaire_response(response, questionnaire).answers["1"] == 5


# --- a megabyte in any quoted place gives a short message ----------------------------------------


def _mb_answer() -> tuple[Json, Json]:
    response = sdq_response(SDQ_POSITIONS)
    response["item"][4]["answer"][0]["valueString"] = MEGABYTE
    return response, sdq_questionnaire()


def _mb_link_id() -> tuple[Json, Json]:
    response = sdq_response(SDQ_POSITIONS)
    response["item"][0]["linkId"] = MEGABYTE
    return response, sdq_questionnaire()


def _mb_canonical() -> tuple[Json, Json]:
    response = sdq_response(SDQ_POSITIONS)
    response["questionnaire"] = MEGABYTE
    return response, sdq_questionnaire()


def _mb_unknown_form() -> tuple[Json, Json]:
    questionnaire = sdq_questionnaire()
    questionnaire["url"] = MEGABYTE
    del questionnaire["code"]
    response = sdq_response(SDQ_POSITIONS)
    del response["questionnaire"]
    return response, questionnaire


def _mb_status() -> tuple[Json, Json]:
    response = sdq_response(SDQ_POSITIONS)
    response["status"] = MEGABYTE
    return response, sdq_questionnaire()


def _mb_options() -> tuple[Json, Json]:
    questionnaire = sdq_questionnaire()
    questionnaire["item"][0]["answerOption"] = [{"valueString": f"{n}{MEGABYTE}"} for n in range(3)]
    return sdq_response(SDQ_POSITIONS), questionnaire


def _mb_item_type() -> tuple[Json, Json]:
    questionnaire = sdq_questionnaire()
    questionnaire["item"][0]["type"] = MEGABYTE
    return sdq_response(SDQ_POSITIONS), questionnaire


def _mb_value_key() -> tuple[Json, Json]:
    response = sdq_response(SDQ_POSITIONS)
    response["item"][0]["answer"][0] = {f"value{MEGABYTE}": "x"}
    return response, sdq_questionnaire()


def _mb_resource_type() -> tuple[Json, Json]:
    response = sdq_response(SDQ_POSITIONS)
    response["resourceType"] = MEGABYTE
    return response, sdq_questionnaire()


@pytest.mark.parametrize(
    "build",
    [
        _mb_answer,
        _mb_link_id,
        _mb_canonical,
        _mb_unknown_form,
        _mb_status,
        _mb_options,
        _mb_item_type,
        _mb_value_key,
        _mb_resource_type,
    ],
)
def test_a_megabyte_value_is_quoted_in_at_most_80_characters(build):
    error = refused(*build())
    message = str(error)
    assert "xxxxxxxxxx" in message
    assert "x" * QUOTE_LIMIT not in message
    assert "..." in message or "…" in message


def test_an_unrecognised_megabyte_informer_is_noted_in_short():
    response = sdq_response(SDQ_POSITIONS, informer=None)
    concept = {"coding": [{"code": "unknown", "display": MEGABYTE}]}
    url = "http://fhir.kl.dk/children/StructureDefinition/FindingInformer"
    response["extension"] = [{"url": url, "valueCodeableConcept": concept}]
    answers = from_questionnaire_response(response, sdq_questionnaire())
    assert answers.notes
    assert all(len(note) < MESSAGE_LIMIT for note in answers.notes)


# --- fail on the first unusable item, not after reading a million --------------------------------


class CountingList(list[Any]):
    """A JSON array that counts how many of its elements were handed out."""

    visited = 0

    def __iter__(self) -> Iterator[Any]:
        for element in super().__iter__():
            self.visited += 1
            yield element


MILLION = 1_000_000


def test_a_million_item_response_whose_first_item_is_bad_fails_at_once():
    good = {"linkId": "calm", "answer": [{"valueString": "not an option"}]}
    bad = {"linkId": "happy", "answer": [{"valueCoding": {"system": "urn:x", "code": "no such code"}}]}
    items = CountingList([bad, *([good] * (MILLION - 1))])
    response = who5_response(WHO5_VALUES)
    response["item"] = items
    error = refused(response, who5_questionnaire())
    assert error.path == "QuestionnaireResponse.item[0].answer[0].valueCoding"
    assert error.link_id == "happy"
    assert items.visited == 1


@pytest.mark.parametrize(
    ("bad", "path"),
    [
        ("not an object", "QuestionnaireResponse.item[0]"),
        ({"answer": []}, "QuestionnaireResponse.item[0].linkId"),
        ({"linkId": "nope", "answer": []}, "QuestionnaireResponse.item[0]"),
    ],
)
def test_a_million_item_response_stops_at_the_first_unusable_element(bad, path):
    items = CountingList([bad, *([{"linkId": "calm"}] * (MILLION - 1))])
    response = who5_response(WHO5_VALUES)
    response["item"] = items
    assert refused(response, who5_questionnaire()).path == path
    assert items.visited == 1


def test_a_million_item_questionnaire_whose_first_item_is_bad_fails_at_once():
    questionnaire = who5_questionnaire()
    good = questionnaire["item"][1]
    items = CountingList([{"type": "choice"}, *([good] * (MILLION - 1))])
    questionnaire["item"] = items
    assert refused(who5_response(WHO5_VALUES), questionnaire).path == "Questionnaire.item[0].linkId"
    assert items.visited == 1


MAPPING_PROBLEMS: list[tuple[Callable[[Json], Json], str]] = [
    (lambda good: {**good, "linkId": "nope"}, "unknown linkId"),
    (lambda good: {**good, "repeats": True}, "a repeating item cannot be scored"),
    (
        lambda good: {"linkId": good["linkId"], "type": "integer"},
        "cannot be scored (a choice item is needed)",
    ),
]


@pytest.mark.parametrize(("spoil", "message"), MAPPING_PROBLEMS, ids=["unknown", "repeats", "integer"])
def test_a_million_item_questionnaire_whose_first_item_cannot_be_mapped_fails_at_once(spoil, message):
    questionnaire = who5_questionnaire()
    first, *others = questionnaire["item"]
    extra = ({"linkId": f"note-{n}", "type": "string"} for n in range(MILLION))  # free text: never mapped
    items = CountingList([spoil(first), *others, *extra])
    questionnaire["item"] = items
    error = refused(who5_response(WHO5_VALUES), questionnaire)
    assert message in str(error)
    assert error.path == "Questionnaire.item[0]"
    assert items.visited == 1


def test_an_item_asked_twice_is_found_where_it_is_asked_again():
    questionnaire = who5_questionnaire()
    form = questionnaire["item"]
    items = CountingList([*form, {**form[0], "linkId": "1"}, *([{}] * 10)])  # "1" is item 1, as "happy" is
    questionnaire["item"] = items
    error = refused(who5_response(WHO5_VALUES), questionnaire, instrument="who5")
    assert "is asked twice" in str(error)
    assert error.path == f"Questionnaire.item[{len(form)}]"
    assert items.visited == len(form) + 1


def test_a_million_options_whose_first_is_bad_fail_at_once():
    questionnaire = sdq_questionnaire()
    options = CountingList([{"valueString": 7}, *([{"valueString": option(1)}] * (MILLION - 1))])
    questionnaire["item"][0]["answerOption"] = options
    error = refused(sdq_response(SDQ_POSITIONS), questionnaire)
    assert error.path == "Questionnaire.item[0].answerOption[0].valueString"
    assert options.visited == 1


# --- status: only finished responses are read unless asked ---------------------------------------


@pytest.mark.parametrize(
    ("status", "match"),
    [
        ("in-progress", r"status is 'in-progress'; only \['amended', 'completed'\] responses are read"),
        ("stopped", r"statuses=\('amended', 'completed', 'stopped'\)"),
        ("entered-in-error", "marked entered-in-error"),
        (None, "has no status"),
        (5, "status 5 is not a QuestionnaireResponse status"),
        ("Completed", "status 'Completed' is not a QuestionnaireResponse status"),
        (["completed"], "is not a QuestionnaireResponse status"),
    ],
)
def test_a_response_that_is_not_finished_is_refused(status, match):
    response = who5_response(WHO5_VALUES)
    if status is None:
        del response["status"]
    else:
        response["status"] = status
    error = refused(response, who5_questionnaire())
    assert error.path == "QuestionnaireResponse.status"
    assert re.search(match, str(error))


@pytest.mark.parametrize("status", SCORED_STATUSES)
def test_completed_and_amended_responses_are_read(status):
    response = who5_response(WHO5_VALUES)
    response["status"] = status
    assert from_questionnaire_response(response, who5_questionnaire()).status == status


def test_an_in_progress_response_is_read_when_asked_and_its_gaps_are_missing():
    response = who5_response({"happy": 5, "calm": 3})
    response["status"] = "in-progress"
    answers = from_questionnaire_response(
        response, who5_questionnaire(), statuses=("completed", "amended", "in-progress")
    )
    assert answers.status == "in-progress"
    assert answers.answers == {"1": 5, "2": 3}
    assert answers.missing == ("3", "4", "5")
    assert isinstance(answers, QuestionnaireAnswers)


def test_statuses_can_narrow_what_is_read():
    response = who5_response(WHO5_VALUES)
    response["status"] = "amended"
    with pytest.raises(FhirError, match=r"statuses=\('amended', 'completed'\)"):
        from_questionnaire_response(response, who5_questionnaire(), statuses=["completed"])


@pytest.mark.parametrize(
    ("statuses", "error", "match"),
    [
        ("completed", TypeError, "collection of status codes"),
        (None, TypeError, "collection of status codes"),
        ((), ValueError, "statuses is empty"),
        (("completed", 1), TypeError, "must hold status codes"),
        (("done",), ValueError, r"\['done'\] cannot be read"),
        (("completed", "entered-in-error"), ValueError, r"\['entered-in-error'\] cannot be read"),
    ],
)
def test_the_statuses_argument_is_checked(statuses, error, match):
    with pytest.raises(error, match=match):
        from_questionnaire_response(who5_response(WHO5_VALUES), who5_questionnaire(), statuses=statuses)


# --- property: any JSON-like input gives a result or a FhirError ---------------------------------

FHIR_KEYS = (
    "resourceType",
    "item",
    "linkId",
    "type",
    "answer",
    "answerOption",
    "answerValueSet",
    "valueString",
    "valueCoding",
    "valueInteger",
    "valueDecimal",
    "extension",
    "url",
    "code",
    "system",
    "status",
    "questionnaire",
    "contained",
    "repeats",
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=9, max_value=5000).map(lambda digits: (-1) ** digits * 10**digits),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["completed", "choice", "group", "display", "http://snomed.info/sct", *WHO5_LINK_IDS]),
)
keys = st.one_of(st.sampled_from(FHIR_KEYS), st.text(max_size=8), st.integers(), st.none())
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=5),
    ),
    max_leaves=25,
)


def reads_or_refuses(response: object, questionnaire: object, **kwargs: Any) -> None:
    """Read, or raise a FhirError with a short message; any other exception fails the test."""
    error: FhirError | None = None
    try:
        from_questionnaire_response(response, questionnaire, **kwargs)
    except FhirError as raised:
        error = raised
    assert error is None or len(str(error)) < MESSAGE_LIMIT


@settings(max_examples=150)
@given(json_like, json_like)
def test_any_json_like_input_is_read_or_refused_with_a_fhir_error(response, questionnaire):
    reads_or_refuses(response, questionnaire)
    reads_or_refuses({"resourceType": "QuestionnaireResponse", "item": response}, questionnaire)


def paths(node: object, prefix: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    """Every place in a JSON tree: dict keys and list indexes."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*prefix, k)
            yield from paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield (*prefix, i)
            yield from paths(v, (*prefix, i))


VALID = {
    "who5": (who5_response(WHO5_VALUES), who5_questionnaire("ordinal")),
    "who5-valueset": (who5_response(WHO5_VALUES), who5_questionnaire("valueset")),
    "sdq": (sdq_response(SDQ_POSITIONS), sdq_questionnaire()),
}


@settings(max_examples=200)
@given(
    st.sampled_from(sorted(VALID)),
    st.booleans(),
    st.data(),
    st.sampled_from([None, "who5", "sdq-s11-17"]),
)
def test_a_valid_resource_with_any_part_replaced_is_read_or_refused(name, in_response, data, instrument):
    response, questionnaire = copied(VALID[name][0]), copied(VALID[name][1])
    target = response if in_response else questionnaire
    where = data.draw(st.sampled_from(list(paths(target))), label="where")
    parent: Any = target
    for step in where[:-1]:
        parent = parent[step]
    if data.draw(st.booleans(), label="replace"):
        parent[where[-1]] = data.draw(json_like, label="value")
    elif isinstance(parent, dict):
        del parent[where[-1]]
        parent[data.draw(keys, label="key")] = data.draw(json_like, label="value")
    else:
        parent.insert(where[-1], data.draw(json_like, label="value"))
    reads_or_refuses(response, questionnaire, instrument=instrument)


def test_a_bad_concept_in_a_contained_value_set_is_located_in_contained():
    questionnaire = who5_questionnaire("valueset")
    questionnaire["contained"][1]["compose"]["include"][0]["concept"][2]["code"] = ENORMOUS
    error = refused(who5_response(WHO5_VALUES), questionnaire)
    assert error.link_id == "calm"
    assert error.path == "Questionnaire.contained[1].compose.include[0].concept[2]"
    assert "<an integer of about 5001 digits>" in str(error)
