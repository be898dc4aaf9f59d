"""A whole number of any real type is that code; a number that is not whole is refused (no rounding).

docs/guarantees.md: "a number that is not whole (2.5, Fraction(5, 2)) ... is refused; a whole
number of any real type (3.0, numpy.int8(3), Fraction(3, 1)) is that code". The same holds for
score(), score_batch() on Python rows, and convert().
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from trivselscore import ResponseError, convert, score, score_batch

WHOLE = [3, 3.0, np.int8(3), np.float32(3.0), Fraction(3, 1), Fraction(6, 2)]
NOT_WHOLE = [2.5, Fraction(5, 2), Fraction(7, 3), np.float64(2.5)]


@pytest.mark.parametrize("value", WHOLE, ids=repr)
def test_a_whole_number_is_that_code(value):
    expected = score("who5", [3, 3, 3, 3, 3])
    assert score("who5", [value] * 5) == expected
    assert score("who5", {"1": value, "2": 3, "3": 3, "4": 3, "5": 3}) == expected
    assert score_batch("who5", [[value] * 5]).row(0) == expected
    two = value - 1  # MFQ codes are 0-2
    assert convert("mfq-c", [two, *[1] * 32], to="smfq-c")["1"] == 2


@pytest.mark.parametrize("value", NOT_WHOLE, ids=repr)
def test_a_number_that_is_not_whole_is_refused(value):
    for call in (
        lambda: score("who5", [value, 3, 3, 3, 3]),
        lambda: score_batch("who5", [[value, 3, 3, 3, 3]]),
        lambda: convert("mfq-c", [value, *[1] * 32], to="smfq-c"),
    ):
        with pytest.raises(ResponseError, match="is not a whole number") as caught:
            call()
        assert caught.value.item_id == "1"


def test_a_decimal_is_refused_as_not_a_number():
    with pytest.raises(ResponseError, match=r"is not a number \(no coercion\)"):
        score("who5", [Decimal(3), 3, 3, 3, 3])
