"""Small-cell suppression that cannot be undone: the one disclosure engine of every report.

The rule (Danish statistics practice):

* **Primary:** a count of 1 to ``min_cell - 1`` people (default 1-4) is not
  published; it is shown as ``"<5"``. Sundhedsdatastyrelsen's research service
  blurs fields "with less than five persons/observations" in the statistics it
  hands out [verified: see :data:`MIN_CELL`]; Danmarks Statistik's discretion
  rules ("diskretionsregler") for results taken out of its research service are
  quoted with the same threshold [recalled]. A zero is not a small cell and is
  shown, unless the caller asks for ``hide_zero=True``.
* **Secondary:** a published report also publishes relations between its numbers
  (a row's parts add up to its total; the groups add up to the total row; the
  same people counted in two tables are one number). An attacker who knows every
  shown number, those relations, that counts are whole numbers >= 0 and what each
  mark promises (``"<5"`` is 1-4; ``"hidden"``, *skjult*, a cell hidden to protect
  another, is 0 or at least ``min_cell``; a range ``a-b`` lies within it; a count
  never shown is any count) narrows every hidden cell
  (:class:`~trivselscore.cohort.audit.Audit`). :meth:`Protector.solve` hides more
  cells until no hidden cell is *pinned* (only one whole number fits it) and no
  count the report does not show (people at the start only, a share's
  denominator) is pinned to a small count. It never returns while a cell is
  pinned: it hides more, widens a mark, or raises :class:`DisclosureError`.
* **Marks stay honest:** when the marks alone pin counts (four groups of ``<5``
  under a total of ``<5`` must be 1 each) and no shown cell is left to hide, one
  of those marks is widened to the range it is sure of (``"0-4"``): a wider
  promise, never a false one, so ``skjult`` always means 0 or at least ``min_cell``.

Which cells are hidden next (the *secondary* cells) is chosen in one of two ways:

* ``solve()`` (one report at a time, as :class:`~trivselscore.cohort.Cohort` and
  :class:`~trivselscore.study.Study` reports do): for each pinned cell in turn, the
  cheapest shown cell that frees it (see :mod:`.moves`), hidden at once;
* ``solve(optimal=True)`` (a whole release, as the ``trivselscore report`` command
  does): every pinned cell adds a *cut* (hide at least one of the cells that free
  it) and a mixed-integer program (:mod:`.optimal`, scipy's HiGHS) picks the
  cheapest set of cells that meets every cut at once, until the attacker pins
  nothing. The costs put results (n, pairs, fremgang, tilbagegang) above
  auxiliary counts (rows, forms not given, drop-out) above bookkeeping totals.

Sources: protecting hidden cells against the intervals an attacker derives from
the published relations is the "secondary cell suppression" and audit of
Hundepool et al., *Statistical Disclosure Control* (Wiley 2012), ch. 4 [recalled];
cut-and-solve cell suppression as a mixed-integer program is the approach of
Fischetti & Salazar-González (2001), which tau-ARGUS ("optimal") and the R package
sdcTable ("OPT") implement [recalled].

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
    >>> guard.bounds_of(["same"])  # what the attacker can say of the hidden 18 anyway
    {'same': (18.0, 21.0)}
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Final

from trivselscore.cohort import exact, moves
from trivselscore.cohort.audit import SECONDARY, Audit, Domain
from trivselscore.cohort.guard import RANGE, DisclosureError, linked
from trivselscore.cohort.optimal import solve_optimal

__all__ = [
    "MIN_CELL",
    "RANGE",
    "SECONDARY",
    "DisclosureError",
    "Protector",
    "bounds",
    "check_min_cell",
    "is_small",
]

MIN_CELL: Final = 5
"""The default threshold: counts of 1 to ``MIN_CELL - 1`` (1-4) are not published.

Sources: Sundhedsdatastyrelsen (the Danish Health Data Authority), Research
Services, "Statistics extraction": "Research Services will generally blur out
fields with less than five persons/observations"
(https://english.sundhedsdatastyrelsen.dk/health-data-and-registers/research-services/apply-for-data/statistics-extraction)
[verified: source seen]. Danmarks Statistik's rules on taking analysis results out
of its research service ("Hjemtagelse af analyseresultater",
https://www.dst.dk/da/TilSalg/Forskningsservice/hjemtagelse-af-analyseresultater)
require "sufficient statistical disclosure control" [verified: source seen]; the
threshold of its section "rules on statistical disclosure control - in brief" was
not readable there, and a third-party page using DST data quotes "celler med antal
< 5 er blændet/anonymiseret aht. Danmarks Statistiks diskretionsregler"
(https://fpu917.wixsite.com/fpu-dk/noter) [recalled: DST's own number unverified].
OECD/UNECE glossary, threshold rule: "Some agencies require at least five
respondents in a cell, others require three" (https://stats.oecd.org/glossary/detail.asp?ID=7010)
[verified: source seen].
"""

Key = Hashable


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

    ``hidden`` maps each hidden cell to its mark (``"<5"`` or ``"hidden"``).

    Examples:
        >>> bounds({"n": 60, "a": 40, "b": 16, "c": 4}, [("n", ["a", "b", "c"])], {"c": "<5"}, min_cell=5)
        {'c': (4.0, 4.0)}
    """
    guard = Protector(min_cell=min_cell, hide_zero=hide_zero)
    for key, value in counts.items():
        guard.add(key, value)
    for total, parts in relations:
        guard.relate(total, parts)
    guard.marks = dict(hidden)
    return guard.bounds_of(list(hidden))


class Protector:
    """Collects one report's (or one release's) counts and relations, then decides which to hide.

    ``add`` each count under a key (the same key wherever the same number, or the
    same people, is published), ``relate`` totals to their parts, then ``solve``.
    After ``solve``, :attr:`ranges` holds the range of every cell marked
    :data:`RANGE`, and :meth:`bounds_of` what the attacker can say of any hidden cell.
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
        self.unpublished: dict[Key, None] = {}  # a set in the order of adding (results never hang on hashes)
        self.costs: dict[Key, float] = {}
        self.ranges: dict[Key, tuple[int, int]] = {}
        self.marks: dict[Key, str] = {}
        self.rounds = 0
        self.optimal = False
        self.witnesses: list[dict[Key, float]] = []  # solutions the exact attacker found (cells moved)
        self._seen_relations: set[tuple[Key, tuple[Key, ...]]] = set()
        self.index: dict[Key, list[int]] = {}
        self._audits: dict[tuple[tuple[int, ...], frozenset[tuple[Key, Domain]]], Audit] = {}

    def add(  # noqa: PLR0913 - one cell and how it is published
        self,
        key: Key,
        value: int,
        *,
        keep: bool = False,
        last: bool = False,
        virtual: bool = False,
        published: bool = True,
        cost: float | None = None,
    ) -> None:
        """Register a count (again: the same key twice must be the same number).

        Args:
            key: Its name: the same for the same people wherever they are counted.
            value: The count.
            keep: A denominator: hidden to protect another only after the ordinary counts.
            last: Hidden to protect another only after the other cells (a total row's).
            virtual: Not a column but a denominator the report gives away (the people a
                row's shares are out of): working it back is a leak only when it is small.
            published: False for a count never shown (always unknown; a leak only when small).
            cost: What hiding it loses (default: from ``keep``, ``last`` and ``virtual``).

        Raises:
            ValueError: The key was added before with another value.
        """
        value = int(value)
        if key in self.counts and self.counts[key] != value:
            msg = f"count {key!r} was added as {self.counts[key]} and as {value}"
            raise ValueError(msg)
        first = key not in self.counts
        self.counts[key] = value
        for flag, keys in ((keep, self.keep), (last, self.last), (virtual, self.virtual)):
            if flag:
                keys.add(key)
        if published:
            self.unpublished.pop(key, None)
        elif first:
            self.unpublished[key] = None
        if cost is not None:
            self.costs[key] = max(cost, self.costs.get(key, cost))

    def relate(self, total: Key, parts: Iterable[Key]) -> None:
        """Publish ``total = sum(parts)`` (skipped when a key is not a count, or said before).

        Raises:
            ValueError: The counts do not add up (the keys do not name what they count).
        """
        members = tuple(parts)
        if total not in self.counts or not all(m in self.counts for m in members):
            return
        if not (len(members) > 1 or (members and members[0] != total)):
            return
        if self.counts[total] != sum(self.counts[m] for m in members):
            msg = f"{total!r} = {self.counts[total]} is not the sum of {members!r}"
            raise ValueError(msg)
        signature = (total, tuple(sorted(members, key=repr)))
        if signature in self._seen_relations:
            return
        self._seen_relations.add(signature)
        self.relations.append((total, members))
        for member in (total, *members):
            self.index.setdefault(member, []).append(len(self.relations) - 1)

    def primary(self, value: int) -> bool:
        """Whether a count is small enough to hide on its own."""
        return is_small(value, self.min_cell, hide_zero=self.hide_zero)

    def cost(self, key: Key) -> float:
        """What hiding ``key`` loses (its ``cost``, else from its flags)."""
        if key in self.costs:
            return self.costs[key]
        return 1.0 + (2.0 if key in self.virtual else float(key in self.keep)) + 3.0 * (key in self.last)

    # --- what the attacker knows ----------------------------------------------------------------

    def unknown(self, marks: Mapping[Key, str]) -> dict[Key, Domain]:
        """Every cell the attacker does not see, with what its mark promises."""
        ceiling = float(sum(self.counts.values()))
        low_small = 0.0 if self.hide_zero else 1.0
        plain = Domain(0.0, ceiling)
        gap = Domain(0.0, ceiling, gap=True)
        secondary = Domain(float(self.min_cell), ceiling) if self.hide_zero else gap
        out: dict[Key, Domain] = dict.fromkeys(self.unpublished, plain)
        for key, mark in marks.items():
            if mark == RANGE:
                low, high = self.ranges[key]
                out[key] = Domain(float(low), float(high))
            elif mark == SECONDARY:
                out[key] = secondary
            else:
                out[key] = Domain(low_small, float(self.min_cell - 1))
        return out

    def critical(self, key: Key, unknown: Mapping[Key, Domain], marks: Mapping[Key, str]) -> bool:
        """Whether pinning ``key`` would be a leak (a shown mark, or a small count the report hides)."""
        if key not in unknown:
            return False
        own = key in marks and key not in self.virtual
        return own or self.primary(self.counts[key])

    def derived(self, unknown: Mapping[Key, Domain]) -> set[Key]:
        """The unknown cells a relation gives away: its only unknown member, again and again.

        A count the report does not show (the persons given a form, those not
        scored) is usually the difference of shown ones; the attacker knows it as
        well as a shown count, so the audits treat it as known (and it is a leak
        when it is small, or a hidden cell).
        """
        left = [sum(1 for m in (t, *p) if m in unknown) for t, p in self.relations]
        queue = [n for n, c in enumerate(left) if c == 1]
        found: set[Key] = set()
        while queue:
            total, parts = self.relations[queue.pop()]
            members = [m for m in (total, *parts) if m in unknown and m not in found]
            if len(members) != 1:
                continue
            found.add(members[0])
            for number in self.index.get(members[0], ()):
                left[number] -= 1
                if left[number] == 1:
                    queue.append(number)
        return found

    def component(self, key: Key, unknown: Mapping[Key, Domain] | set[Key]) -> list[int]:
        """The numbers of the relations linked to ``key`` through unknown cells (the ones that can pin it)."""
        seen, todo, numbers = {key}, [key], set()
        while todo:
            for number in self.index.get(todo.pop(), ()):
                if number in numbers:
                    continue
                numbers.add(number)
                total, parts = self.relations[number]
                for member in (total, *parts):
                    if member in unknown and member not in seen:
                        seen.add(member)
                        todo.append(member)
        return sorted(numbers)

    def audit(self, marks: Mapping[Key, str], key: Key | None = None) -> Audit:
        """The attacker, on every relation (or on those linked to ``key``), derived cells known."""
        unknown = self.unknown(marks)
        return self._audit(unknown, self.derived(unknown), key)

    def _audit(self, unknown: Mapping[Key, Domain], derived: set[Key], key: Key | None) -> Audit:
        open_ = {k: d for k, d in unknown.items() if k not in derived}
        if key is None:
            return Audit(self.counts, self.relations, open_, min_cell=self.min_cell)
        numbers = tuple(self.component(key, set(open_))) if key in open_ else ()
        cells = {m for n in numbers for m in (self.relations[n][0], *self.relations[n][1])}
        domains = {k: d for k, d in open_.items() if k in cells or k == key}
        signature = (numbers, frozenset(domains.items()))
        found = self._audits.get(signature)
        if found is None:  # the same component with the same marks: the same attacker
            found = Audit(self.counts, [self.relations[n] for n in numbers], domains, min_cell=self.min_cell)
            self._audits[signature] = found
        return found

    def pinned(self, marks: Mapping[Key, str], key: Key) -> bool:
        """Whether the attacker pins the hidden cell ``key`` (derived from shown cells, or by its audit)."""
        if self.optimal:
            return exact.pinned(self, marks, key)
        unknown = self.unknown(marks)
        derived = self.derived(unknown)
        if key in derived:
            return True
        audit = self._audit(unknown, derived, key)
        if key not in audit.verdicts:
            audit.verdicts[key] = audit.pinned(key)
        return audit.verdicts[key]

    def bounds_of(self, keys: Iterable[Key], *, tight: bool = True) -> dict[Key, tuple[float, float]]:
        """What the attacker can say of each hidden cell after :meth:`solve` (outer bounds).

        After ``solve(optimal=True)`` (and with ``tight``) the bounds of the linear
        relaxation (scipy), else those of the audit's interval propagation; both
        are outer bounds.
        """
        if self.optimal and tight:
            wanted = list(dict.fromkeys(keys))
            return exact.bounds(self, self.marks, wanted)
        out: dict[Key, tuple[float, float]] = {}
        unknown = self.unknown(self.marks)
        derived = self.derived(unknown)
        for key in keys:
            if key in out or key not in unknown:
                continue
            if key in derived:
                out[key] = (float(self.counts[key]), float(self.counts[key]))
                continue
            found = self.audit(self.marks, key).bounds()
            out.update({k: v for k, v in found.items() if k in unknown})
        return {k: out[k] for k in keys if k in out}

    def leaks(self, marks: Mapping[Key, str]) -> list[Key]:
        """Every critical hidden cell the attacker pins, one attack per component."""
        unknown = self.unknown(marks)
        derived = self.derived(unknown)
        found = [k for k in unknown if k in derived and self.critical(k, unknown, marks)]
        open_ = [k for k in unknown if k not in derived]
        for members, numbers in linked(open_, self.relations, self.index):
            critical = [k for k in members if self.critical(k, unknown, marks)]
            if not critical:
                continue
            relations = [self.relations[n] for n in numbers]
            audit = Audit(self.counts, relations, {k: unknown[k] for k in members}, min_cell=self.min_cell)
            found += [k for k in critical if audit.pinned(k)]
        return found

    # --- deciding -------------------------------------------------------------------------------

    def solve(self, *, optimal: bool = False) -> dict[Key, str]:
        """Key -> mark (``"<5"``, ``"hidden"`` or ``"range"``) for every published count to hide.

        Raises:
            DisclosureError: A count that nothing can protect (never seen in a report
                whose counts are counts of people; see the module docstring).
            ImportError: ``optimal=True`` without scipy (the extra ``stats``).
        """
        mark = f"<{self.min_cell}"
        marks = {k: mark for k, v in self.counts.items() if self.primary(v) and k not in self.unpublished}
        self.ranges = {}
        self.optimal = optimal
        self.witnesses = []
        if optimal:
            marks = solve_optimal(self, marks)
        else:
            self.greedy(marks)
        self.marks = marks
        return marks

    def greedy(self, marks: dict[Key, str]) -> None:
        """Protect every critical cell in turn, hiding the cheapest cell that frees it (in place)."""
        todo = [*marks, *self.unpublished]
        while todo:  # hiding more only widens what fits, so each cell is checked once
            key = todo.pop(0)
            unknown = self.unknown(marks)
            if not self.critical(key, unknown, marks):
                continue
            before = set(unknown)
            moves.protect(self, key, marks)
            todo += [k for k in self.unknown(marks) if k not in before]
            self.rounds += 1
