"""The real server's log: one line per request, and no answer, score, identifier or query string.

The log is the server process's own output (stderr), read from the file it
writes to. Every line must match one of a few known shapes: uvicorn's start-up
lines, and the service's request line with a path template from the OpenAPI
document. Uvicorn's access log (which would carry the full path, query string
and client address) must not appear.
"""

from __future__ import annotations

import json
import re
import time
from typing import TYPE_CHECKING

from tests.fhir import fixtures
from tests.service.conftest import Server

if TYPE_CHECKING:
    import httpx

PERSON_REFERENCE = "Patient/0101011234"
PUPIL_ID = "ELEV-4711"
CPR_QUERY = "cpr=2512489996"
LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?P<level>[A-Z]+) (?P<logger>[a-z.]+): (?P<message>.*)$"
)
REQUEST = re.compile(
    r"^request method=(?P<method>[A-Z]+) path=(?P<path>\S+) status=(?P<status>\d{3}) "
    r"duration_ms=\d+\.\d instrument=(?P<instrument>[a-z0-9-]+|-)$"
)
UVICORN = re.compile(
    r"^(Started server process \[\d+\]|Waiting for application startup\.|Application startup complete\."
    r"|Uvicorn running on http://127\.0\.0\.1:\d+ \(Press CTRL\+C to quit\))$"
)


def traffic(client: httpx.Client) -> None:
    """Requests carrying answers, scores, an identifier and a query string."""
    client.post(f"/v1/instruments/who5/score?{CPR_QUERY}", json={"answers": [5, 4, 3, 2, 1]})
    client.post("/v1/instruments/who5/score", json={"answers": {"1": 987654}})
    csv = f"id,1,2,3,4,5\n{PUPIL_ID},1,2,3,4,5\n{PUPIL_ID}-2,1,2,x,4,5\n"
    client.post("/v1/instruments/who5/scores?id_column=id", content=csv, headers={"content-type": "text/csv"})
    response = fixtures.who5_response(
        dict(zip(fixtures.WHO5_LINK_IDS, [5, 3, 4, 0, 2], strict=True)), comment="hemmeligt"
    )
    response["subject"] = {"reference": PERSON_REFERENCE}
    response["authored"] = "2024-04-23"
    parameters = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "questionnaireResponse", "resource": response},
            {"name": "questionnaire", "resource": fixtures.who5_questionnaire()},
        ],
    }
    client.post(
        "/fhir/QuestionnaireResponse/$score",
        content=json.dumps(parameters),
        headers={"content-type": "application/fhir+json"},
    )
    client.get(f"/v1/instruments/{PUPIL_ID}")
    client.get(f"/{PUPIL_ID}?{CPR_QUERY}")
    client.post(
        "/v1/change",
        json={"instrument": "who5", "scale": "percentage", "method": "threshold", "before": 40, "after": 52},
    )


def request_lines(server: Server, at_least: int) -> list[re.Match[str]]:
    deadline = time.monotonic() + 10
    while True:
        found = [
            m for m in map(LINE.match, server.log_text().splitlines()) if m and REQUEST.match(m["message"])
        ]
        if len(found) >= at_least or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_log_lines_carry_no_answer_score_identifier_or_query(server, http):
    before = len(request_lines(server, 0))
    traffic(http)
    assert len(request_lines(server, before + 7)) >= before + 7
    text = server.log_text()
    for secret in (
        PERSON_REFERENCE,
        "0101011234",
        PUPIL_ID,
        CPR_QUERY,
        "2512489996",
        "hemmeligt",
        "987654",
    ):
        assert secret not in text
    assert "HTTP/1.1" not in text  # uvicorn's access log is off
    assert '{"' not in text  # no JSON body, no score object


def test_every_log_line_has_a_known_shape(server, http):
    traffic(http)
    lines = server.log_text().splitlines()
    templates = set(http.get("/openapi.json").json()["paths"]) | {"/openapi.json", "-"}
    seen = []
    for line in lines:
        match = LINE.match(line)
        assert match, line
        if match["logger"] == "uvicorn.error":
            assert UVICORN.match(match["message"]), line
            continue
        assert match["logger"] == "trivselscore.service", line
        request = REQUEST.match(match["message"])
        assert request, line
        assert request["path"] in templates, line
        seen.append((request["method"], request["path"], request["status"], request["instrument"]))
    assert ("POST", "/v1/instruments/{instrument_id}/score", "200", "who5") in seen
    assert ("POST", "/v1/instruments/{instrument_id}/score", "422", "who5") in seen
    assert ("POST", "/fhir/QuestionnaireResponse/$score", "200", "who5") in seen
    assert ("POST", "/v1/change", "200", "who5") in seen
    assert ("GET", "/v1/instruments/{instrument_id}", "404", "-") in seen  # the unknown id is not logged
    assert ("GET", "-", "404", "-") in seen  # nor an unknown path
