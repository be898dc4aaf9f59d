"""Read an SPSS (``.sav``, ``.zsav``) or Stata (``.dta``) file with pyreadstat (the extra ``spss``).

Survey tools export these with *value labels*: ``Køn`` stored as 1/2/3 with the
labels Pige/Dreng/Andet. The values come back as stored (numbers as floats,
text as text, dates as ``datetime.date``/``datetime.datetime``, a missing or
user-missing value as None) with each column's labels beside them; the caller
decides where a label replaces its code (a label column: yes; an item answer:
no, its code is the answer).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from trivselscore.errors import TrivselscoreError
from trivselscore.support import require

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["STAT_SUFFIXES", "StatError", "StatFile", "read_stat"]

STAT_SUFFIXES = (".sav", ".zsav", ".dta")
_RENAMED = re.compile(r"column '(.*)' is duplicated")


class StatError(TrivselscoreError, ValueError):
    """The SPSS or Stata file cannot be read (or pyreadstat is not installed)."""


@dataclass
class StatFile:
    """The columns of an SPSS or Stata file, their value labels, and the number of rows."""

    header: list[str]
    columns: dict[str, list[object]]
    n_rows: int
    labels: dict[str, dict[object, str]] = field(default_factory=dict)


def read_stat(path: Path) -> StatFile:
    """Every column of an SPSS or Stata file, with the value labels of each labelled column.

    Raises:
        StatError: pyreadstat is not installed, the file is not readable, or
            two columns have one name.
    """
    try:
        pyreadstat = require("pyreadstat", "spss")
    except ImportError as error:
        msg = f"{path.name} is an SPSS/Stata file: {error} (or export it as CSV)"
        raise StatError(msg) from None
    read = pyreadstat.read_dta if path.suffix.lower() == ".dta" else pyreadstat.read_sav
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data, meta = read(str(path), output_format="dict")
    except Exception as error:  # noqa: BLE001 - pyreadstat raises its own and builtin errors for a bad file
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        kind = "Stata" if path.suffix.lower() == ".dta" else "SPSS"
        msg = f"{path.name} is not a readable {kind} file: {first}"
        raise StatError(msg) from None
    header = [str(name) for name in meta.column_names]
    # pyreadstat renames a repeated name (with a warning); the common header check catches any other
    twice = [m.group(1) for w in caught if (m := _RENAMED.search(str(w.message)))]
    if twice:
        shown = ", ".join(map(repr, dict.fromkeys(twice)))
        msg = f"{path.name}: column names used more than once: {shown}; rename or remove one of each"
        raise StatError(msg)
    columns = {name: list(data[name]) for name in header}
    labels = {
        str(name): {code: str(text) for code, text in codes.items()}
        for name, codes in (meta.variable_value_labels or {}).items()
    }
    n_rows = len(columns[header[0]]) if header else 0
    return StatFile(header=header, columns=columns, n_rows=n_rows, labels=labels)
