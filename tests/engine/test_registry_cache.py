"""Shipped definitions load already checked; every definition a user builds is still validated.

The registry keeps the validated shipped definitions pickled, keyed by the bytes
of the sources that build them (``support/cache.py`` ``SourceCache``). Here: the
copy a process loads equals a fresh, validated build field for field and
validates again; a fresh interpreter with the copy present scores without
importing (so without validating) any data module; a stale, corrupt or unreadable
copy is never used; and the models' deferred validators (``defer_build``) still
reject every wrong definition a user can make, however it is made.
"""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

from trivselscore import INSTRUMENTS, Instrument, Respondent, instruments, score
from trivselscore.definitions.model import Band, Item, ResponseOption, Scale
from trivselscore.engine import scoring
from trivselscore.instruments import ALL, WHO5, registry
from trivselscore.support.cache import SourceCache

IDS = sorted(INSTRUMENTS)


def test_the_loaded_registry_equals_a_fresh_validated_build():
    built = registry.build()  # the data modules' objects, each validated when its module built it
    assert [i.id for i in built] == [i.id for i in registry.SHIPPED_INSTRUMENTS] == list(INSTRUMENTS)
    for loaded, fresh in zip(registry.SHIPPED_INSTRUMENTS, built, strict=True):
        assert loaded == fresh
        assert loaded.model_dump() == fresh.model_dump()
        assert Instrument.model_validate_json(loaded.model_dump_json()) == loaded


def test_the_package_names_are_the_registry_objects():
    assert ALL is registry.SHIPPED_INSTRUMENTS
    assert WHO5 is INSTRUMENTS["who5"]
    with pytest.raises(AttributeError, match="no attribute 'WHO6'"):
        _ = instruments.WHO6


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_shipped_definition_survives_a_pickle_and_validates(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    again = pickle.loads(pickle.dumps(instrument))  # noqa: S301 - our own bytes
    assert again == instrument
    assert Instrument.model_validate_json(again.model_dump_json()) == instrument
    assert copy.deepcopy(instrument) == instrument  # a deep copy validates again


FRESH = """
import sys
from trivselscore import score
result = score("sdq-s11-17", [1] * 25 + [2] * 10)
prefix = "trivselscore.instruments."
data = sorted(m for m in sys.modules if m.startswith(prefix) and not m.endswith("registry"))
print(result.values["total"], data)
"""


def test_a_fresh_interpreter_scores_from_the_checked_copy_without_building_definitions():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    path = registry.CACHE.path()  # in the package's instruments/__pycache__, beside the bytecode
    assert path is not None
    first = subprocess.run([sys.executable, "-c", FRESH], env=env, capture_output=True, text=True, check=True)
    assert Path(path).exists()  # written on the first start, as bytecode is
    second = subprocess.run(
        [sys.executable, "-c", FRESH], env=env, capture_output=True, text=True, check=True
    )
    assert first.stdout.startswith("20 [")  # built (and written) if no copy was there yet
    assert second.stdout == "20 []\n"  # no data module imported: nothing validated again


# --- the cache itself --------------------------------------------------------------------------


def cache_over(tmp_path: Path, source: str = "VALUE = 1") -> SourceCache:
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "data.py").write_text(source, encoding="utf-8")
    return SourceCache("test", [str(tmp_path / "src")], salt="s", folder=str(tmp_path / "cache"))


def test_a_value_is_built_once_and_then_loaded(tmp_path):
    cache = cache_over(tmp_path)
    calls: list[int] = []

    def build(value: int) -> dict[str, int]:
        calls.append(value)
        return {"v": value}

    assert cache.get(lambda: build(1), write=True) == {"v": 1}
    assert cache.get(lambda: build(2), write=True) == {"v": 1}
    assert calls == [1]


def test_an_edited_source_or_another_salt_is_built_again(tmp_path):
    cache = cache_over(tmp_path)
    cache.get(lambda: "old", write=True)
    (tmp_path / "src" / "data.py").write_text("VALUE = 2", encoding="utf-8")
    assert cache.get(lambda: "new", write=True) == "new"
    (tmp_path / "src" / "more.py").write_text("", encoding="utf-8")  # a new module counts too
    assert cache.get(lambda: "newer", write=True) == "newer"
    salted = SourceCache("test", [str(tmp_path / "src")], salt="other", folder=str(tmp_path / "cache"))
    assert salted.get(lambda: "salted", write=True) == "salted"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [Path(str(salted.path())).name]  # one kept


def test_a_corrupt_or_truncated_copy_is_ignored(tmp_path):
    cache = cache_over(tmp_path)
    cache.get(lambda: list(range(100)), write=True)
    path = cache.path()
    assert path is not None
    Path(path).write_bytes(Path(path).read_bytes()[:10])
    assert cache.get(lambda: "rebuilt", write=False) == "rebuilt"
    Path(path).write_bytes(b"not a pickle")
    assert cache.get(lambda: "again", write=True) == "again"
    assert cache.get(lambda: "unused") == "again"


def test_nothing_is_written_without_bytecode_or_to_a_read_only_folder(tmp_path, monkeypatch):
    cache = cache_over(tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    cache.get(lambda: 1)
    assert not (tmp_path / "cache").exists()
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    (tmp_path / "cache").write_text("a file where the folder should be", encoding="utf-8")
    assert cache.get(lambda: 2) == 2  # the write fails quietly
    assert cache.get(lambda: 3) == 3


def test_unreadable_sources_cache_nothing(tmp_path):
    cache = SourceCache("test", [str(tmp_path / "missing")], salt="s", folder=str(tmp_path / "cache"))
    assert cache.key() is None
    assert cache.path() is None
    assert cache.get(lambda: "built", write=True) == "built"
    assert not (tmp_path / "cache").exists()


# --- the version, read without importlib.metadata --------------------------------------------


def test_the_library_version_is_the_installed_one():
    from importlib.metadata import version  # noqa: PLC0415 - the reference

    assert scoring._library_version() == version("trivselscore") == scoring.LIBRARY_VERSION


def test_the_library_version_is_what_importlib_metadata_finds(tmp_path, monkeypatch):
    from importlib.metadata import version  # noqa: PLC0415 - the reference

    other = tmp_path / "other"
    (other / "trivselscore-9.dist-info").mkdir(parents=True)
    (other / "trivselscore-9.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.4\nName: trivselscore\nVersion: 9\n"
    )
    a_file = tmp_path / "a.zip"
    a_file.write_bytes(b"")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "no-such-folder"), str(a_file), str(other), *sys.path])
    assert scoring._library_version() == version("trivselscore") == "9"  # the first on the path wins
    monkeypatch.setattr(sys, "path", [str(tmp_path)])  # installed nowhere: importlib.metadata decides
    assert scoring._library_version() == "0+unknown"


# --- deferred validators still validate everything a user builds ------------------------------


def test_every_way_of_building_a_wrong_definition_fails():
    good = INSTRUMENTS["who5"]
    wrong = {**good.model_dump(), "default_scheme": "no-such-scheme"}
    with pytest.raises(pydantic.ValidationError, match="default scheme"):
        Instrument.model_validate(wrong)
    with pytest.raises(pydantic.ValidationError, match="default scheme"):
        Instrument.model_validate_json(
            good.model_dump_json().replace('"default_scheme":"risk"', '"default_scheme":"no"')
        )
    with pytest.raises(pydantic.ValidationError, match="default scheme"):
        good.model_copy(update={"default_scheme": "no-such-scheme"})
    with pytest.raises(pydantic.ValidationError):
        Instrument(**{**dict(good), "items": ()})
    with pytest.raises(pydantic.ValidationError, match="empty interval"):
        Band(id="b", label_en="band", label_da="bånd", lower=3, upper=1)
    with pytest.raises(pydantic.ValidationError, match="repeat"):
        Item(id="1", theme="theme", options=(ResponseOption(code=0, label_en="a", label_da="a"),) * 2)
    with pytest.raises(pydantic.ValidationError, match="exactly one"):
        good.scales[0].model_copy(update={"scales": ("x",)})
    with pytest.raises(pydantic.ValidationError):
        Respondent(age=-1)
    assert isinstance(good.scales[0], Scale)


def test_a_user_definition_scores_after_validation():
    mine = INSTRUMENTS["who5"].model_copy(update={"id": "my-who5", "default_scheme": None, "schemes": ()})
    assert mine.id == "my-who5"
    assert score(mine, [3, 4, 2, 3, 1]).values == {"raw": 13, "percentage": 52}
