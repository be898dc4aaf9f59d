"""Small-cell suppression that cannot be undone: the one engine of every cohort and study report.

The rule (Danish statistics practice):

* **Primary:** a count of 1 to ``min_cell - 1`` people (default 1-4) is not
  published; it is shown as ``"<5"``. This follows Danmarks Statistik's discretion rules
  ("diskretionsregler") for results taken out of its research service, and
  Sundhedsdatastyrelsen's "diskretionering" of health statistics: counts of 1-4
  are hidden [recalled: see :data:`MIN_CELL`]. A zero is not a small cell and is
  shown, unless the caller asks for ``hide_zero=True``.
* **Secondary:** a published table also publishes relations between its cells
  (a row's parts add up to its total; the groups add up to the total row). An
  attacker who knows every shown number, those relations, that counts are whole
  numbers >= 0, that a ``"<5"`` cell holds 1-4 and that a cell hidden to protect
  another was shown before (0 or at least ``min_cell``) narrows every hidden cell
  (:class:`~trivselscore.cohort.audit.Audit`: interval propagation, Gauss-Jordan
  elimination and a search for a second whole-number solution). :meth:`Protector.solve`
  hides one more cell (``"hidden"``) next to any hidden count only one value fits,
  until none is left, checking again every hidden cell, the ones it hid included.
* **Marks that give a count away:** when the ``"<5"`` marks alone pin a count (four
  groups of ``<5`` under a total of ``<5`` must be 1 each), no shown cell is left to
  hide; then one of those small cells is marked ``"hidden"`` instead, which says
  nothing of its size. So a ``"hidden"`` (``skjult``) cell is usually 0 or at least
  ``min_cell``, but can be a small count: a reader cannot rely on its range.

The cell hidden next is the cheapest that frees the pinned one: no zero (hiding a
zero next to a ``<5`` protects against arithmetic, but a reader who knows that
zeros are shown could guess it); a group's cell before the total row's
(``last``); an ordinary count before a denominator (``keep``) and that before a
denominator that is no column (``virtual``); nearest, in the relation with the
fewest hidden cells; the smallest count. Of the first 12 candidates, the first
that frees the cell on its own is hidden; if none does, the first is, and the
search goes on from there. A zero is a candidate only when no other shown cell is.
Besides single cells it tries *mirror* moves: where ``key`` is a part of a relation
across groups, hiding another group's part together with that group's cells in the
places hidden in ``key``'s group (the same columns), which closes a whole cycle at once.

Sources: protecting hidden cells against the intervals an attacker derives from
the published relations is the "secondary cell suppression" and audit of
Hundepool et al., *Statistical Disclosure Control* (Wiley 2012), ch. 4 [recalled].

Examples:
    >>> guard = Protector(min_cell=5)
    >>> for key, value in {"pairs": 60, "up": 40, "same": 0, "down": 20}.items():
    ...     guard.add(key, value)
    >>> guard.relate("pairs", ["up", "same", "down"])
    >>> guard.solve()  # nothing small; the zero stays visible
    {}
    >>> guard = Protector(min_cell=5)
    >>> for key, value in {"pairs": 60, "up": 38, "same": 18, "down": 4}.items():
    ...     guard.add(key, value)
    >>> guard.relate("pairs", ["up", "same", "down"])
    >>> guard.solve()
    {'down': '<5', 'same': 'hidden'}
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Final

from trivselscore.cohort.audit import SECONDARY, Audit

__all__ = ["MIN_CELL", "SECONDARY", "Protector", "bounds", "check_min_cell", "is_small"]

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

Key = Hashable
_TRIALS = 12


def is_small(count: int, min_cell: int, *, hide_zero: bool) -> bool:
    """Primary suppression: 1 to ``min_cell - 1``, and 0 when ``hide_zero``.

    Examples:
        >>> [k for k in range(7) if is_small(k, 5, hide_zero=False)]
        [1, 2, 3, 4]
        >>> [k for k in range(7) if is_small(k, 5, hide_zero=True)]
        [0, 1, 2, 3, 4]
    """
    return 0 < count < min_cell or (count == 0 and hide_zero and min_cell > 0)


def check_min_cell(min_cell: int, *, hide_zero: bool) -> None:
    """Reject a threshold that cannot protect anything.

    Raises:
        ValueError: ``min_cell`` < 0, or 2 with zeros shown (a hidden count
            could then only be 1).
    """
    if min_cell < 0:
        msg = f"min_cell must be >= 0, not {min_cell}"
        raise ValueError(msg)
    if min_cell == 2 and not hide_zero:  # noqa: PLR2004 - the one threshold that hides a single value
        msg = (
            "min_cell=2 with zeros shown would reveal every hidden count (it can only be 1); "
            "use min_cell >= 3 or hide_zero=True"
        )
        raise ValueError(msg)


def bounds(
    counts: Mapping[Key, int],
    relations: Sequence[tuple[Key, Sequence[Key]]],
    hidden: Mapping[Key, str],
    *,
    min_cell: int,
    hide_zero: bool = False,
) -> dict[Key, tuple[float, float]]:
    """The interval the attacker narrows each hidden cell to (see :mod:`.audit`).

    Examples:
        >>> bounds({"n": 60, "a": 40, "b": 16, "c": 4}, [("n", ["a", "b", "c"])], {"c": "<5"}, min_cell=5)
        {'c': (4.0, 4.0)}
    """
    return Audit(counts, relations, hidden, min_cell=min_cell, hide_zero=hide_zero).bounds()


class Protector:
    """Collects one report's counts and relations, then decides which to hide.

    ``add`` each count under a key (the same key wherever the same number is
    published), ``relate`` totals to their parts, then ``solve``.
    """

    def __init__(self, *, min_cell: int, hide_zero: bool = False) -> None:
        if min_cell < 0:
            msg = f"min_cell must be >= 0, not {min_cell}"
            raise ValueError(msg)
        self.min_cell = min_cell
        self.hide_zero = hide_zero
        self.counts: dict[Key, int] = {}
        self.relations: list[tuple[Key, tuple[Key, ...]]] = []
        self.keep: set[Key] = set()
        self.last: set[Key] = set()
        self.virtual: set[Key] = set()
        self.unpublished: set[Key] = set()
        self._index: dict[Key, list[int]] = {}
        self._plain: set[Key] = set()

    def add(  # noqa: PLR0913 - one cell and how it is published
        self,
        key: Key,
        value: int,
        *,
        keep: bool = False,
        last: bool = False,
        virtual: bool = False,
        published: bool = True,
    ) -> None:
        """Register a count.

        Args:
            key: Its name.
            value: The count.
            keep: A denominator: hidden to protect another only after the ordinary counts.
            last: Hidden to protect another only after the other cells (a total row's).
            virtual: Not a column but a denominator the report gives away (the people a
                row's shares are out of): working it back is a leak only when it is small.
            published: False for a count never shown (always unknown; a leak only when small).
        """
        self.counts[key] = int(value)
        for flag, keys in ((keep, self.keep), (last, self.last), (virtual or not published, self.virtual)):
            if flag:
                keys.add(key)
        if not published:
            self.unpublished.add(key)

    def relate(self, total: Key, parts: Iterable[Key]) -> None:
        """Publish ``total = sum(parts)`` (skipped when a key is not a count)."""
        members = tuple(parts)
        if total not in self.counts or not all(m in self.counts for m in members):
            return
        if len(members) > 1 or (members and members[0] != total):
            self.relations.append((total, members))

    def primary(self, value: int) -> bool:
        """Whether a count is small enough to hide on its own."""
        return is_small(value, self.min_cell, hide_zero=self.hide_zero)

    def solve(self) -> dict[Key, str]:
        """Key -> mark (``"<5"`` or ``"hidden"``) for every published count to hide."""
        mark = f"<{self.min_cell}"
        hidden: dict[Key, str] = {
            k: mark for k, v in self.counts.items() if self.primary(v) and k not in self.unpublished
        }
        self._plain = set(self.unpublished)
        self._index = {}
        for number, (total, parts) in enumerate(self.relations):
            for member in (total, *parts):
                self._index.setdefault(member, []).append(number)
        todo = [*hidden, *self.unpublished]
        while todo:  # hiding more only widens what fits, so each cell is checked once
            key = todo.pop(0)
            if key in self.virtual and not self.primary(self.counts[key]):
                continue  # a denominator worked back gives nothing away unless it is small
            before = set(hidden)
            self._protect(key, hidden)
            todo += [k for k in hidden if k not in before]
        return hidden

    def _protect(self, key: Key, hidden: dict[Key, str]) -> bool:
        """Hide cells until ``key`` cannot be worked back; whether anything was hidden."""
        changed = False
        while True:
            audit = self._audit(key, hidden)
            if not audit.pinned(key):
                return changed
            move = self._complement(key, hidden, audit.bounds())
            if move is None:
                target = self._unmarked(key, hidden)
                if target is None:  # pragma: no cover - a lone small cell pinned by its own mark
                    return changed
                self._plain.add(target)
                move = frozenset({target})
            hidden.update(dict.fromkeys(move, SECONDARY))
            changed = True

    def _unknown(self, hidden: Mapping[Key, str]) -> dict[Key, str]:
        return {**hidden, **dict.fromkeys(self.unpublished, SECONDARY)}

    def _audit(self, key: Key, hidden: Mapping[Key, str]) -> Audit:
        """The attacker, on the relations linked to ``key`` through hidden cells."""
        unknown = self._unknown(hidden)
        return Audit(
            self.counts,
            self._component(key, unknown),
            unknown,
            min_cell=self.min_cell,
            hide_zero=self.hide_zero,
            plain=self._plain,
        )

    def _unmarked(self, key: Key, hidden: Mapping[Key, str]) -> Key | None:
        """A ``"<5"`` cell linked to ``key`` (a total first, ``key`` itself last) to mark ``"hidden"``."""
        nearby = [m for total, parts in self._component(key, self._unknown(hidden)) for m in (total, *parts)]
        nearby.append(key)
        marked = [m for m in dict.fromkeys(nearby) if hidden.get(m, SECONDARY) != SECONDARY]
        totals = {total for total, _ in self.relations}
        marked.sort(key=lambda m: (m == key, m not in totals))
        return marked[0] if marked else None

    def _complement(
        self, key: Key, hidden: Mapping[Key, str], found: Mapping[Key, tuple[float, float]]
    ) -> frozenset[Key] | None:
        """The cells to hide next so that ``key`` can no longer be worked back (see the module)."""
        unknown = self._unknown(hidden)
        ranked = self._candidates(key, unknown, found)
        nonzero = [cell for cell in ranked if self.counts[cell]]
        ranked = nonzero or ranked  # a zero only when nothing else is left
        moves = [frozenset({cell}) for cell in ranked[:_TRIALS]]
        moves += [m for m in self._mirrors(key, unknown) if not nonzero or all(self.counts[k] for k in m)]
        for move in moves:
            if not self._audit(key, {**hidden, **dict.fromkeys(move, SECONDARY)}).pinned(key):
                return move
        return frozenset(ranked[:1]) or None

    def _mirrors(self, key: Key, unknown: Mapping[Key, str]) -> list[frozenset[Key]]:
        """Moves that hide, in a neighbouring group, the cells hidden in ``key``'s group.

        A relation across groups (the total row = the sum of the groups) has parts whose
        keys differ in one place (the group); hiding the same cells of another group
        leaves each group's own relations open together.
        """
        if not isinstance(key, tuple):
            return []
        linked = {m for total, parts in self._component(key, unknown) for m in (total, *parts)}
        mine = [h for h in linked if h in unknown and isinstance(h, tuple) and len(h) == len(key)]
        moves: set[frozenset[Key]] = set()
        for number in self._index.get(key, ()):
            _, parts = self.relations[number]
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
                        if twin in self.counts and twin not in unknown:
                            move.add(twin)
                moves.add(frozenset(move))
        return sorted(moves, key=self._move_order)

    def _move_order(self, move: frozenset[Key]) -> tuple[bool, int, int, int, list[str]]:
        return (
            any(k in self.last for k in move),
            sum(self.counts[k] == 0 for k in move),
            len(move),
            sum(self.counts[k] for k in move),
            sorted(map(repr, move)),
        )

    def _component(self, key: Key, unknown: Mapping[Key, str]) -> list[tuple[Key, tuple[Key, ...]]]:
        """The relations linked to ``key`` through unknown cells (the only ones that can pin it)."""
        seen, todo, numbers = {key}, [key], set()
        while todo:
            for number in self._index.get(todo.pop(), ()):
                if number in numbers:
                    continue
                numbers.add(number)
                total, parts = self.relations[number]
                for member in (total, *parts):
                    if member in unknown and member not in seen:
                        seen.add(member)
                        todo.append(member)
        return [self.relations[n] for n in sorted(numbers)]

    def _cost(self, key: Key) -> int:
        return 2 if key in self.virtual else int(key in self.keep)

    def _candidates(
        self, key: Key, unknown: Mapping[Key, str], found: Mapping[Key, tuple[float, float]]
    ) -> list[Key]:
        """Shown cells of ``key``'s relations, and of the relations of pinned hidden cells, cheapest first."""
        seen, frontier = {key}, [key]
        ranked: list[tuple[tuple[int, int, int, int, int, int], Key]] = []
        depth = 0
        while frontier:
            following: list[Key] = []
            for cell in frontier:
                for number in self._index.get(cell, ()):
                    total, parts = self.relations[number]
                    members = (total, *parts)
                    closed = sum(1 for m in members if m in unknown)
                    for m in members:
                        if m in unknown:
                            low, high = found.get(m, (0, 0))
                            if low >= high and m not in seen:
                                seen.add(m)
                                following.append(m)
                            continue
                        value = self.counts[m]
                        rank = (value == 0, m in self.last, self._cost(m), depth, closed, value)
                        ranked.append((rank, m))
            frontier = following
            depth += 1
        ranked.sort(key=lambda pair: pair[0])
        return list(dict.fromkeys(cell for _, cell in ranked))
