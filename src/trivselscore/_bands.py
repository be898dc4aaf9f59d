"""Assign bands of a cutoff scheme to arrays of scale values, vectorised."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore._model import Band, CutoffScheme

__all__ = ["assign"]

_NOT_SCORED = "the scale was not scored"
_NO_SEX = "scheme {!r} has sex-specific bands; Respondent.sex is missing"
_NO_AGE = "scheme {!r} has age-specific bands; Respondent.age is missing"
_NO_TABLE = "scheme {!r} has no band table for this respondent's age and sex"


def assign(
    scheme: CutoffScheme,
    scale_id: str,
    values: NDArray[np.float64],
    ages: NDArray[np.float64],
    sexes: NDArray[np.str_],
) -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    """Return (band ids, reasons) per row; a band is None where it cannot be given.

    A reason is given only where the value exists but no band applies (the
    respondent lacks the sex or age a table needs, or no table covers them).
    """
    n = values.shape[0]
    if n == 1:
        band, reason = _assign_one(scheme, scale_id, float(values[0]), float(ages[0]), str(sexes[0]))
        return np.array([band], dtype=object), np.array([reason], dtype=object)
    bands: NDArray[np.object_] = np.full(n, None, dtype=object)
    reasons: NDArray[np.object_] = np.full(n, None, dtype=object)
    scored = ~np.isnan(values)
    covered = np.zeros(n, dtype=np.bool_)
    explained = np.zeros(n, dtype=np.bool_)
    for table in (t for t in scheme.cutoffs if t.scale == scale_id):
        rows = scored.copy()
        if table.sex is not None:
            unknown = rows & (sexes == "")
            explained |= unknown
            reasons[unknown] = _NO_SEX.format(scheme.id)
            rows &= sexes == table.sex
        if table.min_age is not None or table.max_age is not None:
            unknown = rows & np.isnan(ages)
            explained |= unknown
            reasons[unknown] = _NO_AGE.format(scheme.id)
            low = -np.inf if table.min_age is None else table.min_age
            high = np.inf if table.max_age is None else table.max_age
            completed = np.floor(ages)  # ages in completed years, as norm tables use them
            rows &= (completed >= low) & (completed <= high)
        covered |= rows
        _place(table.bands, values, rows, bands)
    no_table = scored & ~covered & ~explained
    reasons[no_table] = _NO_TABLE.format(scheme.id)
    reasons[covered] = None
    reasons[~scored] = _NOT_SCORED
    return bands, reasons


def _assign_one(
    scheme: CutoffScheme, scale_id: str, value: float, age: float, sex: str
) -> tuple[str | None, str | None]:
    """The same rules as :func:`assign` for one respondent, without arrays (``score()``'s path).

    Kept equal to the vectorised path by the contract check ``batch-equals-single``.
    """
    if math.isnan(value):
        return None, _NOT_SCORED
    reason = None
    for table in (t for t in scheme.cutoffs if t.scale == scale_id):
        if table.sex is not None:
            if not sex:
                reason = _NO_SEX.format(scheme.id)
                continue
            if sex != table.sex:
                continue
        if table.min_age is not None or table.max_age is not None:
            if math.isnan(age):
                reason = reason or _NO_AGE.format(scheme.id)
                continue
            completed = math.floor(age)
            low = -math.inf if table.min_age is None else table.min_age
            high = math.inf if table.max_age is None else table.max_age
            if not low <= completed <= high:
                continue
        return next((b.id for b in table.bands if b.contains(value)), None), None
    return None, reason or _NO_TABLE.format(scheme.id)


def _place(
    table: tuple[Band, ...], values: NDArray[np.float64], rows: NDArray[np.bool_], out: NDArray[np.object_]
) -> None:
    """Write the band id of each selected row into ``out``: one search, one take (no per-band masks).

    The bands of a table partition the scale's range (checked at import), so an
    exclusive lower bound ``L`` is the inclusive bound ``nextafter(L, inf)`` and
    one ``searchsorted`` finds every band; only the two ends need a range check.
    """
    ordered = sorted(table, key=lambda b: (b.lower, not b.lower_inclusive))
    ids = np.array([b.id for b in ordered] + [None], dtype=object)
    starts = np.array([b.lower if b.lower_inclusive else np.nextafter(b.lower, np.inf) for b in ordered])
    last = ordered[-1]
    end = last.upper if last.upper_inclusive else np.nextafter(last.upper, -np.inf)
    everyone = bool(rows.all())
    picked = values if everyone else values[rows]
    k = np.searchsorted(starts, picked, side="right") - 1
    k[(k < 0) | (picked > end)] = len(ordered)
    if everyone:
        out[:] = ids.take(k)
    else:
        out[rows] = ids.take(k)
