"""Tabular: DataFrames, streamed CSV files, column finding, JSON Schema, response models, norm files.

A front door over the engine for data that arrives as tables or as JSON forms.
"""

from __future__ import annotations

from trivselscore.tabular.frame import score_frame
from trivselscore.tabular.norms import NormFileError, read_norm_table
from trivselscore.tabular.schema import JSON_SCHEMA_DIALECT, json_schema, response_model

__all__ = [
    "JSON_SCHEMA_DIALECT",
    "NormFileError",
    "json_schema",
    "read_norm_table",
    "response_model",
    "score_frame",
]
