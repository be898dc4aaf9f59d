"""A pydantic model and JSON Schema of one respondent's answers, built from a definition.

One contract for :func:`json_schema`, :func:`response_model` and
:func:`trivselscore.score` given a mapping: all three accept exactly the same
answers (``tests/tabular/test_one_contract.py`` checks them on one table).

* **Keys** are item ids or their aliases (``"1"`` or ``"who5_1"``), each item at
  most once; an unknown key is rejected. An absent key means unanswered.
* **Values** are JSON numbers equal to one of the item's codes, or null
  (unanswered). A whole number written with a fraction, ``3.0`` or ``3e0``, is the
  code 3: JSON has one number type, JSON Schema counts ``3.0`` as an integer, and
  clients in .NET or Java often send a whole number from a ``double`` that way.
  ``3.5``, ``true``, the string ``"3"`` and codes out of range are rejected.

Both are built once per instrument and cached, safely across threads; the model
class lives as long as its instrument and its instances can be pickled.
"""

from __future__ import annotations

import copy
import math
import weakref
from collections.abc import Mapping
from numbers import Integral, Real
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    model_validator,
)

from trivselscore.definitions.instrument import Instrument
from trivselscore.instruments.registry import INSTRUMENTS, get_instrument
from trivselscore.support.cache import LifetimeCache

if TYPE_CHECKING:
    from trivselscore.definitions.model import Item

__all__ = ["JSON_SCHEMA_DIALECT", "ResponseModel", "json_schema", "response_model"]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect pydantic emits, written as ``$schema``."""


def _add_aliases(schema: dict[str, Any], model: type) -> None:
    """Each alias is a property like its item's; ``dependentSchemas`` allows one name per item."""
    names: Mapping[str, str] = getattr(model, "__item_names__", {})
    properties: dict[str, Any] = schema["properties"]
    groups: dict[str, list[str]] = {}
    for name, item_id in names.items():
        groups.setdefault(item_id, []).append(name)
    dependent: dict[str, Any] = {}
    for item_id, group in groups.items():
        for alias in group:
            if alias == item_id:
                continue
            properties[alias] = {
                "anyOf": copy.deepcopy(properties[item_id]["anyOf"]),
                "default": None,
                "title": f"item {item_id} (alias {alias})",
                "description": f"Another name of item {item_id}; give the item once, by one name.",
            }
            others = [name for name in group if name != alias]
            dependent[alias] = {"properties": dict.fromkeys(others, False)}
    if dependent:
        schema["dependentSchemas"] = dependent


class ResponseModel(BaseModel):
    """The base of every :func:`response_model` class: one respondent's answers by item id.

    Frozen; keys may be item ids or aliases (stored under the item id); extra keys
    are forbidden. Instances pickle by instrument id (a shipped instrument: they
    load in another process) or with the instrument itself (one built at run time).
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, json_schema_extra=_add_aliases)

    __item_names__: ClassVar[Mapping[str, str]] = MappingProxyType({})
    """Every accepted key (item id or alias) -> the item id."""
    __instrument_ref__: ClassVar[weakref.ref[Instrument] | None] = None
    """The instrument the class was built from (weak: the class must not keep it alive)."""

    @model_validator(mode="before")
    @classmethod
    def _item_keys(cls, data: object) -> object:
        """Aliases and int keys to item ids, as ``score()`` reads them; an item given twice is an error."""
        if not isinstance(data, Mapping):
            return data  # pydantic rejects it with its own message
        out: dict[str, object] = {}
        given: dict[str, object] = {}
        for key, value in data.items():
            if isinstance(key, bool) or not isinstance(key, (str, Integral)):
                msg = f"item key {key!r} must be a str or int"
                raise ValueError(msg)  # noqa: TRY004 - pydantic turns ValueError into ValidationError
            name = key if isinstance(key, str) else str(int(key))
            item_id = cls.__item_names__.get(name, name)  # an unknown key stays: extra="forbid" rejects it
            if item_id in given:
                msg = f"item {item_id!r} is given twice (as {given[item_id]!r} and {key!r})"
                raise ValueError(msg)
            given[item_id] = key
            out[item_id] = value
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as (instrument, answers): the class is rebuilt by :func:`response_model`."""
        ref = type(self).__instrument_ref__
        instrument = None if ref is None else ref()
        if instrument is None:
            msg = f"cannot pickle {type(self).__name__}: its instrument no longer exists"
            raise TypeError(msg)
        shipped = INSTRUMENTS.get(instrument.id) is instrument
        return (_rebuild, (instrument.id if shipped else instrument, self.model_dump()))


def _rebuild(instrument: Instrument | str, answers: dict[str, object]) -> ResponseModel:
    """Unpickle one response (see :meth:`ResponseModel.__reduce__`)."""
    return response_model(instrument).model_validate(answers)


_MODELS: LifetimeCache[type[ResponseModel]] = LifetimeCache()


def response_model(instrument: Instrument | str) -> type[ResponseModel]:
    """A frozen pydantic model of one respondent's answers to ``instrument``.

    Every item is an optional field named by its id, typed ``Literal[codes] | None``,
    default None; the model accepts exactly what :func:`trivselscore.score` accepts
    in a mapping (see the module docstring): item ids or aliases as keys, each item
    once; a number equal to a code (``3`` or ``3.0``, stored as the int 3) or null.
    ``True``, ``"3"``, ``3.5`` and unknown keys are rejected. In Python, NaN is an
    unanswered item as in ``score()``; JSON has no NaN, so ``model_validate_json``
    rejects it. ``model_dump()`` of a valid object can be passed to ``score()``.

    Args:
        instrument: An ``Instrument`` or a registered id.

    Returns:
        The model class: the same class on every call for the same instrument,
        from any thread, for as long as the instrument exists.

    Raises:
        UnknownInstrumentError: ``instrument`` is an unknown id.

    Examples:
        >>> Who5 = response_model("who5")
        >>> Who5.model_validate({"1": 3, "who5_2": 4.0}).model_dump()
        {'1': 3, '2': 4, '3': None, '4': None, '5': None}
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

    It accepts exactly what :func:`response_model` and :func:`trivselscore.score`
    accept (see the module docstring).

    Args:
        instrument: An ``Instrument`` or a registered id.

    Returns:
        A JSON-serialisable dict: an object whose properties are the item ids and
        then their aliases, each ``anyOf`` an integer ``enum`` of the item's codes
        (``3.0`` is the integer 3 in JSON Schema) or ``null``; no property is
        required; ``additionalProperties`` is false; ``dependentSchemas`` forbids
        giving one item under two names.

    Examples:
        >>> schema = json_schema("who5")
        >>> schema["properties"]["1"]["anyOf"]
        [{'enum': [0, 1, 2, 3, 4, 5], 'type': 'integer'}, {'type': 'null'}]
        >>> schema["additionalProperties"], "required" in schema
        (False, False)
        >>> schema["dependentSchemas"]["who5_1"]
        {'properties': {'1': False}}
    """
    definition = instrument if isinstance(instrument, Instrument) else get_instrument(instrument)
    schema = response_model(definition).model_json_schema()
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def _build(instrument: Instrument) -> type[ResponseModel]:
    fields: dict[str, Any] = {item.id: _field(item) for item in instrument.items}
    name = f"{instrument.id.replace('-', '_')}_response"
    model: type[ResponseModel] = create_model(
        name,
        __base__=ResponseModel,
        __module__=__name__,
        __cls_kwargs__={"title": instrument.id},
        **fields,
    )
    model.__item_names__ = MappingProxyType(
        {name: item.id for item in instrument.items for name in (item.id, *item.aliases)}
    )
    model.__instrument_ref__ = weakref.ref(instrument)
    model.__doc__ = (
        f"One respondent's answers to {instrument.name} (definition version {instrument.version}). "
        "Keys are item ids or aliases; null or an absent key means unanswered."
    )
    return model


def _code(value: object, info: ValidationInfo) -> object:
    """A number equal to a code becomes that int (``3.0`` -> 3); the ``Literal`` checks the code.

    The same rule as ``score()``: no bool, no string, no duration; NaN is
    unanswered (in Python; JSON has no NaN).
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_, np.timedelta64)) or not isinstance(value, Real):
        msg = f"an answer code must be a number, not {type(value).__name__}"
        raise ValueError(msg)  # noqa: TRY004 - pydantic turns ValueError into ValidationError
    if isinstance(value, Integral):
        return int(value)
    number = float(value)
    if math.isnan(number) and info.mode == "python":
        return None
    if not number.is_integer():
        msg = f"an answer code must be a whole number, not {value!r}"
        raise ValueError(msg)
    return int(number)


def _field(item: Item) -> tuple[Any, Any]:
    allowed: Any = Literal.__getitem__(item.codes)
    codes: Any = Annotated[allowed | None, BeforeValidator(_code)]
    aliases = f" Also known as: {', '.join(item.aliases)}." if item.aliases else ""
    description = f"{item.theme}. Codes: " + "; ".join(
        f"{o.code} = {o.label_en}" for o in sorted(item.options, key=lambda o: o.code)
    )
    return (
        codes,
        Field(default=None, title=f"item {item.id}", description=description + "." + aliases),
    )
