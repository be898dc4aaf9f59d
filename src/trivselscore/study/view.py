"""What the report functions need of a study (so they need not import :class:`Study` itself)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from trivselscore.study.measures import Measure

__all__ = ["StudyView"]


class StudyView(Protocol):
    """The read-only view of a :class:`~trivselscore.study.Study` that the reports use."""

    @property
    def measures(self) -> Mapping[str, Measure]:
        """Measure name -> its scores per row."""

    @property
    def time_points(self) -> tuple[str, ...]:
        """The time point labels in order."""

    @property
    def groups(self) -> tuple[str, ...]:
        """The group columns."""

    @property
    def n_persons(self) -> int:
        """Number of persons."""

    @property
    def n_rows(self) -> int:
        """Number of input rows."""

    def measure(self, name: str) -> Measure:
        """One measure (an error naming it if unknown)."""

    def values(self, measure: str, scale: str) -> NDArray[np.float64]:
        """Scores per (person, time point)."""

    def state(self, measure: str) -> NDArray[np.int8]:
        """0 no row, 1 form not given, 2 form given, per (person, time point)."""

    def outside(self, measure: str) -> NDArray[np.bool_]:
        """Outside every version's age range, per (person, time point)."""

    def spread(self, rows: NDArray[Any], fill: object) -> NDArray[Any]:
        """A per-row array as a (person, time point) array."""

    def time_index(self, label: str) -> int:
        """The position of a time point."""

    def partition(self, by: Sequence[str]) -> list[tuple[str, NDArray[np.bool_]]]:
        """The ``all`` row and each group's persons."""

    def column_at(self, name: str, time: str) -> list[object]:
        """A column's value per person at one time point."""

    def numbers_at(self, name: str, time: str) -> NDArray[np.float64] | None:
        """A numeric column's value per person at one time point (None if not numeric)."""

    def group_values(self, name: str) -> tuple[object | None, ...]:
        """A group column's value per person."""
