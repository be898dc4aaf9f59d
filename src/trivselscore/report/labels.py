"""The report's words in Danish and English, in one table.

Examples:
    >>> word("time", "da"), word("time", "en")
    ('tidspunkt', 'time point')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trivselscore.study.reports import Lang

__all__ = ["WORDS", "word"]

WORDS: dict[str, tuple[str, str]] = {
    "time": ("tidspunkt", "time point"),
    "group": ("gruppe", "group"),
    "sex": ("køn", "sex"),
    "rows": ("rækker", "rows"),
    "not_given": ("ikke udfyldt", "not given"),
    "mean": ("gns.", "mean"),
    "pairs": ("par", "pairs"),
    "attrition": ("frafald", "attrition"),
    "mean_change": ("gns. ændring (95% CI)", "mean change (95% CI)"),
    "persons": ("personer", "persons"),
    "complete": ("fuldstændige par", "complete pairs"),
    "left_out": ("udeladt", "left out"),
    "improved": ("fremgang", "improved"),
    "share_ci": ("andel (95% CI)", "share (95% CI)"),
    "rule_all": ("alle", "all"),
    "rule_any": ("mindst én", "at least one"),
    "rule_k": ("mindst {k}", "at least {k}"),
    "combined_caption": ("fremgang på {how} af {scales}", "fremgang on {how} of {scales}"),
    "female": ("piger/kvinder", "girls/women"),
    "male": ("drenge/mænd", "boys/men"),
    "other": ("andet køn", "other"),
    "unknown": ("køn uoplyst", "sex not stated"),
    "by_sex": ("efter køn", "by sex"),
    "band_share_note": (
        "Andele i procent af n (de scorede), med 95% konfidensinterval.",
        "Shares in percent of n (those scored), with 95% confidence interval.",
    ),
    "pairs_note": (
        (
            "Kun fuldstændige par (personer med en score ved begge tidspunkter); frafald: andel af dem "
            "med en score ved start uden en ved slut."
        ),
        (
            "Complete pairs only (persons with a score at both time points); attrition: the share of those "
            "scored at the start with no score at the end."
        ),
    ),
    "suppression_rule": (
        (
            "Små celler: et antal på 1 til {top} vises som <{min_cell}, en andel, et gennemsnit "
            "eller en SD med så få bag sig som n<{min_cell}; 'skjult' er skjult, så intet skjult tal kan "
            "regnes tilbage fra de viste."
        ),
        (
            "Small cells: a count of 1 to {top} is shown as <{min_cell}, a share, mean or SD "
            "resting on so few as n<{min_cell}; 'hidden' is hidden so that no hidden number can be worked "
            "back from those shown."
        ),
    ),
    "zero_shown": ("Nul vises.", "Zero is shown."),
    "front_data": ("Datasæt", "Data set"),
    "front_persons": ("Personer", "Persons"),
    "front_rows": ("Rækker", "Rows"),
    "front_times": ("Tidspunkter", "Time points"),
    "front_measures": ("Mål", "Measures"),
    "front_groups": ("Grupper", "Groups"),
    "front_missing": ("Manglende svar", "Missing answers"),
    "front_small": ("Små celler", "Small cells"),
    "front_versions": ("Versioner", "Versions"),
    "front_date": ("Dato", "Date"),
    "missing_default": (
        "hvert instruments egen dokumenterede regel (se metodebilaget)",
        "each instrument's documented rule (see the methods appendix)",
    ),
    "missing_policy": ("politikken {policy!r} for alle mål", "the policy {policy!r} for every measure"),
    "missing_counts": (
        "{name}: {given} rækker med skemaet udfyldt, {not_given} uden (ikke en måling)",
        "{name}: {given} rows with the form given, {not_given} without (not a measurement)",
    ),
    "not_scored": (
        "; udfyldt men ikke scoret (for mange manglende svar): {scales}",
        "; given but not scored (too many missing answers): {scales}",
    ),
    "forms": ("{version} {n} skemaer", "{version} {n} forms"),
    "by_age": ("valgt efter alder", "chosen by age"),
    "not_collected": (
        "{name}: {scale} er ikke indsamlet: {what} findes ikke i data; ingen tabel",
        "{name}: {scale} was not collected: {what} not in the data; no table",
    ),
    "not_collected_declared": (
        "{name}: {scale} er ikke indsamlet: {what} (oplyst i STUDY.toml); ingen tabel",
        "{name}: {scale} was not collected: {what} (stated in STUDY.toml); no table",
    ),
    "no_change": (
        "Ingen sammenligning {start} -> {end}: {name} blev ikke udfyldt ved {missing}.",
        "No comparison {start} -> {end}: {name} was not given at {missing}.",
    ),
    "combined_left_out": (
        "{name} er udeladt af {start} -> {end}: {why}.",
        "{name} is left out of {start} -> {end}: {why}.",
    ),
    "combined_none": (
        "Intet samlet kriterium {start} -> {end}: for få af målene har par.",
        "No combined criterion {start} -> {end}: too few of the measures have pairs.",
    ),
    "why_not_given": ("ikke udfyldt ved {missing}", "not given at {missing}"),
    "why_no_pairs": (
        "ingen personer med en score ved begge tidspunkter",
        "no person with a score at both time points",
    ),
    "why_not_collected": ("ikke indsamlet", "not collected"),
    "versions": (
        "trivselscore {library}; definitioner: {definitions}",
        "trivselscore {library}; definitions: {definitions}",
    ),
    "contents": ("Indhold", "Contents"),
    "level": ("Niveau pr. tidspunkt", "Level per time point"),
    "change": ("Fremgang, status quo og tilbagegang", "Fremgang, status quo and tilbagegang"),
    "combined": ("Fremgang på flere mål samtidig", "Fremgang on several measures at once"),
    "gender": ("Gennemsnit efter køn pr. tidspunkt", "Mean by sex per time point"),
    "methods": ("Metodebilag", "Methods appendix"),
    "figure_means": (
        "Gennemsnit pr. tidspunkt og gruppe, n i forklaringen.",
        "Mean per time point and group, n in the legend.",
    ),
    "figure_change": ("Andel af par i hver kategori.", "Share of pairs in each category."),
    "instrument": ("Instrument", "Instrument"),
    "informant": ("besvares af", "informant"),
    "ages": ("alder", "ages"),
    "source": ("kilde", "source"),
    "licence": ("licens", "licence"),
    "scoring": ("Scoring", "Scoring"),
    "items": ("spørgsmål", "items"),
    "scales": ("skalaer", "scales"),
    "reversed": ("vendt", "reversed"),
    "range": ("interval", "range"),
    "missing_rule": ("manglende svar", "missing answers"),
    "cutoffs": ("Grænser ({scheme})", "Cutoffs ({scheme})"),
    "band": ("kategori", "band"),
    "interval": ("interval", "interval"),
    "status": ("status", "status"),
    "verified": ("verificeret", "verified"),
    "no_scheme": ("Ingen grænser for denne version.", "No cutoffs for this version."),
    "change_method": ("Ændringsmetode", "Change method"),
    "t_mean": ("gns. T", "mean T"),
    "norms_note": (
        (
            "T = 50 + 10 x (score - normgennemsnit) / norm-SD, fra normtabellen {table}; gns. T og SD T "
            "gælder dem med en normrække for deres køn og alder."
        ),
        (
            "T = 50 + 10 x (score - norm mean) / norm SD, from the norm table {table}; mean T and SD T are "
            "of those with a norm row for their sex and age."
        ),
    ),
    "no_norms_note": (
        (
            "Ingen kategorier: grænserne for {scale} gælder T-scorer, og ingen normtabel dækker skalaen; "
            'angiv en med norms = "fil.csv" under [measures.{measure}] i STUDY.toml.'
        ),
        (
            "No bands: the cutoffs for {scale} are on T-scores, and no norm table covers the scale; "
            'give one with norms = "file.csv" under [measures.{measure}] in STUDY.toml.'
        ),
    ),
    "norm_table": ("normtabel", "norm table"),
    "added_value": ("gns. added value (95% CI)", "mean added value (95% CI)"),
    "added_value_effect": ("effektstørrelse (AV/SD)", "effect size (AV/SD)"),
    "added_value_note": (
        (
            "Added value: hvor meget bedre (positiv) eller dårligere (negativ) totalscoren ved slut er end "
            "forudsagt ud fra starten, i SDQ-point; usikker for én person (omkring +-10 point), brugbar som "
            "gennemsnit. Kun forældreudgaven af SDQ; udviklet på højrisikogrupper over cirka 6 måneder."
        ),
        (
            "Added value: how much better (positive) or worse (negative) the total at the end is than "
            "predicted from the start, in SDQ points; uncertain for one person (about +-10 points), "
            "useful as a mean. "
            "Parent SDQ only; built on high-risk groups over about 6 months."
        ),
    ),
    "sheet_level": ("niveau", "level"),
    "sheet_sex": ("køn", "sex"),
    "sheet_change": ("fremgang", "change"),
    "sheet_combined": ("samlet", "combined"),
    "sheet_about": ("Om data", "About the data"),
    "sheet": ("Ark", "Sheet"),
    "table": ("Tabel", "Table"),
    "ci_low": ("nedre grænse (95% CI)", "lower bound (95% CI)"),
    "ci_high": ("øvre grænse (95% CI)", "upper bound (95% CI)"),
    "generated": (
        (
            "Lavet med trivselscore report ud fra instrumentdefinitionerne; kilder med status 'recalled' "
            "eller 'derived' er ikke efterprøvet mod originalen."
        ),
        (
            "Made by trivselscore report from the instrument definitions; sources with status 'recalled' "
            "or 'derived' were not checked against the original."
        ),
    ),
}
"""Key -> (Danish, English)."""


def word(key: str, lang: Lang) -> str:
    """The text for ``key`` in ``lang`` (``"da"`` or ``"en"``)."""
    da, en = WORDS[key]
    return da if lang == "da" else en
