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

import sys
from collections.abc import Iterable, Mapping
from typing import Any

from trivselscore.errors import CohortDataError
from trivselscore.support import require

__all__ = ["ACCEPTED", "eager", "is_frame", "is_pandas", "read_columns"]

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
    for row in records:
        by_name = {str(k): v for k, v in row.items()}
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
    return {str(name): frame.get_column(name) for name in frame.columns}, len(frame)


def _pandas_columns(data: Any) -> tuple[dict[str, Any], int]:  # noqa: ANN401 - a pandas DataFrame
    """A pandas DataFrame's columns as lists, read by pandas itself (narwhals is not installed)."""
    if not data.columns.is_unique:
        twice = sorted({str(name) for name in data.columns[data.columns.duplicated()]})
        msg = f"a table's column names must be unique; more than once: {twice}"
        raise CohortDataError(msg, problem="bad_value")
    return {str(name): data[name].tolist() for name in data.columns}, len(data)
