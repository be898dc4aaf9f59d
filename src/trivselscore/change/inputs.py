"""The values given to the change functions, checked: numbers in the scale's range, or its ``Score``s."""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.definitions.instrument import Instrument
from trivselscore.engine.results import BatchScores, Score
from trivselscore.errors import ChangeInputError
from trivselscore.instruments.registry import get_instrument

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["resolve", "scalar", "vector"]


def resolve(instrument: Instrument | str) -> Instrument:
    """The instrument, or the shipped one with this id."""
    return instrument if isinstance(instrument, Instrument) else get_instrument(instrument)


def scalar(definition: Instrument, scale: str, value: object, name: str, row: int | None = None) -> float:
    """One value (a number, a ``Score`` of the instrument, or None) as a float, NaN for None.

    Raises:
        ChangeInputError: Not a number, a ``Score`` of another instrument, or out of the scale's range.
    """
    where = "" if row is None else f" (row {row})"
    if isinstance(value, Score):
        if value.instrument_id != definition.id:
            msg = f"{name}{where} is a Score of {value.instrument_id!r}, not of {definition.id!r}"
            raise ChangeInputError(msg, instrument_id=definition.id, scale_id=scale, row=row)
        value = value[scale].value
    if value is None:
        return math.nan
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        msg = f"{name}{where} must be a number, a Score or None, not {value!r}"
        raise ChangeInputError(msg, instrument_id=definition.id, scale_id=scale, value=value, row=row)
    try:
        number = float(value)
    except OverflowError:
        msg = f"{name}{where} is too large to be a score ({type(value).__name__} out of float range)"
        raise ChangeInputError(
            msg, instrument_id=definition.id, scale_id=scale, value=value, row=row
        ) from None
    if not math.isnan(number):
        _check_range(definition, scale, np.array([number]), name, row)
    return number


def _check_range(
    definition: Instrument, scale: str, values: NDArray[np.float64], name: str, row: int | None = None
) -> None:
    low, high = definition.scale_range(scale)
    bad = np.flatnonzero(~np.isnan(values) & ((values < low) | (values > high)))
    if bad.size:
        index = int(bad[0]) if row is None else row
        value = float(values[bad[0]])
        where = f" (row {index})" if row is not None or values.shape[0] > 1 else ""
        msg = f"{name}{where}: {value:g} is outside the range of {definition.id}/{scale}, {low}-{high}"
        raise ChangeInputError(
            msg,
            instrument_id=definition.id,
            scale_id=scale,
            value=value,
            row=index if where else None,
        )


def vector(definition: Instrument, scale: str, values: object, name: str) -> NDArray[np.float64]:
    """Values (an array, a sequence or a ``BatchScores``) as a float array, NaN for missing.

    Raises:
        ChangeInputError: Not one-dimensional, not numbers, another instrument's scores, or out of range.
    """
    if isinstance(values, BatchScores):
        if values.instrument.id != definition.id:
            msg = f"{name} is a BatchScores of {values.instrument.id!r}, not of {definition.id!r}"
            raise ChangeInputError(msg, instrument_id=definition.id, scale_id=scale)
        return np.array(values[scale], dtype=np.float64)
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            msg = f"{name} must be one-dimensional (one value per person), not shape {values.shape}"
            raise ChangeInputError(msg, instrument_id=definition.id, scale_id=scale)
        if values.dtype != object:
            if values.dtype == np.bool_ or not (
                np.issubdtype(values.dtype, np.integer) or np.issubdtype(values.dtype, np.floating)
            ):
                msg = f"{name} must hold numbers (NaN or None for missing), not dtype {values.dtype}"
                raise ChangeInputError(msg, instrument_id=definition.id, scale_id=scale)
            result = np.array(values, dtype=np.float64)
            _check_range(definition, scale, result, name)
            return result
    elif isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        msg = f"{name} must be an array, a sequence or a BatchScores, not {type(values).__name__}"
        raise ChangeInputError(msg, instrument_id=definition.id, scale_id=scale)
    return np.array(
        [scalar(definition, scale, v, name, row=i) for i, v in enumerate(values)], dtype=np.float64
    )
