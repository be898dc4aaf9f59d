"""Hypothesis strategies (alias of :mod:`trivselscore.testing.strategies`).

Kept so that ``from trivselscore.strategies import responses`` goes on working.
"""

from __future__ import annotations

from trivselscore.testing.strategies import (
    instruments,
    respondents,
    response_arrays,
    responses,
    responses_near,
)

__all__ = [
    "instruments",
    "respondents",
    "response_arrays",
    "responses",
    "responses_near",
]
