"""Shipped instrument definitions, one family per module (data only).

Examples:
    >>> from trivselscore.instruments import WHO5
    >>> WHO5.id
    'who5'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from trivselscore.instruments.who5 import WHO5

if TYPE_CHECKING:
    from trivselscore._instrument import Instrument

__all__ = ["ALL", "WHO5"]

ALL: Final[tuple[Instrument, ...]] = (WHO5,)
"""Every shipped instrument, in registry order."""
