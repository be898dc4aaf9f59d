"""One measure of a study as a :class:`~trivselscore.cohort.Cohort`, so the cohort reports keep working."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from trivselscore.cohort import Cohort
from trivselscore.definitions.forms import optional_items

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.study.measures import Measure
    from trivselscore.study.table import Layout, Table

__all__ = ["to_cohort"]

_PERSON, _TIME, _AGE, _SEX = "__person", "__time", "__age", "__sex"


def _plain(values: NDArray[np.float64]) -> list[float | None]:
    return [None if np.isnan(v) else float(v) for v in values.tolist()]


def to_cohort(measure: Measure, table: Table, lay: Layout, time_points: tuple[str, ...]) -> Cohort:
    """The rows where the measure's form was given, as a cohort.

    A one-version measure read from items is scored again from its items (every
    cohort feature, T-score bands included); otherwise the cohort gets the
    scores, with the first version's definition and cutoff schemes.
    """
    rows = np.flatnonzero(measure.given)
    persons = lay.person_of_row[rows].tolist()
    data: dict[str, list[object]] = {
        _PERSON: [lay.persons[p] for p in persons],
        _TIME: [time_points[t] for t in lay.time_of_row[rows].tolist()],
        _AGE: list(_plain(lay.ages[rows])),
        _SEX: [lay.sexes[r] for r in rows.tolist()],
    }
    data |= {g: [values[p] for p in persons] for g, values in lay.groups.items()}
    items = measure.from_items and len(measure.versions) == 1
    declared: list[str] = []
    if items:
        found = measure.columns[measure.instrument.id]
        data |= {i: list(_plain(table.numbers(c)[rows])) for i, c in found.items() if c}
        optional = optional_items(measure.instrument)
        declared = [i for i, c in found.items() if c is None and i not in optional]
    else:
        data |= {f"score {s}": list(_plain(measure.values[s][rows])) for s in measure.scale_ids}
    records = [dict(zip(data, values, strict=True)) for values in zip(*data.values(), strict=True)]
    return Cohort.from_long(
        records,
        measure.instrument,
        time_points=time_points,
        person=_PERSON,
        time=_TIME,
        groups=list(lay.groups),
        sex=_SEX,
        age=_AGE,
        scores=None if items else {s: f"score {s}" for s in measure.scale_ids},
        not_collected=declared,
    )
