"""The one scoring engine: a validated 2-D array in, one array per scale out.

``score_batch()`` ends here, and ``score()`` too when its scalar path
(:mod:`trivselscore.engine.single`) steps aside; nothing loops over rows.

How it stays fast (see ``docs/performance.md``): everything that depends only
on the instrument is computed once and cached (:mod:`trivselscore.engine.plan`). A
batch is converted once (:func:`prepare`) to int8 code indices, checked with a
few whole-array passes, and transposed so each item is contiguous; a scale is
then one small-integer table lookup and one add per item (keys and recodes are
in the table).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from trivselscore.engine import plan as _plan
from trivselscore.errors import IncompleteResponseError, ResponseError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument
    from trivselscore.definitions.model import MissingRule, Scale

__all__ = [
    "POLICIES",
    "Prepared",
    "ScaleArrays",
    "cell_problems",
    "kind_of",
    "prepare",
    "score_all",
    "validate_codes",
]

POLICIES = ("raise", "propagate", "prorate")

OK, TOO_FEW, INCOMPLETE, COMPONENT_MISSING = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class ScaleArrays:
    """Per-row results of one scale."""

    values: NDArray[np.float64]
    answered: NDArray[np.int64]
    prorated: NDArray[np.bool_]
    status: NDArray[np.int8]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A batch converted once: code indices and masks, one contiguous row per item.

    ``index[j, r]`` is ``code - low`` for a valid answer and ``span`` for a
    missing or invalid one; ``missing`` (items x rows) marks cells without a valid
    answer (NaN, or invalid); ``invalid`` (items x rows) marks cells that are
    neither NaN nor an allowed code. A batch with invalid cells is never scored.
    """

    index: NDArray[np.signedinteger]
    missing: NDArray[np.bool_]
    invalid: NDArray[np.bool_]


def prepare(instrument: Instrument, data: NDArray[np.float64]) -> Prepared:
    """Convert ``data`` (rows x items, float, NaN = missing) to code indices once.

    Any float that is not exactly an allowed code of its item (3.5, 7, inf) is
    marked invalid; nothing is rounded or clipped. Work is done row-major on
    small integers; only the int8/int16 index matrix is transposed.
    """
    tables = _plan.plan(instrument)
    with np.errstate(invalid="ignore", over="ignore"):
        ints = data.astype(tables.int_dtype)
    ok = np.asarray(ints == data)  # whole numbers within the integer type; False for NaN
    index = ints if tables.index_dtype is tables.int_dtype else ints.astype(tables.index_dtype)
    if tables.low:
        index -= tables.index_dtype(tables.low)
    # code - low must lie in [item_low - low, item_high - low]: one unsigned comparison
    # covers both ends when every item starts at the lowest code (wrapped values fail it)
    unsigned = np.dtype(f"u{index.dtype.itemsize}")
    ok &= index.view(unsigned) <= (tables.item_high.astype(np.int64) - tables.low).astype(unsigned)
    if bool((tables.item_low != tables.low).any()):
        ok &= index >= (tables.item_low.astype(np.int64) - tables.low).astype(tables.index_dtype)
    if not tables.contiguous:
        np.copyto(index, tables.index_dtype(tables.span), where=~ok)
        for j in range(index.shape[1]):
            ok[:, j] &= tables.allowed[j].take(index[:, j])
    not_ok = ~ok
    index *= ok  # invalid or missing cells -> span (the missing slot), without a masked copy
    index += not_ok.view(np.int8) * tables.index_dtype(tables.span)
    invalid = not_ok
    invalid &= ~np.isnan(data)
    index_t = _transpose(index)
    return Prepared(index_t, index_t == tables.span, invalid.T)


_BLOCK = 4096


def _transpose(matrix: NDArray[np.signedinteger]) -> NDArray[np.signedinteger]:
    """A C-contiguous transpose, in blocks of rows that stay in cache (about 3x faster for int8)."""
    out = np.empty(matrix.shape[::-1], dtype=matrix.dtype)
    for start in range(0, matrix.shape[0], _BLOCK):
        out[:, start : start + _BLOCK] = matrix[start : start + _BLOCK].T
    return out


def cell_problems(
    instrument: Instrument, data: NDArray[np.float64], *, policy: str | None
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Rows x items masks (invalid, unanswered-but-needed) from one conversion.

    The second mask is all False unless ``policy == "raise"``. A row with no True
    in either can be scored; this finds bad rows without a loop over rows.
    """
    prepared = prepare(instrument, data)
    if policy == "raise":
        gaps = _needed_gaps(instrument, prepared) & ~prepared.invalid
    else:
        gaps = np.zeros_like(prepared.invalid)
    return prepared.invalid.T, gaps.T


def score_all(
    instrument: Instrument,
    data: NDArray[np.float64],
    *,
    policy: str | None,
    single: bool,
) -> tuple[dict[str, ScaleArrays], dict[str, NDArray[np.bool_]]]:
    """Validate, score every scale and evaluate every flag, converting ``data`` once.

    Raises:
        ResponseError: A value is not an allowed code.
        IncompleteResponseError: A needed answer is missing and ``policy == "raise"``.
    """
    prepared = prepare(instrument, data)
    _raise_invalid(instrument, data, prepared, single=single)
    return _run(instrument, data, prepared, policy, single=single), _flags(instrument, prepared)


def validate_codes(instrument: Instrument, data: NDArray[np.float64], *, single: bool) -> None:
    """Raise ``ResponseError`` for the first answer that is not an allowed code.

    "First" is the first item (column) with a bad value, then its first row.
    """
    _raise_invalid(instrument, data, prepare(instrument, data), single=single)


def _raise_invalid(
    instrument: Instrument, data: NDArray[np.float64], prepared: Prepared, *, single: bool
) -> None:
    if not prepared.invalid.any():
        return
    column, row = (int(v) for v in np.argwhere(prepared.invalid)[0])
    item = instrument.items[column]
    value = data[row, column]
    shown: object = int(value) if np.isfinite(value) and value == np.floor(value) else float(value)
    reason = "is not an allowed code" if np.isfinite(value) else "is not a finite number"
    if np.isfinite(value) and value != np.floor(value):
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


def _run(
    instrument: Instrument,
    data: NDArray[np.float64],
    prepared: Prepared,
    policy: str | None,
    *,
    single: bool,
) -> dict[str, ScaleArrays]:
    if policy == "raise":
        _raise_on_missing(instrument, prepared, single=single)
    tables = _plan.plan(instrument)
    n = data.shape[0]
    results: dict[str, ScaleArrays] = {}
    for scale in instrument.scales:
        rule = instrument.rule(scale.id, policy if policy not in POLICIES else None)
        kind = kind_of(rule, policy, composite=bool(scale.scales))
        if scale.items:
            results[scale.id] = _item_scale(
                tables.scales[scale.id], scale=scale, rule=rule, kind=kind, prepared=prepared, n=n
            )
        else:
            results[scale.id] = _composite(scale, rule, kind, results)
    return results


def _flags(instrument: Instrument, prepared: Prepared) -> dict[str, NDArray[np.bool_]]:
    tables = _plan.plan(instrument)
    out: dict[str, NDArray[np.bool_]] = {}
    for flag_id, (columns, table) in tables.flag_tables.items():
        raised = np.zeros(prepared.index.shape[1], dtype=np.bool_)
        for column in columns:
            raised |= table.take(prepared.index[column])
        out[flag_id] = raised
    return out


def kind_of(
    rule: MissingRule, policy: str | None, *, composite: bool
) -> Literal["complete", "prorate", "zero_fill"]:
    """How a scale treats missing answers under ``policy`` (its ``rule`` for the instrument's own)."""
    if policy in {"raise", "propagate"}:
        return "complete"
    if policy == "prorate" and not composite:
        return "prorate"
    return rule.kind


def _item_scale(  # noqa: PLR0913 - the engine's inner step; all inputs are needed
    part: _plan.ItemScale,
    *,
    scale: Scale,
    rule: MissingRule,
    kind: str,
    prepared: Prepared,
    n: int,
) -> ScaleArrays:
    n_items = len(part.columns)
    # one lookup and one add per item, on the item's contiguous row (the missing slot scores 0)
    unanswered = np.zeros(n, dtype=np.int16)
    if part.int_tables is not None:
        exact = np.zeros(n, dtype=part.int_tables.dtype)
        for j, column in enumerate(part.columns):
            exact += part.int_tables[j].take(prepared.index[column])
            unanswered += prepared.missing[column]
        total = exact.astype(np.float64)
    else:
        total = np.zeros(n, dtype=np.float64)
        for j, column in enumerate(part.columns):
            total += part.tables[j].take(prepared.index[column])
            unanswered += prepared.missing[column]
    answered = (n_items - unanswered).astype(np.int64)
    if kind == "complete":
        ok = answered == n_items
        failed = INCOMPLETE
        values = np.where(ok, total, np.nan)
        prorated = np.zeros(n, dtype=np.bool_)
    else:
        ok = answered >= rule.min_answered
        failed = TOO_FEW
        if kind == "zero_fill":
            values = np.where(ok, total, np.nan)
            prorated = np.zeros(n, dtype=np.bool_)
        else:
            # one formula for every row: total x items / answered is exact when all
            # are answered, and half-up rounding leaves a whole number unchanged
            with np.errstate(divide="ignore", invalid="ignore"):
                estimate = total * n_items / answered
            if rule.rounding == "half_up":
                np.floor(estimate + 0.5, out=estimate)
            values = np.where(ok, estimate, np.nan)
            prorated = ok & (answered < n_items)
    status = (~ok).view(np.int8) * np.int8(failed)
    if scale.multiplier != 1:
        values *= scale.multiplier
    if part.gate_column is not None and part.gate_table is not None:
        gated = part.gate_table.take(prepared.index[part.gate_column])
        values[gated] = scale.gate.value * scale.multiplier if scale.gate is not None else 0
        status[gated] = OK
        prorated[gated] = False
    return ScaleArrays(values, answered, prorated, status)


def _composite(
    scale: Scale,
    rule: MissingRule,
    kind: str,
    results: dict[str, ScaleArrays],
) -> ScaleArrays:
    parts = [results[s] for s in scale.scales]
    n = parts[0].values.shape[0]
    count = len(parts)
    total = np.zeros(n, dtype=np.float64)
    scored = np.zeros(n, dtype=np.int64)
    any_prorated = np.zeros(n, dtype=np.bool_)
    answered = np.zeros(n, dtype=np.int64)
    for part in parts:
        present = ~np.isnan(part.values)
        np.add(total, part.values, out=total, where=present)
        scored += present
        any_prorated |= part.prorated
        answered += part.answered
    needed = count if kind == "complete" else rule.min_answered
    ok = scored >= needed
    partial = ok & (scored < count)
    values = total  # parts may be fractional: no x * c / c round trip where all are scored
    if partial.any():  # never when the rule needs every component (SDQ total): no estimate to make
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = total * count / scored
        if rule.rounding == "half_up":
            np.floor(estimate + 0.5, out=estimate)
        values = np.where(partial, estimate, total)
    values[~ok] = np.nan
    if scale.multiplier != 1:
        values *= scale.multiplier
    prorated = ok & (partial | any_prorated)
    status = (~ok).view(np.int8) * np.int8(COMPONENT_MISSING)
    return ScaleArrays(values, answered, prorated, status)


def _needed_gaps(instrument: Instrument, prepared: Prepared) -> NDArray[np.bool_]:
    """Items x rows: an unanswered item that a scale needs (gated items are not needed)."""
    tables = _plan.plan(instrument)
    n = prepared.index.shape[1]
    needed = np.zeros_like(prepared.missing)
    for part in tables.scales.values():
        rows = np.ones(n, dtype=np.bool_)
        if part.gate_column is not None and part.gate_table is not None:
            needed[part.gate_column] = True
            rows = ~part.gate_table.take(prepared.index[part.gate_column])
        for column in part.columns:
            needed[column] |= rows
    return needed & prepared.missing


def _raise_on_missing(instrument: Instrument, prepared: Prepared, *, single: bool) -> None:
    gaps = _needed_gaps(instrument, prepared)
    if gaps.any():
        row = int(np.argmax(gaps.any(axis=0)))
        column = int(np.argmax(gaps[:, row]))
        item = instrument.items[column]
        msg = f"item {item.id!r} is unanswered and missing='raise'; allowed: {list(item.codes)}"
        raise IncompleteResponseError(
            msg,
            instrument_id=instrument.id,
            item_id=item.id,
            value=None,
            allowed=item.codes,
            row=None if single else row,
        )
