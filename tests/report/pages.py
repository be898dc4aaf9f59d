"""Read a rendered report back: its tables (html.parser) and every resource it would load."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_THOUSANDS = re.compile(r"(?<=\d)\.(?=\d{3}(?!\d))")
_EN_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DECIMAL = re.compile(r"(?<=\d),(?=\d)")


def plain(text: str, lang: str = "da") -> str:
    """A Danish printed cell in the digits the Python API prints: ``1.234`` -> ``1234``, ``45,3`` -> ``45.3``.

    Also ``52 %`` -> ``52%`` and ``(1,0 til 2,0)`` -> ``(1.0 to 2.0)``, so a test can compare the page with
    ``Cell.text()``.
    """
    if lang == "en":
        return _EN_THOUSANDS.sub("", text)
    text = _DECIMAL.sub(".", _THOUSANDS.sub("", text))
    return text.replace(" %", "%").replace(" til ", " to ")


_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
_IMPORT = re.compile(r"@import", re.IGNORECASE)


@dataclass
class Table:
    caption: str = ""
    head: list[str] = field(default_factory=list)
    body: list[list[str]] = field(default_factory=list)
    foot: str = ""


class Page(HTMLParser):
    """Tables (caption, header, body cells, footer) and external resources of an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.external: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self._table: Table | None = None
        self._part = ""
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._resources(tag, dict(attrs))
        if tag == "style":
            self._style = True
        if tag == "table":
            self._table = Table()
        elif tag in {"caption", "thead", "tbody", "tfoot"}:
            self._part = tag
        elif tag == "tr":
            self._row = []
        elif tag in {"td", "th"}:
            self._cell = []

    def _resources(self, tag: str, values: dict[str, str | None]) -> None:
        for name in ("src", "srcset", "poster", "data", "background"):
            if values.get(name):
                self.external.append(f"{tag} {name}={values[name]}")
        href = values.get("href") or values.get("xlink:href")
        if href and tag != "a" and not href.startswith("#"):
            self.external.append(f"{tag} href={href}")
        for value in values.values():
            if value and ("url(" in value or "@import" in value.lower()):
                self._css(value, tag)

    def _css(self, text: str, where: str) -> None:
        self.external.extend(f"{where} url({u})" for u in _CSS_URL.findall(text) if not u.startswith("#"))
        if _IMPORT.search(text):
            self.external.append(f"{where} @import")

    def handle_endtag(self, tag: str) -> None:
        table = self._table
        if tag == "style":
            self._style = False
        elif tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and table is not None and self._row is not None:
            if self._part == "thead":
                table.head = self._row
            elif self._part == "tbody":
                table.body.append(self._row)
            elif self._part == "tfoot":
                table.foot = " ".join(self._row)
            self._row = None
        elif tag == "caption":
            self._part = ""
        elif tag == "table" and table is not None:
            self.tables.append(table)
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._style:
            self._css(data, "style")
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        elif self._part == "caption" and self._table is not None:
            self._table.caption += data

    def table(self, caption: str) -> Table:
        found = [t for t in self.tables if t.caption == caption]
        assert len(found) == 1, (caption, [t.caption for t in self.tables])
        return found[0]
