r"""The report's tables as an Excel workbook, one sheet each (openpyxl).

Sheet names are at most 31 characters, without ``[]:*?/\\``, and unique (a
number is added to a repeated name). A cell that reads as a plain number
(``12``, ``45.3``) is written as a number; marks (``<5``, ``skjult``), shares
with intervals and labels stay text. The file is written beside the target and
renamed over it only when complete.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from trivselscore.support import require

if TYPE_CHECKING:
    from collections.abc import Sequence

    from trivselscore.report.tables import Grid

__all__ = ["SHEET_LIMIT", "sheet_names", "write_xlsx"]

SHEET_LIMIT = 31
"""Excel's longest sheet name."""

_BAD = re.compile(r"[\[\]:*?/\\]")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def sheet_names(wanted: Sequence[str]) -> list[str]:
    """Unique Excel sheet names (compared without case, as Excel does), each at most 31 characters.

    Examples:
        >>> sheet_names(["a/b", "x" * 40, "x" * 40])
        ['a-b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxx(2)']
    """
    out: list[str] = []
    taken: set[str] = set()
    for name in wanted:
        base = _BAD.sub("-", name).strip("'") or "sheet"
        candidate, number = base[:SHEET_LIMIT], 1
        while candidate.casefold() in taken:
            number += 1
            tail = f"({number})"
            candidate = base[: SHEET_LIMIT - len(tail)] + tail
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def _cell(text: str) -> str | int | float:
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def write_xlsx(path: Path, grids: Sequence[Grid]) -> None:
    """Write one sheet per table: caption, header, rows, then the notes.

    Raises:
        ImportError: openpyxl is not installed (the extra ``excel``).
        OSError: The file cannot be written (nothing is left behind).
    """
    openpyxl = require("openpyxl", "excel")
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        msg = f"no such folder: {target.parent}"
        raise FileNotFoundError(msg)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    try:
        book = openpyxl.Workbook(write_only=True)
        for grid, name in zip(grids, sheet_names([g.sheet for g in grids]), strict=True):
            sheet = book.create_sheet(title=name)
            sheet.append([grid.caption])
            sheet.append([])
            sheet.append(list(grid.head))
            for row in grid.body:
                sheet.append([_cell(c) for c in row])
            sheet.append([])
            for note in grid.notes:
                sheet.append([note])
        if not grids:
            book.create_sheet(title="-")
        with temporary.open("wb") as handle:
            book.save(handle)
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
