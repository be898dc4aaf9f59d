"""The mean by sex per time point, paired (the same young people at every time point) and per group.

Only persons scored on the scale at *every* chosen time point count (complete
cases), so the means at different time points are of the same people and their
difference is change, not a change of who answered. One row per group (track)
and sex, with the totals (``all``) of both: n, then the mean at each time point.

Keys (see :mod:`trivselscore.study.summary`): the complete persons are
``("pairs", measure, scale, a, b, cell)`` for two time points (the change
table's pairs: the same people) and ``("complete", measure, scale, times, cell)``
for more; the cell is the group's key, the sex group's key, or for a group and a
sex ``((*by, sex), "group / sex")``. Every cell is related to its totals, to its
persons (``("persons", cell)`` = complete + the others) and, per time point, to
the scored (``("scored", measure, scale, time, cell)`` = complete + the others).

Examples:
    >>> from trivselscore.study import Study
    >>> rows = [{"person": p, "time": t, "track": "a" if p % 2 else "b", "sex": "female" if p % 3 else "male",
    ...          **{f"who5_{i}": (2 if t == "start" else 3) for i in range(1, 6)}}
    ...         for p in range(60) for t in ("start", "end") if t == "start" or p % 5]
    >>> study = Study.from_long(rows, instruments={"who5": "who5"}, time_points=["start", "end"],
    ...                         groups=["track", "sex"])
    >>> report = study.sex_means("who5", "percentage", sex="sex", by=["track"])
    >>> [(r.group, r.sex, r.n.value, [m.value for m in r.means]) for r in report.rows[:3]]
    [('all', 'all', 48, [40.0, 60.0]), ('all', 'female', 32, [40.0, 60.0]), ('all', 'male', 16, [40.0, 60.0])]
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from trivselscore.cohort import Cell
from trivselscore.errors import CohortDataError
from trivselscore.study.cells import ALL, Ledger, group_key, same_people
from trivselscore.study.reports import Lang, Report, group_label

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.study.view import StudyView

__all__ = ["SexMeansReport", "SexMeansRow", "sex_means_plan"]


class SexMeansRow(BaseModel):
    """One group and sex: the complete persons (n) and their mean at each time point (in order)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: str
    sex: str
    n: Cell
    means: tuple[Cell, ...]


class SexMeansReport(Report):
    """Paired means by sex per time point and group (complete cases over ``time_points``)."""

    measure: str
    scale: str
    sex: str
    time_points: tuple[str, ...]
    rows: tuple[SexMeansRow, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def _caption(self, lang: Lang) -> str:
        shown = ", ".join(self.time_points)
        if lang == "da":
            return f"{self.measure}/{self.scale} efter køn, kun personer målt ved alle af {shown}"
        return f"{self.measure}/{self.scale} by sex, only persons measured at every one of {shown}"

    def _grid(self, lang: Lang) -> tuple[list[str], list[list[str]]]:
        head = ["gruppe" if lang == "da" else "group", "køn" if lang == "da" else "sex", "n"]
        head += list(self.time_points)
        body = [
            [group_label(r.group, lang), group_label(r.sex, lang), r.n.text(digits=0, language=lang)]
            + [m.text(language=lang) for m in r.means]
            for r in self.rows
        ]
        return head, body


def _cells(
    study: StudyView, by: Sequence[str], sex: str
) -> list[tuple[str, str, Hashable, NDArray[np.bool_], Hashable, Hashable]]:
    """(group, sex, key, persons, the group's key, the sex's key) of every row, totals first."""
    tracks = study.partition(by)
    sexes = study.partition([sex])
    out = []
    for i, (track, in_track) in enumerate(tracks):
        t_key = group_key(by, track, total=i == 0)
        for j, (kind, of_sex) in enumerate(sexes):
            s_key = group_key([sex], kind, total=j == 0)
            key = t_key if j == 0 else s_key if i == 0 else ((*by, sex), f"{track} / {kind}")
            out.append((track, kind, key, in_track & of_sex, t_key, s_key))
    return out


def sex_means_plan(  # noqa: PLR0913 - the analysis's options, all named by Study.sex_means
    study: StudyView,
    ledger: Ledger,
    measure: str,
    scale: str,
    *,
    sex: str,
    by: Sequence[str],
    time_points: Sequence[str] | None = None,
    table: str = "sex_means",
) -> Callable[[], SexMeansReport]:
    """Register the paired means' counts; the function that builds the report once ``ledger`` is solved.

    Raises:
        CohortDataError: An unknown measure, time point or group column, ``sex`` among ``by``,
            or fewer than two time points.
        UnknownScaleError: No such scale.
    """
    chosen = tuple(study.time_points if time_points is None else time_points)
    if len(chosen) < 2 or len(set(chosen)) < len(chosen):  # noqa: PLR2004 - a pair at least
        msg = f"time_points: at least two distinct time points, not {list(chosen)}"
        raise CohortDataError(msg, problem="unknown_time")
    if sex in by:
        msg = f"sex {sex!r} is also in by={list(by)}"
        raise CohortDataError(msg, problem="missing_column")
    indices = sorted(study.time_index(t) for t in chosen)
    chosen = tuple(study.time_points[t] for t in indices)
    values = study.values(measure, scale)
    people = same_people(study.measure(measure).instrument, scale)
    complete = ~np.isnan(values[:, indices]).any(axis=1)
    scored = ~np.isnan(values)
    cells = _cells(study, by, sex)
    plan = []
    for track, kind, g, members, _, _ in cells:
        n = _key(measure, people, chosen, g)
        inside = members & complete
        total = g == ALL
        count = int(inside.sum())
        ledger.put(n, count, table=table, column="n", role="denominator", keep=True, total_row=total)
        ledger.put(("persons", g), int(members.sum()), table=table, column="persons", field=False)
        other = ("incomplete", measure, people, chosen, g)
        ledger.put(other, int((members & ~complete).sum()), table=table, column="incomplete", field=False)
        ledger.relate(("persons", g), [n, other])
        for t in indices:
            at = ("scored", measure, people, study.time_points[t], g)
            rest = ("scored_incomplete", measure, people, chosen, study.time_points[t], g)
            ledger.put(at, int((members & scored[:, t]).sum()), table=table, column="scored", field=False)
            count = int((members & scored[:, t] & ~complete).sum())
            ledger.put(rest, count, table=table, column="rest", field=False)
            ledger.relate(at, [n, rest])
        means = [float(np.mean(values[inside, t])) if inside.any() else None for t in indices]
        plan.append((track, kind, n, means))
    _totals(ledger, cells, lambda g: _key(measure, people, chosen, g))
    _totals(ledger, cells, lambda g: ("persons", g))
    for t in indices:
        _totals(ledger, cells, partial(_scored, (measure, people, study.time_points[t])))

    def render() -> SexMeansReport:
        rows = [
            SexMeansRow(
                group=track,
                sex=kind,
                n=ledger.count(n),
                means=tuple(ledger.statistic(m, n) for m in means),
            )
            for track, kind, n, means in plan
        ]
        return SexMeansReport(
            min_cell=ledger.min_cell,
            hide_zero=ledger.hide_zero,
            interval=ledger.interval,
            confidence=ledger.confidence,
            by=tuple(by),
            measure=measure,
            scale=scale,
            sex=sex,
            time_points=chosen,
            rows=tuple(rows),
        )

    return render


def _scored(at: tuple[str, str, str], g: Hashable) -> Hashable:
    return ("scored", *at, g)


def _key(measure: str, people: str, chosen: tuple[str, ...], g: Hashable) -> Hashable:
    """Two time points: the change table's pairs (the same people); more: the complete cases."""
    if len(chosen) == 2:  # noqa: PLR2004 - a pair
        return ("pairs", measure, people, chosen[0], chosen[1], g)
    return ("complete", measure, people, chosen, g)


def _totals(
    ledger: Ledger,
    cells: Sequence[tuple[str, str, Hashable, NDArray[np.bool_], Hashable, Hashable]],
    key: Callable[[Hashable], Hashable],
) -> None:
    """Each group's total = the sum over its sexes; each sex's total = the sum over the groups."""
    by_track: dict[Hashable, list[Hashable]] = {}
    by_sex: dict[Hashable, list[Hashable]] = {}
    for _, _, g, _, t_key, s_key in cells:
        if g not in (t_key, s_key):
            by_track.setdefault(t_key, []).append(key(g))
            by_sex.setdefault(s_key, []).append(key(g))
        elif g == s_key and g != ALL:
            by_track.setdefault(ALL, []).append(key(g))
        elif g == t_key and g != ALL:
            by_sex.setdefault(ALL, []).append(key(g))
    for total, parts in (*by_track.items(), *by_sex.items()):
        ledger.relate(key(total), parts)
