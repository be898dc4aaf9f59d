"""Which scores a complete response can reach, and how to reach a given one.

Pure functions behind ``trivselscore.strategies.responses_near``: each item's
contribution to a scale's complete score, the attainable scores (a subset-sum
over the items), and for each item the codes that still leave a target reachable.
For a scheme that bands the T-score, :func:`t_score_targets` finds the raw
scores on either side of each band edge for one respondent under a norm table,
with the same T-score and band functions the engine uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from trivselscore.definitions.instrument import resolve_norms
from trivselscore.definitions.model import Respondent
from trivselscore.definitions.norms import t_scores
from trivselscore.engine.bands import band_ids
from trivselscore.support.cache import IdentityCache

if TYPE_CHECKING:
    from trivselscore.definitions.instrument import Instrument
    from trivselscore.definitions.model import CutoffScheme
    from trivselscore.definitions.norms import NormTable

__all__ = [
    "attainable",
    "boundary_targets",
    "item_weights",
    "norm_targets",
    "solvable_codes",
    "t_score_targets",
]

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


def t_score_targets(
    definition: Instrument,
    scale_id: str,
    scheme: CutoffScheme,
    norms: NormTable,
    respondent: Respondent,
) -> tuple[int, ...]:
    """Attainable raw scores just below and at or above each T-score band edge, for one respondent.

    Raises:
        ValueError: The norm table gives this respondent no T-score (age or sex
            missing or not covered), or no attainable raw score crosses a band edge.

    Examples:
        >>> from trivselscore import Respondent, get_instrument
        >>> scas_p = get_instrument("scas-p")
        >>> boy = Respondent(age=13, sex="male")  # Nauta 2004, boys 12-18: total 11.8 (SD 8.3)
        >>> t_score_targets(scas_p, "total", scas_p.scheme("t60"), scas_p.norms[0], boy)
        (20, 21)
    """
    reachable = sorted(attainable(definition, scale_id))
    n = len(reachable)
    values = np.array(reachable, dtype=np.float64)
    ages = np.full(n, np.nan if respondent.age is None else float(respondent.age))
    sexes = np.full(n, respondent.sex or "", dtype="<U6")
    t, reasons = t_scores(norms, scale_id, values, ages, sexes)
    if np.isnan(t).all():
        raise ValueError(str(reasons[0]))
    ids = band_ids(scheme, scale_id, t, ages, sexes)
    targets = {v for i in range(1, n) if ids[i] != ids[i - 1] for v in (reachable[i - 1], reachable[i])}
    if not targets:
        msg = f"no attainable raw score of {scale_id!r} crosses a band edge of {scheme.id!r} for {respondent}"
        raise ValueError(msg)
    return tuple(sorted(targets))


def norm_targets(
    definition: Instrument,
    scale_id: str,
    scheme_id: str,
    respondent: Respondent | None,
    norms: NormTable | str | None,
) -> tuple[int, ...]:
    """:func:`t_score_targets` for ``responses_near``'s arguments, with a message for each gap.

    Raises:
        ValueError: No norm table (the message says how to pair a table and a
            respondent with ``respondents()``), no respondent, a respondent the
            table does not cover, or a table that does not fit the instrument.
    """
    pairing = (
        f"pass norms=NormTable(...) and respondent=Respondent(age=..., sex=...), e.g. "
        f"respondents(...).flatmap(lambda person: responses_near({definition.id!r}, {scale_id!r}, "
        f"norms=table, respondent=person)), and score each pair with score(..., respondent=person, "
        f"norms=table)"
    )
    table = resolve_norms(definition, norms)
    if table is None:
        msg = (
            f"scheme {scheme_id!r} of {definition.id} bands the T-score, and {definition.id} ships no "
            f"norm table, so no raw score of {scale_id!r} is near a band edge until a norm table places "
            f"T = 60. To aim at the edges, {pairing}. To aim at the raw score's range instead, use "
            f"responses({definition.id!r})"
        )
        raise ValueError(msg)
    if respondent is None:
        msg = (
            f"scheme {scheme_id!r} of {definition.id} bands the T-score: the raw score at each edge "
            f"depends on the respondent's norm group in {table.id!r}; {pairing}"
        )
        raise ValueError(msg)
    checked: object = respondent
    if not isinstance(checked, Respondent):
        msg = f"respondent must be a Respondent, not {checked!r}"
        raise TypeError(msg)
    try:
        return t_score_targets(definition, scale_id, definition.scheme(scheme_id), table, respondent)
    except ValueError as error:
        msg = f"{definition.id}, scale {scale_id!r}: {error}"
        raise ValueError(msg) from None


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
