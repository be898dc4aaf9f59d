"""The OpenAPI document: FastAPI's, made into a contract that client generators read without a warning.

On top of FastAPI's document:

* every error response, with the problem schemas, and bearer auth;
* every enumeration is a named schema (``SourceStatus``, ``Sex``, ...) rather
  than an inline one, so that generators do not invent names that clash (an
  enum is named after its model and field, or after the field alone when
  several models share it with the same values); no two schemas share a name;
* every schema has a ``title``, every operation an ``operationId``, every
  request body is required and has examples;
* a field whose default is null has no ``default`` (it is optional, which
  ``required`` says): some generators (openapi-typescript) make a field with a
  default required, which is wrong for a request and for a problem's absent fields.

The document does not depend on the settings (token or not, CORS or not), so
the file ``docs/openapi.json`` is the one contract for every deployment.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from fastapi.openapi.utils import get_openapi

from trivselscore.service.middleware import FHIR_JSON
from trivselscore.service.models import ANSWERS_SCHEMA, BatchLine, BatchRow, ChangeRequest, ScoreRequest
from trivselscore.service.problems import PROBLEM_JSON, OperationOutcome, Problem

if TYPE_CHECKING:
    from fastapi import FastAPI
    from pydantic import BaseModel
    from pydantic.json_schema import JsonSchemaMode

__all__ = ["ERRORS", "FHIR_SCHEMAS", "build_openapi", "name_enums"]

ERRORS: dict[int, str] = {
    401: "A bearer token is required (when the service is configured with one) and was missing or wrong.",
    404: "No instrument has this id; suggestions lists close ids.",
    408: "The request body did not arrive within the service's body timeout.",
    413: "The request body is larger than the service's limit.",
    415: "The Content-Type is not one this operation reads.",
    422: (
        "The body is not valid JSON (or CSV), or the answers or parameters are not valid; the problem "
        "names the item, the rule and the allowed values."
    ),
    500: "An unexpected error; the body says nothing about the cause or the input.",
}
"""Every error status the service sends, and when."""

FHIR_SCHEMAS: dict[str, dict[str, Any]] = {
    "FhirParameters": {
        "title": "FhirParameters",
        "description": "A FHIR R4 Parameters resource (see the operation's description for its parameters).",
        "type": "object",
        "properties": {
            "resourceType": {"type": "string", "const": "Parameters"},
            "parameter": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
        },
        "required": ["resourceType", "parameter"],
        "additionalProperties": True,
    },
    "FhirBundle": {
        "title": "FhirBundle",
        "description": "A FHIR R4 Bundle of type collection: one Observation per scale, in entry[].resource.",
        "type": "object",
        "properties": {
            "resourceType": {"type": "string", "const": "Bundle"},
            "type": {"type": "string", "const": "collection"},
            "entry": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
        },
        "required": ["resourceType", "type", "entry"],
        "additionalProperties": True,
    },
}
"""The FHIR resources of the ``$score`` operation, as far as the service reads or writes them."""

_OPEN = frozenset({"/health"})
_REF = "#/components/schemas/{model}"
_MODELS: tuple[tuple[type[BaseModel], JsonSchemaMode], ...] = (
    (Problem, "serialization"),
    (OperationOutcome, "serialization"),
    (BatchLine, "serialization"),
    (BatchRow, "validation"),
    (ScoreRequest, "validation"),
    (ChangeRequest, "validation"),
)


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
    for model, mode in _MODELS:
        _add_schema(schemas, model, mode)
    schemas.update(FHIR_SCHEMAS)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    name_enums(schemas)
    _share(schemas, "Answers", ANSWERS_SCHEMA)
    for name, schema in schemas.items():
        schema.setdefault("title", name)
        for field in schema.get("properties", {}).values():
            if "default" in field and field["default"] is None:
                del field["default"]  # optional already says so; generators would make it required
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
            _complete(path, method, operation)
    app.openapi_schema = document
    return document


def _complete(path: str, method: str, operation: dict[str, Any]) -> None:
    """Every error response of the operation; its body required; no token for the open paths."""
    responses = {code: body for code, body in operation["responses"].items() if code != "422"}
    responses.update(_errors(path, method))
    operation["responses"] = responses
    if "requestBody" in operation:
        operation["requestBody"]["required"] = True
    if path in _OPEN:
        operation["security"] = []


def name_enums(schemas: dict[str, Any]) -> None:
    """Move every inline enumeration of a model's field into a named schema (in place).

    The name is the field's in PascalCase when every model that has an enum
    field of that name has the same values (``Sex``), else the model's name and
    the field's (``SourceStatus``). The field keeps its description and default.

    Raises:
        ValueError: Two schemas would have one name.

    Examples:
        >>> schemas = {"Person": {"properties": {"sex": {"enum": ["f", "m"], "type": "string"}}},
        ...            "Norm": {"properties": {"sex": {"anyOf": [{"enum": ["f", "m"]}, {"type": "null"}]}}}}
        >>> name_enums(schemas)
        >>> schemas["Person"]["properties"]["sex"], schemas["Sex"]["enum"]
        ({'$ref': '#/components/schemas/Sex'}, ['f', 'm'])
        >>> name_enums({"PersonSex": {}, "Person": {"properties": {"sex": {"enum": ["f", "m"]}}}})
        Traceback (most recent call last):
        ...
        ValueError: two schemas would be named 'PersonSex'
    """
    found: list[tuple[str, str, dict[str, Any]]] = []
    for owner, schema in schemas.items():
        for field, node in schema.get("properties", {}).items():
            found.extend((owner, field, enum) for enum in _inline_enums(node))
    values: defaultdict[str, set[tuple[object, ...]]] = defaultdict(set)
    for _, field, enum in found:
        values[field].add(tuple(enum["enum"]))
    names: dict[str, dict[str, Any]] = {}
    for owner, field, enum in found:
        shared = len(values[field]) == 1 and sum(f == field for _, f, _ in found) > 1
        name = _pascal(field) if shared else owner + _pascal(field)
        named = {key: enum[key] for key in ("type", "enum") if key in enum} | {"title": name}
        if name in schemas or names.setdefault(name, named)["enum"] != named["enum"]:
            msg = f"two schemas would be named {name!r}"
            raise ValueError(msg)
        for key in ("type", "enum", "title"):
            enum.pop(key, None)
        enum["$ref"] = _REF.format(model=name)
    schemas.update(names)


def _share(schemas: dict[str, Any], name: str, shared: dict[str, Any]) -> None:
    """Make ``shared`` the named schema ``name``, and every field that is it a reference to it."""
    schemas[name] = dict(shared)
    for schema in schemas.values():
        for field, node in schema.get("properties", {}).items():
            if node == shared:
                schema["properties"][field] = {"$ref": _REF.format(model=name)}


def _inline_enums(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The enum schemas in a field's schema (itself, or a member of anyOf/oneOf, or its items)."""
    if "enum" in node:
        return [node]
    members = [member for key in ("anyOf", "oneOf") for member in node.get(key, [])]
    found = [enum for member in members for enum in _inline_enums(member)]
    if isinstance(node.get("items"), dict):
        found += _inline_enums(node["items"])
    return found


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_"))


def _add_schema(schemas: dict[str, Any], model: type[BaseModel], mode: JsonSchemaMode) -> None:
    schema = model.model_json_schema(ref_template=_REF, mode=mode)
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
        codes += [408, 413, 415, 422]
    return {
        str(code): {
            "description": ERRORS[code],
            "content": {media: {"schema": {"$ref": _REF.format(model=schema)}}},
        }
        for code in sorted(codes)
    }
