"""Engine: one plan per instrument, one numpy engine, bands, results and form conversion.

:func:`score` (one respondent) and :func:`score_batch` (many) are the two front doors
of the same engine. This wing imports definitions, instruments and support only.
"""

from __future__ import annotations

from trivselscore.engine.convert import convert
from trivselscore.engine.results import BandResult, BatchScores, Flag, ScaleScore, Score
from trivselscore.engine.scoring import MissingPolicy, score, score_batch

__all__ = [
    "BandResult",
    "BatchScores",
    "Flag",
    "MissingPolicy",
    "ScaleScore",
    "Score",
    "convert",
    "score",
    "score_batch",
]
