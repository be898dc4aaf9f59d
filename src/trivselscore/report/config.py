"""STUDY.toml: what the report reads and reports, checked key by key (pydantic, no unknown keys).

A bad key stops the run with :class:`ConfigError`, one line naming the key and
what is allowed.

Examples:
    >>> text = '''
    ... title = "Evaluering"
    ... time_points = ["start", "slut"]
    ... comparisons = [["start", "slut"]]
    ... [columns]
    ... person = "id"
    ... time = "tid"
    ... [measures.who5]
    ... instrument = "who5"
    ... '''
    >>> config = parse_config(text)
    >>> config.measures["who5"].instrument, config.suppression.min_cell
    ('who5', 5)
    >>> try:
    ...     parse_config(text + "[suppression]" + chr(10) + "min_cells = 3")
    ... except ConfigError as error:
    ...     print(error)
    STUDY.toml: key 'suppression.min_cells' is not allowed; keys: hide_zero, min_cell, ranges
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from trivselscore.change.rule import published_added_value
from trivselscore.definitions.forms import age_family_problem
from trivselscore.errors import TrivselscoreError, UnknownInstrumentError
from trivselscore.instruments.registry import get_instrument
from trivselscore.report.analyses import (
    AnalysesConfig,
    Context,
    FlowConfig,
    FremgangConfig,
    SexMeansConfig,
    check_analyses,
)

__all__ = [
    "AnalysesConfig",
    "ChangeConfig",
    "ColumnsConfig",
    "CombinedConfig",
    "ConfigError",
    "FlowConfig",
    "FremgangConfig",
    "MeasureConfig",
    "SexMeansConfig",
    "PredictorsConfig",
    "QuestionConfig",
    "StudyConfig",
    "SuppressionConfig",
    "load_config",
    "parse_config",
]

ChangeMethod = Literal["difference", "threshold", "reliable_change", "clinical_significance", "added_value"]
SexCode = Literal["female", "male", "other", "unknown"]
_UNION_TAGS = frozenset({"str", "int", "bool", "float"})


class ConfigError(TrivselscoreError, ValueError):
    """STUDY.toml cannot be read or a key in it is wrong (the message names the key)."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ColumnsConfig(_Strict):
    """The data's column names: person id, time point, groups (tracks), sex and age."""

    person: str
    time: str
    groups: tuple[str, ...] = ()
    sex: str | None = None
    age: str | None = None


class MeasureConfig(_Strict):
    """One measure: its instrument id (or versions chosen by age), the scales reported, item columns.

    ``norms`` names a norm table file (CSV or JSON, see
    :func:`trivselscore.tabular.read_norm_table`), relative to STUDY.toml's folder.

    ``not_collected`` names optional blocks (``"impact"``) or items the export does
    not hold, said explicitly; without it, an optional block absent from the export
    is found not collected anyway. Versions listed in ``instrument`` are chosen by
    the age: each needs an age range, and no two ranges may share a year.
    """

    instrument: str | tuple[str, ...]
    scales: tuple[str, ...] | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    norms: str | None = Field(default=None, min_length=1)
    not_collected: tuple[str, ...] = ()

    @field_validator("instrument")
    @classmethod
    def _known(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        for instrument_id in (value,) if isinstance(value, str) else value:
            try:
                get_instrument(instrument_id)
            except UnknownInstrumentError as error:
                raise ValueError(str(error).splitlines()[0]) from None
        if not value:
            msg = "name at least one instrument id"
            raise ValueError(msg)
        return value

    @property
    def ids(self) -> tuple[str, ...]:
        """The instrument ids (one, or the versions)."""
        return (self.instrument,) if isinstance(self.instrument, str) else self.instrument

    @model_validator(mode="after")
    def _scales(self) -> MeasureConfig:
        versions = [get_instrument(i) for i in self.ids]
        first = versions[0]
        for scale in self.scales or ():
            if scale not in first.scale_ids:
                msg = f"scale {scale!r} is not a scale of {first.id}; scales: {', '.join(first.scale_ids)}"
                raise ValueError(msg)
        problem = age_family_problem(versions) if len(versions) > 1 else None
        if problem is not None:
            msg = f"instrument: {problem}"
            raise ValueError(msg)
        for version in versions:
            names = {n for item in version.items for n in (item.id, *item.aliases)}
            blocks = [b.id for b in version.optional]
            unknown = [n for n in self.not_collected if n not in names and n not in blocks]
            if unknown:
                shown = ", ".join(blocks) or "none"
                msg = (
                    f"not_collected: {unknown[0]!r} is neither an optional block nor an item of {version.id} "
                    f"(optional blocks: {shown})"
                )
                raise ValueError(msg)
        return self


class ChangeConfig(_Strict):
    """The change method (one for all, or per measure) and its parameters per measure.

    Without ``method``, each scale uses its documented minimal important change
    where the definition has one (``"threshold"``; WHO-5: 10 points on the
    percentage score) and ``"difference"`` (any change) where it has none.
    """

    method: ChangeMethod | dict[str, ChangeMethod] | None = None
    options: dict[str, dict[str, float | str]] = Field(default_factory=dict)


class SuppressionConfig(_Strict):
    """Small cells: counts below ``min_cell`` are hidden; ``hide_zero`` hides zeros too.

    ``ranges``: a result hidden to protect another is shown as the range it surely
    lies in (``27-33%``), which a reader can work out anyway, instead of ``skjult``.
    """

    min_cell: int = Field(default=5, ge=1)
    hide_zero: bool = False
    ranges: bool = True


class CombinedConfig(_Strict):
    """Fremgang on several measures at once: measure -> scale(s), and the rule (all, any or k)."""

    scales: dict[str, str | tuple[str, ...]]
    rule: Literal["all", "any"] | int = "all"
    comparisons: tuple[tuple[str, str], ...] | None = None


class QuestionConfig(_Strict):
    """Another survey question (a Likert or yes/no column): the share of each answer per time point and track.

    ``column``: the export's column; ``title``: the table's caption (default: the
    column); ``answers``: the answers in the order shown (default: an SPSS/Stata
    file's value labels in the order of their codes, else as found in the data,
    sorted, numbers first; an answer in the data not listed stops the run);
    ``time_points``: where it was asked (default: wherever someone answered).
    """

    column: str = Field(min_length=1)
    title: str | None = Field(default=None, min_length=1)
    answers: tuple[str, ...] | None = Field(default=None, min_length=1)
    time_points: tuple[str, ...] | None = Field(default=None, min_length=1)

    @field_validator("answers")
    @classmethod
    def _distinct(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for answer in value or ():
            if not answer.strip():
                msg = "an answer is blank (a blank answer is counted as not answered)"
                raise ValueError(msg)
            if value is not None and value.count(answer) > 1:
                msg = f"{answer!r} is listed twice"
                raise ValueError(msg)
        return value


class PredictorsConfig(_Strict):
    """Who improves: fremgang on one measure's scale between two time points, by logistic regression.

    ``scale``: default the measure's first reported scale; ``covariates``: group
    columns or data columns (read from each person's row at ``start``; numbers as
    they are, text as categories, the first in sorted order the reference).
    """

    measure: str
    scale: str | None = None
    start: str
    end: str
    covariates: tuple[str, ...] = ()

    @field_validator("covariates")
    @classmethod
    def _named(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not name.strip():
                msg = "a covariate is blank"
                raise ValueError(msg)
            if value.count(name) > 1:
                msg = f"{name!r} is listed twice"
                raise ValueError(msg)
        return value


class StudyConfig(_Strict):
    """The whole STUDY.toml."""

    title: str
    data_name: str | None = None
    time_points: tuple[str, ...] = Field(min_length=1)
    comparisons: tuple[tuple[str, str], ...] = ()
    missing: str | None = None
    columns: ColumnsConfig
    measures: dict[str, MeasureConfig] = Field(min_length=1)
    change: ChangeConfig = ChangeConfig()
    suppression: SuppressionConfig = SuppressionConfig()
    combined: CombinedConfig | None = None
    sex_codes: dict[str, SexCode] = Field(default_factory=dict)
    by_sex: tuple[str, ...] | None = None
    analyses: AnalysesConfig = AnalysesConfig()
    questions: tuple[QuestionConfig, ...] = ()
    predictors: tuple[PredictorsConfig, ...] = ()
    _folder: Path = PrivateAttr(default_factory=Path)

    def norm_files(self) -> dict[str, Path]:
        """Measure -> its norm table file (relative paths from STUDY.toml's folder)."""
        return {
            name: self._folder / measure.norms for name, measure in self.measures.items() if measure.norms
        }

    @model_validator(mode="after")
    def _consistent(self) -> StudyConfig:
        if len(set(self.time_points)) != len(self.time_points):
            msg = f"time_points: each label once, not {list(self.time_points)}"
            raise ValueError(msg)
        self._check_pairs()
        self._check_measures()
        self._check_questions()
        self._check_predictors()
        return self

    def _check_predictors(self) -> None:
        for i, model in enumerate(self.predictors):
            key = f"predictors.{i}"
            if model.measure not in self.measures:
                msg = f"{key}.measure: {model.measure!r} is not in measures {sorted(self.measures)}"
                raise ValueError(msg)
            first = get_instrument(self.measures[model.measure].ids[0])
            if model.scale is not None and model.scale not in first.scale_ids:
                scales = ", ".join(first.scale_ids)
                msg = f"{key}.scale: {model.scale!r} is not a scale of {first.id}; scales: {scales}"
                raise ValueError(msg)
            for side in ("start", "end"):
                label = getattr(model, side)
                if label not in self.time_points:
                    msg = f"{key}.{side}: {label!r} is not in time_points {list(self.time_points)}"
                    raise ValueError(msg)
            if model.start == model.end:
                msg = f"{key}: start and end are both {model.start!r}"
                raise ValueError(msg)

    def _check_questions(self) -> None:
        seen: set[str] = set()
        for i, question in enumerate(self.questions):
            if question.column in seen:
                msg = f"questions.{i}.column: {question.column!r} is asked for twice"
                raise ValueError(msg)
            seen.add(question.column)
            for label in question.time_points or ():
                if label not in self.time_points:
                    msg = (
                        f"questions.{i}.time_points: {label!r} is not in time_points {list(self.time_points)}"
                    )
                    raise ValueError(msg)

    def _check_pairs(self) -> None:
        pairs = [*self.comparisons, *((self.combined.comparisons or ()) if self.combined else ())]
        for start, end in pairs:
            for label in (start, end):
                if label not in self.time_points:
                    msg = f"comparisons: {label!r} is not in time_points {list(self.time_points)}"
                    raise ValueError(msg)
            if start == end:
                msg = f"comparisons: [{start!r}, {end!r}] compares a time point with itself"
                raise ValueError(msg)

    def _check_measures(self) -> None:
        if self.combined is not None:
            unknown = sorted(set(self.combined.scales) - set(self.measures))
            if unknown:
                msg = f"combined.scales: {unknown} not in measures {sorted(self.measures)}"
                raise ValueError(msg)
        unknown = sorted(set(self.by_sex or ()) - set(self.measures))
        if unknown:
            msg = f"by_sex: {unknown} not in measures {sorted(self.measures)}"
            raise ValueError(msg)
        if isinstance(self.change.method, dict):
            unknown = sorted(set(self.change.method) - set(self.measures))
            if unknown:
                msg = f"change.method: {unknown} not in measures {sorted(self.measures)}"
                raise ValueError(msg)
        self._check_added_value()
        context = Context(
            measures={name: m.ids[0] for name, m in self.measures.items()},
            time_points=self.time_points,
            comparisons=bool(self.comparisons),
            sex=self.columns.sex is not None,
        )
        check_analyses(self.analyses, context)

    def _check_added_value(self) -> None:
        """``added_value`` only for measures whose every version publishes the formula on its scales."""
        method = self.change.method
        for name, measure in self.measures.items():
            if (method.get(name) if isinstance(method, dict) else method) != "added_value":
                continue
            for instrument_id in measure.ids:
                instrument = get_instrument(instrument_id)
                formulas = {s.id for s in instrument.scales if s.added_value is not None}
                lacking = [s for s in measure.scales or () if s not in formulas]
                if not formulas or lacking:
                    where = f"/{lacking[0]}" if lacking else ""
                    msg = (
                        f"change.method: 'added_value' for measure {name!r}: {instrument_id}{where} "
                        f"({instrument.informant} report) has no published Added Value formula; it is "
                        f"published for {', '.join(published_added_value())} only"
                    )
                    raise ValueError(msg)


def _first_error(error: ValidationError, model: type[BaseModel]) -> str:
    """The first problem as one line: the key (dotted) and what is allowed."""
    problem = error.errors()[0]
    loc = tuple(p for p in problem["loc"] if not (isinstance(p, str) and ("[" in p or p in _UNION_TAGS)))
    key = ".".join(str(part) for part in loc)
    if problem["type"] == "extra_forbidden":
        allowed = _allowed(model, loc[:-1])
        return f"key {key!r} is not allowed; keys: {', '.join(allowed)}"
    if problem["type"] == "missing":
        return f"key {key!r} is missing"
    text = str(problem["msg"]).removeprefix("Value error, ")
    return f"key {key!r}: {text}" if key else text


def _allowed(model: type[BaseModel], where: tuple[int | str, ...]) -> list[str]:
    """The keys a (nested) table takes; ``measures.x`` (a free name) gives a measure's keys."""
    current: type[BaseModel] | None = model
    for part in where:
        if current is None:
            return []
        field = current.model_fields.get(str(part))
        if field is None:  # a free key (a measure's name): its value is the same model
            continue
        annotation = field.annotation
        current = next(
            (
                a
                for a in (annotation, *getattr(annotation, "__args__", ()))
                if isinstance(a, type) and issubclass(a, BaseModel)
            ),
            None,
        )
    return sorted(current.model_fields) if current is not None else []


def parse_config(text: str, *, name: str = "STUDY.toml", folder: Path | None = None) -> StudyConfig:
    """Read and check STUDY.toml text (``folder``: where relative file names start; default: here).

    Raises:
        ConfigError: Not TOML, or a key that is missing, unknown or wrong (one line, naming it).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        msg = f"{name} is not valid TOML: {error}"
        raise ConfigError(msg) from None
    try:
        config = StudyConfig.model_validate(data)
    except ValidationError as error:
        msg = f"{name}: {_first_error(error, StudyConfig)}"
        raise ConfigError(msg) from None
    config._folder = folder if folder is not None else Path()  # noqa: SLF001 - set once, where it is built
    return config


def load_config(path: Path) -> StudyConfig:
    """Read and check a STUDY.toml file.

    Raises:
        ConfigError: The file cannot be read, is not TOML, or has a wrong key.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        msg = f"cannot read {path}: {error}"
        raise ConfigError(msg) from None
    return parse_config(text, name=str(path), folder=Path(path).parent)
