"""trivselscore: score WHO-5, SDQ, SCAS and MFQ questionnaires, one engine for all.

Examples:
    >>> import trivselscore
    >>> trivselscore.score("who5", [3, 3, 2, 2, 2]).values
    {'raw': 12, 'percentage': 48}
"""

from __future__ import annotations

from trivselscore.change.classify import ChangeBatch, ChangeResult, classify_change, classify_changes
from trivselscore.change.rule import ChangeCategory, ChangeRule, ReferencePopulation
from trivselscore.definitions.instrument import Instrument
from trivselscore.definitions.model import (
    Band,
    ChangeParameters,
    Cutoffs,
    CutoffScheme,
    ImportantChange,
    Item,
    ItemFlag,
    ItemMap,
    MissingRule,
    Respondent,
    ResponseOption,
    Scale,
    Source,
)
from trivselscore.definitions.norms import Norm, NormTable
from trivselscore.engine.convert import convert
from trivselscore.engine.results import BandResult, BatchScores, Flag, ScaleScore, Score
from trivselscore.engine.scoring import LIBRARY_VERSION as __version__  # noqa: N811 - the conventional name
from trivselscore.engine.scoring import MissingPolicy, score, score_batch
from trivselscore.errors import (
    ChangeInputError,
    ChangeParameterError,
    CohortDataError,
    ColumnError,
    IncompleteResponseError,
    ResponseError,
    TrivselscoreError,
    UnknownInstrumentError,
    UnknownScaleError,
)
from trivselscore.instruments.registry import INSTRUMENTS, get_instrument
from trivselscore.tabular.frame import score_frame
from trivselscore.tabular.schema import json_schema, response_model

__all__ = [
    "Band",
    "BandResult",
    "BatchScores",
    "ChangeBatch",
    "ChangeCategory",
    "ChangeInputError",
    "ChangeParameterError",
    "ChangeParameters",
    "ChangeResult",
    "ChangeRule",
    "CohortDataError",
    "ColumnError",
    "CutoffScheme",
    "Cutoffs",
    "Flag",
    "INSTRUMENTS",
    "ImportantChange",
    "IncompleteResponseError",
    "Instrument",
    "Item",
    "ItemFlag",
    "ItemMap",
    "MissingPolicy",
    "MissingRule",
    "Norm",
    "NormTable",
    "ReferencePopulation",
    "Respondent",
    "ResponseError",
    "ResponseOption",
    "Scale",
    "ScaleScore",
    "Score",
    "Source",
    "TrivselscoreError",
    "UnknownInstrumentError",
    "UnknownScaleError",
    "__version__",
    "classify_change",
    "classify_changes",
    "convert",
    "get_instrument",
    "json_schema",
    "response_model",
    "score",
    "score_batch",
    "score_frame",
]
