"""Embed the trivselscore scoring service in an existing ASGI app, under ``/trivselscore``.

Run: ``pip install "trivselscore[server]"`` then ``uvicorn examples.api:app``. To run
the service on its own instead: ``trivselscore serve`` (see docs/service.md).
``tests/test_api_example.py`` calls this app with FastAPI's test client.
"""

from __future__ import annotations

from fastapi import FastAPI

from trivselscore.service import Settings, create_app

app = FastAPI(title="a municipal case system")

# The whole service: /v1/instruments/{id}/score, /v1/change, the FHIR operation, problem
# details for every error. Token, body limit and CORS come from Settings (or TRIVSELSCORE_*).
app.mount("/trivselscore", create_app(Settings(max_body_bytes=256 * 1024)))


@app.get("/")
def home() -> dict[str, str]:
    """Where the scoring service lives in this app."""
    return {"scoring": "/trivselscore/v1/instruments", "contract": "/trivselscore/openapi.json"}
