"""One table cell of the report, typed: a text, a number with its interval, or a mark.

HTML and Excel render the same :class:`Value`: the HTML prints
:meth:`Value.render` (Danish: ``45,3``, ``1.234``, ``52 % (45-60)``, ``<5``;
English: ``45.3``, ``1,234``, ``52% (45-60)``), the workbook writes the number
itself with a number format (``0.0``, ``0%``) and the interval bounds in columns
of their own. Numbers become text in one place, :func:`number_text` and
:func:`percent_text` (and dates in :func:`date_text`).

A hidden or empty cell is a mark (``<5``, ``n<5``, ``skjult``, ``-``), never 0;
a hidden cell published as the range it surely lies in prints that range with the
same number style (``27-33 %``, ``1.230-1.236``).

Examples:
    >>> from trivselscore.cohort import Cell
    >>> Value.of(Cell(value=0.52, low=0.45, high=0.6), "da", percent=True).render("da")
    '52 % (45-60)'
    >>> Value.of(Cell(value=0.52, low=0.45, high=0.6), "en", percent=True).render("en")
    '52% (45-60)'
    >>> Value.of(Cell(value=None, suppressed=True, note="hidden"), "da").render("da")
    'skjult'
    >>> Value.of(Cell(value=12), "da", digits=0).excel_format
    '0'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from trivselscore.report.labels import word

if TYPE_CHECKING:
    from trivselscore.cohort import Cell
    from trivselscore.study.reports import Lang

__all__ = ["Kind", "Value", "date_text", "number_text", "percent_sign", "percent_text", "short_text"]

Kind = Literal["text", "number", "share", "mark"]
"""What a cell holds: a label, a number (count, mean, SD, effect size), a share, or a mark."""


_MONTHS_DA = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def number_text(value: float, digits: int, lang: Lang) -> str:
    """A number as the report prints it, with ``digits`` decimals and thousands grouped.

    Danish: decimal comma, thousands point (``1.234,5``); English: ``1,234.5``.

    Examples:
        >>> number_text(45.25, 1, "da"), number_text(3.0, 0, "en")
        ('45,2', '3')
        >>> number_text(1234.5, 1, "da"), number_text(1234.5, 1, "en")
        ('1.234,5', '1,234.5')
    """
    text = f"{value:,.{digits}f}"
    if lang == "da":
        text = text.translate(_DANISH)
    return text


_DANISH = str.maketrans({",": ".", ".": ","})


def short_text(value: float, lang: Lang, digits: int = 3) -> str:
    """A parameter with up to ``digits`` significant digits (``2,3``, ``0,85``, ``10``).

    Examples:
        >>> short_text(2.3, "da"), short_text(1.0 / 3, "en"), short_text(10.0, "da")
        ('2,3', '0.333', '10')
    """
    text = f"{value:.{digits}g}"
    return text.translate(_DANISH) if lang == "da" else text


def percent_text(share: float, lang: Lang) -> str:
    """A share (0-1) as whole percent, without the sign.

    Examples:
        >>> percent_text(0.524, "da")
        '52'
    """
    return number_text(100 * share, 0, lang)


def percent_sign(lang: Lang) -> str:
    """What follows a percent number: ``" %"`` in Danish (Retskrivningsordbogen), ``"%"`` in English."""
    return " %" if lang == "da" else "%"


def date_text(when: dt.date, lang: Lang) -> str:
    """A date as a reader writes it: ``6. december 2026`` or ``6 December 2026``.

    Examples:
        >>> date_text(dt.date(2026, 12, 6), "da"), date_text(dt.date(2026, 12, 6), "en")
        ('6. december 2026', '6 December 2026')
    """
    if lang == "da":
        return f"{when.day}. {_MONTHS_DA[when.month - 1]} {when.year}"
    return f"{when.day} {_MONTHS_EN[when.month - 1]} {when.year}"


def _range_text(cell: Cell, lang: Lang, *, percent: bool) -> str:
    """A hidden cell's published range (``27-33 %``, ``1.230-1.236``), or its mark."""
    if cell.note == "range" and cell.low is not None and cell.high is not None:
        if percent:
            return f"{percent_text(cell.low, lang)}-{percent_text(cell.high, lang)}{percent_sign(lang)}"
        return f"{number_text(cell.low, 0, lang)}-{number_text(cell.high, 0, lang)}"
    return cell.text(language=lang, percent=percent)


@dataclass(frozen=True)
class Value:
    """One cell: its kind, its text (labels, marks) or its number with an optional interval.

    ``digits`` is the number of decimals shown for a number (shares are whole
    percent). Build one with :meth:`of` (from a report cell), :meth:`label` or
    :meth:`count`.
    """

    kind: Kind
    text: str = ""
    number: float | None = None
    low: float | None = None
    high: float | None = None
    digits: int = 1

    @classmethod
    def label(cls, text: str) -> Value:
        """A text cell."""
        return cls("text", text=text)

    @classmethod
    def count(cls, number: int) -> Value:
        """A whole number (no decimals)."""
        return cls("number", number=number, digits=0)

    @classmethod
    def of(cls, cell: Cell, lang: Lang, *, digits: int = 1, percent: bool = False) -> Value:
        """A report cell: hidden or empty as its mark, else its number (a share with ``percent``)."""
        if cell.suppressed or cell.value is None:  # a mark, or the range a hidden cell surely lies in
            return cls("mark", text=_range_text(cell, lang, percent=percent))
        interval = (cell.low, cell.high) if cell.low is not None and cell.high is not None else (None, None)
        if percent:
            return cls("share", number=float(cell.value), low=interval[0], high=interval[1], digits=0)
        return cls("number", number=float(cell.value), low=interval[0], high=interval[1], digits=digits)

    @property
    def has_interval(self) -> bool:
        """Whether the cell has both interval bounds."""
        return self.low is not None and self.high is not None

    @property
    def excel_format(self) -> str:
        """The Excel number format: ``0``, ``0.0``, ``0.00`` or ``0%`` (text and marks: ``@``)."""
        if self.kind == "share":
            return "0%"
        if self.kind == "number":
            return "0" if self.digits == 0 else "0." + "0" * self.digits
        return "@"

    def render(self, lang: Lang) -> str:
        """The cell as the HTML prints it: ``12``, ``45,3 (41,0 til 49,6)``, ``52 % (45-60)``, ``<5``."""
        if self.number is None:
            return self.text
        if self.kind == "share":
            text = percent_text(self.number, lang) + percent_sign(lang)
            if self.low is not None and self.high is not None:
                text += f" ({percent_text(self.low, lang)}-{percent_text(self.high, lang)})"
            return text
        text = number_text(self.number, self.digits, lang)
        if self.digits == 0 and float(self.number).is_integer():
            return text  # a whole number is shown without its interval
        if self.low is not None and self.high is not None:
            low, high = number_text(self.low, self.digits, lang), number_text(self.high, self.digits, lang)
            text += f" ({low} {word('to', lang)} {high})"
        return text
