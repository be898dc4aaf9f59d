"""WHO-5 golden cases and boundary tests.

Sources for the expected values:
- Coding 0-5, raw = sum (0-25), percentage = raw x 4: WHO-5 form scoring box
  (Valant help page; medicalalgorithms.com); Topp et al. 2015, doi:10.1159/000376585.
- Below 50 = risk of depression/stress: HQLO 2018, doi:10.1186/s12955-018-1001-0.
- Danish 0-35 / 36-50 / >50: Ergoterapeutforeningen (etf.dk) WHO-5 page.
- Raw < 13 = poor well-being; any item 0 or 1 = assess for depression: WHO-5 form
  (medicalalgorithms.com, verified-secondary); <= 28 likely depression: unverified.
"""

from __future__ import annotations

import math

import pytest

from trivselscore import INSTRUMENTS, Respondent, get_instrument, score
from trivselscore.instruments import WHO5


def answers_for_raw(raw: int) -> list[int]:
    """Five answers in 0..5 that sum to ``raw``."""
    full, rest = divmod(raw, 5)
    return [full + (1 if i < rest else 0) for i in range(5)]


@pytest.mark.parametrize(
    ("answers", "raw", "percentage"),
    [
        pytest.param([5, 5, 5, 5, 5], 25, 100, id="maximum"),
        pytest.param([0, 0, 0, 0, 0], 0, 0, id="minimum"),
        pytest.param([3, 4, 2, 3, 1], 13, 52, id="raw-13-form-threshold"),
        pytest.param([3, 3, 2, 2, 2], 12, 48, id="raw-12-below-threshold"),
        pytest.param([2, 2, 1, 1, 1], 7, 28, id="pct-28"),
    ],
)
def test_golden_raw_and_percentage(answers, raw, percentage):
    result = score("who5", answers)
    assert result.values == {"raw": raw, "percentage": percentage}
    assert isinstance(result["raw"].value, int)
    assert result["raw"].answered == 5
    assert not result["raw"].prorated


def test_registry_and_item_order():
    assert INSTRUMENTS["who5"] is WHO5
    assert WHO5.item_ids == ("1", "2", "3", "4", "5")
    assert WHO5.scale_range("raw") == (0, 25)
    assert WHO5.scale_range("percentage") == (0, 100)
    assert WHO5.default_scheme == "risk"


@pytest.mark.parametrize(
    ("percentage", "scheme", "band"),
    [
        # "risk": below 50 -> risk; complete scores step by 4, so 48 and 52 are the sides.
        (48, "risk", "risk"),
        (52, "risk", "no_risk"),
        (0, "risk", "risk"),
        (100, "risk", "no_risk"),
        # Danish three bands: 0-35 high risk, 36-50 risk, over 50 no immediate risk.
        (32, "dk-3band", "high_risk"),
        (36, "dk-3band", "risk"),
        (48, "dk-3band", "risk"),
        (52, "dk-3band", "no_risk"),
        # WHO form: <= 28 likely depression (unverified), raw < 13 (pct < 52) poor well-being.
        (28, "who-form", "likely_depression"),
        (32, "who-form", "poor_wellbeing"),
        (48, "who-form", "poor_wellbeing"),
        (52, "who-form", "adequate"),
    ],
)
def test_band_both_sides_of_each_boundary(percentage, scheme, band):
    result = score("who5", answers_for_raw(percentage // 4), scheme=scheme)
    assert result["percentage"].value == percentage
    assert result["percentage"].band == band
    assert result.scheme == scheme


@pytest.mark.parametrize(
    ("answers", "percentage", "bands"),
    [
        # 12.5 raw from 4 answers: exactly 50.0, only reachable by prorating.
        ([3, 3, None, 2, 2], 50, {"risk": "no_risk", "dk-3band": "risk", "who-form": "poor_wellbeing"}),
        # 35 is the Danish high-risk edge: 8.75 raw -> 35.0.
        ([2, 2, 2, None, 1], 35, {"risk": "risk", "dk-3band": "high_risk", "who-form": "poor_wellbeing"}),
        # 11 answered points from 4 items: 13.75 raw -> 55.0.
        ([3, 3, 3, 2, None], 55, {"risk": "no_risk", "dk-3band": "no_risk", "who-form": "adequate"}),
        # 6 points from 4 items: 7.5 raw -> 30.0.
        ([2, 2, 1, 1, None], 30, {"risk": "risk", "dk-3band": "high_risk", "who-form": "poor_wellbeing"}),
    ],
)
def test_prorated_in_between_values(answers, percentage, bands):
    result = score("who5", answers, missing="prorate")
    pct = result["percentage"]
    assert pct.value == percentage
    assert pct.prorated
    assert result["raw"].answered == 4
    assert {b.scheme: b.band for b in pct.bands} == bands


def test_prorated_value_is_not_rounded():
    result = score("who5", [3, 3, 3, None, 3], missing="prorate")
    assert result.values == {"raw": 15, "percentage": 60}
    result = score("who5", [1, 0, 0, None, 0], missing="prorate")
    assert result["raw"].value == 1.25
    assert result["percentage"].value == 5
    assert isinstance(result["raw"].value, float)


def test_default_rule_leaves_incomplete_unscored_without_exception():
    result = score("who5", {"1": 5, "2": 5, "3": 5, "4": 5})
    assert result.values == {"raw": None, "percentage": None}
    assert result["raw"].reason == "4 of 5 items answered; the rule in use needs all 5"
    assert result["percentage"].reason == "component scales not scored: raw"
    assert result["percentage"].band is None
    assert result.policy == "default"


def test_prorate_needs_four_of_five():
    result = score("who5", [5, 5, 5, None, None], missing="prorate")
    assert result.values == {"raw": None, "percentage": None}
    assert result["raw"].reason == "3 of 5 items answered; at least 4 needed"
    assert result.policy == "prorate"


def test_propagate_is_none_on_any_missing():
    result = score("who5", [5, 5, 5, 5, math.nan], missing="propagate")
    assert result.values == {"raw": None, "percentage": None}


@pytest.mark.parametrize(
    ("answers", "triggered"),
    [
        ([5, 5, 5, 5, 5], ()),
        ([2, 2, 2, 2, 2], ()),
        ([5, 5, 1, 5, 5], ("3",)),
        ([0, 5, 5, 5, 1], ("1", "5")),
    ],
)
def test_low_item_flag(answers, triggered):
    result = score("who5", answers)
    if triggered:
        assert result.flag_ids == ("low_item",)
        assert result.flags[0].items == triggered
        assert result.flags[0].kind == "instrument rule"
    else:
        assert result.flags == ()


def test_low_item_flag_raised_even_with_high_raw():
    # Form rule: assess for depression on any 0/1 answer "even if raw >= 13".
    result = score("who5", [5, 5, 5, 5, 0])
    assert result["raw"].value == 20
    assert result["percentage"].band == "no_risk"
    assert result.flag_ids == ("low_item",)


def test_mapping_keys_int_str_and_alias():
    by_str = score("who5", {"1": 3, "2": 4, "3": 2, "4": 3, "5": 1})
    by_int = score("who5", {1: 3, 2: 4, 3: 2, 4: 3, 5: 1})
    by_alias = score("who5", {"who5_1": 3, "who5_2": 4, "who5_3": 2, "who5_4": 3, "who5_5": 1})
    assert by_str == by_int == by_alias


def test_result_records_what_produced_it():
    result = score("who5", [3, 3, 3, 3, 3], respondent=Respondent(age=16, sex="male"))
    assert result.instrument_id == "who5"
    assert result.instrument_version == WHO5.version
    assert result.policy == "default"
    assert result.scheme == "risk"
    assert result.respondent == Respondent(age=16, sex="male")
    assert result.library_version


def test_band_labels_in_english_and_danish():
    band = score("who5", [1, 1, 1, 1, 1])["percentage"].bands[0]
    assert band.label_en == "risk of depression/stress"
    assert band.label_da == "risiko for depression/stress"


def test_sources_are_marked():
    scheme = WHO5.scheme("who-form")
    likely = scheme.cutoffs[0].bands[0]
    assert likely.source is not None
    assert likely.source.status == "unverified"
    assert not likely.source.verified
    assert "[unverified]" in str(likely.source)
    assert WHO5.scheme("risk").source.verified
    assert get_instrument("who5").source.doi == "10.1159/000376585"


def test_unknown_scheme_is_an_error():
    with pytest.raises(ValueError, match="no cutoff scheme 'dk'"):
        score("who5", [1, 1, 1, 1, 1], scheme="dk")


def test_unknown_policy_is_an_error():
    with pytest.raises(ValueError, match="unknown missing policy 'impute'"):
        score("who5", [1, 1, 1, 1, 1], missing="impute")
