"""Known FHIR Questionnaires and informant codes (data only, used by :mod:`trivselscore.fhir`).

A row of :data:`KNOWN_QUESTIONNAIRES` says which instrument a Questionnaire's
canonical URL or SNOMED CT code stands for, and what that form must look like
(how many scored items, whether it carries the SDQ impact supplement, the order
of its answer options). :mod:`trivselscore.fhir` never trusts the URL or code
alone: the form's structure and the response's informant are checked against
the row. Every row carries the source it was read from.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field

from trivselscore.definitions.model import Source, _Frozen

__all__ = [
    "FINDING_INFORMER_SUFFIX",
    "INFORMER_CODES",
    "KL_CHILDREN",
    "KL_INFORMER",
    "KL_TOOLS_WHO5",
    "KNOWN_QUESTIONNAIRES",
    "InformerCode",
    "KnownQuestionnaire",
]

Informant = Literal["self", "parent", "staff", "other"]


class KnownQuestionnaire(_Frozen):
    """One published FHIR Questionnaire and the instrument it is a form of.

    ``items`` is the number of scored (choice) items the form has. ``impact``
    says whether it carries the gate item and the gated items (SDQ: the
    overall-difficulties question and the impact items). ``skipped_with_gate``
    lists items, besides the gated scale's own, that the form leaves out after
    the gate answer (SDQ: duration and burden), so their absence is "not asked".
    ``link_ids`` maps linkIds that are not aliases of the instrument's items.
    ``option_order`` is the order of every item's answer options when they carry
    no ordinal values: ``ascending`` (first option = lowest code) or
    ``descending``.
    """

    canonical: str = Field(min_length=8)
    snomed: tuple[str, ...] = ()
    instrument: str = Field(min_length=2)
    items: int = Field(ge=1)
    impact: bool
    skipped_with_gate: tuple[str, ...] = ()
    link_ids: tuple[tuple[str, str], ...] = ()
    option_order: Literal["ascending", "descending"] = "ascending"
    source: Source
    note: str | None = None


class InformerCode(_Frozen):
    """A FindingInformer code, its Danish display and who that informant is."""

    code: str
    display: str
    informant: Informant


KL_CHILDREN: Final = Source(
    citation=(
        "KL (Local Government Denmark) FHIR IG 'KL Gateway children' 2.1.0 (FHIR 4.0.1), "
        "input/fsh/sdq11-17.fsh, sdq4-10.fsh and questionnaireResponse.fsh"
    ),
    url="https://github.com/hl7dk/kl-children",
    note=(
        "33 flat choice items, options as valueString in ascending order (answer = position); "
        "the parent example stops after item 26 answered with the first option and points at the "
        "self-report canonical (see shared/reference/verification.md section 5)."
    ),
    status="verified",
)
KL_TOOLS_WHO5: Final = Source(
    citation=(
        "KL FHIR IG for care tools (hl7dk/KL-dk-tools), input/fsh/KLToolsCareWHO5.fsh and "
        "KLToolsValueSets.fsh (WHO5AnswerCodesHappy ... WHO5AnswerCodesInterest)"
    ),
    url="https://github.com/hl7dk/KL-dk-tools",
    note=(
        "Five choice items (linkIds happy, calm, active, rested, interest) and a free-text comment "
        "(who5comment); answers are KLToolsCodes codings from one value set per item, each listing the "
        "'5' answer first and the '0' answer last. Resources in draft status. SNOMED CT 1144665009 is "
        "the Questionnaire.code KL uses; not checked in a SNOMED CT browser."
    ),
    status="verified",
)
KL_INFORMER: Final = Source(
    citation=(
        "KL FindingInformer extension (hl7dk/kl-children input/fsh/extensions.fsh) and its value set "
        "FindingInformerCodes in two code generations: KLToolsCodes (hl7dk/KL-dk-tools "
        "input/fsh/KLToolsValueSets.fsh) and KL common care/social codes (hl7dk/kl-children)"
    ),
    url="https://github.com/hl7dk/kl-children",
    note="Matched by code, else by display; the code system URL differs between versions and is not checked.",
    status="verified",
)

_SDQ_SKIPPED: Final = ("chronic", "burden")

KNOWN_QUESTIONNAIRES: Final[tuple[KnownQuestionnaire, ...]] = (
    KnownQuestionnaire(
        canonical="http://fhir.kl.dk/children/Questionnaire/klgateway-children-sdq11-17",
        snomed=("717639006",),
        instrument="sdq-s11-17",
        items=33,
        impact=True,
        skipped_with_gate=_SDQ_SKIPPED,
        source=KL_CHILDREN,
    ),
    KnownQuestionnaire(
        canonical="http://fhir.kl.dk/children/Questionnaire/klgateway-children-sdq4-10",
        snomed=("718133008",),
        instrument="sdq-p4-17",
        items=33,
        impact=True,
        skipped_with_gate=_SDQ_SKIPPED,
        source=KL_CHILDREN,
        note=(
            "KL's parent form for 4-10 year olds; scored with the parent 4-17 definition (same items, keys "
            "and impact supplement). The SNOMED CT concept covers the parent and teacher 4-17 forms."
        ),
    ),
    KnownQuestionnaire(
        canonical="http://kl.dk/fhir/tools/care/Questionnaire/KLToolsCareWHO-5",
        snomed=("1144665009",),
        instrument="who5",
        items=5,
        impact=False,
        link_ids=(("happy", "1"), ("calm", "2"), ("active", "3"), ("rested", "4"), ("interest", "5")),
        option_order="descending",
        source=KL_TOOLS_WHO5,
    ),
)
"""Questionnaires recognised by canonical URL (version ignored) or SNOMED CT code."""

FINDING_INFORMER_SUFFIX: Final = "/StructureDefinition/FindingInformer"
"""The FindingInformer extension is recognised by this URL ending (KL IGs use different bases)."""

INFORMER_CODES: Final[tuple[InformerCode, ...]] = (
    InformerCode(code="a3d30bf2-4a3c-4c49-9001-5363ae11681c", display="Borger", informant="self"),
    InformerCode(
        code="71675b26-285e-4551-9488-991d8b34a12a", display="Borger støttet af pårørende", informant="self"
    ),
    InformerCode(
        code="5937b533-a4e3-45af-9ddf-61dce1d56b74", display="Borger støttet af medarbejder", informant="self"
    ),
    InformerCode(code="d5762abe-706b-4d52-ac2b-2621c60486b2", display="Pårørende alene", informant="parent"),
    InformerCode(code="111b2c8a-389d-4ecc-9187-ce78f019649b", display="Medarbejder alene", informant="staff"),
    InformerCode(code="25b4e705-2e9a-47a2-b11a-c829316b9d3a", display="Borger", informant="self"),
    InformerCode(
        code="b66dc78a-a673-43fc-8ac0-1e859ba626e0", display="Borger støttet af pårørende", informant="self"
    ),
    InformerCode(
        code="12428e48-7df8-441f-9a89-d92bb7874066", display="Borger støttet af medarbejder", informant="self"
    ),
    InformerCode(code="166d2437-4e47-4a52-bd94-cdbe91086ca6", display="Pårørende alene", informant="parent"),
    InformerCode(code="8fe80acb-2c2a-4f10-b2b8-ddb77d2f69dc", display="Medarbejder alene", informant="staff"),
    InformerCode(
        code="329774f9-7700-47cf-9c00-63765d9e8078",
        display="Medarbejder og pårørende alene",
        informant="other",
    ),
)
"""KL FindingInformer codes: citizen (alone or supported) = self, relative alone = parent."""
