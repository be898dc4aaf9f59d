"""Measure the scoring service over HTTP: requests per second and latency, 1 and 2 workers.

Usage::

    python benchmarks/service.py                 # about a minute on 2 cores
    python benchmarks/service.py --seconds 1     # a quick look

For each worker count the script starts the service (uvicorn, 127.0.0.1, a free
port) in its own process, and drives it from another process with 16 keep-alive
HTTP/1.1 connections for ``--seconds`` per endpoint:

* one WHO-5 score (``POST /v1/instruments/who5/score``),
* one SDQ self-report score (``POST /v1/instruments/sdq-s11-17/score``),
* the baseline: the same app with one more route that reads and validates the
  same WHO-5 request body as the score route does (strict JSON into
  ``ScoreRequest``, through the same middleware) and returns a constant.

It prints a table (requests/s, p50 and p99 latency, errors) and the ratio of the
baseline's rate to the WHO-5 score's (target: at most 1.5, i.e. scoring costs at
most half again as much as receiving and validating the request). The server and
the load share the machine's cores, as a sidecar deployment would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from trivselscore.service.models import ScoreRequest

HERE = Path(__file__).resolve().parent
CONCURRENCY = 16
MAX_RATIO = 1.5
WHO5_BODY = {"answers": {"1": 3, "2": 4, "3": 2, "4": 3, "5": 1}, "respondent": {"age": 16}}
SDQ_BODY = {"answers": [1, 2, 0, 1, 2] * 5 + [2, 1, 1, 0, 1, 2, 1, 0, 1, 1], "respondent": {"age": 14}}
BASELINE = "/bench/validate-only/{instrument_id}"


def bench_app() -> Any:  # noqa: ANN401 - a FastAPI app (imported lazily)
    """The service's app plus the baseline route: validate the body, return a constant."""
    from fastapi import Depends, Request  # noqa: PLC0415 - the server side only
    from fastapi.responses import Response  # noqa: PLC0415

    from trivselscore.service import create_app  # noqa: PLC0415
    from trivselscore.service.bodies import parse_model  # noqa: PLC0415
    from trivselscore.service.options import require_json  # noqa: PLC0415

    app = create_app()

    async def validate_only(instrument_id: str, request: Request) -> Response:
        del instrument_id
        parse_model(await request.body(), ScoreRequest)
        return Response(b'{"ok": true}', media_type="application/json")

    validate_only.__annotations__["request"] = Request  # imported here: the string would not resolve

    app.add_api_route(
        BASELINE, validate_only, methods=["POST"], dependencies=[Depends(require_json)], response_model=None
    )
    return app


def serve(port: int, workers: int) -> None:
    """Run the benchmark app (server process), as ``trivselscore serve`` runs the service."""
    from trivselscore.service import Settings  # noqa: PLC0415 - the server side only
    from trivselscore.service.cli import serve as run_server  # noqa: PLC0415

    sys.path.insert(0, str(HERE))  # the workers import service:bench_app
    run_server(Settings(port=port, workers=workers, log_level="warning"), factory="service:bench_app")


async def _post(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    writer.write(request)
    await writer.drain()
    lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if line)
    return int(lines[0].split(" ")[1]), await reader.readexactly(int(headers["content-length"]))


async def _drive(port: int, path: str, body: bytes, seconds: float) -> dict[str, Any]:
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    request = f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body
    latencies: list[float] = []
    errors = 0
    first: bytes | None = None
    warm_until = time.perf_counter() + min(1.0, seconds / 4)
    stop = warm_until + seconds

    async def connection() -> None:
        nonlocal errors, first
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while (now := time.perf_counter()) < stop:
            status, reply = await _post(reader, writer, request)
            if now >= warm_until:
                latencies.append(time.perf_counter() - now)
                errors += status != 200  # noqa: PLR2004 - HTTP OK
            first = first or reply
        writer.close()

    await asyncio.gather(*(connection() for _ in range(CONCURRENCY)))
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "errors": errors,
        "first": (first or b"").decode(),
    }


def load(port: int, path: str, body: str, seconds: float) -> None:
    """Drive one endpoint (load process) and print the measurement as JSON."""
    print(json.dumps(asyncio.run(_drive(port, path, body.encode(), seconds))))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    command = [sys.executable, __file__, "--serve", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603 - our own interpreter and script
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    time.sleep(0.5 if workers > 1 else 0)  # let every worker finish starting
                    return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    msg = "the service did not start"
    raise RuntimeError(msg)


def _measure(port: int, path: str, body: dict[str, Any], seconds: float) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--load",
        str(port),
        path,
        json.dumps(body),
        "--seconds",
        str(seconds),
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 - our own script
    return dict(json.loads(out.stdout))


def _check(name: str, first: str, body: dict[str, Any], instrument_id: str) -> None:
    """The service's answer equals the library's (a benchmark of a wrong answer is worthless)."""
    from trivselscore import Respondent, score  # noqa: PLC0415

    expected = score(instrument_id, body["answers"], respondent=Respondent(**body["respondent"]))
    if json.loads(first) != expected.model_dump(mode="json"):
        msg = f"{name}: the service's score differs from score()"
        raise AssertionError(msg)


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seconds", type=float, default=5.0, help="measured seconds per endpoint (default 5)"
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (default 1 2)")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve, args.workers[0])
        return
    if args.load is not None:
        load(int(args.load[0]), args.load[1], args.load[2], args.seconds)
        return
    print(
        f"# trivselscore service: Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{CONCURRENCY} connections"
    )
    print()
    print("| workers | request | requests/s | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    ratios: dict[int, float] = {}
    for workers in args.workers:
        process, port = _start(workers)
        try:
            cases: list[tuple[str, str, dict[str, Any], str | None]] = [
                ("WHO-5 score", "/v1/instruments/who5/score", WHO5_BODY, "who5"),
                ("SDQ score (sdq-s11-17)", "/v1/instruments/sdq-s11-17/score", SDQ_BODY, "sdq-s11-17"),
                ("baseline: validate only", BASELINE.format(instrument_id="who5"), WHO5_BODY, None),
            ]
            rates = {}
            for name, path, body, instrument_id in cases:
                result = _measure(port, path, body, args.seconds)
                if instrument_id is not None:
                    _check(name, result["first"], body, instrument_id)
                rates[name] = result["rps"]
                print(
                    f"| {workers} | {name} | {result['rps']:,.0f} | {result['p50_ms']:.2f} | "
                    f"{result['p99_ms']:.2f} | {result['errors']} |",
                    flush=True,
                )
            ratios[workers] = rates["baseline: validate only"] / rates["WHO-5 score"]
        finally:
            process.terminate()
            process.wait(timeout=30)
    print()
    for workers, ratio in ratios.items():
        verdict = "met" if ratio <= MAX_RATIO else "NOT met"
        print(
            f"{workers} worker(s): validate-only rate / WHO-5 score rate = {ratio:.2f}x "
            f"(target <= {MAX_RATIO}x): {verdict}"
        )


if __name__ == "__main__":
    main()
