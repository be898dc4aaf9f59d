"""Checks shared by the routes: the instrument of a request, its scoring options, its media type.

The allowed values come from the definition (its schemes, norm tables and
missing variants), so a 422 can list them; nothing here knows any instrument.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request  # noqa: TC002 - FastAPI reads the dependency's annotation at run time

from trivselscore.definitions import Instrument
from trivselscore.instruments.registry import get_instrument
from trivselscore.service import redact
from trivselscore.service.problems import Problem, ProblemError, http_problem, problem_type

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pydantic import BaseModel

__all__ = [
    "GENERAL_POLICIES",
    "check_options",
    "instrument_of",
    "json_body",
    "media_type",
    "missing_policies",
    "require",
    "require_json",
]

GENERAL_POLICIES = ("raise", "propagate", "prorate")
"""The missing-data policies of every instrument (``trivselscore.score``'s ``missing``)."""


def instrument_of(request: Request, instrument_id: str) -> Instrument:
    """The instrument, remembered on the request for the log line.

    Raises:
        UnknownInstrumentError: No such instrument (404 in the path, 422 in a body).
    """
    definition = get_instrument(instrument_id)
    request.state.instrument = definition.id
    return definition


def missing_policies(definition: Instrument) -> list[str]:
    """The values ``missing`` accepts for this instrument (besides null).

    Examples:
        >>> from trivselscore import get_instrument
        >>> missing_policies(get_instrument("who5"))
        ['raise', 'propagate', 'prorate']
    """
    return [*GENERAL_POLICIES, *(variant.id for variant in definition.missing_variants)]


def check_options(
    definition: Instrument, *, missing: str | None, scheme: str | None, norms: str | None = None
) -> None:
    """Refuse an unknown missing policy, scheme or norm table with a 422 listing the allowed values.

    Raises:
        ProblemError: One of them is not the instrument's.
    """
    checks: tuple[tuple[str, str | None, list[str]], ...] = (
        ("missing", missing, missing_policies(definition)),
        ("scheme", scheme, [s.id for s in definition.schemes]),
        ("norms", norms, [t.id for t in definition.norms]),
    )
    for parameter, value, allowed in checks:
        if value is not None and value not in allowed:
            shown = redact.token(value)
            named = redact.WITHHELD if shown is None else repr(shown)
            raise ProblemError(
                Problem(
                    type=problem_type("invalid-parameter"),
                    title="Invalid parameter",
                    status=422,
                    detail=f"{definition.id} has no {parameter} {named}; allowed: {allowed}",
                    instrument=definition.id,
                    parameter=parameter,
                    value=shown,
                    allowed=list(allowed),
                )
            )


def media_type(request: Request) -> str:
    """The request's media type, lower case, without parameters (``""`` when there is none)."""
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


def require(request: Request, allowed: Sequence[str]) -> str:
    """The request's media type, if it is one of ``allowed``.

    Raises:
        ProblemError: 415, naming the allowed media types.
    """
    given = media_type(request)
    if given not in allowed:
        shown = repr(given) if given else "no Content-Type"
        detail = f"{shown} is not accepted here; send {' or '.join(allowed)}"
        raise ProblemError(http_problem(415, detail).model_copy(update={"allowed": list(allowed)}))
    return given


def json_body(model: type[BaseModel], description: str, examples: Mapping[str, object]) -> dict[str, Any]:
    """The OpenAPI ``requestBody`` of a route that reads ``model`` as JSON itself (see ``bodies``).

    The routes parse their bodies with :mod:`trivselscore.service.bodies` (strict
    JSON, limits), so the framework does not see a body parameter; this declares it.
    """
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{model.__name__}"},
                    "examples": {name: {"value": value} for name, value in examples.items()},
                }
            },
        }
    }


async def require_json(request: Request) -> None:
    """A FastAPI dependency: the body must be ``application/json`` (415 otherwise)."""
    require(request, ("application/json",))
