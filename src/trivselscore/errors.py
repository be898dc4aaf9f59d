"""Errors raised by trivselscore.

The hierarchy::

    TrivselscoreError(Exception)
    ├── ResponseError(TrivselscoreError, ValueError)
    │   └── IncompleteResponseError(ResponseError)
    └── UnknownInstrumentError(TrivselscoreError, LookupError)

A broken instrument *definition* raises pydantic's ``ValidationError`` (itself a
``ValueError``) at import time; it is not wrapped.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "IncompleteResponseError",
    "ResponseError",
    "TrivselscoreError",
    "UnknownInstrumentError",
]


class TrivselscoreError(Exception):
    """Base class of every error this library raises on purpose."""


class ResponseError(TrivselscoreError, ValueError):
    """An answer, or the shape of the answers, is not valid for the instrument.

    Attributes:
        instrument_id: The instrument being scored.
        item_id: The offending item, or ``None`` for a shape error.
        value: The offending value (``None`` for a shape error).
        allowed: The allowed codes of the item (empty for a shape error).
        row: The row of the batch, or ``None`` for a single respondent.
    """

    def __init__(  # noqa: PLR0913 - every field is part of the structured error
        self,
        message: str,
        *,
        instrument_id: str,
        item_id: str | None = None,
        value: object = None,
        allowed: Sequence[int] = (),
        row: int | None = None,
    ) -> None:
        self.instrument_id = instrument_id
        self.item_id = item_id
        self.value = value
        self.allowed = tuple(allowed)
        self.row = row
        where = f" (row {row})" if row is not None else ""
        super().__init__(f"{instrument_id}: {message}{where}")

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the structured fields."""
        return (
            _rebuild,
            (
                type(self),
                self.args[0],
                self.instrument_id,
                self.item_id,
                self.value,
                self.allowed,
                self.row,
            ),
        )


class IncompleteResponseError(ResponseError):
    """An answer is missing and the caller asked for ``missing="raise"``."""


class UnknownInstrumentError(TrivselscoreError, LookupError):
    """No instrument is registered under the requested id.

    Attributes:
        requested: The id that was asked for.
        suggestions: Registered ids that look close to it.
    """

    def __init__(self, requested: str, suggestions: Sequence[str]) -> None:
        self.requested = requested
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no instrument with id {requested!r}{hint}")

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the structured fields."""
        return (type(self), (self.requested, self.suggestions))


def _rebuild(  # noqa: PLR0913, PLR0917 - pickle passes ResponseError's fields positionally
    cls: type[ResponseError],
    full_message: str,
    instrument_id: str,
    item_id: str | None,
    value: object,
    allowed: tuple[int, ...],
    row: int | None,
) -> ResponseError:
    error = cls.__new__(cls)
    error.instrument_id = instrument_id
    error.item_id = item_id
    error.value = value
    error.allowed = allowed
    error.row = row
    Exception.__init__(error, full_message)
    return error
