"""Study reports per time point: where the rows went (coverage) and one scale's summary.

Both count every input row: a row is ``not_given`` (every item blank) or a
measurement (``given``/``measured``), and a measurement is scored (``n``) or
``not_scored``. With ``paired=(a, b)`` the rows of persons not scored at both a
and b are counted as ``left_out``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.cohort.stats import IntervalMethod, check_interval, mean_interval
from trivselscore.errors import CohortDataError
from trivselscore.study.cells import Ledger
from trivselscore.study.reports import CoverageReport, CoverageRow, SummaryReport, SummaryRow

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.cohort.stats import MeanInterval
    from trivselscore.study.measures import Measure
    from trivselscore.study.view import StudyView

__all__ = ["NO_BAND", "coverage", "summary"]

NO_BAND = ("no_band", "no band", "ingen grænse")
"""The last band of a summary: scores that no band table covers (e.g. outside the age range)."""

_GIVEN, _NOT_GIVEN, _ABSENT = 2, 1, 0


def coverage(study: StudyView, *, by: Sequence[str], min_cell: int, hide_zero: bool) -> CoverageReport:
    """Per measure, time point and group: rows = not given + given; given split by version."""
    ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval="wilson", confidence=0.95)
    parts = study.partition(by)
    plan = []
    for name, measure in study.measures.items():
        state = study.state(name)
        version = study.spread(measure.version, -1)
        outside = study.outside(name)
        ids = [v.id for v in measure.versions]
        for t, label in enumerate(study.time_points):
            for group, members in parts:
                key = (name, label, group)
                given = members & (state[:, t] == _GIVEN)
                ledger.add((*key, "rows"), int((members & (state[:, t] != _ABSENT)).sum()))
                ledger.add((*key, "not_given"), int((members & (state[:, t] == _NOT_GIVEN)).sum()))
                ledger.add((*key, "given"), int(given.sum()), keep=True)
                ledger.add((*key, "outside"), int((given & outside[:, t]).sum()))
                for v, version_id in enumerate(ids):
                    ledger.add((*key, version_id), int((given & (version[:, t] == v)).sum()))
                ledger.relate((*key, "rows"), [(*key, "not_given"), (*key, "given")])
                ledger.relate((*key, "given"), [(*key, v) for v in ids])
                plan.append((key, ids))
            for column in ("rows", "not_given", "given", "outside", *ids):
                ledger.relate((name, label, "all", column), [(name, label, g, column) for g, _ in parts[1:]])
    ledger.close()
    rows = [
        CoverageRow(
            measure=key[0],
            time=key[1],
            group=key[2],
            rows=ledger.count((*key, "rows")),
            not_given=ledger.count((*key, "not_given")),
            given=ledger.count((*key, "given")),
            outside_age_range=ledger.count((*key, "outside")),
            versions=ledger.shares([(v, v, v) for v in ids], [(*key, v) for v in ids], (*key, "given")),
        )
        for key, ids in plan
    ]
    return CoverageReport(
        min_cell=min_cell,
        hide_zero=hide_zero,
        interval="wilson",
        confidence=0.95,
        by=tuple(by),
        rows=tuple(rows),
        n_rows=study.n_rows,
    )


def summary(  # noqa: PLR0913 - the report's options, all named by Study.summary
    study: StudyView,
    measure: str,
    scale: str,
    *,
    by: Sequence[str],
    paired: tuple[str, str] | None,
    scheme: str | None,
    min_cell: int,
    hide_zero: bool,
    interval: IntervalMethod,
    confidence: float,
    t_scores: bool = False,
) -> SummaryReport:
    """Per time point and group of one measure's scale: counts, mean, SD and band shares.

    With ``t_scores``, also the mean and SD of the T-scores (``t_mean``, ``t_sd``)
    of the scored persons who have one (a norm row for their sex and age); how
    many those are is never shown, and the statistics are hidden when they are
    fewer than ``min_cell`` or could be worked back.

    Raises:
        CohortDataError: An unknown measure, time point or group column, or
            ``paired`` naming one time point twice.
        UnknownScaleError: No such scale.
        ValueError: An unknown scheme or interval method, or a bad ``min_cell``.
    """
    check_interval(interval, confidence)
    found = study.measure(measure)
    found.check_scale(scale)
    values, state, outside = study.values(measure, scale), study.state(measure), study.outside(measure)
    normed = study.spread(found.t_scores(scale), np.nan) if t_scores else None
    keys, row_bands = found.bands(scale, scheme)
    labels = [*keys, NO_BAND] if keys else []
    bands = study.spread(row_bands, None)
    scope = np.ones(study.n_persons, dtype=np.bool_)
    if paired is not None:
        a, b = (study.time_index(label) for label in paired)
        if a == b:
            msg = f"paired names one time point twice: {paired}"
            raise CohortDataError(msg, problem="unknown_time")
        scope = ~np.isnan(values[:, a]) & ~np.isnan(values[:, b])
    ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval=interval, confidence=confidence)
    parts = study.partition(by)
    plan = []
    band_keys = [f"band:{k[0]}" for k in labels]
    columns = ("rows", "left_out", "not_given", "measured", "n", "not_scored", "outside", *band_keys)
    if normed is not None:
        columns += ("t_n", "t_none")
    for t, label in enumerate(study.time_points):
        for group, members in parts:
            key = (label, group)
            inside = members & scope
            measured = inside & (state[:, t] == _GIVEN)
            scored = measured & ~np.isnan(values[:, t])
            counts = {
                "rows": members & (state[:, t] != _ABSENT),
                "left_out": members & ~scope & (state[:, t] != _ABSENT),
                "not_given": inside & (state[:, t] == _NOT_GIVEN),
                "measured": measured,
                "n": scored,
                "not_scored": measured & np.isnan(values[:, t]),
                "outside": measured & outside[:, t],
            }
            for name, mask in counts.items():
                ledger.add((*key, name), int(mask.sum()), keep=name == "n")
            banded = [int((scored & (bands[:, t] == k[0])).sum()) for k in keys]
            for band, count in zip(band_keys, [*banded, int(scored.sum()) - sum(banded)], strict=False):
                ledger.add((*key, band), count)
            if labels:
                ledger.relate((*key, "n"), [(*key, band) for band in band_keys])
            ledger.relate((*key, "rows"), [(*key, "left_out"), (*key, "not_given"), (*key, "measured")])
            ledger.relate((*key, "measured"), [(*key, "n"), (*key, "not_scored")])
            t_stats = None if normed is None else _t_counts(ledger, key, scored, normed[:, t])
            plan.append((key, mean_interval(values[scored, t].tolist()), t_stats))
        for column in columns:
            ledger.relate((label, "all", column), [(label, g, column) for g, _ in parts[1:]])
    ledger.close()
    rows = [
        SummaryRow(
            measure=measure,
            scale=scale,
            time=key[0],
            group=key[1],
            rows=ledger.count((*key, "rows")),
            left_out=ledger.count((*key, "left_out")),
            not_given=ledger.count((*key, "not_given")),
            measured=ledger.count((*key, "measured")),
            n=ledger.count((*key, "n")),
            not_scored=ledger.count((*key, "not_scored")),
            outside_age_range=ledger.count((*key, "outside")),
            mean=ledger.statistic(stats.mean, (*key, "n")),
            sd=ledger.statistic(stats.sd, (*key, "n")),
            bands=ledger.shares(labels, [(*key, band) for band in band_keys], (*key, "n")),
            t_mean=None if t_stats is None else ledger.statistic(t_stats.mean, (*key, "t_n")),
            t_sd=None if t_stats is None else ledger.statistic(t_stats.sd, (*key, "t_n")),
        )
        for key, stats, t_stats in plan
    ]
    low, high = found.instrument.scale_range(scale)
    return SummaryReport(
        min_cell=min_cell,
        hide_zero=hide_zero,
        interval=interval,
        confidence=confidence,
        by=tuple(by),
        measure=measure,
        instrument_ids=tuple(v.id for v in found.versions),
        scale=scale,
        scheme=scheme,
        paired=paired,
        time_points=study.time_points,
        cutoffs=found.cutoffs(scale, scheme),
        scale_range=(float(low), float(high)),
        rows=tuple(rows),
        norms=_norms(found, scale) if t_scores else None,
        band_note=found.band_note(scale, scheme),
    )


def _t_counts(
    ledger: Ledger, key: tuple[str, str], scored: NDArray[np.bool_], normed: NDArray[np.float64]
) -> MeanInterval:
    """Count (unpublished) the scored with and without a T-score; the T-scores' mean and SD."""
    has_t = scored & ~np.isnan(normed)
    ledger.add((*key, "t_n"), int(has_t.sum()), published=False)
    ledger.add((*key, "t_none"), int((scored & ~has_t).sum()), published=False)
    ledger.relate((*key, "n"), [(*key, "t_n"), (*key, "t_none")])
    return mean_interval(normed[has_t].tolist())


def _norms(found: Measure, scale: str) -> str | None:
    """The norm tables the T-scores come from (``id: label``), or None if no version has one."""
    tables = [found.norm_table(scale, v) for v in range(len(found.versions))]
    named = {t.id: f"{t.id}: {t.label}" for t in tables if t is not None}
    return "; ".join(named.values()) or None
