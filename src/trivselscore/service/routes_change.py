"""The change route: two measurements of one scale -> fremgang / status quo / tilbagegang, with its rule."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from trivselscore.change import classify_change
from trivselscore.definitions import Instrument
from trivselscore.engine import Score, score
from trivselscore.service.bodies import parse_model
from trivselscore.service.models import AnswerSet, ChangeRequest, ChangeResponse, ChangeValue
from trivselscore.service.options import check_options, instrument_of, json_body, require_json

__all__ = ["router"]

router = APIRouter(tags=["change"])


@router.post(
    "/v1/change",
    dependencies=[Depends(require_json)],
    response_model=ChangeResponse,
    openapi_extra=json_body(
        ChangeRequest,
        "Two measurements of one scale, and the change method.",
        {
            "values": {
                "instrument": "who5",
                "scale": "percentage",
                "method": "threshold",
                "before": 40,
                "after": 52,
            },
            "answers": {
                "instrument": "who5",
                "scale": "percentage",
                "method": "threshold",
                "before": {"answers": [2, 2, 2, 2, 2]},
                "after": {"answers": [3, 3, 3, 2, 3]},
            },
        },
    ),
)
async def change(request: Request) -> Response:
    """Classify one person's change on one scale (``trivselscore.classify_change``).

    ``before`` and ``after`` are each a value on the scale, a stored Score of the
    instrument, answers to score first, or null (missing: the category is null,
    with the reason). The method is always chosen explicitly; the rule in the
    response says which numbers decided the category and where they come from.
    """
    body = parse_model(await request.body(), ChangeRequest)
    definition = instrument_of(request, body.instrument)
    check_options(definition, missing=body.missing, scheme=None)
    before, before_score = _value(definition, body.before, body.missing)
    after, after_score = _value(definition, body.after, body.missing)
    given = {name: getattr(body.options, name) for name in type(body.options).model_fields}
    options: dict[str, Any] = {name: value for name, value in given.items() if value is not None}
    result = classify_change(definition, body.scale, before, after, method=body.method, **options)
    category = result.category
    response = ChangeResponse(
        category=None if category is None else category.value,
        label_en=None if category is None else category.label_en,
        label_da=None if category is None else category.label_da,
        change=result,
        before_score=before_score,
        after_score=after_score,
    )
    return Response(response.model_dump_json(), media_type="application/json")


def _value(
    definition: Instrument, value: ChangeValue, missing: str | None
) -> tuple[float | Score | None, Score | None]:
    """The value to classify, and the score computed from answers (if answers were given)."""
    if isinstance(value, AnswerSet):
        scored = score(definition, value.answers, missing=missing, respondent=value.respondent)
        return scored, scored
    return value, None
