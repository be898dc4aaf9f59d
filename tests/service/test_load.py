"""A bounded load check: 2,000 requests from 16 concurrent clients, no error, every result exact.

The clients are plain keep-alive HTTP/1.1 connections (asyncio streams), so that
the check measures the service rather than a client library. With
TRIVSELSCORE_STRESS=long the run is 20 times longer.
"""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any
from urllib.parse import urlsplit

import pytest

from trivselscore import get_instrument, score

REQUESTS = 2000
CLIENTS = 16
INSTRUMENTS = ("who5", "sdq-s11-17")


def workload(n: int, seed: int) -> list[tuple[str, dict[str, int | None]]]:
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    jobs = []
    for _ in range(n):
        instrument = get_instrument(rng.choice(INSTRUMENTS))
        answers = {item.id: rng.choice([*item.codes, None]) for item in instrument.items}
        jobs.append((instrument.id, answers))
    return jobs


async def post(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, body: bytes
) -> tuple[int, bytes]:
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
    await writer.drain()
    lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if line)
    return int(lines[0].split(" ")[1]), await reader.readexactly(int(headers["content-length"]))


async def run(base_url: str, jobs: list[tuple[str, dict[str, int | None]]]) -> list[tuple[int, Any]]:
    address = urlsplit(base_url)
    assert address.hostname is not None
    queue: asyncio.Queue[tuple[int, tuple[str, dict[str, int | None]]]] = asyncio.Queue()
    for index, job in enumerate(jobs):
        queue.put_nowait((index, job))
    results: list[tuple[int, Any]] = [(0, None)] * len(jobs)

    async def client() -> None:
        reader, writer = await asyncio.open_connection(address.hostname, address.port)
        try:
            while not queue.empty():
                index, (instrument_id, answers) = queue.get_nowait()
                body = json.dumps({"answers": answers}).encode()
                status, reply = await post(reader, writer, f"/v1/instruments/{instrument_id}/score", body)
                results[index] = (status, json.loads(reply))
        finally:
            writer.close()
            await writer.wait_closed()

    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return results


@pytest.mark.stress
def test_concurrent_clients_get_exactly_the_library_results(server, stress_rounds):
    jobs = workload(REQUESTS * stress_rounds, seed=16)
    results = asyncio.run(run(server.base_url, jobs))
    assert [status for status, _ in results] == [200] * len(jobs)
    for (instrument_id, answers), (_, body) in zip(jobs, results, strict=True):
        assert body == score(instrument_id, answers).model_dump(mode="json")
