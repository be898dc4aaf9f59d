"""Per-instrument lookup tables for the engine, built once and cached.

Everything the engine needs that depends only on the definition: allowed codes
per item, scored values per item and scale (after reversal and recoding, as
float64 and, when they fit, as small integers), the linear form of each item's
values (``slope x index + offset``: a plainly or reverse-keyed item, scored with
one add or subtract instead of a table lookup), gates and flags. Cached by
instrument identity in a small thread-safe LRU, so ``score()`` of one respondent
pays for none of it after the first call. A plan is shared by every caller, so it
is read-only: mappings are ``MappingProxyType`` and every array has
``writeable=False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from trivselscore.support.cache import IdentityCache

if TYPE_CHECKING:
    from collections.abc import Mapping

    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument
    from trivselscore.definitions.model import Scale

__all__ = ["ItemScale", "Plan", "plan"]

_PLAN_CACHE_SIZE = 64


@dataclass(frozen=True, slots=True)
class ItemScale:
    """What the engine needs of one item scale: columns and a value table per item."""

    columns: NDArray[np.intp]
    tables: NDArray[np.float64]  # (items, span + 1); the last slot (missing) scores 0
    gate_column: int | None
    gate_table: NDArray[np.bool_] | None  # (span + 1,): code index -> gated
    int_tables: NDArray[np.signedinteger] | None  # the same values as integers, when their sum fits
    linear: Linear | None  # the same sum as adds of code indices, when no answer is missing


@dataclass(frozen=True, slots=True)
class Linear:
    """An item scale's sum over answered items as integer arithmetic on code indices.

    ``sum = offset + sum(index[plus]) - sum(index[minus]) + sum(slope * index[scaled])
    + sum(table[index[looked_up]])``, exact in ``dtype`` (every partial sum fits).
    Valid only for rows where every item of the scale is answered: the missing
    slot has no linear value.
    """

    dtype: type[np.signedinteger]
    offset: int
    plus: tuple[int, ...]  # columns scored as their code index
    minus: tuple[int, ...]  # columns scored as minus their code index
    scaled: tuple[tuple[int, int], ...]  # (column, slope) for other whole slopes
    looked_up: tuple[tuple[int, NDArray[np.signedinteger]], ...]  # (column, value table)


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything about an instrument the engine reuses between calls."""

    low: int
    high: int
    span: int
    int_dtype: type[np.signedinteger]
    index_dtype: type[np.signedinteger]
    count_dtype: type[np.signedinteger]  # answered counts: every item of the instrument fits
    item_low: NDArray[np.signedinteger]  # (items,) lowest allowed code per item
    item_high: NDArray[np.signedinteger]  # (items,) highest allowed code per item
    allowed: NDArray[np.bool_]  # (items, span + 1); the last slot (missing/invalid) is False
    contiguous: bool  # every item's codes are a run low_j..high_j
    same_start: bool  # every item's lowest code is ``low``
    scales: Mapping[str, ItemScale]
    flag_tables: Mapping[str, tuple[NDArray[np.intp], NDArray[np.bool_]]]


_PLANS: IdentityCache[Plan] = IdentityCache(_PLAN_CACHE_SIZE)


def plan(instrument: Instrument) -> Plan:
    """The cached plan of ``instrument`` (keyed by identity; a small LRU; safe across threads)."""
    return _PLANS.get(instrument, lambda: _build_plan(instrument))


def _build_plan(instrument: Instrument) -> Plan:
    all_codes = [c for item in instrument.items for c in item.codes]
    low, high = min(all_codes), max(all_codes)
    span = high - low + 1
    if span > 2**14 or not -(2**31) < low <= high < 2**31:
        msg = f"{instrument.id}: codes {low}..{high} span too wide for the engine's lookup tables"
        raise ValueError(msg)
    small = np.iinfo(np.int8)
    # low - 1 must fit too: it marks a cell that is no code (see engine/codes.py)
    int_dtype: type[np.signedinteger] = np.int8 if low > small.min and high <= small.max else np.int32
    n_items = len(instrument.items)
    allowed = np.zeros((n_items, span + 1), dtype=np.bool_)
    for j, item in enumerate(instrument.items):
        allowed[j, np.array(item.codes) - low] = True
    contiguous = all(item.codes[-1] - item.codes[0] + 1 == len(item.codes) for item in instrument.items)
    item_low = np.array([item.codes[0] for item in instrument.items], dtype=int_dtype)
    item_high = np.array([item.codes[-1] for item in instrument.items], dtype=int_dtype)
    # code - low in [0, span]; wrapped garbage of invalid cells is overwritten before use
    index_dtype: type[np.signedinteger] = np.int8 if span < small.max else np.int16
    columns = {item_id: i for i, item_id in enumerate(instrument.item_ids)}
    scales: dict[str, ItemScale] = {}
    for scale in instrument.scales:
        if scale.items:
            scales[scale.id] = _item_scale_plan(instrument, scale, columns, low, span)
    flag_tables: dict[str, tuple[NDArray[np.intp], NDArray[np.bool_]]] = {}
    for flag in instrument.flags:
        table = np.zeros(span + 1, dtype=np.bool_)
        table[np.array(flag.codes) - low] = True
        flag_tables[flag.id] = (
            _frozen(np.array([columns[i] for i in flag.items], dtype=np.intp)),
            _frozen(table),
        )
    return Plan(
        low=low,
        high=high,
        span=span,
        int_dtype=int_dtype,
        index_dtype=index_dtype,
        count_dtype=np.int16 if n_items < np.iinfo(np.int16).max else np.int32,
        item_low=_frozen(item_low),
        item_high=_frozen(item_high),
        allowed=_frozen(allowed),
        contiguous=contiguous,
        same_start=all(item.codes[0] == low for item in instrument.items),
        scales=MappingProxyType(scales),
        flag_tables=MappingProxyType(flag_tables),
    )


_A = TypeVar("_A", bound=np.ndarray)


def _frozen(array: _A) -> _A:
    """The same array, read-only: a plan is shared by every caller and every thread."""
    array.flags.writeable = False
    return array


def _item_scale_plan(
    instrument: Instrument, scale: Scale, columns: dict[str, int], low: int, span: int
) -> ItemScale:
    tables = np.zeros((len(scale.items), span + 1), dtype=np.float64)
    for j, item_id in enumerate(scale.items):
        for code, value in instrument.item_values(scale, item_id).items():
            tables[j, code - low] = value
    gate_column = gate_table = None
    if scale.gate is not None:
        gate_column = columns[scale.gate.item]
        gate_table = np.zeros(span + 1, dtype=np.bool_)
        gate_table[np.array(scale.gate.codes) - low] = True
    cols = np.array([columns[i] for i in scale.items], dtype=np.intp)
    allowed = [[code - low for code in instrument.item(i).codes] for i in scale.items]
    return ItemScale(
        _frozen(cols),
        _frozen(tables),
        gate_column,
        None if gate_table is None else _frozen(gate_table),
        _integer_tables(tables),
        _linear(tables, cols, allowed),
    )


def _linear(
    tables: NDArray[np.float64], columns: NDArray[np.intp], allowed: list[list[int]]
) -> Linear | None:
    """The scale's sum as integer arithmetic on code indices, when its values are whole.

    Each item whose values over its allowed code indices lie on a line with a whole
    slope is an add (slope 1), a subtract (slope -1) or a multiply-add; any other
    item is a lookup in its integer table. The accumulator is the smallest signed
    type that holds every partial sum.
    """
    if not np.array_equal(tables, np.floor(tables)):
        return None
    offset = 0
    plus: list[int] = []
    minus: list[int] = []
    scaled: list[tuple[int, int]] = []
    looked_up: list[tuple[int, list[int]]] = []
    bound = 0
    for j, (column, indices) in enumerate(zip(columns.tolist(), allowed, strict=True)):
        values = [int(tables[j, k]) for k in indices]
        first, last = indices[0], indices[-1]
        slope = (values[-1] - values[0]) // (last - first) if last != first else 0
        intercept = values[0] - slope * first
        if all(v == slope * k + intercept for k, v in zip(indices, values, strict=True)):
            offset += intercept
            bound += abs(slope) * max(abs(k) for k in indices) + abs(intercept)
            if slope == 1:
                plus.append(column)
            elif slope == -1:
                minus.append(column)
            elif slope:
                scaled.append((column, slope))
        else:
            looked_up.append((j, values))
            bound += max(abs(v) for v in values)
    bound += abs(offset)
    dtype = next((t for t in (np.int8, np.int16, np.int32) if bound < np.iinfo(t).max), None)
    if dtype is None:
        return None
    lookups = tuple((int(columns[j]), _frozen(tables[j].astype(dtype))) for j, _ in looked_up)
    return Linear(dtype, offset, tuple(plus), tuple(minus), tuple(scaled), lookups)


def _integer_tables(tables: NDArray[np.float64]) -> NDArray[np.signedinteger] | None:
    """The value tables as int16 (or int32) when every value is whole and any row's sum fits.

    A scale is then one table lookup and one add per item on small integers, into
    an accumulator of the same type (about twice as fast as gathering the items'
    rows and summing them as float64); the sum is exact, as the float sum is.
    """
    if not np.array_equal(tables, np.floor(tables)):
        return None
    bound = float(np.abs(tables).max(axis=1).sum())
    for dtype in (np.int16, np.int32):
        if bound < np.iinfo(dtype).max:
            result: NDArray[np.signedinteger] = tables.astype(dtype)
            return _frozen(result)
    return None
