"""Small-cell suppression that cannot be undone by arithmetic.

The rule (Danish statistics practice):

* **Primary:** a count of 1 to ``min_cell - 1`` people (default 1-4) is not
  published. This follows Danmarks Statistik's discretion rules
  ("diskretionsregler") for results taken out of its research service, and
  Sundhedsdatastyrelsen's "diskretionering" of health statistics: counts of 1-4
  are hidden [recalled: the threshold 5 is seen in a third-party page quoting
  DST's rules, "celler med antal < 5 er blændet/anonymiseret aht. Danmarks
  Statistiks diskretionsregler" (https://fpu917.wixsite.com/fpu-dk/noter); DST's
  own page https://explorer.dst.dk/en/TilSalg/Forskningsservice/hjemtagelse-af-analyseresultater
  was seen without the number, and Sundhedsdatastyrelsen's rule was not re-read:
  unverified]. A zero is not a small cell and is shown, unless the caller asks
  for ``hide_zero=True``.
* **Secondary:** a published table also publishes relations between its cells
  (a row's parts add up to its total; the groups add up to the total row). A
  hidden cell must not follow from the shown cells through any combination of
  those relations. :func:`suppress` hides more cells until none does: a hidden
  cell is *determined* iff its unit vector lies in the row space of the relation
  matrix restricted to the hidden cells (:func:`determined`), and the check runs
  again after every cell it hides, to a fixed point. It starts with the quick
  rule (an equation with exactly one hidden cell gets a second one), and for a
  determined cell in a group row it also tries hiding the same columns of
  another group.
* **Ranges:** a reader knows more than the equations: a ``<5`` cell is 1-4 and
  a cell hidden to protect another was shown before (0 or at least 5).
  :func:`pinned` carries those ranges through the equations; a hidden cell
  narrowed to one value gets another cell hidden next to it (a 1 hidden with a
  5 in a row of 6 is pinned: 1 + 5 is the only split). What it cannot fix:
  ``<5`` cells that pin each other alone (four groups with ``<5`` under a total
  of ``<5`` are 1 each); they are left as they are.

The cells here are plain counts named by a key; the reports say what the keys
mean (:mod:`trivselscore.cohort.rows`). The extra cells hidden at each step are
the cheapest that free a determined one: a group's cells before the total row's
(the totals stay published where possible); then no zero (hiding a zero next
to a ``<5`` protects against arithmetic, but a reader who knows that zeros are
shown could guess it); then the fewest cells; an ordinary count before a share's
denominator, and that before a whole partition (every share of a row); the
smallest count first.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

__all__ = ["Equation", "Grid", "MIN_CELL", "determined", "is_small", "suppress"]

MIN_CELL: Final = 5
"""The default threshold: counts of 1 to ``MIN_CELL - 1`` (1-4) are not published.

Source: Danmarks Statistik's discretion rules ("diskretionsregler"), as quoted by a
third-party page using DST data, https://fpu917.wixsite.com/fpu-dk/noter ("celler med
antal < 5 er blændet/anonymiseret aht. Danmarks Statistiks diskretionsregler");
Sundhedsdatastyrelsen's "diskretionering" hides the same counts. [recalled: DST's own
page was seen without the number and Sundhedsdatastyrelsen's rule was not re-read;
unverified.] OECD/UNECE glossary, threshold rule: "Some agencies require at least five
respondents in a cell, others require three" (https://stats.oecd.org/glossary/detail.asp?ID=7010,
verified: source seen, in the project's research notes on change, section 4.4).
"""

_TOLERANCE = 1e-9
_SWEEPS = 50
_MOVES = 12
"""How many of the cheapest moves are tried at each step (each costs one rank test)."""
ORDINARY, DENOMINATOR, PARTITION = 0, 1, 2
"""Cost classes of a cell chosen for secondary suppression (cheapest first)."""


@dataclass(frozen=True)
class Equation:
    """``total`` = sum of ``parts`` (cell keys)."""

    total: Hashable
    parts: tuple[Hashable, ...]

    @property
    def cells(self) -> tuple[Hashable, ...]:
        """The total and its parts."""
        return (self.total, *self.parts)


@dataclass
class Grid:
    """Counts by key, the equations between them, and how costly each is to hide."""

    values: dict[Hashable, int] = field(default_factory=dict)
    equations: list[Equation] = field(default_factory=list)
    cost: dict[Hashable, int] = field(default_factory=dict)
    last: set[Hashable] = field(default_factory=set)
    virtual: set[Hashable] = field(default_factory=set)
    unpublished: set[Hashable] = field(default_factory=set)
    partners: set[int] = field(default_factory=set)
    """Rows (keys are ``(row, column)``) that partition a total row: the groups."""

    def add(  # noqa: PLR0913 - one cell and how it is published
        self,
        key: Hashable,
        value: int,
        cost: int = ORDINARY,
        *,
        last: bool = False,
        virtual: bool = False,
        published: bool = True,
    ) -> None:
        """A count cell.

        Args:
            key: Its name.
            value: The count.
            cost: How costly it is to hide (``ORDINARY``, ``DENOMINATOR``, ``PARTITION``).
            last: Hide it only after the other cells of its cost (a total row's cells).
            virtual: Not a column of the report but a denominator it gives away
                (the people a row's shares are out of): working it back is a leak
                only when it is a small count.
            published: False for a virtual cell that is never shown (always hidden).
        """
        self.values[key] = value
        self.cost[key] = cost
        if last:
            self.last.add(key)
        if virtual or not published:
            self.virtual.add(key)
        if not published:
            self.unpublished.add(key)

    def is_leak(self, key: Hashable, min_cell: int, *, hide_zero: bool) -> bool:
        """Whether working ``key`` back would give something away (see ``virtual``)."""
        return key not in self.virtual or is_small(self.values[key], min_cell, hide_zero=hide_zero)

    def leaks(self, hidden: set[Hashable], min_cell: int, *, hide_zero: bool) -> set[Hashable]:
        """The hidden cells that can be worked back and must not be."""
        found = determined(self.equations, hidden | self.unpublished)
        return {key for key in found if self.is_leak(key, min_cell, hide_zero=hide_zero)}

    def relate(self, total: Hashable, parts: Sequence[Hashable]) -> None:
        """Publish ``total = sum(parts)`` (skipped when a key is not a cell)."""
        if total in self.values and parts and all(p in self.values for p in parts):
            self.equations.append(Equation(total, tuple(parts)))


def is_small(count: int, min_cell: int, *, hide_zero: bool) -> bool:
    """Primary suppression: 1 to ``min_cell - 1``, and 0 when ``hide_zero``.

    Examples:
        >>> [k for k in range(7) if is_small(k, 5, hide_zero=False)]
        [1, 2, 3, 4]
        >>> [k for k in range(7) if is_small(k, 5, hide_zero=True)]
        [0, 1, 2, 3, 4]
    """
    return 0 < count < min_cell or (count == 0 and hide_zero and min_cell > 0)


def determined(equations: Sequence[Equation], hidden: set[Hashable]) -> set[Hashable]:
    """The hidden cells that the equations and the shown cells pin down.

    A hidden cell is determined iff every solution of the homogeneous system
    (the equations restricted to the hidden cells) is zero in it: iff its
    column of the null-space basis (from the singular value decomposition) is 0.

    Examples:
        >>> eq = [Equation("total", ("a", "b"))]
        >>> sorted(determined(eq, {"a"}))
        ['a']
        >>> sorted(determined(eq, {"a", "b"}))
        []
    """
    keys = sorted(hidden, key=repr)
    index = {key: i for i, key in enumerate(keys)}
    rows = []
    for equation in equations:
        row = np.zeros(len(keys))
        for key, sign in zip(equation.cells, (1.0, *([-1.0] * len(equation.parts))), strict=True):
            if key in index:
                row[index[key]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    _, singular, vt = np.linalg.svd(np.array(rows))
    rank = int(np.sum(singular > _TOLERANCE))
    free = np.abs(vt[rank:]).max(axis=0, initial=0.0) > _TOLERANCE
    return {key for key, is_free in zip(keys, free, strict=True) if not is_free}


def suppress(grid: Grid, min_cell: int, *, hide_zero: bool = False) -> dict[Hashable, str]:
    """Hide small counts, then hide more until no hidden count can be worked back.

    Returns:
        Hidden key -> note: ``"<min_cell"`` for a small count, ``"hidden"`` for
        one hidden so that another cannot be worked back.

    Examples:
        >>> grid = Grid()
        >>> for key, value in {"n": 20, "a": 3, "b": 7, "c": 10}.items():
        ...     grid.add(key, value)
        >>> grid.relate("n", ["a", "b", "c"])
        >>> suppress(grid, 5)
        {'a': '<5', 'b': 'hidden'}
    """
    notes: dict[Hashable, str] = {
        key: f"<{min_cell}"
        for key, value in grid.values.items()
        if is_small(value, min_cell, hide_zero=hide_zero)
    }
    for key in grid.unpublished:
        notes.pop(key, None)
    unfixable: set[Hashable] = set()
    for _ in range(2 * len(grid.values) + 2):
        _close_equations(grid, notes, min_cell, hide_zero=hide_zero)
        linear = grid.leaks(set(notes), min_cell, hide_zero=hide_zero)
        found = linear or {
            key
            for key in pinned(grid, notes, min_cell, hide_zero=hide_zero)
            if grid.is_leak(key, min_cell, hide_zero=hide_zero) and key not in unfixable
        }
        if not found:
            break
        target = min(found, key=lambda key: _order(grid, key))
        moves = _moves(grid, target, {*notes, *grid.unpublished}, near_only=not linear)
        if not moves and not linear:  # pinned by other hidden cells' ranges alone
            unfixable.add(target)
            continue
        if not moves:  # pragma: no cover - every cell is hidden, so none is determined
            break
        if not linear:  # only narrowed by bounds: widen them with the cheapest cell next to it
            moves = moves[:1]
        for key in _choose(grid, moves[:_MOVES], set(notes), min_cell, hide_zero=hide_zero):
            notes[key] = "hidden"
    return notes


def pinned(grid: Grid, notes: Mapping[Hashable, str], min_cell: int, *, hide_zero: bool) -> set[Hashable]:
    """Hidden cells that a reader can narrow to one value from what the notes say.

    A reader knows more than the equations: a ``<5`` cell is 1-4 (0-4 with
    ``hide_zero``), and a cell hidden to protect another was shown before, so it
    is 0 or at least ``min_cell``; every count is at least 0. Bounds are carried
    through the equations (each cell lies between the total minus the others'
    upper bounds and the total minus their lower bounds) until they stop moving.

    Examples:
        >>> grid = Grid()
        >>> for key, value in {"n": 6, "a": 1, "b": 5}.items():
        ...     grid.add(key, value)
        >>> grid.relate("n", ["a", "b"])
        >>> sorted(pinned(grid, {"a": "<5", "b": "hidden"}, 5, hide_zero=False))
        ['a', 'b']
    """
    low, high, gap = _ranges(grid, notes, min_cell, hide_zero=hide_zero)
    for _ in range(_SWEEPS):
        moved = False
        for equation in grid.equations:
            for key in equation.cells:
                lo, hi = _bounds(equation, key, low, high)
                lo, hi = max(lo, low[key]), min(hi, high[key])
                if key in gap:  # {0} or [min_cell, ...)
                    lo = lo if lo <= 0 or lo >= min_cell else min_cell
                    hi = hi if hi >= min_cell or hi <= 0 else 0
                if lo <= hi and (lo, hi) != (low[key], high[key]):
                    low[key], high[key], moved = lo, hi, True
        if not moved:
            break
    return {key for key in notes if low[key] == high[key]}


def _ranges(
    grid: Grid, notes: Mapping[Hashable, str], min_cell: int, *, hide_zero: bool
) -> tuple[dict[Hashable, float], dict[Hashable, float], set[Hashable]]:
    """What a reader knows of each cell before any equation: (low, high, cells that are 0 or >= min_cell)."""
    low: dict[Hashable, float] = {}
    high: dict[Hashable, float] = {}
    gap: set[Hashable] = set()
    for key, value in grid.values.items():
        if key in grid.unpublished:
            low[key], high[key] = 0, math.inf
        elif key not in notes:
            low[key] = high[key] = value
        elif notes[key] == "hidden":
            low[key], high[key] = 0, math.inf
            gap.add(key)  # it was shown: 0 or at least min_cell
        else:
            low[key], high[key] = (0 if hide_zero else 1), min_cell - 1
    return low, high, gap


def _bounds(
    equation: Equation, key: Hashable, low: Mapping[Hashable, float], high: Mapping[Hashable, float]
) -> tuple[float, float]:
    """The range of ``key`` from the equation and the other cells' ranges."""
    if key == equation.total:
        return sum(low[p] for p in equation.parts), sum(high[p] for p in equation.parts)
    others = [p for p in equation.parts if p != key]
    return low[equation.total] - sum(high[p] for p in others), high[equation.total] - sum(
        low[p] for p in others
    )


def _order(grid: Grid, key: Hashable) -> tuple[bool, bool, int, int, str]:
    """Which shown cell to hide first: no zero, not the total row's, the cheapest, the smallest."""
    value = grid.values[key]
    return (value == 0, key in grid.last, grid.cost.get(key, ORDINARY), value, repr(key))


def _close_equations(grid: Grid, notes: dict[Hashable, str], min_cell: int, *, hide_zero: bool) -> None:
    """The quick rule: while an equation has exactly one hidden cell, hide its cheapest shown cell.

    A lone hidden cell is the difference of the shown ones; a virtual one that is
    not a small count may stay alone (knowing it gives nothing away).
    """
    changed = True
    while changed:
        changed = False
        for equation in grid.equations:
            shut = [k for k in equation.cells if k in notes or k in grid.unpublished]
            if len(shut) != 1 or not grid.is_leak(shut[0], min_cell, hide_zero=hide_zero):
                continue
            shown = [k for k in equation.cells if k not in notes and k not in grid.unpublished]
            if shown:
                notes[min(shown, key=lambda key: _order(grid, key))] = "hidden"
                changed = True


def _choose(
    grid: Grid,
    moves: list[frozenset[Hashable]],
    hidden: set[Hashable],
    min_cell: int,
    *,
    hide_zero: bool,
) -> frozenset[Hashable]:
    """The move that keeps the total row, leaves the fewest leaks, hides no zero and the least."""
    ranked = []
    for move in moves:
        left = len(grid.leaks(hidden | move, min_cell, hide_zero=hide_zero))
        rank = (
            any(key in grid.last for key in move),
            left,
            sum(grid.values[key] == 0 for key in move),
            len(move),
            sum(grid.cost.get(key, ORDINARY) for key in move),
            sum(grid.values[key] for key in move),
            sorted(map(repr, move)),
        )
        ranked.append((rank, move))
    return min(ranked, key=lambda item: item[0])[1]


def _moves(
    grid: Grid, target: Hashable, hidden: set[Hashable], *, near_only: bool = False
) -> list[frozenset[Hashable]]:
    """What can be hidden next to free ``target``.

    One shown cell that shares an equation with it (else with any hidden cell); or,
    when it is in a group row, that row's hidden columns in another group row.
    """
    near = {k for e in grid.equations if target in e.cells for k in e.cells if k not in hidden}
    if not near and near_only:
        return []
    if not near:  # determined through hidden cells only: look one equation further
        near = {k for e in grid.equations if hidden.intersection(e.cells) for k in e.cells if k not in hidden}
    moves = {frozenset({key}) for key in near}
    if isinstance(target, tuple) and target[0] in grid.partners:
        row = target[0]
        columns = {key[1] for key in hidden if isinstance(key, tuple) and key[0] == row}
        for partner in grid.partners - {row}:
            move = frozenset(
                (partner, c) for c in columns if (partner, c) in grid.values and (partner, c) not in hidden
            )
            if move:
                moves.add(move)
    return sorted(moves, key=lambda move: _move_order(grid, move))


def _move_order(grid: Grid, move: frozenset[Hashable]) -> tuple[bool, int, int, int, int, list[str]]:
    return (
        any(key in grid.last for key in move),
        sum(grid.values[key] == 0 for key in move),
        len(move),
        sum(grid.cost.get(key, ORDINARY) for key in move),
        sum(grid.values[key] for key in move),
        sorted(map(repr, move)),
    )
