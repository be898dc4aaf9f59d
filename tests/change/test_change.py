"""classify_change / classify_changes: change.md's worked vectors, direction, boundaries, errors.

The numbered vectors come from /work/shared/reference/change.md section 5 ("Test vectors"):
the clinicalsignificance JT fixture, the cutoff fixture and the Jacobson & Truax (1991)
Table 2 DAS data (n = 30, r = .84; the same values as clinicalsignificance's
``jacobson_1989$das`` and the JTRCI CSV).
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import trivselscore
from trivselscore import (
    ChangeCategory,
    ChangeInputError,
    ChangeParameterError,
    ChangeParameters,
    Instrument,
    Item,
    MissingRule,
    ReferencePopulation,
    Scale,
    Source,
    UnknownScaleError,
    classify_change,
    classify_changes,
    get_instrument,
    score,
    score_batch,
)
from trivselscore.change.rule import ChangeOptions
from trivselscore.definitions.model import options

C = ChangeCategory
SRC = Source(citation="Invented fixture for change tests", status="derived")


def fixture_instrument(n_items: int = 30) -> Instrument:
    """30 items coded 0-5: scale "up" (higher is better) and "down" (lower is better), 0-150."""
    opts = options(*((str(i), str(i)) for i in range(6)))
    ids = tuple(str(i) for i in range(1, n_items + 1))
    rule = MissingRule(min_answered=n_items, source=SRC)
    return Instrument(
        id="change-fixture",
        name="change fixture",
        version="1",
        informant="self",
        licence="invented for tests",
        source=SRC,
        items=tuple(Item(id=i, theme=f"theme {i}", options=opts) for i in ids),
        scales=(
            Scale(
                id="up",
                label_en="up",
                label_da="op",
                items=ids,
                missing=rule,
                higher_is_better=True,
                source=SRC,
            ),
            Scale(
                id="down",
                label_en="down",
                label_da="ned",
                items=ids,
                missing=rule,
                higher_is_better=False,
                source=SRC,
            ),
        ),
    )


FIXTURE = fixture_instrument()

# J&T (1991) Table 2, DAS pre and post scores (higher = better).
DAS_PRE = [90.5, 74, 97, 73.5, 61, 66.5, 68.5, 86.5, 88.5, 68.5, 98, 80.5, 89.5, 91.5, 83.5]
DAS_PRE += [60.5, 83, 88, 98.5, 78.5, 99.5, 79.5, 84.5, 92.5, 93, 85, 64, 61, 80, 82.5]
DAS_POST = [97, 124, 97.5, 88, 96.5, 62.5, 112.5, 103.5, 90, 82.5, 105, 99.5, 112.5, 101, 99.5]
DAS_POST += [79.5, 88, 100.5, 119, 116, 116, 129, 113, 118, 92, 114, 68, 52, 60.5, 104.5]


# --- change.md section 5: the clinicalsignificance JT fixture -------------------------------


def test_jt_fixture_sdiff_rci_and_categories_higher_is_better():
    batch = classify_changes(
        "who5", "percentage", [50] * 5, [42, 46, 50, 54, 58], method="reliable_change", sd=5, reliability=0.8
    )
    assert batch.rule.parameters is not None
    assert batch.rule.parameters.sd * math.sqrt(1 - 0.8) == pytest.approx(2.236068, abs=5e-7)  # SEM
    assert batch.rule.se_difference == pytest.approx(3.162278, abs=5e-7)
    assert batch.rci.tolist() == pytest.approx([-2.529822, -1.264911, 0, 1.264911, 2.529822], abs=5e-7)
    assert batch.categories.tolist() == [C.DECLINE, C.STATUS_QUO, C.STATUS_QUO, C.STATUS_QUO, C.IMPROVEMENT]


def test_jt_fixture_lower_is_better_reverses_the_categories():
    batch = classify_changes(
        FIXTURE, "down", [50] * 5, [42, 46, 50, 54, 58], method="reliable_change", sd=5, reliability=0.8
    )
    assert batch.rci.tolist() == pytest.approx([-2.529822, -1.264911, 0, 1.264911, 2.529822], abs=5e-7)
    assert batch.categories.tolist() == [C.IMPROVEMENT, C.STATUS_QUO, C.STATUS_QUO, C.STATUS_QUO, C.DECLINE]


# --- change.md section 5: J&T (1991) Table 2 DAS data ----------------------------------------


def test_jacobson_truax_1991_das_data():
    sd_pre = float(np.std(DAS_PRE, ddof=1))
    assert float(np.mean(DAS_PRE)) == pytest.approx(81.58333, abs=5e-6)
    assert sd_pre == pytest.approx(11.82566, abs=5e-6)
    batch = classify_changes(
        FIXTURE, "up", DAS_PRE, DAS_POST, method="reliable_change", sd=sd_pre, reliability=0.84
    )
    assert batch.rule.parameters is not None
    assert batch.rule.parameters.sd * math.sqrt(1 - 0.84) == pytest.approx(4.730265, abs=5e-6)
    assert batch.rule.se_difference == pytest.approx(6.689604, abs=5e-6)
    assert batch.counts() == {"improvement": 18, "status_quo": 11, "decline": 1, "missing": 0}
    assert batch.rci[28] == pytest.approx(-2.9150, abs=5e-5)  # case 29: reliably deteriorated
    assert batch.categories[28] is C.DECLINE
    assert batch.rci[27] == pytest.approx(-1.3454, abs=5e-5)  # case 28: unchanged
    assert batch.categories[27] is C.STATUS_QUO


def test_das_sample_based_cutoff_a():
    sd_pre = float(np.std(DAS_PRE, ddof=1))
    clinical = ReferencePopulation(mean=float(np.mean(DAS_PRE)), sd=sd_pre, label="DAS pre-treatment sample")
    result = classify_change(
        FIXTURE,
        "up",
        80,
        120,
        method="clinical_significance",
        sd=sd_pre,
        reliability=0.84,
        cutoff="a",
        dysfunctional=clinical,
    )
    assert result.rule.cutoff == pytest.approx(105.2347, abs=5e-5)
    assert result.category is C.RECOVERED


# --- change.md section 5: cutoff fixture (and one with SD0 != SD1) ---------------------------

CLINICAL = ReferencePopulation(mean=40, sd=7.5)
FUNCTIONAL = ReferencePopulation(mean=60, sd=7.5)


@pytest.mark.parametrize(
    ("scale", "kind", "expected"),
    [
        ("up", "c", 50),
        ("down", "c", 50),
        ("up", "a", 55),
        ("down", "a", 25),
        ("up", "b", 45),
        ("down", "b", 75),
    ],
)
def test_cutoff_fixture(scale, kind, expected):
    result = classify_change(
        FIXTURE,
        scale,
        40,
        40,
        method="clinical_significance",
        sd=7.5,
        reliability=0.8,
        cutoff=kind,
        functional=FUNCTIONAL,
        dysfunctional=CLINICAL,
    )
    assert result.rule.cutoff == pytest.approx(expected)
    assert result.rule.cutoff_type == kind
    assert f"cutoff {kind} = {expected:g}" in result.rule.describe()


def test_cutoff_b_uses_the_functional_sd_not_the_clinical_one():
    # SD0 = 5 (functional) != SD1 = 10 (clinical): J&T's b = 60 - 2 * 5 = 50, where
    # clinicalsignificance 2.1.0.9000 would give 60 - 2 * 10 = 40 (change.md section 1.2).
    clinical, functional = ReferencePopulation(mean=40, sd=10), ReferencePopulation(mean=60, sd=5)
    common: ChangeOptions = {
        "sd": 5.0,
        "reliability": 0.8,
        "functional": functional,
        "dysfunctional": clinical,
    }
    b = classify_change(FIXTURE, "up", 40, 40, method="clinical_significance", **common | {"cutoff": "b"})
    c = classify_change(FIXTURE, "up", 40, 40, method="clinical_significance", **common | {"cutoff": "c"})
    assert b.rule.cutoff == pytest.approx(50)
    assert c.rule.cutoff == pytest.approx((5 * 40 + 10 * 60) / 15)


# --- clinical significance categories ----------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (40, 60, C.RECOVERED),  # reliable improvement from clinical to functional
        (55, 75, C.IMPROVEMENT),  # starts functional: improved, not recovered (change.md 1.3 (i))
        (20, 40, C.IMPROVEMENT),  # reliable, but stays clinical
        (60, 40, C.HARMED),
        (45, 25, C.DECLINE),  # already clinical
        (50, 70, C.RECOVERED),  # exactly at the cutoff counts as clinical
        (45, 52, C.STATUS_QUO),  # crosses the cutoff but 7 < 1.96 * SEdiff = 8.77: not reliable
        (70, 50, C.HARMED),  # ends exactly at the cutoff: clinical
    ],
)
def test_clinical_significance_categories(before, after, expected):
    # SD 10, r .9: SEdiff = 10 * sqrt(0.2) = 4.47, reliable beyond 8.77 points; cutoff 50
    result = classify_change(
        FIXTURE, "up", before, after, method="clinical_significance", sd=10, reliability=0.9, cutoff=50
    )
    assert result.category is expected
    assert result.functional_before is (before > 50)
    assert result.functional_after is (after > 50)


def test_clinical_significance_lower_is_better():
    common: ChangeOptions = {"sd": 10.0, "reliability": 0.9, "cutoff": 50.0}
    assert (
        classify_change(FIXTURE, "down", 60, 40, method="clinical_significance", **common).category
        is C.RECOVERED
    )
    assert (
        classify_change(FIXTURE, "down", 40, 60, method="clinical_significance", **common).category
        is C.HARMED
    )
    assert (
        classify_change(FIXTURE, "down", 45, 25, method="clinical_significance", **common).category
        is C.IMPROVEMENT
    )


# --- boundaries --------------------------------------------------------------------------------


def test_reliable_change_is_strict_at_exactly_z():
    # SD 1, r 0.5: SEdiff = 1 * sqrt(2 * 0.5) = 1 exactly, so RCI = change.
    at = classify_change("who5", "percentage", 0, 1.96, method="reliable_change", sd=1, reliability=0.5)
    assert at.rule.se_difference == 1.0
    assert at.rci == 1.96
    assert at.category is C.STATUS_QUO
    above = classify_change("who5", "percentage", 0, 1.97, method="reliable_change", sd=1, reliability=0.5)
    assert above.category is C.IMPROVEMENT
    down = classify_change("who5", "percentage", 2, 0, method="reliable_change", sd=1, reliability=0.5, z=2)
    assert down.category is C.STATUS_QUO
    assert (
        classify_change(
            "who5", "percentage", 2.5, 0, method="reliable_change", sd=1, reliability=0.5, z=2
        ).category
        is C.DECLINE
    )


@pytest.mark.parametrize(
    ("scale", "before", "after", "expected"),
    [
        ("percentage", 40, 50, C.IMPROVEMENT),  # exactly 10 (only reachable prorated): inclusive
        ("percentage", 40, 49.9, C.STATUS_QUO),
        ("percentage", 40, 48, C.STATUS_QUO),  # complete scores move in steps of 4 ...
        ("percentage", 40, 52, C.IMPROVEMENT),  # ... so the rule fires at 12
        ("percentage", 50, 40, C.DECLINE),
        ("percentage", 52, 40, C.DECLINE),
        ("raw", 10, 12.5, C.IMPROVEMENT),  # 2.5 raw points = 10 percentage points
        ("raw", 10, 12, C.STATUS_QUO),
        ("raw", 13, 10, C.DECLINE),
    ],
)
def test_who5_threshold_boundary(scale, before, after, expected):
    result = classify_change("who5", scale, before, after, method="threshold")
    assert result.category is expected


def test_difference_method_and_tolerance_are_strict():
    assert classify_change("who5", "percentage", 40, 40, method="difference").category is C.STATUS_QUO
    assert classify_change("who5", "percentage", 40, 44, method="difference").category is C.IMPROVEMENT
    assert classify_change("who5", "percentage", 44, 40, method="difference").category is C.DECLINE
    assert (
        classify_change("who5", "percentage", 40, 44, method="difference", tolerance=4).category
        is C.STATUS_QUO
    )
    assert (
        classify_change("who5", "percentage", 40, 48, method="difference", tolerance=4).category
        is C.IMPROVEMENT
    )
    assert classify_change(FIXTURE, "down", 40, 44, method="difference").category is C.DECLINE


def test_threshold_given_by_the_caller_on_a_scale_without_one():
    result = classify_change(FIXTURE, "down", 40, 33, method="threshold", threshold=7)
    assert result.category is C.IMPROVEMENT
    assert result.rule.important_change is not None
    assert result.rule.important_change.source.status == "unverified"


# --- the shipped WHO-5 parameters ----------------------------------------------------------------


def test_who5_parameters_are_cited_on_the_scale():
    scale = get_instrument("who5").scale("percentage")
    assert scale.important_change is not None
    assert scale.important_change.value == 10
    assert "John Ware, 1995" in scale.important_change.source.citation
    assert "Topp" not in scale.important_change.source.citation
    assert scale.important_change.source.status == "verified-secondary"
    assert scale.change is not None
    assert (scale.change.sd, scale.change.reliability) == (19.5, 0.81)
    assert scale.change.source.doi == "10.1186/s12955-018-1001-0"
    assert scale.change.source.status == "verified"
    assert scale.change.sd_source is not None
    assert scale.change.sd_source.status == "derived"
    # the derived SD reproduces the published minimal detectable change (23.6)
    assert 1.96 * scale.change.se_difference == pytest.approx(23.6, abs=0.05)
    raw = get_instrument("who5").scale("raw")
    assert raw.change is not None
    assert raw.important_change is not None
    assert raw.change.sd * 4 == scale.change.sd
    assert raw.important_change.value * 4 == scale.important_change.value


def test_who5_reliable_change_defaults_to_the_cited_parameters():
    assert classify_change("who5", "percentage", 40, 60, method="reliable_change").category is C.STATUS_QUO
    result = classify_change("who5", "percentage", 40, 64, method="reliable_change")
    assert result.category is C.IMPROVEMENT
    assert result.rule.parameters == get_instrument("who5").scale("percentage").change
    assert "19.5" in result.rule.describe()


# --- inputs ----------------------------------------------------------------------------------


def test_score_objects_as_before_and_after():
    before, after = score("who5", [2, 2, 2, 2, 2]), score("who5", [3, 3, 3, 3, 2])
    result = classify_change("who5", "percentage", before, after, method="threshold")
    assert (result.before, result.after, result.change) == (40.0, 56.0, 16.0)
    assert result.category is C.IMPROVEMENT
    unscored = score("who5", [2, None, 2, 2, 2])
    assert (
        classify_change("who5", "percentage", unscored, after, method="threshold").reason
        == "before is missing"
    )


def test_batch_scores_as_input():
    first = score_batch("who5", np.array([[2, 2, 2, 2, 2], [5, 5, 5, 5, 5]]))
    second = score_batch("who5", np.array([[3, 3, 3, 3, 3], [0, 0, 0, 0, np.nan]]))
    batch = classify_changes("who5", "raw", first, second, method="difference")
    assert batch.categories.tolist() == [C.IMPROVEMENT, None]
    assert batch.n_missing == 1
    assert batch.n_complete == 1


def test_missing_values_give_no_category_and_are_counted():
    batch = classify_changes(
        "who5", "percentage", [40, None, np.nan, 40], [None, 40, None, 52], method="threshold"
    )
    assert batch.categories.tolist() == [None, None, None, C.IMPROVEMENT]
    assert batch.counts() == {"improvement": 1, "status_quo": 0, "decline": 0, "missing": 3}
    assert batch.row(0).reason == "after is missing"
    assert batch.row(1).reason == "before is missing"
    assert batch.row(2).reason == "before and after are missing"
    assert batch.missing.tolist() == [True, True, True, False]
    assert len(batch) == 4


def test_categories_labels_and_order():
    assert [c.label_da for c in (C.IMPROVEMENT, C.STATUS_QUO, C.DECLINE)] == [
        "fremgang",
        "status quo",
        "tilbagegang",
    ]
    assert [str(c) for c in C] == ["improvement", "status_quo", "decline", "recovered", "harmed"]
    assert {c.broad for c in C} == {C.IMPROVEMENT, C.STATUS_QUO, C.DECLINE}
    assert all(c.label_en and c.label_da for c in C)


def test_to_frame_with_pandas():
    pytest.importorskip("pandas")
    frame = classify_changes("who5", "percentage", [40, None], [52, 40], method="threshold").to_frame()
    assert list(frame.columns) == ["before", "after", "change", "rci", "category"]
    assert frame["category"].tolist()[0] == "improvement"
    assert frame["category"].isna().tolist() == [False, True]


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"before": 101, "after": 40},
            ChangeInputError,
            r"before: 101 is outside the range of who5/percentage, 0-100",
        ),
        ({"before": 40, "after": -4}, ChangeInputError, "outside the range"),
        ({"before": True, "after": 40}, ChangeInputError, "must be a number"),
        ({"before": "40", "after": 40}, ChangeInputError, "must be a number"),
        ({"before": math.inf, "after": 40}, ChangeInputError, "outside the range"),
        (
            {"scale": "total"},
            UnknownScaleError,
            r"who5 has no scale 'total'; scales: \['raw', 'percentage'\]",
        ),
        ({"method": "percent"}, ChangeParameterError, "unknown change method 'percent'"),
        ({"method": "threshold", "tolerance": 2}, ChangeParameterError, "does not use"),
        ({"method": "difference", "tolerance": -1}, ChangeParameterError, "tolerance must be >= 0"),
        ({"method": "threshold", "threshold": 0}, ChangeParameterError, "threshold must be > 0"),
        ({"method": "reliable_change", "sd": 0, "reliability": 0.8}, ChangeParameterError, "sd must be > 0"),
        ({"method": "reliable_change", "sd": -3, "reliability": 0.8}, ChangeParameterError, "sd must be > 0"),
        ({"method": "reliable_change", "sd": 5, "reliability": 0}, ChangeParameterError, r"between 0 and 1"),
        ({"method": "reliable_change", "sd": 5, "reliability": 1}, ChangeParameterError, r"between 0 and 1"),
        (
            {"method": "reliable_change", "sd": 5, "reliability": 1.2},
            ChangeParameterError,
            r"between 0 and 1",
        ),
        ({"method": "reliable_change", "sd": 5}, ChangeParameterError, "without reliability=; pass both"),
        (
            {"method": "reliable_change", "sd": math.nan, "reliability": 0.8},
            ChangeParameterError,
            "finite number",
        ),
        ({"method": "reliable_change", "z": 0}, ChangeParameterError, "z must be > 0"),
        ({"method": "clinical_significance"}, ChangeParameterError, "needs cutoff="),
        ({"method": "clinical_significance", "cutoff": "c"}, ChangeParameterError, "needs functional="),
        (
            {"method": "clinical_significance", "cutoff": "d"},
            ChangeParameterError,
            "'a', 'b', 'c' or a number",
        ),
    ],
)
def test_bad_input_raises_a_clear_error(kwargs, error, match):
    call = {"scale": "percentage", "before": 40, "after": 52, "method": "difference"} | kwargs
    scale, before, after, method = (call.pop(k) for k in ("scale", "before", "after", "method"))
    with pytest.raises(error, match=match):
        classify_change("who5", scale, before, after, method=method, **call)


def test_methods_without_published_parameters_say_what_to_pass():
    with pytest.raises(
        ChangeParameterError, match=r"no published SD and reliability.*pass sd= and reliability="
    ):
        classify_change(FIXTURE, "up", 40, 60, method="reliable_change")
    with pytest.raises(ChangeParameterError, match=r"no published minimal important change.*pass threshold="):
        classify_change(FIXTURE, "up", 40, 60, method="threshold")
    with pytest.raises(ChangeParameterError, match="pass sd= and reliability="):
        classify_change(FIXTURE, "up", 40, 60, method="clinical_significance", cutoff=50)


def test_parameters_object_and_conflicts():
    params = ChangeParameters(sd=5, reliability=0.8, population="fixture", source=SRC)
    result = classify_change(FIXTURE, "up", 40, 48, method="reliable_change", parameters=params)
    assert result.category is C.IMPROVEMENT
    assert result.rule.parameters is params
    with pytest.raises(ChangeParameterError, match="not both"):
        classify_change(FIXTURE, "up", 40, 48, method="reliable_change", parameters=params, sd=5)


def test_bad_batch_input():
    with pytest.raises(ChangeInputError, match="before has 2 values but after has 3"):
        classify_changes("who5", "raw", [1, 2], [1, 2, 3], method="difference")
    with pytest.raises(ChangeInputError, match=r"after \(row 2\): 26 is outside"):
        classify_changes("who5", "raw", np.array([1, 2, 3]), np.array([1, 2, 26]), method="difference")
    with pytest.raises(ChangeInputError, match=r"before \(row 1\)"):
        classify_changes("who5", "raw", [1, 30], [1, 2], method="difference")
    with pytest.raises(ChangeInputError, match="one-dimensional"):
        classify_changes("who5", "raw", np.ones((2, 2)), np.ones((2, 2)), method="difference")
    with pytest.raises(ChangeInputError, match="must hold numbers"):
        classify_changes("who5", "raw", np.array(["1"]), np.array(["2"]), method="difference")
    with pytest.raises(ChangeInputError, match="not int"):
        classify_changes("who5", "raw", 3, 4, method="difference")  # type: ignore[arg-type]
    other = score(FIXTURE, [1] * 30)
    with pytest.raises(ChangeInputError, match="is a Score of 'change-fixture'"):
        classify_change("who5", "raw", other, 4, method="difference")
    with pytest.raises(ChangeInputError, match="BatchScores of 'change-fixture'"):
        classify_changes("who5", "raw", score_batch(FIXTURE, np.ones((1, 30))), [4], method="difference")


def test_errors_are_typed_and_pickle():
    assert issubclass(ChangeInputError, ValueError)
    assert issubclass(ChangeParameterError, ValueError)
    assert issubclass(UnknownScaleError, LookupError)
    with pytest.raises(ChangeInputError) as caught:
        classify_change("who5", "raw", 40, 4, method="difference")
    error = caught.value
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (copy.value, copy.scale_id, copy.instrument_id, str(copy)) == (40.0, "raw", "who5", str(error))


def test_public_names():
    for name in ("classify_change", "classify_changes", "ChangeCategory", "ChangeResult", "ChangeBatch"):
        assert name in trivselscore.__all__


# --- properties ----------------------------------------------------------------------------------

PERCENT = st.one_of(st.none(), st.integers(0, 25).map(lambda r: 4.0 * r), st.floats(0, 100))
METHODS: list[tuple[str, ChangeOptions]] = [
    ("difference", {}),
    ("difference", {"tolerance": 4.0}),
    ("threshold", {}),
    ("reliable_change", {}),
    ("reliable_change", {"sd": 10.0, "reliability": 0.7, "z": 1.0}),
    ("clinical_significance", {"cutoff": 50.0}),
    ("clinical_significance", {"cutoff": "c", "functional": FUNCTIONAL, "dysfunctional": CLINICAL}),
]
MIRROR = {C.IMPROVEMENT: C.DECLINE, C.DECLINE: C.IMPROVEMENT, C.RECOVERED: C.HARMED, C.HARMED: C.RECOVERED}


@pytest.mark.parametrize(("method", "opts"), METHODS)
@given(before=st.lists(PERCENT, min_size=1, max_size=30), data=st.data())
def test_swapping_before_and_after_swaps_improvement_and_decline(method, opts, before, data):
    after = data.draw(st.lists(PERCENT, min_size=len(before), max_size=len(before)))
    forward = classify_changes("who5", "percentage", before, after, method=method, **opts)
    backward = classify_changes("who5", "percentage", after, before, method=method, **opts)
    for a, b in zip(forward.categories, backward.categories, strict=True):
        assert b == (MIRROR.get(a, a) if a is not None else None)


@pytest.mark.parametrize(("method", "opts"), METHODS)
@given(before=st.lists(PERCENT, min_size=1, max_size=20), data=st.data())
def test_batch_form_equals_scalar_form(method, opts, before, data):
    after = data.draw(st.lists(PERCENT, min_size=len(before), max_size=len(before)))
    batch = classify_changes("who5", "percentage", before, after, method=method, **opts)
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        assert batch.row(i) == classify_change("who5", "percentage", b, a, method=method, **opts)


@given(
    before=st.lists(st.floats(0, 150), min_size=1, max_size=20),
    data=st.data(),
    method=st.sampled_from(["difference", "reliable_change"]),
)
def test_direction_comes_from_the_scale(before, data, method):
    after = data.draw(st.lists(st.floats(0, 150), min_size=len(before), max_size=len(before)))
    opts: ChangeOptions = {"sd": 6.0, "reliability": 0.8} if method == "reliable_change" else {}
    up = classify_changes(FIXTURE, "up", before, after, method=method, **opts)
    down = classify_changes(FIXTURE, "down", before, after, method=method, **opts)
    assert [MIRROR.get(c, c) for c in up.categories] == down.categories.tolist()


@given(before=st.lists(PERCENT, min_size=1, max_size=40), data=st.data())
def test_counts_cover_everyone(before, data):
    after = data.draw(st.lists(PERCENT, min_size=len(before), max_size=len(before)))
    batch = classify_changes("who5", "percentage", before, after, method="threshold")
    assert sum(batch.counts().values()) == len(before)


# --- regressions: parameter and input types ---------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"method": "reliable_change", "parameters": {"sd": 1}},
        {"method": "clinical_significance", "cutoff": "b", "functional": {"mean": 1, "sd": 1}},
        {"method": "clinical_significance", "cutoff": "a", "dysfunctional": {"mean": 1, "sd": 1}},
        {"method": "clinical_significance", "cutoff": 10.0, "functional": {"mean": 1, "sd": 1}},
    ],
)
def test_parameters_of_the_wrong_type_raise_change_parameter_error(options):
    if "parameters" not in options:
        options = {**options, "sd": 4.0, "reliability": 0.8}
    with pytest.raises(ChangeParameterError):
        classify_change("who5", "raw", 4, 4, **options)


@pytest.mark.parametrize("value", [np.int64(3), np.float64(3), np.int32(3), 3])
def test_numpy_integers_are_accepted_as_parameters(value):
    by_threshold = classify_change("who5", "raw", 4, 8, method="threshold", threshold=value)
    assert by_threshold.rule.threshold == 3.0
    rci = classify_change("who5", "raw", 4, 8, method="reliable_change", sd=value, reliability=0.8, z=value)
    assert rci.rule.z == 3.0
    assert classify_change("who5", "raw", 4, 8, method="difference", tolerance=value).rule.tolerance == 3


def test_bool_and_huge_parameters_are_rejected():
    with pytest.raises(ChangeParameterError):
        classify_change("who5", "raw", 4, 8, method="threshold", threshold=np.True_)  # type: ignore[arg-type]
    with pytest.raises(ChangeParameterError):
        classify_change("who5", "raw", 4, 8, method="threshold", threshold=10**400)


def test_a_huge_integer_score_raises_change_input_error():
    with pytest.raises(ChangeInputError, match="too large"):
        classify_change("who5", "percentage", 10**400, 40, method="difference")
    with pytest.raises(ChangeInputError):
        classify_changes("who5", "percentage", [40, 10**400], [40, 40], method="difference")
