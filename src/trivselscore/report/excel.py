"""Read one sheet of an Excel workbook (``.xlsx``, ``.xlsm``) with the standard library, within limits.

A workbook is a zip archive of XML parts. This reader opens the parts it needs
(the workbook, its relations, the shared strings, the styles and the one sheet)
and streams the sheet row by row, so that memory stays proportional to the
cells that hold something, never to the sheet's declared size. Before parsing,
it checks the declared (uncompressed) size of every part it will read against
:data:`PART_LIMIT`, and the shared strings against :data:`STRING_LIMIT`; Python's
``zipfile`` reads no more than a part's declared size. Together they keep a
hostile or runaway workbook to a few hundred MB of memory at most.

Cells come back typed: numbers as ``int`` (whole) or ``float``, text as ``str``,
``TRUE``/``FALSE`` as ``bool``, dates (a date number format, or a ``d`` cell) as
``datetime.datetime``, an error cell (``#N/A``) as its text, an empty cell as
None. A formula cell is read as the value Excel saved with it; a formula with no
saved value (a file written by a program that does not calculate) stops the run
naming the cell, since its value is unknown.

Raises :class:`ExcelError` (one line, naming the file, the sheet and the cell or
limit) for everything a user can do about: a corrupt archive, a missing part, a
sheet that does not exist, a limit passed, a formula without a saved value.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from trivselscore.errors import TrivselscoreError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from typing import IO

__all__ = ["PART_LIMIT", "STRING_LIMIT", "ExcelError", "Sheet", "column_letters", "read_sheet", "sheet_names"]

PART_LIMIT = 256 * 2**20
"""Uncompressed bytes of one part read (a sheet, the shared strings): 256 MiB."""
STRING_LIMIT = 2_000_000
"""Shared strings in one workbook (distinct texts); a survey export has a few thousand."""

_RELATION_IDS = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)
_BLOCK = 1 << 16
_COUNT = re.compile(r"<(?:\w+:)?sst\b[^>]*\buniqueCount=\"([0-9]+)\"")
_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")
_DATE_FORMAT_IDS = frozenset({*range(14, 23), 27, 30, 36, *range(45, 48), 50, 57})
_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_EPOCH_1900 = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel dates carry no time zone
_EPOCH_1904 = dt.datetime(1904, 1, 1)  # noqa: DTZ001 - Excel dates carry no time zone


class ExcelError(TrivselscoreError, ValueError):
    """The workbook cannot be read: corrupt, past a limit, no such sheet, a formula without a value."""


@dataclass
class Sheet:
    """One sheet's rows as typed values; ``rows[i]`` came from sheet row ``row_numbers[i]``."""

    file: str
    name: str
    names: list[str]
    rows: list[list[object]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)


def column_letters(index: int) -> str:
    """The column's letters for a 0-based index.

    Examples:
        >>> [column_letters(i) for i in (0, 25, 26, 701, 702)]
        ['A', 'Z', 'AA', 'ZZ', 'AAA']
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _index(letters: str) -> int:
    value = 0
    for char in letters:
        value = value * 26 + ord(char) - 64
    return value - 1


def _size(count: int) -> str:
    """Bytes in MiB (or KiB below one MiB).

    Examples:
        >>> _size(256 * 2**20), _size(3000)
        ('256 MiB', '2.9 KiB')
    """
    return f"{count / 2**20:,.0f} MiB" if count >= 2**20 else f"{count / 2**10:,.1f} KiB"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _Book:
    """The open archive: its parts, checked against the limits before they are read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
            msg = f"{path.name} is not a readable Excel file (not a zip archive: {error}); save it again"
            raise ExcelError(msg) from None
        self.parts = {info.filename: info for info in self.archive.infolist()}

    def close(self) -> None:
        self.archive.close()

    def has(self, name: str) -> bool:
        return name in self.parts

    def head(self, name: str) -> str:
        """The first bytes of a part, as text (to read a count its first tag declares)."""
        try:
            with self.archive.open(self.parts[name]) as handle:
                return handle.read(1024).decode("utf-8", errors="replace")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            msg = f"{self.path.name} is not a readable Excel file: {name}: {error}"
            raise ExcelError(msg) from None

    def events(self, name: str, tags: frozenset[str]) -> Iterator[Element]:
        """The elements named ``tags`` (local names), each when complete, streamed from part ``name``."""
        info = self.parts.get(name)
        if info is None:
            msg = f"{self.path.name} is not a readable Excel file: the part {name} is missing"
            raise ExcelError(msg)
        if info.file_size > PART_LIMIT:
            msg = (
                f"{self.path.name}: the part {name} is {_size(info.file_size)} unpacked, over the "
                f"limit of {_size(PART_LIMIT)}; export the sheet as CSV"
            )
            raise ExcelError(msg)
        try:
            with self.archive.open(info) as handle:
                yield from _stream(handle, tags)
        except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            msg = f"{self.path.name} is not a readable Excel file: {name}: {first}"
            raise ExcelError(msg) from None


def _stream(handle: IO[bytes], tags: frozenset[str]) -> Iterator[Element]:
    """Parse block by block; yield each element named in ``tags`` when it ends, then drop it."""
    parser: XMLPullParser[Element] = XMLPullParser(events=("start", "end"))
    stack: list[Element] = []
    while True:
        block = handle.read(_BLOCK)
        if block:
            parser.feed(block)
        else:
            parser.close()
        # only start and end events are asked for: each carries an element
        for event, element in cast("Iterator[tuple[str, Element]]", parser.read_events()):
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            if _local(element.tag) in tags:
                yield element
                if stack:  # done with it: drop it, so the tree never grows
                    stack[-1].remove(element)
        if not block:
            return


def _workbook(book: _Book) -> tuple[list[tuple[str, str]], bool, dict[str, str]]:
    """The sheets (name, part) in workbook order, whether dates count from 1904, and the other parts.

    The parts are found through the workbook's relations (``styles``,
    ``sharedStrings``), by the usual names when a relation is missing.
    """
    targets: dict[str, str] = {}
    kinds = {"styles": "xl/styles.xml", "sharedStrings": "xl/sharedStrings.xml"}
    relations = "xl/_rels/workbook.xml.rels"
    if book.has(relations):
        for element in book.events(relations, frozenset({"Relationship"})):
            target = element.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            targets[element.get("Id", "")] = part
            kind = element.get("Type", "").rpartition("/")[2]
            if kind in kinds:
                kinds[kind] = part
    sheets: list[tuple[str, str]] = []
    date1904 = False
    for element in book.events("xl/workbook.xml", frozenset({"sheet", "workbookPr"})):
        if _local(element.tag) == "workbookPr":
            date1904 = element.get("date1904", "0").lower() in {"1", "true"}
            continue
        relation = next((str(element.get(key)) for key in _RELATION_IDS if element.get(key)), "")
        sheet_part = targets.get(relation)
        if sheet_part is None:
            msg = f"{book.path.name} is not a readable Excel file: sheet {element.get('name')!r} has no part"
            raise ExcelError(msg)
        sheets.append((element.get("name", ""), sheet_part))
    if not sheets:
        msg = f"{book.path.name} is not a readable Excel file: it has no sheet"
        raise ExcelError(msg)
    return sheets, date1904, kinds


def _text(element: Element) -> str:
    """The text of a shared or inline string: its ``t`` parts and rich-text runs, no phonetic runs."""
    parts: list[str] = []
    for child in element:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts += [t.text or "" for t in child if _local(t.tag) == "t"]
    return "".join(parts)


def _strings(book: _Book, part: str) -> list[str]:
    if not book.has(part):
        return []
    declared = _COUNT.search(book.head(part))
    if declared and int(declared.group(1)) > STRING_LIMIT:
        msg = (
            f"{book.path.name}: {int(declared.group(1)):,} different texts (shared strings), over the limit "
            f"of {STRING_LIMIT:,}; export the sheet as CSV"
        )
        raise ExcelError(msg)
    strings: list[str] = []
    for element in book.events(part, frozenset({"si"})):
        strings.append(_text(element))
        if len(strings) > STRING_LIMIT:
            msg = (
                f"{book.path.name}: more than {STRING_LIMIT:,} different texts (shared strings), the "
                "limit; export the sheet as CSV"
            )
            raise ExcelError(msg)
    return strings


def is_date_format(code: str) -> bool:
    """Whether an Excel number format shows a date or time (``dd-mm-yyyy``, ``h:mm``).

    Examples:
        >>> [is_date_format(c) for c in ("dd-mm-yyyy", "0.00", '"d"0', "[Red]0", "h:mm")]
        [True, False, False, False, True]
    """
    bare = _QUOTED_OR_BRACKETED.sub("", code.split(";", maxsplit=1)[0])
    return any(char in bare.lower() for char in "dmyhs") and "general" not in bare.lower()


def _date_styles(book: _Book, part: str) -> list[bool]:
    """Per cell style (``s``), whether it shows a date."""
    if not book.has(part):
        return []
    custom: dict[int, str] = {}
    styles: list[bool] = []
    inside_xfs = False
    for element in book.events(part, frozenset({"numFmt", "xf", "cellXfs", "cellStyleXfs"})):
        tag = _local(element.tag)
        if tag == "numFmt":
            custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
        elif tag == "cellStyleXfs":
            styles.clear()  # the xf elements of cellStyleXfs end before cellXfs begins
        elif tag == "xf":
            fmt = int(element.get("numFmtId", "0"))
            styles.append(fmt in _DATE_FORMAT_IDS or (fmt in custom and is_date_format(custom[fmt])))
        elif tag == "cellXfs":
            inside_xfs = True
            break
    return styles if inside_xfs else []


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names, in order.

    Raises:
        ExcelError: Not a readable workbook.
    """
    book = _Book(path)
    try:
        return [name for name, _ in _workbook(book)[0]]
    finally:
        book.close()


@dataclass
class _Reader:
    """Turns ``<c>`` elements into typed values."""

    book: _Book
    sheet: str
    strings: list[str]
    dates: list[bool]
    date1904: bool

    def where(self, ref: str) -> str:
        return f"{self.book.path.name}, sheet {self.sheet!r}, cell {ref}"

    def value(self, cell: Element, ref: str) -> object:
        kind = cell.get("t", "n")
        raw: str | None = None
        formula = False
        for child in cell:
            tag = _local(child.tag)
            if tag == "v":
                raw = child.text
            elif tag == "f":
                formula = True
            elif tag == "is":
                return _text(child)
        if raw is None or (raw == "" and kind != "str"):
            if formula:
                msg = (
                    f"{self.where(ref)}: a formula without a saved value (the file was made by a program "
                    "that does not calculate); open and save the file in Excel, then run again"
                )
                raise ExcelError(msg)
            return None
        return self._typed(kind, raw, cell, ref)

    def _typed(self, kind: str, raw: str, cell: Element, ref: str) -> object:
        if kind == "s":
            return self._shared(raw, ref)
        if kind in {"str", "e"}:
            return raw
        if kind == "b":
            return raw.strip() in {"1", "true"}
        if kind == "d":
            return self._iso(raw, ref)
        return self._number(raw, cell, ref)

    def _shared(self, raw: str, ref: str) -> str:
        try:
            return self.strings[int(raw)]
        except (ValueError, IndexError):
            msg = f"{self.where(ref)}: shared string {raw!r} does not exist; the file is damaged"
            raise ExcelError(msg) from None

    def _iso(self, raw: str, ref: str) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(raw.strip().removesuffix("Z"))
        except ValueError:
            msg = f"{self.where(ref)}: {raw!r} is not a date; the file is damaged"
            raise ExcelError(msg) from None

    def _number(self, raw: str, cell: Element, ref: str) -> object:
        try:
            number = float(raw)
        except ValueError:
            msg = f"{self.where(ref)}: {raw[:40]!r} is not a number; the file is damaged"
            raise ExcelError(msg) from None
        style = int(cell.get("s", "0") or 0)
        if 0 <= style < len(self.dates) and self.dates[style]:
            return self._date(number, ref)
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number

    def _date(self, serial: float, ref: str) -> dt.datetime:
        epoch = _EPOCH_1904 if self.date1904 else _EPOCH_1900
        if not self.date1904 and serial < 61:  # noqa: PLR2004 - Excel's 1900 leap-year bug ends at day 60
            epoch += dt.timedelta(days=1)
        try:
            return epoch + dt.timedelta(seconds=round(serial * 86_400))
        except (OverflowError, ValueError):
            msg = f"{self.where(ref)}: {serial:g} is not a date Excel can show"
            raise ExcelError(msg) from None


def _choose(book: _Book, sheets: list[tuple[str, str]], wanted: str | None) -> tuple[str, str]:
    if wanted is None:
        return sheets[0]
    for name, part in sheets:
        if name == wanted:
            return name, part
    folded = [(name, part) for name, part in sheets if name.casefold() == wanted.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    names = ", ".join(repr(name) for name, _ in sheets)
    msg = f"--sheet: {book.path.name} has no sheet {wanted!r}; sheets: {names}"
    raise ExcelError(msg)


def read_sheet(path: Path, *, sheet: str | None = None, rows: int | None = None) -> Sheet:
    """The rows of one sheet (the first, or ``sheet`` by name), each a list of typed cells.

    Rows with no value are left out; a row ends at its last value (rows differ in length).
    ``rows`` stops after that many rows with a value (``rows=1``: the header only).

    Raises:
        ExcelError: A corrupt workbook, a part or the shared strings past their
            limit, no such sheet, a formula without a saved value.
    """
    book = _Book(path)
    try:
        sheets, date1904, parts = _workbook(book)
        name, part = _choose(book, sheets, sheet)
        strings = _strings(book, parts["sharedStrings"])
        reader = _Reader(book, name, strings, _date_styles(book, parts["styles"]), date1904)
        result = Sheet(file=path.name, name=name, names=[n for n, _ in sheets])
        _rows(book, part, reader, result, rows)
    finally:
        book.close()
    return result


def _rows(book: _Book, part: str, reader: _Reader, result: Sheet, limit: int | None) -> None:
    number = 0
    for element in book.events(part, frozenset({"row"})):
        number = int(element.get("r") or number + 1)
        cells: dict[int, object] = {}
        column = -1
        for cell in element:
            if _local(cell.tag) != "c":
                continue
            ref = cell.get("r")
            match = _CELL.fullmatch(ref or "")
            column = _index(match.group(1)) if match else column + 1
            ref = ref or f"{column_letters(column)}{number}"
            value = reader.value(cell, ref)
            if value is not None and not (isinstance(value, str) and not value.strip()):
                cells[column] = value
        if cells:
            row: list[object] = [None] * (max(cells) + 1)
            for at, value in cells.items():
                row[at] = value
            result.rows.append(row)
            result.row_numbers.append(number)
            if limit is not None and len(result.rows) >= limit:
                return
