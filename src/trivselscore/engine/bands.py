"""Assign bands of a cutoff scheme to arrays of scale values, vectorised.

A scheme may hold several band tables for one scale (by sex and age). The bands
of those tables are numbered in one flat list (:func:`flat_bands`); a row's band
is its position in that list, -1 where no band applies, and a small reason code
says why. Names, labels and reason texts are looked up only when asked for, so a
million rows cost two small integer arrays per scale and scheme.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions.model import Band, Cutoffs, CutoffScheme

__all__ = ["NO_BAND", "OUTSIDE_AGE", "assign", "assign_one", "band_ids", "flat_bands", "reason_text"]

NO_BAND: Final = -1
OK, NOT_SCORED, NO_SEX, NO_AGE, NO_TABLE, OUTSIDE_AGE, SEX_OTHER, SEX_UNKNOWN = range(8)
_REASONS: Final = {
    NOT_SCORED: "the scale was not scored",
    NO_SEX: "scheme {!r} has sex-specific bands; Respondent.sex is missing",
    NO_AGE: "scheme {!r} has age-specific bands; Respondent.age is missing",
    NO_TABLE: "scheme {!r} has no band table for this respondent's age and sex",
    OUTSIDE_AGE: "the respondent's age is outside the instrument's age range",
    SEX_OTHER: "scheme {!r} has sex-specific bands; there is no sex-specific cutoff for sex 'other'",
    SEX_UNKNOWN: "scheme {!r} has sex-specific bands; there is no sex-specific cutoff for sex 'unknown'",
}
_SEX_REASONS: Final = {"": NO_SEX, "other": SEX_OTHER, "unknown": SEX_UNKNOWN}
"""Why a sex-specific table gives no band: the sex is missing, or a category no table is for."""


def reason_text(code: int, scheme_id: str) -> str | None:
    """The reason a band is missing, for a reason code from :func:`assign`."""
    return _REASONS[code].format(scheme_id) if code != OK else None


def flat_bands(scheme: CutoffScheme, scale_id: str) -> tuple[Band, ...]:
    """The bands of every table of ``scale_id`` in ``scheme``, in one numbered list."""
    return tuple(band for table in _tables(scheme, scale_id) for band in table.bands)


def band_ids(
    scheme: CutoffScheme,
    scale_id: str,
    values: NDArray[np.float64],
    ages: NDArray[np.float64],
    sexes: NDArray[np.str_],
) -> NDArray[np.object_]:
    """Band ids per row (None where no band applies), for callers that need names only."""
    position, _ = assign(scheme, scale_id, values, ages, sexes)
    names = np.array([band.id for band in flat_bands(scheme, scale_id)] + [None], dtype=object)
    ids: NDArray[np.object_] = names.take(position)
    return ids


def _tables(scheme: CutoffScheme, scale_id: str) -> tuple[Cutoffs, ...]:
    return tuple(t for t in scheme.cutoffs if t.scale == scale_id)


def assign(
    scheme: CutoffScheme,
    scale_id: str,
    values: NDArray[np.float64],
    ages: NDArray[np.float64],
    sexes: NDArray[np.str_],
) -> tuple[NDArray[np.int16], NDArray[np.int8]]:
    """Return (position in :func:`flat_bands` or ``NO_BAND``, reason code) per row.

    A reason is given where no band applies: the value is missing, or the
    respondent lacks the sex or age a table needs, or is of a sex (``other``,
    ``unknown``) no sex-specific table is for, or no table covers them.
    """
    n = values.shape[0]
    if n == 1:
        band, reason = assign_one(scheme, scale_id, float(values[0]), float(ages[0]), str(sexes[0]))
        return np.array([band], dtype=np.int16), np.array([reason], dtype=np.int8)
    position = np.full(n, NO_BAND, dtype=np.int16)
    reasons = np.full(n, NO_TABLE, dtype=np.int8)
    scored = ~np.isnan(values)
    offset = 0
    for table in _tables(scheme, scale_id):
        rows = scored.copy()
        if table.sex is not None:
            pending = rows & (reasons == NO_TABLE)
            for sex, code in _SEX_REASONS.items():
                reasons[pending & (sexes == sex)] = code
            rows &= sexes == table.sex
        if table.min_age is not None or table.max_age is not None:
            reasons[rows & np.isnan(ages) & (reasons == NO_TABLE)] = NO_AGE
            low = -np.inf if table.min_age is None else table.min_age
            high = np.inf if table.max_age is None else table.max_age
            completed = np.floor(ages)  # ages in completed years, as norm tables use them
            rows &= (completed >= low) & (completed <= high)
        reasons[rows] = OK
        _place(table.bands, values, rows, position, offset)
        offset += len(table.bands)
    reasons[~scored] = NOT_SCORED
    return position, reasons


def assign_one(scheme: CutoffScheme, scale_id: str, value: float, age: float, sex: str) -> tuple[int, int]:
    """The same rules as :func:`assign` for one respondent, without arrays (``score()``'s paths).

    Kept equal to the vectorised path by the contract check ``batch-equals-single``.
    """
    if math.isnan(value):
        return NO_BAND, NOT_SCORED
    reason = NO_TABLE
    offset = 0
    for table in _tables(scheme, scale_id):
        start, offset = offset, offset + len(table.bands)
        if table.sex is not None and sex != table.sex:
            reason = _SEX_REASONS.get(sex, reason) if reason == NO_TABLE else reason
            continue
        if table.min_age is not None or table.max_age is not None:
            if math.isnan(age):
                reason = NO_AGE if reason == NO_TABLE else reason
                continue
            low = -math.inf if table.min_age is None else table.min_age
            high = math.inf if table.max_age is None else table.max_age
            if not low <= math.floor(age) <= high:
                continue
        hit = next((k for k, band in enumerate(table.bands) if band.contains(value)), None)
        return (NO_BAND if hit is None else start + hit), OK
    return NO_BAND, reason


def _place(
    table: tuple[Band, ...],
    values: NDArray[np.float64],
    rows: NDArray[np.bool_],
    out: NDArray[np.int16],
    offset: int,
) -> None:
    """Write each selected row's band position into ``out``.

    The bands of a table partition the scale's range (checked at import), so an
    exclusive lower bound ``L`` is the inclusive bound ``nextafter(L, inf)``, and a
    value's band is the number of band starts it has passed; only the two ends
    need a range check.
    """
    order = sorted(range(len(table)), key=lambda k: (table[k].lower, not table[k].lower_inclusive))
    ordered = [table[k] for k in order]
    positions = np.array([offset + k for k in order] + [NO_BAND], dtype=np.int16)
    starts = np.array([b.lower if b.lower_inclusive else np.nextafter(b.lower, np.inf) for b in ordered])
    last = ordered[-1]
    end = last.upper if last.upper_inclusive else np.nextafter(last.upper, -np.inf)
    # A table has a handful of bands: counting the starts passed is a few cheap
    # comparisons, faster than a binary search per value. Every row is counted
    # (NaN passes no start) and only the selected rows are written: one masked
    # copy instead of a gather and a scatter.
    small = len(ordered) < np.iinfo(np.int8).max  # a byte per row: half the memory traffic
    counter: type[np.signedinteger] = np.int8 if small else np.intp
    k: NDArray[np.signedinteger] = np.zeros(values.shape[0], dtype=counter)
    for start in starts[1:]:
        k += values >= start
    k[(values < starts[0]) | (values > end)] = len(ordered)
    np.copyto(out, positions.take(k), where=rows)
