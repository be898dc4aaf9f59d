"""The report's figures as SVG written straight from the data: no matplotlib, no layout solver.

Each figure is laid out once from its own labels: the left margin fits the
longest bar label (a label wider than a third of the figure wraps onto more
lines), the legend goes under the plot, one entry a line, so a long track name
never runs into the plot or off the page. Text is SVG text (searchable, in the
report's font) and every string is escaped, so ``<``, ``&`` and ``$`` are drawn
as written. The look follows :mod:`trivselscore.study.figures` (the matplotlib
figures a Python user gets): the same colours, a dashed line per cutoff, the
hidden shares as one hatched segment.

* :func:`means_svg`: mean per time point, one line per group (a hidden mean is a
  gap), each group's n per time point in the legend, the cutoff lines;
* :func:`change_svg`: stacked bars of fremgang / status quo / tilbagegang per
  group, the share written in each segment wide enough, hidden shares hatched
  ``skjult (<5)``, a group whose pairs are hidden without a bar (``n<5``);
* :func:`shares_svg`: one bar per row (a share with its interval, e.g. fremgang per
  measure and group), a share given as a range hatched over the range, a hidden one
  hatched over 0-100 % with its mark: never a bar of length zero.

Every number goes through :func:`~trivselscore.report.values.number_text`, so a
Danish figure reads ``45,8`` and ``52 %`` like the tables.

Examples:
    >>> text_width("WHO-5", 10) > text_width("ill", 10)
    True
    >>> wrap("a long track name", 40, 10)
    ['a long', 'track', 'name']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from trivselscore.report.labels import word
from trivselscore.report.values import Value, number_text, percent_sign, percent_text
from trivselscore.study.figures import COLOURS, HIDDEN_COLOUR, HIDDEN_EDGE
from trivselscore.study.reports import group_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from trivselscore.study import ChangeReport, SummaryReport
    from trivselscore.study.reports import ChangeRow, Lang

__all__ = ["ShareBar", "change_svg", "means_svg", "shares_svg", "text_width", "wrap"]

WIDTH = 640.0
"""The figures' width in SVG units (the page scales them to the column)."""
LINES = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
"""The groups' line colours (matplotlib's default cycle, as the Python figures use)."""
FONT = 12.0
SMALL = 10.5
_NARROW = set("iljtfrI.,:;'|!()[] ")
_WIDE = set("mwMW@%")
_MIN_LABEL = 8.0  # a segment narrower than this many percent gets no number written in it


def text_width(text: str, size: float) -> float:
    """An upper estimate of the width of ``text`` in a sans-serif font of ``size`` units."""
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += 0.32
        elif char in _WIDE:
            width += 0.9
        elif char.isupper() or char.isdigit():
            width += 0.68
        else:
            width += 0.58
    return width * size


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a longer word stays whole)."""
    lines: list[str] = []
    for part in text.split(" "):
        if lines and text_width(f"{lines[-1]} {part}", size) <= width:
            lines[-1] += f" {part}"
        else:
            lines.append(part)
    return lines or [""]


def _text(  # noqa: PLR0913 - position, then how
    x: float, y: float, text: str, *, size: float = FONT, anchor: str = "start", extra: str = ""
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def _lines(x: float, y: float, lines: list[str], *, size: float, anchor: str = "end") -> str:
    """Several lines centred vertically on ``y``."""
    step = size * 1.2
    top = y - step * (len(lines) - 1) / 2 + size * 0.35
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{top + i * step:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text font-size="{size:g}" text-anchor="{anchor}">{spans}</text>'


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values from ``low`` to ``high`` (steps of 1, 2 or 5 times a power of ten)."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def _svg(height: float, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {height:.0f}" role="img" '
        f'aria-label="{escape(label)}" font-family="Segoe UI, Arial, Helvetica, sans-serif">'
        + "".join(body)
        + "</svg>"
    )


def _legend(entries: list[tuple[str, str]], top: float, left: float) -> tuple[list[str], float]:
    """The legend's SVG and the height it takes.

    The entries (a mark drawn by its SVG snippet, then the text) stand side by
    side while they fit, else on the next line; an entry wider than the figure wraps.
    """
    out: list[str] = []
    x, y, line_height = left, top, 0.0
    end = WIDTH - 10
    for mark, label in entries:
        lines = wrap(label, end - left - 28, SMALL)
        width = 28 + max(text_width(line, SMALL) for line in lines) + 16
        if x > left and x + width > end:
            x, y, line_height = left, y + line_height, 0.0
        height = SMALL * 1.2 * len(lines) + 5
        middle = y + height / 2 - 2
        out.append(mark.format(x=x, y=middle))
        out.append(_lines(x + 28, middle, lines, size=SMALL, anchor="start"))
        x, line_height = x + width, max(line_height, height)
    return out, y + line_height - top


def _swatch(fill: str, stroke: str = "none") -> str:
    """A legend mark for a bar (a format string taking ``x`` and ``y``)."""
    return (
        f'<rect x="{{x:.1f}}" y="{{y:.1f}}" width="22" height="10" transform="translate(0 -5)" '
        f'fill="{fill}" stroke="{stroke}"/>'
    )


def _line_mark(colour: str, *, dashed: bool = False) -> str:
    """A legend mark for a line (with its point, unless dashed), a format string taking ``x`` and ``y``."""
    style = ' stroke-dasharray="6 4"' if dashed else ""
    point = "" if dashed else f'<circle cx="11" cy="0" r="4" fill="{colour}"/>'
    return (
        f'<g transform="translate({{x:.1f}} {{y:.1f}})"><line x1="0" x2="22" y1="0" y2="0" '
        f'stroke="{colour}" stroke-width="2"{style}/>{point}</g>'
    )


@dataclass(frozen=True)
class _Frame:
    """A line chart's plot area: the time points across, the scale's range up."""

    left: float
    top: float
    width: float
    height: float
    low: float
    high: float
    count: int

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def step(self) -> float:
        return self.width / max(self.count, 1)

    def x(self, i: int) -> float:
        return self.left + self.step * (i + 0.5)

    def y(self, value: float) -> float:
        span = self.high - self.low
        return self.bottom - (value - self.low) / span * self.height if span > 0 else self.bottom


def _y_axis(frame: _Frame, ticks: list[str], values: list[float], axis: str) -> list[str]:
    body = [
        (
            f'<rect x="{frame.left:.1f}" y="{frame.top:.1f}" width="{frame.width:.1f}" '
            f'height="{frame.height:.1f}" fill="none" stroke="#888"/>'
        )
    ]
    for value, text in zip(values, ticks, strict=True):
        y = frame.y(value)
        body.append(
            f'<line x1="{frame.left - 4:.1f}" x2="{frame.left:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#888"/>'
        )
        body.append(_text(frame.left - 6, y + 4, text, size=SMALL, anchor="end"))
    middle = frame.top + frame.height / 2
    body.append(
        f'<text transform="translate(14 {middle:.1f}) rotate(-90)" font-size="{SMALL:g}" '
        f'text-anchor="middle">{escape(axis)}</text>'
    )
    return body


def _x_axis(frame: _Frame, times: list[str]) -> tuple[list[str], float]:
    """The time points under the plot (wrapped to their column); the SVG and its height."""
    wrapped = [wrap(t, frame.step - 6, SMALL) for t in times]
    body = []
    for i, lines in enumerate(wrapped):
        x = frame.x(i)
        tick = frame.bottom + 4
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.bottom:.1f}" y2="{tick:.1f}" stroke="#888"/>'
        )
        middle = frame.bottom + 12 + SMALL * 0.6 * (len(lines) - 1)
        body.append(_lines(x, middle, lines, size=SMALL, anchor="middle"))
    return body, 16 + SMALL * 1.2 * max((len(lines) for lines in wrapped), default=1)


def _group_line(frame: _Frame, means: list[float | None], colour: str) -> list[str]:
    """A group's means as lines between the points; a hidden mean (None) leaves a gap."""
    runs: list[list[tuple[float, float]]] = [[]]
    for i, value in enumerate(means):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((frame.x(i), frame.y(float(value))))
    body = []
    for run in runs:
        if len(run) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>' for x, y in run)
    return body


def means_svg(
    summary: SummaryReport,
    lang: Lang,
    *,
    title: str,
    axis: str,
    label: Callable[[str], str] | None = None,
) -> str:
    """Mean per time point, one line per group, n per time point in the legend, the cutoff lines.

    ``axis`` is the y axis' label (the scale's name); ``label`` names a group
    (default: :func:`group_label`).
    """
    name = label or (lambda g: group_label(g, lang))
    times = list(summary.time_points)
    low, high = summary.scale_range
    values = _ticks(low, high)
    digits = 0 if all(float(t).is_integer() for t in values) else 1
    ticks = [number_text(t, digits, lang) for t in values]
    left = 28 + max(text_width(t, SMALL) for t in ticks) + 8
    frame = _Frame(left, 34.0, WIDTH - left - 20, 230.0, low, high, len(times))
    body = [_text(WIDTH / 2, 20, title, size=13, anchor="middle", extra=' font-weight="600"')]
    body += _y_axis(frame, ticks, values, axis)
    under, height = _x_axis(frame, times)
    body += under
    entries: list[tuple[str, str]] = []
    for g, group in enumerate(dict.fromkeys(r.group for r in summary.rows)):
        colour = LINES[g % len(LINES)]
        rows = {r.time: r for r in summary.rows if r.group == group}
        body += _group_line(frame, [rows[t].mean.value if t in rows else None for t in times], colour)
        ns = " / ".join(Value.of(rows[t].n, lang, digits=0).render(lang) for t in times if t in rows)
        entries.append((_line_mark(colour), f"{name(group)} (n = {ns})"))
    for value in summary.cutoffs:
        y = frame.y(value)
        body.append(
            f'<line x1="{frame.left:.1f}" x2="{frame.left + frame.width:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#555" stroke-dasharray="6 4"/>'
        )
        text = number_text(value, 0 if float(value).is_integer() else 1, lang)
        entries.append((_line_mark("#555", dashed=True), f"{word('cutoff', lang)} {text}"))
    below = frame.bottom + height + 6
    legend, used = _legend(entries, below, 12)
    body += legend
    return _svg(below + used + 8, body, title)


def _percent_frame(
    frame: tuple[float, float, float, float], lang: Lang, *, title: str, axis: str, pattern: str
) -> list[str]:
    """A bar chart's start: the hatch pattern ``pattern``, the title, the 0-100 % grid and its axis label.

    ``frame`` is the plot area: left, top, width and bottom.
    """
    left, top, plot_width, bottom = frame
    body = [
        (
            f'<defs><pattern id="{pattern}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{HIDDEN_COLOUR}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HIDDEN_EDGE}" stroke-width="1.5"/></pattern></defs>'
        ),
        _text(WIDTH / 2, 20, title, size=13, anchor="middle", extra=' font-weight="600"'),
    ]
    for tick in range(0, 101, 20):
        x = left + plot_width * tick / 100
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="#ddd"/>')
        body.append(_text(x, bottom + 14, number_text(tick, 0, lang), size=SMALL, anchor="middle"))
    body.append(_text(left + plot_width / 2, bottom + 32, axis, size=SMALL, anchor="middle"))
    return body


def _bar_label(row: ChangeRow, report: ChangeReport, lang: Lang, *, several: bool) -> str:
    label = group_label(row.group, lang)
    if several:
        label += f": {report.start} -> {report.end}"
    return f"{label} (n = {Value.of(row.pairs, lang, digits=0).render(lang)})"


def _absent(pairs: str) -> str:
    """The label of a group without a bar: ``n<5``, ``n=0``, ``n=45-48`` or ``skjult``."""
    if pairs.startswith("<"):
        return "n" + pairs
    return f"n={pairs}" if pairs[:1].isdigit() else pairs


def _bar(
    row: ChangeRow,
    keys: list[tuple[str, str, str]],
    lang: Lang,
    place: tuple[float, float, float, float],
    pattern: str,
) -> tuple[list[str], bool]:
    """One group's stacked bar at ``place`` (left, width, middle, height); whether a part is hidden."""
    left, width, middle, height = place
    body, at, hidden = [], 0.0, False
    for key, _, _ in keys:
        share = next((c.share for c in row.categories if c.key == key), None)
        if share is None or share.value is None:
            hidden = hidden or (share is not None and share.suppressed)
            continue
        percent = 100 * float(share.value)
        x, w = left + width * at / 100, width * percent / 100
        body.append(
            f'<rect x="{x:.1f}" y="{middle - height / 2:.1f}" width="{w:.1f}" height="{height:.1f}" '
            f'fill="{COLOURS.get(key, "#777777")}"/>'
        )
        if percent >= _MIN_LABEL:
            text = percent_text(float(share.value), lang) + percent_sign(lang)
            body.append(_text(x + w / 2, middle + 4, text, size=SMALL - 1, anchor="middle"))
        at += percent
    hidden = hidden and at < 100  # noqa: PLR2004 - a whole bar is 100 %
    if hidden:
        body.append(
            f'<rect x="{left + width * at / 100:.1f}" y="{middle - height / 2:.1f}" '
            f'width="{width * (100 - at) / 100:.1f}" height="{height:.1f}" fill="url(#{pattern})" '
            f'stroke="{HIDDEN_EDGE}"/>'
        )
    return body, hidden


def change_svg(*reports: ChangeReport, measure: str, scale: str, lang: Lang, title: str, pattern: str) -> str:
    """Stacked bars of the change categories (% of pairs), one per group and report.

    ``pattern`` is the id of the hatch pattern (unique in the page).
    """
    rows = [(r, row) for r in reports for row in r.rows if row.measure == measure and row.scale == scale]
    keys = reports[0].categories() if reports else []
    several = len(reports) > 1
    wrapped = [wrap(_bar_label(row, report, lang, several=several), WIDTH / 3, SMALL) for report, row in rows]
    left = 12 + max((text_width(line, SMALL) for lines in wrapped for line in lines), default=0) + 8
    top, plot_width = 34.0, WIDTH - left - 20
    heights = [max(26.0, SMALL * 1.2 * len(lines) + 10) for lines in wrapped]
    bottom = top + sum(heights) + 6
    frame = (left, top, plot_width, bottom)
    body = _percent_frame(frame, lang, title=title, axis=word("share_of_pairs", lang), pattern=pattern)
    y, hidden_any = top + 3, False
    for (_, row), lines, height in zip(rows, wrapped, heights, strict=True):
        middle = y + height / 2
        body.append(_lines(left - 8, middle, lines, size=SMALL))
        y += height
        if not row.pairs.value:  # pairs hidden, or none: no bar
            pairs = _absent(Value.of(row.pairs, lang, digits=0).render(lang))
            body.append(_text(left + 6, middle + 4, pairs, size=SMALL))
            continue
        drawn, hidden = _bar(row, keys, lang, (left, plot_width, middle, min(height - 8, 20.0)), pattern)
        body += drawn
        hidden_any = hidden_any or hidden
    entries = [(_swatch(COLOURS.get(key, "#777777")), da if lang == "da" else en) for key, en, da in keys]
    if hidden_any:
        min_cell = reports[0].min_cell
        entries.append((_swatch(f"url(#{pattern})", HIDDEN_EDGE), f"{word('hidden', lang)} (<{min_cell})"))
    legend, used = _legend(entries, bottom + 42, 12)
    body += legend
    return _svg(bottom + 42 + used + 6, body, title)


@dataclass(frozen=True)
class ShareBar:
    """One bar of :func:`shares_svg`: its label, its group's colour index, the share (0-1) and its interval.

    ``share`` None is a hidden share: drawn hatched from ``low`` to ``high``
    (a range), or over the whole axis, with ``mark`` (``"27-33 %"``, ``"skjult"``) beside it.
    """

    label: str
    colour: int
    share: float | None
    low: float | None
    high: float | None
    mark: str = ""


def shares_svg(bars: list[ShareBar], lang: Lang, *, title: str, axis: str, pattern: str) -> str:
    """Horizontal bars of shares with their intervals (the whiskers), 0-100 % across."""
    wrapped = [wrap(b.label, WIDTH / 3, SMALL) for b in bars]
    left = 12 + max((text_width(line, SMALL) for lines in wrapped for line in lines), default=0) + 8
    top, plot_width = 34.0, WIDTH - left - 70
    heights = [max(24.0, SMALL * 1.2 * len(lines) + 8) for lines in wrapped]
    bottom = top + sum(heights) + 6
    frame = (left, top, plot_width, bottom)
    body = _percent_frame(frame, lang, title=title, axis=axis, pattern=pattern)
    y = top + 3
    for bar, lines, height in zip(bars, wrapped, heights, strict=True):
        middle, thick = y + height / 2, min(height - 8, 16.0)
        body.append(_lines(left - 8, middle, lines, size=SMALL))
        y += height

        def at(value: float) -> float:
            return left + plot_width * min(max(value, 0.0), 1.0)

        if bar.share is not None:
            colour = LINES[bar.colour % len(LINES)]
            body.append(
                f'<rect x="{left:.1f}" y="{middle - thick / 2:.1f}" width="{at(bar.share) - left:.1f}" '
                f'height="{thick:.1f}" fill="{colour}"/>'
            )
            low, high = bar.low if bar.low is not None else bar.share, bar.high or bar.share
            body.append(
                f'<line x1="{at(low):.1f}" x2="{at(high):.1f}" y1="{middle:.1f}" y2="{middle:.1f}" '
                'stroke="#222" stroke-width="1.5"/>'
            )
            end = at(high) + 4
            text = percent_text(bar.share, lang) + percent_sign(lang)
        else:
            low, high = bar.low or 0.0, bar.high if bar.high is not None else 1.0
            body.append(
                f'<rect x="{at(low):.1f}" y="{middle - thick / 2:.1f}" width="{at(high) - at(low):.1f}" '
                f'height="{thick:.1f}" fill="url(#{pattern})" stroke="{HIDDEN_EDGE}"/>'
            )
            end, text = at(high) + 4, bar.mark
        body.append(_text(end, middle + 4, text, size=SMALL - 1))
    return _svg(bottom + 44, body, title)
