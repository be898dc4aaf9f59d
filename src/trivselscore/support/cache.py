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

:class:`SourceCache` is of another kind: a value pickled to a file, keyed by the
bytes of the source files that build it (as Python keeps bytecode beside them),
so a process can load what an earlier one built and checked.
"""

# os.path, not pathlib: importing pathlib costs a tenth of `import numpy` on every first call
# ruff: noqa: PTH103, PTH105, PTH108, PTH110, PTH118, PTH119, PTH120, PTH123, PTH208

from __future__ import annotations

import os
import pickle
import sys
import threading
import weakref
import zlib
from collections import OrderedDict
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable, Iterable

__all__ = ["IdentityCache", "LifetimeCache", "SourceCache"]

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


class SourceCache:
    """A value built from source files, pickled once per version of those files.

    The key is a checksum (CRC-32 and Adler-32 with the length: 64 bits against an
    accidental match) of ``salt`` and every ``*.py`` file in ``folders``, names and
    bytes, so any edit to them, or another Python, pydantic or library version in
    ``salt``, names another file and the value is built again. The file is written
    in ``folder`` (atomically; not at all when Python writes no bytecode,
    ``PYTHONDONTWRITEBYTECODE``, or the folder is read only) and trusted as Python
    trusts the bytecode beside the sources: whoever can write it can already change
    the sources. A file that cannot be read or unpickled is ignored and the value
    built. Only the standard library's cheapest modules are used (no pathlib,
    hashlib or tempfile), as the registry loads through this on every first call.

    Examples:
        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> with open(os.path.join(folder, "data.py"), "w") as source:
        ...     _ = source.write("VALUE = 42")
        >>> cache = SourceCache("demo", [folder], salt="1", folder=os.path.join(folder, "__pycache__"))
        >>> cache.get(lambda: {"answer": 42}, write=True)
        {'answer': 42}
        >>> cache.get(lambda: {"answer": 0})  # loaded from the file, not built again
        {'answer': 42}
    """

    def __init__(self, name: str, folders: Iterable[str], *, salt: str, folder: str) -> None:
        self.name = name
        self.folders = tuple(folders)
        self.salt = salt
        self.folder = folder

    def key(self) -> str | None:
        """The checksum of the sources (None if one cannot be read: nothing is cached then)."""
        data = [self.salt.encode()]
        try:
            for folder in self.folders:
                names = sorted(n for n in os.listdir(folder) if n.endswith(".py"))
                for name in names:
                    with open(os.path.join(folder, name), "rb") as source:
                        data += [name.encode(), source.read()]
        except OSError:
            return None
        joined = b"\0".join(data)
        return f"{zlib.crc32(joined):08x}{zlib.adler32(joined):08x}{len(joined):x}"

    def path(self) -> str | None:
        """Where the value of the current sources is kept (None: not cached)."""
        key = self.key()
        return None if key is None else os.path.join(self.folder, f"{self.name}.{key}.pickle")

    def get(self, build: Callable[[], V], *, write: bool | None = None) -> V:
        """The value of the current sources: unpickled if a file has it, else built (and written).

        ``write`` defaults to whether Python writes bytecode (``sys.dont_write_bytecode``).
        """
        path = self.path()
        if path is not None:
            try:
                with open(path, "rb") as handle:
                    value: V = pickle.load(handle)  # noqa: S301 - our own file, keyed by the sources
            except (
                OSError,
                pickle.UnpicklingError,
                EOFError,
                AttributeError,
                ImportError,
                TypeError,
                ValueError,
            ):
                pass
            else:
                return value
        value = build()
        if path is not None and (not sys.dont_write_bytecode if write is None else write):
            _write_atomically(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            self._forget_others(path)
        return value

    def _forget_others(self, kept: str) -> None:
        """Remove the copies of earlier versions of the sources (best effort)."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            path = os.path.join(self.folder, name)
            if name.startswith(f"{self.name}.") and name.endswith(".pickle") and path != kept:
                try:
                    os.unlink(path)
                except OSError:
                    continue


def _write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder; give up quietly."""
    import tempfile  # noqa: PLC0415 - only when writing (it imports shutil, lzma, ...)

    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=os.path.basename(path), suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError:
        return
