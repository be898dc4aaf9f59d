"""Shared parts of the SDQ definitions: sources, items and scales (data only).

Every SDQ version in :mod:`trivselscore.instruments.sdq` is built from the tables
here with small builders, so the 25 items, the scale keys and the missing-data
rules are written once. Nothing here scores anything; the one engine does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from trivselscore.definitions.model import (
    AddedValue,
    ChangeParameters,
    Gate,
    Item,
    ItemRecode,
    MissingRule,
    MissingVariant,
    Scale,
    Source,
    options,
)

__all__ = [
    "IMPACT_FULL",
    "IMPACT_TEACHER",
    "ITEM_NOTES",
    "LICENCE",
    "PMHC_TOTAL",
    "SDQ_SCORE_2_4",
    "SDQ_SCORE_4_17",
    "SELF_18_SOURCE",
    "sdq_items",
    "sdq_scales",
]

# --- sources -------------------------------------------------------------------------------------

SDQ_SCORE_4_17: Final = Source(
    citation="youthinmind. Scoring the Strengths & Difficulties Questionnaire for age 4-17 (19 Aug 2014)",
    url="https://pdfcoffee.com/download/scoring-the-strengths-amp-difficulties-questionnaire-for-age-4-17-pdf-free.html",
    note="Public copy of the sdqinfo.org scoring instructions; page 1 seen (scales, keys, 3-item rule, worked example).",
    status="verified",
)
SDQ_SCORE_2_4: Final = Source(
    citation="youthinmind. Scoring the Strengths & Difficulties Questionnaire for 2-4 year olds (06 Oct 2015)",
    url="https://ja.scribd.com/document/393528900/SDQ-English-UK-2-4scoring",
    note="Items 18 and 22 replaced (argues, spite), still conduct and not reversed; scoring unchanged.",
    status="verified",
)
SELF_18_SOURCE: Final = Source(
    citation="youthinmind 18+ self-report SDQ: same 25-item structure and scoring as the 11-17 version",
    status="unverified",
    note=(
        "Recalled, not found in the sources searched. Brann P, Lethbridge MJ, Mildred H, Psychiatry Res "
        "2018;264:340-345 (doi:10.1016/j.psychres.2018.03.001) found the young-adult SDQ (18-25) behaves "
        "like the adolescent version. No 18+ band cut-points were found."
    ),
)
_VARIABLE_NAMES: Final = Source(
    citation="youthinmind. SDQ: Generating scores in SPSS / SAS / STATA (item variable names)",
    url="https://www.sdqinfo.org/c1.html",
    status="verified",
)
_KL_FHIR: Final = Source(
    citation="KL (Local Government Denmark) FHIR IG 'KL Gateway children' 2.1.0, input/fsh/sdq11-17.fsh, sdq4-10.fsh",
    url="https://github.com/hl7dk/kl-children",
    note="linkIds 1friendly ... 33AffectOthers (case-sensitive); answers stored as option strings, mapped by position.",
    status="verified",
)
_SYNTAX_CHECKED: Final = (
    "Checked in a public copy of the official Stata syntax (read line by line), not in the files on "
    "sdqinfo.org; a restored R copy agrees with this library on every scale of all five versions "
    "(shared/reference/external-checks.md, 2026-11-28). Community R copies such as gbiele/masterfile "
    "scripts4tests/sdq.R are not a source: their stored versions score impact like a prorated scale."
)
_KEYS: Final = Source(
    citation=(
        "youthinmind. Official SDQ scoring syntax for SPSS, SAS and Stata (sdqinfo.org c1, c2, c3: "
        "'SDQ: Generating scores in SPSS / SAS / STATA'), and PMHC-MDS specification 'Scoring the SDQ'"
    ),
    url="https://www.sdqinfo.org/c3.html",
    status="verified-secondary",
    note=(
        "Scales of 5 items each; items 7, 11, 14, 21, 25 recoded 0->2, 1->1, 2->0 before scoring "
        f"(Stata 'recode obeys reflect attends friend popular (0=2)(1=1)(2=0)'). {_SYNTAX_CHECKED}"
    ),
)
_THREE_OF_FIVE: Final = Source(
    citation=(
        "youthinmind scoring instructions ('if at least 3 items were completed'; worked example 4 from 3 "
        "items -> 6.67 -> 7) and the official syntax (Stata 'rmean(...) if n...>2', round(mean x 5); R "
        "floor(0.5 + mean x 5)), as read in public copies"
    ),
    url="https://pdfcoffee.com/download/scoring-the-strengths-amp-difficulties-questionnaire-for-age-4-17-pdf-free.html",
    note="Round half up: 2.5 -> 3 (Python's round() and numpy give 2).",
    status="verified",
)
_TOTAL: Final = Source(
    citation=(
        "Official scoring syntax (total = emotional + conduct + hyperactivity + peer, plain sum) and the "
        "self-report score sheet ('counted as missing if one of the component scores is missing')"
    ),
    url="https://www.scribd.com/doc/285981576/SDQ-Score-Sheet-and-Instructions-for-Self-Reoprt",
    status="verified-secondary",
    note=_SYNTAX_CHECKED,
)
_BROAD: Final = Source(
    citation="Official scoring syntax (sdq_external = conduct + hyper, sdq_internal = emotion + peer); Goodman et al. 2010",
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC8248972/table/TB2",
    status="verified-secondary",
    note=_SYNTAX_CHECKED,
)
_BROAD_MISSING: Final = Source(
    citation="No official missing rule for externalising/internalising; by analogy with the total, both parts needed",
    status="derived",
)
_IMPACT: Final = Source(
    citation=(
        "Official scoring syntax (Stata 'if (nimpact!=0)', recode '.=0', 'replace pimpact=0 if pebddiff==0') "
        "and PMHC-MDS 'Scoring the SDQ'"
    ),
    url="https://docs.pmhc-mds.com/data-specification/data-model-and-specifications.html#scoring-the-sdq",
    status="verified-secondary",
    note=(
        "Impact = sum of recoded impact items; unanswered count 0; None only if all unanswered and item 26 "
        f"is not 'no'. {_SYNTAX_CHECKED}"
    ),
)
_TEACHER_IMPACT: Final = Source(
    citation=(
        "youthinmind. Official SDQ scoring syntax (sdqinfo.org, Stata c3): teacher impact = tdistres + "
        "timpfrie + timpclas, recoded like the other impact items (0-6)"
    ),
    url="https://www.sdqinfo.org/c3.html",
    status="verified-secondary",
    note=_SYNTAX_CHECKED,
)
_PMHC_VARIANT: Final = Source(
    citation=(
        "PMHC-MDS specification, 'SDQ items and Scale Summary scores': the total is missing only if more "
        "than one scale is missing"
    ),
    url="https://docs.pmhc-mds.com/data-specification/data-model-and-specifications.html#scoring-the-sdq",
    status="unverified",
    note=(
        "The '>1 missing' rule is verified in the PMHC spec; how the remaining three scales are combined "
        "is NOT stated there. This library prorates them (sum x 4/3, rounded half up): our choice."
    ),
)
_FOLLOW_UP: Final = Source(
    citation="PMHC-MDS data dictionary, SDQ questions 34 (codes 0-4) and 35 (codes 0-3), follow-up versions only",
    url="https://github.com/strategicdata/pmhc-mds-spec",
    status="verified-secondary",
)

LICENCE: Final = (
    "SDQ (c) youthinmind; in Denmark rights are handled by Komiteen for Sundhedsoplysning. No wording, "
    "subsets or translations may be made, and electronic versions need prior authorisation from "
    "youthinmind. This package stores no item wording and scores item codes only; administering or "
    "digitising the SDQ needs your own licence."
)

# --- items ---------------------------------------------------------------------------------------

_ITEM_OPTIONS: Final = options(("no", "nej"), ("partly", "delvis"), ("yes", "ja"))
_OVERALL_OPTIONS: Final = options(
    ("no", "nej"),
    ("yes: level 1", "ja: grad 1"),
    ("yes: level 2", "ja: grad 2"),
    ("yes: level 3", "ja: grad 3"),
)
_DURATION_OPTIONS: Final = options(
    ("under 1 month", "under 1 måned"),
    ("1-5 months", "1-5 måneder"),
    ("6-12 months", "6-12 måneder"),
    ("over 1 year", "over 1 år"),
)
_AMOUNT_OPTIONS: Final = options(
    ("0: none", "0: ingen"), ("1: low", "1: lav"), ("2: medium", "2: middel"), ("3: high", "3: høj")
)
_CHANGE_OPTIONS: Final = options(
    ("0: lowest (worse)", "0: lavest (værre)"),
    ("1", "1"),
    ("2: middle", "2: midt"),
    ("3", "3"),
    ("4: highest (better)", "4: højest (bedre)"),
)

# printed number = position; (theme in our words, sdqinfo variable name, KL FHIR linkId)
_CORE: Final = (
    ("considerate", "consid", "1friendly"),
    ("restless, overactive", "restles", "2restless"),
    ("somatic complaints", "somatic", "3headache"),
    ("shares", "shares", "4sharing"),
    ("tempers", "tantrum", "5angry"),
    ("solitary", "loner", "6keepingToOneSelf"),
    ("obedient", "obeys", "7followInstructions"),
    ("worries", "worries", "8oftenWorried"),
    ("helpful if someone is hurt", "caring", "9helpfull"),
    ("fidgety", "fidgety", "10restlessBody"),
    ("has a good friend", "friend", "11friend"),
    ("fights or bullies", "fights", "12fighting"),
    ("unhappy", "unhappy", "13sad"),
    ("generally liked", "popular", "14liked"),
    ("easily distracted", "distrac", "15distracted"),
    ("nervous in new situations", "clingy", "16uneasy"),
    ("kind to younger children", "kind", "17treatWell"),
    ("lies or cheats", "lies", "18lying"),
    ("picked on", "bullied", "19bullied"),
    ("volunteers to help", "helpout", "20offersHelp"),
    ("thinks before acting", "reflect", "21consideration"),
    ("steals", "steals", "22steal"),
    ("better with adults than with peers", "oldbest", "23PreferAdults"),
    ("many fears", "afraid", "24afraid"),
    ("sees tasks through, attends", "attends", "25finish"),
)
# The 2-4 form replaces items 18 and 22 (no KL linkId: KL has no 2-4 form).
_PRESCHOOL: Final = {18: ("argues with adults", "argues"), 22: ("spiteful", "spite")}

# (id, theme, options, KL/PMHC number, KL linkId); ids are the sdqinfo names where they exist.
# 'chronic', 'burden', 'fuchange' and 'fuhelp' are our own ids (no sdqinfo name in our sources).
_SUPPLEMENT: Final = (
    ("ebddiff", "overall difficulties", _OVERALL_OPTIONS, "26", "26difficulties"),
    (
        "chronic",
        "how long the difficulties have lasted (not scored)",
        _DURATION_OPTIONS,
        "27",
        "27difficultiesPeriod",
    ),
    ("distres", "difficulties cause distress", _AMOUNT_OPTIONS, "28", "28difficultiesUnhappy"),
    ("imphome", "interfere with home life", _AMOUNT_OPTIONS, "29", "29affectFamilyLife"),
    ("impfrie", "interfere with friendships", _AMOUNT_OPTIONS, "30", "30affectFriendships"),
    ("impclas", "interfere with learning (class, or work/study)", _AMOUNT_OPTIONS, "31", "31affectLearning"),
    ("impleis", "interfere with leisure", _AMOUNT_OPTIONS, "32", "32affectLeisureActivities"),
    ("burden", "burden on others (not scored)", _AMOUNT_OPTIONS, "33", "33AffectOthers"),
    ("fuchange", "follow-up form: change since service contact (not scored)", _CHANGE_OPTIONS, "34", ""),
    ("fuhelp", "follow-up form: service helpful in other ways (not scored)", _AMOUNT_OPTIONS, "35", ""),
)

IMPACT_FULL: Final = ("distres", "imphome", "impfrie", "impclas", "impleis")
"""Impact items of the parent and self-report forms (0-10)."""
IMPACT_TEACHER: Final = ("distres", "impfrie", "impclas")
"""Impact items of the teacher form (0-6)."""

_TEACHER_SUPPLEMENT: Final = frozenset(
    {"ebddiff", "chronic", *IMPACT_TEACHER, "burden", "fuchange", "fuhelp"}
)


def sdq_items(informant: Literal["parent", "self", "teacher", "preschool"]) -> tuple[Item, ...]:
    """Build the items of one SDQ version: 1-25, then the impact supplement.

    Aliases: the sdqinfo variable name and the KL FHIR linkId for items 1-25;
    for the supplement, the KL/PMHC number ("26".."35") and the KL linkId. The
    teacher form gets no numeric aliases (its numbering is not in our sources).
    """
    core: list[Item] = []
    for position, (core_theme, name, link_id) in enumerate(_CORE, start=1):
        theme: str = core_theme
        aliases: tuple[str, ...] = (name, link_id)
        if informant == "preschool" and position in _PRESCHOOL:
            theme, preschool_name = _PRESCHOOL[position]
            aliases = (preschool_name,)
        core.append(Item(id=str(position), theme=theme, options=_ITEM_OPTIONS, aliases=aliases))
    extra: list[Item] = []
    for item_id, item_theme, opts, number, kl_link_id in _SUPPLEMENT:
        if informant != "teacher":
            kl_aliases = tuple(a for a in (number, kl_link_id) if a)
            extra.append(Item(id=item_id, theme=item_theme, options=opts, aliases=kl_aliases))
        elif item_id in _TEACHER_SUPPLEMENT:
            extra.append(Item(id=item_id, theme=item_theme, options=opts))
    return (*core, *extra)


# --- scales --------------------------------------------------------------------------------------

_PRORATE_3_OF_5: Final = MissingRule(
    kind="prorate", min_answered=3, rounding="half_up", source=_THREE_OF_FIVE
)

# (id, English label, Danish label, items, reverse-keyed items, higher is better)
_SUBSCALES: Final = (
    ("emotional", "emotional symptoms", "emotionelle symptomer", ("3", "8", "13", "16", "24"), (), False),
    ("conduct", "conduct problems", "adfærdsproblemer", ("5", "7", "12", "18", "22"), ("7",), False),
    (
        "hyperactivity",
        "hyperactivity/inattention",
        "hyperaktivitet/opmærksomhed",
        ("2", "10", "15", "21", "25"),
        ("21", "25"),
        False,
    ),
    (
        "peer",
        "peer relationship problems",
        "problemer med jævnaldrende",
        ("6", "11", "14", "19", "23"),
        ("11", "14"),
        False,
    ),
    ("prosocial", "prosocial behaviour", "prosocial adfærd", ("1", "4", "9", "17", "20"), (), True),
)
# (id, English label, Danish label, component scales, source, missing-rule source)
_COMPOSITES: Final = (
    (
        "total",
        "total difficulties",
        "samlede vanskeligheder",
        ("emotional", "conduct", "hyperactivity", "peer"),
        _TOTAL,
        _TOTAL,
    ),
    (
        "externalising",
        "externalising (conduct + hyperactivity)",
        "udadreagerende (adfærd + hyperaktivitet)",
        ("conduct", "hyperactivity"),
        _BROAD,
        _BROAD_MISSING,
    ),
    (
        "internalising",
        "internalising (emotional + peer)",
        "indadreagerende (emotionelle + jævnaldrende)",
        ("emotional", "peer"),
        _BROAD,
        _BROAD_MISSING,
    ),
)
_IMPACT_RECODE: Final = ((0, 0), (1, 0), (2, 1), (3, 2))


def sdq_scales(
    impact_items: tuple[str, ...],
    change: Mapping[str, ChangeParameters] | None = None,
    added_value: Mapping[str, AddedValue] | None = None,
) -> tuple[Scale, ...]:
    """Build the nine SDQ scales; ``impact_items`` differ between teacher and the rest.

    ``change`` gives published reliable-change parameters per scale id, and
    ``added_value`` published Added Value formulas per scale id, where an
    informant version has them.
    """
    change = change or {}
    added_value = added_value or {}
    subscales = tuple(
        Scale(
            id=scale_id,
            label_en=label_en,
            label_da=label_da,
            items=items,
            reverse=reverse,
            missing=_PRORATE_3_OF_5,
            higher_is_better=better,
            source=_KEYS,
            change=change.get(scale_id),
        )
        for scale_id, label_en, label_da, items, reverse, better in _SUBSCALES
    )
    composites = tuple(
        Scale(
            id=scale_id,
            label_en=label_en,
            label_da=label_da,
            scales=parts,
            missing=MissingRule(kind="complete", min_answered=len(parts), source=rule_source),
            higher_is_better=False,
            source=source,
            change=change.get(scale_id),
            added_value=added_value.get(scale_id),
        )
        for scale_id, label_en, label_da, parts, source, rule_source in _COMPOSITES
    )
    teacher = impact_items == IMPACT_TEACHER
    impact = Scale(
        id="impact",
        label_en="impact of difficulties",
        label_da="vanskeligheders indvirkning (impact)",
        items=impact_items,
        recode=tuple(ItemRecode(item=i, values=_IMPACT_RECODE, source=_IMPACT) for i in impact_items),
        gate=Gate(item="ebddiff", codes=(0,), value=0, source=_IMPACT),
        missing=MissingRule(kind="zero_fill", min_answered=1, rounding="half_up", source=_IMPACT),
        higher_is_better=False,
        source=_TEACHER_IMPACT if teacher else _IMPACT,
    )
    return (*subscales, *composites, impact)


PMHC_TOTAL: Final = MissingVariant(
    id="pmhc-total",
    label="Australian PMHC-MDS: total missing only if more than one scale is missing (remaining 3 prorated)",
    rules=(("total", MissingRule(kind="prorate", min_answered=3, rounding="half_up", source=_PMHC_VARIANT)),),
)
"""Non-default total rule of the Australian PMHC-MDS, selected by ``missing="pmhc-total"``."""

ITEM_NOTES: Final = (
    (
        f"Item ids are the printed numbers '1'..'25'; aliases are the sdqinfo variable names ({_VARIABLE_NAMES}) "
        f"and the KL FHIR linkIds ({_KL_FHIR})."
    ),
    (
        "Supplement ids: ebddiff, distres, imphome, impfrie, impclas, impleis (sdqinfo names); chronic, burden, "
        "fuchange, fuhelp are this library's own ids (no sdqinfo name in our sources). Numeric aliases '26'..'35' "
        "follow the KL/PMHC numbering (the UK form numbers interference 29a-d and burden 30: do not mix)."
    ),
    (
        f"Follow-up questions fuchange (codes 0-4) and fuhelp (0-3) are accepted and scored nowhere ({_FOLLOW_UP}); "
        "follow-up forms omit the duration question, which is optional here."
    ),
)
"""Notes on item ids and aliases shared by every SDQ version."""
