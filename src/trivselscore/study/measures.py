"""One measure of a study: its versions, item (or score) columns, and every row's score.

A measure is a name (``"sdq"``) for one questionnaire, given as one instrument
id, several versions of one family chosen per row by the respondent's age
(:attr:`Instrument.age_range`, in completed years as the cutoff tables use
ages), or several versions named per row by a column (:class:`Versions`).
Versions chosen by age must each have an age range, and no two ranges may share
a year (:func:`trivselscore.definitions.forms.check_age_family`): the version
chosen is the one whose range holds the age.

Per input row the measure knows whether the form was given (a row whose item,
or score, columns are all blank is *not given*: no measurement), which version
scored it, whether the respondent's age lies outside every version's range
(``outside_age_range``: scored with the closest version, no bands), and the
score of every scale. A scale that needs items the data do not hold (an optional
block such as the SDQ impact supplement, or items declared not collected) is
*not collected*: :attr:`Measure.not_collected` gives the reason, and asking for
its scores raises :class:`~trivselscore.errors.CohortDataError` (problem
``"not_collected"``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.definitions import CutoffScheme, Instrument, Respondent
from trivselscore.definitions.forms import age_family_problem, version_for_age
from trivselscore.engine import BatchScores, MissingPolicy, score_batch
from trivselscore.errors import CohortDataError, ResponseError, UnknownScaleError
from trivselscore.instruments.registry import get_instrument
from trivselscore.study.columns import measure_columns

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.study.table import Layout, Table

__all__ = ["BandKey", "Measure", "Spec", "Versions", "choose", "covers", "load", "versions_of"]

BandKey = tuple[str, str, str]
"""A band's (id, English label, Danish label)."""


@dataclass(frozen=True)
class Versions:
    """Several versions of one questionnaire family, chosen per row.

    Args:
        ids: Instrument ids (or instruments), e.g. ``("sdq-s11-17", "sdq-s18")``.
        column: The column naming each row's version (an id from ``ids``);
            None: chosen by the respondent's age (the version whose
            ``age_range`` holds it; every version needs a range, and no two
            ranges may share a year).

    Examples:
        >>> Versions(["mfq-c", "mfq-a"], column="mfq_form").ids
        ('mfq-c', 'mfq-a')
    """

    ids: Sequence[str | Instrument]
    column: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", tuple(self.ids))


Spec = str | Instrument | Sequence[str | Instrument] | Versions
"""How a measure is named in ``Study.from_long(instruments=...)``."""


@dataclass(frozen=True)
class Measure:
    """The scores of one measure, per input row (see the module docstring)."""

    name: str
    versions: tuple[Instrument, ...]
    chosen_by: str
    given: NDArray[np.bool_]
    version: NDArray[np.intp]
    outside: NDArray[np.bool_]
    values: dict[str, NDArray[np.float64]]
    columns: dict[str, dict[str, str | None]]
    from_items: bool
    batches: tuple[BatchScores | None, ...] = field(repr=False)
    ages: NDArray[np.float64] = field(repr=False)
    sexes: tuple[str | None, ...] = field(repr=False)
    not_collected: dict[str, str] = field(default_factory=dict)

    @property
    def instrument(self) -> Instrument:
        """The first version: its change rules and scale definitions are used for the measure."""
        return self.versions[0]

    @property
    def scale_ids(self) -> tuple[str, ...]:
        """The scales every version has, but those not collected."""
        return tuple(s for s in self.instrument.scale_ids if s not in self.not_collected)

    def forms(self) -> dict[str, int]:
        """Version id -> the number of forms given that it scored (every version, 0 included)."""
        return {v.id: int(np.sum(self.given & (self.version == k))) for k, v in enumerate(self.versions)}

    def check_scale(self, scale: str) -> None:
        """Raise unless ``scale`` is a scale of every version, and was collected.

        Raises:
            CohortDataError: The scale was not collected (problem ``"not_collected"``).
            UnknownScaleError: No such scale.
        """
        if scale in self.not_collected:
            msg = f"measure {self.name!r}: scale {scale!r} is {self.not_collected[scale]}"
            raise CohortDataError(msg, problem="not_collected")
        if scale not in self.scale_ids:
            msg = f"measure {self.name!r} has no scale {scale!r}; scales: {list(self.scale_ids)}"
            raise UnknownScaleError(
                msg, instrument_id=self.instrument.id, requested=scale, scales=self.scale_ids
            )

    def schemes(self, scale: str, scheme: str | None) -> list[CutoffScheme | None]:
        """Per version, the cutoff scheme that bands ``scale`` (the default one if ``scheme`` is None).

        Raises:
            ValueError: ``scheme`` is named but no version bands ``scale`` with it.
        """
        found: list[CutoffScheme | None] = []
        for version in self.versions:
            scheme_id = scheme if scheme is not None else version.default_scheme
            known = {s.id: s for s in version.schemes}
            chosen = known.get(scheme_id) if scheme_id is not None else None
            usable = chosen is not None and scale in chosen.scale_ids
            usable = usable and (self.from_items or chosen is None or chosen.metric == "score")
            found.append(chosen if usable else None)
        if scheme is not None and not any(found):
            msg = f"no version of {self.name!r} bands scale {scale!r} with scheme {scheme!r}"
            raise ValueError(msg)
        return found

    def bands(self, scale: str, scheme: str | None) -> tuple[list[BandKey], NDArray[np.object_]]:
        """The band keys (in scheme order) and every row's band id (None: no band)."""
        ids: NDArray[np.object_] = np.full(len(self.given), None, dtype=object)
        keys: dict[str, BandKey] = {}
        for v, chosen in enumerate(self.schemes(scale, scheme)):
            if chosen is None:
                continue
            for table in chosen.cutoffs:
                if table.scale == scale:
                    keys.update(
                        {b.id: (b.id, b.label_en, b.label_da) for b in table.bands if b.id not in keys}
                    )
            rows = np.flatnonzero(self.version == v)
            batch = self.batches[v]
            if batch is not None:
                ids[rows] = batch.bands(scale, chosen.id)
            else:
                ids[rows] = _score_bands(
                    chosen,
                    scale,
                    values=self.values[scale][rows],
                    ages=self.ages[rows],
                    sexes=self.sexes,
                    rows=rows,
                )
        ids[self.outside] = None
        return list(keys.values()), ids

    def cutoffs(self, scale: str, scheme: str | None) -> tuple[float, ...]:
        """The inner band edges of the first version's scheme (for a cutoff line in a figure)."""
        chosen = next((s for s in self.schemes(scale, scheme) if s is not None), None)
        if chosen is None:
            return ()
        bands = [b for t in chosen.cutoffs if t.scale == scale for b in t.bands]
        return tuple(sorted({b.upper for b in bands} & {b.lower for b in bands}))


def _score_bands(  # noqa: PLR0913 - one scheme applied to given scores
    scheme: CutoffScheme,
    scale: str,
    *,
    values: NDArray[np.float64],
    ages: NDArray[np.float64],
    sexes: tuple[str | None, ...],
    rows: NDArray[np.intp],
) -> list[str | None]:
    """Band ids of scores given directly (no item answers), by the tables' sex and age."""
    out: list[str | None] = []
    tables = [t for t in scheme.cutoffs if t.scale == scale]
    for value, age, row in zip(values.tolist(), ages.tolist(), rows.tolist(), strict=True):
        hit = None
        for table in tables if not math.isnan(value) else ():
            if table.sex is not None and sexes[row] != table.sex:
                continue
            if table.min_age is not None or table.max_age is not None:
                low = -math.inf if table.min_age is None else table.min_age
                high = math.inf if table.max_age is None else table.max_age
                if math.isnan(age) or not low <= math.floor(age) <= high:
                    continue
            hit = next((b.id for b in table.bands if b.contains(value)), None)
            break
        out.append(hit)
    return out


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
    named = table.values(column) if column is not None else None
    for row in np.flatnonzero(given).tolist():
        age = float(lay.ages[row])
        if named is not None:
            if named[row] not in ids:
                where = f"measure {name!r}, column {column!r}, {table.describe(row)}"
                msg = f"{where}: {named[row]!r} is not one of {ids}"
                raise CohortDataError(msg, problem="bad_value", rows=[row])
            choice = ids.index(str(named[row]))
        elif by_age:
            if math.isnan(age):
                msg = (
                    f"measure {name!r}: {table.describe(row)} has no age, and its version ({', '.join(ids)}) "
                    "is chosen by age; give the age or a Versions(..., column=) naming each row's version"
                )
                raise CohortDataError(msg, problem="missing_age", rows=[row])
            choice = version_for_age(versions, age)[0]
        else:
            choice = 0
        version[row] = choice
        outside[row] = not math.isnan(age) and not covers(versions[choice], age)
    return version, outside


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
    declared: Sequence[str] = (),
) -> Measure:
    """Score one measure on every row where its form was given (see the module docstring).

    ``declared`` names optional blocks (or items) that were not collected; the
    scales that need them are not collected, as are, with ``scores``, the scales
    given no score column.

    Raises:
        CohortDataError: See :func:`~trivselscore.study.columns.item_columns` and
            :func:`choose`; a score outside the scale's range.
        UnknownScaleError: ``scores`` names a scale the measure lacks.
        ResponseError: An answer that is not an allowed code (naming the row, person and column).
    """
    versions, column, by_age = versions_of(name, spec)
    first = versions[0]
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
        not_collected=not_collected,
    )


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
) -> BatchScores:
    matrix = np.full((rows.size, len(instrument.item_ids)), np.nan)
    for j, item_id in enumerate(instrument.item_ids):
        column = columns.get(item_id)
        if column is not None:
            matrix[:, j] = numbers[column][rows]
    cache: dict[tuple[float | None, str | None], Respondent | None] = {(None, None): None}
    people: list[Respondent | None] = []
    for row in rows.tolist():
        age = None if math.isnan(lay.ages[row]) else float(lay.ages[row])
        key = (age, lay.sexes[row])
        if key not in cache:
            cache[key] = Respondent(age=age, sex=lay.sexes[row])
        people.append(cache[key])
    try:
        return score_batch(instrument, matrix, missing=missing, respondent=people)
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
