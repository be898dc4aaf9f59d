"""Which young people improve: logistic regression of fremgang on the start score and covariates.

The model is fitted by statsmodels (``statsmodels.api.Logit``, maximum
likelihood; optional extra ``stats``); no regression code of our own. The
outcome is fremgang (recovered included) yes/no between two time points on
one measure's scale, among persons with a complete pair; the predictors are
the score at the start and the named covariates: a group column, or a data
column read from the person's row at the start (numeric as is; text as
categories, the first in sorted order the reference). Persons without a
complete pair or with a missing covariate are left out and counted.

Small groups: a category with fewer than ``min_cell`` persons in the model, or
in which every person (or none) had fremgang, cannot be estimated safely (its
odds ratio would be infinite, or would tell about a handful of young people).
Such categories are merged into one (``a + b``); if the merged group is small
too, its persons are left out of the model; a covariate left with fewer than
two groups is left out. Each of these is said in :attr:`PredictorReport.merged`.

The counts the report publishes (n, with fremgang, left out; n per category)
are registered in a :class:`~trivselscore.study.cells.Ledger` under keys that
name the people counted: the model's persons are the change table's pairs on the
same scale less those left out, and its fremgang those pairs' fremgang less the
left out's, so that a release (:mod:`trivselscore.study.release`) protects them
with every other table. Odds ratios are ``exp(coefficient)`` with ``exp`` of the
Wald interval, shown only when at least ``min_cell`` persons had, and had not,
fremgang (every category in the model has at least ``min_cell`` persons and both
outcomes, so no odds ratio is that of a handful of young people; an odds ratio is
not a count, and no count can be worked back from it).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from trivselscore.change import ChangeCategory, ChangeRule
from trivselscore.cohort import Cell
from trivselscore.errors import CohortDataError
from trivselscore.study.cells import ALL, Ledger
from trivselscore.study.groups import merge_small
from trivselscore.study.predictor_cells import register
from trivselscore.study.reports import Lang, Report
from trivselscore.study.rules import classify, times
from trivselscore.support import require

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.study.view import StudyView

__all__ = [
    "PredictorLevel",
    "PredictorReport",
    "PredictorTerm",
    "SmallGroups",
    "p_text",
    "predictors",
    "predictors_plan",
]


class PredictorTerm(BaseModel):
    """One predictor: its odds ratio of fremgang with the interval, and the p-value (Wald)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str
    odds_ratio: Cell
    p_value: float | None
    reference: str | None = None
    covariate: str | None = None
    level: str | None = None


class PredictorLevel(BaseModel):
    """One category of a text covariate in the model: its persons (n); the reference has no odds ratio."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    covariate: str
    level: str
    n: Cell
    reference: bool = False


class SmallGroups(BaseModel):
    """Small categories of a covariate: merged into one, left out of the model, or the covariate dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    covariate: str
    action: Literal["merged", "left_out", "dropped"]
    levels: tuple[str, ...] = ()

    def text(self, lang: Lang, min_cell: int) -> str:
        """The sentence under the table."""
        names = ", ".join(repr(v) for v in self.levels)
        if lang == "da":
            why = f"(færre end {min_cell} personer, eller ikke både med og uden fremgang)"
            return {
                "merged": f"{self.covariate}: {names} er lagt sammen til {' + '.join(self.levels)!r} {why}",
                "left_out": f"{self.covariate}: {names} er udeladt af modellen {why}",
                "dropped": f"{self.covariate} er udeladt af modellen (færre end to grupper at sammenligne)",
            }[self.action]
        why = f"(fewer than {min_cell} persons, or without both outcomes)"
        return {
            "merged": f"{self.covariate}: {names} merged into {' + '.join(self.levels)!r} {why}",
            "left_out": f"{self.covariate}: {names} left out of the model {why}",
            "dropped": f"{self.covariate} left out of the model (fewer than two groups to compare)",
        }[self.action]


class PredictorReport(Report):
    """Odds ratios of fremgang on one measure's scale; n, persons left out, events, n per category."""

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
    excluded: Cell | None = None
    levels: tuple[PredictorLevel, ...] = ()
    merged: tuple[SmallGroups, ...] = ()

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
                p_text(t),
            ]
            for t in self.terms
        ]
        return head, body

    def _notes(self, lang: Lang) -> list[str]:
        said = [m.text(lang, max(self.min_cell, 1)) for m in self.merged]
        return [self.rule.describe(), *said, *super()._notes(lang)]


def p_text(term: PredictorTerm) -> str:
    """A term's p-value as printed (``<0.001`` below); empty when its odds ratio is hidden."""
    if term.p_value is None or term.odds_ratio.suppressed or term.odds_ratio.value is None:
        return ""
    return "<0.001" if term.p_value < 0.001 else f"{term.p_value:.3f}"  # noqa: PLR2004 - the usual floor


def _covariate(
    study: StudyView, name: str, start: str
) -> tuple[NDArray[np.float64] | None, list[str | None], NDArray[np.bool_]]:
    """A covariate's numbers (None if text), its text per person, and where it is known."""
    numeric = None if name in study.groups else study.numbers_at(name, start)
    if numeric is not None:
        return numeric, [], ~np.isnan(numeric)
    raw = list(study.group_values(name)) if name in study.groups else study.column_at(name, start)
    text = [None if v is None else str(v) for v in raw]
    levels = sorted({v for v in text if v is not None})
    if not levels:  # one value only: merge_small leaves it out of the model, and says so
        msg = f"covariate {name!r} has no value at {start!r}"
        raise CohortDataError(msg, problem="bad_value")
    return None, text, np.array([v is not None for v in text], dtype=np.bool_)


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
    """Fit fremgang (yes/no) ~ start score + covariates by logistic regression, protected on its own.

    Raises:
        ImportError: statsmodels is not installed (``pip install "trivselscore[stats]"``).
        CohortDataError: An unknown measure, time point or covariate column, or a
            covariate with one value only.
        UnknownScaleError: No such scale.
    """
    ledger = Ledger(min_cell=min_cell, hide_zero=False, interval="wilson", confidence=confidence)
    render = predictors_plan(
        study,
        ledger,
        start,
        end,
        measure=measure,
        scale=scale,
        covariates=covariates,
        method=method,
        options=options,
    )
    ledger.close()
    return render()


def predictors_plan(  # noqa: PLR0913 - the model's options, all named by Study.predictors
    study: StudyView,
    ledger: Ledger,
    start: str,
    end: str,
    *,
    measure: str,
    scale: str,
    covariates: Sequence[str],
    method: str | None,
    options: Mapping[str, Any] | None,
) -> Callable[[], PredictorReport]:
    """Register the model's counts; the function that builds the report once ``ledger`` is solved.

    Raises:
        ImportError, CohortDataError, UnknownScaleError: As :func:`predictors`.
    """
    s, e = times(study, start, end)
    batch = classify(study, measure, scale, span=(s, e), method=method, options=options)
    outcome = np.array([c is not None and c.broad is ChangeCategory.IMPROVEMENT for c in batch.categories])
    paired = ~np.asarray(batch.missing, dtype=np.bool_)
    read = {name: _covariate(study, name, start) for name in covariates}
    used = paired.copy()
    for _, _, known in read.values():
        used &= known
    limit = max(ledger.min_cell, 1)
    texts = {name: text for name, (numbers, text, _) in read.items() if numbers is None}
    grouped, used, merged = merge_small(texts, used, outcome, limit)
    keys = register(
        ledger,
        study,
        batch,
        what=(measure, scale, start, end),
        covariates=tuple(covariates),
        masks=(paired, used, outcome),
    )
    base = keys["base"]
    assert isinstance(base, tuple)  # noqa: S101 - built by _register
    columns: list[_Column] = [(f"{scale} ({start})", study.values(measure, scale)[:, s], None, None)]
    for name, (numbers, _, _) in read.items():
        if numbers is not None:
            columns.append((name, numbers, None, None))
            continue
        levels = grouped.get(name, [])
        level_keys = [(*base, "level", name, lv.label) for lv in levels]
        for key, lv in zip(level_keys, levels, strict=True):
            count = int((used & lv.members).sum())
            ledger.put(key, count, table="predictors", column="level", role="denominator", keep=True)
        ledger.relate(keys["n"], level_keys)
        columns += [
            (f"{name}={lv.label}", lv.members.astype(float), levels[0].label, (name, lv.label))
            for lv in levels[1:]
        ]
    fitted = _fit(
        outcome, used, columns, counts=ledger.counts, keys=keys, limit=limit, confidence=ledger.confidence
    )

    def render() -> PredictorReport:
        improved, not_improved = ledger.count(keys["improved"]), ledger.count(keys["not_improved"])
        terms = []
        for j, (term, _, reference, category) in enumerate(columns, start=1):
            if fitted is None:
                cell, p = Cell(value=None, suppressed=True, note=f"n<{limit}"), None
            else:
                params, bounds, pvalues = fitted
                cell = Cell(
                    value=math.exp(params[j]), low=math.exp(bounds[j, 0]), high=math.exp(bounds[j, 1])
                )
                p = float(pvalues[j])
            covariate, level = category or (None, None)
            terms.append(
                PredictorTerm(
                    term=term,
                    odds_ratio=cell,
                    p_value=p,
                    reference=reference,
                    covariate=covariate,
                    level=level,
                )
            )
        levels = tuple(
            PredictorLevel(
                covariate=name,
                level=lv.label,
                n=ledger.count((*base, "level", name, lv.label)),
                reference=i == 0,
            )
            for name, found in grouped.items()
            for i, lv in enumerate(found)
        )
        return PredictorReport(
            min_cell=ledger.min_cell,
            hide_zero=False,
            interval="wald",
            confidence=ledger.confidence,
            by=(),
            measure=measure,
            scale=scale,
            start=start,
            end=end,
            rule=batch.rule,
            covariates=tuple(covariates),
            persons=ledger.count(("persons", ALL)),
            n=ledger.count(keys["n"]),
            left_out=ledger.count(keys["left_out"]),
            improved=improved,
            not_improved=not_improved,
            terms=tuple(terms),
            excluded=ledger.count(keys["excluded"]),
            levels=levels,
            merged=tuple(SmallGroups(covariate=c, action=a, levels=v) for c, a, v in merged),  # type: ignore[arg-type]
        )

    return render


_Column = tuple[str, "NDArray[np.float64]", str | None, tuple[str, str] | None]
"""A design column: term, values; for a category of a text covariate the reference and (covariate, level)."""


def _fit(  # noqa: PLR0913 - the data, then when the model may be shown
    outcome: NDArray[np.bool_],
    used: NDArray[np.bool_],
    columns: list[_Column],
    *,
    counts: Mapping[Hashable, int],
    keys: dict[str, Hashable],
    limit: int,
    confidence: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]] | None:
    """The coefficients, their Wald intervals and p-values; None with too few (non-)events or no fit."""
    if min(counts[keys["improved"]], counts[keys["not_improved"]]) < limit:
        return None
    sm = require("statsmodels.api", "stats")
    design = np.column_stack([np.ones(int(used.sum()))] + [values[used] for _, values, _, _ in columns])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a model that does not converge is reported as not fitted
        try:
            fitted = sm.Logit(outcome[used].astype(float), design).fit(disp=0)
        except (np.linalg.LinAlgError, ValueError):
            return None
    if not fitted.mle_retvals.get("converged", True):
        return None
    bounds = np.asarray(fitted.conf_int(alpha=1 - confidence))
    return np.asarray(fitted.params), bounds, np.asarray(fitted.pvalues)
