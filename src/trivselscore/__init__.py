"""trivselscore: score WHO-5, SDQ, SCAS and MFQ questionnaires, one engine for all.

Examples:
    >>> import trivselscore
    >>> trivselscore.score("who5", [3, 3, 2, 2, 2]).values
    {'raw': 12, 'percentage': 48}
"""

from __future__ import annotations

from importlib import import_module as _import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
        ItemBlock,
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
        AgeRangeError,
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
    "AgeRangeError",
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
    "ItemBlock",
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

# Where each public name lives. Nothing is imported until a name is first used (PEP 562),
# so `import trivselscore` costs almost nothing; see docs/performance.md.
_HOMES: dict[str, tuple[str, str]] = {
    "AgeRangeError": ("trivselscore.errors", "AgeRangeError"),
    "Band": ("trivselscore.definitions.model", "Band"),
    "BandResult": ("trivselscore.engine.results", "BandResult"),
    "BatchScores": ("trivselscore.engine.results", "BatchScores"),
    "ChangeBatch": ("trivselscore.change.classify", "ChangeBatch"),
    "ChangeCategory": ("trivselscore.change.rule", "ChangeCategory"),
    "ChangeInputError": ("trivselscore.errors", "ChangeInputError"),
    "ChangeParameterError": ("trivselscore.errors", "ChangeParameterError"),
    "ChangeParameters": ("trivselscore.definitions.model", "ChangeParameters"),
    "ChangeResult": ("trivselscore.change.classify", "ChangeResult"),
    "ChangeRule": ("trivselscore.change.rule", "ChangeRule"),
    "CohortDataError": ("trivselscore.errors", "CohortDataError"),
    "ColumnError": ("trivselscore.errors", "ColumnError"),
    "CutoffScheme": ("trivselscore.definitions.model", "CutoffScheme"),
    "Cutoffs": ("trivselscore.definitions.model", "Cutoffs"),
    "Flag": ("trivselscore.engine.results", "Flag"),
    "INSTRUMENTS": ("trivselscore.instruments.registry", "INSTRUMENTS"),
    "ImportantChange": ("trivselscore.definitions.model", "ImportantChange"),
    "IncompleteResponseError": ("trivselscore.errors", "IncompleteResponseError"),
    "Instrument": ("trivselscore.definitions.instrument", "Instrument"),
    "Item": ("trivselscore.definitions.model", "Item"),
    "ItemBlock": ("trivselscore.definitions.model", "ItemBlock"),
    "ItemFlag": ("trivselscore.definitions.model", "ItemFlag"),
    "ItemMap": ("trivselscore.definitions.model", "ItemMap"),
    "MissingPolicy": ("trivselscore.engine.scoring", "MissingPolicy"),
    "MissingRule": ("trivselscore.definitions.model", "MissingRule"),
    "Norm": ("trivselscore.definitions.norms", "Norm"),
    "NormTable": ("trivselscore.definitions.norms", "NormTable"),
    "ReferencePopulation": ("trivselscore.change.rule", "ReferencePopulation"),
    "Respondent": ("trivselscore.definitions.model", "Respondent"),
    "ResponseError": ("trivselscore.errors", "ResponseError"),
    "ResponseOption": ("trivselscore.definitions.model", "ResponseOption"),
    "Scale": ("trivselscore.definitions.model", "Scale"),
    "ScaleScore": ("trivselscore.engine.results", "ScaleScore"),
    "Score": ("trivselscore.engine.results", "Score"),
    "Source": ("trivselscore.definitions.model", "Source"),
    "TrivselscoreError": ("trivselscore.errors", "TrivselscoreError"),
    "UnknownInstrumentError": ("trivselscore.errors", "UnknownInstrumentError"),
    "UnknownScaleError": ("trivselscore.errors", "UnknownScaleError"),
    "__version__": ("trivselscore.engine.scoring", "LIBRARY_VERSION"),
    "classify_change": ("trivselscore.change.classify", "classify_change"),
    "classify_changes": ("trivselscore.change.classify", "classify_changes"),
    "convert": ("trivselscore.engine.convert", "convert"),
    "get_instrument": ("trivselscore.instruments.registry", "get_instrument"),
    "json_schema": ("trivselscore.tabular.schema", "json_schema"),
    "response_model": ("trivselscore.tabular.schema", "response_model"),
    "score": ("trivselscore.engine.scoring", "score"),
    "score_batch": ("trivselscore.engine.scoring", "score_batch"),
    "score_frame": ("trivselscore.tabular.frame", "score_frame"),
}


def __getattr__(name: str) -> object:
    """Import a public name on first use (PEP 562); later uses find it in the module."""
    home = _HOMES.get(name)
    if home is None:
        msg = f"module 'trivselscore' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(_import_module(home[0]), home[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, loaded or not."""
    return sorted({*globals(), *__all__})
