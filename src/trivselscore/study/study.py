"""The whole evaluation in one object: several instruments, tracks and time points.

Examples:
    >>> from trivselscore.study import Study
    >>> rows = [
    ...     {"person": p, "time": t, "track": "group" if p % 2 else "individual",
    ...      **{f"who5_{i}": a for i in range(1, 6)}}
    ...     for p in range(30) for t, a in (("start", 1 + p % 3), ("end", 3))
    ... ]
    >>> study = Study.from_long(rows, instruments={"who5": "who5"}, time_points=["start", "end"],
    ...                         groups=["track"])
    >>> study
    Study: 30 persons, 60 rows, time points start, end; groups track
    measures: who5 (who5)
    >>> report = study.change("start", "end", by=["track"], scales={"who5": ["percentage"]})
    >>> report.to_frame()[["group", "pairs", "improvement_share", "status_quo_count", "decline_count"]]
            group  pairs  improvement_share  status_quo_count  decline_count
    0         all     30           0.666667                10              0
    1       group     15           0.666667                 5              0
    2  individual     15           0.666667                 5              0
    >>> report.rows[0].categories[0].share.text(percent=True)
    '67% (49-81)'
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from trivselscore.cohort import Cohort
from trivselscore.cohort.data import group_key_label
from trivselscore.errors import CohortDataError
from trivselscore.study import change as _change
from trivselscore.study import combined as _combined
from trivselscore.study import predictors as _predictors
from trivselscore.study import summary as _summary
from trivselscore.study import survey as _survey
from trivselscore.study.bridge import to_cohort
from trivselscore.study.cells import Ledger
from trivselscore.study.flow import flow_plan
from trivselscore.study.fremgang import fremgang_plan
from trivselscore.study.loading import load
from trivselscore.study.measures import Measure, Spec
from trivselscore.study.paired import sex_means_plan
from trivselscore.study.table import Layout, Table, layout, read
from trivselscore.support.display import html_table

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.cohort.stats import IntervalMethod
    from trivselscore.definitions import NormTable
    from trivselscore.engine import MissingPolicy
    from trivselscore.study.combined import CombinedChangeReport, Criterion
    from trivselscore.study.flow import FlowReport
    from trivselscore.study.fremgang import FremgangReport
    from trivselscore.study.paired import SexMeansReport
    from trivselscore.study.predictors import PredictorReport
    from trivselscore.study.reports import ChangeReport, CoverageReport, SummaryReport
    from trivselscore.study.survey import SurveyReport

__all__ = ["Study", "check_options", "check_owners"]

TOTAL = "all"
_RESERVED = frozenset({TOTAL})
ABSENT, NOT_GIVEN, GIVEN = 0, 1, 2
"""A person's state at a time point for one measure: no row, a row without the form, a form."""


def check_options(
    instruments: Mapping[str, Spec],
    *,
    columns: Mapping[str, object] | None,
    scores: Mapping[str, object] | None,
    norms: Mapping[str, object] | None,
    not_collected: Mapping[str, object] | None,
) -> None:
    """Refuse no measure, and an option naming a measure not in ``instruments``.

    Raises:
        CohortDataError: Problem ``unknown_measure``.
    """
    if not instruments:
        msg = "instruments names no measure; e.g. instruments={'who5': 'who5'}"
        raise CohortDataError(msg, problem="unknown_measure")
    for option, given in (
        ("columns", columns),
        ("scores", scores),
        ("norms", norms),
        ("not_collected", not_collected),
    ):
        unknown = sorted(set(given or {}) - set(instruments))
        if unknown:
            msg = f"{option} names measure(s) {unknown} not in instruments {sorted(instruments)}"
            raise CohortDataError(msg, problem="unknown_measure")


def check_owners(measures: Mapping[str, Measure]) -> None:
    """Refuse a column read by two measures.

    Raises:
        CohortDataError: Problem ``missing_column``, naming the column and both measures.
    """
    owner: dict[str, str] = {}
    for name, measure in measures.items():
        for column in {c for m in measure.columns.values() for c in m.values() if c}:
            if owner.setdefault(column, name) != name:
                msg = (
                    f"column {column!r} is read by measures {owner[column]!r} and {name!r}; "
                    "name one with columns="
                )
                raise CohortDataError(msg, problem="missing_column")


class Study:
    """Scores of several measures for persons measured at several time points.

    Build it with :meth:`from_long`; it is read-only afterwards. Reports:
    :meth:`coverage`, :meth:`summary`, :meth:`change`, :meth:`combined_change`,
    :meth:`predictors`; :meth:`cohort` gives one measure as a
    :class:`~trivselscore.cohort.Cohort`.
    """

    def __init__(
        self, table: Table, lay: Layout, measures: dict[str, Measure], time_points: tuple[str, ...]
    ) -> None:
        self._table = table
        self._layout = lay
        self.measures = measures
        self.time_points = time_points
        self.groups = tuple(lay.groups)
        self._cohorts: dict[str, Cohort] = {}
        self._codes: dict[tuple[str, ...], tuple[NDArray[np.intp], dict[tuple[object, ...], int]]] = {}

    @classmethod
    def from_long(  # noqa: PLR0913 - column names and options, each named
        cls,
        data: object,
        *,
        instruments: Mapping[str, Spec],
        time_points: Sequence[Hashable],
        person: str = "person",
        time: str = "time",
        groups: Sequence[str] = (),
        sex: str | None = None,
        age: str | None = None,
        columns: Mapping[str, Mapping[str, str | None]] | None = None,
        scores: Mapping[str, Mapping[str, str]] | None = None,
        missing: MissingPolicy = None,
        norms: Mapping[str, NormTable | str] | None = None,
        not_collected: Mapping[str, Sequence[str]] | None = None,
    ) -> Study:
        """Read long-format data: one row per person and time point, several measures.

        Args:
            data: A pandas, polars or pyarrow table (read through narwhals, never
                copied through pandas) or an iterable of mappings.
            instruments: Measure name -> an instrument id; a list of versions of
                one family, chosen per row by age (``["sdq-s11-17", "sdq-s18"]``:
                each version needs an age range, no two sharing a year); or
                :class:`~trivselscore.study.Versions` naming a version column.
            time_points: The time point labels in order.
            person: The person id column.
            time: The time point column.
            groups: Columns that group persons (track, gender); constant per person.
            sex: Optional column with the sex: female, male, other or unknown, or a
                word for one (pige/dreng, andet, ikke-binær, uoplyst, ...; see
                :data:`~trivselscore.definitions.model.SEX_WORDS`). Everyone is
                scored and counted; sex-specific bands and norms exist for female
                and male only, so other/unknown get none there, with the reason.
            age: Optional column with the age in years at that row (versions, bands).
            columns: Per measure, item id or alias -> column (None: not collected).
                Without it, an item's column is ``<measure>_<item>``,
                ``<instrument>_<item>`` or an alias (e.g. ``who5_1``, ``consid``).
                A version's optional blocks (the SDQ impact supplement, its
                follow-up questions) may be absent: the scales that need them are
                not collected (``Measure.not_collected``), every other is scored.
            scores: Per measure, scale id -> a column of already computed scores
                (instead of item answers).
            missing: The missing-answer policy, as in :func:`trivselscore.score`.
            norms: Per measure, the norm table for T-scores and T-score bands: a
                :class:`~trivselscore.definitions.NormTable` (your own, e.g. from
                :func:`trivselscore.tabular.read_norm_table`) or the id of a
                shipped one. Default: each version's first shipped table, if any.
            not_collected: Per measure, optional blocks (``"impact"``) or items that
                were not collected, said explicitly (their columns are not read).

        Returns:
            The study.

        Raises:
            CohortDataError: A duplicate (person, time point), an unknown time
                point, a person whose group changes, a missing age where versions
                are chosen by age, versions chosen by age without an age range or
                with ranges that share a year, a measure with no item column, a
                required item without a column, an optional block only partly in
                the data, an unknown measure in ``columns``/``scores``/``not_collected``,
                a column used by two measures, a sex that is not a known word, or a
                score out of range; the message names the person, row or measure.
            ResponseError: An answer that is not an allowed code (names row, person, column).
            UnknownInstrumentError: An unknown instrument id.
        """
        check_options(instruments, columns=columns, scores=scores, norms=norms, not_collected=not_collected)
        table = read(data, person=person, time=time)
        if not table.n_rows:
            msg = "the data have no rows: nothing to report"
            raise CohortDataError(msg, problem="bad_value")
        lay = layout(table, time_points=time_points, groups=groups, sex=sex, age=age)
        measures = {
            name: load(
                name,
                spec,
                table,
                lay,
                columns=(columns or {}).get(name),
                scores=(scores or {}).get(name),
                missing=missing,
                bare=len(instruments) == 1,
                norms=(norms or {}).get(name),
                declared=tuple((not_collected or {}).get(name, ())),
            )
            for name, spec in instruments.items()
        }
        check_owners(measures)
        return cls(table, lay, measures, tuple(str(t) for t in time_points))

    @property
    def n_persons(self) -> int:
        """Number of distinct persons."""
        return self._layout.n_persons

    @property
    def n_rows(self) -> int:
        """Number of input rows."""
        return self._table.n_rows

    def measure(self, name: str) -> Measure:
        """One measure's per-row scores.

        Raises:
            CohortDataError: No such measure.
        """
        if name not in self.measures:
            msg = f"unknown measure {name!r}; measures: {list(self.measures)}"
            raise CohortDataError(msg, problem="unknown_measure")
        return self.measures[name]

    def values(self, measure: str, scale: str) -> NDArray[np.float64]:
        """Scores as a (person, time point) array; NaN where not measured or not scored."""
        found = self.measure(measure)
        found.check_scale(scale)
        return self.spread(found.values[scale], np.nan)

    def t_scores(self, measure: str, scale: str) -> NDArray[np.float64]:
        """T-scores per (person, time point); NaN where there is none (see :meth:`Measure.t_scores`)."""
        return self.spread(self.measure(measure).t_scores(scale), np.nan)

    def state(self, measure: str) -> NDArray[np.int8]:
        """Per (person, time point): 0 no row, 1 a row without the form (not given), 2 the form given."""
        found = self.measure(measure)
        codes = np.where(found.given, GIVEN, NOT_GIVEN).astype(np.int8)
        return self.spread(codes, ABSENT).astype(np.int8)

    def outside(self, measure: str) -> NDArray[np.bool_]:
        """Per (person, time point): the form was scored outside every version's age range."""
        return self.spread(self.measure(measure).outside, fill=False).astype(np.bool_)

    def spread(self, rows: NDArray[Any], fill: object) -> NDArray[Any]:
        """A per-row array as a (person, time point) array, ``fill`` where a person has no row."""
        out = np.full((self.n_persons, len(self.time_points)), fill, dtype=rows.dtype)
        out[self._layout.person_of_row, self._layout.time_of_row] = rows
        return out

    def time_index(self, label: str) -> int:
        """The position of a time point label.

        Raises:
            CohortDataError: An unknown label.
        """
        if label not in self.time_points:
            msg = f"unknown time point {label!r}; time_points: {list(self.time_points)}"
            raise CohortDataError(msg, problem="unknown_time")
        return self.time_points.index(label)

    def partition(self, by: Sequence[str]) -> list[tuple[str, NDArray[np.bool_]]]:
        """(label, persons) of the ``all`` row, then of each group (``"a / b"`` for two columns).

        A missing value is ``(missing)`` (``(mangler)`` in Danish tables); a group
        whose value would read as another label (``all``, ``(missing)``, one
        containing `` / ``) is shown in double quotes, so no two rows share a label
        (:func:`~trivselscore.cohort.data.group_key_label`).

        Raises:
            CohortDataError: ``by`` names a column not given as a group.
        """
        unknown = [name for name in by if name not in self.groups]
        if unknown:
            msg = f"by= names {unknown}, not given as groups to from_long; groups: {list(self.groups)}"
            raise CohortDataError(msg, problem="missing_column")
        parts = [(TOTAL, np.ones(self.n_persons, dtype=np.bool_))]
        if by:
            codes, seen = self._group_codes(tuple(by))
            for key in sorted(seen, key=lambda k: tuple((v is None, str(v)) for v in k)):
                label = group_key_label(key, _RESERVED)
                parts.append((label, codes == seen[key]))
        return parts

    def _group_codes(self, by: tuple[str, ...]) -> tuple[NDArray[np.intp], dict[tuple[object, ...], int]]:
        """Each person's group key as a code, and key -> code; kept per ``by`` (the study is read-only)."""
        if by not in self._codes:
            keys = list(zip(*(self._layout.groups[name] for name in by), strict=True))
            seen: dict[tuple[object, ...], int] = {}
            add = seen.setdefault
            codes = np.fromiter((add(k, len(seen)) for k in keys), dtype=np.intp, count=len(keys))
            codes.flags.writeable = False
            self._codes[by] = (codes, seen)
        return self._codes[by]

    def column_at(self, name: str, time: str) -> list[object]:
        """Per person, the value of a data column in their row at ``time`` (None without that row)."""
        values = self._table.values(name)
        t = self.time_index(time)
        out: list[object] = [None] * self.n_persons
        for row in np.flatnonzero(self._layout.time_of_row == t).tolist():
            out[int(self._layout.person_of_row[row])] = values[row]
        return out

    def numbers_at(self, name: str, time: str) -> NDArray[np.float64] | None:
        """Per person, a numeric column's value at ``time`` (NaN without it); None if not numeric."""
        try:
            values = self._table.numbers(name)
        except CohortDataError as error:
            if error.problem == "missing_column":
                raise
            return None
        out = np.full(self.n_persons, np.nan)
        rows = np.flatnonzero(self._layout.time_of_row == self.time_index(time))
        out[self._layout.person_of_row[rows]] = values[rows]
        return out

    def group_values(self, name: str) -> tuple[object | None, ...]:
        """Per person, a group column's value."""
        return self._layout.groups[name]

    def cohort(self, measure: str) -> Cohort:
        """One measure as a :class:`~trivselscore.cohort.Cohort`, so the cohort reports work.

        It holds the rows where the form was given (a person with no such row is
        not in it). A one-version measure read from items is scored again from
        the items (every cohort feature, T-score bands included); otherwise the
        cohort gets the scores, with the first version's cutoff schemes.
        """
        found = self.measure(measure)
        if measure not in self._cohorts:
            self._cohorts[measure] = to_cohort(found, self._table, self._layout, self.time_points)
        return self._cohorts[measure]

    def coverage(
        self, *, by: Sequence[str] = (), min_cell: int = 5, hide_zero: bool = False
    ) -> CoverageReport:
        """Where every input row went, per measure, time point and group.

        Rows, forms not given, forms given (by version) and rows outside every
        version's age range; see :func:`trivselscore.study.summary.coverage`.
        """
        return _summary.coverage(self, by=by, min_cell=min_cell, hide_zero=hide_zero)

    def summary(  # noqa: PLR0913 - report options, each with a default
        self,
        measure: str,
        scale: str,
        *,
        by: Sequence[str] = (),
        paired: tuple[str, str] | None = None,
        scheme: str | None = None,
        min_cell: int = 5,
        hide_zero: bool = False,
        interval: IntervalMethod = "wilson",
        confidence: float = 0.95,
        t_scores: bool = False,
    ) -> SummaryReport:
        """Per time point and group: rows, forms not given, n, mean, SD and band shares.

        ``paired=(a, b)`` restricts every time point to the persons scored at both
        a and b (the table says so; the others' rows are counted as ``left_out``).
        ``t_scores=True`` adds the mean and SD of the T-scores (from the measure's
        norm table; see ``from_long(norms=)``). See
        :func:`trivselscore.study.summary.summary`.
        """
        return _summary.summary(
            self,
            measure,
            scale,
            by=by,
            paired=paired,
            scheme=scheme,
            min_cell=min_cell,
            hide_zero=hide_zero,
            interval=interval,
            confidence=confidence,
            t_scores=t_scores,
        )

    def change(  # noqa: PLR0913 - report options, each with a default
        self,
        start: str,
        end: str,
        *,
        by: Sequence[str] = (),
        method: str | Mapping[str, str] | None = None,
        scales: Mapping[str, Sequence[str]] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        min_cell: int = 5,
        hide_zero: bool = False,
        interval: IntervalMethod = "wilson",
        confidence: float = 0.95,
    ) -> ChangeReport:
        """Change from ``start`` to ``end``: one row per measure x scale x group.

        See :func:`trivselscore.study.change.change` for the arguments.
        """
        return _change.change(
            self,
            start,
            end,
            by=by,
            method=method,
            scales=scales,
            options=options,
            min_cell=min_cell,
            hide_zero=hide_zero,
            interval=interval,
            confidence=confidence,
        )

    def combined_change(  # noqa: PLR0913 - report options, each with a default
        self,
        start: str,
        end: str,
        *,
        scales: Mapping[str, str | Sequence[str]],
        rule: Criterion = "all",
        by: Sequence[str] = (),
        method: str | Mapping[str, str] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        min_cell: int = 5,
        hide_zero: bool = False,
        interval: IntervalMethod = "wilson",
        confidence: float = 0.95,
    ) -> CombinedChangeReport:
        """Share with fremgang on all (``"any"``, or at least k) of the named measures' scales.

        See :func:`trivselscore.study.combined.combined_change`.
        """
        return _combined.combined_change(
            self,
            start,
            end,
            scales=scales,
            rule=rule,
            by=by,
            method=method,
            options=options,
            min_cell=min_cell,
            hide_zero=hide_zero,
            interval=interval,
            confidence=confidence,
        )

    def survey(  # noqa: PLR0913 - the question, then report options, each with a default
        self,
        column: str,
        *,
        title: str | None = None,
        answers: Sequence[str] | None = None,
        time_points: Sequence[str] | None = None,
        by: Sequence[str] = (),
        min_cell: int = 5,
        hide_zero: bool = False,
        interval: IntervalMethod = "wilson",
        confidence: float = 0.95,
    ) -> SurveyReport:
        """Another survey question (a Likert or yes/no column): each answer's share per time point and group.

        Shares are of those who answered (``n``); a blank answer is counted apart
        (``blank``). ``answers`` gives their order (default: as found, numbers
        first). See :func:`trivselscore.study.survey.survey`.
        """
        return _survey.survey(
            self,
            column,
            title=title,
            answers=answers,
            time_points=time_points,
            by=by,
            min_cell=min_cell,
            hide_zero=hide_zero,
            interval=interval,
            confidence=confidence,
        )

    def predictors(  # noqa: PLR0913 - model options, each named
        self,
        start: str,
        end: str,
        *,
        measure: str,
        scale: str,
        covariates: Sequence[str],
        method: str | None = None,
        options: Mapping[str, Any] | None = None,
        min_cell: int = 5,
    ) -> PredictorReport:
        """Logistic regression of fremgang on the starting score and covariates (statsmodels).

        See :func:`trivselscore.study.predictors.predictors`.
        """
        return _predictors.predictors(
            self,
            start,
            end,
            measure=measure,
            scale=scale,
            covariates=covariates,
            method=method,
            options=options,
            min_cell=min_cell,
        )

    def flow(
        self,
        measure: str,
        scale: str | None = None,
        *,
        by: Sequence[str] = (),
        min_cell: int = 5,
        hide_zero: bool = False,
    ) -> FlowReport:
        """Persons measured (scored on ``scale``) at each time point per group, and the drop-out.

        ``scale``: default the measure's first scale. See :mod:`trivselscore.study.flow`.
        """
        ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval="wilson", confidence=0.95)
        chosen = scale if scale is not None else self.measure(measure).scale_ids[0]
        render = flow_plan(self, ledger, measure, chosen, by=by)
        ledger.close()
        return render()

    def sex_means(  # noqa: PLR0913 - analysis options, each with a default
        self,
        measure: str,
        scale: str,
        *,
        sex: str,
        by: Sequence[str] = (),
        time_points: Sequence[str] | None = None,
        min_cell: int = 5,
        hide_zero: bool = False,
    ) -> SexMeansReport:
        """The mean by sex (the group column ``sex``) per time point and group, paired.

        Only persons scored at every one of ``time_points`` (default: all) count;
        see :mod:`trivselscore.study.paired`.
        """
        ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval="wilson", confidence=0.95)
        render = sex_means_plan(self, ledger, measure, scale, sex=sex, by=by, time_points=time_points)
        ledger.close()
        return render()

    def fremgang(  # noqa: PLR0913 - analysis options, each with a default
        self,
        start: str,
        end: str,
        *,
        scales: Mapping[str, str],
        by: Sequence[str] = (),
        method: str | Mapping[str, str] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        min_cell: int = 5,
        hide_zero: bool = False,
        interval: IntervalMethod = "wilson",
        confidence: float = 0.95,
    ) -> FremgangReport:
        """The share with fremgang per measure (one scale each) and group, side by side.

        See :mod:`trivselscore.study.fremgang`.
        """
        ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval=interval, confidence=confidence)
        render = fremgang_plan(self, ledger, start, end, scales=scales, by=by, method=method, options=options)
        ledger.close()
        return render()

    @cached_property
    def _lines(self) -> list[str]:
        groups = f"; groups {', '.join(self.groups)}" if self.groups else ""
        head = (
            f"Study: {self.n_persons} persons, {self.n_rows} rows, time points {', '.join(self.time_points)}"
            f"{groups}"
        )
        parts = [f"{name} ({' | '.join(v.id for v in m.versions)})" for name, m in self.measures.items()]
        return [head, f"measures: {', '.join(parts)}"]

    def __repr__(self) -> str:
        """Two lines: persons, rows, time points, groups; the measures and their versions."""
        return "\n".join(self._lines)

    def _repr_html_(self) -> str:
        head = ["mål", "versioner", "valgt efter"]
        body = [
            [name, " | ".join(v.id for v in m.versions), m.chosen_by] for name, m in self.measures.items()
        ]
        return html_table(head, body, caption=self._lines[0])
