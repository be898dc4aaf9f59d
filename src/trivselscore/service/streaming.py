r"""Batch input (a JSON array, NDJSON or CSV) read row by row, and NDJSON output written row by row.

Each input row becomes one output line, in the same order: ``{"row": i, "score": {...}}``
or ``{"row": i, "error": {problem}}``. A row that cannot be read (bad JSON,
a bad cell) gets an error line; the other rows are still scored. Only a body
that cannot be read at all (not an array; a CSV header that does not match the
instrument) is refused as a whole, before the response starts. Every row is read
before the first line is sent, so nothing in the input can cut the stream short.

CSV: the header names the items (ids or aliases), optionally ``age`` and
``sex`` and an id column; a cell is a whole number, or empty, ``NA``, ``N/A``,
``NaN`` or ``.`` for a missing answer. Anything else is passed to the library,
which reports it with the item and the allowed codes. Each line is one row, ended
by LF, CRLF or CR: a scoring file has no free-text column, so a quoted cell never
spans lines, and a line whose quote does not close (or that is not valid CSV in
another way) gets an error line of its own. No row is ever merged into another.

Examples:
    >>> from trivselscore import get_instrument
    >>> rows = csv_rows(b"1;2;3;4;5\r3;3;3;3;3\r", get_instrument("who5"))
    >>> [row.answers for _, row in rows]
    [{'1': 3, '2': 3, '3': 3, '4': 3, '5': 3}]
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial

from pydantic import ValidationError

from trivselscore.definitions import Instrument, Respondent
from trivselscore.engine import Score
from trivselscore.service import redact
from trivselscore.service.bodies import BodyError, invalid_body, loads, read_json
from trivselscore.service.models import BatchRow
from trivselscore.service.problems import Problem, ProblemError, from_exception, from_validation, problem_type

__all__ = ["CHUNK_ROWS", "Row", "csv_rows", "json_rows", "ndjson_lines", "ndjson_rows"]

CHUNK_ROWS = 64
"""Output lines sent together (the rows are still scored one by one)."""

Row = tuple[str | None, BatchRow | Problem]
"""One input row: its id (CSV id column) and the row, or the problem reading it."""

_MISSING = frozenset({"", "na", "n/a", "nan", "."})
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)
_DELIMITERS = (",", ";", "\t", "|")
_RESPONDENT_COLUMNS = ("age", "sex")
_LINE_END = re.compile(r"\r\n|\r|\n")


def json_rows(body: bytes) -> list[Row]:
    """Rows of a JSON array of ``{"answers": ..., "respondent": ...}`` objects.

    Raises:
        ProblemError: The body is not JSON, or not an array.
    """
    data = read_json(body)
    if not isinstance(data, list):
        msg = f"a JSON batch must be an array of rows, not {type(data).__name__}"
        raise ProblemError(_bad_body(msg))
    return [(None, _read(partial(BatchRow.model_validate, row))) for row in data]


def ndjson_rows(body: bytes) -> list[Row]:
    """Rows of newline-delimited JSON, one object per line (blank lines skipped)."""
    return [(None, _ndjson_row(line)) for line in body.splitlines() if line.strip()]


def _ndjson_row(line: bytes) -> BatchRow | Problem:
    try:
        data = loads(line)
    except BodyError as error:
        return invalid_body(f"the line is not valid JSON: {error}")
    return _read(partial(BatchRow.model_validate, data))


def csv_rows(
    body: bytes, definition: Instrument, *, delimiter: str | None = None, id_column: str | None = None
) -> list[Row]:
    """Rows of a CSV file whose header names the instrument's items, one row per non-blank line.

    Args:
        body: The file, UTF-8 (a byte-order mark is allowed).
        definition: The instrument.
        delimiter: One character; default: guessed from the header (``,`` ``;`` tab ``|``).
        id_column: A column copied to each output line as ``id``.

    Raises:
        ProblemError: Not UTF-8; a header that is not CSV; an unknown,
            duplicated or missing column.
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProblemError(_bad_body("the CSV file is not UTF-8")) from None
    lines = _LINE_END.split(text)
    separator = delimiter or max(_DELIMITERS, key=lines[0].count)
    try:
        header = [name.strip() for name in _record(lines[0], separator)]
    except csv.Error as error:
        raise ProblemError(_bad_body(f"the header line is not valid CSV ({error})")) from None
    columns = _columns(header, definition, id_column)
    id_index = header.index(id_column) if id_column is not None else None
    return list(_csv_records(lines[1:], separator, len(header), columns, id_index))


def _record(line: str, separator: str) -> list[str]:
    """One line as CSV cells (quotes must close on the line)."""
    return next(csv.reader([line], delimiter=separator, strict=True), [])


def _csv_records(
    lines: Iterable[str], separator: str, width: int, columns: dict[str, int], id_index: int | None
) -> Iterator[Row]:
    items = [(name, index) for name, index in columns.items() if name not in _RESPONDENT_COLUMNS]
    for line in lines:
        if not line.strip():
            continue
        try:
            record = _record(line, separator)
        except csv.Error as error:
            reason = "a quote is not closed on its line" if "end of data" in str(error) else str(error)
            yield None, _bad_body(f"the line is not valid CSV: {reason} (each row is one line)")
            continue
        if not any(cell.strip() for cell in record):
            continue
        row_id = record[id_index] if id_index is not None and id_index < len(record) else None
        if len(record) != width:
            yield row_id, _bad_body(f"the row has {len(record)} cells, the header {width}")
            continue
        answers = {item: _cell(record[index]) for item, index in items}
        person = {name: _cell(record[columns[name]]) for name in _RESPONDENT_COLUMNS if name in columns}
        yield row_id, _read(partial(_csv_row, answers, person))


def _csv_row(answers: dict[str, object], person: dict[str, object]) -> BatchRow:
    given = any(value is not None for value in person.values())
    return BatchRow(answers=answers, respondent=Respondent.model_validate(person) if given else None)


def _columns(header: list[str], definition: Instrument, id_column: str | None) -> dict[str, int]:
    """Item id (or ``age``/``sex``) -> column index; every item must have exactly one column."""
    names = {name: item.id for item in definition.items for name in (item.id, *item.aliases)}
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        if name == id_column:
            continue
        key = names.get(name, name if name in _RESPONDENT_COLUMNS else None)
        if key is None:
            allowed = [*definition.item_ids, *_RESPONDENT_COLUMNS]
            detail = f"column {name!r} is not an item of {definition.id}, age, sex or the id column"
            raise ProblemError(_bad_column(detail, definition, name, allowed))
        if key in found:
            detail = f"columns {header[found[key]]!r} and {name!r} are both {key!r}"
            raise ProblemError(_bad_column(detail, definition, name, None))
        found[key] = index
    if id_column is not None and id_column not in header:
        raise ProblemError(_bad_column(f"no id column {id_column!r}", definition, id_column, header))
    missing = [item for item in definition.item_ids if item not in found]
    if missing:
        detail = f"no column for item(s) {missing} (an item not collected still needs a column, left empty)"
        raise ProblemError(_bad_column(detail, definition, None, None))
    return found


def _cell(text: str) -> object:
    """A CSV cell: a whole number, None for a missing token, else the text (for the library to refuse)."""
    stripped = text.strip()
    if stripped.lower() in _MISSING:
        return None
    if _NUMBER.fullmatch(stripped):
        number = float(stripped)
        return int(number) if number.is_integer() else number
    return stripped


def _read(build: Callable[[], BatchRow]) -> BatchRow | Problem:
    try:
        return build()
    except ValidationError as error:
        return from_validation(error.errors())


def ndjson_lines(
    rows: Iterable[Row], score_row: Callable[[BatchRow], Score], *, on_error: Callable[[Exception], Problem]
) -> Iterator[bytes]:
    """Score each row and write its NDJSON line, ``CHUNK_ROWS`` lines at a time.

    Args:
        rows: The input rows.
        score_row: Scores one row; a ``ValueError`` (the library's errors) becomes
            the row's error.
        on_error: Turns any other exception into the row's problem (a 500 with no detail).

    Yields:
        Chunks of NDJSON lines.
    """
    chunk: list[bytes] = []
    for index, (row_id, row) in enumerate(rows):
        head = f'{{"row": {index}' + ("" if row_id is None else f', "id": {json.dumps(row_id)}')
        problem = row if isinstance(row, Problem) else None
        if isinstance(row, BatchRow):
            try:
                scored = score_row(row).model_dump_json()
            except ValueError as error:
                problem = from_exception(error)
            except Exception as error:  # noqa: BLE001 - one bad row must not end the stream
                problem = on_error(error)
            else:
                chunk.append(f'{head}, "score": {scored}}}\n'.encode())
        if problem is not None:
            error_body = problem.model_copy(update={"row": index}).body().decode()
            chunk.append(f'{head}, "error": {error_body}}}\n'.encode())
        if len(chunk) >= CHUNK_ROWS:
            yield b"".join(chunk)
            chunk.clear()
    if chunk:
        yield b"".join(chunk)


def _bad_body(detail: str, *, kind: str = "invalid-request") -> Problem:
    return Problem(type=problem_type(kind), title="Invalid batch", status=422, detail=detail)


def _bad_column(detail: str, definition: Instrument, name: str | None, allowed: list[str] | None) -> Problem:
    """A header problem; a column name that is not a plain name is withheld (it may be data)."""
    shown = redact.token(name)
    return Problem(
        type=problem_type("invalid-request"),
        title="Invalid CSV header",
        status=422,
        detail=redact.scrub(detail, *([name] if shown is None else [])),
        instrument=definition.id,
        parameter="columns",
        value=shown,
        allowed=None if allowed is None else [redact.token(column) or redact.WITHHELD for column in allowed],
    )
