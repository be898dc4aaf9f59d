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
from trivselscore.study.survey import answer_text

if TYPE_CHECKING:
    from trivselscore.report.config import StudyConfig
    from trivselscore.report.data import Export
    from trivselscore.study.reports import Lang
    from trivselscore.study.survey import SurveyReport

__all__ = ["label_order", "survey_grid"]


def label_order(config: StudyConfig, export: Export) -> StudyConfig:
    """STUDY.toml with each question's answers in the order of its SPSS/Stata value labels' codes.

    Only where STUDY.toml gives no ``answers`` and the file labels the column;
    answers in the data that no label names follow, in the order they sort.
    """
    questions = []
    for question in config.questions:
        labels = export.answer_labels.get(question.column)
        if question.answers is not None or not labels:
            questions.append(question)
            continue
        found = {answer_text(row.get(question.column)) for row in export.rows} - {None, *labels}
        extra = sorted(str(answer) for answer in found)
        questions.append(question.model_copy(update={"answers": (*labels, *extra)}))
    return config.model_copy(update={"questions": tuple(questions)})


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
