"""uvicorn's HTTP/1.1 protocol (h11) with a deadline for the client: slow clients cannot hold connections.

Uvicorn closes a keep-alive connection that stays idle, but it waits for ever for
a connection that sends nothing, for a request head that arrives a byte at a time,
and for a request body that nobody reads. :class:`GuardedH11Protocol` closes such a
connection when the client has not finished within the header timeout
(``TRIVSELSCORE_HEADER_TIMEOUT``, :data:`DEFAULT_HEADER_TIMEOUT` seconds by
default): the clock starts when the connection opens, or when the first byte of the
next request arrives after a response, and stops when the request head is complete
and the app starts. A client that had sent part of a head gets ``408 Request
Timeout`` before the connection closes. Reading the body is timed by the app (the
body timeout of :class:`~trivselscore.service.middleware.ServiceMiddleware`).

``trivselscore serve`` uses it; an app embedded in another uvicorn can use it too::

    uvicorn examples.api:app --http trivselscore.service.protocol:GuardedH11Protocol
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Final

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from trivselscore.service.settings import ENV_PREFIX

if TYPE_CHECKING:
    import asyncio

__all__ = ["DEFAULT_HEADER_TIMEOUT", "GuardedH11Protocol", "header_timeout"]

DEFAULT_HEADER_TIMEOUT: Final = 10.0
"""Seconds a client has to send a whole request head (and the rest of a body nobody reads)."""

_TIMEOUT_TEXT: Final = b"The request head did not arrive in time.\n"
_TIMEOUT_RESPONSE: Final = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    + f"content-length: {len(_TIMEOUT_TEXT)}\r\nconnection: close\r\n\r\n".encode()
    + _TIMEOUT_TEXT
)


def header_timeout() -> float:
    """The header timeout in seconds: ``TRIVSELSCORE_HEADER_TIMEOUT`` if it is a positive number."""
    text = os.environ.get(ENV_PREFIX + "HEADER_TIMEOUT", "").strip()
    try:
        value = float(text) if text else DEFAULT_HEADER_TIMEOUT
    except ValueError:
        return DEFAULT_HEADER_TIMEOUT
    return value if value > 0 else DEFAULT_HEADER_TIMEOUT


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose client is too slow (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - uvicorn's own arguments
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout()
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock: the client must send a request head in time."""
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Feed h11; keep the clock running while no request is being served."""
        super().data_received(data)
        if self._serving():
            self._disarm()
        elif self._deadline is None and not self.transport.is_closing():
            self._arm()

    def on_response_complete(self) -> None:
        """After a response, uvicorn's keep-alive timeout governs an idle connection."""
        self._disarm()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self._disarm()
        super().connection_lost(exc)

    def _serving(self) -> bool:
        """Whether the app is serving a request (uvicorn types ``cycle`` as never None; it is at first)."""
        cycle: object = self.cycle
        return cycle is not None and not self.cycle.response_complete

    def _arm(self) -> None:
        self._deadline = self.loop.call_later(self.header_timeout, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self._serving() or self.transport.is_closing():
            return
        partial_head = self.conn.their_state is h11.IDLE and bool(self.conn.trailing_data[0])
        if partial_head:
            self.transport.write(_TIMEOUT_RESPONSE)
        self.transport.close()
