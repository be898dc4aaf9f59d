"""The read-only registry of shipped instruments."""

from __future__ import annotations

import difflib
import re
from types import MappingProxyType
from typing import TYPE_CHECKING

from trivselscore.errors import UnknownInstrumentError
from trivselscore.instruments import ALL

if TYPE_CHECKING:
    from collections.abc import Mapping

    from trivselscore.definitions.instrument import Instrument

__all__ = ["INSTRUMENTS", "get_instrument"]

INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType({i.id: i for i in ALL})
"""Every shipped instrument, by id (read-only)."""


def get_instrument(instrument_id: str) -> Instrument:
    """Return the shipped instrument with this id.

    Args:
        instrument_id: A registered id such as ``"who5"``.

    Returns:
        The frozen definition.

    Raises:
        UnknownInstrumentError: No instrument has this id; the error lists close ids.

    Examples:
        >>> get_instrument("who5").item_ids
        ('1', '2', '3', '4', '5')
        >>> get_instrument("who-5")
        Traceback (most recent call last):
        ...
        trivselscore.errors.UnknownInstrumentError: no instrument with id 'who-5'; did you mean 'who5'?
    """
    try:
        return INSTRUMENTS[instrument_id]
    except (KeyError, TypeError):
        normalised = {_normalise(known): known for known in INSTRUMENTS}
        close = difflib.get_close_matches(_normalise(str(instrument_id)), list(normalised), n=3, cutoff=0.6)
        raise UnknownInstrumentError(str(instrument_id), [normalised[c] for c in close]) from None


def _normalise(instrument_id: str) -> str:
    """Lower case, letters and digits only: "WHO-5" and "who5" compare equal."""
    return re.sub(r"[^a-z0-9]", "", instrument_id.lower())
