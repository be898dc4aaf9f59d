"""Cohort progression reports from long-format data (one row per person and time point).

Load the data once with :meth:`Cohort.from_long`, then ask for

* :meth:`Cohort.summary`: per time point and group, n, mean, SD and the share in
  each band of a cutoff scheme with a 95 % Wilson (or Clopper-Pearson) interval;
* :meth:`Cohort.change`: between two time points, on complete pairs only, n pairs,
  attrition, the share of each change category (fremgang / status quo /
  tilbagegang) with intervals, the mean change with a t-interval and dz.

Every row of the input is counted somewhere (measured, not scored, attrition);
none is dropped silently. Counts below ``min_cell`` (default 5), and shares and
means whose denominator is below it, are suppressed and marked (``"<5"``,
``"n<5"``, ``"hidden"``), never shown as zero. Secondary suppression keeps a
hidden count from being worked back by arithmetic:

* within a row, counts that add up form a partition (``measured = n +
  not_scored``; ``persons = pairs + start_only + end_only + neither``; the band or
  category counts): when exactly one part is hidden, the next smallest shown part
  is hidden too, except a denominator of shown shares (``n``, ``pairs``), in which
  case the total (``measured``, ``persons``) is hidden instead; hiding
  ``start_only`` hides ``attrition``;
* across groups, when the ``all`` row's cell is shown: a single group row with n
  (pairs) below ``min_cell`` hides the next smallest group row; in any other count
  column (each band or change-category count included), a single hidden group
  cell hides the next smallest group cell of that column.

Both rules are applied again until nothing changes.

Examples:
    >>> from trivselscore.cohort import Cohort
    >>> rows = [{"person": p, "time": t, "who5_pct": v}
    ...         for p, (a, b) in enumerate([(32, 48), (40, 60), (52, 56), (28, 40), (44, 44), (36, 64)])
    ...         for t, v in (("start", a), ("end", b))]
    >>> cohort = Cohort.from_long(rows, "who5", time_points=["start", "end"],
    ...                           scores={"percentage": "who5_pct"})
    >>> report = cohort.change("percentage", "start", "end", method="difference")
    >>> report.rows[0].pairs.value, report.rows[0].mean_change.value
    (6, 13.333333333333334)
    >>> [c.share.text(percent=True) for c in report.rows[0].categories]
    ['83% (44-97)', '<5', '<5']
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Unpack

import numpy as np

from trivselscore.change.classify import _resolve, classify_changes
from trivselscore.change.rule import ChangeOptions, resolve_rule
from trivselscore.cohort import data as _cohort_input
from trivselscore.cohort import report as _report
from trivselscore.cohort import stats as _stats
from trivselscore.cohort.report import (
    Cell,
    ChangeRow,
    ChangeSummary,
    ShareCell,
    TimePointRow,
    TimePointSummary,
    count_cell,
    hidden,
)
from trivselscore.engine.scoring import score_batch
from trivselscore.errors import CohortDataError, UnknownScaleError

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
    ) -> None:
        self.instrument = instrument
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
    ) -> Cohort:
        """Read long-format data: one row per (person, time point).

        Args:
            data: An iterable of mappings (records) or a pandas DataFrame.
            instrument: An ``Instrument`` or a registered id.
            time_points: The time point labels in order, e.g. ``["start", "end", "3m"]``.
            person: The column holding the person id.
            time: The column holding the time point label.
            groups: Columns that group people (gender, course type); constant per person.
            scores: Scale id -> column holding that score. Without it, the item
                answers are read from columns named by item id or alias and scored.
            missing: The missing-data policy used when scoring items.
            sex: Optional column with "female"/"male", for sex-specific bands.
            age: Optional column with the age in years, for age-specific bands.

        Returns:
            The cohort.

        Raises:
            CohortDataError: A missing column, an unknown time point label, a
                duplicate (person, time point), a group changing between rows, or a
                score that is not a number or is outside the scale's range.
            UnknownScaleError: ``scores`` names a scale the instrument lacks.
            ResponseError: An item answer is not an allowed code (names the row).
        """
        definition = _resolve(instrument)
        table = _cohort_input.read_table(data)
        layout = _cohort_input.layout(table, person=person, time=time, time_points=time_points, groups=groups)
        respondents = _cohort_input.respondents(table, sex=sex, age=age)
        batch = None
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
            columns = [_cohort_input.item_column(definition, table, item) for item in definition.item_ids]
            matrix = (
                np.column_stack([_cohort_input.numbers(table, c) for c in columns]) if table.n_rows else None
            )
            if matrix is None:
                matrix = np.empty((0, len(columns)))
            batch = score_batch(definition, matrix, missing=missing, respondent=respondents)
            values = dict(batch.values)
        labels = tuple(str(t) for t in time_points)
        return cls(
            definition,
            time_points=labels,
            layout=layout,
            values=values,
            batch=batch,
            respondents=respondents,
        )

    @property
    def n_persons(self) -> int:
        """Number of distinct people."""
        return len(self._layout.persons)

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
        min_cell: int = 5,
        interval: _stats.IntervalMethod = "wilson",
        confidence: float = 0.95,
        total: bool = True,
    ) -> TimePointSummary:
        """Per time point and group: measured, n, mean, SD and band shares.

        Args:
            scale: The scale id.
            by: Group columns (given to :meth:`from_long`) to split by.
            scheme: The cutoff scheme for band shares; default: the instrument's,
                if it bands this scale.
            min_cell: Suppress counts below this, and shares/means with a smaller denominator.
            interval: ``"wilson"`` or ``"clopper-pearson"``.
            confidence: Coverage of the intervals.
            total: Include the ``all`` row for the whole cohort.

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
        band_rows = self._band_rows(scale, definition.id) if definition else None
        measured = np.zeros((self.n_persons, len(self.time_points)), dtype=np.bool_)
        measured[self._layout.person_of_row, self._layout.time_of_row] = True
        grid = self.values(scale)
        band_grid: NDArray[np.object_] = np.full(grid.shape, None, dtype=object)
        if band_rows is not None:
            band_grid[self._layout.person_of_row, self._layout.time_of_row] = band_rows
        rows = []
        for t, label in enumerate(self.time_points):
            block = []
            for group, members in self._partition(by, min_cell=min_cell, total=total):
                present = measured[members, t]
                scored = grid[members, t][present]
                scored = scored[~np.isnan(scored)]
                banded = band_grid[members, t]
                counts = [int(np.sum(banded == key[0])) for key in keys]
                mean, sd = _report.mean_cells(scored.tolist(), min_cell=min_cell, confidence=confidence)
                unbanded = int(scored.size) - sum(counts)
                block.append(
                    TimePointRow(
                        time=label,
                        group=group,
                        measured=count_cell(int(present.sum()), min_cell),
                        n=count_cell(int(scored.size), min_cell),
                        not_scored=count_cell(int(present.sum()) - int(scored.size), min_cell),
                        mean=mean,
                        sd=sd,
                        bands=_report.share_cells(
                            keys,
                            counts,
                            sum(counts),
                            min_cell=min_cell,
                            interval=interval,
                            confidence=confidence,
                        ),
                        unbanded=count_cell(unbanded, min_cell),
                    )
                )
            rows.extend(_report.protect(block, "n", total=total))
        edges = sorted({b.upper for b in bands} & {b.lower for b in bands})
        return TimePointSummary(
            instrument_id=self.instrument.id,
            scale=scale,
            min_cell=min_cell,
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
        min_cell: int = 5,
        interval: _stats.IntervalMethod = "wilson",
        confidence: float = 0.95,
        total: bool = True,
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
        measured = np.zeros(grid.shape, dtype=np.bool_)
        measured[self._layout.person_of_row, self._layout.time_of_row] = True
        keys = [(str(c), c.label_en, c.label_da) for c in rule.categories]
        rows = []
        for group, members in self._partition(by, min_cell=min_cell, total=total):
            before, after = grid[members, s], grid[members, e]
            batch = classify_changes(self.instrument, scale, before, after, method=method, **options)
            has_start, has_end = ~np.isnan(before), ~np.isnan(after)
            pairs = has_start & has_end
            start_only = int((has_start & ~has_end).sum())
            tried = measured[members][:, [s, e]] & np.isnan(grid[members][:, [s, e]])
            diffs = (after - before)[pairs].tolist()
            mean, sd = _report.mean_cells(diffs, min_cell=min_cell, confidence=confidence, interval=True)
            effect = _stats.dz(diffs) if len(diffs) >= max(min_cell, 2) else None
            n_start = int(has_start.sum())
            attrition = (
                Cell(value=start_only / n_start)
                if n_start >= min_cell and start_only >= min_cell and n_start
                else hidden(f"<{min_cell}" if n_start >= min_cell else f"n<{min_cell}")
            )
            counts = batch.counts()
            rows.append(
                ChangeRow(
                    group=group,
                    persons=count_cell(int(members.sum()), min_cell),
                    pairs=count_cell(int(pairs.sum()), min_cell),
                    start_only=count_cell(start_only, min_cell),
                    attrition=attrition,
                    end_only=count_cell(int((has_end & ~has_start).sum()), min_cell),
                    neither=count_cell(int((~has_start & ~has_end).sum()), min_cell),
                    not_scored=count_cell(int(tried.any(axis=1).sum()), min_cell),
                    categories=_report.share_cells(
                        keys,
                        [counts[k[0]] for k in keys],
                        int(pairs.sum()),
                        min_cell=min_cell,
                        interval=interval,
                        confidence=confidence,
                    ),
                    mean_change=mean,
                    sd_change=sd,
                    dz=hidden(f"n<{min_cell}") if mean.suppressed else Cell(value=effect),
                )
            )
        return ChangeSummary(
            instrument_id=self.instrument.id,
            scale=scale,
            min_cell=min_cell,
            interval=interval,
            confidence=confidence,
            by=tuple(by),
            start=start,
            end=end,
            rule=rule,
            rows=tuple(_report.protect(rows, "pairs", total=total)),
        )

    def _time_index(self, label: str) -> int:
        if label not in self.time_points:
            msg = f"unknown time point label {label!r}; time_points: {list(self.time_points)}"
            raise CohortDataError(msg, problem="unknown_time")
        return self.time_points.index(label)

    def _scale_rows(self, scale: str) -> NDArray[np.float64]:
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

    def _partition(
        self, by: Sequence[str], *, min_cell: int, total: bool
    ) -> list[tuple[str, NDArray[np.bool_]]]:
        if min_cell < 0:
            msg = f"min_cell must be >= 0, not {min_cell}"
            raise ValueError(msg)
        unknown = [name for name in by if name not in self.groups]
        if unknown:
            msg = f"by= names {unknown}, not given as groups to from_long; groups: {list(self.groups)}"
            raise CohortDataError(msg, problem="missing_column")
        everyone = np.ones(self.n_persons, dtype=np.bool_)
        parts = [(TOTAL, everyone)] if total or not by else []
        if by:
            keys = list(zip(*(self._layout.groups[name] for name in by), strict=True))
            for key in sorted(set(keys), key=lambda k: tuple((v is None, str(v)) for v in k)):
                label = " / ".join("(missing)" if v is None else str(v) for v in key)
                parts.append((label, np.array([k == key for k in keys], dtype=np.bool_)))
        return parts
