"""``score()`` of one respondent in plain Python: the numpy engine's rules on small ints.

A municipal system and the HTTP service score one questionnaire at a time. For
one row, the numpy engine costs about a hundred array calls of a microsecond
each; this module compiles, once per instrument (cached by identity, as the
plan is), the same lookup tables as Python tuples and dicts, and evaluates one
respondent with the same arithmetic: float64 operations in the same order,
half-up rounding, multipliers, then gates. Bands come from
:func:`trivselscore.engine.bands.assign_one`, the rule the batch uses for one
row, and reasons from :func:`trivselscore.engine.results.scale_reason`.

It answers only when its answer is the one ``score_batch(...).row(0)`` gives;
otherwise :func:`evaluate` returns None and ``score()`` takes the numpy path,
which also raises every error (so this path never words an error). It steps
aside for:

* an answer that is not an ``int`` (a bool is not), a whole ``float``, NaN or
  None, or not an allowed code; a sequence that is not a list or tuple of the
  right length; a mapping that is not a dict, or an unknown or repeated key;
* an option that is not valid, a ``norms`` argument, or an instrument with norm
  tables or a T-score scheme (T-scores are :mod:`trivselscore.definitions.norms`,
  vectorised; a scalar copy would write that logic twice);
* ``missing="raise"`` with a needed answer missing, and ``age_policy="raise"``
  with an age outside the range;
* codes the plan cannot hold (the plan's own error, raised by the numpy path).

``tests/engine/test_single_path.py`` checks, with Hypothesis on random and
shipped instruments, that both paths give equal results and equal errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from trivselscore.definitions.model import Respondent
from trivselscore.engine import ages as _ages
from trivselscore.engine import bands as _bands
from trivselscore.engine import compute as _engine
from trivselscore.engine import plan as _plan
from trivselscore.engine.models import BandResult, Flag, ScaleScore, Score, build
from trivselscore.engine.reasons import age_flag, scale_reason
from trivselscore.engine.single_input import codes_of
from trivselscore.support.cache import IdentityCache

if TYPE_CHECKING:
    from collections.abc import Mapping

    from trivselscore.definitions.instrument import Instrument
    from trivselscore.definitions.model import Band, CutoffScheme, ItemFlag

__all__ = ["Compiled", "compiled", "evaluate"]

_CACHE_SIZE = 64
_BAND_CACHE_SIZE = 4096
_NAN = math.nan


@dataclass(frozen=True, slots=True)
class _Part:
    """One scale, compiled: its items (or component scales), keys, gate and bands."""

    scale_id: str
    columns: tuple[int, ...]  # item scales: the items' columns
    values: tuple[Mapping[int, int], ...]  # per item: code -> scored value
    components: tuple[int, ...]  # composites: the positions of the component scales
    component_ids: tuple[str, ...]
    multiplier: float
    gate_column: int | None
    gate_codes: frozenset[int]
    gate_value: float
    parts: int
    schemes: tuple[tuple[CutoffScheme, tuple[Band, ...]], ...]  # schemes banding the scale


@dataclass(frozen=True, slots=True)
class Compiled:
    """Everything the scalar path reuses between calls for one instrument."""

    instrument: Instrument
    width: int
    names: Mapping[str, int]  # item id or alias -> column
    codes: tuple[frozenset[int], ...]  # allowed codes per column
    parts: tuple[_Part, ...]
    flags: tuple[tuple[int, ItemFlag, tuple[int, ...], frozenset[int]], ...]
    variants: frozenset[str]
    scheme_ids: frozenset[str]
    normed: bool  # norm tables or a T-score scheme: the numpy path scores it
    rules: dict[str | None, tuple[tuple[str, int, bool], ...]] = field(default_factory=dict)
    results: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # frozen BandResult/Flag, shared


_COMPILED: IdentityCache[Compiled | None] = IdentityCache(_CACHE_SIZE)


def compiled(instrument: Instrument) -> Compiled | None:
    """The cached scalar tables of ``instrument`` (None: its codes do not fit the engine's plan)."""
    return _COMPILED.get(instrument, lambda: _compile(instrument))


def _compile(instrument: Instrument) -> Compiled | None:
    try:
        _plan.plan(instrument)
    except ValueError:  # the numpy path raises it, after its own input checks
        return None
    columns = {item_id: j for j, item_id in enumerate(instrument.item_ids)}
    positions = {scale.id: k for k, scale in enumerate(instrument.scales)}
    parts = []
    for scale in instrument.scales:
        gate = scale.gate
        schemes = tuple(
            (scheme, _bands.flat_bands(scheme, scale.id))
            for scheme in instrument.schemes
            if scale.id in scheme.scale_ids
        )
        parts.append(
            _Part(
                scale_id=scale.id,
                columns=tuple(columns[i] for i in scale.items),
                values=tuple(instrument.item_values(scale, i) for i in scale.items),
                components=tuple(positions[s] for s in scale.scales),
                component_ids=tuple(scale.scales),
                multiplier=scale.multiplier,
                gate_column=None if gate is None else columns[gate.item],
                gate_codes=frozenset(() if gate is None else gate.codes),
                gate_value=0.0 if gate is None else float(gate.value * scale.multiplier),
                parts=len(instrument.scale_items(scale.id)),
                schemes=schemes,
            )
        )
    return Compiled(
        instrument=instrument,
        width=len(instrument.item_ids),
        names={name: columns[item.id] for item in instrument.items for name in (item.id, *item.aliases)},
        codes=tuple(frozenset(item.codes) for item in instrument.items),
        parts=tuple(parts),
        flags=tuple(
            (k, flag, tuple(columns[i] for i in flag.items), frozenset(flag.codes))
            for k, flag in enumerate(instrument.flags)
        ),
        variants=frozenset(v.id for v in instrument.missing_variants),
        scheme_ids=frozenset(s.id for s in instrument.schemes),
        normed=bool(instrument.norms) or any(s.metric == "t_score" for s in instrument.schemes),
    )


def _rules(table: Compiled, policy: str | None) -> tuple[tuple[str, int, bool], ...]:
    """Per scale: (kind, min_answered, half-up rounding) under ``policy``, as the engine picks them."""
    found = table.rules.get(policy)
    if found is None:
        instrument = table.instrument
        variant = policy if policy not in _engine.POLICIES else None
        rules = [(scale, instrument.rule(scale.id, variant)) for scale in instrument.scales]
        found = tuple(
            (
                _engine.kind_of(rule, policy, composite=bool(scale.scales)),
                rule.min_answered,
                rule.rounding == "half_up",
            )
            for scale, rule in rules
        )
        table.rules[policy] = found
    return found


def evaluate(  # noqa: PLR0913 - score()'s options, passed through
    instrument: Instrument,
    responses: object,
    *,
    missing: object,
    respondent: object,
    scheme: object,
    norms: object,
    age_policy: object,
    library_version: str,
) -> Score | None:
    """``score()`` of one respondent without numpy, or None where the numpy path must answer."""
    table = compiled(instrument)
    if table is None or not _plain_options(table, missing, scheme, norms, age_policy):
        return None
    if respondent is not None and not isinstance(respondent, Respondent):
        return None
    row = codes_of(responses, width=table.width, names=table.names, codes=table.codes)
    if row is None or (missing == "raise" and _gaps(table, row)):
        return None
    age = _NAN if respondent is None or respondent.age is None else float(respondent.age)
    sex = "" if respondent is None or respondent.sex is None else respondent.sex
    age_range = instrument.age_range
    outside = (
        age_range is not None and not math.isnan(age) and not age_range[0] <= math.floor(age) <= age_range[1]
    )
    if outside and age_policy == "raise":
        return None
    variant = cast("str | None", missing)  # checked by _plain_options
    policy = "default" if variant is None else variant
    chosen = cast("str | None", scheme) if scheme is not None else instrument.default_scheme
    reason = _ages.reason(instrument.id, age_range, age) if outside and age_range is not None else None
    scales = _scales(
        table, row, rules=_rules(table, variant), policy=policy, chosen=chosen, person=(age, sex, reason)
    )
    raised = _flags(table, row)
    if reason is not None:
        raised = (*raised, age_flag(instrument, reason))
    return build(
        Score,
        {
            "instrument_id": instrument.id,
            "instrument_version": instrument.version,
            "library_version": library_version,
            "policy": missing if missing is not None else "default",
            "scheme": chosen,
            "respondent": respondent,
            "scales": scales,
            "flags": raised,
            "norms": None,
        },
    )


def _plain_options(
    table: Compiled, missing: object, scheme: object, norms: object, age_policy: object
) -> bool:
    """Whether the options are valid and need no T-scores (else the numpy path checks or scores them)."""
    if table.normed or norms is not None:
        return False
    if missing is not None and not (
        isinstance(missing, str) and (missing in _engine.POLICIES or missing in table.variants)
    ):
        return False
    if scheme is not None and not (isinstance(scheme, str) and scheme in table.scheme_ids):
        return False
    return isinstance(age_policy, str) and age_policy in _ages.AGE_POLICIES


def _gaps(table: Compiled, row: list[int | None]) -> bool:
    """Whether a scale needs an unanswered item (a gated scale needs only its gate)."""
    for part in table.parts:
        if part.gate_column is not None:
            gate = row[part.gate_column]
            if gate is None:
                return True
            if gate in part.gate_codes:
                continue
        if any(row[column] is None for column in part.columns):
            return True
    return False


def _scales(  # noqa: C901, PLR0912, PLR0913, PLR0915 - the engine's arithmetic for one row, in one place
    table: Compiled,
    row: list[int | None],
    *,
    rules: tuple[tuple[str, int, bool], ...],
    policy: str,
    chosen: str | None,
    person: tuple[float, str, str | None],
) -> tuple[ScaleScore, ...]:
    values: list[float] = []
    counts: list[int] = []
    prorations: list[bool] = []
    out: list[ScaleScore] = []
    for part, (kind, need, half_up) in zip(table.parts, rules, strict=True):
        if part.columns:
            total = answered = 0
            for column, scored in zip(part.columns, part.values, strict=True):
                code = row[column]
                if code is not None:
                    total += scored[code]
                    answered += 1
            count = len(part.columns)
            prorated = False
            if kind == "complete":
                ok, failed = answered == count, _engine.INCOMPLETE
                value = float(total) if ok else _NAN
            else:
                ok, failed = answered >= need, _engine.TOO_FEW
                value = float(total) if ok else _NAN
                if ok and kind == "prorate":
                    value = value * count / answered  # the engine's one formula for every row
                    if half_up:
                        value = float(math.floor(value + 0.5))
                    prorated = answered < count
            status = _engine.OK if ok else failed
            if part.multiplier != 1:
                value *= part.multiplier
            if part.gate_column is not None and row[part.gate_column] in part.gate_codes:
                value, status, prorated = part.gate_value, _engine.OK, False
        else:
            total_f = 0.0
            scored_parts = answered = 0
            any_prorated = False
            for k in part.components:
                if values[k] == values[k]:
                    total_f += values[k]
                    scored_parts += 1
                any_prorated = any_prorated or prorations[k]
                answered += counts[k]
            count = len(part.components)
            ok = scored_parts >= (count if kind == "complete" else need)
            partial = ok and scored_parts < count
            value = total_f
            if partial:
                value = total_f * count / scored_parts
                if half_up:
                    value = float(math.floor(value + 0.5))
            if not ok:
                value = _NAN
            if part.multiplier != 1:
                value *= part.multiplier
            prorated = ok and (partial or any_prorated)
            status = _engine.OK if ok else _engine.COMPONENT_MISSING
        values.append(value)
        counts.append(answered)
        prorations.append(prorated)
        reason = None
        if status != _engine.OK:
            absent = tuple(
                s for s, k in zip(part.component_ids, part.components, strict=True) if values[k] != values[k]
            )
            reason = scale_reason(
                table.instrument, policy, part.scale_id, status=status, answered=answered, missing=absent
            )
        bands = _band_results(table, part, value, person)
        out.append(
            build(
                ScaleScore,
                {
                    "scale": part.scale_id,
                    "value": None if value != value else (int(value) if value.is_integer() else value),  # noqa: PLR0124 - NaN test
                    "band": next((b.band for b in bands if b.scheme == chosen), None),
                    "answered": answered,
                    "parts": part.parts,
                    "prorated": prorated,
                    "reason": reason,
                    "bands": bands,
                    "t_score": None,
                    "t_score_reason": None,
                },
            )
        )
    return tuple(out)


def _band_results(
    table: Compiled, part: _Part, value: float, person: tuple[float, str, str | None]
) -> tuple[BandResult, ...]:
    """The scale's band under every scheme that bands it; identical results are shared (frozen)."""
    age, sex, outside = person
    scored = value == value  # noqa: PLR0124 - NaN test without a call
    year = math.floor(age) if age == age else None  # noqa: PLR0124 - assign_one reads only this of the age
    results = []
    cache = table.results
    for scheme, flat in part.schemes:
        if outside is not None and scored:  # scored, but no band outside the age range
            key: tuple[Any, ...] = (scheme.id, part.scale_id, "outside", outside)
        else:
            key = (scheme.id, part.scale_id, value if scored else None, year, sex)
        found = cache.get(key)
        if found is None:
            reason: str | None
            band: Band | None
            if outside is not None and scored:
                band, reason = None, outside
            else:
                position, code = _bands.assign_one(scheme, part.scale_id, value, age, sex)
                band = flat[position] if position != _bands.NO_BAND else None
                reason = _bands.reason_text(code, scheme.id)
            found = build(
                BandResult,
                {
                    "scheme": scheme.id,
                    "band": None if band is None else band.id,
                    "label_en": None if band is None else band.label_en,
                    "label_da": None if band is None else band.label_da,
                    "reason": reason,
                },
            )
            if len(cache) >= _BAND_CACHE_SIZE:
                cache.clear()
            cache[key] = found
        results.append(found)
    return tuple(results)


def _flags(table: Compiled, row: list[int | None]) -> tuple[Flag, ...]:
    raised = []
    for k, flag, columns, codes in table.flags:
        hits = tuple(
            item_id for item_id, column in zip(flag.items, columns, strict=True) if row[column] in codes
        )
        if hits:
            key = ("flag", k, hits)
            found = table.results.get(key)
            if found is None:
                found = build(
                    Flag,
                    {
                        "id": flag.id,
                        "message": flag.message,
                        "kind": flag.kind,
                        "items": hits,
                        "source": flag.source,
                    },
                )
                table.results[key] = found
            raised.append(found)
    return tuple(raised)
