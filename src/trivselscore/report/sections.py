"""The evaluation's further analyses (STUDY.toml ``[analyses]``) as grids, a figure and HTML.

Three tables, each from a Study report made in the release (so its counts are
protected with every other number of the report): the paired means by sex per
time point and group (:mod:`trivselscore.study.paired`), fremgang across measures
with its figure (:mod:`trivselscore.study.fremgang`) and the flow: measured and
drop-out per time point (:mod:`trivselscore.study.flow`). The grids go to the HTML
and to the Excel file alike (:func:`grids`).

The figure is drawn with a fixed layout (no layout solver) and every label as
plain text (a ``$`` is a dollar sign).
"""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING

from trivselscore.report.labels import word
from trivselscore.report.tables import Grid, count, sex_label, suppression_note
from trivselscore.report.values import Value
from trivselscore.study.reports import group_label
from trivselscore.support import require
from trivselscore.support.figure import new_figure

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from trivselscore.report.build import Content
    from trivselscore.study.flow import FlowReport
    from trivselscore.study.fremgang import FremgangReport, FremgangRow
    from trivselscore.study.paired import SexMeansReport
    from trivselscore.study.reports import Lang

__all__ = ["flow_grid", "fremgang_grid", "grids", "plot_fremgang", "sections_html", "sex_means_grid"]

_HIDDEN_COLOUR, _HIDDEN_HATCH, _HIDDEN_EDGE = "#f0f0f0", "//", "#999999"


def _ranges(report: SexMeansReport | FremgangReport | FlowReport) -> bool:
    return '"note":"range"' in report.model_dump_json()


def _note(report: SexMeansReport | FremgangReport | FlowReport, lang: Lang) -> str:
    return suppression_note(report.min_cell, hide_zero=report.hide_zero, lang=lang, ranges=_ranges(report))


def sex_means_grid(report: SexMeansReport, lang: Lang, *, sheet: str | None = None) -> Grid:
    """Per group and sex: the young people scored at every time point (n) and their mean at each."""
    head = [
        word("group", lang),
        word("sex", lang),
        "n",
        *(f"{word('mean', lang)} {t}" for t in report.time_points),
    ]
    body: list[list[Value | str]] = [
        [
            group_label(r.group, lang),
            sex_label(r.sex, lang),
            count(r.n, lang),
            *(Value.of(m, lang) for m in r.means),
        ]
        for r in report.rows
    ]
    times = ", ".join(report.time_points)
    caption = f"{report.measure}: {report.scale} - " + word("sex_means_caption", lang).format(times=times)
    notes = [word("sex_means_note", lang), _note(report, lang)]
    return Grid(
        caption,
        head,
        body,
        notes,
        sheet if sheet is not None else f"{report.measure} {report.scale}",
        word("sheet_sex_means", lang),
        lang,
    )


def fremgang_grid(report: FremgangReport, lang: Lang) -> Grid:
    """Per measure and group: the complete pairs and the share with fremgang (interval)."""
    head = [word("measure", lang), word("group", lang), word("pairs", lang), word("fremgang_share", lang)]
    body: list[list[Value | str]] = [
        [
            f"{r.measure}/{r.scale}",
            group_label(r.group, lang),
            count(r.pairs, lang),
            Value.of(r.share, lang, percent=True),
        ]
        for r in report.rows
    ]
    caption = f"{report.start} -> {report.end}: " + word("fremgang_caption", lang)
    notes = [word("fremgang_note", lang), *report.rules.values(), _note(report, lang)]
    return Grid(caption, head, body, notes, "", word("sheet_fremgang", lang), lang)


def flow_grid(report: FlowReport, lang: Lang) -> Grid:
    """Per group and time point: the measured, the drop-out since the time point before and its share."""
    head = [word("group", lang), word("time", lang), word("measured", lang)]
    head += [word("dropout", lang), word("dropout_share", lang)]
    first = report.time_points[0]
    body: list[list[Value | str]] = [
        [
            group_label(r.group, lang),
            r.time,
            count(r.measured, lang),
            *(
                ("", "")
                if r.time == first
                else (count(r.dropout, lang), Value.of(r.dropout_share, lang, percent=True))
            ),
        ]
        for r in report.rows
    ]
    caption = f"{report.measure}: {report.scale} - " + word("flow_caption", lang)
    notes = [word("flow_note", lang), _note(report, lang)]
    return Grid(caption, head, body, notes, report.measure, word("sheet_flow", lang), lang)


def grids(content: Content, lang: Lang) -> list[Grid]:
    """The analyses' tables, in the order of the HTML."""

    def sheet(report: SexMeansReport) -> str:
        several = len(content.scales[report.measure]) > 1
        return f"{report.measure} {report.scale}" if several else report.measure

    out = [sex_means_grid(r, lang, sheet=sheet(r)) for r in content.sex_means]
    out += [fremgang_grid(r, lang) for r in content.fremgang]
    out += [flow_grid(r, lang) for r in content.flows]
    return out


def plot_fremgang(report: FremgangReport, lang: Lang) -> Figure:
    """Bars of the share with fremgang per measure (along x) and group (side by side), intervals, n above.

    A share published as a range is a hatched bar over that range; a hidden share a hatched bar
    over 0-100 % labelled with its mark: never a zero-length bar.
    """
    patch = require("matplotlib.patches", "plot").Patch
    measures = list(dict.fromkeys(f"{r.measure}/{r.scale}" for r in report.rows))
    groups = list(dict.fromkeys(r.group for r in report.rows))
    figure: Figure = new_figure(figsize=(7.5, 4.2))
    axes = figure.add_axes((0.09, 0.3, 0.88, 0.6))
    width = 0.8 / max(len(groups), 1)
    for g, group in enumerate(groups):
        rows = [r for r in report.rows if r.group == group]
        spots = [measures.index(f"{r.measure}/{r.scale}") - 0.4 + width * (g + 0.5) for r in rows]
        colour = f"C{g}"
        for x, r in zip(spots, rows, strict=True):
            _bar(axes, x, r, width=width, colour=colour, lang=lang)
    axes.set_xticks(range(len(measures)), labels=measures)
    axes.set_xlim(-0.5, len(measures) - 0.5)
    axes.set_ylim(0, 135)
    axes.set_yticks(range(0, 101, 20))
    axes.set_ylabel(word("fremgang_axis", lang))
    axes.set_title(f"{report.start} -> {report.end}")
    handles = [patch(facecolor=f"C{g}", label=group_label(group, lang)) for g, group in enumerate(groups)]
    axes.legend(
        handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=min(len(groups), 3)
    )
    text_type = require("matplotlib.text", "plot").Text
    for text in figure.findobj(text_type):
        text.set_parse_math(False)
    return figure


def _bar(axes: Axes, x: float, row: FremgangRow, *, width: float, colour: str, lang: Lang) -> None:  # noqa: PLR0913 - one bar, then how
    """One group's bar: the share with its interval, its range (hatched), or hidden (hatched, its mark)."""
    share, n = row.share, f"n={count(row.pairs, lang).render(lang)}"
    if share.value is not None:
        value = 100 * float(share.value)
        low = 100 * (share.low if share.low is not None else share.value)
        high = 100 * (share.high if share.high is not None else share.value)
        axes.bar([x], [value], width=width, color=colour, yerr=[[value - low], [high - value]], capsize=2)
        axes.text(x, high + 2, n, ha="center", va="bottom", fontsize=6, rotation=90)
        return
    ranged = share.low is not None and share.high is not None
    bottom = 100 * float(share.low) if ranged and share.low is not None else 0.0
    top = 100 * float(share.high) if ranged and share.high is not None else 100.0
    axes.bar(
        [x],
        [top - bottom],
        bottom=bottom,
        width=width,
        color=_HIDDEN_COLOUR,
        hatch=_HIDDEN_HATCH,
        edgecolor=colour,
    )
    mark = share.text(percent=True, language=lang) if share.suppressed else "-"
    axes.text(x, top + 2, f"{n}, {mark}", ha="center", va="bottom", fontsize=6, rotation=90, color=colour)


def _skipped(content: Content, lang: Lang) -> list[str]:
    lines = []
    for skip in content.skipped:
        if skip.what == "fremgang":
            why = word(f"why_{skip.why}", lang).format(missing=", ".join(skip.missing))
            line = word("fremgang_left_out", lang).format(
                name=skip.measure, start=skip.start, end=skip.end, why=why
            )
            lines.append(f"<p>{escape(line)}</p>")
    return lines


def has_sections(content: Content) -> bool:
    """Whether the report has the analyses' chapter."""
    return bool(
        content.sex_means
        or content.fremgang
        or content.flows
        or any(s.what == "fremgang" for s in content.skipped)
    )


def sections_html(
    content: Content,
    lang: Lang,
    *,
    table: Callable[[Grid], str],
    figure: Callable[[Callable[[], Figure], str], str],
) -> str:
    """The analyses' chapter (empty when STUDY.toml asks for none): tables, the figure, notes."""
    if not has_sections(content):
        return ""
    parts = [f'<section class="chapter" id="analyses"><h2>{word("analyses", lang)}</h2>']
    if content.sex_means:
        parts.append(f"<h3>{word('sex_means_title', lang)}</h3>")
        parts.extend(table(sex_means_grid(r, lang)) for r in content.sex_means)
    if content.fremgang or any(s.what == "fremgang" for s in content.skipped):
        parts.append(f"<h3>{word('fremgang_title', lang)}</h3>")
        for report in content.fremgang:
            parts.append(table(fremgang_grid(report, lang)))
            parts.append(figure(partial(plot_fremgang, report, lang), word("figure_fremgang", lang)))
        parts.extend(_skipped(content, lang))
    if content.flows:
        parts.append(f"<h3>{word('flow_title', lang)}</h3>")
        parts.extend(table(flow_grid(r, lang)) for r in content.flows)
    parts.append("</section>")
    return "".join(parts)
