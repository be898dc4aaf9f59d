"""STUDY.toml's ``[analyses]``: the paired means by sex, fremgang across measures, the flow.

Each analysis is shown when its table is present (an empty table takes every
default); :func:`check_analyses` checks that it names known measures, scales and
time points, and has what it needs (the sex column), with one line naming the key.

Examples:
    >>> from trivselscore.report.config import ConfigError, parse_config
    >>> lines = ['title = "t"', 'time_points = ["a", "b"]', "[columns]", 'person = "p"', 'time = "t"']
    >>> lines += ["[measures.who5]", 'instrument = "who5"', "[analyses.flow]", 'measures = ["sdq"]']
    >>> try:
    ...     parse_config(chr(10).join(lines))
    ... except ConfigError as error:
    ...     print(error)
    STUDY.toml: analyses.flow.measures: ['sdq'] not in measures ['who5']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from trivselscore.instruments.registry import get_instrument

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "AnalysesConfig",
    "Context",
    "FlowConfig",
    "FremgangConfig",
    "SexMeansConfig",
    "check_analyses",
]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SexMeansConfig(_Strict):
    """``[analyses.sex_means]``: the paired means by sex per time point and group (needs ``columns.sex``).

    ``measures``: the measures (their reported scales; default: every measure);
    ``time_points``: at least two; only persons scored at every one count (default: all).
    """

    measures: tuple[str, ...] | None = None
    time_points: tuple[str, ...] | None = None


class FremgangConfig(_Strict):
    """``[analyses.fremgang]``: the share with fremgang per measure and group, side by side.

    ``comparison``: [start, end] (default: the first of ``comparisons``); ``scales``:
    measure -> the scale (default: every measure's first reported scale).
    """

    comparison: tuple[str, str] | None = None
    scales: dict[str, str] | None = None


class FlowConfig(_Strict):
    """``[analyses.flow]``: persons measured at each time point per group, and the drop-out.

    ``measures``: one table each (default: every measure), of the persons with a score on the
    measure's first reported scale (the n of its level table).
    """

    measures: tuple[str, ...] | None = None


class AnalysesConfig(_Strict):
    """``[analyses]``: the evaluation's further analyses, each shown when its table is present."""

    sex_means: SexMeansConfig | None = None
    fremgang: FremgangConfig | None = None
    flow: FlowConfig | None = None


@dataclass(frozen=True)
class Context:
    """What the analyses are checked against.

    Measure -> its (first) instrument id, the time points, whether there are
    comparisons and whether there is a sex column.
    """

    measures: Mapping[str, str]
    time_points: tuple[str, ...]
    comparisons: bool
    sex: bool


def _known(config: Context, key: str, names: tuple[str, ...] | None) -> None:
    unknown = sorted(set(names or ()) - set(config.measures))
    if unknown:
        msg = f"{key}: {unknown} not in measures {sorted(config.measures)}"
        raise ValueError(msg)


def check_analyses(chosen: AnalysesConfig, config: Context) -> None:
    """Each analysis names known measures, scales and time points, and has what it needs."""
    if chosen.sex_means is not None:
        _known(config, "analyses.sex_means.measures", chosen.sex_means.measures)
        if not config.sex:
            msg = "analyses.sex_means: needs the sex column (columns.sex)"
            raise ValueError(msg)
        times = chosen.sex_means.time_points
        if times is not None:
            _times(config, "analyses.sex_means.time_points", times)
            if len(set(times)) < 2 or len(set(times)) < len(times):  # noqa: PLR2004 - a pair at least
                msg = f"analyses.sex_means.time_points: at least two, each once, not {list(times)}"
                raise ValueError(msg)
    if chosen.flow is not None:
        _known(config, "analyses.flow.measures", chosen.flow.measures)
    if chosen.fremgang is not None:
        _check_fremgang(config, chosen.fremgang)


def _times(config: Context, key: str, labels: tuple[str, ...]) -> None:
    for label in labels:
        if label not in config.time_points:
            msg = f"{key}: {label!r} is not in time_points {list(config.time_points)}"
            raise ValueError(msg)


def _check_fremgang(config: Context, fremgang: FremgangConfig) -> None:
    pair = fremgang.comparison
    if pair is None and not config.comparisons:
        msg = "analyses.fremgang.comparison: name [start, end] (there are no comparisons)"
        raise ValueError(msg)
    if pair is not None:
        _times(config, "analyses.fremgang.comparison", pair)
        if pair[0] == pair[1]:
            msg = f"analyses.fremgang.comparison: {list(pair)} compares a time point with itself"
            raise ValueError(msg)
    _known(config, "analyses.fremgang.scales", tuple(fremgang.scales or ()))
    for name, scale in (fremgang.scales or {}).items():
        first = get_instrument(config.measures[name])
        if scale not in first.scale_ids:
            msg = (
                f"analyses.fremgang.scales: {scale!r} is not a scale of {first.id}; "
                f"scales: {', '.join(first.scale_ids)}"
            )
            raise ValueError(msg)
