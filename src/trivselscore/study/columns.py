"""Find a measure's item columns in a study table (several instruments side by side).

An item's column is found by, in this order of trust:

1. an explicit mapping (item id or alias -> column name, or None for an item
   that was not collected); it always wins;
2. compared case-insensitively: ``<measure>_<item>`` (``scas_12``),
   ``<instrument id>_<item>`` (``scas-c_12``), an alias (``who5_1``, ``consid``),
   an alias with the informant prefix (``sconsid``), and, when the study has one
   measure only, the bare item id (``12``). A bare id is ambiguous beside other
   instruments, so it is not used then.

Items that no scale, gate or flag reads may be absent (they change no score).
A version's optional blocks (``Instrument.optional``, e.g. the SDQ impact
supplement) may be absent as a whole: the scales that need them are *not
collected*; a block that is only partly there is an error, and so is a missing
column for a required item. An item mapped to None, or named in ``declared``
(a block id or an item), is not collected either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from trivselscore.definitions.forms import Collected, collected, read_items
from trivselscore.errors import CohortDataError, UnknownScaleError

if TYPE_CHECKING:
    from trivselscore.definitions import Instrument

__all__ = ["item_columns", "measure_columns", "scored_items"]

_SHOWN = 12


def scored_items(instrument: Instrument) -> set[str]:
    """Items that some scale, gate or flag reads."""
    return set(read_items(instrument))


def _explicit(
    name: str, instrument: Instrument, header: Sequence[str], explicit: Mapping[str, str | None]
) -> dict[str, str | None]:
    by_alias = {n: item.id for item in instrument.items for n in (item.id, *item.aliases)}
    found: dict[str, str | None] = {}
    for key, column in explicit.items():
        item_id = by_alias.get(str(key))
        if item_id is None:
            items = list(instrument.item_ids)
            msg = f"columns[{name!r}]: {instrument.id} has no item {key!r}; items: {items}"
            raise CohortDataError(msg, problem="missing_column")
        if column is not None and column not in header:
            msg = f"columns[{name!r}]: column {column!r} for item {item_id!r} is not in the data"
            raise CohortDataError(msg, problem="missing_column")
        found[item_id] = column
    return found


def item_columns(  # noqa: PLR0913 - the version, the header, and how the caller named columns
    name: str,
    instrument: Instrument,
    header: Sequence[str],
    explicit: Mapping[str, str | None],
    *,
    bare: bool,
    declared: Sequence[str] = (),
) -> tuple[dict[str, str | None], Collected]:
    """Item id -> column (None: not collected) for one version, and what was collected.

    Raises:
        CohortDataError: No item column at all, a required item without a column,
            an optional block only partly in the data, an item matching two
            columns, an explicit column that does not exist, or a declared name
            that is neither a block nor an item.
    """
    folded: dict[str, list[str]] = {}
    for column in header:
        folded.setdefault(column.casefold(), []).append(column)
    found = _explicit(name, instrument, header, explicit)
    said = {*declared, *(i for i, c in found.items() if c is None)}
    skip = {i for b in instrument.optional if b.id in said for i in b.items}
    prefix = instrument.informant[:1].lower()
    tried: dict[str, list[str]] = {}
    for item in instrument.items:
        if item.id in found or item.id in skip:
            found.setdefault(item.id, None)
            continue
        names = [f"{name}_{item.id}", f"{instrument.id}_{item.id}", *item.aliases]
        names += [prefix + a for a in item.aliases if a[:1].isalpha()] + ([item.id] if bare else [])
        hits = sorted({c for n in dict.fromkeys(names) for c in folded.get(n.casefold(), [])})
        if len(hits) > 1:
            msg = f"measure {name!r}: item {item.id!r} matches several columns {hits}; name one with columns="
            raise CohortDataError(msg, problem="missing_column")
        found[item.id] = hits[0] if hits else None
        tried[item.id] = names
    result = collected(instrument, [i for i, c in found.items() if c], declared=sorted(said))
    _check(name, instrument, found, tried, result)
    return {i: None if i in result.absent else c for i, c in found.items()}, result


def _check(
    name: str,
    instrument: Instrument,
    found: Mapping[str, str | None],
    tried: Mapping[str, list[str]],
    result: Collected,
) -> None:
    missing = [i for i in result.missing if i in tried]
    if all(c is None for c in found.values()):
        example = ", ".join(repr(n) for n in tried[missing[0]][:3]) if missing else "-"
        msg = (
            f"measure {name!r} ({instrument.id}) has no item column in the data (looked for e.g. {example}); "
            f"name them with columns={{{name!r}: {{item: column}}}} "
            f"or give scores={{{name!r}: {{scale: column}}}}"
        )
        raise CohortDataError(msg, problem="missing_column")
    if missing:
        shown = "; ".join(f"{i} (tried {', '.join(tried[i][:3])})" for i in missing[:_SHOWN])
        msg = f"measure {name!r} ({instrument.id}): no column for {len(missing)} item(s): {shown}"
        raise CohortDataError(msg, problem="missing_column")
    if result.problem is not None:
        msg = f"measure {name!r} ({instrument.id}): {result.problem}"
        problem = "not_collected" if result.unknown else "missing_column"
        raise CohortDataError(msg, problem=problem)


def measure_columns(  # noqa: PLR0913 - one measure's versions and how the caller named its columns
    name: str,
    versions: tuple[Instrument, ...],
    header: Sequence[str],
    *,
    columns: Mapping[str, str | None] | None,
    scores: Mapping[str, str] | None,
    bare: bool,
    declared: Sequence[str],
) -> tuple[dict[str, dict[str, str | None]], dict[str, str]]:
    """Per version, item (or scale) -> column; and scale -> why it was not collected.

    With ``scores``, the scales given no score column are not collected.

    Raises:
        CohortDataError: See :func:`item_columns`.
        UnknownScaleError: ``scores`` names a scale the measure lacks.
    """
    first = versions[0]
    if scores is not None:
        for scale in scores:
            if scale not in first.scale_ids:
                msg = f"scores[{name!r}]: {first.id} has no scale {scale!r}; scales: {list(first.scale_ids)}"
                raise UnknownScaleError(msg, instrument_id=first.id, requested=scale, scales=first.scale_ids)
        reason = "not collected: no score column was given for it (scores=)"
        return {v.id: dict(scores.items()) for v in versions}, {
            s: reason for s in first.scale_ids if s not in scores
        }
    mapping: dict[str, dict[str, str | None]] = {}
    not_collected: dict[str, str] = {}
    for v in versions:
        mapping[v.id], found = item_columns(name, v, header, columns or {}, bare=bare, declared=declared)
        for scale, why in found.scales.items():
            not_collected.setdefault(scale, why if len(versions) == 1 else f"{why} ({v.id})")
    return mapping, not_collected
