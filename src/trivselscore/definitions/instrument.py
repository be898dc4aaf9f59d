"""The ``Instrument`` definition and the checks that make a wrong one fail at import."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cached_property
from itertools import pairwise
from types import MappingProxyType
from typing import Final, Self

from pydantic import Field, model_validator

from trivselscore.definitions.model import (
    Band,
    Cutoffs,
    CutoffScheme,
    Item,
    ItemBlock,
    ItemFlag,
    ItemMap,
    MissingRule,
    MissingVariant,
    Scale,
    Source,
    _Frozen,
)
from trivselscore.definitions.norms import T_SCORE_LIMITS, NormTable, t_score

__all__ = ["AGE_LIMITS", "RESERVED_FLAG_IDS", "Instrument", "check_norm_table", "resolve_norms"]

AGE_LIMITS: Final = (0.0, 130.0)
"""The ages an ``age_range`` may span: those ``Respondent.age`` takes (0-130 years)."""

RESERVED_FLAG_IDS: Final = frozenset({"outside_age_range"})
"""Flag ids the library raises itself (``trivselscore.engine.ages.OUTSIDE_AGE_RANGE``);
an instrument's own flag may not take one, or a result could not tell the two apart."""


class Instrument(_Frozen):
    """One version of a questionnaire: items, scales, cutoffs and their sources.

    Definitions are data: the one engine in :func:`trivselscore.score` scores
    every instrument from these fields alone. ``norms`` holds norm tables for
    T-scores (the first is the default); ``derived_from`` holds item maps that
    let :func:`trivselscore.convert` read this instrument from another's response.
    ``age_range`` (completed years, both ends included) comes with
    ``age_range_source``, like every other constant; ``optional`` names the blocks of
    items an export may leave out (see :class:`~trivselscore.definitions.ItemBlock`).
    ``title_da`` and ``title_en`` are the short titles a report gives the
    instrument's chapter (``"WHO-5 (trivsel)"``); without them it uses ``name``.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=2)
    title_da: str | None = Field(default=None, min_length=2)
    title_en: str | None = Field(default=None, min_length=2)
    version: str = Field(min_length=1)
    informant: str = Field(min_length=2)
    age_range: tuple[float, float] | None = None
    age_range_source: Source | None = None
    licence: str = Field(min_length=5)
    source: Source
    items: tuple[Item, ...] = Field(min_length=1)
    scales: tuple[Scale, ...] = Field(min_length=1)
    schemes: tuple[CutoffScheme, ...] = ()
    default_scheme: str | None = None
    flags: tuple[ItemFlag, ...] = ()
    missing_variants: tuple[MissingVariant, ...] = ()
    notes: tuple[str, ...] = ()
    norms: tuple[NormTable, ...] = ()
    derived_from: tuple[ItemMap, ...] = ()
    optional: tuple[ItemBlock, ...] = ()

    def __repr__(self) -> str:
        """Short and readable: the id and definition version (print fields with ``model_dump``)."""
        return f"Instrument(id={self.id!r}, version={self.version!r})"

    @cached_property
    def item_ids(self) -> tuple[str, ...]:
        """Item ids in form order (the column order of ``score_batch``)."""
        return tuple(item.id for item in self.items)

    @cached_property
    def scale_ids(self) -> tuple[str, ...]:
        """Scale ids in definition order."""
        return tuple(scale.id for scale in self.scales)

    def item(self, item_id: str) -> Item:
        """Return the item with this id.

        Raises:
            KeyError: No such item.
        """
        return self._items_by_id[item_id]

    def scale(self, scale_id: str) -> Scale:
        """Return the scale with this id.

        Raises:
            KeyError: No such scale.
        """
        return self._scales_by_id[scale_id]

    def scheme(self, scheme_id: str) -> CutoffScheme:
        """Return the cutoff scheme with this id.

        Raises:
            KeyError: No such scheme.
        """
        for scheme in self.schemes:
            if scheme.id == scheme_id:
                return scheme
        raise KeyError(scheme_id)

    def scale_range(self, scale_id: str) -> tuple[int, int]:
        """The lowest and highest value the scale can take.

        Examples:
            >>> from trivselscore import get_instrument
            >>> get_instrument("who5").scale_range("percentage")
            (0, 100)
        """
        return self._ranges[scale_id]

    def scale_items(self, scale_id: str) -> tuple[str, ...]:
        """The items a scale is built from, through its component scales.

        Examples:
            >>> from trivselscore import get_instrument
            >>> get_instrument("who5").scale_items("percentage")
            ('1', '2', '3', '4', '5')
        """
        return self._scale_items[scale_id]

    def item_values(self, scale: Scale, item_id: str) -> dict[int, int]:
        """How each code of ``item_id`` scores inside ``scale`` (after keys)."""
        codes = self.item(item_id).codes
        if item_id in scale.reverse:
            low, high = codes[0], codes[-1]
            return {c: low + high - c for c in codes}
        for recode in scale.recode:
            if recode.item == item_id:
                return dict(recode.values)
        return {c: c for c in codes}

    def rule(self, scale_id: str, variant: str | None = None) -> MissingRule:
        """The missing-data rule of a scale, or of a named variant if it has one."""
        if variant is not None:
            for candidate in self.missing_variants:
                if candidate.id == variant:
                    rules = dict(candidate.rules)
                    if scale_id in rules:
                        return rules[scale_id]
        return self.scale(scale_id).missing

    # The lookups below are cached on the frozen definition and shared by every
    # caller, so they are read-only mappings.

    @cached_property
    def _scale_items(self) -> Mapping[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        for scale in self.scales:  # components come first (checked at import)
            found[scale.id] = scale.items or tuple(i for part in scale.scales for i in found[part])
        return MappingProxyType(found)

    @cached_property
    def _items_by_id(self) -> Mapping[str, Item]:
        return MappingProxyType({item.id: item for item in self.items})

    @cached_property
    def _scales_by_id(self) -> Mapping[str, Scale]:
        return MappingProxyType({scale.id: scale for scale in self.scales})

    @cached_property
    def _ranges(self) -> Mapping[str, tuple[int, int]]:
        ranges: dict[str, tuple[int, int]] = {}
        for scale in self.scales:
            if scale.items:
                values = [self.item_values(scale, i).values() for i in scale.items]
                low, high = sum(map(min, values)), sum(map(max, values))
            else:
                low = sum(ranges[s][0] for s in scale.scales)
                high = sum(ranges[s][1] for s in scale.scales)
            ranges[scale.id] = (low * scale.multiplier, high * scale.multiplier)
        return MappingProxyType(ranges)

    @model_validator(mode="after")
    def _check(self) -> Self:
        self._check_age_range()
        self._check_ids()
        self._check_scales()
        self._check_schemes()
        self._check_flags_and_variants()
        self._check_norms_and_maps()
        self._check_blocks()
        return self

    def _check_age_range(self) -> None:
        """``age_range`` is (low, high) with low <= high, both within :data:`AGE_LIMITS`, and cited."""
        if self.age_range is None:
            if self.age_range_source is not None:
                _fail(f"{self.id}: age_range_source is given but there is no age_range")
            return
        if self.age_range_source is None:
            _fail(f"{self.id}: age_range needs age_range_source (where the range comes from, and its status)")
        low, high = self.age_range
        least, most = AGE_LIMITS
        if not (math.isfinite(low) and math.isfinite(high) and least <= low <= high <= most):
            _fail(
                f"{self.id}: age_range ({low:g}, {high:g}) must be (low, high) with "
                f"{least:g} <= low <= high <= {most:g} (years)"
            )

    def _check_ids(self) -> None:
        names: dict[str, str] = {}
        for item in self.items:
            for name in (item.id, *item.aliases):
                if name in names:
                    msg = f"{self.id}: item id or alias {name!r} used twice ({names[name]!r}, {item.id!r})"
                    raise ValueError(msg)
                names[name] = item.id
        _unique(self.id, "scale", [s.id for s in self.scales])
        _unique(self.id, "scheme", [s.id for s in self.schemes])
        _unique(self.id, "flag", [f.id for f in self.flags])
        taken = sorted(RESERVED_FLAG_IDS & {f.id for f in self.flags})
        if taken:
            _fail(f"{self.id}: flag id {taken[0]!r} is reserved (the library raises it); rename the flag")
        _unique(self.id, "missing variant", [v.id for v in self.missing_variants])
        reserved = {"raise", "propagate", "prorate"}
        if reserved & {v.id for v in self.missing_variants}:
            msg = f"{self.id}: a missing variant may not be named {sorted(reserved)}"
            raise ValueError(msg)

    def _check_scales(self) -> None:
        items = set(self.item_ids)
        seen: set[str] = set()
        for scale in self.scales:
            where = f"{self.id}: scale {scale.id!r}"
            unknown = set(scale.items) - items
            if unknown:
                msg = f"{where} references unknown items {sorted(unknown)}"
                raise ValueError(msg)
            unknown = set(scale.scales) - seen
            if unknown:
                msg = f"{where} references scales not defined before it: {sorted(unknown)}"
                raise ValueError(msg)
            for item_id in scale.reverse:
                if not self.item(item_id).symmetric:
                    msg = f"{where}: item {item_id!r} is reversed but its codes are not symmetric"
                    raise ValueError(msg)
            self._check_keys(where, scale)
            seen.add(scale.id)

    def _check_keys(self, where: str, scale: Scale) -> None:
        for recode in scale.recode:
            if sorted(c for c, _ in recode.values) != list(self.item(recode.item).codes):
                _fail(f"{where}: recode of item {recode.item!r} must map exactly its codes")
        if scale.gate is not None:
            gate = scale.gate
            if gate.item not in self.item_ids or gate.item in scale.items:
                _fail(f"{where}: gate item {gate.item!r} must be an item outside the scale")
            if not set(gate.codes) <= set(self.item(gate.item).codes):
                _fail(f"{where}: gate codes {gate.codes} are not codes of {gate.item!r}")

    def _check_schemes(self) -> None:
        scales = set(self.scale_ids)
        for scheme in self.schemes:
            for table in scheme.cutoffs:
                where = f"{self.id}: scheme {scheme.id!r}, scale {table.scale!r}"
                if table.scale not in scales:
                    msg = f"{where}: unknown scale"
                    raise ValueError(msg)
                covers = T_SCORE_LIMITS if scheme.metric == "t_score" else self.scale_range(table.scale)
                _check_partition(where, table.bands, covers)
            _check_no_overlap(self.id, scheme)
        defined = {s.id for s in self.schemes}
        if self.default_scheme is not None and self.default_scheme not in defined:
            _fail(f"{self.id}: default scheme {self.default_scheme!r} is not defined")

    def _check_flags_and_variants(self) -> None:
        for flag in self.flags:
            for item_id in flag.items:
                if item_id not in self.item_ids:
                    _fail(f"{self.id}: flag {flag.id!r} references unknown item {item_id!r}")
                if not set(flag.codes) <= set(self.item(item_id).codes):
                    _fail(f"{self.id}: flag {flag.id!r} codes are not codes of {item_id!r}")
        for variant in self.missing_variants:
            for scale_id, rule in variant.rules:
                if scale_id not in self.scale_ids:
                    _fail(f"{self.id}: variant {variant.id!r} references unknown scale {scale_id!r}")
                scale = self.scale(scale_id)
                if rule.min_answered > len(scale.items or scale.scales):
                    _fail(f"{self.id}: variant {variant.id!r}: min_answered too large for {scale_id!r}")

    def _check_norms_and_maps(self) -> None:
        for scale in self.scales:
            for term in scale.added_value.weights if scale.added_value is not None else ():
                if term.scale not in self.scale_ids:
                    what = f"the added value formula of {scale.id!r}"
                    _fail(f"{self.id}: {what} weighs unknown scale {term.scale!r}")
        _unique(self.id, "norm table", [t.id for t in self.norms])
        for table in self.norms:
            check_norm_table(self, table)
        _unique(self.id, "item map source", [m.instrument for m in self.derived_from])
        for link in self.derived_from:
            where = f"{self.id}: item map from {link.instrument!r}"
            if link.instrument == self.id:
                _fail(f"{where}: an instrument cannot map from itself")
            _unique(where, "source item", [source for source, _ in link.items])
            targets = [target for _, target in link.items]
            _unique(where, "target item", targets)
            if sorted(targets) != sorted(self.item_ids):
                _fail(f"{where}: must map every item of {self.id} once, not {targets}")

    def _check_blocks(self) -> None:
        """Optional blocks name items of this version, each item in one block at most."""
        _unique(self.id, "optional block", [b.id for b in self.optional])
        seen: dict[str, str] = {}
        for block in self.optional:
            for item_id in block.items:
                if item_id not in self._items_by_id:
                    _fail(f"{self.id}: optional block {block.id!r} names unknown item {item_id!r}")
                if item_id in seen:
                    _fail(f"{self.id}: item {item_id!r} is in blocks {seen[item_id]!r} and {block.id!r}")
                seen[item_id] = block.id


def _fail(message: str) -> None:
    raise ValueError(message)


def _unique(instrument_id: str, what: str, ids: list[str]) -> None:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        _fail(f"{instrument_id}: {what} ids repeat: {duplicates}")


def _check_partition(where: str, bands: tuple[Band, ...], value_range: tuple[float, float]) -> None:
    """Bands must cover [low, high] exactly: no gap, no overlap, both ends closed."""
    low, high = value_range
    ordered = sorted(bands, key=lambda b: (b.lower, not b.lower_inclusive))
    _unique(where, "band", [b.id for b in bands])
    first, last = ordered[0], ordered[-1]
    if first.lower != low or not first.lower_inclusive:
        _fail(f"{where}: bands must start at {low} inclusive, not {first.interval}")
    if last.upper != high or not last.upper_inclusive:
        _fail(f"{where}: bands must end at {high} inclusive, not {last.interval}")
    for left, right in pairwise(ordered):
        if left.upper != right.lower:
            kind = "gap" if left.upper < right.lower else "overlap"
            _fail(f"{where}: {kind} between {left.interval} and {right.interval}")
        if left.upper_inclusive == right.lower_inclusive:
            kind = "overlap" if left.upper_inclusive else "gap"
            _fail(f"{where}: {kind} at {left.upper:g} between {left.id!r} and {right.id!r}")


def _check_no_overlap(instrument_id: str, scheme: CutoffScheme) -> None:
    """Two tables of one scale must never both apply to the same respondent."""
    for scale_id in scheme.scale_ids:
        tables = [t for t in scheme.cutoffs if t.scale == scale_id]
        for i, first in enumerate(tables):
            for second in tables[i + 1 :]:
                if _tables_overlap(first, second):
                    _fail(
                        f"{instrument_id}: scheme {scheme.id!r}, scale {scale_id!r}: "
                        "two band tables apply to the same respondents"
                    )


def _tables_overlap(first: Cutoffs, second: Cutoffs) -> bool:
    if first.sex is not None and second.sex is not None and first.sex != second.sex:
        return False
    lo1 = first.min_age if first.min_age is not None else float("-inf")
    hi1 = first.max_age if first.max_age is not None else float("inf")
    lo2 = second.min_age if second.min_age is not None else float("-inf")
    hi2 = second.max_age if second.max_age is not None else float("inf")
    return lo1 <= hi2 and lo2 <= hi1


def check_norm_table(instrument: Instrument, table: NormTable) -> None:
    """Raise ``ValueError`` unless ``table`` fits ``instrument``.

    Every row must name a scale of the instrument, and map the scale's whole
    range into :data:`T_SCORE_LIMITS`.
    """
    low_t, high_t = T_SCORE_LIMITS
    for row in table.rows:
        if row.scale not in instrument.scale_ids:
            msg = f"{instrument.id}: norm table {table.id!r} references unknown scale {row.scale!r}"
            raise ValueError(msg)
        low, high = instrument.scale_range(row.scale)
        lowest, highest = t_score(low, row), t_score(high, row)
        if lowest < low_t or highest > high_t:
            msg = (
                f"{instrument.id}: norm table {table.id!r}, {row.scale!r} ({row.group}): T-scores "
                f"{lowest:g} to {highest:g} leave the range {low_t:g} to {high_t:g}"
            )
            raise ValueError(msg)


def resolve_norms(instrument: Instrument, norms: NormTable | str | None) -> NormTable | None:
    """The table to use: given, named among the instrument's, or its first (default).

    Raises:
        ValueError: No table of the instrument has this id, or a given table
            does not fit the instrument.
    """
    if norms is None:
        return instrument.norms[0] if instrument.norms else None
    if isinstance(norms, str):
        for table in instrument.norms:
            if table.id == norms:
                return table
        known = [t.id for t in instrument.norms]
        msg = f"{instrument.id} has no norm table {norms!r}; tables: {known}"
        raise ValueError(msg)
    check_norm_table(instrument, norms)
    return norms
