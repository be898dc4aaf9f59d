"""The read-only routes over HTTP: instruments, schemas, versions, health."""

from __future__ import annotations

import pytest

from trivselscore import INSTRUMENTS, __version__, get_instrument, json_schema


def test_health(http):
    response = http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_version_names_library_and_every_definition(http):
    body = http.get("/v1/version").json()
    assert body == {
        "api": "1",
        "library": __version__,
        "instruments": {i.id: i.version for i in INSTRUMENTS.values()},
    }


def test_list_has_every_instrument_in_registry_order(http):
    body = http.get("/v1/instruments").json()
    assert [entry["id"] for entry in body] == list(INSTRUMENTS)
    who5 = body[0]
    assert who5["items"] == 5
    assert who5["scales"] == ["raw", "percentage"]
    assert who5["default_scheme"] == get_instrument("who5").default_scheme


@pytest.mark.parametrize("instrument_id", ["who5", "sdq-s11-17", "scas-p", "smfq-c"])
def test_detail_is_the_whole_definition_with_verification(http, instrument_id):
    body = http.get(f"/v1/instruments/{instrument_id}").json()
    definition = get_instrument(instrument_id)
    assert body["definition"] == definition.model_dump(mode="json")
    assert body["missing_policies"][:3] == ["raise", "propagate", "prorate"]
    assert body["missing_policies"][3:] == [v.id for v in definition.missing_variants]
    counts = body["verification"]["counts"]
    assert sum(counts.values()) >= len(definition.scales) + len(definition.schemes)  # each has a source
    assert len(body["verification"]["not_verified"]) == sum(
        n for status, n in counts.items() if status not in {"verified", "verified-secondary"}
    )
    for source in body["verification"]["not_verified"]:
        assert source["where"].endswith("source") or "source" in source["where"]


def test_schema_is_the_library_schema(http):
    for instrument_id in ("who5", "sdq-p4-17"):
        assert http.get(f"/v1/instruments/{instrument_id}/schema").json() == json_schema(instrument_id)


@pytest.mark.parametrize("path", ["/v1/instruments/who-5", "/v1/instruments/WHO5/schema"])
def test_unknown_instrument_is_404_with_suggestion(http, path):
    response = http.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "https://trivselscore.dev/problems/unknown-instrument"
    assert problem["suggestions"] == ["who5"]
    assert "did you mean 'who5'" in problem["detail"]
    assert problem["allowed"] == sorted(INSTRUMENTS)


def test_unknown_route_and_method_are_problems(http):
    missing = http.get("/v2/instruments")
    assert (missing.status_code, missing.json()["title"]) == (404, "Not Found")
    assert missing.headers["content-type"] == "application/problem+json"
    wrong = http.delete("/v1/instruments")
    assert (wrong.status_code, wrong.json()["type"]) == (405, "about:blank")
