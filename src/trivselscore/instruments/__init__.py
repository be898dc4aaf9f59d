"""Shipped instrument definitions, one family per module (data only).

Examples:
    >>> from trivselscore.instruments import WHO5
    >>> WHO5.id
    'who5'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from trivselscore.instruments.mfq import MFQ_A, MFQ_C, MFQ_P, SMFQ_A, SMFQ_C, SMFQ_P
from trivselscore.instruments.scas import SCAS_C, SCAS_P
from trivselscore.instruments.sdq import SDQ_P2_4, SDQ_P4_17, SDQ_S11_17, SDQ_S18, SDQ_T4_17
from trivselscore.instruments.who5 import WHO5

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

ALL: Final[tuple[Instrument, ...]] = (
    WHO5,
    SDQ_S11_17,
    SDQ_P4_17,
    SDQ_T4_17,
    SDQ_P2_4,
    SDQ_S18,
    SCAS_C,
    SCAS_P,
    MFQ_C,
    MFQ_P,
    MFQ_A,
    SMFQ_C,
    SMFQ_P,
    SMFQ_A,
)
"""Every shipped instrument, in registry order."""
