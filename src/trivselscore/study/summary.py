"""Study reports per time point: where the rows went (coverage) and one scale's summary.

Both count every input row: a row is ``not_given`` (every item blank) or a
measurement (``given``/``measured``), and a measurement is scored (``n``) or
``not_scored``. With ``paired=(a, b)`` the rows of persons not scored at both a
and b are counted as ``left_out``.

Each report is made in two steps: a *plan* registers its counts, under keys that
name the people counted, in a :class:`~trivselscore.study.cells.Ledger`, and
returns the function that builds the report once the Ledger is solved. A report
asked for on its own solves its own Ledger; a release
(:mod:`trivselscore.study.release`) registers every report in one Ledger and
solves it once, so that the same number is protected everywhere at once.

Keys: ``("rows", time, group)`` (persons with a row: the same for every measure),
``("not_given" | "given" | "outside", measure, time, group)``,
``("scored" | "not_scored", measure, scale, time, group)``,
``("band", measure, scale, schemes, band, time, group)``,
``("t_n" | "t_none", measure, scale, time, group)`` (the scored with and without a
T-score: counted, never shown) and ``("version", measure, time, group, id)``; a
``paired`` summary appends ``("paired", a, b)`` to the keys it restricts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.cohort import Cell
from trivselscore.cohort.stats import IntervalMethod, check_interval, mean_interval
from trivselscore.errors import CohortDataError
from trivselscore.study.cells import ALL, Ledger, Role, group_key, same_people
from trivselscore.study.reports import CoverageReport, CoverageRow, SummaryReport, SummaryRow

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.cohort.stats import MeanInterval
    from trivselscore.study.measures import Measure
    from trivselscore.study.view import StudyView

__all__ = ["NO_BAND", "coverage", "coverage_plan", "summary", "summary_plan"]

NO_BAND = ("no_band", "no band", "ingen grænse")
"""The last band of a summary: scores that no band table covers (e.g. outside the age range)."""

_GIVEN, _NOT_GIVEN, _ABSENT = 2, 1, 0


def coverage(study: StudyView, *, by: Sequence[str], min_cell: int, hide_zero: bool) -> CoverageReport:
    """Per measure, time point and group: rows = not given + given; given split by version."""
    ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval="wilson", confidence=0.95)
    render = coverage_plan(study, ledger, by=by)
    ledger.close()
    return render()


def coverage_plan(study: StudyView, ledger: Ledger, *, by: Sequence[str]) -> Callable[[], CoverageReport]:
    """Register the coverage report's counts; the function that builds it once ``ledger`` is solved."""
    parts = study.partition(by)
    plan = []
    for name, measure in study.measures.items():
        state = study.state(name)
        version = study.spread(measure.version, -1)
        outside = study.outside(name)
        ids = [v.id for v in measure.versions]
        for t, label in enumerate(study.time_points):
            groups = []
            for i, (group, members) in enumerate(parts):
                g = group_key(by, group, total=i == 0)
                groups.append(g)
                keys = _measure_keys(name, label, g)
                given = members & (state[:, t] == _GIVEN)
                total = i == 0
                ledger.put(
                    keys["rows"],
                    int((members & (state[:, t] != _ABSENT)).sum()),
                    table="coverage",
                    column="rows",
                    total_row=total,
                )
                ledger.put(
                    keys["not_given"],
                    int((members & (state[:, t] == _NOT_GIVEN)).sum()),
                    table="coverage",
                    column="not_given",
                    total_row=total,
                )
                ledger.put(
                    keys["given"],
                    int(given.sum()),
                    table="coverage",
                    column="given",
                    keep=True,
                    total_row=total,
                )
                ledger.put(
                    keys["outside"],
                    int((given & outside[:, t]).sum()),
                    table="coverage",
                    column="outside",
                    total_row=total,
                )
                for v, version_id in enumerate(ids):
                    ledger.put(
                        ("version", name, label, g, version_id),
                        int((given & (version[:, t] == v)).sum()),
                        table="coverage",
                        column="version",
                        total_row=total,
                    )
                ledger.relate(keys["rows"], [keys["not_given"], keys["given"]])
                ledger.relate(keys["given"], [("version", name, label, g, v) for v in ids])
                plan.append((name, label, group, keys, ids, g))
            _across(ledger, [_measure_keys(name, label, g) for g in groups])
            for version_id in ids:
                ledger.relate(
                    ("version", name, label, ALL, version_id),
                    [("version", name, label, g, version_id) for g in groups[1:]],
                )

    def render() -> CoverageReport:
        rows = [
            CoverageRow(
                measure=name,
                time=label,
                group=group,
                rows=ledger.count(keys["rows"]),
                not_given=ledger.count(keys["not_given"]),
                given=ledger.count(keys["given"]),
                outside_age_range=ledger.count(keys["outside"]),
                versions=ledger.shares(
                    [(v, v, v) for v in ids], [("version", name, label, g, v) for v in ids], keys["given"]
                ),
            )
            for name, label, group, keys, ids, g in plan
        ]
        return CoverageReport(
            min_cell=ledger.min_cell,
            hide_zero=ledger.hide_zero,
            interval="wilson",
            confidence=0.95,
            by=tuple(by),
            rows=tuple(rows),
            n_rows=study.n_rows,
        )

    return render


def _measure_keys(
    measure: str, label: str, g: Hashable, scope: tuple[Hashable, ...] = ()
) -> dict[str, Hashable]:
    return {
        "rows": ("rows", label, g),
        "not_given": ("not_given", measure, label, g, *scope),
        "given": ("given", measure, label, g, *scope),
        "outside": ("outside", measure, label, g, *scope),
    }


def _across(ledger: Ledger, blocks: Sequence[dict[str, Hashable]]) -> None:
    """Every column's total row = the sum of the groups' (``blocks[0]`` is the total row's keys)."""
    if len(blocks) < 2:  # noqa: PLR2004 - a total row and at least one group
        return
    for column, total in blocks[0].items():
        ledger.relate(total, [block[column] for block in blocks[1:]])


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
    ledger = Ledger(min_cell=min_cell, hide_zero=hide_zero, interval=interval, confidence=confidence)
    render = summary_plan(
        study, ledger, measure, scale, by=by, paired=paired, scheme=scheme, t_scores=t_scores
    )
    ledger.close()
    return render()


def summary_plan(  # noqa: PLR0913 - the report's options, all named by Study.summary
    study: StudyView,
    ledger: Ledger,
    measure: str,
    scale: str,
    *,
    by: Sequence[str],
    paired: tuple[str, str] | None,
    scheme: str | None,
    table: str = "summary",
    t_scores: bool = False,
) -> Callable[[], SummaryReport]:
    """Register one summary's counts; the function that builds it once ``ledger`` is solved.

    Raises:
        CohortDataError, UnknownScaleError, ValueError: As :func:`summary`.
    """
    found = study.measure(measure)
    found.check_scale(scale)
    values, state, outside = study.values(measure, scale), study.state(measure), study.outside(measure)
    normed = study.spread(found.t_scores(scale), np.nan) if t_scores else None
    keys, row_bands = found.bands(scale, scheme)
    labels = [*keys, NO_BAND] if keys else []
    bands = study.spread(row_bands, None)
    schemes = tuple(s.id if s is not None else None for s in found.schemes(scale, scheme))
    people = same_people(found.instrument, scale)
    scope_mask = np.ones(study.n_persons, dtype=np.bool_)
    scope: tuple[Hashable, ...] = ()
    if paired is not None:
        a, b = (study.time_index(label) for label in paired)
        if a == b:
            msg = f"paired names one time point twice: {paired}"
            raise CohortDataError(msg, problem="unknown_time")
        scope_mask = ~np.isnan(values[:, a]) & ~np.isnan(values[:, b])
        scope = (("paired", *paired),)
    parts = study.partition(by)
    plan = []
    for t, label in enumerate(study.time_points):
        blocks = []
        for i, (group, members) in enumerate(parts):
            g = group_key(by, group, total=i == 0)
            cells = _summary_keys(
                measure,
                scales=(scale, people),
                schemes=schemes,
                bands=[k[0] for k in labels],
                label=label,
                g=g,
                scope=scope,
            )
            if normed is not None:
                cells |= {name: (name, measure, scale, label, g, *scope) for name in ("t_n", "t_none")}
            blocks.append(cells)
            inside = members & scope_mask
            measured = inside & (state[:, t] == _GIVEN)
            scored = measured & ~np.isnan(values[:, t])
            masks = {
                "rows": members & (state[:, t] != _ABSENT),
                "not_given": inside & (state[:, t] == _NOT_GIVEN),
                "given": measured,
                "n": scored,
                "not_scored": measured & np.isnan(values[:, t]),
                "outside": measured & outside[:, t],
            }
            if paired is not None:
                masks["left_out"] = members & ~scope_mask & (state[:, t] != _ABSENT)
            banded = [int((scored & (bands[:, t] == k[0])).sum()) for k in keys]
            counts = {name: int(mask.sum()) for name, mask in masks.items()}
            counts |= {
                f"band:{band[0]}": c
                for band, c in zip(labels, [*banded, counts["n"] - sum(banded)], strict=False)
            }
            _put_row(ledger, cells, counts, table=table, total=i == 0)
            if ledger.shown is not None:  # a release prints the persons of a group elsewhere
                _absent(ledger, members, masks["rows"], label, g, table=table, total=i == 0)
            t_stats = None if normed is None else _t_counts(ledger, cells, scored, normed[:, t], table=table)
            plan.append((label, group, cells, mean_interval(values[scored, t].tolist()), t_stats))
        _across(
            ledger, [{k: v for k, v in b.items() if k != "left_out" or paired is not None} for b in blocks]
        )
        if ledger.shown is not None:
            others = [group_key(by, group, total=False) for group, _ in parts[1:]]
            ledger.relate(("absent", label, ALL), [("absent", label, g) for g in others])
            ledger.relate(("persons", ALL), [("persons", g) for g in others])

    def render() -> SummaryReport:
        zero = Cell(value=0)
        rows = [
            SummaryRow(
                measure=measure,
                scale=scale,
                time=label,
                group=group,
                rows=ledger.count(cells["rows"]),
                left_out=ledger.count(cells["left_out"]) if paired is not None else zero,
                not_given=ledger.count(cells["not_given"]),
                measured=ledger.count(cells["given"]),
                n=ledger.count(cells["n"]),
                not_scored=ledger.count(cells["not_scored"]),
                outside_age_range=ledger.count(cells["outside"]),
                mean=ledger.statistic(stats.mean, cells["n"]),
                sd=ledger.statistic(stats.sd, cells["n"]),
                bands=ledger.shares(labels, [cells[f"band:{k[0]}"] for k in labels], cells["n"]),
                t_mean=None if t_stats is None else ledger.statistic(t_stats.mean, cells["t_n"]),
                t_sd=None if t_stats is None else ledger.statistic(t_stats.sd, cells["t_n"]),
            )
            for label, group, cells, stats, t_stats in plan
        ]
        low, high = found.instrument.scale_range(scale)
        return SummaryReport(
            min_cell=ledger.min_cell,
            hide_zero=ledger.hide_zero,
            interval=ledger.interval,
            confidence=ledger.confidence,
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

    return render


def _put_row(
    ledger: Ledger, cells: dict[str, Hashable], counts: dict[str, int], *, table: str, total: bool
) -> None:
    """One time point and group: its counts; rows = (left out +) not given + given; given = n + not scored."""
    for name, count in counts.items():
        role: Role = "result" if name.startswith("band:") else "denominator" if name == "n" else "auxiliary"
        column = "band" if name.startswith("band:") else name
        ledger.put(
            cells[name], count, table=table, column=column, role=role, keep=name == "n", total_row=total
        )
    bands = [cells[k] for k in counts if k.startswith("band:")]
    if bands:
        ledger.relate(cells["n"], bands)
    ledger.relate(cells["rows"], [cells[k] for k in ("left_out", "not_given", "given") if k in counts])
    ledger.relate(cells["given"], [cells["n"], cells["not_scored"]])


def _absent(  # noqa: PLR0913 - one group at one time point
    ledger: Ledger,
    members: NDArray[np.bool_],
    rows: NDArray[np.bool_],
    label: str,
    g: Hashable,
    *,
    table: str,
    total: bool,
) -> None:
    """The group's persons = those with a row at this time point + those without (counted, never shown)."""
    ledger.put(
        ("persons", g), int(members.sum()), table=table, column="persons", total_row=total, field=False
    )
    absent = ("absent", label, g)
    ledger.put(
        absent, int((members & ~rows).sum()), table=table, column="absent", total_row=total, field=False
    )
    ledger.relate(("persons", g), [("rows", label, g), absent])


def _summary_keys(  # noqa: PLR0913 - what one summary cell counts
    measure: str,
    *,
    scales: tuple[str, str],
    schemes: tuple[str | None, ...],
    bands: Sequence[str],
    label: str,
    g: Hashable,
    scope: tuple[Hashable, ...],
) -> dict[str, Hashable]:
    keys = _measure_keys(measure, label, g, scope)
    keys["left_out"] = ("left_out", measure, label, g, *scope)
    scale, people = scales
    keys["n"] = ("scored", measure, people, label, g, *scope)
    keys["not_scored"] = ("not_scored", measure, people, label, g, *scope)
    for band in bands:
        keys[f"band:{band}"] = ("band", measure, scale, schemes, band, label, g, *scope)
    return keys


def _t_counts(
    ledger: Ledger,
    cells: dict[str, Hashable],
    scored: NDArray[np.bool_],
    normed: NDArray[np.float64],
    *,
    table: str,
) -> MeanInterval:
    """Count (never shown) the scored with and without a T-score; the T-scores' mean and SD."""
    has_t = scored & ~np.isnan(normed)
    for name, mask in (("t_n", has_t), ("t_none", scored & ~has_t)):
        ledger.put(cells[name], int(mask.sum()), table=table, column=name, field=False)
    ledger.relate(cells["n"], [cells["t_n"], cells["t_none"]])
    return mean_interval(normed[has_t].tolist())


def _norms(found: Measure, scale: str) -> str | None:
    """The norm tables the T-scores come from (``id: label``), or None if no version has one."""
    tables = [found.norm_table(scale, v) for v in range(len(found.versions))]
    named = {t.id: f"{t.id}: {t.label}" for t in tables if t is not None}
    return "; ".join(named.values()) or None
