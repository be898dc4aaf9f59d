"""The generic engine on a small invented instrument that uses every feature.

The instrument below is invented for these tests (it is not shipped): items 1-4
coded 0-2 (item 4 reverse-keyed), a gate item ``g`` and two impact-style items
recoded 0,1 -> 0; 2 -> 1; 3 -> 2 and zero-filled, a composite total, a named
missing variant, and sex/age-specific band tables.
"""

from __future__ import annotations

import runpy

import numpy as np
import pytest

from trivselscore import (
    Band,
    Cutoffs,
    CutoffScheme,
    IncompleteResponseError,
    Instrument,
    Item,
    MissingRule,
    Respondent,
    ResponseError,
    Scale,
    Source,
    score,
    score_batch,
)
from trivselscore.definitions.model import Gate, ItemRecode, MissingVariant, options

SRC = Source(citation="Invented for the engine tests", status="derived")
LIKERT = options(("no", "nej"), ("partly", "delvis"), ("yes", "ja"))
FOUR = options(("none", "ingen"), ("little", "lidt"), ("some", "noget"), ("much", "meget"))
HALF_UP = MissingRule(kind="prorate", min_answered=3, rounding="half_up", source=SRC)
IMPACT = ((0, 0), (1, 0), (2, 1), (3, 2))


def band(band_id: str, lower: float, upper: float, **kw: object) -> Band:
    return Band(id=band_id, label_en=band_id, label_da=band_id, lower=lower, upper=upper, **kw)  # type: ignore[arg-type]


LOW_HIGH = (band("low", 0, 4), band("high", 4, 8, lower_inclusive=False))
GIRLS = (band("low", 0, 2), band("high", 2, 8, lower_inclusive=False))

TOY = Instrument(
    id="toy",
    name="invented test instrument",
    version="1",
    informant="self",
    licence="invented for tests",
    source=SRC,
    items=(
        *(Item(id=str(i), theme=f"theme {i}", options=LIKERT) for i in range(1, 5)),
        Item(id="g", theme="gate question", options=FOUR),
        Item(id="a", theme="impact a", options=FOUR),
        Item(id="b", theme="impact b", options=FOUR),
        Item(id="x", theme="unscored extra", options=LIKERT),
    ),
    scales=(
        Scale(
            id="core",
            label_en="core",
            label_da="kerne",
            items=("1", "2", "3", "4"),
            reverse=("4",),
            missing=HALF_UP,
            higher_is_better=False,
            source=SRC,
        ),
        Scale(
            id="impact",
            label_en="impact",
            label_da="påvirkning",
            items=("a", "b"),
            recode=tuple(ItemRecode(item=i, values=IMPACT, source=SRC) for i in ("a", "b")),
            gate=Gate(item="g", codes=(0,), value=0, source=SRC),
            missing=MissingRule(kind="zero_fill", min_answered=1, source=SRC),
            higher_is_better=False,
            source=SRC,
        ),
        Scale(
            id="total",
            label_en="total",
            label_da="total",
            scales=("core", "impact"),
            missing=MissingRule(kind="complete", min_answered=2, source=SRC),
            higher_is_better=False,
            source=SRC,
        ),
    ),
    schemes=(
        CutoffScheme(
            id="by-sex",
            label_en="by sex",
            label_da="efter køn",
            source=SRC,
            cutoffs=(
                Cutoffs(scale="core", bands=LOW_HIGH, sex="male", min_age=10, max_age=17),
                Cutoffs(scale="core", bands=GIRLS, sex="female", min_age=10, max_age=17),
            ),
        ),
        CutoffScheme(
            id="plain",
            label_en="plain",
            label_da="simpel",
            source=SRC,
            cutoffs=(Cutoffs(scale="core", bands=LOW_HIGH),),
        ),
    ),
    missing_variants=(
        MissingVariant(
            id="lenient-total",
            label="total from one part",
            rules=(("total", MissingRule(kind="prorate", min_answered=1, rounding="half_up", source=SRC)),),
        ),
    ),
)

NAN = np.nan


def test_reverse_key_and_half_up_rounding():
    # core = items 1-3 + reversed 4. Four of four: plain sum.
    assert score(TOY, {"1": 2, "2": 2, "3": 2, "4": 0, "g": 0})["core"].value == 8
    # Three answered summing to 4 -> 4 x 4 / 3 = 5.33 -> 5.
    assert score(TOY, {"1": 2, "2": 1, "3": 1, "g": 0})["core"].value == 5
    # Three answered summing to 3 -> exactly 4.0.
    assert score(TOY, {"1": 1, "2": 1, "3": 1, "g": 0})["core"].value == 4


def test_half_up_where_python_round_differs():
    # peers.md section 4, pitfall 7: 4 of 5 items summing to 2 -> 2.5; half up gives 3,
    # Python's round() and numpy's round give 2.
    five = Instrument(
        id="five",
        name="five items",
        version="1",
        informant="self",
        licence="invented for tests",
        source=SRC,
        items=tuple(Item(id=str(i), theme=f"theme {i}", options=LIKERT) for i in range(1, 6)),
        scales=(
            Scale(
                id="s",
                label_en="sum",
                label_da="sum",
                items=("1", "2", "3", "4", "5"),
                missing=HALF_UP,
                higher_is_better=False,
                source=SRC,
            ),
        ),
    )
    assert round(2.5) == 2
    assert np.round(2.5) == 2
    assert score(five, [1, 1, 0, 0, None])["s"].value == 3
    assert score(five, [2, 2, 1, 0, None])["s"].value == 6  # 6.25 -> 6
    np.testing.assert_array_equal(score_batch(five, np.array([[1, 1, 0, 0, NAN]]))["s"], [3])


def test_too_few_answered_is_none_with_reason():
    result = score(TOY, {"1": 1, "2": 1, "g": 0})
    assert result["core"].value is None
    assert result["core"].reason == "2 of 4 items answered; at least 3 needed"


def test_gate_makes_skipped_items_not_asked():
    result = score(TOY, {"1": 0, "2": 0, "3": 0, "4": 2, "g": 0})
    assert result["impact"].value == 0
    assert result["total"].value == 0
    # not asked is not missing, even under missing="raise"
    assert score(TOY, {"1": 0, "2": 0, "3": 0, "4": 2, "g": 0}, missing="raise")["impact"].value == 0


def test_zero_fill_and_recode():
    one = score(TOY, {"1": 0, "2": 0, "3": 0, "4": 2, "g": 2, "a": 3})
    assert one["impact"].value == 2
    assert one["impact"].answered == 1
    assert not one["impact"].prorated
    both = score(TOY, {"1": 0, "2": 0, "3": 0, "4": 2, "g": 2, "a": 1, "b": 2})
    assert both["impact"].value == 1
    none = score(TOY, {"1": 0, "2": 0, "3": 0, "4": 2, "g": 2})
    assert none["impact"].value is None
    assert none["total"].value is None
    assert none["total"].reason == "component scales not scored: impact"


def test_raise_needs_gate_item_and_ungated_items():
    with pytest.raises(IncompleteResponseError) as info:
        score(TOY, {"1": 0, "2": 0, "3": 0, "4": 2}, missing="raise")
    assert info.value.item_id == "g"
    with pytest.raises(IncompleteResponseError) as info:
        score(TOY, {"1": 0, "2": 0, "3": 0, "4": 2, "g": 1, "a": 1}, missing="raise")
    assert info.value.item_id == "b"
    data = np.array([[0, 0, 0, 2, 0, NAN, NAN, NAN], [0, 0, 0, 2, 1, 1, NAN, NAN]])
    with pytest.raises(IncompleteResponseError) as info:
        score_batch(TOY, data, missing="raise")
    assert (info.value.row, info.value.item_id) == (1, "b")


def test_unscored_item_is_validated_but_scored_nowhere():
    base = {"1": 1, "2": 1, "3": 1, "4": 1, "g": 0}
    assert score(TOY, {**base, "x": 2}).values == score(TOY, base).values
    with pytest.raises(ResponseError) as info:
        score(TOY, {**base, "x": 3})
    assert info.value.item_id == "x"


def test_named_missing_variant():
    answers = {"1": 2, "2": 2, "3": 2, "4": 0, "g": 2}
    assert score(TOY, answers)["total"].value is None
    lenient = score(TOY, answers, missing="lenient-total")
    assert lenient["total"].value == 16  # 8 from one of two parts, prorated x 2
    assert lenient["total"].prorated
    assert lenient.policy == "lenient-total"


def test_composite_prorated_flag_comes_from_parts():
    result = score(TOY, {"1": 2, "2": 1, "3": 1, "g": 0})
    assert result["core"].prorated
    assert result["total"].prorated
    assert result["total"].value == 5
    assert result["total"].answered == 3
    assert result["total"].parts == 6


@pytest.mark.parametrize(
    ("respondent", "band", "reason"),
    [
        (Respondent(age=15, sex="male"), "low", None),
        (Respondent(age=15, sex="female"), "high", None),
        (Respondent(age=10, sex="female"), "high", None),
        (Respondent(age=17, sex="female"), "high", None),
        (Respondent(age=17.9, sex="female"), "high", None),
        (Respondent(age=9.9, sex="female"), None, "no band table for this respondent's age and sex"),
        (Respondent(age=18, sex="female"), None, "no band table for this respondent's age and sex"),
        (Respondent(age=15), None, "Respondent.sex is missing"),
        (Respondent(sex="male"), None, "Respondent.age is missing"),
        (None, None, "Respondent.sex is missing"),
    ],
)
def test_sex_and_age_specific_bands(respondent, band, reason):
    answers = {"1": 1, "2": 1, "3": 1, "4": 2, "g": 0}  # core = 3
    result = score(TOY, answers, respondent=respondent, scheme="by-sex")
    core = result["core"]
    assert core.value == 3
    assert core.band == band
    found = next(b for b in core.bands if b.scheme == "by-sex")
    if reason is None:
        assert found.reason is None
    else:
        assert found.reason is not None
        assert reason in found.reason
    assert next(b for b in core.bands if b.scheme == "plain").band == "low"


def test_batch_accessors():
    data = np.array([[2, 2, 2, 0, 0, NAN, NAN, NAN], [2, 1, 1, NAN, 3, 3, NAN, 0], [NAN] * 8])
    people = [Respondent(age=12, sex="female"), Respondent(age=12, sex="male"), None]
    batch = score_batch(TOY, data, respondent=people, scheme="by-sex")
    assert len(batch) == 3
    np.testing.assert_array_equal(batch["core"], [8, 5, NAN])
    np.testing.assert_array_equal(batch.values["impact"], [0, 2, NAN])
    np.testing.assert_array_equal(batch.answered("core"), [4, 3, 0])
    np.testing.assert_array_equal(batch.prorated("core"), [False, True, False])
    assert list(batch.bands("core")) == ["high", "high", None]
    assert list(batch.bands("core", "plain")) == ["high", "high", None]
    assert batch.flags == {}
    with pytest.raises(ValueError, match="read-only"):
        batch["core"][0] = 1
    with pytest.raises(KeyError, match="does not band scale 'impact'"):
        batch.bands("impact")
    assert batch.row(2)["core"].reason == "0 of 4 items answered; at least 3 needed"
    assert next(b.reason for b in batch.row(2)["core"].bands) == "the scale was not scored"


def test_batch_without_default_scheme_needs_a_scheme_name():
    batch = score_batch(TOY, np.zeros((1, 8)))
    assert batch.scheme is None
    with pytest.raises(KeyError, match="no default cutoff scheme"):
        batch.bands("core")
    assert batch.row(0)["core"].band is None


def test_respondent_count_must_match_rows():
    with pytest.raises(ResponseError, match="2 respondents given for 1 rows"):
        score_batch(TOY, np.zeros((1, 8)), respondent=[Respondent(), Respondent()])


def test_empty_batch():
    batch = score_batch(TOY, np.zeros((0, 8)))
    assert len(batch) == 0
    assert batch["total"].shape == (0,)


def test_lookups_raise_key_error():
    with pytest.raises(KeyError):
        TOY.item("nope")
    with pytest.raises(KeyError):
        TOY.scale("nope")
    with pytest.raises(KeyError):
        TOY.scheme("nope")
    with pytest.raises(KeyError):
        score(TOY, {"g": 0})["nope"]
    assert TOY.rule("core", "no-such-variant") == TOY.scale("core").missing
    assert TOY.rule("core", "lenient-total") == TOY.scale("core").missing


def test_instrument_scale_items_and_values():
    assert TOY.scale_items("total") == ("1", "2", "3", "4", "a", "b")
    assert TOY.item_values(TOY.scale("core"), "4") == {0: 2, 1: 1, 2: 0}
    assert TOY.item_values(TOY.scale("impact"), "a") == dict(IMPACT)
    assert TOY.scale_range("impact") == (0, 4)
    assert TOY.scale_range("total") == (0, 12)


def test_main_module_runs(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["trivselscore", "list"])
    with pytest.raises(SystemExit) as info:
        runpy.run_module("trivselscore", run_name="__main__")
    assert info.value.code == 0
    assert "who5" in capsys.readouterr().out


def test_single_and_batch_band_paths_agree_for_every_respondent_kind():
    people = [
        None,
        Respondent(),
        Respondent(age=15),
        Respondent(sex="female"),
        Respondent(age=9.5, sex="male"),
        Respondent(age=10, sex="male"),
        Respondent(age=17.99, sex="female"),
        Respondent(age=18, sex="female"),
    ]
    rows = [[1, 1, 1, 2, 0, NAN, NAN, NAN], [2, 2, 2, 0, 0, NAN, NAN, NAN], [NAN] * 8]
    for answers in rows:
        data = np.array([answers] * len(people))
        batch = score_batch(TOY, data, respondent=people, scheme="by-sex")
        for i, person in enumerate(people):
            single = score(
                TOY, [None if np.isnan(v) else int(v) for v in answers], respondent=person, scheme="by-sex"
            )
            assert batch.row(i) == single
