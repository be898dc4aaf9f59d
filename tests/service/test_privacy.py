"""Nothing personal echoed: a CPR-shaped value sent anywhere in a request appears in no error and no log line.

Each CPR shape (ten digits, ``ddmmyy-xxxx``, a JSON number) is put in every place a
request can hold one: answers (values and keys), the respondent, every option, an
unknown field (its name and its value), the path, the query, a header, a JSON, NDJSON
and CSV batch (header, cells, id column name), every field of a change, and every part
of a FHIR Parameters resource. No answer, and no line of the server's log, may contain
it. A successful result may carry what the caller sent to be carried (the CSV id
column as ``id``, the FHIR subject and source as ``subject`` and ``derivedFrom``) and
the parameters of the rule it reports; the carried fields are checked apart.
"""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Any

from tests.fhir import fixtures
from tests.service.conftest import TOKEN

if TYPE_CHECKING:
    import httpx

    from tests.service.conftest import Server

CPRS: tuple[str | int, ...] = ("0101011234", "010101-1234", 2512489996)
PERSONAL = re.compile(r"0101011234|010101-?1234|2512489996|101011234")
SCORE = "/v1/instruments/who5/score"
FHIR = "/fhir/QuestionnaireResponse/$score"
Json = dict[str, Any]
Request = tuple[str, bytes, str]  # path, body, content type


def as_json(path: str, body: object) -> Request:
    return path, json.dumps(body).encode(), "application/json"


def parameters(response: Json, questionnaire: Json, **extra: Json) -> Json:
    entries = [
        {"name": "questionnaireResponse", "resource": response},
        {"name": "questionnaire", "resource": questionnaire},
    ]
    entries += [{"name": name, **value} for name, value in extra.items()]
    return {"resourceType": "Parameters", "parameter": entries}


def fhir(body: Json) -> Request:
    return FHIR, json.dumps(body).encode(), "application/fhir+json"


def score_requests(cpr: str | int) -> list[Request]:
    text, ok = str(cpr), [1, 1, 1, 1, 1]
    bodies: list[Json] = [
        {"answers": {"1": cpr}},
        {"answers": [cpr, 1, 1, 1, 1]},
        {"answers": {text: 1}},
        {"answers": ok, "respondent": {"sex": cpr}},
        {"answers": ok, "respondent": {"age": cpr}},
        {"answers": ok, "respondent": {text: 1}},
        {"answers": ok, "missing": cpr},
        {"answers": ok, "scheme": cpr},
        {"answers": ok, "norms": cpr},
        {"answers": ok, "patient": cpr},
        {"answers": ok, text: cpr},
    ]
    requests = [as_json(SCORE, body) for body in bodies]
    requests += [
        as_json(f"/v1/instruments/{text}/score", {"answers": ok}),
        as_json(f"{SCORE}?cpr={text}", {"answers": ok}),
        (f"/v1/instruments/{text}", b"", "application/json"),
    ]
    return requests


def batch_requests(cpr: str | int) -> list[Request]:
    text, ok = str(cpr), [1, 1, 1, 1, 1]
    rows = [{"answers": [cpr] * 5}, {"answers": {text: 1}}, {"answers": ok, "patient": cpr}, cpr]
    rows.append({"answers": ok, "respondent": {"sex": cpr}})
    lines = [json.dumps(row) for row in rows] + [f'{{"answers": {json.dumps(cpr)}']
    csv = "/v1/instruments/who5/scores/csv"
    return [
        as_json("/v1/instruments/who5/scores", rows),
        as_json(f"/v1/instruments/who5/scores?missing={text}", [{"answers": ok}]),
        as_json(f"/v1/instruments/{text}/scores", [{"answers": ok}]),
        ("/v1/instruments/who5/scores/ndjson", "\n".join(lines).encode(), "application/x-ndjson"),
        (csv, f"{text},1,2,3,4,5\n1,1,1,1,1,1\n".encode(), "text/csv"),
        (csv, f'1,2,3,4,5\n{text},1,1,1,1\n1,1,"{text}\n'.encode(), "text/csv"),
        (f"{csv}?id_column={text}", b"1,2,3,4,5\n1,1,1,1,1\n", "text/csv"),
        (f"{csv}?id_column=id", f"id,1,2,3,4,5,age,sex\nx,1,1,1,1,1,{text},{text}\n".encode(), "text/csv"),
    ]


def change_requests(cpr: str | int) -> list[Request]:
    base: Json = {
        "instrument": "who5",
        "scale": "percentage",
        "method": "threshold",
        "before": 40,
        "after": 52,
    }
    bodies = [{**base, field: cpr} for field in ("instrument", "scale", "method", "before", "missing")]
    bodies += [
        {**base, "before": {"answers": [cpr] * 5}},
        {**base, "before": {"answers": [1] * 5, "respondent": {"sex": cpr}}},
        {**base, "options": {"cpr": cpr}},
        {**base, "method": "reliable_change", "options": {"sd": cpr, "reliability": cpr}},
        {**base, "method": "clinical_significance", "options": {"cutoff": str(cpr)}},
    ]
    return [as_json("/v1/change", body) for body in bodies]


def fhir_requests(cpr: str | int) -> list[Request]:
    text = str(cpr)
    response = fixtures.who5_response(dict(zip(fixtures.WHO5_LINK_IDS, [5, 3, 4, 0, 2], strict=True)))
    questionnaire = fixtures.who5_questionnaire()

    def changed(resource: Json, where: tuple[str | int, ...], value: object) -> Json:
        resource = copy.deepcopy(resource)
        node: Any = resource
        for step in where[:-1]:
            node = node[step]
        node[where[-1]] = value
        return resource

    bodies = [
        parameters(response, questionnaire, **{text: {"valueString": "x"}}),
        parameters(response, questionnaire, instrument={"valueString": text}),
        parameters(response, questionnaire, missing={"valueString": text}),
        parameters(response, questionnaire, scheme={"valueString": text}),
        parameters(response, questionnaire, effective={"valueString": text}),
        parameters(response, questionnaire, sex={"valueCode": text}),
        parameters(response, questionnaire, age={"valueDecimal": 2512489996}),
        parameters(changed(response, ("item", 0, "linkId"), text), questionnaire),
        parameters(changed(response, ("item", 0, "answer"), [{"valueString": text}]), questionnaire),
        parameters(changed(response, ("item", 0, "answer"), [{"valueInteger": 2512489996}]), questionnaire),
        parameters(changed(response, ("questionnaire",), text), questionnaire),
        parameters(changed(response, ("status",), text), questionnaire),
        parameters(response, changed(questionnaire, ("url",), f"urn:{text}")),
        parameters(response, changed(questionnaire, ("item", 0, "linkId"), text)),
        {"resourceType": text},
    ]
    return [fhir(body) for body in bodies]


def every_request() -> list[Request]:
    found: list[Request] = []
    for cpr in CPRS:
        found += score_requests(cpr) + batch_requests(cpr) + change_requests(cpr) + fhir_requests(cpr)
    return found


def send(client: httpx.Client, request: Request) -> httpx.Response:
    path, body, content_type = request
    headers = {"content-type": content_type, "x-patient": "0101011234", "x-cpr": "010101-1234"}
    if not body and content_type == "application/json" and not path.endswith("score"):
        return client.get(path, headers=headers)
    return client.post(path, content=body, headers=headers)


def test_no_cpr_number_is_echoed_in_any_error_or_log_line(server: Server, http: httpx.Client):
    requests = every_request()
    assert len(requests) > 100
    statuses = set()
    for request in requests:
        response = send(http, request)
        statuses.add(response.status_code)
        assert response.status_code != 500, request
        leaks = PERSONAL.findall(response.text)
        assert not leaks, (request, response.text[:400])
    assert {404, 422} <= statuses
    assert not PERSONAL.search(server.log_text())


def test_no_cpr_number_in_a_wrong_token(secured: Server):
    client = secured.client(auth=False)
    for token in ("0101011234", "Bearer 010101-1234", "Basic 0101011234"):
        response = client.get("/v1/version", headers={"Authorization": token})
        assert response.status_code == 401
        assert not PERSONAL.search(response.text + str(response.headers))
    assert secured.client().get("/v1/version").status_code == 200  # the right token still works
    assert TOKEN not in secured.log_text()
    assert not PERSONAL.search(secured.log_text())


def test_what_a_caller_sends_to_be_carried_is_carried_and_nothing_else(server: Server, http: httpx.Client):
    csv = "elev,1,2,3,4,5\n0101011234,1,1,1,1,1\n010101-1234,1,x,1,1,1\n"
    response = http.post(
        "/v1/instruments/who5/scores/csv?id_column=elev", content=csv, headers={"content-type": "text/csv"}
    )
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line["id"] for line in lines] == ["0101011234", "010101-1234"]  # the id column, as asked
    assert not PERSONAL.search(json.dumps([{k: v for k, v in line.items() if k != "id"} for line in lines]))
    answer = fixtures.who5_response(dict(zip(fixtures.WHO5_LINK_IDS, [5, 3, 4, 0, 2], strict=True)))
    answer["id"] = "0101011234"
    body = parameters(
        answer,
        fixtures.who5_questionnaire(),
        subject={"valueString": "Patient/010101-1234"},
        effective={"valueDate": "2024-04-23"},
    )
    bundle = http.post(
        FHIR, content=json.dumps(body), headers={"content-type": "application/fhir+json"}
    ).json()
    for entry in bundle["entry"]:
        observation = entry["resource"]
        assert observation["subject"] == {"reference": "Patient/010101-1234"}
        assert observation["derivedFrom"] == [{"reference": "QuestionnaireResponse/0101011234"}]
        rest = {k: v for k, v in observation.items() if k not in {"subject", "derivedFrom"}}
        assert not PERSONAL.search(json.dumps(rest))
    assert not PERSONAL.search(server.log_text())
