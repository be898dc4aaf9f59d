"""response_model / json_schema and `trivselscore schema ID`, for every registered instrument."""

from __future__ import annotations

import io
import json

import pytest
from pydantic import ValidationError

from trivselscore import INSTRUMENTS, UnknownInstrumentError, json_schema, response_model, score
from trivselscore.cli.commands import main

IDS = sorted(INSTRUMENTS)


@pytest.mark.parametrize("instrument_id", IDS)
def test_schema_lists_every_item_with_its_codes_or_null(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    schema = json_schema(instrument_id)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert "required" not in schema
    aliases = [alias for item in instrument.items for alias in item.aliases]
    assert list(schema["properties"]) == [*instrument.item_ids, *aliases]  # ids first, then aliases
    for item in instrument.items:
        for name in (item.id, *item.aliases):
            prop = schema["properties"][name]
            assert prop["anyOf"] == [{"enum": list(item.codes), "type": "integer"}, {"type": "null"}]
            assert prop["default"] is None
        assert item.theme in schema["properties"][item.id]["description"]
        for alias in item.aliases:  # one name per item
            others = {name for name in (item.id, *item.aliases) if name != alias}
            assert schema["dependentSchemas"][alias] == {"properties": dict.fromkeys(others, False)}
    assert set(schema.get("dependentSchemas", {})) == set(aliases)
    json.dumps(schema)


@pytest.mark.parametrize("instrument_id", IDS)
def test_model_accepts_codes_and_null_and_feeds_score(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    model = response_model(instrument)
    assert model is response_model(instrument_id)
    answers: dict[str, int | None] = {item.id: item.codes[-1] for item in instrument.items}
    answers[instrument.item_ids[0]] = None
    validated = model.model_validate(answers)
    assert score(instrument, validated.model_dump()).values == score(instrument, answers).values
    assert model.model_validate({}).model_dump() == dict.fromkeys(instrument.item_ids)


@pytest.mark.parametrize("bad", [True, "1", 1.5, -99, [1]])
def test_model_rejects_non_codes(bad):
    with pytest.raises(ValidationError):
        response_model("who5").model_validate({"1": bad})


def test_model_forbids_extra_keys_and_is_frozen():
    model = response_model("who5")
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        model.model_validate({"who5_6": 3})
    answers = model.model_validate({"1": 3})
    with pytest.raises(ValidationError, match="frozen"):
        answers.__setattr__("1", 4)


def test_json_round_trip_through_the_model():
    model = response_model("who5")
    assert model.model_validate_json('{"1": 5, "2": null}').model_dump()["1"] == 5
    with pytest.raises(ValidationError):
        model.model_validate_json('{"1": "5"}')


def test_unknown_instrument():
    with pytest.raises(UnknownInstrumentError):
        json_schema("who-five")


def test_cli_prints_the_schema():
    out = io.StringIO()
    assert main(["schema", "who5"], out=out) == 0
    assert json.loads(out.getvalue()) == json_schema("who5")


def test_cli_unknown_id_exits_2(capsys):
    assert main(["schema", "nope"], out=io.StringIO()) == 2
    assert "no instrument with id 'nope'" in capsys.readouterr().err
