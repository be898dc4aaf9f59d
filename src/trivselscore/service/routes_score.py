"""Scoring routes: one respondent (JSON), and many (a JSON array, NDJSON or CSV in; NDJSON out).

Each batch format has its own operation, so that a generated client gets one
typed method per format: ``score_many`` (a JSON array of rows),
``score_ndjson`` and ``score_csv``. ``score_many`` also reads NDJSON and CSV
bodies by their Content-Type, as it did before the other two existed.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from trivselscore.definitions import Instrument
from trivselscore.engine import Score, score
from trivselscore.service.bodies import parse_model
from trivselscore.service.logs import logger
from trivselscore.service.models import BatchRow, ScoreRequest
from trivselscore.service.options import check_options, instrument_of, json_body, require, require_json
from trivselscore.service.problems import Problem, internal_problem
from trivselscore.service.streaming import Row, csv_rows, json_rows, ndjson_lines, ndjson_rows

__all__ = ["BATCH_MEDIA_TYPES", "CSV", "NDJSON", "router"]

NDJSON = "application/x-ndjson"
CSV = "text/csv"
BATCH_MEDIA_TYPES = ("application/json", NDJSON, CSV)
"""What ``score_many`` reads: a JSON array, NDJSON, or CSV."""

router = APIRouter(tags=["scoring"])

_LINES: dict[str, Any] = {
    "200": {
        "description": (
            "NDJSON: one BatchLine per input row, in input order (the row's score or its error). "
            "Read the body line by line and parse each line as a BatchLine."
        ),
        "content": {
            NDJSON: {
                "schema": {"type": "string", "format": "binary", "title": "BatchLines"},
                "examples": {
                    "lines": {
                        "value": (
                            '{"row": 0, "score": {"instrument_id": "who5", "...": "..."}}\n'
                            '{"row": 1, "error": {"status": 422, "item": "3", "allowed": [0, 1, 2, 3]}}\n'
                        )
                    }
                },
            }
        },
    }
}


def _batch(media: str, schema: dict[str, Any], description: str, example: object) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {media: {"schema": schema, "examples": {"rows": {"value": example}}}},
        },
        "responses": _LINES,
    }


_JSON_BATCH = _batch(
    "application/json",
    {"type": "array", "items": {"$ref": "#/components/schemas/BatchRow"}, "title": "BatchRows"},
    "A JSON array of rows: each the answers and optionally the respondent.",
    [
        {"answers": [3, 4, 2, 3, 1], "respondent": {"age": 16}},
        {"answers": {"1": 5, "2": 5, "3": None, "4": 5, "5": 5}},
    ],
)
_NDJSON_BATCH = _batch(
    NDJSON,
    {"type": "string", "format": "binary", "title": "NdjsonRows"},
    "NDJSON: one BatchRow (a JSON object) per line; blank lines are skipped.",
    '{"answers": [3, 4, 2, 3, 1]}\n{"answers": [5, 5, 5, 5, 5], "respondent": {"age": 15}}\n',
)
_CSV_BATCH = _batch(
    CSV,
    {"type": "string", "format": "binary", "title": "CsvFile"},
    (
        "A CSV file, UTF-8: a header naming every item (id or alias) and optionally age, sex and "
        "the id column; one row per line."
    ),
    "1;2;3;4;5;age\n3;4;2;3;1;16\n5;5;NA;5;5;15\n",
)

Policy = Annotated[str | None, Query(description="The missing-data policy, as in the single score.")]
Scheme = Annotated[str | None, Query(description="The cutoff scheme of the bands.")]
Norms = Annotated[str | None, Query(description="The norm table for T-scores.")]
Delimiter = Annotated[
    str | None,
    Query(
        description="CSV only: the delimiter, one character; default: guessed from the header.", max_length=1
    ),
]
IdColumn = Annotated[str | None, Query(description="CSV only: a column copied to each line as id.")]


@router.post(
    "/v1/instruments/{instrument_id}/score",
    dependencies=[Depends(require_json)],
    response_model=Score,
    responses={200: {"description": "The scores, bands, flags, and what produced them."}},
    openapi_extra=json_body(
        ScoreRequest,
        "One respondent's answers, and optionally who answered and how to score.",
        {
            "by-item-id": {"answers": {"1": 3, "2": 4, "3": 2, "4": 3, "5": 1}, "respondent": {"age": 16}},
            "in-item-order": {"answers": [3, 4, None, 3, 1], "missing": "prorate"},
        },
    ),
)
async def score_one(instrument_id: str, request: Request) -> Response:
    """Score one respondent; store the whole result next to the raw answers to trace or re-score it."""
    definition = instrument_of(request, instrument_id)
    body = parse_model(await request.body(), ScoreRequest, instrument=definition.id)
    check_options(definition, missing=body.missing, scheme=body.scheme, norms=body.norms)
    result = score(
        definition,
        body.answers,
        missing=body.missing,
        respondent=body.respondent,
        scheme=body.scheme,
        norms=body.norms,
    )
    return Response(result.model_dump_json(), media_type="application/json")


@router.post(
    "/v1/instruments/{instrument_id}/scores",
    response_class=StreamingResponse,
    openapi_extra=_JSON_BATCH,
)
async def score_many(  # noqa: PLR0913 - the query parameters of the route
    instrument_id: str,
    request: Request,
    *,
    missing: Policy = None,
    scheme: Scheme = None,
    norms: Norms = None,
    delimiter: Delimiter = None,
    id_column: IdColumn = None,
) -> StreamingResponse:
    """Score many respondents (a JSON array); NDJSON back in input order, a score or an error per row.

    For clients written before ``score_ndjson`` and ``score_csv`` existed, this
    operation also reads an NDJSON or CSV body, by its Content-Type.
    """
    definition = instrument_of(request, instrument_id)
    given = require(request, BATCH_MEDIA_TYPES)
    check_options(definition, missing=missing, scheme=scheme, norms=norms)
    body = await request.body()
    rows: list[Row]
    if given == CSV:
        rows = csv_rows(body, definition, delimiter=delimiter, id_column=id_column)
    elif given == NDJSON:
        rows = ndjson_rows(body)
    else:
        rows = json_rows(body)
    return _stream(definition, rows, missing=missing, scheme=scheme, norms=norms)


@router.post(
    "/v1/instruments/{instrument_id}/scores/ndjson",
    response_class=StreamingResponse,
    openapi_extra=_NDJSON_BATCH,
)
async def score_ndjson(
    instrument_id: str,
    request: Request,
    *,
    missing: Policy = None,
    scheme: Scheme = None,
    norms: Norms = None,
) -> StreamingResponse:
    """Score many respondents sent as NDJSON (one row per line); NDJSON back, one line per row."""
    definition = instrument_of(request, instrument_id)
    require(request, (NDJSON,))
    check_options(definition, missing=missing, scheme=scheme, norms=norms)
    rows = ndjson_rows(await request.body())
    return _stream(definition, rows, missing=missing, scheme=scheme, norms=norms)


@router.post(
    "/v1/instruments/{instrument_id}/scores/csv",
    response_class=StreamingResponse,
    openapi_extra=_CSV_BATCH,
)
async def score_csv(  # noqa: PLR0913 - the query parameters of the route
    instrument_id: str,
    request: Request,
    *,
    missing: Policy = None,
    scheme: Scheme = None,
    norms: Norms = None,
    delimiter: Delimiter = None,
    id_column: IdColumn = None,
) -> StreamingResponse:
    """Score a CSV export (one row per line); NDJSON back, one line per row, with the id column as id."""
    definition = instrument_of(request, instrument_id)
    require(request, (CSV,))
    check_options(definition, missing=missing, scheme=scheme, norms=norms)
    rows = csv_rows(await request.body(), definition, delimiter=delimiter, id_column=id_column)
    return _stream(definition, rows, missing=missing, scheme=scheme, norms=norms)


def _stream(
    definition: Instrument, rows: list[Row], *, missing: str | None, scheme: str | None, norms: str | None
) -> StreamingResponse:
    def score_row(row: BatchRow) -> Score:
        return score(
            definition, row.answers, missing=missing, respondent=row.respondent, scheme=scheme, norms=norms
        )

    return StreamingResponse(
        ndjson_lines(rows, score_row, on_error=lambda error: _row_failed(error, definition)),
        media_type=NDJSON,
    )


def _row_failed(error: Exception, definition: Instrument) -> Problem:
    logger.error("unexpected %s while scoring a batch row of %s", type(error).__name__, definition.id)
    return internal_problem()
