"""Answer options of a Questionnaire item: ``answerOption`` or a contained ``ValueSet``.

Each option is identified by its string, its integer or its (system, code), and
may carry an ordinal value (:data:`ORDINAL_URLS`). Untrusted values are checked
before use: an integer outside FHIR's 32-bit range, an ordinal value a float
cannot hold (an integer of 400 digits) or NaN raise
:class:`~trivselscore.errors.FhirError` with the option's path. FHIR R4 (4.0.1):
Questionnaire.item.answerOption, answerValueSet; datatypes
(https://hl7.org/fhir/R4/questionnaire.html, datatypes.html).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

from trivselscore.fhir.guard import fail, objects, quote, quote_list

__all__ = [
    "INTEGER_RANGE",
    "ORDINAL_URLS",
    "VALUE_KINDS",
    "Kind",
    "Option",
    "option_key",
    "read_options",
]

ORDINAL_URLS: Final = (
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "http://hl7.org/fhir/StructureDefinition/questionnaire-ordinalValue",
)
"""Extensions giving an option's score: R4 ``ordinalValue`` (valueDecimal, on an
answerOption or a Coding), the R5-style ``itemWeight``, and the pre-R4 name."""

INTEGER_RANGE: Final = (-(2**31), 2**31 - 1)
"""FHIR's ``integer``: a signed 32-bit number (https://hl7.org/fhir/R4/datatypes.html#integer)."""

Kind = Literal["string", "coding", "integer"]

VALUE_KINDS: Final[dict[str, Kind]] = {
    "valueString": "string",
    "valueCoding": "coding",
    "valueInteger": "integer",
}


class Option(BaseModel):
    """One answer option: what identifies it, and its ordinal value if it has one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind
    key: tuple[str | int | None, ...]
    label: str
    ordinal: float | None = None


def read_options(
    raw: Mapping[str, object],
    contained: Mapping[str, tuple[str, Mapping[str, object]]],
    link_id: str,
    path: str,
    instrument_id: str,
) -> tuple[Option, ...]:
    """The answer options of the choice item ``raw`` at ``path``, in listed order."""
    listed = raw.get("answerOption")
    value_set = raw.get("answerValueSet")
    if listed not in (None, []) and value_set is not None:
        msg = "has both answerOption and answerValueSet"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=path)
    if value_set is not None:
        if not isinstance(value_set, str) or value_set not in contained:
            msg = (
                f"answerValueSet {quote(value_set)} is not a ValueSet contained in the Questionnaire; "
                "expand it into answerOption (in score order) or contain it"
            )
            raise fail(
                msg,
                instrument_id=instrument_id,
                link_id=link_id,
                value=value_set,
                path=f"{path}.answerValueSet",
            )
        value_set_path, found = contained[value_set]
        return _value_set_options(found, link_id, value_set_path, instrument_id)
    if listed is None or listed == []:
        msg = "a choice item without answer options"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=path)
    options = tuple(
        _option(o, link_id, here, instrument_id)
        for here, o in objects(listed, f"{path}.answerOption", instrument_id)
    )
    if len({o.kind for o in options}) > 1:
        msg = "answer options of mixed value types"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=f"{path}.answerOption")
    if len({o.key for o in options}) != len(options):
        msg = "the same answer option is listed twice"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=f"{path}.answerOption")
    return options


def _option(raw: Mapping[str, object], link_id: str, path: str, instrument_id: str) -> Option:
    kinds = [k for k in raw if k.startswith("value")]
    if len(kinds) != 1 or kinds[0] not in VALUE_KINDS:
        msg = f"answerOption must hold one of valueString, valueCoding, valueInteger, not {quote_list(kinds)}"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=path)
    value = raw[kinds[0]]
    kind = VALUE_KINDS[kinds[0]]
    key, label = option_key(kind, value, link_id, f"{path}.{kinds[0]}", instrument_id)
    nested = value.get("extension") if isinstance(value, Mapping) else None
    ordinal = _ordinal(
        [(raw.get("extension"), f"{path}.extension"), (nested, f"{path}.{kinds[0]}.extension")],
        link_id,
        instrument_id,
    )
    return Option(kind=kind, key=key, label=label, ordinal=ordinal)


def _value_set_options(
    value_set: Mapping[str, object], link_id: str, path: str, instrument_id: str
) -> tuple[Option, ...]:
    concepts: list[tuple[object, str, Mapping[str, object]]] = []
    expansion = value_set.get("expansion")
    if isinstance(expansion, Mapping) and expansion.get("contains"):
        where = f"{path}.expansion.contains"
        concepts = [
            (c.get("system"), here, c) for here, c in objects(expansion.get("contains"), where, instrument_id)
        ]
    else:
        compose = value_set.get("compose")
        includes = compose.get("include") if isinstance(compose, Mapping) else None
        for include_path, include in objects(includes, f"{path}.compose.include", instrument_id):
            listed = include.get("concept")
            if listed is None or listed == []:
                msg = "the contained ValueSet includes codes it does not list; list them or expand it"
                raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=include_path)
            where = f"{include_path}.concept"
            concepts += [
                (include.get("system"), here, c) for here, c in objects(listed, where, instrument_id)
            ]
    if not concepts:
        msg = "the contained ValueSet lists no codes"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=path)
    options = []
    for system, here, concept in concepts:
        coding = {"system": system, "code": concept.get("code"), "display": concept.get("display")}
        key, label = option_key("coding", coding, link_id, here, instrument_id)
        ordinal = _ordinal([(concept.get("extension"), f"{here}.extension")], link_id, instrument_id)
        options.append(Option(kind="coding", key=key, label=label, ordinal=ordinal))
    return tuple(options)


def option_key(
    kind: Kind, value: object, link_id: str, path: str, instrument_id: str
) -> tuple[tuple[str | int | None, ...], str]:
    """What identifies an option or an answer: the string, the integer, or (system, code)."""
    if kind == "string" and isinstance(value, str):
        return (value,), value
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        low, high = INTEGER_RANGE
        if not low <= value <= high:
            msg = f"valueInteger {quote(value)} is outside FHIR's integer range {low} to {high}"
            raise fail(msg, instrument_id=instrument_id, link_id=link_id, value=value, path=path)
        return (value,), str(value)
    if kind == "coding" and isinstance(value, Mapping):
        system, code = value.get("system"), value.get("code")
        if isinstance(code, str) and (system is None or isinstance(system, str)):
            return (system, code), f"{system}|{code}" if system else code
    msg = f"value{kind.capitalize()} {quote(value)} is not a valid {kind}"
    raise fail(msg, instrument_id=instrument_id, link_id=link_id, value=value, path=path)


def _ordinal(extension_lists: list[tuple[object, str]], link_id: str, instrument_id: str) -> float | None:
    found: set[float] = set()
    for extensions, path in extension_lists:
        if not isinstance(extensions, list):
            continue
        for index, extension in enumerate(extensions):
            if not isinstance(extension, Mapping) or extension.get("url") not in ORDINAL_URLS:
                continue
            here = f"{path}[{index}]"
            found.add(
                _number(
                    extension.get("valueDecimal", extension.get("valueInteger")), link_id, here, instrument_id
                )
            )
    if len(found) > 1:
        msg = f"an answer option has conflicting ordinal values {sorted(found)}"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, path=extension_lists[0][1])
    return found.pop() if found else None


def _number(value: object, link_id: str, path: str, instrument_id: str) -> float:
    """An ordinal value as a finite float; a huge integer (10**400) or NaN is refused."""
    if isinstance(value, bool) or not isinstance(value, Real):
        msg = f"ordinal value {quote(value)} is not a number"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, value=value, path=path)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        msg = f"ordinal value {quote(value)} is not a finite number a float can hold"
        raise fail(msg, instrument_id=instrument_id, link_id=link_id, value=value, path=path)
    return number
