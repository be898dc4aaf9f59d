"""trivselscore: score WHO-5, SDQ, SCAS and MFQ questionnaires, one engine for all.

Examples:
    >>> import trivselscore
    >>> trivselscore.score("who5", [3, 3, 2, 2, 2]).values
    {'raw': 12, 'percentage': 48}
"""

from __future__ import annotations

from trivselscore._instrument import Instrument
from trivselscore._model import (
    Band,
    Cutoffs,
    CutoffScheme,
    Item,
    ItemFlag,
    MissingRule,
    Respondent,
    ResponseOption,
    Scale,
    Source,
)
from trivselscore._registry import INSTRUMENTS, get_instrument
from trivselscore._results import BandResult, BatchScores, Flag, ScaleScore, Score
from trivselscore._scoring import LIBRARY_VERSION as __version__  # noqa: N811 - the conventional name
from trivselscore._scoring import MissingPolicy, score, score_batch
from trivselscore.errors import (
    IncompleteResponseError,
    ResponseError,
    TrivselscoreError,
    UnknownInstrumentError,
)

__all__ = [
    "Band",
    "BandResult",
    "BatchScores",
    "CutoffScheme",
    "Cutoffs",
    "Flag",
    "INSTRUMENTS",
    "IncompleteResponseError",
    "Instrument",
    "Item",
    "ItemFlag",
    "MissingPolicy",
    "MissingRule",
    "Respondent",
    "ResponseError",
    "ResponseOption",
    "Scale",
    "ScaleScore",
    "Score",
    "Source",
    "TrivselscoreError",
    "UnknownInstrumentError",
    "__version__",
    "get_instrument",
    "score",
    "score_batch",
]
