"""The definition's age range and the flag id the library reserves for it (issue 13, item 6).

Before: ``age_range=(17, 11)``, ``(-5, 10)``, ``(0, 500)`` and ``(nan, 10)`` built, and an
item flag named ``outside_age_range`` built too, and ``BatchScores.flags`` then replaced it
with the age flag, so its raised rows were lost. The bad definitions are rows of
``BROKEN`` in ``test_model.py``; this file holds the constants to the engine and the model.
"""

from __future__ import annotations

import annotated_types
import pytest
from pydantic import ValidationError

from trivselscore import INSTRUMENTS, Respondent, get_instrument
from trivselscore.definitions.instrument import AGE_LIMITS, RESERVED_FLAG_IDS
from trivselscore.engine.ages import OUTSIDE_AGE_RANGE


def test_the_reserved_flag_is_the_one_the_engine_raises():
    assert OUTSIDE_AGE_RANGE in RESERVED_FLAG_IDS


def test_the_age_limits_are_the_ages_a_respondent_takes():
    metadata = Respondent.model_fields["age"].metadata
    low = next(m.ge for m in metadata if isinstance(m, annotated_types.Ge))
    high = next(m.le for m in metadata if isinstance(m, annotated_types.Le))
    assert (low, high) == AGE_LIMITS


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_every_shipped_age_range_is_valid_and_no_flag_is_reserved(instrument_id):
    instrument = get_instrument(instrument_id)
    assert not RESERVED_FLAG_IDS & {flag.id for flag in instrument.flags}
    if instrument.age_range is not None:
        low, high = instrument.age_range
        assert AGE_LIMITS[0] <= low <= high <= AGE_LIMITS[1]


@pytest.mark.parametrize("age_range", [(17, 11), (-5, 10), (0, 500), (float("nan"), 10)])
def test_a_copy_with_a_bad_age_range_is_refused_naming_the_instrument(age_range):
    with pytest.raises(ValidationError, match=r"sdq-s11-17: age_range \(.+\) must be"):
        get_instrument("sdq-s11-17").model_copy(update={"age_range": age_range})


@pytest.mark.parametrize("age_range", [(0, 130), (13, 13), (18, 130), (2.5, 4)])
def test_edge_ranges_build(age_range):
    copy = get_instrument("who5").model_copy(update={"age_range": age_range})
    assert copy.age_range == age_range
