"""From STUDY.toml and the export's rows to the Study and every report the document shows.

The reports are the Study's own (:meth:`Study.summary`, :meth:`Study.change`,
:meth:`Study.combined_change`); nothing here computes a number, so every number
in the HTML and Excel files is one of theirs. Only what has data is reported: a
scale that was not collected gets no table (the front page says why); a
comparison leaves out a measure not measured at one of its two time points, and
the combined criterion one without pairs (:class:`Skipped` says which, and why).

Everything one run publishes (the HTML tables, the Excel sheets, the first page,
the n in the figures' legends) is one release: :func:`build` records every report
in one :class:`~trivselscore.study.release.Release` and solves it once, so that no
number hidden in one table can be worked back from another (see
:mod:`trivselscore.study.release`). The change tables use, per scale, the
documented minimal important change where the definition has one (WHO-5: 10
points), else any difference, unless STUDY.toml's ``[change] method`` says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from trivselscore.instruments.registry import get_instrument
from trivselscore.report.plans import (
    SEX_GROUP,
    Made,
    Runner,
    Skipped,
    change_methods,
    default_scales,
    fremgang_scales,
    has_pairs,
    measured_at,
    plan_analyses,
    plan_models,
)
from trivselscore.report.printed import PRINTED
from trivselscore.study import Study
from trivselscore.study.release import Release
from trivselscore.study.table import Columns
from trivselscore.tabular.norms import read_norm_table

if TYPE_CHECKING:
    from trivselscore.report.config import StudyConfig
    from trivselscore.report.data import Export
    from trivselscore.study import ChangeReport, CombinedChangeReport, SummaryReport
    from trivselscore.study.flow import FlowReport
    from trivselscore.study.fremgang import FremgangReport
    from trivselscore.study.paired import SexMeansReport
    from trivselscore.study.predictors import PredictorReport
    from trivselscore.study.release import FrontCounts
    from trivselscore.study.survey import SurveyReport

__all__ = [
    "SEX_GROUP",
    "Content",
    "MeasureCount",
    "Skipped",
    "build",
    "change_methods",
    "default_scales",
    "fremgang_scales",
    "make_study",
]


@dataclass(frozen=True)
class MeasureCount:
    """One measure's rows: the form given, not given, and per reported scale given but not scored.

    ``versions``: the forms each version scored (their sum is ``given``);
    ``not_collected``: scale -> why it was not collected (it has no table).
    Each count is the sum of the summary tables' cells over the time points
    (``given`` = rows - not given; ``not_scored`` = rows - not given - n).
    """

    name: str
    given: int
    not_given: int
    not_scored: dict[str, int]
    versions: dict[str, int] = field(default_factory=dict)
    not_collected: dict[str, str] = field(default_factory=dict)


@dataclass
class Content:
    """Everything the report shows, in order."""

    config: StudyConfig
    study: Study
    scales: dict[str, tuple[str, ...]]
    summaries: list[SummaryReport] = field(default_factory=list)
    changes: list[ChangeReport] = field(default_factory=list)
    combined: list[CombinedChangeReport] = field(default_factory=list)
    by_gender: list[SummaryReport] = field(default_factory=list)
    surveys: list[SurveyReport] = field(default_factory=list)
    predictors: list[PredictorReport] = field(default_factory=list)
    counts: list[MeasureCount] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    front: FrontCounts | None = None
    sex_means: list[SexMeansReport] = field(default_factory=list)
    fremgang: list[FremgangReport] = field(default_factory=list)
    flows: list[FlowReport] = field(default_factory=list)
    disclosure: dict[str, dict[str, int]] = field(default_factory=dict)
    rounds: int = 0


def make_study(config: StudyConfig, export: Export) -> Study:
    """The Study of the export's rows as STUDY.toml describes them.

    Raises:
        CohortDataError: An unknown time point, a duplicate row, a missing item column...
        ResponseError: An answer that is not an allowed code.
        NormFileError: A norm table file (``[measures.X] norms``) is unreadable or wrong.
    """
    named = config.columns
    groups = list(named.groups)
    columns_in = dict(export.columns)
    if named.sex is not None:
        columns_in[SEX_GROUP] = _sex_group(export.columns, config)
        groups.append(SEX_GROUP)
    instruments: dict[str, Any] = {
        name: measure.ids[0] if len(measure.ids) == 1 else list(measure.ids)
        for name, measure in config.measures.items()
    }
    columns = {
        name: {item: column or None for item, column in m.columns.items()}
        for name, m in config.measures.items()
        if m.columns
    }
    declared = {name: m.not_collected for name, m in config.measures.items() if m.not_collected}
    return Study.from_long(
        Columns(columns_in, export.n_rows),
        instruments=instruments,
        time_points=list(config.time_points),
        person=named.person,
        time=named.time,
        groups=groups,
        sex=named.sex,
        age=named.age,
        columns=columns or None,
        missing=config.missing,
        norms={
            name: read_norm_table(path, instruments=config.measures[name].ids)
            for name, path in config.norm_files().items()
        }
        or None,
        not_collected=declared or None,
    )


def _sex_group(columns: dict[str, Any], config: StudyConfig) -> list[object]:
    """Per row, :data:`SEX_GROUP`: the person's first sex answer by time point, else ``unknown``.

    A person counts in one sex group (a group is constant per person), even if the
    answer differs between time points; each row's own answer still decides its
    sex-specific bands. A person who never answered is ``unknown``.
    """
    order = {label: i for i, label in enumerate(config.time_points)}
    sexes = columns[str(config.columns.sex)]
    persons = columns[config.columns.person]
    times = columns[config.columns.time]
    first: dict[object, tuple[int, object]] = {}
    late = len(order)
    for key, value, time in zip(persons, sexes, times, strict=True):
        if value is None:
            continue
        when = order.get(str(time), late)
        if key not in first or when < first[key][0]:
            first[key] = (when, value)
    return [first.get(key, (0, "unknown"))[1] for key in persons]


def _counts(study: Study, name: str, scales: tuple[str, ...]) -> MeasureCount:
    measure = study.measure(name)
    given = np.asarray(measure.given, dtype=np.bool_)
    return MeasureCount(
        name=name,
        given=int(given.sum()),
        not_given=int((~given).sum()),
        not_scored={s: int((given & np.isnan(measure.values[s])).sum()) for s in scales},
        versions=measure.forms(),
        not_collected=dict(measure.not_collected),
    )


def _normed(study: Study, name: str, scale: str) -> bool:
    """Whether some version of the measure has a norm table for the scale (then T-scores are shown)."""
    measure = study.measure(name)
    return any(measure.norm_table(scale, v) is not None for v in range(len(measure.versions)))


class _OneByOne:
    """Every report protected on its own, as the Study's methods do (what the report did before issue 22)."""

    def __init__(self, study: Study, min_cell: int, *, hide_zero: bool) -> None:
        self.study, self.min_cell, self.hide_zero = study, min_cell, hide_zero

    def summary(self, *args: Any, **kwargs: Any) -> Made:  # noqa: ANN401 - as Study.summary
        made = self.study.summary(*args, **kwargs, min_cell=self.min_cell, hide_zero=self.hide_zero)
        return lambda: made

    def change(self, *args: Any, **kwargs: Any) -> Made:  # noqa: ANN401 - as Study.change
        made = self.study.change(*args, **kwargs, min_cell=self.min_cell, hide_zero=self.hide_zero)
        return lambda: made

    def combined_change(self, *args: Any, **kwargs: Any) -> Made:  # noqa: ANN401 - as Study.combined_change
        made = self.study.combined_change(*args, **kwargs, min_cell=self.min_cell, hide_zero=self.hide_zero)
        return lambda: made

    def survey(self, *args: Any, **kwargs: Any) -> Made:  # noqa: ANN401 - as Study.survey
        made = self.study.survey(*args, **kwargs, min_cell=self.min_cell, hide_zero=self.hide_zero)
        return lambda: made

    def predictors(self, *args: Any, **kwargs: Any) -> Made:  # noqa: ANN401 - as Study.predictors
        made = self.study.predictors(*args, **kwargs, min_cell=self.min_cell)
        return lambda: made


def build(config: StudyConfig, study: Study, *, release: bool = True) -> Content:
    """Run every report STUDY.toml asks for, where there is data for it, protected as one release.

    ``release=False`` protects each report on its own instead (as the Study's
    methods do when called one at a time): kept to show what that leaks.

    Raises:
        CohortDataError, ChangeParameterError, ValueError: A report cannot be made as configured.
        DisclosureError: A count that nothing can protect.
    """
    named = config.columns
    rule = config.suppression
    scales = {
        name: tuple(
            s
            for s in (m.scales or default_scales(get_instrument(m.ids[0])))
            if s not in study.measure(name).not_collected
        )
        for name, m in config.measures.items()
    }
    content = Content(config=config, study=study, scales=scales)
    whole = Release(
        study, min_cell=rule.min_cell, hide_zero=rule.hide_zero, shown=PRINTED, ranges=rule.ranges
    )
    runner: Runner = whole if release else _OneByOne(study, rule.min_cell, hide_zero=rule.hide_zero)
    by = list(named.groups)
    method = change_methods(config, scales)
    options = config.change.options or None
    summaries, changes, combined, by_gender = [], [], [], []
    for name, chosen in scales.items():
        content.counts.append(_counts(study, name, chosen))
        summaries += [
            runner.summary(name, scale, by=by, t_scores=_normed(study, name, scale)) for scale in chosen
        ]
    for start, end in config.comparisons:
        compared = _compared(content, start, end)
        if compared:
            changes.append(runner.change(start, end, by=by, method=method, scales=compared, options=options))
    if config.combined is not None:
        for start, end in config.combined.comparisons or config.comparisons:
            kept = _combinable(content, config.combined.scales, start, end)
            if kept:
                combined.append(
                    runner.combined_change(
                        start,
                        end,
                        scales=kept,
                        rule=config.combined.rule,
                        by=by,
                        method=method,
                        options=options,
                    )
                )
    if named.sex is not None:
        chosen_by_sex = config.by_sex if config.by_sex is not None else tuple(config.measures)
        for name in chosen_by_sex:
            by_gender += [runner.summary(name, scale, by=[SEX_GROUP]) for scale in scales[name]]
    analyses = plan_analyses(content, whole if release else None, method=method, options=options)
    surveys = [
        runner.survey(q.column, title=q.title, answers=q.answers, time_points=q.time_points, by=by)
        for q in config.questions
    ]
    models = plan_models(config, runner, scales, options)
    front = whole.front(scales) if release else None
    if release:
        whole.close()
        content.disclosure, content.rounds = whole.ledger.tally(), whole.ledger.rounds
    content.summaries = [made() for made in summaries]
    content.changes = [made() for made in changes]
    content.combined = [made() for made in combined]
    content.by_gender = [made() for made in by_gender]
    content.surveys = [made() for made in surveys]
    content.predictors = [made() for made in models]
    content.front = front() if front is not None else None
    content.sex_means = [made() for made in analyses["sex_means"]]
    content.fremgang = [made() for made in analyses["fremgang"]]
    content.flows = [made() for made in analyses["flow"]]
    return content


def _compared(content: Content, start: str, end: str) -> dict[str, tuple[str, ...]]:
    """The measures (and their scales) measured at both time points; the others noted as skipped."""
    compared = {}
    for name, chosen in content.scales.items():
        missing = measured_at(content.study, name, start, end)
        if missing:
            content.skipped.append(Skipped("change", start, end, name, "not_given", missing))
        elif chosen:
            compared[name] = chosen
    return compared


def _combinable(
    content: Content, wanted: dict[str, str | tuple[str, ...]], start: str, end: str
) -> dict[str, str | tuple[str, ...]]:
    """The combined criterion's measures that have pairs (None of it if fewer than two, or than k, remain)."""
    study, kept = content.study, {}
    for name, scale in wanted.items():
        names = (scale,) if isinstance(scale, str) else tuple(scale)
        missing = measured_at(study, name, start, end)
        if set(names) & set(study.measure(name).not_collected):
            content.skipped.append(Skipped("combined", start, end, name, "not_collected"))
        elif missing:
            content.skipped.append(Skipped("combined", start, end, name, "not_given", missing))
        elif not has_pairs(study, name, names, start, end):
            content.skipped.append(Skipped("combined", start, end, name, "no_pairs"))
        else:
            kept[name] = scale
    needed = content.config.combined.rule if content.config.combined is not None else "all"
    count = sum(1 if isinstance(s, str) else len(s) for s in kept.values())
    too_few = len(kept) < 2 or (isinstance(needed, int) and count < needed)  # noqa: PLR2004 - one measure is no combination
    if len(kept) < len(wanted) and too_few:
        content.skipped.append(Skipped("combined", start, end, "", "too_few"))
        return {}
    return kept
