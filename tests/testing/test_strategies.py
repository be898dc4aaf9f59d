"""``trivselscore.strategies``: valid by construction, reaching every edge, shrinking small.

In the manner of Hypothesis' own tests (``tests/common/debug.py``: ``minimal``,
``find_any``) and its bad-argument table.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from trivselscore import INSTRUMENTS, Instrument, Respondent, score, score_batch
from trivselscore.strategies import instruments, respondents, response_arrays, responses, responses_near
from trivselscore.testing.targets import attainable, boundary_targets

SHRINK = settings(max_examples=2000, database=None, suppress_health_check=list(HealthCheck))
REACH = settings(SHRINK, phases=[Phase.generate])


def minimal(strategy: st.SearchStrategy[object], condition: object = lambda _: True) -> object:
    """The smallest example satisfying ``condition`` (generation and shrinking)."""
    return find(strategy, condition, settings=SHRINK)  # type: ignore[arg-type]


def find_any(strategy: st.SearchStrategy[object], condition: object) -> object:
    """Any example satisfying ``condition``: proves the strategy reaches it, without shrinking."""
    return find(strategy, condition, settings=REACH)  # type: ignore[arg-type]


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_responses_reach_every_code_of_every_item(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    for item in instrument.items[:: max(1, len(instrument.items) // 6)]:
        for code in (item.codes[0], item.codes[-1]):
            found = find_any(responses(instrument), lambda a, i=item.id, c=code: a[i] == c)
            assert found[item.id] == code  # type: ignore[index]


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_scale_extremes_are_reached(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    banded = {s for scheme in instrument.schemes for s in scheme.scale_ids}
    for scale in instrument.scales:
        if scale.id not in banded:
            continue
        scheme = next(x for x in instrument.schemes if scale.id in x.scale_ids)
        if getattr(scheme, "metric", "score") != "score":
            continue
        for target in instrument.scale_range(scale.id):
            found = find_any(
                responses_near(instrument, scale.id, scheme=scheme.id),
                lambda a, s=scale.id, t=target: score(instrument, a)[s].value == t,
            )
            assert score(instrument, found)[scale.id].value == target  # type: ignore[arg-type]


def test_responses_shrink_to_the_lowest_codes():
    answers = minimal(responses("who5"))
    assert answers == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_threshold_missing_reaches_both_sides_of_the_rule(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    scale = next(s for s in instrument.scales if s.items and s.gate is None)
    strategy = responses(instrument, missing="threshold")

    def answered(answers: dict[str, int | None]) -> int:
        return sum(answers[i] is not None for i in scale.items)

    need = scale.missing.min_answered
    assert answered(find_any(strategy, lambda a: answered(a) == need)) == need  # type: ignore[arg-type]
    assert answered(find_any(strategy, lambda a: answered(a) == need - 1)) == need - 1  # type: ignore[arg-type]


@given(responses("who5", missing="sometimes"))
def test_sometimes_missing_answers_are_valid(answers):
    assert set(answers) == set(INSTRUMENTS["who5"].item_ids)
    score("who5", answers)


@pytest.mark.parametrize(
    ("scale", "scheme", "expected"),
    [
        ("percentage", "risk", {0, 4, 48, 52, 96, 100}),
        ("percentage", "dk-3band", {0, 4, 32, 36, 48, 52, 96, 100}),
        ("percentage", "who-form", {0, 4, 24, 28, 32, 48, 52, 56, 96, 100}),
    ],
)
def test_who5_boundary_targets(scale, scheme, expected):
    who5 = INSTRUMENTS["who5"]
    assert set(boundary_targets(who5, scale, who5.scheme(scheme))) == expected


@pytest.mark.parametrize("target", [48, 52, 32, 36, 28])
def test_responses_near_reaches_each_who5_boundary(target):
    strategy = responses_near("who5", "percentage", scheme="who-form" if target == 28 else "dk-3band")
    if target in {48, 52}:
        strategy = responses_near("who5", "percentage")
    found = find_any(strategy, lambda a: score("who5", a)["percentage"].value == target)
    assert score("who5", found)["percentage"].value == target  # type: ignore[arg-type]


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_responses_near_lands_on_targets_only(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    for scheme in instrument.schemes:
        if getattr(scheme, "metric", "score") != "score":
            continue
        for scale_id in scheme.scale_ids:
            targets = set(boundary_targets(instrument, scale_id, scheme))
            assert targets <= attainable(instrument, scale_id)
            for target in sorted(targets)[:: max(1, len(targets) // 4)]:
                found = find_any(
                    responses_near(instrument, scale_id, scheme=scheme.id),
                    lambda a, s=scale_id, t=target: score(instrument, a)[s].value == t,
                )
                assert score(instrument, found)[scale_id].value == target  # type: ignore[arg-type]


@given(response_arrays("who5", min_size=2, max_size=4, missing="never"))
def test_response_arrays_shape_and_codes(array):
    assert 2 <= array.shape[0] <= 4
    assert array.shape[1] == 5
    assert np.isin(array, np.arange(6)).all()
    score_batch("who5", array)


def test_response_arrays_can_be_empty():
    empty = minimal(response_arrays("who5"))
    assert empty.shape == (0, 5)  # type: ignore[attr-defined]


@given(respondents(min_age=13, max_age=25))
def test_respondents_within_range(person):
    assert isinstance(person, Respondent)
    assert person.age is None or 13 <= person.age <= 25
    assert person.sex in {"female", "male", "other", "unknown", None}


def test_respondents_reach_the_ends():
    assert find_any(respondents(min_age=13, max_age=25), lambda p: p.age == 25).age == 25  # type: ignore[attr-defined]
    assert find_any(respondents(min_age=13, max_age=25), lambda p: p.age == 13).age == 13  # type: ignore[attr-defined]


@settings(max_examples=40)
@given(instruments(), st.data())
def test_generated_instruments_score_like_any_other(instrument, data):
    assert isinstance(instrument, Instrument)
    array = data.draw(response_arrays(instrument, max_size=4))
    batch = score_batch(instrument, array)
    for i in range(len(array)):
        assert batch.row(i) == score(instrument, [None if np.isnan(v) else int(v) for v in array[i]])
    answers = data.draw(responses_near(instrument, instrument.scales[0].id))
    assert score(instrument, answers)[instrument.scales[0].id].value is not None


def test_generated_instruments_reach_a_composite_total():
    found = find_any(instruments(), lambda i: "total" in i.scale_ids)
    assert "total" in found.scale_ids  # type: ignore[attr-defined]


def test_repr_is_readable():
    assert repr(responses("who5", missing="sometimes")) == "responses(instrument='who5', missing='sometimes')"
    who5 = INSTRUMENTS["who5"]
    assert (
        repr(responses(who5)) == "responses(instrument=Instrument(id='who5', version='1'), missing='never')"
    )
    assert repr(response_arrays("who5")).startswith("lists(responses(instrument='who5', missing='sometimes')")
    assert repr(responses_near("who5", "percentage")) == (
        "responses_near(instrument='who5', scale='percentage', scheme='risk')"
    )


BAD_CALLS = [
    pytest.param(lambda: responses("who-5"), id="unknown-instrument"),
    pytest.param(lambda: responses(5), id="instrument-not-str"),  # type: ignore[arg-type]
    pytest.param(lambda: responses("who5", missing="often"), id="bad-missing"),  # type: ignore[arg-type]
    pytest.param(lambda: response_arrays("who5", min_size=-1), id="negative-min-size"),
    pytest.param(lambda: response_arrays("who5", min_size=1.5), id="float-min-size"),  # type: ignore[arg-type]
    pytest.param(lambda: response_arrays("who5", min_size=True), id="bool-min-size"),
    pytest.param(lambda: response_arrays("who5", min_size=3, max_size=2), id="max-below-min"),
    pytest.param(lambda: response_arrays("who5", max_size="9"), id="str-max-size"),  # type: ignore[arg-type]
    pytest.param(lambda: response_arrays("who5", missing=None), id="none-missing"),  # type: ignore[arg-type]
    pytest.param(lambda: respondents(min_age=20, max_age=10), id="reversed-ages"),
    pytest.param(lambda: respondents(min_age=-1), id="negative-age"),
    pytest.param(lambda: respondents(max_age=200), id="age-too-high"),
    pytest.param(lambda: respondents(min_age=13.2, max_age=13.8), id="no-whole-age"),
    pytest.param(lambda: respondents(sexes=()), id="no-sexes"),
    pytest.param(lambda: respondents(sexes=("girl",)), id="unknown-sex"),  # type: ignore[arg-type]
    pytest.param(lambda: respondents(min_age="13"), id="str-age"),  # type: ignore[arg-type]
    pytest.param(lambda: responses_near("who5", "total"), id="unknown-scale"),
    pytest.param(lambda: responses_near("who5", "raw"), id="scheme-does-not-band-scale"),
    pytest.param(lambda: responses_near("who5", "percentage", scheme="dk"), id="unknown-scheme"),
    pytest.param(lambda: instruments(max_items=0), id="no-items"),
    pytest.param(lambda: instruments(max_items=41), id="too-many-items"),
]


@pytest.mark.parametrize("call", BAD_CALLS)
def test_bad_arguments_raise_invalid_argument(call):
    with pytest.raises(InvalidArgument):
        call()


def test_no_default_scheme_needs_a_scheme_name():
    generated = minimal(instruments())
    plain = Instrument.model_validate({**generated.model_dump(), "schemes": (), "default_scheme": None})  # type: ignore[attr-defined]
    with pytest.raises(InvalidArgument, match="no default cutoff scheme"):
        responses_near(plain, plain.scale_ids[0])


def test_strategies_do_not_filter():
    for strategy in (responses("who5"), response_arrays("who5"), responses_near("who5", "percentage")):
        assert ".filter(" not in repr(strategy)


def test_import_without_hypothesis_names_the_install_command():
    code = "import sys; sys.modules['hypothesis'] = None; import trivselscore.strategies"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode != 0
    assert 'pip install "trivselscore[hypothesis]"' in completed.stderr


def test_core_import_does_not_import_hypothesis():
    code = "import sys, trivselscore; print('hypothesis' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"
