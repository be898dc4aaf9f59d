"""The contract: docs/openapi.json is the live document, and every curl example of docs/service.md runs."""

from __future__ import annotations

import json
import re
import runpy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.service.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "docs" / "openapi.json"
SERVICE_DOC = ROOT / "docs" / "service.md"
SCRIPT = ROOT / "scripts" / "write_openapi.py"
DOC_URL = "http://127.0.0.1:8000"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def test_the_live_document_is_the_file(http):
    live = http.get("/openapi.json").json()
    assert live == json.loads(OPENAPI.read_text(encoding="utf-8")), "run: python scripts/write_openapi.py"


def test_the_document_does_not_depend_on_the_settings(secured):
    live = secured.client().get("/openapi.json").json()
    assert live == json.loads(OPENAPI.read_text(encoding="utf-8"))


def test_the_script_checks_and_writes(tmp_path, capsys):
    main = runpy.run_path(str(SCRIPT))["main"]
    assert main(["--check"]) == 0
    target = tmp_path / "openapi.json"
    assert main(["--check", "--output", str(target)]) == 1
    assert capsys.readouterr().err == f"{target} is out of date: run python scripts/write_openapi.py\n"
    assert main(["--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == OPENAPI.read_text(encoding="utf-8")


def test_every_operation_documents_its_errors():
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"200", "500"} <= codes, (method, path)
            assert ("401" in codes) == (path != "/health"), (method, path)
            if method == "post":
                assert {"413", "415", "422"} <= codes, path
            media = "application/fhir+json" if path.startswith("/fhir/") else "application/problem+json"
            assert media in operation["responses"]["500"]["content"], path
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def curl_examples() -> list[tuple[str, tuple[str, str] | None]]:
    blocks = [(match[1], match[2]) for match in FENCE.finditer(SERVICE_DOC.read_text(encoding="utf-8"))]
    examples: list[tuple[str, tuple[str, str] | None]] = []
    for index, (language, body) in enumerate(blocks):
        if language == "bash" and "curl " in body:
            following = blocks[index + 1] if index + 1 < len(blocks) else ("", "")
            examples.append((body, following if following[0] in {"json", "text"} else None))
    return examples


def test_the_doc_has_curl_examples_with_outputs():
    examples = curl_examples()
    assert len(examples) >= 7
    assert all(expected is not None for _, expected in examples)


def contains(expected: object, actual: object, where: str = "$") -> None:
    """``actual`` has every field of ``expected`` (objects may be shortened; lists may not)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        for key, value in expected.items():
            assert key in actual, f"{where}.{key}"
            contains(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), where
        assert len(expected) == len(actual), where
        for number, (one, other) in enumerate(zip(expected, actual, strict=True)):
            contains(one, other, f"{where}[{number}]")
    else:
        assert expected == actual, where


def documents(text: str) -> list[Any]:
    try:
        return [json.loads(text)]
    except ValueError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("bash") is None, reason="needs curl and bash"
)
@pytest.mark.parametrize(("script", "expected"), curl_examples(), ids=lambda value: str(value)[:40])
def test_curl_example_runs_against_the_live_service(server, secured, tmp_path, script, expected):
    target = secured if "TRIVSELSCORE_TOKEN" in script else server
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "TRIVSELSCORE_TOKEN": TOKEN, "HOME": str(tmp_path)}
    result = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script.replace(DOC_URL, target.base_url)],  # noqa: S607 - bash from PATH
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    language, text = expected
    if language == "text":
        assert result.stdout.strip() == text.strip()
        return
    wanted, got = documents(text), documents(result.stdout)
    assert len(wanted) == len(got), result.stdout
    for one, other in zip(wanted, got, strict=True):
        contains(one, other)


def walk(node: object, path: str = "$") -> list[tuple[str, dict[str, Any]]]:
    """Every JSON object in ``node``, with where it is."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        found.append((path, node))
        for key, value in node.items():
            found += walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += walk(value, f"{path}[{index}]")
    return found


def test_the_document_is_one_generators_accept():
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    assert all(schema.get("title") == name or "title" in schema for name, schema in schemas.items())
    for name, schema in schemas.items():  # every enumeration is a named schema of its own
        inline = [where for where, node in walk(schema) if "enum" in node and node is not schema]
        assert not inline, (name, inline)
        for field, node in schema.get("properties", {}).items():
            assert node.get("default", "unset") is not None, (name, field)  # no null default
    named = {"SourceStatus", "UnverifiedSource", "RespondentSex", "NormSex", "ChangeRuleMethod"}
    assert named <= set(schemas)
    referenced = {node["$ref"].rsplit("/", 1)[1] for _, node in walk(document) if "$ref" in node}
    assert referenced <= set(schemas)
    operation_ids = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            operation_ids.append(operation["operationId"])
            assert operation["summary"], (method, path)
            body = operation.get("requestBody")
            if method == "post":
                assert body is not None, path
                assert body["required"] is True, path
                [(_, media)] = body["content"].items()  # one media type: one typed method
                assert media["examples"], path
                assert "title" in media["schema"] or "$ref" in media["schema"], path
    assert len(operation_ids) == len(set(operation_ids))
    assert {"score_one", "score_many", "score_ndjson", "score_csv", "change"} <= set(operation_ids)


def test_request_examples_are_valid_requests(http):
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method != "post":
                continue
            [(media, content)] = operation["requestBody"]["content"].items()
            for name, example in content["examples"].items():
                value = example["value"]
                body = value.encode() if isinstance(value, str) else json.dumps(value).encode()
                url = path.replace("{instrument_id}", "who5")
                response = http.post(url, content=body, headers={"content-type": media})
                assert response.status_code == 200, (path, name, response.text[:300])
                if response.headers["content-type"] == "application/x-ndjson":
                    assert all("score" in json.loads(line) for line in response.text.splitlines()), name
