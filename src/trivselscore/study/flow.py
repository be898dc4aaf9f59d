"""The flow: persons measured at each time point per group, and the drop-out between time points.

A person is *measured* on a measure's scale at a time point when they have a
score there: the n of the level table (:meth:`Study.summary`), so the flow and the
level tables count the same people. Between two time points in a row, the
*drop-out* are the persons measured at the earlier one and not at the later one;
its share is out of those measured at the earlier one. Persons who join later
(measured at the later, not at the earlier) are counted, never shown:
measured(later) = measured(earlier) - drop-out + joined.

Keys (see :mod:`trivselscore.study.summary`): the measured are the summary's
``("scored", measure, scale, time, group)``; ``("dropout" | "stayed" | "joined",
measure, scale, earlier, later, group)`` with scored(earlier) = stayed + drop-out
and scored(later) = stayed + joined.

Examples:
    >>> from trivselscore.study import Study
    >>> rows = [{"person": p, "time": t, "track": "a" if p % 2 else "b",
    ...          **{f"who5_{i}": 3 for i in range(1, 6)}}
    ...         for p in range(40) for t in ("start", "end") if t == "start" or p % 4]
    >>> study = Study.from_long(rows, instruments={"who5": "who5"}, time_points=["start", "end"],
    ...                         groups=["track"])
    >>> report = study.flow("who5", "percentage", by=["track"])
    >>> [(r.group, r.time, r.measured.value, r.dropout.value) for r in report.rows[:2]]
    [('all', 'start', 40, None), ('all', 'end', 30, 10)]
    >>> report.rows[1].dropout_share.text(percent=True)
    '25% (14-40)'
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from trivselscore.cohort import Cell
from trivselscore.study.cells import ALL, Ledger, group_key, same_people
from trivselscore.study.reports import Lang, Report, group_label

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.study.view import StudyView

__all__ = ["FlowReport", "FlowRow", "flow_plan"]


class FlowRow(BaseModel):
    """One group at one time point: the measured, and the drop-out since the time point before.

    ``dropout`` and ``dropout_share`` are empty (``value=None``, no mark) at the first time point.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: str
    time: str
    measured: Cell
    dropout: Cell
    dropout_share: Cell


class FlowReport(Report):
    """Persons measured on one measure's scale at each time point per group, and the drop-out between them."""

    measure: str
    scale: str
    time_points: tuple[str, ...]
    rows: tuple[FlowRow, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def _caption(self, lang: Lang) -> str:
        return f"{self.measure}/{self.scale}: " + ("forløb over tid" if lang == "da" else "flow over time")

    def _grid(self, lang: Lang) -> tuple[list[str], list[list[str]]]:
        da = lang == "da"
        head = ["gruppe" if da else "group", "tid" if da else "time", "målt" if da else "measured"]
        head += ["frafald" if da else "drop-out", "frafald %" if da else "drop-out %"]
        body = [
            [
                group_label(r.group, lang),
                r.time,
                r.measured.text(digits=0, language=lang),
                *(("", "") if r.time == self.time_points[0] else _dropout(r, lang)),
            ]
            for r in self.rows
        ]
        return head, body


def _dropout(row: FlowRow, lang: Lang) -> tuple[str, str]:
    return row.dropout.text(digits=0, language=lang), row.dropout_share.text(percent=True, language=lang)


def _between(
    ledger: Ledger,
    span: tuple[str, str, str, str, Hashable],
    before: NDArray[np.bool_],
    now: NDArray[np.bool_],
    *,
    table: str,
) -> None:
    """Drop-out (shown), stayed and joined (counted, never shown) between two time points in a row."""
    measure, scale, earlier, later, g = span
    counts = {"dropout": before & ~now, "stayed": before & now, "joined": now & ~before}
    for name, mask in counts.items():
        shown = name == "dropout"
        ledger.put((name, *span), int(mask.sum()), table=table, column=name, total_row=g == ALL, field=shown)
    ledger.relate(("scored", measure, scale, earlier, g), [("stayed", *span), ("dropout", *span)])
    ledger.relate(("scored", measure, scale, later, g), [("stayed", *span), ("joined", *span)])


def flow_plan(  # noqa: PLR0913 - the analysis's options, all named by Study.flow
    study: StudyView,
    ledger: Ledger,
    measure: str,
    scale: str,
    *,
    by: Sequence[str],
    table: str = "flow",
) -> Callable[[], FlowReport]:
    """Register the flow's counts; the function that builds the report once ``ledger`` is solved.

    Raises:
        CohortDataError: An unknown measure or group column.
        UnknownScaleError: No such scale.
    """
    state = ~np.isnan(study.values(measure, scale))
    people = same_people(study.measure(measure).instrument, scale)
    times = study.time_points
    parts = study.partition(by)
    groups = [group_key(by, label, total=i == 0) for i, (label, _) in enumerate(parts)]
    plan: list[tuple[str, str, Hashable, tuple[Hashable, Hashable] | None]] = []
    for g, (label, members) in zip(groups, parts, strict=True):
        total = g == ALL
        for t, time in enumerate(times):
            given = ("scored", measure, people, time, g)
            count = int((members & state[:, t]).sum())
            ledger.put(given, count, table=table, column="n", role="denominator", keep=True, total_row=total)
            if t == 0:
                plan.append((label, time, given, None))
                continue
            span = (measure, people, times[t - 1], time, g)
            _between(ledger, span, members & state[:, t - 1], members & state[:, t], table=table)
            plan.append(
                (label, time, given, (("dropout", *span), ("scored", measure, people, times[t - 1], g)))
            )
    for t, time in enumerate(times):
        ledger.relate(
            ("scored", measure, people, time, ALL), [("scored", measure, people, time, g) for g in groups[1:]]
        )
        if t:
            for name in ("dropout", "stayed", "joined"):
                span = (name, measure, people, times[t - 1], time)
                ledger.relate((*span, ALL), [(*span, g) for g in groups[1:]])

    def render() -> FlowReport:
        rows = []
        for label, time, given, since in plan:
            if since is None:
                out, share = Cell(value=None), Cell(value=None)
            else:
                out, share = ledger.count(since[0]), ledger.share(*since)
            measured = ledger.count(given)
            rows.append(FlowRow(group=label, time=time, measured=measured, dropout=out, dropout_share=share))
        return FlowReport(
            min_cell=ledger.min_cell,
            hide_zero=ledger.hide_zero,
            interval=ledger.interval,
            confidence=ledger.confidence,
            by=tuple(by),
            measure=measure,
            scale=scale,
            time_points=times,
            rows=tuple(rows),
        )

    return render
