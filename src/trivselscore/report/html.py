"""One self-contained HTML file: inline CSS, figures as inline SVG, nothing fetched from anywhere.

Printed on A4 (``@page``), each chapter starts on a new page, table headers
repeat on every page and a row is never split. Every string from the data or
from STUDY.toml is escaped (:func:`html.escape`): a value ``<script>`` is text.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from html import escape
from typing import TYPE_CHECKING

from trivselscore.report.labels import word
from trivselscore.report.methods import methods_html
from trivselscore.report.predictors import predictors_grid
from trivselscore.report.sections import has_sections, sections_html
from trivselscore.report.survey import survey_grid
from trivselscore.report.svg import change_svg, means_svg
from trivselscore.report.tables import (
    Grid,
    change_grid,
    combined_grid,
    front_facts,
    measure_title,
    not_collected_line,
    scale_label,
    sex_label,
    summary_grid,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from trivselscore.report.build import Content
    from trivselscore.study import ChangeReport, SummaryReport
    from trivselscore.study.reports import Lang

__all__ = ["CSS", "grid_html", "render_html"]

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; font-size: 10pt; color: #111;
       max-width: 190mm; margin: 0 auto; padding: 8mm 0; line-height: 1.35; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 15pt; border-bottom: 1px solid #999; padding-bottom: 1mm; }
h3 { font-size: 12pt; margin-top: 6mm; }
h4 { font-size: 10.5pt; margin: 4mm 0 1mm; }
dl.facts { display: grid; grid-template-columns: 42mm 1fr; gap: 1.5mm 4mm; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin: 3mm 0 5mm; width: 100%; font-size: 8.5pt; }
caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 1mm; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: right; vertical-align: top; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
thead th { background: #eef1f4; }
tfoot td { text-align: left; font-size: 7.5pt; color: #333; border: none; padding-top: 1.5mm; }
table.methods td, table.methods th { text-align: left; }
figure { margin: 2mm 0 6mm; }
figure svg { width: 100%; max-width: 150mm; height: auto; }
figcaption { font-size: 8pt; color: #333; }
.status { color: #7a4b00; }
nav ol { columns: 2; }
@media print {
  body { max-width: none; padding: 0; }
  section.chapter { break-before: page; }
  h2, h3, h4, caption { break-after: avoid; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _means(  # noqa: PLR0913 - the report, then its words
    report: SummaryReport, lang: Lang, title: str, scale: str, prefix: str, *, by_sex: bool = False
) -> str:
    """The level figure: ``prefix`` is unused (it has no ids)."""
    del prefix
    axis = f"{word('mean_axis', lang)} ({scale})"
    label = (lambda g: sex_label(g, lang)) if by_sex else None
    return means_svg(report, lang, title=title, axis=axis, label=label)


def _change(  # noqa: PLR0913, PLR0917 - the report, then its words (a partial fills them)
    report: ChangeReport, measure: str, scale: str, lang: Lang, title: str, prefix: str
) -> str:
    """The change figure; its hatch pattern's id starts with ``prefix``."""
    return change_svg(report, measure=measure, scale=scale, lang=lang, title=title, pattern=f"{prefix}hidden")


def grid_html(grid: Grid) -> str:
    """A table with its caption and its notes as the footer, every text escaped."""
    parts = [f"<table><caption>{escape(grid.caption)}</caption><thead><tr>"]
    parts.extend(f'<th scope="col">{escape(h)}</th>' for h in grid.head)
    parts.append("</tr></thead><tbody>")
    parts.extend("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in grid.body)
    parts.append("</tbody>")
    if grid.notes:
        foot = "<br>".join(escape(n) for n in grid.notes)
        parts.append(f'<tfoot><tr><td colspan="{len(grid.head)}">{foot}</td></tr></tfoot>')
    parts.append("</table>")
    return "".join(parts)


class _Figures:
    """The page's figures, numbered so that each one's ids (its hatch pattern) are unique."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, draw: Callable[[str], str], caption: str) -> str:
        """``draw(prefix)`` is the figure's SVG, its ids starting with ``prefix``."""
        self.count += 1
        svg = draw(f"f{self.count}-")
        return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _front(content: Content, lang: Lang, *, data_name: str, library: str, date: str) -> str:
    facts = front_facts(content, lang, data_name=data_name, library=library, date=date)
    parts = [f'<section class="front"><h1>{escape(content.config.title)}</h1><dl class="facts">']
    parts.extend(
        f"<dt>{escape(key)}</dt><dd>{'<br>'.join(escape(v.render(lang)) for v in values)}</dd>"
        for key, values in facts
    )
    parts.append("</dl>")
    return "".join(parts)


def _skipped_lines(content: Content, name: str, lang: Lang) -> list[str]:
    """Why a comparison, or the combined criterion, leaves a measure out (``name=""``: the combined ones)."""
    lines = []
    for skip in content.skipped:
        if skip.what == "change" and skip.measure == name:
            missing = ", ".join(skip.missing)
            lines.append(
                word("no_change", lang).format(start=skip.start, end=skip.end, name=name, missing=missing)
            )
        elif skip.what == "combined" and not name:
            if skip.why == "too_few":
                lines.append(word("combined_none", lang).format(start=skip.start, end=skip.end))
                continue
            why = word(f"why_{skip.why}", lang).format(missing=", ".join(skip.missing))
            lines.append(
                word("combined_left_out", lang).format(
                    name=skip.measure, start=skip.start, end=skip.end, why=why
                )
            )
    return [f"<p>{escape(line)}</p>" for line in lines]


def _titles(content: Content, lang: Lang) -> dict[str, str]:
    """Each measure's chapter title (``WHO-5 (trivsel)``); two of one questionnaire add their names."""
    titles = {name: measure_title(content.study, name, lang) for name in content.config.measures}
    counts = Counter(titles.values())
    return {name: title if counts[title] == 1 else f"{title}: {name}" for name, title in titles.items()}


def _contents(content: Content, lang: Lang) -> str:
    titles = _titles(content, lang)
    entries = [(f"m-{i}", titles[name]) for i, name in enumerate(content.config.measures)]
    if content.combined or any(s.what == "combined" for s in content.skipped):
        entries.append(("combined", word("combined", lang)))
    if content.by_gender:
        entries.append(("gender", word("gender", lang)))
    if has_sections(content):
        entries.append(("analyses", word("analyses", lang)))
    if content.predictors:
        entries.append(("predictors", word("predictors", lang)))
    if content.surveys:
        entries.append(("questions", word("questions", lang)))
    entries.append(("methods", word("methods", lang)))
    items = "".join(f'<li><a href="#{a}">{escape(t)}</a></li>' for a, t in entries)
    return f"<nav><h2>{word('contents', lang)}</h2><ol>{items}</ol></nav></section>"


def _measure(content: Content, index: int, name: str, lang: Lang, figures: _Figures) -> str:
    title = _titles(content, lang)[name]
    parts = [f'<section class="chapter" id="m-{index}"><h2>{escape(title)}</h2>']
    measure = content.study.measure(name)
    asked = content.config.measures[name].scales or ()
    parts += [
        f"<p>{escape(not_collected_line(measure, name, s, lang))}</p>"
        for s in asked
        if s in measure.not_collected
    ]
    for summary in (r for r in content.summaries if r.measure == name):
        label = scale_label(content.study, name, summary.scale, lang)
        parts.append(f"<h3>{word('level', lang)}: {escape(label)}</h3>")
        parts.append(grid_html(summary_grid(summary, lang)))
        draw = partial(_means, summary, lang, f"{title}: {label}", label)
        parts.append(figures.add(draw, word("figure_means", lang)))
    for scale in content.scales[name]:
        for report in content.changes:
            if not any(r.measure == name and r.scale == scale for r in report.rows):
                continue
            label = scale_label(content.study, name, scale, lang)
            parts.append(
                f"<h3>{word('change', lang)}: {escape(label)}, "
                f"{escape(report.start)} -&gt; {escape(report.end)}</h3>"
            )
            parts.append(grid_html(change_grid(report, name, scale, lang)))
            parts.append(
                figures.add(
                    partial(_change, report, name, scale, lang, f"{title}: {label}"),
                    word("figure_change", lang),
                )
            )
    parts.extend(_skipped_lines(content, name, lang))
    parts.append("</section>")
    return "".join(parts)


def render_html(  # noqa: PLR0913 - the content, then keyword-only settings
    content: Content,
    *,
    lang: Lang = "da",
    data_name: str,
    library: str,
    date: str,
    progress: Callable[[str], None] | None = None,
) -> str:
    """The whole report as one HTML document."""
    figures = _Figures()
    title = escape(content.config.title)
    parts = [
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{CSS}</style></head><body>",
        _front(content, lang, data_name=data_name, library=library, date=date),
        _contents(content, lang),
    ]
    for index, name in enumerate(content.config.measures):
        if progress is not None:
            progress(name)
        parts.append(_measure(content, index, name, lang, figures))
    if content.combined or any(s.what == "combined" for s in content.skipped):
        parts.append(f'<section class="chapter" id="combined"><h2>{word("combined", lang)}</h2>')
        parts.extend(grid_html(combined_grid(report, lang)) for report in content.combined)
        parts.extend(_skipped_lines(content, "", lang))
        parts.append("</section>")
    if content.by_gender:
        parts.append(f'<section class="chapter" id="gender"><h2>{word("gender", lang)}</h2>')
        for report in content.by_gender:
            parts.append(grid_html(summary_grid(report, lang, by_sex=True)))
            title = _titles(content, lang)[report.measure]
            label = scale_label(content.study, report.measure, report.scale, lang)
            draw = partial(_means, report, lang, f"{title}: {label}", label, by_sex=True)
            parts.append(figures.add(draw, word("figure_means", lang)))
        parts.append("</section>")
    parts.append(sections_html(content, lang, table=grid_html, figure=figures.add))
    if content.predictors:
        parts.append(f'<section class="chapter" id="predictors"><h2>{word("predictors", lang)}</h2>')
        sex = content.config.columns.sex
        parts.extend(
            grid_html(predictors_grid(report, lang, number=i, sex_column=sex))
            for i, report in enumerate(content.predictors, 1)
        )
        parts.append("</section>")
    if content.surveys:
        parts.append(f'<section class="chapter" id="questions"><h2>{word("questions", lang)}</h2>')
        parts.extend(
            grid_html(survey_grid(report, lang, number=i)) for i, report in enumerate(content.surveys, 1)
        )
        parts.append("</section>")
    parts.append(methods_html(content, lang))
    parts.append("</body></html>\n")
    return "".join(parts)
