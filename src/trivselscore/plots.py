"""The figures of a progression report (alias of :mod:`trivselscore.cohort.plots`).

Kept so that ``from trivselscore.plots import plot_means`` goes on working.
"""

from __future__ import annotations

from trivselscore.cohort.plots import plot_change, plot_means

__all__ = [
    "plot_change",
    "plot_means",
]
