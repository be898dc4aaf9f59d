"""What an error response may repeat of the request: a small code, a short name, never personal text.

A client logs the error responses it gets, so a problem detail must not carry
what the user typed. The rules:

* an **answer** (an item's value) is repeated only when it looks like an answer
  code: a whole number of at most three digits (:func:`code`);
* a **number** elsewhere (a change value, an age) only when it is finite and at
  most three digits before the point (:func:`number`);
* a **name** the request gave (an instrument id, a scheme, an item or linkId, a
  parameter or field name) only when it is token-shaped: letters, digits and
  ``_ . : / -``, at most 64 characters, at most five digits in all (so never a
  CPR number, a phone number or a sentence) (:func:`token`);
* the value of an unknown field, and free text, never.

Anything withheld is left out of the structured fields and replaced by
:data:`WITHHELD` in the sentences (:func:`scrub`). As a last guard, every string
of a problem passes :func:`guard`, which replaces anything shaped like a Danish
CPR number (``ddmmyy-xxxx``, or ten digits or more in a row).

Examples:
    >>> code(3), code(1234), code("3"), code(True)
    (3, None, None, None)
    >>> token("who-5"), token("0101011234"), token("Anna Hansen")
    ('who-5', None, None)
    >>> scrub("who5: item '1': 'Anna' is not a number", "Anna")
    "who5: item '1': (withheld) is not a number"
    >>> guard("Patient/010101-1234 and 0101011234")
    'Patient/(withheld) and (withheld)'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Final

from trivselscore.fhir.guard import quote

__all__ = ["CODE_DIGITS", "TOKEN_DIGITS", "WITHHELD", "code", "guard", "number", "scrub", "token"]

WITHHELD: Final = "(withheld)"
"""What a sentence says in place of a value it may not repeat."""

CODE_DIGITS: Final = 3
"""An answer code repeated in an error has at most this many digits (codes are 0-4 or so)."""

TOKEN_DIGITS: Final = 5
"""A name repeated in an error has at most this many digits in all (a CPR number has ten)."""

_LIMIT: Final = 10**CODE_DIGITS
_TOKEN: Final = re.compile(r"[A-Za-z0-9_.:/-]{1,64}", re.ASCII)
_PERSONAL: Final = re.compile(r"\d{6}-\d{4}|\d{10,}", re.ASCII)


def code(value: object) -> int | None:
    """``value`` if it looks like an answer code (a whole number of at most three digits), else None."""
    if type(value) is int and -_LIMIT < value < _LIMIT:
        return value
    return None


def number(value: object) -> int | float | None:
    """``value`` if it is a finite number below 1000 in size (not a bool), else None."""
    if type(value) is float and math.isfinite(value) and abs(value) < _LIMIT:
        return value
    return code(value)


def token(value: object) -> str | None:
    """``value`` if it is a token-shaped name (see the module docstring), else None."""
    if isinstance(value, str) and _TOKEN.fullmatch(value) and sum(c.isdigit() for c in value) <= TOKEN_DIGITS:
        return value
    return None


def scrub(text: str, *withheld: object, keep: Iterable[str | None] = ()) -> str:
    """``text`` with each way it may show a withheld value (``repr``, FHIR quotation) replaced.

    ``keep`` are names the problem shows anyway (the item id, say): where a
    withheld value is written exactly as one of them, it is left, since it tells
    nothing the name does not. Longer renderings are replaced first, so that a
    value inside another is not left half shown. The result also passes :func:`guard`.

    Examples:
        >>> scrub("item '3': '3' is not a number; item '3': 'x' too", "3", "x", keep=["3"])
        "item '3': '3' is not a number; item '3': (withheld) too"
    """
    kept = {repr(name) for name in keep if name is not None}
    shown: set[str] = set()
    for value in withheld:
        if value is None:
            continue
        try:
            shown.update((repr(value), quote(value)))
        except ValueError:  # an integer too long for repr(): quote() names its size only
            shown.add(quote(value))
    for rendering in sorted(shown - kept, key=len, reverse=True):  # repr() and quote() are never empty
        text = text.replace(rendering, WITHHELD)
    return guard(text)


def guard(text: str) -> str:
    """``text`` with anything shaped like a CPR number (or ten digits in a row) replaced."""
    return _PERSONAL.sub(WITHHELD, text)
