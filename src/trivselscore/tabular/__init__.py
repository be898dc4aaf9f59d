"""Tabular: DataFrames, streamed CSV files, column finding, JSON Schema and response models.

A front door over the engine for data that arrives as tables or as JSON forms.
"""

from __future__ import annotations

from trivselscore.tabular.frame import score_frame
from trivselscore.tabular.schema import JSON_SCHEMA_DIALECT, json_schema, response_model

__all__ = [
    "JSON_SCHEMA_DIALECT",
    "json_schema",
    "response_model",
    "score_frame",
]
