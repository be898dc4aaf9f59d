"""Build FHIR R4 Observation resources (plain JSON dicts) from a :class:`~trivselscore.Score`.

Element names and rules follow FHIR R4 (4.0.1), https://hl7.org/fhir/R4/observation.html:
``status`` and ``code`` are required; ``value[x]`` is one of a fixed list of types
(Quantity, CodeableConcept, string, boolean, integer, Range, Ratio, SampledData,
time, dateTime, Period; https://hl7.org/fhir/R4/valueset-permitted-data-type.html),
so a non-integer score goes in ``valueQuantity`` (R4 has no ``valueDecimal`` on
Observation); ``dataAbsentReason`` only when there is no value (invariant obs-6),
coded from http://terminology.hl7.org/CodeSystem/data-absent-reason. Every code
system and extension here other than those two is this library's own.

Every Observation is built of its own dicts and lists: none is shared with another
Observation, with a later call, or with the caller's ``subject``/``derived_from``, so
changing one returned resource changes nothing else.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Final

from trivselscore.definitions.instrument import Instrument
from trivselscore.engine.results import ScaleScore, Score
from trivselscore.errors import UnknownInstrumentError
from trivselscore.instruments.registry import get_instrument

__all__ = [
    "BAND_SYSTEM",
    "METHOD_SYSTEM",
    "PROVENANCE_URL",
    "SCALE_SYSTEM",
    "observations",
]

_BASE: Final = "http://trivselscore.dev/fhir"
SCALE_SYSTEM: Final = f"{_BASE}/CodeSystem/scale"
"""Our code system for scores: code ``<instrument id>.<scale id>`` (T-scores: ``.t-score`` added)."""
BAND_SYSTEM: Final = f"{_BASE}/CodeSystem/band"
"""Our code system for bands: code ``<instrument id>.<scheme id>.<band id>``."""
METHOD_SYSTEM: Final = f"{_BASE}/CodeSystem/method"
"""Our code system for the scoring method: code ``trivselscore``, version = the library version."""
PROVENANCE_URL: Final = f"{_BASE}/StructureDefinition/scoring"
"""Our complex extension recording what produced the score (instrument, versions, policy, scheme)."""

_CATEGORY: Final = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}
_ABSENT_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
_UCUM: Final = "http://unitsofmeasure.org"
# FHIR dateTime: a year, year-month, date, or date and time with seconds and a time zone.
_DATE_TIME: Final = re.compile(
    r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
    r"(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?"
)

Json = dict[str, Any]
"""A FHIR resource or element as parsed JSON."""


def observations(
    result: object,
    *,
    subject: object,
    effective: object,
    derived_from: object = None,
) -> list[Json]:
    """One Observation per scale of ``result`` (see :func:`trivselscore.fhir.to_observations`)."""
    if not isinstance(result, Score):
        msg = f"expected a trivselscore Score, not {type(result).__name__}"
        raise TypeError(msg)
    subject_ref = _reference(subject, "subject")
    when = _date_time(effective)
    derived = None if derived_from is None else [_reference(derived_from, "derived_from")]
    try:
        definition: Instrument | None = get_instrument(result.instrument_id)
    except UnknownInstrumentError:
        definition = None
    return [
        _observation(result, scale, definition, subject=subject_ref, when=when, derived=derived)
        for scale in result.scales
    ]


def _observation(  # noqa: PLR0913 - one resource from its parts
    result: Score,
    scale: ScaleScore,
    definition: Instrument | None,
    *,
    subject: Json,
    when: str,
    derived: list[Json] | None,
) -> Json:
    name = _scale_name(result.instrument_id, scale.scale, definition)
    observation: Json = {
        "resourceType": "Observation",
        "extension": [_provenance(result, scale)],
        "status": "final",
        "category": [copy.deepcopy(_CATEGORY)],
        "code": {
            "coding": [
                {"system": SCALE_SYSTEM, "code": f"{result.instrument_id}.{scale.scale}", "display": name}
            ],
            "text": name,
        },
        "subject": copy.deepcopy(subject),
        "effectiveDateTime": when,
    }
    if scale.value is None:
        reason = scale.reason or "the scale could not be scored"
        observation["dataAbsentReason"] = {
            "coding": [{"system": _ABSENT_SYSTEM, "code": "unknown", "display": "Unknown"}],
            "text": reason,
        }
    else:
        observation.update(_value(scale.value))
        band = next((b for b in scale.bands if b.scheme == result.scheme and b.band is not None), None)
        if band is not None and band.band is not None:
            label = band.label_en or band.band
            code = f"{result.instrument_id}.{band.scheme}.{band.band}"
            observation["interpretation"] = [
                {"coding": [{"system": BAND_SYSTEM, "code": code, "display": label}], "text": label}
            ]
    method = (
        f"trivselscore {result.library_version}: {result.instrument_id} definition version "
        f"{result.instrument_version}, missing-data policy {result.policy}"
    )
    observation["method"] = {
        "coding": [
            {
                "system": METHOD_SYSTEM,
                "version": result.library_version,
                "code": "trivselscore",
                "display": "trivselscore scoring",
            }
        ],
        "text": method,
    }
    if derived is not None:
        observation["derivedFrom"] = copy.deepcopy(derived)
    if scale.t_score is not None:
        observation["component"] = [
            {
                "code": {
                    "coding": [
                        {
                            "system": SCALE_SYSTEM,
                            "code": f"{result.instrument_id}.{scale.scale}.t-score",
                            "display": f"{name}, T-score",
                        }
                    ]
                },
                **_value(scale.t_score, integer=False),
            }
        ]
    return observation


def _scale_name(instrument_id: str, scale_id: str, definition: Instrument | None) -> str:
    if definition is None or scale_id not in definition.scale_ids:
        return f"{instrument_id}: {scale_id}"
    return f"{definition.name}: {definition.scale(scale_id).label_en}"


def _value(value: float, *, integer: bool = True) -> Json:
    if integer and float(value).is_integer():
        return {"valueInteger": int(value)}
    return {"valueQuantity": {"value": float(value), "unit": "score", "system": _UCUM, "code": "{score}"}}


def _provenance(result: Score, scale: ScaleScore) -> Json:
    parts: list[Json] = [
        {"url": "instrument", "valueString": result.instrument_id},
        {"url": "instrumentVersion", "valueString": result.instrument_version},
        {"url": "libraryVersion", "valueString": result.library_version},
        {"url": "missingPolicy", "valueString": result.policy},
    ]
    if result.scheme is not None:
        parts.append({"url": "scheme", "valueString": result.scheme})
    if result.norms is not None:
        parts.append({"url": "norms", "valueString": result.norms})
    parts += [
        {"url": "answered", "valueInteger": scale.answered},
        {"url": "parts", "valueInteger": scale.parts},
        {"url": "prorated", "valueBoolean": scale.prorated},
    ]
    return {"url": PROVENANCE_URL, "extension": parts}


def _reference(value: object, name: str) -> Json:
    if isinstance(value, str):
        if not value.strip():
            msg = f"{name} must be a non-empty reference such as 'Patient/123'"
            raise ValueError(msg)
        return {"reference": value}
    if isinstance(value, Mapping) and any(value.get(k) for k in ("reference", "identifier", "display")):
        return copy.deepcopy(dict(value))
    msg = f"{name} must be a reference string or a FHIR Reference dict, not {value!r}"
    raise TypeError(msg)


def _date_time(value: object) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            msg = "effective must be timezone-aware: a FHIR dateTime with a time needs a time zone"
            raise ValueError(msg)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _DATE_TIME.fullmatch(value):
        return value
    msg = f"effective must be a date, an aware datetime or a FHIR dateTime string, not {value!r}"
    raise ValueError(msg)
