"""Which QuestionnaireResponses are read: by status.

A QuestionnaireResponse that is ``in-progress`` or ``stopped`` is not a finished
form: scoring it would report what was not yet answered as missing data. By
default only ``completed`` and ``amended`` responses are read; a caller can ask
for others with ``statuses=``. ``entered-in-error`` is never read. FHIR R4
(4.0.1) QuestionnaireResponse.status, 1..1, value set
https://hl7.org/fhir/R4/valueset-questionnaire-answers-status.html.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from trivselscore.fhir.guard import fail, quote

__all__ = ["R4_STATUSES", "SCORED_STATUSES", "check_status", "read_statuses"]

SCORED_STATUSES: Final = ("completed", "amended")
"""The QuestionnaireResponse statuses read by default: a finished form, or one changed after it was
finished (https://hl7.org/fhir/R4/valueset-questionnaire-answers-status.html)."""

R4_STATUSES: Final = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
"""Every R4 QuestionnaireResponse status (QuestionnaireResponseStatus, FHIR 4.0.1)."""


def read_statuses(statuses: Collection[str]) -> frozenset[str]:
    """The ``statuses`` argument as a set of R4 status codes, checked.

    Examples:
        >>> sorted(read_statuses(("completed", "in-progress")))
        ['completed', 'in-progress']
        >>> read_statuses(["stopped", "entered-in-error"])
        Traceback (most recent call last):
        ...
        ValueError: statuses ['entered-in-error'] cannot be read; choose from [...]
    """
    checked: object = statuses
    if isinstance(checked, str) or not isinstance(checked, Collection):
        msg = (
            f"statuses must be a collection of status codes such as ('completed', 'amended'), not {checked!r}"
        )
        raise TypeError(msg)
    codes: list[object] = list(checked)
    if not codes or any(not isinstance(c, str) for c in codes):
        if codes:
            msg = f"statuses must hold status codes (strings), not {codes!r}"
            raise TypeError(msg)
        msg = "statuses is empty: no response could be read"
        raise ValueError(msg)
    wrong = [c for c in codes if c not in R4_STATUSES or c == "entered-in-error"]
    if wrong:
        readable = [s for s in R4_STATUSES if s != "entered-in-error"]
        msg = f"statuses {wrong} cannot be read; choose from {readable}"
        raise ValueError(msg)
    return frozenset(c for c in codes if isinstance(c, str))


def check_status(status: object, accepted: frozenset[str], instrument_id: str) -> None:
    """Only a response whose status is accepted is read: by default a finished one."""
    where = "QuestionnaireResponse.status"
    if status == "entered-in-error":
        msg = "the response is marked entered-in-error"
        raise fail(msg, instrument_id=instrument_id, value=status, path=where)
    if status is None:
        msg = "the response has no status (FHIR R4 requires one), so it is not known to be finished"
        raise fail(msg, instrument_id=instrument_id, path=where)
    if not isinstance(status, str) or status not in R4_STATUSES:
        msg = f"status {quote(status)} is not a QuestionnaireResponse status {list(R4_STATUSES)}"
        raise fail(msg, instrument_id=instrument_id, value=status, path=where)
    if status not in accepted:
        msg = (
            f"the response's status is {status!r}; only {sorted(accepted)} responses are read, "
            "because a form that is still being filled in (or was stopped) is not a finished answer. "
            f"To read it anyway, pass statuses=({', '.join(repr(s) for s in sorted(accepted | {status}))})"
        )
        raise fail(msg, instrument_id=instrument_id, value=status, path=where)
