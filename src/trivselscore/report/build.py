"""From STUDY.toml and the export's rows to the Study and every report the document shows.

The reports are the Study's own (:meth:`Study.summary`, :meth:`Study.change`,
:meth:`Study.combined_change`); nothing here computes a number, so every number
in the HTML and Excel files is one of theirs.

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
from trivselscore.report.tables import PRINTED
from trivselscore.study import Study
from trivselscore.study.release import Release

if TYPE_CHECKING:
    from trivselscore.definitions import Instrument
    from trivselscore.report.config import StudyConfig
    from trivselscore.report.data import Export
    from trivselscore.study import ChangeReport, CombinedChangeReport, SummaryReport
    from trivselscore.study.release import FrontCounts, Pending

__all__ = ["Content", "MeasureCount", "build", "change_methods", "default_scales", "make_study"]


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
    front: FrontCounts | None = None
    disclosure: dict[str, dict[str, int]] = field(default_factory=dict)
    rounds: int = 0


def make_study(config: StudyConfig, export: Export) -> Study:
    """The Study of the export's rows as STUDY.toml describes them.

    Raises:
        CohortDataError: An unknown time point, a duplicate row, a missing item column...
        ResponseError: An answer that is not an allowed code.
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


def change_methods(config: StudyConfig, scales: dict[str, tuple[str, ...]]) -> str | dict[str, str]:
    """The change method of every reported scale: STUDY.toml's, else the scale's documented default.

    The default is ``"threshold"`` (the minimal important change, e.g. WHO-5's 10
    points) where the first version's scale has one, else ``"difference"``.

    Examples:
        >>> from trivselscore.report.config import parse_config
        >>> lines = ['title = "t"', 'time_points = ["a"]', "[columns]", 'person = "p"', 'time = "t"']
        >>> lines += ["[measures.who5]", 'instrument = "who5"', "[measures.sdq]", 'instrument = "sdq-s11-17"']
        >>> text = chr(10).join(lines)
        >>> change_methods(parse_config(text), {"who5": ("percentage",), "sdq": ("total",)})
        {'who5/percentage': 'threshold', 'sdq/total': 'difference'}
    """
    chosen = config.change.method
    if isinstance(chosen, str):
        return chosen
    wanted = {(m, s) for m, names in scales.items() for s in names}
    if config.combined is not None:
        for measure, named in config.combined.scales.items():
            wanted |= {(measure, s) for s in ((named,) if isinstance(named, str) else named)}
    out = {}
    for measure, scale in sorted(wanted, key=lambda pair: (list(config.measures).index(pair[0]), pair[1])):
        found = get_instrument(config.measures[measure].ids[0]).scale(scale)
        default = "threshold" if found.important_change is not None else "difference"
        out[f"{measure}/{scale}"] = (chosen or {}).get(measure, default)
    return out


def build(config: StudyConfig, study: Study, *, release: bool = True) -> Content:
    """Run every report STUDY.toml asks for, protected as one release.

    ``release=False`` protects each report on its own instead (as the Study's
    methods do when called one at a time): kept to show what that leaks.

    Raises:
        CohortDataError, ChangeParameterError, ValueError: A report cannot be made as configured.
        DisclosureError: A count that nothing can protect.
    """
    named = config.columns
    rule = config.suppression
    scales = {
        name: m.scales or default_scales(get_instrument(m.ids[0])) for name, m in config.measures.items()
    }
    content = Content(config=config, study=study, scales=scales)
    for name in scales:
        content.counts.append(_counts(study, name))
    if not release:
        return _one_by_one(config, study, content)
    whole = Release(
        study, min_cell=rule.min_cell, hide_zero=rule.hide_zero, shown=PRINTED, ranges=rule.ranges
    )
    by = list(named.groups)
    method = change_methods(config, scales)
    options = config.change.options or None
    summaries = [whole.summary(name, scale, by=by) for name, chosen in scales.items() for scale in chosen]
    changes = [
        whole.change(start, end, by=by, method=method, scales=scales, options=options)
        for start, end in config.comparisons
    ]
    combined: list[Pending[CombinedChangeReport]] = []
    if config.combined is not None:
        for start, end in config.combined.comparisons or config.comparisons:
            combined.append(
                whole.combined_change(
                    start,
                    end,
                    scales=config.combined.scales,
                    rule=config.combined.rule,
                    by=by,
                    method=method,
                    options=options,
                )
            )
    by_gender = []
    if named.sex is not None:
        chosen_by_sex = config.by_sex if config.by_sex is not None else tuple(config.measures)
        by_gender = [
            whole.summary(name, scale, by=[named.sex]) for name in chosen_by_sex for scale in scales[name]
        ]
    front = whole.front(list(scales))
    whole.close()
    content.summaries = [r() for r in summaries]
    content.changes = [r() for r in changes]
    content.combined = [r() for r in combined]
    content.by_gender = [r() for r in by_gender]
    content.front = front()
    content.disclosure = whole.ledger.tally()
    content.rounds = whole.ledger.rounds
    return content


def _one_by_one(config: StudyConfig, study: Study, content: Content) -> Content:
    """Every report protected on its own (what the report did before it was one release)."""
    named = config.columns
    rule = config.suppression
    by = list(named.groups)
    cells = {"min_cell": rule.min_cell, "hide_zero": rule.hide_zero}
    method = change_methods(config, content.scales)
    options = config.change.options or None
    for name, chosen in content.scales.items():
        content.summaries.extend(study.summary(name, scale, by=by, **cells) for scale in chosen)  # type: ignore[arg-type]
    for start, end in config.comparisons:
        content.changes.append(
            study.change(start, end, by=by, method=method, scales=content.scales, options=options, **cells)  # type: ignore[arg-type]
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
                for scale in content.scales[name]
            )
    return content
