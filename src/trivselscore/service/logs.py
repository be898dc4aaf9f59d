"""The service's log lines: one per request, and nothing a person could be recognised by.

A request line has the method, the route's path *template* (never the path
itself, never the query string), the status, the duration and the instrument
id (only when it is a registered id). No answer, score, identifier, header or
body is ever logged; an unexpected exception is logged by its type alone.

Examples:
    >>> print(request_line("POST", "/v1/instruments/{instrument_id}/score", 200, 0.0042, "who5"))
    request method=POST path=/v1/instruments/{instrument_id}/score status=200 duration_ms=4.2 instrument=who5
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["LOGGER_NAME", "log_config", "logger", "request_line"]

LOGGER_NAME = "trivselscore.service"
"""The name of the service's logger."""

logger = logging.getLogger(LOGGER_NAME)


def request_line(method: str, template: str, status: int, seconds: float, instrument: str | None) -> str:
    """The log line of one request (see the module docstring for what it may contain)."""
    return (
        f"request method={method} path={template} status={status} "
        f"duration_ms={seconds * 1000:.1f} instrument={instrument or '-'}"
    )


def log_config(level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for ``uvicorn.run``: our lines and uvicorn's, no access log.

    Uvicorn's access log would write the full path with its query string and the
    client address, so it is switched off; the service writes its own line.

    Examples:
        >>> config = log_config("info")
        >>> config["loggers"]["uvicorn.access"]["handlers"], config["loggers"]["uvicorn.access"]["propagate"]
        ([], False)
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            LOGGER_NAME: {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }
