"""A Study from a Dask DataFrame: items scored per partition, everything else as in one process.

:func:`from_dask` takes the arguments of :meth:`Study.from_long`, and a
:class:`dask.dataframe.DataFrame` (one row per person and time point, in any
number of partitions, on any cluster) instead of an in-memory table. It gives
the same :class:`~trivselscore.study.Study`, so every report, the release and
its suppression are the one-process code, on the same numbers:

1. The columns that are not item (or score) columns (person, time point,
   groups, sex, age, covariates) are brought to this process and checked as
   :meth:`Study.from_long` checks them (unknown time points, duplicates,
   groups that change), with the rows numbered as in the whole frame.
2. Each partition is scored where it lies (``map_partitions``) by the same
   loader as in one process (:func:`~trivselscore.study.loading.load`: each
   row's version, the one engine, bands): it sends back, per row and measure,
   whether the form was given, its version, the outside-age-range flag, each
   scale's score and each band as a small integer code. A row's score and
   band depend on that row alone, so where a partition boundary falls changes
   nothing.
3. Those compact per-row arrays (a few bytes a row per scale) are put
   together in row order into the measures a one-process Study holds.

Counts, means and SDs are then taken by the report code from those arrays, so
no statistic is computed twice or combined from partial sums. What stays in
one process is what needs the whole data anyway: the checks across rows
(one person's rows may lie in two partitions), the reports, the suppression
of the release and the figures.

Needs the extra ``dask`` (``dask[dataframe]``; ``distributed`` for a cluster).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from trivselscore.engine import BatchScores
from trivselscore.errors import CohortDataError
from trivselscore.study.columns import measure_columns
from trivselscore.study.loading import load, norm_tables, versions_of
from trivselscore.study.measures import Measure
from trivselscore.study.study import Study, check_options, check_owners
from trivselscore.study.table import layout
from trivselscore.study.table import read as read_table
from trivselscore.support import require

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions import CutoffScheme, Instrument, NormTable
    from trivselscore.engine import MissingPolicy
    from trivselscore.study.measures import Spec

__all__ = ["from_dask"]

_SEP = "\x1f"


def from_dask(  # noqa: PLR0913 - the arguments of Study.from_long, each named
    frame: Any,  # noqa: ANN401 - a dask.dataframe.DataFrame (an optional dependency)
    *,
    instruments: Mapping[str, Spec],
    time_points: Sequence[Hashable],
    person: str = "person",
    time: str = "time",
    groups: Sequence[str] = (),
    sex: str | None = None,
    age: str | None = None,
    columns: Mapping[str, Mapping[str, str | None]] | None = None,
    scores: Mapping[str, Mapping[str, str]] | None = None,
    missing: MissingPolicy = None,
    norms: Mapping[str, NormTable | str] | None = None,
    not_collected: Mapping[str, Sequence[str]] | None = None,
) -> Study:
    """The Study of a Dask DataFrame, items scored per partition (see the module docstring).

    Arguments and errors as :meth:`Study.from_long`; an error found while a
    partition is scored (an answer that is not a code) names the row by its
    number in the whole frame, its person and time point.

    Raises:
        ImportError: Dask is not installed (the extra ``dask``).
    """
    dask = require("dask", "dask")
    check_options(instruments, columns=columns, scores=scores, norms=norms, not_collected=not_collected)
    names = [str(c) for c in frame.columns]
    setup: dict[str, tuple[tuple[Instrument, ...], dict[str, dict[str, str | None]], dict[str, str]]] = {}
    for name, spec in instruments.items():
        versions = versions_of(name, spec)[0]
        setup[name] = (
            versions,
            *measure_columns(
                name,
                versions,
                tuple(names),
                columns=(columns or {}).get(name),
                scores=(scores or {}).get(name),
                bare=len(instruments) == 1,
                declared=tuple((not_collected or {}).get(name, ())),
            ),
        )
    read_by_measures = {
        c for _, mapping, _ in setup.values() for m in mapping.values() for c in m.values() if c
    }
    kept = [c for c in names if c not in read_by_measures]
    labels, lengths = dask.compute(frame[kept], frame.map_partitions(len))
    table = read_table(labels.reset_index(drop=True), person=person, time=time)
    if not table.n_rows:
        msg = "the data have no rows: nothing to report"
        raise CohortDataError(msg, problem="bad_value")
    lay = layout(table, time_points=time_points, groups=groups, sex=sex, age=age)
    options: dict[str, Any] = {
        "instruments": dict(instruments),
        "time_points": list(time_points),
        "person": person,
        "time": time,
        "sex": sex,
        "age": age,
        "columns": columns,
        "scores": scores,
        "missing": missing,
        "norms": norms,
        "not_collected": not_collected,
        "offsets": np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64))]).tolist(),
    }
    meta = score_partition(frame._meta, **options)  # noqa: SLF001 - Dask's empty frame of the columns' types
    got = frame.map_partitions(score_partition, **options, meta=meta).compute()
    measures = {
        name: _measure(
            name,
            spec,
            got,
            lay=lay,
            setup=setup[name],
            norms=(norms or {}).get(name),
            from_items=(scores or {}).get(name) is None,
        )
        for name, spec in instruments.items()
    }
    check_owners(measures)
    return Study(table, lay, measures, tuple(str(t) for t in time_points))


def score_partition(  # noqa: PLR0913 - a partition and the study's options
    part: Any,  # noqa: ANN401 - a pandas DataFrame, one partition
    *,
    instruments: Mapping[str, Spec],
    time_points: Sequence[Hashable],
    person: str,
    time: str,
    sex: str | None,
    age: str | None,
    columns: Mapping[str, Mapping[str, str | None]] | None,
    scores: Mapping[str, Mapping[str, str]] | None,
    missing: MissingPolicy,
    norms: Mapping[str, NormTable | str] | None,
    not_collected: Mapping[str, Sequence[str]] | None,
    offsets: Sequence[int],
    partition_info: Mapping[str, Any] | None = None,
) -> Any:  # noqa: ANN401 - a pandas DataFrame
    """One partition's per-row arrays: per measure, given, version, outside, scores and band codes.

    Run by ``map_partitions`` where the partition lies; the columns are the
    same for every partition (an empty one included), so Dask's ``meta`` is
    this function's answer on the empty frame.
    """
    pandas = require("pandas", "pandas")
    number = 0 if partition_info is None else int(partition_info["number"])
    table = read_table(part, person=person, time=time, offset=int(offsets[number]) if offsets else 0)
    lay = layout(table, time_points=time_points, groups=(), sex=sex, age=age)
    out: dict[str, Any] = {}
    for name, spec in instruments.items():
        measure = load(
            name,
            spec,
            table,
            lay,
            columns=(columns or {}).get(name),
            scores=(scores or {}).get(name),
            missing=missing,
            bare=len(instruments) == 1,
            norms=(norms or {}).get(name),
            declared=tuple((not_collected or {}).get(name, ())),
        )
        out[f"{name}{_SEP}given"] = measure.given
        out[f"{name}{_SEP}version"] = measure.version.astype(np.int16)
        out[f"{name}{_SEP}outside"] = measure.outside
        for scale, values in measure.values.items():
            out[f"{name}{_SEP}value{_SEP}{scale}"] = values
        for v, batch in enumerate(measure.batches):
            for scheme, scale in _banded(measure.versions, measure.norms, v):
                codes = np.full(table.n_rows, -1, dtype=np.int16)
                if isinstance(batch, BatchScores):
                    found, ids = batch.band_codes(scale, scheme.id)
                    where = {band: k for k, band in enumerate(_band_ids(scheme, scale))}
                    remap = np.array([where[i] for i in ids] + [-1], dtype=np.int16)
                    codes[measure.version == v] = remap[np.asarray(found, dtype=np.intp)]
                out[_band_column(name, v, scheme.id, scale)] = codes
    return pandas.DataFrame(out, index=part.index)


def _banded(
    versions: tuple[Instrument, ...], tables: tuple[NormTable | None, ...], version: int
) -> list[tuple[CutoffScheme, str]]:
    """The (scheme, scale) pairs whose bands :meth:`Measure.bands` takes from the version's batch."""
    instrument = versions[version]
    table = tables[version] if version < len(tables) else None
    return [
        (scheme, scale)
        for scheme in instrument.schemes
        for scale in scheme.scale_ids
        if scale in instrument.scale_ids
        and (scheme.metric == "score" or (table is not None and scale in table.scale_ids))
    ]


def _band_ids(scheme: CutoffScheme, scale: str) -> list[str]:
    return list(dict.fromkeys(b.id for t in scheme.cutoffs if t.scale == scale for b in t.bands))


def _band_column(name: str, version: int, scheme: str, scale: str) -> str:
    return _SEP.join([name, "band", str(version), scheme, scale])


class Collected:
    """One version's bands, collected from the partitions: what :meth:`Measure.bands` asks a batch for."""

    def __init__(self, bands: dict[tuple[str, str], NDArray[np.object_]]) -> None:
        self._bands = bands

    def bands(self, scale_id: str, scheme: str | None = None) -> NDArray[np.object_]:
        """Band ids (None: no band) of the version's rows, in row order.

        Raises:
            KeyError: No such (scale, scheme) was collected.
        """
        return self._bands[(scale_id, str(scheme))]


def _measure(  # noqa: PLR0913 - one measure's answers from the partitions and its setup
    name: str,
    spec: Spec,
    got: Any,  # noqa: ANN401 - a pandas DataFrame: every partition's answer, in row order
    *,
    lay: Any,  # noqa: ANN401 - the Study's Layout
    setup: tuple[tuple[Instrument, ...], dict[str, dict[str, str | None]], dict[str, str]],
    norms: NormTable | str | None,
    from_items: bool,
) -> Measure:
    """The measure a one-process Study would hold, from the per-row arrays of the partitions."""
    versions, column, by_age = versions_of(name, spec)
    version = got[f"{name}{_SEP}version"].to_numpy(dtype=np.intp)
    tables = norm_tables(name, versions, norms)
    batches: list[Collected | None] = []
    for v in range(len(versions)):
        rows = version == v
        collected = {}
        for scheme, scale in _banded(versions, tables, v):
            names = np.array([*_band_ids(scheme, scale), None], dtype=object)
            codes = got[_band_column(name, v, scheme.id, scale)].to_numpy(dtype=np.intp)
            collected[(scale, scheme.id)] = names.take(codes[rows])
        batches.append(Collected(collected) if from_items and rows.any() else None)
    return Measure(
        name=name,
        versions=versions,
        chosen_by=f"column {column!r}" if column else ("age" if by_age else "single version"),
        given=got[f"{name}{_SEP}given"].to_numpy(dtype=np.bool_),
        version=version,
        outside=got[f"{name}{_SEP}outside"].to_numpy(dtype=np.bool_),
        values={
            scale: got[f"{name}{_SEP}value{_SEP}{scale}"].to_numpy(dtype=np.float64)
            for scale in versions[0].scale_ids
        },
        columns=setup[1],
        from_items=from_items,
        batches=tuple(batches),
        ages=lay.ages,
        sexes=lay.sexes,
        norms=tables,
        not_collected=setup[2],
    )
