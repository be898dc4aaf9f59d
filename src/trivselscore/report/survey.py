"""The other survey questions' tables (:class:`~trivselscore.study.survey.SurveyReport`) for HTML and Excel.

Per time point and track: those who answered (n), those who did not (a count of
its own, never in n) and the share of each answer, in the order STUDY.toml gives
(``[[questions]] answers``). Every count is the release's cell: a hidden one is
its mark or range.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trivselscore.report.labels import word
from trivselscore.report.tables import Grid, count, suppression_note
from trivselscore.report.values import Value
from trivselscore.study.reports import group_label

if TYPE_CHECKING:
    from trivselscore.study.reports import Lang
    from trivselscore.study.survey import SurveyReport

__all__ = ["survey_grid"]


def survey_grid(report: SurveyReport, lang: Lang, *, number: int = 1) -> Grid:
    """One question: per time point and track n, not answered and each answer's share (95% CI).

    ``number``: the question's place among the questions (its sheet is ``spørgsmål 1``, ...).
    """
    head = [word("time", lang), word("group", lang), word("answered", lang), word("not_answered", lang)]
    head += [f"{answer} (%)" for answer in report.answer_order]
    body: list[list[Value | str]] = [
        [
            r.time,
            group_label(r.group, lang),
            count(r.n, lang),
            count(r.blank, lang),
            *(Value.of(a.share, lang, percent=True) for a in r.answers),
        ]
        for r in report.rows
    ]
    ranged = '"note":"range"' in report.model_dump_json()
    notes = [
        word("question_note", lang),
        suppression_note(report.min_cell, hide_zero=report.hide_zero, lang=lang, ranges=ranged),
    ]
    return Grid(report.title, head, body, notes, "", f"{word('sheet_question', lang)} {number}", lang)
