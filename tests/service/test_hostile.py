"""Hostile bodies against a running server: a documented 422 or an error line, never a 500 or a lost row.

Each case was a defect: deep JSON raised RecursionError (500) on the batch and FHIR
routes and 400 elsewhere; a CSV ending its lines in CR alone was a 500; an unclosed
quote swallowed the rows after it; a 200 kB cell cut the stream; ``NaN`` was read as a
missing answer.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trivselscore import score
from trivselscore.service.bodies import MAX_DEPTH

if TYPE_CHECKING:
    import httpx

SCORE = "/v1/instruments/who5/score"
BATCH = "/v1/instruments/who5/scores"
NDJSON = "/v1/instruments/who5/scores/ndjson"
CSV = "/v1/instruments/who5/scores/csv"
CHANGE = "/v1/change"
FHIR = "/fhir/QuestionnaireResponse/$score"
JSON_ROUTES = [(SCORE, "application/json"), (BATCH, "application/json"), (CHANGE, "application/json")]
JSON_ROUTES += [(FHIR, "application/fhir+json")]
DEEP = b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)
VERY_DEEP = b'{"answers": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"  # below the test server's body limit


def post(http: httpx.Client, path: str, body: bytes, content_type: str) -> httpx.Response:
    return http.post(path, content=body, headers={"content-type": content_type})


def refused(response: httpx.Response) -> str:
    """The 422's message, as a problem or (under /fhir) an OperationOutcome."""
    assert response.status_code == 422, response.text[:300]
    body = response.json()
    if body.get("resourceType") == "OperationOutcome":
        return str(body["issue"][0]["diagnostics"])
    assert body["type"] == "https://trivselscore.dev/problems/invalid-request", body
    return str(body["detail"])


def lines(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text[:300]
    assert response.text.endswith("\n")  # the stream ran to its end
    return [json.loads(line) for line in response.text.splitlines()]


@pytest.mark.parametrize(("path", "content_type"), JSON_ROUTES)
@pytest.mark.parametrize("body", [DEEP, VERY_DEEP], ids=["limit+1", "30000"])
def test_deep_json_is_a_422_naming_the_limit(http, path, content_type, body):
    detail = refused(post(http, path, body, content_type))
    assert detail.endswith(f"arrays and objects are nested deeper than {MAX_DEPTH} levels")


def test_deep_json_on_an_ndjson_line_is_that_lines_error(http):
    body = b'{"answers": [1, 1, 1, 1, 1]}\n' + DEEP + b'\n{"answers": [2, 2, 2, 2, 2]}\n'
    found = lines(post(http, NDJSON, body, "application/x-ndjson"))
    assert [("score" in line, line["row"]) for line in found] == [(True, 0), (False, 1), (True, 2)]
    assert found[1]["error"]["detail"].endswith(f"nested deeper than {MAX_DEPTH} levels")


def test_json_just_below_the_limit_is_read(http):
    nested: Any = [1]
    for _ in range(MAX_DEPTH - 3):
        nested = [nested]
    response = http.post(SCORE, json={"answers": {"1": nested}})  # two objects around: MAX_DEPTH levels
    assert response.status_code == 422
    assert (
        response.json()["type"] == "https://trivselscore.dev/problems/invalid-answers"
    )  # read, then refused


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_are_refused(http, literal):
    single = f'{{"answers": [{literal}, 3, 3, 3, 3], "missing": "prorate"}}'.encode()
    assert literal in refused(post(http, SCORE, single, "application/json"))
    batch = f'[{{"answers": [{literal}, 3, 3, 3, 3]}}]'.encode()
    assert literal in refused(post(http, BATCH, batch, "application/json"))
    change = (
        f'{{"instrument": "who5", "scale": "raw", "method": "difference", "before": {literal}, "after": 3}}'
    )
    assert literal in refused(post(http, CHANGE, change.encode(), "application/json"))
    assert literal in refused(post(http, FHIR, f'{{"x": {literal}}}'.encode(), "application/fhir+json"))
    [line] = lines(post(http, NDJSON, single, "application/x-ndjson"))
    assert literal in line["error"]["detail"]
    assert "(send null for an unanswered item)" in line["error"]["detail"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "it is empty"),
        (b"   \n", "it is empty"),
        (b'{"answers": "\xff"}', "it is not UTF-8 text"),
        (b'{"answers": [1, 1, 1, 1, 1], "answers": [2, 2, 2, 2, 2]}', "an object has the same key twice"),
        (b'{"answers": {"\\ud800": 1}}', "a string holds an unpaired surrogate"),
        (b'{"answers": [' + b"9" * 5000 + b", 1, 1, 1, 1]}", "a number has too many digits"),
        (b'{"answers": [1, 1, 1, 1, 1]', "Expecting ',' delimiter"),
    ],
    ids=["empty", "blank", "latin-1", "duplicate-key", "surrogate", "5000-digits", "truncated"],
)
def test_every_malformed_body_is_a_documented_422_not_a_400(http, body, reason):
    for path, content_type in JSON_ROUTES:
        detail = refused(post(http, path, body, content_type))
        assert detail.startswith("the body is not valid JSON: ")
        assert reason in detail


# --- CSV: every line ending, unclosed quotes, oversized cells -------------------------------------


ROWS = [[3, 4, 2, 3, 1], [5, 5, 5, 5, 5], [0, 1, 0, 1, 0], [2, 2, 2, 2, 2], [1, 2, 3, 4, 5]]


def csv_text(rows: list[list[str]], end: str) -> bytes:
    return end.join(["1,2,3,4,5", *(",".join(row) for row in rows)]).encode() + end.encode()


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_any_line_ending_scores_every_row(http, end):
    body = csv_text([[str(v) for v in row] for row in ROWS], end)
    found = lines(post(http, CSV, body, "text/csv"))
    assert [line["score"] for line in found] == [score("who5", row).model_dump(mode="json") for row in ROWS]


def test_mixed_line_endings_score_every_row(http):
    rows = [",".join(str(v) for v in row) for row in ROWS]
    body = ("1,2,3,4,5\r" + rows[0] + "\n" + rows[1] + "\r\n" + rows[2] + "\r" + "\n".join(rows[3:])).encode()
    assert len(lines(post(http, CSV, body, "text/csv"))) == len(ROWS)


def test_an_unclosed_quote_in_row_2_of_5_is_row_2s_error_only(http):
    cells = [[str(v) for v in row] for row in ROWS]
    cells[1][2] = '"5'  # the quote opens and never closes
    found = lines(post(http, CSV, csv_text(cells, "\n"), "text/csv"))
    assert [line["row"] for line in found] == [0, 1, 2, 3, 4]
    assert found[1]["error"]["detail"].startswith(
        "the line is not valid CSV: a quote is not closed on its line"
    )
    for index in (0, 2, 3, 4):
        assert found[index]["score"] == score("who5", ROWS[index]).model_dump(mode="json")


def test_a_200_kb_cell_is_its_rows_error_and_the_stream_runs_to_the_end(strict):
    cells = [[str(v) for v in row] for row in ROWS]
    cells[2][4] = "9" * 200_000
    found = lines(post(strict.client(), CSV, csv_text(cells, "\n"), "text/csv"))  # the 1 MiB default limit
    assert [line["row"] for line in found] == [0, 1, 2, 3, 4]
    assert "field larger than field limit" in found[2]["error"]["detail"]
    assert "score" in found[4]


def test_a_quoted_line_break_cannot_merge_rows(http):
    body = b'elev,1,2,3,4,5\n"A\n1",3,3,3,3,3\nB,1,1,1,1,1\n'
    found = lines(post(http, f"{CSV}?id_column=elev", body, "text/csv"))
    assert len(found) == 3  # three non-blank lines, three answers: nothing merged
    assert "score" in found[2]
    assert found[2]["id"] == "B"


LINE_CHARS = st.sampled_from(list("0123456789,;\"' x\t"))


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.text(LINE_CHARS, min_size=1, max_size=20).map(lambda text: "1" + text), min_size=1, max_size=12
    ),
    ends=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=12, max_size=12),
)
def test_one_answer_line_per_input_line_whatever_the_line_holds(http, rows, ends):
    body = "1,2,3,4,5" + ends[0] + "".join(row + end for row, end in zip(rows, ends, strict=False))
    found = lines(post(http, CSV, body.encode(), "text/csv"))
    assert [line["row"] for line in found] == list(range(len(rows)))
    assert all(("score" in line) != ("error" in line) for line in found)
