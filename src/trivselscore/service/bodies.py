"""Request bodies read as JSON by the service itself, with limits, so that bad input is always a 422.

Every route reads its JSON here, not through a framework's parser, so that every
malformed body gets the same answer: a 422 problem of type ``invalid-request``
whose ``detail`` says what is wrong (never a 400, never a 500, never the body):

* a body that is not UTF-8 (or UTF-16/32, which JSON allows) JSON;
* the non-standard literals ``NaN``, ``Infinity`` and ``-Infinity`` (Python's
  ``json`` reads them; JSON has no such values, and a NaN answer would be read
  as a missing one);
* nesting deeper than :data:`MAX_DEPTH` arrays and objects (checked before
  parsing, so deep input cannot exhaust the stack);
* a key given twice in one object (parsers disagree on which one wins);
* a number with more digits than Python reads (4,300).

Examples:
    >>> read_json(b'{"answers": [3, 4, 2, 3, 1]}')
    {'answers': [3, 4, 2, 3, 1]}
    >>> try:
    ...     read_json(b'{"answers": [NaN, 4, 2, 3, 1]}')
    ... except ProblemError as error:
    ...     print(error.problem.status, error.problem.detail)
    422 the body is not valid JSON: NaN is not a JSON value (send null for an unanswered item)
    >>> try:
    ...     read_json(b"[" * 100 + b"]" * 100)
    ... except ProblemError as error:
    ...     print(error.problem.detail)
    the body is not valid JSON: arrays and objects are nested deeper than 64 levels
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Final, TypeVar

import numpy as np
from pydantic import BaseModel, ValidationError

from trivselscore.service.problems import Problem, ProblemError, from_validation, problem_type

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["MAX_DEPTH", "BodyError", "parse_model", "read_json"]

MAX_DEPTH: Final = 64
"""How deep arrays and objects may nest in a request body (a FHIR Parameters resource needs about 20)."""

Model = TypeVar("Model", bound=BaseModel)

_STRINGS: Final = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SURROGATE: Final = re.compile(r"\\u[dD][89a-fA-F]")
_NESTING: Final = np.zeros(256, dtype=np.int8)
_NESTING[[ord("["), ord("{")]] = 1
_NESTING[[ord("]"), ord("}")]] = -1


class BodyError(ValueError):
    """A body that cannot be read as JSON; the message says why, without quoting the body."""


def read_json(body: bytes, *, what: str = "the body") -> object:
    """Parse ``body`` as strict JSON (see the module docstring).

    Args:
        body: The raw bytes.
        what: How the message names the body (``"the body"``, ``"the line"``).

    Raises:
        ProblemError: A 422 ``invalid-request`` naming what is wrong.
    """
    try:
        return loads(body)
    except BodyError as error:
        raise ProblemError(invalid_body(f"{what} is not valid JSON: {error}")) from None


def loads(body: bytes) -> object:
    """Parse strict JSON, raising :class:`BodyError` with a message that quotes nothing of it.

    Raises:
        BodyError: Not JSON, or beyond a limit of the module docstring.
    """
    if not body.strip():
        msg = "it is empty"
        raise BodyError(msg)
    try:
        text = body.decode(json.detect_encoding(body))
    except UnicodeDecodeError:
        msg = "it is not UTF-8 text"
        raise BodyError(msg) from None
    _check_depth(text.encode("utf-8", "surrogatepass") if not body.isascii() else body)
    try:
        data = json.loads(text.removeprefix("\ufeff"), parse_constant=_constant, object_pairs_hook=_unique)
    except json.JSONDecodeError as error:
        msg = f"{error.msg} at line {error.lineno}, column {error.colno}"
        raise BodyError(msg) from None
    except ValueError as error:  # an integer longer than int() reads
        if isinstance(error, BodyError):
            raise
        msg = "a number has too many digits"
        raise BodyError(msg) from None
    if _SURROGATE.search(text):
        _check_surrogates(data)
    return data


def parse_model(body: bytes, model: type[Model], *, instrument: str | None = None) -> Model:
    """Parse ``body`` as JSON and validate it as ``model``.

    Raises:
        ProblemError: 422: not JSON (``invalid-request``), or not of the model's
            shape (the fields that failed, as in :func:`~trivselscore.service.problems.from_validation`).
    """
    data = read_json(body)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ProblemError(from_validation(error.errors(), instrument=instrument)) from None


def invalid_body(detail: str) -> Problem:
    """The 422 problem of a body that cannot be read."""
    return Problem(type=problem_type("invalid-request"), title="Invalid request", status=422, detail=detail)


def _check_depth(raw: bytes) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH`, counting brackets outside strings."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return
    outside = _STRINGS.sub(b'""', raw)
    steps = _NESTING[np.frombuffer(outside, dtype=np.uint8)]
    if steps.size and int(np.cumsum(steps, dtype=np.int32).max()) > MAX_DEPTH:
        msg = f"arrays and objects are nested deeper than {MAX_DEPTH} levels"
        raise BodyError(msg)


def _check_surrogates(data: object) -> None:
    """Refuse a string escape that is half a UTF-16 pair (no UTF-8 text can hold it)."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        msg = "a string holds an unpaired surrogate (\\ud800-\\udfff)"
        raise BodyError(msg) from None


def _constant(name: str) -> object:
    msg = f"{name} is not a JSON value (send null for an unanswered item)"
    raise BodyError(msg)


def _unique(pairs: Sequence[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        msg = "an object has the same key twice"
        raise BodyError(msg)
    return result
