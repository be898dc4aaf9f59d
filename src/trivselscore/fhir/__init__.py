"""FHIR R4: read KL QuestionnaireResponses, write scores back as Observations.

See :func:`from_questionnaire_response` and :func:`to_observations`.
"""

from __future__ import annotations

from trivselscore.fhir.response import (
    BAND_SYSTEM,
    KNOWN_QUESTIONNAIRES,
    METHOD_SYSTEM,
    PROVENANCE_URL,
    SCALE_SYSTEM,
    SCORED_STATUSES,
    KnownQuestionnaire,
    QuestionnaireAnswers,
    from_questionnaire_response,
    to_observations,
)

__all__ = [
    "BAND_SYSTEM",
    "KNOWN_QUESTIONNAIRES",
    "KnownQuestionnaire",
    "METHOD_SYSTEM",
    "PROVENANCE_URL",
    "QuestionnaireAnswers",
    "SCALE_SYSTEM",
    "SCORED_STATUSES",
    "from_questionnaire_response",
    "to_observations",
]
