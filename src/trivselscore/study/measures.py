"""One measure of a study: its versions, item (or score) columns, and every row's score.

A measure is a name (``"sdq"``) for one questionnaire, given as one instrument
id, several versions of one family chosen per row by the respondent's age
(:attr:`Instrument.age_range`, in completed years as the cutoff tables use
ages), or several versions named per row by a column (:class:`Versions`).
Versions chosen by age must each have an age range, and no two ranges may share
a year (:func:`trivselscore.definitions.forms.check_age_family`): the version
chosen is the one whose range holds the age.

Per input row the measure knows whether the form was given (a row whose item,
or score, columns are all blank is *not given*: no measurement), which version
scored it, whether the respondent's age lies outside every version's range
(``outside_age_range``: scored with the closest version, no bands), and the
score of every scale. A scale that needs items the data do not hold (an optional
block such as the SDQ impact supplement, or items declared not collected) is
*not collected*: :attr:`Measure.not_collected` gives the reason, and asking for
its scores raises :class:`~trivselscore.errors.CohortDataError` (problem
``"not_collected"``).

T-scores come from each version's norm table: the one given to
``Study.from_long(norms=)``, else the version's first shipped table (None if it
ships none). A cutoff scheme on T-scores bands a scale only where a norm table
norms it: without one the scale has no bands at all (rather than every score
in "no band"), and :meth:`Measure.band_note` says why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from trivselscore.definitions import CutoffScheme, Instrument, NormTable
from trivselscore.definitions.norms import t_scores
from trivselscore.engine import BatchScores
from trivselscore.errors import CohortDataError, UnknownScaleError

if TYPE_CHECKING:
    from numpy.typing import NDArray


__all__ = ["NO_NORM_TABLE", "BandKey", "Banded", "Measure", "Spec", "Versions"]

NO_NORM_TABLE = "no norm table"
""":meth:`Measure.band_note` of a scale whose scheme bands T-scores and that no norm table norms."""

BandKey = tuple[str, str, str]
"""A band's (id, English label, Danish label)."""


class Banded(Protocol):
    """What a measure asks of one version's scores: every row's band ids (an engine ``BatchScores``)."""

    def bands(self, scale_id: str, scheme: str | None = None) -> Any:  # noqa: ANN401 - ids, one a row
        """Band ids (None: no band) of the version's rows, in row order."""


@dataclass(frozen=True)
class Versions:
    """Several versions of one questionnaire family, chosen per row.

    Args:
        ids: Instrument ids (or instruments), e.g. ``("sdq-s11-17", "sdq-s18")``.
        column: The column naming each row's version (an id from ``ids``);
            None: chosen by the respondent's age (the version whose
            ``age_range`` holds it; every version needs a range, and no two
            ranges may share a year).

    Examples:
        >>> Versions(["mfq-c", "mfq-a"], column="mfq_form").ids
        ('mfq-c', 'mfq-a')
    """

    ids: Sequence[str | Instrument]
    column: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", tuple(self.ids))


Spec = str | Instrument | Sequence[str | Instrument] | Versions
"""How a measure is named in ``Study.from_long(instruments=...)``."""


@dataclass(frozen=True)
class Measure:
    """The scores of one measure, per input row (see the module docstring)."""

    name: str
    versions: tuple[Instrument, ...]
    chosen_by: str
    given: NDArray[np.bool_]
    version: NDArray[np.intp]
    outside: NDArray[np.bool_]
    values: dict[str, NDArray[np.float64]]
    columns: dict[str, dict[str, str | None]]
    from_items: bool
    batches: tuple[BatchScores | Banded | None, ...] = field(repr=False)
    ages: NDArray[np.float64] = field(repr=False)
    sexes: tuple[str | None, ...] = field(repr=False)
    norms: tuple[NormTable | None, ...] = field(default=(), repr=False)
    not_collected: dict[str, str] = field(default_factory=dict)

    def norm_table(self, scale: str, version: int = 0) -> NormTable | None:
        """The norm table of a version (default: the first) if it norms ``scale``, else None."""
        table = self.norms[version] if version < len(self.norms) else None
        return table if table is not None and scale in table.scale_ids else None

    def t_scores(self, scale: str) -> NDArray[np.float64]:
        """Every row's T-score on ``scale`` from its version's norm table (NaN where none applies).

        NaN where the form was not given or not scored, where the version has no
        norm table for the scale, where the table has no row for the person's sex
        and age, and outside the version's age range (T-scores are never extrapolated).
        """
        self.check_scale(scale)
        out = np.full(len(self.given), np.nan)
        sexes = np.array(["" if s is None else s for s in self.sexes], dtype=np.str_)
        for v in range(len(self.versions)):
            table = self.norm_table(scale, v)
            rows = np.flatnonzero(self.version == v)
            if table is None or not rows.size:
                continue
            out[rows] = t_scores(table, scale, self.values[scale][rows], self.ages[rows], sexes[rows])[0]
        out[self.outside] = np.nan
        return out

    def band_note(self, scale: str, scheme: str | None = None) -> str | None:
        """:data:`NO_NORM_TABLE` when a version's scheme bands ``scale``'s T-scores but no table norms it."""
        for v, version in enumerate(self.versions):
            known = {s.id: s for s in version.schemes}
            chosen = known.get(scheme or version.default_scheme or "")
            if chosen is None or chosen.metric != "t_score" or scale not in chosen.scale_ids:
                continue
            if self.norm_table(scale, v) is None:
                return NO_NORM_TABLE
        return None

    @property
    def instrument(self) -> Instrument:
        """The first version: its change rules and scale definitions are used for the measure."""
        return self.versions[0]

    @property
    def scale_ids(self) -> tuple[str, ...]:
        """The scales every version has, but those not collected."""
        return tuple(s for s in self.instrument.scale_ids if s not in self.not_collected)

    def forms(self) -> dict[str, int]:
        """Version id -> the number of forms given that it scored (every version, 0 included)."""
        return {v.id: int(np.sum(self.given & (self.version == k))) for k, v in enumerate(self.versions)}

    def check_scale(self, scale: str) -> None:
        """Raise unless ``scale`` is a scale of every version, and was collected.

        Raises:
            CohortDataError: The scale was not collected (problem ``"not_collected"``).
            UnknownScaleError: No such scale.
        """
        if scale in self.not_collected:
            msg = f"measure {self.name!r}: scale {scale!r} is {self.not_collected[scale]}"
            raise CohortDataError(msg, problem="not_collected")
        if scale not in self.scale_ids:
            msg = f"measure {self.name!r} has no scale {scale!r}; scales: {list(self.scale_ids)}"
            raise UnknownScaleError(
                msg, instrument_id=self.instrument.id, requested=scale, scales=self.scale_ids
            )

    def schemes(self, scale: str, scheme: str | None) -> list[CutoffScheme | None]:
        """Per version, the cutoff scheme that bands ``scale`` (the default one if ``scheme`` is None).

        Raises:
            ValueError: ``scheme`` is named but no version bands ``scale`` with it.
        """
        found: list[CutoffScheme | None] = []
        for v, version in enumerate(self.versions):
            scheme_id = scheme if scheme is not None else version.default_scheme
            known = {s.id: s for s in version.schemes}
            chosen = known.get(scheme_id) if scheme_id is not None else None
            usable = chosen is not None and scale in chosen.scale_ids
            usable = usable and (
                chosen is None or chosen.metric == "score" or self.norm_table(scale, v) is not None
            )
            found.append(chosen if usable else None)
        if scheme is not None and not any(found):
            msg = f"no version of {self.name!r} bands scale {scale!r} with scheme {scheme!r}"
            if self.band_note(scale, scheme) is not None:
                msg += " (it bands T-scores, and no norm table norms the scale: give one with norms=)"
            raise ValueError(msg)
        return found

    def bands(self, scale: str, scheme: str | None) -> tuple[list[BandKey], NDArray[np.object_]]:
        """The band keys (in scheme order) and every row's band id (None: no band)."""
        ids: NDArray[np.object_] = np.full(len(self.given), None, dtype=object)
        keys: dict[str, BandKey] = {}
        for v, chosen in enumerate(self.schemes(scale, scheme)):
            if chosen is None:
                continue
            for table in chosen.cutoffs:
                if table.scale == scale:
                    keys.update(
                        {b.id: (b.id, b.label_en, b.label_da) for b in table.bands if b.id not in keys}
                    )
            rows = np.flatnonzero(self.version == v)
            batch = self.batches[v]
            if batch is not None:
                ids[rows] = batch.bands(scale, chosen.id)
            else:
                values = self.t_scores(scale) if chosen.metric == "t_score" else self.values[scale]
                ids[rows] = _score_bands(
                    chosen,
                    scale,
                    values=values[rows],
                    ages=self.ages[rows],
                    sexes=self.sexes,
                    rows=rows,
                )
        ids[self.outside] = None
        return list(keys.values()), ids

    def cutoffs(self, scale: str, scheme: str | None) -> tuple[float, ...]:
        """The inner band edges of the first version's scheme on raw scores (a cutoff line in a figure).

        None for a scheme on T-scores: its edges are not on the raw score's axis.
        """
        chosen = next((s for s in self.schemes(scale, scheme) if s is not None), None)
        if chosen is None or chosen.metric != "score":
            return ()
        bands = [b for t in chosen.cutoffs if t.scale == scale for b in t.bands]
        return tuple(sorted({b.upper for b in bands} & {b.lower for b in bands}))


def _score_bands(  # noqa: PLR0913 - one scheme applied to given scores
    scheme: CutoffScheme,
    scale: str,
    *,
    values: NDArray[np.float64],
    ages: NDArray[np.float64],
    sexes: tuple[str | None, ...],
    rows: NDArray[np.intp],
) -> list[str | None]:
    """Band ids of scores given directly (no item answers), by the tables' sex and age."""
    out: list[str | None] = []
    tables = [t for t in scheme.cutoffs if t.scale == scale]
    for value, age, row in zip(values.tolist(), ages.tolist(), rows.tolist(), strict=True):
        hit = None
        for table in tables if not math.isnan(value) else ():
            if table.sex is not None and sexes[row] != table.sex:
                continue
            if table.min_age is not None or table.max_age is not None:
                low = -math.inf if table.min_age is None else table.min_age
                high = math.inf if table.max_age is None else table.max_age
                if math.isnan(age) or not low <= math.floor(age) <= high:
                    continue
            hit = next((b.id for b in table.bands if b.contains(value)), None)
            break
        out.append(hit)
    return out
