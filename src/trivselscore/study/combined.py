"""Fremgang on several instruments at once ("six in ten improve on life skills, anxiety and depression").

A person counts when they have a complete pair (a score at both time points)
on every named scale; the others are ``left_out`` and counted. Among the
complete, ``improved`` is the number with fremgang (recovered included) on all
the scales (``rule="all"``), on at least one (``"any"``) or on at least ``k``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from trivselscore.change import ChangeCategory, ChangeRule
from trivselscore.cohort import Cell
from trivselscore.cohort.stats import IntervalMethod, check_interval
from trivselscore.errors import CohortDataError
from trivselscore.study.cells import Ledger
from trivselscore.study.change import classify, times
from trivselscore.study.reports import Lang, Report, group_label

if TYPE_CHECKING:
    from trivselscore.study.view import StudyView

__all__ = ["CombinedChangeReport", "CombinedRow", "Criterion", "combined_change"]

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
    s, e = times(study, start, end)
    named = _pairs(study, scales)
    label, needed = _criterion(rule, len(named))
    complete = np.ones(study.n_persons, dtype=np.bool_)
    wins = np.zeros(study.n_persons, dtype=np.intp)
    rules = {}
    for measure, scale in named:
        batch = classify(study, measure, scale, span=(s, e), method=method, options=options)
        rules[f"{measure}/{scale}"] = batch.rule
        complete &= ~batch.missing
        wins += np.array([c is not None and c.broad is ChangeCategory.IMPROVEMENT for c in batch.categories])
    improved = complete & (wins >= needed)
    ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval=interval, confidence=confidence)
    parts = study.partition(by)
    masks = {
        "complete": complete,
        "left_out": ~complete,
        "improved": improved,
        "not_improved": complete & ~improved,
    }
    for group, members in parts:
        ledger.add((group, "persons"), int(members.sum()), keep=True)
        for name, mask in masks.items():
            ledger.add((group, name), int((members & mask).sum()), keep=name == "complete")
        ledger.relate((group, "persons"), [(group, "complete"), (group, "left_out")])
        ledger.relate((group, "complete"), [(group, "improved"), (group, "not_improved")])
    for column in ("persons", *_COLUMNS):
        ledger.relate(("all", column), [(g, column) for g, _ in parts[1:]])
    ledger.close()
    rows = [
        CombinedRow(
            group=group,
            persons=ledger.count((group, "persons")),
            complete=ledger.count((group, "complete")),
            left_out=ledger.count((group, "left_out")),
            improved=ledger.count((group, "improved")),
            not_improved=ledger.count((group, "not_improved")),
            share=ledger.share((group, "improved"), (group, "complete")),
        )
        for group, _ in parts
    ]
    return CombinedChangeReport(
        min_cell=min_cell,
        hide_zero=hide_zero,
        interval=interval,
        confidence=confidence,
        by=tuple(by),
        start=start,
        end=end,
        scales=tuple(f"{m}/{sc}" for m, sc in named),
        rule=label,
        rules=rules,
        rows=tuple(rows),
    )
