"""What a form holds: the items each scale needs, optional blocks, and versions chosen by age.

Two rules every front door (``Study.from_long``, ``Cohort.from_long``, STUDY.toml) shares:

* **Items that were not collected.** A version marks blocks of items optional
  (``Instrument.optional``, e.g. the SDQ impact supplement). A scale that needs an item
  that was not collected is *not collected* (:func:`not_collected`); every other scale is
  scored as usual.
* **Versions by age.** A family of versions chosen by the respondent's age must give each
  version a cited ``age_range``, and no two ranges may share a year
  (:func:`check_age_family`); the version chosen is the one whose range holds the age in
  completed years (:func:`version_for_age`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trivselscore.definitions.instrument import Instrument
    from trivselscore.definitions.model import ItemBlock

__all__ = [
    "Collected",
    "age_family_problem",
    "check_age_family",
    "collected",
    "holds",
    "needed_items",
    "not_collected",
    "optional_items",
    "read_items",
    "version_for_age",
]


def needed_items(instrument: Instrument, scale_id: str) -> frozenset[str]:
    """The items a scale reads: its own (through component scales) and its gate's item.

    Examples:
        >>> from trivselscore import get_instrument
        >>> sorted(needed_items(get_instrument("sdq-t4-17"), "impact"))
        ['distres', 'ebddiff', 'impclas', 'impfrie']
    """
    found = set(instrument.scale_items(scale_id))
    pending = [instrument.scale(scale_id)]
    while pending:
        scale = pending.pop()
        if scale.gate is not None:
            found.add(scale.gate.item)
        pending.extend(instrument.scale(part) for part in scale.scales)
    return frozenset(found)


def optional_items(instrument: Instrument) -> dict[str, str]:
    """Item id -> the id of the optional block that holds it.

    Examples:
        >>> from trivselscore import get_instrument
        >>> optional_items(get_instrument("sdq-s11-17"))["ebddiff"]
        'impact'
        >>> optional_items(get_instrument("who5"))
        {}
    """
    return {item: block.id for block in instrument.optional for item in block.items}


def not_collected(instrument: Instrument, items: Collection[str]) -> tuple[str, ...]:
    """The scales (in definition order) that need one of ``items``: they cannot be scored.

    Examples:
        >>> from trivselscore import get_instrument
        >>> not_collected(get_instrument("sdq-s11-17"), {"ebddiff", "distres"})
        ('impact',)
        >>> not_collected(get_instrument("sdq-s11-17"), {"fuchange"})
        ()
    """
    gone = set(items)
    return tuple(s for s in instrument.scale_ids if needed_items(instrument, s) & gone)


def read_items(instrument: Instrument) -> frozenset[str]:
    """Items some scale, gate or flag reads (the others change no score).

    Examples:
        >>> from trivselscore import get_instrument
        >>> sorted(set(get_instrument("sdq-s11-17").item_ids) - read_items(get_instrument("sdq-s11-17")))
        ['burden', 'chronic', 'fuchange', 'fuhelp']
    """
    used = {i for scale in instrument.scales for i in scale.items}
    used |= {scale.gate.item for scale in instrument.scales if scale.gate is not None}
    return frozenset(used | {i for flag in instrument.flags for i in flag.items})


@dataclass(frozen=True)
class Collected:
    """Which items of a version an export holds, and what follows for its scales.

    ``missing``: required items without a column (an error); ``partial``: optional
    blocks of which some read items have a column and others not (an error: a
    misspelt column, most likely); ``unknown``: declared names that are neither an
    optional block nor an item. ``absent``: the items not collected (left blank);
    ``scales``: scale id -> why it is not collected (its value is None).
    """

    missing: tuple[str, ...] = ()
    partial: tuple[tuple[ItemBlock, tuple[str, ...]], ...] = ()
    unknown: tuple[str, ...] = ()
    absent: frozenset[str] = frozenset()
    scales: dict[str, str] = field(default_factory=dict)

    @property
    def problem(self) -> str | None:
        """The first reason the columns cannot be used as they are (None: they can)."""
        if self.unknown:
            return f"{', '.join(map(repr, self.unknown))} is neither an optional block nor an item"
        if self.partial:
            block, lacking = self.partial[0]
            return (
                f"the {block.label_en} ({block.id}) is only partly in the data: no column for "
                f"{', '.join(lacking)}; name those columns, or declare {block.id!r} not collected"
            )
        if self.missing:
            return f"no column for {len(self.missing)} required item(s): {', '.join(self.missing)}"
        return None


def collected(
    instrument: Instrument,
    present: Collection[str],
    *,
    declared: Collection[str] = (),
    required: Collection[str] | None = None,
) -> Collected:
    """Which scales can be scored from the items that have a column.

    Args:
        instrument: The version.
        present: Item ids that have a column in the data.
        declared: Optional block ids, item ids or aliases the caller says were not
            collected (STUDY.toml ``not_collected``; an explicit ``None`` column).
        required: The items that need a column unless they are in an optional
            block (default: the items some scale, gate or flag reads).

    An optional block whose read items all lack a column was not collected; one
    with some of them is an error (``partial``). The scales that need an absent
    item are not collected, each with its reason.

    Examples:
        >>> from trivselscore import get_instrument
        >>> sdq = get_instrument("sdq-s11-17")
        >>> found = collected(sdq, [str(i) for i in range(1, 26)])
        >>> found.problem is None, list(found.scales)
        (True, ['impact'])
        >>> collected(sdq, [str(i) for i in range(1, 26)] + ["ebddiff"]).problem[:40]
        'the impact supplement (impact) is only p'
    """
    read = read_items(instrument)
    needed = set(read if required is None else required)
    names = {n: item.id for item in instrument.items for n in (item.id, *item.aliases)}
    blocks = {block.id: block for block in instrument.optional}
    unknown = tuple(d for d in declared if d not in blocks and d not in names)
    said = {i for d in declared if d in blocks for i in blocks[d].items}
    said |= {names[d] for d in declared if d in names}
    have = set(present) - said
    absent = set(said)
    partial: list[tuple[ItemBlock, tuple[str, ...]]] = []
    for block in instrument.optional:
        counted = [i for i in block.items if i in read and i not in said]
        lacking = tuple(i for i in counted if i not in have)
        if lacking and len(lacking) < len(counted):
            partial.append((block, lacking))
        absent |= {i for i in block.items if i not in have}
    optional = set(optional_items(instrument))
    missing = tuple(i for i in instrument.item_ids if i in needed and i not in have | optional | said)
    absent |= {i for i in instrument.item_ids if i not in have and i not in needed}
    reasons = {
        scale: _reason(instrument, needed_items(instrument, scale) & absent & read, said)
        for scale in not_collected(instrument, absent & read)
    }
    return Collected(missing, tuple(partial), unknown, frozenset(absent), reasons)


def _reason(instrument: Instrument, items: Collection[str], said: Collection[str]) -> str:
    """Why a scale is not collected, naming the block (or the items) it lacks."""
    owner = optional_items(instrument)
    parts = []
    for block in instrument.optional:
        lacking = [i for i in block.items if i in items]
        if lacking:
            parts.append(f"the {block.label_en} ({', '.join(lacking)})")
    loose = [i for i in instrument.item_ids if i in items and i not in owner]
    if loose:
        parts.append(f"item(s) {', '.join(loose)}")
    how = "declared" if set(items) <= set(said) else "no column in the data"
    return f"not collected ({how}): {' and '.join(parts)}"


def holds(instrument: Instrument, age: float) -> bool:
    """Whether ``age`` in completed years lies in the version's ``age_range`` (both ends included).

    A version without an ``age_range`` holds no age here: it cannot be chosen by age.

    Examples:
        >>> from trivselscore import get_instrument
        >>> [holds(get_instrument("sdq-s11-17"), a) for a in (10.9, 11.0, 17.9, 18.0)]
        [False, True, True, False]
    """
    if instrument.age_range is None or math.isnan(age):
        return False
    low, high = instrument.age_range
    return low <= math.floor(age) <= high


def age_family_problem(versions: Sequence[Instrument]) -> str | None:
    """Why these versions cannot be chosen by age (None when they can).

    Each version needs an ``age_range``, and no whole year may lie in two ranges.
    The ranges need not meet: an age between them (or outside all) is scored with the
    closest version and flagged ``outside_age_range``.

    Examples:
        >>> from trivselscore import get_instrument
        >>> age_family_problem([get_instrument(i) for i in ("mfq-c", "mfq-a")]) is None
        True
        >>> print(age_family_problem([get_instrument(i) for i in ("sdq-s11-17", "sdq-p4-17")])[:70])
        versions sdq-s11-17 (ages 11-17) and sdq-p4-17 (ages 4-17) share the a
    """
    for version in versions:
        if version.age_range is None:
            return (
                f"version {version.id} has no age range, so it cannot be chosen by age; "
                "name each row's version in a column instead"
            )
    ranged = [(v, v.age_range) for v in versions if v.age_range is not None]
    for i, (first, (lo1, hi1)) in enumerate(ranged):
        for second, (lo2, hi2) in ranged[i + 1 :]:
            low, high = math.ceil(max(lo1, lo2)), math.floor(min(hi1, hi2))
            if low <= high:
                return (
                    f"versions {first.id} (ages {_years(lo1, hi1)}) and {second.id} "
                    f"(ages {_years(lo2, hi2)}) share the ages {low}-{high}; "
                    "a version chosen by age must be the only one for its ages"
                )
    return None


def check_age_family(versions: Sequence[Instrument], *, name: str) -> None:
    """Raise ``ValueError`` (naming the measure) unless the versions can be chosen by age.

    Raises:
        ValueError: See :func:`age_family_problem`.
    """
    problem = age_family_problem(versions)
    if problem is not None:
        msg = f"measure {name!r}: {problem}"
        raise ValueError(msg)


def version_for_age(versions: Sequence[Instrument], age: float) -> tuple[int, bool]:
    """(index of the version chosen for ``age``, whether the age is outside every range).

    The version whose range holds the age in completed years; outside every range,
    the closest one (the first of two equally close), flagged outside. Call it on
    versions that passed :func:`check_age_family`.

    Examples:
        >>> from trivselscore import get_instrument
        >>> family = [get_instrument(i) for i in ("mfq-c", "mfq-a")]
        >>> [version_for_age(family, a) for a in (13.5, 17.9, 18.0, 25.0, 4.0)]
        [(0, False), (0, False), (1, False), (1, False), (0, True)]
    """
    for index, version in enumerate(versions):
        if holds(version, age):
            return index, False
    years = math.floor(age)

    def distance(index: int) -> float:
        age_range = versions[index].age_range
        if age_range is None:
            return math.inf
        return max(age_range[0] - years, years - age_range[1], 0.0)

    return min(range(len(versions)), key=distance), True


def _years(low: float, high: float) -> str:
    return f"{low:g}-{high:g}"
