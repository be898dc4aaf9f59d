"""The bad-input table, run for every registered instrument.

Every case must raise ``ResponseError`` naming the item (when there is one);
nothing is coerced, and the caller's input is never mutated.
"""

from __future__ import annotations

import contextlib
import copy
import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore import (
    INSTRUMENTS,
    IncompleteResponseError,
    Instrument,
    ResponseError,
    score,
    score_batch,
)

IDS = sorted(INSTRUMENTS)


def valid_row(instrument: Instrument) -> list[int]:
    return [item.codes[0] for item in instrument.items]


def first(instrument: Instrument) -> str:
    return instrument.item_ids[0]


def above_max(instrument: Instrument) -> int:
    return instrument.items[0].codes[-1] + 1


# Each maker receives the target Item.
BAD_VALUES = [
    pytest.param(lambda item: item.codes[-1] + 1, "is not an allowed code", id="above-max"),
    pytest.param(lambda item: item.codes[0] - 1, "is not an allowed code", id="below-min"),
    pytest.param(lambda _: 2.5, "is not a whole number", id="fraction"),
    pytest.param(lambda _: 0.5, "is not a whole number", id="half"),
    pytest.param(lambda _: True, "is not a number", id="bool-true"),
    pytest.param(lambda _: np.False_, "is not a number", id="numpy-bool"),
    pytest.param(lambda _: "2", "is not a number", id="numeric-string"),
    pytest.param(lambda _: "", "is not a number", id="empty-string"),
    pytest.param(lambda _: math.inf, "is not a finite number", id="inf"),
    pytest.param(lambda _: -math.inf, "is not a finite number", id="minus-inf"),
    pytest.param(lambda _: 10**400, "is not an allowed code", id="huge-int"),
    pytest.param(lambda _: [1], "is not a number", id="list"),
    pytest.param(lambda _: complex(1, 0), "is not a number", id="complex"),
]


@pytest.mark.parametrize("instrument_id", IDS)
@pytest.mark.parametrize(("make", "message"), BAD_VALUES)
def test_bad_value_in_mapping(instrument_id, make, message):
    instrument = INSTRUMENTS[instrument_id]
    value = make(instrument.items[0])
    responses = {first(instrument): value}
    before = copy.deepcopy(responses)
    with pytest.raises(ResponseError, match=message) as info:
        score(instrument_id, responses)
    assert info.value.item_id == first(instrument)
    assert info.value.instrument_id == instrument_id
    assert info.value.row is None
    assert responses == before


@pytest.mark.parametrize("instrument_id", IDS)
@pytest.mark.parametrize(("make", "message"), BAD_VALUES)
def test_bad_value_in_sequence(instrument_id, make, message):
    instrument = INSTRUMENTS[instrument_id]
    row: list[object] = list(valid_row(instrument))
    row[-1] = make(instrument.items[-1])
    with pytest.raises(ResponseError, match=message) as info:
        score(instrument_id, row)
    assert info.value.item_id == instrument.item_ids[-1]


@pytest.mark.parametrize("instrument_id", IDS)
def test_error_lists_allowed_codes(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    with pytest.raises(ResponseError) as info:
        score(instrument_id, {first(instrument): above_max(instrument)})
    assert info.value.allowed == instrument.items[0].codes
    assert str(list(instrument.items[0].codes)) in str(info.value)
    assert info.value.value == above_max(instrument)


@pytest.mark.parametrize("instrument_id", IDS)
def test_unknown_item_id(instrument_id):
    with pytest.raises(ResponseError, match="unknown item id 'nope'") as info:
        score(instrument_id, {"nope": 1})
    assert info.value.item_id == "nope"


@pytest.mark.parametrize("instrument_id", IDS)
def test_unknown_numeric_item_id(instrument_id):
    with pytest.raises(ResponseError, match="unknown item id 999"):
        score(instrument_id, {999: 1})


@pytest.mark.parametrize("instrument_id", IDS)
@pytest.mark.parametrize("key", [True, 1.0, None, ("1",)], ids=["bool", "float", "none", "tuple"])
def test_bad_key_type(instrument_id, key):
    with pytest.raises(ResponseError, match="must be a str or int"):
        score(instrument_id, {key: 1})


@pytest.mark.parametrize("instrument_id", IDS)
def test_same_item_twice(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    item = instrument.items[0]
    code = item.codes[0]
    with pytest.raises(ResponseError, match="given twice") as info:
        score(instrument_id, {item.id: code, int(item.id): code})  # type: ignore[arg-type]
    assert info.value.item_id == item.id
    for alias in item.aliases:
        with pytest.raises(ResponseError, match="given twice"):
            score(instrument_id, {item.id: code, alias: code})


@pytest.mark.parametrize("instrument_id", IDS)
@pytest.mark.parametrize("delta", [-1, 1])
def test_sequence_of_wrong_length(instrument_id, delta):
    row = valid_row(INSTRUMENTS[instrument_id])
    row = row[:-1] if delta < 0 else [*row, row[0]]
    with pytest.raises(ResponseError, match="answers in item order"):
        score(instrument_id, row)


@pytest.mark.parametrize("instrument_id", IDS)
@pytest.mark.parametrize("responses", ["12345", b"12345", 5, None], ids=["str", "bytes", "int", "none"])
def test_not_a_mapping_or_sequence(instrument_id, responses):
    with pytest.raises(ResponseError, match="mapping or a sequence"):
        score(instrument_id, responses)


@pytest.mark.parametrize("instrument_id", IDS)
def test_batch_wrong_shape(instrument_id):
    width = len(INSTRUMENTS[instrument_id].item_ids)
    for shape in [(3, width + 1), (3, width - 1), (width,), (2, 3, width)]:
        with pytest.raises(ResponseError, match="must have shape"):
            score_batch(instrument_id, np.zeros(shape))


@pytest.mark.parametrize("instrument_id", IDS)
def test_batch_wrong_dtype(instrument_id):
    width = len(INSTRUMENTS[instrument_id].item_ids)
    for array in [np.zeros((2, width), dtype=bool), np.full((2, width), "1"), np.full((2, width), None)]:
        with pytest.raises(ResponseError, match="numeric array"):
            score_batch(instrument_id, array)


@pytest.mark.parametrize("instrument_id", IDS)
def test_batch_error_names_row_and_item(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    data = np.tile(np.array(valid_row(instrument), dtype=float), (4, 1))
    data[2, 0] = above_max(instrument)
    before = data.copy()
    with pytest.raises(ResponseError) as info:
        score_batch(instrument_id, data)
    assert info.value.row == 2
    assert info.value.item_id == instrument.item_ids[0]
    assert "(row 2)" in str(info.value)
    np.testing.assert_array_equal(data, before)


@pytest.mark.parametrize("instrument_id", IDS)
def test_one_d_array_for_single_respondent(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    row = np.array(valid_row(instrument), dtype=np.int64)
    assert score(instrument_id, row) == score(instrument_id, row.tolist())
    with pytest.raises(ResponseError, match="must be 1-D"):
        score(instrument_id, row[np.newaxis, :])


@pytest.mark.parametrize("instrument_id", IDS)
def test_integral_floats_and_numpy_integers_are_accepted(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    row = valid_row(instrument)
    as_float = [float(v) for v in row]
    as_numpy = [np.int8(v) for v in row]
    assert score(instrument_id, as_float) == score(instrument_id, row) == score(instrument_id, as_numpy)


@pytest.mark.parametrize("instrument_id", IDS)
def test_raise_policy_names_the_unanswered_item(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    scored = [i for s in instrument.scales for i in s.items]
    target = scored[0]
    responses = {i: instrument.item(i).codes[-1] for i in instrument.item_ids if i != target}
    with pytest.raises(IncompleteResponseError, match="unanswered") as info:
        score(instrument_id, responses, missing="raise")
    assert info.value.item_id == target
    assert isinstance(info.value, ResponseError)
    assert isinstance(info.value, ValueError)


def test_errors_pickle_with_their_fields():
    with pytest.raises(ResponseError) as info:
        score_batch("who5", np.array([[1, 1, 1, 1, 9]]))
    clone = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - our own object
    assert type(clone) is ResponseError
    assert (clone.instrument_id, clone.item_id, clone.value, clone.allowed, clone.row) == (
        "who5",
        "5",
        9,
        (0, 1, 2, 3, 4, 5),
        0,
    )
    assert str(clone) == str(info.value)


@pytest.mark.parametrize("instrument_id", IDS)
@pytest.mark.parametrize(
    "value", [b"1", bytearray(b"1"), {"1": 1}, object()], ids=["bytes", "bytearray", "dict", "object"]
)
def test_other_non_numbers_are_rejected(instrument_id, value):
    with pytest.raises(ResponseError, match="is not a number") as info:
        score(instrument_id, {INSTRUMENTS[instrument_id].item_ids[0]: value})
    assert info.value.item_id == INSTRUMENTS[instrument_id].item_ids[0]


@pytest.mark.parametrize("instrument_id", IDS)
def test_empty_inputs(instrument_id):
    width = len(INSTRUMENTS[instrument_id].item_ids)
    with pytest.raises(ResponseError, match="answers in item order"):
        score(instrument_id, [])
    assert len(score_batch(instrument_id, [])) == 0  # no rows is an empty batch, as np.empty((0, width))
    # an empty mapping is a respondent who answered nothing: scored as all missing, never an error
    assert all(v is None for v in score(instrument_id, {}).values.values()) or width == 0
    assert len(score_batch(instrument_id, np.empty((0, width)))) == 0


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10) | st.floats() | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=2) | st.dictionaries(st.text(max_size=2), children, max_size=2)
    ),
    max_leaves=4,
)


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_fuzz_json_like_answers_never_raise_another_error(instrument_id, data):
    instrument = INSTRUMENTS[instrument_id]
    keys = st.sampled_from([*instrument.item_ids, "unknown", "999"])
    answers = data.draw(st.dictionaries(keys, JSON_LIKE, max_size=6))
    valid = all(
        key in instrument.item_ids
        and (
            value is None
            or (isinstance(value, float) and math.isnan(value))
            or (
                isinstance(value, (int, float))
                and not isinstance(value, bool)
                and value in instrument.item(key).codes
            )
        )
        for key, value in answers.items()
    )
    if valid:
        assert score(instrument_id, answers).instrument_id == instrument_id
    else:
        with pytest.raises(ResponseError) as info:
            score(instrument_id, answers)
        assert info.value.instrument_id == instrument_id


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_fuzz_sequences(instrument_id, data):
    width = len(INSTRUMENTS[instrument_id].item_ids)
    answers = data.draw(st.lists(JSON_LIKE, min_size=width - 1, max_size=width + 1))
    with contextlib.suppress(ResponseError):
        score(instrument_id, answers)


@pytest.mark.parametrize("instrument_id", IDS)
def test_batch_lists_are_checked_cell_by_cell(instrument_id):
    # numpy would turn [True, 3, ...] into numbers; score() rejects a bool, so must score_batch
    instrument = INSTRUMENTS[instrument_id]
    row: list[object] = list(valid_row(instrument))
    for bad, message in ((True, "is not a number"), ("1", "is not a number")):
        rows = [list(row), [*row[:-1], bad]]
        with pytest.raises(ResponseError, match=message) as info:
            score_batch(instrument_id, rows)
        assert (info.value.row, info.value.item_id) == (1, instrument.item_ids[-1])
    with pytest.raises(ResponseError, match="each row must be") as info:
        score_batch(instrument_id, [row, row[:-1]])
    assert info.value.row == 1
    with pytest.raises(ResponseError, match="array or a sequence of rows"):
        score_batch(instrument_id, "rows")
    assert score_batch(instrument_id, [row]).row(0) == score(instrument_id, row)


@pytest.mark.parametrize(
    "options",
    [
        {"respondent": {"age": 14}},
        {"respondent": "female"},
        {"respondent": [{"age": 14}]},
        {"missing": ["prorate"]},
        {"scheme": ["risk"]},
        {"norms": 5},
    ],
    ids=[
        "respondent-dict",
        "respondent-str",
        "respondent-list-of-dict",
        "missing-list",
        "scheme-list",
        "norms-int",
    ],
)
def test_wrong_option_types_are_type_errors(options):
    with pytest.raises(TypeError, match="must be"):
        score_batch("who5", [[3, 3, 3, 3, 3]], **options)
    if "respondent" not in options or isinstance(options["respondent"], dict):
        with pytest.raises(TypeError, match="must be"):
            score("who5", [3, 3, 3, 3, 3], **options)
