"""Read a CSV file record by record, losing nothing and knowing every record's line.

The reading half of ``trivselscore score ID FILE.csv`` (the scoring half is
:mod:`trivselscore.tabular.csvfile`). It decides how the file is read and refuses
a file that cannot be read whole:

* **Encoding**: UTF-8 by default, with or without a byte-order mark (also when
  ``utf-8`` is given by name); a UTF-16 or UTF-32 byte-order mark selects that
  encoding; anything else is named with ``encoding`` (``cp1252``, ``latin-1``,
  ``utf-16``). The NUL check runs on the decoded text, so UTF-16 passes and a
  spreadsheet saved as ``.xlsx`` does not.
* **Delimiter**: given, or set by an Excel ``sep=;`` first line, or the most
  frequent of ``, ; tab |`` in the header.
* **Limits**: one cell holds at most :data:`CELL_LIMIT` characters and one record
  spans at most :data:`RECORD_LINE_LIMIT` lines. A quote that opens a field and
  never closes would otherwise swallow every later line into one cell: it stops
  the run with :class:`CsvFileError`, naming the line where the field opened. So
  does a quoted cell with a line that looks like a record of its own (as many
  fields as the header, at least half of them numbers): a later stray quote
  closed the field and the rows between would vanish.

Cells (see :func:`parse_answer`): ASCII integers (``3``, ``+3``, ``03``) and whole
decimals (``3.0``, or ``3,0`` with ``decimal=","``) are numbers; empty, ``NA``,
``NaN``, ``.``, ``-`` and ``None`` (any case) are unanswered; anything else is not
a number.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from typing import TYPE_CHECKING, NoReturn, TextIO

from trivselscore.errors import TrivselscoreError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "CELL_LIMIT",
    "DECIMALS",
    "MISSING_TOKENS",
    "RECORD_LINE_LIMIT",
    "CsvFileError",
    "Records",
    "is_number",
    "open_records",
    "parse_answer",
]

MISSING_TOKENS = frozenset({"", "na", "nan", ".", "-", "none"})
DELIMITERS = (",", ";", "\t", "|")
DECIMALS = (".", ",")
CELL_LIMIT = 1 << 20
"""Characters in one cell (1 MiB): five times a 200 KB free-text answer, far below a runaway quote's."""
RECORD_LINE_LIMIT = 1_000
"""Lines one record may span (quoted line breaks in free text); more is taken for an unclosed quote."""
SAMPLE = 1 << 16
DEFAULT_ENCODING = "utf-8-sig"
_NUMBERS = {
    decimal: re.compile(rf"([+-]?)([0-9]+)(?:{re.escape(decimal)}([0-9]+))?", re.ASCII)
    for decimal in DECIMALS
}
_EXACT_DIGITS = 15  # an integer with at most this many digits is exact as a float
_SEP_LINE = re.compile(r"sep=([^\r\n])(?:\r\n|\r|\n)?", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE mark
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class CsvFileError(TrivselscoreError, ValueError):
    """The file as a whole cannot be scored (empty, not CSV, header only, unreadable)."""


def parse_answer(text: str, decimal: str = ".") -> int | float | str | None:
    """Read one answer as typed, without guessing (CSV cells and command-line answers).

    Only ASCII ``[+-]?[0-9]+`` with an optional fraction after ``decimal`` is a
    number: a whole number (``3``, ``+3``, ``03``, ``3.0``) is an ``int``, a
    decimal whose value is not whole (``2.5``) a ``float``. A missing token
    (``NA``, ``.``, empty..., any case) is ``None``. Anything else comes back as
    the text itself, which is never a code: exponents (``1e0``), underscores
    (``1_0``), non-ASCII digits (``٣``), the other decimal mark, and decimals
    whose fraction a float cannot hold (``3.00000000000000001``, which
    ``float()`` would round to 3).

    Examples:
        >>> [parse_answer(t) for t in ["3", " +3 ", "3.0", "2.5", "NA", "1e0", "0_1", "٣"]]
        [3, 3, 3, 2.5, None, '1e0', '0_1', '٣']
        >>> [parse_answer(t, decimal=",") for t in ["2,0", "2,5", "2.0"]]
        [2, 2.5, '2.0']
    """
    stripped = text.strip()
    if stripped.lower() in MISSING_TOKENS:
        return None
    match = _NUMBERS[decimal].fullmatch(stripped)
    if match is None:
        return text
    sign, digits, fraction = match.groups()
    if fraction is None or not fraction.strip("0"):
        whole = f"{sign}{digits}"
        # a very long integer is no code: keep it a float (inf at worst), never a huge int
        return int(whole) if len(digits.lstrip("0")) <= _EXACT_DIGITS else float(whole)
    value = float(f"{sign}{digits}.{fraction}")
    return value if value != math.floor(value) else text


def is_number(text: str, decimal: str = ".") -> bool:
    """Whether ``text`` is written as a number with ``decimal`` (whatever its value).

    Examples:
        >>> is_number(" 3,5 ", ","), is_number("3,5"), is_number("3.5")
        (True, False, True)
    """
    return _NUMBERS[decimal].fullmatch(text.strip()) is not None


class _End:
    """Fed to the csv reader after the file's last line: tells when the reader ran past it."""

    def __init__(self) -> None:
        self.reached = False

    def __iter__(self) -> _End:
        return self

    def __next__(self) -> str:
        self.reached = True
        raise StopIteration


class Records:
    """An open CSV file: its delimiter, its header and a count of what was read.

    ``blank_lines`` counts the empty lines after the header, which are skipped
    (an empty line is not a respondent); :meth:`chunks` yields every other record.
    """

    def __init__(
        self, path: Path, handle: TextIO, *, delimiter: str, before: int, exact_width: bool = False
    ) -> None:
        self.path = path
        self.delimiter = delimiter
        self.header: list[str] = []
        self.blank_lines = 0
        self.exact_width = exact_width
        self._handle = handle
        self._end = _End()
        self._rows = csv.reader(chain(handle, self._end), delimiter=delimiter)
        self._before = before  # lines before the reader's first (a sep= line)
        self._read = 0  # lines the reader had read after its last complete record
        try:
            for record in self._rows:
                self._take(record)
                if record:
                    record[0] = record[0].removeprefix("\ufeff")  # a byte-order mark the codec kept
                    self.header = [name.strip() for name in record]
                    break
        except csv.Error as error:
            self._fail(error)

    @property
    def position(self) -> int:
        """Bytes of the file read so far (read ahead in blocks: for progress, not for offsets)."""
        buffer = getattr(self._handle, "buffer", None)
        return int(buffer.tell()) if buffer is not None else 0

    @property
    def duplicates(self) -> list[str]:
        r"""Column names that appear more than once in the header, in header order.

        Examples:
            >>> from pathlib import Path
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     path = Path(folder, "d.csv")
            ...     _ = path.write_text("id;a;b;a\n1;2;3;4\n", encoding="utf-8")
            ...     with open_records(path) as records:
            ...         records.duplicates
            ['a']
        """
        seen: dict[str, int] = {}
        for name in self.header:
            seen[name] = seen.get(name, 0) + 1
        return [name for name, count in seen.items() if count > 1]

    @property
    def lines_read(self) -> int:
        """Lines of the file read so far (the header's and a ``sep=`` line included)."""
        return self._read + self._before

    def chunks(self, size: int) -> Iterator[list[list[str]]]:
        """Lists of at most ``size`` non-empty records, in file order.

        With ``exact_width`` (:func:`open_records`), a record with fewer fields
        than the header, or more with a non-empty one past it, stops the run
        naming its line; more fields that are all empty (a trailing delimiter)
        are cut off. Without it, records are yielded as read and the caller
        judges their width (``trivselscore score`` gives such a row an error).

        Raises:
            CsvFileError: A quoted field never closes, spans too many lines, or
                a cell is too long (the message names the line where the record
                began); the csv module refuses a line; with ``exact_width``, a
                record cut short or too long.
        """
        while chunk := self._chunk(size):
            yield chunk

    def _chunk(self, size: int) -> list[list[str]]:
        chunk: list[list[str]] = []
        append = chunk.append
        rows, end = self._rows, self._end
        width = len(self.header) if self.exact_width else -1
        try:
            for record in rows:
                start = self._read + 1
                if rows.line_num - self._read == 1 and not end.reached:
                    self._read += 1  # the common case, one line: inlined, this loop runs per record
                else:
                    self._take(record)
                if not record:
                    self.blank_lines += 1
                    continue
                if width >= 0 and len(record) != width:
                    record = self._fit(record, start + self._before)  # noqa: PLW2901 - cut to the header
                append(record)
                if len(chunk) >= size:
                    break
        except csv.Error as error:
            self._fail(error)
        return chunk

    def _fit(self, record: list[str], line: int) -> list[str]:
        """A record cut to the header's width, or :class:`CsvFileError` naming its line."""
        width = len(self.header)
        if len(record) > width and not any(cell.strip() for cell in record[width:]):
            return record[:width]
        if len(record) < width:
            msg = (
                f"{self.path} line {line:,}: {len(record)} fields, the header has {width}; "
                "the row is cut short (a line break or a delimiter missing?): mend the line"
            )
        else:
            msg = (
                f"{self.path} line {line:,}: {len(record)} fields, the header has {width}; "
                "a value lies past the last column (a delimiter inside a value?): mend the line"
            )
        raise CsvFileError(msg)

    def _take(self, record: list[str]) -> None:
        """Move past one record, refusing it if it is a runaway quoted field."""
        line = self._rows.line_num
        first = self._read + 1
        if self._end.reached:  # the reader ran past the last line: a quote never closed
            opening = first + _breaks_before(record, len(record) - 1) + self._before
            msg = (
                f"{self.path} line {opening}: a quoted field opens here and never closes "
                "(it runs to the end of the file); close or remove the quote"
            )
            raise CsvFileError(msg)
        if line - first >= RECORD_LINE_LIMIT:
            widest = max(range(len(record)), key=lambda j: _breaks(record[j]))
            opening = first + _breaks_before(record, widest) + self._before
            msg = (
                f"{self.path} line {opening}: a quoted field opens here and runs over more than "
                f"{RECORD_LINE_LIMIT:,} lines (to line {line + self._before:,}); is a quote not closed?"
            )
            raise CsvFileError(msg)
        if line > first and self.header:
            self._check_swallowed(record, first)
        self._read = line

    def _check_swallowed(self, record: list[str], first: int) -> None:
        """Refuse a cell whose later lines look like records of this file: a quote closed too late."""
        width = len(self.header)
        opening = first + self._before
        for cell in record:
            for offset, text in enumerate(_LINE_BREAK.split(cell)[1:], start=1):
                fields = next(csv.reader([text], delimiter=self.delimiter), [])
                numbers = sum(is_number(f) or is_number(f, ",") for f in fields)
                if len(fields) == width and 2 * numbers >= width:
                    msg = (
                        f"{self.path} line {opening}: a quoted field opens here and swallows line "
                        f"{opening + offset:,}, which looks like a record of its own ({width} fields, "
                        f"{numbers} of them numbers); is a quote not closed?"
                    )
                    raise CsvFileError(msg)
            opening += _breaks(cell)

    def _fail(self, error: csv.Error) -> None:
        first = self._read + 1 + self._before
        if "field larger than field limit" in str(error):
            msg = (
                f"{self.path} line {first}: a cell is longer than {CELL_LIMIT:,} characters (the limit "
                "for one cell), in the record that begins here; is a quote not closed?"
            )
        else:
            msg = f"{self.path} line {first}: not readable as CSV: {error}"
        raise CsvFileError(msg) from None


def _breaks(text: str) -> int:
    """Line breaks inside a cell, counted as the file's lines are (CRLF, LF or CR)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _breaks_before(record: list[str], position: int) -> int:
    return sum(map(_breaks, record[:position]))


_LIMIT_LOCK = threading.Lock()
_LIMIT_USERS = [0, 0]  # readers open, the limit before the first


@contextmanager
def _cell_limit() -> Iterator[None]:
    """Hold the csv module's process-wide field limit at :data:`CELL_LIMIT` while a file is read."""
    with _LIMIT_LOCK:
        if _LIMIT_USERS[0] == 0:
            _LIMIT_USERS[1] = csv.field_size_limit(CELL_LIMIT)
        _LIMIT_USERS[0] += 1
    try:
        yield
    finally:
        with _LIMIT_LOCK:
            _LIMIT_USERS[0] -= 1
            if _LIMIT_USERS[0] == 0:
                csv.field_size_limit(_LIMIT_USERS[1])


def _encoding(raw: bytes, encoding: str) -> str:
    """The codec to read with: a byte-order mark decides when none was named; UTF-8 may have one."""
    name = codecs.lookup(encoding).name
    if encoding == DEFAULT_ENCODING:
        for mark, marked in _BOMS:
            if raw.startswith(mark):
                return marked
    return DEFAULT_ENCODING if name == "utf-8" else encoding


def _shown(encoding: str) -> str:
    return "UTF-8" if encoding == DEFAULT_ENCODING else encoding


@contextmanager
def open_records(
    path: Path, *, encoding: str = DEFAULT_ENCODING, delimiter: str | None = None, exact_width: bool = False
) -> Iterator[Records]:
    """Open ``path``, check it is CSV text, find its delimiter and read its header.

    ``exact_width=True`` refuses a record whose width is not the header's (see
    :meth:`Records.chunks`).

    Raises:
        CsvFileError: The file is empty, not text in ``encoding``, or holds NUL
            characters (a spreadsheet, not a CSV export); and, while reading,
            whatever :meth:`Records.chunks` raises.
        OSError: The file cannot be opened.
        LookupError: ``encoding`` is not a codec.
    """
    with path.open("rb") as binary:
        raw = binary.read(SAMPLE)
    codec = _encoding(raw, encoding)
    with path.open(newline="", encoding=codec) as handle, _cell_limit():
        try:
            sample = handle.read(SAMPLE)
        except UnicodeDecodeError as error:
            if b"\x00" in raw:
                _not_text(path, codec, raw)
            msg = f"{path} is not {_shown(codec)} text ({error.reason}); give --encoding, e.g. cp1252"
            raise CsvFileError(msg) from None
        if "\x00" in sample:
            _not_text(path, codec, raw)
        if not sample.strip():
            msg = f"{path} is empty"
            raise CsvFileError(msg)
        handle.seek(0)
        records = _start(path, handle, sample, delimiter, exact_width=exact_width)
        try:
            yield records
        except UnicodeDecodeError as error:
            msg = (
                f"{path} is not {_shown(codec)} text ({error.reason}; the bad byte is after line "
                f"{records.lines_read:,}); give --encoding, e.g. cp1252"
            )
            raise CsvFileError(msg) from None


def _not_text(path: Path, codec: str, raw: bytes) -> NoReturn:
    hint = "export it as CSV"
    if codec == DEFAULT_ENCODING and max(raw[::2].count(0), raw[1::2].count(0)) > len(raw) // 4:
        # every other byte NUL: UTF-16 without a byte-order mark
        hint = "if it is UTF-16 text, give --encoding utf-16; otherwise export it as CSV"
    msg = f"{path} is not a CSV text file (it holds NUL characters; {hint})"
    raise CsvFileError(msg)


def _start(
    path: Path, handle: TextIO, sample: str, delimiter: str | None, *, exact_width: bool = False
) -> Records:
    before = 0
    first = sample.splitlines(keepends=True)[0]
    if sep := _SEP_LINE.fullmatch(first):
        handle.readline()
        before = 1
        delimiter = delimiter or sep.group(1)
    if delimiter is None:
        header_line = next((line for line in sample.splitlines()[before:] if line.strip()), "")
        delimiter = max(DELIMITERS, key=header_line.count)
    records = Records(path, handle, delimiter=delimiter, before=before, exact_width=exact_width)
    if not records.header:
        msg = f"{path} is empty"
        raise CsvFileError(msg)
    return records
