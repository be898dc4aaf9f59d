"""Which scores a complete response can reach, and how to reach a given one.

Pure functions behind ``trivselscore.strategies.responses_near``: each item's
contribution to a scale's complete score, the attainable scores (a subset-sum
over the items), and for each item the codes that still leave a target reachable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trivselscore.support.cache import IdentityCache

if TYPE_CHECKING:
    from trivselscore.definitions.instrument import Instrument
    from trivselscore.definitions.model import CutoffScheme

__all__ = ["attainable", "boundary_targets", "item_weights", "solvable_codes"]

_Tables = tuple[dict[str, dict[int, int]], list[frozenset[int]]]
_CACHE: IdentityCache[_Tables] = IdentityCache(size=256)


def item_weights(definition: Instrument, scale_id: str) -> dict[str, dict[int, int]]:
    """Each item's contribution to the complete score of ``scale_id``, per code.

    Examples:
        >>> from trivselscore import get_instrument
        >>> item_weights(get_instrument("who5"), "percentage")["1"][5]
        20
    """
    return _prepared(definition, scale_id)[0]


def attainable(definition: Instrument, scale_id: str) -> frozenset[int]:
    """Every score a complete response can give ``scale_id``.

    Examples:
        >>> from trivselscore import get_instrument
        >>> sorted(attainable(get_instrument("who5"), "percentage"))[:4]
        [0, 4, 8, 12]
    """
    return _prepared(definition, scale_id)[1][0]


def solvable_codes(definition: Instrument, scale_id: str, index: int, remaining: int) -> tuple[int, ...]:
    """Codes of item ``index`` after which the later items can still add up to ``remaining``."""
    weights, suffix = _prepared(definition, scale_id)
    item = definition.items[index]
    after = suffix[index + 1]
    return tuple(code for code, weight in weights[item.id].items() if remaining - weight in after)


def boundary_targets(definition: Instrument, scale_id: str, scheme: CutoffScheme) -> tuple[int, ...]:
    """Attainable scores on each band edge and the nearest on either side.

    Examples:
        >>> from trivselscore import get_instrument
        >>> who5 = get_instrument("who5")
        >>> boundary_targets(who5, "percentage", who5.scheme("risk"))
        (0, 4, 48, 52, 96, 100)
    """
    reachable = sorted(attainable(definition, scale_id))
    edges = {
        edge
        for table in scheme.cutoffs
        if table.scale == scale_id
        for band in table.bands
        for edge in (band.lower, band.upper)
    }
    targets: set[int] = set()
    for edge in edges:
        below = [v for v in reachable if v < edge]
        above = [v for v in reachable if v > edge]
        if below:
            targets.add(below[-1])
        if above:
            targets.add(above[0])
        if edge in reachable:
            targets.add(int(edge))
    return tuple(sorted(targets))


def _prepared(definition: Instrument, scale_id: str) -> _Tables:
    return _CACHE.get(definition, lambda: _tables(definition, scale_id), extra=scale_id)


def _tables(definition: Instrument, scale_id: str) -> _Tables:
    weights = _weights(definition, scale_id, 1)
    suffix: list[frozenset[int]] = [frozenset({0})]
    for item in reversed(definition.items):
        if item.id in weights:
            previous = suffix[0]
            suffix.insert(0, frozenset(s + w for s in previous for w in set(weights[item.id].values())))
        else:
            suffix.insert(0, suffix[0])
    return weights, suffix


def _weights(definition: Instrument, scale_id: str, factor: int) -> dict[str, dict[int, int]]:
    scale = definition.scale(scale_id)
    factor *= scale.multiplier
    if scale.items:
        return {
            item_id: {code: value * factor for code, value in definition.item_values(scale, item_id).items()}
            for item_id in scale.items
        }
    combined: dict[str, dict[int, int]] = {}
    for part in scale.scales:
        for item_id, values in _weights(definition, part, factor).items():
            if item_id in combined:
                combined[item_id] = {c: combined[item_id][c] + values[c] for c in values}
            else:
                combined[item_id] = values
    return combined
