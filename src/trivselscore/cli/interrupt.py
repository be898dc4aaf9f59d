"""SIGINT and SIGTERM as one exception, so a command can clean up and exit with one line.

By default SIGINT raises ``KeyboardInterrupt`` wherever the program is (a traceback
unless caught) and SIGTERM ends the process at once, without running ``finally``
blocks or removing temporary files. Inside :func:`stop_on_signals` both raise
:class:`Stopped`, which unwinds through every ``with`` and ``finally`` (an atomic
output file removes its temporary file); the command then prints one line and
returns :attr:`Stopped.exit_code`, ``128 + signal number`` as shells report it.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import FrameType

__all__ = ["SIGNALS", "Stopped", "stop_on_signals"]

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopped(BaseException):
    """The process was asked to stop by a signal.

    A ``BaseException``, like ``KeyboardInterrupt``, so that ``except Exception``
    does not swallow it.

    Examples:
        >>> stop = Stopped(signal.SIGTERM)
        >>> stop.name, stop.exit_code
        ('SIGTERM', 143)
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name
        self.exit_code = 128 + signum


def _stop(signum: int, _frame: FrameType | None) -> None:
    for number in SIGNALS:  # a second signal must not interrupt the clean-up
        signal.signal(number, signal.SIG_IGN)
    raise Stopped(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Stopped`; the old handlers come back after.

    Signal handlers belong to the main thread: called from another thread this
    changes nothing (the process keeps its handlers).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in SIGNALS}
    for number in SIGNALS:
        signal.signal(number, _stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
