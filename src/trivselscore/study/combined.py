"""Fremgang on several instruments at once ("six in ten improve on life skills, anxiety and depression").

A person counts when they have a complete pair (a score at both time points)
on every named scale; the others are ``left_out`` and counted. Among the
complete, ``improved`` is the number with fremgang (recovered included) on all
the scales (``rule="all"``), on at least one (``"any"``) or on at least ``k``.

Keys (see :mod:`trivselscore.study.change`): with one scale, ``complete`` is that
scale's ``pairs`` and ``improved`` its fremgang (the same people); with several,
``("complete", scales, start, end, group)`` is part of every scale's pairs (the
rest, ``("beyond", ...)``, is counted too) and, with ``rule="all"``,
``("improved", ...)`` part of every scale's fremgang.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from trivselscore.change import ChangeBatch, ChangeCategory, ChangeRule
from trivselscore.cohort import Cell
from trivselscore.cohort.stats import IntervalMethod, check_interval
from trivselscore.errors import CohortDataError
from trivselscore.study.cells import Ledger, Role, group_key, same_people
from trivselscore.study.change import classify, rule_key, times
from trivselscore.study.reports import Lang, Report, group_label

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.study.view import StudyView

__all__ = ["CombinedChangeReport", "CombinedRow", "Criterion", "combined_change", "combined_plan"]

Criterion = Literal["all", "any"] | int
"""Fremgang on all scales, on any, or on at least k of them."""

_COLUMNS = ("complete", "left_out", "improved", "not_improved")


class CombinedRow(BaseModel):
    """One group: ``persons`` = ``complete`` + ``left_out``, ``complete`` = ``improved`` + ``not_improved``.

    ``share`` is ``improved`` / ``complete`` with its interval.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: str
    persons: Cell
    complete: Cell
    left_out: Cell
    improved: Cell
    not_improved: Cell
    share: Cell


class CombinedChangeReport(Report):
    """The share of persons with fremgang on several scales at once, per group."""

    start: str
    end: str
    scales: tuple[str, ...]
    rule: str
    rules: dict[str, ChangeRule]
    rows: tuple[CombinedRow, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def _caption(self, lang: Lang) -> str:
        listed = ", ".join(self.scales)
        if lang == "da":
            how = {"all": "alle", "any": "mindst én"}.get(self.rule, f"mindst {self.rule}")
            return f"{self.start} -> {self.end}: fremgang på {how} af {listed}"
        how = {"all": "all", "any": "at least one"}.get(self.rule, f"at least {self.rule}")
        return f"{self.start} -> {self.end}: fremgang on {how} of {listed}"

    def _grid(self, lang: Lang) -> tuple[list[str], list[list[str]]]:
        da = lang == "da"
        head = ["gruppe" if da else "group", "personer" if da else "persons"]
        head += ["fuldstændige par" if da else "complete pairs", "udeladt" if da else "left out"]
        head += ["fremgang" if da else "improved", "andel (95% CI)" if da else "share (95% CI)"]
        body = [
            [group_label(r.group, lang)]
            + [c.text(digits=0, language=lang) for c in (r.persons, r.complete, r.left_out, r.improved)]
            + [r.share.text(percent=True, language=lang)]
            for r in self.rows
        ]
        return head, body

    def _notes(self, lang: Lang) -> list[str]:
        return [rule.describe() for rule in self.rules.values()] + super()._notes(lang)


def _criterion(rule: Criterion, count: int) -> tuple[str, int]:
    if rule == "all":
        return "all", count
    if rule == "any":
        return "any", 1
    if not isinstance(rule, bool) and 1 <= rule <= count:
        return str(rule), rule
    msg = f"rule must be 'all', 'any' or a whole number from 1 to {count}, not {rule!r}"
    raise ValueError(msg)


def _pairs(study: StudyView, scales: Mapping[str, str | Sequence[str]]) -> list[tuple[str, str]]:
    if not scales:
        msg = "combined_change needs scales={measure: scale, ...}, at least one"
        raise CohortDataError(msg, problem="unknown_measure")
    unknown = [m for m in scales if m not in study.measures]
    if unknown:
        msg = f"combined_change: unknown measure(s) {unknown} in scales=; measures: {list(study.measures)}"
        raise CohortDataError(msg, problem="unknown_measure")
    found = []
    for measure, names in scales.items():
        for scale in [names] if isinstance(names, str) else list(names):
            study.measure(measure).check_scale(scale)
            found.append((measure, scale))
    return found


def combined_change(  # noqa: PLR0913 - the report's options, all named by Study.combined_change
    study: StudyView,
    start: str,
    end: str,
    *,
    scales: Mapping[str, str | Sequence[str]],
    rule: Criterion,
    by: Sequence[str],
    method: str | Mapping[str, str] | None,
    options: Mapping[str, Mapping[str, Any]] | None,
    min_cell: int,
    hide_zero: bool,
    interval: IntervalMethod,
    confidence: float,
) -> CombinedChangeReport:
    """Per group, the share with fremgang on all (any, at least k) of the named scales.

    Args:
        study: The study.
        start: The earlier time point.
        end: The later time point.
        scales: Measure -> its scale (or several), e.g. ``{"sdq": "total", "scas": "total"}``.
        rule: ``"all"``, ``"any"`` or a whole number k (at least k scales).
        by: Group columns to split by.
        method: As in :func:`trivselscore.study.change.change`.
        options: As in :func:`trivselscore.study.change.change`.
        min_cell: As in :func:`trivselscore.study.change.change`.
        hide_zero: As in :func:`trivselscore.study.change.change`.
        interval: As in :func:`trivselscore.study.change.change`.
        confidence: As in :func:`trivselscore.study.change.change`.

    Returns:
        The report, with the interval of each share and the persons left out.

    Raises:
        CohortDataError: A measure in ``scales`` that the study lacks, or an
            unknown time point or group column.
        UnknownScaleError: A measure lacks the named scale.
        ValueError: A bad ``rule``.
    """
    check_interval(interval, confidence)
    ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval=interval, confidence=confidence)
    render = combined_plan(
        study, ledger, start, end, scales=scales, rule=rule, by=by, method=method, options=options
    )
    ledger.close()
    return render()


def combined_plan(  # noqa: PLR0913 - the report's options, all named by Study.combined_change
    study: StudyView,
    ledger: Ledger,
    start: str,
    end: str,
    *,
    scales: Mapping[str, str | Sequence[str]],
    rule: Criterion,
    by: Sequence[str],
    method: str | Mapping[str, str] | None,
    options: Mapping[str, Mapping[str, Any]] | None,
) -> Callable[[], CombinedChangeReport]:
    """Register one combined report's counts; the function that builds it once ``ledger`` is solved.

    Raises:
        CohortDataError, UnknownScaleError, ValueError: As :func:`combined_change`.
    """
    s, e = times(study, start, end)
    named = _pairs(study, scales)
    label, needed = _criterion(rule, len(named))
    complete = np.ones(study.n_persons, dtype=np.bool_)
    wins = np.zeros(study.n_persons, dtype=np.intp)
    rules = {}
    scored: list[tuple[str, str, ChangeBatch, NDArray[np.bool_], NDArray[np.bool_]]] = []
    for measure, scale in named:
        batch = classify(study, measure, scale, span=(s, e), method=method, options=options)
        rules[f"{measure}/{scale}"] = batch.rule
        complete &= ~batch.missing
        better = np.array([c is not None and c.broad is ChangeCategory.IMPROVEMENT for c in batch.categories])
        wins += better
        scored.append((measure, scale, batch, ~batch.missing, better))
    improved = complete & (wins >= needed)
    people = {(m, sc): _people(study, m, sc, b) for m, sc, b, _, _ in scored}
    parts = study.partition(by)
    masks = {
        "complete": complete,
        "left_out": ~complete,
        "improved": improved,
        "not_improved": complete & ~improved,
    }
    plan = []
    blocks = []
    for i, (group, members) in enumerate(parts):
        g = group_key(by, group, total=i == 0)
        cells = _keys(named, label=label, span=(start, end), scored=scored, g=g, people=people)
        blocks.append(cells)
        total = i == 0
        ledger.put(
            cells["persons"],
            int(members.sum()),
            table="combined",
            column="persons",
            keep=True,
            total_row=total,
        )
        for name, mask in masks.items():
            role: Role = "pairs" if name == "complete" else ("result" if name == "improved" else "auxiliary")
            ledger.put(
                cells[name],
                int((members & mask).sum()),
                table="combined",
                column=name,
                role=role,
                keep=name == "complete",
                total_row=total,
            )
        ledger.relate(cells["persons"], [cells["complete"], cells["left_out"]])
        ledger.relate(cells["complete"], [cells["improved"], cells["not_improved"]])
        _nested(
            ledger,
            cells,
            scored,
            members,
            complete=complete,
            improved=improved,
            every=label == "all",
            total=total,
        )
        plan.append((group, cells))
    for column, total_key in blocks[0].items():
        ledger.relate(total_key, [block[column] for block in blocks[1:]])

    def render() -> CombinedChangeReport:
        rows = [
            CombinedRow(
                group=group,
                persons=ledger.count(cells["persons"]),
                complete=ledger.count(cells["complete"]),
                left_out=ledger.count(cells["left_out"]),
                improved=ledger.count(cells["improved"]),
                not_improved=ledger.count(cells["not_improved"]),
                share=ledger.share(cells["improved"], cells["complete"]),
            )
            for group, cells in plan
        ]
        return CombinedChangeReport(
            min_cell=ledger.min_cell,
            hide_zero=ledger.hide_zero,
            interval=ledger.interval,
            confidence=ledger.confidence,
            by=tuple(by),
            start=start,
            end=end,
            scales=tuple(f"{m}/{sc}" for m, sc in named),
            rule=label,
            rules=rules,
            rows=tuple(rows),
        )

    return render


def _improving(batch: ChangeBatch) -> list[str]:
    """The categories that count as fremgang (recovered included)."""
    return [str(c) for c in batch.rule.categories if c.broad is ChangeCategory.IMPROVEMENT]


def _keys(  # noqa: PLR0913 - what one combined row counts
    named: Sequence[tuple[str, str]],
    *,
    label: str,
    span: tuple[str, str],
    scored: Sequence[tuple[str, str, ChangeBatch, NDArray[np.bool_], NDArray[np.bool_]]],
    g: Hashable,
    people: Mapping[tuple[str, str], Hashable],
) -> dict[str, Hashable]:
    start, end = span
    which = tuple(f"{m}/{sc}" for m, sc in named)
    keys: dict[str, Hashable] = {"persons": ("persons", g)}
    for measure, scale, batch, _, _ in scored:
        pairs = ("pairs", measure, people[(measure, scale)], start, end, g)
        categories = [
            ("category", measure, scale, start, end, rule_key(batch.rule), c, g) for c in _improving(batch)
        ]
        keys[f"scale:{measure}/{scale}:pairs"] = pairs
        keys[f"scale:{measure}/{scale}:improving"] = (
            categories[0]
            if len(categories) == 1
            else ("improving", measure, scale, start, end, rule_key(batch.rule), g)
        )
        keys[f"scale:{measure}/{scale}:beyond"] = ("beyond", measure, scale, which, start, end, g)
        keys[f"scale:{measure}/{scale}:better_beyond"] = (
            "better_beyond",
            measure,
            scale,
            which,
            label,
            start,
            end,
            g,
        )
        for c, key in zip(_improving(batch), categories, strict=True):
            keys[f"scale:{measure}/{scale}:category:{c}"] = key
    if len(scored) == 1:
        keys["complete"] = keys[f"scale:{named[0][0]}/{named[0][1]}:pairs"]
        keys["improved"] = keys[f"scale:{named[0][0]}/{named[0][1]}:improving"]
    else:
        keys["complete"] = ("complete", which, start, end, g)
        keys["improved"] = ("improved", which, label, start, end, g)
    keys["left_out"] = ("combined_left_out", which, start, end, g)
    keys["not_improved"] = ("combined_not_improved", which, label, start, end, g)
    return keys


def _people(study: StudyView, measure: str, scale: str, batch: ChangeBatch) -> Hashable:
    """Whom a scale's pairs count (as in the change tables; added_value: the usable starts only)."""
    scored = same_people(study.measure(measure).instrument, scale)
    return (scored, "baseline") if batch.baseline else scored


def _nested(  # noqa: PLR0913 - one group's persons on the named scales
    ledger: Ledger,
    cells: dict[str, Hashable],
    scored: Sequence[tuple[str, str, ChangeBatch, NDArray[np.bool_], NDArray[np.bool_]]],
    members: NDArray[np.bool_],
    *,
    complete: NDArray[np.bool_],
    improved: NDArray[np.bool_],
    every: bool,
    total: bool,
) -> None:
    """Each scale's pairs and fremgang hold the complete and (rule all) the improved: count the rest."""
    for measure, scale, batch, paired, better in scored:
        name = f"scale:{measure}/{scale}"
        pairs = int((members & paired).sum())
        ledger.put(
            cells[f"{name}:pairs"],
            pairs,
            table="combined",
            column="pairs",
            role="pairs",
            total_row=total,
            field=False,
        )
        categories = np.array([str(c) for c in batch.categories], dtype=object)
        for c in _improving(batch):
            ledger.put(
                cells[f"{name}:category:{c}"],
                int((members & paired & (categories == c)).sum()),
                column="category",
                role="result",
                table="combined",
                total_row=total,
                field=False,
            )
        ledger.put(
            cells[f"{name}:improving"],
            int((members & better).sum()),
            column="improving",
            role="result",
            table="combined",
            total_row=total,
            field=False,
        )
        ledger.relate(cells[f"{name}:improving"], [cells[f"{name}:category:{c}"] for c in _improving(batch)])
        if len(scored) == 1:
            continue
        beyond = int((members & paired & ~complete).sum())
        ledger.put(
            cells[f"{name}:beyond"], beyond, table="combined", column="beyond", total_row=total, field=False
        )
        ledger.relate(cells[f"{name}:pairs"], [cells["complete"], cells[f"{name}:beyond"]])
        if every:
            ledger.put(
                cells[f"{name}:better_beyond"],
                int((members & better & ~improved).sum()),
                column="better_beyond",
                table="combined",
                total_row=total,
                field=False,
            )
            ledger.relate(cells[f"{name}:improving"], [cells["improved"], cells[f"{name}:better_beyond"]])
