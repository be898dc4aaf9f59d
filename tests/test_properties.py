"""Hypothesis properties of the engine, for every registered instrument.

- ``score_batch`` row i equals ``score()`` on row i (one engine, two front doors);
- the engine equals the pure-Python oracle in ``tests/oracle.py``;
- every value lies in the scale's range; every value falls in exactly one band;
- scales are monotone in each item (reverse-keyed items the other way);
- ``missing="prorate"`` with nothing missing equals the plain score.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.oracle import oracle_score
from trivselscore import INSTRUMENTS, Instrument, score, score_batch

IDS = sorted(INSTRUMENTS)
POLICIES = [None, "propagate", "prorate"]


def rows(instrument: Instrument, *, allow_missing: bool = True) -> st.SearchStrategy[list[float]]:
    def column(codes: tuple[int, ...]) -> st.SearchStrategy[float]:
        values = [float(c) for c in codes] + ([math.nan] if allow_missing else [])
        return st.sampled_from(values)

    return st.tuples(*(column(item.codes) for item in instrument.items)).map(list)


def arrays(instrument: Instrument) -> st.SearchStrategy[np.ndarray]:
    return st.lists(rows(instrument), min_size=1, max_size=6).map(lambda r: np.array(r, dtype=float))


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_batch_equals_single(instrument_id, policy, data):
    instrument = INSTRUMENTS[instrument_id]
    array = data.draw(arrays(instrument))
    batch = score_batch(instrument, array, missing=policy)
    for i, row in enumerate(array):
        single = score(instrument, [None if math.isnan(v) else int(v) for v in row], missing=policy)
        assert batch.row(i) == single
        for scale in instrument.scales:
            value = batch[scale.id][i]
            expected = single[scale.id].value
            assert same(None if math.isnan(value) else float(value), expected)
            for scheme in instrument.schemes:
                if scale.id in scheme.scale_ids:
                    band = batch.bands(scale.id, scheme.id)[i]
                    assert band == next(b.band for b in single[scale.id].bands if b.scheme == scheme.id)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_engine_equals_oracle(instrument_id, policy, data):
    instrument = INSTRUMENTS[instrument_id]
    row = data.draw(rows(instrument))
    answers = [None if math.isnan(v) else int(v) for v in row]
    expected = oracle_score(instrument, answers, policy)
    result = score(instrument, answers, missing=policy)
    for scale_id, value in expected.items():
        assert same(result[scale_id].value, None if value is None else float(value)), scale_id


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_values_within_range(instrument_id, data):
    instrument = INSTRUMENTS[instrument_id]
    array = data.draw(arrays(instrument))
    for policy in POLICIES:
        batch = score_batch(instrument, array, missing=policy)
        for scale in instrument.scales:
            low, high = instrument.scale_range(scale.id)
            values = batch[scale.id][~np.isnan(batch[scale.id])]
            assert ((values >= low) & (values <= high)).all()


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_monotone_in_each_item(instrument_id, data):
    instrument = INSTRUMENTS[instrument_id]
    row = data.draw(rows(instrument, allow_missing=False))
    column = data.draw(st.integers(0, len(row) - 1))
    codes = instrument.items[column].codes
    position = codes.index(int(row[column]))
    if position == len(codes) - 1:
        return
    higher = list(row)
    higher[column] = float(codes[position + 1])
    before, after = score(instrument, row), score(instrument, higher)
    item_id = instrument.item_ids[column]
    for scale in instrument.scales:
        if item_id not in instrument.scale_items(scale.id):
            assert before[scale.id] == after[scale.id]
            continue
        direction = -1 if item_id in _reversed_in(instrument, scale.id) else 1
        old, new = before[scale.id].value, after[scale.id].value
        if old is None or new is None:
            continue
        assert direction * (new - old) >= 0, (scale.id, item_id)


def _reversed_in(instrument: Instrument, scale_id: str) -> set[str]:
    scale = instrument.scale(scale_id)
    if scale.items:
        return set(scale.reverse)
    return set().union(*(_reversed_in(instrument, part) for part in scale.scales))


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_prorate_with_nothing_missing_equals_plain_score(instrument_id, data):
    instrument = INSTRUMENTS[instrument_id]
    row = data.draw(rows(instrument, allow_missing=False))
    plain = score(instrument, row)
    prorated = score(instrument, row, missing="prorate")
    assert plain.values == prorated.values
    assert not any(s.prorated for s in prorated.scales)


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_every_value_in_exactly_one_band(instrument_id, data):
    instrument = INSTRUMENTS[instrument_id]
    for scheme in instrument.schemes:
        for table in scheme.cutoffs:
            low, high = instrument.scale_range(table.scale)
            value = data.draw(
                st.one_of(
                    st.integers(low, high).map(float),
                    st.floats(low, high, allow_nan=False),
                    st.sampled_from([b.lower for b in table.bands] + [b.upper for b in table.bands]),
                )
            )
            hits = [b.id for b in table.bands if b.contains(value)]
            assert len(hits) == 1, (scheme.id, table.scale, value, hits)


@pytest.mark.parametrize("instrument_id", IDS)
def test_batch_is_row_independent(instrument_id):
    # psych's scoreItems imputes the sample median, so a score depends on the batch
    # (peers.md section 4, pitfall 1). Here a row scores the same alone or in any batch.
    instrument = INSTRUMENTS[instrument_id]
    rng = np.random.default_rng(7)
    choices = [np.array([*item.codes, np.nan]) for item in instrument.items]
    array = np.column_stack([rng.choice(c, size=50) for c in choices])
    together = score_batch(instrument, array, missing="prorate")
    shuffled = score_batch(instrument, array[::-1], missing="prorate")
    for scale in instrument.scales:
        np.testing.assert_array_equal(together[scale.id], shuffled[scale.id][::-1])
        alone = score_batch(instrument, array[:1], missing="prorate")
        np.testing.assert_array_equal(alone[scale.id], together[scale.id][:1])
