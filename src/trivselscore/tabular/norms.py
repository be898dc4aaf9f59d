r"""Read a norm table the user holds (e.g. a Danish manual's) from a CSV or JSON file.

**CSV** (``.csv``, or any name not ending in ``.json``): a header line, then one
line per scale and normative group; ``,``, ``;`` or a tab between cells (read
from the header line); lines starting with ``#`` are comments, and the comments
``# source: ...``, ``# population: ...`` and ``# label: ...`` describe the table.

========  ===============================================================
column    what
========  ===============================================================
scale     the scale id (``total``, ``social_phobia``); Danish ``skala``
sex       ``female``/``male`` (also ``pige``/``dreng``, ``K``/``M``), blank
          or ``both`` for both sexes; Danish ``køn``
age       completed years: ``8-11``, ``12-`` (12 and older), ``-11``,
          ``12`` (one year), blank for every age; Danish ``alder``
mean      the group's mean raw score; ``12.5`` or ``12,5``; ``gennemsnit``
sd        its standard deviation, above 0; Danish ``spredning``
========  ===============================================================

**JSON** (``.json``): a :class:`~trivselscore.definitions.NormTable` as
``NormTable.model_dump_json()`` writes it.

Either way the table is checked as the shipped ones are: numbers finite and SD
above 0, no two lines for the same respondents, every cell present (a scale
normed for girls 12-15 is normed for boys 12-15 too, and every scale has every
group: :func:`~trivselscore.definitions.norms.gaps`), and, given the
instruments, every scale known and every T-score within
:data:`~trivselscore.definitions.norms.T_SCORE_LIMITS`. A problem raises
:class:`NormFileError`, one line naming the file and the line (CSV) or row (JSON).
A file's table is marked ``unverified`` (the library cannot check it) and names
the file and its SHA-256.

Examples:
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "scas_normer.csv"
    >>> _ = path.write_text("# source: invented for this example\nscale;sex;age;mean;sd\n"
    ...                     "total;pige;12-15;20,5;10\ntotal;dreng;12-15;18;9,5\n", encoding="utf-8")
    >>> table = read_norm_table(path, instruments=["scas-c"])
    >>> table.id, [(r.sex, r.min_age, r.max_age, r.mean, r.sd) for r in table.rows]
    ('scas_normer', [('female', 12, 15, 20.5, 10.0), ('male', 12, 15, 18.0, 9.5)])
    >>> _ = path.write_text("scale,sex,age,mean,sd\ntotal,female,12-15,20,0\n", encoding="utf-8")
    >>> try:
    ...     read_norm_table(path)
    ... except NormFileError as error:
    ...     print(error)
    scas_normer.csv line 2: sd must be a number above 0, not '0'
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from trivselscore.definitions import Instrument, Norm, NormTable, Source
from trivselscore.definitions.instrument import check_norm_table
from trivselscore.definitions.model import SEX_WORDS, Sex
from trivselscore.definitions.norms import gaps
from trivselscore.errors import TrivselscoreError
from trivselscore.instruments.registry import get_instrument

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["COLUMNS", "NormFileError", "read_norm_table"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "scale": ("scale", "skala"),
    "sex": ("sex", "køn", "koen"),
    "age": ("age", "alder"),
    "mean": ("mean", "gennemsnit", "middelværdi", "gns"),
    "sd": ("sd", "spredning", "standardafvigelse"),
}
"""Column -> the header names that mean it (compared without case)."""

_BOTH = frozenset({"", "both", "begge", "alle", "all"})
_AGE = re.compile(r"^(\d+)?\s*[-\u2013]\s*(\d+)?$|^(\d+)$")
_META = re.compile(r"^#\s*(source|population|label)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_LARGEST_AGE = 130


class NormFileError(TrivselscoreError, ValueError):
    """A norm table file cannot be read or checked (one line naming the file and the line or row)."""


def _number(text: str, *, comma: bool) -> float | None:
    cleaned = text.strip().replace(",", ".") if comma else text.strip()
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def _sex(text: str) -> tuple[bool, Sex | None]:
    folded = text.strip().casefold()
    if folded in _BOTH:
        return True, None
    found = SEX_WORDS.get(folded)
    # a norm row is for one sex or both, never other/unknown; == narrows the Literal for mypy
    if found == "female" or found == "male":  # noqa: PLR1714
        return True, found
    return False, None


def _age(text: str) -> tuple[int | None, int | None] | None:
    stripped = text.strip()
    if not stripped:
        return None, None
    match = _AGE.match(stripped)
    if match is None or stripped in {"-", "\u2013"}:
        return None
    low, high, single = match.groups()
    if single is not None:
        return int(single), int(single)
    ages = (None if low is None else int(low), None if high is None else int(high))
    if any(a is not None and a > _LARGEST_AGE for a in ages):
        return None
    if ages[0] is not None and ages[1] is not None and ages[0] > ages[1]:
        return None
    return ages


def _header(path: Path, header: list[str]) -> dict[str, int]:
    names = {alias.casefold(): key for key, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        key = names.get(name.strip().casefold())
        if key is None:
            msg = f"{path.name}: unknown column {name!r}; the columns are {', '.join(COLUMNS)}"
            raise NormFileError(msg)
        if key in found:
            msg = f"{path.name}: column {key!r} is given twice"
            raise NormFileError(msg)
        found[key] = position
    missing = [key for key in COLUMNS if key not in found]
    if missing:
        absent = ", ".join(repr(m) for m in missing)
        msg = f"{path.name}: no column {absent}; the columns are {', '.join(COLUMNS)}"
        raise NormFileError(msg)
    return found


def _row(path: Path, line: int, cells: list[str], where: dict[str, int], *, comma: bool) -> Norm:
    def fail(text: str) -> NormFileError:
        return NormFileError(f"{path.name} line {line}: {text}")

    if len(cells) != len(where):
        msg = f"{len(cells)} cells, the header has {len(where)}"
        raise fail(msg)
    cell = {key: cells[position] for key, position in where.items()}
    scale = cell["scale"].strip()
    if not scale:
        msg = "the scale is blank"
        raise fail(msg)
    known, sex = _sex(cell["sex"])
    if not known:
        msg = f"sex {cell['sex']!r} is not female, male or blank (both); e.g. pige, dreng, K, M"
        raise fail(msg)
    ages = _age(cell["age"])
    if ages is None:
        msg = f"age {cell['age']!r} is not an age band such as 8-11, 12-, -11 or 12 (completed years)"
        raise fail(msg)
    mean = _number(cell["mean"], comma=comma)
    if mean is None:
        msg = f"mean must be a number, not {cell['mean']!r}"
        raise fail(msg)
    sd = _number(cell["sd"], comma=comma)
    if sd is None or sd <= 0:
        msg = f"sd must be a number above 0, not {cell['sd']!r}"
        raise fail(msg)
    return Norm(scale=scale, sex=sex, min_age=ages[0], max_age=ages[1], mean=mean, sd=sd)


def _read_csv(path: Path, text: str) -> tuple[list[Norm], list[str], dict[str, str]]:
    """The rows, the place of each (``line N``) and the ``# key: value`` comments."""
    meta: dict[str, str] = {}
    lines = text.splitlines()
    body = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    content = []
    for n, line in body:
        if line.lstrip().startswith("#"):
            found = _META.match(line.strip())
            if found is not None:
                meta[found.group(1).lower()] = found.group(2)
            continue
        content.append((n, line))
    if not content:
        msg = f"{path.name} has no header line"
        raise NormFileError(msg)
    first = content[0][1]
    delimiter = max((";", "\t", ","), key=first.count)
    records = list(csv.reader([line for _, line in content], delimiter=delimiter))
    where = _header(path, records[0])
    rows = [
        _row(path, n, cells, where, comma=delimiter != ",")
        for (n, _), cells in zip(content[1:], records[1:], strict=True)
    ]
    if not rows:
        msg = f"{path.name} has no norm lines under its header"
        raise NormFileError(msg)
    return rows, [f"line {n}" for n, _ in content[1:]], meta


def _identifier(stem: str) -> str:
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-._")
    return text or "user-norms"


def _table(path: Path, rows: list[Norm], places: list[str], meta: dict[str, str], digest: str) -> NormTable:
    for i, first in enumerate(rows):
        for j in range(i + 1, len(rows)):
            second = rows[j]
            if first.scale == second.scale and _overlap(first, second):
                msg = (
                    f"{path.name} {places[j]}: scale {second.scale!r}, {second.group} overlaps "
                    f"{places[i]} ({first.group}): two norms for the same respondents"
                )
                raise NormFileError(msg)
    source = Source(
        citation=meta.get("source", f"norm table file {path.name}"),
        status="unverified",
        note=f"Read from {path.name} (SHA-256 {digest[:16]}); not checked by trivselscore.",
    )
    return NormTable(
        id=_identifier(path.stem),
        label=meta.get("label", f"norms from {path.name}"),
        population=meta.get("population", f"as given in {path.name}"),
        source=source,
        rows=tuple(rows),
    )


def _overlap(first: Norm, second: Norm) -> bool:
    if first.sex is not None and second.sex is not None and first.sex != second.sex:
        return False
    lo1, hi1 = first.min_age or 0, math.inf if first.max_age is None else first.max_age
    lo2, hi2 = second.min_age or 0, math.inf if second.max_age is None else second.max_age
    return lo1 <= hi2 and lo2 <= hi1


def _read_json(path: Path, text: str) -> tuple[NormTable, list[str]]:
    try:
        table = NormTable.model_validate_json(text)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        message = str(problem["msg"]).removeprefix("Value error, ")
        msg = f"{path.name}: {where + ': ' if where else ''}{message}"
        raise NormFileError(msg) from None
    return table, [f"rows[{i}]" for i in range(len(table.rows))]


def read_norm_table(path: Path | str, *, instruments: Sequence[Instrument | str] = ()) -> NormTable:
    """Read and check a norm table file (see the module docstring for the layouts).

    Args:
        path: A ``.csv`` (or other text) file, or a ``.json`` ``NormTable``.
        instruments: Check the table against these (every scale known, T-scores in range).

    Returns:
        The table, ready for ``score(..., norms=)`` and ``Study.from_long(norms=)``.

    Raises:
        NormFileError: The file cannot be read, or a line or row is wrong (one line naming it).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        msg = f"cannot read the norm table {path}: {error}"
        raise NormFileError(msg) from None
    if path.suffix.lower() == ".json":
        table, places = _read_json(path, text)
    else:
        rows, places, meta = _read_csv(path, text)
        table = _table(path, rows, places, meta, hashlib.sha256(raw).hexdigest())
    place = {id(row): where for row, where in zip(table.rows, places, strict=True)}
    for gap in gaps(table):
        msg = (
            f"{path.name}: no norm for {gap.describe()}, while {place[id(gap.witness)]} "
            f"({gap.witness.scale!r}, {gap.witness.group}) covers those respondents: every cell must be there"
        )
        raise NormFileError(msg)
    for given in instruments:
        instrument = given if isinstance(given, Instrument) else get_instrument(given)
        for row in table.rows:
            if row.scale not in instrument.scale_ids:
                msg = (
                    f"{path.name} {place[id(row)]}: scale {row.scale!r} is not a scale of {instrument.id}; "
                    f"scales: {', '.join(instrument.scale_ids)}"
                )
                raise NormFileError(msg)
            single = table.model_copy(update={"rows": (row,)})
            try:
                check_norm_table(instrument, single)
            except ValueError as error:
                text = str(error).split(": ", 1)[-1]
                msg = f"{path.name} {place[id(row)]}: {text}"
                raise NormFileError(msg) from None
    return table
