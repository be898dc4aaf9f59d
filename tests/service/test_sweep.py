"""The bad-input sweep against a running server: every route, every bad body, never a 500.

Three sources of bad input, each sent to a live uvicorn:

1. a table of hostile bodies (malformed, deep, huge, wrong types, wrong media type)
   sent to every operation of the OpenAPI document;
2. the library's bad-input table (``tests/engine/test_bad_input.py``: every bad value,
   in a mapping and in item order, for every instrument, and the bad shapes) through the
   single and the batch route;
3. random JSON from Hypothesis, as a whole body and in every place of a valid one.

Every answer must have a status its operation documents (``docs/openapi.json``); an
error must be a problem (an OperationOutcome under ``/fhir``) of that status; a batch
answer must have one line per row. ``TRIVSELSCORE_STRESS=long`` runs the random part
twenty times longer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import STRESS_LONG
from tests.engine.test_bad_input import BAD_VALUES
from trivselscore import INSTRUMENTS, Instrument, Item

if TYPE_CHECKING:
    import httpx

IDS = sorted(INSTRUMENTS)
MEDIA = {
    "/v1/instruments/{instrument_id}/score": "application/json",
    "/v1/instruments/{instrument_id}/scores": "application/json",
    "/v1/instruments/{instrument_id}/scores/ndjson": "application/x-ndjson",
    "/v1/instruments/{instrument_id}/scores/csv": "text/csv",
    "/v1/change": "application/json",
    "/fhir/QuestionnaireResponse/$score": "application/fhir+json",
}
HOSTILE_BODIES: list[bytes] = [
    b"",
    b"null",
    b"0",
    b"-1e999",
    b'"text"',
    b"[]",
    b"{}",
    b"[null]",
    b"[[]]",
    b"{" * 10_000,
    b"[" * 100 + b"]" * 100,
    b'{"answers": NaN}',
    b'{"answers": [Infinity]}',
    b'{"answers": {"1": 1, "1": 2}}',
    b'{"answers": "\\ud800"}',
    b"\xff\xfe\x00\x00",
    b"\x00" * 64,
    b'{"answers": [' + b"1," * 5000 + b"1]}",
    b'{"answers": {' + b",".join(b'"k%d": 1' % n for n in range(2000)) + b"}}",
    b'{"answers": [1, 1, 1, 1, 1], "respondent": {"age": 1e308, "sex": [1]}}',
    b'{"answers": [1, 1, 1, 1, 1], "missing": {"$ne": null}}',
    b'{"resourceType": "Parameters", "parameter": [{"name": "questionnaireResponse", "resource": []}]}',
    b'{"resourceType": "Parameters", "parameter": {"name": "x"}}',
    b'{"instrument": "who5", "scale": "raw", "method": "difference", "before": {}, "after": []}',
    b"1,2,3,4,5\n" + b'"' * 3000 + b"\n",
    b"1,2,3,4,5\r\r\r\n\n\r" + b",,,,\n" * 50,
    b"\xef\xbb\xbf1;2;3;4;5\r\n9;9;9;9;9",
    "1,2,3,4,5\n٣,٣,٣,٣,٣\n".encode(),
    b'{"answers": [1, 1, 1, 1, 1]}\n' * 3 + b"\n\n{",
]
HOSTILE_IDS = ["nope", "WHO5", "who5%00", "%2e%2e", "x" * 2000, "æøå", "0101011234", "who5 ", "who5/../who5"]


def documented(document: dict[str, Any], template: str, method: str) -> set[int]:
    return {int(code) for code in document["paths"][template][method]["responses"]}


def check(response: httpx.Response, allowed: set[int], where: object) -> None:
    """A documented status; a problem of that status for an error; one NDJSON line per row."""
    assert response.status_code in allowed, (where, response.status_code, response.text[:300])
    if response.status_code >= 400:
        body = response.json()
        if body.get("resourceType") == "OperationOutcome":
            assert body["issue"][0]["severity"] == "error", where
        else:
            assert body["status"] == response.status_code, where
            assert body["type"].startswith(("https://trivselscore.dev/problems/", "about:blank")), where
    elif response.headers["content-type"] == "application/x-ndjson":
        rows = [json.loads(line) for line in response.text.splitlines()]
        assert [row["row"] for row in rows] == list(range(len(rows))), where
        assert all(("score" in row) != ("error" in row) for row in rows), where


@pytest.fixture(scope="module")
def document(http: httpx.Client) -> dict[str, Any]:
    return dict(http.get("/openapi.json").json())


def test_every_operation_against_every_hostile_body(http, document):
    sent = 0
    for template, operations in document["paths"].items():
        for method in operations:
            allowed = documented(document, template, method)
            if method == "get":
                ids = HOSTILE_IDS if "{instrument_id}" in template else ["who5"]
                for instrument_id in ids:
                    response = http.get(template.replace("{instrument_id}", instrument_id))
                    check(response, allowed, (template, instrument_id))
                    sent += 1
                continue
            path = template.replace("{instrument_id}", "who5")
            for media in (MEDIA[template], "text/plain", "application/json; charset=latin-1"):
                for body in HOSTILE_BODIES:
                    response = http.post(path, content=body, headers={"content-type": media})
                    check(response, allowed, (template, media, body[:60]))
                    sent += 1
    assert sent > 500


# --- the library's bad-input table, over HTTP ------------------------------------------------------


def as_json(value: object) -> object:
    """A bad value as JSON carries it: a numpy bool as a boolean, an infinity as a literal, others as text."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (bool, int, float, str, list)) or value is None:
        return value  # an infinite float: json.dumps writes Infinity, which the server refuses
    return repr(value)


def bad_cases(instrument: Instrument) -> list[tuple[object, str | None]]:
    """(answers, the item the error must name or None) for one instrument."""
    first, last = instrument.items[0], instrument.items[-1]
    valid = [item.codes[0] for item in instrument.items]
    cases: list[tuple[object, str | None]] = []
    for param in BAD_VALUES:
        make: Callable[[Item], object] = param.values[0]  # type: ignore[assignment]
        cases.append(({first.id: as_json(make(first))}, first.id))
        cases.append(([*valid[:-1], as_json(make(last))], last.id))
    cases += [
        ({"nope": 1}, "nope"),
        ({"999": 1}, "999"),
        ({"True": 1}, "True"),
        (valid[:-1], None),
        ([*valid, valid[0]], None),
        ("12345", None),
        (5, None),
        ([], None),
    ]
    cases += [({first.id: first.codes[0], alias: first.codes[0]}, first.id) for alias in first.aliases]
    return cases


@pytest.mark.parametrize("instrument_id", IDS)
def test_the_librarys_bad_input_table_is_a_422_naming_the_item(http, instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    cases = bad_cases(instrument)
    for answers, item in cases:
        response = http.post(
            f"/v1/instruments/{instrument_id}/score",
            content=json.dumps({"answers": answers}),
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 422, (answers, response.text[:300])
        problem = response.json()
        if problem["type"].endswith("invalid-answers"):
            assert problem.get("item") == item, (answers, problem)
            assert problem["instrument"] == instrument_id
        else:  # Infinity, or answers that are not a mapping or a list: the body's shape
            assert problem["type"].endswith(("invalid-request", "invalid-parameter")), problem
    rows = [{"answers": answers} for answers, _ in cases]
    response = http.post(
        f"/v1/instruments/{instrument_id}/scores",
        content=json.dumps([row for row in rows if "Infinity" not in json.dumps(row)]),
        headers={"content-type": "application/json"},
    )
    found = [json.loads(line) for line in response.text.splitlines()]
    assert len(found) == sum("Infinity" not in json.dumps(row) for row in rows)
    assert all(line["error"]["status"] == 422 for line in found)


def test_the_table_covers_the_library_table():
    assert sum(len(bad_cases(INSTRUMENTS[i])) for i in IDS) >= 2 * len(BAD_VALUES) * len(IDS)


# --- random JSON -----------------------------------------------------------------------------------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
RANDOM = settings(
    max_examples=1000 if STRESS_LONG else 50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.stress
@RANDOM
@given(value=JSON, template=st.sampled_from(sorted(MEDIA)))
def test_random_json_as_a_whole_body(http, document, value, template):
    path = template.replace("{instrument_id}", "who5")
    body = json.dumps(value).encode()
    response = http.post(path, content=body, headers={"content-type": MEDIA[template]})
    check(response, documented(document, template, "post"), (template, value))


@pytest.mark.stress
@RANDOM
@given(value=JSON, field=st.sampled_from(["answers", "respondent", "missing", "scheme", "norms", "extra"]))
def test_random_json_in_every_field_of_a_score(http, document, value, field):
    body = {"answers": [1, 1, 1, 1, 1], field: value}
    for template in ("/v1/instruments/{instrument_id}/score", "/v1/instruments/{instrument_id}/scores"):
        payload = body if template.endswith("score") else [body, value]
        response = http.post(template.replace("{instrument_id}", "sdq-s11-17"), json=payload)
        check(response, documented(document, template, "post"), (field, value))


@pytest.mark.stress
@RANDOM
@given(
    value=JSON,
    field=st.sampled_from(["instrument", "scale", "method", "before", "after", "options", "missing"]),
)
def test_random_json_in_every_field_of_a_change(http, document, value, field):
    body = {"instrument": "who5", "scale": "percentage", "method": "threshold", "before": 40, "after": 52}
    response = http.post("/v1/change", json={**body, field: value})
    check(response, documented(document, "/v1/change", "post"), (field, value))


@pytest.mark.stress
@RANDOM
@given(value=JSON, where=st.sampled_from(["parameter", "questionnaireResponse", "questionnaire", "item"]))
def test_random_json_in_every_part_of_a_fhir_request(http, document, value, where):
    response_resource: dict[str, Any] = {"resourceType": "QuestionnaireResponse", "status": "completed"}
    questionnaire: dict[str, Any] = {"resourceType": "Questionnaire", "url": "urn:x", "item": []}
    if where == "item":
        response_resource["item"] = value
        questionnaire["item"] = value
    entries: Any = [
        {
            "name": "questionnaireResponse",
            "resource": value if where == "questionnaireResponse" else response_resource,
        },
        {"name": "questionnaire", "resource": value if where == "questionnaire" else questionnaire},
        {"name": "instrument", "valueString": "who5"},
    ]
    body = {"resourceType": "Parameters", "parameter": value if where == "parameter" else entries}
    template = "/fhir/QuestionnaireResponse/$score"
    response = http.post(
        template, content=json.dumps(body), headers={"content-type": "application/fhir+json"}
    )
    check(response, documented(document, template, "post"), (where, value))
