"""Intervals and effect sizes without SciPy, checked against change.md's worked vectors."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore.cohort import stats as _stats

# change.md section 4.1: k = 7, n = 50. Wilson = R prop.test(7, 50, correct = FALSE);
# Clopper-Pearson = R binom.test(7, 50); scipy's documented example gives the exact CI
# to full precision (0.05819170033997342, 0.26739600249700846).
WILSON_7_50 = (0.0695083, 0.2618619)
CLOPPER_PEARSON_7_50 = (0.05819170033997342, 0.26739600249700846)
# change.md section 4.2: d = (-7, -2, 3, 8, 13) gives t = 0.8485281 and dz = 0.3794733.
PAIRED_D = (-7, -2, 3, 8, 13)


def test_wilson_7_of_50_matches_change_md():
    low, high = _stats.wilson(7, 50)
    assert low == pytest.approx(WILSON_7_50[0], abs=5e-8)
    assert high == pytest.approx(WILSON_7_50[1], abs=5e-8)


def test_clopper_pearson_7_of_50_matches_change_md_and_scipy_docs():
    low, high = _stats.clopper_pearson(7, 50)
    assert low == pytest.approx(CLOPPER_PEARSON_7_50[0], abs=1e-11)
    assert high == pytest.approx(CLOPPER_PEARSON_7_50[1], abs=1e-11)
    assert (round(low, 7), round(high, 7)) == (0.0581917, 0.267396)


def test_proportion_interval_dispatches():
    assert _stats.proportion_interval(7, 50, "wilson") == _stats.wilson(7, 50)
    assert _stats.proportion_interval(7, 50, "clopper-pearson") == _stats.clopper_pearson(7, 50)


def test_paired_vector_t_and_dz():
    result = _stats.mean_interval(PAIRED_D)
    assert result.n == 5
    assert result.mean == 3.0
    assert result.sd is not None
    t = result.mean / (result.sd / math.sqrt(5))
    assert t == pytest.approx(0.8485281, abs=5e-8)
    assert _stats.dz(PAIRED_D) == pytest.approx(0.3794733, abs=5e-8)
    assert _stats.dz(PAIRED_D) == pytest.approx(t / math.sqrt(5))
    # 95 % CI = mean +- t(.975, 4) * SD / sqrt(n), with t(.975, 4) = 2.7764451051977987 (R qt)
    half = 2.7764451051977987 * result.sd / math.sqrt(5)
    assert result.low == pytest.approx(3 - half, abs=1e-9)
    assert result.high == pytest.approx(3 + half, abs=1e-9)


@pytest.mark.parametrize(
    ("q", "df", "expected"),
    [
        (0.975, 1, 12.706204736174694),  # values from R qt() / scipy.stats.t.ppf
        (0.975, 4, 2.7764451051977987),
        (0.975, 30, 2.0422724563012378),
        (0.025, 10, -2.2281388519862753),
        (0.5, 7, 0.0),
    ],
)
def test_t_quantiles(q, df, expected):
    assert _stats.t_ppf(q, df) == pytest.approx(expected, abs=1e-9)


def test_edges_of_the_intervals():
    assert _stats.wilson(0, 10)[0] == 0.0
    assert _stats.wilson(10, 10)[1] == 1.0
    assert _stats.clopper_pearson(0, 10)[0] == 0.0
    assert _stats.clopper_pearson(10, 10)[1] == 1.0
    # Clopper-Pearson upper for 0/n has the closed form 1 - (alpha/2)^(1/n)
    assert _stats.clopper_pearson(0, 10)[1] == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-12)


def test_small_samples_have_no_sd_or_dz():
    assert _stats.mean_interval([]) == _stats.MeanInterval(0, None, None, None, None)
    assert _stats.mean_interval([4.0]).sd is None
    assert _stats.dz([4.0]) is None
    assert _stats.dz([2.0, 2.0]) is None  # SD 0


@pytest.mark.parametrize(
    "call",
    [
        lambda: _stats.wilson(8, 7),
        lambda: _stats.wilson(0, 0),
        lambda: _stats.wilson(1, 7, confidence=1.0),
        lambda: _stats.clopper_pearson(-1, 7),
        lambda: _stats.proportion_interval(1, 7, "wald"),
        lambda: _stats.check_interval("agresti", 0.95),
        lambda: _stats.check_interval("wilson", 0.0),
        lambda: _stats.betainc(0, 1, 0.5),
        lambda: _stats.beta_ppf(1.5, 1, 1),
        lambda: _stats.t_ppf(1.0, 3),
        lambda: _stats.t_ppf(0.9, 0),
        lambda: _stats.mean_interval([1.0, 2.0], confidence=2),
    ],
)
def test_bad_arguments_raise_value_error(call):
    with pytest.raises(ValueError, match=r"\S"):
        call()


@given(st.floats(0.001, 0.999), st.floats(0.2, 200), st.floats(0.2, 200))
def test_closed_forms_of_the_incomplete_beta(x, a, b):
    assert _stats.betainc(1, 1, x) == pytest.approx(x, abs=1e-12)
    assert _stats.betainc(a, 1, x) == pytest.approx(x**a, abs=1e-10)
    assert _stats.betainc(1, b, x) == pytest.approx(1 - (1 - x) ** b, abs=1e-10)
    assert _stats.betainc(a, b, x) == pytest.approx(1 - _stats.betainc(b, a, 1 - x), abs=1e-10)


@given(st.floats(0.01, 0.99), st.floats(0.5, 300), st.floats(0.5, 300))
def test_beta_quantile_inverts_the_cdf(q, a, b):
    x = _stats.beta_ppf(q, a, b)
    assert _stats.betainc(a, b, x) == pytest.approx(q, abs=1e-9)


@given(st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_intervals_contain_the_estimate_and_stay_in_0_1(case):
    k, n = case
    for low, high in (_stats.wilson(k, n), _stats.clopper_pearson(k, n)):
        assert 0.0 <= low <= k / n <= high <= 1.0


def test_against_scipy_when_installed():
    stats = pytest.importorskip("scipy.stats")
    for k, n in [(0, 5), (1, 5), (7, 50), (33, 120), (999, 1000)]:
        exact = stats.binomtest(k, n).proportion_ci(method="exact")
        wilson = stats.binomtest(k, n).proportion_ci(method="wilson")
        assert _stats.clopper_pearson(k, n) == pytest.approx((exact.low, exact.high), abs=1e-10)
        assert _stats.wilson(k, n) == pytest.approx((wilson.low, wilson.high), abs=1e-10)
    for df in (1, 2, 5, 17, 100, 1000):
        assert _stats.t_ppf(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), abs=1e-9)
