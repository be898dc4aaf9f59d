"""``score()``'s scalar path (engine/single.py) gives exactly what the numpy path gives.

Every property runs ``score()`` twice on the same input: as it is (the scalar path
answers when it can) and with the scalar path switched off (the numpy engine,
``score_batch(...).row(0)``). Results must be indistinguishable (``==``, ``repr``,
``model_dump``, JSON, pickle, hash, fields set), and errors must have the same
type, message and attributes.
"""

from __future__ import annotations

import datetime as dt
import math
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engine.paths import assert_paths_agree, assert_same, outcome
from trivselscore import INSTRUMENTS, BandResult, Flag, Respondent, ScaleScore, Score, score, score_batch
from trivselscore.definitions import Instrument
from trivselscore.engine import single
from trivselscore.engine.models import build
from trivselscore.strategies import instruments

IDS = sorted(INSTRUMENTS)


# --- odd answers: mostly codes, sometimes anything a caller might send ------------------------------


def answer(codes: tuple[int, ...]) -> st.SearchStrategy[object]:
    plain = st.sampled_from(codes)
    odd = st.sampled_from(
        [
            None,
            math.nan,
            float(codes[0]),
            float(codes[-1]) + 0.5,
            codes[-1] + 1,
            codes[0] - 1,
            True,
            "1",
            np.int64(codes[0]),
            math.inf,
            dt.date(2026, 1, 1),
            -0.0,
            10**30,
        ]
    )
    return st.one_of(plain, plain, plain, st.none(), odd)


@st.composite
def answer_forms(draw: st.DrawFn, instrument: Instrument) -> object:
    values: list[object]
    if draw(st.booleans()):  # half the time only codes and gaps: the scalar path answers
        values = [draw(st.sampled_from((*item.codes, None))) for item in instrument.items]
    else:
        values = [draw(answer(item.codes)) for item in instrument.items]
    forms = ["list", "list", "tuple", "dict", "dict", "int-keys", "aliases", "short", "unknown-key"]
    form = draw(st.sampled_from(forms))
    if form == "list":
        return values
    if form == "tuple":
        return tuple(values)
    if form == "short":
        return values[:-1]
    mapping: dict[object, object] = {}
    for item, value in zip(instrument.items, values, strict=True):
        if value is None and draw(st.booleans()):
            continue  # an absent key is a missing answer too
        key: object = item.id
        if form == "int-keys" and item.id.isdigit():
            key = int(item.id)
        elif form == "aliases" and item.aliases:
            key = draw(st.sampled_from(item.aliases))
        mapping[key] = value
    if form == "unknown-key":
        mapping["no-such-item"] = 1
    return mapping


def respondents() -> st.SearchStrategy[object]:
    ages = st.none() | st.integers(0, 130).map(float) | st.floats(0, 130, allow_nan=False)
    sexes = st.sampled_from([None, "female", "male", "other", "unknown"])
    person = st.builds(Respondent, age=ages, sex=sexes)
    return st.one_of(st.none(), person, person, st.just("a 15-year-old"))


@st.composite
def options(draw: st.DrawFn, instrument: Instrument) -> dict[str, Any]:
    policies = [
        None,
        "raise",
        "propagate",
        "prorate",
        *(v.id for v in instrument.missing_variants),
        "bogus",
        3,
    ]
    schemes = [None, *(s.id for s in instrument.schemes), "no-such-scheme"]
    chosen: dict[str, Any] = {
        "missing": draw(st.sampled_from(policies)),
        "respondent": draw(respondents()),
        "scheme": draw(st.sampled_from(schemes)),
        "age_policy": draw(st.sampled_from(["flag", "flag", "raise", "bogus"])),
    }
    if len(instrument.norms) > 0 and draw(st.booleans()):
        chosen["norms"] = instrument.norms[0].id
    return chosen


@st.composite
def with_age_range(draw: st.DrawFn) -> Instrument:
    """A random instrument, sometimes with an age range (random ones have none)."""
    instrument = draw(instruments())
    if draw(st.booleans()):
        low = draw(st.integers(0, 20))
        instrument = instrument.model_copy(
            update={
                "age_range": (float(low), float(draw(st.integers(low, 40)))),
                "age_range_source": INSTRUMENTS["who5"].age_range_source,
            }
        )
    return instrument


@settings(max_examples=150)
@given(instrument=with_age_range(), data=st.data())
def test_random_instruments_both_paths_agree(instrument, data):
    answers = data.draw(answer_forms(instrument))
    assert_paths_agree(instrument, answers, **data.draw(options(instrument)))


@settings(max_examples=300)
@given(instrument=with_age_range(), data=st.data())
def test_random_instruments_plain_answers_take_the_scalar_path_and_agree(instrument, data):
    # valid codes and gaps, valid options: where rounding, proration and gates are exercised
    answers = [data.draw(st.sampled_from((*item.codes, None, None))) for item in instrument.items]
    chosen = {
        "missing": data.draw(st.sampled_from([None, "propagate", "prorate", "prorate", "raise"])),
        "respondent": data.draw(st.none() | st.builds(Respondent, age=st.floats(0, 50))),
    }
    if assert_paths_agree(instrument, answers, **chosen) == "ok":
        array = np.array([[math.nan if v is None else v for v in answers]], dtype=np.float64)
        assert_same(score(instrument, answers, **chosen), score_batch(instrument, array, **chosen).row(0))


@pytest.mark.parametrize("instrument_id", IDS)
@settings(max_examples=25)
@given(data=st.data())
def test_shipped_instruments_both_paths_agree(instrument_id, data):
    instrument = INSTRUMENTS[instrument_id]
    answers = data.draw(answer_forms(instrument))
    assert_paths_agree(instrument_id, answers, **data.draw(options(instrument)))


@pytest.mark.parametrize("instrument_id", IDS)
@settings(max_examples=15)
@given(data=st.data())
def test_plain_answers_equal_score_batch_row(instrument_id, data):
    # valid codes and gaps only, every policy, ages in and out of range: no error but "raise"'s
    instrument = INSTRUMENTS[instrument_id]
    answers = [data.draw(st.sampled_from((*item.codes, None))) for item in instrument.items]
    chosen = data.draw(options(instrument))
    chosen["respondent"] = data.draw(
        st.none() | st.builds(Respondent, age=st.floats(0, 130), sex=st.sampled_from(["female", None]))
    )
    kind, fast = outcome(lambda: score(instrument, answers, **chosen))
    if kind == "ok":
        array = np.array([[math.nan if v is None else v for v in answers]], dtype=np.float64)
        assert_same(fast, score_batch(instrument, array, **chosen).row(0))
    assert assert_paths_agree(instrument, answers, **chosen) == kind


# --- the scalar path is really taken, and steps aside where documented -------------------------------


@pytest.mark.parametrize("instrument_id", IDS)
def test_plain_answers_take_the_scalar_path_unless_normed(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    answers = [item.codes[0] for item in instrument.items]
    fast = single.evaluate(
        instrument,
        answers,
        missing=None,
        respondent=Respondent(age=15, sex="female"),
        scheme=None,
        norms=None,
        age_policy="flag",
        library_version="x",
    )
    normed = bool(instrument.norms) or any(s.metric == "t_score" for s in instrument.schemes)
    assert (fast is None) == normed


@pytest.mark.parametrize(
    "answers",
    [
        [3, 4, 2, 3, True],  # a bool is not an answer
        [3, 4, 2, 3, 9],  # not a code
        [3, 4, 2, 3, 1.5],
        [3, 4, 2, 3],  # too short
        {"1": 3, "9": 1},  # unknown item
        {"1": 3, 1: 3},  # given twice
        np.array([3, 4, 2, 3, 1]),
        [3, 4, 2, 3, np.int64(1)],
        np.ma.masked_array([3, 4, 2, 3, 1], mask=[False, False, True, False, False]),
        [3, 4, np.ma.masked, 3, 1],  # a masked cell is missing, read by the numpy path
        [3, 4, 2, 3, dt.timedelta(days=1)],
    ],
)
def test_odd_input_goes_to_the_numpy_path(answers):
    taken = single.evaluate(
        INSTRUMENTS["who5"],
        answers,
        missing=None,
        respondent=None,
        scheme=None,
        norms=None,
        age_policy="flag",
        library_version="x",
    )
    assert taken is None
    assert_paths_agree("who5", answers)


def test_raise_policies_go_to_the_numpy_path_and_raise_the_same():
    assert assert_paths_agree("who5", [3, None, 2, 3, 1], missing="raise") == "error"
    adult = Respondent(age=22)
    assert assert_paths_agree("sdq-s11-17", [1] * 35, respondent=adult, age_policy="raise") == "error"
    assert assert_paths_agree("sdq-s11-17", [1] * 35, respondent=adult) == "ok"


# --- cheap results are the same objects as validated ones -------------------------------------------


@pytest.mark.parametrize("model", [BandResult, ScaleScore, Score, Flag])
def test_build_equals_model_construct_and_validation(model):
    result = score("sdq-s11-17", [2] * 35, respondent=Respondent(age=22))
    example = {
        BandResult: result.scales[0].bands[0],
        ScaleScore: result.scales[0],
        Score: result,
        Flag: result.flags[0],
    }[model]
    fields = dict(example.__dict__)
    assert list(fields) == list(model.model_fields)  # every field, in declared order
    built, constructed = build(model, dict(fields)), model.model_construct(**fields)
    validated = model.model_validate(example.model_dump())
    for other in (constructed, validated):
        assert built == other
        assert repr(built) == repr(other)
        assert hash(built) == hash(other)
        assert built.model_fields_set == other.model_fields_set
        assert built.__pydantic_extra__ == other.__pydantic_extra__
        assert built.__pydantic_private__ == other.__pydantic_private__
        again = pickle.loads(pickle.dumps(built))  # noqa: S301 - our own bytes
        assert again == other
        assert again.model_fields_set == other.model_fields_set
    with pytest.raises(Exception, match="frozen"):
        built.__setattr__(next(iter(fields)), None)


def test_shared_band_results_are_frozen_and_equal_across_calls():
    first = score("who5", [3, 4, 2, 3, 1])
    second = score("who5", [3, 4, 2, 3, 1])
    assert first["percentage"].bands[0] is second["percentage"].bands[0]
    with pytest.raises(Exception, match="frozen"):
        first["percentage"].bands[0].band = "changed"  # type: ignore[misc]


def test_half_up_proration_agrees_on_every_half():
    # SDQ emotional: 4 of 5 answered, total x 5 / 4 hits every .25, .5 and .75
    instrument = INSTRUMENTS["sdq-s11-17"]
    columns = [instrument.item_ids.index(i) for i in instrument.scale("emotional").items]
    for first in range(3):
        for second in range(3):
            for third in range(3):
                answers: list[int | None] = [1] * len(instrument.items)
                answers[columns[0]] = None
                answers[columns[1]], answers[columns[2]], answers[columns[3]] = first, second, third
                assert assert_paths_agree(instrument, answers) == "ok"
