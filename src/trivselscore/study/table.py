"""Read long-format study data: pandas, polars or pyarrow tables (through narwhals) or records.

A DataFrame is read column by column with narwhals, by the reader shared with
the cohort wing (:func:`trivselscore.tabular.native.read_columns`): numeric
columns go to numpy as float64 directly, other columns as Python lists, so a
polars or arrow table is never copied through pandas. Records (an iterable of
mappings, one per row) need no extra package. :class:`Columns` (named columns
already read, e.g. by the report's CSV reader) is taken as it is: a float64
array is a numeric column with NaN where blank.

:func:`layout` maps every row to a (person, time point) cell and checks the
labels: an unknown time point, a duplicate (person, time point), a missing
person id, or a group that changes between one person's rows raise
:class:`~trivselscore.errors.CohortDataError` naming the person and the rows.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np

from trivselscore.definitions.model import SEX_CATEGORIES, sex_category
from trivselscore.errors import CohortDataError
from trivselscore.support import require
from trivselscore.tabular.native import is_temporal, one_kind, read_columns

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["Columns", "Layout", "Table", "is_missing", "layout", "read"]

_SHOWN = 20
_AGE = (0.0, 130.0)


def is_missing(value: object) -> bool:
    """None, NaN, pandas NA/NaT and the empty string count as blank.

    Examples:
        >>> [is_missing(v) for v in (None, float("nan"), "", 0, "x")]
        [True, True, True, False, False]
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return type(value).__name__ in {"NAType", "NaTType"}


@dataclass(frozen=True)
class Columns:
    """Named columns of equal length, already read: lists of values, or float64 arrays (NaN: blank).

    Examples:
        >>> import numpy as np
        >>> table = read(Columns({"person": ["a", "b"], "x": np.array([1.0, np.nan])}, 2),
        ...              person="person", time="time")
        >>> table.values("x"), table.numbers("x").tolist()
        ([1.0, None], [1.0, nan])
    """

    columns: Mapping[str, Any]
    n_rows: int


def _blanks_none(values: list[object]) -> list[object]:
    """The values with every blank (:func:`is_missing`) as None; text and numbers checked by type first."""
    out: list[object] = []
    append = out.append
    for value in values:
        kind = type(value)
        if kind is str:
            append(value if value.strip() else None)  # type: ignore[attr-defined]
        elif kind is int or value is None:
            append(value)
        elif kind is float:
            append(None if value != value else value)  # noqa: PLR0124 - NaN is blank
        else:
            append(None if is_missing(value) else value)
    return out


class Table:
    """Named columns of equal length in input row order; read-only.

    Build it with :func:`read`. ``describe(row)`` names a row by its person and
    time point for error messages.
    """

    def __init__(
        self, columns: Mapping[str, Any], n_rows: int, *, person: str, time: str, offset: int = 0
    ) -> None:
        self._columns = dict(columns)
        self.offset = offset
        self._values: dict[str, list[object]] = {}
        self.n_rows = n_rows
        self.person = person
        self.time = time

    @property
    def names(self) -> tuple[str, ...]:
        """The column names."""
        return tuple(self._columns)

    def has(self, name: str) -> bool:
        """Whether the table has this column."""
        return name in self._columns

    def values(self, name: str) -> list[object]:
        """One column as Python values; blanks (None, NaN, NA, "") become None.

        Raises:
            CohortDataError: No such column.
        """
        if name in self._values:
            return self._values[name]
        raw = self._column(name)
        if isinstance(raw, np.ndarray):
            found = [None if v != v else v for v in raw.tolist()]  # noqa: PLR0124 - NaN is blank
        else:
            found = _blanks_none(raw if isinstance(raw, list) else raw.to_list())
        self._values[name] = found
        return found

    def numbers(self, name: str, *, what: str = "") -> NDArray[np.float64]:
        """A numeric column as float64, NaN where blank; never coerces text or booleans.

        Raises:
            CohortDataError: No such column, a date or time column (even an empty
                one: dates are no answers), or a value that is not a number
                (naming the row, its person and time point).
        """
        raw = self._column(name)
        if isinstance(raw, np.ndarray):
            view = raw.view()
            view.flags.writeable = False
            return view
        if is_temporal(raw):
            msg = (
                f"{what}column {name!r} holds dates or times, not numbers; "
                "is it the right column (a date column named as an item, age or score)?"
            )
            raise CohortDataError(msg, problem="bad_value")
        if not isinstance(raw, list):
            dtype = raw.dtype
            if dtype.is_numeric():
                nw = require("narwhals", "frames")
                return np.asarray(raw.cast(nw.Float64).to_numpy(), dtype=np.float64)
            raw = raw.to_list()
        out = np.full(self.n_rows, np.nan)
        for row, value in enumerate(raw):
            if is_missing(value):
                continue
            if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
                msg = f"{what}column {name!r}, {self.describe(row)}: {value!r} is not a number"
                raise CohortDataError(msg, problem="bad_value", rows=[row])
            number = float(value)
            if not math.isfinite(number):
                msg = f"{what}column {name!r}, {self.describe(row)}: {value!r} is not a finite number"
                raise CohortDataError(msg, problem="bad_value", rows=[row])
            out[row] = number
        return out

    def describe(self, row: int) -> str:
        """``"row 12 (person 'U001', time 'start')"``, as far as the columns allow."""
        parts = []
        for label, name in (("person", self.person), ("time", self.time)):
            if name in self._columns:
                raw = self._column(name)
                value = raw[row] if isinstance(raw, list | np.ndarray) else raw.to_list()[row]
                parts.append(f"{label} {value!r}")
        return f"row {row + self.offset}" + (f" ({', '.join(parts)})" if parts else "")

    def _column(self, name: str) -> Any:  # noqa: ANN401 - a list or a narwhals Series
        if name not in self._columns:
            shown = ", ".join(repr(n) for n in list(self._columns)[:_SHOWN])
            msg = f"no column {name!r} in the data; columns: [{shown}]"
            raise CohortDataError(msg, problem="missing_column")
        return self._columns[name]


def read(data: object, *, person: str, time: str, offset: int = 0) -> Table:
    """Columns of a DataFrame (pandas, polars, pyarrow, ...) or of records.

    Read by :func:`trivselscore.tabular.native.read_columns`, the one reader of
    the cohort and study wings. ``offset``: the number of the first row in
    messages (a part of a larger table).

    Raises:
        CohortDataError: Neither a DataFrame nor an iterable of mappings.
        ImportError: A polars or pyarrow table, but narwhals is not installed.
    """
    if isinstance(data, Columns):
        return Table(data.columns, data.n_rows, person=person, time=time, offset=offset)
    columns, n_rows = read_columns(data)
    return Table(columns, n_rows, person=person, time=time, offset=offset)


@dataclass(frozen=True)
class Layout:
    """Who was measured when: row -> (person, time point), each person's groups, each row's age and sex."""

    persons: tuple[Hashable, ...]
    person_of_row: NDArray[np.intp]
    time_of_row: NDArray[np.intp]
    groups: dict[str, tuple[object | None, ...]]
    ages: NDArray[np.float64]
    sexes: tuple[str | None, ...]

    @property
    def n_persons(self) -> int:
        """Number of distinct persons."""
        return len(self.persons)


def layout(
    table: Table,
    *,
    time_points: Sequence[Hashable],
    groups: Sequence[str],
    sex: str | None,
    age: str | None,
) -> Layout:
    """Map rows to persons and time points and check labels, duplicates and groups.

    Raises:
        CohortDataError: A missing column, a missing person id, person ids or
            group values of two types (``1`` and ``"1"``), an unknown time
            point, a duplicate (person, time point), a group that changes between
            one person's rows, a sex that is not a sex word or an age outside 0-130.
    """
    if not time_points or len(set(time_points)) != len(time_points):
        msg = f"time_points must be distinct labels, at least one: {list(time_points)}"
        raise CohortDataError(msg, problem="unknown_time")
    ids, labels = table.values(table.person), table.values(table.time)
    position = {label: i for i, label in enumerate(time_points)}
    unknown = [i for i, label in enumerate(labels) if not _hashable(label) or label not in position]
    if unknown:
        seen = sorted({repr(labels[i]) for i in unknown})
        msg = (
            f"unknown time point {', '.join(seen)} in column {table.time!r} at {table.describe(unknown[0])}"
            f" (rows {unknown[:_SHOWN]}); time_points: {list(time_points)}"
        )
        raise CohortDataError(msg, problem="unknown_time", rows=unknown[:_SHOWN])
    absent = [i for i, value in enumerate(ids) if value is None or not _hashable(value)]
    if absent:
        msg = f"column {table.person!r} has no usable person id in rows {absent[:_SHOWN]}"
        raise CohortDataError(msg, problem="bad_value", rows=absent[:_SHOWN])
    one_kind(ids, table.person, what="person ids")
    persons = tuple(dict.fromkeys(ids))
    index = {p: i for i, p in enumerate(persons)}
    person_of_row = np.fromiter(map(index.__getitem__, ids), dtype=np.intp, count=len(ids))
    time_of_row = np.fromiter(map(position.__getitem__, labels), dtype=np.intp, count=len(labels))
    _no_duplicates(person_of_row * len(time_points) + time_of_row, ids, labels)
    return Layout(
        persons=persons,
        person_of_row=person_of_row,
        time_of_row=time_of_row,
        groups={name: _group(table, name, ids, person_of_row, len(persons)) for name in groups},
        ages=_ages(table, age),
        sexes=_sexes(table, sex),
    )


def _no_duplicates(keys: NDArray[np.intp], ids: list[object], labels: list[object]) -> None:
    """Refuse a (person, time point) key held by two rows, naming the first row that repeats one."""
    order = np.argsort(keys, kind="stable")
    repeats = order[1:][keys[order][1:] == keys[order][:-1]]
    if not repeats.size:
        return
    row = int(repeats.min())
    first = int(np.flatnonzero(keys == keys[row])[0])
    msg = f"duplicate (person, time point): person {ids[row]!r} at {labels[row]!r} in rows {first} and {row}"
    raise CohortDataError(msg, problem="duplicate", rows=[first, row])


def _codes(values: list[object]) -> NDArray[np.intp]:
    """Each value's code (-1: None), distinct values (unhashable: as they read) numbered as first seen."""
    if not all(map(_hashable, values)):
        values = [v if v is None else repr(v) for v in values]  # unhashable: compared by how it reads
    seen: dict[object, int] = {None: -1}
    add = seen.setdefault
    return np.fromiter((add(v, len(seen) - 1) for v in values), dtype=np.intp, count=len(values))


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _group(
    table: Table, name: str, ids: list[object], person_of_row: NDArray[np.intp], n: int
) -> tuple[object | None, ...]:
    values = table.values(name)
    one_kind(values, name, what="group values")
    codes = _codes(values)
    given = np.flatnonzero(codes >= 0)
    first = np.zeros(int(codes.max(initial=-1)) + 1, dtype=np.intp)
    first[codes[given[::-1]]] = given[::-1]
    chosen = np.full(n, -1, dtype=np.intp)
    chosen[person_of_row[given[::-1]]] = codes[given[::-1]]  # each person's first value wins
    clash = given[codes[given] != chosen[person_of_row[given]]]
    if clash.size:
        row = int(clash[0])
        p = person_of_row[row]
        before = given[(given < row) & (person_of_row[given] == p)]
        where = int(before[-1])
        msg = (
            f"person {ids[row]!r} has {name}={values[where]!r} in row {where} but {name}={values[row]!r} "
            f"in row {row}; a group must not change between time points"
        )
        raise CohortDataError(msg, problem="group_conflict", rows=[where, row])
    lookup = [values[row] for row in first.tolist()]
    return tuple(None if c < 0 else lookup[c] for c in chosen.tolist())


def _ages(table: Table, column: str | None) -> NDArray[np.float64]:
    if column is None:
        return np.full(table.n_rows, np.nan)
    ages = table.numbers(column)
    bad = np.flatnonzero(~np.isnan(ages) & ((ages < _AGE[0]) | (ages > _AGE[1])))
    if bad.size:
        row = int(bad[0])
        msg = f"column {column!r}, {table.describe(row)}: age {ages[row]:g} is not in 0-130"
        raise CohortDataError(msg, problem="bad_value", rows=bad[:_SHOWN].tolist())
    return ages


def _sexes(table: Table, column: str | None) -> tuple[str | None, ...]:
    """Each row's sex category (:data:`~trivselscore.definitions.model.SEX_CATEGORIES`); blank is None."""
    if column is None:
        return (None,) * table.n_rows
    out: list[str | None] = []
    known: dict[object, str | None] = {}
    for row, value in enumerate(table.values(column)):
        if _hashable(value) and value in known:
            out.append(known[value])
            continue
        found = sex_category(value) if isinstance(value, str) else None
        if value is not None and found is None:
            msg = (
                f"column {column!r}, {table.describe(row)}: sex {value!r} is not a sex word; use "
                f"{', '.join(SEX_CATEGORIES)} or a word for one (pige, dreng, andet, uoplyst, ...; "
                "map other codes first)"
            )
            raise CohortDataError(msg, problem="bad_value", rows=[row])
        if _hashable(value):
            known[value] = found
        out.append(found)
    return tuple(out)
