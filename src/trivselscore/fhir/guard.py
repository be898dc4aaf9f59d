"""Untrusted JSON: short, safe quotations for messages, typed errors, arrays read lazily.

A FHIR resource is untrusted input: a value may be a megabyte of text, an
integer too long for Python's ``repr`` (more than 4,300 digits), or nested a
hundred thousand levels deep. An error message quotes at most
:data:`QUOTE_LIMIT` characters of any value, ending a cut quotation with an
ellipsis, and never fails while quoting. Arrays are read one element at a time
(:func:`objects`), so the first unusable element stops the reading.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from trivselscore.errors import FhirError

__all__ = ["QUOTE_LIMIT", "fail", "objects", "quote", "quote_list", "short_path", "string_keys"]

QUOTE_LIMIT: Final = 80
"""The most characters of one value an error message quotes."""

_LIST_LIMIT: Final = 6
_PATH_LIMIT: Final = 120
_BIG_INT_BITS: Final = 128
_LOG10_2: Final = 0.30103


def _integer(value: int) -> str:
    if value.bit_length() <= _BIG_INT_BITS:
        return repr(value)
    digits = int(value.bit_length() * _LOG10_2) + 1
    return f"<an integer of about {digits} digits>"


class _Repr(reprlib.Repr):
    """``reprlib`` with short limits, and no full ``repr`` of a huge integer."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxstring = self.maxother = self.maxlong = QUOTE_LIMIT
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = _LIST_LIMIT

    def repr_int(self, x: int, level: int) -> str:  # noqa: ARG002 - reprlib's signature
        """An integer, or its size when it is too long to show."""
        return _integer(x)


_REPR: Final = _Repr()


def quote(value: object) -> str:
    """``repr(value)``, cut to :data:`QUOTE_LIMIT` characters with an ellipsis.

    Examples:
        >>> quote("option 1")
        "'option 1'"
        >>> len(quote("x" * 1_000_000)) <= QUOTE_LIMIT
        True
        >>> quote(10**5000)
        '<an integer of about 5001 digits>'
    """
    text = _REPR.repr(value)
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def quote_list(values: Iterable[object]) -> str:
    """A list of quoted values, the first few only, each cut like :func:`quote`.

    Examples:
        >>> quote_list(["option 0", "option 1"])
        "['option 0', 'option 1']"
        >>> quote_list(range(100))
        '[0, 1, 2, 3, 4, 5, ... (100 in all)]'
    """
    shown: list[str] = []
    count = 0
    for count, value in enumerate(values, start=1):
        if count <= _LIST_LIMIT:
            shown.append(quote(value))
    more = f", ... ({count} in all)" if count > _LIST_LIMIT else ""
    return f"[{', '.join(shown)}{more}]"


def short_path(path: str) -> str:
    """A location in a resource, its middle cut when it is long (deeply nested items).

    Examples:
        >>> short_path("QuestionnaireResponse.item[0]")
        'QuestionnaireResponse.item[0]'
        >>> len(short_path("QuestionnaireResponse" + ".item[0]" * 500)) <= 121
        True
    """
    if len(path) <= _PATH_LIMIT:
        return path
    half = _PATH_LIMIT // 2
    return f"{path[:half]}…{path[-half:]}"


def fail(
    message: str,
    *,
    instrument_id: str = "",
    link_id: str | None = None,
    value: object = None,
    path: str | None = None,
) -> FhirError:
    """Build the error (the caller raises it); the message names the linkId and the path."""
    where = f"linkId {quote(link_id)}: " if link_id is not None else ""
    at = f" (at {short_path(path)})" if path else ""
    return FhirError(
        f"{where}{message}{at}", instrument_id=instrument_id, link_id=link_id, value=value, path=path
    )


def string_keys(obj: Mapping[object, object], path: str, instrument_id: str) -> None:
    """JSON object keys are strings; a dict with other keys was not parsed from JSON."""
    for key in obj:
        if not isinstance(key, str):
            msg = f"a JSON object key must be a string, not {type(key).__name__} {quote(key)}"
            raise fail(msg, instrument_id=instrument_id, value=key, path=path)


def objects(value: object, path: str, instrument_id: str) -> Iterator[tuple[str, Mapping[str, object]]]:
    """Each element of a JSON array of objects with its path; the first bad element raises."""
    if value is None:
        return
    if not isinstance(value, list):
        msg = f"must be a list of JSON objects, not {type(value).__name__}"
        raise fail(msg, instrument_id=instrument_id, path=path)
    for index, element in enumerate(value):
        here = f"{path}[{index}]"
        if not isinstance(element, Mapping):
            msg = f"must be a JSON object, not {type(element).__name__} {quote(element)}"
            raise fail(msg, instrument_id=instrument_id, value=element, path=here)
        string_keys(element, here, instrument_id)
        yield here, element
