"""Mood and Feelings Questionnaire: long forms and the short form (SMFQ).

Definitions only, no code. Long forms: child self-report ``"mfq-c"`` (33 items),
parent report ``"mfq-p"`` (34; item 34 exists only there) and adult self-report
``"mfq-a"`` (33). Short forms: ``"smfq-c"``, ``"smfq-p"``, ``"smfq-a"`` (13
items). Every item is coded 0-2 (our labels: not true, sometimes, true), none is
reverse-keyed, and the only scale is ``total`` = the sum (SMFQ 0-26, long
forms 0-66, parent long 0-68). Higher is more depressive symptoms.

Short from long: SMFQ items 1-13 are long-form items 1, 2, 5, 7, 8, 14, 21, 23,
24, 27, 28, 30, 31. Each short form declares this map (``derived_from``), so
``convert("mfq-c", answers, to="smfq-c")`` reads the SMFQ from a long-form response.

Ages (``age_range``, each with its source): the child and parent forms are for
ages 6-17 (secondary sources; the parent range derived from the child one), the
adult forms for 18 and over (unverified: Duke names adult versions without an
age range). So ``["mfq-c", "mfq-a"]`` (or the SMFQ pair) chosen by age gives a
13-17-year-old the child form and an 18-25-year-old the adult form.

Missing data: no official rule. By default the total is None when any item is
unanswered. ``missing="prorate"`` prorates it (mean x items, unrounded, flagged)
from at least 11 of 13 (short), 30 of 33 or 31 of 34 (long) answers: this
library's decision, not a published rule.

Cutoffs: the MFQ developers state that "there are no prescribed cut points for
any version of the MFQ". The schemes below are thresholds from validation
studies, each named after its source with its population; they screen, they do
not diagnose. SMFQ self-report: ``thabrew-eyre-12`` (12 or above; default, for
ages 13-25), ``angold-1995-8`` (8 or above, secondary source), ``eyre-2021-10``
(10 or above, favouring sensitivity) and ``jarbin-2020`` (girls 12, boys 6:
needs ``Respondent.sex``; without it the band is None with the reason). Parent
SMFQ: only ``parent-11-unverified`` (value not found in a primary source).
MFQ long: child ``daviss-2006-29`` (default), ``thabrew-2018-28`` and
``jarbin-2020-max-kappa``; parent ``daviss-2006-27``; adult none.

Safety flag: on the long forms, any answer above 0 on items 16-19 (the
suicidality items) raises ``suicidality_item_endorsed``, so that a municipal
system can route the case to a professional at once. This is this library's
decision, not an MFQ rule. The SMFQ has no suicidality item.

Licence: © Adrian Angold & Elizabeth J. Costello, 1987, Duke University; free
to download and use with clients or for research, citing the authors. No
permission to embed item wording in software was found, so the package stores
none: items are numbers with a theme in our own words.

Examples:
    >>> from trivselscore import Respondent, score
    >>> answers = [2, 1, 1, 0, 2, 1, 1, 0, 1, 1, 0, 0, 0]
    >>> result = score("smfq-c", answers, respondent=Respondent(age=15, sex="male"))
    >>> result["total"].value, result["total"].band
    (10, 'below_cutoff')
    >>> {b.scheme: b.band for b in result["total"].bands}["jarbin-2020"]
    'at_or_above_cutoff'

References:
    Angold A, Costello EJ. Mood and Feelings Questionnaire. Developmental
    Epidemiology Program, Duke University, 1987.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from trivselscore.definitions.instrument import Instrument
from trivselscore.definitions.model import (
    Band,
    ChangeParameters,
    Cutoffs,
    CutoffScheme,
    Item,
    ItemFlag,
    ItemMap,
    MissingRule,
    Scale,
    Sex,
    Source,
    options,
)

__all__ = ["MFQ_A", "MFQ_C", "MFQ_P", "SMFQ_A", "SMFQ_C", "SMFQ_P"]

DUKE: Final = Source(
    citation=(
        "Angold A, Costello EJ. Mood and Feelings Questionnaire (MFQ), 1987. Developmental Epidemiology "
        "Program, Duke University: 'There are no prescribed cut points for any version of the MFQ.'"
    ),
    url="https://psychiatry.duke.edu/research/research-programs-areas/assessment-intervention/developmental-epidemiology-instruments-0",
    status="verified",
)
CODING: Final = Source(
    citation="PhenX Toolkit protocol 121702 (SMFQ): not true 0, sometimes 1, true 2; total = sum, 0-26",
    note="Same coding in the long forms (structsense ground truth); no reverse-keyed items.",
    status="verified",
)
LONG_THEMES: Final = Source(
    citation=(
        "Long-form item order and themes: sensein/structsense pdf2reproschema ground truth (adult long MFQ) "
        "and CLOSER Discovery MFQ page (CLOSER-Cohorts/discovery-customisations pages/mfq.md, 1a12de3)"
    ),
    status="verified-secondary",
    note="Child, parent and adult long forms share numbering 1-33; item 34 exists only in the parent form.",
)
SHORT_MAP: Final = Source(
    citation=(
        "SMFQ items within the long form: 1, 2, 5, 7, 8, 14, 21, 23, 24, 27, 28, 30, 31 (CLOSER Discovery "
        "MFQ page, SMFQ column; matches PhenX 121702 against the long-form list)"
    ),
    status="verified-secondary",
    note="Thabrew et al. 2018: the 33-item MFQ includes all 13 SMFQ items.",
)
ADULT_SHORT: Final = Source(
    citation="Duke page lists an Adult Self-Report short MFQ; its 13 items are assumed to follow the SMFQ map",
    url=DUKE.url,
    status="unverified",
    note="The adult short item count (13) and its items were not checked against the Duke adult form.",
)
NO_RULE: Final = Source(
    citation=(
        "No official MFQ missing-item rule (Duke page, forms and validation papers searched). Default: no "
        "total with any item missing; missing='prorate' thresholds are this library's decision"
    ),
    status="derived",
)
SAFETY: Final = Source(
    citation=(
        "Library decision: any answer above 0 on long-form items 16-19 (the suicidality items in all long "
        "forms; CLOSER Discovery MFQ page, structsense) is routed to a professional"
    ),
    status="derived",
    note="Not an MFQ rule; the MFQ developers prescribe no cut points or flags.",
)
THABREW_EYRE: Final = Source(
    citation=(
        "Thabrew H et al. Int J Methods Psychiatr Res 2018;27(3):e1610 (SMFQ 12 or above, NZ help-seeking "
        "adolescents); Eyre O et al. J Affect Disord 2021;294:883-888, doi:10.1016/j.jad.2021.07.090 "
        "(12 or above best balance at age 25, ALSPAC)"
    ),
    doi="10.1002/mpr.1610",
    status="verified",
)
EYRE_2021_12: Final = Source(
    citation="Eyre O et al. J Affect Disord 2021;294:883-888 (SMFQ 12 or above best balance at age 25, ALSPAC)",
    doi="10.1016/j.jad.2021.07.090",
    status="verified",
)
EYRE_2021_10: Final = Source(
    citation="Eyre O et al. J Affect Disord 2021;294:883-888 (SMFQ 10 or above when favouring sensitivity)",
    doi="10.1016/j.jad.2021.07.090",
    status="verified",
)
ANGOLD_1995: Final = Source(
    citation="Angold A, Costello EJ et al. 1995 (SMFQ development study), as cited by an SMFQ scoring sheet",
    url="https://www.scribd.com/doc/258702781/SMFQ-Child-and-Parent",
    status="verified-secondary",
    note="Child SMFQ 8 or above: sensitivity 60 %, specificity 85 % for major depression (ages 8-16).",
)
JARBIN_2020: Final = Source(
    citation="Jarbin H et al. PLoS One 2020;15(3):e0230623 (Swedish CAMHS outpatients 13-17)",
    doi="10.1371/journal.pone.0230623",
    status="verified",
)
PARENT_11: Final = Source(
    citation="Vendor page: parent SMFQ 11 or above; origin possibly Thapar & McGuffin 1998",
    url="https://ebchelp.blueprint.ai/en/articles/8293304",
    status="unverified",
    note="The value 11 was not found in a primary source (Thapar & McGuffin 1998 abstract gives none).",
)
DAVISS_2006: Final = Source(
    citation="Daviss WB et al. J Child Psychol Psychiatry 2006;47(9):927-934 (US clinic and non-clinic, n=470)",
    url="https://pubmed.ncbi.nlm.nih.gov/16930387/",
    status="verified",
)
THABREW_2018: Final = Source(
    citation="Thabrew H et al. Int J Methods Psychiatr Res 2018;27(3):e1610 (MFQ 28 or above, NZ help-seeking adolescents)",
    doi="10.1002/mpr.1610",
    status="verified",
)
CHILD_AGES: Final = Source(
    citation=(
        "The MFQ measures depressive symptoms in children aged 6-17 (Wikipedia, 'The Mood and Feelings "
        "Questionnaire'); NovoPsych, SMFQ self-report: children aged 6-17"
    ),
    url="https://en.wikipedia.org/wiki/The_Mood_and_Feelings_Questionnaire",
    status="verified-secondary",
    note="Not read on the Duke page; Eg et al. 2018 used both child versions at 9-17 in Denmark.",
)
PARENT_AGES: Final = Source(
    citation="The parent forms report on the children the MFQ is for (ages 6-17, as the child forms)",
    url=CHILD_AGES.url,
    status="derived",
)
ADULT_AGES: Final = Source(
    citation=(
        "Duke lists Adult Self-Report long and short MFQ versions; no age range is stated in the sources "
        "searched: 18 and over is this library's reading of 'adult'"
    ),
    url=DUKE.url,
    status="unverified",
    note="No validation of the adult-wording forms at 18-25 was found; 130 stands for no upper age.",
)

LICENCE: Final = (
    "© Adrian Angold & Elizabeth J. Costello, 1987, Developmental Epidemiology Program, Duke University. "
    "Free to download and use with clients or for research; cite the authors in published work."
)
NO_CUT_POINTS: Final = (
    "The MFQ developers state there are no prescribed cut points for any version of the MFQ; "
    "this threshold comes from a validation study and screens, it does not diagnose."
)

_OPTIONS = options(("not true", "passer ikke"), ("sometimes", "nogle gange"), ("true", "passer"))

_THEMES: Final = (
    "unhappy or miserable mood", "anhedonia", "reduced appetite", "increased eating",
    "fatigue or inactivity", "psychomotor slowing", "restlessness", "worthlessness",
    "inappropriate self-blame", "indecision", "irritability", "talking less", "slowed speech",
    "crying", "hopelessness about the future", "life not worth living", "thoughts of death",
    "family better off without me", "thoughts of killing oneself", "social withdrawal",
    "poor concentration", "expecting bad things", "self-hatred", "feeling a bad person",
    "feeling ugly", "worry about aches and pains", "loneliness", "feeling unloved", "lack of fun",
    "feeling inferior to peers", "doing everything wrong", "poorer sleep", "oversleeping",
    "less enjoyment even when praised or rewarded",
)  # fmt: skip
"""Long-form item themes 1-34 in our words (34: parent form only)."""

SHORT_FROM_LONG: Final = (1, 2, 5, 7, 8, 14, 21, 23, 24, 27, 28, 30, 31)
SUICIDALITY_ITEMS: Final = ("16", "17", "18", "19")


def _total(
    n_items: int, min_answered: int, source: Source, change: ChangeParameters | None = None
) -> tuple[Scale, ...]:
    return (
        Scale(
            id="total",
            label_en="total score",
            label_da="samlet score",
            items=tuple(str(n) for n in range(1, n_items + 1)),
            missing=MissingRule(kind="complete", min_answered=min_answered, source=NO_RULE),
            higher_is_better=False,
            source=source,
            change=change,
        ),
    )


def _bands(cut: int, high: int) -> tuple[Band, ...]:
    return (
        Band(
            id="below_cutoff",
            label_en=f"below {cut}",
            label_da=f"under {cut}",
            lower=0,
            upper=cut,
            upper_inclusive=False,
        ),
        Band(
            id="at_or_above_cutoff",
            label_en=f"{cut} or above: possible depression, assess further",
            label_da=f"{cut} eller derover: mulig depression, bør vurderes nærmere",
            lower=cut,
            upper=high,
        ),
    )


class _Threshold(NamedTuple):
    id: str
    label_en: str
    label_da: str
    cuts: dict[Sex | None, int]
    source: Source


def _scheme(threshold: _Threshold, high: int) -> CutoffScheme:
    sexes = None not in threshold.cuts
    return CutoffScheme(
        id=threshold.id,
        label_en=threshold.label_en,
        label_da=threshold.label_da,
        cutoffs=tuple(
            Cutoffs(scale="total", sex=sex, bands=_bands(cut, high)) for sex, cut in threshold.cuts.items()
        ),
        source=threshold.source,
        note=f"{NO_CUT_POINTS} Sex-specific: needs Respondent.sex." if sexes else NO_CUT_POINTS,
    )


_THRESHOLDS: Final = {t.id: t for t in (
    # SMFQ
    _Threshold("thabrew-eyre-12",
               "12 or above (Thabrew 2018, NZ help-seeking adolescents; Eyre 2021, UK cohort up to age 25)",
               "12 eller derover (Thabrew 2018, hjælpsøgende unge i NZ; Eyre 2021, britisk kohorte op til 25 år)",
               {None: 12}, THABREW_EYRE),
    _Threshold("eyre-2021-12",
               "12 or above (Eyre 2021, UK ALSPAC cohort at age 25)",
               "12 eller derover (Eyre 2021, britisk ALSPAC-kohorte ved 25 år)",
               {None: 12}, EYRE_2021_12),
    _Threshold("angold-1995-8",
               "8 or above (Angold 1995, ages 8-16, psychiatric and paediatric samples; secondary source)",
               "8 eller derover (Angold 1995, 8-16 år, psykiatriske og pædiatriske stikprøver; sekundær kilde)",
               {None: 8}, ANGOLD_1995),
    _Threshold("eyre-2021-10",
               "10 or above, favouring sensitivity (Eyre 2021, UK ALSPAC cohort at age 25)",
               "10 eller derover, vægt på sensitivitet (Eyre 2021, britisk ALSPAC-kohorte ved 25 år)",
               {None: 10}, EYRE_2021_10),
    _Threshold("jarbin-2020",
               "girls 12 or above, boys 6 or above (Jarbin 2020, Swedish CAMHS outpatients 13-17)",
               "piger 12 eller derover, drenge 6 eller derover (Jarbin 2020, svenske BUP-patienter 13-17 år)",
               {"female": 12, "male": 6}, JARBIN_2020),
    _Threshold("parent-11-unverified",
               "parent SMFQ 11 or above (UNVERIFIED: vendor statement, no primary source found)",
               "forældre-SMFQ 11 eller derover (IKKE VERIFICERET: leverandørudsagn, ingen primærkilde fundet)",
               {None: 11}, PARENT_11),
    # MFQ long forms
    _Threshold("daviss-2006-29",
               "child MFQ 29 or above (Daviss 2006, US clinic and non-clinic youth; major depressive episode)",
               "børne-MFQ 29 eller derover (Daviss 2006, amerikanske unge i og uden for klinik)",
               {None: 29}, DAVISS_2006),
    _Threshold("daviss-2006-27",
               "parent MFQ 27 or above (Daviss 2006, US clinic and non-clinic youth; major depressive episode)",
               "forældre-MFQ 27 eller derover (Daviss 2006, amerikanske unge i og uden for klinik)",
               {None: 27}, DAVISS_2006),
    _Threshold("thabrew-2018-28",
               "MFQ 28 or above, favouring sensitivity (Thabrew 2018, NZ help-seeking adolescents)",
               "MFQ 28 eller derover, vægt på sensitivitet (Thabrew 2018, hjælpsøgende unge i NZ)",
               {None: 28}, THABREW_2018),
    _Threshold("jarbin-2020-max-kappa",
               "girls 32 or above, boys 11 or above, max-kappa (Jarbin 2020, Swedish CAMHS outpatients 13-17)",
               "piger 32 eller derover, drenge 11 eller derover (Jarbin 2020, svenske BUP-patienter 13-17 år)",
               {"female": 32, "male": 11}, JARBIN_2020),
)}  # fmt: skip
"""Every MFQ/SMFQ threshold, by scheme id; which form uses which follows the sources."""


_SAFETY_FLAG: Final = ItemFlag(
    id="suicidality_item_endorsed",
    items=SUICIDALITY_ITEMS,
    codes=(1, 2),
    message=(
        "an answer above 0 on a suicidality item (16-19): route to a professional now "
        "(this library's decision, not an MFQ rule)"
    ),
    kind="library decision",
    source=SAFETY,
)


def _form(  # noqa: PLR0913 - one form is these facts
    instrument_id: str,
    name: str,
    informant: str,
    *,
    items: tuple[int, ...],
    ages: tuple[tuple[float, float], Source],
    schemes: tuple[str, ...],
    default: str | None,
    notes: tuple[str, ...],
    long_id: str | None = None,
    source: Source = DUKE,
    change: ChangeParameters | None = None,
) -> Instrument:
    """A long form (``items`` = its numbers) or, with ``long_id``, a short form read from it."""
    short = long_id is not None
    return Instrument(
        id=instrument_id,
        name=name,
        title_da=f"{'SMFQ' if short else 'MFQ'} (depressive symptomer)",
        title_en=f"{'SMFQ' if short else 'MFQ'} (depressive symptoms)",
        version="1",
        informant=informant,
        age_range=ages[0],
        age_range_source=ages[1],
        licence=LICENCE,
        source=source,
        items=tuple(Item(id=str(k), theme=_THEMES[n - 1], options=_OPTIONS) for k, n in enumerate(items, 1)),
        scales=_total(len(items), len(items) - (2 if short else 3), CODING if short else LONG_THEMES, change),
        schemes=tuple(_scheme(_THRESHOLDS[s], 2 * len(items)) for s in schemes),
        default_scheme=default,
        flags=() if short else (_SAFETY_FLAG,),
        derived_from=()
        if long_id is None
        else (
            ItemMap(
                instrument=long_id,
                items=tuple((str(n), str(k)) for k, n in enumerate(items, 1)),
                source=SHORT_MAP,
            ),
        ),
        notes=(_NO_CUT_POINTS_NOTE, *notes),
    )


SUND_2001: Final = ChangeParameters(
    sd=9.5,
    reliability=0.84,
    population="Norwegian school sample aged 13-14 (n=2,560), 3-week test-retest",
    reliability_kind="test-retest r (3 weeks)",
    source=Source(
        citation=(
            "Sund AM, Larsson B, Wichstrøm L. Eur Child Adolesc Psychiatry 2001;10:222-229 (MFQ, Norwegian "
            "adolescents 13-14: mean 10.6, SD 9.5; test-retest r 0.84 at 3 weeks)"
        ),
        status="verified",
    ),
)
_NO_CUT_POINTS_NOTE: Final = (
    "The MFQ developers state there are no prescribed cut points for any version of the MFQ; every "
    "cutoff scheme here comes from a validation study, screens, and does not diagnose."
)
_LONG: Final = tuple(range(1, 34))
_FLAG_NOTE: Final = "The suicidality_item_endorsed flag (items 16-19 above 0) is this library's decision."

MFQ_C: Final = _form(
    "mfq-c", "Mood and Feelings Questionnaire, child self-report, long (MFQ-C)", "self",
    ages=((6, 17), CHILD_AGES),
    items=_LONG, schemes=("daviss-2006-29", "thabrew-2018-28", "jarbin-2020-max-kappa"), default="daviss-2006-29",
    notes=(_FLAG_NOTE,), change=SUND_2001,
)  # fmt: skip
MFQ_P: Final = _form(
    "mfq-p", "Mood and Feelings Questionnaire, parent report, long (MFQ-P)", "parent",
    ages=((6, 17), PARENT_AGES),
    items=(*_LONG, 34), schemes=("daviss-2006-27",), default="daviss-2006-27",
    notes=(_FLAG_NOTE, "Item 34 (less enjoyment even when praised or rewarded) exists only in the parent long form (CLOSER)."),
)  # fmt: skip
MFQ_A: Final = _form(
    "mfq-a", "Mood and Feelings Questionnaire, adult self-report, long", "self",
    ages=((18, 130), ADULT_AGES),
    items=_LONG, schemes=(), default=None,
    notes=(
        _FLAG_NOTE,
        "No cutoff for the adult long form was found; none is shipped.",
        "Adult wording differs from the child form on items 11, 29 and 30 (themes unchanged).",
    ),
)  # fmt: skip
SMFQ_C: Final = _form(
    "smfq-c", "Short Mood and Feelings Questionnaire, child self-report (SMFQ)", "self",
    ages=((6, 17), CHILD_AGES),
    items=SHORT_FROM_LONG, long_id="mfq-c", default="thabrew-eyre-12",
    schemes=("thabrew-eyre-12", "angold-1995-8", "eyre-2021-10", "jarbin-2020"),
    notes=(
        "Read it from a long-form response with convert('mfq-c', answers, to='smfq-c').",
        "Default scheme thabrew-eyre-12 (12 or above): the best-supported self-report threshold (up to age 25).",
        "Ages 6-17; for 18 and over use smfq-a (a family [smfq-c, smfq-a] is chosen by age).",
        "Jarbin 2020 also reports max-kappa girls 17, boys 6; the scheme uses the suggested clinical cutoffs.",
    ),
)  # fmt: skip
SMFQ_P: Final = _form(
    "smfq-p", "Short Mood and Feelings Questionnaire, parent report (SMFQ-P)", "parent",
    ages=((6, 17), PARENT_AGES),
    items=SHORT_FROM_LONG, long_id="mfq-p", schemes=("parent-11-unverified",), default=None,
    notes=(
        "Read it from a long-form response with convert('mfq-p', answers, to='smfq-p').",
        "No verified parent SMFQ cutoff, so no default scheme; Jarbin 2020 found the parent SMFQ useful for adolescent girls only.",
    ),
)  # fmt: skip
SMFQ_A: Final = _form(
    "smfq-a", "Short Mood and Feelings Questionnaire, adult self-report", "self",
    ages=((18, 130), ADULT_AGES),
    items=SHORT_FROM_LONG, long_id="mfq-a", schemes=("eyre-2021-12", "eyre-2021-10"), default="eyre-2021-12",
    notes=(
        "Read it from a long-form response with convert('mfq-a', answers, to='smfq-a').",
        "The 13 adult short items are assumed to follow the SMFQ map (not checked against the Duke adult form).",
        "Eyre 2021 validated the SMFQ at age 25 in ALSPAC; whether ALSPAC used the adult wording was not checked.",
    ),
    source=ADULT_SHORT,
)  # fmt: skip
