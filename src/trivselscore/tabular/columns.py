"""Find an instrument's item columns in a table header; shared by DataFrames and CSV files.

No pandas here: :func:`find_columns` works on a list of column names, so the
CSV command line uses it without the optional dependency.

An item's column is found by, in this order of trust:

1. an explicit ``columns`` mapping (item id or alias -> column name, or None for
   an item that was not collected); it always wins;
2. the item id (``"1"``), any of its aliases (``"who5_1"``, ``"consid"``,
   ``"1friendly"``), or an id or alias that starts with a letter, with the
   informant prefix: the first letter of :attr:`Instrument.informant` (``p``,
   ``s``, ``t`` for parent, self and teacher, as in the sdqinfo variable names
   ``pconsid``, ``sconsid``, ``tebddiff``).

Names are compared case-insensitively (SPSS and Stata exports often upper-case
them). An item that matches two columns is ambiguous; a scored item that matches
none is missing: both raise :class:`~trivselscore.errors.ColumnError`. Items
that no scale, gate or flag uses (e.g. the SDQ follow-up questions) may be
absent; they are then unanswered, which changes no score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.definitions.model import SEX_WORDS, Respondent
from trivselscore.errors import ColumnError, ResponseError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument

__all__ = [
    "RESPONDENT_FIELDS",
    "SEXES",
    "RowNames",
    "candidate_names",
    "find_columns",
    "informant_prefix",
    "respondents",
    "scored_items",
]

RESPONDENT_FIELDS = ("age", "sex")
SEXES = ("female", "male")
"""The values a respondent's sex is stored as; the words read as them are ``SEX_WORDS``."""
_SHOWN = 12


@dataclass(frozen=True)
class RowNames:
    """How an error names a table's row: by its pandas index label, or by its position.

    A pandas DataFrame's rows are named by their index label (``index 'p2'``). A
    polars DataFrame or a pyarrow Table has no index, so its rows are named by
    position, counted from 0 (``row 2 (0-based)``).

    Examples:
        >>> RowNames(3, ["a", "b", "c"])(1), RowNames(3)(1)
        ("index 'b'", 'row 1 (0-based)')
    """

    count: int
    labels: Sequence[object] | None = None

    def __call__(self, row: int) -> str:
        """The row's name in an error message."""
        return f"row {row} (0-based)" if self.labels is None else f"index {self.labels[row]!r}"


def informant_prefix(instrument: Instrument) -> str:
    """The variable-name prefix of the instrument's informant: its first letter.

    Examples:
        >>> from trivselscore import get_instrument
        >>> informant_prefix(get_instrument("sdq-p4-17"))
        'p'
    """
    return instrument.informant[:1].lower()


def candidate_names(instrument: Instrument) -> dict[str, tuple[str, ...]]:
    """Item id -> the column names that identify it, most specific last.

    Examples:
        >>> from trivselscore import get_instrument
        >>> candidate_names(get_instrument("sdq-p4-17"))["1"]
        ('1', 'consid', '1friendly', 'pconsid')
        >>> candidate_names(get_instrument("who5"))["1"]
        ('1', 'who5_1', 'swho5_1')
    """
    prefix = informant_prefix(instrument)
    names: dict[str, tuple[str, ...]] = {}
    for item in instrument.items:
        own = (item.id, *item.aliases)
        prefixed = tuple(prefix + name for name in own if name[:1].isalpha())
        names[item.id] = tuple(dict.fromkeys((*own, *prefixed)))
    return names


def scored_items(instrument: Instrument) -> frozenset[str]:
    """Items that some scale, gate or flag reads (an absent column would change a result)."""
    used = {i for scale in instrument.scales for i in scale.items}
    used |= {scale.gate.item for scale in instrument.scales if scale.gate is not None}
    used |= {i for flag in instrument.flags for i in flag.items}
    return frozenset(used)


def find_columns(
    instrument: Instrument,
    header: Sequence[str],
    columns: Mapping[str, str | None] | None = None,
) -> dict[str, int | None]:
    """Map every item id to its position in ``header`` (None: not collected).

    Args:
        instrument: The instrument whose items are wanted.
        header: The table's column names, in order (duplicates allowed; they
            make a match ambiguous).
        columns: Item id or alias -> column name (exact), or None for an item that
            was not collected. Always wins over discovery.

    Returns:
        Item id -> column position, in item order.

    Raises:
        ColumnError: An explicit column does not exist or is duplicated, an item
            is named twice in ``columns``, a scored item has no column, or an item
            matches more than one column. The error lists what was found.

    Examples:
        >>> from trivselscore import get_instrument
        >>> find_columns(get_instrument("who5"), ["id", "WHO5_1", "who5_2", "3", "4", "5"])
        {'1': 1, '2': 2, '3': 3, '4': 4, '5': 5}
    """
    header = [str(name) for name in header]
    found: dict[str, int | None] = _explicit(instrument, header, columns or {})
    taken = {position for position in found.values() if position is not None}
    by_name: dict[str, list[int]] = {}
    for position, name in enumerate(header):
        if position not in taken:
            by_name.setdefault(name.casefold(), []).append(position)
    ambiguous: dict[str, tuple[str, ...]] = {}
    missing: list[str] = []
    claimed: dict[int, str] = {}
    for item_id, names in candidate_names(instrument).items():
        if item_id in found:
            continue
        hits = sorted({p for name in names for p in by_name.get(name.casefold(), [])})
        if len(hits) > 1:
            ambiguous[item_id] = tuple(header[p] for p in hits)
        elif hits:
            position = hits[0]
            if position in claimed:
                ambiguous[item_id] = (header[position],)
                ambiguous.setdefault(claimed[position], (header[position],))
            claimed[position] = item_id
            found[item_id] = position
        elif item_id in scored_items(instrument):
            missing.append(item_id)
        else:
            found[item_id] = None
    if missing or ambiguous:
        raise _column_error(instrument, header, found, missing, ambiguous)
    return {item_id: found[item_id] for item_id in instrument.item_ids}


def _explicit(
    instrument: Instrument, header: list[str], columns: Mapping[str, str | None]
) -> dict[str, int | None]:
    names = {name: item.id for item in instrument.items for name in (item.id, *item.aliases)}
    found: dict[str, int | None] = {}
    for key, column in columns.items():
        item_id = names.get(str(key))
        if item_id is None:
            msg = f"columns: unknown item {key!r}; items: {list(instrument.item_ids)}"
            raise ColumnError(msg, instrument_id=instrument.id, item_id=str(key))
        if item_id in found:
            msg = f"columns: item {item_id!r} is mapped twice"
            raise ColumnError(msg, instrument_id=instrument.id, item_id=item_id)
        if column is None:
            found[item_id] = None
            continue
        positions = [p for p, name in enumerate(header) if name == column]
        if len(positions) != 1:
            problem = "does not exist" if not positions else f"appears {len(positions)} times"
            msg = f"columns: column {column!r} for item {item_id!r} {problem}; columns: {_show(header)}"
            raise ColumnError(msg, instrument_id=instrument.id, item_id=item_id, value=column)
        found[item_id] = positions[0]
    return found


def _column_error(
    instrument: Instrument,
    header: list[str],
    found: dict[str, int | None],
    missing: list[str],
    ambiguous: dict[str, tuple[str, ...]],
) -> ColumnError:
    names = candidate_names(instrument)
    parts = []
    if missing:
        tried = "; ".join(f"{i} (tried {', '.join(names[i])})" for i in missing[:_SHOWN])
        more = f"; and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else ""
        parts.append(f"no column for {len(missing)} item(s): {tried}{more}")
    if ambiguous:
        clash = "; ".join(f"{i} matches {', '.join(map(repr, c))}" for i, c in ambiguous.items())
        parts.append(f"ambiguous: {clash}")
    matched = {i: header[p] for i, p in found.items() if p is not None}
    parts.append(f"found {len(matched)} of {len(instrument.items)} items: {_show(list(matched.values()))}")
    parts.append(f"columns: {_show(header)}")
    parts.append("name them with columns={item: column}, or None for an item not collected")
    return ColumnError(
        "; ".join(parts),
        instrument_id=instrument.id,
        found=matched,
        missing=missing,
        ambiguous=ambiguous,
    )


def _show(names: Sequence[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:_SHOWN])
    return f"[{shown}{', ...' if len(names) > _SHOWN else ''}]"


def respondents(
    instrument: Instrument,
    ages: NDArray[np.float64] | None,
    sexes: Sequence[object] | None,
    *,
    labels: Sequence[object] | RowNames,
    columns: Mapping[str, str],
) -> tuple[Respondent | None, ...]:
    """One ``Respondent`` per row from an age array (NaN = unknown) and sex values.

    Ages are in years, 0-130 (used in completed years). Sex values must be one
    of the words ``Respondent`` accepts (female/male, pige/dreng, kvinde/mand,
    K/M, f/m; any case, surrounding whitespace ignored) or missing (None, NaN,
    empty); anything else raises, naming the row (by its label in ``labels``,
    or as :class:`RowNames` names it), the column and the value. One
    ``Respondent`` object is built per distinct (age, sex) pair.

    Raises:
        ResponseError: An age outside 0-130, or a sex value that is not one of
            :data:`~trivselscore.definitions.model.SEX_WORDS`.
    """
    rows = labels if isinstance(labels, RowNames) else RowNames(len(labels), labels)
    n = rows.count
    age_list: list[float | None] = [None] * n
    if ages is not None:
        bad = ~np.isnan(ages) & ~((ages >= 0) & (ages <= 130))  # noqa: PLR2004 - Respondent's range
        if bad.any():
            row = int(np.argmax(bad))
            msg = f"{rows(row)}, column {columns['age']!r}: age {float(ages[row])!r} is not in 0-130"
            raise ResponseError(msg, instrument_id=instrument.id, value=float(ages[row]), row=row)
        age_list = [None if np.isnan(a) else float(a) for a in ages.tolist()]
    sex_list: list[str | None] = [None] * n
    if sexes is not None:
        sex_list = [_sex(instrument, value, rows, i, columns["sex"]) for i, value in enumerate(sexes)]
    cache: dict[tuple[float | None, str | None], Respondent | None] = {(None, None): None}
    out: list[Respondent | None] = []
    for key in zip(age_list, sex_list, strict=True):
        if key not in cache:
            cache[key] = Respondent(age=key[0], sex=key[1])  # type: ignore[arg-type]
        out.append(cache[key])
    return tuple(out)


def _sex(instrument: Instrument, value: object, rows: RowNames, row: int, column: str) -> str | None:
    if value is None or type(value).__name__ == "NAType":
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, str):
        word = value.strip().casefold()
        if not word:
            return None
        if word in SEX_WORDS:
            return SEX_WORDS[word]
    msg = (
        f"{rows(row)}, column {column!r}: sex {value!r} is not one of "
        f"{', '.join(SEX_WORDS)} (map your codes first, e.g. {{'1': 'female', '2': 'male'}})"
    )
    raise ResponseError(msg, instrument_id=instrument.id, value=value, row=row)
