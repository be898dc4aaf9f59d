"""Change: rules (reliable change, minimal important change) and classification.

Fremgang / status quo / tilbagegang between two scores of one person.
"""

from __future__ import annotations

from trivselscore.change.classify import ChangeBatch, ChangeResult, classify_change, classify_changes
from trivselscore.change.rule import ChangeCategory, ChangeRule, ReferencePopulation

__all__ = [
    "ChangeBatch",
    "ChangeCategory",
    "ChangeResult",
    "ChangeRule",
    "ReferencePopulation",
    "classify_change",
    "classify_changes",
]
