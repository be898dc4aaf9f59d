"""Definitions: the frozen model of an instrument, its validators and norm tables.

The ground floor of the library. A definition is data (items, scales, missing rules,
cutoff schemes, norm tables, sources); a wrong one fails when it is built. This wing
imports nothing of ours but :mod:`trivselscore.errors`.
"""

from __future__ import annotations

from trivselscore.definitions.instrument import Instrument
from trivselscore.definitions.model import (
    AddedValue,
    Band,
    ChangeParameters,
    Cutoffs,
    CutoffScheme,
    ImportantChange,
    Item,
    ItemBlock,
    ItemFlag,
    ItemMap,
    MissingRule,
    Respondent,
    ResponseOption,
    Scale,
    Source,
    Weight,
)
from trivselscore.definitions.norms import Norm, NormTable

__all__ = [
    "AddedValue",
    "Band",
    "ChangeParameters",
    "CutoffScheme",
    "Cutoffs",
    "ImportantChange",
    "Instrument",
    "Item",
    "ItemBlock",
    "ItemFlag",
    "ItemMap",
    "MissingRule",
    "Norm",
    "NormTable",
    "Respondent",
    "ResponseOption",
    "Scale",
    "Source",
    "Weight",
]
