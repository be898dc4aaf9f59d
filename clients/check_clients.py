# ruff: noqa: INP001  (a script run by .ci/clients.sh, not a package)
"""Generate the Python and TypeScript clients from docs/openapi.json and call a live service with each.

Run by ``.ci/clients.sh``: ``python clients/check_clients.py GENERATOR`` with the
interpreter of the development environment (trivselscore with its ``test`` group,
which has the generated client's dependencies), where ``GENERATOR`` is the
``openapi-python-client`` executable (installed in a venv of its own); node and
npm must be on PATH.

1. Generate the Python client (``openapi-python-client``, ``clients/python/config.yaml``)
   and the TypeScript types (``openapi-typescript``); either printing a warning fails.
2. Type-check and compile ``clients/typescript/check.ts`` with ``tsc --strict``.
3. Start ``trivselscore serve`` on a free port of 127.0.0.1, with a bearer token.
4. Through each client: score one respondent, a batch (JSON and CSV), a change and a bad
   answer; every result must equal ``trivselscore.score()`` / ``classify_change()`` and
   the error must be the typed problem.

Exit code 0 when everything holds; otherwise the first failure is printed and the code is 1.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, TextIO

from trivselscore import Respondent, classify_change, score

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONTRACT = ROOT / "docs" / "openapi.json"
TOKEN = "client-check-token-0123456789"  # noqa: S105 - a throwaway token for the local test server
TIMEOUT = 300


class CheckError(AssertionError):
    """A client or a generator did not do what the contract promises."""


def run(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run a command; return its output (stdout and stderr), or fail with it."""
    result = subprocess.run(  # noqa: S603 - our own tools, fixed arguments
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        msg = f"{' '.join(command)} exited with {result.returncode}:\n{output}"
        raise CheckError(msg)
    return output


def no_warnings(output: str, allowed: tuple[str, ...], tool: str) -> None:
    """Fail when a generator printed any line but the ones it prints on success."""
    unexpected = [line for line in output.splitlines() if line.strip() and not line.startswith(allowed)]
    if unexpected:
        msg = f"{tool} printed more than its success lines (a warning about the contract?):\n{output}"
        raise CheckError(msg)


def generate_python(generator: str, work: Path) -> Path:
    """Generate the Python client package into ``work``; return the folder to put on sys.path."""
    target = work / "trivselscore_client"
    output = run(
        [
            generator,
            "generate",
            "--path",
            str(CONTRACT),
            "--meta",
            "none",
            "--output-path",
            str(target),
            "--config",
            str(HERE / "python" / "config.yaml"),
        ]
    )
    no_warnings(output, ("Generating ",), "openapi-python-client")
    return work


def generate_typescript(work: Path) -> Path:
    """Install the pinned npm packages, generate the types, type-check and compile the check."""
    folder = work / "typescript"
    shutil.copytree(HERE / "typescript", folder)
    run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder)
    bin_dir = folder / "node_modules" / ".bin"
    output = run([str(bin_dir / "openapi-typescript"), str(CONTRACT), "-o", "schema.d.ts"], cwd=folder)
    no_warnings(output, ("✨ openapi-typescript", "🚀 "), "openapi-typescript")
    output = run([str(bin_dir / "tsc"), "-p", "."], cwd=folder)
    no_warnings(output, (), "tsc")
    return folder / "dist" / "check.js"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def live_service(log: Path) -> Any:  # noqa: ANN401 - a generator context manager
    """``trivselscore serve`` on 127.0.0.1 with a token; yields its base URL."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRIVSELSCORE_")}
    env["TRIVSELSCORE_TOKEN"] = TOKEN
    command = [sys.executable, "-m", "trivselscore", "serve", "--port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(base + "/health", timeout=1) as reply,  # noqa: S310 - loopback
            ):
                if reply.status == 200:  # noqa: PLR2004 - HTTP OK
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                msg = f"the service did not start:\n{log.read_text(encoding='utf-8')}"
                raise CheckError(msg)
            time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def expect(condition: object, message: str) -> None:
    """Fail with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckError(message)


def library(instrument: str, answers: Any, **options: Any) -> dict[str, Any]:  # noqa: ANN401 - JSON
    """What ``trivselscore.score()`` returns, as JSON."""
    return score(instrument, answers, **options).model_dump(mode="json")


# --- what both clients send, and what the library says ---------------------------------------------

ONE = {"1": 3, "2": 4, "3": 2, "4": 3, "5": 1}
BATCH = [
    ({str(item): 1 for item in range(1, 26)}, {"age": 14, "sex": "female"}),
    ({"1": 2, "2": 0}, None),
]
CSV = "elev;1;2;3;4;5\nA-1;3;4;2;3;1\nA-2;5;5;NA;5;5\n"
CSV_ROWS = [("A-1", [3, 4, 2, 3, 1]), ("A-2", [5, 5, None, 5, 5])]


def expected_batch() -> list[dict[str, Any]]:
    """The library's scores of the batch rows (the third row is refused)."""
    return [
        library("sdq-s11-17", answers, missing="prorate", respondent=Respondent.model_validate(who))
        if who is not None
        else library("sdq-s11-17", answers, missing="prorate")
        for answers, who in BATCH
    ]


def expected_change() -> tuple[dict[str, Any], dict[str, Any]]:
    """``classify_change()`` of the change both clients send, and the score of its answers."""
    before = score("who5", [2, 2, 2, 2, 2])
    result = classify_change("who5", "percentage", before, 52, method="threshold")
    return result.model_dump(mode="json"), before.model_dump(mode="json")


def check_batch_lines(lines: list[dict[str, Any]], where: str) -> None:
    """The batch answer: one line per row, in order, equal to the library."""
    expect([line["row"] for line in lines] == [0, 1, 2], f"{where}: one line per row, in order")
    for line, wanted in zip(lines, expected_batch(), strict=False):
        expect(line.get("score") == wanted, f"{where}: a row differs from score(): {line}")
    error = lines[2].get("error") or {}
    expect((error.get("status"), error.get("item")) == (422, "1"), f"{where}: the bad row's error: {error}")


def check_csv_lines(lines: list[dict[str, Any]], where: str) -> None:
    """The CSV answer: the ids copied, the scores equal to the library."""
    expect([line.get("id") for line in lines] == ["A-1", "A-2"], f"{where}: the ids of the CSV rows")
    for line, (_, answers) in zip(lines, CSV_ROWS, strict=True):
        expect(line.get("score") == library("who5", answers), f"{where}: a CSV row differs from score()")


def check_problem(status: int, problem: dict[str, Any], where: str) -> None:
    """The problem of a code out of range: 422, naming the item, the value and the codes."""
    expect(status == 422, f"{where}: a bad answer gave {status}")  # noqa: PLR2004 - the documented status
    wanted = {"status": 422, "instrument": "who5", "item": "1", "value": 6, "allowed": [0, 1, 2, 3, 4, 5]}
    got = {key: problem.get(key) for key in wanted}
    expect(got == wanted, f"{where}: the problem is {problem}")


# --- the Python client -----------------------------------------------------------------------------


def check_python(path: Path, base: str) -> None:
    """Every call through the generated Python client."""
    sys.path.insert(0, str(path))
    client_module = importlib.import_module("trivselscore_client")
    models = importlib.import_module("trivselscore_client.models")
    score_one = importlib.import_module("trivselscore_client.api.scoring.score_one")
    score_many = importlib.import_module("trivselscore_client.api.scoring.score_many")
    score_csv = importlib.import_module("trivselscore_client.api.scoring.score_csv")
    change_api = importlib.import_module("trivselscore_client.api.change.change")
    types = importlib.import_module("trivselscore_client.types")
    client = client_module.AuthenticatedClient(base_url=base, token=TOKEN, raise_on_unexpected_status=True)

    one = score_one.sync(
        instrument_id="who5",
        client=client,
        body=models.ScoreRequest.from_dict({"answers": ONE, "respondent": {"age": 16}}),
    )
    expect(isinstance(one, models.Score), f"python score_one: not a Score but {type(one).__name__}")
    expect(
        one.to_dict() == library("who5", ONE, respondent=Respondent(age=16)),
        "python score_one differs from score()",
    )

    rows = [models.BatchRow.from_dict({"answers": a, "respondent": w}) for a, w in BATCH]
    rows.append(models.BatchRow.from_dict({"answers": {"1": 7}}))
    reply = score_many.sync(instrument_id="sdq-s11-17", client=client, body=rows, missing="prorate")
    lines = [models.BatchLine.from_dict(json.loads(line)) for line in reply.payload.read().splitlines()]
    check_batch_lines([line.to_dict() for line in lines], "python score_many")

    csv_file = types.File(payload=CSV.encode(), file_name="who5.csv", mime_type="text/csv")
    reply = score_csv.sync(instrument_id="who5", client=client, body=csv_file, id_column="elev")
    lines = [models.BatchLine.from_dict(json.loads(line)) for line in reply.payload.read().splitlines()]
    check_csv_lines([line.to_dict() for line in lines], "python score_csv")

    request = models.ChangeRequest.from_dict(
        {
            "instrument": "who5",
            "scale": "percentage",
            "method": "threshold",
            "before": {"answers": [2, 2, 2, 2, 2]},
            "after": 52,
        }
    )
    changed = change_api.sync(client=client, body=request)
    expect(isinstance(changed, models.ChangeResponse), "python change: not a ChangeResponse")
    wanted, before = expected_change()
    expect(changed.to_dict()["change"] == wanted, "python change differs from classify_change()")
    expect(changed.to_dict()["before_score"] == before, "python change: the before score differs")

    detailed = score_one.sync_detailed(
        instrument_id="who5", client=client, body=models.ScoreRequest.from_dict({"answers": {"1": 6}})
    )
    expect(isinstance(detailed.parsed, models.Problem), "python: the error is not a typed Problem")
    check_problem(int(detailed.status_code), detailed.parsed.to_dict(), "python problem")


# --- the TypeScript client -------------------------------------------------------------------------


def check_typescript(script: Path, base: str) -> None:
    """Every call through the compiled TypeScript check (it prints what came back)."""
    env = {**os.environ, "TRIVSELSCORE_TOKEN": TOKEN}
    result = json.loads(run(["node", str(script), base], env=env))
    expect(
        result["score"] == library("who5", ONE, respondent=Respondent(age=16)),
        "typescript score_one differs from score()",
    )
    check_batch_lines(result["batch"], "typescript score_many")
    check_csv_lines(result["csv"], "typescript score_csv")
    wanted, before = expected_change()
    expect(result["change"]["change"] == wanted, "typescript change differs from classify_change()")
    expect(result["change"]["before_score"] == before, "typescript change: the before score differs")
    check_problem(result["problem"]["status"], result["problem"]["body"], "typescript problem")


def say(line: str, stream: TextIO = sys.stdout) -> None:
    """One line of progress."""
    stream.write(line + "\n")
    stream.flush()


def main(argv: list[str]) -> int:
    """Generate, serve, call, compare; return the exit code."""
    if len(argv) != 1:
        say("usage: check_clients.py OPENAPI_PYTHON_CLIENT", sys.stderr)
        return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="trivselscore-clients-") as folder:
        work = Path(folder)
        try:
            python_path = generate_python(argv[0], work)
            say("generated the Python client (no warning)")
            script = generate_typescript(work)
            say("generated the TypeScript types and compiled the check (no warning)")
            with live_service(work / "service.log") as base:
                check_python(python_path, base)
                say("Python client: score, batch, CSV, change and problem equal the library")
                check_typescript(script, base)
                say("TypeScript client: score, batch, CSV, change and problem equal the library")
        except CheckError as error:
            say(f"clients: FAILED: {error}", sys.stderr)
            return 1
    say(f"clients: both generated clients agree with the library ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
