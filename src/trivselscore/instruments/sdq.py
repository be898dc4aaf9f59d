"""Strengths and Difficulties Questionnaire (SDQ): every informant version, data only.

Versions: self-report 11-17 (``"sdq-s11-17"``), parent 4-17 (``"sdq-p4-17"``),
teacher 4-17 (``"sdq-t4-17"``), parent 2-4 (``"sdq-p2-4"``) and self-report 18+
(``"sdq-s18"``). All share one scoring: 25 items coded 0-2 ("1".."25", the printed
numbers), five scales of five items, items 7, 11, 14, 21 and 25 reverse-keyed.
The 2-4 form replaces items 18 and 22 (``argues``, ``spite``; still conduct, not
reversed). Follow-up forms score the same way; their two extra questions
(``fuchange``, ``fuhelp``) and the duration and burden questions (``chronic``,
``burden``) are accepted and validated but scored nowhere.

Scales: ``emotional``, ``conduct``, ``hyperactivity``, ``peer``, ``prosocial``
(0-10 each, prosocial higher = better); ``total`` (the four difficulty scales,
0-40); ``externalising`` (conduct + hyperactivity) and ``internalising``
(emotional + peer), 0-20; ``impact`` (0-10, teacher 0-6).

Missing data, the official rule (default): a scale is scored when at least 3 of
its 5 items are answered, as the mean of the answered items (after reversal)
x 5 rounded half up, floor(x + 0.5): 2.5 -> 3, where Python's ``round`` gives 2;
prorated scores are flagged. ``total`` is None when any of its four scales is
None; ``externalising``/``internalising`` need both parts (our analogy: no
official rule). The Australian PMHC "total missing only if more than one scale
is missing" rule is available as ``missing="pmhc-total"`` (how PMHC combines the
three remaining scales is not stated; we prorate them, sum x 4/3 half up).
Impact: 0 when ``ebddiff`` (overall difficulties) is "no" (0); the impact items
are then "not asked", not missing, even under ``missing="raise"``. Otherwise
the sum of the recoded items (0 and 1 -> 0, 2 -> 1, 3 -> 2) with unanswered
items counting 0; None only when every impact item is unanswered and
``ebddiff`` is not "no". ``missing="prorate"`` also prorates impact (mean x
item count, half up): not an official rule, use the default.

Cutoff schemes (UK bands; each band table carries its source and status, see
:mod:`trivselscore.instruments.sdq_bands`):

* ``"sdq-3band"`` (normal / borderline / abnormal) for every version; for the
  parent form also ``"sdq-3band-prosocial-8"``, the other published parent
  prosocial banding (8-10 / 7 / 0-6 instead of 6-10 / 5 / 0-4).
* ``"sdq-4band"`` (close to average / slightly raised / high / very high;
  prosocial: slightly lowered / low / very low) for self, parent and teacher.
* ``"sdq-3band-s11-17-extrapolated"`` for the 18+ form only: an extrapolation.

Default scheme: the 4-band scheme where its difficulty and prosocial edges are
verified (parent and teacher, verified-secondary); otherwise the 3-band scheme
(self-report: only the first 4-band cut is verified; parent 2-4: 3-band only,
provisional). The 18+ form has no default: no published bands exist. Every
impact band is unverified (recalled, not found) in every scheme and is marked
so. Norms by age and sex (e.g. the Danish Arnfred 2019 norms) fit the same
model as ``Cutoffs(sex=..., min_age=..., max_age=...)`` read through
``Respondent``; none are shipped because their values were not retrieved.

Licence: the SDQ is copyrighted by youthinmind (in Denmark: Komiteen for
Sundhedsoplysning). This package holds no item wording, only item numbers,
themes in our own words and variable names, and scores codes only.

Examples:
    >>> from trivselscore import score
    >>> result = score("sdq-s11-17", {"3": 2, "8": 2, "13": 0})  # official worked example
    >>> result["emotional"].value, result["emotional"].prorated
    (7, True)
    >>> score("sdq-p4-17", {"26difficulties": 0})["impact"].value  # KL linkId; "no" -> 0
    0

References:
    youthinmind. Scoring the Strengths & Difficulties Questionnaire for age 4-17
    (2014) and for 2-4 year olds (2015).

    youthinmind. SDQ scoring syntax for SPSS, SAS and Stata,
    https://www.sdqinfo.org/c1.html, c2.html, c3.html. Checked in a public copy of
    the Stata syntax, not in the files on sdqinfo.org; community R copies (e.g.
    gbiele/masterfile scripts4tests/sdq.R) are not used as a source, as their
    stored versions score impact like a prorated scale.

    Goodman R. Psychometric properties of the Strengths and Difficulties
    Questionnaire. J Am Acad Child Adolesc Psychiatry 2001;40(11):1337-1345.

    KL. FHIR implementation guide "KL Gateway children", hl7dk/kl-children.
"""

from __future__ import annotations

from typing import Final

from trivselscore.definitions.instrument import Instrument
from trivselscore.definitions.model import AddedValue, ChangeParameters, ItemBlock, Source, Weight
from trivselscore.instruments.sdq_bands import (
    PARENT_SCHEMES,
    PRESCHOOL_SCHEMES,
    SELF_18_SCHEMES,
    SELF_SCHEMES,
    TEACHER_SCHEMES,
)
from trivselscore.instruments.sdq_parts import (
    IMPACT_FULL,
    IMPACT_TEACHER,
    ITEM_NOTES,
    LICENCE,
    PMHC_TOTAL,
    SDQ_SCORE_2_4,
    SDQ_SCORE_4_17,
    SELF_18_SOURCE,
    sdq_items,
    sdq_scales,
)

__all__ = ["PARENT_ADDED_VALUE", "SDQ_P2_4", "SDQ_P4_17", "SDQ_S11_17", "SDQ_S18", "SDQ_T4_17"]

_NAME: Final = "Strengths and Difficulties Questionnaire"
_FULL_SCALES: Final = sdq_scales(IMPACT_FULL)

_GOODMAN_RETEST: Final = Source(
    citation=(
        "Goodman R. Psychometric properties of the Strengths and Difficulties Questionnaire. "
        "J Am Acad Child Adolesc Psychiatry 2001;40(11):1337-1345: mean 4-6-month test-retest r 0.62"
    ),
    status="derived",
    note=(
        "0.62 is the mean retest stability over all SDQ scores and informants (British national sample), "
        "applied here to each scale; no scale-specific SDQ reliable-change value was found."
    ),
)
_VUGTEVEEN: Final = Source(
    citation=(
        "Vugteveen J, de Bildt A, Timmerman ME. Normative data for the self-reported and parent-reported SDQ "
        "for ages 12-17. Child Adolesc Psychiatry Ment Health 2022;16:5, Table 2 (Dutch norms)"
    ),
    doi="10.1186/s13034-021-00437-8",
    status="verified",
)
_AGES_4_17: Final = Source(
    citation="youthinmind. Scoring the Strengths & Difficulties Questionnaire for age 4-17 (19 Aug 2014)",
    url=SDQ_SCORE_4_17.url,
    status="verified",
    note="The parent and teacher versions for ages 4-17.",
)
_AGES_11_17: Final = Source(
    citation=(
        "youthinmind self-report SDQ for 11-17 year olds (S11-17); KL FHIR IG 'KL Gateway children', "
        "'SDQ self-rated for 11-17 year old' (SNOMED CT 717639006)"
    ),
    url="https://github.com/hl7dk/kl-children",
    status="verified",
    note=(
        "About 11-16/17 depending on literacy; readability suggests caution below a reading age of 13-14 "
        "(Patalay et al. BJPsych Open 2018, doi:10.1192/bjo.2017.13)."
    ),
)
_AGES_2_4: Final = Source(
    citation="youthinmind. Scoring the Strengths & Difficulties Questionnaire for 2-4 year olds (06 Oct 2015)",
    url=SDQ_SCORE_2_4.url,
    status="verified",
)
_AGES_18: Final = Source(
    citation="youthinmind 18+ self-report SDQ (not found in the sources searched)",
    status="unverified",
    note=(
        "Brann et al. 2018 (doi:10.1016/j.psychres.2018.03.001) used a young-adult SDQ at 18-25; "
        "130 stands for no upper age."
    ),
)
_SUPPLEMENT: Final = Source(
    citation=(
        "The impact supplement (overall difficulties, duration, distress, interference, burden) is the back "
        "page of the extended SDQ versions; the plain versions hold the 25 items only (sdqinfo syntax; "
        "PMHC-MDS specification 'SDQ items'; KL FHIR IG items 26-33)"
    ),
    url="https://docs.pmhc-mds.com/data-specification/data-model-and-specifications.html#scoring-the-sdq",
    status="verified-secondary",
    note="Without it, impact cannot be scored; the five scales, total and broad scales need none of it.",
)
_FOLLOW_UPS: Final = Source(
    citation="PMHC-MDS data dictionary: SDQ questions 34 and 35 are asked on the follow-up versions only",
    url="https://github.com/strategicdata/pmhc-mds-spec",
    status="verified-secondary",
)


def _blocks(impact: tuple[str, ...]) -> tuple[ItemBlock, ...]:
    """The optional blocks of a version: the impact supplement and the follow-up questions."""
    return (
        ItemBlock(
            id="impact",
            label_en="impact supplement",
            label_da="tillægget om vanskeligheders indvirkning (impact)",
            items=("ebddiff", "chronic", *impact, "burden"),
            source=_SUPPLEMENT,
        ),
        ItemBlock(
            id="follow_up",
            label_en="follow-up questions",
            label_da="opfølgningsspørgsmål",
            items=("fuchange", "fuhelp"),
            source=_FOLLOW_UPS,
        ),
    )


def _change(sd: float, population: str) -> ChangeParameters:
    return ChangeParameters(
        sd=sd,
        reliability=0.62,
        population=population,
        reliability_kind="test-retest r (4-6 months, mean over SDQ scores)",
        source=_GOODMAN_RETEST,
        sd_source=_VUGTEVEEN,
    )


_SELF_SDS: Final = {
    "total": 5.0, "emotional": 2.1, "conduct": 1.3, "hyperactivity": 2.4, "peer": 1.6,
    "prosocial": 1.6, "externalising": 3.1, "internalising": 3.1,
}  # fmt: skip
_SELF_SCALES: Final = sdq_scales(
    IMPACT_FULL,
    {k: _change(v, "Dutch self-reports aged 12-17 (n=993)") for k, v in _SELF_SDS.items()},
)
_FORD_2009: Final = Source(
    citation=(
        "Ford T, Hutchings J, Bywater T, Goodman A, Goodman R. Strengths and Difficulties Questionnaire "
        "Added Value Scores: evaluating effectiveness in child mental health interventions. Br J Psychiatry "
        "2009;194(6):552-558 (erratum 2009;195(2):182); youthinmind, sdqinfo.com, 'Added Value' page (e10)"
    ),
    doi="10.1192/bjp.bp.108.052373",
    status="verified-secondary",
    note=(
        "The formula, SD 5 and the versions were read on sdqinfo.com (baseline total, impact and emotional "
        "scores from the standard parent SDQ, the total from the follow-up parent SDQ about 6 months later) "
        "and in a slide copy of the authors' talk; the article itself was not opened."
    ),
)
PARENT_ADDED_VALUE: Final = AddedValue(
    intercept=2.3,
    weights=(
        Weight(scale="total", weight=0.8),
        Weight(scale="impact", weight=0.2),
        Weight(scale="emotional", weight=-0.3),
    ),
    sd=5.0,
    population=(
        "children in the British Child and Adolescent Mental Health Survey 2004 and its 6-month follow-up "
        "with a psychiatric disorder or whose parents had sought help (n=604), parent reports"
    ),
    source=_FORD_2009,
    note=(
        "Parent SDQ only; built for high-risk groups over about 6 months, so sdqinfo cautions against reading it "
        "for low-risk children; one person's AV has a 95% interval of about +-10 points, the mean of 100 about +-1."
    ),
)
"""The youthinmind Added Value formula of the parent SDQ's total difficulties score (Ford et al. 2009)."""

_PARENT_SCALES: Final = sdq_scales(
    IMPACT_FULL,
    {
        k: _change(v, "Dutch parent reports aged 12-17 (n=736)")
        for k, v in {"total": 5.6, "prosocial": 1.8}.items()
    },
    added_value={"total": PARENT_ADDED_VALUE},
)
_IMPACT_NOTE: Final = (
    "Impact after ebddiff = 0 is 0 and its items are 'not asked'; impact bands are unverified."
)

SDQ_S11_17: Final = Instrument(
    id="sdq-s11-17",
    name=f"{_NAME}, self-report 11-17",
    title_da="SDQ (styrker og vanskeligheder)",
    title_en="SDQ (strengths and difficulties)",
    version="1",
    informant="self",
    age_range=(11, 17),
    age_range_source=_AGES_11_17,
    licence=LICENCE,
    source=SDQ_SCORE_4_17,
    items=sdq_items("self"),
    scales=_SELF_SCALES,
    schemes=SELF_SCHEMES,
    default_scheme="sdq-3band",
    missing_variants=(PMHC_TOTAL,),
    optional=_blocks(IMPACT_FULL),
    notes=(
        (
            "Default scheme: 'sdq-3band' (verified-secondary). 'sdq-4band' is offered but only its first cut "
            "(close to average) is verified; its other cuts are unverified."
        ),
        _IMPACT_NOTE,
        *ITEM_NOTES,
    ),
)

SDQ_P4_17: Final = Instrument(
    id="sdq-p4-17",
    name=f"{_NAME}, parent report 4-17",
    title_da="SDQ (styrker og vanskeligheder)",
    title_en="SDQ (strengths and difficulties)",
    version="1",
    informant="parent",
    age_range=(4, 17),
    age_range_source=_AGES_4_17,
    licence=LICENCE,
    source=SDQ_SCORE_4_17,
    items=sdq_items("parent"),
    scales=_PARENT_SCALES,
    schemes=PARENT_SCHEMES,
    default_scheme="sdq-4band",
    missing_variants=(PMHC_TOTAL,),
    optional=_blocks(IMPACT_FULL),
    notes=(
        "Default scheme: 'sdq-4band' (difficulty and prosocial edges verified-secondary, one code source).",
        (
            "Parent prosocial 3-band: 'sdq-3band' uses 6-10 / 5 / 0-4 (original scoring sheet); "
            "'sdq-3band-prosocial-8' uses 8-10 / 7 / 0-6 (British normative split). Both are published."
        ),
        _IMPACT_NOTE,
        *ITEM_NOTES,
    ),
)

SDQ_T4_17: Final = Instrument(
    id="sdq-t4-17",
    name=f"{_NAME}, teacher report 4-17",
    title_da="SDQ (styrker og vanskeligheder)",
    title_en="SDQ (strengths and difficulties)",
    version="1",
    informant="teacher",
    age_range=(4, 17),
    age_range_source=_AGES_4_17,
    licence=LICENCE,
    source=SDQ_SCORE_4_17,
    items=sdq_items("teacher"),
    scales=sdq_scales(IMPACT_TEACHER),
    schemes=TEACHER_SCHEMES,
    default_scheme="sdq-4band",
    missing_variants=(PMHC_TOTAL,),
    optional=_blocks(IMPACT_TEACHER),
    notes=(
        "Default scheme: 'sdq-4band' (verified-secondary, a single source reproducing sdqinfo).",
        (
            "Teacher impact = distres + impfrie + impclas (0-6). The teacher supplement items other than these "
            "(chronic, burden, follow-up) are taken from the parent form by analogy and have no numeric aliases."
        ),
        _IMPACT_NOTE,
        *ITEM_NOTES,
    ),
)

SDQ_P2_4: Final = Instrument(
    id="sdq-p2-4",
    name=f"{_NAME}, parent report 2-4",
    title_da="SDQ (styrker og vanskeligheder)",
    title_en="SDQ (strengths and difficulties)",
    version="1",
    informant="parent",
    age_range=(2, 4),
    age_range_source=_AGES_2_4,
    licence=LICENCE,
    source=SDQ_SCORE_2_4,
    items=sdq_items("preschool"),
    scales=_FULL_SCALES,
    schemes=PRESCHOOL_SCHEMES,
    default_scheme="sdq-3band",
    missing_variants=(PMHC_TOTAL,),
    optional=_blocks(IMPACT_FULL),
    notes=(
        "Default scheme: 'sdq-3band', labelled provisional by youthinmind; no 4-band or impact bands found.",
        "Items 18 (argues) and 22 (spite) replace the 4-17 items; no KL linkIds for them.",
        "The impact supplement is assumed to match the 4-17 parent form (not checked in our sources).",
        _IMPACT_NOTE,
        *ITEM_NOTES,
    ),
)

SDQ_S18: Final = Instrument(
    id="sdq-s18",
    name=f"{_NAME}, self-report 18+",
    title_da="SDQ (styrker og vanskeligheder)",
    title_en="SDQ (strengths and difficulties)",
    version="1",
    informant="self",
    age_range=(18, 130),
    age_range_source=_AGES_18,
    licence=LICENCE,
    source=SELF_18_SOURCE,
    items=sdq_items("self"),
    scales=_FULL_SCALES,
    schemes=SELF_18_SCHEMES,
    default_scheme=None,
    missing_variants=(PMHC_TOTAL,),
    optional=_blocks(IMPACT_FULL),
    notes=(
        (
            "No default scheme: no 18+ band cut-points are published. 'sdq-3band-s11-17-extrapolated' applies "
            "the 11-17 self-report bands to adults and is marked unverified."
        ),
        "Interference with learning (impclas) is read as work or study on the 18+ form.",
        _IMPACT_NOTE,
        *ITEM_NOTES,
    ),
)
