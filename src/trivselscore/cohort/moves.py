"""The moves of the disclosure engine: which shown cells could free a pinned one, and what to hide.

A hidden cell is pinned through the relations linked to it by other unknown
cells (its *component*); only a shown cell of one of those relations can free it.
:func:`candidates` lists them cheapest first: no zero (hiding a zero next to a
``<5`` protects against arithmetic, but a reader who knows that zeros are shown
could guess it); a group's cell before the total row's (``last``); the lower
cost (an ordinary count before a denominator, an auxiliary count before a
result); nearest; in the relation with the fewest unknown cells; the smallest
count. A zero is a candidate only when no other shown cell is.

* :func:`protect` (one report at a time): of the first 12 candidates, the first
  that frees the cell on its own is hidden; if none does, the first is, and the
  search goes on from there. Besides single cells it tries *mirror* moves: where
  the cell is a part of a relation across groups, hiding another group's part
  together with that group's cells in the places hidden in the cell's group,
  which closes a whole cycle at once.
* :func:`cut` (a whole release): the candidates that free the cell on their own
  (or all of them, if none does): the optimiser must hide at least one.
* :func:`widen`: when no shown cell is left in the component, a mark is widened
  to the range it is sure of (a ``<5`` to ``0-4``; a ``skjult`` to 0 up to its
  largest possible value), a total's first and the pinned cell's own last.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING

from trivselscore.cohort.audit import SECONDARY, Audit, Domain
from trivselscore.cohort.guard import RANGE, DisclosureError

if TYPE_CHECKING:
    from trivselscore.cohort.guard import Guard as Protector

__all__ = ["candidates", "cut", "hide", "protect", "widen"]

Key = Hashable
_TRIALS = 12


def hide(guard: Protector, marks: dict[Key, str], cells: frozenset[Key] | set[Key]) -> None:
    """Mark ``cells`` hidden: ``<5`` if small, else ``hidden`` (0 or at least ``min_cell``)."""
    for cell in cells:
        marks[cell] = f"<{guard.min_cell}" if guard.primary(guard.counts[cell]) else SECONDARY


def protect(guard: Protector, key: Key, marks: dict[Key, str]) -> None:
    """Hide cells until ``key`` cannot be worked back.

    Raises:
        DisclosureError: Nothing is left to hide and no mark to widen.
    """
    while True:
        if not guard.pinned(marks, key):
            return
        audit = guard.audit(marks, key)
        move = _complement(guard, key, marks, audit)
        if move:
            hide(guard, marks, move)
        elif not widen(guard, key, marks, audit):
            msg = f"count {key!r} can be worked back from what is shown, and nothing is left to hide"
            raise DisclosureError(msg)


def candidates(
    guard: Protector,
    key: Key,
    unknown: Mapping[Key, Domain],
    found: Mapping[Key, tuple[float, float]] | None = None,
) -> list[Key]:
    """Shown cells of the relations in ``key``'s component, cheapest first (see the module).

    With the attacker's bounds ``found``, the cells reached through pinned unknown
    cells come first (they are what pins ``key``), then the rest of the component.
    """
    near = _walk(guard, key, unknown, found) if found is not None else []
    return list(dict.fromkeys([*near, *_walk(guard, key, unknown, None)]))


def _walk(
    guard: Protector,
    key: Key,
    unknown: Mapping[Key, Domain],
    found: Mapping[Key, tuple[float, float]] | None,
) -> list[Key]:
    seen, frontier = {key}, [key]
    ranked: list[tuple[tuple[bool, bool, float, int, int, int], Key]] = []
    depth = 0
    while frontier:
        following: list[Key] = []
        for cell in frontier:
            for number in guard.index.get(cell, ()):
                total, parts = guard.relations[number]
                members = (total, *parts)
                closed = sum(1 for m in members if m in unknown)
                for m in members:
                    if m in unknown:
                        low, high = found.get(m, (0.0, 0.0)) if found is not None else (0.0, 1.0)
                        if m not in seen and (found is None or low >= high):
                            seen.add(m)
                            following.append(m)
                        continue
                    value = guard.counts[m]
                    rank = (value == 0, m in guard.last, guard.cost(m), depth, closed, value)
                    ranked.append((rank, m))
        frontier = following
        depth += 1
    ranked.sort(key=lambda pair: pair[0])
    return list(dict.fromkeys(cell for _, cell in ranked))


def _frees(guard: Protector, key: Key, marks: Mapping[Key, str], move: frozenset[Key]) -> bool:
    trial = dict(marks)
    hide(guard, trial, move)
    return not guard.pinned(trial, key)


def _complement(guard: Protector, key: Key, marks: dict[Key, str], audit: Audit) -> frozenset[Key]:
    """The cells to hide next so that ``key`` can no longer be worked back (empty: none left)."""
    unknown = guard.unknown(marks)
    ranked = candidates(guard, key, unknown, audit.bounds())
    nonzero = [cell for cell in ranked if guard.counts[cell]]
    ranked = nonzero or ranked  # a zero only when nothing else is left
    moves = [frozenset({cell}) for cell in ranked[:_TRIALS]]
    moves += [m for m in _mirrors(guard, key, unknown) if not nonzero or all(guard.counts[k] for k in m)]
    for move in moves:
        if _frees(guard, key, marks, move):
            return move
    return frozenset(ranked[:1])


def cut(guard: Protector, key: Key, marks: Mapping[Key, str]) -> list[Key]:
    """The shown cells of which at least one must be hidden to free ``key`` (empty: none left).

    The candidates that free it on their own, of the first few cheapest; if none
    does, every candidate (hiding one of them is necessary, though not enough).
    """
    ranked = candidates(guard, key, guard.unknown(marks), guard.audit(marks, key).bounds())
    freeing = [c for c in ranked[: 2 * _TRIALS] if _frees(guard, key, marks, frozenset({c}))]
    return freeing or ranked


def widen(guard: Protector, key: Key, marks: dict[Key, str], audit: Audit) -> bool:
    """Widen one mark in ``key``'s component to the range it is sure of; whether one was."""
    found = audit.bounds()
    unknown = guard.unknown(marks)
    numbers = guard.component(key, unknown)
    totals = {guard.relations[n][0] for n in numbers}
    linked = {m for n in numbers for m in (guard.relations[n][0], *guard.relations[n][1]) if m in unknown}
    small = f"<{guard.min_cell}"
    order = sorted(
        (k for k in (*sorted(linked, key=repr), key) if marks.get(k) in {small, SECONDARY}),
        key=lambda k: (k == key, marks[k] != small, k not in totals, repr(k)),
    )
    for cell in dict.fromkeys(order):
        if marks[cell] == small:
            if guard.hide_zero:
                continue
            guard.ranges[cell] = (0, guard.min_cell - 1)
        else:
            high = found.get(cell, (0.0, float(sum(guard.counts.values()))))[1]
            guard.ranges[cell] = (0, max(math.floor(high), guard.min_cell))
        marks[cell] = RANGE
        return True
    return False


def _mirrors(guard: Protector, key: Key, unknown: Mapping[Key, Domain]) -> list[frozenset[Key]]:
    """Moves that hide, in a neighbouring group, the cells hidden in ``key``'s group.

    A relation across groups (the total row = the sum of the groups) has parts whose
    keys differ in one place (the group); hiding the same cells of another group
    leaves each group's own relations open together.
    """
    if not isinstance(key, tuple):
        return []
    relations = [guard.relations[n] for n in guard.component(key, unknown)]
    linked = {m for total, parts in relations for m in (total, *parts)}
    mine = [h for h in linked if h in unknown and isinstance(h, tuple) and len(h) == len(key)]
    moves: set[frozenset[Key]] = set()
    for number in guard.index.get(key, ()):
        _, parts = guard.relations[number]
        for other in parts:
            if other in unknown or not isinstance(other, tuple) or len(other) != len(key):
                continue
            differ = [j for j in range(len(key)) if key[j] != other[j]]
            if len(differ) != 1:
                continue
            j = differ[0]
            move = {other}
            for cell in mine:
                if cell[j] == key[j]:
                    twin = (*cell[:j], other[j], *cell[j + 1 :])
                    if twin in guard.counts and twin not in unknown:
                        move.add(twin)
            moves.add(frozenset(move))
    return sorted(moves, key=lambda move: _move_order(guard, move))


def _move_order(guard: Protector, move: frozenset[Key]) -> tuple[bool, int, int, int, list[str]]:
    return (
        any(k in guard.last for k in move),
        sum(guard.counts[k] == 0 for k in move),
        len(move),
        sum(guard.counts[k] for k in move),
        sorted(map(repr, move)),
    )
