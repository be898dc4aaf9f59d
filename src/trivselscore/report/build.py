"""From STUDY.toml and the export's rows to the Study and every report the document shows.

The reports are the Study's own (:meth:`Study.summary`, :meth:`Study.change`,
:meth:`Study.combined_change`); nothing here computes a number, so every number
in the HTML and Excel files is one of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from trivselscore.instruments.registry import get_instrument
from trivselscore.study import Study
from trivselscore.tabular.norms import read_norm_table

if TYPE_CHECKING:
    from trivselscore.definitions import Instrument
    from trivselscore.report.config import StudyConfig
    from trivselscore.report.data import Export
    from trivselscore.study import ChangeReport, CombinedChangeReport, SummaryReport

__all__ = ["Content", "MeasureCount", "build", "default_scales", "make_study"]


def default_scales(instrument: Instrument) -> tuple[str, ...]:
    """The scales reported when STUDY.toml names none.

    ``total`` if the instrument has one, else the scales its default cutoff
    scheme bands, else the first scale.

    Examples:
        >>> default_scales(get_instrument("who5")), default_scales(get_instrument("sdq-s11-17"))
        (('percentage',), ('total',))
    """
    if "total" in instrument.scale_ids:
        return ("total",)
    if instrument.default_scheme is not None:
        banded = {t.scale for t in instrument.scheme(instrument.default_scheme).cutoffs}
        chosen = tuple(s for s in instrument.scale_ids if s in banded)
        if chosen:
            return chosen
    return instrument.scale_ids[:1]


@dataclass(frozen=True)
class MeasureCount:
    """One measure's rows: the form given, not given, and given but not scored (too many gaps)."""

    name: str
    given: int
    not_given: int
    not_scored: int


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
    counts: list[MeasureCount] = field(default_factory=list)


def make_study(config: StudyConfig, export: Export) -> Study:
    """The Study of the export's rows as STUDY.toml describes them.

    Raises:
        CohortDataError: An unknown time point, a duplicate row, a missing item column...
        ResponseError: An answer that is not an allowed code.
        NormFileError: A norm table file (``[measures.X] norms``) is unreadable or wrong.
    """
    named = config.columns
    groups = list(named.groups)
    if named.sex is not None and named.sex not in groups:
        groups.append(named.sex)
    instruments: dict[str, Any] = {
        name: measure.ids[0] if len(measure.ids) == 1 else list(measure.ids)
        for name, measure in config.measures.items()
    }
    columns = {
        name: {item: column or None for item, column in m.columns.items()}
        for name, m in config.measures.items()
        if m.columns
    }
    return Study.from_long(
        export.rows,
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
    )


def _counts(study: Study, name: str) -> MeasureCount:
    measure = study.measure(name)
    first = next(iter(measure.values.values()))
    given = np.asarray(measure.given, dtype=np.bool_)
    return MeasureCount(
        name=name,
        given=int(given.sum()),
        not_given=int((~given).sum()),
        not_scored=int((given & np.isnan(first)).sum()),
    )


def _normed(study: Study, name: str, scale: str) -> bool:
    """Whether some version of the measure has a norm table for the scale (then T-scores are shown)."""
    measure = study.measure(name)
    return any(measure.norm_table(scale, v) is not None for v in range(len(measure.versions)))


def build(config: StudyConfig, study: Study) -> Content:
    """Run every report STUDY.toml asks for.

    Raises:
        CohortDataError, ChangeParameterError, ValueError: A report cannot be made as configured.
    """
    named = config.columns
    rule = config.suppression
    scales = {
        name: m.scales or default_scales(get_instrument(m.ids[0])) for name, m in config.measures.items()
    }
    content = Content(config=config, study=study, scales=scales)
    by = list(named.groups)
    cells = {"min_cell": rule.min_cell, "hide_zero": rule.hide_zero}
    method = config.change.method
    options = config.change.options or None
    for name, chosen in scales.items():
        content.counts.append(_counts(study, name))
        content.summaries.extend(
            study.summary(name, scale, by=by, t_scores=_normed(study, name, scale), **cells)  # type: ignore[arg-type]
            for scale in chosen
        )
    for start, end in config.comparisons:
        content.changes.append(
            study.change(start, end, by=by, method=method, scales=scales, options=options, **cells)  # type: ignore[arg-type]
        )
    if config.combined is not None:
        pairs = config.combined.comparisons or config.comparisons
        for start, end in pairs:
            content.combined.append(
                study.combined_change(
                    start,
                    end,
                    scales=config.combined.scales,
                    rule=config.combined.rule,
                    by=by,
                    method=method,
                    options=options,
                    **cells,  # type: ignore[arg-type]
                )
            )
    if named.sex is not None:
        chosen_by_sex = config.by_sex if config.by_sex is not None else tuple(config.measures)
        for name in chosen_by_sex:
            content.by_gender.extend(
                study.summary(name, scale, by=[named.sex], **cells)  # type: ignore[arg-type]
                for scale in scales[name]
            )
    return content
