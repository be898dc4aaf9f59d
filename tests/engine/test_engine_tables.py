"""The engine's lookup-table paths on invented instruments: offsets, gaps, wide codes, the cache.

The shipped instruments all use codes 0..k; these invented ones use codes that
start at 1, negative codes, codes with gaps, and codes too wide for int8, and
are checked against the pure-Python oracle.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from tests.oracle import oracle_score
from trivselscore import (
    Instrument,
    Item,
    MissingRule,
    ResponseError,
    ResponseOption,
    Scale,
    Source,
    score_batch,
)
from trivselscore.definitions.model import ItemRecode
from trivselscore.engine import compute as _engine
from trivselscore.engine import plan as _plan

SRC = Source(citation="Invented for the engine table tests", status="derived")


def item(item_id: str, codes: tuple[int, ...]) -> Item:
    return Item(
        id=item_id,
        theme=f"theme {item_id}",
        options=tuple(ResponseOption(code=c, label_en=f"c{c}", label_da=f"k{c}") for c in codes),
    )


def instrument(codes: tuple[int, ...], *, recode: bool = False, name: str = "invented") -> Instrument:
    items = tuple(item(str(i), codes) for i in range(1, 5))
    symmetric = {codes[0] + codes[-1] - c for c in codes} == set(codes)
    keys: dict[str, object] = {"reverse": ("4",)} if symmetric and not recode else {}
    if recode:
        values = tuple((c, k) for k, c in enumerate(codes))
        keys = {"recode": (ItemRecode(item="4", values=values, source=SRC),)}
    scale = Scale(
        id="sum",
        label_en="sum",
        label_da="sum",
        items=("1", "2", "3", "4"),
        missing=MissingRule(kind="prorate", min_answered=3, rounding="half_up", source=SRC),
        higher_is_better=True,
        source=SRC,
        **keys,  # type: ignore[arg-type]
    )
    return Instrument(
        id=name, name=name, version="1", informant="self", licence="invented for tests", source=SRC,
        items=items, scales=(scale,),
    )  # fmt: skip


CASES = {
    "starts at 1": ((1, 2, 3, 4), False),
    "negative": ((-2, -1, 0, 1, 2), False),
    "gaps": ((0, 2, 5), False),
    "gaps, recoded": ((0, 2, 5), True),
    "wide": ((0, 500, 1000), False),
    "wide negative": ((-300, 0, 300), False),
}


@pytest.mark.parametrize(("codes", "recode"), CASES.values(), ids=list(CASES))
def test_engine_equals_oracle(codes, recode):
    definition = instrument(codes, recode=recode)
    rng = np.random.default_rng(len(codes))
    data = rng.choice(np.array(codes, dtype=float), (200, 4))
    data[rng.random(data.shape) < 0.2] = np.nan
    batch = score_batch(definition, data)
    for row, values in zip(data.tolist(), batch["sum"].tolist(), strict=True):
        answers = [None if np.isnan(v) else int(v) for v in row]
        expected = oracle_score(definition, answers)["sum"]
        assert (np.nan if expected is None else float(Fraction(expected))) == pytest.approx(
            values, nan_ok=True
        )


@pytest.mark.parametrize(("codes", "recode"), CASES.values(), ids=list(CASES))
@pytest.mark.parametrize("shift", [0.5, 1, -1, 2**8, 2**16 + 0.0, 2**40, np.inf])
def test_values_near_codes_are_invalid(codes, recode, shift):
    definition = instrument(codes, recode=recode)
    bad = codes[0] + shift if shift != codes[1] - codes[0] else codes[0] - 1
    if bad in codes:
        pytest.skip("that value is a code")
    data = np.full((3, 4), float(codes[0]))
    data[2, 1] = bad
    with pytest.raises(ResponseError) as info:
        score_batch(definition, data)
    assert (info.value.item_id, info.value.row) == ("2", 2)
    invalid, gaps = _engine.cell_problems(definition, data, policy="raise")
    assert np.argwhere(invalid).tolist() == [[2, 1]]
    assert not gaps.any()


def test_cell_problems_finds_unanswered_needed_items():
    definition = instrument((0, 1, 2))
    data = np.array([[0, 1, 2, np.nan], [0, 1, 2, 2], [np.nan, 7, 1, 1]])
    invalid, gaps = _engine.cell_problems(definition, data, policy="raise")
    assert np.argwhere(invalid).tolist() == [[2, 1]]
    assert np.argwhere(gaps).tolist() == [[0, 3], [2, 0]]
    assert not _engine.cell_problems(definition, data, policy=None)[1].any()


def test_plan_cache_is_per_instrument_and_bounded():
    first = instrument((0, 1, 2), name="first")
    assert _plan.plan(first) is _plan.plan(first)
    others = [instrument((0, 1, 2), name=f"other{i}") for i in range(_plan._PLAN_CACHE_SIZE + 2)]
    for other in others:
        _plan.plan(other)
    assert len(_plan._PLANS) <= _plan._PLAN_CACHE_SIZE
    assert _plan.plan(first).span == 3


def test_codes_too_wide_for_tables():
    definition = instrument((0, 2**20))
    with pytest.raises(ValueError, match="span too wide"):
        score_batch(definition, np.zeros((1, 4)))
