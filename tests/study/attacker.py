"""An independent attacker for suppressed tables: linear or integer programming over the relations.

For every hidden cell it asks scipy's solver (HiGHS) for the smallest and the
largest value the cell can hold, given every shown count, the relations
``total = sum(parts)`` the report publishes, that counts are >= 0 and that a
cell marked ``"<m"`` holds 1 to m - 1 (0 to m - 1 with ``hide_zero``). A hidden
cell whose smallest and largest values agree has been worked back.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

optimize = pytest.importorskip("scipy.optimize")


@dataclass(frozen=True)
class Attack:
    """What the attacker knows: the tables' relations and what each mark says."""

    shown: Mapping[Hashable, int | None]
    marks: Mapping[Hashable, str]
    relations: Sequence[tuple[Hashable, Sequence[Hashable]]]
    min_cell: int
    hide_zero: bool = False

    def system(self) -> tuple[dict[Hashable, int], Any, list[Any]]:
        hidden = [k for k, v in self.shown.items() if v is None]
        index = {k: i for i, k in enumerate(hidden)}
        big = 10 * (sum(v for v in self.shown.values() if v is not None) + 10)
        low, high = np.zeros(len(hidden)), np.full(len(hidden), float(big))
        for k, i in index.items():
            if self.marks.get(k, "").startswith("<"):
                low[i], high[i] = (0 if self.hide_zero else 1), self.min_cell - 1
        rows, rhs = [], []
        for total, parts in self.relations:
            row, constant = np.zeros(len(hidden)), 0.0
            for cell, sign in [(total, 1.0), *((p, -1.0) for p in parts)]:
                if cell in index:
                    row[index[cell]] += sign
                else:
                    constant -= sign * float(self.shown[cell] or 0)
            if row.any():
                rows.append(row)
                rhs.append(constant)
        constraints = [optimize.LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
        return index, optimize.Bounds(low, high), constraints

    def range_of(self, key: Hashable, *, integer: bool) -> tuple[int, int]:
        index, bounds, constraints = self.system()
        kinds = np.full(len(index), 1.0 if integer else 0.0)
        found = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(index))
            c[index[key]] = sign
            result = optimize.milp(c, constraints=constraints, integrality=kinds, bounds=bounds)
            assert result.status == 0, result.message
            value = float(result.x[index[key]])
            found.append(math.ceil(value - 1e-6) if sign > 0 else math.floor(value + 1e-6))
        return found[0], found[1]


def pinned(  # noqa: PLR0913 - the published table, then the attacker's knowledge
    shown: Mapping[Hashable, int | None],
    marks: Mapping[Hashable, str],
    relations: Sequence[tuple[Hashable, Sequence[Hashable]]],
    *,
    min_cell: int,
    hide_zero: bool = False,
    integer: bool = False,
) -> list[Hashable]:
    """The small hidden cells (marked ``"<m"``) that only one value fits.

    Over real numbers (rounded inwards), the audit of statistical disclosure
    control; ``integer=True`` solves over whole numbers instead (stronger).
    """
    attack = Attack(shown, marks, relations, min_cell, hide_zero)
    small = [k for k, v in shown.items() if v is None and marks.get(k, "").startswith("<")]
    out = []
    for key in small:
        low, high = attack.range_of(key, integer=integer)
        if low >= high:
            out.append(key)
    return out
