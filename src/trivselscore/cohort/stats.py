"""Small, dependency-free statistics for cohort reports.

Confidence intervals for a proportion (Wilson score; Clopper-Pearson "exact"),
the t-interval for a mean and the paired effect size dz. The beta and Student t
quantiles are computed here (bisection on the regularised incomplete beta, itself
a continued fraction) so the core install needs no SciPy.

References:
    Wilson EB. Probable inference, the law of succession, and statistical
    inference. J Am Stat Assoc 1927;22:209-212.
    Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in
    the case of the binomial. Biometrika 1934;26:404-413.
    Lakens D. Calculating and reporting effect sizes to facilitate cumulative
    science. Front Psychol 2013;4:863. doi:10.3389/fpsyg.2013.00863
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import Literal, NamedTuple

__all__ = [
    "IntervalMethod",
    "MeanInterval",
    "beta_ppf",
    "betainc",
    "check_interval",
    "clopper_pearson",
    "dz",
    "mean_interval",
    "proportion_interval",
    "t_ppf",
    "wilson",
]

IntervalMethod = Literal["wilson", "clopper-pearson"]
"""How a proportion's confidence interval is computed."""

_EPS = 1e-16
_TINY = 1e-300
_MAX_TERMS = 100_000


class MeanInterval(NamedTuple):
    """A mean with its t-interval (``sd``, ``low`` and ``high`` are None below 2 values)."""

    n: int
    mean: float | None
    sd: float | None
    low: float | None
    high: float | None


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        msg = f"confidence must lie strictly between 0 and 1, not {confidence!r}"
        raise ValueError(msg)


def _check_count(count: int, n: int) -> None:
    if n < 1 or not 0 <= count <= n:
        msg = f"need 0 <= count <= n and n >= 1, got count={count}, n={n}"
        raise ValueError(msg)


def wilson(count: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for ``count`` successes out of ``n``.

    Args:
        count: Number of successes.
        n: Number of trials (at least 1).
        confidence: Coverage, e.g. 0.95.

    Returns:
        (lower, upper), clipped to [0, 1].

    Examples:
        >>> [round(x, 7) for x in wilson(7, 50)]
        [0.0695083, 0.2618619]
    """
    _check_count(count, n)
    _check_confidence(confidence)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    z2 = z * z
    centre = (count + z2 / 2) / (n + z2)
    half = z / (n + z2) * math.sqrt(count * (n - count) / n + z2 / 4)
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return low, high


def clopper_pearson(count: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Clopper-Pearson ("exact") interval for ``count`` successes out of ``n``.

    Lower = BetaInv(alpha/2; count, n - count + 1) (0 when count = 0); upper =
    BetaInv(1 - alpha/2; count + 1, n - count) (1 when count = n).

    Examples:
        >>> [round(x, 7) for x in clopper_pearson(7, 50)]
        [0.0581917, 0.267396]
    """
    _check_count(count, n)
    _check_confidence(confidence)
    alpha = 1 - confidence
    low = 0.0 if count == 0 else beta_ppf(alpha / 2, count, n - count + 1)
    high = 1.0 if count == n else beta_ppf(1 - alpha / 2, count + 1, n - count)
    return low, high


def proportion_interval(
    count: int, n: int, method: str = "wilson", confidence: float = 0.95
) -> tuple[float, float]:
    """Dispatch to :func:`wilson` or :func:`clopper_pearson`.

    Raises:
        ValueError: An unknown method, or count/n/confidence out of range.
    """
    if method == "wilson":
        return wilson(count, n, confidence)
    if method == "clopper-pearson":
        return clopper_pearson(count, n, confidence)
    msg = f"unknown interval method {method!r}; use 'wilson' or 'clopper-pearson'"
    raise ValueError(msg)


def check_interval(method: str, confidence: float) -> None:
    """Raise ValueError for an unknown interval method or a confidence outside (0, 1)."""
    if method not in {"wilson", "clopper-pearson"}:
        msg = f"unknown interval method {method!r}; use 'wilson' or 'clopper-pearson'"
        raise ValueError(msg)
    _check_confidence(confidence)


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta function I_x(a, b).

    Evaluated with the continued fraction (modified Lentz), using the symmetry
    I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges faster.

    Examples:
        >>> round(betainc(2, 3, 0.4), 10)  # 1 - (1-x)^4 - 4x(1-x)^3 for a=2, b=3
        0.5248
    """
    if a <= 0 or b <= 0:
        msg = f"betainc needs a > 0 and b > 0, got a={a}, b={b}"
        raise ValueError(msg)
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, _MAX_TERMS):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            result *= c * d
        if abs(c * d - 1.0) < _EPS:
            return result
    msg = f"incomplete beta did not converge for a={a}, b={b}, x={x}"  # pragma: no cover
    raise ArithmeticError(msg)  # pragma: no cover


def beta_ppf(q: float, a: float, b: float) -> float:
    """Quantile of the Beta(a, b) distribution, by bisection on :func:`betainc`.

    Examples:
        >>> round(beta_ppf(0.5, 1, 1), 12)
        0.5
    """
    if not 0 <= q <= 1:
        msg = f"beta_ppf needs 0 <= q <= 1, got {q}"
        raise ValueError(msg)
    low, high = 0.0, 1.0
    while True:
        mid = (low + high) / 2
        if mid in {low, high}:
            return mid
        if betainc(a, b, mid) < q:
            low = mid
        else:
            high = mid


@functools.lru_cache(maxsize=1024)
def t_ppf(q: float, df: float) -> float:
    """Quantile of Student's t distribution with ``df`` degrees of freedom.

    Uses P(|T| > t) = I_{df/(df+t^2)}(df/2, 1/2).

    Examples:
        >>> round(t_ppf(0.975, 4), 6)
        2.776445
    """
    if df <= 0 or not 0 < q < 1:
        msg = f"t_ppf needs df > 0 and 0 < q < 1, got q={q}, df={df}"
        raise ValueError(msg)
    if q == 0.5:  # noqa: PLR2004 - the median
        return 0.0
    tail = 2 * min(q, 1 - q)
    x = beta_ppf(tail, df / 2, 0.5)
    t = math.sqrt(df * (1 - x) / x) if x > 0 else math.inf
    return t if q > 0.5 else -t  # noqa: PLR2004 - upper half


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> MeanInterval:
    """Mean, SD (n - 1) and the t-interval of the mean.

    Examples:
        >>> result = mean_interval([-7, -2, 3, 8, 13])
        >>> result.mean, round(result.sd, 6), round(result.low, 4), round(result.high, 4)
        (3.0, 7.905694, -6.8162, 12.8162)
    """
    _check_confidence(confidence)
    n = len(values)
    if n == 0:
        return MeanInterval(0, None, None, None, None)
    mean = math.fsum(values) / n
    if n < 2:  # noqa: PLR2004 - an SD needs two values
        return MeanInterval(n, mean, None, None, None)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_ppf(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)
    return MeanInterval(n, mean, sd, mean - half, mean + half)


def dz(differences: Sequence[float]) -> float | None:
    """Paired effect size dz = mean(d) / SD(d) (Lakens 2013); None if undefined.

    Examples:
        >>> round(dz([-7, -2, 3, 8, 13]), 7)
        0.3794733
    """
    result = mean_interval(differences)
    if result.sd is None or result.mean is None or result.sd == 0:
        return None
    return result.mean / result.sd
