"""Typed study reports: rows of cells, each with ``table()``, ``to_frame()``, ``to_dict()``.

Every report is a frozen pydantic model. ``str(report)`` and ``report.table(lang)``
give the plain-text table (``lang="da"`` or ``"en"``); ``repr`` shows a title line
and the first rows only; notebooks show ``_repr_html_`` (a compact table). A
suppressed cell has ``value=None`` and a mark (``"<5"``, ``"n<5"``, ``"hidden"``),
never 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from trivselscore.change import ChangeRule
from trivselscore.cohort import Cell, ShareCell
from trivselscore.cohort.data import group_words
from trivselscore.cohort.report import flatten, suppression_note
from trivselscore.support import require
from trivselscore.support.display import ShownAsTable, text_table

__all__ = [
    "ChangeReport",
    "ChangeRow",
    "CoverageReport",
    "CoverageRow",
    "Lang",
    "Report",
    "SummaryReport",
    "SummaryRow",
    "group_label",
]

Lang = Literal["da", "en"]
"""The language of table labels."""


def group_label(label: str, lang: Lang) -> str:
    """``all`` and a missing group (``(missing)``) in the chosen language.

    Examples:
        >>> group_label("all", "da"), group_label("a / (missing)", "da"), group_label('"all"', "da")
        ('alle', 'a / (mangler)', '"all"')
    """
    return "alle" if label == "all" and lang == "da" else group_words(label, lang)


def _words(lang: Lang, da: str, en: str) -> str:
    return da if lang == "da" else en


class Report(ShownAsTable, BaseModel):
    """What every study report has: the suppression and interval settings, and its output forms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_cell: int
    hide_zero: bool
    interval: str
    confidence: float
    by: tuple[str, ...]

    def _rows(self) -> Sequence[BaseModel]:
        raise NotImplementedError  # pragma: no cover

    def _notes(self, lang: Lang) -> list[str]:
        return [suppression_note(lang, min_cell=self.min_cell, hide_zero=self.hide_zero)]

    def table(self, lang: Lang = "da") -> str:
        """The report as a plain-text table with its caption and notes."""
        head, body = self._grid(lang)
        return "\n".join([self._caption(lang), text_table(head, body), *self._notes(lang)])

    def __str__(self) -> str:
        """The Danish table."""
        return self.table()

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dictionaries (suppressed values are None with their mark)."""
        return self.model_dump(mode="json")

    def records(self) -> list[dict[str, Any]]:
        """One flat dictionary per row, as in ``to_frame()``.

        A cell becomes its value (NaN when hidden), ``_low`` and ``_high``; a band
        or category becomes ``<key>_count`` and ``<key>_share``; the key
        ``suppressed`` names the hidden cells.
        """
        return [_flatten(row.model_dump(exclude=_unset(row))) for row in self._rows()]

    def to_frame(self, native: str = "pandas") -> Any:  # noqa: ANN401 - the frame library is optional
        """The rows as a DataFrame: ``native="pandas"`` (default), ``"polars"`` or ``"pyarrow"``.

        Raises:
            ImportError: The library (or, for polars and pyarrow, narwhals) is not installed.
        """
        records = self.records()
        names = list(dict.fromkeys(k for r in records for k in r))
        columns = {n: [r.get(n, math.nan) for r in records] for n in names}
        if native == "pandas":
            return require("pandas", "pandas").DataFrame(columns)
        nw = require("narwhals", "frames")
        return nw.from_dict(columns, backend=native).to_native()


def _unset(row: BaseModel) -> set[str]:
    """Optional columns a report did not ask for (a field None by default, and None): left out of frames."""
    fields = type(row).model_fields
    return {name for name, f in fields.items() if f.default is None and getattr(row, name) is None}


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """:func:`~trivselscore.cohort.report.flatten`, with lists of labels joined by `` / ``."""
    shares = (list, tuple)
    return flatten(
        {
            name: " / ".join(map(str, value))
            if isinstance(value, shares) and not (value and isinstance(value[0], dict) and "key" in value[0])
            else value
            for name, value in data.items()
        }
    )


def _count(cell: Cell, lang: Lang) -> str:
    return cell.text(digits=0, language=lang)


class CoverageRow(BaseModel):
    """One measure x time point x group: the input rows and what became of them.

    ``rows`` = ``not_given`` (every item blank: no measurement) + ``given``;
    ``given`` is split by the version that scored it; ``outside_age_range``
    counts given rows whose age no version covers (scored, without bands).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: str
    time: str
    group: str
    rows: Cell
    not_given: Cell
    given: Cell
    outside_age_range: Cell
    versions: tuple[ShareCell, ...]


class CoverageReport(Report):
    """Where every input row went, per measure, time point and group."""

    rows: tuple[CoverageRow, ...]
    n_rows: int

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def _caption(self, lang: Lang) -> str:
        return _words(lang, f"{self.n_rows} rækker i data", f"{self.n_rows} rows in the data")

    def _grid(self, lang: Lang) -> tuple[list[str], list[list[str]]]:
        keys = list(dict.fromkeys(v.key for r in self.rows for v in r.versions))
        head = [_words(lang, "mål", "measure"), _words(lang, "tid", "time"), _words(lang, "gruppe", "group")]
        head += [_words(lang, "rækker", "rows"), _words(lang, "ikke udfyldt", "not given")]
        head += [_words(lang, "udfyldt", "given"), *keys, _words(lang, "uden for alder", "outside age")]
        body = []
        for r in self.rows:
            by_key = {v.key: _count(v.count, lang) for v in r.versions}
            body.append(
                [
                    r.measure,
                    r.time,
                    group_label(r.group, lang),
                    _count(r.rows, lang),
                    _count(r.not_given, lang),
                    _count(r.given, lang),
                    *(by_key.get(k, "") for k in keys),
                    _count(r.outside_age_range, lang),
                ]
            )
        return head, body


class SummaryRow(BaseModel):
    """One time point x group of one measure's scale.

    ``rows`` = ``left_out`` (rows of persons outside a ``paired`` restriction) +
    ``not_given`` + ``measured``; ``measured`` = ``n`` (scored) + ``not_scored``;
    ``n`` = the sum of the band counts (the last band, ``no_band``, holds scores
    no band table covers, e.g. ``outside_age_range``). Band shares are out of ``n``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: str
    scale: str
    time: str
    group: str
    rows: Cell
    left_out: Cell
    not_given: Cell
    measured: Cell
    n: Cell
    not_scored: Cell
    outside_age_range: Cell
    mean: Cell
    sd: Cell
    bands: tuple[ShareCell, ...]
    t_mean: Cell | None = None
    t_sd: Cell | None = None


class SummaryReport(Report):
    """Per time point and group: counts, mean, SD and band shares of one measure's scale.

    ``norms`` names the norm tables of the T-score columns (None: none asked for,
    or no table); ``band_note`` says why a scale has no bands (``"no norm table"``:
    its scheme bands T-scores and no table norms it).
    """

    measure: str
    instrument_ids: tuple[str, ...]
    scale: str
    scheme: str | None
    paired: tuple[str, str] | None
    time_points: tuple[str, ...]
    cutoffs: tuple[float, ...]
    scale_range: tuple[float, float]
    rows: tuple[SummaryRow, ...]
    norms: str | None = None
    band_note: str | None = None

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def _caption(self, lang: Lang) -> str:
        text = f"{self.measure}/{self.scale}"
        if self.paired:
            a, b = self.paired
            text += _words(
                lang,
                f", kun personer målt både ved {a} og {b}",
                f", only persons measured at both {a} and {b}",
            )
        return text

    def _grid(self, lang: Lang) -> tuple[list[str], list[list[str]]]:
        head = [_words(lang, "tid", "time"), _words(lang, "gruppe", "group"), _words(lang, "rækker", "rows")]
        if self.paired:
            head.append(_words(lang, "udeladt", "left out"))
        head += [_words(lang, "ikke udfyldt", "not given"), "n", _words(lang, "gns.", "mean"), "SD"]
        shown = [
            i
            for i, b in enumerate(self.rows[0].bands if self.rows else ())
            if b.key != "no_band" or any(r.bands[i].count.value != 0 for r in self.rows)
        ]
        head += [self.rows[0].bands[i].label(lang) for i in shown]
        normed = any(r.t_mean is not None for r in self.rows)
        head += [_words(lang, "gns. T", "mean T"), "SD T"] if normed else []
        body = []
        for r in self.rows:
            line = [r.time, group_label(r.group, lang), _count(r.rows, lang)]
            line += [_count(r.left_out, lang)] if self.paired else []
            line += [
                _count(r.not_given, lang),
                _count(r.n, lang),
                r.mean.text(language=lang),
                r.sd.text(language=lang),
            ]
            line += [r.bands[i].share.text(percent=True, language=lang) for i in shown]
            line += (
                [c.text(language=lang) if c is not None else "" for c in (r.t_mean, r.t_sd)] if normed else []
            )
            body.append(line)
        return head, body


class ChangeRow(BaseModel):
    """Change of one measure's scale between two time points for one group (complete pairs only).

    The columns of :class:`trivselscore.cohort.ChangeRow`, plus ``measure``,
    ``scale``, ``not_given`` (rows at either time point whose form was not
    given) and ``outside_age_range`` (rows at either time point outside every
    version's age range). ``persons`` = ``pairs`` + ``start_only`` + ``end_only``
    + ``neither``; ``pairs`` = the sum of the category counts. ``added_value``
    (the mean Added Value with its interval) and ``added_value_effect`` (that
    mean over the formula's SD) are there for ``method="added_value"`` only.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: str
    scale: str
    group: str
    persons: Cell
    pairs: Cell
    start_only: Cell
    attrition: Cell
    end_only: Cell
    neither: Cell
    not_scored: Cell
    not_given: Cell
    outside_age_range: Cell
    categories: tuple[ShareCell, ...]
    mean_change: Cell
    sd_change: Cell
    dz: Cell
    added_value: Cell | None = None
    added_value_effect: Cell | None = None


class ChangeReport(Report):
    """Change between two time points: one row per measure x scale x group."""

    start: str
    end: str
    rules: dict[str, ChangeRule]
    rows: tuple[ChangeRow, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def _caption(self, lang: Lang) -> str:  # noqa: ARG002 - the same in both languages
        return f"{self.start} -> {self.end}"

    def categories(self) -> list[tuple[str, str, str]]:
        """(key, English, Danish) of every category in the report, best first."""
        found = {c.key: (c.key, c.label_en, c.label_da) for r in self.rows for c in r.categories}
        order = ["recovered", "improvement", "status_quo", "decline", "harmed"]
        return [found[k] for k in order if k in found]

    def _grid(self, lang: Lang) -> tuple[list[str], list[list[str]]]:
        keys = self.categories()
        head = [
            _words(lang, "mål", "measure"),
            _words(lang, "skala", "scale"),
            _words(lang, "gruppe", "group"),
        ]
        head += [_words(lang, "par", "pairs"), _words(lang, "frafald", "attrition")]
        head += [k[2] if lang == "da" else k[1] for k in keys]
        head += [_words(lang, "gns. ændring (95% CI)", "mean change (95% CI)"), "dz"]
        body = []
        for r in self.rows:
            shares = {c.key: c.share.text(percent=True, language=lang) for c in r.categories}
            body.append(
                [
                    r.measure,
                    r.scale,
                    group_label(r.group, lang),
                    _count(r.pairs, lang),
                    r.attrition.text(percent=True, language=lang),
                    *(shares.get(k[0], "") for k in keys),
                    r.mean_change.text(language=lang),
                    r.dz.text(digits=2, language=lang),
                ]
            )
        return head, body

    def _notes(self, lang: Lang) -> list[str]:
        notes = [rule.describe() for rule in self.rules.values()]
        totals = [r for r in self.rows if r.group == "all"]
        seen: set[str] = set()
        for r in totals:
            if r.measure in seen:
                continue
            seen.add(r.measure)
            given, outside = _count(r.not_given, lang), _count(r.outside_age_range, lang)
            if given != "0" or outside != "0":
                notes.append(
                    _words(
                        lang,
                        f"{r.measure}: {given} rækker uden udfyldt skema (ikke en måling), "
                        f"{outside} uden for alder",
                        f"{r.measure}: {given} rows without the form (not a measurement), "
                        f"{outside} outside age range",
                    )
                )
        return notes + super()._notes(lang)
