"""Scoring many respondents: JSON array, NDJSON or CSV in, NDJSON out, one line per row, in order."""

from __future__ import annotations

import json
import random
from typing import TYPE_CHECKING, Any

import pytest

from trivselscore import Respondent, get_instrument, score

if TYPE_CHECKING:
    import httpx

SCORES = "/v1/instruments/{}/scores"
NDJSON = "application/x-ndjson"


def lines(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == NDJSON
    return [json.loads(line) for line in response.text.splitlines()]


def random_rows(instrument_id: str, n: int, seed: int) -> list[list[int | None]]:
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    definition = get_instrument(instrument_id)
    return [[rng.choice([*item.codes, None]) for item in definition.items] for _ in range(n)]


def test_json_array_in_order_equals_the_library(http):
    rows = random_rows("sdq-s11-17", 300, seed=1)
    body = [{"answers": row, "respondent": {"age": 12 + i % 6}} for i, row in enumerate(rows)]
    result = lines(http.post(SCORES.format("sdq-s11-17"), json=body, params={"scheme": "sdq-4band"}))
    assert [line["row"] for line in result] == list(range(300))
    for i, (line, row) in enumerate(zip(result, rows, strict=True)):
        expected = score("sdq-s11-17", row, respondent=Respondent(age=12 + i % 6), scheme="sdq-4band")
        assert line["score"] == expected.model_dump(mode="json")


def test_ndjson_with_bad_rows_keeps_every_row(http):
    body = b"\n".join(
        [
            b'{"answers": [1, 2, 3, 4, 5]}',
            b'{"answers": [1, 2, 3, 4, 9]}',
            b"not json",
            b"",
            b'{"answers": {"1": 1}, "respondent": {"sex": "x"}}',
            b'{"answers": {"happy": 1}}',
            b"[1, 2, 3, 4, 5]",
        ]
    )
    result = lines(http.post(SCORES.format("who5"), content=body, headers={"content-type": NDJSON}))
    assert [line["row"] for line in result] == [0, 1, 2, 3, 4, 5]
    assert result[0]["score"]["scales"][1]["value"] == 60
    assert result[1]["error"] | {"detail": ""} == {
        "type": "https://trivselscore.dev/problems/invalid-answers",
        "title": "Invalid answers",
        "status": 422,
        "detail": "",
        "instrument": "who5",
        "item": "5",
        "value": 9,
        "allowed": [0, 1, 2, 3, 4, 5],
        "row": 1,
    }
    assert result[2]["error"]["detail"] == "the line is not valid JSON: Expecting value at line 1, column 1"
    assert result[3]["error"]["parameter"] == "respondent.sex"
    assert result[4]["error"]["item"] == "happy"
    assert result[5]["error"]["row"] == 5


def test_csv_with_id_age_sex_and_aliases(http):
    definition = get_instrument("sdq-s11-17")
    header = [
        "elev",
        *(item.aliases[-1] if item.aliases else item.id for item in definition.items),
        "age",
        "sex",
    ]
    rows = random_rows("sdq-s11-17", 20, seed=2)
    text = ";".join(header) + "\n"
    for i, row in enumerate(rows):
        cells = ["NA" if value is None else str(value) for value in row]
        text += ";".join([f"E{i}", *cells, str(11 + i % 7), "female" if i % 2 else "male"]) + "\n"
    response = http.post(
        SCORES.format("sdq-s11-17"),
        content=text.encode(),
        headers={"content-type": "text/csv; charset=utf-8"},
        params={"id_column": "elev", "missing": "prorate"},
    )
    result = lines(response)
    for i, (line, row) in enumerate(zip(result, rows, strict=True)):
        person = Respondent(age=11 + i % 7, sex="female" if i % 2 else "male")
        assert line["id"] == f"E{i}"
        assert line["score"] == score("sdq-s11-17", row, missing="prorate", respondent=person).model_dump(
            mode="json"
        )


def test_csv_bad_cells_and_short_rows_are_row_errors(http):
    text = "\ufeff1,2,3,4,5,age\n3,3,3,3,3,\n3,x,3,3,3,\n\n3,3\n3,3,3,3,3.0,old\n3,3,3,3,2.5,\n"
    result = lines(
        http.post(SCORES.format("who5"), content=text.encode(), headers={"content-type": "text/csv"})
    )
    assert result[0]["score"]["scales"][0]["value"] == 15
    assert (result[1]["error"]["item"], result[1]["error"].get("value")) == ("2", None)  # text: withheld
    assert result[2]["error"]["detail"] == "the row has 2 cells, the header 6"
    assert result[3]["error"]["parameter"] == "age"
    assert (result[4]["error"]["item"], result[4]["error"].get("value")) == ("5", None)  # not a code
    assert len(result) == 5


def test_csv_delimiter_can_be_given(http):
    text = "1|2|3|4|5\n1|1|1|1|1\n"
    response = http.post(
        SCORES.format("who5"), content=text, headers={"content-type": "text/csv"}, params={"delimiter": "|"}
    )
    assert lines(response)[0]["score"]["scales"][0]["value"] == 5


def test_a_bad_query_parameter_is_a_422_naming_it(http):
    response = http.post(
        SCORES.format("who5") + "/csv",
        content="1,2,3,4,5\n",
        headers={"content-type": "text/csv"},
        params={"delimiter": ";;"},
    )
    problem = response.json()
    assert (response.status_code, problem["parameter"]) == (422, "query.delimiter")
    assert "value" not in problem  # ";;" is not a plain name: withheld
    assert problem["errors"][0]["type"] == "string_too_long"


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("1,2,3,4,5,zz\n", "column 'zz' is not an item of who5"),
        ("1,2,3,4\n", "no column for item(s) ['5']"),
        ("1,2,3,4,5,1\n", "columns '1' and '1' are both '1'"),
    ],
)
def test_csv_header_that_does_not_fit_is_refused_whole(http, text, detail):
    response = http.post(SCORES.format("who5"), content=text, headers={"content-type": "text/csv"})
    assert response.status_code == 422
    assert detail in response.json()["detail"]
    assert response.json()["parameter"] == "columns"


def test_csv_unknown_id_column_and_not_utf8(http):
    response = http.post(
        SCORES.format("who5"),
        content="1,2,3,4,5\n",
        headers={"content-type": "text/csv"},
        params={"id_column": "x"},
    )
    assert response.json()["detail"] == "no id column 'x'"
    latin = "1,2,3,4,5\n1,1,1,1,1 æ\n".encode("latin-1")
    response = http.post(SCORES.format("who5"), content=latin, headers={"content-type": "text/csv"})
    assert (response.status_code, response.json()["detail"]) == (422, "the CSV file is not UTF-8")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"answers": [1]}', "a JSON batch must be an array of rows, not dict"),
        (b"[", "the body is not valid JSON: Expecting value at line 1, column 2"),
    ],
)
def test_json_batch_that_is_not_an_array_is_refused_whole(http, body, detail):
    response = http.post(SCORES.format("who5"), content=body, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["detail"]) == (422, detail)


def test_json_rows_of_the_wrong_shape_are_row_errors(http):
    result = lines(http.post(SCORES.format("who5"), json=[1, {"answers": [1] * 5}, {"answer": []}]))
    assert result[0]["error"]["detail"] == "body: Input should be a valid dictionary or instance of BatchRow"
    assert "score" in result[1]
    assert result[2]["error"]["errors"][0]["type"] in {"missing", "extra_forbidden"}


def test_batch_options_are_checked_before_streaming(http):
    response = http.post(SCORES.format("who5"), json=[{"answers": [1] * 5}], params={"scheme": "x"})
    assert (response.status_code, response.json()["parameter"]) == (422, "scheme")
    response = http.post(SCORES.format("who"), json=[{"answers": [1] * 5}])
    assert (response.status_code, response.json()["suggestions"]) == (404, ["who5"])


def test_batch_wrong_media_type_is_415(http):
    response = http.post(SCORES.format("who5"), content=b"1,2", headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["allowed"] == ["application/json", NDJSON, "text/csv"]


def test_missing_raise_gives_row_errors(http):
    result = lines(
        http.post(SCORES.format("who5"), json=[{"answers": [1, None, 1, 1, 1]}], params={"missing": "raise"})
    )
    assert result[0]["error"]["type"] == "https://trivselscore.dev/problems/incomplete-answers"


def test_empty_batch_gives_an_empty_stream(http):
    assert lines(http.post(SCORES.format("who5"), json=[])) == []
