"""Write files all or nothing: temporary files beside them, renamed over them only on success.

:func:`atomic_text` writes one text file; :func:`atomic_files` writes several
(the HTML report and its Excel workbook): all are written first, and only when
every one is complete are they renamed over their targets. :func:`same_file`
tells whether two paths name one file (symbolic links, case, hard links).

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
    >>> with atomic_files([folder / "a.txt", folder / "b.txt"]) as (first, second):
    ...     _ = first.write_text("A")
    ...     _ = second.write_text("B")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt', 'b.txt', 'out.csv']
    >>> shutil.rmtree(folder)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["atomic_files", "atomic_text", "same_file"]


def same_file(first: Path | str, second: Path | str) -> bool:
    """Whether two paths name one file.

    They do when, with symbolic links resolved, the paths are equal compared
    without case (as Windows and macOS compare them; on a case-sensitive file
    system this also counts ``a.html`` and ``A.html`` as one, erring on the
    safe side), or when both exist and are the same file on disk (a hard link).

    Examples:
        >>> same_file("report.html", "./REPORT.html"), same_file("a.html", "b.html")
        (True, False)
    """
    a, b = os.path.realpath(first), os.path.realpath(second)
    if os.path.normcase(a).casefold() == os.path.normcase(b).casefold():
        return True
    try:
        return Path(a).samefile(b)
    except OSError:
        return False


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
    target = _target(path)
    descriptor, temporary = _create(target)
    try:
        with os.fdopen(descriptor, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode(temporary, target)
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise


@contextmanager
def atomic_files(paths: Sequence[Path]) -> Iterator[list[Path]]:
    """Temporary files beside each of ``paths``, renamed over them together when the block succeeds.

    The block writes each temporary file by its path (any library may save to
    it). Every folder is checked and every temporary file created before the
    block runs. When the block ends without an exception, the files are flushed
    to disk and renamed over their targets one after the other; should a rename
    fail, the targets already replaced get their old content back (kept as a hard
    link, or a copy, until every rename is done). On any exception,
    ``KeyboardInterrupt`` and ``SystemExit`` included, every temporary file is
    removed and every target keeps its old content (or stays absent).

    Raises:
        FileNotFoundError: A target's folder does not exist (nothing is created).
        ValueError: Two paths name one file.
        OSError: A file cannot be created, written or renamed.
    """
    targets = [_target(p) for p in paths]
    for i, target in enumerate(targets):
        for other in targets[i + 1 :]:
            if same_file(target, other):
                msg = f"{target} is named twice; give each output its own file"
                raise ValueError(msg)
    temporaries: list[Path] = []
    try:
        for target in targets:
            descriptor, temporary = _create(target)
            os.close(descriptor)
            temporaries.append(temporary)
        yield list(temporaries)
        for temporary, target in zip(temporaries, targets, strict=True):
            _sync(temporary)
            _keep_mode(temporary, target)
        _commit(targets, temporaries)
    except BaseException:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        raise


def _commit(targets: Sequence[Path], temporaries: Sequence[Path]) -> None:
    """Rename each temporary over its target; on a failure put back the targets already replaced."""
    done: list[tuple[Path, Path | None]] = []
    backups: list[Path] = []
    try:
        for target, temporary in zip(targets, temporaries, strict=True):
            backup = _backup(target)
            if backup is not None:
                backups.append(backup)
            temporary.replace(target)
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                backup.replace(target)
        raise
    finally:
        for backup in backups:
            backup.unlink(missing_ok=True)


def _backup(target: Path) -> Path | None:
    """A second name for the target's old content (a hard link, else a copy); None if it has none."""
    if not target.exists():
        return None
    backup = target.with_name(f".{target.name}.{secrets.token_hex(6)}.old")
    try:
        os.link(target, backup)
    except OSError:  # a file system without hard links
        shutil.copy2(target, backup)
    return backup


def _target(path: Path) -> Path:
    """The real path (symbolic links followed) of a file whose folder exists."""
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        msg = f"no such folder: {target.parent}"
        raise FileNotFoundError(msg)
    return target


def _keep_mode(temporary: Path, target: Path) -> None:
    """Give the new file the old one's permission bits (if there is an old one)."""
    with contextlib.suppress(FileNotFoundError):
        temporary.chmod(stat.S_IMODE(target.stat().st_mode))


def _sync(path: Path) -> None:
    """Flush a written file to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _create(target: Path) -> tuple[int, Path]:
    """A new file beside ``target`` with a random name, mode 0o666 less the umask (as ``open()``)."""
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:  # pragma: no cover - 48 random bits taken: draw again
            continue
