"""The fremgang models' tables (:class:`~trivselscore.study.predictors.PredictorReport`) for HTML and Excel.

First the model's persons: those in the model (a complete pair and every
covariate known), of whom with fremgang, and the pairs left out (a covariate
unknown, or a category too small: said under the table); then one row per term:
the start score (per point), each number covariate (per unit) and each category
of a text covariate with its n (the reference first, odds ratio 1), with the
odds ratio, its 95% interval and p. A plain-language reading aid is the first
note. Every count is the release's cell: a hidden one is its mark or range, and
an odds ratio is hidden with its category's n.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trivselscore.report.labels import word
from trivselscore.report.tables import (
    Grid,
    count,
    method_note,
    rule_text,
    sex_label,
    suppression_note,
    version_scale_label,
)
from trivselscore.report.values import Value, number_text

if TYPE_CHECKING:
    from trivselscore.study.predictors import PredictorReport, PredictorTerm
    from trivselscore.study.reports import Lang

__all__ = ["predictors_grid"]

_FLOOR = 0.001


def _p(term: PredictorTerm, lang: Lang) -> Value | str:
    if term.p_value is None or term.odds_ratio.value is None:
        return ""
    if term.p_value < _FLOOR:
        return "<" + number_text(_FLOOR, 3, lang)
    return Value("number", number=term.p_value, digits=3)


def predictors_grid(
    report: PredictorReport, lang: Lang, *, number: int = 1, sex_column: str | None = None
) -> Grid:
    """One model: its persons, then per term n, odds ratio (95% CI) and p; the reading aid under it.

    ``sex_column``: the sex column, shown (with its categories) in the report's language.
    """
    head = [word("variable", lang), "n", word("odds_ratio", lang), "p"]
    scale = version_scale_label(report.rule.instrument_id, report.scale, lang)
    body: list[list[Value | str]] = [
        [word("model_n", lang), count(report.n, lang), "", ""],
        [word("model_improved", lang), count(report.improved, lang), "", ""],
        [word("model_excluded", lang), count(report.excluded or report.left_out, lang), "", ""],
    ]
    levels = {(lv.covariate, lv.level): lv for lv in report.levels}
    fitted = any(t.odds_ratio.value is not None for t in report.terms)

    def shown(covariate: str, level: str) -> str:
        if covariate == sex_column:  # a known meaning: named and labelled in the report's language
            return f"{word('sex', lang)}: {sex_label(level, lang)}"
        return f"{covariate}: {level}"

    terms = iter(report.terms)
    first = next(terms)
    body.append(
        [
            word("start_score", lang).format(scale=scale, start=report.start),
            "",
            Value.of(first.odds_ratio, lang, digits=2),
            _p(first, lang),
        ]
    )
    done: set[str] = set()
    for term in terms:
        if term.reference is None or term.covariate is None or term.level is None:
            body.append(
                [
                    word("per_unit", lang).format(name=term.term),
                    "",
                    Value.of(term.odds_ratio, lang, digits=2),
                    _p(term, lang),
                ]
            )
            continue
        covariate, level = term.covariate, term.level
        if covariate not in done:
            done.add(covariate)
            ref = levels[covariate, term.reference]
            body.append([shown(covariate, ref.level), count(ref.n, lang), word("reference", lang), ""])
        body.append(
            [
                shown(covariate, level),
                count(levels[covariate, level].n, lang),
                Value.of(term.odds_ratio, lang, digits=2),
                _p(term, lang),
            ]
        )
    notes = [word("reading_aid", lang)]
    if not fitted:
        notes.append(word("not_fitted", lang).format(min_cell=max(report.min_cell, 1)))
    why = word("small_why", lang).format(min_cell=max(report.min_cell, 1))
    for m in report.merged:
        names = ", ".join(repr(v) for v in m.levels)
        merged = repr(" + ".join(m.levels))
        notes.append(
            word(f"small_{m.action}", lang).format(covariate=m.covariate, names=names, merged=merged, why=why)
        )
    notes += [method_note(report.rule, lang), rule_text(report.rule, lang)]
    ranged = '"note":"range"' in report.model_dump_json()
    notes.append(suppression_note(report.min_cell, hide_zero=report.hide_zero, lang=lang, ranges=ranged))
    caption = word("predictors_caption", lang).format(
        measure=report.measure, scale=scale, start=report.start, end=report.end
    )
    return Grid(caption, head, body, notes, "", f"{word('sheet_predictors', lang)} {number}", lang)
