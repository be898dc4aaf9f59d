"""The registry: a read-only mapping and a lookup that suggests close ids."""

from __future__ import annotations

import pickle

import pytest

from trivselscore import INSTRUMENTS, Instrument, UnknownInstrumentError, get_instrument, score
from trivselscore.instruments import ALL


def test_registry_holds_every_shipped_instrument_once():
    assert list(INSTRUMENTS) == [i.id for i in ALL]
    for instrument_id, instrument in INSTRUMENTS.items():
        assert get_instrument(instrument_id) is instrument
        assert isinstance(instrument, Instrument)


@pytest.mark.parametrize(("requested", "suggestion"), [("who-5", "who5"), ("WHO5", "who5"), ("who", "who5")])
def test_unknown_id_suggests_close_ids(requested, suggestion):
    with pytest.raises(UnknownInstrumentError) as info:
        get_instrument(requested)
    assert suggestion in info.value.suggestions
    assert info.value.requested == requested
    assert f"did you mean {suggestion!r}" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_unknown_id_without_suggestion():
    with pytest.raises(UnknownInstrumentError, match=r"^no instrument with id 'zzzzzzzz'$"):
        get_instrument("zzzzzzzz")


def test_unknown_id_through_score():
    with pytest.raises(UnknownInstrumentError):
        score("phq9", [1, 2, 3])


def test_unhashable_id_is_an_unknown_id():
    with pytest.raises(UnknownInstrumentError):
        get_instrument(["who5"])  # type: ignore[arg-type]


def test_unknown_instrument_error_pickles():
    error = UnknownInstrumentError("who-5", ["who5"])
    clone = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (clone.requested, clone.suggestions, str(clone)) == ("who-5", ("who5",), str(error))


def test_an_instrument_object_is_accepted_directly():
    assert score(get_instrument("who5"), [1, 1, 1, 1, 1]) == score("who5", [1, 1, 1, 1, 1])
