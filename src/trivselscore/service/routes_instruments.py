"""Read-only routes: the instruments, their JSON Schemas, the versions and the health check."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request

from trivselscore.definitions import Instrument
from trivselscore.engine.scoring import LIBRARY_VERSION
from trivselscore.instruments.registry import INSTRUMENTS
from trivselscore.service.models import (
    API_VERSION,
    Health,
    InstrumentDetail,
    InstrumentSummary,
    UnverifiedSource,
    Verification,
    VersionInfo,
)
from trivselscore.service.options import instrument_of, missing_policies
from trivselscore.tabular import json_schema

__all__ = ["router", "verification"]

router = APIRouter()


@router.get("/health", tags=["service"])
async def health() -> Health:
    """The service is up (open even when a token is required, for load balancers)."""
    return Health()


@router.get("/v1/version", tags=["service"])
async def version() -> VersionInfo:
    """The API, library and instrument definition versions: what produces every result."""
    return VersionInfo(
        api=API_VERSION,
        library=LIBRARY_VERSION,
        instruments={i.id: i.version for i in INSTRUMENTS.values()},
    )


@router.get("/v1/instruments", tags=["instruments"])
async def list_instruments() -> list[InstrumentSummary]:
    """Every instrument: id, name, definition version, informant, scales and cutoff schemes."""
    return [_summary(instrument) for instrument in INSTRUMENTS.values()]


@router.get("/v1/instruments/{instrument_id}", tags=["instruments"])
async def describe_instrument(instrument_id: str, request: Request) -> InstrumentDetail:
    """The whole definition (items, scales, schemes, flags, norms, every source), and its verification."""
    definition = instrument_of(request, instrument_id)
    return InstrumentDetail(
        definition=definition,
        missing_policies=missing_policies(definition),
        verification=verification(definition),
    )


@router.get("/v1/instruments/{instrument_id}/schema", tags=["instruments"])
async def answers_schema(instrument_id: str, request: Request) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one respondent's answers: item ids, codes, null for unanswered."""
    return json_schema(instrument_of(request, instrument_id))


def verification(definition: Instrument) -> Verification:
    """Count the definition's sources by status and list those not verified.

    Examples:
        >>> from trivselscore import get_instrument
        >>> result = verification(get_instrument("who5"))
        >>> result.counts["verified"] > 0, sorted({source.status for source in result.not_verified})
        (True, ['derived', 'unverified'])
    """
    found: list[tuple[str, dict[str, Any]]] = []
    _sources(definition.model_dump(mode="json"), "", found)
    counts = Counter(str(source["status"]) for _, source in found)
    return Verification(
        counts=dict(sorted(counts.items())),
        not_verified=[
            UnverifiedSource(where=where, citation=str(source["citation"]), status=str(source["status"]))
            for where, source in found
            if source["status"] not in {"verified", "verified-secondary"}
        ],
    )


def _sources(node: object, where: str, found: list[tuple[str, dict[str, Any]]]) -> None:
    """Collect every Source (an object with a citation and a status) under ``node``."""
    if isinstance(node, dict):
        if "citation" in node and "status" in node:
            found.append((where, node))
            return
        for key, value in node.items():
            _sources(value, f"{where}.{key}" if where else str(key), found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _sources(value, f"{where}.{index}", found)


def _summary(instrument: Instrument) -> InstrumentSummary:
    return InstrumentSummary(
        id=instrument.id,
        name=instrument.name,
        version=instrument.version,
        informant=instrument.informant,
        age_range=instrument.age_range,
        items=len(instrument.items),
        scales=list(instrument.scale_ids),
        schemes=[s.id for s in instrument.schemes],
        default_scheme=instrument.default_scheme,
    )
