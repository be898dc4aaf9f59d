"""Definition validators: a wrong instrument fails when it is built (at import)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from trivselscore import (
    INSTRUMENTS,
    Band,
    Cutoffs,
    CutoffScheme,
    Instrument,
    Item,
    ItemFlag,
    MissingRule,
    Scale,
    Source,
)
from trivselscore.definitions.model import Gate, ItemRecode, MissingVariant, options

SRC = Source(citation="Test source, invented for validator tests", status="derived")
OPTS = options(("a", "a"), ("b", "b"), ("c", "c"))
RULE = MissingRule(kind="prorate", min_answered=2, rounding="half_up", source=SRC)
ONE = MissingRule(min_answered=1, source=SRC)


def items(n: int = 3) -> tuple[Item, ...]:
    return tuple(Item(id=str(i), theme=f"theme {i}", options=OPTS) for i in range(1, n + 1))


def scale(**overrides: Any) -> Scale:
    fields: dict[str, Any] = {
        "id": "total",
        "label_en": "total",
        "label_da": "total",
        "items": ("1", "2", "3"),
        "missing": RULE,
        "higher_is_better": False,
        "source": SRC,
    }
    fields.update(overrides)
    return Scale(**fields)


def band(band_id: str, lower: float, upper: float, **kw: Any) -> Band:
    return Band(id=band_id, label_en=band_id, label_da=band_id, lower=lower, upper=upper, **kw)


GOOD_BANDS = (band("low", 0, 3, upper_inclusive=False), band("high", 3, 6))


def scheme(bands: tuple[Band, ...] = GOOD_BANDS, **kw: Any) -> CutoffScheme:
    return CutoffScheme(
        id=kw.pop("id", "bands"),
        label_en="bands",
        label_da="bånd",
        cutoffs=kw.pop("cutoffs", (Cutoffs(scale="total", bands=bands),)),
        source=SRC,
    )


def instrument(**overrides: Any) -> Instrument:
    fields: dict[str, Any] = {
        "id": "test",
        "name": "test instrument",
        "version": "1",
        "informant": "self",
        "licence": "invented for tests",
        "source": SRC,
        "items": items(),
        "scales": (scale(),),
        "schemes": (scheme(),),
        "default_scheme": "bands",
    }
    fields.update(overrides)
    return Instrument(**fields)


def test_the_valid_base_builds():
    built = instrument()
    assert built.scale_range("total") == (0, 6)


BROKEN = [
    pytest.param(
        {"items": (*items(), Item(id="1", theme="again", options=OPTS))}, "used twice", id="dup-item"
    ),
    pytest.param(
        {"items": (Item(id="1", theme="xx", options=OPTS, aliases=("2",)), *items()[1:])},
        "used twice",
        id="alias-clashes-with-id",
    ),
    pytest.param({"scales": (scale(items=("1", "2", "9")),)}, "unknown items", id="scale-unknown-item"),
    pytest.param({"scales": (scale(), scale())}, "scale ids repeat", id="dup-scale"),
    pytest.param(
        {"scales": (scale(id="sum2", scales=("total",), items=(), missing=ONE), scale())},
        "not defined before",
        id="composite-before-part",
    ),
    pytest.param(
        {
            "items": (
                Item(
                    id="1", theme="xx", options=options(("a", "a"), ("b", "b")) + options(("c", "c"), start=3)
                ),
                *items()[1:],
            ),
            "scales": (scale(reverse=("1",)),),
            "schemes": (),
            "default_scheme": None,
        },
        "not symmetric",
        id="reverse-asymmetric",
    ),
    pytest.param({"schemes": (scheme((band("low", 0, 2), band("high", 3, 6))),)}, "gap", id="band-gap"),
    pytest.param(
        {"schemes": (scheme((band("low", 0, 3), band("high", 3, 6))),)}, "overlap", id="band-overlap-point"
    ),
    pytest.param(
        {"schemes": (scheme((band("low", 0, 4), band("high", 3, 6))),)}, "overlap", id="band-overlap-range"
    ),
    pytest.param(
        {
            "schemes": (
                scheme((band("low", 0, 3, upper_inclusive=False), band("high", 3, 6, lower_inclusive=False))),
            )
        },
        "gap at 3",
        id="band-open-both-sides",
    ),
    pytest.param(
        {"schemes": (scheme((band("low", 1, 3), band("high", 3, 6, lower_inclusive=False))),)},
        "start at 0",
        id="band-not-from-min",
    ),
    pytest.param(
        {"schemes": (scheme((band("low", 0, 3), band("high", 3, 5, lower_inclusive=False))),)},
        "end at 6",
        id="band-not-to-max",
    ),
    pytest.param(
        {
            "schemes": (
                scheme((band("low", 0, 3), band("high", 3, 6, lower_inclusive=False, upper_inclusive=False))),
            )
        },
        "end at 6 inclusive",
        id="band-max-excluded",
    ),
    pytest.param(
        {"schemes": (scheme(cutoffs=(Cutoffs(scale="nope", bands=GOOD_BANDS),)),)},
        "unknown scale",
        id="scheme-unknown-scale",
    ),
    pytest.param({"default_scheme": "other"}, "not defined", id="default-scheme-missing"),
    pytest.param({"schemes": (scheme(), scheme())}, "scheme ids repeat", id="dup-scheme"),
    pytest.param(
        {
            "schemes": (
                scheme(
                    cutoffs=(
                        Cutoffs(scale="total", bands=GOOD_BANDS),
                        Cutoffs(scale="total", bands=GOOD_BANDS, sex="female"),
                    )
                ),
            )
        },
        "same respondents",
        id="overlapping-tables",
    ),
    pytest.param(
        {
            "flags": (
                ItemFlag(
                    id="f", items=("7",), codes=(1,), message="flag text", kind="library decision", source=SRC
                ),
            )
        },
        "unknown item",
        id="flag-unknown-item",
    ),
    pytest.param(
        {
            "flags": (
                ItemFlag(
                    id="f", items=("1",), codes=(7,), message="flag text", kind="library decision", source=SRC
                ),
            )
        },
        "codes are not codes",
        id="flag-bad-code",
    ),
    pytest.param(
        {"scales": (scale(recode=(ItemRecode(item="1", values=((0, 0), (1, 0)), source=SRC),)),)},
        "must map exactly its codes",
        id="recode-incomplete",
    ),
    pytest.param(
        {"scales": (scale(gate=Gate(item="1", codes=(0,), value=0, source=SRC)),)},
        "gate item",
        id="gate-inside-scale",
    ),
    pytest.param(
        {
            "items": (*items(), Item(id="4", theme="gate", options=OPTS)),
            "scales": (scale(gate=Gate(item="4", codes=(5,), value=0, source=SRC)),),
        },
        "gate codes",
        id="gate-bad-code",
    ),
    pytest.param(
        {"missing_variants": (MissingVariant(id="prorate", label="xx", rules=(("total", RULE),)),)},
        "may not be named",
        id="variant-reserved-name",
    ),
    pytest.param(
        {"missing_variants": (MissingVariant(id="v", label="xx", rules=(("nope", RULE),)),)},
        "unknown scale",
        id="variant-unknown-scale",
    ),
    pytest.param(
        {
            "missing_variants": (
                MissingVariant(
                    id="v", label="xx", rules=(("total", MissingRule(min_answered=4, source=SRC)),)
                ),
            )
        },
        "too large",
        id="variant-min-too-large",
    ),
    pytest.param({"age_range": (17, 11)}, "test: age_range", id="age-range-reversed"),
    pytest.param({"age_range": (-1, 17)}, "test: age_range", id="age-range-below-0"),
    pytest.param({"age_range": (11, 131)}, "test: age_range", id="age-range-above-130"),
    pytest.param({"age_range": (float("nan"), 17)}, "test: age_range", id="age-range-nan"),
    pytest.param({"age_range": (11, float("inf"))}, "test: age_range", id="age-range-infinite"),
    pytest.param(
        {
            "flags": (
                ItemFlag(
                    id="outside_age_range",
                    items=("1",),
                    codes=(0,),
                    message="flag text",
                    kind="library decision",
                    source=SRC,
                ),
            )
        },
        "reserved",
        id="flag-reserved-id",
    ),
    pytest.param({"id": "Who 5"}, "String should match pattern", id="bad-instrument-id"),
    pytest.param({"extra_field": 1}, "Extra inputs are not permitted", id="extra-field"),
]


@pytest.mark.parametrize(("overrides", "message"), BROKEN)
def test_broken_definition_is_rejected(overrides, message):
    with pytest.raises(ValidationError, match=message):
        instrument(**overrides)


SCALE_BROKEN = [
    pytest.param({"items": (), "scales": ()}, "exactly one of items and scales", id="neither"),
    pytest.param({"scales": ("x",)}, "exactly one of items and scales", id="both"),
    pytest.param({"items": ("1", "1", "2")}, "repeat", id="dup-item-in-scale"),
    pytest.param({"reverse": ("9",)}, "outside the scale", id="reverse-outside"),
    pytest.param(
        {"reverse": ("1",), "recode": (ItemRecode(item="1", values=((0, 0),), source=SRC),)},
        "both reversed and recoded",
        id="reversed-and-recoded",
    ),
    pytest.param(
        {"missing": MissingRule(min_answered=4, source=SRC)}, "exceeds", id="min-answered-too-large"
    ),
    pytest.param(
        {
            "items": (),
            "scales": ("a",),
            "missing": ONE,
            "gate": Gate(item="1", codes=(0,), value=0, source=SRC),
        },
        "gate needs an item scale",
        id="gate-on-composite",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), SCALE_BROKEN)
def test_broken_scale_is_rejected(overrides, message):
    with pytest.raises(ValidationError, match=message):
        scale(**overrides)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lower": 3, "upper": 2}, "empty interval"),
        ({"lower": 2, "upper": 2, "upper_inclusive": False}, "empty interval"),
        ({"lower": float("-inf"), "upper": 2}, "finite"),
        ({"lower": 0, "upper": float("nan")}, "finite"),
    ],
)
def test_broken_band_is_rejected(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        Band(id="b", label_en="bb", label_da="bb", **kwargs)


def test_repeated_response_codes_are_rejected():
    twice = (*OPTS, OPTS[0])
    with pytest.raises(ValidationError, match="codes repeat"):
        Item(id="1", theme="xx", options=twice)


def test_single_point_band_is_allowed():
    assert band("zero", 0, 0).contains(0)


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_definitions_are_frozen(instrument_id):
    definition = INSTRUMENTS[instrument_id]
    with pytest.raises(ValidationError, match="frozen"):
        definition.id = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        definition.items[0].id = "changed"  # type: ignore[misc]
    assert isinstance(definition.items, tuple)
    with pytest.raises(TypeError):
        INSTRUMENTS["new"] = definition  # type: ignore[index]


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_json_round_trip(instrument_id):
    definition = INSTRUMENTS[instrument_id]
    again = Instrument.model_validate_json(definition.model_dump_json())
    assert again == definition
    assert again.item_ids == definition.item_ids


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_every_constant_has_a_source(instrument_id):
    definition = INSTRUMENTS[instrument_id]
    sources = [definition.source]
    sources += [s.source for s in definition.scales] + [s.missing.source for s in definition.scales]
    sources += [s.source for s in definition.schemes] + [f.source for f in definition.flags]
    sources += [definition.age_range_source] if definition.age_range_source is not None else []
    sources += [block.source for block in definition.optional]
    for source in sources:
        assert len(source.citation) > 10
        assert source.status in {"verified", "verified-secondary", "derived", "unverified"}


def test_source_rendering():
    verified = Source(
        citation="Author A. Title. 2020", doi="10.1/x", url="https://example.org", status="verified"
    )
    assert str(verified) == "Author A. Title. 2020, doi:10.1/x, https://example.org"
    assert str(SRC).endswith("[derived]")
