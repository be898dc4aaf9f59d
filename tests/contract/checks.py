"""The contract every registered instrument must meet, one function per check.

Each check takes an ``Instrument`` and runs its own Hypothesis test, built from
``trivselscore.strategies``; ``test_contract.py`` runs every check on every
instrument (the scikit-learn ``parametrize_with_checks`` pattern).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from trivselscore import Instrument, Respondent, response_model, score, score_batch
from trivselscore.strategies import response_arrays, responses, responses_near


def _value(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def scores_within_range(instrument: Instrument) -> None:
    @given(response_arrays(instrument, max_size=8), st.sampled_from([None, "propagate", "prorate"]))
    def check(array: np.ndarray, policy: str | None) -> None:
        batch = score_batch(instrument, array, missing=policy)
        for scale in instrument.scales:
            low, high = instrument.scale_range(scale.id)
            values = batch[scale.id][~np.isnan(batch[scale.id])]
            assert ((values >= low) & (values <= high)).all(), scale.id

    check()


def monotone_in_each_item(instrument: Instrument) -> None:
    @given(responses(instrument), st.data())
    def check(answers: dict[str, int | None], data: st.DataObject) -> None:
        item = data.draw(st.sampled_from(instrument.items))
        codes = item.codes
        current = answers[item.id]
        assert current is not None
        if current == codes[-1]:
            return
        higher = {**answers, item.id: codes[codes.index(current) + 1]}
        before, after = score(instrument, answers), score(instrument, higher)
        for scale in instrument.scales:
            old, new = before[scale.id].value, after[scale.id].value
            if item.id not in instrument.scale_items(scale.id):
                if not _gated_by(instrument, scale.id, item.id):
                    assert old == new, (scale.id, item.id)
                continue
            if old is None or new is None:
                continue
            direction = -1 if item.id in _reversed(instrument, scale.id) else 1
            assert direction * (new - old) >= 0, (scale.id, item.id, old, new)

    check()


def _gated_by(instrument: Instrument, scale_id: str, item_id: str) -> bool:
    """Whether ``item_id`` is a gate of the scale or of one of its parts (e.g. SDQ ebddiff)."""
    scale = instrument.scale(scale_id)
    if scale.gate is not None and scale.gate.item == item_id:
        return True
    return any(_gated_by(instrument, part, item_id) for part in scale.scales)


def _reversed(instrument: Instrument, scale_id: str) -> set[str]:
    scale = instrument.scale(scale_id)
    if scale.items:
        return set(scale.reverse)
    return set().union(*(_reversed(instrument, part) for part in scale.scales))


def reverse_key_is_an_involution(instrument: Instrument) -> None:
    for scale in instrument.scales:
        for item_id in scale.reverse:
            values = instrument.item_values(scale, item_id)
            codes = instrument.item(item_id).codes
            assert sorted(values.values()) == list(codes), (scale.id, item_id)
            assert all(values[values[c]] == c for c in codes), (scale.id, item_id)
            assert values[codes[0]] == codes[-1]


def bands_partition_the_range(instrument: Instrument) -> None:
    tables = [(scheme, table) for scheme in instrument.schemes for table in scheme.cutoffs]
    if not tables:
        return

    @given(st.sampled_from(tables), st.data())
    def check(pair: tuple[object, object], data: st.DataObject) -> None:
        _, table = pair
        low, high = instrument.scale_range(table.scale)  # type: ignore[attr-defined]
        edges = [b.lower for b in table.bands] + [b.upper for b in table.bands]  # type: ignore[attr-defined]
        value = data.draw(st.one_of(st.sampled_from(edges), st.floats(low, high), st.integers(low, high)))
        assert sum(band.contains(value) for band in table.bands) == 1  # type: ignore[attr-defined]

    check()


def score_equals_score_batch(instrument: Instrument) -> None:
    @given(
        response_arrays(instrument, min_size=1, max_size=6), st.sampled_from([None, "propagate", "prorate"])
    )
    def check(array: np.ndarray, policy: str | None) -> None:
        batch = score_batch(instrument, array, missing=policy)
        for i, row in enumerate(array):
            single = score(instrument, [None if math.isnan(v) else int(v) for v in row], missing=policy)
            assert batch.row(i) == single
            for scale in instrument.scales:
                assert _value(batch[scale.id][i]) == single[scale.id].value

    check()


def single_path_equals_numpy_path(instrument: Instrument) -> None:
    """``score()``'s scalar path and its numpy path give the same result or the same error."""
    from tests.engine.paths import assert_paths_agree  # noqa: PLC0415 - test helper

    policies = [None, "raise", "propagate", "prorate", *(v.id for v in instrument.missing_variants)]
    ages = st.none() | st.floats(0, 130)

    @given(
        responses(instrument, missing="sometimes"),
        st.sampled_from(policies),
        st.none() | st.builds(Respondent, age=ages, sex=st.sampled_from([None, "female", "male"])),
        st.sampled_from(["flag", "raise"]),
    )
    def check(answers: dict[str, int | None], policy: str | None, who: Respondent | None, rule: str) -> None:
        assert_paths_agree(instrument, answers, missing=policy, respondent=who, age_policy=rule)
        as_list = [answers[i] for i in instrument.item_ids]
        assert_paths_agree(instrument, as_list, missing=policy, respondent=who, age_policy=rule)

    check()


def prorate_without_missing_equals_raw(instrument: Instrument) -> None:
    @given(responses(instrument))
    def check(answers: dict[str, int | None]) -> None:
        plain, prorated = score(instrument, answers), score(instrument, answers, missing="prorate")
        assert plain.values == prorated.values
        assert not any(s.prorated for s in prorated.scales)

    check()


def boundaries_are_reached_exactly(instrument: Instrument) -> None:
    for scheme in instrument.schemes:
        if getattr(scheme, "metric", "score") != "score":
            continue
        for scale_id in scheme.scale_ids:
            _boundary_check(instrument, scale_id, scheme.id)


def _boundary_check(instrument: Instrument, scale_id: str, scheme_id: str) -> None:
    from trivselscore.testing.targets import boundary_targets  # noqa: PLC0415 - test helper

    targets = set(boundary_targets(instrument, scale_id, instrument.scheme(scheme_id)))

    @given(responses_near(instrument, scale_id, scheme=scheme_id))
    def check(answers: dict[str, int]) -> None:
        assert score(instrument, answers)[scale_id].value in targets

    check()


def definition_round_trips_through_json(instrument: Instrument) -> None:
    again = Instrument.model_validate_json(instrument.model_dump_json())
    assert again == instrument
    assert again.item_ids == instrument.item_ids


def response_model_accepts_exactly_valid_answers(instrument: Instrument) -> None:
    model = response_model(instrument)

    @given(responses(instrument, missing="sometimes"), st.data())
    def check(answers: dict[str, int | None], data: st.DataObject) -> None:
        assert model.model_validate(answers).model_dump() == answers
        item = data.draw(st.sampled_from(instrument.items))
        bad = data.draw(st.sampled_from([item.codes[-1] + 1, item.codes[0] - 1, 0.5, True, "1"]))
        with pytest.raises(ValidationError):
            model.model_validate({**answers, item.id: bad})
        with pytest.raises(ValidationError):
            model.model_validate({**answers, "not-an-item": 1})

    check()


CHECKS: dict[str, Callable[[Instrument], None]] = {
    "range": scores_within_range,
    "monotone": monotone_in_each_item,
    "reverse-involution": reverse_key_is_an_involution,
    "bands-partition": bands_partition_the_range,
    "batch-equals-single": score_equals_score_batch,
    "single-equals-numpy": single_path_equals_numpy_path,
    "prorate-equals-raw": prorate_without_missing_equals_raw,
    "boundaries-reached": boundaries_are_reached_exactly,
    "json-round-trip": definition_round_trips_through_json,
    "response-model": response_model_accepts_exactly_valid_answers,
}
