"""A small FastAPI service that validates and scores one submitted form.

Run: ``pip install fastapi uvicorn`` then ``uvicorn examples.api:app``.
``tests/test_api_example.py`` exercises it with FastAPI's test client.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException

from trivselscore import Respondent, ResponseError, json_schema, response_model, score

app = FastAPI(title="trivselscore example service")
Who5Answers = response_model("who5")  # a pydantic model: each item an allowed code or null


@app.get("/schema/{instrument_id}")
def schema(instrument_id: str) -> dict[str, Any]:
    """The JSON Schema of one respondent's answers, for form builders in any language."""
    try:
        return json_schema(instrument_id)
    except LookupError as error:
        raise HTTPException(status_code=404, detail=str(error)) from error


@app.post("/who5/score")
def score_who5(answers: Who5Answers, age: float | None = None) -> dict[str, Any]:  # type: ignore[valid-type]
    """Validate (FastAPI does it with the model) and score; store the whole result."""
    try:
        result = score("who5", answers.model_dump(), respondent=Respondent(age=age))  # type: ignore[attr-defined]
    except ResponseError as error:  # pragma: no cover - the model already rejects bad codes
        raise HTTPException(status_code=422, detail=str(error)) from error
    return result.model_dump(mode="json")
