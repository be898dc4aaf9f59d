"""Score a pandas DataFrame: find the item columns, keep the index, never coerce.

pandas is an optional extra (``pip install "trivselscore[pandas]"``) and is
imported only when :func:`score_frame` is called.
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
from trivselscore.tabular.columns import RESPONDENT_FIELDS, find_columns, respondents

if TYPE_CHECKING:
    import pandas as pd
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
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str | None] | None = None,
    missing: MissingPolicy = None,
    respondent: Respondent | Mapping[str, str] | None = None,
    scheme: str | None = None,
    age_policy: str = "flag",
) -> pd.DataFrame:
    """Score every row of a wide DataFrame (one respondent per row).

    Item columns are found by item id, by alias, or by alias with the informant
    prefix (``pconsid`` for the SDQ parent form, ``who5_1`` for WHO-5), compared
    case-insensitively; see :mod:`trivselscore.tabular.columns` for the rules. Cells may
    be integer, float (NaN = unanswered) or pandas nullable (``Int64`` with
    ``pd.NA``). Strings, booleans and fractions are never coerced: they raise,
    naming the row label, the column and the value.

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
        A DataFrame with ``frame``'s index and, in scale order, one float column
        per scale named by the scale id (NaN where not scored), then one
        categorical column per banded scale named ``<scale>_band`` (the band id
        under ``scheme``; missing where no band applies). An instrument without a
        default scheme and no ``scheme`` gets no band columns. When ages are
        given (an age column, or a ``Respondent`` with an age), two more
        columns follow: ``outside_age_range`` (bool: the age, in completed
        years, is outside the instrument's ``age_range``; such a row's band
        columns are empty) and ``age_reason`` (the reason, missing where the age
        fits or is unknown).

    Raises:
        ImportError: pandas is not installed.
        ColumnError: An item column is missing or ambiguous, or ``columns``
            names a column that does not exist.
        ResponseError: A cell is not an allowed code (the message names the
            row label, the column and the value), or a respondent value is bad.
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
    """
    pd = _pandas()
    definition = (
        instrument_or_id if isinstance(instrument_or_id, Instrument) else get_instrument(instrument_or_id)
    )
    if not isinstance(frame, pd.DataFrame):
        msg = f"frame must be a pandas DataFrame, not {type(frame).__name__}"
        raise TypeError(msg)
    header = [str(name) for name in frame.columns]
    positions = find_columns(definition, header, columns)
    labels = frame.index.tolist()
    data = np.full((len(frame), len(definition.items)), np.nan)
    for j, position in enumerate(positions.values()):
        if position is not None:
            data[:, j] = _numeric(definition, frame.iloc[:, position], header[position], labels)
    who = _respondents(definition, frame, header, respondent, labels)
    try:
        batch = score_batch(
            definition, data, missing=missing, respondent=who, scheme=scheme, age_policy=age_policy
        )
    except AgeRangeError as error:
        raise _age_with_label(error, respondent, labels) from None
    except ResponseError as error:
        raise _with_labels(error, positions, header, labels) from None
    aged = respondent is not None and (
        respondent.age is not None if isinstance(respondent, Respondent) else "age" in respondent
    )
    return _output(pd, batch, frame.index, aged=aged)


def _pandas() -> Any:  # noqa: ANN401 - the module, typed loosely to keep pandas optional
    try:
        import pandas as pd  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    return pd


def _numeric(
    instrument: Instrument, column: pd.Series[Any], name: str, labels: list[object]
) -> NDArray[np.float64]:
    """A column as float64 (NaN = missing), without coercing strings or booleans."""
    dtype = column.dtype
    kind = getattr(dtype, "kind", "O")
    if kind in "iuf":
        return np.asarray(column.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    values = column.to_numpy(dtype=object)
    out = np.empty(len(values), dtype=np.float64)
    for row, value in enumerate(values):
        out[row] = _cell(instrument, value, name, labels, row)
    return out


def _cell(instrument: Instrument, value: object, name: str, labels: list[object], row: int) -> float:
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
            msg = f"index {labels[row]!r}, column {name!r}: {shown} is too large to be a number"
            raise ResponseError(msg, instrument_id=instrument.id, value=value, row=row) from None
    else:
        kind = "a string" if isinstance(value, str) else f"a {type(value).__name__}"
    msg = (
        f"index {labels[row]!r}, column {name!r}: {value!r} is {kind}, not a number "
        "(no coercion; convert the column first, e.g. with pd.to_numeric)"
    )
    raise ResponseError(msg, instrument_id=instrument.id, value=value, row=row)


def _respondents(
    instrument: Instrument,
    frame: pd.DataFrame,
    header: list[str],
    respondent: Respondent | Mapping[str, str] | None,
    labels: list[object],
) -> Respondent | tuple[Respondent | None, ...] | None:
    if respondent is None or isinstance(respondent, Respondent):
        return respondent
    unknown = sorted(set(respondent) - set(RESPONDENT_FIELDS))
    if unknown:
        msg = f"respondent: unknown field(s) {unknown}; use {list(RESPONDENT_FIELDS)}"
        raise ColumnError(msg, instrument_id=instrument.id)
    picked: dict[str, Any] = {}
    for field, name in respondent.items():
        positions = [p for p, column in enumerate(header) if column == name]
        if len(positions) != 1:
            problem = "does not exist" if not positions else f"appears {len(positions)} times"
            msg = f"respondent: {field} column {name!r} {problem}"
            raise ColumnError(msg, instrument_id=instrument.id, value=name)
        picked[field] = frame.iloc[:, positions[0]]
    ages = _numeric(instrument, picked["age"], respondent["age"], labels) if "age" in picked else None
    sexes = picked["sex"].to_numpy(dtype=object).tolist() if "sex" in picked else None
    return respondents(instrument, ages, sexes, labels=labels, columns=respondent)


def _age_with_label(
    error: AgeRangeError, respondent: Respondent | Mapping[str, str] | None, labels: list[object]
) -> AgeRangeError:
    """The engine's age error, re-worded with the frame's row label and age column."""
    where = "" if error.row is None else f"index {labels[error.row]!r}"  # a batch always has a row
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
    error: ResponseError, positions: Mapping[str, int | None], header: list[str], labels: list[object]
) -> ResponseError:
    """The engine's error, re-worded with the frame's row label and column name."""
    if error.row is None or error.item_id is None or error.item_id not in positions:
        return error
    position = positions[error.item_id]
    column = header[position] if position is not None else "(not collected)"
    text = str(error.args[0]).split(": ", 1)[-1].rsplit(" (row ", 1)[0]
    msg = f"index {labels[error.row]!r}, column {column!r}: {text}"
    kind = IncompleteResponseError if isinstance(error, IncompleteResponseError) else ResponseError
    return kind(
        msg,
        instrument_id=error.instrument_id,
        item_id=error.item_id,
        value=error.value,
        allowed=error.allowed,
        row=error.row,
    )


def _output(pandas: Any, batch: BatchScores, index: pd.Index[Any], *, aged: bool) -> pd.DataFrame:  # noqa: ANN401
    instrument = batch.instrument
    data: dict[str, Any] = {scale_id: np.asarray(batch[scale_id]) for scale_id in instrument.scale_ids}
    if batch.scheme is not None:
        scheme = instrument.scheme(batch.scheme)
        for scale_id in instrument.scale_ids:
            if scale_id in scheme.scale_ids:
                ids = [b.id for t in scheme.cutoffs if t.scale == scale_id for b in t.bands]
                categories = list(dict.fromkeys(ids))
                data[band_column(scale_id)] = pandas.Categorical(batch.bands(scale_id), categories=categories)
    if aged:
        data[OUTSIDE_AGE_COLUMN] = np.array(batch.outside_age_range)
        data[AGE_REASON_COLUMN] = np.array(batch.age_reasons())
    return cast("pd.DataFrame", pandas.DataFrame(data, index=index, copy=False))
