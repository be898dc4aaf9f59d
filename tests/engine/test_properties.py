"""The engine against an independent oracle, for every registered instrument.

The structural checks (range, monotonicity, bands, batch == single, ...) live in
the contract suite, ``tests/contract``; here the engine is compared with the
pure-Python oracle in ``tests/oracle.py`` under every policy, and results are
shown not to depend on the other rows of a batch.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.oracle import oracle_score
from trivselscore import INSTRUMENTS, score, score_batch
from trivselscore.strategies import instruments, responses

IDS = sorted(INSTRUMENTS)
POLICIES = [None, "propagate", "prorate"]


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_engine_equals_oracle(instrument_id, policy, data):
    instrument = INSTRUMENTS[instrument_id]
    drawn = data.draw(responses(instrument, missing=data.draw(st.sampled_from(["sometimes", "threshold"]))))
    answers = [drawn[i] for i in instrument.item_ids]
    expected = oracle_score(instrument, answers, policy)
    result = score(instrument, answers, missing=policy)
    for scale_id, value in expected.items():
        assert same(result[scale_id].value, None if value is None else float(value)), scale_id


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


@settings(max_examples=60)
@given(instrument=instruments(), data=st.data())
def test_engine_equals_oracle_on_generated_instruments(instrument, data):
    policy = data.draw(st.sampled_from(POLICIES))
    drawn = data.draw(responses(instrument, missing="sometimes"))
    answers = [drawn[i] for i in instrument.item_ids]
    expected = oracle_score(instrument, answers, policy)
    result = score(instrument, answers, missing=policy)
    for scale_id, value in expected.items():
        assert same(result[scale_id].value, None if value is None else float(value)), scale_id
