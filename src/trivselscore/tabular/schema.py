"""A pydantic model and JSON Schema of one respondent's answers, built from a definition.

Keys are item ids; each value is one of the item's codes or null. An absent key
means unanswered, as in :func:`trivselscore.score`; unknown keys are rejected.
Both are built once per instrument and cached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from trivselscore.definitions.instrument import Instrument
from trivselscore.instruments.registry import get_instrument
from trivselscore.support.cache import IdentityCache

if TYPE_CHECKING:
    from trivselscore.definitions.model import Item

__all__ = ["JSON_SCHEMA_DIALECT", "json_schema", "response_model"]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect pydantic emits, written as ``$schema``."""

_CACHE_SIZE = 64
_MODELS: IdentityCache[type[BaseModel]] = IdentityCache(_CACHE_SIZE)


def response_model(instrument: Instrument | str) -> type[BaseModel]:
    """A frozen pydantic model of one respondent's answers to ``instrument``.

    Every item is an optional field named by its id, typed ``Literal[codes] | None``
    (exact: ``"3"``, ``3.0`` and ``True`` are rejected), default None; extra keys
    are forbidden. ``model_dump()`` of a valid object can be passed to
    :func:`trivselscore.score`.

    Args:
        instrument: An ``Instrument`` or a registered id.

    Returns:
        The model class (the same class on every call for the same instrument).

    Raises:
        UnknownInstrumentError: ``instrument`` is an unknown id.

    Examples:
        >>> Who5 = response_model("who5")
        >>> Who5.model_validate({"1": 3, "2": None}).model_dump()
        {'1': 3, '2': None, '3': None, '4': None, '5': None}
        >>> Who5.model_validate({"1": 6})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for who5
        ...
    """
    definition = instrument if isinstance(instrument, Instrument) else get_instrument(instrument)
    return _MODELS.get(definition, lambda: _build(definition))


def json_schema(instrument: Instrument | str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one respondent's answers to ``instrument``.

    Args:
        instrument: An ``Instrument`` or a registered id.

    Returns:
        A JSON-serialisable dict: an object whose properties are the item ids,
        each ``anyOf`` an ``enum`` of the item's codes or ``null``; no property is
        required; ``additionalProperties`` is false.

    Examples:
        >>> schema = json_schema("who5")
        >>> schema["properties"]["1"]["anyOf"]
        [{'enum': [0, 1, 2, 3, 4, 5], 'type': 'integer'}, {'type': 'null'}]
        >>> schema["additionalProperties"], "required" in schema
        (False, False)
    """
    definition = instrument if isinstance(instrument, Instrument) else get_instrument(instrument)
    schema = response_model(definition).model_json_schema()
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def _build(instrument: Instrument) -> type[BaseModel]:
    config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        title=instrument.id,
    )
    fields: dict[str, Any] = {item.id: _field(item) for item in instrument.items}
    name = f"{instrument.id.replace('-', '_')}_response"
    model: type[BaseModel] = create_model(name, __config__=config, **fields)
    model.__doc__ = (
        f"One respondent's answers to {instrument.name} (definition version {instrument.version}). "
        "Keys are item ids; null or an absent key means unanswered."
    )
    return model


def _exact_int(value: object) -> object:
    """Reject what a ``Literal`` of ints would accept by equality: ``True``, ``3.0``."""
    if type(value) is not int:
        msg = f"an answer code must be an integer, not {type(value).__name__}"
        raise ValueError(msg)
    return value


def _field(item: Item) -> tuple[Any, Any]:
    allowed: Any = Literal.__getitem__(item.codes)
    codes: Any = Annotated[allowed, BeforeValidator(_exact_int)]
    aliases = f" Also known as: {', '.join(item.aliases)}." if item.aliases else ""
    description = f"{item.theme}. Codes: " + "; ".join(
        f"{o.code} = {o.label_en}" for o in sorted(item.options, key=lambda o: o.code)
    )
    return (
        codes | None,
        Field(default=None, title=f"item {item.id}", description=description + "." + aliases),
    )
