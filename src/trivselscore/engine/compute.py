"""The one scoring engine: a 2-D array of answers in, one array per scale out.

``score_batch()`` ends here, and ``score()`` too when its scalar path
(:mod:`trivselscore.engine.single`) steps aside; nothing loops over rows.

How it stays fast and small (see ``docs/performance.md``): everything that
depends only on the instrument is computed once and cached
(:mod:`trivselscore.engine.plan`). The input is never copied whole: it is read a
block of rows at a time (:mod:`trivselscore.engine.codes`), in its own dtype,
and each block is scored into the result arrays, so every temporary stays small
and in cache. Within a block a scale is integer arithmetic on code indices: one
add (or subtract) per plainly (or reverse) keyed item and one table lookup per
recoded item when every item is answered, a table lookup per item otherwise.
The sums become float64 only when they are written into the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import numpy as np

from trivselscore.engine import codes as _codes
from trivselscore.engine import plan as _plan
from trivselscore.engine.filling import Filling, ScaleArrays
from trivselscore.errors import IncompleteResponseError

if TYPE_CHECKING:
    from collections.abc import Mapping

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
class Prepared:
    """A whole batch as code indices and masks, one row per item (items x rows).

    ``index[j, r]`` is ``code - low`` for a valid answer and ``span`` for a
    missing or invalid one; ``missing`` marks cells without an answer (NaN);
    ``invalid`` marks cells that are neither NaN nor an allowed code.
    """

    index: NDArray[np.signedinteger]
    missing: NDArray[np.bool_]
    invalid: NDArray[np.bool_]


def prepare(instrument: Instrument, data: NDArray[Any]) -> Prepared:
    """Convert ``data`` (rows x items, integer or float with NaN = missing) whole, for row checks."""
    index, missing, invalid = _codes.whole(_plan.plan(instrument), data)
    return Prepared(index, missing, invalid)


def cell_problems(
    instrument: Instrument, data: NDArray[Any], *, policy: str | None
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Rows x items masks (invalid, unanswered-but-needed) from one conversion.

    The second mask is all False unless ``policy == "raise"``. A row with no True
    in either can be scored; this finds bad rows without a loop over rows.
    """
    prepared = prepare(instrument, data)
    if policy == "raise":
        gaps = _needed_gaps(_plan.plan(instrument), prepared.index, prepared.missing)
    else:
        gaps = np.zeros_like(prepared.invalid)
    return prepared.invalid.T, gaps.T


def validate_codes(instrument: Instrument, data: NDArray[Any], *, single: bool) -> None:
    """Raise ``ResponseError`` for the first answer that is not an allowed code.

    "First" is the first item (column) with a bad value, then its first row.
    """
    tables = _plan.plan(instrument)
    for start in range(0, data.shape[0], _codes.BLOCK_ROWS):
        if _codes.convert(tables, data[start : start + _codes.BLOCK_ROWS]) is None:
            _codes.raise_invalid(instrument, tables, data, single=single)


def score_all(
    instrument: Instrument,
    data: NDArray[Any],
    *,
    policy: str | None,
    single: bool,
) -> tuple[dict[str, ScaleArrays], dict[str, NDArray[np.bool_]]]:
    """Validate, score every scale and evaluate every flag, a block of rows at a time.

    Raises:
        ResponseError: A value is not an allowed code (checked in every row first).
        IncompleteResponseError: A needed answer is missing and ``policy == "raise"``.
    """
    tables = _plan.plan(instrument)
    n = data.shape[0]
    results = _allocate(instrument, tables, n)
    flags = {flag_id: np.zeros(n, dtype=np.bool_) for flag_id in tables.flag_tables}
    rules = {}
    for scale in instrument.scales:
        rule = instrument.rule(scale.id, policy if policy not in POLICIES else None)
        rules[scale.id] = (rule, kind_of(rule, policy, composite=bool(scale.scales)))
    gap: tuple[int, int] | None = None
    for start in range(0, n, _codes.BLOCK_ROWS):
        block = _codes.convert(tables, data[start : start + _codes.BLOCK_ROWS])
        if block is None:
            _codes.raise_invalid(instrument, tables, data, single=single)
        if gap is not None:
            continue  # an error is due: only the check for invalid cells goes on
        if policy == "raise" and block.missing is not None:
            gaps = _needed_gaps(tables, block.index, block.missing)
            if gaps.any():
                row = int(np.argmax(gaps.any(axis=0)))
                gap = (start + row, int(np.argmax(gaps[:, row])))
                continue
        where = slice(start, start + block.index.shape[1])
        _score_block(instrument, tables, rules, block, results, where)
        for flag_id, (columns, table) in tables.flag_tables.items():
            raised = flags[flag_id][where]
            for column in columns:
                raised |= table[block.index[column]]
    if gap is not None:
        _raise_gap(instrument, *gap, single=single)
    return {scale_id: filling.finish() for scale_id, filling in results.items()}, flags


def kind_of(
    rule: MissingRule, policy: str | None, *, composite: bool
) -> Literal["complete", "prorate", "zero_fill"]:
    """How a scale treats missing answers under ``policy`` (its ``rule`` for the instrument's own)."""
    if policy in {"raise", "propagate"}:
        return "complete"
    if policy == "prorate" and not composite:
        return "prorate"
    return rule.kind


def _allocate(instrument: Instrument, tables: _plan.Plan, n: int) -> dict[str, Filling]:
    """The results, filled block by block."""
    out: dict[str, Filling] = {}
    for scale in instrument.scales:
        full = len(scale.items) if scale.items else sum(out[s].full for s in scale.scales)
        out[scale.id] = Filling(n, full, tables.count_dtype)
    return out


def _score_block(  # noqa: PLR0913, PLR0917 - one block of the engine's loop; all inputs are needed
    instrument: Instrument,
    tables: _plan.Plan,
    rules: Mapping[str, tuple[MissingRule, str]],
    block: _codes.Block,
    results: dict[str, Filling],
    where: slice,
) -> None:
    """Score every scale on one block, writing into ``results[...][where]``."""
    item_missing = None if block.missing is None else np.asarray(block.missing.any(axis=1))
    clean: set[str] = set()  # scales whose rows in this block are all scored from every part
    for scale in instrument.scales:
        rule, kind = rules[scale.id]
        out = results[scale.id]
        if scale.items:
            part = tables.scales[scale.id]
            answered_all = item_missing is None or not item_missing[part.columns].any()
            if answered_all and part.linear is not None:
                _linear_scale(part, part.linear, scale, block, out, where)
                clean.add(scale.id)
            else:
                _item_scale(part, scale=scale, rule=rule, kind=kind, block=block, out=out, where=where)
        elif all(s in clean for s in scale.scales):
            _clean_composite(scale, results, out, where)
            clean.add(scale.id)
        else:
            _composite(scale, rule, kind, results, out, where)


def _linear_scale(  # noqa: PLR0913, PLR0917 - the engine's inner step; all inputs are needed
    part: _plan.ItemScale,
    linear: _plan.Linear,
    scale: Scale,
    block: _codes.Block,
    out: Filling,
    where: slice,
) -> None:
    """Every item answered: the sum as adds and subtracts of code indices, exact in small integers."""
    index = block.index
    total = np.full(index.shape[1], linear.offset, dtype=linear.dtype)
    for column in linear.plus:
        total += index[column]
    for column in linear.minus:
        total -= index[column]
    for column, slope in linear.scaled:
        total += index[column].astype(linear.dtype) * linear.dtype(slope)
    for column, table in linear.looked_up:
        total += table[index[column]]
    values = out.values[where]
    np.copyto(values, total)  # the one conversion to float64, into the result
    if scale.multiplier != 1:
        values *= scale.multiplier
    out.clean(where)
    if part.gate_column is not None and part.gate_table is not None and scale.gate is not None:
        gated = part.gate_table[index[part.gate_column]]
        values[gated] = scale.gate.value * scale.multiplier


def _item_scale(  # noqa: PLR0913 - the engine's inner step; all inputs are needed
    part: _plan.ItemScale,
    *,
    scale: Scale,
    rule: MissingRule,
    kind: str,
    block: _codes.Block,
    out: Filling,
    where: slice,
) -> None:
    """Some items unanswered: one lookup per item (the missing slot scores 0), then the rule."""
    index = block.index
    n = index.shape[1]
    n_items = len(part.columns)
    total, unanswered = _sums(part, block)
    answered = (n_items - unanswered).astype(out.count_dtype)
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
        gated = part.gate_table[index[part.gate_column]]
        values[gated] = scale.gate.value * scale.multiplier if scale.gate is not None else 0
        status[gated] = OK
        prorated[gated] = False
    out.values[where] = values
    answered_out, prorated_out, status_out = out.detailed()
    answered_out[where] = answered
    prorated_out[where] = prorated
    status_out[where] = status


def _sums(part: _plan.ItemScale, block: _codes.Block) -> tuple[NDArray[np.float64], NDArray[Any]]:
    """The sum of the answered items' values (float64, exact) and the unanswered count per row."""
    index, missing = block.index, block.missing
    n = index.shape[1]
    # bools counted as int8 (a same-type add, several times faster than bool into int16)
    small = len(part.columns) < np.iinfo(np.int8).max
    unanswered: NDArray[Any] = np.zeros(n, dtype=np.int8 if small else np.int16)
    if missing is not None:
        for column in part.columns:
            unanswered += missing[column].view(np.int8)
    if part.int_tables is not None:
        exact = np.zeros(n, dtype=part.int_tables.dtype)
        for j, column in enumerate(part.columns):
            exact += part.int_tables[j].take(index[column])
        return exact.astype(np.float64), unanswered
    total = np.zeros(n, dtype=np.float64)
    for j, column in enumerate(part.columns):
        total += part.tables[j].take(index[column])
    return total, unanswered


def _clean_composite(scale: Scale, results: dict[str, Filling], out: Filling, where: slice) -> None:
    """Every component scored on every row of the block, none prorated: a plain sum."""
    parts = [results[s] for s in scale.scales]
    values = out.values[where]
    np.copyto(values, parts[0].values[where])  # 0 + v1 + v2 ... is v1 + v2 ...: no value is -0.0
    for part in parts[1:]:
        values += part.values[where]
    if scale.multiplier != 1:
        values *= scale.multiplier
    out.clean(where)


def _composite(  # noqa: PLR0913, PLR0917 - the engine's inner step; all inputs are needed
    scale: Scale,
    rule: MissingRule,
    kind: str,
    results: dict[str, Filling],
    out: Filling,
    where: slice,
) -> None:
    """A scale of scales: a plain sum where every part is scored, the missing rule on the rest.

    The sum runs over whole rows (a missing part makes it NaN); only the rows
    with a missing part are taken apart and scored by the rule: ``0 + v1 + v2``
    is ``v1 + v2`` for every value the engine makes (none is -0.0), so each row
    gets the same float64 result as summing its scored parts from 0.
    """
    parts = [results[s] for s in scale.scales]
    n = where.stop - where.start
    count = len(parts)
    values = out.values[where]
    np.copyto(values, parts[0].values[where])
    for part in parts[1:]:
        values += part.values[where]
    answered = np.zeros(n, dtype=out.count_dtype)
    prorated = np.zeros(n, dtype=np.bool_)
    for part in parts:
        answered += part.answered_in(where)
        prorated |= part.prorated_in(where)
    status = np.zeros(n, dtype=np.int8)
    gaps = np.flatnonzero(np.isnan(values))
    if gaps.size:
        total = np.zeros(gaps.size, dtype=np.float64)
        scored = np.zeros(gaps.size, dtype=np.int64)
        for part in parts:
            part_values = part.values[where][gaps]
            present = ~np.isnan(part_values)
            np.add(total, part_values, out=total, where=present)
            scored += present
        ok = scored >= (count if kind == "complete" else rule.min_answered)
        partial = ok & (scored < count)
        fixed = total  # parts may be fractional: no x * c / c round trip where all are scored
        if partial.any():  # never when the rule needs every component (SDQ total)
            with np.errstate(divide="ignore", invalid="ignore"):
                estimate = total * count / scored
            if rule.rounding == "half_up":
                np.floor(estimate + 0.5, out=estimate)
            fixed = np.where(partial, estimate, total)
        fixed[~ok] = np.nan
        values[gaps] = fixed
        status[gaps] = (~ok).view(np.int8) * np.int8(COMPONENT_MISSING)
        prorated[gaps] = ok & (partial | prorated[gaps])
    if scale.multiplier != 1:
        values *= scale.multiplier
    answered_out, prorated_out, status_out = out.detailed()
    answered_out[where] = answered
    prorated_out[where] = prorated
    status_out[where] = status


def _needed_gaps(
    tables: _plan.Plan, index: NDArray[np.signedinteger], missing: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Items x rows: an unanswered item that a scale needs (gated items are not needed)."""
    n = index.shape[1]
    needed = np.zeros_like(missing)
    for part in tables.scales.values():
        rows = np.ones(n, dtype=np.bool_)
        if part.gate_column is not None and part.gate_table is not None:
            needed[part.gate_column] = True
            rows = ~part.gate_table[index[part.gate_column]]
        for column in part.columns:
            needed[column] |= rows
    return needed & missing


def _raise_gap(instrument: Instrument, row: int, column: int, *, single: bool) -> NoReturn:
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
