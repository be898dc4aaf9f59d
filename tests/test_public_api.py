"""The public surface: a sorted, explicit ``__all__`` and a version from metadata."""

from __future__ import annotations

import importlib
import importlib.metadata
import subprocess
import sys

import pytest

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
        for name in dir(trivselscore)
        if not name.startswith("_")
        and not isinstance(getattr(trivselscore, name), type(trivselscore))
        and name not in {"annotations", "TYPE_CHECKING"}
    }
    assert public == set(trivselscore.__all__) - {"__version__"}


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'scroe'"):
        _ = trivselscore.scroe


def _fresh(code: str) -> str:
    """Run ``code`` in a fresh interpreter and return what it printed."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


EXTRAS = (
    "pandas",
    "polars",
    "pyarrow",
    "narwhals",
    "hypothesis",
    "matplotlib",
    "scipy",
    "statsmodels",
    "fastapi",
)


def test_import_loads_no_wing_and_no_extra():
    loaded = _fresh(
        "import sys, trivselscore; "
        "print(sorted(m for m in sys.modules if m.startswith(('trivselscore', 'numpy', 'pydantic', *"
        + repr(EXTRAS)
        + "))))"
    )
    assert loaded == "['trivselscore']"


def test_scoring_loads_no_optional_extra():
    loaded = _fresh(
        "import sys, trivselscore; trivselscore.score('sdq-s11-17', [0] * 35, missing='propagate'); "
        "print(sorted(m.partition('.')[0] for m in sys.modules if m.partition('.')[0] in "
        + repr(EXTRAS)
        + "))"
    )
    assert loaded == "[]"


def test_every_definition_is_validated_before_the_first_score():
    # The first name that needs the registry loads every shipped instrument validated: built by its
    # data module (the validators run), or the checked copy of such a build, pickled under a key of
    # the sources' bytes (issue 26; tests/engine/test_registry_cache.py compares it with a fresh build).
    loaded = _fresh(
        "import os, sys, trivselscore; trivselscore.score('who5', [1] * 5); "
        "from trivselscore.instruments import registry; "
        "modules = [f'trivselscore.instruments.{m}' for m in ('who5', 'sdq', 'scas', 'mfq')]; "
        "print(all(m in sys.modules for m in modules) or os.path.exists(registry.CACHE.path()))"
    )
    assert loaded == "True"


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


# Every name importable from a public path before the layout moved into wings (issue 12).
# A name may be added here; none may be dropped without a deprecation.
PUBLIC_PATHS = {
    "trivselscore": trivselscore.__all__,
    "trivselscore.cohort": [
        "Cell",
        "ChangeRow",
        "ChangeSummary",
        "Cohort",
        "ShareCell",
        "TimePointRow",
        "TimePointSummary",
    ],
    "trivselscore.fhir": [
        "BAND_SYSTEM",
        "KNOWN_QUESTIONNAIRES",
        "KnownQuestionnaire",
        "METHOD_SYSTEM",
        "PROVENANCE_URL",
        "QuestionnaireAnswers",
        "SCALE_SYSTEM",
        "from_questionnaire_response",
        "to_observations",
    ],
    "trivselscore.plots": ["plot_change", "plot_means"],
    "trivselscore.strategies": [
        "instruments",
        "respondents",
        "response_arrays",
        "responses",
        "responses_near",
    ],
    "trivselscore.instruments": [
        "ALL",
        "MFQ_A",
        "MFQ_C",
        "MFQ_P",
        "SCAS_C",
        "SCAS_P",
        "SDQ_P2_4",
        "SDQ_P4_17",
        "SDQ_S11_17",
        "SDQ_S18",
        "SDQ_T4_17",
        "SMFQ_A",
        "SMFQ_C",
        "SMFQ_P",
        "WHO5",
    ],
    "trivselscore.errors": [
        "ChangeInputError",
        "ChangeParameterError",
        "CohortDataError",
        "ColumnError",
        "FhirError",
        "IncompleteResponseError",
        "ResponseError",
        "TrivselscoreError",
        "UnknownInstrumentError",
        "UnknownScaleError",
    ],
}
BEFORE_THE_LAYOUT = {
    "Band", "BandResult", "BatchScores", "ChangeBatch", "ChangeCategory", "ChangeInputError",
    "ChangeParameterError", "ChangeParameters", "ChangeResult", "ChangeRule", "CohortDataError",
    "ColumnError", "CutoffScheme", "Cutoffs", "Flag", "INSTRUMENTS", "ImportantChange",
    "IncompleteResponseError", "Instrument", "Item", "ItemFlag", "ItemMap", "MissingPolicy", "MissingRule",
    "Norm", "NormTable", "ReferencePopulation", "Respondent", "ResponseError", "ResponseOption", "Scale",
    "ScaleScore", "Score", "Source", "TrivselscoreError", "UnknownInstrumentError", "UnknownScaleError",
    "__version__", "classify_change", "classify_changes", "convert", "get_instrument", "json_schema",
    "response_model", "score", "score_batch", "score_frame",
}  # fmt: skip


def test_every_top_level_name_of_before_the_layout_is_still_exported():
    assert set(trivselscore.__all__) >= BEFORE_THE_LAYOUT


@pytest.mark.parametrize("path", sorted(PUBLIC_PATHS))
def test_every_public_import_path_still_works(path):
    module = importlib.import_module(path)
    for name in PUBLIC_PATHS[path]:
        assert getattr(module, name) is not None, f"{path}.{name}"
    assert sorted(module.__all__) == module.__all__ or path == "trivselscore.fhir"
    assert set(module.__all__) >= set(PUBLIC_PATHS[path])


@pytest.mark.parametrize(
    ("alias", "home"),
    [
        ("trivselscore.strategies", "trivselscore.testing.strategies"),
        ("trivselscore.plots", "trivselscore.cohort.plots"),
    ],
)
def test_alias_modules_hand_out_the_same_objects(alias, home):
    old, new = importlib.import_module(alias), importlib.import_module(home)
    for name in old.__all__:
        assert getattr(old, name) is getattr(new, name)


@pytest.mark.parametrize(
    "wing", ["support", "definitions", "engine", "tabular", "fhir", "change", "cohort", "testing", "cli"]
)
def test_every_wing_says_what_is_public(wing):
    module = importlib.import_module(f"trivselscore.{wing}")
    assert module.__doc__
    assert module.__all__ == sorted(module.__all__)
    for name in module.__all__:
        assert hasattr(module, name), f"{wing}.{name}"
