"""Answers to code indices: the engine's one conversion of its input, a block of rows at a time.

The engine never copies its input whole. It reads a block of rows (a few
thousand, so every temporary stays in the processor's cache), checks each cell
against its item's allowed codes, and turns the block into small-integer code
indices, one contiguous row per item:

* **integer input** (any signed or unsigned dtype) is read in its own dtype: one
  subtraction and one unsigned comparison per cell check the range (a value
  below the item's lowest code wraps round and fails it too), and an int8 array
  whose codes start at 0 is its own code index. Nothing can be missing.
* **float input** (NaN = missing) is cast to small integers once; a cell is a
  code only when the cast gives it back exactly (3.5, 7, inf fail).

A block with an invalid cell is not scored: :func:`raise_invalid` then finds the
first one in the whole input (first item, then first row) and raises
``ResponseError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, NoReturn

import numpy as np

from trivselscore.errors import ResponseError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument
    from trivselscore.engine.plan import Plan

__all__ = ["BLOCK_ROWS", "Block", "convert", "raise_invalid", "whole"]

BLOCK_ROWS: Final = 16384
"""Rows converted and scored at a time: a block of 35 int8 items is 0.5 MiB."""


@dataclass(frozen=True, slots=True)
class Block:
    """One block of rows as code indices, one contiguous row per item.

    ``index[j, r]`` is ``code - low`` for an answer and ``span`` (the missing slot)
    for a missing one; ``missing`` (items x rows) marks the missing cells, and is
    None when every cell is answered (always for integer input).
    """

    index: NDArray[np.signedinteger]
    missing: NDArray[np.bool_] | None


def convert(tables: Plan, rows: NDArray[Any]) -> Block | None:
    """The code indices of ``rows`` (a block of the input), or None if a cell is invalid."""
    index, ok = _items(tables, rows)
    if ok is None:
        return Block(index, None)
    missing = ~ok
    # every NaN fails the checks, so the failed cells are exactly the NaN ones iff the counts agree
    if rows.dtype.kind != "f" or np.count_nonzero(missing) != np.count_nonzero(np.isnan(rows)):
        return None
    np.copyto(index, index.dtype.type(tables.span), where=missing)  # the missing slot scores 0
    return Block(index, missing)


def whole(
    tables: Plan, data: NDArray[Any]
) -> tuple[NDArray[np.signedinteger], NDArray[np.bool_], NDArray[np.bool_]]:
    """(index, missing, invalid) of the whole input, items x rows: for error paths and row checks."""
    n, width = data.shape
    index = np.empty((width, n), dtype=tables.index_dtype)
    missing = np.zeros((width, n), dtype=np.bool_)
    invalid = np.zeros((width, n), dtype=np.bool_)
    for start in range(0, n, BLOCK_ROWS):
        rows = data[start : start + BLOCK_ROWS]
        where = slice(start, start + rows.shape[0])
        part, ok = _items(tables, rows)
        if ok is not None:
            nan = np.isnan(rows.T) if rows.dtype.kind == "f" else np.zeros(ok.shape, dtype=np.bool_)
            missing[:, where] = ~ok & nan
            invalid[:, where] = ~ok & ~nan
            np.copyto(part, part.dtype.type(tables.span), where=~ok)
        index[:, where] = part
    return index, missing, invalid


def raise_invalid(instrument: Instrument, tables: Plan, data: NDArray[Any], *, single: bool) -> NoReturn:
    """Raise ``ResponseError`` for the first invalid cell: the first item with one, then its first row."""
    _, _, invalid = whole(tables, data)
    column, row = (int(v) for v in np.argwhere(invalid)[0])
    item = instrument.items[column]
    value = data[row, column]
    finite = bool(np.isfinite(value))
    whole_number = finite and bool(value == np.floor(value))
    shown: object = int(value) if whole_number else float(value)
    reason = "is not an allowed code" if finite else "is not a finite number"
    if finite and not whole_number:
        reason = "is not a whole number"
    msg = f"item {item.id!r}: {shown!r} {reason}; allowed: {list(item.codes)}"
    raise ResponseError(
        msg,
        instrument_id=instrument.id,
        item_id=item.id,
        value=shown,
        allowed=item.codes,
        row=None if single else row,
    )


def _items(tables: Plan, rows: NDArray[Any]) -> tuple[NDArray[Any], NDArray[np.bool_] | None]:
    """Code indices, items x rows (a fresh array), and where cells are codes (None: all are).

    Where the mask is False the index is garbage. One-byte integers are transposed
    as they are; anything else is cast to the plan's small integer type first, and
    a cell the cast does not give back exactly (NaN, 3.5, 300 for int8) is set to
    a value below every code, which the range check then rejects. The range check
    runs on the transposed block: one comparison per item row against its width.
    """
    if not rows.dtype.isnative:  # big-endian input: native order first (the checks view the bytes)
        rows = rows.astype(rows.dtype.newbyteorder("="))
    ints: NDArray[Any]
    narrow = rows.dtype.kind in "iu" and rows.dtype.itemsize == 1
    if narrow and np.iinfo(rows.dtype).min <= tables.low <= tables.high <= np.iinfo(rows.dtype).max:
        ints = rows
    else:
        with np.errstate(invalid="ignore", over="ignore"):
            ints = rows.astype(tables.int_dtype)
        exact = ints == rows  # False for NaN and for anything the cast cut off
        if not exact.all():  # such cells -> low - 1 (plain arithmetic: faster than a masked copy)
            ints *= exact.view(np.int8)
            ints += (~exact).view(np.int8) * ints.dtype.type(tables.low - 1)
    items = ints.T.copy()
    lows = tables.item_low.astype(items.dtype)[:, np.newaxis]
    # code - item_low must lie in [0, item_high - item_low]: one unsigned comparison covers
    # both ends (a value below the lowest code wraps round to a large unsigned number)
    from_low = items - lows if tables.item_low.any() else items
    unsigned = np.dtype(f"u{items.dtype.itemsize}")
    widths = (tables.item_high.astype(np.int64) - tables.item_low).astype(unsigned)[:, np.newaxis]
    ok = from_low.view(unsigned) <= widths
    index = from_low if tables.same_start else items - items.dtype.type(tables.low)
    if index.dtype != tables.index_dtype:
        index = index.astype(tables.index_dtype)
    if not tables.contiguous:  # codes with holes: each in-range cell looked up in its item's table
        np.copyto(index, index.dtype.type(tables.span), where=~ok)
        for j in range(index.shape[0]):
            ok[j] &= tables.allowed[j][index[j]]
    return index, None if ok.all() else ok
