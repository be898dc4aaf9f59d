"""Which young people improve: logistic regression of fremgang on the start score and covariates.

The model is fitted by statsmodels (``statsmodels.api.Logit``, maximum
likelihood; optional extra ``stats``); no regression code of our own. The
outcome is fremgang (recovered included) yes/no between two time points on
one measure's scale, among persons with a complete pair; the predictors are
the score at the start and the named covariates: a group column, or a data
column read from the person's row at the start (numeric as is; text as
categories, the first in sorted order the reference). Persons without a
complete pair or with a missing covariate are left out and counted.

Odds ratios are ``exp(coefficient)`` with ``exp`` of the Wald interval. They
are hidden when fewer than ``min_cell`` persons had, or had not, fremgang; the
odds ratio of a category is hidden when fewer than ``min_cell`` persons are in
it or outside it (a 2 x 2 table's cells could otherwise be worked back).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from trivselscore.change import ChangeCategory, ChangeRule
from trivselscore.cohort import Cell
from trivselscore.errors import CohortDataError
from trivselscore.study.cells import Ledger
from trivselscore.study.change import classify, times
from trivselscore.study.reports import Lang, Report
from trivselscore.support import require

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.study.view import StudyView

__all__ = ["PredictorReport", "PredictorTerm", "predictors"]


class PredictorTerm(BaseModel):
    """One predictor: its odds ratio of fremgang with the interval, and the p-value (Wald)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str
    odds_ratio: Cell
    p_value: float | None
    reference: str | None = None


class PredictorReport(Report):
    """Odds ratios of fremgang on one measure's scale; n, persons left out, events."""

    measure: str
    scale: str
    start: str
    end: str
    rule: ChangeRule
    covariates: tuple[str, ...]
    persons: Cell
    n: Cell
    left_out: Cell
    improved: Cell
    not_improved: Cell
    terms: tuple[PredictorTerm, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.terms

    def _caption(self, lang: Lang) -> str:
        n, out = self.n.text(digits=0, language=lang), self.left_out.text(digits=0, language=lang)
        events = self.improved.text(digits=0, language=lang)
        if lang == "da":
            return (
                f"fremgang på {self.measure}/{self.scale}, {self.start} -> {self.end}: logistisk regression, "
                f"n = {n} ({events} med fremgang), udeladt {out}"
            )
        return (
            f"fremgang on {self.measure}/{self.scale}, {self.start} -> {self.end}: logistic regression, "
            f"n = {n} ({events} improved), left out {out}"
        )

    def _grid(self, lang: Lang) -> tuple[list[str], list[list[str]]]:
        head = ["variabel" if lang == "da" else "term", "OR (95% CI)", "p"]
        body = [
            [
                t.term + (f" (ref. {t.reference})" if t.reference else ""),
                t.odds_ratio.text(digits=2, language=lang),
                _p_text(t),
            ]
            for t in self.terms
        ]
        return head, body

    def _notes(self, lang: Lang) -> list[str]:
        return [self.rule.describe(), *super()._notes(lang)]


def _p_text(term: PredictorTerm) -> str:
    if term.p_value is None or term.odds_ratio.suppressed:
        return ""
    return "<0.001" if term.p_value < 0.001 else f"{term.p_value:.3f}"  # noqa: PLR2004 - the usual floor


def _covariate(
    study: StudyView, name: str, start: str
) -> tuple[list[tuple[str, NDArray[np.float64], str | None]], NDArray[np.bool_]]:
    """The design columns of one covariate (term, values, reference) and where it is known."""
    numeric = None if name in study.groups else study.numbers_at(name, start)
    if numeric is not None:
        return [(name, numeric, None)], ~np.isnan(numeric)
    raw = list(study.group_values(name)) if name in study.groups else study.column_at(name, start)
    known = np.array([v is not None for v in raw], dtype=np.bool_)
    levels = sorted({str(v) for v in raw if v is not None})
    if len(levels) < 2:  # noqa: PLR2004 - a category needs a contrast
        msg = f"covariate {name!r} has {len(levels)} value(s) {levels}; it needs at least two"
        raise CohortDataError(msg, problem="bad_value")
    text = [None if v is None else str(v) for v in raw]
    return [
        (f"{name}={level}", np.array([float(v == level) for v in text]), levels[0]) for level in levels[1:]
    ], known


def predictors(  # noqa: PLR0913 - the model's options, all named by Study.predictors
    study: StudyView,
    start: str,
    end: str,
    *,
    measure: str,
    scale: str,
    covariates: Sequence[str],
    method: str | None,
    options: Mapping[str, Any] | None,
    min_cell: int,
    confidence: float = 0.95,
) -> PredictorReport:
    """Fit fremgang (yes/no) ~ start score + covariates by logistic regression.

    Raises:
        ImportError: statsmodels is not installed (``pip install "trivselscore[stats]"``).
        CohortDataError: An unknown measure, time point or covariate column, or a
            covariate with one value only.
        UnknownScaleError: No such scale.
    """
    s, e = times(study, start, end)
    batch = classify(study, measure, scale, span=(s, e), method=method, options=options)
    columns: list[tuple[str, NDArray[np.float64], str | None]] = [
        (f"{scale} ({start})", study.values(measure, scale)[:, s], None)
    ]
    used = ~batch.missing
    for name in covariates:
        found, known = _covariate(study, name, start)
        columns += found
        used &= known
    outcome = np.array([c is not None and c.broad is ChangeCategory.IMPROVEMENT for c in batch.categories])
    ledger = Ledger(min_cell=min_cell, hide_zero=False, interval="wilson", confidence=confidence)
    for key, value in (
        ("persons", study.n_persons),
        ("n", int(used.sum())),
        ("left_out", int((~used).sum())),
        ("improved", int((used & outcome).sum())),
        ("not_improved", int((used & ~outcome).sum())),
    ):
        ledger.add(key, value, keep=key in {"persons", "n"})
    ledger.relate("persons", ["n", "left_out"])
    ledger.relate("n", ["improved", "not_improved"])
    ledger.close()
    shown = all(
        k not in ledger.hidden and ledger.counts[k] >= max(min_cell, 1) for k in ("improved", "not_improved")
    )
    terms: list[PredictorTerm] = []
    if shown:
        sm = require("statsmodels.api", "stats")
        design = np.column_stack([np.ones(int(used.sum()))] + [values[used] for _, values, _ in columns])
        fitted = sm.Logit(outcome[used].astype(float), design).fit(disp=0)
        bounds = np.asarray(fitted.conf_int(alpha=1 - confidence))
        for j, (term, values, reference) in enumerate(columns, start=1):
            inside = int(values[used].sum()) if reference else min_cell
            small = reference is not None and min(inside, int(used.sum()) - inside) < min_cell
            cell = (
                Cell(value=None, suppressed=True, note=f"<{min_cell}")
                if small
                else Cell(
                    value=math.exp(fitted.params[j]), low=math.exp(bounds[j, 0]), high=math.exp(bounds[j, 1])
                )
            )
            p_value = None if small else float(fitted.pvalues[j])
            terms.append(PredictorTerm(term=term, odds_ratio=cell, p_value=p_value, reference=reference))
    else:
        note = Cell(value=None, suppressed=True, note=f"n<{min_cell}")
        terms = [PredictorTerm(term=t, odds_ratio=note, p_value=None, reference=r) for t, _, r in columns]
    return PredictorReport(
        min_cell=min_cell,
        hide_zero=False,
        interval="wald",
        confidence=confidence,
        by=(),
        measure=measure,
        scale=scale,
        start=start,
        end=end,
        rule=batch.rule,
        covariates=tuple(covariates),
        persons=ledger.count("persons"),
        n=ledger.count("n"),
        left_out=ledger.count("left_out"),
        improved=ledger.count("improved"),
        not_improved=ledger.count("not_improved"),
        terms=tuple(terms),
    )
