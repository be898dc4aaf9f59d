"""Errors as RFC 9457 problem details (``application/problem+json``), or FHIR OperationOutcomes.

Every error the service sends is a :class:`Problem`: the HTTP status, a short
``title``, a ``detail`` sentence, and the structured fields of the library's
errors (``instrument``, ``item``, ``value``, ``allowed``, ...) so that a client
can show the user what to correct. Under ``/fhir/`` the same problem is sent as
a FHIR R4 OperationOutcome.

Examples:
    >>> from trivselscore import score
    >>> try:
    ...     score("who5", {"1": 6})
    ... except ValueError as error:
    ...     problem = from_exception(error)
    >>> problem.status, problem.item, problem.value, problem.allowed
    (422, '1', 6, [0, 1, 2, 3, 4, 5])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, model_validator

from trivselscore.errors import (
    ChangeInputError,
    ChangeParameterError,
    FhirError,
    IncompleteResponseError,
    ResponseError,
    TrivselscoreError,
    UnknownInstrumentError,
    UnknownScaleError,
)
from trivselscore.instruments.registry import INSTRUMENTS
from trivselscore.service import redact

__all__ = [
    "PROBLEM_JSON",
    "PROBLEM_TYPES",
    "FieldError",
    "Issue",
    "OperationOutcome",
    "Problem",
    "ProblemError",
    "from_exception",
    "from_validation",
    "http_problem",
    "internal_problem",
    "operation_outcome",
    "problem_type",
]

PROBLEM_JSON = "application/problem+json"
"""The media type of a problem detail (RFC 9457)."""

_BASE = "https://trivselscore.dev/problems/"

PROBLEM_TYPES: Mapping[str, str] = {
    "invalid-answers": "An answer is not one of the item's codes, or the answers have the wrong shape.",
    "incomplete-answers": "An answer is missing and the request asked for missing='raise'.",
    "invalid-parameter": "A parameter (missing policy, scheme, norm table, respondent, ...) is not valid.",
    "invalid-request": "The body is not valid JSON, or does not have the documented shape.",
    "unknown-instrument": "No instrument has this id; suggestions lists close ids.",
    "unknown-scale": "The instrument has no scale with this id.",
    "invalid-change-value": "A before or after value cannot be classified (out of range, wrong instrument).",
    "invalid-change-parameter": "A change method is unknown, or lacks or has an invalid parameter.",
    "fhir-resource": "A FHIR resource cannot be read as answers to an instrument.",
    "internal-error": "An unexpected error in the service; nothing about it is sent back.",
}
"""Problem type (the last part of the ``type`` URI) -> what it means."""


def problem_type(name: str) -> str:
    """The ``type`` URI of one of :data:`PROBLEM_TYPES`.

    Examples:
        >>> problem_type("invalid-answers")
        'https://trivselscore.dev/problems/invalid-answers'
    """
    if name not in PROBLEM_TYPES:
        raise KeyError(name)
    return _BASE + name


class FieldError(BaseModel):
    """One field of the request that failed validation."""

    model_config = ConfigDict(extra="forbid")

    location: str = Field(description="Where in the request, e.g. 'respondent.age' or 'query.scheme'.")
    message: str
    type: str = Field(description="A short machine-readable code, e.g. 'greater_than_equal'.")

    @model_validator(mode="after")
    def _nothing_personal(self) -> Self:
        self.location, self.message = redact.guard(self.location), redact.guard(self.message)
        return self


class Problem(BaseModel):
    """An RFC 9457 problem detail, with the structured fields of trivselscore's errors."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(default="about:blank", description="A URI naming the kind of problem.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str | None = Field(default=None, description="What went wrong in this request.")
    instrument: str | None = Field(default=None, description="The instrument concerned.")
    item: str | None = Field(default=None, description="The item concerned.")
    value: JsonValue = Field(default=None, description="The offending value.")
    allowed: list[int] | list[str] | None = Field(
        default=None, description="The allowed codes of the item, or the allowed values of the parameter."
    )
    row: int | None = Field(default=None, description="The 0-based row of a batch.")
    parameter: str | None = Field(default=None, description="The parameter concerned.")
    scale: str | None = Field(default=None, description="The scale concerned.")
    suggestions: list[str] | None = Field(default=None, description="Close instrument ids.")
    link_id: str | None = Field(default=None, description="The FHIR linkId concerned.")
    errors: list[FieldError] | None = Field(default=None, description="Every field that failed validation.")

    @model_validator(mode="after")
    def _nothing_personal(self) -> Self:
        """The last guard: no string of a problem holds anything shaped like a CPR number."""
        for name in ("title", "detail", "instrument", "item", "parameter", "scale", "link_id"):
            text = getattr(self, name)
            if text is not None:
                setattr(self, name, redact.guard(text))
        if isinstance(self.value, str):
            self.value = redact.guard(self.value)
        return self

    def body(self) -> bytes:
        """The JSON body, without empty fields."""
        return self.model_dump_json(exclude_none=True).encode()


class ProblemError(Exception):
    """Raised inside the service to send ``problem`` as the response."""

    def __init__(self, problem: Problem, headers: Mapping[str, str] | None = None) -> None:
        self.problem = problem
        self.headers = dict(headers or {})
        super().__init__(problem.detail or problem.title)


class Issue(BaseModel):
    """One issue of an OperationOutcome."""

    model_config = ConfigDict(extra="forbid")

    severity: str
    code: str
    diagnostics: str | None = None
    details: dict[str, str] | None = None
    expression: list[str] | None = None


class OperationOutcome(BaseModel):
    """A FHIR R4 OperationOutcome: how the FHIR endpoint reports an error."""

    model_config = ConfigDict(extra="forbid")

    resourceType: str = "OperationOutcome"  # noqa: N815 - the FHIR element name
    issue: list[Issue]


_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}  # RFC 9110's names
_FHIR_CODES = {401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported", 413: "too-long"}
_FHIR_CODES |= {415: "not-supported", 422: "invalid", 400: "invalid"}


def operation_outcome(problem: Problem) -> OperationOutcome:
    """The problem as a FHIR OperationOutcome (one error issue).

    Examples:
        >>> outcome = operation_outcome(Problem(title="Invalid", status=422, detail="no", link_id="happy"))
        >>> outcome.issue[0].code, outcome.issue[0].expression
        ('invalid', ["QuestionnaireResponse.item.where(linkId='happy')"])
    """
    expression = None
    if problem.link_id is not None:
        expression = [f"QuestionnaireResponse.item.where(linkId='{problem.link_id}')"]
    return OperationOutcome(
        issue=[
            Issue(
                severity="error",
                code=_FHIR_CODES.get(problem.status, "exception"),
                diagnostics=problem.detail or problem.title,
                details={"text": problem.title},
                expression=expression,
            )
        ]
    )


def http_problem(status: int, detail: str | None = None) -> Problem:
    """A problem with no meaning beyond its HTTP status (RFC 9457 ``about:blank``).

    Examples:
        >>> http_problem(404).title
        'Not Found'
    """
    return Problem(title=_TITLES.get(status) or HTTPStatus(status).phrase, status=status, detail=detail)


def internal_problem() -> Problem:
    """The 500 problem: no traceback, no input, nothing about the cause."""
    return Problem(
        type=problem_type("internal-error"),
        title="Internal error",
        status=500,
        detail="The service failed unexpectedly; the request was not scored. The event is logged.",
    )


def from_validation(
    errors: Sequence[Mapping[str, Any]], *, instrument: str | None = None, row: int | None = None
) -> Problem:
    """A 422 problem from pydantic's (or FastAPI's) validation errors.

    Args:
        errors: ``ValidationError.errors()`` or ``RequestValidationError.errors()``.
        instrument: The instrument of the request, if known.
        row: The row of a batch, if any.

    Returns:
        A problem naming the first failing field as ``parameter`` (with its
        ``value`` when :mod:`~trivselscore.service.redact` allows it), and every
        failure in ``errors``. The value of an unknown field is never repeated.
    """
    first = errors[0] if errors else {}
    malformed = first.get("type") == "json_invalid"
    fields = [
        FieldError(
            location="body" if malformed else _location(error.get("loc", ())),
            message=_message(error),
            type=str(error["type"]),
        )
        for error in errors
    ]
    location = fields[0].location if fields else "body"
    detail = "the body is not valid JSON" if malformed else f"{location}: {fields[0].message}"
    return Problem(
        type=problem_type("invalid-request" if location == "body" else "invalid-parameter"),
        title="Invalid request",
        status=422,
        detail=detail,
        instrument=instrument,
        parameter=None if location == "body" else location,
        value=None if malformed else _input(first),
        row=row,
        errors=fields,
    )


def from_exception(error: Exception, *, in_path: bool = False, row: int | None = None) -> Problem:
    """The problem for an error raised by the library, or by pydantic, on bad input.

    Values and names from the request are repeated only as
    :mod:`~trivselscore.service.redact` allows (a small answer code, a short
    name); elsewhere they are withheld, in the fields and in ``detail``.

    Args:
        error: A :class:`~trivselscore.errors.TrivselscoreError`, a pydantic
            ``ValidationError`` or another ``ValueError``.
        in_path: The instrument id came from the URL path: an unknown one is
            404, not 422.
        row: The row of a batch, if any.

    Returns:
        The problem: 404 for an unknown instrument in the path, else 422.
    """
    if isinstance(error, ValidationError):
        return from_validation(error.errors(), row=row)
    if isinstance(error, UnknownInstrumentError):
        requested = redact.token(error.requested)
        return Problem(
            type=problem_type("unknown-instrument"),
            title="Unknown instrument",
            status=404 if in_path else 422,
            detail=redact.scrub(str(error), error.requested, keep=[requested]),
            value=requested,
            suggestions=list(error.suggestions),
            allowed=sorted(INSTRUMENTS),
            parameter=None if in_path else "instrument",
            row=row,
        )
    if isinstance(error, ResponseError):
        return _response_problem(error, row)
    return _other_problem(error, row)


def _other_problem(error: Exception, row: int | None) -> Problem:
    if isinstance(error, UnknownScaleError):
        requested = redact.token(error.requested)
        return Problem(
            type=problem_type("unknown-scale"),
            title="Unknown scale",
            status=422,
            detail=redact.scrub(str(error), error.requested, keep=[requested]),
            instrument=redact.token(error.instrument_id),
            parameter="scale",
            value=requested,
            allowed=list(error.scales),
        )
    if isinstance(error, ChangeInputError):
        scale = redact.token(error.scale_id)
        return Problem(
            type=problem_type("invalid-change-value"),
            title="Invalid change value",
            status=422,
            detail=_withheld(str(error), error.value, redact.number(error.value), keep=[scale]),
            instrument=redact.token(error.instrument_id),
            scale=scale,
            value=redact.number(error.value),
            row=error.row,
        )
    if isinstance(error, ChangeParameterError):
        shown = redact.number(error.value) if _is_number(error.value) else redact.token(error.value)
        return Problem(
            type=problem_type("invalid-change-parameter"),
            title="Invalid change parameter",
            status=422,
            detail=_withheld(str(error), error.value, shown),
            parameter=error.parameter or "method",
            value=shown,
        )
    kind = "invalid-request" if isinstance(error, TrivselscoreError) else "invalid-parameter"
    return Problem(
        type=problem_type(kind), title="Invalid request", status=422, detail=redact.guard(str(error)), row=row
    )


def _response_problem(error: ResponseError, row: int | None) -> Problem:
    if isinstance(error, FhirError):
        kind, title = "fhir-resource", "FHIR resource cannot be read"
    elif isinstance(error, IncompleteResponseError):
        kind, title = "incomplete-answers", "Incomplete answers"
    else:
        kind, title = "invalid-answers", "Invalid answers"
    item, link_id = redact.token(error.item_id), redact.token(getattr(error, "link_id", None))
    names = [(error.item_id, item), (getattr(error, "link_id", None), link_id)]
    withheld = [name for name, shown in names if shown is None]
    value = redact.code(error.value)
    return Problem(
        type=problem_type(kind),
        title=title,
        status=422,
        detail=_withheld(str(error), error.value, value, *withheld, keep=[item, link_id]),
        instrument=redact.token(error.instrument_id) or None,
        item=item,
        value=value,
        allowed=list(error.allowed) or None,
        row=row if row is not None else error.row,
        link_id=link_id,
    )


def _withheld(
    text: str, value: object, shown: object, *names: object, keep: Sequence[str | None] = ()
) -> str:
    """``text`` without ``value`` (unless it is ``shown``) and without ``names``."""
    return redact.scrub(text, *([] if shown is not None else [value]), *names, keep=keep)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _location(loc: object) -> str:
    """``("respondent", "age")`` -> ``"respondent.age"``; a query parameter keeps its prefix.

    A part that is not a token-shaped name (an unknown field named with a CPR
    number, say) is withheld. (The service reads bodies itself, so no location
    starts with FastAPI's ``body``.)
    """
    parts = [str(part) for part in loc] if isinstance(loc, (list, tuple)) else []
    return ".".join(redact.token(part) or redact.WITHHELD for part in parts) or "body"


def _input(error: Mapping[str, Any]) -> JsonValue:
    """The value that failed, when it may be repeated: never an unknown field's value."""
    if error.get("type") == "extra_forbidden":
        return None
    given = error.get("input")
    return redact.number(given) if _is_number(given) else redact.token(given)


def _message(error: Mapping[str, Any]) -> str:
    """Pydantic's message, without the input unless it may be repeated."""
    message = str(error.get("msg", "invalid"))
    given = error.get("input")
    if _input(error) is not None or given is None:
        return redact.guard(message)
    return redact.scrub(message, given)
