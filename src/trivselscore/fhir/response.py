"""FHIR R4 interop: read QuestionnaireResponses, write scores back as Observations.

Danish municipal systems exchange questionnaires as FHIR R4 resources. KL's
"KL Gateway children" guide stores each SDQ answer as the exact option string of
its Questionnaire; KL's care tools code WHO-5 answers. This module turns such a
response into this library's item codes, and scores into Observations. Plain
JSON dicts go in and come out; no FHIR library is needed.

Reading (:func:`from_questionnaire_response`):

* Each answer is matched against its Questionnaire item's answer options
  (``answerOption``, or a ``ValueSet`` contained in the Questionnaire):
  ``valueString`` by exact string, ``valueCoding`` by system and code,
  ``valueInteger`` by value. The option's ordinal value (the R4 ``ordinalValue``
  extension, or ``itemWeight``) is the code when every option has one;
  otherwise the option's position is: first option = lowest code, unless the
  form is known to list its options highest first (KL's WHO-5).
* linkIds map to items through the instrument's item ids and aliases (the KL
  SDQ linkIds are aliases), plus a linkId table for a known form whose linkIds
  are not aliases (KL's WHO-5). Free-text items are not read (``ignored``).
* The instrument comes from the Questionnaire's canonical URL or SNOMED CT
  code (:data:`KNOWN_QUESTIONNAIRES`), checked against the form: item count,
  impact supplement, and the response's FindingInformer extension. KL's own
  parent example points at the self-report canonical, so a mismatch stops
  with a message unless you name the instrument.
* Skip logic: after the "no" answer on the SDQ overall-difficulties item, the
  absent impact, duration and burden items are ``not_asked``, not ``missing``
  (the engine scores impact 0 by its gate).

Only a finished response (status ``completed`` or ``amended``,
:data:`SCORED_STATUSES`) is read unless ``statuses=`` names others. Any
malformed or ambiguous resource raises :class:`~trivselscore.errors.FhirError`
(a :class:`~trivselscore.ResponseError`) naming the linkId and the path; nothing
is scored from a resource that was only partly understood, and the first
unusable element stops the reading.

Writing (:func:`to_observations`): one R4 Observation per scale, with our own
code systems (:data:`SCALE_SYSTEM`, :data:`BAND_SYSTEM`), the band as
``interpretation``, and the instrument and library versions.

Examples:
    >>> from trivselscore.fhir import from_questionnaire_response
    >>> options = [{"valueInteger": n} for n in range(6)]
    >>> questionnaire = {"resourceType": "Questionnaire", "url": "https://example.org/who5",
    ...     "item": [{"linkId": f"who5_{n}", "type": "choice", "answerOption": options} for n in range(1, 6)]}
    >>> response = {"resourceType": "QuestionnaireResponse", "questionnaire": "https://example.org/who5",
    ...     "status": "completed",
    ...     "item": [{"linkId": f"who5_{n}", "answer": [{"valueInteger": 3}]} for n in range(1, 6)]}
    >>> answers = from_questionnaire_response(response, questionnaire, instrument="who5")
    >>> answers.answers
    {'1': 3, '2': 3, '3': 3, '4': 3, '5': 3}
    >>> answers.score().values
    {'raw': 15, 'percentage': 60}

References:
    HL7 FHIR R4 (4.0.1): Questionnaire, QuestionnaireResponse, Observation;
    extension ordinalValue, http://hl7.org/fhir/StructureDefinition/ordinalValue.

    KL. FHIR IG "KL Gateway children" 2.1.0 (hl7dk/kl-children) and the KL care
    tools IG (hl7dk/KL-dk-tools).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from trivselscore.definitions.instrument import Instrument
from trivselscore.definitions.model import Respondent
from trivselscore.definitions.norms import NormTable
from trivselscore.engine.results import Score
from trivselscore.engine.scoring import MissingPolicy
from trivselscore.engine.scoring import score as _score
from trivselscore.fhir.guard import fail, quote
from trivselscore.fhir.known import KNOWN_QUESTIONNAIRES, KnownQuestionnaire
from trivselscore.fhir.mapping import (
    as_string,
    check_reference,
    find_known,
    form_mismatches,
    informant_mismatches,
    map_link_ids,
    option_codes,
    read_informer,
    skipped_items,
    suggestion,
)
from trivselscore.fhir.observation import (
    BAND_SYSTEM,
    METHOD_SYSTEM,
    PROVENANCE_URL,
    SCALE_SYSTEM,
    observations,
)
from trivselscore.fhir.read import QuestionItem, answers_of, iter_question_items, question_items, resource
from trivselscore.fhir.status import R4_STATUSES, SCORED_STATUSES, check_status, read_statuses
from trivselscore.instruments.registry import get_instrument

__all__ = [
    "BAND_SYSTEM",
    "KNOWN_QUESTIONNAIRES",
    "METHOD_SYSTEM",
    "PROVENANCE_URL",
    "R4_STATUSES",
    "SCALE_SYSTEM",
    "SCORED_STATUSES",
    "KnownQuestionnaire",
    "QuestionnaireAnswers",
    "from_questionnaire_response",
    "to_observations",
]


class QuestionnaireAnswers(BaseModel):
    """Answers read from a QuestionnaireResponse, in this library's item ids and codes.

    Attributes:
        instrument_id: The instrument the answers belong to.
        questionnaire: The Questionnaire's canonical URL (with ``|version`` if it has one).
        detected: The instrument the Questionnaire is registered as, or ``None``.
        answered: (item id, code) pairs in the instrument's item order.
        not_asked: Items the form skipped after a gate answer (SDQ "no" on
            overall difficulties); not missing data.
        missing: Items on the form that were not answered and not skipped.
        ignored: linkIds of free-text items, which are not read.
        informant: Who answered according to the FindingInformer extension
            (``"self"``, ``"parent"``, ``"staff"``, ``"other"``), or ``None``.
        subject: ``QuestionnaireResponse.subject.reference``, if any.
        authored: ``QuestionnaireResponse.authored``, if any.
        status: ``QuestionnaireResponse.status``, if any.
        notes: What was checked and not held against the response (e.g. the
            caller named another instrument than the Questionnaire's).

    Examples:
        >>> answers = QuestionnaireAnswers(instrument_id="who5", questionnaire=None, detected=None,
        ...                                answered=(("1", 3), ("2", 3), ("3", 2), ("4", 2), ("5", 2)))
        >>> answers.answers["1"], answers.score().values
        (3, {'raw': 12, 'percentage': 48})
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    instrument_id: str
    questionnaire: str | None
    detected: str | None
    answered: tuple[tuple[str, int], ...]
    not_asked: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    informant: str | None = None
    subject: str | None = None
    authored: str | None = None
    status: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def answers(self) -> dict[str, int]:
        """Item id -> code, ready for ``score(result.instrument_id, result.answers)``."""
        return dict(self.answered)

    def score(
        self,
        *,
        missing: MissingPolicy = None,
        respondent: Respondent | None = None,
        scheme: str | None = None,
        norms: NormTable | str | None = None,
        age_policy: Literal["flag", "raise"] = "flag",
    ) -> Score:
        """Score the answers: :func:`trivselscore.score` with the same options.

        A FHIR response carries no age the library reads: give it as
        ``respondent`` (e.g. from the Patient's birth date on the day the form
        was answered). It is checked against the instrument's ``age_range``, as
        in :func:`trivselscore.score`: with ``age_policy="flag"`` (the default)
        an age outside it is scored with no bands or T-scores and the flag
        ``outside_age_range`` (so the Observations carry no ``interpretation``);
        with ``age_policy="raise"`` it raises
        :class:`~trivselscore.errors.AgeRangeError`.

        Raises:
            AgeRangeError: The age is outside the instrument's range and
                ``age_policy="raise"``.
            ValueError: An unknown ``age_policy``, ``missing``, ``scheme`` or ``norms``.

        Examples:
            >>> from trivselscore import Respondent
            >>> answers = QuestionnaireAnswers(instrument_id="who5", questionnaire=None, detected=None,
            ...                                answered=tuple((str(n), 3) for n in range(1, 6)))
            >>> answers.score(respondent=Respondent(age=8)).flag_ids
            ('outside_age_range',)
            >>> from trivselscore import AgeRangeError
            >>> try:
            ...     answers.score(respondent=Respondent(age=8), age_policy="raise")
            ... except AgeRangeError as error:
            ...     print(str(error).split(" (")[0])
            who5: age 8 is outside 9-130, the range of who5
        """
        return _score(
            self.instrument_id,
            self.answers,
            missing=missing,
            respondent=respondent,
            scheme=scheme,
            norms=norms,
            age_policy=age_policy,
        )


def from_questionnaire_response(
    response: object,
    questionnaire: object,
    *,
    instrument: Instrument | str | None = None,
    statuses: Collection[str] = SCORED_STATUSES,
) -> QuestionnaireAnswers:
    """Read a FHIR R4 QuestionnaireResponse as answers to one of our instruments.

    Args:
        response: The QuestionnaireResponse, as parsed JSON (a dict).
        questionnaire: The Questionnaire it answers, as parsed JSON; its answer
            options define what each answer scores.
        instrument: The instrument, when you know it. By default it is detected
            from the Questionnaire (:data:`KNOWN_QUESTIONNAIRES`) and checked
            against the form; naming it skips that check (mismatches become
            ``notes``) but not the reading of each answer.
        statuses: The response statuses that are read (default
            :data:`SCORED_STATUSES`: ``completed`` and ``amended``). Pass e.g.
            ``statuses=("completed", "amended", "in-progress")`` to read a form
            that is still being filled in (its unanswered items are then
            ``missing``). ``entered-in-error`` is never read.

    Returns:
        The answers in our item ids, with the items not asked, missing and ignored.

    Raises:
        FhirError: Not a dict or the wrong resourceType; a status that is not
            one of ``statuses`` (or missing, or not a string); no items; a response for
            another Questionnaire; an unknown or duplicate linkId; two linkIds for
            one item; an answer not among the options; more than one answer on an
            item; options that cannot be mapped to the item's codes; an
            unrecognised Questionnaire or a form that does not match it (unless
            ``instrument`` is given); a number too large for FHIR, a JSON key
            that is not a string, groups nested deeper than 32 levels. The
            error's ``link_id`` and ``path`` say where; values are quoted to
            at most 80 characters.
        UnknownInstrumentError: ``instrument`` is an unknown id.
        TypeError: ``statuses`` is a single string or holds a non-string.
        ValueError: ``statuses`` is empty, or holds a code that is not an R4
            QuestionnaireResponse status, or ``entered-in-error``.

    Examples:
        >>> from_questionnaire_response("{}", {})
        Traceback (most recent call last):
        ...
        trivselscore.errors.FhirError: FHIR: a QuestionnaireResponse must be a JSON object (dict), not str
    """
    accepted = read_statuses(statuses)
    named = None if instrument is None else _definition(instrument)
    instrument_id = named.id if named is not None else ""
    resp = resource(response, "QuestionnaireResponse", instrument_id)
    quest = resource(questionnaire, "Questionnaire", instrument_id)
    canonical = check_reference(resp, quest, instrument_id)
    check_status(resp.get("status"), accepted, instrument_id)
    row, problems = find_known(quest)
    informant, informer_label = read_informer(resp)
    notes: list[str] = []
    if informant is None and informer_label is not None:
        notes.append(f"FindingInformer {quote(informer_label)} not recognised; the informant was not checked")
    if named is not None:
        definition = named
        if row is not None and row.instrument != named.id:
            notes.append(f"the Questionnaire is registered as {row.instrument}; read as {named.id} as asked")
    elif row is None:
        question_items(quest, instrument_id)  # a malformed item is named before the unknown form
        msg = (
            f"Questionnaire {quote(canonical or quest.get('id'))} is not a known form; name the instrument "
            f"(instrument=...). Known canonicals: {[r.canonical for r in KNOWN_QUESTIONNAIRES]}"
        )
        raise fail(msg)
    else:
        definition = get_instrument(row.instrument)
    row_used = row
    read: list[QuestionItem] = []  # each item is mapped as it is read: the first that cannot be stops it
    links = map_link_ids(definition, row, _kept(iter_question_items(quest, instrument_id), read))
    questions = tuple(read)
    form_problems = form_mismatches(definition, row, links)
    if form_problems and named is not None:
        # not the known form after all: read it without the row's linkIds, option order and skips
        row_used, links = None, map_link_ids(definition, None, questions)
    problems += form_problems + informant_mismatches(definition, informant, informer_label)
    if problems and named is None:
        hint = suggestion(informant, len(links))
        msg = f"the form does not match its Questionnaire: {'; '.join(problems)}. Nothing was scored{hint}"
        raise fail(msg, instrument_id=definition.id)
    notes += problems
    by_link = {q.link_id: q for q in questions}
    tables = {
        link: option_codes(definition, item_id, by_link[link], row_used) for link, item_id in links.items()
    }
    answered, _ = answers_of(resp, by_link, definition.id)
    codes = {links[a.link_id]: tables[a.link_id][a.position] for a in answered}
    in_form = set(links.values())
    not_asked = skipped_items(definition, row_used, codes, in_form, notes)
    subject = resp.get("subject")
    return QuestionnaireAnswers(
        instrument_id=definition.id,
        questionnaire=canonical,
        detected=row.instrument if row is not None else None,
        answered=tuple((i, codes[i]) for i in definition.item_ids if i in codes),
        not_asked=tuple(i for i in definition.item_ids if i in not_asked),
        missing=tuple(
            i for i in definition.item_ids if i in in_form and i not in codes and i not in not_asked
        ),
        ignored=tuple(q.link_id for q in questions if q.free_text and q.link_id not in links),
        informant=informant,
        subject=as_string(subject.get("reference")) if isinstance(subject, Mapping) else None,
        authored=as_string(resp.get("authored")),
        status=as_string(resp.get("status")),
        notes=tuple(notes),
    )


def to_observations(
    score: Score,
    *,
    subject: str | Mapping[str, object],
    effective: str | dt.date | dt.datetime,
    derived_from: str | Mapping[str, object] | None = None,
) -> list[dict[str, Any]]:
    """Return one FHIR R4 Observation (a JSON dict) per scale of ``score``.

    Each Observation has ``status`` "final", category "survey", a ``code`` from
    :data:`SCALE_SYSTEM` (``<instrument>.<scale>``), the subject, the effective
    time, and ``valueInteger`` (a non-integer, e.g. prorated, score goes in
    ``valueQuantity``: R4 Observations have no decimal value). An unscored scale
    gets ``dataAbsentReason`` "unknown" with the reason as text. The band under
    the score's scheme is the ``interpretation`` (:data:`BAND_SYSTEM`); a
    T-score is a ``component``. ``method`` and the :data:`PROVENANCE_URL`
    extension record the library and instrument definition versions, the
    missing-data policy and the scheme.

    Args:
        score: A result of :func:`trivselscore.score`.
        subject: A reference such as ``"Patient/123"``, or a FHIR Reference dict.
        effective: When the questionnaire was answered: a date, a timezone-aware
            datetime, or a FHIR dateTime string.
        derived_from: Optionally the QuestionnaireResponse scored (a reference
            string or dict), written to ``derivedFrom``.

    Returns:
        The Observations, in the instrument's scale order.

    Raises:
        TypeError: ``score`` is not a Score, or ``subject`` is not a reference.
        ValueError: ``effective`` is not a valid FHIR dateTime (a time needs a
            time zone), or ``subject`` is empty.

    Examples:
        >>> from trivselscore import score
        >>> [raw, percentage] = to_observations(score("who5", [3, 3, 2, 2, 2]),
        ...                                     subject="Patient/1", effective="2024-04-23")
        >>> percentage["valueInteger"], percentage["interpretation"][0]["coding"][0]["code"]
        (48, 'who5.risk.risk')
    """
    return observations(score, subject=subject, effective=effective, derived_from=derived_from)


# --- helpers -------------------------------------------------------------------------------------


def _kept(items: Iterator[QuestionItem], kept: list[QuestionItem]) -> Iterator[QuestionItem]:
    """``items``, each also appended to ``kept`` as it passes."""
    for item in items:
        kept.append(item)
        yield item


def _definition(instrument: Instrument | str) -> Instrument:
    return instrument if isinstance(instrument, Instrument) else get_instrument(instrument)
