"""One ASGI middleware for what every request needs: auth, the body limit, the log line, and a 500 guard.

A plain ASGI class (not Starlette's ``BaseHTTPMiddleware``): it adds little to
each request and never buffers a body. In order, for each HTTP request:

1. a bearer token, when one is configured (``/health`` excepted), compared in
   constant time; a missing or wrong token gets 401 with ``WWW-Authenticate``;
2. a ``Content-Length`` above the body limit gets 413 at once; otherwise the
   body is counted as it arrives and reading past the limit raises 413; a body
   that has not arrived within the body timeout (from the start of the request)
   gets 408, and the connection is closed;
3. the response gets ``Cache-Control: no-store`` and ``X-Content-Type-Options``;
4. an exception nothing else handled becomes a 500 problem with no detail, and
   is logged by its type only;
5. one log line (see :mod:`trivselscore.service.logs`).
"""

from __future__ import annotations

import asyncio
import hmac
import time
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match

from trivselscore.instruments.registry import INSTRUMENTS
from trivselscore.service.logs import logger, request_line
from trivselscore.service.problems import (
    PROBLEM_JSON,
    Problem,
    http_problem,
    internal_problem,
    operation_outcome,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from starlette.routing import BaseRoute
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyTimeoutError", "BodyTooLargeError", "ServiceMiddleware", "problem_response"]

FHIR_JSON = "application/fhir+json"
_OPEN_PATHS = frozenset({"/health"})
_SECURITY_HEADERS = [(b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff")]
_UNMATCHED = "-"


class BodyTimeoutError(HTTPException):
    """The request body did not arrive within the body timeout (408)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            status_code=408,
            detail=f"the request body did not arrive within {seconds:g} seconds",
            headers={"connection": "close"},
        )


class BodyTooLargeError(HTTPException):
    """The request body is larger than the configured limit (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            status_code=413,
            detail=f"the request body is larger than the limit of {limit} bytes",
            headers={"connection": "close"},
        )


def problem_response(problem: Problem, *, fhir: bool, headers: Mapping[str, str] | None = None) -> Response:
    """The response for a problem: ``application/problem+json``, or an OperationOutcome under ``/fhir``."""
    if fhir:
        body = operation_outcome(problem).model_dump_json(exclude_none=True).encode()
        return Response(body, status_code=problem.status, media_type=FHIR_JSON, headers=headers)
    return Response(problem.body(), status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


class ServiceMiddleware:
    """Auth, body limit, security headers, the 500 guard and the log line (see the module docstring).

    Args:
        app: The ASGI app inside.
        token: The bearer token required, or None.
        max_body_bytes: The largest request body accepted.
        body_timeout: Seconds from the start of a request to the end of its body.
        routes: The app's routes, to name the route of a request refused
            before routing (for the log line and the FHIR error format).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        max_body_bytes: int,
        routes: Sequence[BaseRoute],
        body_timeout: float = 30.0,
    ) -> None:
        self.app = app
        self.token = None if token is None else token.encode()
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout
        self.routes = [route for route in routes if isinstance(getattr(route, "path_format", None), str)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), *_SECURITY_HEADERS]
            await send(message)

        try:
            refused = self._refuse(scope)
            if refused is not None:
                await refused(scope, receive, send_with_headers)
            else:
                await self.app(scope, self._limited(receive), send_with_headers)
        except Exception as error:  # noqa: BLE001 - the last guard: a problem, never a traceback
            await self._fail(error, scope, receive, send_with_headers, started=status != 0)
        finally:
            logger.info(
                request_line(
                    scope["method"],
                    self._template(scope),
                    status,
                    time.perf_counter() - start,
                    _instrument(scope),
                )
            )

    def _refuse(self, scope: Scope) -> Response | None:
        """A 401 or 413 response, or None to let the request in."""
        headers = dict(scope["headers"])
        if self.token is not None and _route_path(scope) not in _OPEN_PATHS:
            scheme, _, given = headers.get(b"authorization", b"").partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(given.strip(), self.token):
                wrong = bool(given)
                detail = "the bearer token is wrong" if wrong else "this service requires a bearer token"
                challenge = 'Bearer realm="trivselscore"' + (', error="invalid_token"' if wrong else "")
                return problem_response(
                    http_problem(401, detail),
                    fhir=self._is_fhir(scope),
                    headers={"www-authenticate": challenge},
                )
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            error = BodyTooLargeError(self.max_body_bytes)
            return problem_response(
                http_problem(413, error.detail), fhir=self._is_fhir(scope), headers=error.headers
            )
        return None

    def _limited(self, receive: Receive) -> Receive:
        """``receive`` that counts body bytes (413 past the limit) and times the body (408 when late).

        Once the body is complete, ``receive`` is passed through untimed: a
        streaming response waits on it for the client to disconnect.
        """
        received = 0
        limit, seconds = self.max_body_bytes, self.body_timeout
        deadline = time.monotonic() + seconds
        complete = False

        async def receive_limited() -> Message:
            nonlocal received, complete
            if complete:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise BodyTimeoutError(seconds) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                complete = True
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        return receive_limited

    async def _fail(
        self, error: Exception, scope: Scope, receive: Receive, send: Send, *, started: bool
    ) -> None:
        """Answer an exception that escaped the app (if the response has not started)."""
        if isinstance(error, (BodyTooLargeError, BodyTimeoutError)):
            problem, headers = http_problem(error.status_code, error.detail), error.headers
        else:
            where = error.__traceback__
            while where is not None and where.tb_next is not None:
                where = where.tb_next
            line = f"{where.tb_frame.f_code.co_filename}:{where.tb_lineno}" if where is not None else "?"
            logger.error("unexpected %s at %s (%s)", type(error).__name__, line, self._template(scope))
            problem, headers = internal_problem(), None
        if not started:
            await problem_response(problem, fhir=self._is_fhir(scope), headers=headers)(scope, receive, send)

    def _template(self, scope: Scope) -> str:
        """The path template of the request's route, never the path itself."""
        route = scope.get("route")
        if route is None:
            for candidate in self.routes:
                match, _ = candidate.matches(scope)
                if match is Match.FULL:
                    route = candidate
                    break
        template = getattr(route, "path_format", None)
        return template if isinstance(template, str) else _UNMATCHED

    def _is_fhir(self, scope: Scope) -> bool:
        return self._template(scope).startswith("/fhir/")


def _route_path(scope: Scope) -> str:
    """The path inside the app: without the ``root_path`` of a mount or a proxy."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _instrument(scope: Scope) -> str | None:
    """The instrument of the request, only when it is a registered id (never other input)."""
    state = scope.get("state")
    named = state.get("instrument") if isinstance(state, dict) else None
    if named is None:
        named = scope.get("path_params", {}).get("instrument_id")
    return named if isinstance(named, str) and named in INSTRUMENTS else None
