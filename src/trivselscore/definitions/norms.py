"""Norm tables and T-scores: T = 50 + 10 (x - M) / SD, vectorised.

A :class:`NormTable` holds the mean and standard deviation of each scale per
normative group (sex and an age range in completed years). An instrument may
ship tables in ``Instrument.norms``; the first is the default. Any table, shipped
or your own, can be passed as ``norms=`` to :func:`trivselscore.score`,
:func:`trivselscore.score_batch` and :meth:`trivselscore.BatchScores.t_scores`.

A T-score is never extrapolated: outside the table's age ranges, when the
respondent's age or sex is needed but missing, or when a sex-specific table has no
row for the respondent's sex (``other`` or ``unknown``), it is None with a reason.
Ages are compared in completed years (``floor(age)``): a respondent aged 11.9
uses a row for ages 6-11. Where a source states that other ages use a given
table (e.g. "age 7 uses the 8-11 tables"), encode that as the row's age range
and say so in ``NormTable.age_rules``; never widen a range the source does not.

Bands on T-scores: a :class:`~trivselscore.CutoffScheme` with
``metric="t_score"`` bands the T-score instead of the raw score. Its bands must
cover :data:`T_SCORE_LIMITS` (-1000 to 1000, a finite stand-in for "all real
numbers"), and a norm table is rejected if it could produce a T-score outside them.

Registering your own table (e.g. the Danish norms of Arendt et al. 2014) takes
no code change: build a ``NormTable`` with its source and pass it. The numbers
below are invented for the example:

Examples:
    >>> from trivselscore import Norm, NormTable, Respondent, Source, score
    >>> mine = NormTable(
    ...     id="example",
    ...     label="invented example norms",
    ...     population="none: invented for this example",
    ...     source=Source(citation="Invented for a doctest", status="unverified"),
    ...     rows=(Norm(scale="total", sex="female", min_age=12, max_age=15, mean=20, sd=10),),
    ... )
    >>> answers = {str(i): 1 for i in range(1, 45)}
    >>> result = score("scas-c", answers, respondent=Respondent(age=13, sex="female"), norms=mine)
    >>> result["total"].value, result["total"].t_score, result["total"].band
    (38, 68.0, 'elevated')
    >>> score("scas-c", answers, norms=mine)["total"].t_score_reason
    "norm table 'example' is sex-specific; Respondent.sex is missing"
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Final, NamedTuple, Self

import numpy as np
from pydantic import Field, model_validator

from trivselscore.definitions.model import Sex, Source, _Frozen

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["T_SCORE_LIMITS", "Gap", "Norm", "NormTable", "gaps", "t_score", "t_scores"]

T_SCORE_LIMITS: Final = (-1000.0, 1000.0)
"""The closed range a T-score scheme's bands must cover, and T-scores must stay in."""

NOT_SCORED = "the scale was not scored"


class Norm(_Frozen):
    """The mean and SD of one scale in one normative group.

    ``sex`` None means both sexes; ``min_age``/``max_age`` are inclusive, in
    completed years, and None means open-ended.
    """

    scale: str
    sex: Sex | None = None
    min_age: int | None = Field(default=None, ge=0)
    max_age: int | None = Field(default=None, ge=0)
    mean: float = Field(allow_inf_nan=False)
    sd: float = Field(gt=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ages(self) -> Self:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            msg = f"norm for {self.scale!r}: min_age {self.min_age} exceeds max_age {self.max_age}"
            raise ValueError(msg)
        return self

    @property
    def group(self) -> str:
        """The group in words, e.g. ``female 12-18``."""
        low = "" if self.min_age is None else str(self.min_age)
        high = "" if self.max_age is None else str(self.max_age)
        ages = f" {low}-{high}" if low or high else ""
        return f"{self.sex or 'both sexes'}{ages}"


class NormTable(_Frozen):
    """A named set of norms from one source, for T-scores.

    Examples:
        >>> from trivselscore import get_instrument
        >>> table = get_instrument("scas-p").norms[0]
        >>> table.id, len(table.rows)
        ('nauta-2004', 28)
    """

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    label: str = Field(min_length=2)
    population: str = Field(min_length=2)
    source: Source
    rows: tuple[Norm, ...] = Field(min_length=1)
    age_rules: str | None = None

    @model_validator(mode="after")
    def _no_overlap(self) -> Self:
        for i, first in enumerate(self.rows):
            for second in self.rows[i + 1 :]:
                if first.scale == second.scale and _overlap(first, second):
                    msg = (
                        f"norm table {self.id!r}, scale {first.scale!r}: rows for {first.group} "
                        f"and {second.group} apply to the same respondents"
                    )
                    raise ValueError(msg)
        return self

    @property
    def scale_ids(self) -> tuple[str, ...]:
        """The scales the table norms, in row order, once each."""
        return tuple(dict.fromkeys(row.scale for row in self.rows))


class Gap(NamedTuple):
    """A normative group a scale lacks, while another row (``witness``) covers it."""

    scale: str
    sex: Sex | None
    min_age: int | None
    max_age: int | None
    witness: Norm

    def describe(self) -> str:
        """The missing cell in words, e.g. ``scale 'total', male 12-18``."""
        cell = Norm(
            scale=self.scale, sex=self.sex, min_age=self.min_age, max_age=self.max_age, mean=0.0, sd=1.0
        )
        return f"scale {self.scale!r}, {cell.group}"


def _covers(row: Norm, sex: Sex | None, age: float) -> bool:
    if row.sex is not None and sex is not None and row.sex != sex:
        return False
    low = -math.inf if row.min_age is None else row.min_age
    high = math.inf if row.max_age is None else row.max_age
    return low <= age <= high


def gaps(table: NormTable) -> list[Gap]:
    """Every normative group some row covers but a scale lacks (an incomplete table).

    A complete table has, for every scale, a row for every sex and age any row of
    the table covers: shipped tables are complete (a scale normed for girls
    12-18 is normed for boys 12-18 too, and every scale has every group). The
    groups are the pieces between the tables' age bounds, per sex.

    Examples:
        >>> from trivselscore.definitions.model import Source
        >>> rows = (Norm(scale="total", sex="female", min_age=12, max_age=15, mean=20, sd=10),)
        >>> table = NormTable(id="t", label="example", population="none",
        ...                   source=Source(citation="invented", status="unverified"), rows=rows)
        >>> [gap.describe() for gap in gaps(table)]
        ["scale 'total', male 12-15"]
    """
    sexes: tuple[Sex | None, ...] = ("female", "male") if any(r.sex for r in table.rows) else (None,)
    found: list[Gap] = []
    for low, high, age in _pieces(table):
        witness = next((r for r in table.rows if any(_covers(r, sex, age) for sex in sexes)), None)
        if witness is None:
            continue
        found.extend(
            Gap(scale, sex, low, high, witness)
            for sex in sexes
            for scale in table.scale_ids
            if not any(_covers(r, sex, age) for r in table.rows if r.scale == scale)
        )
    return found


def _pieces(table: NormTable) -> list[tuple[int | None, int | None, int]]:
    """(min age, max age, an age inside) of each piece between the table's age bounds."""
    bounds = sorted(
        {r.min_age for r in table.rows if r.min_age is not None}
        | {r.max_age + 1 for r in table.rows if r.max_age is not None}
    )
    if not bounds:
        return [(None, None, 0)]
    pieces: list[tuple[int | None, int | None, int]] = []
    if bounds[0] > 0:
        pieces.append((None, bounds[0] - 1, bounds[0] - 1))
    pieces += [(low, high - 1, low) for low, high in itertools.pairwise(bounds)]
    pieces.append((bounds[-1], None, bounds[-1]))
    return pieces


def _overlap(first: Norm, second: Norm) -> bool:
    if first.sex is not None and second.sex is not None and first.sex != second.sex:
        return False
    lo1 = -math.inf if first.min_age is None else first.min_age
    hi1 = math.inf if first.max_age is None else first.max_age
    lo2 = -math.inf if second.min_age is None else second.min_age
    hi2 = math.inf if second.max_age is None else second.max_age
    return lo1 <= hi2 and lo2 <= hi1


def t_scores(
    table: NormTable | None,
    scale_id: str,
    values: NDArray[np.float64],
    ages: NDArray[np.float64],
    sexes: NDArray[np.str_],
) -> tuple[NDArray[np.float64], NDArray[np.object_]]:
    """Return (T-scores, reasons) per row; NaN with a reason where no T-score applies."""
    n = values.shape[0]
    result = np.full(n, np.nan)
    reasons: NDArray[np.object_] = np.full(n, None, dtype=object)
    scored = ~np.isnan(values)
    rows = () if table is None else tuple(r for r in table.rows if r.scale == scale_id)
    if table is None:
        reasons[scored] = "no norm table: the instrument ships none; pass norms=NormTable(...)"
    elif not rows:
        reasons[scored] = f"norm table {table.id!r} has no norms for scale {scale_id!r}"
    else:
        years = np.floor(ages)
        covered = np.zeros(n, dtype=np.bool_)
        for row in rows:
            match = scored.copy()
            if row.sex is not None:
                match &= sexes == row.sex
            if row.min_age is not None:
                match &= years >= row.min_age
            if row.max_age is not None:
                match &= years <= row.max_age
            result[match] = 50.0 + 10.0 * (values[match] - row.mean) / row.sd
            covered |= match
        groups = ", ".join(row.group for row in rows)
        uncovered = scored & ~covered
        reasons[uncovered] = f"norm table {table.id!r} covers {groups} only; T-scores are not extrapolated"
        if any(r.min_age is not None or r.max_age is not None for r in rows):
            reasons[uncovered & np.isnan(ages)] = (
                f"norm table {table.id!r} is age-specific; Respondent.age is missing"
            )
        if any(r.sex is not None for r in rows):
            reasons[uncovered & (sexes == "")] = (
                f"norm table {table.id!r} is sex-specific; Respondent.sex is missing"
            )
            for category in ("other", "unknown"):
                reasons[uncovered & (sexes == category)] = (
                    f"norm table {table.id!r} is sex-specific; there are no norms for sex {category!r}"
                )
    reasons[~scored] = NOT_SCORED
    return result, reasons


def t_score(value: float, row: Norm) -> float:
    """The T-score of one raw value under one norm row: 50 + 10 (x - M) / SD."""
    return 50.0 + 10.0 * (value - row.mean) / row.sd
