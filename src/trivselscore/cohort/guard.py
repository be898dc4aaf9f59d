"""What the disclosure engine's moves, optimiser and exact attacker need of the :class:`Protector`.

:class:`Guard` is the view of :class:`~trivselscore.cohort.suppression.Protector`
that :mod:`.moves`, :mod:`.optimal` and :mod:`.exact` use (so they need not import
the engine that calls them), with the mark of a range and the engine's error.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from trivselscore.errors import TrivselscoreError

if TYPE_CHECKING:
    from trivselscore.cohort.audit import Audit, Domain

__all__ = ["RANGE", "DisclosureError", "Guard", "linked"]

RANGE = "range"
"""The mark of a hidden cell published as the range it surely lies in (``"0-4"``, ``"27-33%"``)."""


class DisclosureError(TrivselscoreError, RuntimeError):
    """No suppression protects a count: every cell that could hide it is hidden, and every mark is wide."""


class Guard(Protocol):
    """The engine's counts, relations and attacker, as the moves see them."""

    min_cell: int
    hide_zero: bool
    counts: dict[Hashable, int]
    relations: list[tuple[Hashable, tuple[Hashable, ...]]]
    index: dict[Hashable, list[int]]
    unpublished: dict[Hashable, None]
    last: set[Hashable]
    ranges: dict[Hashable, tuple[int, int]]
    rounds: int
    witnesses: list[dict[Hashable, float]]

    def cost(self, key: Hashable) -> float:
        """What hiding ``key`` loses."""

    def primary(self, value: int) -> bool:
        """Whether a count is small enough to hide on its own."""

    def unknown(self, marks: Mapping[Hashable, str]) -> dict[Hashable, Domain]:
        """Every cell the attacker does not see, with what its mark promises."""

    def derived(self, unknown: Mapping[Hashable, Domain]) -> set[Hashable]:
        """The unknown cells the relations give away on their own."""

    def critical(
        self, key: Hashable, unknown: Mapping[Hashable, Domain], marks: Mapping[Hashable, str]
    ) -> bool:
        """Whether pinning ``key`` would be a leak."""

    def component(self, key: Hashable, unknown: Mapping[Hashable, Domain] | set[Hashable]) -> list[int]:
        """The relations linked to ``key`` through unknown cells."""

    def audit(self, marks: Mapping[Hashable, str], key: Hashable | None = None) -> Audit:
        """The attacker on the relations linked to ``key``."""

    def pinned(self, marks: Mapping[Hashable, str], key: Hashable) -> bool:
        """Whether the attacker pins ``key``."""

    def greedy(self, marks: dict[Hashable, str]) -> None:
        """Protect every critical cell in turn."""


def linked(
    keys: Sequence[Hashable],
    relations: Sequence[tuple[Hashable, tuple[Hashable, ...]]],
    index: Mapping[Hashable, Sequence[int]],
) -> list[tuple[list[Hashable], list[int]]]:
    """The cells of ``keys`` joined by relations (one group per component), each with its relations' numbers.

    Example:
        >>> linked(["a", "b", "c"], [("a", ("b", "x"))], {"a": [0], "b": [0]})
        [(['a', 'b'], [0]), (['c'], [])]
    """
    parent = {k: k for k in keys}

    def root(key: Hashable) -> Hashable:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for total, parts in relations:
        members = [m for m in (total, *parts) if m in parent]
        for member in members[1:]:
            parent[root(member)] = root(members[0])
    groups: dict[Hashable, list[Hashable]] = {}
    for key in keys:
        groups.setdefault(root(key), []).append(key)
    return [(members, sorted({n for k in members for n in index.get(k, ())})) for members in groups.values()]
