"""The OpenAPI document: FastAPI's, with the error responses, the problem schemas and bearer auth.

The document does not depend on the settings (token or not, CORS or not), so
the file ``docs/openapi.json`` is the one contract for every deployment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.openapi.utils import get_openapi

from trivselscore.service.middleware import FHIR_JSON
from trivselscore.service.models import BatchLine, BatchRow
from trivselscore.service.problems import PROBLEM_JSON, OperationOutcome, Problem

if TYPE_CHECKING:
    from fastapi import FastAPI
    from pydantic import BaseModel

__all__ = ["ERRORS", "build_openapi"]

ERRORS: dict[int, str] = {
    401: "A bearer token is required (when the service is configured with one) and was missing or wrong.",
    404: "No instrument has this id; suggestions lists close ids.",
    413: "The request body is larger than the service's limit.",
    415: "The Content-Type is not one this operation reads.",
    422: "The answers or parameters are not valid; the problem names the item, value and allowed values.",
    500: "An unexpected error; the body says nothing about the cause or the input.",
}
"""Every error status the service sends, and when."""

_OPEN = frozenset({"/health"})
_REF = "#/components/schemas/{model}"


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document (built once, then cached on the app)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = document.setdefault("components", {})
    schemas: dict[str, Any] = components.setdefault("schemas", {})
    for model in (Problem, OperationOutcome, BatchRow, BatchLine):
        _add_schema(schemas, model)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    components["schemas"] = dict(sorted(schemas.items()))
    components["securitySchemes"] = {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "Required when the service is started with a token (TRIVSELSCORE_TOKEN[_FILE]).",
        }
    }
    document["security"] = [{"bearerAuth": []}]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = {code: body for code, body in operation["responses"].items() if code != "422"}
            responses.update(_errors(path, method))
            operation["responses"] = responses
            if path in _OPEN:
                operation["security"] = []
    app.openapi_schema = document
    return document


def _add_schema(schemas: dict[str, Any], model: type[BaseModel]) -> None:
    schema = model.model_json_schema(ref_template=_REF, mode="serialization")
    for name, definition in schema.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas[model.__name__] = schema


def _errors(path: str, method: str) -> dict[str, Any]:
    fhir = path.startswith("/fhir/")
    media, schema = (FHIR_JSON, "OperationOutcome") if fhir else (PROBLEM_JSON, "Problem")
    codes = [500]
    if path not in _OPEN:
        codes.append(401)
    if "{instrument_id}" in path:
        codes.append(404)
    if method == "post":
        codes += [413, 415, 422]
    return {
        str(code): {
            "description": ERRORS[code],
            "content": {media: {"schema": {"$ref": _REF.format(model=schema)}}},
        }
        for code in sorted(codes)
    }
