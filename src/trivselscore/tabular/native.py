"""Read any DataFrame's columns: pandas, polars or pyarrow through narwhals, or records.

One reader for every wing that takes a table (``score_frame``, ``Cohort.from_long``,
``Study.from_long``). A DataFrame is wrapped with ``narwhals.from_native`` and read
column by column as narwhals Series, so a polars DataFrame or a pyarrow Table is
never copied through pandas. narwhals is the optional extra ``frames``
(``pip install "trivselscore[frames]"``) and is imported only when a DataFrame
arrives. A pandas DataFrame is still read without it (through pandas itself), so
pandas input keeps working with pandas alone. Records (an iterable of mappings,
one per row) need no extra package.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Mapping
from numbers import Real
from typing import Any

from trivselscore.errors import CohortDataError
from trivselscore.support import require

__all__ = ["ACCEPTED", "eager", "is_frame", "is_pandas", "is_temporal", "kind", "one_kind", "read_columns"]

ACCEPTED = "a pandas DataFrame, a polars DataFrame or a pyarrow Table"
"""What the readers accept as a DataFrame, for error messages."""

_FRAME_MODULES = ("pandas", "polars", "pyarrow", "modin", "cudf", "narwhals")


def is_frame(data: object) -> bool:
    """Whether ``data`` looks like a DataFrame of a library narwhals reads (imports nothing).

    Examples:
        >>> is_frame([{"person": 1}]), is_frame({"person": [1]})
        (False, False)
    """
    module = type(data).__module__.split(".")[0]
    return module in _FRAME_MODULES or hasattr(data, "__narwhals_dataframe__")


def is_pandas(data: object) -> bool:
    """Whether ``data`` is a pandas DataFrame (or a subclass); never imports pandas.

    If pandas has not been imported, nothing can be a pandas DataFrame.
    """
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(data, pandas.DataFrame)


def eager(data: object) -> Any:  # noqa: ANN401 - a narwhals DataFrame; narwhals is optional
    """The narwhals DataFrame over a native eager one.

    Raises:
        ImportError: narwhals is not installed (the message names the extra ``frames``).
        TypeError: Not an eager DataFrame (a lazy frame, a Series, or no frame at all).
        ValueError: The table has duplicate column names.
    """
    nw = require("narwhals", "frames")
    try:
        return nw.from_native(data, eager_only=True)
    except TypeError as error:
        msg = (
            f"cannot read a {type(data).__name__} as a table (a lazy frame? collect() it first); "
            f"accepted: {ACCEPTED}: {error}"
        )
        raise TypeError(msg) from None
    except nw.exceptions.DuplicateError as error:
        msg = f"a table's column names must be unique: {error}"
        raise ValueError(msg) from None


def kind(value: object) -> str:
    """What sort of label a value is: ``text``, ``number``, ``bool``, ``date`` or its type's name.

    Two values of one kind compare as a person would compare them (``1`` and
    ``1.0`` are one number); across kinds, Python's equality is no guide (``1 ==
    True``, ``1 != "1"``), so a label column must hold one kind only.

    Examples:
        >>> [kind(v) for v in ("1", 1, 1.0, True, None)]
        ['text', 'number', 'number', 'bool', 'NoneType']
    """
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "bool"
    if isinstance(value, Real):
        return "number"
    if isinstance(value, dt.date | dt.time) or type(value).__name__ in {"Timestamp", "datetime64"}:
        return "date"
    return type(value).__name__


def one_kind(values: Iterable[object], column: str, *, what: str = "values") -> None:
    """Refuse a label column (person ids, groups) holding values of two kinds (``1`` and ``"1"``).

    Blank values (None) are skipped. The message names the column and one value of
    each of the first two kinds found.

    Raises:
        CohortDataError: Two kinds in one column (problem ``bad_value``).

    Examples:
        >>> one_kind(["a", None, "b"], "person")
        >>> try:
        ...     one_kind([1, "1"], "person", what="person ids")
        ... except CohortDataError as error:
        ...     print(str(error).split(";")[0])
        column 'person' mixes person ids of two types: 1 (number) and '1' (text)
    """
    first: tuple[str, object] | None = None
    for value in values:
        if value is None:
            continue
        sort = kind(value)
        if first is None:
            first = (sort, value)
        elif sort != first[0]:
            thing = "id" if what == "person ids" else "value"
            msg = (
                f"column {column!r} mixes {what} of two types: {first[1]!r} ({first[0]}) and {value!r} "
                f"({sort}); one {thing} written two ways would count as two (or two as one): "
                "make the column one type (e.g. all text)"
            )
            raise CohortDataError(msg, problem="bad_value")


def is_temporal(column: object) -> bool:
    """Whether a column (a narwhals Series, or a list) holds dates or times rather than numbers.

    A Series is judged by its dtype (an all-empty datetime column is still a date
    column); a list by its values (a date, a time, or pandas' ``NaT``).

    Examples:
        >>> import datetime
        >>> is_temporal([None, datetime.date(2024, 1, 2)]), is_temporal([1, None])
        (True, False)
    """
    if not isinstance(column, list):
        dtype = getattr(column, "dtype", None)
        return dtype is not None and bool(dtype.is_temporal())
    return any(
        isinstance(v, dt.date | dt.time | dt.timedelta) or type(v).__name__ in {"NaTType", "datetime64"}
        for v in column
    )


def read_columns(data: object) -> tuple[dict[str, Any], int]:
    """Named columns of a DataFrame or of records, and the number of rows.

    A DataFrame's columns are narwhals Series (lists for a pandas DataFrame when
    narwhals is not installed); records give lists, with None where a row lacks a
    column. Column names become strings; the row order is kept.

    Examples:
        >>> read_columns([{"person": "a", "time": 1}, {"person": "b"}])
        ({'person': ['a', 'b'], 'time': [1, None]}, 2)

    Raises:
        CohortDataError: Neither a DataFrame nor an iterable of mappings, a row
            that is not a mapping, a lazy frame, or duplicate column names.
        ImportError: A polars or pyarrow table (or another non-pandas frame),
            but narwhals is not installed.
    """
    if is_frame(data):
        return _frame_columns(data)
    if isinstance(data, Mapping | str | bytes) or not isinstance(data, Iterable):
        msg = "data must be a DataFrame (pandas, polars, pyarrow) or an iterable of mappings, one per row"
        raise CohortDataError(msg, problem="bad_value")
    records: list[Mapping[Any, object]] = []
    for i, row in enumerate(data):
        if not isinstance(row, Mapping):
            msg = f"row {i} is a {type(row).__name__}, not a mapping of column -> value"
            raise CohortDataError(msg, problem="bad_value", rows=[i])
        records.append(row)
    names = list(dict.fromkeys(str(k) for row in records for k in row))
    lists: dict[str, list[object]] = {name: [] for name in names}
    for i, row in enumerate(records):
        by_name = {str(k): v for k, v in row.items()}
        if len(by_name) != len(row):
            _same_name(list(row), f"row {i}")
        for name in names:
            lists[name].append(by_name.get(name))
    return dict(lists), len(records)


def _frame_columns(data: object) -> tuple[dict[str, Any], int]:
    if is_pandas(data):
        try:
            require("narwhals", "frames")
        except ImportError:
            return _pandas_columns(data)
    try:
        frame = eager(data)
    except (TypeError, ValueError) as error:
        raise CohortDataError(str(error), problem="bad_value") from None
    _same_name(list(frame.columns), "the table")
    return {str(name): frame.get_column(name) for name in frame.columns}, len(frame)


def _same_name(names: list[Any], where: str) -> None:
    """Refuse column names that are one name as text (``1`` and ``"1"``): one would hide the other."""
    seen: dict[str, object] = {}
    for name in names:
        if str(name) in seen:
            other = seen[str(name)]
            msg = f"{where} has two columns named {str(name)!r} ({other!r} and {name!r}); rename one"
            raise CohortDataError(msg, problem="bad_value")
        seen[str(name)] = name


def _pandas_columns(data: Any) -> tuple[dict[str, Any], int]:  # noqa: ANN401 - a pandas DataFrame
    """A pandas DataFrame's columns as lists, read by pandas itself (narwhals is not installed)."""
    if not data.columns.is_unique:
        twice = sorted({str(name) for name in data.columns[data.columns.duplicated()]})
        msg = f"a table's column names must be unique; more than once: {twice}"
        raise CohortDataError(msg, problem="bad_value")
    _same_name(list(data.columns), "the table")
    return {str(name): data[name].tolist() for name in data.columns}, len(data)
