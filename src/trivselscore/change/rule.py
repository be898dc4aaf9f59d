"""Change categories, rules and the resolution of a rule's cited parameters."""

from __future__ import annotations

import math
from enum import StrEnum
from numbers import Real
from typing import TYPE_CHECKING, Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field

from trivselscore.definitions.model import AddedValue, ChangeParameters, ImportantChange, Source
from trivselscore.errors import ChangeParameterError, UnknownScaleError
from trivselscore.instruments.registry import INSTRUMENTS

if TYPE_CHECKING:
    from trivselscore.definitions.instrument import Instrument

__all__ = [
    "ADDED_VALUE_Z",
    "ChangeCategory",
    "ChangeMethod",
    "ChangeOptions",
    "ChangeRule",
    "ReferencePopulation",
    "published_added_value",
    "resolve_rule",
]

ChangeMethod = Literal["difference", "threshold", "reliable_change", "clinical_significance", "added_value"]
"""How a change is categorised; always chosen explicitly by the caller."""

ADDED_VALUE_Z = 1.96
"""Default z of ``added_value``: fremgang when AV > 1.96 x SD (one person's 95% interval, about +-10)."""

CutoffType = Literal["a", "b", "c"]

_LABELS = {
    "improvement": ("improvement", "fremgang"),
    "status_quo": ("status quo", "status quo"),
    "decline": ("decline", "tilbagegang"),
    "recovered": ("recovered (into the functional range)", "fremgang til normalområdet"),
    "harmed": ("harmed (into the clinical range)", "tilbagegang til klinisk område"),
}


class ChangeCategory(StrEnum):
    """The category of one person's change between two measurements.

    ``recovered`` and ``harmed`` occur only with ``method="clinical_significance"``;
    there, ``improvement`` and ``decline`` are reliable changes that do not
    cross the cutoff.

    Examples:
        >>> ChangeCategory.IMPROVEMENT.label_da
        'fremgang'
        >>> ChangeCategory("harmed").broad
        <ChangeCategory.DECLINE: 'decline'>
    """

    IMPROVEMENT = "improvement"
    STATUS_QUO = "status_quo"
    DECLINE = "decline"
    RECOVERED = "recovered"
    HARMED = "harmed"

    @property
    def label_en(self) -> str:
        """English label."""
        return _LABELS[self.value][0]

    @property
    def label_da(self) -> str:
        """Danish label (fremgang / status quo / tilbagegang, and our wording for the other two)."""
        return _LABELS[self.value][1]

    @property
    def broad(self) -> ChangeCategory:
        """The three-way category: recovered counts as improvement, harmed as decline."""
        if self is ChangeCategory.RECOVERED:
            return ChangeCategory.IMPROVEMENT
        if self is ChangeCategory.HARMED:
            return ChangeCategory.DECLINE
        return self


class ReferencePopulation(BaseModel):
    """Mean and SD of a reference population, for the clinical-significance cutoffs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mean: float = Field(allow_inf_nan=False)
    sd: float = Field(gt=0, allow_inf_nan=False)
    label: str | None = None
    source: Source | None = None


class ChangeOptions(TypedDict, total=False):
    """Keyword options of the change methods (each applies to some methods only)."""

    tolerance: float
    threshold: float
    sd: float
    reliability: float
    parameters: ChangeParameters
    z: float
    cutoff: float | CutoffType
    functional: ReferencePopulation
    dysfunctional: ReferencePopulation


_ALLOWED: dict[str, frozenset[str]] = {
    "difference": frozenset({"tolerance"}),
    "threshold": frozenset({"threshold"}),
    "reliable_change": frozenset({"sd", "reliability", "parameters", "z"}),
    "clinical_significance": frozenset(
        {"sd", "reliability", "parameters", "z", "cutoff", "functional", "dysfunctional"}
    ),
    "added_value": frozenset({"z"}),
}

CALLER: Source = Source(
    citation="supplied by the caller",
    status="unverified",
    note="Not a parameter shipped with the scale definition.",
)


class ChangeRule(BaseModel):
    """Everything that decides a change category, with the sources of its numbers.

    ``threshold`` is in the scale's units: the tolerance (``difference``), the
    minimal important change (``threshold``), the smallest reliable change
    z x SEdiff (``reliable_change``, ``clinical_significance``; strict, so a
    change must exceed it) or the Added Value beyond which a follow-up is better
    (or worse) than predicted, z x SD (``added_value``; strict).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    instrument_id: str
    scale: str
    method: ChangeMethod
    higher_is_better: bool
    threshold: float
    tolerance: float | None = None
    important_change: ImportantChange | None = None
    parameters: ChangeParameters | None = None
    z: float | None = None
    se_difference: float | None = None
    cutoff: float | None = None
    cutoff_type: Literal["a", "b", "c", "value"] | None = None
    functional: ReferencePopulation | None = None
    dysfunctional: ReferencePopulation | None = None
    added_value: AddedValue | None = None

    @property
    def categories(self) -> tuple[ChangeCategory, ...]:
        """The categories this rule can give, best first."""
        c = ChangeCategory
        if self.method == "clinical_significance":
            return (c.RECOVERED, c.IMPROVEMENT, c.STATUS_QUO, c.DECLINE, c.HARMED)
        return (c.IMPROVEMENT, c.STATUS_QUO, c.DECLINE)

    def describe(self) -> str:
        """One line saying which rule and numbers were used."""
        better = "higher" if self.higher_is_better else "lower"
        head = f"{self.instrument_id}/{self.scale} ({better} is better): "
        if self.method == "difference":
            return head + f"any change beyond {self.threshold:g}"
        if self.method == "threshold":
            source = self.important_change.source if self.important_change else CALLER
            return head + f"|change| >= {self.threshold:g} (minimal important change; {source})"
        formula = self.added_value
        if formula is not None:
            return head + (
                f"Added Value, {formula.describe(self.scale, higher_is_better=self.higher_is_better)}; "
                f"better than predicted if AV > {self.threshold:.3g}, worse if AV < -{self.threshold:.3g} "
                f"(z {self.z:g} x SD {formula.sd:g}; {formula.source})"
            )
        params = self.parameters
        if params is None:  # pragma: no cover - resolve_rule always sets them for RCI methods
            return head + self.method
        text = (
            f"Jacobson-Truax RCI, SD {params.sd:g}, r {params.reliability:g}, |RCI| > {self.z:g} "
            f"(|change| > {self.threshold:.3g}; {params.source})"
        )
        if self.cutoff is not None:
            text += f", cutoff {self.cutoff_type} = {self.cutoff:.4g}"
        return head + text


def _number(method: str, name: str, value: object) -> float:
    number = math.nan
    if not isinstance(value, bool) and isinstance(value, Real):
        try:
            number = float(value)
        except (OverflowError, ValueError, TypeError):
            number = math.nan
    if not math.isfinite(number):
        msg = f"{name} must be a finite number for method {method!r}, not {value!r}"
        raise ChangeParameterError(msg, method=method, parameter=name, value=value)
    return number


def _population(method: str, name: str, value: object) -> ReferencePopulation | None:
    if value is None or isinstance(value, ReferencePopulation):
        return value
    msg = f"{name}= must be a ReferencePopulation(mean=..., sd=...), not {type(value).__name__}"
    raise ChangeParameterError(msg, method=method, parameter=name, value=value)


def resolve_rule(instrument: Instrument, scale_id: str, method: str, options: ChangeOptions) -> ChangeRule:
    """Check the options of ``method`` and fill in the scale's cited defaults.

    Raises:
        UnknownScaleError: The instrument has no such scale.
        ChangeParameterError: An unknown method, an option the method does not
            use, a missing parameter (naming what to pass) or an invalid one.
    """
    if scale_id not in instrument.scale_ids:
        msg = f"{instrument.id} has no scale {scale_id!r}; scales: {list(instrument.scale_ids)}"
        raise UnknownScaleError(
            msg, instrument_id=instrument.id, requested=scale_id, scales=instrument.scale_ids
        )
    if method not in _ALLOWED:
        msg = f"unknown change method {method!r}; methods: {sorted(_ALLOWED)}"
        raise ChangeParameterError(msg, method=method, parameter="method", value=method)
    extra = sorted(set(options) - _ALLOWED[method])
    if extra:
        msg = f"method {method!r} does not use {extra}; it takes {sorted(_ALLOWED[method])}"
        raise ChangeParameterError(msg, method=method, parameter=extra[0], value=options[extra[0]])  # type: ignore[literal-required]
    scale = instrument.scale(scale_id)
    head = ChangeRule(
        instrument_id=instrument.id,
        scale=scale_id,
        method="difference",
        higher_is_better=scale.higher_is_better,
        threshold=0.0,
    )
    if method == "difference":
        tolerance = _number(method, "tolerance", options.get("tolerance", 0.0))
        if tolerance < 0:
            msg = f"tolerance must be >= 0, not {tolerance}"
            raise ChangeParameterError(msg, method=method, parameter="tolerance", value=tolerance)
        return head.model_copy(update={"threshold": tolerance, "tolerance": tolerance})
    if method == "threshold":
        important = _important(instrument, scale_id, options)
        update = {"method": "threshold", "threshold": important.value, "important_change": important}
        return head.model_copy(update=update)
    if method == "added_value":
        return _added_value_rule(head, instrument, options)
    params = _parameters(instrument, scale_id, method, options)
    z = _number(method, "z", options.get("z", 1.96))
    if z <= 0:
        msg = f"z must be > 0, not {z}"
        raise ChangeParameterError(msg, method=method, parameter="z", value=z)
    sediff = params.se_difference
    rule = head.model_copy(
        update={
            "method": "reliable_change",
            "threshold": z * sediff,
            "parameters": params,
            "z": z,
            "se_difference": sediff,
        }
    )
    if method == "reliable_change":
        return rule
    cutoff, kind = _cutoff(method, options, higher_is_better=scale.higher_is_better)
    return rule.model_copy(
        update={
            "method": "clinical_significance",
            "cutoff": cutoff,
            "cutoff_type": kind,
            "functional": _population(method, "functional", options.get("functional")),
            "dysfunctional": _population(method, "dysfunctional", options.get("dysfunctional")),
        }
    )


def published_added_value() -> list[str]:
    """``instrument/scale`` of every shipped scale with a published Added Value formula.

    Examples:
        >>> published_added_value()
        ['sdq-p4-17/total']
    """
    return [
        f"{instrument.id}/{scale.id}"
        for instrument in INSTRUMENTS.values()
        for scale in instrument.scales
        if scale.added_value is not None
    ]


def _added_value_rule(head: ChangeRule, instrument: Instrument, options: ChangeOptions) -> ChangeRule:
    """The rule of ``added_value``: the scale's published formula, z x its SD."""
    formula = instrument.scale(head.scale).added_value
    if formula is None:
        msg = (
            f"{instrument.id}/{head.scale} ({instrument.informant} report) has no published Added Value "
            f"formula; method 'added_value' is published for {', '.join(published_added_value())} only "
            "(youthinmind, Ford et al. 2009: the parent SDQ)"
        )
        raise ChangeParameterError(msg, method="added_value", parameter="method", value=instrument.id)
    z = _number("added_value", "z", options.get("z", ADDED_VALUE_Z))
    if z < 0:
        msg = f"z must be >= 0, not {z}"
        raise ChangeParameterError(msg, method="added_value", parameter="z", value=z)
    threshold = round(z * formula.sd, 9)  # 1.96 x 5 is 9.8, not 9.799999999999999
    update = {"method": "added_value", "threshold": threshold, "z": z, "added_value": formula}
    return head.model_copy(update=update)


def _important(instrument: Instrument, scale_id: str, options: ChangeOptions) -> ImportantChange:
    scale = instrument.scale(scale_id)
    if "threshold" in options:
        value = _number("threshold", "threshold", options["threshold"])
        if value <= 0:
            msg = f"threshold must be > 0, not {value}"
            raise ChangeParameterError(msg, method="threshold", parameter="threshold", value=value)
        return ImportantChange(value=value, source=CALLER)
    if scale.important_change is None:
        msg = (
            f"{instrument.id} scale {scale_id!r} has no published minimal important change; "
            "method 'threshold' needs one: pass threshold=<change in score points>"
        )
        raise ChangeParameterError(msg, method="threshold", parameter="threshold")
    return scale.important_change


def _parameters(
    instrument: Instrument, scale_id: str, method: str, options: ChangeOptions
) -> ChangeParameters:
    given = [name for name in ("sd", "reliability") if name in options]
    if "parameters" in options:
        if given:
            msg = f"pass either parameters= or sd= and reliability=, not both (got {given})"
            raise ChangeParameterError(msg, method=method, parameter=given[0])
        parameters: object = options["parameters"]
        if not isinstance(parameters, ChangeParameters):
            msg = f"parameters= must be a ChangeParameters, not {type(parameters).__name__}"
            raise ChangeParameterError(msg, method=method, parameter="parameters", value=parameters)
        return parameters
    if len(given) == 1:
        missing = "reliability" if given == ["sd"] else "sd"
        msg = f"method {method!r}: {given[0]}= was given without {missing}=; pass both"
        raise ChangeParameterError(msg, method=method, parameter=missing)
    if given:
        sd = _number(method, "sd", options["sd"])
        reliability = _number(method, "reliability", options["reliability"])
        if sd <= 0:
            msg = f"sd must be > 0, not {sd}"
            raise ChangeParameterError(msg, method=method, parameter="sd", value=sd)
        if not 0 < reliability < 1:
            msg = f"reliability must lie strictly between 0 and 1, not {reliability}"
            raise ChangeParameterError(msg, method=method, parameter="reliability", value=reliability)
        return ChangeParameters(
            sd=sd, reliability=reliability, population="supplied by the caller", source=CALLER
        )
    published = instrument.scale(scale_id).change
    if published is None:
        msg = (
            f"{instrument.id} scale {scale_id!r} has no published SD and reliability; method {method!r} "
            "needs them: pass sd= and reliability= from a published norm or test-retest sample "
            "(not the cohort's own spread)"
        )
        raise ChangeParameterError(msg, method=method, parameter="sd")
    return published


def _cutoff(
    method: str, options: ChangeOptions, *, higher_is_better: bool
) -> tuple[float, Literal["a", "b", "c", "value"]]:
    cutoff = options.get("cutoff")
    if cutoff is None:
        msg = "method 'clinical_significance' needs cutoff= ('a', 'b', 'c' or a score value)"
        raise ChangeParameterError(msg, method=method, parameter="cutoff")
    if not isinstance(cutoff, str):
        return _number(method, "cutoff", cutoff), "value"
    sign = 1.0 if higher_is_better else -1.0
    functional = _population(method, "functional", options.get("functional"))
    dysfunctional = _population(method, "dysfunctional", options.get("dysfunctional"))
    needs = {"a": ("dysfunctional",), "b": ("functional",), "c": ("functional", "dysfunctional")}
    if cutoff not in needs:
        msg = f"cutoff must be 'a', 'b', 'c' or a number, not {cutoff!r}"
        raise ChangeParameterError(msg, method=method, parameter="cutoff", value=cutoff)
    if cutoff == "a" and dysfunctional is not None:
        return dysfunctional.mean + sign * 2 * dysfunctional.sd, "a"
    if cutoff == "b" and functional is not None:
        return functional.mean - sign * 2 * functional.sd, "b"
    if cutoff == "c" and functional is not None and dysfunctional is not None:
        weighted = functional.sd * dysfunctional.mean + dysfunctional.sd * functional.mean
        return weighted / (functional.sd + dysfunctional.sd), "c"
    absent = [name for name in needs[cutoff] if options.get(name) is None]
    msg = f"cutoff {cutoff!r} needs {' and '.join(f'{n}=ReferencePopulation(mean, sd)' for n in absent)}"
    raise ChangeParameterError(msg, method=method, parameter=absent[0])
