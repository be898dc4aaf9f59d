"""Texts of one respondent's result: why a scale has no value, and the age flag.

Shared by :meth:`trivselscore.BatchScores.row` (the numpy path of ``score()``)
and :mod:`trivselscore.engine.single` (its scalar path), so each text is written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trivselscore.engine import ages as _ages
from trivselscore.engine import compute as _engine
from trivselscore.engine.models import Flag, build

if TYPE_CHECKING:
    from trivselscore.definitions.instrument import Instrument

__all__ = ["age_flag", "scale_reason"]


def scale_reason(  # noqa: PLR0913 - the engine's status of one scale, spelled out
    instrument: Instrument,
    policy: str,
    scale_id: str,
    *,
    status: int,
    answered: int,
    missing: tuple[str, ...],
) -> str | None:
    """Why a scale has no value, from its engine status (None when it has one).

    ``policy`` is the result's policy (``"default"`` for the instrument's own
    rules); ``missing`` names the component scales without a value. Shared by
    :meth:`BatchScores.row` and the scalar path of ``score()``.
    """
    if status == _engine.OK:
        return None
    parts = len(instrument.scale_items(scale_id))
    if status == _engine.TOO_FEW:
        variant = None if policy in {*_engine.POLICIES, "default"} else policy
        need = instrument.rule(scale_id, variant).min_answered
        return f"{answered} of {parts} items answered; at least {need} needed"
    if status == _engine.INCOMPLETE:
        return f"{answered} of {parts} items answered; the rule in use needs all {parts}"
    return f"component scales not scored: {', '.join(missing)}"


def age_flag(instrument: Instrument, reason: str) -> Flag:
    """The ``outside_age_range`` flag of a respondent, with ``reason`` from :func:`ages.reason`."""
    return build(
        Flag,
        {
            "id": _ages.OUTSIDE_AGE_RANGE,
            "message": f"{reason}: scored, but no bands or T-scores",
            "kind": "library decision",
            "items": (),
            "source": instrument.source,
        },
    )
