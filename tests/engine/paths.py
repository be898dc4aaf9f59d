"""Run ``score()`` on both of its paths and compare: the scalar path (engine/single.py) and numpy.

Shared by ``tests/engine/test_single_path.py`` and the contract check
``single-equals-numpy`` (``tests/contract/checks.py``).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from trivselscore import Score, score
from trivselscore.definitions import Instrument
from trivselscore.engine import single

__all__ = ["assert_paths_agree", "assert_same", "numpy_path", "outcome"]


@contextmanager
def numpy_path() -> Iterator[None]:
    """``score()`` with the scalar path switched off."""
    with mock.patch.object(single, "evaluate", return_value=None):
        yield


def outcome(call: Callable[[], Score]) -> tuple[str, Any]:
    try:
        return "ok", call()
    except Exception as error:  # noqa: BLE001 - the error itself is what is compared
        return "error", error


def assert_same(fast: Score, slow: Score) -> None:
    assert fast == slow
    assert repr(fast) == repr(slow)  # 3 and 3.0 compare equal; their reprs do not
    assert fast.model_dump() == slow.model_dump()
    assert fast.model_dump_json() == slow.model_dump_json()
    assert hash(fast) == hash(slow)
    assert fast.model_fields_set == slow.model_fields_set
    assert pickle.loads(pickle.dumps(fast)) == slow  # noqa: S301 - our own bytes
    assert Score.model_validate(fast.model_dump()) == fast
    for mine, theirs in zip(fast.scales, slow.scales, strict=True):
        assert mine.model_fields_set == theirs.model_fields_set
        assert [b.model_fields_set for b in mine.bands] == [b.model_fields_set for b in theirs.bands]


def assert_paths_agree(instrument: Instrument | str, answers: Any, **options: Any) -> str:
    """Both paths of ``score()`` on one input; returns "ok" or "error"."""
    kind, fast = outcome(lambda: score(instrument, answers, **options))
    with numpy_path():
        kind_slow, slow = outcome(lambda: score(instrument, answers, **options))
    assert kind == kind_slow, (fast, slow)
    if kind == "error":
        assert type(fast) is type(slow)
        assert str(fast) == str(slow)
        assert vars(fast) == vars(slow)
    else:
        assert_same(fast, slow)
    return kind
