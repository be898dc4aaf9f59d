"""The one scoring engine: a validated 2-D array in, one array per scale out.

``score()`` and ``score_batch()`` both end here; nothing loops over rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from trivselscore.errors import IncompleteResponseError, ResponseError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore._instrument import Instrument
    from trivselscore._model import MissingRule, Scale

__all__ = ["POLICIES", "ScaleArrays", "flags", "run", "validate_codes"]

POLICIES = ("raise", "propagate", "prorate")

OK, TOO_FEW, INCOMPLETE, COMPONENT_MISSING = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class ScaleArrays:
    """Per-row results of one scale."""

    values: NDArray[np.float64]
    answered: NDArray[np.int64]
    prorated: NDArray[np.bool_]
    status: NDArray[np.int8]


def validate_codes(instrument: Instrument, data: NDArray[np.float64], *, single: bool) -> None:
    """Raise ``ResponseError`` for the first answer that is not an allowed code.

    Checks are per column (item), vectorised over rows.
    """
    for column, item in enumerate(instrument.items):
        values = data[:, column]
        bad = ~(np.isnan(values) | np.isin(values, item.codes))
        if bad.any():
            row = int(np.argmax(bad))
            value = values[row]
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


def run(
    instrument: Instrument,
    data: NDArray[np.float64],
    *,
    policy: str | None,
    single: bool,
) -> dict[str, ScaleArrays]:
    """Score every scale of ``instrument`` on ``data`` (rows x items, NaN = missing)."""
    columns = {item_id: i for i, item_id in enumerate(instrument.item_ids)}
    missing = np.isnan(data)
    if policy == "raise":
        _raise_on_missing(instrument, data, missing, columns, single=single)
    results: dict[str, ScaleArrays] = {}
    for scale in instrument.scales:
        rule = instrument.rule(scale.id, policy if policy not in POLICIES else None)
        kind = _kind(rule, policy, composite=bool(scale.scales))
        if scale.items:
            results[scale.id] = _item_scale(
                instrument,
                scale=scale,
                rule=rule,
                kind=kind,
                data=data,
                missing=missing,
                columns=columns,
            )
        else:
            results[scale.id] = _composite(scale, rule, kind, results)
    return results


def flags(instrument: Instrument, data: NDArray[np.float64]) -> dict[str, NDArray[np.bool_]]:
    """Per-row truth of each item flag of the instrument."""
    out: dict[str, NDArray[np.bool_]] = {}
    for flag in instrument.flags:
        idx = [instrument.item_ids.index(i) for i in flag.items]
        out[flag.id] = np.asarray(np.isin(data[:, idx], flag.codes).any(axis=1), dtype=np.bool_)
    return out


def _kind(
    rule: MissingRule, policy: str | None, *, composite: bool
) -> Literal["complete", "prorate", "zero_fill"]:
    if policy in {"raise", "propagate"}:
        return "complete"
    if policy == "prorate" and not composite:
        return "prorate"
    return rule.kind


def _item_scale(  # noqa: PLR0913 - the engine's inner step; all inputs are needed
    instrument: Instrument,
    *,
    scale: Scale,
    rule: MissingRule,
    kind: str,
    data: NDArray[np.float64],
    missing: NDArray[np.bool_],
    columns: dict[str, int],
) -> ScaleArrays:
    n_items = len(scale.items)
    idx = [columns[i] for i in scale.items]
    scored = np.empty((data.shape[0], n_items), dtype=np.float64)
    for j, item_id in enumerate(scale.items):
        lookup = instrument.item_values(scale, item_id)
        low = min(lookup)
        table = np.array([lookup.get(c, 0) for c in range(low, max(lookup) + 1)], dtype=np.float64)
        codes = np.where(missing[:, idx[j]], low, data[:, idx[j]]).astype(np.intp) - low
        scored[:, j] = table[codes]
    absent = missing[:, idx]
    scored[absent] = 0.0
    total = scored.sum(axis=1)
    answered = (~absent).sum(axis=1).astype(np.int64)
    values = np.full(data.shape[0], np.nan)
    status = np.zeros(data.shape[0], dtype=np.int8)
    prorated = np.zeros(data.shape[0], dtype=np.bool_)
    if kind == "complete":
        ok = answered == n_items
        values[ok] = total[ok]
        status[~ok] = INCOMPLETE
    else:
        ok = answered >= rule.min_answered
        status[~ok] = TOO_FEW
        if kind == "zero_fill":
            values[ok] = total[ok]
        else:
            safe = np.maximum(answered, 1)
            estimate = total * n_items / safe
            if rule.rounding == "half_up":
                estimate = np.floor(estimate + 0.5)
            values[ok] = estimate[ok]
            prorated = np.asarray(ok & (answered < n_items), dtype=np.bool_)
    values *= scale.multiplier
    if scale.gate is not None:
        gated = np.isin(data[:, columns[scale.gate.item]], scale.gate.codes)
        values[gated] = scale.gate.value * scale.multiplier
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
    stacked = np.column_stack([p.values for p in parts])
    absent = np.isnan(stacked)
    scored = (~absent).sum(axis=1)
    total = np.where(absent, 0.0, stacked).sum(axis=1)
    count = len(parts)
    needed = count if kind == "complete" else rule.min_answered
    ok = scored >= needed
    estimate = total * count / np.maximum(scored, 1)
    if rule.rounding == "half_up":
        estimate = np.where(scored < count, np.floor(estimate + 0.5), estimate)
    values = np.where(ok, estimate, np.nan) * scale.multiplier
    prorated = ok & ((scored < count) | np.column_stack([p.prorated for p in parts]).any(axis=1))
    status = np.where(ok, OK, COMPONENT_MISSING).astype(np.int8)
    answered = np.sum([p.answered for p in parts], axis=0).astype(np.int64)
    return ScaleArrays(values, answered, prorated, status)


def _raise_on_missing(
    instrument: Instrument,
    data: NDArray[np.float64],
    missing: NDArray[np.bool_],
    columns: dict[str, int],
    *,
    single: bool,
) -> None:
    needed = np.zeros_like(missing)
    for scale in instrument.scales:
        if not scale.items:
            continue
        rows = np.ones(data.shape[0], dtype=np.bool_)
        if scale.gate is not None:
            needed[:, columns[scale.gate.item]] = True
            rows = ~np.isin(data[:, columns[scale.gate.item]], scale.gate.codes)
        for item_id in scale.items:
            needed[:, columns[item_id]] |= rows
    gaps = needed & missing
    if gaps.any():
        row, column = (int(v) for v in np.argwhere(gaps)[0])
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
