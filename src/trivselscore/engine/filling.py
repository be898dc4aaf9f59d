"""The engine's result arrays of one scale, and how they are filled block by block."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["Filling", "ScaleArrays"]


@dataclass(frozen=True, slots=True)
class ScaleArrays:
    """Per-row results of one scale (``answered`` in the plan's small count type)."""

    values: NDArray[np.float64]
    answered: NDArray[np.signedinteger]
    prorated: NDArray[np.bool_]
    status: NDArray[np.int8]


class Filling:
    """One scale's result while the blocks are scored.

    ``values`` is allocated at once. ``answered``, ``prorated`` and ``status`` are
    allocated at the first block where some row is not scored from every part
    (until then they are the constants ``full``, False and OK), so a batch where
    every answer is given costs one float64 array per scale, nothing more.
    """

    __slots__ = ("_clean", "answered", "count_dtype", "full", "n", "prorated", "status", "values")

    def __init__(self, n: int, full: int, count_dtype: type[np.signedinteger]) -> None:
        self.n = n
        self.full = full  # answered when every part is answered
        self.count_dtype = count_dtype
        self.values = np.empty(n, dtype=np.float64)
        self.answered: NDArray[np.signedinteger] = np.empty(0, dtype=count_dtype)
        self.prorated: NDArray[np.bool_] | None = None
        self.status: NDArray[np.int8] | None = None
        self._clean: list[slice] = []

    def clean(self, where: slice) -> None:
        """Every row of the block scored from every part: answered = full, not prorated, OK."""
        if self.prorated is None:
            self._clean.append(where)
        else:
            self.answered[where] = self.full

    def detailed(self) -> tuple[NDArray[np.signedinteger], NDArray[np.bool_], NDArray[np.int8]]:
        """The per-row arrays, allocated (and the clean blocks so far filled in) on first use."""
        if self.prorated is None or self.status is None:
            self.answered = np.empty(self.n, dtype=self.count_dtype)
            self.prorated = np.zeros(self.n, dtype=np.bool_)
            self.status = np.zeros(self.n, dtype=np.int8)
            for where in self._clean:
                self.answered[where] = self.full
            self._clean.clear()
        return self.answered, self.prorated, self.status

    def answered_in(self, where: slice) -> NDArray[np.signedinteger] | int:
        """The answered counts of the block's rows (the constant while none was detailed)."""
        return self.full if self.prorated is None else self.answered[where]

    def prorated_in(self, where: slice) -> NDArray[np.bool_] | bool:
        """Whether the block's rows were prorated (False while none was detailed)."""
        return False if self.prorated is None else self.prorated[where]

    def finish(self) -> ScaleArrays:
        """The result; a scale scored from every part on every row keeps its three constants once."""
        if self.prorated is None or self.status is None:
            shape = (self.n,)
            return ScaleArrays(
                self.values,
                np.broadcast_to(self.count_dtype(self.full), shape),
                np.broadcast_to(np.False_, shape),
                np.broadcast_to(np.int8(0), shape),  # status 0: OK
            )
        return ScaleArrays(self.values, self.answered, self.prorated, self.status)
