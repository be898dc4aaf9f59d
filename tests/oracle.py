"""A slow, obviously-correct pure-Python scorer used as a test oracle.

It reads the same definitions as the engine but shares none of its code: one
respondent at a time, plain loops, fractions for exact rounding.
"""

from __future__ import annotations

import math
from fractions import Fraction

from trivselscore import Instrument, MissingRule

POLICIES = ("raise", "propagate", "prorate")


def half_up(value: Fraction) -> int:
    """Round half up, exactly (floor(x + 1/2))."""
    return math.floor(value + Fraction(1, 2))


def item_value(instrument: Instrument, scale_id: str, item_id: str, code: int) -> int:
    scale = instrument.scale(scale_id)
    codes = instrument.item(item_id).codes
    if item_id in scale.reverse:
        return codes[0] + codes[-1] - code
    for recode in scale.recode:
        if recode.item == item_id:
            return dict(recode.values)[code]
    return code


def oracle_score(
    instrument: Instrument, row: list[int | None], policy: str | None = None
) -> dict[str, Fraction | None]:
    """Score one respondent; ``row`` in item order with None for missing."""
    answers = dict(zip(instrument.item_ids, row, strict=True))
    variant = policy if policy not in {None, *POLICIES} else None
    out: dict[str, Fraction | None] = {}
    for scale in instrument.scales:
        rule = instrument.rule(scale.id, variant)
        if scale.items:
            out[scale.id] = _item_scale(instrument, scale.id, answers, rule, policy)
        else:
            out[scale.id] = _composite(scale.scales, out, rule, policy, scale.multiplier)
    return out


def _item_scale(
    instrument: Instrument,
    scale_id: str,
    answers: dict[str, int | None],
    rule: MissingRule,
    policy: str | None,
) -> Fraction | None:
    scale = instrument.scale(scale_id)
    gate = scale.gate
    if gate is not None and answers[gate.item] in gate.codes:
        return Fraction(gate.value * scale.multiplier)
    codes = {i: code for i in scale.items if (code := answers[i]) is not None}
    given = [item_value(instrument, scale_id, i, code) for i, code in codes.items()]
    kind = rule.kind
    if policy in {"raise", "propagate"}:
        kind = "complete"
    elif policy == "prorate":
        kind = "prorate"
    n = len(scale.items)
    if kind == "complete":
        value = Fraction(sum(given)) if len(given) == n else None
    elif len(given) < rule.min_answered:
        value = None
    elif kind == "zero_fill":
        value = Fraction(sum(given))
    else:
        value = Fraction(sum(given) * n, len(given))
        if rule.rounding == "half_up":
            value = Fraction(half_up(value))
    return None if value is None else value * scale.multiplier


def _composite(
    parts: tuple[str, ...],
    out: dict[str, Fraction | None],
    rule: MissingRule,
    policy: str | None,
    multiplier: int,
) -> Fraction | None:
    values = [out[p] for p in parts]
    present = [v for v in values if v is not None]
    kind = "complete" if policy in {"raise", "propagate"} else rule.kind
    needed = len(parts) if kind == "complete" else rule.min_answered
    if len(present) < needed:
        return None
    total = Fraction(sum(present))
    if len(present) < len(parts):
        total = total * len(parts) / len(present)
        if rule.rounding == "half_up":
            total = Fraction(half_up(total))
    return total * multiplier
