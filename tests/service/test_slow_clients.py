"""Slow clients are timed out (a real uvicorn with one-second header, body and keep-alive timeouts).

Every case runs at once on raw sockets, so the whole file takes about two timeouts. A
connection counts as closed when the server ends it (the read returns end of file)
well before the test's own limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.service.conftest import STRICT_TIMEOUT

if TYPE_CHECKING:
    from tests.service.conftest import Server

LIMIT = STRICT_TIMEOUT + 4.0  # the test gives up here: the server must have closed long before
SCORE = "POST /v1/instruments/who5/score HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
SLOW_CONNECTIONS = 200


@contextlib.asynccontextmanager
async def connect(server: Server) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    address = urlsplit(server.base_url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    try:
        yield reader, writer
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def until_closed(reader: asyncio.StreamReader, started: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and after how many seconds."""
    received = b""
    while chunk := await asyncio.wait_for(reader.read(65536), timeout=LIMIT - (time.monotonic() - started)):
        received += chunk
    return received, time.monotonic() - started


async def silent(server: Server) -> tuple[bytes, float]:
    async with connect(server) as (reader, _):
        return await until_closed(reader, time.monotonic())


async def half_a_head(server: Server) -> tuple[bytes, float]:
    async with connect(server) as (reader, writer):
        started = time.monotonic()
        writer.write(SCORE.encode())  # the blank line that ends the head never comes
        await writer.drain()
        return await until_closed(reader, started)


async def trickle(server: Server, head: bytes, drip: bytes) -> tuple[bytes, float]:
    """Send ``head``, then ``drip`` one byte every 0.2 s until the server closes."""
    async with connect(server) as (reader, writer):
        started = time.monotonic()
        closed = asyncio.create_task(until_closed(reader, started))
        writer.write(head)
        for byte in drip:
            if closed.done():
                break
            try:
                writer.write(bytes([byte]))
                await writer.drain()
            except ConnectionError:
                break
            await asyncio.sleep(0.2)
        return await closed


async def slowloris(server: Server) -> tuple[bytes, float]:
    """A head a byte at a time: each byte would restart a per-read timeout."""
    return await trickle(server, b"", (SCORE + "X-Padding: " + "a" * 100).encode())


async def unread_body(server: Server) -> tuple[bytes, float]:
    """A body on a route that never reads it, trickling on after the answer."""
    head = b"GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n"
    return await trickle(server, head, b"x" * 100)


async def slow_body(server: Server) -> tuple[bytes, float]:
    """A whole head, then part of the body, then nothing."""
    async with connect(server) as (reader, writer):
        started = time.monotonic()
        writer.write(f'{SCORE}Content-Length: 100\r\n\r\n{{"answers": '.encode())
        await writer.drain()
        return await until_closed(reader, started)


async def idle_after_answer(server: Server) -> tuple[bytes, float]:
    async with connect(server) as (reader, writer):
        writer.write(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        lengths = [
            line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        ]
        await reader.readexactly(int(lengths[0]))
        return await until_closed(reader, time.monotonic())


async def in_time(server: Server) -> tuple[bytes, float]:
    """A head in two parts and a body, each well inside the timeouts: answered."""
    async with connect(server) as (reader, writer):
        started = time.monotonic()
        body = json.dumps({"answers": [3, 3, 3, 3, 3]}).encode()
        writer.write(SCORE.encode())
        await writer.drain()
        await asyncio.sleep(STRICT_TIMEOUT / 4)
        writer.write(f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        await asyncio.sleep(STRICT_TIMEOUT / 4)
        writer.write(body)
        await writer.drain()
        return await until_closed(reader, started)


async def attack(server: Server) -> tuple[list[tuple[bytes, float]], float]:
    """Many silent or half-sent connections, and a normal request in the middle of them."""
    slow = [asyncio.create_task((silent if n % 2 else half_a_head)(server)) for n in range(SLOW_CONNECTIONS)]
    await asyncio.sleep(0.2)
    started = time.monotonic()
    reply, _ = await in_time(server)
    served = time.monotonic() - started
    assert reply.startswith(b"HTTP/1.1 200 "), reply[:200]
    return list(await asyncio.gather(*slow)), served


def status(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/1.1 ") else 0


def test_slow_clients_are_timed_out(strict):
    async def everything() -> tuple[list[tuple[bytes, float]], tuple[list[tuple[bytes, float]], float]]:
        cases = [silent, half_a_head, slowloris, slow_body, unread_body, idle_after_answer, in_time]
        return await asyncio.gather(
            asyncio.gather(*(case(strict) for case in cases)),
            attack(strict),
        )

    single, (many, served) = asyncio.run(everything())
    names = ["silent", "half", "slowloris", "body", "unread", "idle", "in_time"]
    by_name = dict(zip(names, single, strict=True))
    for name, (_, seconds) in by_name.items():
        assert seconds < STRICT_TIMEOUT + 2.5, (name, seconds)
    assert by_name["silent"][0] == b""  # nothing was asked: the connection just closes
    assert status(by_name["half"][0]) == 408
    assert status(by_name["slowloris"][0]) == 408
    assert by_name["slowloris"][1] < STRICT_TIMEOUT + 1.5  # one deadline for the head, not per byte
    body = by_name["body"][0]
    assert status(body) == 408
    assert b"application/problem+json" in body
    problem = json.loads(body.split(b"\r\n\r\n", 1)[1])
    assert problem["title"] == "Request Timeout"
    assert problem["detail"] == f"the request body did not arrive within {STRICT_TIMEOUT} seconds"
    assert status(by_name["unread"][0]) == 200  # answered, then closed although the body trickles on
    assert by_name["idle"][0] == b""  # uvicorn's keep-alive timeout
    assert status(by_name["in_time"][0]) == 200
    assert len(many) == SLOW_CONNECTIONS
    assert all(seconds < STRICT_TIMEOUT + 2.5 for _, seconds in many)
    assert served < STRICT_TIMEOUT, "a normal request waited behind the slow ones"
    log = strict.log_text()
    assert "status=408" in log
    assert "Traceback" not in log
