"""``trivselscore report --init DATA``: a commented STUDY.toml guessed from the export, to be checked.

:func:`guess_study` reads the whole export (the header and every value, through
the same reader as the report, value labels applied) and decides, by the rules
of :mod:`trivselscore.report.guess`: the person, time point, track, sex, age and
date columns, the measures and their versions, and the time points. These are
the values of the time column in the order of their dates where a date column
exists (each value placed by the median date of its rows, so one mistyped date
moves nothing), else in the order first seen. :func:`study_toml` writes it as
TOML that parses for any label (every string escaped; labels in comments too).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from trivselscore.errors import CohortDataError
from trivselscore.instruments.registry import get_instrument
from trivselscore.report.data import label_text
from trivselscore.report.guess import (
    MeasureGuess,
    as_date,
    guess_measures,
    role_column,
    track_columns,
)
from trivselscore.study.columns import item_columns

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["Guess", "guess_study", "study_toml", "toml_string"]

_LABEL_ROLES = ("person", "time", "groups", "sex")
_DEFAULT_TIMES = ("start", "slut")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SHOWN = 8


def toml_string(value: str) -> str:
    r"""A TOML basic string holding ``value`` exactly (quotes, backslashes, control characters escaped).

    Examples:
        >>> print(toml_string('a "b" \\ c' + chr(10) + "d"))
        "a \"b\" \\ c\u000Ad"
    """
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", escaped) + '"'


def _comment(text: str) -> str:
    """Text for a comment line: control characters (a line break would end the comment) escaped."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def _list(values: Sequence[str]) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


@dataclass
class Guess:
    """What :func:`guess_study` found in the export."""

    header: list[str]
    person: str | None = None
    time: str | None = None
    times: list[str] = field(default_factory=list)
    times_by: str = ""
    groups: list[str] = field(default_factory=list)
    other_groups: list[str] = field(default_factory=list)
    sex: str | None = None
    sex_values: list[str] = field(default_factory=list)
    age: str | None = None
    date: str | None = None
    measures: list[MeasureGuess] = field(default_factory=list)
    decimal_comma: bool = False


def _text_columns(
    columns: Mapping[str, Sequence[object]], labels: Mapping[str, Mapping[object, str]]
) -> dict[str, list[object]]:
    """Each column as the report reads a label: through its value labels, as text."""
    out: dict[str, list[object]] = {}
    for name, values in columns.items():
        codes = labels.get(name, {})
        out[name] = [label_text(codes.get(v, v) if codes and v is not None else v) for v in values]
    return out


def _ordered_times(labels: Sequence[str | None], dates: Sequence[object] | None) -> tuple[list[str], str]:
    seen = list(dict.fromkeys(label for label in labels if label is not None))
    if dates is None:
        return seen, "first seen"
    days: dict[str, list[int]] = {}
    for label, value in zip(labels, dates, strict=True):
        day = as_date(value)
        if label is not None and day is not None:
            days.setdefault(label, []).append(day.toordinal())
    if set(days) != set(seen):
        return seen, "first seen"
    middle = {label: statistics.median(values) for label, values in days.items()}
    return sorted(seen, key=lambda label: (middle[label], seen.index(label))), "date"


def _ages(values: Sequence[object]) -> list[float] | None:
    ages: list[float] = []
    for value in values:
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if isinstance(value, str):
            try:
                number = float(value.replace(",", "."))
            except ValueError:
                return None
        if number is None or number != number:  # noqa: PLR0124 - NaN
            return None
        ages.append(float(number))
    return ages


def _needs_columns(measure: MeasureGuess, header: Sequence[str]) -> bool:
    """Whether the Study would not find these item columns by itself (so STUDY.toml must name them)."""
    for version in measure.ids:
        try:
            found, _ = item_columns(measure.name, get_instrument(version), header, {}, bare=False)
        except CohortDataError:
            return True
        if {k: v for k, v in found.items() if v} != {k: v for k, v in measure.columns.items() if v}:
            return True
    return any(v is None for v in measure.columns.values())


def guess_study(
    header: Sequence[str], columns: Mapping[str, Sequence[object]], labels: Mapping[str, Mapping[object, str]]
) -> Guess:
    """Guess every STUDY.toml decision from an export's header, its values and its value labels."""
    guess = Guess(header=list(header))
    text = _text_columns(columns, labels)
    taken: set[str] = set()
    for role in ("person", "time", "sex", "age", "date"):
        found = role_column(header, role, taken=frozenset(taken))
        setattr(guess, role, found)
        if found is not None:
            taken.add(found)
    named = role_column(header, "groups", taken=frozenset(taken))
    measures_columns = set()
    ages = _ages([v for v in columns[guess.age] if v is not None]) if guess.age else None
    if guess.age and any(v is None for v in columns[guess.age]):
        ages = None
    guess.measures = guess_measures(header, ages=ages)
    for measure in guess.measures:
        measure.explicit = _needs_columns(measure, header)
        measures_columns |= {c for c in measure.columns.values() if c}
    if guess.person is not None:
        skip = frozenset(taken | measures_columns)
        tracks = track_columns(text, text[guess.person], skip=skip)
        if named is not None:
            tracks = [named, *(t for t in tracks if t != named)]
        guess.groups, guess.other_groups = tracks[:1], tracks[1:]
    if guess.time is not None:
        dates = columns[guess.date] if guess.date else None
        times = [v if isinstance(v, str) else None for v in text[guess.time]]
        guess.times, guess.times_by = _ordered_times(times, dates)
    if guess.sex is not None:
        guess.sex_values = [str(v) for v in dict.fromkeys(text[guess.sex]) if v is not None]
    guess.decimal_comma = any(
        isinstance(v, str) and re.fullmatch(r"[+-]?[0-9]+,[0-9]+", v.strip())
        for name, values in columns.items()
        if name not in taken - {guess.age or ""}
        for v in values[:2000]
    )
    return guess


def study_toml(guess: Guess, *, data_name: str) -> str:
    """The commented STUDY.toml text for what :func:`guess_study` found."""
    person = guess.person or (guess.header[0] if guess.header else "id")
    times = guess.times or list(_DEFAULT_TIMES)
    if len(times) == 1:
        times = [*times, "slut" if times[0] != "slut" else "start"]
    pairs = [[times[0], later] for later in times[1:]]
    how = {
        "date": f"in the order of their dates (column {guess.date!r}: the median date of each)",
        "first seen": "in the order first seen in the file",
        "": "not found: write them",
    }[guess.times_by if guess.time else ""]
    lines = [
        f"# STUDY.toml for `trivselscore report`, guessed from {_comment(data_name)}.",
        "# CHECK EVERY LINE: the guesses below are a start, not a decision.",
        "# Run: trivselscore report DATA --study STUDY.toml -o rapport.html",
        "",
        "# The report's title (first page).",
        f"title = {toml_string('Evaluering: ' + data_name)}",
        "# The name of the data set on the first page (default: the file name).",
        f"data_name = {toml_string(data_name)}",
        f"# The time points, {_comment(how)}; exactly as written in the time column.",
        f"time_points = {_list(times)}",
        "# The comparisons to report: pairs [from, to] of time points.",
        "comparisons = [" + ", ".join(_list(p) for p in pairs) + "]",
        "# Missing answers: leave out to use each instrument's documented rule;",
        '# or e.g. missing = "prorate".',
        "",
        "[columns]",
        "# The column with each person's id, and the one with the time point.",
        f"person = {toml_string(person)}",
        f"time = {toml_string(guess.time or 'tidspunkt')}",
        "# Columns that group persons (track); each constant per person.",
        f"groups = {_list(guess.groups)}",
    ]
    if guess.other_groups:
        others = ", ".join(toml_string(g) for g in guess.other_groups)
        lines.append(f"# Also constant per person (add to groups to report by them too): {_comment(others)}")
    lines += _sex_and_age(guess)
    lines.append("")
    lines += _measures(guess)
    lines += _tail()
    return "\n".join(lines) + "\n"


def _sex_and_age(guess: Guess) -> list[str]:
    lines = ["# Sex (pige/dreng, kvinde/mand, K/M; other codes under [sex_codes]); remove if absent."]
    if guess.sex:
        lines.append(f"sex = {toml_string(guess.sex)}")
        shown = ", ".join(toml_string(v) for v in guess.sex_values[:_SHOWN])
        lines.append(f"# Values found in it: {_comment(shown)}")
    else:
        lines.append('# sex = "køn"')
    lines.append("# Age in years (chooses versions by age, checks each form's age range).")
    lines.append(f"age = {toml_string(guess.age)}" if guess.age else '# age = "alder"')
    return lines


def _measures(guess: Guess) -> list[str]:
    if not guess.measures:
        return [
            "# No instrument's item columns were found: name the measures by hand, e.g.",
            "# [measures.who5]",
            '# instrument = "who5"',
            "",
        ]
    lines: list[str] = []
    for measure in guess.measures:
        lines.append(f"[measures.{measure.name}]")
        lines.append(
            '# The instrument id (trivselscore list), or versions chosen by age: ["sdq-s11-17", "sdq-s18"].'
        )
        if measure.others:
            lines.append(
                f"# The item columns also fit: {', '.join(measure.others)}; pick the form that was used."
            )
        value = toml_string(measure.ids[0]) if len(measure.ids) == 1 else _list(measure.ids)
        lines.append(f"instrument = {value}")
        lines.append('# The scales reported (default: total, or the banded scales); e.g. scales = ["total"].')
        if measure.explicit:
            lines.append("")
            lines.append(f"[measures.{measure.name}.columns]")
            lines.append('# Item -> its column in the export; "" = not in the export (not collected).')
            for item, column in measure.columns.items():
                lines.append(f"{toml_string(item)} = {toml_string(column or '')}")
        lines.append("")
    return lines


def _tail() -> list[str]:
    return [
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
