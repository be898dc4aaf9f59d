"""Norm tables and T-scores: the model, its validation, pluggable tables, T-score bands.

Every norm table defined in this file is INVENTED for the tests (status
"unverified"); the only shipped table is Nauta et al. 2004 (tests/instruments/test_scas.py).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Literal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from trivselscore import (
    Band,
    Cutoffs,
    CutoffScheme,
    Instrument,
    MissingRule,
    Norm,
    NormTable,
    Respondent,
    Scale,
    Source,
    get_instrument,
    score,
    score_batch,
)
from trivselscore.definitions.instrument import check_norm_table
from trivselscore.definitions.model import Item, options
from trivselscore.definitions.norms import T_SCORE_LIMITS, gaps

INVENTED = Source(citation="Invented for tests, not real norms", status="unverified")
SCAS_C = get_instrument("scas-c")
SCAS_P = get_instrument("scas-p")


def table(*rows: Norm, table_id: str = "invented", age_rules: str | None = None) -> NormTable:
    return NormTable(
        id=table_id,
        label="invented test norms",
        population="none (invented)",
        source=INVENTED,
        rows=rows,
        age_rules=age_rules,
    )


# An invented child table using the SCAS author's age rules (7 -> 8-11, 16-17 -> 12-15).
CHILD = table(
    Norm(scale="total", sex="female", min_age=7, max_age=11, mean=20, sd=10),
    Norm(scale="total", sex="female", min_age=12, max_age=17, mean=30, sd=10),
    Norm(scale="total", sex="male", min_age=7, max_age=11, mean=15, sd=5),
    Norm(scale="total", sex="male", min_age=12, max_age=17, mean=25, sd=5),
    Norm(scale="social_phobia", mean=4, sd=2),
    age_rules="Age 7 uses the 8-11 rows and ages 16-17 the 12-15 rows (SCAS website).",
)


def child_answers(total: int) -> dict[str, int]:
    """SCAS-C answers whose 38 anxiety items sum to ``total`` (fillers 3, ignored)."""
    scored = [i for s in SCAS_C.scales if s.items for i in s.items]
    answers = dict.fromkeys(SCAS_C.item_ids, 3)
    for k, item_id in enumerate(scored):
        answers[item_id] = min(3, max(0, total - 3 * k))
    return answers


# --- the model ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"sd": 0}, "greater than 0", id="sd-zero"),
        pytest.param({"sd": -1}, "greater than 0", id="sd-negative"),
        pytest.param({"sd": math.inf}, "finite", id="sd-inf"),
        pytest.param({"mean": math.nan}, "finite", id="mean-nan"),
        pytest.param({"min_age": 12, "max_age": 11}, "exceeds max_age", id="ages-reversed"),
        pytest.param({"min_age": -1}, "greater than or equal", id="age-negative"),
        pytest.param({"min_age": 6.5}, "integer", id="age-not-whole"),
        pytest.param({"sex": "other"}, "female", id="sex-unknown"),
    ],
)
def test_bad_norm_row_is_rejected(kwargs, message):
    fields = {"scale": "total", "mean": 10, "sd": 5, **kwargs}
    with pytest.raises(ValidationError, match=message):
        Norm(**fields)


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(
            (Norm(scale="total", min_age=6, max_age=11, mean=1, sd=1),
             Norm(scale="total", min_age=11, max_age=18, mean=1, sd=1)), id="ages-share-11"),
        pytest.param(
            (Norm(scale="total", sex="female", mean=1, sd=1), Norm(scale="total", mean=1, sd=1)),
            id="sex-none-overlaps-female"),
        pytest.param(
            (Norm(scale="total", max_age=11, mean=1, sd=1), Norm(scale="total", mean=1, sd=1)),
            id="open-ages"),
    ],
)  # fmt: skip
def test_overlapping_rows_are_rejected(rows):
    with pytest.raises(ValidationError, match="apply to the same respondents"):
        table(*rows)


def test_rows_of_different_sexes_or_scales_may_share_ages():
    made = table(
        Norm(scale="total", sex="female", mean=1, sd=1),
        Norm(scale="total", sex="male", mean=1, sd=1),
        Norm(scale="social_phobia", sex="male", mean=1, sd=1),
    )
    assert made.scale_ids == ("total", "social_phobia")
    assert made.rows[0].group == "female"


def test_table_must_fit_the_instrument():
    with pytest.raises(ValueError, match="unknown scale 'nope'"):
        check_norm_table(SCAS_C, table(Norm(scale="nope", mean=1, sd=1)))
    # SD so small that the maximum (114) maps above T = 1000
    with pytest.raises(ValueError, match="leave the range"):
        check_norm_table(SCAS_C, table(Norm(scale="total", mean=10, sd=1)))
    check_norm_table(SCAS_C, CHILD)


def _tiny_instrument(**overrides: object) -> Instrument:
    rule = MissingRule(min_answered=2, source=INVENTED)
    fields: dict[str, object] = {
        "id": "tiny",
        "name": "tiny test instrument",
        "version": "1",
        "informant": "self",
        "licence": "test only, invented",
        "source": INVENTED,
        "items": tuple(Item(id=str(n), theme="xx", options=options(("a", "a"), ("b", "b"))) for n in (1, 2)),
        "scales": (
            Scale(id="total", label_en="tt", label_da="tt", items=("1", "2"), missing=rule,
                  higher_is_better=False, source=INVENTED),
        ),
        **overrides,
    }  # fmt: skip
    return Instrument.model_validate(fields)


T_BANDS = (
    Band(id="low", label_en="ll", label_da="ll", lower=-1000, upper=60, upper_inclusive=False),
    Band(id="high", label_en="hh", label_da="hh", lower=60, upper=1000),
)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"norms": (table(Norm(scale="nope", mean=1, sd=1)),)}, "unknown scale",
                     id="unknown-scale"),
        pytest.param({"norms": (table(Norm(scale="total", mean=1, sd=1)),) * 2}, "norm table ids repeat",
                     id="duplicate-table"),
        pytest.param({"norms": (table(Norm(scale="total", mean=1, sd=0.001)),)}, "leave the range",
                     id="t-out-of-limits"),
        pytest.param(
            {"schemes": (CutoffScheme(id="t", label_en="tt", label_da="tt", metric="t_score", source=INVENTED,
                                      cutoffs=(Cutoffs(scale="total", bands=T_BANDS[:1]),)),)},
            "must end at 1000", id="t-bands-short"),
        pytest.param(
            {"schemes": (CutoffScheme(id="t", label_en="tt", label_da="tt", source=INVENTED,
                                      cutoffs=(Cutoffs(scale="total", bands=T_BANDS),)),)},
            "must start at 0", id="t-bands-on-score-metric"),
    ],
)  # fmt: skip
def test_instrument_norm_checks(overrides, message):
    with pytest.raises(ValidationError, match=message):
        _tiny_instrument(**overrides)


def test_t_score_scheme_covers_the_limits():
    scheme = CutoffScheme(
        id="t", label_en="tt", label_da="tt", metric="t_score", source=INVENTED,
        cutoffs=(Cutoffs(scale="total", bands=T_BANDS),),
    )  # fmt: skip
    tiny = _tiny_instrument(
        schemes=(scheme,), default_scheme="t", norms=(table(Norm(scale="total", mean=1, sd=1)),)
    )
    assert T_SCORE_LIMITS == (-1000.0, 1000.0)
    assert score(tiny, [1, 1])["total"].t_score == 60
    assert score(tiny, [1, 1])["total"].band == "high"
    assert score(tiny, [0, 1])["total"].band == "low"
    assert score(tiny, [0, 0]).norms == "invented"


# --- pluggable tables --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "age", "sex", "expected"),
    [
        pytest.param(26, 9, "female", 56.0, id="girl-9"),
        pytest.param(26, 7, "female", 56.0, id="age-7-uses-8-11-rows"),
        pytest.param(26, 16, "female", 46.0, id="age-16-uses-12-15-rows"),
        pytest.param(26, 17.9, "female", 46.0, id="age-17.9-is-17"),
        pytest.param(26, 11.99, "male", 72.0, id="age-11.99-is-11"),
        pytest.param(26, 12, "male", 52.0, id="boy-12"),
    ],
)
def test_user_table_with_age_rules(total, age, sex, expected):
    result = score(SCAS_C, child_answers(total), respondent=Respondent(age=age, sex=sex), norms=CHILD)
    assert result["total"].value == total
    assert result["total"].t_score == pytest.approx(expected)
    assert result["total"].t_score_reason is None
    assert result.norms == "invented"


# SCAS-C without its age range (7-17): the norm table's own coverage decides alone
ANY_AGE = Instrument(
    **(
        {name: getattr(SCAS_C, name) for name in Instrument.model_fields}
        | {"age_range": None, "age_range_source": None}
    )
)


@pytest.mark.parametrize(
    ("instrument", "respondent", "reason"),
    [
        pytest.param(ANY_AGE, Respondent(age=6, sex="female"),
                     "covers female 7-11, female 12-17, male 7-11, male 12-17 only", id="too-young"),
        pytest.param(ANY_AGE, Respondent(age=18, sex="male"), "T-scores are not extrapolated", id="too-old"),
        pytest.param(ANY_AGE, Respondent(age=25, sex="male"), "T-scores are not extrapolated", id="age-25"),
        # the instrument's age range comes first: its reason, not the table's
        pytest.param(SCAS_C, Respondent(age=6, sex="female"), "age 6 is outside 7-17, the range of scas-c",
                     id="too-young-for-scas-c"),
        pytest.param(SCAS_C, Respondent(age=25, sex="male"), "age 25 is outside 7-17, the range of scas-c",
                     id="too-old-for-scas-c"),
        pytest.param(SCAS_C, Respondent(age=14), "is sex-specific; Respondent.sex is missing", id="no-sex"),
        pytest.param(SCAS_C, Respondent(sex="female"), "is age-specific; Respondent.age is missing",
                     id="no-age"),
        pytest.param(SCAS_C, None, "Respondent.sex is missing", id="no-respondent"),
    ],
)  # fmt: skip
def test_no_t_score_outside_the_table(instrument, respondent, reason):
    result = score(instrument, child_answers(30), respondent=respondent, norms=CHILD)
    assert result["total"].value == 30
    assert result["total"].t_score is None
    assert reason in (result["total"].t_score_reason or "")
    band = next(b for b in result["total"].bands if b.scheme == "t60")
    assert band.band is None
    assert band.reason == result["total"].t_score_reason


def test_scale_without_norms_and_unscored_scale_have_reasons():
    answers: dict[str, int | None] = {**child_answers(30)}
    answers["1"] = None  # generalised anxiety unanswered -> total None by default
    result = score(SCAS_C, answers, respondent=Respondent(age=14, sex="male"), norms=CHILD)
    assert result["generalised_anxiety"].t_score_reason == "the scale was not scored"
    assert result["total"].t_score_reason == "the scale was not scored"
    assert (
        result["separation_anxiety"].t_score_reason
        == "norm table 'invented' has no norms for scale 'separation_anxiety'"
    )
    assert result["social_phobia"].t_score is not None  # the row for both sexes, all ages


def test_sex_neutral_open_age_row_applies_to_everyone():
    answers = child_answers(0)
    for item_id in SCAS_C.scale("social_phobia").items:
        answers[item_id] = 1  # social phobia = 6
    result = score(SCAS_C, answers, norms=CHILD)
    assert result["social_phobia"].t_score == pytest.approx(60.0)


def test_prorated_value_gets_a_t_score():
    answers: dict[str, int | None] = {**child_answers(26)}
    answers["13"] = None  # a panic item
    result = score(
        SCAS_C, answers, respondent=Respondent(age=9, sex="female"), norms=CHILD, missing="prorate"
    )
    assert result["total"].prorated
    value = result["total"].value
    assert value is not None
    assert result["total"].t_score == pytest.approx(50 + (value - 20))


def test_norms_by_id_and_unknown_id():
    answers = [1] * 38
    by_default = score(SCAS_P, answers, respondent=Respondent(age=9, sex="male"))
    by_id = score(SCAS_P, answers, respondent=Respondent(age=9, sex="male"), norms="nauta-2004")
    assert by_default == by_id
    with pytest.raises(ValueError, match="no norm table 'arendt-2014'"):
        score(SCAS_P, answers, norms="arendt-2014")
    with pytest.raises(ValueError, match="unknown scale"):
        score(SCAS_P, answers, norms=table(Norm(scale="nope", mean=1, sd=1)))


def test_batch_t_scores_with_other_tables():
    rows = np.array([list(child_answers(t).values()) for t in (20, 26, 40)], dtype=float)
    people = [Respondent(age=9, sex="female"), Respondent(age=13, sex="male"), Respondent(age=30, sex="male")]
    batch = score_batch(SCAS_C, rows, respondent=people, norms=CHILD)
    np.testing.assert_allclose(batch.t_scores("total"), [50.0, 52.0, np.nan])
    assert batch.t_scores("total").flags.writeable is False
    np.testing.assert_array_equal(
        batch.bands("total", "t60"), np.array(["normal", "normal", None], dtype=object)
    )
    plain = score_batch(SCAS_C, rows, respondent=people)
    assert np.isnan(plain.t_scores("total")).all()
    np.testing.assert_allclose(plain.t_scores("total", norms=CHILD), batch.t_scores("total"))
    with pytest.raises(KeyError):
        plain.t_scores("nope")
    for i in range(3):
        assert batch.row(i) == score(SCAS_C, rows[i].tolist(), respondent=people[i], norms=CHILD)


def test_instrument_without_norms_has_no_t_score_noise():
    result = score("who5", [3, 3, 3, 3, 3])
    assert all(s.t_score is None and s.t_score_reason is None for s in result.scales)
    assert result.norms is None


# --- properties --------------------------------------------------------------------------


@given(
    value=st.integers(0, 114),
    mean=st.decimals(0, 60, places=1),
    sd=st.decimals("1.5", 30, places=1),
    sex=st.sampled_from(["female", "male"]),
)
def test_t_score_equals_exact_formula(value, mean, sd, sex):
    norms = table(Norm(scale="total", sex=sex, mean=float(mean), sd=float(sd)))
    result = score(SCAS_C, child_answers(value), respondent=Respondent(sex=sex), norms=norms)
    exact = 50 + 10 * (Fraction(value) - Fraction(mean)) / Fraction(sd)
    assert result["total"].t_score == pytest.approx(float(exact), abs=1e-9)
    if abs(exact - 60) > Fraction(1, 10**9):  # exactly 60 may land either side in floating point
        assert result["total"].band == ("elevated" if exact >= 60 else "normal")


@given(st.lists(st.integers(0, 114), min_size=2, max_size=2), st.sampled_from(["female", "male"]))
def test_t_score_is_monotone_in_the_raw_score(totals, sex):
    low, high = sorted(totals)
    who = Respondent(age=10, sex=sex)
    t_low = score(SCAS_C, child_answers(low), respondent=who, norms=CHILD)["total"].t_score
    t_high = score(SCAS_C, child_answers(high), respondent=who, norms=CHILD)["total"].t_score
    assert t_low is not None
    assert t_high is not None
    assert t_low <= t_high


@given(st.floats(*T_SCORE_LIMITS, allow_nan=False))
def test_every_t_score_in_exactly_one_band(value):
    for instrument in (SCAS_C, SCAS_P):
        for scheme in instrument.schemes:
            assert scheme.metric == "t_score"
            for cutoffs in scheme.cutoffs:
                assert sum(b.contains(value) for b in cutoffs.bands) == 1


# --- every cell present (gaps) -------------------------------------------------------------


def test_shipped_tables_have_every_cell():
    from trivselscore.instruments import ALL  # noqa: PLC0415 - every shipped instrument

    tables = [t for instrument in ALL for t in instrument.norms]
    assert tables
    assert all(gaps(t) == [] for t in tables)


def test_gaps_name_the_missing_cells():
    found = [g.describe() for g in gaps(CHILD)]
    # social_phobia covers every age, total only 7-17: total lacks the ages below 7 and above 17
    assert found == [
        "scale 'total', female -6",
        "scale 'total', male -6",
        "scale 'total', female 18-",
        "scale 'total', male 18-",
    ]
    girls_only = table(Norm(scale="total", sex="female", min_age=12, max_age=15, mean=20, sd=10))
    assert [(g.scale, g.sex, g.min_age, g.max_age) for g in gaps(girls_only)] == [("total", "male", 12, 15)]
    assert gaps(table(Norm(scale="total", mean=1, sd=1), Norm(scale="panic_agoraphobia", mean=1, sd=1))) == []


@st.composite
def complete_tables(draw: st.DrawFn) -> NormTable:
    """A full grid: scales x sexes (or both) x consecutive age bands (first and last may be open)."""
    scales = draw(st.lists(st.sampled_from(SCAS_C.scale_ids), min_size=1, max_size=3, unique=True))
    by_sex = draw(st.booleans())
    cuts = sorted(draw(st.sets(st.integers(1, 30), min_size=1, max_size=4)))
    open_low, open_high = draw(st.booleans()), draw(st.booleans())
    bands: list[tuple[int | None, int | None]] = (
        [(None if open_low else 0, cuts[0] - 1)] if open_low or cuts[0] > 1 else []
    )
    bands += [(low, high - 1) for low, high in itertools.pairwise(cuts)]
    bands.append((cuts[-1], None if open_high else cuts[-1] + 5))
    sexes: tuple[Literal["female", "male"] | None, ...] = ("female", "male") if by_sex else (None,)
    rows = [
        Norm(scale=scale, sex=sex, min_age=low, max_age=high, mean=10, sd=5)
        for scale in scales
        for sex in sexes
        for low, high in bands
    ]
    return table(*rows)


@given(complete_tables(), st.data())
def test_a_full_grid_has_no_gaps_and_losing_a_row_shows_it(made, data):
    assert gaps(made) == []
    if len(made.rows) == 1:
        return
    lost = data.draw(st.sampled_from(made.rows))
    rest = table(*(r for r in made.rows if r is not lost))
    found = gaps(rest)
    # a hole shows where another scale or the other sex has a row for those ages (in a full grid, it does),
    # unless the table lost its only row of that scale (then the scale is not in it at all)
    others = any(r.scale != lost.scale or r.sex != lost.sex for r in rest.rows)
    assert bool(found) == (others and lost.scale in rest.scale_ids)
    for gap in found:
        assert gap.scale == lost.scale
        assert gap.sex == lost.sex or lost.sex is None
        low = -1 if lost.min_age is None else lost.min_age
        high = 10**6 if lost.max_age is None else lost.max_age
        assert low <= (gap.min_age if gap.min_age is not None else -1)
        assert (gap.max_age if gap.max_age is not None else 10**6) <= high
