"""What the report prints of each count: the release's disclosure engine protects exactly that.

The grids (:mod:`trivselscore.report.tables`) and the first page print these
counts; :func:`trivselscore.report.build.build` hands them to the
:class:`~trivselscore.study.release.Release` (``shown=``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trivselscore.study.cells import Shown

__all__ = ["PRINTED"]

PRINTED: Shown = {
    ("summary", "rows"): "count",
    ("summary", "not_given"): "count",
    ("summary", "n"): "count",
    ("summary", "band"): "share",
    ("change", "pairs"): "count",
    ("change", "start_only"): "share",
    ("change", "category"): "share",
    ("combined", "persons"): "count",
    ("combined", "complete"): "count",
    ("combined", "left_out"): "count",
    ("combined", "improved"): "count",
    ("front", "persons"): "count",
    ("front", "rows"): "count",
    ("front", "given"): "count",
    ("front", "not_given"): "count",
    ("front", "not_scored"): "count",
    ("front", "version"): "count",
    ("flow", "given"): "count",
    ("flow", "dropout"): "count",
    ("sex_means", "n"): "count",
    ("fremgang", "improved"): "share",
    ("survey", "n"): "count",
    ("survey", "blank"): "count",
    ("survey", "answer"): "share",
    ("predictors", "n"): "count",
    ("predictors", "improved"): "count",
    ("predictors", "excluded"): "count",
    ("predictors", "level"): "count",
}
"""What the grids and the first page print: per (table, column) a count, or a share of its
denominator (a band's share of n, a change category's and the attrition's share of the pairs;
the disclosure engine takes a printed share's count as known, as a figure's bar shows it).
The n in the figures' legends are the tables' n. The analyses (:mod:`trivselscore.report.sections`)
print the measured and the drop-out per time point (the flow), the paired n by sex, and
fremgang across measures (the change tables' pairs and categories, or their sum)."""
