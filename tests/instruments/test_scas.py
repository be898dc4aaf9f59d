"""SCAS child (``scas-c``) and parent (``scas-p``): golden cases, norms, properties, bad input.

Sources for the expected values:
- Child keys, 0-3 coding, fillers 11, 17, 26, 31, 38, 43, total = 38 anxiety items (0-114):
  SCAS website, child scoring and interpretation (sdq-scas.md 7.1-7.2).
- Parent keys: measurely / NovoPsych (sdq-scas.md 8, verified-secondary).
- Parent norms, normal population, means (SD) by sex and age 6-11 / 12-18: Nauta et al. 2004,
  Behav Res Ther 42(7):813-839, reproduced at scaswebsite.com/index.php?p=1_17 (sdq-scas.md 8).
- T >= 60 elevated: SCAS website, child T-scores (sdq-scas.md 7.3).
Every golden respondent below is hand-worked: the expected sums are written out per subscale.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.oracle import oracle_score
from trivselscore import Instrument, Respondent, ResponseError, get_instrument, score, score_batch

SCAS_C = get_instrument("scas-c")
SCAS_P = get_instrument("scas-p")
IDS = ["scas-c", "scas-p"]
SUBSCALES = (
    "panic_agoraphobia", "separation_anxiety", "physical_injury_fears",
    "social_phobia", "obsessive_compulsive", "generalised_anxiety",
)  # fmt: skip


# --- structure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument_id", "n_items", "fillers"),
    [("scas-c", 44, {"11", "17", "26", "31", "38", "43"}), ("scas-p", 38, set())],
)
def test_every_anxiety_item_in_exactly_one_subscale(instrument_id, n_items, fillers):
    instrument = get_instrument(instrument_id)
    assert instrument.item_ids == tuple(str(n) for n in range(1, n_items + 1))
    keyed = [i for s in SUBSCALES for i in instrument.scale(s).items]
    assert len(keyed) == len(set(keyed)) == 38
    assert set(instrument.item_ids) - set(keyed) == fillers
    assert all(instrument.item(i).theme == "positive filler" for i in fillers)
    assert instrument.scale_ids == (*SUBSCALES, "total")
    assert instrument.scale("total").scales == SUBSCALES
    assert instrument.scale_range("total") == (0, 114)
    sizes = {s: len(instrument.scale(s).items) for s in SUBSCALES}
    assert sizes == {
        "panic_agoraphobia": 9, "separation_anxiety": 6, "physical_injury_fears": 5,
        "social_phobia": 6, "obsessive_compulsive": 6, "generalised_anxiety": 6,
    }  # fmt: skip
    assert all(item.codes == (0, 1, 2, 3) for item in instrument.items)
    assert not any(s.reverse for s in instrument.scales)


def test_keys_as_published():
    child = {s: tuple(int(i) for i in SCAS_C.scale(s).items) for s in SUBSCALES}
    parent = {s: tuple(int(i) for i in SCAS_P.scale(s).items) for s in SUBSCALES}
    assert child == {
        "panic_agoraphobia": (13, 21, 28, 30, 32, 34, 36, 37, 39),
        "separation_anxiety": (5, 8, 12, 15, 16, 44),
        "physical_injury_fears": (2, 18, 23, 25, 33),
        "social_phobia": (6, 7, 9, 10, 29, 35),
        "obsessive_compulsive": (14, 19, 27, 40, 41, 42),
        "generalised_anxiety": (1, 3, 4, 20, 22, 24),
    }
    assert parent == {
        "panic_agoraphobia": (12, 19, 25, 27, 28, 30, 32, 33, 34),
        "separation_anxiety": (5, 8, 11, 14, 15, 38),
        "physical_injury_fears": (2, 16, 21, 23, 29),
        "social_phobia": (6, 7, 9, 10, 26, 31),
        "obsessive_compulsive": (13, 17, 24, 35, 36, 37),
        "generalised_anxiety": (1, 3, 4, 18, 20, 22),
    }


def test_no_item_wording_and_sources():
    for instrument in (SCAS_C, SCAS_P):
        assert all(item.theme.endswith((" item", "positive filler")) for item in instrument.items)
        assert "Spence" in instrument.licence
        assert instrument.default_scheme == "t60"
        assert instrument.scheme("t60").metric == "t_score"
    assert SCAS_C.scheme("t60").source.status == "verified"
    assert SCAS_P.scheme("t60").source.status == "verified-secondary"
    assert SCAS_C.norms == ()
    assert SCAS_P.norms[0].source.status == "verified"


# --- golden: hand-worked respondents -----------------------------------------------------

# Child: panic items all 1 (9 x 1 = 9); separation 5:3, 8:2, 12:1, 15:0, 16:3, 44:2 (= 11);
# injury 2:0, 18:1, 23:2, 25:3, 33:3 (= 9); social all 2 (= 12); OCD 27:1, 42:1, rest 0 (= 2);
# GAD all 3 (= 18); fillers all 3 (ignored). Total 9 + 11 + 9 + 12 + 2 + 18 = 61.
CHILD_GOLDEN = {
    "13": 1, "21": 1, "28": 1, "30": 1, "32": 1, "34": 1, "36": 1, "37": 1, "39": 1,
    "5": 3, "8": 2, "12": 1, "15": 0, "16": 3, "44": 2,
    "2": 0, "18": 1, "23": 2, "25": 3, "33": 3,
    "6": 2, "7": 2, "9": 2, "10": 2, "29": 2, "35": 2,
    "14": 0, "19": 0, "27": 1, "40": 0, "41": 0, "42": 1,
    "1": 3, "3": 3, "4": 3, "20": 3, "22": 3, "24": 3,
    "11": 3, "17": 3, "26": 3, "31": 3, "38": 3, "43": 3,
}  # fmt: skip
CHILD_EXPECTED = {
    "panic_agoraphobia": 9, "separation_anxiety": 11, "physical_injury_fears": 9,
    "social_phobia": 12, "obsessive_compulsive": 2, "generalised_anxiety": 18, "total": 61,
}  # fmt: skip

# Parent: panic 12:2, 19:2, rest 0 (= 4); separation all 1 (= 6); injury 2:3, 16:3, 21:3, 23:0,
# 29:0 (= 9); social 6:0, 7:1, 9:2, 10:3, 26:0, 31:1 (= 7); OCD all 0; GAD 1:1, 3:1, 4:0, 18:0,
# 20:0, 22:1 (= 3). Total 4 + 6 + 9 + 7 + 0 + 3 = 29.
PARENT_GOLDEN = {
    "12": 2, "19": 2, "25": 0, "27": 0, "28": 0, "30": 0, "32": 0, "33": 0, "34": 0,
    "5": 1, "8": 1, "11": 1, "14": 1, "15": 1, "38": 1,
    "2": 3, "16": 3, "21": 3, "23": 0, "29": 0,
    "6": 0, "7": 1, "9": 2, "10": 3, "26": 0, "31": 1,
    "13": 0, "17": 0, "24": 0, "35": 0, "36": 0, "37": 0,
    "1": 1, "3": 1, "4": 0, "18": 0, "20": 0, "22": 1,
}  # fmt: skip
PARENT_EXPECTED = {
    "panic_agoraphobia": 4, "separation_anxiety": 6, "physical_injury_fears": 9,
    "social_phobia": 7, "obsessive_compulsive": 0, "generalised_anxiety": 3, "total": 29,
}  # fmt: skip


@pytest.mark.parametrize(
    ("instrument_id", "answers", "expected"),
    [("scas-c", CHILD_GOLDEN, CHILD_EXPECTED), ("scas-p", PARENT_GOLDEN, PARENT_EXPECTED)],
)
def test_golden_subscales_and_total(instrument_id, answers, expected):
    result = score(instrument_id, answers)
    assert result.values == expected
    assert all(not s.prorated and s.reason is None for s in result.scales)
    assert result["total"].parts == 38


@pytest.mark.parametrize("filler", ["11", "17", "26", "31", "38", "43"])
@pytest.mark.parametrize("code", [0, 1, 2, None])
def test_fillers_are_ignored(filler, code):
    assert score("scas-c", {**CHILD_GOLDEN, filler: code}).values == CHILD_EXPECTED


def test_filler_is_still_validated():
    with pytest.raises(ResponseError, match="item '11'") as info:
        score("scas-c", {**CHILD_GOLDEN, "11": 4})
    assert info.value.item_id == "11"


def test_missing_item_default_and_prorate():
    answers = {**CHILD_GOLDEN, "8": None}  # separation anxiety: 5 of 6 answered
    default = score("scas-c", answers)
    assert default["separation_anxiety"].value is None
    assert default["separation_anxiety"].reason == "5 of 6 items answered; the rule in use needs all 6"
    assert default["total"].value is None
    assert default["panic_agoraphobia"].value == 9
    prorated = score("scas-c", answers, missing="prorate")
    assert prorated["separation_anxiety"].value == pytest.approx(9 * 6 / 5)  # (3+1+0+3+2) x 6/5
    assert prorated["separation_anxiety"].prorated
    assert prorated["total"].value == pytest.approx(61 - 11 + 9 * 6 / 5)
    assert prorated["total"].prorated
    two_missing = score("scas-c", {**answers, "12": None}, missing="prorate")
    assert two_missing["separation_anxiety"].value is None
    assert two_missing["total"].value is None


# --- Nauta 2004 parent norms and T-scores ------------------------------------------------


def parent_answers(scale_id: str, value: int) -> dict[str, int]:
    """SCAS-P answers with ``value`` on one subscale (or the total) and 0 elsewhere."""
    items = SCAS_P.scale_items(scale_id)
    return {i: (min(3, max(0, value - 3 * items.index(i))) if i in items else 0) for i in SCAS_P.item_ids}


# (scale, sex, age, raw just below T 60, raw at/above T 60, mean, SD) from Nauta 2004
NAUTA_CASES = [
    ("total", "female", 14, 21, 22, 12.6, 9.1),  # T 59.23 / 60.33
    ("total", "male", 14, 20, 21, 11.8, 8.3),  # T 59.88 / 61.08 (mean + 1 SD = 20.1)
    ("total", "female", 8, 24, 25, 15.9, 9.0),  # T 59.00 / 60.11
    ("total", "male", 6, 27, 28, 16.0, 11.6),  # T 59.48 / 60.34
    ("separation_anxiety", "male", 9, 6, 7, 3.4, 3.5),  # T 57.43 / 60.29
    ("social_phobia", "female", 13, 6, 7, 4.1, 2.7),  # T 57.04 / 60.74
    ("generalised_anxiety", "male", 16, 4, 5, 2.5, 2.2),  # T 56.82 / 61.36
    ("panic_agoraphobia", "female", 7, 2, 3, 0.9, 1.2),  # T 59.17 / 67.50
    ("physical_injury_fears", "female", 18, 4, 5, 2.4, 2.2),  # T 57.27 / 61.82
    ("obsessive_compulsive", "male", 11, 2, 3, 1.2, 1.7),  # T 54.71 / 60.59
]


@pytest.mark.parametrize("case", NAUTA_CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_nauta_t_scores_on_both_sides_of_60(case):
    scale_id, sex, age, below, above, mean, sd = case
    who = Respondent(age=age, sex=sex)
    for raw, band in ((below, "normal"), (above, "elevated")):
        result = score("scas-p", parent_answers(scale_id, raw), respondent=who)
        assert result[scale_id].value == raw
        assert result[scale_id].t_score == pytest.approx(50 + 10 * (raw - mean) / sd)
        assert result[scale_id].band == band
        assert result.norms == "nauta-2004"


@pytest.mark.parametrize(
    ("age", "reason"),
    [
        (5, "age 5 is outside 6-18, the range of scas-p"),  # the form's range (= the table's) comes first
        (19, "age 19 is outside 6-18, the range of scas-p"),
        (None, "norm table 'nauta-2004' is age-specific; Respondent.age is missing"),
    ],
)
def test_nauta_has_no_t_score_outside_6_to_18(age, reason):
    result = score("scas-p", parent_answers("total", 30), respondent=Respondent(age=age, sex="female"))
    assert result["total"].value == 30
    assert result["total"].t_score is None
    assert reason in (result["total"].t_score_reason or "")
    assert result["total"].band is None


def test_nauta_without_sex_says_so():
    result = score("scas-p", parent_answers("total", 30), respondent=Respondent(age=10))
    assert (
        result["total"].t_score_reason == "norm table 'nauta-2004' is sex-specific; Respondent.sex is missing"
    )
    assert result["total"].bands[0].reason == result["total"].t_score_reason


def test_child_form_ships_no_norms_and_says_so():
    result = score("scas-c", CHILD_GOLDEN, respondent=Respondent(age=14, sex="female"))
    assert result.values == CHILD_EXPECTED
    assert result.norms is None
    for scale in result.scales:
        assert scale.t_score is None
        assert scale.t_score_reason is not None
        assert "pass norms=NormTable" in scale.t_score_reason
        assert scale.band is None


# --- properties --------------------------------------------------------------------------


def rows(instrument: Instrument, *, allow_missing: bool = True) -> st.SearchStrategy[list[float]]:
    def column(codes: tuple[int, ...]) -> st.SearchStrategy[float]:
        return st.sampled_from([float(c) for c in codes] + ([math.nan] if allow_missing else []))

    return st.tuples(*(column(item.codes) for item in instrument.items)).map(list)


def respondents() -> st.SearchStrategy[Respondent]:
    return st.builds(
        Respondent,
        age=st.one_of(st.none(), st.integers(4, 25).map(float)),
        sex=st.sampled_from([None, "female", "male"]),
    )


def as_answers(row: list[float]) -> list[int | None]:
    return [None if math.isnan(v) else int(v) for v in row]


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_batch_row_equals_single(instrument_id, data):
    instrument = get_instrument(instrument_id)
    array = np.array(data.draw(st.lists(rows(instrument), min_size=1, max_size=4)), dtype=float)
    people = data.draw(st.lists(respondents(), min_size=len(array), max_size=len(array)))
    policy = data.draw(st.sampled_from([None, "propagate", "prorate"]))
    batch = score_batch(instrument, array, missing=policy, respondent=people)
    for i, row in enumerate(array):
        single = score(instrument, as_answers(list(row)), missing=policy, respondent=people[i])
        assert batch.row(i) == single
        for scale in instrument.scales:
            t = batch.t_scores(scale.id)[i]
            assert (single[scale.id].t_score is None) == bool(np.isnan(t))


@pytest.mark.parametrize("policy", [None, "propagate", "prorate"])
@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_engine_equals_oracle(instrument_id, policy, data):
    instrument = get_instrument(instrument_id)
    answers = as_answers(data.draw(rows(instrument)))
    expected = oracle_score(instrument, answers, policy)
    result = score(instrument, answers, missing=policy)
    for scale_id, value in expected.items():
        got = result[scale_id].value
        assert (got is None) == (value is None), scale_id
        if value is not None:
            assert got == pytest.approx(float(value), abs=1e-9)


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_values_and_t_scores_within_range(instrument_id, data):
    instrument = get_instrument(instrument_id)
    result = score(instrument, as_answers(data.draw(rows(instrument))), missing="prorate",
                   respondent=data.draw(respondents()))  # fmt: skip
    for scale in result.scales:
        low, high = instrument.scale_range(scale.scale)
        if scale.value is not None:
            assert low <= scale.value <= high
        if scale.t_score is not None:
            assert -1000 <= scale.t_score <= 1000
            assert sum(b.band is not None for b in scale.bands) == 1


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_monotone_in_each_item(instrument_id, data):
    instrument = get_instrument(instrument_id)
    row = as_answers(data.draw(rows(instrument, allow_missing=False)))
    column = data.draw(st.integers(0, len(row) - 1))
    if row[column] == 3:
        return
    higher = list(row)
    higher[column] = (row[column] or 0) + 1
    who = Respondent(age=data.draw(st.integers(6, 18)), sex=data.draw(st.sampled_from(["female", "male"])))
    before, after = score(instrument, row, respondent=who), score(instrument, higher, respondent=who)
    item_id = instrument.item_ids[column]
    for scale in instrument.scales:
        old, new = before[scale.id], after[scale.id]
        if item_id in instrument.scale_items(scale.id):
            assert new.value is not None
            assert old.value is not None
            assert new.value == old.value + 1
            if old.t_score is not None and new.t_score is not None:
                assert new.t_score > old.t_score
        else:
            assert new == old


# --- bad input ---------------------------------------------------------------------------

BAD = [
    pytest.param(4, "is not an allowed code", id="above-3"),
    pytest.param(-1, "is not an allowed code", id="negative"),
    pytest.param(2.5, "is not a whole number", id="fraction"),
    pytest.param(True, "is not a number", id="bool"),
    pytest.param("2", "is not a number", id="string"),
    pytest.param(math.inf, "is not a finite number", id="inf"),
]


@pytest.mark.parametrize("instrument_id", IDS)
@pytest.mark.parametrize(("value", "message"), BAD)
@pytest.mark.parametrize("item_id", ["1", "38"])
def test_bad_value_names_the_item(instrument_id, value, message, item_id):
    answers: dict[str, object] = {**dict.fromkeys(get_instrument(instrument_id).item_ids, 0), item_id: value}
    with pytest.raises(ResponseError, match=message) as info:
        score(instrument_id, answers)
    assert info.value.item_id == item_id
    assert f"item {item_id!r}" in str(info.value)
