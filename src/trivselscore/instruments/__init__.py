"""Shipped instrument definitions, one family per module (data only).

The names below (``WHO5``, ``SDQ_S11_17``, ..., and ``ALL``) are the registry's
objects (:mod:`trivselscore.instruments.registry`), loaded on first use: the
data modules are imported and every definition validated only when the registry
has no checked copy of the current sources.

Examples:
    >>> from trivselscore.instruments import WHO5
    >>> WHO5.id
    'who5'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trivselscore.definitions.instrument import Instrument

__all__ = [
    "ALL",
    "MFQ_A",
    "MFQ_C",
    "MFQ_P",
    "SCAS_C",
    "SCAS_P",
    "SDQ_P2_4",
    "SDQ_P4_17",
    "SDQ_S11_17",
    "SDQ_S18",
    "SDQ_T4_17",
    "SMFQ_A",
    "SMFQ_C",
    "SMFQ_P",
    "WHO5",
]


def __getattr__(name: str) -> object:
    """``ALL`` and each instrument's name: the registry's objects (PEP 562)."""
    if name != "ALL" and name not in __all__:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    from trivselscore.instruments import registry  # noqa: PLC0415 - loaded on first use

    if name == "ALL":
        return registry.SHIPPED_INSTRUMENTS
    return registry.SHIPPED_INSTRUMENTS[[shipped for _, shipped in registry.SHIPPED].index(name)]


if TYPE_CHECKING:
    ALL: tuple[Instrument, ...]
    MFQ_A: Instrument
    MFQ_C: Instrument
    MFQ_P: Instrument
    SCAS_C: Instrument
    SCAS_P: Instrument
    SDQ_P2_4: Instrument
    SDQ_P4_17: Instrument
    SDQ_S11_17: Instrument
    SDQ_S18: Instrument
    SDQ_T4_17: Instrument
    SMFQ_A: Instrument
    SMFQ_C: Instrument
    SMFQ_P: Instrument
    WHO5: Instrument
