r"""Embed the trivselscore scoring service in an existing ASGI app, under ``/trivselscore``.

Run: ``pip install "trivselscore[server]"`` then, with the token in a file only the
service account can read::

    TRIVSELSCORE_TOKEN_FILE=/etc/trivselscore/token uvicorn examples.api:app \
        --http trivselscore.service.protocol:GuardedH11Protocol

The service reads its settings from the ``TRIVSELSCORE_*`` variables, exactly as
``trivselscore serve`` does: with ``TRIVSELSCORE_TOKEN`` or ``TRIVSELSCORE_TOKEN_FILE``
set, every request under ``/trivselscore`` except ``/trivselscore/health`` needs
``Authorization: Bearer <token>``; a bad variable stops the app at start-up, naming it.
The ``--http`` option adds the service's timeout for slow request heads (see
docs/service.md). To run the service on its own instead: ``trivselscore serve``.
``tests/test_api_example.py`` starts this app with a token and calls it.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from trivselscore.service import Settings, create_app

app = FastAPI(title="a municipal case system")

# The whole service: /v1/instruments/{id}/score, /v1/change, the FHIR operation, problem
# details for every error. Token, body limit, timeouts and CORS come from TRIVSELSCORE_*.
app.mount("/trivselscore", create_app(Settings.from_env(os.environ)))


@app.get("/")
def home() -> dict[str, str]:
    """Where the scoring service lives in this app."""
    return {"scoring": "/trivselscore/v1/instruments", "contract": "/trivselscore/openapi.json"}
