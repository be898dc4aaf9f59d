"""Plain-text and HTML tables and short reprs for notebooks (study, cohort and engine use them)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Literal

__all__ = ["ShownAsTable", "html_table", "short_repr", "text_table"]

_REPR_ROWS = 12


def text_table(head: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, a rule under the header.

    Examples:
        >>> print(text_table(["a", "bb"], [["1", "2"], ["333", "4"]]))
        a    bb
        ---  --
        1    2
        333  4
    """
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def html_table(
    head: Sequence[str], body: Sequence[Sequence[str]], *, caption: str = "", notes: Sequence[str] = ()
) -> str:
    """A compact HTML table (for notebooks and the HTML report), every text escaped.

    Examples:
        >>> html_table(["n"], [["<5"]], caption="a & b")[:61]
        '<table><caption>a &amp; b</caption><thead><tr><th>n</th></tr>'
        >>> "<td>&lt;5</td>" in html_table(["n"], [["<5"]])
        True
    """
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>")
    parts.extend("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in body)
    parts.append("</tbody>")
    if notes:
        foot = "<br>".join(escape(n) for n in notes)
        parts.append(f'<tfoot><tr><td colspan="{len(head)}">{foot}</td></tr></tfoot>')
    parts.append("</table>")
    return "".join(parts)


def short_repr(title: str, head: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """A title line and at most the first 12 rows of the table, then how many more.

    Examples:
        >>> short_repr("Report(x)", ["n"], [[str(i)] for i in range(14)]).splitlines()[-1]
        '... 2 more rows; .table() shows all'
    """
    shown = text_table(head, body[:_REPR_ROWS])
    more = len(body) - _REPR_ROWS
    tail = f"\n... {more} more rows; .table() shows all" if more > 0 else ""
    return f"{title}\n{shown}{tail}"


class ShownAsTable:
    """Mixin of a report: its repr (English, the first 12 rows) and notebook HTML (Danish, all rows).

    A report gives ``_grid(lang)`` (the header and the rows of text), ``_caption(lang)``
    and ``_notes(lang)``; both forms are built from them when shown, never stored.
    """

    def _grid(self, lang: Literal["da", "en"]) -> tuple[list[str], list[list[str]]]:
        raise NotImplementedError  # pragma: no cover - every report gives its grid

    def _caption(self, lang: Literal["da", "en"]) -> str:  # noqa: ARG002 - overridden where translated
        return type(self).__name__

    def _notes(self, lang: Literal["da", "en"]) -> list[str]:  # noqa: ARG002 - overridden where a report has notes
        return []

    def __repr__(self) -> str:
        """A title line and the first rows (``table()`` shows all)."""
        head, body = self._grid("en")
        return short_repr(f"{type(self).__name__}: {self._caption('en')}", head, body)

    def _repr_html_(self) -> str:
        """The Danish table as compact HTML with its notes, every text escaped."""
        head, body = self._grid("da")
        return html_table(head, body, caption=self._caption("da"), notes=self._notes("da"))
