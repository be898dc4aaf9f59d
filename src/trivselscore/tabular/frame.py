"""Score a DataFrame (pandas, polars or pyarrow): find the item columns, never coerce.

The result is the caller's own kind of frame. A pandas DataFrame is read by
pandas itself and the result keeps its index; pandas is the optional extra
``pandas`` (``pip install "trivselscore[pandas]"``) and narwhals is not needed.
A polars DataFrame or a pyarrow Table is read column by column through narwhals
(the extra ``frames``, ``pip install "trivselscore[frames]"``), never copied
through pandas, and the result is built with narwhals in the same library.
Nothing optional is imported until :func:`score_frame` is called.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from trivselscore.definitions.instrument import Instrument
from trivselscore.definitions.model import Respondent
from trivselscore.engine.scoring import score_batch
from trivselscore.errors import AgeRangeError, ColumnError, IncompleteResponseError, ResponseError
from trivselscore.instruments.registry import get_instrument
from trivselscore.support import require
from trivselscore.tabular.columns import RESPONDENT_FIELDS, RowNames, find_columns, respondents
from trivselscore.tabular.native import ACCEPTED, eager, is_frame, is_pandas

if TYPE_CHECKING:
    from narwhals.typing import IntoDataFrameT
    from numpy.typing import NDArray

    from trivselscore.engine.results import BatchScores
    from trivselscore.engine.scoring import MissingPolicy

__all__ = ["AGE_REASON_COLUMN", "BAND_SUFFIX", "OUTSIDE_AGE_COLUMN", "band_column", "score_frame"]

BAND_SUFFIX = "_band"
"""Suffix of a band column: the band of scale ``total`` is in column ``total_band``."""

OUTSIDE_AGE_COLUMN = "outside_age_range"
"""Boolean column, given when ages are: the age is outside the instrument's range."""

AGE_REASON_COLUMN = "age_reason"
"""Text column, given when ages are: why the row has no bands (missing where the age fits)."""

INSTALL_HINT = 'score_frame needs pandas: pip install "trivselscore[pandas]"'


def band_column(scale_id: str) -> str:
    """The output column holding a scale's band.

    Examples:
        >>> band_column("percentage")
        'percentage_band'
    """
    return f"{scale_id}{BAND_SUFFIX}"


def score_frame(  # noqa: PLR0913 - keyword-only options, each with a default
    instrument_or_id: Instrument | str,
    frame: IntoDataFrameT,
    *,
    columns: Mapping[str, str | None] | None = None,
    missing: MissingPolicy = None,
    respondent: Respondent | Mapping[str, str] | None = None,
    scheme: str | None = None,
    age_policy: str = "flag",
) -> IntoDataFrameT:
    """Score every row of a wide DataFrame (one respondent per row).

    ``frame`` may be a pandas DataFrame, a polars DataFrame or a pyarrow Table;
    the result is of the same kind (and a narwhals DataFrame gives one over the
    same library). polars and pyarrow tables are read through narwhals (extra
    ``frames``), never through pandas.

    Item columns are found by item id, by alias, or by alias with the informant
    prefix (``pconsid`` for the SDQ parent form, ``who5_1`` for WHO-5), compared
    case-insensitively; see :mod:`trivselscore.tabular.columns` for the rules. Cells may
    be integer or float (NaN = unanswered), pandas nullable (``Int64`` with
    ``pd.NA``) or null in polars and pyarrow (unanswered). Strings, booleans,
    decimals and fractions are never coerced: they raise, naming the row, the
    column and the value. A pandas row is named by its index label
    (``index 'p2'``); a polars or pyarrow row, which has no index, by its
    position counted from 0 (``row 2 (0-based)``).

    Args:
        instrument_or_id: An ``Instrument`` or a registered id such as ``"sdq-p4-17"``.
        frame: One row per respondent; other columns are ignored.
        columns: Item id or alias -> column name, or None for an item that was
            not collected. Always wins over discovery.
        missing: The missing-data policy, as in :func:`trivselscore.score`.
        respondent: One ``Respondent`` for every row, or the columns that hold
            each row's context: ``{"age": "alder", "sex": "koen"}`` (ages in
            years; sex values as ``Respondent`` takes them: female/male,
            pige/dreng, kvinde/mand, K/M, f/m; missing allowed).
        scheme: The cutoff scheme of the band columns; default: the instrument's.
        age_policy: ``"flag"`` or ``"raise"``, as in :func:`trivselscore.score`:
            a row whose age is outside the instrument's ``age_range`` is scored
            but gets no bands (flagged), or raises ``AgeRangeError``.

    Returns:
        A frame of ``frame``'s kind, one row per input row in order (a pandas
        result has ``frame``'s index), with, in scale order, one float column
        per scale named by the scale id (NaN in pandas, null in polars and
        pyarrow, where not scored), then one column per banded scale named
        ``<scale>_band`` (the band id under ``scheme``; missing where no band
        applies): categorical in pandas and an ``Enum`` in polars, both with the
        scheme's bands as categories in order, dictionary-encoded text in
        pyarrow. An instrument without a default scheme and no ``scheme`` gets
        no band columns. When ages are given (an age column, or a
        ``Respondent`` with an age), two more columns follow:
        ``outside_age_range`` (bool: the age, in completed years, is outside the
        instrument's ``age_range``; such a row's band columns are empty) and
        ``age_reason`` (the reason, missing where the age fits or is unknown).

    Raises:
        TypeError: ``frame`` is not a pandas, polars or pyarrow table (a lazy
            frame must be collected first).
        ImportError: A polars or pyarrow table, but narwhals is not installed.
        ColumnError: An item column is missing or ambiguous, ``columns`` names
            a column that does not exist, or a pyarrow Table repeats a column name.
        ResponseError: A cell is not an allowed code (the message names the
            row, the column and the value), or a respondent value is bad.
        IncompleteResponseError: An answer is missing and ``missing="raise"``.
        AgeRangeError: A row's age is outside the instrument's range and
            ``age_policy="raise"``.

    Examples:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({"who5_1": [3, 5], "who5_2": [3, 5], "who5_3": [2, 5],
        ...                       "who5_4": [2, 5], "who5_5": [2, None]}, index=["a", "b"])
        >>> score_frame("who5", frame)
            raw  percentage percentage_band
        a  12.0        48.0            risk
        b   NaN         NaN             NaN
        >>> young = pd.DataFrame({f"who5_{n}": [3, 3] for n in range(1, 6)} | {"alder": [15, 8.5]})
        >>> scored = score_frame("who5", young, respondent={"age": "alder"})
        >>> scored[["percentage", "percentage_band", "outside_age_range"]]
           percentage percentage_band  outside_age_range
        0        60.0         no_risk              False
        1        60.0             NaN               True
        >>> scored["age_reason"].tolist()[1]
        'age 8 is outside 9-130, the range of who5'

        A polars DataFrame gives a polars DataFrame (and a pyarrow Table a Table):

        >>> import polars as pl
        >>> scored = score_frame("who5", pl.from_pandas(frame))
        >>> type(scored).__name__, scored["percentage"].to_list(), scored["percentage_band"].to_list()
        ('DataFrame', [48.0, None], ['risk', None])
    """
    definition = (
        instrument_or_id if isinstance(instrument_or_id, Instrument) else get_instrument(instrument_or_id)
    )
    options: dict[str, Any] = {"missing": missing, "scheme": scheme, "age_policy": age_policy}
    aged = respondent is not None and (
        respondent.age is not None if isinstance(respondent, Respondent) else "age" in respondent
    )
    if is_pandas(frame):
        pandas = _pandas()
        found: _PandasColumns | _NativeColumns = _PandasColumns(definition, frame)
        batch = _score(definition, found, columns, respondent, options)
        return cast("IntoDataFrameT", _pandas_output(pandas, batch, frame.index, aged=aged))  # type: ignore[attr-defined]
    if not is_frame(frame):
        msg = f"frame must be {ACCEPTED}, not {type(frame).__name__}"
        raise TypeError(msg)
    try:
        table = eager(frame)
    except ValueError as error:
        raise ColumnError(str(error), instrument_id=definition.id) from None
    found = _NativeColumns(definition, table)
    batch = _score(definition, found, columns, respondent, options)
    result = _native_output(batch, table.implementation, aged=aged)
    if table is frame:  # a narwhals DataFrame was given: a narwhals DataFrame back
        result = require("narwhals", "frames").from_native(result, eager_only=True)
    return cast("IntoDataFrameT", result)


def _pandas() -> Any:  # noqa: ANN401 - the module, typed loosely to keep pandas optional
    try:
        import pandas as pd  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    return pd


class _PandasColumns:
    """A pandas DataFrame's columns by position; rows named by index label."""

    def __init__(self, instrument: Instrument, frame: Any) -> None:  # noqa: ANN401 - a pandas DataFrame
        self.instrument = instrument
        self.frame = frame
        self.header = [str(name) for name in frame.columns]
        self.rows = RowNames(len(frame), frame.index.tolist())

    def numbers(self, position: int) -> NDArray[np.float64]:
        """A column as float64 (NaN = missing), without coercing strings or booleans."""
        column = self.frame.iloc[:, position]
        if getattr(column.dtype, "kind", "O") in "iuf":
            return np.asarray(column.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
        return _cells(self.instrument, column.to_numpy(dtype=object), self.header[position], self.rows)

    def values(self, position: int) -> list[object]:
        """A column as Python values."""
        return cast("list[object]", self.frame.iloc[:, position].to_numpy(dtype=object).tolist())


class _NativeColumns:
    """A narwhals DataFrame's columns (polars, pyarrow) by position; rows named by position."""

    def __init__(self, instrument: Instrument, table: Any) -> None:  # noqa: ANN401 - a narwhals DataFrame
        self.instrument = instrument
        self.series = list(table.iter_columns())
        self.header = [str(series.name) for series in self.series]
        self.rows = RowNames(len(table))

    def numbers(self, position: int) -> NDArray[np.float64]:
        """An integer or float column as float64 (null and NaN = missing); others cell by cell."""
        series = self.series[position]
        if series.dtype.is_integer() or series.dtype.is_float():
            nw = require("narwhals", "frames")
            return np.asarray(series.cast(nw.Float64).to_numpy(), dtype=np.float64)
        return _cells(self.instrument, series.to_list(), self.header[position], self.rows)

    def values(self, position: int) -> list[object]:
        """A column as Python values (None for null)."""
        return cast("list[object]", self.series[position].to_list())


def _score(
    definition: Instrument,
    found: _PandasColumns | _NativeColumns,
    columns: Mapping[str, str | None] | None,
    respondent: Respondent | Mapping[str, str] | None,
    options: dict[str, Any],
) -> BatchScores:
    """Read the item and respondent columns and score them, re-wording errors with row and column."""
    positions = find_columns(definition, found.header, columns)
    data = np.full((found.rows.count, len(definition.items)), np.nan)
    for j, position in enumerate(positions.values()):
        if position is not None:
            data[:, j] = found.numbers(position)
    who = _respondents(definition, found, respondent)
    try:
        return score_batch(definition, data, respondent=who, **options)
    except AgeRangeError as error:
        raise _age_with_label(error, respondent, found.rows) from None
    except ResponseError as error:
        raise _with_labels(error, positions, found.header, found.rows) from None


def _cells(instrument: Instrument, values: Any, name: str, rows: RowNames) -> NDArray[np.float64]:  # noqa: ANN401 - a list or an object array
    out = np.empty(len(values), dtype=np.float64)
    for row, value in enumerate(values):
        out[row] = _cell(instrument, value, name, rows, row)
    return out


def _cell(instrument: Instrument, value: object, name: str, rows: RowNames, row: int) -> float:
    if value is None or type(value).__name__ in {"NAType", "NaTType"}:
        return math.nan
    if isinstance(value, (bool, np.bool_)):
        kind = "a boolean"
    elif isinstance(value, Real):
        try:
            return float(value)
        except OverflowError:  # e.g. the int 10**400: no float holds it, and it is no code
            shown = repr(value)
            shown = shown if len(shown) <= 40 else f"{shown[:20]}...{shown[-10:]}"  # noqa: PLR2004
            msg = f"{rows(row)}, column {name!r}: {shown} is too large to be a number"
            raise ResponseError(msg, instrument_id=instrument.id, value=value, row=row) from None
    else:
        kind = "a string" if isinstance(value, str) else f"a {type(value).__name__}"
    how = "e.g. with pd.to_numeric" if rows.labels is not None else "e.g. cast it to an integer type"
    msg = (
        f"{rows(row)}, column {name!r}: {value!r} is {kind}, not a number "
        f"(no coercion; convert the column first, {how})"
    )
    raise ResponseError(msg, instrument_id=instrument.id, value=value, row=row)


def _respondents(
    instrument: Instrument,
    found: _PandasColumns | _NativeColumns,
    respondent: Respondent | Mapping[str, str] | None,
) -> Respondent | tuple[Respondent | None, ...] | None:
    if respondent is None or isinstance(respondent, Respondent):
        return respondent
    unknown = sorted(set(respondent) - set(RESPONDENT_FIELDS))
    if unknown:
        msg = f"respondent: unknown field(s) {unknown}; use {list(RESPONDENT_FIELDS)}"
        raise ColumnError(msg, instrument_id=instrument.id)
    picked: dict[str, int] = {}
    for field, name in respondent.items():
        positions = [p for p, column in enumerate(found.header) if column == name]
        if len(positions) != 1:
            problem = "does not exist" if not positions else f"appears {len(positions)} times"
            msg = f"respondent: {field} column {name!r} {problem}"
            raise ColumnError(msg, instrument_id=instrument.id, value=name)
        picked[field] = positions[0]
    ages = found.numbers(picked["age"]) if "age" in picked else None
    sexes = found.values(picked["sex"]) if "sex" in picked else None
    return respondents(instrument, ages, sexes, labels=found.rows, columns=respondent)


def _age_with_label(
    error: AgeRangeError, respondent: Respondent | Mapping[str, str] | None, rows: RowNames
) -> AgeRangeError:
    """The engine's age error, re-worded with the frame's row and age column."""
    where = "" if error.row is None else rows(error.row)  # a batch always has a row
    column = f", column {respondent['age']!r}" if isinstance(respondent, Mapping) else ""
    text = str(error.args[0]).split(": ", 1)[-1].rsplit(" (row ", 1)[0]
    return AgeRangeError(
        f"{where}{column}: {text}",
        instrument_id=error.instrument_id,
        age=error.age,
        age_range=error.age_range,
        row=error.row,
    )


def _with_labels(
    error: ResponseError, positions: Mapping[str, int | None], header: list[str], rows: RowNames
) -> ResponseError:
    """The engine's error, re-worded with the frame's row and column name."""
    if error.row is None or error.item_id is None or error.item_id not in positions:
        return error
    position = positions[error.item_id]
    column = header[position] if position is not None else "(not collected)"
    text = str(error.args[0]).split(": ", 1)[-1].rsplit(" (row ", 1)[0]
    msg = f"{rows(error.row)}, column {column!r}: {text}"
    kind = IncompleteResponseError if isinstance(error, IncompleteResponseError) else ResponseError
    return kind(
        msg,
        instrument_id=error.instrument_id,
        item_id=error.item_id,
        value=error.value,
        allowed=error.allowed,
        row=error.row,
    )


def _band_categories(batch: BatchScores) -> dict[str, list[str]]:
    """Banded scale id -> its band ids in the scheme's order (its band column's categories)."""
    if batch.scheme is None:
        return {}
    scheme = batch.instrument.scheme(batch.scheme)
    return {
        scale_id: list(dict.fromkeys(b.id for t in scheme.cutoffs if t.scale == scale_id for b in t.bands))
        for scale_id in batch.instrument.scale_ids
        if scale_id in scheme.scale_ids
    }


def _pandas_output(pandas: Any, batch: BatchScores, index: Any, *, aged: bool) -> Any:  # noqa: ANN401 - pandas objects
    data: dict[str, Any] = {scale_id: np.asarray(batch[scale_id]) for scale_id in batch.instrument.scale_ids}
    for scale_id, categories in _band_categories(batch).items():
        data[band_column(scale_id)] = pandas.Categorical(batch.bands(scale_id), categories=categories)
    if aged:
        data[OUTSIDE_AGE_COLUMN] = np.array(batch.outside_age_range)
        data[AGE_REASON_COLUMN] = np.array(batch.age_reasons())
    return pandas.DataFrame(data, index=index, copy=False)


def _native_output(batch: BatchScores, backend: Any, *, aged: bool) -> Any:  # noqa: ANN401 - narwhals' Implementation; a native frame
    """The result as a native frame of ``backend`` (polars, pyarrow), built with narwhals."""
    nw = require("narwhals", "frames")
    columns: dict[str, tuple[Any, Any]] = {  # name -> (values, dtype)
        scale_id: (np.asarray(batch[scale_id]), nw.Float64) for scale_id in batch.instrument.scale_ids
    }
    polars = backend is nw.Implementation.POLARS
    for scale_id, categories in _band_categories(batch).items():
        columns[band_column(scale_id)] = (
            batch.bands(scale_id).tolist(),
            nw.Enum(categories) if polars else nw.Categorical,
        )
    if aged:
        columns[OUTSIDE_AGE_COLUMN] = (np.array(batch.outside_age_range), nw.Boolean)
        columns[AGE_REASON_COLUMN] = (batch.age_reasons().tolist(), nw.String)
    data = {
        name: nw.new_series(name, values, dtype, backend=backend) for name, (values, dtype) in columns.items()
    }
    data.update({scale_id: data[scale_id].fill_nan(None) for scale_id in batch.instrument.scale_ids})
    schema = {name: dtype for name, (_, dtype) in columns.items()}  # from_dict keeps an Enum only if told
    return nw.from_dict(data, schema, backend=backend).to_native()
