"""Write a file all or nothing: a temporary file beside it, renamed over it only on success.

Examples:
    >>> import shutil, tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_text(folder / "out.csv") as handle:
    ...     _ = handle.write("a,b")
    >>> (folder / "out.csv").read_text()
    'a,b'
    >>> try:
    ...     with atomic_text(folder / "out.csv") as handle:
    ...         _ = handle.write("half")
    ...         raise ValueError("stop")
    ... except ValueError:
    ...     pass
    >>> (folder / "out.csv").read_text(), [p.name for p in folder.iterdir()]
    ('a,b', ['out.csv'])
    >>> shutil.rmtree(folder)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["atomic_text"]


@contextmanager
def atomic_text(path: Path, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Open a temporary text file beside ``path``; on success, it replaces ``path`` in one step.

    The temporary file (``.NAME.XXXX.part``) sits in the target's folder, so the
    final :func:`os.replace` is a rename on one file system. On any exception,
    ``KeyboardInterrupt`` and ``SystemExit`` included, it is removed and ``path``
    keeps its old content (or stays absent). A symbolic link is followed: the
    file it points to is replaced. The new file gets the old one's permission
    bits, or those a plain ``open()`` would give.

    Raises:
        FileNotFoundError: The target's folder does not exist.
        OSError: The temporary file cannot be created, written or renamed.
    """
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        msg = f"no such folder: {target.parent}"
        raise FileNotFoundError(msg)
    descriptor, temporary = _create(target)
    try:
        with os.fdopen(descriptor, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            temporary.chmod(stat.S_IMODE(target.stat().st_mode))
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise


def _create(target: Path) -> tuple[int, Path]:
    """A new file beside ``target`` with a random name, mode 0o666 less the umask (as ``open()``)."""
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:  # pragma: no cover - 48 random bits taken: draw again
            continue
