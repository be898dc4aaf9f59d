"""Testing: public Hypothesis strategies (extra ``hypothesis``) and their helpers.

``trivselscore.strategies`` is an alias of :mod:`trivselscore.testing.strategies`.
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
