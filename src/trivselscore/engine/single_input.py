"""Read one respondent's plain answers as codes, for the scalar path of ``score()``.

Only the plain forms are read here: a list or tuple in item order, or a dict
keyed by item id, alias or item number, holding ints, whole floats, NaN or None.
Anything else (a bool, a string, a numpy scalar, a code that is not allowed, a
wrong length, an unknown or repeated key, another mapping or sequence type) gives
None, and ``score()`` reads it on the numpy path, which raises the error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["codes_of"]


def codes_of(
    responses: object, *, width: int, names: Mapping[str, int], codes: tuple[frozenset[int], ...]
) -> list[int | None] | None:
    """One code (or None) per column, or None when the numpy path must read ``responses``.

    ``names`` maps item ids and aliases to columns; ``codes`` holds each column's
    allowed codes.

    Examples:
        >>> allowed = (frozenset({0, 1}), frozenset({0, 1}))
        >>> codes_of({"b": 1.0}, width=2, names={"a": 0, "b": 1}, codes=allowed)
        [None, 1]
        >>> codes_of([1, True], width=2, names={}, codes=allowed) is None  # a bool: the numpy path says why
        True
    """
    kind = type(responses)
    if kind is list or kind is tuple:
        return _from_sequence(cast("Sequence[object]", responses), width, codes)
    if kind is dict:
        return _from_mapping(cast("Mapping[object, object]", responses), width, names, codes)
    return None


def _from_sequence(
    given: Sequence[object], width: int, codes: tuple[frozenset[int], ...]
) -> list[int | None] | None:
    if len(given) != width:
        return None
    row: list[int | None] = []
    for value, allowed in zip(given, codes, strict=True):
        if type(value) is int:  # the common case first
            if value not in allowed:
                return None
            row.append(value)
            continue
        code = _code(value)
        if code is False or (code is not None and code not in allowed):
            return None
        row.append(code)
    return row


def _from_mapping(
    mapping: Mapping[object, object], width: int, names: Mapping[str, int], codes: tuple[frozenset[int], ...]
) -> list[int | None] | None:
    row: list[int | None] = [None] * width
    seen = set()
    for key, value in mapping.items():
        name = key if type(key) is str else (str(key) if type(key) is int else None)
        column = names.get(name) if name is not None else None
        code = _code(value)
        if column is None or column in seen or code is False:
            return None
        if code is not None and code not in codes[column]:
            return None
        seen.add(column)
        row[column] = code
    return row


def _code(value: object) -> int | bool | None:
    """A plain answer as a code, None for missing, False for anything else."""
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if value is None:
        return None
    if kind is float:
        number: float = value  # type: ignore[assignment]
        if number != number:  # noqa: PLR0124 - NaN is a missing answer
            return None
        return int(number) if number.is_integer() else False
    return False
