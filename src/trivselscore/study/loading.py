"""Load one measure of a study: choose each row's version, find its columns, score it.

:func:`load` builds a :class:`~trivselscore.study.measures.Measure` (see that
module for what a measure holds); :func:`choose` picks each row's version (by a
column, or by the respondent's age) and :func:`versions_of` reads how a measure
was named.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.definitions import Instrument, NormTable, Respondent
from trivselscore.definitions.forms import age_family_problem, version_for_age
from trivselscore.definitions.instrument import resolve_norms
from trivselscore.engine import BatchScores, MissingPolicy, score_batch
from trivselscore.errors import CohortDataError, ResponseError
from trivselscore.instruments.registry import get_instrument
from trivselscore.study.columns import measure_columns
from trivselscore.study.measures import Measure, Spec, Versions

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.study.table import Layout, Table

__all__ = ["choose", "covers", "load", "norm_tables", "versions_of"]


def versions_of(name: str, spec: Spec) -> tuple[tuple[Instrument, ...], str | None, bool]:
    """(versions, version column, chosen by age) of a measure's spec.

    Raises:
        CohortDataError: No version, versions whose scales differ, or versions
            chosen by age without an age range each or with ranges that share a year.
        UnknownInstrumentError: An unknown instrument id.
    """
    column = None
    if isinstance(spec, str | Instrument):
        items: Sequence[str | Instrument] = (spec,)
    elif isinstance(spec, Versions):
        items, column = spec.ids, spec.column
    else:
        items = tuple(spec)
    versions = tuple(v if isinstance(v, Instrument) else get_instrument(v) for v in items)
    if not versions:
        msg = f"measure {name!r} names no instrument"
        raise CohortDataError(msg, problem="unknown_measure")
    for other in versions[1:]:
        if other.scale_ids != versions[0].scale_ids:
            msg = (
                f"measure {name!r}: versions {versions[0].id!r} and {other.id!r} have different scales "
                f"({list(versions[0].scale_ids)} vs {list(other.scale_ids)}); make them two measures"
            )
            raise CohortDataError(msg, problem="unknown_measure")
    by_age = column is None and len(versions) > 1
    problem = age_family_problem(versions) if by_age else None
    if problem is not None:
        msg = f"measure {name!r}: {problem}"
        raise CohortDataError(msg, problem="versions")
    return versions, column, by_age


def covers(instrument: Instrument, age: float) -> bool:
    """Whether the age (in completed years) lies in the version's age range (None: any age)."""
    if instrument.age_range is None:
        return True
    low, high = instrument.age_range
    return low <= math.floor(age) <= high


def choose(  # noqa: PLR0913 - a measure's versions and the rows to choose for
    name: str,
    versions: tuple[Instrument, ...],
    *,
    column: str | None,
    by_age: bool,
    table: Table,
    lay: Layout,
    given: NDArray[np.bool_],
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Each row's version (-1 where the form was not given) and its outside-age-range flag.

    Raises:
        CohortDataError: A given form whose version column is blank or names an
            unknown version, or whose age is missing when versions are chosen by age.
    """
    version = np.full(table.n_rows, -1, dtype=np.intp)
    outside = np.zeros(table.n_rows, dtype=np.bool_)
    ids = [v.id for v in versions]
    rows = np.flatnonzero(given)
    ages = lay.ages[rows]
    if column is not None:
        choice = _named(name, ids, column=column, table=table, rows=rows)
    elif by_age:
        blank = np.flatnonzero(np.isnan(ages))
        if blank.size:
            row = int(rows[blank[0]])
            msg = (
                f"measure {name!r}: {table.describe(row)} has no age, and its version ({', '.join(ids)}) "
                "is chosen by age; give the age or a Versions(..., column=) naming each row's version"
            )
            raise CohortDataError(msg, problem="missing_age", rows=[row])
        distinct, at = np.unique(ages, return_inverse=True)
        picked = [version_for_age(versions, age)[0] for age in distinct.tolist()]
        choice = np.asarray(picked, dtype=np.intp)[at.reshape(-1)]
    else:
        choice = np.zeros(rows.size, dtype=np.intp)
    version[rows] = choice
    years = np.floor(ages)
    for v, instrument in enumerate(versions):
        if instrument.age_range is not None:
            low, high = instrument.age_range
            outside[rows] |= (choice == v) & ~np.isnan(ages) & ~((low <= years) & (years <= high))
    return version, outside


def _named(
    name: str, ids: list[str], *, column: str, table: Table, rows: NDArray[np.intp]
) -> NDArray[np.intp]:
    """Each given row's version, named in ``column``; an unknown or blank name raises, naming the row."""
    named = table.values(column)
    index = {version: k for k, version in enumerate(ids)}
    choice = np.empty(rows.size, dtype=np.intp)
    for i, row in enumerate(rows.tolist()):
        value = named[row]
        found = index.get(value) if isinstance(value, str) else None
        if found is None:
            where = f"measure {name!r}, column {column!r}, {table.describe(row)}"
            msg = f"{where}: {value!r} is not one of {ids}"
            raise CohortDataError(msg, problem="bad_value", rows=[row])
        choice[i] = found
    return choice


def load(  # noqa: PLR0913 - one measure's inputs
    name: str,
    spec: Spec,
    table: Table,
    lay: Layout,
    *,
    columns: Mapping[str, str | None] | None,
    scores: Mapping[str, str] | None,
    missing: MissingPolicy,
    bare: bool,
    norms: NormTable | str | None = None,
    declared: Sequence[str] = (),
) -> Measure:
    """Score one measure on every row where its form was given (see the module docstring).

    ``declared`` names optional blocks (or items) that were not collected; the
    scales that need them are not collected, as are, with ``scores``, the scales
    given no score column.

    Raises:
        CohortDataError: See :func:`~trivselscore.study.columns.item_columns` and
            :func:`choose`; a score outside
            the scale's range; ``norms`` that do not fit a version (an unknown
            table id, a scale the version lacks, T-scores out of range).
        UnknownScaleError: ``scores`` names a scale the measure lacks.
        ResponseError: An answer that is not an allowed code (naming the row, person and column).
    """
    versions, column, by_age = versions_of(name, spec)
    first = versions[0]
    tables = norm_tables(name, versions, norms)
    mapping, not_collected = measure_columns(
        name, versions, table.names, columns=columns, scores=scores, bare=bare, declared=declared
    )
    numbers = {
        c: table.numbers(c, what=f"measure {name!r}, ") for m in mapping.values() for c in m.values() if c
    }
    given = np.zeros(table.n_rows, dtype=np.bool_)
    for column_values in numbers.values():
        given |= ~np.isnan(column_values)
    version, outside = choose(name, versions, column=column, by_age=by_age, table=table, lay=lay, given=given)
    values = {s: np.full(table.n_rows, np.nan) for s in first.scale_ids}
    batches: list[BatchScores | None] = []
    for v, instrument in enumerate(versions):
        rows = np.flatnonzero(version == v)
        batch = None
        if scores is not None:
            for scale, col in scores.items():
                values[scale][rows] = _in_range(
                    name, instrument, scale, values=numbers[col][rows], column=col, rows=rows, table=table
                )
        elif rows.size:
            batch = _score(
                name,
                instrument,
                columns=mapping[instrument.id],
                numbers=numbers,
                rows=rows,
                lay=lay,
                table=table,
                missing=missing,
                norms=tables[v],
            )
            for scale in first.scale_ids:
                values[scale][rows] = np.nan if scale in not_collected else batch[scale]
        batches.append(batch)
    return Measure(
        name=name,
        versions=versions,
        chosen_by=f"column {column!r}" if column else ("age" if by_age else "single version"),
        given=given,
        version=version,
        outside=outside,
        values=values,
        columns=mapping,
        from_items=scores is None,
        batches=tuple(batches),
        ages=lay.ages,
        sexes=lay.sexes,
        norms=tables,
        not_collected=not_collected,
    )


def norm_tables(
    name: str, versions: tuple[Instrument, ...], norms: NormTable | str | None
) -> tuple[NormTable | None, ...]:
    """Each version's norm table: ``norms`` (checked against it), else its first shipped one."""
    out: list[NormTable | None] = []
    for version in versions:
        try:
            out.append(resolve_norms(version, norms))
        except ValueError as error:
            msg = f"norms[{name!r}]: {str(error).splitlines()[0]}"
            raise CohortDataError(msg, problem="bad_value") from None
    return tuple(out)


def _in_range(  # noqa: PLR0913 - the values and where they came from
    name: str,
    instrument: Instrument,
    scale: str,
    *,
    values: NDArray[np.float64],
    column: str,
    rows: NDArray[np.intp],
    table: Table,
) -> NDArray[np.float64]:
    low, high = instrument.scale_range(scale)
    bad = np.flatnonzero(~np.isnan(values) & ((values < low) | (values > high)))
    if bad.size:
        row = int(rows[bad[0]])
        msg = (
            f"measure {name!r}, column {column!r}, {table.describe(row)}: {values[bad[0]]:g} is outside "
            f"{instrument.id}/{scale}'s range {low}-{high}"
        )
        raise CohortDataError(msg, problem="bad_value", rows=rows[bad[:20]].tolist())
    return values


def _people(lay: Layout, rows: NDArray[np.intp]) -> list[Respondent | None]:
    """Each row's respondent (its age and sex; None with neither), one object per distinct pair."""
    sexes = [lay.sexes[r] for r in rows.tolist()]
    words = [None, *dict.fromkeys(s for s in sexes if s is not None)]
    kind_of = {word: k for k, word in enumerate(words)}
    sex = np.fromiter(map(kind_of.__getitem__, sexes), dtype=np.intp, count=len(sexes))
    ages = lay.ages[rows]
    distinct, at = np.unique(np.where(np.isnan(ages), -1.0, ages), return_inverse=True)
    pairs, where = np.unique(at.reshape(-1) * len(words) + sex, return_inverse=True)
    made: list[Respondent | None] = []
    for pair in pairs.tolist():
        age_at, kind = divmod(pair, len(words))
        age = float(distinct[age_at])
        known = None if age < 0 else age  # -1 stands for no age (ages are checked to lie in 0-130)
        made.append(None if known is None and words[kind] is None else Respondent(age=known, sex=words[kind]))
    return [made[k] for k in where.reshape(-1).tolist()]


def _score(  # noqa: PLR0913 - one version's rows and their context
    name: str,
    instrument: Instrument,
    *,
    columns: Mapping[str, str | None],
    numbers: Mapping[str, NDArray[np.float64]],
    rows: NDArray[np.intp],
    lay: Layout,
    table: Table,
    missing: MissingPolicy,
    norms: NormTable | None,
) -> BatchScores:
    matrix = np.full((rows.size, len(instrument.item_ids)), np.nan)
    for j, item_id in enumerate(instrument.item_ids):
        column = columns.get(item_id)
        if column is not None:
            matrix[:, j] = numbers[column][rows]
    people = _people(lay, rows)
    try:
        return score_batch(instrument, matrix, missing=missing, respondent=people, norms=norms)
    except ResponseError as error:
        if error.row is None:
            raise
        row = int(rows[error.row])
        column = columns.get(error.item_id or "", None)
        text = str(error.args[0]).split(": ", 1)[-1].rsplit(" (row ", 1)[0]
        msg = f"measure {name!r}, column {column!r}, {table.describe(row)}: {text}"
        raise type(error)(
            msg,
            instrument_id=error.instrument_id,
            item_id=error.item_id,
            value=error.value,
            allowed=error.allowed,
            row=row,
        ) from None
