"""Read FHIR R4 Questionnaire and QuestionnaireResponse JSON into small frozen models.

Only the elements a scorer needs are read: items (groups walked, display items
skipped), answer options from ``answerOption`` or a contained ``ValueSet``, the
ordinal-value extensions, and each answer's ``value[x]``. Anything that cannot
be read unambiguously raises :class:`~trivselscore.errors.FhirError` naming the
linkId and the path (``QuestionnaireResponse.item[3].answer[0]``). The input is
untrusted: arrays are read element by element and the first unusable element
stops the reading (a million items after a bad first one are never visited),
groups are walked without recursion and at most :data:`MAX_DEPTH` deep, numbers
are range-checked before use, and messages quote values through
:func:`~trivselscore.fhir.guard.quote`. Element names follow FHIR R4 (4.0.1):
Questionnaire.item.answerOption and answerValueSet,
QuestionnaireResponse.item.answer.value[x]
(https://hl7.org/fhir/R4/questionnaire.html, questionnaireresponse.html).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from pydantic import BaseModel, ConfigDict

from trivselscore.fhir.guard import QUOTE_LIMIT, fail, objects, quote, quote_list, string_keys
from trivselscore.fhir.options import VALUE_KINDS, Option, option_key, read_options

__all__ = [
    "FREE_TEXT_TYPES",
    "MAX_DEPTH",
    "Answer",
    "QuestionItem",
    "answers_of",
    "fail",
    "iter_question_items",
    "question_items",
    "resource",
]

FREE_TEXT_TYPES: Final = frozenset({"string", "text"})
"""Item types that carry free text: never scored, reported as ignored."""

MAX_DEPTH: Final = 32
"""How deep groups may nest. Real forms nest a few levels; deeper is refused, not recursed into."""

_SCORED_TYPES: Final = frozenset({"choice", "open-choice"})


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class QuestionItem(_Model):
    """One Questionnaire item that can hold an answer, and where it is in the Questionnaire."""

    link_id: str
    type: str
    options: tuple[Option, ...] = ()
    repeats: bool = False
    path: str = "Questionnaire.item"

    @property
    def free_text(self) -> bool:
        """Whether the item holds free text (never scored)."""
        return self.type in FREE_TEXT_TYPES


class Answer(_Model):
    """One answered item of a response: its linkId and the position of the chosen option."""

    link_id: str
    position: int


def resource(obj: object, resource_type: str, instrument_id: str) -> Mapping[str, object]:
    """Check that ``obj`` is a JSON object of the given ``resourceType``."""
    if not isinstance(obj, Mapping):
        msg = f"a {resource_type} must be a JSON object (dict), not {type(obj).__name__}"
        raise fail(msg, instrument_id=instrument_id)
    string_keys(obj, resource_type, instrument_id)
    found = obj.get("resourceType")
    if found != resource_type:
        msg = f"expected resourceType {resource_type!r}, not {quote(found)}"
        raise fail(msg, instrument_id=instrument_id, value=found, path=f"{resource_type}.resourceType")
    return obj


def question_items(questionnaire: Mapping[str, object], instrument_id: str) -> tuple[QuestionItem, ...]:
    """The answerable items of a Questionnaire in form order (groups walked, display skipped)."""
    return tuple(iter_question_items(questionnaire, instrument_id))


def iter_question_items(questionnaire: Mapping[str, object], instrument_id: str) -> Iterator[QuestionItem]:
    """:func:`question_items` one at a time, so that the caller can stop at the first it cannot use."""
    items = questionnaire.get("item")
    if items is None or items == []:
        msg = "the Questionnaire has no item"
        raise fail(msg, instrument_id=instrument_id, path="Questionnaire.item")
    contained = _contained_value_sets(questionnaire, instrument_id)
    seen: set[str] = set()
    for path, raw in _walk(items, "Questionnaire.item", instrument_id):
        link_id = _link_id(raw, path, instrument_id)
        if link_id in seen:
            msg = "appears twice in the Questionnaire"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=path)
        seen.add(link_id)
        item_type = raw.get("type")
        if item_type == "display":
            continue
        if not isinstance(item_type, str):
            msg = f"item type {quote(item_type)} is not a string"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=f"{path}.type")
        listed: tuple[Option, ...] = ()
        if item_type in _SCORED_TYPES:
            listed = read_options(raw, contained, link_id, path, instrument_id)
        repeats = raw.get("repeats") is True
        yield QuestionItem(link_id=link_id, type=item_type, options=listed, repeats=repeats, path=path)


def answers_of(
    response: Mapping[str, object], questions: Mapping[str, QuestionItem], instrument_id: str
) -> tuple[tuple[Answer, ...], tuple[str, ...]]:
    """The answered choice items of a response, and the linkIds present but unanswered.

    Free-text items are neither read nor reported here. The items are read in
    order and the first one that cannot be used raises.
    """
    items = response.get("item")
    if items is None or items == []:
        msg = "the QuestionnaireResponse has no item (an empty response)"
        raise fail(msg, instrument_id=instrument_id, path="QuestionnaireResponse.item")
    answered: list[Answer] = []
    unanswered: list[str] = []
    seen: set[str] = set()
    for path, raw in _walk(items, "QuestionnaireResponse.item", instrument_id):
        link_id = _link_id(raw, path, instrument_id)
        if link_id in seen:
            msg = "appears twice in the QuestionnaireResponse"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=path)
        seen.add(link_id)
        if link_id not in questions:
            msg = "unknown linkId: the Questionnaire has no such answerable item"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=path)
        question = questions[link_id]
        values = raw.get("answer", [])
        if question.free_text:
            continue
        if not isinstance(values, list):
            msg = f"item.answer must be a list of JSON objects, not {type(values).__name__}"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=f"{path}.answer")
        if len(values) > 1:
            msg = f"{len(values)} answers on a single-answer item"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=f"{path}.answer")
        if not values:
            unanswered.append(link_id)
            continue
        answer_path, answer = next(objects(values, f"{path}.answer", instrument_id))
        position = _position(question, answer, answer_path, instrument_id)
        answered.append(Answer(link_id=link_id, position=position))
    return tuple(answered), tuple(unanswered)


# --- helpers -------------------------------------------------------------------------------------


def _walk(items: object, path: str, instrument_id: str) -> Iterator[tuple[str, Mapping[str, object]]]:
    """Yield the leaf items with their paths, descending into groups (items that hold items).

    Iterative, so that nesting cannot exhaust the stack; deeper than
    :data:`MAX_DEPTH` is refused.
    """
    stack = [objects(items, path, instrument_id)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        here, raw = entry
        children = raw.get("item")
        link_id = raw.get("linkId")
        link = link_id if isinstance(link_id, str) else None
        if children is None:
            yield here, raw
        elif raw.get("type", "group") == "group" and "answer" not in raw:
            if len(stack) >= MAX_DEPTH:
                msg = f"groups nested more than {MAX_DEPTH} deep are not supported"
                raise fail(msg, instrument_id=instrument_id, link_id=link, path=here)
            stack.append(objects(children, f"{here}.item", instrument_id))
        else:
            msg = "items nested under a question are not supported"
            raise fail(msg, instrument_id=instrument_id, link_id=link, path=here)


def _link_id(raw: Mapping[str, object], path: str, instrument_id: str) -> str:
    link_id = raw.get("linkId")
    if not isinstance(link_id, str) or not link_id:
        msg = f"an item has no linkId (found {quote(link_id)})"
        raise fail(msg, instrument_id=instrument_id, value=link_id, path=f"{path}.linkId")
    return link_id


def _contained_value_sets(
    questionnaire: Mapping[str, object], instrument_id: str
) -> dict[str, tuple[str, Mapping[str, object]]]:
    """Contained ValueSets by local reference (``#id``), with where each is."""
    contained = objects(questionnaire.get("contained"), "Questionnaire.contained", instrument_id)
    return {
        f"#{r.get('id')}": (path, r)
        for path, r in contained
        if r.get("resourceType") == "ValueSet" and isinstance(r.get("id"), str)
    }


def _position(question: QuestionItem, answer: Mapping[str, object], path: str, instrument_id: str) -> int:
    link_id = question.link_id
    if answer.get("item"):
        msg = "items nested under an answer are not supported"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=f"{path}.item")
    kinds = [k for k in answer if k.startswith("value")]
    if len(kinds) != 1:
        msg = f"an answer must hold exactly one value[x], not {quote_list(kinds)}"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=path)
    name = kinds[0]
    expected = question.options[0].kind
    if VALUE_KINDS.get(name) != expected:
        shown = name if len(name) <= QUOTE_LIMIT else quote(name)
        msg = f"the answer is {shown} but the item's options are value{expected.capitalize()}"
        raise fail(
            msg, instrument_id=instrument_id, link_id=link_id, value=answer[name], path=f"{path}.{name}"
        )
    key, label = option_key(expected, answer[name], link_id, f"{path}.{name}", instrument_id)
    for position, option in enumerate(question.options):
        if option.key == key:
            return position
    listed = quote_list(o.label for o in question.options)
    msg = f"answer {quote(label)} is not one of the item's answer options {listed}"
    raise fail(msg, instrument_id=instrument_id, link_id=link_id, value=answer[name], path=f"{path}.{name}")
