"""Columns already read (the report's CSV reader) give the Study of the same rows as records."""

from __future__ import annotations

import numpy as np
import pytest

from trivselscore.errors import CohortDataError
from trivselscore.study import Study
from trivselscore.study.table import Columns, layout, read

TIMES = ["start", "slut"]


def _records(n: int = 12) -> list[dict[str, object]]:
    return [
        {
            "person": f"P{p}",
            "time": t,
            "track": "a" if p % 2 else "b",
            "age": 13.5 + p % 3,
            **{f"who5_{i}": float((p + i + k) % 6) for i in range(1, 6)},
        }
        for p in range(n)
        for k, t in enumerate(TIMES)
    ]


def test_columns_equal_records():
    records = _records()
    names = list(records[0])
    arrays = {
        name: np.array([r[name] for r in records], dtype=np.float64)
        if isinstance(records[0][name], float)
        else [r[name] for r in records]
        for name in names
    }
    arrays["who5_1"][3] = np.nan
    records[3]["who5_1"] = None
    options = {"instruments": {"who5": "who5"}, "time_points": TIMES, "groups": ["track"], "age": "age"}
    one = Study.from_long(records, **options)  # type: ignore[arg-type]
    other = Study.from_long(Columns(arrays, len(records)), **options)  # type: ignore[arg-type]
    np.testing.assert_array_equal(other.values("who5", "percentage"), one.values("who5", "percentage"))
    assert other.numbers_at("age", "start").tolist() == one.numbers_at("age", "start").tolist()  # type: ignore[union-attr]
    assert other.column_at("who5_1", "slut") == one.column_at("who5_1", "slut")


def test_values_are_read_once_and_blanks_are_none():
    table = read(Columns({"x": np.array([1.0, np.nan]), "t": [" ", "a"]}, 2), person="p", time="t")
    assert table.values("x") == [1.0, None]
    assert table.values("x") is table.values("x")  # kept: the table is read-only
    assert table.values("t") == [None, "a"]
    with pytest.raises(ValueError, match="read-only"):
        table.numbers("x")[0] = 2.0


def test_groups_of_values_that_cannot_be_hashed_keep_the_values():
    table = read(
        [
            {"p": 1, "t": "start", "g": [1]},
            {"p": 1, "t": "slut", "g": [1]},
            {"p": 2, "t": "start", "g": None},
        ],
        person="p",
        time="t",
    )
    found = layout(table, time_points=TIMES, groups=["g"], sex=None, age=None)
    assert found.groups["g"] == ([1], None)
    clash = read([{"p": 1, "t": "start", "g": [1]}, {"p": 1, "t": "slut", "g": [2]}], person="p", time="t")
    with pytest.raises(CohortDataError, match=r"g=\[1\] in row 0 but g=\[2\] in row 1"):
        layout(clash, time_points=TIMES, groups=["g"], sex=None, age=None)


def test_an_unhashable_sex_is_refused_naming_its_row():
    table = read([{"p": 1, "t": "start", "s": ["pige"]}], person="p", time="t")
    with pytest.raises(CohortDataError, match="row 0"):
        layout(table, time_points=TIMES, groups=[], sex="s", age=None)
