"""The header deadline of GuardedH11Protocol, in process on a fake transport (no sockets, no sleeps)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytest.importorskip("uvicorn")

from uvicorn.config import Config
from uvicorn.server import ServerState

from trivselscore.service.protocol import GuardedH11Protocol


class Transport(asyncio.Transport):
    """Records what the protocol writes and whether it closed the connection."""

    def __init__(self) -> None:
        super().__init__()
        self.written = b""
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += bytes(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def never_answers(_scope: Any, _receive: Any, _send: Any) -> None:
    await asyncio.sleep(3600)


def protocol(monkeypatch, loop: asyncio.AbstractEventLoop) -> tuple[GuardedH11Protocol, Transport]:
    monkeypatch.setenv("TRIVSELSCORE_HEADER_TIMEOUT", "0.01")
    config = Config(app=never_answers, log_config=None)
    config.load()
    guarded = GuardedH11Protocol(config=config, server_state=ServerState(), app_state={}, _loop=loop)
    transport = Transport()
    guarded.connection_made(transport)
    return guarded, transport


def run(check: Any) -> None:
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(check(loop))
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()


def test_a_silent_connection_is_closed_without_a_word(monkeypatch):
    async def check(loop: asyncio.AbstractEventLoop) -> None:
        guarded, transport = protocol(monkeypatch, loop)
        assert guarded.header_timeout == 0.01
        await asyncio.sleep(0.05)
        assert transport.closed
        assert transport.written == b""

    run(check)


def test_half_a_head_gets_408_then_the_connection_closes(monkeypatch):
    async def check(loop: asyncio.AbstractEventLoop) -> None:
        guarded, transport = protocol(monkeypatch, loop)
        guarded.data_received(b"POST /v1/instruments/who5/score HTTP/1.1\r\nHost: t\r\n")
        await asyncio.sleep(0.05)
        assert transport.closed
        assert transport.written.startswith(b"HTTP/1.1 408 Request Timeout\r\n")

    run(check)


def test_no_deadline_while_a_request_is_served(monkeypatch):
    async def check(loop: asyncio.AbstractEventLoop) -> None:
        guarded, transport = protocol(monkeypatch, loop)
        guarded.data_received(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")  # the app now serves it
        await asyncio.sleep(0.05)
        assert not transport.closed
        guarded._expired()  # a deadline that fired all the same: it leaves the request alone
        assert not transport.closed
        guarded.connection_lost(None)

    run(check)


def test_a_deadline_on_a_closing_connection_writes_nothing(monkeypatch):
    async def check(loop: asyncio.AbstractEventLoop) -> None:
        guarded, transport = protocol(monkeypatch, loop)
        guarded.data_received(b"GET /")
        transport.closed = True
        guarded._expired()
        assert transport.written == b""

    run(check)
