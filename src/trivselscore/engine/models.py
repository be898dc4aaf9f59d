"""The result models of one respondent: ``Score`` and its parts (``ScaleScore``, ``BandResult``, ``Flag``).

Built by :meth:`trivselscore.BatchScores.row` (``score()`` returns row 0); frozen
pydantic models that serialise to JSON and back.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

from trivselscore.definitions.model import Respondent, Source
from trivselscore.engine.display import ScaleLine, score_html, score_repr

__all__ = ["BandResult", "Flag", "ScaleScore", "Score", "build"]

_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # built at first validation


class BandResult(_Result):
    """The band of one scale under one cutoff scheme."""

    scheme: str
    band: str | None
    label_en: str | None = None
    label_da: str | None = None
    reason: str | None = None


class ScaleScore(_Result):
    """One scale's result for one respondent.

    ``band`` is the band under the result's scheme (the instrument's default
    unless another was asked for); ``bands`` holds every scheme that bands the
    scale. ``reason`` says why ``value`` is None when it is. ``t_score`` is the
    T-score from the result's norm table; ``t_score_reason`` says why it is None
    (given when a norm table or a T-score scheme concerns the scale).
    """

    scale: str
    value: int | float | None
    band: str | None
    answered: int
    parts: int
    prorated: bool
    reason: str | None
    bands: tuple[BandResult, ...] = ()
    t_score: float | None = None
    t_score_reason: str | None = None


class Flag(_Result):
    """A signal raised for this respondent.

    An instrument's item flags (``items`` names the items that raised it), and
    ``outside_age_range`` (no items; ``message`` says the age and the range).
    """

    id: str
    message: str
    kind: str
    items: tuple[str, ...]
    source: Source


class Score(_Result):
    """The scores of one respondent, with what produced them.

    Examples:
        >>> from trivselscore import score
        >>> result = score("who5", [3, 4, 2, 3, 1])
        >>> result.values
        {'raw': 13, 'percentage': 52}
        >>> result["percentage"].band
        'no_risk'
    """

    instrument_id: str
    instrument_version: str
    library_version: str
    policy: str
    scheme: str | None
    respondent: Respondent | None
    scales: tuple[ScaleScore, ...]
    flags: tuple[Flag, ...]
    norms: str | None = None

    @property
    def values(self) -> dict[str, int | float | None]:
        """Scale id -> value (None where the scale could not be scored)."""
        return {s.scale: s.value for s in self.scales}

    def __getitem__(self, scale_id: str) -> ScaleScore:
        """Return one scale's result.

        Raises:
            KeyError: The instrument has no such scale.
        """
        for scale in self.scales:
            if scale.scale == scale_id:
                return scale
        raise KeyError(scale_id)

    @property
    def flag_ids(self) -> tuple[str, ...]:
        """Ids of the flags raised."""
        return tuple(f.id for f in self.flags)

    def __repr__(self) -> str:
        """The values, bands and flags in a few lines (the whole record: ``model_dump()``).

        Examples:
            >>> from trivselscore import score
            >>> score("who5", [3, 4, 2, 3, 1])
            Score(who5 v1: raw=13, percentage=52 [no_risk]; flags: low_item)
        """
        return score_repr(self._title(), self._lines(), self.flag_ids)

    def __str__(self) -> str:
        """The same few lines as ``repr``."""
        return repr(self)

    def _repr_html_(self) -> str:
        """A compact HTML table for notebooks: one row per scale, flags below (every text escaped)."""
        notes = [f"flag {f.id}: {f.message}" for f in self.flags]
        caption = self._title() + (f", scheme {self.scheme}" if self.scheme else "")
        return score_html(caption, self._lines(), notes)

    def _title(self) -> str:
        return f"{self.instrument_id} v{self.instrument_version}"

    def _lines(self) -> list[ScaleLine]:
        return [
            (s.scale, s.value, s.band, s.t_score, f"{s.answered}/{s.parts}", s.reason) for s in self.scales
        ]


def build(cls: type[_M], fields: dict[str, Any]) -> _M:
    """A result model from trusted engine data, as ``model_construct`` makes it, in a fifth of the time.

    ``fields`` must hold every field of ``cls``, in the order the class declares
    them (so ``repr`` and ``model_dump`` match a validated instance); the result
    then equals ``cls.model_construct(**fields)`` in ``__dict__``, fields set,
    extra and private state (``tests/engine/test_single_path.py`` checks it, and
    that it validates to an equal object).
    """
    model = cls.__new__(cls)
    _set(model, "__dict__", fields)
    _set(model, "__pydantic_fields_set__", set(fields))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model
