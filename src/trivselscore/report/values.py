"""One table cell of the report, typed: a text, a number with its interval, or a mark.

HTML and Excel render the same :class:`Value`: the HTML prints
:meth:`Value.render` (``45.3``, ``52% (45-60)``, ``<5``), the workbook writes the
number itself with a number format (``0.0``, ``0%``) and the interval bounds in
columns of their own. Numbers become text in one place, :func:`number_text` and
:func:`percent_text`, so a change of number style (e.g. Danish decimal commas)
is made there once.

A hidden or empty cell is a mark (``<5``, ``n<5``, ``skjult``, ``-``), never 0.

Examples:
    >>> from trivselscore.cohort import Cell
    >>> Value.of(Cell(value=0.52, low=0.45, high=0.6), "da", percent=True).render("da")
    '52% (45-60)'
    >>> Value.of(Cell(value=None, suppressed=True, note="hidden"), "da").render("da")
    'skjult'
    >>> Value.of(Cell(value=12), "da", digits=0).excel_format
    '0'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from trivselscore.cohort import Cell
    from trivselscore.study.reports import Lang

__all__ = ["Kind", "Value", "number_text", "percent_text"]

Kind = Literal["text", "number", "share", "mark"]
"""What a cell holds: a label, a number (count, mean, SD, effect size), a share, or a mark."""


def number_text(value: float, digits: int, lang: Lang) -> str:  # noqa: ARG001 - one style for now
    """A number as the report prints it, with ``digits`` decimals.

    Examples:
        >>> number_text(45.25, 1, "da"), number_text(3.0, 0, "en")
        ('45.2', '3')
    """
    return f"{value:.{digits}f}"


def percent_text(share: float, lang: Lang) -> str:
    """A share (0-1) as whole percent, without the sign.

    Examples:
        >>> percent_text(0.524, "da")
        '52'
    """
    return number_text(100 * share, 0, lang)


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
            return cls("mark", text=cell.text(language=lang, percent=percent))
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
        """The cell as the HTML prints it: ``12``, ``45.3 (41.0 to 49.6)``, ``52% (45-60)``, ``<5``."""
        if self.number is None:
            return self.text
        if self.kind == "share":
            text = percent_text(self.number, lang) + "%"
            if self.low is not None and self.high is not None:
                text += f" ({percent_text(self.low, lang)}-{percent_text(self.high, lang)})"
            return text
        text = number_text(self.number, self.digits, lang)
        if self.digits == 0 and float(self.number).is_integer():
            return text  # a whole number is shown without its interval
        if self.low is not None and self.high is not None:
            low, high = number_text(self.low, self.digits, lang), number_text(self.high, self.digits, lang)
            text += f" ({low} to {high})"
        return text
