"""``model_copy(update=...)`` validates a definition again, like building it anew.

Before the fix pydantic's ``model_copy`` skipped validation (and carried over the
cached lookups): a WHO-5 copy whose raw scale had a multiplier of 7 scored the
percentage 700 with no error, and one whose percentage scale had it scored 175,
both above the 0-100 its bands cover.
"""

from __future__ import annotations

import pickle

import pytest
from pydantic import BaseModel, ValidationError

from trivselscore import INSTRUMENTS, Respondent, get_instrument, score
from trivselscore.definitions import model as _model
from trivselscore.definitions.model import Band, Item, ResponseOption, Source

WHO5 = get_instrument("who5")
RAW, PERCENTAGE = WHO5.scales


def definition_classes() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    todo = [_model._Frozen]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_definition_class_validates_its_copies():
    classes = {cls.__name__ for cls in definition_classes()}
    assert {"Instrument", "Scale", "Band", "Item", "Respondent", "NormTable"} <= classes
    for cls in definition_classes():
        assert cls.model_copy is _model._Frozen.model_copy, cls.__name__


@pytest.mark.parametrize("scale", [RAW, PERCENTAGE], ids=["raw", "percentage"])
def test_a_copy_with_a_multiplier_outside_the_bands_is_rejected(scale):
    changed = scale.model_copy(update={"multiplier": 7})  # a valid scale on its own
    scales = tuple(changed if s is scale else s for s in WHO5.scales)
    with pytest.raises(ValidationError, match="bands must end at"):
        WHO5.model_copy(update={"scales": scales})


BAD_UPDATES = [
    (WHO5, {"default_scheme": "nope"}, "default scheme"),
    (WHO5, {"items": WHO5.items[:4]}, "unknown items"),
    (WHO5, {"id": "WHO 5"}, "pattern"),
    (WHO5, {"colour": "red"}, "Extra inputs"),
    (WHO5, {"items": list(WHO5.items)}, "tuple"),  # strict: the containers stay tuples
    (RAW, {"items": (), "scales": ()}, "exactly one"),
    (RAW, {"multiplier": 0}, "greater than or equal"),
    (RAW, {"multiplier": "7"}, "integer"),
    (WHO5.items[0], {"options": WHO5.items[0].options * 2}, "repeat"),
    (WHO5.schemes[0].cutoffs[0].bands[0], {"upper": -1.0}, "empty interval"),
    (Source(citation="A citation", status="derived"), {"citation": "A"}, "at least 3"),
    (Respondent(age=15), {"age": -1}, "greater than or equal"),
]


@pytest.mark.parametrize(("definition", "update", "message"), BAD_UPDATES, ids=lambda v: str(v)[:30])
def test_an_invalid_update_raises_validation_error(definition, update, message):
    with pytest.raises(ValidationError, match=message):
        definition.model_copy(update=update)


def test_a_valid_update_equals_building_it_and_has_fresh_lookups():
    copy = WHO5.model_copy(update={"id": "who5-copy"})
    assert copy.id == "who5-copy"
    assert copy.model_dump(exclude={"id"}) == WHO5.model_dump(exclude={"id"})
    assert score(copy, [5] * 5).values == {"raw": 25, "percentage": 100}
    WHO5.scale_range("raw")  # fills WHO5's cached lookups
    option = ResponseOption(code=9, label_en="nine", label_da="ni")
    item = Item(id="9", theme="ninth", options=(*WHO5.items[0].options, option))
    wider = WHO5.items[0].model_copy(update={"options": item.options})
    assert wider.codes == (0, 1, 2, 3, 4, 5, 9)
    band = Band(id="low", label_en="low", label_da="lav", lower=0, upper=10)
    assert band.model_copy(update={"upper": 20}).contains(15)


def test_a_copy_without_update_is_equal_and_deep_copies_too():
    assert WHO5.model_copy() == WHO5
    assert WHO5.model_copy(deep=True) == WHO5
    deep = WHO5.model_copy(update={"id": "who5-deep"}, deep=True)
    assert deep.items == WHO5.items
    assert deep.items[0] is not WHO5.items[0]


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_definitions_pickle_without_their_cached_lookups(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    instrument.scale_range(instrument.scale_ids[0])  # a cached, read-only lookup
    loaded = pickle.loads(pickle.dumps(instrument))  # noqa: S301 - our own bytes
    assert loaded == instrument
    assert loaded.scale_range(instrument.scale_ids[0]) == instrument.scale_range(instrument.scale_ids[0])
