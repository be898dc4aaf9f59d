"""``create_app(settings)``: the FastAPI app of the scoring service, to serve or to embed.

Examples:
    >>> from trivselscore.service import Settings, create_app
    >>> app = create_app(Settings())
    >>> for path in app.openapi()["paths"]:
    ...     print(path)
    /health
    /v1/version
    /v1/instruments
    /v1/instruments/{instrument_id}
    /v1/instruments/{instrument_id}/schema
    /v1/instruments/{instrument_id}/score
    /v1/instruments/{instrument_id}/scores
    /v1/instruments/{instrument_id}/scores/ndjson
    /v1/instruments/{instrument_id}/scores/csv
    /v1/change
    /fhir/QuestionnaireResponse/$score
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from trivselscore.errors import TrivselscoreError
from trivselscore.service import routes_change, routes_fhir, routes_instruments, routes_score
from trivselscore.service.middleware import ServiceMiddleware, problem_response
from trivselscore.service.models import API_VERSION
from trivselscore.service.openapi import build_openapi
from trivselscore.service.problems import ProblemError, from_exception, from_validation, http_problem
from trivselscore.service.settings import Settings

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["DESCRIPTION", "app_from_env", "create_app"]

DESCRIPTION = """\
Score the youth mental-health questionnaires WHO-5, SDQ, SCAS and MFQ/SMFQ with trivselscore.
Stateless: nothing is stored, and no answer, score or identifier is logged.
Every result records the instrument definition version, the library version, the
missing-data policy and the cutoff scheme. Errors are RFC 9457 problem details
(application/problem+json), or OperationOutcomes under /fhir.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service's ASGI app.

    Args:
        settings: How to run; default: ``Settings()`` (no token, 1 MiB body limit,
            no CORS). ``host``, ``port`` and ``workers`` are for ``serve`` and
            are not used here.

    Returns:
        A FastAPI app: serve it with any ASGI server, or mount it in yours.

    Raises:
        SettingsError: The token file cannot be read, or its token is too short.
    """
    settings = settings if settings is not None else Settings()
    app = FastAPI(
        title="trivselscore scoring service",
        version=API_VERSION,
        description=DESCRIPTION,
        docs_url="/docs" if settings.docs else None,
        redoc_url=None,
        openapi_url="/openapi.json",
        generate_unique_id_function=lambda route: route.name,
    )
    routers = (routes_instruments.router, routes_score.router, routes_change.router, routes_fhir.router)
    for router in routers:
        app.include_router(router)
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(TrivselscoreError, _library)
    app.add_exception_handler(ValueError, _library)
    app.add_middleware(
        ServiceMiddleware,
        token=settings.bearer_token(),
        max_body_bytes=settings.max_body_bytes,
        body_timeout=settings.body_timeout,
        routes=[*app.router.routes, *(route for router in routers for route in router.routes)],
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    app.state.settings = settings
    return app


def app_from_env() -> FastAPI:
    """The app with settings from ``TRIVSELSCORE_*`` variables (what each worker process runs)."""
    return create_app(Settings.from_env(os.environ))


def _is_fhir(request: Request) -> bool:
    template = getattr(request.scope.get("route"), "path_format", "")
    return isinstance(template, str) and template.startswith("/fhir/")


async def _problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, ProblemError)  # noqa: S101 - registered for this type only
    return problem_response(error.problem, fhir=_is_fhir(request), headers=error.headers or None)


async def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)  # noqa: S101 - registered for this type only
    detail = error.detail if error.detail != _phrase(error.status_code) else None
    return problem_response(
        http_problem(error.status_code, detail), fhir=_is_fhir(request), headers=error.headers
    )


async def _request_validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)  # noqa: S101 - registered for this type only
    instrument = request.path_params.get("instrument_id")
    return problem_response(from_validation(error.errors(), instrument=instrument), fhir=_is_fhir(request))


async def _library(request: Request, error: Exception) -> Response:
    problem = from_exception(error, in_path="instrument_id" in request.path_params)
    return problem_response(problem, fhir=_is_fhir(request))


def _phrase(status: int) -> str:
    return http_problem(status).title
