"""The evaluation's figures from study reports, drawn with matplotlib (optional extra ``plot``).

* :func:`plot_means`: mean score per time point, one line per group, n in the
  legend, the cutoff line of the scheme;
* :func:`plot_change`: stacked horizontal bars of fremgang / status quo /
  tilbagegang per group (track), for one or several pairs of time points;
* :func:`plot_improvement`: the share with fremgang per measure and group, with
  its interval.

A hidden value is never drawn as zero: a hidden mean leaves a gap (its n reads
``<5``), hidden shares form one hatched "skjult" segment, a hidden improvement
share is a hatched bar labelled "skjult", and a group whose pairs are hidden
gets no bar but the label ``n<5``. :func:`figure_svg` returns a figure as an SVG
string (deterministic ids, no date) for inlining in an HTML report.

Every label (a group, time point, measure or title) is drawn as plain text: a
``$`` is a dollar sign, never the start of mathtext, so ``"a $ b"`` neither
changes how a label looks nor stops the drawing.

Figures are ``matplotlib.figure.Figure`` objects (no pyplot, no GUI backend).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from trivselscore.study.reports import ChangeReport, ChangeRow, Lang, SummaryReport, group_label
from trivselscore.support import require
from trivselscore.support.figure import fit_margins, new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["figure_svg", "plot_change", "plot_improvement", "plot_means"]

COLOURS = {
    "recovered": "#1b7837",
    "improvement": "#5aae61",
    "status_quo": "#bababa",
    "decline": "#f4a582",
    "harmed": "#b2182b",
}
HIDDEN_COLOUR, HIDDEN_HATCH, HIDDEN_EDGE = "#f0f0f0", "//", "#999999"
_MIN_LABEL = 0.08


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return cast("Figure", ax.figure), ax
    figure: Figure = new_figure(figsize=size)  # shows itself in a notebook; margins: fit_margins
    return figure, figure.add_subplot()


def _plain(axes: Axes) -> None:
    """Draw every text of the axes (title, tick labels, legend, bar labels) as plain text, not mathtext."""
    text_type = require("matplotlib.text", "plot").Text
    for text in axes.findobj(text_type):
        text.set_parse_math(False)


def _number(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _absent(pairs: str) -> str:
    """The label of a group without a bar: ``n<5``, ``n=0`` or ``skjult``."""
    return pairs.replace("<", "n<") if pairs.startswith("<") else (f"n={pairs}" if pairs.isdigit() else pairs)


def _wrap(label: str, width: int = 50) -> str:
    """A label longer than ``width`` characters broken into lines (so the plot keeps its room)."""
    return textwrap.fill(label, width) if len(label) > width else label


def _hidden_label(lang: Lang, min_cell: int) -> str:
    return f"skjult (<{min_cell})" if lang == "da" else f"hidden (<{min_cell})"


def plot_means(
    summary: SummaryReport,
    *,
    groups: Sequence[str] | None = None,
    lang: Lang = "da",
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Mean per time point, one line per group, each group's n per time point in the legend.

    Args:
        summary: From :meth:`Study.summary` (with ``paired=`` for the persons measured at both).
        groups: The groups to draw (default: every row's group, ``all`` included).
        lang: ``"da"`` or ``"en"``.
        ax: Draw into this Axes instead of a new figure.
        title: The title; default: the measure, scale and the paired restriction.

    Returns:
        The figure: one line per group labelled ``"<group> (n = a / b / c)"``,
        NaN where the mean is hidden, and a dashed line per cutoff.
    """
    figure, axes = _axes(ax, (7.0, 4.5))
    times = list(summary.time_points)
    chosen = list(groups) if groups is not None else list(dict.fromkeys(r.group for r in summary.rows))
    for group in chosen:
        rows = {r.time: r for r in summary.rows if r.group == group}
        ys = [_number(rows[t].mean.value) for t in times]
        ns = " / ".join(rows[t].n.text(digits=0, language=lang) for t in times)
        axes.plot(range(len(times)), ys, marker="o", label=f"{group_label(group, lang)} (n = {ns})")
    for value in summary.cutoffs:
        word = "grænse" if lang == "da" else "cutoff"
        axes.axhline(value, linestyle="--", color="#555555", linewidth=1, label=f"{word} {value:g}")
    axes.set_xticks(range(len(times)), labels=times)
    axes.set_ylim(*summary.scale_range)
    axes.set_ylabel(("gennemsnit" if lang == "da" else "mean") + f" ({summary.scale})")
    axes.set_title(title if title is not None else summary.table(lang).splitlines()[0])
    if ax is None:  # a figure of its own: the legend under the plot, long entries wrapped
        handles, names = axes.get_legend_handles_labels()
        names = [textwrap.fill(name, 95) for name in names]
        below = sum(name.count("\n") + 1 for name in names)
        fit_margins(figure, below=below, last_tick=times[-1] if times else "")
        axes.legend(
            handles,
            names,
            fontsize=8,
            loc="lower left",
            bbox_to_anchor=(0.01, 0.01),
            bbox_transform=figure.transFigure,
            frameon=False,
        )
    else:
        axes.legend(fontsize=8)
    _plain(axes)
    return figure


def _bar_label(row: ChangeRow, report: ChangeReport, *, several: bool, lang: Lang) -> str:
    label = group_label(row.group, lang)
    if several:
        label += f": {report.start} -> {report.end}"
    return f"{label} (n = {row.pairs.text(digits=0, language=lang)})"


def plot_change(  # noqa: PLR0913 - what to draw, then how
    *reports: ChangeReport,
    measure: str,
    scale: str,
    groups: Sequence[str] | None = None,
    lang: Lang = "da",
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Stacked horizontal bars of the change categories (% of pairs), one per group and report.

    Args:
        *reports: One change report per pair of time points.
        measure: The measure to draw.
        scale: Its scale.
        groups: The groups to draw (default: all rows, ``all`` included).
        lang: ``"da"`` or ``"en"``.
        ax: Draw into this Axes instead of a new figure.
        title: The title; default: the measure and scale.

    Returns:
        The figure: one bar container per category, labelled with its name, and a
        hatched ``skjult``/``hidden`` container for hidden shares.
    """
    rows = [
        (report, row)
        for report in reports
        for row in report.rows
        if row.measure == measure and row.scale == scale and (groups is None or row.group in groups)
    ]
    figure, axes = _axes(ax, (7.5, 1.0 + 0.45 * max(len(rows), 1)))
    keys = reports[0].categories() if reports else []
    y = list(range(len(rows)))
    left = [0.0] * len(rows)
    drawn = [bool(row.pairs.value) for _, row in rows]  # pairs shown and not zero
    for key, en, da in keys:
        widths = []
        for (_, row), visible in zip(rows, drawn, strict=True):
            share = next((c.share.value for c in row.categories if c.key == key), None)
            widths.append(100 * share if visible and share is not None else 0.0)
        bars = axes.barh(
            y, widths, left=left, label=da if lang == "da" else en, color=COLOURS.get(key, "#777777")
        )
        for bar, width in zip(bars, widths, strict=True):
            if width >= 100 * _MIN_LABEL:
                axes.text(
                    bar.get_x() + width / 2,
                    bar.get_y() + bar.get_height() / 2,
                    f"{width:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=7,
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    rest = [
        max(0.0, 100.0 - x) if visible and any(c.share.suppressed for c in row.categories) else 0.0
        for (_, row), x, visible in zip(rows, left, drawn, strict=True)
    ]
    min_cell = reports[0].min_cell if reports else 5
    axes.barh(
        y,
        rest,
        left=left,
        label=_hidden_label(lang, min_cell),
        color=HIDDEN_COLOUR,
        hatch=HIDDEN_HATCH,
        edgecolor=HIDDEN_EDGE,
    )
    for position, visible, (_, row) in zip(y, drawn, rows, strict=True):
        if not visible:
            axes.text(
                1,
                position,
                _absent(row.pairs.text(digits=0, language=lang)),
                va="center",
                fontsize=8,
            )
    several = len(reports) > 1
    labels = [_wrap(_bar_label(row, report, several=several, lang=lang)) for report, row in rows]
    axes.set_yticks(y, labels=labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("andel af par (%)" if lang == "da" else "share of pairs (%)")
    axes.set_title(title if title is not None else f"{measure}: {scale}")
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _plain(axes)
    if ax is None:
        names = [da if lang == "da" else en for _, en, da in keys] + [_hidden_label(lang, min_cell)]
        lines = sum(label.count("\n") + 1 for label in labels)
        width, height = figure.get_size_inches()
        figure.set_size_inches(width, max(height, 1.0 + 0.3 * lines))  # wrapped labels need room
        fit_margins(figure, left=labels, right=names)
    return figure


def plot_improvement(  # noqa: PLR0913 - what to draw, then how
    report: ChangeReport,
    *,
    scales: Sequence[tuple[str, str]] | None = None,
    groups: Sequence[str] | None = None,
    lang: Lang = "da",
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """The share with fremgang per measure (rows) and group (bars), with its interval.

    Args:
        report: A change report.
        scales: (measure, scale) pairs to draw; default: every one in the report.
        groups: The groups to draw; default: every group, ``all`` included.
        lang: ``"da"`` or ``"en"``.
        ax: Draw into this Axes instead of a new figure.
        title: The title; default: the time points.

    Returns:
        The figure: one bar container per group (labelled with it); hidden shares
        are hatched bars labelled ``skjult``/``hidden``, never zero-length bars.
    """
    pairs = (
        list(scales) if scales is not None else list(dict.fromkeys((r.measure, r.scale) for r in report.rows))
    )
    chosen = list(groups) if groups is not None else list(dict.fromkeys(r.group for r in report.rows))
    figure, axes = _axes(ax, (7.5, 1.0 + 0.5 * len(pairs) * max(len(chosen), 1) / 2))
    height = 0.8 / max(len(chosen), 1)
    hidden_text = "skjult" if lang == "da" else "hidden"
    for g, group in enumerate(chosen):
        values: list[float] = []
        spots: list[float] = []
        hidden_spots: list[float] = []
        errors: list[list[float]] = [[], []]
        for i, (measure, scale) in enumerate(pairs):
            row = next(r for r in report.rows if (r.measure, r.scale, r.group) == (measure, scale, group))
            share = next(c.share for c in row.categories if c.key == "improvement")
            spot = i + g * height - 0.4 + height / 2
            if share.value is None:
                hidden_spots.append(spot)
                continue
            value = 100 * float(share.value)
            values.append(value)
            spots.append(spot)
            errors[0].append(value - 100 * (share.low if share.low is not None else share.value))
            errors[1].append(100 * (share.high if share.high is not None else share.value) - value)
        container = axes.barh(
            spots, values, height=height, xerr=errors, capsize=2, label=group_label(group, lang)
        )
        colour = container.patches[0].get_facecolor() if container.patches else None
        for spot in hidden_spots:
            axes.barh(
                [spot],
                [100],
                height=height,
                color=HIDDEN_COLOUR,
                hatch=HIDDEN_HATCH,
                edgecolor=HIDDEN_EDGE,
                label="_nolegend_",
            )
            axes.text(
                2, spot, f"{group_label(group, lang)}: {hidden_text}", va="center", fontsize=7, color=colour
            )
    axes.set_yticks(range(len(pairs)), labels=[f"{m}/{s}" for m, s in pairs])
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("andel med fremgang (%)" if lang == "da" else "share with fremgang (%)")
    axes.set_title(title if title is not None else f"{report.start} -> {report.end}")
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _plain(axes)
    if ax is None:
        fit_margins(figure, left=[f"{m}/{s}" for m, s in pairs], right=[group_label(g, lang) for g in chosen])
    return figure


def figure_svg(figure: Figure) -> str:
    """The figure as an SVG document (text), with fixed element ids and no date.

    Raises:
        ImportError: matplotlib is not installed.
    """
    matplotlib = require("matplotlib", "plot")
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "trivselscore", "text.parse_math": False}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
