"""Assign bands of a cutoff scheme to arrays of scale values, vectorised."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore._model import Band, CutoffScheme

__all__ = ["assign"]


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
            reasons[unknown] = f"scheme {scheme.id!r} has sex-specific bands; Respondent.sex is missing"
            rows &= sexes == table.sex
        if table.min_age is not None or table.max_age is not None:
            unknown = rows & np.isnan(ages)
            explained |= unknown
            reasons[unknown] = f"scheme {scheme.id!r} has age-specific bands; Respondent.age is missing"
            low = -np.inf if table.min_age is None else table.min_age
            high = np.inf if table.max_age is None else table.max_age
            completed = np.floor(ages)  # ages in completed years, as norm tables use them
            rows &= (completed >= low) & (completed <= high)
        covered |= rows
        _place(table.bands, values, rows, bands)
    no_table = scored & ~covered & ~explained
    reasons[no_table] = f"scheme {scheme.id!r} has no band table for this respondent's age and sex"
    reasons[covered] = None
    reasons[~scored] = "the scale was not scored"
    return bands, reasons


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
