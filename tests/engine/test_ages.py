"""The age check: an age outside the instrument's ``age_range`` is scored but gets no bands.

Issue 13, item 6. Before the fix, SDQ S11-17 for a 22-year-old gave ``total`` 30
the band ``abnormal`` with no word, because ``age_range`` was declared and never
read. The rule is generic (the definition's ``age_range``), in completed years,
and the same in ``score()``, ``score_batch()``, frames, the CLI and FHIR.
"""

from __future__ import annotations

import io
import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore import (
    INSTRUMENTS,
    AgeRangeError,
    Instrument,
    Respondent,
    ResponseError,
    TrivselscoreError,
    get_instrument,
    score,
    score_batch,
)
from trivselscore.cli.commands import main
from trivselscore.engine.ages import OUTSIDE_AGE_RANGE
from trivselscore.strategies import response_arrays

SDQ = get_instrument("sdq-s11-17")
SDQ_CORE = dict.fromkeys(map(str, range(1, 26)), 2)  # every core item "somewhat true": total 30
REASON_22 = "age 22 is outside 11-17, the range of sdq-s11-17"


def adult_parent_answers() -> list[int]:
    return [3] * len(get_instrument("scas-p").items)


# --- the reproducer and the single respondent ---------------------------------------------------


def test_sdq_self_report_at_22_is_scored_without_a_band():
    # before: total 30 -> band 'abnormal', no flag, no word about the age
    result = score(SDQ, SDQ_CORE, respondent=Respondent(age=22))
    total = result["total"]
    assert total.value == 30
    assert total.band is None
    assert [(b.scheme, b.band, b.reason) for b in total.bands] == [
        (scheme.id, None, REASON_22) for scheme in SDQ.schemes if "total" in scheme.scale_ids
    ]
    assert result.flag_ids == (OUTSIDE_AGE_RANGE,)
    (flag,) = result.flags
    assert flag.message == f"{REASON_22}: scored, but no bands or T-scores"
    assert (flag.kind, flag.items, flag.source) == ("library decision", (), SDQ.source)
    # the values are those of the same answers without an age
    assert result.values == score(SDQ, SDQ_CORE).values
    assert score(SDQ, SDQ_CORE).flag_ids == ()


@pytest.mark.parametrize(
    ("age", "outside"),
    [
        pytest.param(10.99, True, id="10.99-is-10"),
        pytest.param(11, False, id="11-first-year"),
        pytest.param(17, False, id="17-last-year"),
        pytest.param(17.99, False, id="17.99-is-17-completed-years"),
        pytest.param(18, True, id="18"),
        pytest.param(22.5, True, id="22.5"),
        pytest.param(0, True, id="0"),
        pytest.param(None, False, id="unknown-age-is-not-checked"),
    ],
)
def test_age_counts_in_completed_years_both_ends_included(age, outside):
    result = score(SDQ, SDQ_CORE, respondent=Respondent(age=age))
    assert (OUTSIDE_AGE_RANGE in result.flag_ids) is outside
    assert (result["total"].band is None) is outside
    if outside:
        assert (
            result["total"].bands[0].reason
            == f"age {math.floor(age)} is outside 11-17, the range of sdq-s11-17"
        )


def test_no_respondent_is_not_checked():
    assert score(SDQ, SDQ_CORE, respondent=None)["total"].band == "abnormal"


def test_t_scores_are_withheld_with_the_reason():
    inside = score("scas-p", adult_parent_answers(), respondent=Respondent(age=18.9, sex="female"))
    assert inside["total"].t_score is not None
    assert inside["total"].band is not None
    result = score("scas-p", adult_parent_answers(), respondent=Respondent(age=19, sex="female"))
    total = result["total"]
    assert total.value == inside["total"].value
    assert total.t_score is None
    assert total.t_score_reason == "age 19 is outside 6-18, the range of scas-p"
    assert total.band is None
    assert total.bands[0].reason == total.t_score_reason
    assert result.flag_ids == (OUTSIDE_AGE_RANGE,)


def test_an_unscored_scale_keeps_its_own_reason():
    answers = {**SDQ_CORE, "3": None, "8": None, "13": None}  # emotional: 2 of 5 answered
    result = score(SDQ, answers, respondent=Respondent(age=22))
    assert result["emotional"].value is None
    assert result["emotional"].bands[0].reason == "the scale was not scored"
    assert result.flag_ids == (OUTSIDE_AGE_RANGE,)


def test_item_flags_come_first_then_the_age_flag():
    answers = [0] * len(get_instrument("who5").items)  # low_item raised
    result = score("who5", answers, respondent=Respondent(age=8))
    assert result.flag_ids == ("low_item", OUTSIDE_AGE_RANGE)
    assert result.flags[1].message.startswith("age 8 is outside 9-130, the range of who5")


def test_an_instrument_without_an_age_range_checks_nothing():
    instrument = get_instrument("smfq-c").model_copy(update={"age_range": None, "age_range_source": None})
    assert instrument.age_range is None
    answers = [2] * len(instrument.items)
    result = score(instrument, answers, respondent=Respondent(age=40))
    assert result.flag_ids == ()
    assert result["total"].band is not None
    batch = score_batch(instrument, [answers], respondent=Respondent(age=40))
    assert OUTSIDE_AGE_RANGE not in batch.flags
    assert batch.outside_age_range.tolist() == [False]
    assert batch.age_reasons().tolist() == [None]


def test_the_rule_is_the_definitions_age_range():
    # nothing instrument-specific: give WHO-5 a 13-25 range and the same rule applies
    fields = {name: getattr(INSTRUMENTS["who5"], name) for name in Instrument.model_fields}
    youth = Instrument(**(fields | {"age_range": (13, 25)}))
    answers = [3, 3, 3, 3, 3]
    assert score(youth, answers, respondent=Respondent(age=25.9)).flag_ids == ()
    result = score(youth, answers, respondent=Respondent(age=26))
    assert result["percentage"].band is None
    assert result["percentage"].bands[0].reason == "age 26 is outside 13-25, the range of who5"


# --- age_policy="raise" --------------------------------------------------------------------------


def test_raise_policy_raises_a_typed_error():
    with pytest.raises(AgeRangeError) as info:
        score(SDQ, SDQ_CORE, respondent=Respondent(age=22), age_policy="raise")
    error = info.value
    assert isinstance(error, ResponseError)
    assert isinstance(error, TrivselscoreError)
    assert isinstance(error, ValueError)
    assert (error.instrument_id, error.age, error.age_range, error.value, error.row) == (
        "sdq-s11-17",
        22,
        (11, 17),
        22,
        None,
    )
    assert str(error) == (
        f"sdq-s11-17: {REASON_22} (age_policy='raise'); score with an instrument for this age, "
        "or age_policy='flag'"
    )
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (type(again), str(again), again.age, again.age_range, again.row) == (
        AgeRangeError,
        str(error),
        22,
        (11, 17),
        None,
    )


def test_raise_policy_passes_ages_inside_or_unknown():
    for person in (Respondent(age=17.9), Respondent(), None):
        result = score(SDQ, SDQ_CORE, respondent=person, age_policy="raise")
        assert result["total"].band == "abnormal"


def test_raise_policy_in_a_batch_names_the_first_row():
    people = [Respondent(age=14), None, Respondent(age=30), Respondent(age=22)]
    with pytest.raises(AgeRangeError, match=r"age 30 is outside 11-17.*\(row 2\)$") as info:
        score_batch(SDQ, np.full((4, len(SDQ.items)), 1.0), respondent=people, age_policy="raise")
    assert (info.value.row, info.value.age) == (2, 30)


@pytest.mark.parametrize(
    ("policy", "kind", "match"),
    [
        ("ignore", ValueError, r"unknown age_policy 'ignore'; allowed: \['flag', 'raise'\]"),
        ("", ValueError, "unknown age_policy"),
        (None, ValueError, "unknown age_policy None"),
        (True, TypeError, "age_policy must be str"),
    ],
)
def test_unknown_age_policy_is_refused(policy, kind, match):
    with pytest.raises(kind, match=match):
        score(SDQ, SDQ_CORE, age_policy=policy)
    with pytest.raises(kind, match=match):
        score_batch(SDQ, np.ones((1, len(SDQ.items))), age_policy=policy)


# --- batches: per row ---------------------------------------------------------------------------


def test_batch_marks_each_row_and_equals_score():
    people = [Respondent(age=15), Respondent(age=22.5), None, Respondent(age=10), Respondent(sex="male")]
    data = np.full((5, len(SDQ.items)), np.nan)
    data[:, :25] = 2
    batch = score_batch(SDQ, data, respondent=people)
    expected = [False, True, False, True, False]
    assert batch.outside_age_range.tolist() == expected
    assert batch.flags[OUTSIDE_AGE_RANGE].tolist() == expected
    assert batch.bands("total").tolist() == ["abnormal", None, "abnormal", None, "abnormal"]
    assert batch["total"].tolist() == [30] * 5
    assert batch.age_reasons().tolist() == [
        None,
        REASON_22,
        None,
        "age 10 is outside 11-17, the range of sdq-s11-17",
        None,
    ]
    for i, person in enumerate(people):
        assert batch.row(i) == score(SDQ, SDQ_CORE, respondent=person)
    for array in (batch.outside_age_range, batch.age_reasons(), batch.ages, batch.flags[OUTSIDE_AGE_RANGE]):
        assert array.flags.writeable is False


def test_one_respondent_for_every_row():
    batch = score_batch(SDQ, np.full((3, len(SDQ.items)), 1.0), respondent=Respondent(age=22))
    assert batch.outside_age_range.tolist() == [True] * 3
    assert batch.bands("total").tolist() == [None] * 3
    assert batch.age_reasons().tolist() == [REASON_22] * 3
    assert batch.row(-1).flag_ids == (OUTSIDE_AGE_RANGE,)


def test_batch_t_scores_are_nan_outside_the_range():
    people = [Respondent(age=14, sex="female"), Respondent(age=21, sex="female")]
    batch = score_batch("scas-p", [adult_parent_answers()] * 2, respondent=people)
    t = batch.t_scores("total")
    assert not math.isnan(t[0])
    assert math.isnan(t[1])
    assert batch.bands("total")[1] is None


# --- the property: every shipped instrument, ages in and out of range ----------------------------


def _ages(instrument: Instrument) -> st.SearchStrategy[float | None]:
    edges: list[float] = []
    if instrument.age_range is not None:
        low, high = instrument.age_range
        edges = [e for e in (low - 0.01, low, high + 0.99, high + 1) if 0 <= e <= 130]
    return st.one_of(st.none(), st.floats(0, 130), st.sampled_from([*edges, 13, 25]))


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
@given(data=st.data())
def test_score_equals_score_batch_over_ages(instrument_id, data):
    instrument = INSTRUMENTS[instrument_id]
    array = data.draw(response_arrays(instrument, min_size=1, max_size=4))
    ages = data.draw(st.lists(_ages(instrument), min_size=len(array), max_size=len(array)))
    sexes = data.draw(
        st.lists(st.sampled_from(["female", "male", None]), min_size=len(array), max_size=len(array))
    )
    people = [Respondent(age=a, sex=s) for a, s in zip(ages, sexes, strict=True)]
    batch = score_batch(instrument, array, respondent=people)
    plain = score_batch(instrument, array)
    for i, row in enumerate(array):
        answers = [None if math.isnan(v) else int(v) for v in row]
        single = score(instrument, answers, respondent=people[i])
        assert batch.row(i) == single
        age, age_range = ages[i], instrument.age_range
        outside = (
            age is not None and age_range is not None and not age_range[0] <= math.floor(age) <= age_range[1]
        )
        assert bool(batch.outside_age_range[i]) is outside
        assert (OUTSIDE_AGE_RANGE in single.flag_ids) is outside
        if age_range is not None:
            assert bool(batch.flags[OUTSIDE_AGE_RANGE][i]) is outside
        assert single.values == plain.row(i).values  # scored all the same
        if outside:
            assert all(b.band is None for s in single.scales for b in s.bands)
            assert all(s.t_score is None for s in single.scales)
            if age_range is not None:
                with pytest.raises(AgeRangeError):
                    score(instrument, answers, respondent=people[i], age_policy="raise")
        else:
            assert score(instrument, answers, respondent=people[i], age_policy="raise") == single


# --- the command line's single-respondent path ---------------------------------------------------


def test_cli_single_respondent_with_an_age_outside_the_range():
    answers = ["2"] * 25 + ["NA"] * 10
    out = io.StringIO()
    assert main(["score", "sdq-s11-17", *answers, "--age", "22"], out=out) == 0
    text = out.getvalue()
    assert f"total: 30  band (sdq-3band): None ({REASON_22})" in text.splitlines()
    assert f"flag outside_age_range: {REASON_22}: scored, but no bands or T-scores" in text.splitlines()
    out = io.StringIO()
    assert main(["score", "sdq-s11-17", *answers, "--age", "15"], out=out) == 0
    assert "outside_age_range" not in out.getvalue()
