"""Read long-format cohort data (records, or a pandas, polars or pyarrow DataFrame) and check it."""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.definitions.forms import collected
from trivselscore.definitions.model import SEX_CATEGORIES, Respondent, sex_category
from trivselscore.engine import ages as _ages
from trivselscore.engine import bands as _bands
from trivselscore.errors import CohortDataError
from trivselscore.tabular.native import is_temporal, one_kind, read_columns

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument
    from trivselscore.definitions.model import CutoffScheme

__all__ = [
    "Layout",
    "MISSING_GROUP",
    "Table",
    "band_rows",
    "group_key_label",
    "group_words",
    "in_range",
    "is_missing",
    "item_column",
    "item_columns",
    "layout",
    "numbers",
    "outside_age_range",
    "partition",
    "read_table",
    "resolve_scheme",
    "respondents",
    "split_group_label",
]

_SHOW = 20
_AGE = (0, 130)


@dataclass(frozen=True)
class Table:
    """Columns of equal length, by name, in input row order."""

    columns: dict[str, list[object]]
    n_rows: int
    dates: frozenset[str] = frozenset()
    """The columns that hold dates or times (judged by their type before they became lists)."""

    def column(self, name: str) -> list[object]:
        """One column.

        Raises:
            CohortDataError: No such column.
        """
        if name not in self.columns:
            if self.n_rows == 0:
                return []
            msg = f"no column {name!r} in the data; columns: {sorted(map(str, self.columns))}"
            raise CohortDataError(msg, problem="missing_column")
        return self.columns[name]


@dataclass(frozen=True)
class Layout:
    """Who is measured when: row -> (person, time point), and each person's groups."""

    persons: tuple[Hashable, ...]
    person_of_row: NDArray[np.intp]
    time_of_row: NDArray[np.intp]
    groups: dict[str, tuple[object | None, ...]]


def is_missing(value: object) -> bool:
    """None, NaN, pandas NA/NaT."""
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return type(value).__name__ in {"NAType", "NaTType"}


def read_table(data: object) -> Table:
    """Columns from an iterable of mappings (records) or from a DataFrame.

    A pandas, polars or pyarrow DataFrame is read through narwhals
    (:func:`trivselscore.tabular.native.read_columns`; never copied through
    pandas); a pandas DataFrame is read by pandas itself when narwhals is not installed.

    Examples:
        >>> read_table([{"person": "a", "who5_1": 3}, {"person": "b"}]).columns
        {'person': ['a', 'b'], 'who5_1': [3, None]}

    Raises:
        CohortDataError: A row that is not a mapping, a mapping of columns, or
            something that is neither records nor a DataFrame.
        ImportError: A polars or pyarrow table, but narwhals is not installed.
    """
    columns, n_rows = read_columns(data)
    return Table(
        {name: c if isinstance(c, list) else c.to_list() for name, c in columns.items()},
        n_rows,
        frozenset(name for name, c in columns.items() if is_temporal(c)),
    )


def layout(
    table: Table,
    *,
    person: str,
    time: str,
    time_points: Sequence[Hashable],
    groups: Sequence[str],
) -> Layout:
    """Map rows to persons and time points, checking labels, duplicates and groups.

    Raises:
        CohortDataError: A missing column, a missing person id, person ids or
            group values of two types (``1`` and ``"1"``), an unknown time
            point label, a duplicate (person, time point) or a person whose group
            value differs between rows.
    """
    if len(set(time_points)) != len(time_points) or not time_points:
        msg = f"time_points must be distinct labels, at least one: {list(time_points)}"
        raise CohortDataError(msg, problem="unknown_time")
    ids, labels = table.column(person), table.column(time)
    group_columns = {g: table.column(g) for g in groups}
    position = {label: i for i, label in enumerate(time_points)}
    unknown = [i for i, label in enumerate(labels) if not _known(label, position)]
    if unknown:
        seen = sorted({repr(labels[i]) for i in unknown})
        msg = (
            f"unknown time point label(s) {', '.join(seen)} in column {time!r} "
            f"(rows {unknown[:_SHOW]}); time_points: {list(time_points)}"
        )
        raise CohortDataError(msg, problem="unknown_time", rows=unknown[:_SHOW])
    absent = [i for i, value in enumerate(ids) if is_missing(value) or not _hashable(value)]
    if absent:
        msg = f"column {person!r} has no usable person id in rows {absent[:_SHOW]}"
        raise CohortDataError(msg, problem="bad_value", rows=absent[:_SHOW])
    one_kind(ids, person, what="person ids")
    for name, values in group_columns.items():
        one_kind((None if is_missing(v) else v for v in values), name, what="group values")
    persons = tuple(dict.fromkeys(ids))
    index = {p: i for i, p in enumerate(persons)}
    person_of_row = np.array([index[p] for p in ids], dtype=np.intp)
    time_of_row = np.array([position[label] for label in labels], dtype=np.intp)
    first: dict[tuple[int, int], int] = {}
    duplicates: list[int] = []
    for row, key in enumerate(zip(person_of_row.tolist(), time_of_row.tolist(), strict=True)):
        if key in first:
            duplicates.extend((first[key], row))
        first.setdefault(key, row)
    if duplicates:
        rows = sorted(set(duplicates))
        pairs = sorted({(repr(ids[r]), repr(labels[r])) for r in rows})[:5]
        shown = ", ".join(f"({p}, {t})" for p, t in pairs)
        msg = f"duplicate (person, time point) rows {rows[:_SHOW]}: {shown}"
        raise CohortDataError(msg, problem="duplicate", rows=rows[:_SHOW])
    return Layout(
        persons, person_of_row, time_of_row, _groups(group_columns, ids, person_of_row, len(persons))
    )


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _known(label: object, position: Mapping[Hashable, int]) -> bool:
    return not is_missing(label) and _hashable(label) and label in position


def _groups(
    columns: Mapping[str, list[object]], ids: list[object], person_of_row: NDArray[np.intp], n: int
) -> dict[str, tuple[object | None, ...]]:
    result: dict[str, tuple[object | None, ...]] = {}
    for name, values in columns.items():
        chosen: list[object | None] = [None] * n
        where: list[int] = [-1] * n
        for row, (p, value) in enumerate(zip(person_of_row.tolist(), values, strict=True)):
            if is_missing(value):
                continue
            if chosen[p] is not None and chosen[p] != value:
                msg = (
                    f"person {ids[row]!r} has {name}={chosen[p]!r} in row {where[p]} but "
                    f"{name}={value!r} in row {row}; a group must not change between time points"
                )
                raise CohortDataError(msg, problem="group_conflict", rows=[where[p], row])
            chosen[p], where[p] = value, row
        result[name] = tuple(chosen)
    return result


def numbers(table: Table, name: str) -> NDArray[np.float64]:
    """A numeric column as float64, NaN for missing.

    Raises:
        CohortDataError: A date or time column (even an empty one), or a value
            that is not a number (booleans included).
    """
    if name in table.dates or is_temporal(table.column(name)):
        msg = (
            f"column {name!r} holds dates or times, not numbers; "
            "is it the right column (a date column named as an item, age or score)?"
        )
        raise CohortDataError(msg, problem="bad_value")
    out = np.full(table.n_rows, np.nan)
    for row, value in enumerate(table.column(name)):
        if is_missing(value):
            continue
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
            msg = f"column {name!r}, row {row}: {value!r} is not a number"
            raise CohortDataError(msg, problem="bad_value", rows=[row])
        try:
            out[row] = float(value)
        except OverflowError:
            msg = f"column {name!r}, row {row}: {type(value).__name__} value is too large to be a number here"
            raise CohortDataError(msg, problem="bad_value", rows=[row]) from None
    return out


def respondents(table: Table, *, sex: str | None, age: str | None) -> list[Respondent | None]:
    """One ``Respondent`` per row from optional sex and age columns.

    Sex is read as a category (female, male, other, unknown) or a word for one
    (``SEX_WORDS``: pige/dreng, kvinde/mand, K/M, andet, ikke-binær, uoplyst, ved ikke, ...);
    blank is not given.

    Raises:
        CohortDataError: A sex that is not such a word, or an age that is not a
            finite number from 0 to 130.
    """
    if sex is None and age is None:
        return [None] * table.n_rows
    ages = numbers(table, age) if age is not None else np.full(table.n_rows, np.nan)
    sexes = table.column(sex) if sex is not None else [None] * table.n_rows
    out: list[Respondent | None] = []
    for row, (value, years) in enumerate(zip(sexes, ages.tolist(), strict=True)):
        blank = is_missing(value) or (isinstance(value, str) and not value.strip())
        category = sex_category(value) if isinstance(value, str) else None
        if not blank and category is None:
            msg = (
                f"column {sex!r}, row {row}: sex {value!r} is not a sex word; use "
                f"{', '.join(SEX_CATEGORIES)} or a word for one (pige, dreng, andet, uoplyst, ...)"
            )
            raise CohortDataError(msg, problem="bad_value", rows=[row])
        if not math.isnan(years) and not (math.isfinite(years) and _AGE[0] <= years <= _AGE[1]):
            msg = (
                f"column {age!r}, row {row}: age must be a number from {_AGE[0]} to {_AGE[1]}, not {years!r}"
            )
            raise CohortDataError(msg, problem="bad_value", rows=[row])
        out.append(
            Respondent(
                sex=category,
                age=None if math.isnan(years) else years,
            )
        )
    return out


MISSING_GROUP = "(missing)"
"""The label part of a group whose value is missing; shown as ``(mangler)`` in Danish."""
_MISSING_WORDS = {"da": "(mangler)", "en": MISSING_GROUP}
_SEPARATOR = " / "


def _part(value: object, reserved: frozenset[str]) -> str:
    if value is None:
        return MISSING_GROUP
    text = str(value)
    if text in reserved or text == MISSING_GROUP or _SEPARATOR in text or text.startswith('"'):
        return json.dumps(text, ensure_ascii=False)
    return text


def group_key_label(key: Sequence[object | None], reserved: frozenset[str] = frozenset()) -> str:
    """The label of one group (one value per ``by`` column), never the label of another group.

    A missing value is ``(missing)``; a value that would read as something else
    (``(missing)`` itself, a label in ``reserved`` such as the total row's
    ``all``, one containing `` / ``, or one starting with a quote) is shown in
    double quotes, so two different groups never share a label.

    Examples:
        >>> group_key_label(("a", None)), group_key_label(("a", "(missing)"))
        ('a / (missing)', 'a / "(missing)"')
        >>> group_key_label(("x / y",)), group_key_label(("all",), frozenset({"all"}))
        ('"x / y"', '"all"')
    """
    return _SEPARATOR.join(_part(value, reserved) for value in key)


def split_group_label(label: str) -> list[str]:
    """The parts of a label made by :func:`group_key_label` (quoted parts kept quoted).

    Examples:
        >>> split_group_label('a / "x / y" / (missing)')
        ['a', '"x / y"', '(missing)']
    """
    parts: list[str] = []
    at = 0
    decoder = json.JSONDecoder()
    while True:
        if label.startswith('"', at):
            try:
                _, end = decoder.raw_decode(label, at)
            except ValueError:
                end = len(label)
        else:
            found = label.find(_SEPARATOR, at)
            end = len(label) if found < 0 else found
        parts.append(label[at:end])
        if not label.startswith(_SEPARATOR, end):
            return parts
        at = end + len(_SEPARATOR)


def group_words(label: str, language: str) -> str:
    """A group label for display: each missing part as ``(mangler)`` in Danish (``(missing)`` in English).

    Examples:
        >>> group_words('a / (missing)', "da"), group_words('"(missing)"', "da")
        ('a / (mangler)', '"(missing)"')
    """
    if MISSING_GROUP not in label:
        return label
    missing = _MISSING_WORDS.get(language, MISSING_GROUP)
    return _SEPARATOR.join(missing if p == MISSING_GROUP else p for p in split_group_label(label))


def partition(
    layout: Layout, by: Sequence[str], *, total: bool, label: str
) -> list[tuple[str, NDArray[np.bool_], bool]]:
    """(label, members, is_total) per report row: the total first (if ``total``), then the groups.

    Each value of ``by`` is a group, and a missing value is one too (``(missing)``),
    so the groups partition everyone. Labels are made by :func:`group_key_label`:
    a real group named ``(missing)`` is shown as ``"(missing)"``, so no two groups
    share a label.

    Raises:
        CohortDataError: ``by`` names a column not given as a group.
    """
    unknown = [name for name in by if name not in layout.groups]
    if unknown:
        msg = f"by= names {unknown}, not given as groups to from_long; groups: {list(layout.groups)}"
        raise CohortDataError(msg, problem="missing_column")
    parts = [(label, np.ones(len(layout.persons), dtype=np.bool_), True)] if total else []
    if by:
        keys = list(zip(*(layout.groups[name] for name in by), strict=True))
        for key in sorted(set(keys), key=lambda k: tuple((v is None, str(v)) for v in k)):
            name = group_key_label(key)
            parts.append((name, np.array([k == key for k in keys], dtype=np.bool_), False))
    return parts


def outside_age_range(instrument: Instrument, people: Sequence[Respondent | None]) -> NDArray[np.bool_]:
    """Per row: whether the age lies outside the instrument's ``age_range``.

    The engine's rule (:func:`trivselscore.engine.ages.outside`, the same as
    ``BatchScores.outside_age_range``): the age counts in completed years (17.9
    is 17), both ends of the range are included, and an unknown age is never outside.

    Examples:
        >>> from trivselscore.instruments.registry import get_instrument
        >>> people = [Respondent(age=a) for a in (10.9, 11.0, 17.9, 18.0)] + [None]
        >>> outside_age_range(get_instrument("sdq-s11-17"), people).tolist()
        [True, False, False, True, False]
    """
    ages = np.array([np.nan if r is None or r.age is None else r.age for r in people], dtype=np.float64)
    return _ages.outside(instrument.age_range, ages)


def item_column(definition: Instrument, table: Table, item_id: str) -> str:
    """The column holding an item: its id or one of its aliases (``CohortDataError`` if none)."""
    names = (item_id, *definition.item(item_id).aliases)
    for name in names:
        if name in table.columns or table.n_rows == 0:
            return name
    msg = f"no column for {definition.id} item {item_id!r} (looked for {list(names)}); or pass scores="
    raise CohortDataError(msg, problem="missing_column")


def item_columns(
    definition: Instrument, table: Table, declared: Sequence[str]
) -> tuple[dict[str, str | None], dict[str, str]]:
    """Item id -> its column (None: not collected), and scale id -> why it is not collected.

    Every item needs a column (its id or an alias), but the items of an optional
    block that is absent as a whole (``Instrument.optional``, e.g. the SDQ impact
    supplement) and those ``declared`` not collected (block ids or items): the
    scales that need them are not collected.

    Raises:
        CohortDataError: A required item without a column, an optional block only
            partly in the data, or a declared name that is neither a block nor an item.
    """
    found: dict[str, str | None] = {}
    for item in definition.items:
        names = (item.id, *item.aliases)
        found[item.id] = next((n for n in names if n in table.columns or table.n_rows == 0), None)
    result = collected(
        definition, [i for i, c in found.items() if c], declared=declared, required=definition.item_ids
    )
    if result.missing and not result.unknown:
        item_column(definition, table, result.missing[0])  # raises, naming the names looked for
    if result.problem is not None:
        msg = f"{definition.id}: {result.problem}"
        raise CohortDataError(msg, problem="not_collected" if result.unknown else "missing_column")
    return {i: None if i in result.absent else c for i, c in found.items()}, result.scales


def in_range(
    definition: Instrument, scale: str, values: NDArray[np.float64], column: str
) -> NDArray[np.float64]:
    """Return given scores unchanged; ``CohortDataError`` if any lies outside the scale's range."""
    low, high = definition.scale_range(scale)
    bad = np.flatnonzero(~np.isnan(values) & ((values < low) | (values > high)))
    if bad.size:
        rows = bad[:20].tolist()
        msg = (
            f"column {column!r}: {values[bad[0]]:g} (row {rows[0]}) is outside "
            f"{definition.id}/{scale}'s range {low}-{high}"
        )
        raise CohortDataError(msg, problem="bad_value", rows=rows)
    return values


def resolve_scheme(
    instrument: Instrument, scale: str, scheme: str | None, *, from_items: bool = True
) -> CutoffScheme | None:
    """The scheme for band shares: the one named, or the default if it bands ``scale``.

    With ``from_items=False`` (scores given directly, no item answers), a default
    scheme that bands T-scores is skipped (None: no band shares); a named one is
    returned, and :func:`band_rows` then says it needs item answers.

    Raises:
        ValueError: An unknown scheme, or a named scheme that does not band the scale.
    """
    scheme_id = scheme if scheme is not None else instrument.default_scheme
    if scheme_id is None:
        return None
    try:
        definition = instrument.scheme(scheme_id)
    except KeyError:
        known = [s.id for s in instrument.schemes]
        msg = f"{instrument.id} has no cutoff scheme {scheme_id!r}; schemes: {known}"
        raise ValueError(msg) from None
    if scheme is None and not from_items and definition.metric != "score":
        return None
    if scale not in definition.scale_ids:
        if scheme is None:
            return None
        msg = f"scheme {scheme_id!r} does not band scale {scale!r}"
        raise ValueError(msg)
    return definition


def band_rows(
    instrument: Instrument,
    scale: str,
    scheme: str,
    values: NDArray[np.float64],
    people: Sequence[Respondent | None],
) -> NDArray[np.object_]:
    """Band ids per row for scores given directly (not scored from items here).

    Raises:
        ValueError: The scheme bands T-scores, which need item answers and a norm table.
    """
    definition = instrument.scheme(scheme)
    if definition.metric != "score":
        msg = f"scheme {scheme!r} bands T-scores; give item answers (not scores=) to use it"
        raise ValueError(msg)
    ages = np.array([np.nan if r is None or r.age is None else r.age for r in people], dtype=np.float64)
    sexes = np.array(["" if r is None or r.sex is None else r.sex for r in people], dtype=str)
    return _bands.band_ids(definition, scale, values, ages, sexes)
