"""Frozen building blocks of an instrument definition.

Every class here is a frozen pydantic model whose containers are tuples, so a
definition cannot change after import. The cross-checks that need the whole
instrument (scales referencing items, bands covering a scale's range) live in
:mod:`trivselscore.definitions.instrument`.
"""

from __future__ import annotations

import copy
import math
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from trivselscore.definitions.sex import SEX_CATEGORIES, SEX_WORDS, Sex, SexCategory, sex_category

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "AddedValue",
    "Band",
    "ChangeParameters",
    "CutoffScheme",
    "Cutoffs",
    "Gate",
    "ImportantChange",
    "Item",
    "ItemFlag",
    "ItemMap",
    "ItemRecode",
    "MissingRule",
    "MissingVariant",
    "SEX_CATEGORIES",
    "SEX_WORDS",
    "ItemBlock",
    "Respondent",
    "ResponseOption",
    "Scale",
    "Sex",
    "SexCategory",
    "Source",
    "Status",
    "options",
    "sex_category",
]

Status = Literal["verified", "verified-secondary", "derived", "unverified"]
"""How sure a fact is, following the project's fact sheets.

``verified``: read in the source itself; ``verified-secondary``: read in a
secondary source (a paper reproducing a table, a vendor page); ``derived``:
arithmetic or inference from verified facts; ``unverified``: recalled, not found
in any source searched.
"""

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class _Frozen(BaseModel):
    # defer_build: a class's validator is built at its first validation, not at import,
    # so scoring with the shipped definitions (loaded already checked) never builds one
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, defer_build=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied, validated again like a new definition.

        pydantic's own ``model_copy`` skips validation (and keeps cached lookups),
        so ``who5.model_copy(update={"scales": ...})`` could score with a definition
        that would never have been accepted. Here the updated fields are validated
        with every check of the class (nested models are kept as they are: they
        are frozen and were validated when built); a frozen model without an
        update is returned as a plain copy.

        Raises:
            pydantic.ValidationError: The updated definition is not valid, or
                ``update`` names a field the class does not have.

        Examples:
            >>> band = Band(id="low", label_en="low", label_da="lav", lower=0, upper=10)
            >>> band.model_copy(update={"upper": 20}).interval
            '[0, 20]'
            >>> band.model_copy(update={"upper": -1})  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            pydantic_core._pydantic_core.ValidationError: 1 validation error for Band
            ...
        """
        if not update and not deep:
            return super().model_copy()
        fields = {
            name: getattr(self, name) for name in type(self).model_fields if name in self.model_fields_set
        }
        if deep:
            fields = copy.deepcopy(fields)
        return type(self).model_validate({**fields, **(update or {})})

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        """A deep copy of the fields (cached lookups are rebuilt when used)."""
        return self.model_copy(deep=True)

    def __getstate__(self) -> dict[Any, Any]:
        """Pickle the fields only: cached lookups (read-only mappings) are rebuilt when used."""
        state = super().__getstate__()
        fields = type(self).model_fields
        state["__dict__"] = {k: v for k, v in state["__dict__"].items() if k in fields}
        return state


class Source(_Frozen):
    """Where a number or rule comes from, and how sure we are of it.

    ``status`` has no default: every source says how sure it is (:data:`Status`), so a
    forgotten status can never read as verified.

    Examples:
        >>> Source(citation="Topp CW et al. 2015", doi="10.1159/000376585", status="verified").verified
        True
        >>> str(Source(citation="Recalled, not found", status="unverified"))
        'Recalled, not found [unverified]'
    """

    citation: str = Field(min_length=3)
    doi: str | None = None
    url: str | None = None
    status: Status
    note: str | None = None

    @property
    def verified(self) -> bool:
        """Whether the fact was read in a primary or secondary source."""
        return self.status in {"verified", "verified-secondary"}

    def __str__(self) -> str:
        """Render as a one-line reference."""
        parts = [self.citation]
        if self.doi:
            parts.append(f"doi:{self.doi}")
        if self.url:
            parts.append(self.url)
        text = ", ".join(parts)
        return text if self.verified else f"{text} [{self.status}]"


class ResponseOption(_Frozen):
    """One answer an item accepts: the stored code and short labels (our words)."""

    code: int
    label_en: str = Field(min_length=1)
    label_da: str = Field(min_length=1)


def options(*labels: tuple[str, str], start: int = 0) -> tuple[ResponseOption, ...]:
    """Build consecutive response options from (English, Danish) label pairs.

    Args:
        *labels: One (English, Danish) pair per option, lowest code first.
        start: The code of the first option.

    Returns:
        The options, coded ``start``, ``start + 1``, ...

    Examples:
        >>> [o.code for o in options(("no", "nej"), ("yes", "ja"))]
        [0, 1]
    """
    return tuple(
        ResponseOption(code=start + i, label_en=en, label_da=da) for i, (en, da) in enumerate(labels)
    )


class Item(_Frozen):
    """One question, identified by its printed number and a theme in our words."""

    id: str = Field(pattern=_ID_PATTERN)
    theme: str = Field(min_length=2)
    options: tuple[ResponseOption, ...] = Field(min_length=2)
    aliases: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _unique_codes(self) -> Self:
        codes = [o.code for o in self.options]
        if len(set(codes)) != len(codes):
            msg = f"item {self.id!r}: response codes repeat: {codes}"
            raise ValueError(msg)
        return self

    @property
    def codes(self) -> tuple[int, ...]:
        """The allowed codes, in ascending order."""
        return tuple(sorted(o.code for o in self.options))

    @property
    def symmetric(self) -> bool:
        """Whether reversing (min + max - code) maps the codes onto themselves."""
        codes = set(self.codes)
        low, high = min(codes), max(codes)
        return {low + high - c for c in codes} == codes


class ItemRecode(_Frozen):
    """Score an item's codes with other values inside one scale (e.g. SDQ impact)."""

    item: str
    values: tuple[tuple[int, int], ...] = Field(min_length=1)
    source: Source


class Gate(_Frozen):
    """An answer that fixes a scale's value and makes its items "not asked".

    The SDQ impact score is 0 when the overall-difficulties question is answered
    "No"; the impact items are then skipped, not missing.
    """

    item: str
    codes: tuple[int, ...] = Field(min_length=1)
    value: int
    source: Source


class MissingRule(_Frozen):
    """What a scale does with unanswered items under the default policy.

    ``kind``:

    * ``complete``: the scale is scored only when every item is answered.
    * ``prorate``: mean of the answered items times the item count, when at
      least ``min_answered`` are answered; flagged as prorated.
    * ``zero_fill``: unanswered items count 0 when at least ``min_answered``
      are answered (the official SDQ impact rule; never use it elsewhere).

    ``min_answered`` is also the threshold for ``missing="prorate"``. For a
    scale built from other scales it is the number of component scales needed.
    ``rounding`` applies to prorated values only.
    """

    kind: Literal["complete", "prorate", "zero_fill"] = "complete"
    min_answered: int = Field(ge=1)
    rounding: Literal["none", "half_up"] = "none"
    source: Source


class ChangeParameters(_Frozen):
    """Published SD and reliability of a scale, for the reliable change index.

    Jacobson & Truax's RCI needs the SD and reliability of a reference
    population, never the cohort's own spread. ``source`` documents the
    reliability (and the SD unless ``sd_source`` says otherwise);
    ``population`` says whose figures they are.

    Examples:
        >>> params = ChangeParameters(sd=5.0, reliability=0.8, population="fixture",
        ...                           source=Source(citation="Test fixture", status="derived"))
        >>> round(params.se_difference, 6)
        3.162278
    """

    sd: float = Field(gt=0, allow_inf_nan=False)
    reliability: float = Field(gt=0, lt=1)
    population: str = Field(min_length=3)
    source: Source
    sd_source: Source | None = None
    reliability_kind: str | None = None

    @property
    def se_difference(self) -> float:
        """SEdiff = SD * sqrt(2 * (1 - r)) (Jacobson & Truax 1991)."""
        return self.sd * math.sqrt(2.0 * (1.0 - self.reliability))


class ImportantChange(_Frozen):
    """A cited minimal important change on a scale, in the scale's own units."""

    value: float = Field(gt=0, allow_inf_nan=False)
    source: Source
    note: str | None = None


class Weight(_Frozen):
    """One term of a prediction formula: a baseline scale's score times ``weight``.

    Examples:
        >>> Weight(scale="total", weight=0.8).weight
        0.8
    """

    scale: str = Field(pattern=_ID_PATTERN)
    weight: float = Field(allow_inf_nan=False)


class AddedValue(_Frozen):
    """A published formula that predicts a scale's follow-up score from baseline scores.

    The Added Value score is the follow-up score's distance from its prediction,
    in score points, signed so that a positive value is better than predicted:
    AV = predicted - observed for a scale where lower is better (SDQ total
    difficulties), observed - predicted otherwise. The prediction is
    ``intercept + sum(weight x baseline score)`` over ``weights`` (one
    :class:`Weight` per baseline scale; the scale itself may be one of them). ``sd`` (the SD of AV in the
    derivation sample) makes AV / sd an effect size.

    Examples:
        >>> fixture = Source(citation="Test fixture", status="derived")
        >>> formula = AddedValue(intercept=1.0, weights=(Weight(scale="total", weight=0.5),), sd=4.0,
        ...                      population="fixture", source=fixture)
        >>> formula.describe()
        'AV = 1 + 0.5 x total (start) - total (end)'
    """

    intercept: float = Field(allow_inf_nan=False)
    weights: tuple[Weight, ...] = Field(min_length=1)
    sd: float = Field(gt=0, allow_inf_nan=False)
    population: str = Field(min_length=3)
    source: Source
    note: str | None = None

    @model_validator(mode="after")
    def _weights(self) -> Self:
        names = [term.scale for term in self.weights]
        if len(set(names)) != len(names):
            msg = f"added value: a scale is weighted twice: {names}"
            raise ValueError(msg)
        return self

    def describe(self, scale: str = "total", *, higher_is_better: bool = False) -> str:
        """The formula in words (for ``scale``; the sign follows its direction)."""
        terms = f"{self.intercept:g}"
        for term in self.weights:
            terms += f" {'-' if term.weight < 0 else '+'} {abs(term.weight):g} x {term.scale} (start)"
        if higher_is_better:
            return f"AV = {scale} (end) - ({terms})"
        return f"AV = {terms} - {scale} (end)"


class Scale(_Frozen):
    """A score: a sum of items, or a weighted sum of other scales.

    Exactly one of ``items`` and ``scales`` is given. ``higher_is_better`` is
    the direction of the construct (True for well-being and prosocial scales).
    ``change`` and ``important_change`` are the cited parameters that
    :func:`trivselscore.classify_change` uses by default (None: not published);
    ``added_value`` a published Added Value formula (``method="added_value"``).
    """

    id: str = Field(pattern=_ID_PATTERN)
    label_en: str = Field(min_length=2)
    label_da: str = Field(min_length=2)
    items: tuple[str, ...] = ()
    reverse: tuple[str, ...] = ()
    recode: tuple[ItemRecode, ...] = ()
    scales: tuple[str, ...] = ()
    multiplier: int = Field(default=1, ge=1)
    gate: Gate | None = None
    missing: MissingRule
    higher_is_better: bool
    source: Source
    change: ChangeParameters | None = None
    important_change: ImportantChange | None = None
    added_value: AddedValue | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if bool(self.items) == bool(self.scales):
            msg = f"scale {self.id!r}: give exactly one of items and scales"
            raise ValueError(msg)
        for name, ids in (("items", self.items), ("scales", self.scales)):
            if len(set(ids)) != len(ids):
                msg = f"scale {self.id!r}: {name} repeat: {ids}"
                raise ValueError(msg)
        keyed = set(self.reverse) | {r.item for r in self.recode}
        if not keyed <= set(self.items):
            msg = f"scale {self.id!r}: keys for items outside the scale: {sorted(keyed - set(self.items))}"
            raise ValueError(msg)
        if set(self.reverse) & {r.item for r in self.recode}:
            msg = f"scale {self.id!r}: an item is both reversed and recoded"
            raise ValueError(msg)
        parts = len(self.items) or len(self.scales)
        if self.missing.min_answered > parts:
            msg = f"scale {self.id!r}: min_answered {self.missing.min_answered} exceeds its {parts} parts"
            raise ValueError(msg)
        if self.scales and self.gate is not None:
            msg = f"scale {self.id!r}: a gate needs an item scale"
            raise ValueError(msg)
        return self


class Band(_Frozen):
    """One interval of a scale's values with a label.

    Bounds are explicit: ``lower``/``upper`` with whether each is included.
    ``None`` bounds are not allowed; bands must cover the scale's range.
    """

    id: str = Field(pattern=_ID_PATTERN)
    label_en: str = Field(min_length=2)
    label_da: str = Field(min_length=2)
    lower: float
    upper: float
    lower_inclusive: bool = True
    upper_inclusive: bool = True
    source: Source | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not (math.isfinite(self.lower) and math.isfinite(self.upper)):
            msg = f"band {self.id!r}: bounds must be finite"
            raise ValueError(msg)
        empty = self.lower > self.upper or (
            self.lower == self.upper and not (self.lower_inclusive and self.upper_inclusive)
        )
        if empty:
            msg = f"band {self.id!r}: empty interval {self.interval}"
            raise ValueError(msg)
        return self

    @property
    def interval(self) -> str:
        """The band in interval notation, e.g. ``[0, 50)``."""
        left = "[" if self.lower_inclusive else "("
        right = "]" if self.upper_inclusive else ")"
        return f"{left}{self.lower:g}, {self.upper:g}{right}"

    def contains(self, value: float) -> bool:
        """Whether ``value`` falls in this band.

        Examples:
            >>> band = Band(id="risk", label_en="risk", label_da="risiko",
            ...             lower=0, upper=50, upper_inclusive=False)
            >>> band.contains(48), band.contains(50)
            (True, False)
        """
        above = value >= self.lower if self.lower_inclusive else value > self.lower
        below = value <= self.upper if self.upper_inclusive else value < self.upper
        return above and below


class Cutoffs(_Frozen):
    """The bands of one scale within a scheme, optionally for a sex and age range.

    ``min_age``/``max_age`` are inclusive and in completed years: a respondent
    aged 17.9 falls in a table for 13-17 (as in norm tables).
    """

    scale: str
    bands: tuple[Band, ...] = Field(min_length=1)
    sex: Sex | None = None
    min_age: float | None = None
    max_age: float | None = None

    @property
    def needs(self) -> tuple[str, ...]:
        """Which respondent facts this table needs (``sex``, ``age``)."""
        needed = ("sex",) if self.sex is not None else ()
        has_age = self.min_age is not None or self.max_age is not None
        return needed + (("age",) if has_age else ())


class CutoffScheme(_Frozen):
    """A named set of band tables, e.g. "risk" for WHO-5 or the SDQ 3-band.

    ``metric`` says what the bands cut: ``"score"`` (the scale's value; bands
    cover the scale's range) or ``"t_score"`` (the T-score from a norm table;
    bands cover ``trivselscore.definitions.norms.T_SCORE_LIMITS``, -1000 to 1000).
    """

    id: str = Field(pattern=_ID_PATTERN)
    label_en: str = Field(min_length=2)
    label_da: str = Field(min_length=2)
    cutoffs: tuple[Cutoffs, ...] = Field(min_length=1)
    source: Source
    note: str | None = None
    metric: Literal["score", "t_score"] = "score"

    @cached_property
    def scale_ids(self) -> tuple[str, ...]:
        """The scales this scheme bands, in definition order, once each."""
        return tuple(dict.fromkeys(c.scale for c in self.cutoffs))


class ItemFlag(_Frozen):
    """A signal raised when any of ``items`` is answered with one of ``codes``.

    ``kind`` says whether the rule is the instrument's own or this library's
    decision (documented as such).
    """

    id: str = Field(pattern=_ID_PATTERN)
    items: tuple[str, ...] = Field(min_length=1)
    codes: tuple[int, ...] = Field(min_length=1)
    message: str = Field(min_length=5)
    kind: Literal["instrument rule", "library decision"]
    source: Source


class ItemMap(_Frozen):
    """How to read this instrument's items from a response to another instrument.

    ``items`` pairs (item id in ``instrument``, item id here); every item of
    the instrument that declares the map must appear once. Used by
    :func:`trivselscore.convert`, e.g. the short MFQ read from a long-form response.
    """

    instrument: str = Field(min_length=2)
    items: tuple[tuple[str, str], ...] = Field(min_length=1)
    source: Source


class ItemBlock(_Frozen):
    """Items a version marks optional: an export may lack their columns (e.g. the SDQ impact supplement).

    A scale that needs an item of a block that was not collected is "not collected"
    (no value, with that reason); every other scale is scored as usual. Items outside
    every block are required: a missing column for one stays an error. ``source``
    says where the block is documented as optional.

    Examples:
        >>> from trivselscore import get_instrument
        >>> [(b.id, b.items[:2]) for b in get_instrument("sdq-s11-17").optional]
        [('impact', ('ebddiff', 'chronic')), ('follow_up', ('fuchange', 'fuhelp'))]
    """

    id: str = Field(pattern=_ID_PATTERN)
    label_en: str = Field(min_length=2)
    label_da: str = Field(min_length=2)
    items: tuple[str, ...] = Field(min_length=1)
    source: Source


class MissingVariant(_Frozen):
    """A named, non-default set of missing-data rules, selected by ``missing=id``."""

    id: str = Field(pattern=_ID_PATTERN)
    label: str = Field(min_length=2)
    rules: tuple[tuple[str, MissingRule], ...] = Field(min_length=1)


class Respondent(_Frozen):
    """Context that norm- and sex-specific cutoffs need, and the instrument's age check.

    ``age`` is in years (0-130); it is used in completed years, as norm tables
    count them (17.9 is 17). When it is given, ``score()`` checks it against the
    instrument's ``age_range``: outside it, the scales are scored but get no
    bands or T-scores, and the result carries the flag ``outside_age_range``
    (or, with ``age_policy="raise"``, ``AgeRangeError`` is raised). When it is
    None, nothing is checked, and age-specific bands and norms give None with
    the reason.

    ``sex`` is one of :data:`SEX_CATEGORIES`: ``"female"``, ``"male"``, ``"other"``
    or ``"unknown"``; the English and Danish words of :data:`SEX_WORDS` are
    accepted too (pige/dreng, kvinde/mand, K/M, f/m, andet, ikke-binær, uoplyst,
    ved ikke, ...; any case, surrounding whitespace stripped) and stored as the
    category. Sex-specific band tables and norm rows exist for female and male
    only: ``other`` and ``unknown`` are scored like anyone else, and get no band
    or T-score from such a table, with the reason (never a guess).

    Examples:
        >>> Respondent(age=15, sex="female").sex
        'female'
        >>> [Respondent(sex=word).sex for word in ("Pige", " dreng ", "K", "Andet", "ved ikke")]
        ['female', 'male', 'female', 'other', 'unknown']
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    age: float | None = Field(default=None, ge=0, le=130)
    sex: SexCategory | None = None

    @field_validator("sex", mode="before")
    @classmethod
    def _sex_word(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        found = sex_category(value)
        if found is None:
            msg = f"sex {value!r} is not one of {', '.join(SEX_WORDS)} (any case)"
            raise ValueError(msg)
        return found
