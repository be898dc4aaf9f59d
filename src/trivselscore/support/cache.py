"""A small least-recently-used cache keyed by an object's identity.

Definitions are frozen but may be built at run time (user instruments, generated
ones in tests), so work derived from one (engine plans, response models, the
boundary solver's tables) is cached per object. The entry keeps the object itself,
so its ``id`` cannot be reused by another object while the entry lives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["IdentityCache"]

V = TypeVar("V")


class IdentityCache(Generic[V]):
    """Values built from an object, looked up by the object's identity (and an optional extra key).

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
        self.size = size
        self._entries: OrderedDict[tuple[int, Hashable], tuple[object, V]] = OrderedDict()

    def __len__(self) -> int:
        """Number of cached values."""
        return len(self._entries)

    def get(self, owner: object, build: Callable[[], V], extra: Hashable = None) -> V:
        """The cached value for ``owner`` (and ``extra``), built with ``build`` on a miss."""
        key = (id(owner), extra)
        hit = self._entries.get(key)
        if hit is not None and hit[0] is owner:
            self._entries.move_to_end(key)
            return hit[1]
        value = build()
        self._entries[key] = (owner, value)
        self._entries.move_to_end(key)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value
