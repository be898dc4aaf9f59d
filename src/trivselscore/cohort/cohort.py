"""Cohort progression reports from long-format data (one row per person and time point).

Load the data once with :meth:`Cohort.from_long`, then ask for

* :meth:`Cohort.summary`: per time point and group, n, mean, SD and the share in
  each band of a cutoff scheme with a 95 % Wilson (or Clopper-Pearson) interval;
* :meth:`Cohort.change`: between two time points, on complete pairs only, n pairs,
  attrition, the share of each change category (fremgang / status quo /
  tilbagegang) with intervals, the mean change with a t-interval and dz.

Every row of the input is counted somewhere (measured, not scored, attrition,
outside the instrument's age range); none is dropped silently. Counts of 1 to
``min_cell - 1`` (default 1-4), and shares and means whose denominator is such a
count, are suppressed and marked (``"<5"``, ``"n<5"``), never shown as zero; a
count of 0 is shown (``hide_zero=True`` hides it too). Secondary suppression
(``"hidden"``) then hides more cells until no hidden count can be worked back
from the shown ones through any relation the report publishes: a row's parts
and its total, and the groups and the total row (see
:mod:`trivselscore.cohort.rows` and :mod:`trivselscore.cohort.suppression`).

Examples:
    >>> from trivselscore.cohort import Cohort
    >>> rows = [{"person": p, "time": t, "who5_pct": v}
    ...         for p, (a, b) in enumerate([(32, 48), (40, 60), (52, 56), (28, 40), (44, 52), (36, 64)])
    ...         for t, v in (("start", a), ("end", b))]
    >>> cohort = Cohort.from_long(rows, "who5", time_points=["start", "end"],
    ...                           scores={"percentage": "who5_pct"})
    >>> report = cohort.change("percentage", "start", "end", method="difference")
    >>> report.rows[0].pairs.value, report.rows[0].mean_change.value
    (6, 14.666666666666666)
    >>> [c.share.text(percent=True) for c in report.rows[0].categories]
    ['100% (61-100)', '0% (0-39)', '0% (0-39)']
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Unpack

import numpy as np

from trivselscore.change.classify import _resolve, classify_changes
from trivselscore.change.rule import ChangeOptions, resolve_rule
from trivselscore.cohort import data as _cohort_input
from trivselscore.cohort import rows as _rows
from trivselscore.cohort import stats as _stats
from trivselscore.cohort import suppression as _suppression
from trivselscore.cohort.report import (
    NO_NORM_TABLE,
    Cell,
    ChangeRow,
    ChangeSummary,
    ShareCell,
    TimePointRow,
    TimePointSummary,
    overview,
)
from trivselscore.engine.scoring import score_batch
from trivselscore.errors import CohortDataError, UnknownScaleError
from trivselscore.support.display import html_table, short_repr

if TYPE_CHECKING:
    from collections.abc import Mapping

    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument
    from trivselscore.definitions.model import CutoffScheme, Respondent
    from trivselscore.engine.results import BatchScores

__all__ = ["Cell", "ChangeRow", "ChangeSummary", "Cohort", "ShareCell", "TimePointRow", "TimePointSummary"]

TOTAL = "all"
"""The label of the row that covers the whole cohort."""


class Cohort:
    """Scores of one instrument for a cohort measured at several time points.

    Build it with :meth:`from_long`; it is read-only afterwards.
    """

    def __init__(  # noqa: PLR0913 - built by from_long only
        self,
        instrument: Instrument,
        *,
        time_points: tuple[str, ...],
        layout: _cohort_input.Layout,
        values: dict[str, NDArray[np.float64]],
        batch: BatchScores | None,
        respondents: list[Respondent | None],
        not_collected: Mapping[str, str] | None = None,
    ) -> None:
        self.instrument = instrument
        self.not_collected = dict(not_collected or {})
        """Scale id -> why it was not collected (e.g. the SDQ impact supplement is not in the data)."""
        self.time_points = time_points
        self.groups = tuple(layout.groups)
        self._layout = layout
        self._values = values
        self._batch = batch
        self._respondents = respondents

    @classmethod
    def from_long(  # noqa: PLR0913 - column names, each with a default
        cls,
        data: object,
        instrument: Instrument | str,
        *,
        time_points: Sequence[Hashable],
        person: str = "person",
        time: str = "time",
        groups: Sequence[str] = (),
        scores: Mapping[str, str] | None = None,
        missing: str | None = None,
        sex: str | None = None,
        age: str | None = None,
        not_collected: Sequence[str] = (),
    ) -> Cohort:
        """Read long-format data: one row per (person, time point).

        Args:
            data: An iterable of mappings (records), or a pandas or polars DataFrame or a
                pyarrow Table (read through narwhals, extra ``frames``; pandas also without it).
            instrument: An ``Instrument`` or a registered id.
            time_points: The time point labels in order, e.g. ``["start", "end", "3m"]``.
            person: The column holding the person id.
            time: The column holding the time point label.
            groups: Columns that group people (gender, course type); constant per person.
            scores: Scale id -> column holding that score. Without it, the item
                answers are read from columns named by item id or alias and scored;
                an optional block absent as a whole (the SDQ impact supplement)
                leaves the scales that need it not collected (:attr:`not_collected`).
            missing: The missing-data policy used when scoring items.
            sex: Optional column with the sex: female, male, other or unknown, or a
                word for one (pige/dreng, andet, ikke-binær, uoplyst, ...); other and
                unknown get no band from a sex-specific table, with the reason.
            age: Optional column with the age in years, for age-specific bands.
            not_collected: Optional blocks (``"impact"``) or items that were not
                collected, said explicitly (their columns are not read).

        Returns:
            The cohort.

        Raises:
            CohortDataError: A missing column (an optional block only partly
                there included), an unknown time point label, a duplicate (person,
                time point), a group changing between rows, or a score that is not
                a number or is outside the scale's range.
            UnknownScaleError: ``scores`` names a scale the instrument lacks.
            ResponseError: An item answer is not an allowed code (names the row).
        """
        definition = _resolve(instrument)
        table = _cohort_input.read_table(data)
        layout = _cohort_input.layout(table, person=person, time=time, time_points=time_points, groups=groups)
        respondents = _cohort_input.respondents(table, sex=sex, age=age)
        batch = None
        gone: dict[str, str] = {}
        if scores is not None:
            values = {}
            for scale_id, column in scores.items():
                if scale_id not in definition.scale_ids:
                    msg = f"{definition.id} has no scale {scale_id!r}; scales: {list(definition.scale_ids)}"
                    raise UnknownScaleError(
                        msg, instrument_id=definition.id, requested=scale_id, scales=definition.scale_ids
                    )
                values[scale_id] = _cohort_input.in_range(
                    definition, scale_id, _cohort_input.numbers(table, column), column
                )
        else:
            found, gone = _cohort_input.item_columns(definition, table, not_collected)
            blank = np.full(table.n_rows, np.nan)
            matrix = (
                np.column_stack(
                    [blank if c is None else _cohort_input.numbers(table, c) for c in found.values()]
                )
                if table.n_rows
                else np.empty((0, len(found)))
            )
            batch = score_batch(definition, matrix, missing=missing, respondent=respondents)
            values = {k: v for k, v in batch.values.items() if k not in gone}
        labels = tuple(str(t) for t in time_points)
        return cls(
            definition,
            time_points=labels,
            layout=layout,
            values=values,
            batch=batch,
            respondents=respondents,
            not_collected=gone,
        )

    @property
    def n_persons(self) -> int:
        """Number of distinct people."""
        return len(self._layout.persons)

    def __repr__(self) -> str:
        """A title line, then per time point: rows, rows scored on every scale (computed on call)."""
        return short_repr(self._title(), *overview(self.time_points, *self._counts()))

    def _repr_html_(self) -> str:
        return html_table(*overview(self.time_points, *self._counts()), caption=self._title())

    def _title(self) -> str:
        groups = f", groups: {', '.join(self.groups)}" if self.groups else ""
        persons = f"{self.n_persons:,} persons, {len(self.time_points)} time points"
        return f"Cohort({self.instrument.id} v{self.instrument.version}: {persons}{groups})"

    def _counts(self) -> tuple[list[int], list[int], list[int]]:
        measured = self._measured()
        scored = measured.copy()
        for scale in self._values:
            scored &= ~np.isnan(self.values(scale))
        return _per_time(measured), _per_time(scored), _per_time(self._outside())

    def values(self, scale: str) -> NDArray[np.float64]:
        """Scores as a (person, time point) array; NaN where not measured or not scored."""
        rows = self._scale_rows(scale)
        out = np.full((self.n_persons, len(self.time_points)), np.nan)
        out[self._layout.person_of_row, self._layout.time_of_row] = rows
        return out

    def summary(  # noqa: PLR0913 - report options, each with a default
        self,
        scale: str,
        *,
        by: Sequence[str] = (),
        scheme: str | None = None,
        min_cell: int = _suppression.MIN_CELL,
        interval: _stats.IntervalMethod = "wilson",
        confidence: float = 0.95,
        total: bool = True,
        hide_zero: bool = False,
    ) -> TimePointSummary:
        """Per time point and group: measured, n, mean, SD and band shares.

        Args:
            scale: The scale id.
            by: Group columns (given to :meth:`from_long`) to split by.
            scheme: The cutoff scheme for band shares; default: the instrument's,
                if it bands this scale.
            min_cell: Suppress counts of 1 to ``min_cell - 1``, and shares and means
                with such a denominator; then hide more cells until none of them
                can be worked back (see :mod:`trivselscore.cohort.suppression`).
            interval: ``"wilson"`` or ``"clopper-pearson"``.
            confidence: Coverage of the intervals.
            total: Include the ``all`` row for the whole cohort.
            hide_zero: Suppress counts of 0 as well (by default a zero is shown:
                it is not a small cell).

        Returns:
            The summary; ``str()`` of it is a table.

        Raises:
            CohortDataError: ``by`` names a column not given as a group.
            UnknownScaleError: No such scale.
            ValueError: An unknown scheme or interval method, or ``min_cell`` < 0.
        """
        _stats.check_interval(interval, confidence)
        definition = self._scheme(scale, scheme)
        bands = [b for t in definition.cutoffs if t.scale == scale for b in t.bands] if definition else []
        keys = list({b.id: (b.id, b.label_en, b.label_da) for b in bands}.values())
        measured = self._measured()
        grid = self.values(scale)
        outside = self._outside()
        band_grid: NDArray[np.object_] = np.full(grid.shape, None, dtype=object)
        if definition is not None:
            band_grid[self._layout.person_of_row, self._layout.time_of_row] = self._band_rows(
                scale, definition.id
            )
            band_grid[outside] = None  # no band outside the instrument's age range
        options = _rows.Options(min_cell, hide_zero, interval, confidence)
        note = self._band_note(scale, definition)
        rows = []
        for t, label in enumerate(self.time_points):
            block = []
            for group, members, is_total in self._partition(by, min_cell=min_cell, total=total):
                present = measured[members, t]
                values = grid[members, t]
                scored = ~np.isnan(values) & present
                counts = tuple(int(np.sum(band_grid[members, t] == key[0])) for key in keys)
                block.append(
                    _rows.SummaryCounts(
                        time=label,
                        group=group,
                        is_total=is_total,
                        measured=int(present.sum()),
                        scores=tuple(values[scored].tolist()),
                        unbanded=int(scored.sum()) - sum(counts),
                        outside_age_range=int((scored & outside[members, t]).sum()),
                        bands=counts,
                    )
                )
            rows.extend(_rows.summary_rows(block, keys, options, band_note=note))
        edges = sorted({b.upper for b in bands} & {b.lower for b in bands})
        return TimePointSummary(
            instrument_id=self.instrument.id,
            scale=scale,
            min_cell=min_cell,
            hide_zero=hide_zero,
            interval=interval,
            confidence=confidence,
            by=tuple(by),
            scheme=definition.id if definition else None,
            scheme_label_da=definition.label_da if definition else None,
            scheme_label_en=definition.label_en if definition else None,
            cutoffs=tuple(edges),
            scale_range=self.instrument.scale_range(scale),
            time_points=self.time_points,
            rows=tuple(rows),
        )

    def change(  # noqa: PLR0913 - report options, each with a default
        self,
        scale: str,
        start: str,
        end: str,
        *,
        method: str,
        by: Sequence[str] = (),
        min_cell: int = _suppression.MIN_CELL,
        interval: _stats.IntervalMethod = "wilson",
        confidence: float = 0.95,
        total: bool = True,
        hide_zero: bool = False,
        **options: Unpack[ChangeOptions],
    ) -> ChangeSummary:
        """Change from ``start`` to ``end`` per group, on complete pairs only.

        Args:
            scale: The scale id.
            start: The earlier time point label.
            end: The later time point label.
            method: The change method, as in :func:`trivselscore.classify_change`.
            by: Group columns to split by (e.g. the course type).
            min_cell: As in :meth:`summary`.
            interval: As in :meth:`summary`.
            confidence: As in :meth:`summary`.
            total: Include the ``all`` row.
            hide_zero: As in :meth:`summary`.
            **options: The method's options, as in :func:`trivselscore.classify_change`.

        Returns:
            The change summary with the rule (and its sources) that was applied.

        Raises:
            CohortDataError: An unknown time point label, or ``by`` not a group column.
            ChangeParameterError: The method lacks a parameter or has an invalid one.
        """
        _stats.check_interval(interval, confidence)
        rule = resolve_rule(self.instrument, scale, method, options)
        s, e = (self._time_index(label) for label in (start, end))
        if s == e:
            msg = f"start and end are the same time point {start!r}"
            raise CohortDataError(msg, problem="unknown_time")
        grid = self.values(scale)
        measured = self._measured()
        outside = self._outside() & ~np.isnan(grid)
        keys = [(str(c), c.label_en, c.label_da) for c in rule.categories]
        block = []
        for group, members, is_total in self._partition(by, min_cell=min_cell, total=total):
            before, after = grid[members, s], grid[members, e]
            batch = classify_changes(self.instrument, scale, before, after, method=method, **options)
            has_start, has_end = ~np.isnan(before), ~np.isnan(after)
            pairs = has_start & has_end
            tried = measured[members][:, [s, e]] & np.isnan(grid[members][:, [s, e]])
            counts = batch.counts()
            block.append(
                _rows.ChangeCounts(
                    group=group,
                    is_total=is_total,
                    persons=int(members.sum()),
                    pairs=int(pairs.sum()),
                    start_only=int((has_start & ~has_end).sum()),
                    end_only=int((has_end & ~has_start).sum()),
                    neither=int((~has_start & ~has_end).sum()),
                    not_scored=int(tried.any(axis=1).sum()),
                    outside_age_range=int(outside[members][:, [s, e]].any(axis=1).sum()),
                    categories=tuple(int(counts[k[0]]) for k in keys),
                    differences=tuple((after - before)[pairs].tolist()),
                )
            )
        rows = _rows.change_rows(block, keys, _rows.Options(min_cell, hide_zero, interval, confidence))
        return ChangeSummary(
            instrument_id=self.instrument.id,
            scale=scale,
            min_cell=min_cell,
            hide_zero=hide_zero,
            interval=interval,
            confidence=confidence,
            by=tuple(by),
            start=start,
            end=end,
            rule=rule,
            rows=tuple(rows),
        )

    def _time_index(self, label: str) -> int:
        if label not in self.time_points:
            msg = f"unknown time point label {label!r}; time_points: {list(self.time_points)}"
            raise CohortDataError(msg, problem="unknown_time")
        return self.time_points.index(label)

    def _scale_rows(self, scale: str) -> NDArray[np.float64]:
        if scale in self.not_collected:
            msg = f"scale {scale!r} of {self.instrument.id} is {self.not_collected[scale]}"
            raise CohortDataError(msg, problem="not_collected")
        if scale not in self._values:
            known = list(self._values)
            msg = f"scale {scale!r} is not available in this cohort; scales: {known}"
            raise UnknownScaleError(msg, instrument_id=self.instrument.id, requested=scale, scales=known)
        return self._values[scale]

    def _scheme(self, scale: str, scheme: str | None) -> CutoffScheme | None:
        self._scale_rows(scale)
        return _cohort_input.resolve_scheme(
            self.instrument, scale, scheme, from_items=self._batch is not None
        )

    def _band_rows(self, scale: str, scheme: str) -> NDArray[np.object_]:
        if self._batch is not None:
            return self._batch.bands(scale, scheme)
        return _cohort_input.band_rows(self.instrument, scale, scheme, self._values[scale], self._respondents)

    def _measured(self) -> NDArray[np.bool_]:
        """(person, time point): whether there is a row."""
        measured = np.zeros((self.n_persons, len(self.time_points)), dtype=np.bool_)
        measured[self._layout.person_of_row, self._layout.time_of_row] = True
        return measured

    def _outside(self) -> NDArray[np.bool_]:
        """(person, time point): whether the row's age is outside the instrument's age range."""
        out = np.zeros((self.n_persons, len(self.time_points)), dtype=np.bool_)
        if self._batch is not None:  # the engine's flag
            rows = self._batch.outside_age_range
        else:  # scores given directly: the same rule on the age column
            rows = _cohort_input.outside_age_range(self.instrument, self._respondents)
        out[self._layout.person_of_row, self._layout.time_of_row] = rows
        return out

    def _band_note(self, scale: str, scheme: CutoffScheme | None) -> str | None:
        """``"no norm table"`` when the scheme bands T-scores and no norm table covers ``scale``."""
        if scheme is None or scheme.metric != "t_score" or self._batch is None:
            return None
        table = self._batch.norms
        return NO_NORM_TABLE if table is None or scale not in table.scale_ids else None

    def _partition(
        self, by: Sequence[str], *, min_cell: int, total: bool
    ) -> list[tuple[str, NDArray[np.bool_], bool]]:
        """(label, members, is_total) per row: the total first (if any), then each group."""
        if min_cell < 0:
            msg = f"min_cell must be >= 0, not {min_cell}"
            raise ValueError(msg)
        return _cohort_input.partition(self._layout, by, total=total or not by, label=TOTAL)


def _per_time(cells: NDArray[np.bool_]) -> list[int]:
    """How many persons each time point column holds."""
    return [int(n) for n in cells.sum(axis=0)]
