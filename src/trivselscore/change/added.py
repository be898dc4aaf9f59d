"""The Added Value score: a follow-up score's distance from the score a published formula predicts.

For the parent SDQ's total difficulties (youthinmind; Ford et al. 2009)::

    AV = 2.3 + 0.8 x total (start) + 0.2 x impact (start) - 0.3 x emotional (start) - total (end)

in SDQ points, positive when the young person did better than predicted from
the start (:class:`~trivselscore.definitions.AddedValue` holds the formula with
its source). The formula needs scales besides the one that changes (``impact``
and ``emotional``): they come from a ``Score``/``BatchScores`` given as
``before``, or from ``baseline={scale: values}``. A person missing any of them
gets no Added Value and no category (the reason names the missing scale).

References:
    Ford T, Hutchings J, Bywater T, Goodman A, Goodman R. Strengths and
    Difficulties Questionnaire Added Value Scores: evaluating effectiveness in
    child mental health interventions. Br J Psychiatry 2009;194(6):552-558.
    doi:10.1192/bjp.bp.108.052373
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.errors import ChangeParameterError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.change.rule import ChangeRule

__all__ = ["added_values", "check_baseline", "missing_baseline", "needed"]

_DECIMALS = 9


def needed(rule: ChangeRule) -> tuple[str, ...]:
    """The baseline scales the rule's formula needs besides the scale itself (none for other methods)."""
    formula = rule.added_value
    if formula is None:
        return ()
    return tuple(t.scale for t in formula.weights if t.scale != rule.scale)


def check_baseline(rule: ChangeRule, baseline: object) -> None:
    """Refuse ``baseline=`` for a method that does not use it, or one without a needed scale.

    Raises:
        ChangeParameterError: Naming what to pass.
    """
    wanted = needed(rule)
    if baseline is None:
        return
    if not isinstance(baseline, Mapping):
        msg = f"baseline= must be a mapping of scale id -> values, not {type(baseline).__name__}"
        raise ChangeParameterError(msg, method=rule.method, parameter="baseline", value=baseline)
    if not wanted:
        msg = f"baseline= is used by method 'added_value' only, not by {rule.method!r}"
        raise ChangeParameterError(msg, method=rule.method, parameter="baseline")
    extra = sorted(set(baseline) - set(wanted))
    if extra:
        msg = f"baseline= names {extra}; the {rule.instrument_id} formula needs {list(wanted)}"
        raise ChangeParameterError(msg, method=rule.method, parameter="baseline", value=extra)


def missing_baseline(rule: ChangeRule) -> ChangeParameterError:
    """The error for an Added Value without its baseline scales (what to pass)."""
    wanted = needed(rule)
    keys = ", ".join(f"{w!r}: ..." for w in wanted)
    msg = (
        f"method 'added_value' needs the baseline {' and '.join(wanted)} score(s) of {rule.instrument_id}: "
        f"pass before= as a Score or BatchScores, or baseline={{{keys}}}"
    )
    return ChangeParameterError(msg, method="added_value", parameter="baseline")


def added_values(
    rule: ChangeRule,
    before: NDArray[np.float64],
    after: NDArray[np.float64],
    baseline: Mapping[str, NDArray[np.float64]],
) -> NDArray[np.float64]:
    """Every person's Added Value (NaN where a value is missing); all NaN for other methods.

    Examples:
        >>> from trivselscore import get_instrument
        >>> from trivselscore.change.rule import resolve_rule
        >>> rule = resolve_rule(get_instrument("sdq-p4-17"), "total", "added_value", {})
        >>> added_values(rule, np.array([20.0]), np.array([15.0]),
        ...              {"impact": np.array([4.0]), "emotional": np.array([6.0])}).round(2)
        array([2.3])
    """
    formula = rule.added_value
    if formula is None:
        return np.full(before.shape, np.nan)
    predicted = np.full(before.shape, formula.intercept)
    for term in formula.weights:
        value = before if term.scale == rule.scale else baseline[term.scale]
        predicted = predicted + term.weight * value
    sign = 1.0 if rule.higher_is_better else -1.0
    # the published weights are tenths: round away the binary noise so 9.8 is 9.8 at a cut
    result: NDArray[np.float64] = np.round(sign * (after - predicted), _DECIMALS) + 0.0
    return result
