"""``trivselscore report --init DATA``: a commented STUDY.toml guessed from the export, to be checked.

Columns are guessed by name (Danish and English: ``id``/``elev``/``person``,
``tidspunkt``/``time``, ``forløb``/``spor``/``track``, ``køn``/``sex``,
``alder``/``age``). Measures are found the way :func:`trivselscore.score_frame`
finds item columns (:func:`trivselscore.tabular.columns.candidate_names`: the
item id, its aliases, the informant prefix) and as ``<family>_<item>``
(``sdq_1``, ``scas_12``): every instrument whose scored items all have a column
is a candidate, and the first of each family is written, with the others in a
comment. The time points are the time column's values in the order first seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trivselscore.instruments.registry import INSTRUMENTS
from trivselscore.tabular.columns import candidate_names, scored_items

if TYPE_CHECKING:
    from collections.abc import Sequence

    from trivselscore.definitions import Instrument

__all__ = ["COLUMN_GUESSES", "family", "guess_measures", "study_toml"]

COLUMN_GUESSES: dict[str, tuple[str, ...]] = {
    "person": (
        "id",
        "person",
        "person_id",
        "personid",
        "elev",
        "elev_id",
        "deltager",
        "deltager_id",
        "cpr",
        "borger",
    ),
    "time": ("tidspunkt", "tid", "time", "timepoint", "måling", "maaling", "runde", "wave"),
    "groups": ("forløb", "forloeb", "spor", "track", "gruppe", "group", "indsats"),
    "sex": ("køn", "koen", "kon", "sex", "gender"),
    "age": ("alder", "age", "alder_år"),
}
"""Column role -> the names taken for it (compared without case)."""


def family(instrument_id: str) -> str:
    """The family of an instrument id: the part before the first ``-`` (``sdq-s11-17`` -> ``sdq``)."""
    return instrument_id.split("-", maxsplit=1)[0]


def _names(instrument: Instrument) -> dict[str, tuple[str, ...]]:
    own = candidate_names(instrument)
    return {
        item: (*names, f"{family(instrument.id)}_{item}", f"{instrument.id}_{item}")
        for item, names in own.items()
    }


def guess_measures(header: Sequence[str]) -> dict[str, list[str]]:
    """Family -> the instrument ids whose scored items all have a column in ``header``.

    Examples:
        >>> guess_measures(["id", *(f"who5_{i}" for i in range(1, 6))])
        {'who5': ['who5']}
    """
    folded = {h.casefold() for h in header}
    found: dict[str, list[str]] = {}
    for instrument in INSTRUMENTS.values():
        names = _names(instrument)
        needed = scored_items(instrument)
        # a bare item id ("1") alone is no evidence: it needs a name with letters in it
        named = [n for n in (item for item in needed) if any(c.casefold() in folded for c in names[n][1:])]
        if needed and len(named) == len(needed):
            found.setdefault(family(instrument.id), []).append(instrument.id)
    return found


def _column(header: Sequence[str], role: str) -> str | None:
    by_fold = {h.casefold(): h for h in header}
    return next((by_fold[name] for name in COLUMN_GUESSES[role] if name in by_fold), None)


def _toml(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_toml(v) for v in values) + "]"


def study_toml(header: Sequence[str], time_values: Sequence[str], *, data_name: str) -> str:
    """The commented STUDY.toml text for an export with this header and these time point labels."""
    person = _column(header, "person") or (header[0] if header else "id")
    time = _column(header, "time") or "tidspunkt"
    group = _column(header, "groups")
    sex, age = _column(header, "sex"), _column(header, "age")
    measures = guess_measures(header)
    times = list(dict.fromkeys(time_values))
    pairs = [[times[0], later] for later in times[1:]]
    lines = [
        "# STUDY.toml for `trivselscore report`, guessed from the header of " + data_name + ".",
        "# CHECK EVERY LINE: the guesses below are a start, not a decision.",
        "# Run: trivselscore report DATA --study STUDY.toml -o rapport.html",
        "",
        "# The report's title (first page).",
        f"title = {_toml('Evaluering: ' + data_name)}",
        "# The name of the data set on the first page (default: the file name).",
        f"data_name = {_toml(data_name)}",
        "# The time points, in order, exactly as written in the time column.",
        f"time_points = {_list(times)}",
        "# The comparisons to report: pairs [from, to] of time points.",
        "comparisons = [" + ", ".join(_list(p) for p in pairs) + "]",
        "# Missing answers: leave out to use each instrument's documented rule;",
        '# or e.g. missing = "prorate".',
        "",
        "[columns]",
        "# The column with each person's id, and the one with the time point.",
        f"person = {_toml(person)}",
        f"time = {_toml(time)}",
        "# Columns that group persons (track); each constant per person.",
        f"groups = {_list([group] if group else [])}",
    ]
    lines.append("# Sex (pige/dreng, kvinde/mand, K/M; other codes under [sex_codes]); remove if absent.")
    lines.append(f"sex = {_toml(sex)}" if sex else '# sex = "køn"')
    lines.append("# Age in years (chooses SDQ versions by age, checks each form's age range).")
    lines.append(f"age = {_toml(age)}" if age else '# age = "alder"')
    lines.append("")
    if not measures:
        lines += [
            "# No instrument's item columns were found: name the measures by hand, e.g.",
            "# [measures.who5]",
            '# instrument = "who5"',
            "",
        ]
    for name, ids in measures.items():
        lines.append(f"[measures.{name}]")
        lines.append(
            '# The instrument id (trivselscore list), or versions chosen by age: ["sdq-s11-17", "sdq-s18"].'
        )
        if len(ids) > 1:
            lines.append(f"# The item columns also fit: {', '.join(ids[1:])}; pick the form that was used.")
        lines.append(f"instrument = {_toml(ids[0])}")
        lines.append('# The scales reported (default: total, or the banded scales); e.g. scales = ["total"].')
        lines.append("")
    lines += [
        "[change]",
        "# Default: each scale's documented minimal important change where it has one (WHO-5: 10",
        '# points), else any difference. Or choose: "difference", "threshold", "reliable_change",',
        '# "clinical_significance"; one for all, or per measure: method = { who5 = "threshold" }.',
        '# method = "difference"',
        "",
        "[suppression]",
        "# Counts of 1 to min_cell - 1 are hidden (Danish statistics practice: 1-4 are not published).",
        "min_cell = 5",
        "# Also hide zeros.",
        "hide_zero = false",
        "# Show a result hidden to protect another as the range it surely lies in (27-33%).",
        "ranges = true",
        "",
        "# Fremgang on several measures at once (remove the # to use it):",
        "# [combined]",
        '# scales = { who5 = "percentage", sdq = "total" }',
        '# rule = "all"',
        "",
        "# Other sex codes than pige/dreng, kvinde/mand, K/M (remove the # to use it):",
        "# [sex_codes]",
        '# "1" = "female"',
        '# "2" = "male"',
    ]
    return "\n".join(lines) + "\n"
