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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from trivselscore.errors import CohortDataError

if TYPE_CHECKING:
    from trivselscore.definitions import Instrument

__all__ = ["item_columns", "scored_items"]

_SHOWN = 12


def scored_items(instrument: Instrument) -> set[str]:
    """Items that some scale, gate or flag reads."""
    used = {i for scale in instrument.scales for i in scale.items}
    used |= {scale.gate.item for scale in instrument.scales if scale.gate is not None}
    return used | {i for flag in instrument.flags for i in flag.items}


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


def item_columns(
    name: str,
    instrument: Instrument,
    header: Sequence[str],
    explicit: Mapping[str, str | None],
    *,
    bare: bool,
) -> dict[str, str | None]:
    """Item id -> column (None: not collected) for one version of a measure.

    Raises:
        CohortDataError: No item column at all, a scored item without a column,
            an item matching two columns, or an explicit column that does not exist.
    """
    folded: dict[str, list[str]] = {}
    for column in header:
        folded.setdefault(column.casefold(), []).append(column)
    found = _explicit(name, instrument, header, explicit)
    prefix = instrument.informant[:1].lower()
    tried: dict[str, list[str]] = {}
    for item in instrument.items:
        if item.id in found:
            continue
        names = [f"{name}_{item.id}", f"{instrument.id}_{item.id}", *item.aliases]
        names += [prefix + a for a in item.aliases if a[:1].isalpha()] + ([item.id] if bare else [])
        hits = sorted({c for n in dict.fromkeys(names) for c in folded.get(n.casefold(), [])})
        if len(hits) > 1:
            msg = f"measure {name!r}: item {item.id!r} matches several columns {hits}; name one with columns="
            raise CohortDataError(msg, problem="missing_column")
        found[item.id] = hits[0] if hits else None
        tried[item.id] = names
    _check(name, instrument, found, tried)
    return found


def _check(
    name: str, instrument: Instrument, found: Mapping[str, str | None], tried: Mapping[str, list[str]]
) -> None:
    missing = [i for i, c in found.items() if c is None and i in tried and i in scored_items(instrument)]
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
