"""Typed cohort-report results and plain-text tables (suppression: :mod:`.suppression`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from trivselscore.change.rule import ChangeRule
from trivselscore.cohort.data import group_words
from trivselscore.support.display import ShownAsTable, text_table

__all__ = [
    "Cell",
    "ChangeRow",
    "ChangeSummary",
    "ShareCell",
    "TimePointRow",
    "TimePointSummary",
    "flatten",
    "group_label",
    "hidden",
    "overview",
    "ranged",
    "suppression_note",
]

Language = Literal["da", "en"]

NO_NORM_TABLE = "no norm table"
"""The note of a T-score band share when the instrument has no norm table."""

_NOTES: dict[str, tuple[str, str]] = {NO_NORM_TABLE: ("ingen normtabel", NO_NORM_TABLE)}
"""Notes of cells that are not suppressed but have no value: (Danish, English)."""


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Cell(_Result):
    """One reported number: a count, share or mean, with its interval.

    A suppressed cell has ``value=None`` and ``suppressed=True``; ``note`` says
    why: ``"<5"`` (a count of 1-4, below the threshold), ``"n<5"`` (a denominator
    below it) or ``"hidden"`` (secondary suppression, so a hidden cell cannot be
    worked back from the others). It is never shown as zero. A cell that is not
    suppressed but has no value says why in ``note``: ``"n=0"`` (a share or mean
    of nobody) or ``"no norm table"`` (a T-score band without norms).
    """

    value: int | float | None
    low: float | None = None
    high: float | None = None
    suppressed: bool = False
    note: str | None = None

    def text(self, *, digits: int = 1, percent: bool = False, language: Language = "da") -> str:
        """Render for a table: ``"12"``, ``"45.3"``, ``"30% (18-45)"``, ``"<5"`` or ``"-"``."""
        if self.suppressed:
            return self._hidden_text(percent=percent, language=language)
        if self.value is None:
            words = _NOTES.get(self.note or "")
            return "-" if words is None else words[0 if language == "da" else 1]
        if percent:
            text = f"{100 * self.value:.0f}%"
            if self.low is not None and self.high is not None:
                text += f" ({100 * self.low:.0f}-{100 * self.high:.0f})"
            return text
        if float(self.value).is_integer() and digits == 0:
            return str(int(self.value))
        text = f"{self.value:.{digits}f}"
        if self.low is not None and self.high is not None:
            text += f" ({self.low:.{digits}f} to {self.high:.{digits}f})"
        return text

    def _hidden_text(self, *, percent: bool, language: Language) -> str:
        if self.note == "range" and self.low is not None and self.high is not None:
            if percent:
                return f"{100 * self.low:.0f}-{100 * self.high:.0f}%"
            return f"{self.low:.0f}-{self.high:.0f}"
        return ("skjult" if language == "da" else "hidden") if self.note == "hidden" else str(self.note)


def hidden(note: str = "hidden") -> Cell:
    """A suppressed cell: ``"<5"``, ``"n<5"`` or ``"hidden"`` (see :class:`Cell`)."""
    return Cell(value=None, suppressed=True, note=note)


def ranged(low: float, high: float) -> Cell:
    """A hidden count or share published as the range it surely lies in.

    For a share, ``low`` and ``high`` are fractions, already rounded outwards to
    whole percents (so the printed range never says more than the true one).

    Examples:
        >>> ranged(12, 18).text(), ranged(0.27, 0.33).text(percent=True)
        ('12-18', '27-33%')
    """
    return Cell(value=None, low=low, high=high, suppressed=True, note="range")


class ShareCell(_Result):
    """The count and share of one band or change category, with its interval."""

    key: str
    label_en: str
    label_da: str
    count: Cell
    share: Cell

    def label(self, language: Language = "da") -> str:
        """The label in ``language``."""
        return self.label_da if language == "da" else self.label_en


class TimePointRow(_Result):
    """One time point x group: how many were measured and scored, mean, SD, band shares.

    ``measured`` counts people with a row at this time point; ``n`` those with a
    score; ``not_scored`` the difference (too many missing answers). Band shares
    are out of ``n`` minus ``unbanded`` (scores no band table covers).
    ``outside_age_range`` counts the scored rows whose age lies outside the
    instrument's age range (scored, but given no band: part of ``unbanded``).
    ``is_total`` marks the row of the whole cohort (labelled ``all``; a group
    may carry any label, ``all`` included).
    """

    time: str
    group: str
    is_total: bool = False
    measured: Cell
    n: Cell
    not_scored: Cell
    mean: Cell
    sd: Cell
    bands: tuple[ShareCell, ...] = ()
    unbanded: Cell = Cell(value=0)
    outside_age_range: Cell = Cell(value=0)


class ChangeRow(_Result):
    """Change between two time points for one group, on complete pairs only.

    ``persons`` counts everyone in the group; ``pairs`` those scored at both
    time points; ``start_only`` (attrition) those scored at the start only,
    ``attrition`` as a share of those scored at the start; ``end_only`` and
    ``neither`` the rest; ``not_scored`` those with a row at either time point
    that could not be scored; ``outside_age_range`` those whose age at either
    time point lies outside the instrument's age range. ``mean_change`` has a
    t-interval; ``dz`` = mean / SD. ``is_total`` marks the row of the whole cohort.
    """

    group: str
    is_total: bool = False
    persons: Cell
    pairs: Cell
    start_only: Cell
    attrition: Cell
    end_only: Cell
    neither: Cell
    not_scored: Cell
    categories: tuple[ShareCell, ...]
    mean_change: Cell
    sd_change: Cell
    dz: Cell
    outside_age_range: Cell = Cell(value=0)


class _Report(ShownAsTable, _Result):
    instrument_id: str
    scale: str
    min_cell: int
    hide_zero: bool = False
    interval: str
    confidence: float
    by: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dictionaries (suppressed values are None with a note)."""
        return self.model_dump(mode="json")

    def to_frame(self) -> Any:  # noqa: ANN401 - pandas is optional, so no pandas types here
        """One row per table row (pandas DataFrame; needs ``pip install pandas``).

        Suppressed values are NaN, and the column ``suppressed`` names them.
        """
        from trivselscore.support.optional import frame  # noqa: PLC0415 - pandas is optional

        records = [flatten(row.model_dump()) for row in self._rows()]
        columns = list(dict.fromkeys(k for r in records for k in r))
        return frame({c: [r.get(c, math.nan) for r in records] for c in columns})

    def _rows(self) -> Sequence[BaseModel]:
        raise NotImplementedError  # pragma: no cover

    def __str__(self) -> str:
        """The report as a plain-text table in Danish."""
        return self.table()

    def table(self, language: Language = "da") -> str:  # pragma: no cover - overridden
        """Plain-text table."""
        raise NotImplementedError

    def _notes(self, language: Language) -> list[str]:
        return [suppression_note(language, min_cell=self.min_cell, hide_zero=self.hide_zero)]


class TimePointSummary(_Report):
    """Per time point and group: n, mean, SD and band shares with intervals."""

    scheme: str | None
    scheme_label_da: str | None = None
    scheme_label_en: str | None = None
    cutoffs: tuple[float, ...] = ()
    scale_range: tuple[float, float] | None = None
    time_points: tuple[str, ...]
    rows: tuple[TimePointRow, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def table(self, language: Language = "da") -> str:
        """The summary as a plain-text table (shares as % with the interval)."""
        return text_table(*self._grid(language))

    def _caption(self, language: Language) -> str:  # noqa: ARG002 - the same in both languages
        return f"{self.instrument_id}/{self.scale}, " + ", ".join(self.time_points)

    def _grid(self, language: Language) -> tuple[list[str], list[list[str]]]:
        da = language == "da"
        head = ["tid" if da else "time", "gruppe" if da else "group", "målt" if da else "measured", "n"]
        head += ["gns." if da else "mean", "SD"]
        bands = self.rows[0].bands if self.rows else ()
        head += [b.label(language) for b in bands]
        ages = _any_outside(self.rows)
        head += [_OUTSIDE[language]] if ages else []
        body = [
            [
                r.time,
                group_label(r, language),
                r.measured.text(digits=0, language=language),
                r.n.text(digits=0, language=language),
                r.mean.text(language=language),
                r.sd.text(language=language),
                *(b.share.text(percent=True, language=language) for b in r.bands),
                *([r.outside_age_range.text(digits=0, language=language)] if ages else []),
            ]
            for r in self.rows
        ]
        return head, body


class ChangeSummary(_Report):
    """Change between two time points per group: categories, mean change, dz."""

    start: str
    end: str
    rule: ChangeRule
    rows: tuple[ChangeRow, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def table(self, language: Language = "da") -> str:
        """The change summary as a plain-text table, with the rule on the last line."""
        return (
            f"{self.start} -> {self.end}\n" + text_table(*self._grid(language)) + "\n" + self.rule.describe()
        )

    def _caption(self, language: Language) -> str:  # noqa: ARG002 - the same in both languages
        return f"{self.instrument_id}/{self.scale}, {self.start} -> {self.end}"

    def _notes(self, language: Language) -> list[str]:
        return [*super()._notes(language), self.rule.describe()]

    def _grid(self, language: Language) -> tuple[list[str], list[list[str]]]:
        da = language == "da"
        head = ["gruppe" if da else "group", "par" if da else "pairs", "frafald" if da else "attrition"]
        head += [c.label(language) for c in (self.rows[0].categories if self.rows else ())]
        head += ["gns. ændring (95% CI)" if da else "mean change (95% CI)", "dz"]
        ages = _any_outside(self.rows)
        head += [_OUTSIDE[language]] if ages else []
        body = [
            [
                group_label(r, language),
                r.pairs.text(digits=0, language=language),
                r.attrition.text(percent=True, language=language),
                *(c.share.text(percent=True, language=language) for c in r.categories),
                r.mean_change.text(language=language),
                r.dz.text(digits=2, language=language),
                *([r.outside_age_range.text(digits=0, language=language)] if ages else []),
            ]
            for r in self.rows
        ]
        return head, body


_OUTSIDE: dict[Language, str] = {"da": "uden for alder", "en": "outside age range"}


def suppression_note(language: Language, *, min_cell: int, hide_zero: bool) -> str:
    """The rule under every report table: which counts are hidden, and that zeros are shown.

    Examples:
        >>> suppression_note("en", min_cell=5, hide_zero=False)
        'hidden: fewer than 5 (zero is shown), or hidden so none can be worked back'
    """
    if language == "da":
        zero = "" if hide_zero else " (nul vises)"
        return f"skjult: færre end {min_cell}{zero}, eller skjult så tallet ikke kan regnes tilbage"
    zero = "" if hide_zero else " (zero is shown)"
    return f"hidden: fewer than {min_cell}{zero}, or hidden so none can be worked back"


def overview(
    time_points: Sequence[str], measured: Sequence[int], scored: Sequence[int], outside: Sequence[int]
) -> tuple[list[str], list[list[str]]]:
    """A cohort at a glance, per time point: rows, rows scored on every scale, rows outside the age range.

    The last column only when some row is outside the instrument's age range.

    Examples:
        >>> overview(["start", "end"], [10, 8], [9, 8], [0, 0])
        (['time', 'measured', 'scored'], [['start', '10', '9'], ['end', '8', '8']])
    """
    head = ["time", "measured", "scored"] + ([_OUTSIDE["en"]] if any(outside) else [])
    rows = zip(time_points, measured, scored, outside, strict=True)
    body = [[t, str(m), str(s), *([str(o)] if any(outside) else [])] for t, m, s, o in rows]
    return head, body


def _any_outside(rows: Sequence[TimePointRow | ChangeRow]) -> bool:
    """Whether the table needs the ``outside_age_range`` column (a row with any)."""
    return any(r.outside_age_range.suppressed or r.outside_age_range.value for r in rows)


_TOTAL_LABELS: dict[Language, str] = {"da": "alle", "en": "all"}


def group_label(row: TimePointRow | ChangeRow, language: Language) -> str:
    """The row's label in a table: ``alle`` (``all``) for the total row.

    A group that carries one of those labels is marked ``(gruppe)`` (``(group)``).
    """
    if row.is_total:
        return _TOTAL_LABELS[language]
    if row.group in _TOTAL_LABELS.values():
        return f"{row.group} ({'gruppe' if language == 'da' else 'group'})"
    return group_words(row.group, language)


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """One dumped report row as flat columns (what ``to_frame()`` and study ``records()`` hold).

    A cell becomes its value (NaN when hidden), ``_low`` and ``_high``; a band or
    category becomes ``<key>_count`` and ``<key>_share``; ``suppressed`` names
    the hidden cells.

    Examples:
        >>> cell = {"value": None, "low": None, "high": None, "suppressed": True}
        >>> flatten({"group": "a", "n": cell})
        {'group': 'a', 'n': nan, 'suppressed': 'n'}
    """
    flat: dict[str, Any] = {}
    hidden_names: list[str] = []
    for name, value in data.items():
        if isinstance(value, dict) and "suppressed" in value:
            _put(flat, name, value, hidden_names)
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
            for share in value:
                _put(flat, f"{share['key']}_count", share["count"], hidden_names)
                _put(flat, f"{share['key']}_share", share["share"], hidden_names)
        else:
            flat[name] = value
    flat["suppressed"] = ",".join(hidden_names)
    return flat


def _put(flat: dict[str, Any], name: str, cell: dict[str, Any], hidden_names: list[str]) -> None:
    flat[name] = math.nan if cell["value"] is None else cell["value"]
    if cell["low"] is not None:
        flat[f"{name}_low"], flat[f"{name}_high"] = cell["low"], cell["high"]
    if cell["suppressed"]:
        hidden_names.append(name)
