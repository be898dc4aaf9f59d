"""The HTTP scoring service: ``trivselscore serve``, or ``create_app(settings)`` to embed.

For systems not written in Python (.NET, Java): JSON in, JSON out, FHIR for KL
QuestionnaireResponses, an OpenAPI contract (``docs/openapi.json``), RFC 9457
problem details for every error. Stateless and secure by default: it binds to
127.0.0.1, takes an optional bearer token, limits the request body, allows no
CORS unless configured, stores nothing, and logs no answer, score or identifier.

FastAPI and uvicorn are the optional extra ``server``
(``pip install "trivselscore[server]"``); this package imports them only when an
app is built or served.

Examples:
    >>> from trivselscore.service import Settings
    >>> Settings().host, Settings().max_body_bytes
    ('127.0.0.1', 1048576)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trivselscore.service.cli import add_arguments, run, serve, serve_command
from trivselscore.service.settings import Settings, SettingsError

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["Settings", "SettingsError", "add_arguments", "create_app", "run", "serve", "serve_command"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service's ASGI app (FastAPI); see :func:`trivselscore.service.app.create_app`.

    Args:
        settings: How to run; default ``Settings()``.

    Returns:
        The app, to serve with any ASGI server or to mount in an existing one.
    """
    from trivselscore.service.app import create_app as build  # noqa: PLC0415 - the server extra is optional

    return build(settings)
