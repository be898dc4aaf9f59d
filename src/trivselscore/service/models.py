"""Request and response bodies of the service, as pydantic models (they are the OpenAPI schemas).

Answers are passed to :func:`trivselscore.score` exactly as received, so that a
bad answer is reported by the library, naming the item, the value and the
allowed codes; the per-instrument JSON Schema is served at
``/v1/instruments/{id}/schema``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, WithJsonSchema

from trivselscore.change import ChangeResult, ReferencePopulation
from trivselscore.definitions import Instrument, Respondent
from trivselscore.engine import Score
from trivselscore.service.problems import Problem

__all__ = [
    "ANSWERS_SCHEMA",
    "API_VERSION",
    "AnswerSet",
    "Answers",
    "BatchLine",
    "BatchRow",
    "ChangeOptions",
    "ChangeRequest",
    "ChangeResponse",
    "Health",
    "InstrumentDetail",
    "InstrumentSummary",
    "ScoreRequest",
    "UnverifiedSource",
    "Verification",
    "VersionInfo",
]

API_VERSION = "1"
"""The version of the HTTP contract (the ``/v1`` prefix); the OpenAPI ``info.version``."""

_CODE = {"anyOf": [{"type": "integer"}, {"type": "null"}]}
ANSWERS_SCHEMA: dict[str, Any] = {
    "title": "Answers",
    "description": (
        "One respondent's answers: item id (or alias) -> code, null or absent for unanswered; "
        "or a list of codes in item order. The allowed items and codes of an instrument are its "
        "JSON Schema, GET /v1/instruments/{instrument_id}/schema."
    ),
    "anyOf": [
        {"type": "object", "additionalProperties": _CODE},
        {"type": "array", "items": _CODE},
    ],
}
"""The OpenAPI schema of :data:`Answers` (one named schema in the contract, ``Answers``)."""
Answers = Annotated[dict[str, Any] | list[Any], WithJsonSchema(ANSWERS_SCHEMA)]
"""One respondent's answers, validated by the library (not here)."""

_OPTIONS = ConfigDict(extra="forbid")


class ScoreRequest(BaseModel):
    """Score one respondent."""

    model_config = _OPTIONS

    answers: Answers
    respondent: Respondent | None = Field(
        default=None, description="Age and sex, for cutoffs and norms that depend on them."
    )
    missing: str | None = Field(
        default=None,
        description=(
            "The missing-data policy: null for the instrument's own rule, 'raise', 'propagate', "
            "'prorate', or one of the instrument's missing variants (see missing_policies of the instrument)."
        ),
    )
    scheme: str | None = Field(
        default=None, description="The cutoff scheme of the bands; default: the instrument's."
    )
    norms: str | None = Field(
        default=None, description="The norm table for T-scores; default: the instrument's first."
    )


class BatchRow(BaseModel):
    """One row of a JSON or NDJSON batch: the answers, and optionally the respondent."""

    model_config = _OPTIONS

    answers: Answers
    respondent: Respondent | None = None


class BatchLine(BaseModel):
    """One line of a batch response (NDJSON): the row's score, or its error."""

    model_config = _OPTIONS

    row: int = Field(description="The 0-based row of the input (blank lines not counted).")
    id: str | None = Field(default=None, description="The row's id column, when id_column was given (CSV).")
    score: Score | None = None
    error: Problem | None = None


class UnverifiedSource(BaseModel):
    """A source that is not verified, and where in the definition it is cited."""

    model_config = _OPTIONS

    where: str = Field(description="The path in the definition, e.g. 'schemes.0.cutoffs.0.bands.1.source'.")
    citation: str
    status: str


class Verification(BaseModel):
    """How many of the definition's sources are verified, and which are not."""

    model_config = _OPTIONS

    counts: dict[str, int] = Field(description="Source status -> how many sources have it.")
    not_verified: list[UnverifiedSource]


class InstrumentSummary(BaseModel):
    """An instrument in the list."""

    model_config = _OPTIONS

    id: str
    name: str
    version: str = Field(description="The definition version; stored with every score.")
    informant: str
    age_range: tuple[float, float] | None
    items: int = Field(description="The number of items.")
    scales: list[str]
    schemes: list[str]
    default_scheme: str | None


class InstrumentDetail(BaseModel):
    """An instrument's whole definition, the missing policies it accepts, and its verification status."""

    model_config = _OPTIONS

    definition: Instrument
    missing_policies: list[str]
    verification: Verification


class VersionInfo(BaseModel):
    """The versions that produce every result."""

    model_config = _OPTIONS

    api: str = Field(description="The version of this HTTP contract.")
    library: str = Field(description="The trivselscore version.")
    instruments: dict[str, str] = Field(description="Instrument id -> definition version.")


class Health(BaseModel):
    """The service is up."""

    model_config = _OPTIONS

    status: str = "ok"


class AnswerSet(BaseModel):
    """Answers to score before classifying the change."""

    model_config = _OPTIONS

    answers: Answers
    respondent: Respondent | None = None


ChangeValue = StrictFloat | AnswerSet | Score | None


class ChangeOptions(BaseModel):
    """Options of the change methods; each applies to some methods only (see classify_change)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    tolerance: float | None = Field(
        default=None, description="difference: a change this small is status quo."
    )
    threshold: float | None = Field(
        default=None, description="threshold: the minimal important change; default: the scale's cited value."
    )
    sd: float | None = Field(default=None, description="RCI methods: the reference SD.")
    reliability: float | None = Field(default=None, description="RCI methods: the reliability, in (0, 1).")
    z: float | None = Field(default=None, description="RCI methods: the critical z; default 1.96.")
    cutoff: float | str | None = Field(
        default=None, description="clinical_significance: 'a', 'b', 'c' or a value on the scale."
    )
    functional: ReferencePopulation | None = None
    dysfunctional: ReferencePopulation | None = None


class ChangeRequest(BaseModel):
    """Two measurements of one scale: numbers, stored Score objects, or answers to score."""

    model_config = _OPTIONS

    instrument: str = Field(description="An instrument id, e.g. 'who5'.")
    scale: str = Field(description="A scale id of the instrument, e.g. 'percentage'.")
    method: str = Field(
        description="'difference', 'threshold', 'reliable_change' or 'clinical_significance'."
    )
    before: ChangeValue = Field(
        description="A value on the scale, a Score, answers to score, or null (missing)."
    )
    after: ChangeValue = Field(description="Likewise.")
    options: ChangeOptions = Field(default_factory=ChangeOptions)
    missing: str | None = Field(default=None, description="The missing-data policy for answers scored here.")


class ChangeResponse(BaseModel):
    """The change category, with the rule (and its sources) that gave it."""

    model_config = _OPTIONS

    category: str | None = Field(
        description="improvement, status_quo, decline, recovered, harmed; null if missing."
    )
    label_en: str | None
    label_da: str | None = Field(description="fremgang / status quo / tilbagegang / ...")
    change: ChangeResult
    before_score: Score | None = Field(
        default=None, description="The score of 'before', when answers were given."
    )
    after_score: Score | None = Field(
        default=None, description="The score of 'after', when answers were given."
    )
