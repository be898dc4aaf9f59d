"""Hypothesis strategies for questionnaire answers, respondents and instruments.

Install with ``pip install "trivselscore[hypothesis]"``. Every strategy is built
from an instrument's definition and is valid by construction (no ``.filter``):
answers are drawn from each item's codes, and :func:`responses_near` solves for
answers whose score lands exactly on, or just either side of, each band boundary.

Examples:
    >>> from hypothesis import given
    >>> from trivselscore import score
    >>> from trivselscore.strategies import responses_near
    >>> @given(responses_near("who5", "percentage"))
    ... def test_my_cutoff(answers):
    ...     value = score("who5", answers)["percentage"].value
    ...     assert (value < 50) == (score("who5", answers)["percentage"].band == "risk")
    >>> test_my_cutoff()
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as error:  # pragma: no cover - exercised in a subprocess test
    msg = 'trivselscore.strategies needs Hypothesis: pip install "trivselscore[hypothesis]"'
    raise ImportError(msg) from error

import numpy as np

from trivselscore.definitions.instrument import Instrument
from trivselscore.definitions.model import SEX_CATEGORIES, Respondent, SexCategory
from trivselscore.definitions.norms import NormTable
from trivselscore.instruments.registry import get_instrument
from trivselscore.testing.checks import real_number, whole_number
from trivselscore.testing.random_instruments import instruments
from trivselscore.testing.targets import boundary_targets, item_weights, norm_targets, solvable_codes

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["instruments", "respondents", "response_arrays", "responses", "responses_near"]

Missing = Literal["never", "sometimes", "threshold"]
_MISSING = ("never", "sometimes", "threshold")
MAX_AGE = 130


def _instrument(instrument: Instrument | str) -> Instrument:
    checked: object = instrument
    if isinstance(checked, Instrument):
        return checked
    if not isinstance(checked, str):
        msg = f"instrument must be an Instrument or a registered id, not {instrument!r}"
        raise InvalidArgument(msg)
    try:
        return get_instrument(checked)
    except LookupError as error:
        raise InvalidArgument(str(error)) from None


def _check_missing(missing: object) -> None:
    if missing not in _MISSING:
        msg = f"missing must be one of {_MISSING}, not {missing!r}"
        raise InvalidArgument(msg)


def responses(
    instrument: Instrument | str, *, missing: Missing = "never"
) -> st.SearchStrategy[dict[str, int | None]]:
    """One respondent's answers, as a mapping item id -> code (None = unanswered).

    Args:
        instrument: An ``Instrument`` or a registered id.
        missing: ``"never"`` (every item answered), ``"sometimes"`` (any item may be
            unanswered), or ``"threshold"`` (per scale, exactly the rule's minimum
            number of answers or one fewer, so both sides of the missing-data rule
            are reached).

    Returns:
        A strategy of answer mappings, valid by construction.

    Raises:
        InvalidArgument: Unknown instrument or ``missing`` value.

    Examples:
        >>> from hypothesis import given
        >>> from trivselscore import score
        >>> @given(responses("who5"))
        ... def test_complete_answers_always_score(answers):
        ...     assert score("who5", answers)["raw"].value is not None
        >>> test_complete_answers_always_score()
    """
    _instrument(instrument)
    _check_missing(missing)
    return _responses(instrument, missing=missing)


def _draw_responses(draw: st.DrawFn, instrument: Instrument | str, missing: Missing) -> dict[str, int | None]:
    definition = _instrument(instrument)
    answers: dict[str, int | None] = {
        item.id: draw(st.sampled_from(item.codes), label=item.id) for item in definition.items
    }
    if missing == "sometimes":
        for item_id in definition.item_ids:
            if draw(st.booleans()):
                answers[item_id] = None
    elif missing == "threshold":
        for scale in definition.scales:
            if not scale.items:
                continue
            answered = scale.missing.min_answered - draw(st.sampled_from((0, 1)))
            dropped = draw(st.permutations(scale.items))[: len(scale.items) - answered]
            for item_id in dropped:
                answers[item_id] = None
    return answers


# The composite carries the public name so that its repr reads like the call that made it.
_draw_responses.__name__ = _draw_responses.__qualname__ = "responses"
_responses = st.composite(_draw_responses)


def response_arrays(
    instrument: Instrument | str,
    *,
    min_size: int = 0,
    max_size: int | None = None,
    missing: Missing = "sometimes",
) -> st.SearchStrategy[NDArray[np.float64]]:
    """2-D float arrays for ``score_batch``: rows of answers, NaN for unanswered.

    Args:
        instrument: An ``Instrument`` or a registered id.
        min_size: The fewest rows.
        max_size: The most rows (default ``min_size + 20``).
        missing: As in :func:`responses`.

    Returns:
        A strategy of arrays of shape ``(n, len(instrument.item_ids))``.

    Raises:
        InvalidArgument: Bad sizes, unknown instrument or ``missing`` value.

    Examples:
        >>> from hypothesis import given
        >>> @given(response_arrays("who5", min_size=3, max_size=3))
        ... def test_shape(array):
        ...     assert array.shape == (3, 5)
        >>> test_shape()
    """
    definition = _instrument(instrument)
    _check_missing(missing)
    if not whole_number(min_size) or min_size < 0:
        msg = f"min_size must be a non-negative int, not {min_size!r}"
        raise InvalidArgument(msg)
    if max_size is not None and not whole_number(max_size):
        msg = f"max_size must be an int or None, not {max_size!r}"
        raise InvalidArgument(msg)
    if max_size is not None and max_size < min_size:
        msg = f"max_size={max_size} is below min_size={min_size}"
        raise InvalidArgument(msg)
    width = len(definition.item_ids)
    upper = min_size + 20 if max_size is None else max_size

    def to_array(rows: list[dict[str, int | None]]) -> NDArray[np.float64]:
        array = np.full((len(rows), width), np.nan)
        for i, row in enumerate(rows):
            array[i] = [math.nan if row[k] is None else row[k] for k in definition.item_ids]
        return array

    rows = st.lists(_responses(instrument, missing=missing), min_size=min_size, max_size=upper)
    return rows.map(to_array)


def respondents(
    *,
    min_age: float = 0,
    max_age: float = MAX_AGE,
    sexes: tuple[SexCategory | None, ...] = ("female", "male", "other", "unknown", None),
    allow_missing_age: bool = True,
) -> st.SearchStrategy[Respondent]:
    """Respondent context: an age (whole years) within a range and a sex.

    Args:
        min_age: The youngest age.
        max_age: The oldest age.
        sexes: The sex categories to draw from (``female``, ``male``, ``other``,
            ``unknown``); include None for "not given".
        allow_missing_age: Whether the age may be None.

    Returns:
        A strategy of ``Respondent`` values.

    Raises:
        InvalidArgument: An empty or reversed age range, ages outside 0-130, or
            an empty or unknown sex.

    Examples:
        >>> from hypothesis import given
        >>> @given(respondents(min_age=13, max_age=17, sexes=("female",), allow_missing_age=False))
        ... def test_teenage_girls(person):
        ...     assert 13 <= person.age <= 17 and person.sex == "female"
        >>> test_teenage_girls()
    """
    for name, value in (("min_age", min_age), ("max_age", max_age)):
        if not real_number(value) or not 0 <= value <= MAX_AGE:
            msg = f"{name} must be a number from 0 to {MAX_AGE}, not {value!r}"
            raise InvalidArgument(msg)
    if min_age > max_age:
        msg = f"min_age={min_age} is above max_age={max_age}"
        raise InvalidArgument(msg)
    if math.ceil(min_age) > math.floor(max_age):
        msg = f"no whole age lies between {min_age} and {max_age}"
        raise InvalidArgument(msg)
    if not sexes or any(s is not None and s not in SEX_CATEGORIES for s in sexes):
        allowed = ", ".join(map(repr, SEX_CATEGORIES))
        msg = f"sexes must be a non-empty tuple of {allowed} and None, not {sexes!r}"
        raise InvalidArgument(msg)
    ages: st.SearchStrategy[float | None] = st.integers(math.ceil(min_age), math.floor(max_age)).map(float)
    if allow_missing_age:
        ages = st.none() | ages
    return st.builds(Respondent, age=ages, sex=st.sampled_from(sexes))


def responses_near(
    instrument: Instrument | str,
    scale: str,
    *,
    scheme: str | None = None,
    respondent: Respondent | None = None,
    norms: NormTable | str | None = None,
) -> st.SearchStrategy[dict[str, int]]:
    """Complete answers whose ``scale`` score lies on, or just either side of, a band edge.

    For every boundary of every band table of ``scheme`` (default: the
    instrument's default scheme), the targets are the boundary itself when a
    complete response can score it, and the nearest attainable scores below and
    above it (WHO-5 percentage: 48 and 52 around 50). Answers are solved for, not
    filtered.

    A scheme that bands the T-score (SCAS ``t60``) has no raw-score edges of its
    own: where T = 60 falls depends on the norm table and on the respondent's
    norm group. Give ``respondent`` (and ``norms``, unless the instrument ships a
    table), and the targets are the raw scores on either side of each T-score
    edge for that respondent, found with the engine's own T-score and band
    functions. To draw the respondent as well, pair the strategies with
    ``flatmap`` (see the examples). Without a norm table (``scas-c`` ships none)
    or without a respondent, InvalidArgument says exactly this.

    Args:
        instrument: An ``Instrument`` or a registered id.
        scale: The scale whose score is aimed at.
        scheme: The cutoff scheme; default: the instrument's default scheme.
        respondent: For a T-score scheme: whose norm group places the edges.
        norms: For a T-score scheme: a ``NormTable`` or the id of one of the
            instrument's tables; default: the instrument's first table.

    Returns:
        A strategy of complete answer mappings.

    Raises:
        InvalidArgument: Unknown instrument, scale or scheme, a scheme that does
            not band the scale, or no default scheme; for a T-score scheme, no
            norm table, no respondent, a respondent the table does not cover, or
            a table that does not fit; ``respondent`` or ``norms`` given for a
            scheme that bands the score itself.

    Examples:
        >>> from hypothesis import given
        >>> from trivselscore import score
        >>> @given(responses_near("who5", "percentage"))
        ... def test_near_the_cutoff(answers):
        ...     assert score("who5", answers)["percentage"].value in {0, 4, 48, 52, 96, 100}
        >>> test_near_the_cutoff()

        The SCAS bands T-scores. ``scas-c`` ships no norms, so there is no raw edge:

        >>> responses_near("scas-c", "total")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: scheme 't60' of scas-c bands the T-score, ...

        With the parent form's shipped norms (Nauta 2004; boys 12-18: total 11.8,
        SD 8.3) T = 60 lies between raw 20 and 21:

        >>> boy = Respondent(age=13, sex="male")
        >>> @given(responses_near("scas-p", "total", respondent=boy))
        ... def test_either_side_of_t60(answers):
        ...     total = score("scas-p", answers, respondent=boy)["total"]
        ...     assert (total.value, total.band) in {(20, "normal"), (21, "elevated")}
        >>> test_either_side_of_t60()

        Drawing the respondent too (ages and sexes the table covers):

        >>> pairs = respondents(min_age=6, max_age=18, allow_missing_age=False, sexes=("female", "male"))
        >>> pairs = pairs.flatmap(
        ...     lambda person: responses_near("scas-p", "total", respondent=person).map(
        ...         lambda answers: (person, answers)
        ...     )
        ... )
        >>> @given(pairs)
        ... def test_t60_for_anyone(pair):
        ...     person, answers = pair
        ...     assert score("scas-p", answers, respondent=person)["total"].band is not None
        >>> test_t60_for_anyone()
    """
    definition = _instrument(instrument)
    if scale not in definition.scale_ids:
        msg = f"{definition.id} has no scale {scale!r}; scales: {list(definition.scale_ids)}"
        raise InvalidArgument(msg)
    scheme_id = scheme if scheme is not None else definition.default_scheme
    if scheme_id is None:
        msg = f"{definition.id} has no default cutoff scheme; name one"
        raise InvalidArgument(msg)
    if scheme_id not in {s.id for s in definition.schemes}:
        msg = f"{definition.id} has no cutoff scheme {scheme_id!r}"
        raise InvalidArgument(msg)
    chosen = definition.scheme(scheme_id)
    if scale not in chosen.scale_ids:
        msg = f"scheme {scheme_id!r} does not band the score of scale {scale!r}"
        raise InvalidArgument(msg)
    if chosen.metric == "score":
        if respondent is not None or norms is not None:
            msg = f"scheme {scheme_id!r} bands the score itself; respondent and norms are for T-score schemes"
            raise InvalidArgument(msg)
        return _near(instrument, scale, scheme=scheme_id)
    _t_targets(definition, scale, scheme_id, respondent, norms)  # raises InvalidArgument early
    return _near(instrument, scale, scheme=scheme_id, respondent=respondent, norms=norms)


def _t_targets(
    definition: Instrument,
    scale: str,
    scheme_id: str,
    respondent: Respondent | None,
    norms: NormTable | str | None,
) -> tuple[int, ...]:
    try:
        return norm_targets(definition, scale, scheme_id, respondent, norms)
    except (TypeError, ValueError) as error:
        raise InvalidArgument(str(error)) from None


def _draw_near(  # noqa: PLR0913 - the composite takes responses_near's arguments
    draw: st.DrawFn,
    instrument: Instrument | str,
    scale: str,
    scheme: str,
    *,
    respondent: Respondent | None = None,
    norms: NormTable | str | None = None,
) -> dict[str, int]:
    definition = _instrument(instrument)
    chosen = definition.scheme(scheme)
    targets = (
        boundary_targets(definition, scale, chosen)
        if chosen.metric == "score"
        else _t_targets(definition, scale, scheme, respondent, norms)
    )
    target = draw(st.sampled_from(targets), label="target")
    weights = item_weights(definition, scale)
    answers: dict[str, int] = {}
    remaining = target
    for index, item in enumerate(definition.items):
        if item.id in weights:
            choices = solvable_codes(definition, scale, index, remaining)
            code = draw(st.sampled_from(choices), label=item.id)
            remaining -= weights[item.id][code]
        else:
            code = draw(st.sampled_from(_open_codes(definition, scale, item.id)), label=item.id)
        answers[item.id] = code
    return answers


_draw_near.__name__ = _draw_near.__qualname__ = "responses_near"
_near = st.composite(_draw_near)


def _open_codes(definition: Instrument, scale: str, item_id: str) -> tuple[int, ...]:
    """Codes of an item outside the scale; gate items never take their gating codes."""
    gated: set[int] = set()
    for part in definition.scales:
        if (
            part.gate is not None
            and part.gate.item == item_id
            and set(part.items) & set(definition.scale_items(scale))
        ):
            gated |= set(part.gate.codes)
    return tuple(c for c in definition.item(item_id).codes if c not in gated)
