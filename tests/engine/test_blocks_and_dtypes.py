"""The engine reads its input in its own dtype, a block of rows at a time: none of that shows.

Integer arrays of every width (and big-endian ones) give what float64 arrays give;
a batch scores the same whatever the block size (blocks where every answer is
given take a faster path than blocks with gaps); an invalid cell is found and
reported the same wherever its block lies; ``band_codes`` is ``bands`` as codes;
and one respondent for every row bands as that respondent given row by row.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.oracle import oracle_score
from trivselscore import (
    INSTRUMENTS,
    BatchScores,
    Instrument,
    Item,
    MissingRule,
    Respondent,
    ResponseError,
    ResponseOption,
    Scale,
    Source,
    score_batch,
)
from trivselscore.definitions.model import ItemRecode
from trivselscore.engine import codes
from trivselscore.errors import IncompleteResponseError
from trivselscore.strategies import instruments, respondents, response_arrays

IDS = sorted(INSTRUMENTS)
INTEGER_DTYPES = ["int8", "uint8", "int16", ">i2", "int32", "uint32", "int64", "uint64"]


def snapshot(batch: BatchScores) -> dict[str, Any]:
    """Everything a batch hands out, per row, as plain values (NaN compared as equal)."""
    out: dict[str, Any] = {"rows": [batch.row(i) for i in range(len(batch))]}
    for scale_id in batch.instrument.scale_ids:
        out[f"values {scale_id}"] = batch[scale_id].tolist()
        out[f"answered {scale_id}"] = batch.answered(scale_id).tolist()
        out[f"prorated {scale_id}"] = batch.prorated(scale_id).tolist()
    for scheme in batch.instrument.schemes:
        for scale_id in scheme.scale_ids:
            out[f"bands {scheme.id} {scale_id}"] = batch.bands(scale_id, scheme.id).tolist()
            codes_, ids = batch.band_codes(scale_id, scheme.id)
            out[f"codes {scheme.id} {scale_id}"] = (
                [ids[c] if c >= 0 else None for c in codes_.tolist()],
                ids,
            )
    out["flags"] = {k: v.tolist() for k, v in batch.flags.items()}
    return out


def assert_same_batch(first: BatchScores, second: BatchScores) -> None:
    mine, theirs = snapshot(first), snapshot(second)
    assert mine.keys() == theirs.keys()
    for key, value in mine.items():
        np.testing.assert_equal(value, theirs[key], err_msg=key)


def fitting(dtype: str, low: int, high: int) -> bool:
    info = np.iinfo(np.dtype(dtype))
    return info.min <= low and high <= info.max


@pytest.mark.parametrize("instrument_id", IDS)
@settings(max_examples=12)
@given(data=st.data())
def test_integer_input_scores_as_its_float64_copy(instrument_id, data):
    dtype = data.draw(st.sampled_from(INTEGER_DTYPES))
    array = data.draw(response_arrays(instrument_id, min_size=1, max_size=6, missing="never"))
    person = data.draw(respondents(max_age=25))
    as_float = score_batch(instrument_id, array, respondent=person)
    as_ints = score_batch(instrument_id, array.astype(dtype), respondent=person)
    assert_same_batch(as_ints, as_float)


@settings(max_examples=40)
@given(instrument=instruments(), data=st.data())
def test_integer_input_of_generated_instruments(instrument, data):
    array = data.draw(response_arrays(instrument, min_size=1, max_size=6, missing="never"))
    codes_seen = [c for item in instrument.items for c in item.codes]
    dtype = data.draw(
        st.sampled_from([d for d in INTEGER_DTYPES if fitting(d, min(codes_seen), max(codes_seen))])
    )
    assert_same_batch(score_batch(instrument, array.astype(dtype)), score_batch(instrument, array))


@settings(max_examples=40)
@given(instrument=instruments(), data=st.data())
def test_block_size_changes_nothing(instrument, data):
    array = data.draw(response_arrays(instrument, min_size=0, max_size=12, missing="sometimes"))
    whole_rows = data.draw(st.booleans())
    if whole_rows and len(array):  # some blocks with every answer given, some with gaps
        array[: len(array) // 2] = data.draw(
            response_arrays(instrument, min_size=len(array) // 2, max_size=len(array) // 2, missing="never")
        )
    policy = data.draw(st.sampled_from([None, "propagate", "prorate"]))
    expected = score_batch(instrument, array, missing=policy)
    with mock.patch.object(codes, "BLOCK_ROWS", data.draw(st.integers(1, 5))):
        assert_same_batch(score_batch(instrument, array, missing=policy), expected)


@pytest.mark.parametrize("instrument_id", ["sdq-s11-17", "who5", "mfq-c"])
def test_block_size_changes_nothing_on_a_larger_batch(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    rng = np.random.default_rng(26)
    columns = [rng.choice([*item.codes, np.nan], size=300, p=None) for item in instrument.items]
    array = np.column_stack(columns)
    array[:150] = np.nan_to_num(array[:150], nan=instrument.items[0].codes[0])  # whole first blocks
    expected = score_batch(instrument, array)
    with mock.patch.object(codes, "BLOCK_ROWS", 64):
        assert_same_batch(score_batch(instrument, array), expected)


@pytest.mark.parametrize("dtype", ["float64", "int8", "int64"])
def test_the_first_invalid_cell_is_reported_wherever_its_block_lies(dtype):
    array = np.zeros((9, 5), dtype=dtype)
    array[7, 0] = 9  # first item with a bad value, in the last block
    array[1, 3] = 7  # an earlier row, but a later item
    with mock.patch.object(codes, "BLOCK_ROWS", 2), pytest.raises(ResponseError) as info:
        score_batch("who5", array)
    assert (info.value.item_id, info.value.row, info.value.value) == ("1", 7, 9)


def test_an_invalid_cell_in_a_later_block_wins_over_an_earlier_gap():
    array = np.zeros((6, 5))
    array[0, 2] = np.nan  # a gap in the first block
    array[5, 4] = 6  # an invalid cell in the last
    with mock.patch.object(codes, "BLOCK_ROWS", 2), pytest.raises(ResponseError) as info:
        score_batch("who5", array, missing="raise")
    assert not isinstance(info.value, IncompleteResponseError)
    assert (info.value.item_id, info.value.row) == ("5", 5)


def test_the_first_gap_is_reported_across_blocks():
    array = np.zeros((6, 5))
    array[3, 4] = np.nan
    array[5, 0] = np.nan
    with mock.patch.object(codes, "BLOCK_ROWS", 2), pytest.raises(IncompleteResponseError) as info:
        score_batch("who5", array, missing="raise")
    assert (info.value.item_id, info.value.row) == ("5", 3)


@pytest.mark.parametrize(
    ("dtype", "value"),
    [
        ("int8", -128),
        ("int8", 127),
        ("int8", -1),
        ("uint8", 255),
        ("int16", 256 + 3),  # 3 after a cast to int8: the cast must not make it a code
        ("int64", 2**62),
        ("uint64", 2**64 - 1),
        (">i4", 6),
    ],
)
def test_integers_outside_the_codes_are_errors_naming_the_exact_value(dtype, value):
    array = np.full((3, 5), 2, dtype=dtype)
    array[1, 2] = value
    with pytest.raises(ResponseError) as info:
        score_batch("who5", array)
    assert (info.value.item_id, info.value.row, info.value.value) == ("3", 1, value)
    assert f"{value!r} is not an allowed code" in str(info.value)


def test_floats_that_wrap_in_a_small_integer_cast_are_errors():
    array = np.full((2, 5), 2.0)
    array[1, 0] = 256 + 3.0  # int8 cast gives 3 on some platforms
    with pytest.raises(ResponseError, match="259 is not an allowed code"):
        score_batch("who5", array)


def test_codes_with_holes_are_checked_per_item():
    holes = INSTRUMENTS["who5"].model_copy(deep=True)
    items = tuple(
        item.model_copy(update={"options": tuple(o for o in item.options if o.code != 2)})
        for item in holes.items
    )
    scales = tuple(scale.model_copy(update={"multiplier": 1}) for scale in holes.scales)
    with_holes = holes.model_copy(
        update={"items": items, "scales": scales[:1], "schemes": (), "default_scheme": None, "flags": ()}
    )
    ok = np.array([[0, 1, 3, 4, 5]], dtype=np.int8)
    assert score_batch(with_holes, ok)["raw"].tolist() == [13.0]
    with pytest.raises(ResponseError, match="2 is not an allowed code"):
        score_batch(with_holes, np.array([[0, 1, 2, 4, 5]], dtype=np.int8))


@pytest.mark.parametrize("instrument_id", IDS)
@settings(max_examples=8)
@given(data=st.data())
def test_one_respondent_bands_as_the_same_respondent_row_by_row(instrument_id, data):
    array = data.draw(response_arrays(instrument_id, min_size=2, max_size=6))
    person = data.draw(st.one_of(st.none(), respondents(max_age=25)))
    shared = score_batch(instrument_id, array, respondent=person)
    each = score_batch(instrument_id, array, respondent=[person] * len(array))
    assert_same_batch(shared, each)


def test_band_codes_name_one_id_once_when_tables_repeat_it():
    # mfq-c's jarbin scheme has one table per sex with the same band ids
    instrument = INSTRUMENTS["mfq-c"]
    scheme = next(s for s in instrument.schemes if len(s.cutoffs) > 1)
    array = np.array([[0] * 33, [2] * 33, [1] * 33])
    people = [Respondent(sex="female"), Respondent(sex="male"), None]
    batch = score_batch(instrument, array, respondent=people)
    found, ids = batch.band_codes("total", scheme.id)
    assert len(set(ids)) == len(ids)
    assert [ids[c] if c >= 0 else None for c in found.tolist()] == batch.bands("total", scheme.id).tolist()
    assert found.tolist()[2] == -1
    assert not found.flags.writeable


def test_answered_of_a_batch_without_gaps_is_a_constant_view():
    batch = score_batch("sdq-s11-17", np.ones((4, 35), dtype=np.int8))
    answered = batch.answered("emotional")
    assert answered.tolist() == [5] * 4
    assert batch.answered("total").tolist() == [20] * 4
    assert not answered.flags.writeable
    assert batch.prorated("total").tolist() == [False] * 4


# --- every kind of item key on the fast path and the slow path, against the oracle -------------

SRC = Source(citation="Invented for the block and dtype tests", status="derived")
KEYED = {  # item -> (codes, scored values): slopes 2, -2, 0, a curve, -1 (reversed) and 1
    "a": ((0, 1, 2), (0, 2, 4)),
    "b": ((0, 1, 2), (4, 2, 0)),
    "c": ((0, 1, 2), (1, 1, 1)),
    "d": ((0, 1, 2), (0, 0, 3)),
    "e": ((1, 2, 3), (3, 2, 1)),
    "f": ((1, 2, 3), (1, 2, 3)),
}


def _item(item_id: str, codes_: tuple[int, ...]) -> Item:
    options = tuple(ResponseOption(code=c, label_en=f"c{c}", label_da=f"k{c}") for c in codes_)
    return Item(id=item_id, theme=f"theme {item_id}", options=options)


def keyed_instrument(*, big: bool = False) -> Instrument:
    """Six keyed items in one scale, two plain ones in another (times 3), and a prorated composite."""
    shift = 2**31 - 8 if big else 0  # sums too wide for int32: the float64 tables
    codes_ = {i: tuple(c + shift for c in cs) for i, (cs, _) in KEYED.items()}
    recode = tuple(
        ItemRecode(item=i, values=tuple(zip(codes_[i], vs, strict=True)), source=SRC)
        for i, (_, vs) in KEYED.items()
        if i not in {"e", "f"}
    )
    plain_items = (_item("g", (shift, shift + 1)), _item("h", (shift, shift + 1)))
    items = (*(_item(i, cs) for i, cs in codes_.items()), *plain_items)
    rule = MissingRule(kind="prorate", min_answered=4, rounding="half_up", source=SRC)
    keyed = Scale(
        id="keyed",
        label_en="keyed",
        label_da="nøgle",
        items=tuple(KEYED),
        reverse=("e",),
        recode=recode,
        missing=rule,
        higher_is_better=True,
        source=SRC,
    )
    plain = Scale(
        id="plain",
        label_en="plain",
        label_da="ren",
        items=("g", "h"),
        multiplier=3,
        missing=rule.model_copy(update={"min_answered": 1}),
        higher_is_better=True,
        source=SRC,
    )
    both = Scale(
        id="both",
        label_en="both",
        label_da="begge",
        scales=("keyed", "plain"),
        multiplier=2,
        missing=rule.model_copy(update={"min_answered": 1, "rounding": "none"}),
        higher_is_better=True,
        source=SRC,
    )
    return Instrument(id="keyed", name="keyed", version="1", informant="self", licence="invented for tests",
                      source=SRC, items=items, scales=(keyed, plain, both))  # fmt: skip


@pytest.mark.parametrize("big", [False, True], ids=["small codes", "codes near 2**31"])
@settings(max_examples=40)
@given(data=st.data())
def test_keyed_items_on_both_paths_equal_the_oracle(big, data):
    instrument = keyed_instrument(big=big)
    array = data.draw(response_arrays(instrument, min_size=1, max_size=8, missing="sometimes"))
    policy = data.draw(st.sampled_from([None, "propagate", "prorate"]))
    with mock.patch.object(codes, "BLOCK_ROWS", data.draw(st.integers(1, 3))):
        batch = score_batch(instrument, array, missing=policy)
        whole = array[~np.isnan(array).any(axis=1)]
        if not big:
            assert_same_batch(score_batch(instrument, whole.astype(np.int8)), score_batch(instrument, whole))
    for i, row in enumerate(array.tolist()):
        expected = oracle_score(instrument, [None if np.isnan(v) else int(v) for v in row], policy)
        for scale_id, value in expected.items():
            got = batch[scale_id][i]
            assert (np.isnan(got) and value is None) or got == value, (scale_id, row)
