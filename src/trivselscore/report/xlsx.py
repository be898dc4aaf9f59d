r"""The report's tables as an Excel workbook for analysts (openpyxl).

The first sheet (``Indhold``) lists every other sheet, linked, with its table's
full caption; ``Om data`` holds the first page's facts; then one sheet per table:
caption, header (frozen), rows, notes. Sheet names are readable (``who5
niveau``, ``sdq fremgang 1-3``), at most 31 characters, without ``[]:*?/\\``,
and unique without regard to case (a number is added to a repeated name).

Every count, mean, SD, effect size and share is a number cell with a number
format (a share is 0.52 shown as ``52%``); an interval's bounds have columns of
their own. A hidden or empty cell is a text mark (``<5``, ``skjult``, ``-``),
never 0. Every text cell is written as text (``t="inlineStr"``), whatever it
starts with (``=``, ``+``, ``-``, ``@``, a tab): no cell is ever a formula or
an error value. Characters XML cannot hold (control characters other than tab,
line feed and carriage return) are written as visible escapes (``\x07``); a
carriage return reads back as a line feed (XML's rule).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from trivselscore.report.labels import word
from trivselscore.report.values import Value
from trivselscore.support import require
from trivselscore.tabular.atomic import atomic_files

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from trivselscore.report.tables import Grid
    from trivselscore.study.reports import Lang

__all__ = ["SHEET_LIMIT", "build_workbook", "sheet_names", "write_xlsx"]

SHEET_LIMIT = 31
"""Excel's longest sheet name."""

_BAD = re.compile(r"[\[\]:*?/\\]")
_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\s]+")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_RESERVED = "history"  # Excel keeps this sheet name for itself
_WIDEST = 60


def _clean(name: str) -> str:
    text = _SPACE.sub(" ", _BAD.sub("-", name)).strip(" '")
    return text + "-" if text.casefold() == _RESERVED else text


def _compose(free: str, tail: str, suffix: str) -> str:
    """``free tail suffix`` in at most 31 characters: the free part is cut first, then the tail."""
    keep = len(suffix) + (1 if suffix else 0)
    tail = tail[: SHEET_LIMIT - keep].rstrip(" '")
    room = SHEET_LIMIT - keep - len(tail) - (1 if tail else 0)
    free = free[: max(room, 0)].rstrip(" '")
    return " ".join(x for x in (free, tail, suffix) if x)


def sheet_names(wanted: Sequence[str | tuple[str, str]]) -> list[str]:
    """Unique Excel sheet names (compared without case, as Excel does), each at most 31 characters.

    A wanted name is a text, or a pair (name, tail) whose tail is kept whole
    while the name is shortened.

    Examples:
        >>> sheet_names(["a/b", ("x" * 40, "fremgang 1-2"), ("x" * 40, "fremgang 1-2"), ""])
        ['a-b', 'xxxxxxxxxxxxxxxxxx fremgang 1-2', 'xxxxxxxxxxxxxx fremgang 1-2 (2)', 'ark']
    """
    out: list[str] = []
    taken: set[str] = set()
    for name in wanted:
        free, tail = (name, "") if isinstance(name, str) else name
        free, tail = _clean(free), _clean(tail)
        if not free and not tail:
            free = "ark"
        candidate, number = _compose(free, tail, ""), 1
        while candidate.casefold() in taken or not candidate:
            number += 1
            candidate = _compose(free, tail, f"({number})")
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def _text(sheet: Any, row: int, column: int, text: str) -> None:  # noqa: ANN401 - an openpyxl sheet
    """A text cell, never a formula or an error value, whatever the text starts with."""
    cell = sheet.cell(row=row, column=column)
    cell.value = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    cell.data_type = "s"


def _number(sheet: Any, row: int, column: int, number: float, style: str) -> None:  # noqa: ANN401
    cell = sheet.cell(row=row, column=column)
    cell.value = int(number) if style == "0" and float(number).is_integer() else number
    cell.number_format = style


def _put(sheet: Any, row: int, column: int, value: Value) -> None:  # noqa: ANN401 - an openpyxl sheet
    """A number cell with its format, or a text cell (a label or a mark); nothing for an empty text."""
    if value.number is not None:
        _number(sheet, row, column, value.number, value.excel_format)
    elif value.text:
        _text(sheet, row, column, value.text)


def _columns(grid: Grid) -> list[bool]:
    """Per column: whether it has an interval (three sheet columns: value, lower, upper)."""
    return [any(row[j].has_interval for row in grid.rows if j < len(row)) for j in range(len(grid.head))]


def _table(sheet: Any, grid: Grid, lang: Lang) -> None:  # noqa: ANN401 - an openpyxl sheet
    split = _columns(grid)
    _text(sheet, 1, 1, grid.caption)
    column = 1
    for head, wide in zip(grid.head, split, strict=True):
        names = (
            [head, f"{head}: {word('ci_low', lang)}", f"{head}: {word('ci_high', lang)}"] if wide else [head]
        )
        for offset, name in enumerate(names):
            _text(sheet, 2, column + offset, name)
        column += len(names)
    for r, row in enumerate(grid.rows, start=3):
        column = 1
        for value, wide in zip(row, split, strict=False):
            _put(sheet, r, column, value)
            if wide and value.number is not None:
                for offset, bound in ((1, value.low), (2, value.high)):
                    if bound is not None:
                        _put(sheet, r, column + offset, Value(value.kind, number=bound, digits=value.digits))
            column += 3 if wide else 1
    below = 3 + len(grid.rows) + 1
    for i, note in enumerate(grid.notes):
        _text(sheet, below + i, 1, note)
    sheet.freeze_panes = "A3"
    _widths(sheet, skip_rows={1, *range(below, below + len(grid.notes))})


def _widths(sheet: Any, skip_rows: set[int]) -> None:  # noqa: ANN401 - an openpyxl sheet
    """Columns about as wide as their widest cell (captions and notes may overflow)."""
    utils = require("openpyxl.utils", "excel")
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or cell.row in skip_rows:
                continue
            size = len(str(cell.value)) if cell.data_type == "s" else 10
            widths[cell.column] = max(widths.get(cell.column, 0), size)
    for column, size in widths.items():
        sheet.column_dimensions[utils.get_column_letter(column)].width = min(size + 2, _WIDEST)


def _about(sheet: Any, title: str, facts: Sequence[tuple[str, Sequence[Value]]]) -> None:  # noqa: ANN401
    """The title, then one row per fact (a fact of several lines takes several rows)."""
    _text(sheet, 1, 1, title)
    row = 3
    for key, values in facts:
        _text(sheet, row, 1, key)
        for value in values:
            _put(sheet, row, 2, value)
            row += 1
        if not values:
            row += 1
    _widths(sheet, skip_rows={1})


def _index(sheet: Any, title: str, entries: Sequence[tuple[str, str]], lang: Lang) -> None:  # noqa: ANN401
    hyperlink = require("openpyxl.worksheet.hyperlink", "excel").Hyperlink
    _text(sheet, 1, 1, title)
    _text(sheet, 2, 1, word("sheet", lang))
    _text(sheet, 2, 2, word("table", lang))
    for row, (name, caption) in enumerate(entries, start=3):
        _text(sheet, row, 1, name)
        cell = sheet.cell(row=row, column=1)
        quoted = name.replace("'", "''")
        cell.hyperlink = hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1", display=name)
        cell.style = "Hyperlink"
        _text(sheet, row, 2, caption)
    sheet.freeze_panes = "A3"
    _widths(sheet, skip_rows={1})


def build_workbook(
    grids: Sequence[Grid],
    *,
    title: str,
    about: Sequence[tuple[str, Sequence[Value]]] = (),
    lang: Lang = "da",
) -> Any:  # noqa: ANN401 - an openpyxl Workbook (openpyxl is optional)
    """The workbook: the index, ``Om data`` (``about``: the first page's facts), one sheet per table.

    Raises:
        ImportError: openpyxl is not installed (the extra ``excel``).
    """
    openpyxl = require("openpyxl", "excel")
    book = openpyxl.Workbook()
    book.properties.creator = "trivselscore"
    names = sheet_names(
        [word("contents", lang), word("sheet_about", lang), *((g.sheet, g.sheet_tail) for g in grids)]
    )
    index = book.active
    index.title = names[0]
    _about(book.create_sheet(title=names[1]), title, about)
    for grid, name in zip(grids, names[2:], strict=True):
        _table(book.create_sheet(title=name), grid, lang)
    entries = [(names[1], word("sheet_about", lang))] + [
        (name, grid.caption) for grid, name in zip(grids, names[2:], strict=True)
    ]
    _index(index, title, entries, lang)
    return book


def write_xlsx(
    path: Path,
    grids: Sequence[Grid],
    *,
    title: str = "",
    about: Sequence[tuple[str, Sequence[Value]]] = (),
    lang: Lang = "da",
) -> None:
    """Write :func:`build_workbook` to ``path``, all or nothing.

    Raises:
        ImportError: openpyxl is not installed (the extra ``excel``).
        OSError: The file cannot be written (nothing is left behind).
    """
    book = build_workbook(grids, title=title, about=about, lang=lang)
    with atomic_files([path]) as (temporary,):
        book.save(temporary)
