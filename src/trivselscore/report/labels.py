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
    "to": ("til", "to"),
    "cutoff": ("grænse", "cutoff"),
    "better_higher": ("højere er bedre", "higher is better"),
    "better_lower": ("lavere er bedre", "lower is better"),
    "rule_difference": ("enhver ændring større end {threshold}", "any change beyond {threshold}"),
    "rule_threshold": (
        "|ændring| >= {threshold} (mindste vigtige ændring)",
        "|change| >= {threshold} (minimal important change)",
    ),
    "rule_added_value": (
        (
            "Added Value, {formula}; bedre end forudsagt hvis AV > {threshold}, dårligere hvis "
            "AV < -{threshold} (z {z} x SD {sd})"
        ),
        (
            "Added Value, {formula}; better than predicted if AV > {threshold}, worse if AV < -{threshold}"
            " (z {z} x SD {sd})"
        ),
    ),
    "rule_reliable": (
        "Jacobson-Truax RCI, SD {sd}, r {r}, |RCI| > {z} (|ændring| > {threshold})",
        "Jacobson-Truax RCI, SD {sd}, r {r}, |RCI| > {z} (|change| > {threshold})",
    ),
    "rule_cutoff": (", grænse {kind} = {cutoff}", ", cutoff {kind} = {cutoff}"),
    "at_start": ("start", "start"),
    "at_end": ("slut", "end"),
    "method_name_difference": ("enhver forskel", "any difference"),
    "method_name_threshold": ("mindste vigtige ændring", "minimal important change"),
    "method_name_reliable_change": ("pålidelig ændring (RCI)", "reliable change (RCI)"),
    "method_name_clinical_significance": (
        "klinisk betydende ændring (Jacobson-Truax)",
        "clinically significant change (Jacobson-Truax)",
    ),
    "method_name_added_value": ("Added Value", "Added Value"),
    "informant_self": ("den unge selv", "self"),
    "informant_parent": ("forælder", "parent"),
    "informant_teacher": ("lærer", "teacher"),
    "missing_complete": ("kun når alle spørgsmål er besvaret", "only when every item is answered"),
    "missing_prorate": (
        "gennemsnit af de besvarede gange antallet",
        "the answered items' mean times the count",
    ),
    "missing_zero_fill": ("ubesvarede tæller 0", "unanswered items count 0"),
    "missing_min": ("mindst {count} besvaret", "at least {count} answered"),
    "rounding_none": ("ingen afrunding", "no rounding"),
    "rounding_half_up": ("afrundes halvt op", "rounded half up"),
    "status_verified": ("verificeret", "verified"),
    "status_verified-secondary": ("verificeret via sekundær kilde", "verified via a secondary source"),
    "status_derived": ("udledt", "derived"),
    "status_unverified": ("ikke verificeret", "unverified"),
    "status_recalled": ("fra hukommelsen, ikke efterprøvet", "recalled, not checked"),
    "hidden": ("skjult", "hidden"),
    "share_of_pairs": ("andel af par (%)", "share of pairs (%)"),
    "mean_axis": ("gennemsnit", "mean"),
    "group": ("gruppe", "group"),
    "sex": ("køn", "sex"),
    "rows": ("rækker", "rows"),
    "not_given": ("ikke udfyldt", "not given"),
    "mean": ("gns.", "mean"),
    "pairs": ("par", "pairs"),
    "attrition": ("frafald", "attrition"),
    "mean_change": ("gns. ændring (95 % CI)", "mean change (95% CI)"),
    "persons": ("personer", "persons"),
    "complete": ("fuldstændige par", "complete pairs"),
    "left_out": ("udeladt", "left out"),
    "improved": ("fremgang", "improved"),
    "share_ci": ("andel (95 % CI)", "share (95% CI)"),
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
        "Andele i procent af n (de scorede), med 95 % konfidensinterval.",
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
    "range_rule": (
        (
            "Et resultat, der er skjult for at beskytte et andet, vises som det interval, det med "
            "sikkerhed ligger i (fx tilbagegang 27-33 % ved siden af status quo <5): intervallet kan "
            "regnes ud af tabellen alligevel og afslører intet nyt."
        ),
        (
            "A result hidden to protect another is shown as the range it surely lies in (e.g. tilbagegang"
            " 27-33% next to status quo <5): the range can be worked out from the table anyway and "
            "reveals nothing new."
        ),
    ),
    "method_threshold": (
        (
            "fremgang/tilbagegang = en ændring på mindst {threshold} point (mindste vigtige ændring); "
            "status quo = mindre"
        ),
        (
            "fremgang/tilbagegang = a change of at least {threshold} points (minimal important change); "
            "status quo = less"
        ),
    ),
    "method_difference": (
        "fremgang/tilbagegang = enhver ændring større end {threshold} point; status quo = samme score",
        ("fremgang/tilbagegang = any change larger than {threshold} points; status quo = the same score"),
    ),
    "method_added_value": (
        (
            "fremgang/tilbagegang = en added value større end {threshold} point (bedre eller dårligere end "
            "forudsagt ud fra starten); status quo = mindre"
        ),
        (
            "fremgang/tilbagegang = an added value larger than {threshold} points (better or worse than "
            "predicted from the start); status quo = less"
        ),
    ),
    "method_reliable": (
        (
            "fremgang/tilbagegang = en pålidelig ændring (større end {threshold} point, Jacobson-Truax); "
            "status quo = mindre"
        ),
        (
            "fremgang/tilbagegang = a reliable change (larger than {threshold} points, Jacobson-Truax); "
            "status quo = less"
        ),
    ),
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
    "disclosure": ("Diskretion: små celler", "Disclosure control: small cells"),
    "disclosure_rule": (
        (
            "Et antal på 1 til {top} personer vises ikke, men som <{min_cell}; en andel, et gennemsnit "
            "eller en SD, der hviler på så få, vises som n<{min_cell}. Nul vises. Derudover skjules flere"
            " celler ('skjult', som altid er 0 eller mindst {min_cell}), til intet skjult tal kan regnes "
            "tilbage ud fra de viste tal og deres sammenhænge, og intet tal, rapporten ikke viser (fx "
            "dem, der kun er målt ved start), kan regnes ud til 1-{top}."
        ),
        (
            "A count of 1 to {top} persons is not shown but as <{min_cell}; a share, mean or SD resting "
            "on so few as n<{min_cell}. Zero is shown. Further cells are hidden ('hidden', always 0 or at"
            " least {min_cell}) until no hidden number can be worked back from the numbers shown and "
            "their relations, and no number the report does not show (e.g. those measured at the start "
            "only) can be worked out as 1-{top}."
        ),
    ),
    "disclosure_source": (
        (
            "Tærsklen følger dansk praksis: Sundhedsdatastyrelsens Forskerservice slører felter med færre"
            " end fem personer/observationer (verificeret); Danmarks Statistiks diskretionsregler for "
            "hjemtagelse af analyseresultater angives med samme tærskel (ikke verificeret mod Danmarks "
            "Statistiks egen side)."
        ),
        (
            "The threshold follows Danish practice: the Danish Health Data Authority's research service "
            "blurs fields with fewer than five persons/observations (verified); Statistics Denmark's "
            "rules for taking analysis results out of its research service are quoted with the same "
            "threshold (not verified against Statistics Denmark's own page)."
        ),
    ),
    "disclosure_one_by_one": (
        "Hver tabel er beskyttet for sig.",
        "Each table is protected on its own.",
    ),
    "disclosure_release": (
        (
            "Hele rapporten er én offentliggørelse: alle tabeller, forsiden og figurernes n er beskyttet "
            "sammen, med alle sammenhænge mellem dem (rækkesummer; alle = summen af grupperne i "
            "tabellerne efter forløb og køn; personer = par + kun start + kun slut + ingen af delene; n "
            "ved start = par + kun start; forsidens totaler over tidspunkter af skemaer udfyldt, ikke "
            "udfyldt, ikke scoret og pr. version; de samme personer i flere tabeller er ét tal; en vist "
            "andel er et interval på sit antal). En forsidetotal på 0, der må vige, vises som 0-4. "
            "De celler, der skjules for "
            "at beskytte andre, vælges, så tabet er mindst muligt for hele rapporten på én gang (et "
            "heltalsprogram, som i tau-ARGUS og sdcTable), og en angriber, der kender alt det viste, "
            "kontrollerer resultatet."
        ),
        (
            "The whole report is one release: every table, the first page and the figures' n are "
            "protected together, with every relation between them (row sums; all = the sum of the groups "
            "in the tables by track and by sex; persons = pairs + start only + end only + neither; n at "
            "the start = pairs + start only; the first page's totals over time points of forms given, not "
            "given, not scored and per version; the same persons in several tables are one number; a "
            "share shown is an interval on its count). A first-page total of 0 that must give way reads "
            "0-4. The cells "
            "hidden to protect others are chosen at the least loss for the whole report at once (an "
            "integer program, as in tau-ARGUS and sdcTable), and an attacker who knows everything shown "
            "checks the result."
        ),
    ),
    "disclosure_costs": (
        "Hvad der skjules først (tab pr. celle; en totalrækkes celle tæller tre gange): {order}.",
        "What is hidden first (loss per cell; a total row's cell counts three times): {order}.",
    ),
    "role_bookkeeping": ("forsidens totaler", "first-page totals"),
    "role_auxiliary": (
        "hjælpetal (rækker, ikke udfyldt, frafald)",
        "auxiliary counts (rows, not given, drop-out)",
    ),
    "role_result": ("resultater (kategorier, fremgang)", "results (bands, change categories, improved)"),
    "role_denominator": (
        "n i niveautabellerne (med gennemsnit og SD)",
        "n of the level tables (with their means and SDs)",
    ),
    "role_headline": ("antal personer i alt (forsiden)", "the number of persons in all (the first page)"),
    "role_pairs": ("par i ændringstabellerne", "pairs of the change tables"),
    "disclosure_table": (
        "Trykte antal i rapporten ({rounds} runder med angriberen)",
        "Printed counts in the report ({rounds} rounds with the attacker)",
    ),
    "disclosure_kind": ("slags", "kind"),
    "state_shown": ("vist", "shown"),
    "state_small": ("<5 (for få)", "<5 (too few)"),
    "state_secondary": ("skjult (beskytter et andet)", "hidden (protects another)"),
    "state_range": ("interval i stedet for tal", "range instead of number"),
    "disclosure_all": ("i alt", "total"),
    "disclosure_ranges": (
        "Intervaller i stedet for tal ({count}):",
        "Ranges instead of numbers ({count}):",
    ),
    "disclosure_no_ranges": ("Ingen intervaller i stedet for tal.", "No ranges instead of numbers."),
    "and_more": ("og {count} mere", "and {count} more"),
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
    "added_value": ("gns. added value (95 % CI)", "mean added value (95% CI)"),
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
    "sheet_question": ("spørgsmål", "question"),
    "sheet_predictors": ("model", "model"),
    "predictors": ("Hvem får fremgang", "Who improves"),
    "predictors_caption": (
        "{measure}: {scale}, {start} -> {end}: hvem får fremgang (logistisk regression)",
        "{measure}: {scale}, {start} -> {end}: who improves (logistic regression)",
    ),
    "variable": ("variabel", "variable"),
    "odds_ratio": ("odds ratio (95 % CI)", "odds ratio (95% CI)"),
    "model_n": (
        "unge i modellen (med et fuldstændigt par)",
        "young people in the model (with a complete pair)",
    ),
    "model_improved": ("heraf med fremgang", "of whom improved"),
    "model_excluded": (
        "udeladt: par uden oplysningen, eller i en for lille gruppe",
        "left out: pairs without the information, or in a group too small",
    ),
    "start_score": ("{scale} ved {start} (pr. point)", "{scale} at {start} (per point)"),
    "per_unit": ("{name} (pr. enhed)", "{name} (per unit)"),
    "reference": ("1 (referencegruppe)", "1 (reference)"),
    "reading_aid": (
        (
            "Sådan læses tabellen: en odds ratio over 1 betyder, at gruppen har større odds for fremgang "
            "end referencegruppen (for et tal: for hver enhed mere), under 1 mindre odds; de andre "
            "variable i tabellen er holdt fast. Et interval (95 % CI), der omfatter 1, betyder, at "
            "forskellen kan skyldes tilfældigheder. p er sandsynligheden for en så stor forskel, hvis der "
            "ingen forskel var (Wald)."
        ),
        (
            "How to read the table: an odds ratio above 1 means that the group has higher odds of "
            "fremgang than the reference group (for a number: per unit more), below 1 lower odds; the "
            "other variables in the table are held fixed. An interval (95% CI) that includes 1 means "
            "that the difference may be chance. p is the probability of so large a difference if there "
            "were none (Wald)."
        ),
    ),
    "predictors_method": (
        (
            "Logistisk regression af fremgang (ja/nej, efter samme regel som ændringstabellerne) på "
            "scoren ved start og de valgte variable, estimeret med maximum likelihood (statsmodels "
            "{version}); odds ratio = exp(koefficient) med Wald-interval og p. Kategorier med for få "
            "unge, eller uden både med og uden fremgang, er lagt sammen eller udeladt (se noten under "
            "tabellen)."
        ),
        (
            "Logistic regression of fremgang (yes/no, by the same rule as the change tables) on the "
            "score at the start and the chosen variables, fitted by maximum likelihood (statsmodels "
            "{version}); odds ratio = exp(coefficient) with its Wald interval and p. Categories with "
            "too few young people, or without both outcomes, are merged or left out (see the note under "
            "the table)."
        ),
    ),
    "small_why": (
        "(færre end {min_cell} personer, eller ikke både med og uden fremgang)",
        "(fewer than {min_cell} persons, or without both outcomes)",
    ),
    "small_merged": (
        "{covariate}: {names} er lagt sammen til {merged} {why}",
        "{covariate}: {names} merged into {merged} {why}",
    ),
    "small_left_out": (
        "{covariate}: {names} er udeladt af modellen {why}",
        "{covariate}: {names} left out of the model {why}",
    ),
    "small_dropped": (
        "{covariate} er udeladt af modellen (færre end to grupper at sammenligne)",
        "{covariate} left out of the model (fewer than two groups to compare)",
    ),
    "not_fitted": (
        (
            "Modellen er ikke vist: færre end {min_cell} unge med, eller uden, fremgang, eller den kunne "
            "ikke estimeres."
        ),
        (
            "The model is not shown: fewer than {min_cell} young people with, or without, fremgang, or it "
            "could not be estimated."
        ),
    ),
    "questions": ("Andre spørgsmål", "Other questions"),
    "answered": ("besvaret (n)", "answered (n)"),
    "not_answered": ("ikke besvaret", "not answered"),
    "question_note": (
        (
            "Andele i procent af dem, der besvarede spørgsmålet (n), med 95 % konfidensinterval. "
            "'Ikke besvaret' er personer med en række ved tidspunktet, men uden svar på spørgsmålet; "
            "de tælles for sig og ikke med i n."
        ),
        (
            "Shares in percent of those who answered the question (n), with 95% confidence interval. "
            "'Not answered' are persons with a row at the time point but no answer to the question; "
            "they are counted apart and not in n."
        ),
    ),
    "sheet_sex": ("køn", "sex"),
    "sheet_change": ("fremgang", "change"),
    "sheet_combined": ("samlet", "combined"),
    "sheet_about": ("Om data", "About the data"),
    "sheet_flow": ("frafald", "flow"),
    "sheet_sex_means": ("køn parret", "sex paired"),
    "sheet_fremgang": ("fremgang på tværs", "fremgang across"),
    "analyses": ("Flere analyser", "Further analyses"),
    "sex_means_title": ("Gennemsnit efter køn, de samme unge", "Mean by sex, the same young people"),
    "sex_means_caption": (
        "efter køn, kun unge målt ved alle af {times}",
        "by sex, only young people measured at every one of {times}",
    ),
    "sex_means_note": (
        (
            "Parret: kun unge med en score ved hvert af tidspunkterne, så gennemsnittene er de samme "
            "unges; n er deres antal. Gennemsnit pr. tidspunkt."
        ),
        (
            "Paired: only young people with a score at every one of the time points, so the means are "
            "of the same young people; n is their number. Mean per time point."
        ),
    ),
    "fremgang_title": ("Fremgang på tværs af mål", "Fremgang across measures"),
    "fremgang_caption": ("andel med fremgang pr. mål", "share with fremgang per measure"),
    "fremgang_share": ("fremgang (%)", "fremgang (%)"),
    "fremgang_note": (
        (
            "Andel af de fuldstændige par (n) med fremgang efter hvert måls regel (nedenfor), med 95 % "
            "konfidensinterval; tallene er de samme som i fremgangstabellerne."
        ),
        (
            "Share of the complete pairs (n) with fremgang under each measure's rule (below), with 95% "
            "confidence interval; the numbers are those of the change tables."
        ),
    ),
    "fremgang_axis": ("andel med fremgang (%)", "share with fremgang (%)"),
    "figure_fremgang": (
        "Andel med fremgang pr. mål og gruppe med 95 % konfidensinterval; n (par) over hver søjle.",
        "Share with fremgang per measure and group with 95% confidence interval; n (pairs) above each bar.",
    ),
    "fremgang_left_out": (
        "{name} er udeladt af fremgang på tværs af mål ({start} -> {end}): {why}.",
        "{name} is left out of fremgang across measures ({start} -> {end}): {why}.",
    ),
    "measure": ("mål", "measure"),
    "flow_title": ("Forløb over tid: målt og frafald", "Flow over time: measured and drop-out"),
    "flow_caption": ("målt og frafald pr. tidspunkt", "measured and drop-out per time point"),
    "measured": ("målt", "measured"),
    "dropout": ("frafald siden forrige", "drop-out since the previous"),
    "dropout_share": ("frafald (%)", "drop-out (%)"),
    "flow_note": (
        (
            "Målt: unge med en score ved tidspunktet (n i niveautabellen). Frafald: unge målt ved det "
            "forrige tidspunkt, men ikke ved dette; andelen er af dem målt ved det forrige."
        ),
        (
            "Measured: young people with a score at the time point (n in the level table). Drop-out: "
            "young people measured at the previous time point but not at this one; the share is of "
            "those measured at the previous one."
        ),
    ),
    "sheet": ("Ark", "Sheet"),
    "table": ("Tabel", "Table"),
    "ci_low": ("nedre grænse (95 % CI)", "lower bound (95% CI)"),
    "ci_high": ("øvre grænse (95 % CI)", "upper bound (95% CI)"),
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
