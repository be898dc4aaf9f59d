"""The whole evaluation in one object: several instruments, tracks, time points and figures.

Build a :class:`Study` with :meth:`Study.from_long` from long-format data (one
row per person and time point; pandas, polars, pyarrow or records), then ask it
for the reports: :meth:`Study.coverage`, :meth:`Study.summary`,
:meth:`Study.change`, :meth:`Study.combined_change` and
:meth:`Study.predictors` and
:meth:`Study.survey`. The figures are in :mod:`trivselscore.study.figures`;
the suppression rule (shared with cohort reports) is in :mod:`trivselscore.cohort.suppression`,
and :class:`Release` publishes several reports protected as one.
"""

from __future__ import annotations

from trivselscore.study.combined import CombinedChangeReport, CombinedRow, Criterion
from trivselscore.study.measures import Versions
from trivselscore.study.predictors import PredictorReport, PredictorTerm
from trivselscore.study.release import Release
from trivselscore.study.reports import (
    ChangeReport,
    ChangeRow,
    CoverageReport,
    CoverageRow,
    Report,
    SummaryReport,
    SummaryRow,
)
from trivselscore.study.study import Study
from trivselscore.study.survey import SurveyReport, SurveyRow

__all__ = [
    "ChangeReport",
    "ChangeRow",
    "CombinedChangeReport",
    "CombinedRow",
    "CoverageReport",
    "CoverageRow",
    "Criterion",
    "PredictorReport",
    "PredictorTerm",
    "Release",
    "Report",
    "Study",
    "SummaryReport",
    "SummaryRow",
    "SurveyReport",
    "SurveyRow",
    "Versions",
]
