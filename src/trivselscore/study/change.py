"""Change between two time points for every measure and scale of a study, per group.

On complete pairs only (persons scored at both time points), as in
:meth:`trivselscore.cohort.Cohort.change`: the share of each category with its
interval, the mean change with its t-interval and dz = mean / SD (Lakens 2013).
Each measure's categories come from :func:`trivselscore.change.classify_changes`
with the first version's scale definition (its direction of "better" and cited
parameters).

``method="added_value"`` (the parent SDQ's total) takes the formula's other
baseline scales (impact, emotional) from the same measure at ``start``; a person
without them has no usable start (counted as ``start_only`` or ``neither`` if
also scored at the end; a form given but not scorable for this is ``not_scored``),
a measure whose data have no column for them is refused, and each row adds the
mean Added Value (``added_value``, t-interval) and its effect size (mean / SD of
the formula, ``added_value_effect``).

``method=None`` uses ``"difference"`` (any change in the better direction),
the only method every scale supports without parameters; it is the rule that
can reproduce the Danish evaluations' headline shares, which do not state their
rule [unverified; see the change methods in the researchers' guide]. The rule
used is printed under every table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from trivselscore.change import ChangeBatch, ChangeRule, classify_changes
from trivselscore.change.rule import resolve_rule
from trivselscore.cohort import Cell
from trivselscore.cohort.stats import IntervalMethod, check_interval, dz, mean_interval
from trivselscore.errors import ChangeParameterError, CohortDataError
from trivselscore.study.cells import Ledger
from trivselscore.study.reports import ChangeReport, ChangeRow

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions import Instrument
    from trivselscore.study.measures import Measure
    from trivselscore.study.view import StudyView

__all__ = ["DEFAULT_METHOD", "change", "classify", "lookup", "times"]

DEFAULT_METHOD = "difference"
"""The change method when ``method=None`` (see the module docstring)."""

_GIVEN, _NOT_GIVEN = 2, 1
_PARTS = ("pairs", "start_only", "end_only", "neither")


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


def change(  # noqa: PLR0913 - the report's options, all named by Study.change
    study: StudyView,
    start: str,
    end: str,
    *,
    by: Sequence[str],
    method: str | Mapping[str, str] | None,
    scales: Mapping[str, Sequence[str]] | None,
    options: Mapping[str, Mapping[str, Any]] | None,
    min_cell: int,
    hide_zero: bool,
    interval: IntervalMethod,
    confidence: float,
) -> ChangeReport:
    """One row per measure x scale x group: pairs, attrition, categories, mean change, dz.

    Args:
        study: The study.
        start: The earlier time point.
        end: The later time point.
        by: Group columns to split by.
        method: A change method for every scale, or a mapping by ``"measure"`` or
            ``"measure/scale"``; None: ``"difference"``.
        scales: Measure -> the scales to report; default: every scale of every measure.
        options: The method's options (as in :func:`trivselscore.classify_change`),
            for all, or by ``"measure"`` / ``"measure/scale"``.
        min_cell: Hide counts from 1 to ``min_cell - 1`` (see :mod:`trivselscore.cohort.suppression`).
        hide_zero: Hide zeros too.
        interval: ``"wilson"`` or ``"clopper-pearson"``.
        confidence: Coverage of the intervals.

    Returns:
        The report; ``rules`` holds the rule of every measure/scale.

    Raises:
        CohortDataError: An unknown time point, measure or group column.
        UnknownScaleError: A measure lacks a named scale.
        ChangeParameterError: A method lacks a parameter or has an invalid one.
    """
    check_interval(interval, confidence)
    s, e = times(study, start, end)
    chosen = (
        {name: list(study.measure(name).scale_ids) for name in study.measures}
        if scales is None
        else {name: list(names) for name, names in scales.items()}
    )
    ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval=interval, confidence=confidence)
    parts = study.partition(by)
    for group, members in parts:
        ledger.add(("persons", group), int(members.sum()), keep=True)
    ledger.relate(("persons", "all"), [("persons", g) for g, _ in parts[1:]])
    rules: dict[str, ChangeRule] = {}
    plan = []
    for measure, names in chosen.items():
        state, outside = study.state(measure), study.outside(measure)
        for group, members in parts:
            sides = state[members][:, [s, e]]
            ledger.add(("not_given", measure, group), int((sides == _NOT_GIVEN).sum()))
            ledger.add(("outside", measure, group), int(outside[members][:, [s, e]].sum()))
        for column in ("not_given", "outside"):
            ledger.relate((column, measure, "all"), [(column, measure, g) for g, _ in parts[1:]])
        for scale in names:
            batch = classify(study, measure, scale, span=(s, e), method=method, options=options)
            rules[f"{measure}/{scale}"] = batch.rule
            keys = [(str(c), c.label_en, c.label_da) for c in batch.rule.categories]
            values = _usable(study.values(measure, scale), batch, start=s)
            for group, members in parts:
                plan.append(
                    _count(
                        ledger,
                        (measure, scale, group),
                        members=members,
                        batch=batch,
                        keys=keys,
                        values=values,
                        state=state,
                        span=(s, e),
                    )
                )
            for column in (*_PARTS, "not_scored", *(k[0] for k in keys)):
                ledger.relate(
                    (measure, scale, "all", column), [(measure, scale, g, column) for g, _ in parts[1:]]
                )
    ledger.close()
    rows = [_row(ledger, planned, rules[f"{planned[0][0]}/{planned[0][1]}"]) for planned in plan]
    return ChangeReport(
        min_cell=min_cell,
        hide_zero=hide_zero,
        interval=interval,
        confidence=confidence,
        by=tuple(by),
        start=start,
        end=end,
        rules=rules,
        rows=tuple(rows),
    )


def _usable(values: NDArray[np.float64], batch: ChangeBatch, *, start: int) -> NDArray[np.float64]:
    """The values, without a start where the Added Value formula lacks a baseline scale."""
    if not batch.baseline:
        return values
    lacking = np.zeros(values.shape[0], dtype=np.bool_)
    for column in batch.baseline.values():
        lacking |= np.isnan(column)
    out = values.copy()
    out[lacking, start] = np.nan
    return out


def _count(  # noqa: PLR0913 - one group's persons on one scale
    ledger: Ledger,
    key: tuple[str, str, str],
    *,
    members: NDArray[np.bool_],
    batch: ChangeBatch,
    keys: list[tuple[str, str, str]],
    values: NDArray[np.float64],
    state: NDArray[np.int8],
    span: tuple[int, int],
) -> _Planned:
    s, e = span
    before, after = values[:, s], values[:, e]
    has_start, has_end = members & ~np.isnan(before), members & ~np.isnan(after)
    pairs = has_start & has_end
    counts = {
        "pairs": pairs,
        "start_only": has_start & ~has_end,
        "end_only": has_end & ~has_start,
        "neither": members & ~has_start & ~has_end,
    }
    for name, mask in counts.items():
        ledger.add((*key, name), int(mask.sum()), keep=name in {"pairs", "start_only"})
    tried = (state[:, [s, e]] == _GIVEN) & np.isnan(values[:, [s, e]])
    ledger.add((*key, "not_scored"), int((members & tried.any(axis=1)).sum()))
    categories = batch.categories
    for k in keys:
        ledger.add((*key, k[0]), int(sum(1 for c in categories[pairs] if str(c) == k[0])))
    ledger.relate(("persons", key[2]), [(*key, name) for name in _PARTS])
    ledger.relate((*key, "pairs"), [(*key, k[0]) for k in keys])
    added = batch.added_value[pairs].tolist() if batch.rule.added_value is not None else None
    return key, keys, (after - before)[pairs].tolist(), added


_Planned = tuple[tuple[str, str, str], list[tuple[str, str, str]], list[float], list[float] | None]
"""One row's (measure, scale, group), its category keys, the changes and the Added Values of its pairs."""


def _row(ledger: Ledger, planned: _Planned, rule: ChangeRule) -> ChangeRow:
    key, keys, diffs, added = planned
    measure, scale, group = key
    pairs = (*key, "pairs")
    result = mean_interval(diffs, ledger.confidence)
    start_only, n_start = (
        ledger.counts[(*key, "start_only")],
        ledger.counts[pairs] + ledger.counts[(*key, "start_only")],
    )
    attrition = ledger.statistic(start_only / n_start if n_start else None, pairs)
    if (*key, "start_only") in ledger.hidden and not attrition.suppressed:
        attrition = Cell(value=None, suppressed=True, note="hidden")
    elif not attrition.suppressed and n_start < ledger.min_cell and n_start:
        attrition = Cell(value=None, suppressed=True, note=f"n<{ledger.min_cell}")
    return ChangeRow(
        measure=measure,
        scale=scale,
        group=group,
        persons=ledger.count(("persons", group)),
        pairs=ledger.count(pairs),
        start_only=ledger.count((*key, "start_only")),
        attrition=attrition,
        end_only=ledger.count((*key, "end_only")),
        neither=ledger.count((*key, "neither")),
        not_scored=ledger.count((*key, "not_scored")),
        not_given=ledger.count(("not_given", measure, group)),
        outside_age_range=ledger.count(("outside", measure, group)),
        categories=ledger.shares(keys, [(*key, k[0]) for k in keys], pairs),
        mean_change=ledger.statistic(result.mean, pairs, low=result.low, high=result.high),
        sd_change=ledger.statistic(result.sd, pairs),
        dz=ledger.statistic(dz(diffs), pairs),
        **_added(ledger, pairs, added, rule),
    )


def _added(
    ledger: Ledger, pairs: tuple[str, ...], added: list[float] | None, rule: ChangeRule
) -> dict[str, Cell]:
    """The mean Added Value (t-interval) and its effect size, for ``added_value`` only."""
    if added is None or rule.added_value is None:
        return {}
    av = mean_interval(added, ledger.confidence)
    sd = rule.added_value.sd
    return {
        "added_value": ledger.statistic(av.mean, pairs, low=av.low, high=av.high),
        "added_value_effect": ledger.statistic(
            None if av.mean is None else av.mean / sd,
            pairs,
            low=None if av.low is None else av.low / sd,
            high=None if av.high is None else av.high / sd,
        ),
    }
