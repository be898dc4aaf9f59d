"""The change rule of each scale in a study: per-measure settings, time points, each person's category.

:func:`classify` sorts every person's change on one measure's scale with
:func:`trivselscore.change.classify_changes` and the first version's scale
definition. ``method="added_value"`` (the parent SDQ's total) takes the formula's
other baseline scales (impact, emotional) from the same measure at the start; a
measure whose data have no column for them is refused, and a person without them
has no usable start (:func:`usable`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from trivselscore.change import ChangeBatch, ChangeRule, classify_changes
from trivselscore.change.rule import resolve_rule
from trivselscore.errors import ChangeParameterError, CohortDataError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions import Instrument
    from trivselscore.study.measures import Measure
    from trivselscore.study.view import StudyView

__all__ = ["DEFAULT_METHOD", "classify", "lookup", "rule_key", "times", "usable"]

DEFAULT_METHOD = "difference"
"""The change method when ``method=None`` (see :mod:`trivselscore.study.change`)."""


def lookup(setting: object, measure: str, scale: str, *, default: object, what: str) -> object:
    """A per-measure setting: one value for all, or a mapping by ``"measure/scale"`` or ``"measure"``.

    Raises:
        ValueError: A mapping without an entry for the measure.
    """
    if setting is None:
        return default
    if not isinstance(setting, Mapping) or (
        what == "options" and not any(isinstance(v, Mapping) for v in setting.values())
    ):
        return setting
    for key in (f"{measure}/{scale}", measure):
        if key in setting:
            return setting[key]
    if what == "options":
        return default
    msg = (
        f"{what}= has no entry for {measure!r} (keys: {sorted(setting)}); "
        f"add '{measure}' or '{measure}/{scale}'"
    )
    raise ValueError(msg)


def times(study: StudyView, start: str, end: str) -> tuple[int, int]:
    """The positions of two distinct time points.

    Raises:
        CohortDataError: An unknown label, or the same one twice.
    """
    s, e = study.time_index(start), study.time_index(end)
    if s == e:
        msg = f"start and end are the same time point {start!r}"
        raise CohortDataError(msg, problem="unknown_time")
    return s, e


def classify(  # noqa: PLR0913 - one scale between two time points, with its rule
    study: StudyView,
    measure: str,
    scale: str,
    *,
    span: tuple[int, int],
    method: object,
    options: object,
) -> ChangeBatch:
    """Every person's change category on one measure's scale (None without a complete pair)."""
    found = study.measure(measure)
    found.check_scale(scale)
    values = study.values(measure, scale)
    s, e = span
    chosen = str(lookup(method, measure, scale, default=DEFAULT_METHOD, what="method"))
    extra = cast("Mapping[str, Any]", lookup(options, measure, scale, default={}, what="options"))
    baseline = None
    if chosen == "added_value":
        baseline = _baseline(study, found, scale, start=s, options=extra)
    return classify_changes(
        found.instrument, scale, values[:, s], values[:, e], method=chosen, baseline=baseline, **extra
    )


def _baseline(
    study: StudyView, found: Measure, scale: str, *, start: int, options: Mapping[str, Any]
) -> dict[str, NDArray[np.float64]]:
    """The Added Value formula's other baseline scales at ``start`` (every version must have the formula).

    Raises:
        ChangeParameterError: A version without the formula, or a scale whose items were not collected.
    """
    for version in found.versions:
        resolve_rule(version, scale, "added_value", cast("Any", options))
    formula = found.instrument.scale(scale).added_value
    names = [t.scale for t in formula.weights if t.scale != scale] if formula is not None else []
    for name in names:
        if not _collected(found, name):
            msg = (
                f"measure {found.name!r}: method 'added_value' needs the {name} score at the start, and the "
                f"data have no column for it (the {name} items were not collected); choose another method"
            )
            raise ChangeParameterError(msg, method="added_value", parameter="baseline", value=name)
    return {name: study.values(found.name, name)[:, start] for name in names}


def _items(instrument: Instrument, scale: str) -> set[str]:
    """The items a scale is computed from (through its part scales)."""
    definition = instrument.scale(scale)
    if definition.items:
        return set(definition.items)
    return {item for part in definition.scales for item in _items(instrument, part)}


def _collected(found: Measure, scale: str) -> bool:
    """Whether some version has a column for one of the scale's items (or for the scale's score)."""
    for version in found.versions:
        columns = found.columns.get(version.id, {})
        wanted = _items(version, scale) if found.from_items else {scale}
        if any(columns.get(name) for name in wanted):
            return True
    return False


def rule_key(rule: ChangeRule) -> tuple[str, float, float | None]:
    """What makes two rules' categories the same people: the method, its threshold and cutoff."""
    return (rule.method, round(rule.threshold, 9), rule.cutoff)


def usable(values: NDArray[np.float64], batch: ChangeBatch, *, start: int) -> NDArray[np.float64]:
    """The values, without a start where the Added Value formula lacks a baseline scale."""
    if not batch.baseline:
        return values
    lacking = np.zeros(values.shape[0], dtype=np.bool_)
    for column in batch.baseline.values():
        lacking |= np.isnan(column)
    out = values.copy()
    out[lacking, start] = np.nan
    return out
