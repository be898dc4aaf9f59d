"""The age check: a respondent outside the instrument's ``age_range`` gets no bands.

The rule lives in the definition (``Instrument.age_range``, both ends inclusive)
and is the same for every instrument. Ages are compared in completed years, as
norm and band tables count them: 17.9 is 17, inside 11-17; 10.9 is 10, outside.
An unknown age is not checked. A row outside the range is still scored; its
bands and T-scores are None with the reason, and it carries the flag
:data:`OUTSIDE_AGE_RANGE`. With ``age_policy="raise"``, :func:`check` raises
:class:`~trivselscore.errors.AgeRangeError` instead.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

import numpy as np

from trivselscore.errors import AgeRangeError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument

__all__ = ["AGE_POLICIES", "OUTSIDE_AGE_RANGE", "check", "outside", "reason", "reasons"]

OUTSIDE_AGE_RANGE: Final = "outside_age_range"
"""The id of the flag raised when the age is outside the instrument's ``age_range``."""

AGE_POLICIES: Final = ("flag", "raise")
"""``"flag"`` (the default): score, give no bands or T-scores, raise the flag;
``"raise"``: raise :class:`~trivselscore.errors.AgeRangeError`."""


def outside(age_range: tuple[float, float] | None, ages: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Rows whose age in completed years lies outside ``age_range`` (both ends inclusive).

    An unknown age (NaN) is never outside: with no age there is nothing to check.
    An instrument without an ``age_range`` has no row outside it.

    Examples:
        >>> outside((11, 17), np.array([10.9, 11.0, 17.9, 18.0, np.nan])).tolist()
        [True, False, False, True, False]
    """
    if age_range is None:
        return np.zeros(ages.shape[0], dtype=np.bool_)
    low, high = age_range
    years = np.floor(ages)
    out: NDArray[np.bool_] = (years < low) | (years > high)  # False for NaN
    return out


def reason(instrument_id: str, age_range: tuple[float, float], age: float) -> str:
    """Why a respondent of ``age`` gets no bands or T-scores from ``instrument_id``.

    Examples:
        >>> reason("sdq-s11-17", (11, 17), 22.5)
        'age 22 is outside 11-17, the range of sdq-s11-17'
    """
    low, high = age_range
    return f"age {math.floor(age):d} is outside {low:g}-{high:g}, the range of {instrument_id}"


def reasons(
    instrument: Instrument, ages: NDArray[np.float64], rows: NDArray[np.bool_]
) -> NDArray[np.object_]:
    """Per row: :func:`reason` where ``rows`` is True, else None (one text per distinct age)."""
    texts: NDArray[np.object_] = np.full(ages.shape[0], None, dtype=object)
    if instrument.age_range is None or not rows.any():
        return texts
    picked = np.flatnonzero(rows)
    years = np.floor(ages[picked])
    for year in np.unique(years).tolist():
        texts[picked[years == year]] = reason(instrument.id, instrument.age_range, year)
    return texts


def check(
    instrument: Instrument, rows: NDArray[np.bool_], ages: NDArray[np.float64], *, single: bool
) -> None:
    """Raise :class:`~trivselscore.errors.AgeRangeError` for the first row outside the range."""
    if instrument.age_range is None or not rows.any():
        return
    row = int(np.argmax(rows))
    age = float(ages[row])
    text = reason(instrument.id, instrument.age_range, age)
    msg = f"{text} (age_policy='raise'); score with an instrument for this age, or age_policy='flag'"
    raise AgeRangeError(
        msg,
        instrument_id=instrument.id,
        age=age,
        age_range=instrument.age_range,
        row=None if single else row,
    )
