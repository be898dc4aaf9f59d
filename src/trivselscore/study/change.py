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

Keys (see :mod:`trivselscore.study.summary`): ``("persons", group)``;
``("pairs" | "start_only" | "end_only" | "neither", measure, scale, start, end, group)``
with ``("scored", measure, scale, start, group)`` = pairs + start_only (the same
number as the summary's n at the start) and the same at the end with end_only;
``("category", measure, scale, start, end, rule, category, group)``. Under
``added_value`` the counts of usable starts are other people: their scale key is
``(scale, "baseline")``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from trivselscore.cohort import Cell
from trivselscore.cohort.report import ranged
from trivselscore.cohort.stats import IntervalMethod, check_interval, dz, mean_interval
from trivselscore.study.cells import ALL, Ledger, Role, group_key, same_people
from trivselscore.study.reports import ChangeReport, ChangeRow
from trivselscore.study.rules import DEFAULT_METHOD, classify, lookup, rule_key, times, usable

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.change import ChangeBatch, ChangeRule
    from trivselscore.study.view import StudyView

__all__ = ["DEFAULT_METHOD", "change", "change_plan", "classify", "lookup", "rule_key", "times"]

_GIVEN, _NOT_GIVEN = 2, 1
_PARTS = ("pairs", "start_only", "end_only", "neither")


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
    ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval=interval, confidence=confidence)
    render = change_plan(study, ledger, start, end, by=by, method=method, scales=scales, options=options)
    ledger.close()
    return render()


def change_plan(  # noqa: PLR0913 - the report's options, all named by Study.change
    study: StudyView,
    ledger: Ledger,
    start: str,
    end: str,
    *,
    by: Sequence[str],
    method: str | Mapping[str, str] | None,
    scales: Mapping[str, Sequence[str]] | None,
    options: Mapping[str, Mapping[str, Any]] | None,
) -> Callable[[], ChangeReport]:
    """Register one change report's counts; the function that builds it once ``ledger`` is solved.

    Raises:
        CohortDataError, UnknownScaleError, ChangeParameterError: As :func:`change`.
    """
    s, e = times(study, start, end)
    chosen = (
        {name: list(study.measure(name).scale_ids) for name in study.measures}
        if scales is None
        else {name: list(names) for name, names in scales.items()}
    )
    parts = study.partition(by)
    groups = [group_key(by, group, total=i == 0) for i, (group, _) in enumerate(parts)]
    for g, (_, members) in zip(groups, parts, strict=True):
        ledger.put(
            ("persons", g),
            int(members.sum()),
            table="change",
            column="persons",
            keep=True,
            total_row=g == ALL,
        )
    ledger.relate(("persons", ALL), [("persons", g) for g in groups[1:]])
    rules: dict[str, ChangeRule] = {}
    plan = []
    for measure, names in chosen.items():
        state = study.state(measure)
        _sides(ledger, study, measure, groups=groups, parts=parts, span=(s, e))
        for scale in names:
            batch = classify(study, measure, scale, span=(s, e), method=method, options=options)
            rules[f"{measure}/{scale}"] = batch.rule
            keys = [(str(c), c.label_en, c.label_da) for c in batch.rule.categories]
            values = usable(study.values(measure, scale), batch, start=s)
            blocks = []
            for g, (_, members) in zip(groups, parts, strict=True):
                people = same_people(study.measure(measure).instrument, scale)
                cells = _keys(
                    measure,
                    scale=(scale, people),
                    span=(start, end),
                    rule=rule_key(batch.rule),
                    categories=[k[0] for k in keys],
                    g=g,
                    baseline=bool(batch.baseline),
                )
                blocks.append(cells)
                plan.append(
                    _count(
                        ledger,
                        cells,
                        members=members,
                        batch=batch,
                        keys=keys,
                        values=values,
                        state=state,
                        span=(s, e),
                    )
                )
            for column, total in blocks[0].items():
                ledger.relate(total, [block[column] for block in blocks[1:]])

    def render() -> ChangeReport:
        rows = [_row(ledger, planned, rules) for planned in plan]
        return ChangeReport(
            min_cell=ledger.min_cell,
            hide_zero=ledger.hide_zero,
            interval=ledger.interval,
            confidence=ledger.confidence,
            by=tuple(by),
            start=start,
            end=end,
            rules=rules,
            rows=tuple(rows),
        )

    return render


def _keys(  # noqa: PLR0913 - what one change row counts
    measure: str,
    *,
    scale: tuple[str, str],
    span: tuple[str, str],
    rule: Hashable,
    categories: Sequence[str],
    g: Hashable,
    baseline: bool,
) -> dict[str, Hashable]:
    start, end = span
    named, scored = scale
    people: Hashable = (scored, "baseline") if baseline else scored  # added_value: usable starts only
    keys: dict[str, Hashable] = {name: (name, measure, people, start, end, g) for name in _PARTS}
    keys["not_scored"] = ("change_not_scored", measure, people, start, end, g)
    keys["scored_start"] = ("scored", measure, people, start, g)
    keys["scored_end"] = ("scored", measure, scored, end, g)
    keys["persons"] = ("persons", g)
    for category in categories:
        keys[f"category:{category}"] = ("category", measure, named, start, end, rule, category, g)
    return keys


def _sides(  # noqa: PLR0913 - one measure's forms not given and outside the age range, per group
    ledger: Ledger,
    study: StudyView,
    measure: str,
    *,
    groups: Sequence[Hashable],
    parts: Sequence[tuple[str, NDArray[np.bool_]]],
    span: tuple[int, int],
) -> None:
    """Forms not given and outside the age range at either time point: the sum of the two."""
    s, e = span
    start, end = study.time_points[s], study.time_points[e]
    state, outside = study.state(measure), study.outside(measure)
    for g, (_, members) in zip(groups, parts, strict=True):
        for column, counted in (("not_given", state == _NOT_GIVEN), ("outside", outside)):
            sides = [(column, measure, study.time_points[t], g) for t in (s, e)]
            for key, t in zip(sides, (s, e), strict=True):
                count = int(counted[members, t].sum())
                ledger.put(key, count, table="change", column=f"{column}_at", total_row=g == ALL, field=False)
            both = (f"{column}:both", measure, start, end, g)
            count = int(counted[members][:, [s, e]].sum())
            ledger.put(both, count, table="change", column=both[0], total_row=g == ALL)
            ledger.relate(both, sides)
    for column in ("not_given", "outside"):
        for t in (s, e):
            label = study.time_points[t]
            ledger.relate((column, measure, label, ALL), [(column, measure, label, g) for g in groups[1:]])
        whole = (f"{column}:both", measure, start, end)
        ledger.relate((*whole, ALL), [(*whole, g) for g in groups[1:]])


def _count(  # noqa: PLR0913 - one group's persons on one scale
    ledger: Ledger,
    cells: dict[str, Hashable],
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
        "scored_start": has_start,
        "scored_end": has_end,
    }
    total = cells["persons"] == ("persons", ALL)
    for name, mask in counts.items():
        role: Role = (
            "pairs" if name == "pairs" else "denominator" if name.startswith("scored") else "auxiliary"
        )
        ledger.put(
            cells[name],
            int(mask.sum()),
            table="change",
            column=name,
            role=role,
            keep=name in {"pairs", "start_only"},
            total_row=total,
            field=not name.startswith("scored"),
        )
    tried = (state[:, [s, e]] == _GIVEN) & np.isnan(values[:, [s, e]])
    ledger.put(
        cells["not_scored"],
        int((members & tried.any(axis=1)).sum()),
        table="change",
        column="not_scored",
        total_row=total,
    )
    categories = np.array([str(c) for c in batch.categories], dtype=object)
    for k in keys:
        ledger.put(
            cells[f"category:{k[0]}"],
            int((categories[pairs] == k[0]).sum()),
            table="change",
            column="category",
            role="result",
            total_row=total,
        )
    ledger.relate(cells["persons"], [cells[name] for name in _PARTS])
    ledger.relate(cells["pairs"], [cells[f"category:{k[0]}"] for k in keys])
    ledger.relate(cells["scored_start"], [cells["pairs"], cells["start_only"]])
    ledger.relate(cells["scored_end"], [cells["pairs"], cells["end_only"]])
    added = batch.added_value[pairs].tolist() if batch.rule.added_value is not None else None
    return cells, keys, (after - before)[pairs].tolist(), added


_Planned = tuple[dict[str, Hashable], list[tuple[str, str, str]], list[float], list[float] | None]
"""One row's keys, its category keys, the changes and the Added Values of its pairs."""


def _attrition(ledger: Ledger, cells: dict[str, Hashable]) -> Cell:
    """``start_only / (pairs + start_only)``: shown when both counts are, a range when start_only is."""
    pairs, start_only = cells["pairs"], cells["start_only"]
    p, k = ledger.counts[pairs], ledger.counts[start_only]
    attrition = ledger.statistic(k / (p + k) if p + k else None, pairs)
    if not attrition.suppressed and start_only not in ledger.hidden:
        return attrition
    found, total = ledger.bounds(start_only), ledger.bounds(pairs)
    if found is not None and total is not None and min(found[0] + total[1], found[1] + total[0]) > 0:
        low = found[0] / (found[0] + total[1])
        high = found[1] / (found[1] + total[0])
        if low > 0 or high < 1:
            return ranged(math.floor(100 * low + 1e-9) / 100, math.ceil(100 * high - 1e-9) / 100)
    return attrition if attrition.suppressed else ledger.count(start_only)


def _row(ledger: Ledger, planned: _Planned, rules: Mapping[str, ChangeRule]) -> ChangeRow:
    cells, keys, diffs, added = planned
    first = cells[f"category:{keys[0][0]}"]
    _, measure, scale, start, end, _, _, group_of = cast(
        "tuple[str, str, str, str, str, Any, str, Hashable]", first
    )
    group = "all" if group_of == ALL else str(cast("tuple[object, str]", group_of)[1])
    pairs = cells["pairs"]
    result = mean_interval(diffs, ledger.confidence)
    return ChangeRow(
        measure=measure,
        scale=scale,
        group=group,
        persons=ledger.count(cells["persons"]),
        pairs=ledger.count(pairs),
        start_only=ledger.count(cells["start_only"]),
        attrition=_attrition(ledger, cells),
        end_only=ledger.count(cells["end_only"]),
        neither=ledger.count(cells["neither"]),
        not_scored=ledger.count(cells["not_scored"]),
        not_given=ledger.count(("not_given:both", measure, start, end, group_of)),
        outside_age_range=ledger.count(("outside:both", measure, start, end, group_of)),
        categories=ledger.shares(keys, [cells[f"category:{k[0]}"] for k in keys], pairs),
        mean_change=ledger.statistic(result.mean, pairs, low=result.low, high=result.high),
        sd_change=ledger.statistic(result.sd, pairs),
        dz=ledger.statistic(dz(diffs), pairs),
        **_added(ledger, pairs, added, rules[f"{measure}/{scale}"]),
    )


def _added(ledger: Ledger, pairs: Hashable, added: list[float] | None, rule: ChangeRule) -> dict[str, Cell]:
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
