"""The public surface: a sorted, explicit ``__all__`` and a version from metadata."""

from __future__ import annotations

import importlib.metadata

import trivselscore
from trivselscore import errors, instruments


def test_all_is_sorted_and_unique():
    assert trivselscore.__all__ == sorted(trivselscore.__all__)
    assert len(set(trivselscore.__all__)) == len(trivselscore.__all__)


def test_all_names_exist_and_none_is_private():
    for name in trivselscore.__all__:
        assert hasattr(trivselscore, name), name
        assert not name.startswith("_") or name == "__version__"


def test_every_public_attribute_is_exported():
    public = {
        name
        for name, value in vars(trivselscore).items()
        if not name.startswith("_") and not isinstance(value, type(trivselscore)) and name != "annotations"
    }
    assert public == set(trivselscore.__all__) - {"__version__"}


def test_version_comes_from_metadata():
    assert trivselscore.__version__ == importlib.metadata.version("trivselscore")


def test_required_names_of_the_foundation_issue():
    for name in [
        "INSTRUMENTS",
        "get_instrument",
        "score",
        "score_batch",
        "Score",
        "BatchScores",
        "Respondent",
        "Instrument",
        "Item",
        "ResponseOption",
        "Scale",
        "CutoffScheme",
        "Band",
        "Source",
        "TrivselscoreError",
        "ResponseError",
        "IncompleteResponseError",
        "UnknownInstrumentError",
    ]:
        assert name in trivselscore.__all__, name


def test_error_hierarchy():
    assert issubclass(errors.ResponseError, errors.TrivselscoreError)
    assert issubclass(errors.ResponseError, ValueError)
    assert issubclass(errors.IncompleteResponseError, errors.ResponseError)
    assert issubclass(errors.UnknownInstrumentError, errors.TrivselscoreError)
    assert issubclass(errors.UnknownInstrumentError, LookupError)


def test_submodule_all_lists_are_sorted():
    assert errors.__all__ == sorted(errors.__all__)
    assert instruments.__all__ == sorted(instruments.__all__)
