"""What a report plans before it runs: the scales, the change methods, the analyses and the models.

:func:`trivselscore.report.build.build` asks here which scales each measure
reports (:func:`default_scales`), which change method each scale uses
(:func:`change_methods`), and records in the release what STUDY.toml's
``[analyses]`` (:func:`plan_analyses`) and ``[[predictors]]`` (:func:`plan_models`)
ask for; a measure left out of a comparison is a :class:`Skipped`, with its reason.
Nothing here computes a number: the reports are the Study's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

from trivselscore.instruments.registry import get_instrument
from trivselscore.study.flow import flow_plan
from trivselscore.study.fremgang import fremgang_plan
from trivselscore.study.paired import sex_means_plan
from trivselscore.study.release import Pending, Release
from trivselscore.study.study import GIVEN

if TYPE_CHECKING:
    from trivselscore.definitions import Instrument
    from trivselscore.report.config import StudyConfig
    from trivselscore.study import Study

__all__ = [
    "SEX_GROUP",
    "Made",
    "Planning",
    "Runner",
    "Skipped",
    "change_methods",
    "default_scales",
    "fremgang_scales",
    "has_pairs",
    "measured_at",
    "plan_analyses",
    "plan_models",
]

SEX_GROUP = "køn (første svar)"
"""The group the by-sex tables use: each person's first sex answer (unknown if none)."""


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
class Skipped:
    """A measure left out of a comparison (``change``) or of the combined criterion, and why.

    ``why``: ``not_given`` (no form given at the time points in ``missing``),
    ``no_pairs`` (no person scored at both), ``not_collected`` (a scale was not
    collected) or, with ``measure=""``, ``too_few`` (the combined criterion of that
    comparison is left out: fewer than two measures, or than its k scales, have pairs).
    """

    what: Literal["change", "combined", "fremgang"]
    start: str
    end: str
    measure: str
    why: Literal["not_given", "no_pairs", "not_collected", "too_few"]
    missing: tuple[str, ...] = ()


def measured_at(study: Study, name: str, start: str, end: str) -> tuple[str, ...]:
    """The time points among ``start``, ``end`` at which no form of the measure was given."""
    state = study.state(name)
    return tuple(t for t in (start, end) if not (state[:, study.time_index(t)] == GIVEN).any())


def has_pairs(study: Study, name: str, scales: tuple[str, ...], start: str, end: str) -> bool:
    """Whether some person has a score at both time points on every one of the scales."""
    s, e = study.time_index(start), study.time_index(end)
    for scale in scales:
        values = study.values(name, scale)
        if not (~np.isnan(values[:, s]) & ~np.isnan(values[:, e])).any():
            return False
    return True


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
    wanted |= set(fremgang_scales(config, scales).items())
    out = {}
    for measure, scale in sorted(wanted, key=lambda pair: (list(config.measures).index(pair[0]), pair[1])):
        found = get_instrument(config.measures[measure].ids[0]).scale(scale)
        default = "threshold" if found.important_change is not None else "difference"
        out[f"{measure}/{scale}"] = (chosen or {}).get(measure, default)
    return out


Made = Any  # a report, or a release's pending report (called once the release is closed)


class Planning(Protocol):
    """What the analyses are planned from (a :class:`~trivselscore.report.build.Content` is one).

    ``scales``: each measure's reported scales; ``skipped``: where a measure left out is noted.
    """

    config: StudyConfig
    study: Study
    scales: dict[str, tuple[str, ...]]
    skipped: list[Skipped]


class Runner(Protocol):
    """Where the reports are made: a :class:`Release` (one decision), or each on its own."""

    def summary(self, *args: Any, **kwargs: Any) -> Made:  # noqa: ANN401 - as Study.summary
        """Record :meth:`Study.summary` (called with the same arguments)."""
        ...

    def change(self, *args: Any, **kwargs: Any) -> Made:  # noqa: ANN401 - as Study.change
        """Record :meth:`Study.change` (called with the same arguments)."""
        ...

    def combined_change(self, *args: Any, **kwargs: Any) -> Made:  # noqa: ANN401 - as Study.combined_change
        """Record :meth:`Study.combined_change` (called with the same arguments)."""
        ...

    def survey(self, *args: Any, **kwargs: Any) -> Made:  # noqa: ANN401 - as Study.survey
        """Record :meth:`Study.survey` (called with the same arguments)."""
        ...

    def predictors(self, *args: Any, **kwargs: Any) -> Made:  # noqa: ANN401 - as Study.predictors
        """Record :meth:`Study.predictors` (called with the same arguments)."""
        ...


def fremgang_scales(config: StudyConfig, scales: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """``[analyses.fremgang]``'s measure -> scale: as named, else each measure's first reported scale."""
    chosen = config.analyses.fremgang
    if chosen is None:
        return {}
    if chosen.scales is not None:
        return dict(chosen.scales)
    return {name: names[0] for name, names in scales.items() if names}


def plan_analyses(
    content: Planning,
    release: Release | None,
    *,
    method: str | dict[str, str],
    options: dict[str, dict[str, float | str]] | None,
) -> dict[str, list[Any]]:
    """Record ``[analyses]`` in the release (or, without one, make each on its own)."""
    config, study = content.config, content.study
    chosen, by = config.analyses, list(config.columns.groups)
    rule = config.suppression
    out: dict[str, list[Any]] = {"sex_means": [], "fremgang": [], "flow": []}

    def plan(make: Any, alone: Any) -> Any:  # noqa: ANN401 - a plan function and the Study's method
        if release is None:
            made = alone(min_cell=rule.min_cell, hide_zero=rule.hide_zero)
            return lambda: made
        return Pending(release, make(release.ledger))

    if chosen.sex_means is not None and config.columns.sex is not None:
        times = chosen.sex_means.time_points
        wanted = [
            (m, s) for m in chosen.sex_means.measures or tuple(config.measures) for s in content.scales[m]
        ]
        for name, scale in wanted:
            kw: dict[str, Any] = {"measure": name, "scale": scale, "sex": SEX_GROUP, "by": by}
            kw["time_points"] = times
            out["sex_means"].append(
                plan(partial(sex_means_plan, study, **kw), partial(study.sex_means, **kw))
            )
    if chosen.fremgang is not None:
        start, end = chosen.fremgang.comparison or config.comparisons[0]
        kept = _fremgang_kept(content, start, end)
        if kept:
            kw = {"scales": kept, "by": by, "method": method, "options": options}
            out["fremgang"].append(
                plan(
                    partial(fremgang_plan, study, start=start, end=end, **kw),
                    partial(study.fremgang, start, end, **kw),
                )
            )
    if chosen.flow is not None:
        for name in chosen.flow.measures or tuple(config.measures):
            for scale in content.scales[name][:1]:
                kw = {"measure": name, "scale": scale, "by": by}
                out["flow"].append(plan(partial(flow_plan, study, **kw), partial(study.flow, **kw)))
    return out


def _fremgang_kept(content: Planning, start: str, end: str) -> dict[str, str]:
    """The measures of the fremgang figure measured at both time points with pairs; the others noted."""
    study, kept = content.study, {}
    for name, scale in fremgang_scales(content.config, content.scales).items():
        missing = measured_at(study, name, start, end)
        if scale in study.measure(name).not_collected:
            content.skipped.append(Skipped("fremgang", start, end, name, "not_collected"))
        elif missing:
            content.skipped.append(Skipped("fremgang", start, end, name, "not_given", missing))
        elif not has_pairs(study, name, (scale,), start, end):
            content.skipped.append(Skipped("fremgang", start, end, name, "no_pairs"))
        else:
            kept[name] = scale
    return kept


def plan_models(
    config: StudyConfig,
    runner: Runner,
    scales: dict[str, tuple[str, ...]],
    options: Any,  # noqa: ANN401
) -> list[Made]:
    """STUDY.toml's fremgang models (``[[predictors]]``), each with the change tables' method."""
    models = []
    for m in config.predictors:
        first = default_scales(get_instrument(config.measures[m.measure].ids[0]))
        scale = m.scale or (*scales[m.measure], *first)[0]
        models.append(
            runner.predictors(
                m.start,
                m.end,
                measure=m.measure,
                scale=scale,
                covariates=list(m.covariates),
                method=_method_of(config, scales, m.measure, scale),
                options=options,
            )
        )
    return models


def _method_of(config: StudyConfig, scales: dict[str, tuple[str, ...]], measure: str, scale: str) -> str:
    """The change method of one scale, as the change tables use it (:func:`change_methods`)."""
    methods = change_methods(config, {**scales, measure: (*scales[measure], scale)})
    return methods if isinstance(methods, str) else methods[f"{measure}/{scale}"]
