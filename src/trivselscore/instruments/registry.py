"""The read-only registry of shipped instruments, loaded already checked.

The shipped definitions are data that changes only with the library: every one
is validated when its module builds it (the test suite and the first use after
an install or an edit do that), and the validated objects are kept pickled in
``instruments/__pycache__``, keyed by the bytes of every source file in
``definitions/`` and ``instruments/`` and by the Python and pydantic versions
(:class:`~trivselscore.support.cache.SourceCache`). A later process loads that
copy without running the validators again; any change to those sources names
another file, so the definitions are built and validated anew. Definitions a
user builds (``Instrument(...)``, ``model_validate``, ``model_copy(update=...)``)
are validated as always; ``tests/engine/test_registry_cache.py`` checks that
the loaded copy equals a fresh, validated build, field for field.
"""

# os.path, not pathlib: importing pathlib costs a tenth of `import numpy` on every first call
# ruff: noqa: PTH100, PTH118, PTH120

from __future__ import annotations

import os
import re
import sys
from importlib import import_module
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import pydantic

from trivselscore.errors import UnknownInstrumentError
from trivselscore.support.cache import SourceCache

if TYPE_CHECKING:
    from collections.abc import Mapping

    from trivselscore.definitions.instrument import Instrument

__all__ = ["INSTRUMENTS", "SHIPPED", "SHIPPED_INSTRUMENTS", "build", "get_instrument"]

SHIPPED: Final = (
    ("who5", "WHO5"),
    ("sdq", "SDQ_S11_17"),
    ("sdq", "SDQ_P4_17"),
    ("sdq", "SDQ_T4_17"),
    ("sdq", "SDQ_P2_4"),
    ("sdq", "SDQ_S18"),
    ("scas", "SCAS_C"),
    ("scas", "SCAS_P"),
    ("mfq", "MFQ_C"),
    ("mfq", "MFQ_P"),
    ("mfq", "MFQ_A"),
    ("mfq", "SMFQ_C"),
    ("mfq", "SMFQ_P"),
    ("mfq", "SMFQ_A"),
)
"""(data module, name) of every shipped instrument, in registry order."""


def build() -> tuple[Instrument, ...]:
    """Every shipped instrument, built by importing its data module (each one validated as it is built)."""
    return tuple(
        getattr(import_module(f"trivselscore.instruments.{module}"), name) for module, name in SHIPPED
    )


_HERE = os.path.dirname(os.path.abspath(__file__))
CACHE: Final = SourceCache(
    f"registry.{sys.implementation.cache_tag}",  # one copy per interpreter, as bytecode is kept
    [os.path.join(os.path.dirname(_HERE), "definitions"), _HERE],
    salt=f"python {sys.version_info[:2]} pydantic {pydantic.VERSION}",
    folder=os.path.join(_HERE, "__pycache__"),
)
"""Where the checked copy of the shipped definitions is kept."""

SHIPPED_INSTRUMENTS: Final[tuple[Instrument, ...]] = CACHE.get(build)
"""Every shipped instrument, in registry order (``trivselscore.instruments.ALL``)."""

INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType({i.id: i for i in SHIPPED_INSTRUMENTS})
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
        import difflib  # noqa: PLC0415 - only for a wrong id

        normalised = {_normalise(known): known for known in INSTRUMENTS}
        close = difflib.get_close_matches(_normalise(str(instrument_id)), list(normalised), n=3, cutoff=0.6)
        raise UnknownInstrumentError(str(instrument_id), [normalised[c] for c in close]) from None


def _normalise(instrument_id: str) -> str:
    """Lower case, letters and digits only: "WHO-5" and "who5" compare equal."""
    return re.sub(r"[^a-z0-9]", "", instrument_id.lower())
