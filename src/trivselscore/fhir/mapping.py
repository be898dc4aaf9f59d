"""Map a parsed Questionnaire and response onto an instrument: detection, checks, codes, skips.

Helpers of :func:`trivselscore.fhir.from_questionnaire_response`; every row and
code used here comes from :mod:`trivselscore.fhir.known` or the instrument.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from trivselscore.definitions.instrument import Instrument
from trivselscore.fhir.guard import fail, quote, quote_list
from trivselscore.fhir.known import (
    FINDING_INFORMER_SUFFIX,
    INFORMER_CODES,
    KNOWN_QUESTIONNAIRES,
    KnownQuestionnaire,
)
from trivselscore.fhir.read import QuestionItem
from trivselscore.instruments.registry import get_instrument

__all__ = [
    "check_reference",
    "option_codes",
    "suggestion",
    "read_informer",
    "map_link_ids",
    "find_known",
    "skipped_items",
    "as_string",
    "form_mismatches",
    "informant_mismatches",
]

_SNOMED: Final = "http://snomed.info/sct"


def as_string(value: object) -> str | None:
    """The value if it is a string, else None (FHIR JSON may hold anything)."""
    return value if isinstance(value, str) else None


def check_reference(
    resp: Mapping[str, object], quest: Mapping[str, object], instrument_id: str
) -> str | None:
    """The Questionnaire's canonical; the response must point at it when it points anywhere."""
    url, version = as_string(quest.get("url")), as_string(quest.get("version"))
    own_url, _, own_version = (url or "").partition("|")
    own_version = own_version or version or ""
    canonical = f"{own_url}|{own_version}" if url and own_version else url
    ref = resp.get("questionnaire")
    if ref is None:
        return canonical
    if not isinstance(ref, str):
        msg = f"QuestionnaireResponse.questionnaire {quote(ref)} is not a canonical URL"
        raise fail(msg, instrument_id=instrument_id, value=ref, path="QuestionnaireResponse.questionnaire")
    ref_url, _, ref_version = ref.partition("|")
    if url:
        same = ref_url == own_url and (not ref_version or not own_version or ref_version == own_version)
    else:
        own_id = as_string(quest.get("id"))
        same = own_id is not None and ref_url in {f"Questionnaire/{own_id}", f"#{own_id}"}
    if not same:
        msg = f"the response is for Questionnaire {quote(ref)}, not for {quote(canonical or quest.get('id'))}"
        raise fail(msg, instrument_id=instrument_id, value=ref, path="QuestionnaireResponse.questionnaire")
    return canonical


def find_known(quest: Mapping[str, object]) -> tuple[KnownQuestionnaire | None, list[str]]:
    """The known row for the Questionnaire, by canonical URL first, then SNOMED CT code.

    Raises:
        FhirError: A SNOMED CT coding in ``Questionnaire.code`` has a ``code``
            that is not a string (a Coding's code is a FHIR ``code``, i.e. text).
    """
    url = quest.get("url")
    by_url = None
    if isinstance(url, str):
        by_url = next((r for r in KNOWN_QUESTIONNAIRES if r.canonical == url.partition("|")[0]), None)
    codes: set[str] = set()
    concepts = quest.get("code")
    if isinstance(concepts, list):
        for index, concept in enumerate(concepts):
            if not (isinstance(concept, Mapping) and concept.get("system") == _SNOMED):
                continue
            code = concept.get("code")
            if code is not None and not isinstance(code, str):
                msg = f"Questionnaire.code[{index}].code {quote(code)} is not a string"
                raise fail(msg, value=code, path=f"Questionnaire.code[{index}].code")
            if code is not None:
                codes.add(code)
    by_code = [r for r in KNOWN_QUESTIONNAIRES if set(r.snomed) & codes]
    problems = [
        f"Questionnaire.url names {by_url.instrument} but its SNOMED CT code names {r.instrument}"
        for r in by_code
        if by_url is not None and r.instrument != by_url.instrument
    ]
    return by_url or (by_code[0] if by_code else None), problems


def read_informer(resp: Mapping[str, object]) -> tuple[str | None, str | None]:
    """Who answered, from the KL FindingInformer extension: (informant, label)."""
    extensions = resp.get("extension")
    for extension in extensions if isinstance(extensions, list) else []:
        url = extension.get("url") if isinstance(extension, Mapping) else None
        if not (isinstance(url, str) and url.endswith(FINDING_INFORMER_SUFFIX)):
            continue
        concept = extension.get("valueCodeableConcept")
        codings = concept.get("coding") if isinstance(concept, Mapping) else None
        codings = [c for c in codings if isinstance(c, Mapping)] if isinstance(codings, list) else []
        for coding in codings:
            row = next((r for r in INFORMER_CODES if r.code == coding.get("code")), None)
            if row is not None:
                return row.informant, row.display
        labels = [c.get("display") for c in codings] + [
            concept.get("text") if isinstance(concept, Mapping) else None
        ]
        for label in labels:
            row = next(
                (r for r in INFORMER_CODES if isinstance(label, str) and r.display == label.strip()), None
            )
            if row is not None:
                return row.informant, row.display
        return None, next((lbl for lbl in labels if isinstance(lbl, str)), "an unrecognised code")
    return None, None


def map_link_ids(
    definition: Instrument, row: KnownQuestionnaire | None, questions: Iterable[QuestionItem]
) -> dict[str, str]:
    """Questionnaire linkId -> our item id, for every item that is not free text.

    ``questions`` may be read lazily: the first item that cannot be mapped raises
    before the next is read.
    """
    names = {name: item.id for item in definition.items for name in (item.id, *item.aliases)}
    extra = row.link_ids if row is not None else ()
    names |= {link: item for link, item in extra if item in definition.item_ids}
    links: dict[str, str] = {}
    for question in questions:
        link = question.link_id
        if link not in names:
            if question.free_text:
                continue
            msg = f"unknown linkId: not an item id or alias of {definition.id}"
            raise fail(msg, instrument_id=definition.id, link_id=link, path=question.path)
        if not question.options:
            msg = f"item type {quote(question.type)} cannot be scored (a choice item is needed)"
            raise fail(msg, instrument_id=definition.id, link_id=link, path=question.path)
        if question.repeats:
            msg = "a repeating item cannot be scored"
            raise fail(msg, instrument_id=definition.id, link_id=link, path=question.path)
        other = next((k for k, v in links.items() if v == names[link]), None)
        if other is not None:
            msg = f"item {names[link]!r} is asked twice (linkIds {quote(other)} and {quote(link)})"
            raise fail(msg, instrument_id=definition.id, link_id=link, path=question.path)
        links[link] = names[link]
    return links


def form_mismatches(
    definition: Instrument, row: KnownQuestionnaire | None, links: Mapping[str, str]
) -> list[str]:
    """How the Questionnaire's items differ from the known form (item count, impact supplement)."""
    if row is None:
        return []
    problems = []
    if len(links) != row.items:
        problems.append(f"the form has {len(links)} scored items, {row.canonical} has {row.items}")
    gated = {i for s in definition.scales if s.gate is not None for i in (s.gate.item, *s.items)}
    present = gated & set(links.values())
    if row.impact and present != gated:
        problems.append(f"the impact supplement lacks items {sorted(gated - present)}")
    if not row.impact and present:
        problems.append(f"the form has impact items {sorted(present)}, which {row.canonical} has not")
    return problems


def informant_mismatches(
    definition: Instrument, informant: str | None, informer_label: str | None
) -> list[str]:
    """The FindingInformer against the instrument's informant."""
    if informant is None or informant == definition.informant:
        return []
    label = f"{quote(informer_label)} ({informant})"
    return [f"the FindingInformer is {label}, but {definition.id} is the {definition.informant} form"]


def suggestion(informant: str | None, n_items: int) -> str:
    """A hint naming the shipped instruments that fit an informant and an item count."""
    fits = [
        r.instrument
        for r in KNOWN_QUESTIONNAIRES
        if r.items == n_items and get_instrument(r.instrument).informant == informant
    ]
    if fits:
        return f"; if the answers are from the {informant} form, pass instrument={fits[0]!r}"
    return "; if you know which form was answered, pass instrument=..."


def option_codes(
    definition: Instrument, item_id: str, question: QuestionItem, row: KnownQuestionnaire | None
) -> tuple[int, ...]:
    """The code of each answer option of ``question``, by position."""
    codes = definition.item(item_id).codes
    ordinals = [o.ordinal for o in question.options]
    link = question.link_id
    if any(o is not None for o in ordinals):
        values = [o for o in ordinals if o is not None and o.is_integer() and int(o) in codes]
        if len(values) != len(ordinals) or len(set(values)) != len(values):
            msg = (
                f"ordinals {quote_list(ordinals)} must be distinct codes of {item_id!r} "
                f"{list(codes)} on all options"
            )
            raise fail(msg, instrument_id=definition.id, link_id=link, path=f"{question.path}.answerOption")
        return tuple(int(v) for v in values)
    if len(question.options) != len(codes):
        msg = (
            f"{len(question.options)} answer options but item {item_id!r} has {len(codes)} codes "
            f"{list(codes)}; without ordinal values they cannot be mapped by position"
        )
        raise fail(msg, instrument_id=definition.id, link_id=link, path=f"{question.path}.answerOption")
    return tuple(reversed(codes)) if row is not None and row.option_order == "descending" else codes


def skipped_items(
    definition: Instrument,
    row: KnownQuestionnaire | None,
    codes: Mapping[str, int],
    in_form: set[str],
    notes: list[str],
) -> set[str]:
    """Items skipped after a gate answer (SDQ: "no" on overall difficulties)."""
    skipped: set[str] = set()
    for scale in definition.scales:
        gate = scale.gate
        if gate is None or codes.get(gate.item) not in gate.codes:
            continue
        after = {*scale.items, *(row.skipped_with_gate if row is not None else ())}
        skipped |= {i for i in after & in_form if i not in codes}
        if any(i in codes for i in scale.items):
            gate_answer = f"{gate.item} = {codes[gate.item]}"
            notes.append(f"{scale.id} items answered after {gate_answer}; {scale.id} is {gate.value} anyway")
    return skipped
