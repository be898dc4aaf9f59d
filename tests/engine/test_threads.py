"""Threads and processes: the identity caches, plans, response models and pickling.

Before the fix the cache had no lock: with more instruments in use than it holds,
concurrent ``score()`` calls raised ``KeyError`` from the cache (3 in 96,000 calls
with 8 threads and 70 instruments), and 32 threads asking ``response_model()`` at
once got 10-18 distinct classes. The stress tests force thread switches every
microsecond so that a race shows up within a fraction of a second.
"""

from __future__ import annotations

import gc
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

import numpy as np
import pytest

from trivselscore import Instrument, get_instrument, response_model, score
from trivselscore.engine import plan as _plan
from trivselscore.support.cache import IdentityCache, LifetimeCache

WHO5 = get_instrument("who5")


@contextmanager
def fast_switching() -> Iterator[None]:
    """Switch threads every microsecond, and restore the interval afterwards."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_threads(count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Start ``count`` threads that pass one barrier, then run ``work(k)``; return their errors."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def target(k: int) -> None:
        barrier.wait()
        try:
            work(k)
        except BaseException as error:  # noqa: BLE001 - every error of a thread is reported
            errors.append(error)

    threads = [threading.Thread(target=target, args=(k,)) for k in range(count)]
    with fast_switching():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return errors


@pytest.mark.stress
def test_lru_cache_under_eviction_from_many_threads(stress_rounds):
    # more owners than the cache holds, so most calls evict; before the lock about
    # 8 of these 400,000 calls raised KeyError from move_to_end of an evicted key
    cache: IdentityCache[int] = IdentityCache(size=4)
    owners = [object() for _ in range(6)]

    def work(k: int) -> None:
        for r in range(50_000 * stress_rounds):
            owner = owners[(k + r) % len(owners)]
            assert cache.get(owner, partial(id, owner)) == id(owner)

    assert run_threads(8, work) == []
    assert len(cache) == cache.size


@pytest.mark.stress
@pytest.mark.parametrize("kind", [IdentityCache, LifetimeCache])
def test_one_build_per_key_and_everyone_gets_it(kind, stress_rounds):
    class Owner:
        pass

    for _ in range(stress_rounds):
        cache: IdentityCache[object] | LifetimeCache[object] = (
            IdentityCache(size=8) if kind is IdentityCache else LifetimeCache()
        )
        owners = (Owner(), Owner())
        builds: list[int] = []
        got: list[object] = []
        assert run_threads(32, partial(ask_slowly, cache, owners, builds, got)) == []
        assert len(builds) == 2  # once per key, not once per thread (before the lock: 32)
        assert len({id(value) for value in got}) == 2
        assert len(cache) == 2


def ask_slowly(
    cache: IdentityCache[object] | LifetimeCache[object],
    owners: tuple[object, object],
    builds: list[int],
    got: list[object],
    k: int,
) -> None:
    def build() -> object:
        builds.append(1)
        time.sleep(0.02)  # long enough that every thread arrives while it runs
        return object()

    got.append(cache.get(owners[k % 4 == 0], build))


def test_a_failed_build_is_retried_by_the_next_caller():
    cache: IdentityCache[int] = IdentityCache(size=2)
    owner = object()

    def fail() -> int:
        msg = "no value"
        raise ValueError(msg)

    with pytest.raises(ValueError, match="no value"):
        cache.get(owner, fail)
    assert cache.get(owner, lambda: 7) == 7
    assert cache._pending == {}


def test_lifetime_cache_forgets_a_collected_owner_and_keeps_a_live_one():
    class Owner:
        pass

    cache: LifetimeCache[list[int]] = LifetimeCache()
    kept, dropped = Owner(), Owner()
    value = cache.get(kept, lambda: [1])
    cache.get(dropped, lambda: [2])
    assert len(cache) == 2
    del dropped
    gc.collect()
    assert len(cache) == 1
    for _ in range(100):  # many other owners come and go: the live owner keeps its value
        cache.get(Owner(), lambda: [3])
    assert cache.get(kept, lambda: [4]) is value


def many_instruments(count: int) -> list[Instrument]:
    return [WHO5.model_copy(update={"id": f"who5-copy-{k}"}) for k in range(count)]


@pytest.mark.stress
def test_score_from_many_threads_with_more_instruments_than_plans_cached(stress_rounds):
    copies = many_instruments(_plan._PLAN_CACHE_SIZE + 6)
    answers = [3, 4, 2, 3, 1]
    expected = score(WHO5, answers).values

    def work(k: int) -> None:
        for r in range(150 * stress_rounds):
            result = score(copies[(k * 7 + r) % len(copies)], answers)
            assert result.values == expected

    assert run_threads(8, work) == []


@pytest.mark.stress
def test_response_model_is_one_class_per_instrument_under_concurrency(stress_rounds):
    for copy in many_instruments(stress_rounds):
        classes: list[type] = []
        errors = run_threads(32, partial(ask_for_model, copy, classes))
        assert errors == []
        assert len(set(classes)) == 1  # before: 10-18 distinct classes
        assert response_model(copy) is classes[0]


def ask_for_model(instrument: Instrument, classes: list[type], _k: int) -> None:
    classes.append(response_model(instrument))


def test_response_model_stays_one_class_beyond_the_plan_cache_size():
    copies = many_instruments(_plan._PLAN_CACHE_SIZE + 6)
    first = [response_model(copy) for copy in copies]
    assert [response_model(copy) for copy in copies] == first


@pytest.mark.parametrize("instrument_id", ["who5", "sdq-s11-17"])  # flags; gates and recodes
def test_cached_plans_are_read_only(instrument_id):
    tables = _plan.plan(get_instrument(instrument_id))
    first_scale = next(iter(tables.scales.values()))
    with pytest.raises(TypeError):
        tables.scales["new"] = first_scale  # type: ignore[index]
    with pytest.raises(TypeError):
        tables.flag_tables["new"] = (tables.allowed, tables.allowed)  # type: ignore[index]
    arrays: list[np.ndarray] = [tables.item_low, tables.item_high, tables.allowed]
    for part in tables.scales.values():
        arrays += [part.columns, part.tables]
        arrays += [] if part.gate_table is None else [part.gate_table]
        arrays += [] if part.int_tables is None else [part.int_tables]
    for columns, table in tables.flag_tables.values():
        arrays += [columns, table]
    assert arrays
    for array in arrays:
        assert isinstance(array, np.ndarray)
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array.flat[0] = array.flat[0]


def test_instrument_lookups_are_read_only():
    who5 = get_instrument("who5")
    for lookup in (who5._items_by_id, who5._scales_by_id, who5._ranges, who5._scale_items):
        with pytest.raises(TypeError):
            lookup["raw"] = None  # type: ignore[index]


# --- pickling ---------------------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", ["who5", "sdq-s11-17"])
def test_a_response_round_trips_through_pickle(instrument_id):
    model = response_model(instrument_id)
    first_item = get_instrument(instrument_id).item_ids[0]
    answers = model.model_validate({first_item: 1})
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        loaded = pickle.loads(pickle.dumps(answers, protocol=protocol))  # noqa: S301 - our own bytes
        assert type(loaded) is model
        assert loaded == answers


def test_a_response_of_a_built_instrument_round_trips_through_pickle():
    copy = WHO5.model_copy(update={"id": "who5-built"})
    answers = response_model(copy).model_validate({"1": 3})
    loaded = pickle.loads(pickle.dumps([answers, answers]))  # noqa: S301 - our own bytes
    assert loaded[0].model_dump() == answers.model_dump()
    assert type(loaded[0]) is type(loaded[1])  # one instrument in the stream: one class


def test_a_pickled_response_loads_in_a_fresh_process():
    answers = response_model("who5").model_validate({"1": 3, "who5_2": 4})
    child = (
        "import pickle, sys; answers = pickle.loads(sys.stdin.buffer.read()); "
        "print(type(answers).__name__, sorted(answers.model_dump().items()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", child],
        input=pickle.dumps(answers),
        capture_output=True,
        check=True,
        timeout=60,
    )
    expected = "who5_response [('1', 3), ('2', 4), ('3', None), ('4', None), ('5', None)]"
    assert done.stdout.decode().strip() == expected


def test_a_response_whose_instrument_is_gone_cannot_be_pickled():
    copy = WHO5.model_copy(update={"id": "who5-gone"})
    answers = response_model(copy).model_validate({"1": 3})
    del copy
    gc.collect()
    with pytest.raises(TypeError, match="no longer exists"):
        pickle.dumps(answers)
