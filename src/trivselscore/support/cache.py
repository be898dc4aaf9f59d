"""Thread-safe caches of values built from an object, keyed by the object's identity.

Definitions are frozen but may be built at run time (user instruments, generated
ones in tests), so work derived from one (engine plans, response models, the
boundary solver's tables) is cached per object.

Both caches are safe to share between threads: one lock guards the entries, and
a value is built at most once per key at a time. When several threads ask for a
missing key at once, the first builds it and the others wait for it and get the
same value (if the build raises, the next waiting thread tries again).

* :class:`IdentityCache` keeps the ``size`` most recently used values. An entry
  holds its owner, so the owner's ``id`` cannot be reused while the entry lives.
* :class:`LifetimeCache` keeps a value exactly as long as its owner lives (it
  holds only a weak reference to the owner), so the value of a live owner is
  always the same object. The value must not refer to its owner.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

__all__ = ["IdentityCache", "LifetimeCache"]

V = TypeVar("V")
_Key = tuple[int, "Hashable"]


class _Pending:
    """The build of one key in progress: its lock, and how many callers use it."""

    __slots__ = ("lock", "owner", "users")

    def __init__(self, owner: object) -> None:
        self.lock = threading.Lock()
        self.owner = owner  # keeps the owner's id from being reused while the build runs
        self.users = 0


class _Builds(Generic[V]):
    """The locking shared by both caches; subclasses say how entries are kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[_Key, _Pending] = {}

    def get(self, owner: object, build: Callable[[], V], extra: Hashable = None) -> V:
        """The cached value for ``owner`` (and ``extra``), built with ``build`` on a miss.

        Safe to call from many threads at once: ``build`` runs once per key, and
        callers asking for the same key meanwhile wait for its value.
        """
        key = (id(owner), extra)
        with self._lock:
            found = self._find(key, owner)
            if found is not None:
                return found[0]
            pending = self._pending.get(key)
            if pending is None:
                pending = self._pending[key] = _Pending(owner)
            pending.users += 1
        try:
            with pending.lock:  # the first caller builds; the others wait here
                with self._lock:
                    found = self._find(key, owner)
                if found is not None:
                    return found[0]
                value = build()
                with self._lock:
                    self._store(key, owner, value)
                return value
        finally:
            with self._lock:
                pending.users -= 1
                if not pending.users:
                    del self._pending[key]

    def _find(self, key: _Key, owner: object) -> tuple[V] | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _store(self, key: _Key, owner: object, value: V) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class IdentityCache(_Builds[V]):
    """The ``size`` most recently used values, looked up by the owner's identity (and an extra key).

    Examples:
        >>> cache: IdentityCache[int] = IdentityCache(size=2)
        >>> owner = object()
        >>> cache.get(owner, lambda: 41 + 1)
        42
        >>> cache.get(owner, lambda: 0)  # built once
        42
        >>> len(cache)
        1
    """

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self._entries: OrderedDict[_Key, tuple[object, V]] = OrderedDict()

    def __len__(self) -> int:
        """Number of cached values."""
        with self._lock:
            return len(self._entries)

    def _find(self, key: _Key, owner: object) -> tuple[V] | None:
        hit = self._entries.get(key)
        if hit is None or hit[0] is not owner:
            return None
        self._entries.move_to_end(key)
        return (hit[1],)

    def _store(self, key: _Key, owner: object, value: V) -> None:
        self._entries[key] = (owner, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


class LifetimeCache(_Builds[V]):
    """Values kept as long as their owner lives, looked up by the owner's identity.

    The owner must accept weak references. Entries of collected owners are
    dropped on the next call.

    Examples:
        >>> class Owner:
        ...     pass
        >>> cache: LifetimeCache[list[int]] = LifetimeCache()
        >>> owner = Owner()
        >>> cache.get(owner, lambda: [1]) is cache.get(owner, lambda: [2])
        True
        >>> del owner
        >>> len(cache)
        0
    """

    def __init__(self) -> None:
        super().__init__()
        self._entries: dict[_Key, tuple[weakref.ref[object], V]] = {}
        # filled by weakref callbacks, which may run in any thread at any moment, so they
        # take no lock: the next caller drops the entries under the lock
        self._dead: list[tuple[_Key, weakref.ref[object]]] = []

    def __len__(self) -> int:
        """Number of cached values of live owners."""
        with self._lock:
            self._drop_dead()
            return len(self._entries)

    def _drop_dead(self) -> None:
        while self._dead:
            key, ref = self._dead.pop()
            entry = self._entries.get(key)
            if entry is not None and entry[0] is ref:
                del self._entries[key]

    def _find(self, key: _Key, owner: object) -> tuple[V] | None:
        self._drop_dead()
        hit = self._entries.get(key)
        if hit is None or hit[0]() is not owner:
            return None
        return (hit[1],)

    def _store(self, key: _Key, owner: object, value: V) -> None:
        dead = self._dead

        def forget(ref: weakref.ref[object]) -> None:
            dead.append((key, ref))

        self._entries[key] = (weakref.ref(owner, forget), value)
