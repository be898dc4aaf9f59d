"""Spence Children's Anxiety Scale: child (``"scas-c"``) and parent (``"scas-p"``) forms.

Definitions only, no code. Items are coded 0-3 (our labels: never, sometimes,
often, always); no item is reverse-keyed. Six subscales (panic/agoraphobia,
separation anxiety, physical injury fears, social phobia, obsessive-compulsive,
generalised anxiety) and ``total`` = the sum of the six (0-114). The child form
has 44 items: 38 anxiety items and 6 positive filler items (11, 17, 26, 31, 38,
43) that are validated but scored nowhere. The parent form has 38 items, no
fillers, and its own numbering. The open-ended "other fears" question is not an item.

Missing data: no official rule; the SCAS website sums subscales "if there are no
missing items". By default a scale with any unanswered item is None (and so is
the total). ``missing="prorate"`` prorates a subscale from all but one of its
items (mean x items, unrounded, flagged as prorated): this library's decision,
not a published rule. The total is then the sum of the six (prorated) subscales.

Norms and T-scores (T = 50 + 10 (x - M) / SD, see :mod:`trivselscore.definitions.norms`):
the parent form ships the community ("normal population") norms of Nauta et al.
(2004) by sex and age band (6-11, 12-18), for the total and every subscale.
No child norms ship: the Australian child T-score tables and the Danish norms of
Arendt et al. (2014) were not retrieved. Register a table yourself with
``score(..., norms=NormTable(...))``; the author's child age rules (age 7 uses
the 8-11 tables; 16-17 use the 12-15 tables) go into the rows' age ranges, with
the rule quoted in ``NormTable.age_rules``. Ages outside a table get no T-score.

Cutoffs: scheme ``t60`` (default) bands the T-score: below 60 normal range,
60 or above elevated (the author's threshold, the top ~15 %). There is no
official raw-score cutoff. The SCAS is not a diagnostic instrument.

Licence: © Susan H. Spence. Free for researchers and individual practitioners;
not to be reprinted in full or resold; commercial services need a licence;
not-for-profit and government agencies (Danish municipalities) must seek prior
permission. The package stores no item wording: items are numbers with the
name of their subscale as theme.

Examples:
    >>> from trivselscore import Respondent, score
    >>> result = score("scas-p", [1] * 38, respondent=Respondent(age=9, sex="male"))
    >>> result["separation_anxiety"].value, round(result["separation_anxiety"].t_score, 1)
    (6, 57.4)
    >>> result["total"].value, result["total"].band
    (38, 'elevated')

References:
    Spence SH. A measure of anxiety symptoms among children. Behav Res Ther
    1998;36(5):545-566.

    Nauta MH, Scholing A, Rapee RM, Abbott M, Spence SH, Waters A. A parent-report
    measure of children's anxiety: psychometric properties and comparison with
    child-report in a clinic and normal sample. Behav Res Ther 2004;42(7):813-839.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from trivselscore.definitions.instrument import Instrument
from trivselscore.definitions.model import (
    Band,
    Cutoffs,
    CutoffScheme,
    Item,
    MissingRule,
    Scale,
    Sex,
    Source,
    options,
)
from trivselscore.definitions.norms import T_SCORE_LIMITS, Norm, NormTable

__all__ = ["SCAS_C", "SCAS_P"]

SCAS_WEB: Final = Source(
    citation="Spence SH. SCAS child scoring and interpretation (SCAS website): item keys, 0-3 coding, fillers",
    url="https://www.scaswebsite.com/portfolio/scas-child-scoring-and-interpretation/",
    status="verified",
)
SPENCE_1998: Final = Source(
    citation="Spence SH. A measure of anxiety symptoms among children. Behav Res Ther 1998;36(5):545-566",
    note="Six-factor structure of the child self-report; used here for the instrument, not for numbers.",
    status="verified",
)
PARENT_KEY: Final = Source(
    citation="SCAS parent version item keys (38 items, own numbering), as given by measurely and NovoPsych",
    url="http://novopsych.com/scas-parent.html",
    status="verified-secondary",
    note="Also https://measurely.com.au/outcome-measures/spence-childrens-anxiety-scale-parent; Wikiversity agrees.",
)
COMPLETE_ONLY: Final = Source(
    citation=(
        "SCAS website: the total is the sum of the subscales if there are no missing items; no proration "
        "rule is published. Under missing='prorate' a subscale is prorated from all but one of its items: "
        "this library's decision"
    ),
    url="https://www.scaswebsite.com/portfolio/scas-child-scoring-and-interpretation/",
    status="derived",
)
T60_CHILD: Final = Source(
    citation="SCAS website, child T-scores: T below 60 (below the 85th percentile) is the normal range, T 60 or above elevated",
    url="https://scaswebsite.com/portfolio/scas-child-t-scores",
    status="verified",
)
T60_PARENT: Final = Source(
    citation=(
        "NovoPsych, SCAS parent: scores above the 84th percentile (1 SD above the normal-population mean, "
        "i.e. T 60) are treated as clinically significant; the author's T 60 threshold for the child form"
    ),
    url="http://novopsych.com/scas-parent.html",
    status="verified-secondary",
    note="The author's parent T-score templates were still being trialled (SCAS website notice).",
)
NAUTA_2004: Final = Source(
    citation=(
        "Nauta MH, Scholing A, Rapee RM, Abbott M, Spence SH, Waters A. A parent-report measure of "
        "children's anxiety. Behav Res Ther 2004;42(7):813-839; table reproduced on the SCAS website"
    ),
    url="http://www.scaswebsite.com/index.php?p=1_17",
    note="Means (SD) of the normal population children, by sex and age group (6-11, 12-18 years).",
    status="verified",
)
CHILD_AGES: Final = Source(
    citation=(
        "SCAS website, child scoring and interpretation: T-score tables for ages 8-11 and 12-15; age 7 uses "
        "the 8-11 tables, ages 16-17 the 12-15 tables"
    ),
    url="https://www.scaswebsite.com/portfolio/scas-child-scoring-and-interpretation/",
    status="verified",
)
PARENT_AGES: Final = Source(
    citation="Nauta et al. 2004 (SCAS-P): normal-population norms for ages 6-11 and 12-18",
    url="http://www.scaswebsite.com/index.php?p=1_17",
    status="verified",
)

LICENCE: Final = (
    "© Susan H. Spence. Free for researchers and individual practitioners; not to be reprinted in full "
    "or resold; commercial organisations need a licence; not-for-profit and government agencies must "
    "seek the author's prior permission (a charge may apply). https://www.scaswebsite.com/1_1_.html"
)

_OPTIONS = options(
    ("never", "aldrig"),
    ("sometimes", "nogle gange"),
    ("often", "ofte"),
    ("always", "altid"),
)


class _Subscale(NamedTuple):
    id: str
    label_en: str
    label_da: str
    child: tuple[int, ...]
    parent: tuple[int, ...]


_SUBSCALES: Final = (
    _Subscale("panic_agoraphobia", "panic/agoraphobia", "panik/agorafobi",
              (13, 21, 28, 30, 32, 34, 36, 37, 39), (12, 19, 25, 27, 28, 30, 32, 33, 34)),
    _Subscale("separation_anxiety", "separation anxiety", "separationsangst",
              (5, 8, 12, 15, 16, 44), (5, 8, 11, 14, 15, 38)),
    _Subscale("physical_injury_fears", "physical injury fears", "frygt for fysisk skade",
              (2, 18, 23, 25, 33), (2, 16, 21, 23, 29)),
    _Subscale("social_phobia", "social phobia", "social fobi",
              (6, 7, 9, 10, 29, 35), (6, 7, 9, 10, 26, 31)),
    _Subscale("obsessive_compulsive", "obsessive-compulsive", "obsessiv-kompulsiv",
              (14, 19, 27, 40, 41, 42), (13, 17, 24, 35, 36, 37)),
    _Subscale("generalised_anxiety", "generalised anxiety", "generaliseret angst",
              (1, 3, 4, 20, 22, 24), (1, 3, 4, 18, 20, 22)),
)  # fmt: skip
"""Subscale keys: child and parent item numbers (SCAS website; parent keys secondary)."""

CHILD_FILLERS: Final = (11, 17, 26, 31, 38, 43)
SCALE_IDS: Final = (*(s.id for s in _SUBSCALES), "total")


def _keys(*, parent: bool) -> dict[str, tuple[int, ...]]:
    return {s.id: s.parent if parent else s.child for s in _SUBSCALES}


def _items(n_items: int, *, parent: bool) -> tuple[Item, ...]:
    labels = {n: s.label_en for s in _SUBSCALES for n in _keys(parent=parent)[s.id]}
    return tuple(
        Item(id=str(n), theme=f"{labels[n]} item" if n in labels else "positive filler", options=_OPTIONS)
        for n in range(1, n_items + 1)
    )


def _scales(*, parent: bool, key_source: Source) -> tuple[Scale, ...]:
    keys = _keys(parent=parent)
    subscales = tuple(
        Scale(
            id=s.id,
            label_en=s.label_en,
            label_da=s.label_da,
            items=tuple(str(n) for n in keys[s.id]),
            missing=MissingRule(kind="complete", min_answered=len(keys[s.id]) - 1, source=COMPLETE_ONLY),
            higher_is_better=False,
            source=key_source,
        )
        for s in _SUBSCALES
    )
    total = Scale(
        id="total",
        label_en="total anxiety score",
        label_da="samlet angstscore",
        scales=tuple(s.id for s in subscales),
        missing=MissingRule(kind="complete", min_answered=len(subscales), source=COMPLETE_ONLY),
        higher_is_better=False,
        source=key_source,
    )
    return (*subscales, total)


def _t60(source: Source) -> CutoffScheme:
    low, high = T_SCORE_LIMITS
    bands = (
        Band(
            id="normal",
            label_en="normal range (T below 60)",
            label_da="normalområde (T under 60)",
            lower=low,
            upper=60,
            upper_inclusive=False,
        ),
        Band(
            id="elevated",
            label_en="elevated (T 60 or above): further assessment warranted",
            label_da="forhøjet (T 60 eller derover): bør undersøges nærmere",
            lower=60,
            upper=high,
        ),
    )
    return CutoffScheme(
        id="t60",
        label_en="T-score 60 or above: elevated (SCAS author's threshold)",
        label_da="T-score 60 eller derover: forhøjet (SCAS-forfatterens grænse)",
        metric="t_score",
        cutoffs=tuple(Cutoffs(scale=scale_id, bands=bands) for scale_id in SCALE_IDS),
        source=source,
        note=(
            "Bands the T-score from the norm table in use; without a fitting norm row the band is None "
            "with the reason. Not a diagnosis; examine the total and the subscales."
        ),
    )


# Nauta et al. 2004, normal population: scale -> ((mean, SD) for boys 6-11, boys 12-18,
# girls 6-11, girls 12-18).
_NAUTA_NORMAL: Final = {
    "separation_anxiety": ((3.4, 3.5), (1.8, 2.1), (3.7, 2.9), (1.8, 2.1)),
    "social_phobia": ((4.3, 3.0), (3.4, 2.1), (4.8, 3.2), (4.1, 2.7)),
    "generalised_anxiety": ((2.9, 2.1), (2.5, 2.2), (3.1, 1.9), (2.4, 2.0)),
    "panic_agoraphobia": ((1.0, 1.6), (0.9, 1.6), (0.9, 1.2), (1.2, 2.1)),
    "physical_injury_fears": ((3.2, 2.8), (2.1, 2.1), (2.7, 1.8), (2.4, 2.2)),
    "obsessive_compulsive": ((1.2, 1.7), (1.1, 2.0), (1.1, 1.8), (0.8, 1.5)),
    "total": ((16.0, 11.6), (11.8, 8.3), (15.9, 9.0), (12.6, 9.1)),
}
_GROUPS: Final[tuple[tuple[Sex, int, int], ...]] = (
    ("male", 6, 11),
    ("male", 12, 18),
    ("female", 6, 11),
    ("female", 12, 18),
)

NAUTA_2004_NORMS: Final = NormTable(
    id="nauta-2004",
    label="SCAS-P community norms (Nauta et al. 2004), by sex and age group",
    population="normal control group of the SCAS-P validation study (261 parents), children 6-18",
    source=NAUTA_2004,
    rows=tuple(
        Norm(scale=scale, sex=sex, min_age=low, max_age=high, mean=mean, sd=sd)
        for scale, groups in _NAUTA_NORMAL.items()
        for (sex, low, high), (mean, sd) in zip(_GROUPS, groups, strict=True)
    ),
    age_rules="The source gives ages 6-11 and 12-18 only; other ages get no T-score.",
)
"""Nauta et al. 2004 parent-report norms, normal population (verified on the SCAS website)."""

SCAS_C: Final = Instrument(
    id="scas-c",
    name="Spence Children's Anxiety Scale, child self-report (SCAS-C)",
    title_da="SCAS (angst)",
    title_en="SCAS (anxiety)",
    version="1",
    informant="self",
    age_range=(7, 17),
    age_range_source=CHILD_AGES,
    licence=LICENCE,
    source=SPENCE_1998,
    items=_items(44, parent=False),
    scales=_scales(parent=False, key_source=SCAS_WEB),
    schemes=(_t60(T60_CHILD),),
    default_scheme="t60",
    notes=(
        "Positive filler items 11, 17, 26, 31, 38 and 43 are validated and scored nowhere.",
        (
            "No child norms ship (Australian T-score tables and Danish norms of Arendt et al. 2014, "
            "doi:10.1016/j.janxdis.2014.09.021, not retrieved): pass norms=NormTable(...) to get T-scores."
        ),
        "The author's age rules: age 7 uses the 8-11 tables, ages 16-17 the 12-15 tables (SCAS website).",
        "No norms exist for ages 18-25; scoring them with 12-15 tables would be an extrapolation.",
    ),
)

SCAS_P: Final = Instrument(
    id="scas-p",
    name="Spence Children's Anxiety Scale, parent report (SCAS-P)",
    title_da="SCAS (angst)",
    title_en="SCAS (anxiety)",
    version="1",
    informant="parent",
    age_range=(6, 18),
    age_range_source=PARENT_AGES,
    licence=LICENCE,
    source=NAUTA_2004,
    items=_items(38, parent=True),
    scales=_scales(parent=True, key_source=PARENT_KEY),
    schemes=(_t60(T60_PARENT),),
    default_scheme="t60",
    norms=(NAUTA_2004_NORMS,),
    notes=(
        "Item numbering differs from the child form; the keys are the parent form's own.",
        (
            "Default norms: Nauta et al. 2004 community sample (ages 6-11 and 12-18, by sex); other ages "
            "and respondents without age or sex get no T-score."
        ),
        "Nauta et al. 2004 also report anxiety-disordered sample means; they are not a norm table here.",
    ),
)
