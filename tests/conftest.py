"""Shared test set-up: Hypothesis profiles chosen by the HYPOTHESIS_PROFILE variable."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


STRESS_LONG = os.environ.get("TRIVSELSCORE_STRESS", "short") == "long"


@pytest.fixture
def stress_rounds() -> int:
    """How many rounds a ``stress`` test runs: a short profile in CI, 20 times more when asked."""
    return 20 if STRESS_LONG else 1
