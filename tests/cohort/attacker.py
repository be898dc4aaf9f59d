"""An attacker for published cohort reports: which hidden counts follow from the shown ones?

It reads only what a report publishes (``to_dict()``: values, notes, shares with their
intervals, attrition) and writes down every linear relation the report's documented
structure implies:

* within a summary row: ``measured = n + not_scored``, ``n = banded + unbanded`` and
  ``banded = sum of the band counts`` (``banded``, the shares' denominator, is not a
  column but is known as soon as one share is shown, from ``count / share`` or, for a
  share of 0, from its interval);
* within a change row: ``persons = pairs + start_only + end_only + neither``,
  ``pairs = sum of the category counts`` and ``n_start = pairs + start_only``
  (known from ``start_only / attrition``; a shown attrition ``a`` with a hidden
  ``start_only`` gives ``start_only = a * n_start``);
* across the rows of one block (one time point of a summary; a change report), when
  it has a total row: ``total = sum of the groups`` for every count column.

Then it solves them exactly (``fractions.Fraction``): a hidden cell is determined iff
its unit vector lies in the row space of the relations restricted to the hidden
unknowns, i.e. iff the reduced row echelon form has a row that is that unit vector;
that row's right-hand side is the cell's value.

It is independent of the library's own suppression (which uses floating-point
singular values): different arithmetic, and it sees only the published numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from trivselscore.cohort import stats as _stats

Key = tuple[int, str]
Relation = dict[Key, Fraction]  # sum(coefficient * cell) == 0

VIRTUAL = ("banded", "n_start")
"""Denominators that are not columns: a leak only when pinned to a small count."""

SUMMARY_COUNTS = ("measured", "n", "not_scored", "unbanded", "outside_age_range")
CHANGE_COUNTS = ("persons", "pairs", "start_only", "end_only", "neither", "not_scored", "outside_age_range")


def _denominator(
    count: int, share: dict[str, Any], interval: _stats.IntervalMethod, confidence: float
) -> int | None:
    """The denominator N a shown share gives away (count / share, or its interval for 0)."""
    if share["value"] is None:
        return None
    if share["value"] > 0:
        return round(count / float(share["value"]))
    low, high = share["low"], share["high"]
    for n in range(1, 100_000):  # the interval of 0 / N is different for every N
        got = _stats.proportion_interval(0, n, interval, confidence)
        if abs(got[0] - low) < 1e-12 and abs(got[1] - high) < 1e-12:
            return n
    return None  # pragma: no cover - every published interval has a denominator


class Attack:
    """Unknowns, known values and relations of one published report."""

    def __init__(self) -> None:
        self.known: dict[Key, int] = {}
        self.hidden: set[Key] = set()
        self.relations: list[Relation] = []

    def cell(self, key: Key, cell: dict[str, Any] | None) -> None:
        if cell is None:
            return
        if cell["suppressed"] or cell["value"] is None:
            self.hidden.add(key)
        else:
            self.known[key] = int(cell["value"])

    def learn(self, key: Key, value: int | None) -> None:
        if value is not None:
            self.known[key] = value
            self.hidden.discard(key)

    def add(self, total: Key, parts: Iterable[Key]) -> None:
        relation: Relation = {total: Fraction(1)}
        for part in parts:
            relation[part] = relation.get(part, Fraction(0)) - 1
        self.relations.append(relation)

    def solve(self) -> dict[Key, Fraction]:
        """Every hidden cell the relations pin down, with its value."""
        unknowns = sorted({k for r in self.relations for k in r if k not in self.known} | self.hidden)
        column = {k: i for i, k in enumerate(unknowns)}
        rows = []
        for relation in self.relations:
            row = [Fraction(0)] * (len(unknowns) + 1)
            for key, coefficient in relation.items():
                if key in self.known:
                    row[-1] -= coefficient * self.known[key]
                else:
                    row[column[key]] += coefficient
            rows.append(row)
        reduced = _rref(rows, len(unknowns))
        found = {}
        for row in reduced:
            nonzero = [i for i in range(len(unknowns)) if row[i] != 0]
            if len(nonzero) == 1:
                found[unknowns[nonzero[0]]] = row[-1] / row[nonzero[0]]
        return {k: v for k, v in found.items() if k in self.hidden}


def _rref(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """Reduced row echelon form, exact (rows kept sparse: a relation names a few cells)."""
    sparse = [{i: x for i, x in enumerate(r) if x != 0} for r in rows]  # index ``width``: the constant
    pivot_row = 0
    for col in range(width):
        pick = next((r for r in range(pivot_row, len(sparse)) if col in sparse[r]), None)
        if pick is None:
            continue
        sparse[pivot_row], sparse[pick] = sparse[pick], sparse[pivot_row]
        lead = sparse[pivot_row][col]
        pivot = {i: x / lead for i, x in sparse[pivot_row].items()}
        sparse[pivot_row] = pivot
        for r in range(len(sparse)):
            if r != pivot_row and col in sparse[r]:
                factor, row = sparse[r][col], dict(sparse[r])
                for i, b in pivot.items():
                    value = row.get(i, Fraction(0)) - factor * b
                    if value:
                        row[i] = value
                    else:
                        row.pop(i, None)
                sparse[r] = row
        pivot_row += 1
    return [[r.get(i, Fraction(0)) for i in range(width + 1)] for r in sparse[:pivot_row]]


def _columns(attack: Attack, block: Sequence[int], names: Iterable[str], *, has_total: bool) -> None:
    if has_total and len(block) > 1:
        for name in names:
            attack.add((block[0], name), [(i, name) for i in block[1:]])


def attack_summary(report: dict[str, Any], *, has_total: bool) -> dict[Key, Fraction]:
    """Hidden counts of a ``TimePointSummary.to_dict()`` that the published numbers determine."""
    attack = Attack()
    interval, confidence = report["interval"], report["confidence"]
    blocks: dict[str, list[int]] = {}
    for i, row in enumerate(report["rows"]):
        blocks.setdefault(row["time"], []).append(i)
        for name in SUMMARY_COUNTS:
            attack.cell((i, name), row.get(name))
        attack.add((i, "measured"), [(i, "n"), (i, "not_scored")])
        bands = row["bands"]
        if not bands:
            attack.add((i, "n"), [(i, "unbanded")])
            continue
        attack.hidden.add((i, "banded"))
        for j, band in enumerate(bands):
            attack.cell((i, f"band{j}"), band["count"])
            if band["share"]["note"] == "n=0":
                attack.learn((i, "banded"), 0)
            elif band["count"]["value"] is not None:
                n = _denominator(band["count"]["value"], band["share"], interval, confidence)
                attack.learn((i, "banded"), n)
        attack.add((i, "n"), [(i, "banded"), (i, "unbanded")])
        attack.add((i, "banded"), [(i, f"band{j}") for j in range(len(bands))])
    width = len(report["rows"][0]["bands"]) if report["rows"] else 0
    names = [*SUMMARY_COUNTS, *(("banded",) if width else ()), *(f"band{j}" for j in range(width))]
    for block in blocks.values():
        present = [n for n in names if n != "outside_age_range" or "outside_age_range" in report["rows"][0]]
        _columns(attack, block, present, has_total=has_total)
    return attack.solve()


def attack_change(report: dict[str, Any], *, has_total: bool) -> dict[Key, Fraction]:
    """Hidden counts of a ``ChangeSummary.to_dict()`` that the published numbers determine."""
    attack = Attack()
    interval, confidence = report["interval"], report["confidence"]
    rows = report["rows"]
    for i, row in enumerate(rows):
        for name in CHANGE_COUNTS:
            attack.cell((i, name), row.get(name))
        for j, category in enumerate(row["categories"]):
            attack.cell((i, f"cat{j}"), category["count"])
            if category["count"]["value"] is not None:
                n = _denominator(category["count"]["value"], category["share"], interval, confidence)
                attack.learn((i, "pairs"), n)
        attack.hidden.add((i, "n_start"))
        if row["attrition"]["note"] == "n=0":
            attack.learn((i, "n_start"), 0)
        share = row["attrition"]["value"]
        start_only = row["start_only"]["value"]
        if share is not None and share > 0 and start_only is not None:
            attack.learn((i, "n_start"), round(start_only / share))
        elif share is not None and share > 0:
            ratio = Fraction(share).limit_denominator(100_000)
            attack.relations.append({(i, "start_only"): Fraction(1), (i, "n_start"): -ratio})
        attack.add((i, "persons"), [(i, "pairs"), (i, "start_only"), (i, "end_only"), (i, "neither")])
        attack.add((i, "pairs"), [(i, f"cat{j}") for j in range(len(row["categories"]))])
        attack.add((i, "n_start"), [(i, "pairs"), (i, "start_only")])
    width = len(rows[0]["categories"]) if rows else 0
    names = [n for n in CHANGE_COUNTS if not rows or n in rows[0]]
    _columns(
        attack,
        list(range(len(rows))),
        [*names, "n_start", *(f"cat{j}" for j in range(width))],
        has_total=has_total,
    )
    return attack.solve()


def leaks(found: dict[Key, Fraction], report: dict[str, Any]) -> dict[Key, Fraction]:
    """The determined cells that are leaks: any hidden column, and a denominator pinned to a small count."""
    low = 0 if report.get("hide_zero") else 1
    return {
        key: value
        for key, value in found.items()
        if key[1] not in VIRTUAL or low <= value < report["min_cell"]
    }
