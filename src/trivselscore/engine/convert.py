"""Read one instrument's items from a response to another, by a declared item map.

The map is data on the target instrument (``Instrument.derived_from``), so the
same function serves every pair that declares one, e.g. the 13-item SMFQ read
from a 33-item MFQ response.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, overload

import numpy as np

from trivselscore.engine import compute as _engine
from trivselscore.engine.scoring import _matrix, _resolve, _row

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument

__all__ = ["convert"]


@overload
def convert(
    source: Instrument | str, responses: NDArray[np.generic], *, to: Instrument | str
) -> NDArray[np.float64]: ...


@overload
def convert(
    source: Instrument | str,
    responses: Mapping[str, object] | Mapping[int, object] | Sequence[object],
    *,
    to: Instrument | str,
) -> dict[str, int | None]: ...


def convert(
    source: Instrument | str,
    responses: NDArray[np.generic] | Mapping[str, object] | Mapping[int, object] | Sequence[object],
    *,
    to: Instrument | str,
) -> NDArray[np.float64] | dict[str, int | None]:
    """Map a response to ``source`` onto the items of ``to``, by ``to.derived_from``.

    The source response is validated in full first (as :func:`trivselscore.score`
    would), so a bad answer on an item the target does not use still raises.

    Args:
        source: The instrument the answers were given to, e.g. ``"mfq-c"``.
        responses: One respondent (a mapping or a sequence, as for
            :func:`trivselscore.score`), or a NumPy array: 1-D for one
            respondent, 2-D ``(n, len(source.item_ids))`` for many.
        to: The instrument to read, e.g. ``"smfq-c"``; it must declare an item
            map from ``source``.

    Returns:
        For a mapping or sequence: target item id -> code (None if missing).
        For an array: a float64 array in ``to.item_ids`` order (NaN if missing).

    Raises:
        ValueError: ``to`` declares no item map from ``source``, or the map names
            items ``source`` does not have.
        ResponseError: The source response is invalid (as for ``score``).
        UnknownInstrumentError: An unknown instrument id.

    Examples:
        >>> from trivselscore import score
        >>> long_form = [0] * 33
        >>> long_form[0] = 2   # long item 1 is short item 1
        >>> long_form[30] = 1  # long item 31 is short item 13
        >>> short = convert("mfq-c", long_form, to="smfq-c")
        >>> short["1"], short["13"], score("smfq-c", short)["total"].value
        (2, 1, 3)
    """
    origin, target = _resolve(source), _resolve(to)
    columns = _columns(origin, target)
    if isinstance(responses, np.ndarray) and responses.ndim == 2:  # noqa: PLR2004 - rows x items
        data = _matrix(origin, responses)
        _engine.validate_codes(origin, data, single=False)
        return np.ascontiguousarray(data[:, columns])
    row = _row(origin, responses)
    _engine.validate_codes(origin, row[np.newaxis, :], single=True)
    picked = row[columns]
    if isinstance(responses, np.ndarray):
        return picked
    return {
        item_id: None if math.isnan(value) else int(value)
        for item_id, value in zip(target.item_ids, picked.tolist(), strict=True)
    }


def _columns(origin: Instrument, target: Instrument) -> list[int]:
    """Column of ``origin`` to read for each item of ``target``, in target order."""
    link = next((m for m in target.derived_from if m.instrument == origin.id), None)
    if link is None:
        sources = [m.instrument for m in target.derived_from]
        msg = f"{target.id} declares no item map from {origin.id!r}; it maps from: {sources}"
        raise ValueError(msg)
    unknown = [s for s, _ in link.items if s not in origin.item_ids]
    if unknown:
        msg = f"{target.id}: the item map from {origin.id!r} names unknown items {unknown}"
        raise ValueError(msg)
    by_target = {t: origin.item_ids.index(s) for s, t in link.items}
    return [by_target[item_id] for item_id in target.item_ids]
