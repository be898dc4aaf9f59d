"""The read-only registry of shipped instruments."""

from __future__ import annotations

import difflib
from types import MappingProxyType
from typing import TYPE_CHECKING

from trivselscore.errors import UnknownInstrumentError
from trivselscore.instruments import ALL

if TYPE_CHECKING:
    from collections.abc import Mapping

    from trivselscore._instrument import Instrument

__all__ = ["INSTRUMENTS", "get_instrument", "resolve"]

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
        close = difflib.get_close_matches(str(instrument_id), list(INSTRUMENTS), n=3, cutoff=0.5)
        raise UnknownInstrumentError(str(instrument_id), close) from None


def resolve(instrument: Instrument | str) -> Instrument:
    """Accept an ``Instrument`` or a registered id."""
    if isinstance(instrument, str):
        return get_instrument(instrument)
    return instrument
