"""Errors raised by trivselscore.

The hierarchy::

    TrivselscoreError(Exception)
    ├── ResponseError(TrivselscoreError, ValueError)
    │   ├── IncompleteResponseError(ResponseError)
    │   ├── AgeRangeError(ResponseError)
    │   ├── ColumnError(ResponseError)
    │   └── FhirError(ResponseError)
    ├── UnknownInstrumentError(TrivselscoreError, LookupError)
    ├── UnknownScaleError(TrivselscoreError, LookupError)
    ├── ChangeInputError(TrivselscoreError, ValueError)
    ├── ChangeParameterError(TrivselscoreError, ValueError)
    └── CohortDataError(TrivselscoreError, ValueError)

A broken instrument *definition* raises pydantic's ``ValidationError`` (itself a
``ValueError``) at import time; it is not wrapped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = [
    "AgeRangeError",
    "ChangeInputError",
    "ChangeParameterError",
    "CohortDataError",
    "ColumnError",
    "FhirError",
    "IncompleteResponseError",
    "ResponseError",
    "TrivselscoreError",
    "UnknownInstrumentError",
    "UnknownScaleError",
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


class AgeRangeError(ResponseError):
    """The respondent's age is outside the instrument's age range and ``age_policy="raise"``.

    The age is compared in completed years (22.9 is 22) with the instrument's
    ``age_range``, both ends included. With the default ``age_policy="flag"``
    nothing is raised: the scores are given, bands and T-scores are not, and the
    result carries the flag ``outside_age_range``.

    Attributes:
        age: The respondent's age, as given (also in ``value``).
        age_range: The instrument's (lowest, highest) age.
    """

    def __init__(
        self,
        message: str,
        *,
        instrument_id: str,
        age: float,
        age_range: tuple[float, float],
        row: int | None = None,
    ) -> None:
        super().__init__(message, instrument_id=instrument_id, value=age, row=row)
        self.age = age
        self.age_range = age_range

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the structured fields."""
        return (type(self).__new__, (type(self), self.args[0]), dict(vars(self)))


class ColumnError(ResponseError):
    """A table's item columns cannot be matched to the instrument's items.

    Raised by :func:`trivselscore.score_frame` and the CSV command line when an
    item has no column, matches more than one, or an explicit ``columns``
    entry names a column that does not exist.

    Attributes:
        found: Item id -> the column matched to it.
        missing: Items with no column.
        ambiguous: Item id -> the columns that all match it.
    """

    def __init__(  # noqa: PLR0913 - every field is part of the structured error
        self,
        message: str,
        *,
        instrument_id: str,
        item_id: str | None = None,
        value: object = None,
        found: Mapping[str, str] | None = None,
        missing: Sequence[str] = (),
        ambiguous: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message, instrument_id=instrument_id, item_id=item_id, value=value)
        self.found = dict(found or {})
        self.missing = tuple(missing)
        self.ambiguous = {k: tuple(v) for k, v in (ambiguous or {}).items()}

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the structured fields."""
        return (_rebuild_column_error, (self.args[0], self.__dict__.copy()))


class FhirError(ResponseError):
    """A FHIR Questionnaire or QuestionnaireResponse cannot be read as answers.

    Raised by :mod:`trivselscore.fhir`; nothing is scored from such a resource.
    ``instrument_id`` is ``""`` when the instrument is not yet known.

    Attributes:
        link_id: The Questionnaire ``linkId`` concerned, or ``None`` for a
            problem with the resource as a whole.
        path: Where in the resource, as a FHIRPath-like location such as
            ``QuestionnaireResponse.item[0].answer[0]``, or ``None``.
    """

    def __init__(  # noqa: PLR0913 - every field is part of the structured error
        self,
        message: str,
        *,
        instrument_id: str = "",
        link_id: str | None = None,
        item_id: str | None = None,
        value: object = None,
        allowed: Sequence[int] = (),
        path: str | None = None,
    ) -> None:
        super().__init__(
            message, instrument_id=instrument_id or "FHIR", item_id=item_id, value=value, allowed=allowed
        )
        self.instrument_id = instrument_id
        self.link_id = link_id
        self.path = path

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the structured fields."""
        return (type(self).__new__, (type(self), self.args[0]), dict(vars(self)))


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


class _FieldsError(TrivselscoreError):
    """An error whose structured fields are keyword arguments (pickles with them)."""

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the structured fields."""
        return (type(self), self.args, dict(vars(self)))


class UnknownScaleError(_FieldsError, LookupError):
    """The instrument has no scale with the requested id.

    Attributes:
        instrument_id: The instrument asked.
        requested: The scale id that was asked for.
        scales: The instrument's scale ids.
    """

    def __init__(
        self, message: str, *, instrument_id: str = "", requested: str = "", scales: Sequence[str] = ()
    ) -> None:
        self.instrument_id = instrument_id
        self.requested = requested
        self.scales = tuple(scales)
        super().__init__(message)


class ChangeInputError(_FieldsError, ValueError):
    """A before or after value cannot be classified (out of range, not a number, wrong shape).

    Attributes:
        instrument_id: The instrument.
        scale_id: The scale.
        value: The offending value, if one.
        row: The position in a vectorised call, or ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        instrument_id: str = "",
        scale_id: str = "",
        value: object = None,
        row: int | None = None,
    ) -> None:
        self.instrument_id = instrument_id
        self.scale_id = scale_id
        self.value = value
        self.row = row
        super().__init__(message)


class ChangeParameterError(_FieldsError, ValueError):
    """A change method lacks a parameter it needs, or a parameter is invalid.

    Attributes:
        method: The change method asked for.
        parameter: The missing or invalid parameter (e.g. ``"sd"``).
        value: The invalid value, or ``None`` when it is missing.
    """

    def __init__(self, message: str, *, method: str = "", parameter: str = "", value: object = None) -> None:
        self.method = method
        self.parameter = parameter
        self.value = value
        super().__init__(message)


class CohortDataError(_FieldsError, ValueError):
    """Long-format cohort data cannot be read as given.

    Duplicate (person, time point) rows, an unknown time point label, a missing
    column, a person whose group changes between rows, a missing age where
    versions are chosen by age, or an unknown measure.

    Attributes:
        problem: A short code: ``"duplicate"``, ``"unknown_time"``,
            ``"missing_column"``, ``"group_conflict"``, ``"bad_value"``,
            ``"missing_age"``, ``"unknown_measure"``, ``"versions"`` (versions
            chosen by age without an age range each, or with ranges that share a
            year) or ``"not_collected"`` (a scale whose items were not collected,
            or a declared name that is neither an optional block nor an item).
        rows: The offending row numbers (0-based, in input order), at most 20.
    """

    def __init__(self, message: str, *, problem: str = "", rows: Sequence[int] = ()) -> None:
        self.problem = problem
        self.rows = tuple(rows)
        super().__init__(message)


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


def _rebuild_column_error(full_message: str, fields: dict[str, object]) -> ColumnError:
    error = ColumnError.__new__(ColumnError)
    error.__dict__.update(fields)
    Exception.__init__(error, full_message)
    return error
