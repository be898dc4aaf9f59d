"""One release, one disclosure decision: several study reports protected as one publication.

A reader of a report sees every table at once: the level table per track and per
sex, the change tables, the combined table and the first page count the same
people again and again. Protected one table at a time, each table is safe on its
own and the document is not (a count hidden in one table is worked back from
another). A :class:`Release` therefore records every report first, in one
:class:`~trivselscore.study.cells.Ledger` under keys that name the people counted
(the n at the start of a change table *is* the level table's n at the start), then
solves it once (``optimal=True``: the least costly pattern over the whole release,
see :mod:`trivselscore.cohort.optimal`), then builds every report from that one
decision, with hidden results published as the ranges they surely lie in.

Examples:
    >>> from trivselscore.study import Study
    >>> def answer(p, t):  # start 40; at the end 60 (fremgang), 40 (status quo) or 20 (tilbagegang)
    ...     return 2 if t == "start" else 1 if p % 10 == 0 else 2 if p % 10 == 1 else 3
    >>> rows = [{"person": p, "time": t, "track": "a" if p < 40 else "b",
    ...          **{f"who5_{i}": answer(p, t) for i in range(1, 6)}}
    ...         for p in range(60) for t in ("start", "end")]
    >>> study = Study.from_long(rows, instruments={"who5": "who5"}, time_points=["start", "end"],
    ...                         groups=["track"])
    >>> release = Release(study, min_cell=5, hide_zero=False)
    >>> change = release.change("start", "end", by=["track"], scales={"who5": ["percentage"]})
    >>> level = release.summary("who5", "percentage", by=["track"])
    >>> release.close()
    >>> [c.share.text(percent=True) for c in change().rows[1].categories]  # track a: 32 of 40 improved
    ['80-90%', '<5', '<5']
    >>> level().rows[4].bands[0].share.text(percent=True)  # at the end, track a: 8 of 40 at risk
    '20-28%'

Asked for alone, the same change table shows ``skjult`` where the release shows
``80-90%``: the range is what a reader can work out from the table anyway
(fremgang = pairs - status quo - tilbagegang, each of those 1-4), so it tells
nothing new.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np

from trivselscore.cohort import Cell
from trivselscore.study.cells import ALL, Ledger, Shown, same_people
from trivselscore.study.change import change_plan
from trivselscore.study.combined import Criterion, combined_plan
from trivselscore.study.predictors import predictors_plan
from trivselscore.study.summary import summary_plan
from trivselscore.study.survey import survey_plan

if TYPE_CHECKING:
    from trivselscore.cohort.stats import IntervalMethod
    from trivselscore.study.combined import CombinedChangeReport
    from trivselscore.study.predictors import PredictorReport
    from trivselscore.study.reports import ChangeReport, SummaryReport
    from trivselscore.study.survey import SurveyReport
    from trivselscore.study.view import StudyView

__all__ = ["EVERYTHING", "FrontCounts", "MeasureCells", "Pending", "Release"]

T = TypeVar("T")

EVERYTHING: Shown = {
    (table, column): "count"
    for table, columns in {
        "summary": ("rows", "left_out", "not_given", "given", "n", "not_scored", "outside", "band"),
        "change": (
            *("persons", "pairs", "start_only", "end_only", "neither", "not_scored", "category"),
            *("not_given:both", "outside:both"),
        ),
        "combined": ("persons", "complete", "left_out", "improved", "not_improved"),
        "front": ("persons", "rows", "given", "not_given", "not_scored"),
        "survey": ("n", "blank", "answer"),
        "predictors": ("n", "left_out", "excluded", "improved", "level"),
    }.items()
    for column in columns
}
"""Every count the Python reports publish (their ``to_dict()``), each as a count."""


class Pending(Generic[T]):
    """A report of a release: call it, after :meth:`Release.close`, to get the report."""

    def __init__(self, release: Release, render: Callable[[], T]) -> None:
        self._release = release
        self._render = render
        self._made: T | None = None

    def __call__(self) -> T:
        """The report, built from the release's one decision.

        Raises:
            RuntimeError: The release is not closed yet.
        """
        if not self._release.ledger.closed:
            msg = "close the release first: release.close()"
            raise RuntimeError(msg)
        if self._made is None:
            self._made = self._render()
        return self._made


@dataclass(frozen=True)
class MeasureCells:
    """One measure's forms over every time point: given, not given, not scored (per scale), per version."""

    name: str
    given: Cell
    not_given: Cell
    not_scored: dict[str, Cell]
    versions: dict[str, Cell]


@dataclass(frozen=True)
class FrontCounts:
    """The first page's counts: persons, rows and each measure's rows, as published."""

    persons: Cell
    rows: Cell
    measures: tuple[MeasureCells, ...]


class Release:
    """Study reports recorded together and protected as one publication (see the module).

    Args:
        study: The study.
        min_cell: Hide counts from 1 to ``min_cell - 1``.
        hide_zero: Hide zeros too.
        shown: What the documents print, per (table, column): ``"count"`` or
            ``"share"`` (default: every count, as the reports' ``to_dict()``).
        interval: ``"wilson"`` or ``"clopper-pearson"``.
        confidence: Coverage of the intervals.
        ranges: Publish hidden results as the ranges they surely lie in.
    """

    def __init__(  # noqa: PLR0913 - the rule, then how it is printed
        self,
        study: StudyView,
        *,
        min_cell: int = 5,
        hide_zero: bool = False,
        shown: Shown | None = None,
        interval: IntervalMethod = "wilson",
        confidence: float = 0.95,
        ranges: bool = True,
    ) -> None:
        self.study = study
        self.ledger = Ledger(
            min_cell=min_cell,
            hide_zero=hide_zero,
            interval=interval,
            confidence=confidence,
            shown=EVERYTHING if shown is None else shown,
            ranges=ranges,
        )

    def summary(  # noqa: PLR0913 - as Study.summary
        self,
        measure: str,
        scale: str,
        *,
        by: Sequence[str] = (),
        paired: tuple[str, str] | None = None,
        scheme: str | None = None,
        table: str = "summary",
        t_scores: bool = False,
    ) -> Pending[SummaryReport]:
        """Record :meth:`Study.summary <trivselscore.study.Study.summary>` in the release."""
        render = summary_plan(
            self.study,
            self.ledger,
            measure,
            scale,
            by=by,
            paired=paired,
            scheme=scheme,
            table=table,
            t_scores=t_scores,
        )
        return Pending(self, render)

    def change(  # noqa: PLR0913 - as Study.change
        self,
        start: str,
        end: str,
        *,
        by: Sequence[str] = (),
        method: str | Mapping[str, str] | None = None,
        scales: Mapping[str, Sequence[str]] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Pending[ChangeReport]:
        """Record :meth:`Study.change <trivselscore.study.Study.change>` in the release."""
        render = change_plan(
            self.study, self.ledger, start, end, by=by, method=method, scales=scales, options=options
        )
        return Pending(self, render)

    def combined_change(  # noqa: PLR0913 - as Study.combined_change
        self,
        start: str,
        end: str,
        *,
        scales: Mapping[str, str | Sequence[str]],
        rule: Criterion = "all",
        by: Sequence[str] = (),
        method: str | Mapping[str, str] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Pending[CombinedChangeReport]:
        """Record :meth:`Study.combined_change <trivselscore.study.Study.combined_change>` in the release."""
        render = combined_plan(
            self.study,
            self.ledger,
            start,
            end,
            scales=scales,
            rule=rule,
            by=by,
            method=method,
            options=options,
        )
        return Pending(self, render)

    def predictors(  # noqa: PLR0913 - as Study.predictors
        self,
        start: str,
        end: str,
        *,
        measure: str,
        scale: str,
        covariates: Sequence[str],
        method: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> Pending[PredictorReport]:
        """Record :meth:`Study.predictors <trivselscore.study.Study.predictors>` in the release."""
        render = predictors_plan(
            self.study,
            self.ledger,
            start,
            end,
            measure=measure,
            scale=scale,
            covariates=covariates,
            method=method,
            options=options,
        )
        return Pending(self, render)

    def survey(
        self,
        column: str,
        *,
        title: str | None = None,
        answers: Sequence[str] | None = None,
        time_points: Sequence[str] | None = None,
        by: Sequence[str] = (),
    ) -> Pending[SurveyReport]:
        """Record :meth:`Study.survey <trivselscore.study.Study.survey>` in the release."""
        render = survey_plan(
            self.study, self.ledger, column, title=title, answers=answers, time_points=time_points, by=by
        )
        return Pending(self, render)

    def front(self, scales: Mapping[str, Sequence[str]] | None = None) -> Pending[FrontCounts]:
        """Record the first page's counts: persons, rows, and each measure's forms over every time point.

        ``scales``: measure -> the scales whose forms not scored are counted (default: every measure's first).
        """
        chosen = scales or {name: list(m.scale_ids[:1]) for name, m in self.study.measures.items()}
        return Pending(self, _front(self.study, self.ledger, chosen))

    def close(self) -> None:
        """Decide, once, what the whole release hides (the least costly safe pattern)."""
        self.ledger.close(optimal=True)


def _front(
    study: StudyView, ledger: Ledger, scales: Mapping[str, Sequence[str]]
) -> Callable[[], FrontCounts]:
    """Register the first page's counts, linked to the per-time-point counts of the tables."""
    times = study.time_points
    ledger.put(
        ("persons", ALL), study.n_persons, column="persons", role="headline", total_row=True, table="front"
    )
    first = study.state(next(iter(scales))) if scales else None
    for t, label in enumerate(times):
        rows = study.n_persons if first is None else int((first[:, t] != 0).sum())
        ledger.put(("rows", label, ALL), rows, column="rows_at", total_row=True, field=False, table="front")
    _total(ledger, ("front", "rows"), [("rows", label, ALL) for label in times], column="rows")
    cells = [(name, _measure_front(study, ledger, name, names)) for name, names in scales.items()]

    def render() -> FrontCounts:
        return FrontCounts(
            persons=ledger.count(("persons", ALL)),
            rows=ledger.count(("front", "rows")),
            measures=tuple(
                MeasureCells(
                    name=name,
                    given=ledger.count(keys["given"]),
                    not_given=ledger.count(keys["not_given"]),
                    not_scored={s: ledger.count(k) for s, k in keys["not_scored"].items()},
                    versions={v: ledger.count(k) for v, k in keys["versions"].items()},
                )
                for name, keys in cells
            ),
        )

    return render


def _measure_front(study: StudyView, ledger: Ledger, name: str, scales: Sequence[str]) -> dict[str, Any]:
    """One measure's forms given, not given, not scored per scale and per version: each the sum over time."""
    times, measure, state = study.time_points, study.measure(name), study.state(name)
    version = study.spread(measure.version, -1)
    ids = [v.id for v in measure.versions]
    given = state == 2  # noqa: PLR2004 - the form given
    per_time: dict[tuple[Hashable, ...], list[tuple[Hashable, int]]] = {}
    for t, label in enumerate(times):
        at: dict[tuple[Hashable, ...], tuple[Hashable, int]] = {
            ("given", name): (("given", name, label, ALL), int(given[:, t].sum())),
            ("not_given", name): (("not_given", name, label, ALL), int((state[:, t] == 1).sum())),
        }
        for v, version_id in enumerate(ids):
            at["version", name, version_id] = (
                ("version", name, label, ALL, version_id),
                int((given[:, t] & (version[:, t] == v)).sum()),
            )
        for scale in scales:
            people = same_people(measure.instrument, scale)
            missing = int((given[:, t] & np.isnan(study.values(name, scale)[:, t])).sum())
            at["not_scored", name, people] = (("not_scored", name, people, label, ALL), missing)
        for total, (key, count) in at.items():
            ledger.put(key, count, column=f"{total[0]}_at", total_row=True, field=False, table="front")
            per_time.setdefault(total, []).append((key, count))
        ledger.relate(("rows", label, ALL), [at["given", name][0], at["not_given", name][0]])
        ledger.relate(at["given", name][0], [at["version", name, v][0] for v in ids])
    for total, parts in per_time.items():
        _total(ledger, ("front", *total), [k for k, _ in parts], column=str(total[0]))
    return {
        "given": ("front", "given", name),
        "not_given": ("front", "not_given", name),
        "not_scored": {s: ("front", "not_scored", name, same_people(measure.instrument, s)) for s in scales},
        "versions": {v: ("front", "version", name, v) for v in ids},
    }


def _total(ledger: Ledger, key: Hashable, parts: Sequence[Hashable], *, column: str) -> None:
    """A first-page total over the time points (a bookkeeping count)."""
    ledger.put(key, sum(ledger.counts[k] for k in parts), column=column, role="bookkeeping", table="front")
    ledger.relate(key, parts)
