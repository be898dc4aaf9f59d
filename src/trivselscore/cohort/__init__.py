"""Cohort progression reports from long-format data (one row per person and time point).

See :class:`Cohort`. The figures are in :mod:`trivselscore.plots`.
"""

from __future__ import annotations

from trivselscore.cohort.cohort import (
    Cell,
    ChangeRow,
    ChangeSummary,
    Cohort,
    ShareCell,
    TimePointRow,
    TimePointSummary,
)

__all__ = [
    "Cell",
    "ChangeRow",
    "ChangeSummary",
    "Cohort",
    "ShareCell",
    "TimePointRow",
    "TimePointSummary",
]
