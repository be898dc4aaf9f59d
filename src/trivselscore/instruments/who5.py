"""WHO-5 Well-Being Index (``"who5"``): definition only, no code.

Five positively worded items about the last two weeks, each coded 0-5 (higher
is better). Raw score = sum (0-25); percentage score = raw x 4 (0-100), so
complete percentages move in steps of 4. No item is reverse-keyed and there
are no subscales.

Missing data: no official rule exists. By default both scales are None when any
item is unanswered (as Millisecond's implementation reports "cannot be
determined"). ``missing="prorate"`` scores from 4 of 5 answers (mean x 5,
unrounded, flagged): a research convention, not a published rule.

Cutoffs on the percentage score: ``risk`` (default; below 50 = risk of
depression/stress, the measure of the municipal programme), ``dk-3band`` (the
Danish 0-35 / 36-50 / over 50 convention) and ``who-form`` (the form's box:
raw below 13 = poor well-being; percentage 28 or below = likely depression, the
latter not found in a primary source). Any item answered 0 or 1 raises the
``low_item`` flag (the form's own rule: assess for depression).

Change (for :func:`trivselscore.classify_change`): the form's 10-point rule
(ref. John Ware, 1995) is the minimal important change of the percentage score
(2.5 on the raw score, derived). Reliable change uses the Danish test-retest
ICC 0.81 and an SD of 19.5 percentage points derived from the same study's
minimal detectable change (23.6), so the smallest reliable change is 24 points.

Licence: free to use without permission; use the registered language versions
unchanged and credit Psychiatric Centre North Zealand. The package stores no
item wording, only themes in our own words.

References:
    Topp CW, Østergaard SD, Søndergaard S, Bech P. The WHO-5 Well-Being Index: a
    systematic review of the literature. Psychother Psychosom 2015;84(3):167-176.
    doi:10.1159/000376585
"""

from __future__ import annotations

from typing import Final

from trivselscore.definitions.instrument import Instrument
from trivselscore.definitions.model import (
    Band,
    ChangeParameters,
    Cutoffs,
    CutoffScheme,
    ImportantChange,
    Item,
    ItemFlag,
    MissingRule,
    Scale,
    Source,
    options,
)

__all__ = ["WHO5"]

TOPP_2015: Final = Source(
    citation=(
        "Topp CW, Østergaard SD, Søndergaard S, Bech P. The WHO-5 Well-Being Index: a "
        "systematic review of the literature. Psychother Psychosom 2015;84(3):167-176"
    ),
    doi="10.1159/000376585",
    status="verified",
)
FORM_SCORING: Final = Source(
    citation="WHO-5 form scoring box, as reproduced by Valant and medicalalgorithms.com",
    url="https://help.valant.io/en_US/283920/who-5-who-five-well-being-index",
    status="verified-secondary",
    note="Codes 0-5 per item, raw = sum (0-25), percentage = raw x 4; also medicalalgorithms.com.",
)
MILLISECOND: Final = Source(
    citation="Millisecond Software. WHO-5 manual (total only when all 5 items are answered)",
    url="https://www.millisecond.com/download/library/v5/who5/who5.manual",
    note="No official WHO-5 missing-item rule exists; this implementation's rule is followed.",
    status="verified",
)
PRORATE_CONVENTION: Final = Source(
    citation="Research convention: prorate from at least 4 of 5 answers (public scoring code)",
    status="verified-secondary",
    note="Not a published rule; used only when the caller asks for missing='prorate'.",
)
RISK_50: Final = Source(
    citation=(
        "Health Qual Life Outcomes 2018 (Danish WHO-5 study): a percentage score below 50 "
        "indicates poor mental well-being and a risk of depression"
    ),
    doi="10.1186/s12955-018-1001-0",
    note="The measure reported by the Danish programme 'Sammen på sporet' (WHO-5 below 50).",
    status="verified",
)
DK_3BAND: Final = Source(
    citation=(
        "Ergoterapeutforeningen, WHO-5 (0-35 high risk, 36-50 risk, over 50 no immediate "
        "risk of depression or stress); same bands in Falck Sundhedsbarometeret 2023"
    ),
    url="https://www.etf.dk/Viden-og-politik/Vaerktoejer-og-metoder/Ergoterapeutiske-redskaber/WHO-5",
    note="Bounds between the stated integers (e.g. 35 < x < 36 when prorated) are ours.",
    status="verified",
)
FORM_RULE: Final = Source(
    citation="WHO-5 form scoring box: raw below 13 (percentage below 52) = poor well-being",
    url="https://medicalalgorithms.com/the-who-five-well-being-index",
    status="verified-secondary",
)
LIKELY_DEPRESSION: Final = Source(
    citation="Percentage 28 or below = likely depression (commonly attributed to Topp et al. 2015)",
    status="unverified",
    note="Not found in a primary source; only tertiary sources state it.",
)
LOW_ITEM: Final = Source(
    citation="WHO-5 form: assess for depression if any item is answered 0 or 1",
    url="https://medicalalgorithms.com/the-who-five-well-being-index",
    status="verified-secondary",
)

WARE_10_POINTS: Final = Source(
    citation=(
        "WHO-5 form scoring box: 'a 10% difference indicates a significant change' "
        "(ref. John Ware, 1995), as reproduced by psypack and Valant"
    ),
    url="https://psypack.com/assessments/who-5-wellbeing-index",
    status="verified-secondary",
    note=(
        "A clinical-relevance convention, not a measurement-error criterion. Complete "
        "percentage scores move in steps of 4, so |change| >= 10 fires at 12 (raw 3)."
    ),
)
WARE_10_POINTS_RAW: Final = Source(
    citation="WHO-5 form's 10-point rule (ref. John Ware, 1995) on the raw scale: 10 / 4 = 2.5 raw points",
    url="https://psypack.com/assessments/who-5-wellbeing-index",
    status="derived",
    note="The form says to monitor change with the percentage score; this is the same rule on the raw scale.",
)
DANISH_RETEST: Final = Source(
    citation=(
        "Health Qual Life Outcomes 2018 (Danish WHO-5 study, outpatients with epilepsy aged 15+, "
        "n=554, median 22 days): test-retest ICC 0.81 (95% CI 0.78-0.84), MDC 23.6 points"
    ),
    doi="10.1186/s12955-018-1001-0",
    note="Not a youth sample; no Danish WHO-5 mean/SD for ages 13-25 was found.",
    status="verified",
)
DANISH_RETEST_SD: Final = Source(
    citation=(
        "SD derived from the same study: SD = MDC / (1.96 x sqrt(2) x sqrt(1 - ICC)) "
        "= 23.6 / (1.96 x 1.414 x 0.436) = 19.5 percentage points"
    ),
    doi="10.1186/s12955-018-1001-0",
    status="derived",
    note="With these figures the smallest reliable change (1.96 x SEdiff) is the published MDC, 23.6.",
)
DANISH_RETEST_SD_RAW: Final = Source(
    citation="SD of the percentage score derived from HQLO 2018 (19.5) divided by 4: 4.875 raw points",
    doi="10.1186/s12955-018-1001-0",
    status="derived",
)
AGES: Final = Source(
    citation=(
        "Kaiser S, Kyrrestad H. WHO-5, PsykTestBARN 2019, and vidensportal.dk: developed for adults, "
        "used in children from age 9"
    ),
    doi="10.21337/0063",
    status="verified",
    note="No upper age is stated for the adult instrument: 130 is the highest age a Respondent takes.",
)
_CHANGE_POPULATION = "Danish outpatients with epilepsy aged 15+ (test-retest over a median of 22 days)"

_OPTIONS = options(
    ("never", "aldrig"),
    ("occasionally", "af og til"),
    ("less than half the time", "under halvdelen af tiden"),
    ("more than half the time", "over halvdelen af tiden"),
    ("most of the time", "det meste af tiden"),
    ("always", "altid"),
)

_THEMES = (
    "cheerful, in good spirits",
    "calm and relaxed",
    "active and vigorous",
    "woke up fresh and rested",
    "daily life filled with interesting things",
)

_NO_RISK = ("no risk of depression/stress indicated", "ingen risiko for depression/stress")

WHO5: Final = Instrument(
    id="who5",
    name="WHO-5 Well-Being Index",
    title_da="WHO-5 (trivsel)",
    title_en="WHO-5 (well-being)",
    version="1",
    informant="self",
    age_range=(9, 130),
    age_range_source=AGES,
    licence=(
        "Free to use without permission (Psychiatric Centre North Zealand). Use a registered "
        "language version unchanged and credit the centre; mark and document any change."
    ),
    source=TOPP_2015,
    items=tuple(
        Item(id=str(n), theme=theme, options=_OPTIONS, aliases=(f"who5_{n}",))
        for n, theme in enumerate(_THEMES, start=1)
    ),
    scales=(
        Scale(
            id="raw",
            label_en="raw score",
            label_da="råscore",
            items=("1", "2", "3", "4", "5"),
            missing=MissingRule(kind="complete", min_answered=4, source=PRORATE_CONVENTION),
            higher_is_better=True,
            source=FORM_SCORING,
            change=ChangeParameters(
                sd=4.875,
                reliability=0.81,
                population=_CHANGE_POPULATION,
                source=DANISH_RETEST,
                sd_source=DANISH_RETEST_SD_RAW,
                reliability_kind="test-retest ICC",
            ),
            important_change=ImportantChange(value=2.5, source=WARE_10_POINTS_RAW),
        ),
        Scale(
            id="percentage",
            label_en="percentage score",
            label_da="procentscore",
            scales=("raw",),
            multiplier=4,
            missing=MissingRule(kind="complete", min_answered=1, source=MILLISECOND),
            higher_is_better=True,
            source=FORM_SCORING,
            change=ChangeParameters(
                sd=19.5,
                reliability=0.81,
                population=_CHANGE_POPULATION,
                source=DANISH_RETEST,
                sd_source=DANISH_RETEST_SD,
                reliability_kind="test-retest ICC",
            ),
            important_change=ImportantChange(value=10, source=WARE_10_POINTS),
        ),
    ),
    schemes=(
        CutoffScheme(
            id="risk",
            label_en="risk of depression/stress (below 50)",
            label_da="risiko for depression/stress (under 50)",
            source=RISK_50,
            cutoffs=(
                Cutoffs(
                    scale="percentage",
                    bands=(
                        Band(
                            id="risk",
                            label_en="risk of depression/stress",
                            label_da="risiko for depression/stress",
                            lower=0,
                            upper=50,
                            upper_inclusive=False,
                        ),
                        Band(id="no_risk", label_en=_NO_RISK[0], label_da=_NO_RISK[1], lower=50, upper=100),
                    ),
                ),
            ),
        ),
        CutoffScheme(
            id="dk-3band",
            label_en="Danish three-band convention",
            label_da="dansk inddeling i tre grupper",
            source=DK_3BAND,
            note="50.0 (reachable only when prorated) is 'risk' here but 'no_risk' in 'risk'.",
            cutoffs=(
                Cutoffs(
                    scale="percentage",
                    bands=(
                        Band(
                            id="high_risk",
                            label_en="high risk of depression/stress",
                            label_da="høj risiko for depression/stress",
                            lower=0,
                            upper=35,
                        ),
                        Band(
                            id="risk",
                            label_en="risk of depression/stress",
                            label_da="risiko for depression/stress",
                            lower=35,
                            upper=50,
                            lower_inclusive=False,
                        ),
                        Band(
                            id="no_risk",
                            label_en="no immediate risk",
                            label_da="ingen umiddelbar risiko",
                            lower=50,
                            upper=100,
                            lower_inclusive=False,
                        ),
                    ),
                ),
            ),
        ),
        CutoffScheme(
            id="who-form",
            label_en="WHO-5 form rule",
            label_da="WHO-5-skemaets regel",
            source=FORM_RULE,
            cutoffs=(
                Cutoffs(
                    scale="percentage",
                    bands=(
                        Band(
                            id="likely_depression",
                            label_en="likely depression",
                            label_da="sandsynlig depression",
                            lower=0,
                            upper=28,
                            source=LIKELY_DEPRESSION,
                        ),
                        Band(
                            id="poor_wellbeing",
                            label_en="poor well-being",
                            label_da="dårlig trivsel",
                            lower=28,
                            upper=52,
                            lower_inclusive=False,
                            upper_inclusive=False,
                        ),
                        Band(
                            id="adequate",
                            label_en="no indication from the score",
                            label_da="ingen indikation ud fra scoren",
                            lower=52,
                            upper=100,
                        ),
                    ),
                ),
            ),
        ),
    ),
    default_scheme="risk",
    flags=(
        ItemFlag(
            id="low_item",
            items=("1", "2", "3", "4", "5"),
            codes=(0, 1),
            message="an item was answered 0 or 1: assess for depression (WHO-5 form rule)",
            kind="instrument rule",
            source=LOW_ITEM,
        ),
    ),
    notes=(
        "Complete percentage scores are multiples of 4, so 50 is reachable only when prorated.",
        "Never use (raw - 5) x 4: that formula assumes 1-6 coding.",
    ),
)
