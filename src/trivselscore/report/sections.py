"""The evaluation's further analyses (STUDY.toml ``[analyses]``) as grids, a figure and HTML.

Three tables, each from a Study report made in the release (so its counts are
protected with every other number of the report): the paired means by sex per
time point and group (:mod:`trivselscore.study.paired`), fremgang across measures
with its figure (:mod:`trivselscore.study.fremgang`) and the flow: measured and
drop-out per time point (:mod:`trivselscore.study.flow`). The grids go to the HTML
and to the Excel file alike (:func:`grids`).

The figure is SVG written from the data (:func:`trivselscore.report.svg.shares_svg`):
no layout solver, every label escaped plain text (a ``$`` is a dollar sign).
"""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING

from trivselscore.report.labels import word
from trivselscore.report.svg import ShareBar, shares_svg
from trivselscore.report.tables import (
    Grid,
    count,
    method_note,
    rule_text,
    scale_label,
    sex_label,
    suppression_note,
)
from trivselscore.report.values import Value
from trivselscore.study.reports import group_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from trivselscore.report.build import Content
    from trivselscore.study.flow import FlowReport
    from trivselscore.study.fremgang import FremgangReport
    from trivselscore.study.paired import SexMeansReport
    from trivselscore.study.reports import Lang

__all__ = [
    "flow_grid",
    "fremgang_grid",
    "fremgang_svg",
    "grids",
    "named",
    "sections_html",
    "sex_means_grid",
]


def named(content: Content, lang: Lang) -> Callable[[str, str], str]:
    """``label(measure, scale)``: the measure and its scale's label in ``lang`` (``who5: procentscore``)."""

    def label(measure: str, scale: str) -> str:
        return f"{measure}: {scale_label(content.study, measure, scale, lang)}"

    return label


def _ranges(report: SexMeansReport | FremgangReport | FlowReport) -> bool:
    return '"note":"range"' in report.model_dump_json()


def _note(report: SexMeansReport | FremgangReport | FlowReport, lang: Lang) -> str:
    return suppression_note(report.min_cell, hide_zero=report.hide_zero, lang=lang, ranges=_ranges(report))


def sex_means_grid(
    report: SexMeansReport, lang: Lang, *, label: Callable[[str, str], str], sheet: str | None = None
) -> Grid:
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
    caption = f"{label(report.measure, report.scale)} - " + word("sex_means_caption", lang).format(
        times=times
    )
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


def fremgang_grid(report: FremgangReport, lang: Lang, *, label: Callable[[str, str], str]) -> Grid:
    """Per measure and group: the complete pairs and the share with fremgang (interval)."""
    head = [word("measure", lang), word("group", lang), word("pairs", lang), word("fremgang_share", lang)]
    body: list[list[Value | str]] = [
        [
            label(r.measure, r.scale),
            group_label(r.group, lang),
            count(r.pairs, lang),
            Value.of(r.share, lang, percent=True),
        ]
        for r in report.rows
    ]
    caption = f"{report.start} -> {report.end}: " + word("fremgang_caption", lang)
    rules = list(report.rules.values())
    notes = [word("fremgang_note", lang), *(method_note(r, lang) for r in rules)]
    notes += [*(rule_text(r, lang) for r in rules), _note(report, lang)]
    return Grid(caption, head, body, notes, "", word("sheet_fremgang", lang), lang)


def flow_grid(report: FlowReport, lang: Lang, *, label: Callable[[str, str], str]) -> Grid:
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
    caption = f"{label(report.measure, report.scale)} - " + word("flow_caption", lang)
    notes = [word("flow_note", lang), _note(report, lang)]
    return Grid(caption, head, body, notes, report.measure, word("sheet_flow", lang), lang)


def grids(content: Content, lang: Lang) -> list[Grid]:
    """The analyses' tables, in the order of the HTML."""

    def sheet(report: SexMeansReport) -> str:
        several = len(content.scales[report.measure]) > 1
        return f"{report.measure} {report.scale}" if several else report.measure

    label = named(content, lang)
    out = [sex_means_grid(r, lang, label=label, sheet=sheet(r)) for r in content.sex_means]
    out += [fremgang_grid(r, lang, label=label) for r in content.fremgang]
    out += [flow_grid(r, lang, label=label) for r in content.flows]
    return out


def fremgang_svg(
    report: FremgangReport, lang: Lang, pattern: str, *, label: Callable[[str, str], str]
) -> str:
    """Bars of the share with fremgang per measure and group, with their intervals and n.

    ``label(measure, scale)`` names a measure's scale. A share published as a
    range is hatched over the range, a hidden share over 0-100 % with its mark:
    never a bar of length zero.
    """
    groups = list(dict.fromkeys(r.group for r in report.rows))
    bars = []
    for r in report.rows:
        n = Value.of(r.pairs, lang, digits=0).render(lang)
        name = f"{label(r.measure, r.scale)}, {group_label(r.group, lang)} (n = {n})"
        share = r.share
        mark = "" if share.value is not None else Value.of(share, lang, percent=True).render(lang)
        value = float(share.value) if share.value is not None else None
        bars.append(ShareBar(name, groups.index(r.group), value, share.low, share.high, mark))
    title = f"{report.start} -> {report.end}"
    return shares_svg(bars, lang, title=title, axis=word("fremgang_axis", lang), pattern=f"{pattern}hatch")


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
    figure: Callable[[Callable[[str], str], str], str],
) -> str:
    """The analyses' chapter (empty when STUDY.toml asks for none): tables, the figure, notes."""
    if not has_sections(content):
        return ""
    label = named(content, lang)
    parts = [f'<section class="chapter" id="analyses"><h2>{word("analyses", lang)}</h2>']
    if content.sex_means:
        parts.append(f"<h3>{word('sex_means_title', lang)}</h3>")
        parts.extend(table(sex_means_grid(r, lang, label=label)) for r in content.sex_means)
    if content.fremgang or any(s.what == "fremgang" for s in content.skipped):
        parts.append(f"<h3>{word('fremgang_title', lang)}</h3>")
        for report in content.fremgang:
            parts.append(table(fremgang_grid(report, lang, label=label)))
            draw = partial(fremgang_svg, report, lang, label=label)
            parts.append(figure(draw, word("figure_fremgang", lang)))
        parts.extend(_skipped(content, lang))
    if content.flows:
        parts.append(f"<h3>{word('flow_title', lang)}</h3>")
        parts.extend(table(flow_grid(r, lang, label=label)) for r in content.flows)
    parts.append("</section>")
    return "".join(parts)
