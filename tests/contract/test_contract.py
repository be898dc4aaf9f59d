"""Every registered instrument x every contract check; test ids are ``<instrument>-<check>``.

A new instrument gets all checks by being registered in ``trivselscore.instruments.ALL``.
"""

from __future__ import annotations

import pytest

from tests.contract.checks import CHECKS
from trivselscore import INSTRUMENTS

CASES = [
    pytest.param(instrument_id, check, id=f"{instrument_id}-{check}")
    for instrument_id in INSTRUMENTS
    for check in CHECKS
]


@pytest.mark.parametrize(("instrument_id", "check"), CASES)
def test_contract(instrument_id: str, check: str) -> None:
    CHECKS[check](INSTRUMENTS[instrument_id])


def test_every_check_runs_on_every_instrument() -> None:
    assert len(CASES) == len(INSTRUMENTS) * len(CHECKS)
