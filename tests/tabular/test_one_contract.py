"""One contract: ``json_schema()``, ``response_model()`` and ``score()`` accept the same answers.

One table of JSON objects, each with its verdict, is run through all three: the
schema (with the small validator below: ``jsonschema`` is not a dependency), the
model (from Python objects and from JSON text) and ``score()``. Before the fix
the schema accepted ``3.0`` and the model rejected it, and the schema described
aliases ("Also known as: who5_1") that it and the model rejected while
``score()`` accepted them.

The decision (docs/system-developers.md): keys are item ids or aliases, each item
once; values are numbers equal to a code (``3.0`` is 3) or null.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from trivselscore import ResponseError, get_instrument, json_schema, response_model, score

OK, REJECT = "ok", "reject"

# (instrument, JSON object, verdict, the answers it means when accepted)
TABLE: list[tuple[str, str, str, dict[str, int] | None]] = [
    ("who5", '{"1": 3, "2": 0, "3": 5, "4": 1, "5": 2}', OK, {"1": 3, "2": 0, "3": 5, "4": 1, "5": 2}),
    ("who5", "{}", OK, {}),
    ("who5", '{"1": 3}', OK, {"1": 3}),
    ("who5", '{"1": null, "2": 4}', OK, {"2": 4}),
    ("who5", '{"1": 3.0}', OK, {"1": 3}),
    ("who5", '{"1": 3e0, "2": 0.0, "3": -0.0}', OK, {"1": 3, "2": 0, "3": 0}),
    ("who5", '{"who5_1": 3}', OK, {"1": 3}),
    ("who5", '{"who5_1": null, "2": 5}', OK, {"2": 5}),
    ("who5", '{"1": 2.5}', REJECT, None),
    ("who5", '{"1": 3.000001}', REJECT, None),
    ("who5", '{"1": 6}', REJECT, None),
    ("who5", '{"1": -1}', REJECT, None),
    ("who5", '{"1": 1e300}', REJECT, None),
    ("who5", '{"1": 1000000000000000000000000000000}', REJECT, None),
    ("who5", '{"1": true}', REJECT, None),
    ("who5", '{"1": false}', REJECT, None),
    ("who5", '{"1": "3"}', REJECT, None),
    ("who5", '{"1": [3]}', REJECT, None),
    ("who5", '{"1": {"value": 3}}', REJECT, None),
    ("who5", '{"6": 1}', REJECT, None),
    ("who5", '{"who5_6": 1}', REJECT, None),
    ("who5", '{"": 1}', REJECT, None),
    ("who5", '{"1": 3, "who5_1": 3}', REJECT, None),
    ("who5", '{"1": null, "who5_1": null}', REJECT, None),
    ("sdq-s11-17", '{"1": 2, "2": 0}', OK, {"1": 2, "2": 0}),
    ("sdq-s11-17", '{"consid": 2, "2restless": 1.0}', OK, {"1": 2, "2": 1}),
    ("sdq-s11-17", '{"1friendly": 2}', OK, {"1": 2}),
    ("sdq-s11-17", '{"consid": 2, "1friendly": 2}', REJECT, None),
    ("sdq-s11-17", '{"1": 2, "1friendly": 2}', REJECT, None),
    ("sdq-s11-17", '{"1": 3}', REJECT, None),
]


# --- a small JSON Schema check: only the keywords json_schema() uses ------------------

ANNOTATIONS = {"$schema", "title", "description", "default"}


def json_equal(a: object, b: object) -> bool:
    """JSON equality: numbers by value, and a boolean is never a number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def has_type(value: object, kind: str) -> bool:
    checks = {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "integer": isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and float(value).is_integer(),  # draft 2020-12: any number with a zero fractional part
    }
    return checks[kind]


def valid(schema: bool | dict[str, Any], value: object) -> bool:  # noqa: C901, PLR0911 - one branch per keyword
    """Whether ``value`` is valid against ``schema``; fails on a keyword it does not know."""
    if isinstance(schema, bool):
        return schema
    unknown = (
        set(schema)
        - ANNOTATIONS
        - {
            "type",
            "enum",
            "anyOf",
            "properties",
            "additionalProperties",
            "dependentSchemas",
            "required",
        }
    )
    assert not unknown, f"the test's schema check does not know {sorted(unknown)}"
    if "type" in schema and not has_type(value, schema["type"]):
        return False
    if "enum" in schema and not any(json_equal(value, option) for option in schema["enum"]):
        return False
    if "anyOf" in schema and not any(valid(option, value) for option in schema["anyOf"]):
        return False
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, item in value.items():
            rule = properties.get(key, schema.get("additionalProperties", True))
            if not valid(rule, item):
                return False
        for key, rule in schema.get("dependentSchemas", {}).items():
            if key in value and not valid(rule, value):
                return False
        if not set(schema.get("required", ())) <= set(value):
            return False
    return True


def test_the_schema_check_knows_json_numbers():
    assert valid({"type": "integer", "enum": [0, 3]}, 3.0)
    assert not valid({"type": "integer", "enum": [0, 1]}, value=True)
    assert not valid({"type": "integer"}, 2.5)
    assert not valid({"dependentSchemas": {"a": {"properties": {"b": False}}}}, {"a": 1, "b": 2})
    assert valid({"dependentSchemas": {"a": {"properties": {"b": False}}}}, {"b": 2})
    with pytest.raises(AssertionError, match="does not know"):
        valid({"minimum": 0}, 1)


# --- the three doors ------------------------------------------------------------------


def model_verdict(instrument_id: str, answers: object) -> tuple[str, dict[str, object] | None]:
    try:
        dumped = response_model(instrument_id).model_validate(answers).model_dump()
    except ValidationError:
        return REJECT, None
    return OK, {k: v for k, v in dumped.items() if v is not None}


def score_verdict(instrument_id: str, answers: object) -> str:
    try:
        score(instrument_id, answers)  # type: ignore[arg-type]
    except ResponseError:
        return REJECT
    return OK


@pytest.mark.parametrize(("instrument_id", "text", "verdict", "meaning"), TABLE)
def test_schema_model_and_score_agree(instrument_id, text, verdict, meaning):
    answers = json.loads(text)
    assert valid(json_schema(instrument_id), answers) == (verdict == OK), "json_schema"
    assert model_verdict(instrument_id, answers) == (verdict, meaning), "response_model"
    try:
        from_json = response_model(instrument_id).model_validate_json(text).model_dump()
    except ValidationError:
        from_json = None
    assert (from_json is not None) == (verdict == OK), "response_model from JSON text"
    assert score_verdict(instrument_id, answers) == verdict, "score"
    if meaning is not None:  # the same scores from the raw answers and from the model's dump
        assert score(instrument_id, answers).values == score(instrument_id, meaning).values
        assert from_json == {**dict.fromkeys(get_instrument(instrument_id).item_ids), **meaning}


# Python values a JSON object cannot hold: the model and score() still agree.
PYTHON_ONLY: list[tuple[dict[object, object], str, dict[str, int] | None]] = [
    ({"1": math.nan}, OK, {}),
    ({1: 3}, OK, {"1": 3}),
    ({"1": np.int64(3)}, OK, {"1": 3}),
    ({"1": np.float32(3.0)}, OK, {"1": 3}),
    ({"1": Fraction(6, 2)}, OK, {"1": 3}),
    ({"1": math.inf}, REJECT, None),
    ({"1": np.True_}, REJECT, None),
    ({"1": np.timedelta64(3)}, REJECT, None),
    ({"1": np.datetime64(3, "s")}, REJECT, None),
    ({"1": Decimal(3)}, REJECT, None),
    ({"1": 3 + 0j}, REJECT, None),
    ({1: 3, "1": 3}, REJECT, None),
    ({True: 3}, REJECT, None),
    ({(1,): 3}, REJECT, None),
]


@pytest.mark.parametrize(("answers", "verdict", "meaning"), PYTHON_ONLY, ids=repr)
def test_model_and_score_agree_on_python_values(answers, verdict, meaning):
    assert model_verdict("who5", answers) == (verdict, meaning)
    assert score_verdict("who5", answers) == verdict


def test_json_has_no_nan_so_the_model_rejects_it_in_json():
    with pytest.raises(ValidationError):
        response_model("who5").model_validate_json('{"1": NaN}')


@pytest.mark.parametrize("answers", [[3, 4, 2, 3, 1], "3", 3, None])
def test_the_model_takes_one_object_of_answers(answers):
    # score() also takes a list in item order: a Python convenience, not a JSON object
    with pytest.raises(ValidationError):
        response_model("who5").model_validate(answers)
    assert not valid(json_schema("who5"), answers)
