"""Small-cell suppression you can defend: primary and secondary, checked by an attacker.

The rule (every study report applies it to its counts):

1. **Primary**: a count from 1 to ``min_cell - 1`` is hidden and shown as
   ``"<5"`` (``min_cell=5`` by default). A zero is shown: it is not a small cell
   but an empty one. ``hide_zero=True`` hides zeros as well.
2. **Secondary**: a report publishes linear relations between its counts: the
   parts of a partition add up to its total (``pairs`` = fremgang + status quo +
   tilbagegang; the ``all`` row = the sum of the group rows). An attacker who
   knows every shown number, those relations, that counts are whole numbers
   >= 0 and that a ``"<5"`` cell holds 1-4 (0-4 with ``hide_zero``), narrows
   every hidden cell to an interval (:func:`bounds`). Wherever that interval
   pins a primary cell to one value, one more cell of a relation it is in is
   hidden (``"hidden"``): the smallest shown non-zero part, a denominator
   (``keep``) only when no other part is left, else the total. This repeats
   until no primary cell can be worked back.
3. A share, mean, SD or interval is shown only when its count and its
   denominator are shown (an interval's width gives its n away).

Sources: Danmarks Statistik's discretion rules for research results state that
tables must not show counts of 1-4 persons (so 0 may be shown) and that hidden
cells must not be recoverable from totals [recalled: DST Forskningsservice,
"Regler for hjemtagelse af analyseresultater", not re-read]; the threshold rule
"at least five respondents in a cell" is in the OECD/UNECE SDC glossary
[verified: https://stats.oecd.org/glossary/detail.asp?ID=7010]; protecting
hidden cells against the intervals an attacker derives from the published
relations is the "secondary cell suppression" and audit of Hundepool et al.,
*Statistical Disclosure Control* (Wiley 2012), ch. 4 [recalled].

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

from trivselscore.study.audit import SECONDARY, Audit

__all__ = ["Protector", "bounds", "check_min_cell"]

Key = Hashable
_TRIALS = 12


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
        check_min_cell(min_cell, hide_zero=hide_zero)
        self.min_cell = min_cell
        self.hide_zero = hide_zero
        self.counts: dict[Key, int] = {}
        self.relations: list[tuple[Key, tuple[Key, ...]]] = []
        self.keep: set[Key] = set()

    def add(self, key: Key, value: int, *, keep: bool = False) -> None:
        """Register a count; ``keep``: a denominator, hidden second only when nothing else is left."""
        self.counts[key] = int(value)
        if keep:
            self.keep.add(key)

    def relate(self, total: Key, parts: Iterable[Key]) -> None:
        """Publish ``total = sum(parts)`` (all keys already added)."""
        members = tuple(parts)
        if len(members) > 1 or (members and members[0] != total):
            self.relations.append((total, members))

    def primary(self, value: int) -> bool:
        """Whether a count is small enough to hide on its own."""
        return value < self.min_cell and (value > 0 or self.hide_zero)

    def solve(self) -> dict[Key, str]:
        """Key -> mark (``"<5"`` or ``"hidden"``) for every count to hide.

        When every cell around a pinned small count is hidden already (a whole
        table of small counts), the ``"<5"`` marks themselves give it away; then a
        nearby small cell is marked ``"hidden"`` instead, which says nothing of its size.
        """
        mark = f"<{self.min_cell}"
        sensitive = [k for k, v in self.counts.items() if self.primary(v)]
        hidden: dict[Key, str] = dict.fromkeys(sensitive, mark)
        self._index: dict[Key, list[int]] = {}
        for number, (total, parts) in enumerate(self.relations):
            for member in (total, *parts):
                self._index.setdefault(member, []).append(number)
        for key in sensitive:  # hiding more only ever frees cells, so one pass suffices
            while True:
                audit = self._audit(key, hidden)
                if not audit.pinned(key):
                    break
                target = self._complement(key, hidden, audit.bounds())
                if target is None:
                    target = self._unmarked(key, hidden)
                if target is None:  # pragma: no cover - a lone small cell pinned by its own mark
                    break
                hidden[target] = SECONDARY
        return hidden

    def _audit(self, key: Key, hidden: Mapping[Key, str]) -> Audit:
        """The attacker, on the relations linked to ``key`` through hidden cells."""
        return Audit(
            self.counts,
            self._component(key, hidden),
            hidden,
            min_cell=self.min_cell,
            hide_zero=self.hide_zero,
        )

    def _unmarked(self, key: Key, hidden: Mapping[Key, str]) -> Key | None:
        """A ``"<5"`` cell linked to ``key`` (a total first, ``key`` itself last) to mark ``"hidden"``."""
        nearby = [m for total, parts in self._component(key, hidden) for m in (total, *parts)]
        marked = [m for m in dict.fromkeys(nearby) if hidden.get(m, SECONDARY) != SECONDARY]
        totals = {total for total, _ in self.relations}
        marked.sort(key=lambda m: (m == key, m not in totals))
        return marked[0] if marked else None

    def _complement(
        self, key: Key, hidden: Mapping[Key, str], found: Mapping[Key, tuple[float, float]]
    ) -> Key | None:
        """The cell to hide next so that ``key`` can no longer be worked back.

        Candidates are the shown cells of ``key``'s relations and of the
        relations of hidden cells that are pinned too (they pin ``key``): a
        non-zero count before a denominator (``keep``) before a zero; then
        the nearest, in the relation with fewest hidden cells, the smallest.
        The first candidate that frees ``key`` on its own is hidden; if none
        does, the first candidate is, and the search goes on from there.
        """
        ranked = self._candidates(key, hidden, found)
        for candidate in ranked[:_TRIALS]:
            if not self._audit(key, {**hidden, candidate: SECONDARY}).pinned(key):
                return candidate
        return ranked[0] if ranked else None

    def _component(self, key: Key, hidden: Mapping[Key, str]) -> list[tuple[Key, tuple[Key, ...]]]:
        """The relations linked to ``key`` through hidden cells (the only ones that can pin it)."""
        seen, todo, numbers = {key}, [key], set()
        while todo:
            for number in self._index.get(todo.pop(), ()):
                if number in numbers:
                    continue
                numbers.add(number)
                total, parts = self.relations[number]
                for member in (total, *parts):
                    if member in hidden and member not in seen:
                        seen.add(member)
                        todo.append(member)
        return [self.relations[n] for n in sorted(numbers)]

    def _candidates(
        self, key: Key, hidden: Mapping[Key, str], found: Mapping[Key, tuple[float, float]]
    ) -> list[Key]:
        seen, frontier, ranked = {key}, [key], []
        depth = 0
        while frontier:
            options: list[tuple[int, int, int, int, int]] = []
            candidates: list[Key] = []
            following: list[Key] = []
            for cell in frontier:
                for number in self._index.get(cell, ()):
                    total, parts = self.relations[number]
                    members = (total, *parts)
                    closed = sum(1 for m in members if m in hidden)
                    for m in members:
                        if m in hidden:
                            if found.get(m, (0, 0))[0] >= found.get(m, (0, 0))[1] and m not in seen:
                                seen.add(m)
                                following.append(m)
                            continue
                        rank = 1 if m in self.keep else 0
                        zero = 1 if self.counts[m] == 0 else 0
                        options.append((3 if zero else rank, depth, closed, self.counts[m], len(candidates)))
                        candidates.append(m)
            ranked += [(o, candidates[o[-1]]) for o in options]
            frontier = following
            depth += 1
        return list(dict.fromkeys(cell for _, cell in sorted(ranked, key=lambda pair: pair[0][:-1])))
