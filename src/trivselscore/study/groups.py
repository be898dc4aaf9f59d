"""Small categories of a covariate: merged, or left out, before a model is fitted (and said so).

A category with fewer than ``limit`` persons, or in which every person (or
none) had the outcome, cannot be estimated safely: its odds ratio would be
infinite, or would tell about a handful of young people. :func:`merge_small`
merges such categories into one (``a + b``); if that group is small too, its
persons are left out of the model; a covariate left with fewer than two groups
is left out of the model. Each choice is returned as (covariate, ``merged`` |
``left_out`` | ``dropped``, the categories).

Examples:
    >>> import numpy as np
    >>> text = ["a"] * 6 + ["b"] * 6 + ["c"] * 2 + ["d"] * 2
    >>> outcome = np.array([True, False] * 8)
    >>> grouped, used, said = merge_small({"x": text}, np.ones(16, dtype=bool), outcome, 3)
    >>> [level.label for level in grouped["x"]], int(used.sum())
    (['a', 'b', 'c + d'], 16)
    >>> said
    [('x', 'merged', ('c', 'd'))]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray

__all__ = ["Level", "Said", "merge_small"]

Said = tuple[str, str, tuple[str, ...]]
"""What was done with small categories: (covariate, ``merged``/``left_out``/``dropped``, categories)."""


@dataclass(frozen=True)
class Level:
    """One category in the model: its label (``a + b`` when merged) and its persons."""

    label: str
    members: NDArray[np.bool_]


def _fits(members: NDArray[np.bool_], outcome: NDArray[np.bool_], limit: int) -> bool:
    n, events = int(members.sum()), int((members & outcome).sum())
    return n >= limit and 0 < events < n


def _merge_one(
    name: str, text: Sequence[str | None], used: NDArray[np.bool_], outcome: NDArray[np.bool_], limit: int
) -> tuple[list[Level], NDArray[np.bool_], list[Said]]:
    """One covariate's levels among the used persons; the persons left out; what was done."""
    values = np.array(text, dtype=object)
    labels = sorted({v for v in text if v is not None})
    levels = [Level(v, used & (values == v)) for v in labels]
    kept = [lv for lv in levels if _fits(lv.members, outcome, limit)]
    small = [lv for lv in levels if not _fits(lv.members, outcome, limit) and lv.members.any()]
    said: list[Said] = []
    left = np.zeros_like(used)
    if small:
        names = tuple(lv.label for lv in small)
        together = np.logical_or.reduce([lv.members for lv in small])
        if len(small) > 1 and _fits(together, outcome, limit):
            label = " + ".join(lv.label for lv in small)
            kept.append(Level(label, together))
            said.append((name, "merged", names))
        else:
            left = together
            said.append((name, "left_out", names))
    return kept, left, said


def merge_small(
    texts: Mapping[str, Sequence[str | None]],
    used: NDArray[np.bool_],
    outcome: NDArray[np.bool_],
    limit: int,
) -> tuple[dict[str, list[Level]], NDArray[np.bool_], list[Said]]:
    """Each text covariate's levels (the first the reference), the persons in the model, what was done.

    Persons left out by one covariate change the others' counts, so the merging
    is repeated until nothing changes. A covariate with fewer than two levels
    left is dropped from the model (its persons stay).
    """
    active = dict(texts)
    history: list[Said] = []
    while True:
        grouped: dict[str, list[Level]] = {}
        said: list[Said] = []
        now = used.copy()
        for name, text in active.items():
            kept, left, told = _merge_one(name, text, now, outcome, limit)
            now &= ~left
            grouped[name] = kept
            (history if left.any() else said).extend(t for t in told if t not in history)
        dropped = [name for name, levels in grouped.items() if len(levels) < 2]  # noqa: PLR2004 - a contrast
        for name in dropped:
            del active[name]
            history.append((name, "dropped", ()))
        if dropped:
            continue
        if (now == used).all():
            return grouped, now, said + history
        used = now
