"""The two figures of a progression report, drawn with matplotlib (optional extra ``plot``).

* :func:`plot_means`: mean score per time point by group, with the cutoff line
  and n under each point;
* :func:`plot_change`: stacked bars of fremgang / status quo / tilbagegang per
  group (track), from a :class:`~trivselscore.cohort.ChangeSummary`.

Suppressed values are never drawn as zero: a suppressed mean leaves a gap and
its n label says ``n<5``; suppressed shares are drawn together as one hatched
"hidden" segment, and a group with too few pairs gets no bar.

matplotlib is imported when a function is called; without it the call raises an
``ImportError`` that says ``pip install "trivselscore[plot]"``. Figures are
built with ``matplotlib.figure.Figure`` (no pyplot, no GUI backend); save them
with ``fig.savefig(path)``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

from trivselscore.cohort.report import Cell, ChangeSummary, Language, TimePointSummary, group_label
from trivselscore.support.figure import fit_margins, new_figure

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_change", "plot_means"]

_COLOURS = {
    "recovered": "#1b7837",
    "improvement": "#5aae61",
    "status_quo": "#bababa",
    "decline": "#f4a582",
    "harmed": "#b2182b",
}
_HIDDEN_COLOUR = "#f0f0f0"


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return cast("Figure", ax.figure), ax
    figure: Figure = new_figure(figsize=size)  # shows itself in a notebook; margins: fit_margins
    return figure, figure.add_subplot()


def _number(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _n_label(cell: Cell, language: Language) -> str:
    return f"n={cell.text(digits=0, language=language)}"


def plot_means(
    summary: TimePointSummary,
    *,
    cutoffs: Sequence[float] | None = None,
    language: Language = "da",
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Mean score per time point, one line per group, with the cutoff line(s) and n.

    Args:
        summary: From :meth:`trivselscore.cohort.Cohort.summary`.
        cutoffs: Horizontal lines to draw; default: the inner edges of the
            summary's cutoff scheme (50 for the WHO-5 ``risk`` scheme). ``()`` for none.
        language: ``"da"`` or ``"en"`` for labels.
        ax: Draw into this Axes instead of a new figure.
        title: The title; default: the scale and instrument.

    Returns:
        The figure. Lines carry the group as their label (NaN where the mean is
        suppressed); under each time point, one ``n=...`` text per group in the
        line's colour, stacked at the bottom of the axes.

    Raises:
        ImportError: matplotlib is not installed.
    """
    figure, axes = _axes(ax, (7.0, 4.5))
    times = list(summary.time_points)
    groups = list(dict.fromkeys((row.is_total, row.group) for row in summary.rows))
    for number, group in enumerate(groups):
        rows = {row.time: row for row in summary.rows if (row.is_total, row.group) == group}
        ys = [_number(rows[t].mean.value) for t in times]
        label = group_label(rows[times[0]], language)
        (line,) = axes.plot(range(len(times)), ys, marker="o", label=label)
        for x, t in enumerate(times):
            axes.text(
                x,
                0.03 + 0.045 * (len(groups) - 1 - number),
                _n_label(rows[t].n, language),
                transform=axes.get_xaxis_transform(),
                ha="center",
                fontsize=7,
                color=line.get_color(),
            )
    scheme_label = summary.scheme_label_da if language == "da" else summary.scheme_label_en
    for value in summary.cutoffs if cutoffs is None else cutoffs:
        word = "grænse" if language == "da" else "cutoff"
        label = f"{word} {value:g}" + (f" ({scheme_label})" if scheme_label and cutoffs is None else "")
        axes.axhline(value, linestyle="--", color="#555555", linewidth=1, label=label)
    axes.set_xticks(range(len(times)), labels=times)
    if summary.scale_range is not None:
        low, high = summary.scale_range
        axes.set_ylim(low, high)
    axes.set_ylabel(("gennemsnit" if language == "da" else "mean") + f" ({summary.scale})")
    axes.set_title(title if title is not None else f"{summary.instrument_id}: {summary.scale}")
    axes.legend(fontsize=8)
    if ax is None:
        fit_margins(figure)
    return figure


def plot_change(
    summary: ChangeSummary,
    *,
    language: Language = "da",
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Stacked bars of the change categories (percent of pairs), one bar per group.

    Args:
        summary: From :meth:`trivselscore.cohort.Cohort.change`.
        language: ``"da"`` or ``"en"`` for labels.
        ax: Draw into this Axes instead of a new figure.
        title: The title; default: the time points and the method.

    Returns:
        The figure. Each category is one bar container labelled with the category
        name; suppressed shares form the hatched ``skjult``/``hidden`` container.

    Raises:
        ImportError: matplotlib is not installed.
    """
    figure, axes = _axes(ax, (7.0, 4.5))
    rows = summary.rows
    x = list(range(len(rows)))
    bottoms = [0.0] * len(rows)
    shown = [not all(c.share.suppressed for c in row.categories) for row in rows]
    for index, category in enumerate(summary.rule.categories):
        heights = []
        for row, visible in zip(rows, shown, strict=True):
            value = row.categories[index].share.value
            heights.append(100 * value if visible and value is not None else 0.0)
        label = category.label_da if language == "da" else category.label_en
        axes.bar(x, heights, bottom=bottoms, label=label, color=_COLOURS[str(category)])
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    rest = [
        max(0.0, 100.0 - b) if visible and any(c.share.suppressed for c in row.categories) else 0.0
        for row, b, visible in zip(rows, bottoms, shown, strict=True)
    ]
    hidden_label = f"skjult (<{summary.min_cell})" if language == "da" else f"hidden (<{summary.min_cell})"
    axes.bar(
        x, rest, bottom=bottoms, label=hidden_label, color=_HIDDEN_COLOUR, hatch="//", edgecolor="#999999"
    )
    for position, visible, row in zip(x, shown, rows, strict=True):
        if not visible:
            axes.text(position, 2, _n_label(row.pairs, language), ha="center", fontsize=8)
    ticks = [f"{group_label(row, language)}\n({_n_label(row.pairs, language)})" for row in rows]
    axes.set_xticks(x, labels=ticks)
    axes.set_ylim(0, 100)
    axes.set_ylabel("andel af par (%)" if language == "da" else "share of pairs (%)")
    default = f"{summary.start} -> {summary.end} ({summary.rule.method})"
    axes.set_title(title if title is not None else default)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if ax is None:
        legend = axes.get_legend()
        names = [text.get_text() for text in legend.get_texts()] if legend is not None else []
        fit_margins(figure, right=names, lines=2)
    return figure
