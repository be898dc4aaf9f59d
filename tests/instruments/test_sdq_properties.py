"""Hypothesis properties and the bad-input table, for every SDQ version.

- ``score_batch`` row i equals ``score()`` on row i, values and bands;
- the engine equals the pure-Python oracle (``tests/oracle.py``);
- ``missing="prorate"`` with nothing missing equals the plain sum;
- every value falls in exactly one band of every scheme;
- scales are monotone in each of their items (reverse-keyed items the other way).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.oracle import oracle_score
from trivselscore import (
    IncompleteResponseError,
    Instrument,
    ResponseError,
    get_instrument,
    score,
    score_batch,
)

VERSIONS = ["sdq-s11-17", "sdq-p4-17", "sdq-t4-17", "sdq-p2-4", "sdq-s18"]
POLICIES = [None, "propagate", "prorate", "pmhc-total"]


def rows(instrument: Instrument, *, allow_missing: bool = True) -> st.SearchStrategy[list[int | None]]:
    """One respondent: each item's codes, plus None (missing) when allowed."""
    columns = [
        st.sampled_from([*item.codes, *([None] if allow_missing else [])]) for item in instrument.items
    ]
    return st.tuples(*columns).map(list)


def as_float(row: list[int | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in row]


def close(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    assert isinstance(a, (int, float))
    assert isinstance(b, (int, float))
    return math.isclose(a, b, abs_tol=1e-9)


def item_direction(instrument: Instrument, item_id: str) -> int:
    """+1 if a higher code never lowers the item's value in its scale, -1 if reversed."""
    for scale in instrument.scales:
        if item_id in scale.items:
            values = instrument.item_values(scale, item_id)
            codes = sorted(values)
            if all(values[a] <= values[b] for a, b in itertools.pairwise(codes)):
                return 1
            return -1
    return 0


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("instrument_id", VERSIONS)
@given(data=st.data())
def test_batch_row_equals_single_score(instrument_id, policy, data):
    instrument = get_instrument(instrument_id)
    answers = data.draw(st.lists(rows(instrument), min_size=1, max_size=5))
    batch = score_batch(instrument, np.array([as_float(r) for r in answers]), missing=policy)
    for i, row in enumerate(answers):
        single = score(instrument, row, missing=policy)
        assert batch.row(i).values == single.values
        assert [s.bands for s in batch.row(i).scales] == [s.bands for s in single.scales]
        assert [s.prorated for s in batch.row(i).scales] == [s.prorated for s in single.scales]
        for scheme in instrument.schemes:
            for scale_id in scheme.scale_ids:
                found = next(b.band for b in single[scale_id].bands if b.scheme == scheme.id)
                assert batch.bands(scale_id, scheme.id)[i] == found


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("instrument_id", VERSIONS)
@given(data=st.data())
def test_engine_equals_oracle(instrument_id, policy, data):
    instrument = get_instrument(instrument_id)
    row = data.draw(rows(instrument))
    expected = oracle_score(instrument, row, policy)
    result = score(instrument, row, missing=policy)
    for scale_id, value in expected.items():
        assert close(result[scale_id].value, None if value is None else float(value)), scale_id


@pytest.mark.parametrize("instrument_id", VERSIONS)
@given(data=st.data())
def test_prorate_with_nothing_missing_equals_the_plain_sum(instrument_id, data):
    instrument = get_instrument(instrument_id)
    row = data.draw(rows(instrument, allow_missing=False))
    answers = dict(zip(instrument.item_ids, row, strict=True))
    prorated = score(instrument, row, missing="prorate")
    for scale in instrument.scales:
        if scale.items:
            plain = sum(instrument.item_values(scale, i)[answers[i]] for i in scale.items)
            if scale.gate is not None and answers[scale.gate.item] in scale.gate.codes:
                plain = scale.gate.value
        else:
            plain = sum(prorated[part].value for part in scale.scales)  # type: ignore[misc]
        assert prorated[scale.id].value == plain, scale.id
        assert not prorated[scale.id].prorated
    assert (
        prorated.values == score(instrument, row).values == score(instrument, row, missing="propagate").values
    )


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("instrument_id", VERSIONS)
@given(data=st.data())
def test_every_value_in_exactly_one_band_of_every_scheme(instrument_id, policy, data):
    instrument = get_instrument(instrument_id)
    result = score(instrument, data.draw(rows(instrument)), missing=policy)
    for scheme in instrument.schemes:
        for table in scheme.cutoffs:
            value = result[table.scale].value
            if value is None:
                continue
            hits = [b.id for b in table.bands if b.contains(value)]
            assert len(hits) == 1, (scheme.id, table.scale, value, hits)
            assert next(b.band for b in result[table.scale].bands if b.scheme == scheme.id) == hits[0]


@pytest.mark.parametrize("policy", [None, "prorate", "pmhc-total"])
@pytest.mark.parametrize("instrument_id", VERSIONS)
@given(data=st.data())
def test_scales_monotone_in_each_item(instrument_id, policy, data):
    instrument = get_instrument(instrument_id)
    row = data.draw(rows(instrument))
    scored = [i for i, item_id in enumerate(instrument.item_ids) if item_direction(instrument, item_id)]
    column = data.draw(st.sampled_from(scored))
    codes = instrument.items[column].codes
    current = row[column]
    if current is None or current == codes[-1]:
        return
    higher = list(row)
    higher[column] = codes[codes.index(current) + 1]
    before, after = score(instrument, row, missing=policy), score(instrument, higher, missing=policy)
    item_id = instrument.item_ids[column]
    direction = item_direction(instrument, item_id)
    for scale in instrument.scales:
        old, new = before[scale.id].value, after[scale.id].value
        if item_id not in instrument.scale_items(scale.id):
            assert old == new, scale.id
        elif old is not None and new is not None:
            assert direction * (new - old) >= 0, (scale.id, item_id, old, new)
        else:
            assert old is None
            assert new is None


# --- the bad-input table -----------------------------------------------------------------------------


def complete(instrument: Instrument) -> dict[str, int]:
    return dict.fromkeys(instrument.item_ids, 0)


# (responses, item id the error must name)
BAD = [
    pytest.param({"1": 3}, "1", id="3-on-item-1"),
    pytest.param({"25": 3}, "25", id="3-on-item-25"),
    pytest.param({"distres": 4}, "distres", id="4-on-distres"),
    pytest.param({"ebddiff": 4}, "ebddiff", id="4-on-ebddiff"),
    pytest.param({"impclas": -1}, "impclas", id="minus-1-on-impclas"),
    pytest.param({"7": 2.5}, "7", id="2.5"),
    pytest.param({"7": True}, "7", id="True"),
    pytest.param({"7": "2"}, "7", id="string-2"),
    pytest.param({"7": math.inf}, "7", id="inf"),
    pytest.param({"7": np.float64(-np.inf)}, "7", id="minus-inf"),
    pytest.param({"consid": 3}, "1", id="3-by-sdqinfo-alias"),
    pytest.param({"unknown": 0}, "unknown", id="unknown-id"),
    pytest.param({"36": 0}, "36", id="unknown-number"),
    pytest.param({"1": 0, 1: 0}, "1", id="str-and-int-key"),
    pytest.param({"1": 0, "consid": 0}, "1", id="id-and-alias"),
    pytest.param({"1": 0, "1friendly": 0}, "1", id="id-and-kl-link-id"),
    pytest.param({"ebddiff": 0, "26": 0}, None, id="ebddiff-and-26"),
]


@pytest.mark.parametrize("instrument_id", VERSIONS)
@pytest.mark.parametrize(("responses", "item_id"), BAD)
def test_bad_input_names_the_item(instrument_id, responses, item_id):
    instrument = get_instrument(instrument_id)
    if item_id is None:  # numeric supplement aliases exist on parent and self forms only
        item_id = "ebddiff" if instrument_id != "sdq-t4-17" else "26"
    with pytest.raises(ResponseError) as info:
        score(instrument, responses)
    assert info.value.item_id == item_id
    assert info.value.instrument_id == instrument_id


@pytest.mark.parametrize("instrument_id", VERSIONS)
def test_bad_value_in_a_sequence_and_a_batch(instrument_id):
    instrument = get_instrument(instrument_id)
    row: list[object] = [0] * len(instrument.item_ids)
    column = instrument.item_ids.index("distres")
    row[column] = 4
    with pytest.raises(ResponseError) as info:
        score(instrument, row)
    assert (info.value.item_id, info.value.row) == ("distres", None)
    data = np.zeros((3, len(row)))
    data[1, column] = 4
    with pytest.raises(ResponseError) as info:
        score_batch(instrument, data)
    assert (info.value.item_id, info.value.row) == ("distres", 1)


@pytest.mark.parametrize("instrument_id", VERSIONS)
def test_wrong_length_and_width(instrument_id):
    width = len(get_instrument(instrument_id).item_ids)
    for length in (25, width - 1, width + 1):
        with pytest.raises(ResponseError, match="answers in item order") as info:
            score(instrument_id, [0] * length)
        assert info.value.item_id is None
    for shape in ((2, 25), (2, width + 1), (width,)):
        with pytest.raises(ResponseError, match="must have shape"):
            score_batch(instrument_id, np.zeros(shape))


@pytest.mark.parametrize("instrument_id", VERSIONS)
@pytest.mark.parametrize("gone", ["1", "24", "ebddiff", "distres", "impclas"])
def test_raise_names_the_unanswered_item(instrument_id, gone):
    answers = {k: v for k, v in complete(get_instrument(instrument_id)).items() if k != gone}
    if gone != "ebddiff":
        answers["ebddiff"] = 1  # impact items are asked
    with pytest.raises(IncompleteResponseError) as info:
        score(instrument_id, answers, missing="raise")
    assert info.value.item_id == gone


@pytest.mark.parametrize("instrument_id", VERSIONS)
def test_raise_accepts_skipped_impact_items_and_unscored_questions(instrument_id):
    instrument = get_instrument(instrument_id)
    core = dict.fromkeys(instrument.item_ids[:25], 1)
    result = score(instrument, core | {"ebddiff": 0}, missing="raise")
    assert result["impact"].value == 0
    impact_items = dict.fromkeys(instrument.scale("impact").items, 2)
    result = score(instrument, core | {"ebddiff": 1} | impact_items, missing="raise")
    assert result["impact"].value == len(impact_items)  # no chronic, burden or follow-up needed
