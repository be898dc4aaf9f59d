"""How results look in a notebook: the short ``repr`` and the HTML table of ``Score`` and ``BatchScores``.

Computed when asked for, never while scoring. Works on plain values (numbers,
arrays, texts), so it needs neither result class.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.support.display import html_table, short_repr

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["ScaleLine", "batch_grid", "batch_html", "batch_repr", "number", "score_html", "score_repr"]

ONE_LINE_SCALES = 3
"""A score with at most this many scales fits its repr on one line; more get one line each."""

MAX_SCALE_LINES = 16
"""The most scales a score's repr lists, one per line, so that it stays within 20 lines."""

ScaleLine = tuple[str, "int | float | None", "str | None", "float | None", str, "str | None"]
"""One scale of one score: (scale, value, band, T-score, answered as ``"4/5"``, reason)."""


def number(value: float | None, digits: int | None = None) -> str:
    """A value as text: ``digits`` decimals, or whole numbers without a point and others to 4 digits.

    None and NaN are ``-``.

    Examples:
        >>> number(13), number(52.0), number(2.3456), number(None), number(float("nan"))
        ('13', '52', '2.346', '-', '-')
        >>> number(19.9146, digits=2), number(5, digits=2)
        ('19.91', '5.00')
    """
    if value is None or math.isnan(value):
        return "-"
    if digits is not None:
        return f"{value:.{digits}f}"
    return str(int(value)) if float(value).is_integer() else f"{value:.4g}"


def _scale_text(line: ScaleLine, *, reason: bool) -> str:
    scale, value, band, t_score, _, why = line
    text = f"{scale}={number(value)}"
    text += f" [{band}]" if band is not None else ""
    text += f" T={number(t_score)}" if t_score is not None else ""
    text += f" ({why})" if reason and why else ""
    return text


def score_repr(title: str, lines: Sequence[ScaleLine], flags: Sequence[str]) -> str:
    """``Score(title: scale=value [band], ...; flags: ...)``, one line per scale when there are many.

    Examples:
        >>> print(score_repr("who5 v1", [("raw", 13, None, None, "5/5", None)], ["low_item"]))
        Score(who5 v1: raw=13; flags: low_item)
        >>> lines = [(s, None, None, None, "0/5", "no answers") for s in "abcd"]
        >>> print(score_repr("x v1", lines, []))
        Score(x v1:
          a=- (no answers),
          b=- (no answers),
          c=- (no answers),
          d=- (no answers),
          flags: none)
    """
    flag_text = ", ".join(flags) or "none"
    if len(lines) <= ONE_LINE_SCALES:
        scales = ", ".join(_scale_text(line, reason=False) for line in lines)
        return f"Score({title}: {scales}; flags: {flag_text})"
    body = "".join(f"\n  {_scale_text(line, reason=True)}," for line in lines[:MAX_SCALE_LINES])
    if len(lines) > MAX_SCALE_LINES:
        body += f"\n  ... {len(lines) - MAX_SCALE_LINES} more scales (.values has all),"
    return f"Score({title}:{body}\n  flags: {flag_text})"


def score_html(caption: str, lines: Sequence[ScaleLine], notes: Sequence[str]) -> str:
    """One table row per scale (value, band, T-score, answered, reason), every text escaped."""
    head = ["scale", "value", "band", "T", "answered", "reason"]
    body = [
        [scale, number(value), band or "", "" if t is None else number(t), answered, why or ""]
        for scale, value, band, t, answered, why in lines
    ]
    return html_table(head, body, caption=caption, notes=notes)


def batch_grid(
    values: Mapping[str, NDArray[np.float64]], flags: Mapping[str, NDArray[np.bool_]]
) -> tuple[list[str], list[list[str]], list[str]]:
    """Per scale: how many rows were scored, mean, SD, min and max; per flag: how many rows raised it.

    Examples:
        >>> head, body, notes = batch_grid(
        ...     {"raw": np.array([13.0, np.nan, 20.0])}, {"low_item": np.array([True, False, True])}
        ... )
        >>> head
        ['scale', 'scored', 'mean', 'SD', 'min', 'max']
        >>> body, notes
        ([['raw', '2', '16.50', '4.95', '13', '20']], ['flag low_item: 2 rows'])
    """
    head = ["scale", "scored", "mean", "SD", "min", "max"]
    body = []
    for scale, column in values.items():
        scored = column[~np.isnan(column)]
        n = int(scored.size)
        mean, low, high = (
            (float(scored.mean()), float(scored.min()), float(scored.max())) if n else (None,) * 3
        )
        sd = float(scored.std(ddof=1)) if n > 1 else None
        body.append([scale, str(n), number(mean, 2), number(sd, 2), number(low), number(high)])
    notes = [f"flag {flag}: {int(raised.sum())} rows" for flag, raised in flags.items()]
    return head, body, notes


def batch_repr(
    title: str, values: Mapping[str, NDArray[np.float64]], flags: Mapping[str, NDArray[np.bool_]]
) -> str:
    """A title line, one line per scale (at most 12) and one line of flag counts."""
    head, body, notes = batch_grid(values, flags)
    counts = ", ".join(note.removeprefix("flag ").removesuffix(" rows") for note in notes)
    return short_repr(title, head, body) + (f"\nflags raised: {counts}" if counts else "")


def batch_html(
    caption: str, values: Mapping[str, NDArray[np.float64]], flags: Mapping[str, NDArray[np.bool_]]
) -> str:
    """The per-scale table of :func:`batch_grid` as HTML, the flag counts below it."""
    head, body, notes = batch_grid(values, flags)
    return html_table(head, body, caption=caption, notes=notes)
