"""Scoring routes: one respondent (JSON), and many (JSON array, NDJSON or CSV in; NDJSON out)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from trivselscore.definitions import Instrument
from trivselscore.engine import Score, score
from trivselscore.service.logs import logger
from trivselscore.service.models import BatchRow, ScoreRequest
from trivselscore.service.options import check_options, instrument_of, require, require_json
from trivselscore.service.problems import Problem, internal_problem
from trivselscore.service.streaming import Row, csv_rows, json_rows, ndjson_lines, ndjson_rows

__all__ = ["BATCH_MEDIA_TYPES", "NDJSON", "router"]

NDJSON = "application/x-ndjson"
BATCH_MEDIA_TYPES = ("application/json", NDJSON, "text/csv")
"""What the batch route reads: a JSON array, NDJSON, or CSV."""

router = APIRouter(tags=["scoring"])

_ROW_SCHEMA = {"$ref": "#/components/schemas/BatchRow"}
_BATCH_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "A JSON array of rows, NDJSON (one row per line), or a CSV file whose header names the items "
            "(ids or aliases) and optionally age, sex and the id column."
        ),
        "content": {
            "application/json": {"schema": {"type": "array", "items": _ROW_SCHEMA}},
            NDJSON: {"schema": _ROW_SCHEMA},
            "text/csv": {"schema": {"type": "string"}},
        },
    },
    "responses": {
        "200": {
            "description": "One line per input row, in input order: the row's score or its error.",
            "content": {NDJSON: {"schema": {"$ref": "#/components/schemas/BatchLine"}}},
        }
    },
}

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
)
async def score_one(instrument_id: str, body: ScoreRequest, request: Request) -> Response:
    """Score one respondent; store the whole result next to the raw answers to trace or re-score it."""
    definition = instrument_of(request, instrument_id)
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
    openapi_extra=_BATCH_BODY,
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
    """Score many respondents, streamed back as NDJSON in input order: one score or one error per row."""
    definition = instrument_of(request, instrument_id)
    given = require(request, BATCH_MEDIA_TYPES)
    check_options(definition, missing=missing, scheme=scheme, norms=norms)
    body = await request.body()
    rows: Iterator[Row]
    if given == "text/csv":
        rows = csv_rows(body, definition, delimiter=delimiter, id_column=id_column)
    elif given == NDJSON:
        rows = ndjson_rows(body)
    else:
        rows = json_rows(body)

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
