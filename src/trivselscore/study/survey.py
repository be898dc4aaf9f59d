"""Other survey questions: the share of each answer per time point and group, with n and the blanks.

A question is a data column of the export that is not a questionnaire item: a
Likert or yes/no question to the young people ("the talks helped me understand
my challenges": enig / delvis enig / uenig). Per time point and group the report
counts the persons with a row at that time point: those who answered (``n``),
each answer (as a share of ``n``, with its interval) and those who left the
question blank (``blank``, shown as a count of its own and never in the
denominator): rows = n + blank, n = the sum of the answers.

The counts are registered in a :class:`~trivselscore.study.cells.Ledger` under
keys that name the people counted, so that a release protects them with every
other table: ``("rows", time, group)`` (the persons with a row, the level
tables' rows), ``("q_n" | "q_blank", column, time, group)`` and
``("q_answer", column, answer, time, group)``.

Examples:
    >>> from trivselscore.study import Study
    >>> rows = [{"id": p, "t": "slut", "who5_1": 3, "who5_2": 3, "who5_3": 3, "who5_4": 3, "who5_5": 3,
    ...          "hjalp": ["enig", "uenig", None][p % 3]} for p in range(30)]
    >>> study = Study.from_long(rows, instruments={"who5": "who5"}, time_points=["slut"], person="id",
    ...                         time="t")
    >>> report = study.survey("hjalp", answers=["enig", "uenig"])
    >>> row = report.rows[0]
    >>> row.n.value, row.blank.value, [a.share.text(percent=True) for a in row.answers]
    (20, 10, ['50% (30-70)', '50% (30-70)'])
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from trivselscore.cohort import Cell, ShareCell
from trivselscore.cohort.stats import IntervalMethod, check_interval
from trivselscore.errors import CohortDataError
from trivselscore.study.cells import Ledger, group_key
from trivselscore.study.reports import Lang, Report, group_label

if TYPE_CHECKING:
    from trivselscore.study.view import StudyView

__all__ = ["SurveyReport", "SurveyRow", "answer_text", "survey", "survey_plan"]

_ABSENT = 0


class SurveyRow(BaseModel):
    """One time point and group: persons with a row, those who answered (n), the blanks, each answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time: str
    group: str
    rows: Cell
    n: Cell
    blank: Cell
    answers: tuple[ShareCell, ...]


class SurveyReport(Report):
    """The share of each answer to one question per time point and group (shares of those who answered)."""

    column: str
    title: str
    answer_order: tuple[str, ...]
    time_points: tuple[str, ...]
    rows: tuple[SurveyRow, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def _caption(self, lang: Lang) -> str:  # noqa: ARG002 - the question's own words, in every language
        return self.title

    def _grid(self, lang: Lang) -> tuple[list[str], list[list[str]]]:
        da = lang == "da"
        head = ["tidspunkt" if da else "time point", "gruppe" if da else "group", "n"]
        head += ["ikke besvaret" if da else "not answered", *(f"{a} (%)" for a in self.answer_order)]
        body = [
            [
                r.time,
                group_label(r.group, lang),
                r.n.text(digits=0, language=lang),
                r.blank.text(digits=0, language=lang),
                *(a.share.text(percent=True, language=lang) for a in r.answers),
            ]
            for r in self.rows
        ]
        return head, body


def answer_text(value: object) -> str | None:
    """An answer as its label: text stripped, a whole number without ``.0``; blank is None.

    Examples:
        >>> answer_text(" enig "), answer_text(2.0), answer_text(""), answer_text(None)
        ('enig', '2', None, None)
    """
    if value is None:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        return f"{value:g}"
    text = str(value).strip()
    return text or None


def _order(found: set[str]) -> list[str]:
    """The answers found, numbers in numeric order first, then text in alphabetical order."""

    def key(text: str) -> tuple[int, float, str]:
        try:
            return (0, float(text), text)
        except ValueError:
            return (1, 0.0, text.casefold())

    return sorted(found, key=key)


def _answers(
    study: StudyView, column: str, answers: Sequence[str] | None
) -> tuple[dict[str, list[str | None]], list[str]]:
    """Per time point each person's answer, and the answers in the order shown.

    Raises:
        CohortDataError: An unknown column, or an answer ``answers`` does not list.
    """
    given = {t: [answer_text(v) for v in study.column_at(column, t)] for t in study.time_points}
    found = {a for values in given.values() for a in values if a is not None}
    if answers is None:
        return given, _order(found)
    unknown = sorted(found - set(answers))
    if unknown:
        msg = f"question {column!r}: answer {unknown[0]!r} is not one of the answers {list(answers)}"
        raise CohortDataError(msg, problem="bad_value")
    return given, list(answers)


def survey(  # noqa: PLR0913 - the question, then the report's options as Study.summary's
    study: StudyView,
    column: str,
    *,
    title: str | None = None,
    answers: Sequence[str] | None = None,
    time_points: Sequence[str] | None = None,
    by: Sequence[str] = (),
    min_cell: int = 5,
    hide_zero: bool = False,
    interval: IntervalMethod = "wilson",
    confidence: float = 0.95,
) -> SurveyReport:
    """The share of each answer to one question per time point and group, protected on its own.

    Raises:
        CohortDataError: An unknown column, time point or group column, or an
            answer in the data that ``answers`` does not list.
        ValueError: A bad ``min_cell`` or interval method.
    """
    check_interval(interval, confidence)
    ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval=interval, confidence=confidence)
    render = survey_plan(study, ledger, column, title=title, answers=answers, time_points=time_points, by=by)
    ledger.close()
    return render()


def survey_plan(  # noqa: PLR0913 - the question and what to show of it
    study: StudyView,
    ledger: Ledger,
    column: str,
    *,
    title: str | None = None,
    answers: Sequence[str] | None = None,
    time_points: Sequence[str] | None = None,
    by: Sequence[str] = (),
) -> Callable[[], SurveyReport]:
    """Register one question's counts; the function that builds its report once ``ledger`` is solved.

    ``time_points``: where it was asked (default: every time point at which someone answered).

    Raises:
        CohortDataError: As :func:`survey`.
    """
    present = study.state(next(iter(study.measures))) != _ABSENT
    given, order = _answers(study, column, answers)
    chosen = list(time_points) if time_points is not None else None
    if chosen is None:
        chosen = [t for t in study.time_points if any(a is not None for a in given[t])]
    for label in chosen:
        study.time_index(label)
    parts = study.partition(by)
    plan: list[tuple[str, str, dict[str, Hashable]]] = []
    for label in chosen:
        t = study.time_index(label)
        values = np.array(given[label], dtype=object)
        blocks = []
        for i, (group, members) in enumerate(parts):
            g = group_key(by, group, total=i == 0)
            keys: dict[str, Hashable] = {
                "rows": ("rows", label, g),
                "n": ("q_n", column, label, g),
                "blank": ("q_blank", column, label, g),
            }
            keys |= {f"a:{a}": ("q_answer", column, a, label, g) for a in order}
            here = members & present[:, t]
            counts = {
                "rows": int(here.sum()),
                "n": int((here & (values != None)).sum()),  # noqa: E711 - element-wise, not identity
                "blank": int((here & (values == None)).sum()),  # noqa: E711
            }
            counts |= {f"a:{a}": int((here & (values == a)).sum()) for a in order}
            total = i == 0
            for name, value in counts.items():
                role = "result" if name.startswith("a:") else "denominator" if name == "n" else "auxiliary"
                column_name = "answer" if name.startswith("a:") else name
                ledger.put(
                    keys[name],
                    value,
                    table="survey",
                    column=column_name,
                    role=role,  # type: ignore[arg-type]
                    keep=name == "n",
                    total_row=total,
                    field=name != "rows",
                )
            ledger.relate(keys["rows"], [keys["n"], keys["blank"]])
            ledger.relate(keys["n"], [keys[f"a:{a}"] for a in order])
            blocks.append(keys)
            plan.append((label, group, keys))
        if len(blocks) > 1:
            for name in blocks[0]:
                ledger.relate(blocks[0][name], [b[name] for b in blocks[1:]])
    labels = [(a, a, a) for a in order]

    def render() -> SurveyReport:
        rows = [
            SurveyRow(
                time=label,
                group=group,
                rows=ledger.count(keys["rows"]),
                n=ledger.count(keys["n"]),
                blank=ledger.count(keys["blank"]),
                answers=ledger.shares(labels, [keys[f"a:{a}"] for a in order], keys["n"]),
            )
            for label, group, keys in plan
        ]
        return SurveyReport(
            min_cell=ledger.min_cell,
            hide_zero=ledger.hide_zero,
            interval=ledger.interval,
            confidence=ledger.confidence,
            by=tuple(by),
            column=column,
            title=title or column,
            answer_order=tuple(order),
            time_points=tuple(chosen),
            rows=tuple(rows),
        )

    return render
