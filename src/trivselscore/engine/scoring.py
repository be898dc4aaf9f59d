"""The two front doors, ``score()`` and ``score_batch()``, and their input checks."""

# os.path, not pathlib: importing pathlib costs a tenth of `import numpy` on every first call
# ruff: noqa: PTH118, PTH123, PTH208

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import numpy as np

from trivselscore.definitions.instrument import Instrument, resolve_norms
from trivselscore.definitions.model import Respondent
from trivselscore.definitions.norms import NormTable
from trivselscore.engine import ages as _ages
from trivselscore.engine import compute as _engine
from trivselscore.engine import single as _single
from trivselscore.engine.results import BatchScores, Everyone, Score
from trivselscore.errors import ResponseError
from trivselscore.instruments.registry import get_instrument

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["MissingPolicy", "score", "score_batch"]

MissingPolicy = str | None
"""``None`` (the instrument's own rule), ``"raise"``, ``"propagate"``,
``"prorate"``, or the id of one of the instrument's named missing variants."""

Responses = (
    Mapping[str, object] | Mapping[int, object] | Mapping[str | int, object] | Sequence[object] | np.ndarray
)
"""One respondent's answers: a mapping item id (or alias, or int) -> code, or a sequence."""


def _library_version() -> str:
    """The installed distribution's version, read from its ``METADATA`` as importlib.metadata would.

    ``importlib.metadata`` finds the first ``trivselscore-*.dist-info`` on
    ``sys.path`` and reads its version; importing it costs a fifth of ``import
    pydantic, numpy`` (it loads the email, zipfile and csv modules), which every
    CLI call would pay. The same folder is read here directly; anything else (an
    unreadable file, no dist-info folder) is left to importlib.metadata.
    ``tests/engine/test_results.py`` checks both give the same version.
    """
    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.startswith("trivselscore-"))
        except OSError:  # not a folder (a zip file, a missing entry)
            continue
        found = next((n for n in names if n.endswith(".dist-info")), None)
        if found is None:
            continue
        try:
            with open(os.path.join(entry or ".", found, "METADATA"), encoding="utf-8") as metadata:
                fields = dict(line.partition(": ")[::2] for line in metadata.read().splitlines()[:20])
        except OSError:
            break
        if fields.get("Version", "").strip():
            return fields["Version"].strip()
        break
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - the slow, general way

    try:
        return version("trivselscore")
    except PackageNotFoundError:  # a bare source tree
        return "0+unknown"


LIBRARY_VERSION = _library_version()


def score(  # noqa: PLR0913 - keyword-only options, each with a default
    instrument: Instrument | str,
    responses: Responses,
    *,
    missing: MissingPolicy = None,
    respondent: Respondent | None = None,
    scheme: str | None = None,
    norms: NormTable | str | None = None,
    age_policy: str = "flag",
) -> Score:
    """Score one respondent.

    Args:
        instrument: An ``Instrument`` or a registered id such as ``"who5"``.
        responses: Item id (or alias, or the item number as an int) -> answer code,
            or a sequence of answers in ``instrument.item_ids`` order. An absent
            key, ``None``, NaN or a masked cell is a missing answer. An answer is
            a number equal to an allowed code (``3.0`` is the code 3; ``3.5``, a
            bool, a string or a date/duration is an error): a mapping is held to
            the same contract as :func:`trivselscore.response_model` and
            :func:`trivselscore.json_schema`.
        missing: The missing-data policy; ``None`` applies the instrument's own rule.
        respondent: Age and sex, for cutoffs and norms that depend on them, and
            for the check of the instrument's age range (see ``age_policy``).
        scheme: The cutoff scheme for ``ScaleScore.band``; default: the instrument's.
        norms: The norm table for T-scores: a ``NormTable`` of your own, the id
            of one of the instrument's tables, or None for its first (if any).
        age_policy: What an age outside the instrument's ``age_range`` does. The
            age counts in completed years (17.9 is 17), both ends of the range
            included; an unknown age is not checked. ``"flag"``: the scales are
            scored, but bands and T-scores are None with the reason ("age 22 is
            outside 11-17, the range of sdq-s11-17") and the result carries the
            flag ``outside_age_range``. ``"raise"``: raise ``AgeRangeError``.

    Returns:
        The scores, bands, flags, and what produced them.

    Raises:
        ResponseError: An answer is not an allowed code, an item id is unknown or
            given twice, or the sequence has the wrong length.
        IncompleteResponseError: An answer is missing and ``missing="raise"``.
        AgeRangeError: The age is outside the instrument's range and
            ``age_policy="raise"``.
        UnknownInstrumentError: ``instrument`` is an unknown id.

    Examples:
        >>> score("who5", {"1": 2, "2": 2, "3": 3, "4": 2, "5": 2})["percentage"].band
        'risk'
        >>> score("who5", [3, 3, None, 2, 2], missing="prorate")["percentage"].value
        50
        >>> adult = score("sdq-s11-17", dict.fromkeys(map(str, range(1, 26)), 2),
        ...               respondent=Respondent(age=22))
        >>> adult["total"].value, adult["total"].band, adult["total"].bands[0].reason
        (30, None, 'age 22 is outside 11-17, the range of sdq-s11-17')
        >>> adult.flag_ids
        ('outside_age_range',)
    """
    definition = _resolve(instrument)
    fast = _single.evaluate(
        definition,
        responses,
        missing=missing,
        respondent=respondent,
        scheme=scheme,
        norms=norms,
        age_policy=age_policy,
        library_version=LIBRARY_VERSION,
    )
    if fast is not None:  # plain answers and options: the scalar path, equal to the numpy one
        return fast
    row = _row(definition, responses)
    batch = _score_array(
        definition,
        row[np.newaxis, :],
        missing,
        (_respondent(respondent),),
        scheme,
        single=True,
        norms=norms,
        age_policy=age_policy,
    )
    return batch.row(0)


def score_batch(  # noqa: PLR0913 - keyword-only options, each with a default
    instrument: Instrument | str,
    array: NDArray[np.generic] | Sequence[Sequence[object]],
    *,
    missing: MissingPolicy = None,
    respondent: Respondent | Sequence[Respondent | None] | None = None,
    scheme: str | None = None,
    norms: NormTable | str | None = None,
    age_policy: str = "flag",
) -> BatchScores:
    """Score many respondents at once, vectorised.

    Args:
        instrument: An ``Instrument`` or a registered id.
        array: Shape ``(n, len(instrument.item_ids))``, integer or float, NaN for
            missing; a ``numpy.ma.MaskedArray``'s masked cells are missing. Bool,
            datetime, timedelta, text and object arrays are an error.
        missing: The missing-data policy, as in :func:`score`.
        respondent: One ``Respondent`` for every row, or one per row.
        scheme: The default cutoff scheme of the result.
        norms: The norm table for T-scores, as in :func:`score`.
        age_policy: ``"flag"`` or ``"raise"``, as in :func:`score`, row by row:
            ``BatchScores.outside_age_range`` and ``flags["outside_age_range"]``
            mark the rows outside the instrument's age range.

    Returns:
        One array per scale; ``BatchScores.row(i)`` equals ``score()`` on row ``i``.

    Raises:
        ResponseError: Wrong shape or type, or an answer that is not an allowed
            code (the error names the row).
        IncompleteResponseError: An answer is missing and ``missing="raise"``.
        AgeRangeError: A row's age is outside the instrument's range and
            ``age_policy="raise"`` (the error names the first such row).
        UnknownInstrumentError: ``instrument`` is an unknown id.
    """
    definition = _resolve(instrument)
    data = _answers(definition, array)
    n = data.shape[0]
    if respondent is None or isinstance(respondent, Respondent):
        respondents: tuple[Respondent | None, ...] | Everyone = Everyone(respondent, n)
    else:
        checked: object = respondent
        if not isinstance(checked, Sequence) or isinstance(checked, (str, bytes)):
            msg = f"respondent must be a Respondent, None or a sequence of them, not {checked!r}"
            raise TypeError(msg)
        respondents = tuple(_respondent(r) for r in checked)
        if len(respondents) != n:
            msg = f"{len(respondents)} respondents given for {n} rows"
            raise ResponseError(msg, instrument_id=definition.id)
    return _score_array(
        definition, data, missing, respondents, scheme, single=False, norms=norms, age_policy=age_policy
    )


def _respondent(person: object) -> Respondent | None:
    if person is None or isinstance(person, Respondent):
        return person
    msg = f"respondent must be a Respondent or None, not {person!r}"
    raise TypeError(msg)


def _resolve(instrument: Instrument | str) -> Instrument:
    if isinstance(instrument, Instrument):
        return instrument
    return get_instrument(instrument)


def _score_array(  # noqa: PLR0913 - shared tail of both front doors
    definition: Instrument,
    data: NDArray[Any],
    missing: MissingPolicy,
    respondents: tuple[Respondent | None, ...] | Everyone,
    scheme: str | None,
    *,
    single: bool,
    norms: NormTable | str | None = None,
    age_policy: str = "flag",
) -> BatchScores:
    options: tuple[tuple[str, object, tuple[type, ...]], ...] = (
        ("missing", missing, (str,)),
        ("scheme", scheme, (str,)),
        ("norms", norms, (str, NormTable)),
        ("age_policy", age_policy, (str,)),
    )
    for name, option, kinds in options:  # typed at run time too: callers may not use mypy
        if option is not None and not isinstance(option, kinds):
            msg = f"{name} must be {' or '.join(k.__name__ for k in kinds)} or None, not {option!r}"
            raise TypeError(msg)
    variants = {v.id for v in definition.missing_variants}
    if missing is not None and missing not in {*_engine.POLICIES, *variants}:
        allowed = [None, *_engine.POLICIES, *sorted(variants)]
        msg = f"unknown missing policy {missing!r}; allowed: {allowed}"
        raise ValueError(msg)
    if age_policy not in _ages.AGE_POLICIES:
        msg = f"unknown age_policy {age_policy!r}; allowed: {list(_ages.AGE_POLICIES)}"
        raise ValueError(msg)
    if scheme is not None and scheme not in {s.id for s in definition.schemes}:
        known = [s.id for s in definition.schemes]
        msg = f"{definition.id} has no cutoff scheme {scheme!r}; schemes: {known}"
        raise ValueError(msg)
    arrays, raised = _engine.score_all(definition, data, policy=missing, single=single)
    batch = BatchScores(
        definition,
        arrays,
        raised,
        data,
        policy=missing if missing is not None else "default",
        scheme=scheme if scheme is not None else definition.default_scheme,
        respondents=respondents,
        library_version=LIBRARY_VERSION,
        norms=resolve_norms(definition, norms),
    )
    if age_policy == "raise":
        _ages.check(definition, batch.outside_age_range, batch.ages, single=single)
    return batch


def _matrix(definition: Instrument, array: object) -> NDArray[np.float64]:
    """The answers as a 2-D float64 array (NaN = missing), checked as :func:`_answers` checks them."""
    return np.asarray(_answers(definition, array), dtype=np.float64)


def _answers(definition: Instrument, array: object) -> NDArray[Any]:
    """The answers as a 2-D numeric array: integers and floats as given (no copy).

    A masked array becomes float64 with NaN in its masked cells, and a float wider
    than float64 becomes float64 once checked exact: the only copies made.
    """
    width = len(definition.item_ids)
    if not isinstance(array, np.ndarray):
        array = _rows(definition, array)
    data = np.asarray(array)  # a MaskedArray's hidden values: its mask is applied below
    if data.dtype.kind not in _NUMERIC_KINDS:  # bool, datetime, timedelta, text, object, complex
        msg = f"answers must be a numeric array (NaN for missing), not dtype {data.dtype}"
        raise ResponseError(msg, instrument_id=definition.id)
    if data.ndim != 2 or data.shape[1] != width:  # noqa: PLR2004 - rows x items
        msg = f"answers must have shape (n, {width}) in item order {definition.item_ids}, not {data.shape}"
        raise ResponseError(msg, instrument_id=definition.id)
    mask = np.ma.getmask(array)
    masked = mask is not np.ma.nomask and bool(mask.any())
    wide = data.dtype.kind == "f" and data.dtype.itemsize > np.dtype(np.float64).itemsize
    if not (masked or wide):
        return data  # read in its own dtype, block by block, never copied whole nor written to
    floats = np.asarray(data, dtype=np.float64)
    if wide:
        _check_exact(definition, data, floats)
    if masked:  # a masked cell is a missing answer
        floats = np.where(np.broadcast_to(mask, floats.shape), np.nan, floats)
    return floats


_NUMERIC_KINDS = frozenset("iuf")
"""numpy dtype kinds scored: signed and unsigned integers, floats (NaN = missing)."""


def _check_exact(definition: Instrument, data: NDArray[np.floating], floats: NDArray[np.float64]) -> None:
    """A long double such as ``3 + 2**-60`` would round to the code 3 in float64: reject it."""
    with np.errstate(invalid="ignore"):
        inexact = (floats != data) & ~np.isnan(data)
    if inexact.any():
        row, column = (int(v) for v in np.argwhere(inexact)[0])
        item = definition.items[column]
        value = data[row, column]
        msg = f"item {item.id!r}: {value!r} is not a whole number; allowed: {list(item.codes)}"
        raise ResponseError(
            msg, instrument_id=definition.id, item_id=item.id, value=value, allowed=item.codes, row=row
        )


def _rows(definition: Instrument, rows: object) -> NDArray[np.float64]:
    """Rows given as Python sequences: every cell checked like ``score()`` checks it.

    numpy would turn ``[True, 3]`` into numbers and fail on ragged rows with its own
    error; here a bool, a string or a row of the wrong length is a ``ResponseError``
    naming the row.
    """
    if not isinstance(rows, Sequence) or isinstance(rows, (str, bytes)):
        msg = f"answers must be an array or a sequence of rows, not {type(rows).__name__}"
        raise ResponseError(msg, instrument_id=definition.id)
    width = len(definition.item_ids)
    out = np.empty((len(rows), width), dtype=np.float64)
    for number, row in enumerate(rows):
        if isinstance(row, np.ndarray):
            row = row.tolist()  # noqa: PLW2901 - the same row, as Python values (a masked cell: None)
        if not isinstance(row, Sequence) or isinstance(row, (str, bytes)) or len(row) != width:
            shown = len(row) if isinstance(row, Sequence) else type(row).__name__
            msg = f"each row must be {width} answers in item order {definition.item_ids}, not {shown}"
            raise ResponseError(msg, instrument_id=definition.id, row=number)
        out[number] = [
            _value(definition, item_id, value, row=number)
            for item_id, value in zip(definition.item_ids, row, strict=True)
        ]
    return out


def _row(definition: Instrument, responses: object) -> NDArray[np.float64]:
    if isinstance(responses, Mapping):
        return _row_from_mapping(definition, responses)
    if isinstance(responses, np.ndarray):
        if responses.ndim != 1:
            msg = f"one respondent's answers must be 1-D, not shape {responses.shape}"
            raise ResponseError(msg, instrument_id=definition.id)
        matrix = _matrix(definition, responses[np.newaxis, :])
        first: NDArray[np.float64] = matrix[0, :]
        return first
    if isinstance(responses, Sequence) and not isinstance(responses, (str, bytes)):
        width = len(definition.item_ids)
        if len(responses) != width:
            msg = f"expected {width} answers in item order {definition.item_ids}, got {len(responses)}"
            raise ResponseError(msg, instrument_id=definition.id)
        ids = definition.item_ids
        return np.array([_value(definition, ids[i], v) for i, v in enumerate(responses)], dtype=np.float64)
    msg = f"responses must be a mapping or a sequence, not {type(responses).__name__}"
    raise ResponseError(msg, instrument_id=definition.id)


def _row_from_mapping(definition: Instrument, responses: Mapping[object, object]) -> NDArray[np.float64]:
    names = {name: item.id for item in definition.items for name in (item.id, *item.aliases)}
    row = np.full(len(definition.item_ids), np.nan)
    seen: dict[str, object] = {}
    for key, value in responses.items():
        item_id = _item_id(definition, names, key)
        if item_id in seen:
            msg = f"item {item_id!r} is given twice (as {seen[item_id]!r} and {key!r})"
            raise ResponseError(msg, instrument_id=definition.id, item_id=item_id, value=value)
        seen[item_id] = key
        row[definition.item_ids.index(item_id)] = _value(definition, item_id, value)
    return row


def _item_id(definition: Instrument, names: dict[str, str], key: object) -> str:
    if isinstance(key, bool) or not isinstance(key, (str, Integral)):
        msg = f"item key {key!r} must be a str or int"
        raise ResponseError(msg, instrument_id=definition.id, value=key)
    name = key if isinstance(key, str) else str(int(key))
    if name not in names:
        msg = f"unknown item id {key!r}; items: {list(definition.item_ids)}"
        raise ResponseError(msg, instrument_id=definition.id, item_id=name, value=key)
    return names[name]


def _value(definition: Instrument, item_id: str, value: object, *, row: int | None = None) -> float:
    if value is None or value is np.ma.masked:
        return math.nan
    if isinstance(value, (bool, np.bool_, np.timedelta64)) or not isinstance(value, Real):
        # numpy registers timedelta64 as an integer; a duration is not an answer code
        allowed = definition.item(item_id).codes
        msg = f"item {item_id!r}: {value!r} is not a number (no coercion); allowed: {list(allowed)}"
        raise ResponseError(
            msg, instrument_id=definition.id, item_id=item_id, value=value, allowed=allowed, row=row
        )
    try:
        return float(value)
    except OverflowError:
        allowed = definition.item(item_id).codes
        msg = f"item {item_id!r}: {value!r} is not an allowed code; allowed: {list(allowed)}"
        raise ResponseError(
            msg, instrument_id=definition.id, item_id=item_id, value=value, allowed=allowed, row=row
        ) from None
