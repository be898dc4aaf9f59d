"""Per-person change between two measurements: ``classify_change()`` and ``classify_changes()``.

Four methods, always chosen explicitly; the direction of "better" always comes
from ``Scale.higher_is_better``:

* ``"difference"``: improvement if the change in the better direction is larger
  than ``tolerance`` (default 0), decline if it is larger in the worse direction.
* ``"threshold"``: improvement if the change in the better direction is at least
  the minimal important change (inclusive), decline if at least that much worse.
  WHO-5 has a cited default (10 percentage points); other scales need ``threshold=``.
* ``"reliable_change"``: Jacobson & Truax (1991) RCI = (after - before) / SEdiff with
  SEdiff = SD x sqrt(2) x sqrt(1 - r); reliable if |RCI| > z (strict; z = 1.96).
  SD and r come from the scale's cited :class:`~trivselscore.ChangeParameters`,
  never from the cohort; without published values pass ``sd=`` and ``reliability=``.
* ``"clinical_significance"``: the RCI plus a cutoff (J&T's a, b or c, or a value):
  a reliable improvement from the clinical side to the functional side is
  ``recovered``; a reliable decline from the functional side to the clinical side
  is ``harmed``. A value exactly at the cutoff counts as clinical. Cutoff b uses
  the *functional* population's SD (the clinicalsignificance R package uses the
  clinical SD).
* ``"added_value"``: the Added Value score of a scale with a published formula
  (the parent SDQ's total, Ford et al. 2009; see :mod:`trivselscore.change.added`):
  improvement if AV > z x SD (strict; z = 1.96, SD 5: one person's 95% interval),
  decline if AV < -z x SD. It needs the baseline scales of the formula
  (``impact``, ``emotional``): ``before`` as a ``Score``/``BatchScores``, or ``baseline=``.

A missing before or after gives ``category=None`` with a reason; vectorised
results count those rows (``ChangeBatch.n_missing``), never drop them.

References:
    Jacobson NS, Truax P. Clinical significance: a statistical approach to defining
    meaningful change in psychotherapy research. J Consult Clin Psychol
    1991;59(1):12-19. doi:10.1037/0022-006X.59.1.12
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np
from pydantic import BaseModel, ConfigDict

from trivselscore.change.added import added_values, check_baseline, missing_baseline, needed
from trivselscore.change.inputs import resolve, scalar, vector
from trivselscore.change.rule import ChangeCategory, ChangeOptions, ChangeRule, resolve_rule
from trivselscore.definitions.instrument import Instrument
from trivselscore.engine.results import BatchScores, Score
from trivselscore.errors import ChangeInputError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from numpy.typing import NDArray

__all__ = ["ChangeBatch", "ChangeResult", "classify_change", "classify_changes"]

_resolve = resolve  # kept under its old name: the cohort wing imports it

_ORDER = (
    ChangeCategory.IMPROVEMENT,
    ChangeCategory.STATUS_QUO,
    ChangeCategory.DECLINE,
    ChangeCategory.RECOVERED,
    ChangeCategory.HARMED,
)
_MISSING = -1

Value = float | int | Score | None
"""One measurement: a number, a ``Score`` of the instrument, or None (missing)."""


class ChangeResult(BaseModel):
    """One person's change, its category, and the rule (with sources) that gave it.

    ``change`` is after - before in score points (its sign is not adjusted for
    direction); ``rci`` is change / SEdiff for the RCI methods; ``added_value`` the
    Added Value score (``added_value`` only; positive: better than predicted).
    ``functional_before`` and ``functional_after`` say which side of the cutoff
    each value lies on (clinical significance only). ``reason`` says why
    ``category`` is None.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: ChangeRule
    before: float | None
    after: float | None
    change: float | None
    rci: float | None
    category: ChangeCategory | None
    functional_before: bool | None = None
    functional_after: bool | None = None
    reason: str | None = None
    added_value: float | None = None

    def __repr__(self) -> str:
        """One short line: the values, the change and its category (the rule: ``rule.describe()``).

        Examples:
            >>> classify_change("who5", "percentage", 40, 60, method="difference")
            ChangeResult(who5/percentage: 40 -> 60, change 20, improvement)
        """
        values = f"{_text(self.before)} -> {_text(self.after)}, change {_text(self.change)}"
        rci = f", RCI {self.rci:.2f}" if self.rci is not None else ""
        rci += f", AV {self.added_value:g}" if self.added_value is not None else ""
        category = self.category.value if self.category is not None else f"no category: {self.reason}"
        return f"ChangeResult({self.rule.instrument_id}/{self.rule.scale}: {values}{rci}, {category})"


def _text(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def classify_change(  # noqa: PLR0913 - the measurement, then the method's keywords
    instrument: Instrument | str,
    scale: str,
    before: Value,
    after: Value,
    *,
    method: str,
    baseline: Mapping[str, Value] | None = None,
    **options: Unpack[ChangeOptions],
) -> ChangeResult:
    """Categorise one person's change on one scale.

    Args:
        instrument: An ``Instrument`` or a registered id such as ``"who5"``.
        scale: The scale id, e.g. ``"percentage"``.
        before: The earlier value: a number, a ``Score`` of this instrument, or None.
        after: The later value, likewise.
        method: ``"difference"``, ``"threshold"``, ``"reliable_change"``,
            ``"clinical_significance"`` or ``"added_value"``.
        baseline: ``added_value`` only: the formula's other baseline scales
            (``{"impact": 4, "emotional": 6}``) when ``before`` is a number.
        **options: ``tolerance`` (difference); ``threshold`` (threshold; default: the
            scale's cited minimal important change); ``sd`` and ``reliability``, or
            ``parameters`` (RCI methods; default: the scale's cited values), ``z``
            (default 1.96; for ``added_value`` too, >= 0); ``cutoff`` (``"a"``,
            ``"b"``, ``"c"`` or a value) with ``functional``/``dysfunctional``
            populations (clinical significance).

    Returns:
        The category (None when a value is missing), the raw change, the RCI or
        Added Value, and the rule.

    Raises:
        UnknownScaleError: The instrument has no such scale.
        ChangeInputError: A value is outside the scale's range, not a number, or a
            ``Score`` of another instrument.
        ChangeParameterError: The method is unknown, lacks a parameter it needs
            (the message says what to pass), or a parameter is invalid
            (SD <= 0, reliability outside (0, 1), ...).

    Examples:
        >>> result = classify_change("who5", "percentage", 40, 52, method="threshold")
        >>> result.category, result.category.label_da, result.change
        (<ChangeCategory.IMPROVEMENT: 'improvement'>, 'fremgang', 12.0)
        >>> classify_change("who5", "percentage", 40, 60, method="reliable_change").category
        <ChangeCategory.STATUS_QUO: 'status_quo'>
        >>> classify_change("who5", "percentage", 40, None, method="difference").reason
        'after is missing'
        >>> classify_change("sdq-p4-17", "total", 20, 5, method="added_value",
        ...                 baseline={"impact": 4, "emotional": 6}).added_value
        12.3
    """
    definition = resolve(instrument)
    rule = resolve_rule(definition, scale, method, options)
    check_baseline(rule, baseline)
    values = np.array([scalar(definition, scale, before, "before")], dtype=np.float64)
    later = np.array([scalar(definition, scale, after, "after")], dtype=np.float64)
    extra = {
        name: np.array(
            [scalar(definition, name, _baseline(rule, name, before, baseline), f"baseline {name}")],
            dtype=np.float64,
        )
        for name in needed(rule)
    }
    return ChangeBatch(rule, values, later, baseline=extra).row(0)


def _baseline(rule: ChangeRule, name: str, before: object, baseline: Mapping[str, object] | None) -> object:
    """A baseline scale's value(s): from ``baseline=``, else from a ``Score``/``BatchScores`` before."""
    if baseline is not None and name in baseline:
        return baseline[name]
    if isinstance(before, Score | BatchScores):
        return before
    raise missing_baseline(rule)


def classify_changes(  # noqa: PLR0913 - the measurements, then the method's keywords
    instrument: Instrument | str,
    scale: str,
    before: BatchScores | Sequence[Value] | NDArray[Any],
    after: BatchScores | Sequence[Value] | NDArray[Any],
    *,
    method: str,
    baseline: Mapping[str, BatchScores | Sequence[Value] | NDArray[Any]] | None = None,
    **options: Unpack[ChangeOptions],
) -> ChangeBatch:
    """Categorise many people's change at once (vectorised ``classify_change``).

    Args:
        instrument: An ``Instrument`` or a registered id.
        scale: The scale id.
        before: Earlier values, one per person: a 1-D array (NaN = missing), a
            sequence of numbers / ``Score`` / None, or a ``BatchScores``.
        after: Later values in the same order and of the same length.
        method: As in :func:`classify_change`.
        baseline: ``added_value`` only: the formula's other baseline scales, one
            value per person each, when ``before`` is not a ``BatchScores``.
        **options: As in :func:`classify_change`.

    Returns:
        Arrays of changes, RCIs (or Added Values) and categories; ``row(i)``
        equals ``classify_change`` on person ``i``.

    Raises:
        ChangeInputError: Different lengths, a value out of range (the error names
            the row), or not a number.
        UnknownScaleError: As in :func:`classify_change`.
        ChangeParameterError: As in :func:`classify_change`.

    Examples:
        >>> batch = classify_changes("who5", "percentage", [40, 60, 48, None], [52, 48, 56, 60],
        ...                          method="threshold")
        >>> [str(c) if c else None for c in batch.categories]
        ['improvement', 'decline', 'status_quo', None]
        >>> batch.counts()
        {'improvement': 1, 'status_quo': 1, 'decline': 1, 'missing': 1}
    """
    definition = resolve(instrument)
    rule = resolve_rule(definition, scale, method, options)
    check_baseline(rule, baseline)
    first = vector(definition, scale, before, "before")
    second = vector(definition, scale, after, "after")
    extra = {
        name: vector(definition, name, _baseline(rule, name, before, baseline), f"baseline {name}")
        for name in needed(rule)
    }
    for name, values in (("after", second), *((f"baseline {n}", v) for n, v in extra.items())):
        if values.shape != first.shape:
            msg = f"before has {first.shape[0]} values but {name} has {values.shape[0]}"
            raise ChangeInputError(msg, instrument_id=definition.id, scale_id=scale)
    return ChangeBatch(rule, first, second, baseline=extra)


class ChangeBatch:
    """Changes of many people on one scale, with the rule that categorised them.

    Arrays are read-only; ``categories`` holds ``ChangeCategory`` or None (missing);
    ``added_value`` the Added Value scores (NaN for the other methods) and
    ``baseline`` the formula's other baseline scales.
    """

    def __init__(
        self,
        rule: ChangeRule,
        before: NDArray[np.float64],
        after: NDArray[np.float64],
        baseline: Mapping[str, NDArray[np.float64]] | None = None,
    ) -> None:
        self.rule = rule
        self.before = before
        self.after = after
        self.baseline = dict(baseline or {})
        missing = [name for name in needed(rule) if name not in self.baseline]
        if missing:
            raise missing_baseline(rule)
        self.added_value = added_values(rule, before, after, self.baseline)
        self.change, self.rci, self._codes, self._sides = _categorise(rule, before, after, self.added_value)
        arrays: tuple[NDArray[Any], ...] = (
            self.before,
            self.after,
            self.change,
            self.rci,
            self.added_value,
            self._codes,
            *self._sides,
        )
        for array in (*arrays, *self.baseline.values()):
            array.flags.writeable = False

    def __len__(self) -> int:
        """Number of people."""
        return int(self.before.shape[0])

    def __repr__(self) -> str:
        """The rule and the count per category (computed on call).

        Examples:
            >>> classify_changes("who5", "percentage", [40, 60, None], [60, 60, 52], method="difference")
            ChangeBatch(who5/percentage, 3 persons: improvement 1, status_quo 1, decline 0, missing 1)
        """
        counts = ", ".join(f"{name} {n}" for name, n in self.counts().items())
        return f"ChangeBatch({self.rule.instrument_id}/{self.rule.scale}, {len(self):,} persons: {counts})"

    @property
    def categories(self) -> NDArray[np.object_]:
        """``ChangeCategory`` per person, None where before or after is missing."""
        out: NDArray[np.object_] = np.full(len(self), None, dtype=object)
        for code, category in enumerate(_ORDER):
            out[self._codes == code] = category
        return out

    @property
    def missing(self) -> NDArray[np.bool_]:
        """Whether before or after is missing, per person."""
        result: NDArray[np.bool_] = self._codes == _MISSING
        return result

    @property
    def n_missing(self) -> int:
        """How many people have no category because a value is missing."""
        return int(self.missing.sum())

    @property
    def n_complete(self) -> int:
        """How many people have both values (complete pairs)."""
        return len(self) - self.n_missing

    def counts(self) -> dict[str, int]:
        """Count per category of the rule (best first), then ``"missing"``."""
        result = {str(c): int((self._codes == _ORDER.index(c)).sum()) for c in self.rule.categories}
        result["missing"] = self.n_missing
        return result

    def row(self, index: int) -> ChangeResult:
        """The ``ChangeResult`` of one person, identical to ``classify_change``."""
        before, after = _opt(self.before[index]), _opt(self.after[index])
        code = int(self._codes[index])
        reason = None
        if code == _MISSING:
            absent = [name for name, v in (("before", before), ("after", after)) if v is None]
            absent += [f"baseline {n}" for n, v in self.baseline.items() if math.isnan(float(v[index]))]
            reason = " and ".join(absent) + (" are" if len(absent) > 1 else " is") + " missing"
        clinical = self.rule.method == "clinical_significance" and code != _MISSING
        return ChangeResult(
            rule=self.rule,
            before=before,
            after=after,
            change=_opt(self.change[index]),
            rci=_opt(self.rci[index]),
            category=None if code == _MISSING else _ORDER[code],
            functional_before=bool(self._sides[0][index]) if clinical else None,
            functional_after=bool(self._sides[1][index]) if clinical else None,
            reason=reason,
            added_value=_opt(self.added_value[index]),
        )

    def to_frame(self) -> Any:  # noqa: ANN401 - pandas is optional, so no pandas types here
        """One row per person (pandas DataFrame; needs ``pip install pandas``)."""
        from trivselscore.support.optional import frame  # noqa: PLC0415 - pandas is optional

        columns: dict[str, Any] = {"before": self.before, "after": self.after, "change": self.change}
        if self.rule.method == "added_value":
            columns |= {f"baseline_{name}": values for name, values in self.baseline.items()}
            columns["added_value"] = self.added_value
        else:
            columns["rci"] = self.rci
        columns["category"] = [None if c is None else str(c) for c in self.categories]
        return frame(columns)


def _categorise(
    rule: ChangeRule, before: NDArray[np.float64], after: NDArray[np.float64], added: NDArray[np.float64]
) -> tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.int8], tuple[NDArray[np.bool_], NDArray[np.bool_]]
]:
    change = after - before
    sign = 1.0 if rule.higher_is_better else -1.0
    better = change * sign
    rci = np.full(change.shape, np.nan)
    if rule.method == "difference":
        up, down = better > rule.threshold, better < -rule.threshold
    elif rule.method == "threshold":
        up, down = better >= rule.threshold, better <= -rule.threshold
    elif rule.method == "added_value":
        up, down = added > rule.threshold, added < -rule.threshold
    else:
        rci = change / (rule.se_difference or math.nan)
        z = rule.z or math.nan
        up, down = rci * sign > z, rci * sign < -z
    codes = np.full(change.shape, _ORDER.index(ChangeCategory.STATUS_QUO), dtype=np.int8)
    codes[up] = _ORDER.index(ChangeCategory.IMPROVEMENT)
    codes[down] = _ORDER.index(ChangeCategory.DECLINE)
    sides = (np.zeros(change.shape, dtype=np.bool_), np.zeros(change.shape, dtype=np.bool_))
    if rule.cutoff is not None:
        sides = (before * sign > rule.cutoff * sign, after * sign > rule.cutoff * sign)
        codes[up & ~sides[0] & sides[1]] = _ORDER.index(ChangeCategory.RECOVERED)
        codes[down & sides[0] & ~sides[1]] = _ORDER.index(ChangeCategory.HARMED)
    codes[np.isnan(change)] = _MISSING
    if rule.method == "added_value":
        codes[np.isnan(added)] = _MISSING
    return change, rci, codes, sides


def _opt(value: np.floating[Any]) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number
