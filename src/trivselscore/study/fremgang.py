"""Fremgang across measures: the share with fremgang per measure and group, side by side.

The evaluation's "six in ten" page: for one comparison (start -> end), per
measure (one scale each: SDQ total, SCAS total, MFQ total, WHO-5 percentage) and
group (track), the complete pairs (n) and the share of them with fremgang, with
its interval. The numbers are the change tables' own (:func:`change_plan`
registers them under the same keys), so a release shows one number once;
fremgang is the rule's category ``improvement`` (under ``clinical_significance``
plus ``recovered``: ``("better", ...)`` = the two, a count of its own).

Examples:
    >>> from trivselscore.study import Study
    >>> rows = [{"person": p, "time": t, "track": "a" if p % 2 else "b",
    ...          **{f"who5_{i}": (2 if t == "start" or p % 5 == 0 else 4) for i in range(1, 6)}}
    ...         for p in range(50) for t in ("start", "end")]
    >>> study = Study.from_long(rows, instruments={"who5": "who5"}, time_points=["start", "end"],
    ...                         groups=["track"])
    >>> report = study.fremgang("start", "end", scales={"who5": "percentage"}, by=["track"])
    >>> [(r.group, r.pairs.value, r.improved.value) for r in report.rows]
    [('all', 50, 40), ('a', 25, 20), ('b', 25, 20)]
    >>> report.rows[0].share.text(percent=True)
    '80% (67-89)'
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from trivselscore.change import ChangeRule
from trivselscore.cohort import Cell
from trivselscore.study.cells import ALL, Ledger, group_key, same_people
from trivselscore.study.change import change_plan
from trivselscore.study.reports import Lang, Report, group_label
from trivselscore.study.rules import classify, rule_key, times

if TYPE_CHECKING:
    from trivselscore.study.view import StudyView

__all__ = ["BETTER", "FremgangReport", "FremgangRow", "fremgang_plan"]

BETTER = ("improvement", "recovered")
"""The change categories that are fremgang."""


class FremgangRow(BaseModel):
    """One measure's scale and group: the complete pairs, those with fremgang and their share."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: str
    scale: str
    group: str
    pairs: Cell
    improved: Cell
    share: Cell


class FremgangReport(Report):
    """The share with fremgang per measure and group for one comparison."""

    start: str
    end: str
    rules: dict[str, ChangeRule]
    rows: tuple[FremgangRow, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def _caption(self, lang: Lang) -> str:
        what = "fremgang på tværs af mål" if lang == "da" else "fremgang across measures"
        return f"{self.start} -> {self.end}: {what}"

    def _grid(self, lang: Lang) -> tuple[list[str], list[list[str]]]:
        da = lang == "da"
        head = ["mål" if da else "measure", "gruppe" if da else "group", "par" if da else "pairs"]
        head.append("fremgang (95% CI)")
        body = [
            [
                f"{r.measure}/{r.scale}",
                group_label(r.group, lang),
                r.pairs.text(digits=0, language=lang),
                r.share.text(percent=True, language=lang),
            ]
            for r in self.rows
        ]
        return head, body

    def _notes(self, lang: Lang) -> list[str]:
        return [rule.describe() for rule in self.rules.values()] + super()._notes(lang)


def fremgang_plan(  # noqa: PLR0913 - the analysis's options, all named by Study.fremgang
    study: StudyView,
    ledger: Ledger,
    start: str,
    end: str,
    *,
    scales: Mapping[str, str],
    by: Sequence[str],
    method: str | Mapping[str, str] | None,
    options: Mapping[str, Mapping[str, Any]] | None,
    table: str = "fremgang",
) -> Callable[[], FremgangReport]:
    """Register the counts (the change tables' keys); the function that builds the report once solved.

    Raises:
        CohortDataError, UnknownScaleError, ChangeParameterError: As :meth:`Study.change`.
    """
    made = change_plan(
        study,
        ledger,
        start,
        end,
        by=by,
        method=method,
        scales={m: [s] for m, s in scales.items()},
        options=options,
    )
    span = times(study, start, end)
    groups = [group_key(by, label, total=i == 0) for i, (label, _) in enumerate(study.partition(by))]
    better: dict[tuple[str, str], dict[Hashable, tuple[Hashable, Hashable]]] = {}
    for measure, scale in scales.items():
        batch = classify(study, measure, scale, span=span, method=method, options=options)
        rule = rule_key(batch.rule)
        scored = same_people(study.measure(measure).instrument, scale)
        people: Hashable = (scored, "baseline") if batch.baseline else scored
        keys = [str(c) for c in batch.rule.categories if str(c) in BETTER]
        found: dict[Hashable, tuple[Hashable, Hashable]] = {}
        for g in groups:
            parts = [("category", measure, scale, start, end, rule, k, g) for k in keys]
            pairs: Hashable = ("pairs", measure, people, start, end, g)
            if len(parts) == 1:
                found[g] = (parts[0], pairs)
                continue
            key: Hashable = ("better", measure, scale, start, end, rule, g)
            total = sum(ledger.counts[p] for p in parts)
            ledger.put(key, total, table=table, column="improved", role="result", total_row=g == ALL)
            ledger.relate(key, parts)
            found[g] = (key, pairs)
        if len(keys) > 1:
            ledger.relate(found[ALL][0], [found[g][0] for g in groups[1:]])
        better[measure, scale] = found

    def render() -> FremgangReport:
        change = made()
        labels = dict(zip([label for label, _ in study.partition(by)], groups, strict=True))
        rows = []
        for r in change.rows:
            key, pairs = better[r.measure, r.scale][labels[r.group]]
            rows.append(
                FremgangRow(
                    measure=r.measure,
                    scale=r.scale,
                    group=r.group,
                    pairs=r.pairs,
                    improved=ledger.count(key),
                    share=ledger.share(key, pairs),
                )
            )
        return FremgangReport(
            min_cell=ledger.min_cell,
            hide_zero=ledger.hide_zero,
            interval=ledger.interval,
            confidence=ledger.confidence,
            by=tuple(by),
            start=start,
            end=end,
            rules=dict(change.rules),
            rows=tuple(rows),
        )

    return render
