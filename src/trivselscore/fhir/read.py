"""Read FHIR R4 Questionnaire and QuestionnaireResponse JSON into small frozen models.

Only the elements a scorer needs are read: items (groups walked, display items
skipped), answer options from ``answerOption`` or a contained ``ValueSet``, the
ordinal-value extensions, and each answer's ``value[x]``. Anything that cannot
be read unambiguously raises :class:`~trivselscore.errors.FhirError` naming the
linkId. Element names follow FHIR R4 (4.0.1): Questionnaire.item.answerOption
and answerValueSet, QuestionnaireResponse.item.answer.value[x]
(https://hl7.org/fhir/R4/questionnaire.html, questionnaireresponse.html).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from numbers import Real
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

from trivselscore.errors import FhirError

__all__ = [
    "FREE_TEXT_TYPES",
    "ORDINAL_URLS",
    "Answer",
    "Option",
    "QuestionItem",
    "answers_of",
    "fail",
    "question_items",
    "resource",
]

ORDINAL_URLS: Final = (
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-ordinalValue",
)
"""Extensions giving an option's score: R4 ``ordinalValue`` (valueDecimal, on an
answerOption or a Coding), the R5-style ``itemWeight``, and the pre-R4 name."""

FREE_TEXT_TYPES: Final = frozenset({"string", "text"})
"""Item types that carry free text: never scored, reported as ignored."""

_SCORED_TYPES: Final = frozenset({"choice", "open-choice"})
Kind = Literal["string", "coding", "integer"]

_VALUE_KINDS: Final[dict[str, Kind]] = {
    "valueString": "string",
    "valueCoding": "coding",
    "valueInteger": "integer",
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(_Model):
    """One answer option: what identifies it, and its ordinal value if it has one."""

    kind: Kind
    key: tuple[str | int | None, ...]
    label: str
    ordinal: float | None = None


class QuestionItem(_Model):
    """One Questionnaire item that can hold an answer."""

    link_id: str
    type: str
    options: tuple[Option, ...] = ()
    repeats: bool = False

    @property
    def free_text(self) -> bool:
        """Whether the item holds free text (never scored)."""
        return self.type in FREE_TEXT_TYPES


class Answer(_Model):
    """One answered item of a response: its linkId and the position of the chosen option."""

    link_id: str
    position: int


def fail(
    message: str, *, instrument_id: str = "", link_id: str | None = None, value: object = None
) -> FhirError:
    """Build the error (the caller raises it); the message names the linkId when there is one."""
    where = f"linkId {link_id!r}: " if link_id is not None else ""
    return FhirError(f"{where}{message}", instrument_id=instrument_id, link_id=link_id, value=value)


def resource(obj: object, resource_type: str, instrument_id: str) -> Mapping[str, object]:
    """Check that ``obj`` is a JSON object of the given ``resourceType``."""
    if not isinstance(obj, Mapping):
        msg = f"a {resource_type} must be a JSON object (dict), not {type(obj).__name__}"
        raise fail(msg, instrument_id=instrument_id)
    found = obj.get("resourceType")
    if found != resource_type:
        msg = f"expected resourceType {resource_type!r}, not {found!r}"
        raise fail(msg, instrument_id=instrument_id, value=found)
    return obj


def question_items(questionnaire: Mapping[str, object], instrument_id: str) -> tuple[QuestionItem, ...]:
    """The answerable items of a Questionnaire in form order (groups walked, display skipped)."""
    items = _list(questionnaire, "item", "Questionnaire", instrument_id)
    if not items:
        msg = "the Questionnaire has no item"
        raise fail(msg, instrument_id=instrument_id)
    contained = _contained_value_sets(questionnaire, instrument_id)
    found: list[QuestionItem] = []
    seen: set[str] = set()
    for raw in _walk(items, "Questionnaire", instrument_id):
        link_id = _link_id(raw, "Questionnaire", instrument_id)
        if link_id in seen:
            msg = "appears twice in the Questionnaire"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id)
        seen.add(link_id)
        item_type = raw.get("type")
        if item_type == "display":
            continue
        if not isinstance(item_type, str):
            msg = f"item type {item_type!r} is not a string"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id)
        options: tuple[Option, ...] = ()
        if item_type in _SCORED_TYPES:
            options = _options(raw, contained, link_id, instrument_id)
        found.append(
            QuestionItem(link_id=link_id, type=item_type, options=options, repeats=raw.get("repeats") is True)
        )
    return tuple(found)


def answers_of(
    response: Mapping[str, object], questions: Mapping[str, QuestionItem], instrument_id: str
) -> tuple[tuple[Answer, ...], tuple[str, ...]]:
    """The answered choice items of a response, and the linkIds present but unanswered.

    Free-text items are neither read nor reported here.
    """
    items = _list(response, "item", "QuestionnaireResponse", instrument_id)
    if not items:
        msg = "the QuestionnaireResponse has no item (an empty response)"
        raise fail(msg, instrument_id=instrument_id)
    answered: list[Answer] = []
    unanswered: list[str] = []
    seen: set[str] = set()
    for raw in _walk(items, "QuestionnaireResponse", instrument_id):
        link_id = _link_id(raw, "QuestionnaireResponse", instrument_id)
        if link_id in seen:
            msg = "appears twice in the QuestionnaireResponse"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id)
        seen.add(link_id)
        if link_id not in questions:
            msg = "unknown linkId: the Questionnaire has no such answerable item"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id)
        question = questions[link_id]
        values = _list(raw, "answer", f"item {link_id!r}", instrument_id)
        if question.free_text:
            continue
        if len(values) > 1:
            msg = f"{len(values)} answers on a single-answer item"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id)
        if not values:
            unanswered.append(link_id)
            continue
        answered.append(Answer(link_id=link_id, position=_position(question, values[0], instrument_id)))
    return tuple(answered), tuple(unanswered)


# --- helpers -------------------------------------------------------------------------------------


def _list(obj: Mapping[str, object], key: str, where: str, instrument_id: str) -> list[Mapping[str, object]]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        msg = f"{where}.{key} must be a list of JSON objects"
        raise fail(msg, instrument_id=instrument_id)
    return value


def _walk(
    items: list[Mapping[str, object]], where: str, instrument_id: str
) -> Iterator[Mapping[str, object]]:
    """Yield the leaf items, descending into groups (items that hold items)."""
    for raw in items:
        children = raw.get("item")
        if children is None:
            yield raw
        elif raw.get("type", "group") == "group" and "answer" not in raw:
            yield from _walk(_list(raw, "item", where, instrument_id), where, instrument_id)
        else:
            link_id = raw.get("linkId")
            msg = "items nested under a question are not supported"
            raise fail(msg, instrument_id=instrument_id, link_id=str(link_id))


def _link_id(raw: Mapping[str, object], where: str, instrument_id: str) -> str:
    link_id = raw.get("linkId")
    if not isinstance(link_id, str) or not link_id:
        msg = f"an item of the {where} has no linkId"
        raise fail(msg, instrument_id=instrument_id, value=link_id)
    return link_id


def _contained_value_sets(
    questionnaire: Mapping[str, object], instrument_id: str
) -> dict[str, Mapping[str, object]]:
    contained = _list(questionnaire, "contained", "Questionnaire", instrument_id)
    return {
        f"#{r.get('id')}": r
        for r in contained
        if r.get("resourceType") == "ValueSet" and isinstance(r.get("id"), str)
    }


def _options(
    raw: Mapping[str, object], contained: Mapping[str, Mapping[str, object]], link_id: str, instrument_id: str
) -> tuple[Option, ...]:
    listed = _list(raw, "answerOption", f"item {link_id!r}", instrument_id)
    value_set = raw.get("answerValueSet")
    if listed and value_set is not None:
        msg = "has both answerOption and answerValueSet"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id)
    if value_set is not None:
        if not isinstance(value_set, str) or value_set not in contained:
            msg = (
                f"answerValueSet {value_set!r} is not a ValueSet contained in the Questionnaire; "
                "expand it into answerOption (in score order) or contain it"
            )
            raise fail(msg, instrument_id=instrument_id, link_id=link_id, value=value_set)
        return _value_set_options(contained[value_set], link_id, instrument_id)
    if not listed:
        msg = "a choice item without answer options"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id)
    options = tuple(_option(o, link_id, instrument_id) for o in listed)
    if len({o.kind for o in options}) > 1:
        msg = "answer options of mixed value types"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id)
    if len({o.key for o in options}) != len(options):
        msg = "the same answer option is listed twice"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id)
    return options


def _option(raw: Mapping[str, object], link_id: str, instrument_id: str) -> Option:
    kinds = [k for k in raw if k.startswith("value")]
    if len(kinds) != 1 or kinds[0] not in _VALUE_KINDS:
        msg = f"answerOption must hold one of valueString, valueCoding, valueInteger, not {kinds}"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id)
    value = raw[kinds[0]]
    kind = _VALUE_KINDS[kinds[0]]
    key, label = _key(kind, value, link_id, instrument_id)
    nested = value.get("extension") if isinstance(value, Mapping) else None
    ordinal = _ordinal([raw.get("extension"), nested], link_id, instrument_id)
    return Option(kind=kind, key=key, label=label, ordinal=ordinal)


def _value_set_options(
    value_set: Mapping[str, object], link_id: str, instrument_id: str
) -> tuple[Option, ...]:
    concepts: list[tuple[object, Mapping[str, object]]] = []
    expansion = value_set.get("expansion")
    if isinstance(expansion, Mapping) and expansion.get("contains"):
        concepts = [
            (c.get("system"), c) for c in _list(expansion, "contains", "ValueSet.expansion", instrument_id)
        ]
    else:
        compose = value_set.get("compose")
        includes = (
            _list(compose, "include", "ValueSet.compose", instrument_id)
            if isinstance(compose, Mapping)
            else []
        )
        for include in includes:
            listed = _list(include, "concept", "ValueSet.compose.include", instrument_id)
            if not listed:
                msg = "the contained ValueSet includes codes it does not list; list them or expand it"
                raise fail(msg, instrument_id=instrument_id, link_id=link_id)
            concepts += [(include.get("system"), c) for c in listed]
    if not concepts:
        msg = "the contained ValueSet lists no codes"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id)
    options = []
    for system, concept in concepts:
        coding = {"system": system, "code": concept.get("code"), "display": concept.get("display")}
        key, label = _key("coding", coding, link_id, instrument_id)
        ordinal = _ordinal([concept.get("extension")], link_id, instrument_id)
        options.append(Option(kind="coding", key=key, label=label, ordinal=ordinal))
    return tuple(options)


def _key(
    kind: Kind, value: object, link_id: str, instrument_id: str
) -> tuple[tuple[str | int | None, ...], str]:
    """What identifies an option or an answer: the string, the integer, or (system, code)."""
    if kind == "string" and isinstance(value, str):
        return (value,), value
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return (value,), str(value)
    if kind == "coding" and isinstance(value, Mapping):
        system, code = value.get("system"), value.get("code")
        if isinstance(code, str) and (system is None or isinstance(system, str)):
            return (system, code), f"{system}|{code}" if system else code
    msg = f"value{kind.capitalize()} {value!r} is not a valid {kind}"
    raise fail(msg, instrument_id=instrument_id, link_id=link_id, value=value)


def _ordinal(extension_lists: list[object], link_id: str, instrument_id: str) -> float | None:
    found: set[float] = set()
    for extensions in extension_lists:
        if not isinstance(extensions, list):
            continue
        for extension in extensions:
            if not isinstance(extension, Mapping) or extension.get("url") not in ORDINAL_URLS:
                continue
            value = extension.get("valueDecimal", extension.get("valueInteger"))
            if isinstance(value, bool) or not isinstance(value, Real):
                msg = f"ordinal value {value!r} is not a number"
                raise fail(msg, instrument_id=instrument_id, link_id=link_id, value=value)
            found.add(float(value))
    if len(found) > 1:
        msg = f"an answer option has conflicting ordinal values {sorted(found)}"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id)
    return found.pop() if found else None


def _position(question: QuestionItem, answer: Mapping[str, object], instrument_id: str) -> int:
    link_id = question.link_id
    if answer.get("item"):
        msg = "items nested under an answer are not supported"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id)
    kinds = [k for k in answer if k.startswith("value")]
    if len(kinds) != 1:
        msg = f"an answer must hold exactly one value[x], not {kinds}"
        raise fail(
            msg,
            instrument_id=instrument_id,
            link_id=link_id,
        )
    name = kinds[0]
    expected = question.options[0].kind
    if _VALUE_KINDS.get(name) != expected:
        msg = f"the answer is {name} but the item's options are value{expected.capitalize()}"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, value=answer[name])
    key, label = _key(expected, answer[name], link_id, instrument_id)
    for position, option in enumerate(question.options):
        if option.key == key:
            return position
    listed = [o.label for o in question.options]
    msg = f"answer {label!r} is not one of the item's answer options {listed}"
    raise fail(msg, instrument_id=instrument_id, link_id=link_id, value=answer[name])
