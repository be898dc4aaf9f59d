"""Cohort.from_long on records, pandas, polars and pyarrow: identical reports from each."""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore import CohortDataError, ResponseError
from trivselscore.cohort import Cohort
from trivselscore.cohort.data import read_table
from trivselscore.study import Study

TIMES = ["start", "slut"]
KINDS = ("records", "pandas", "polars", "pyarrow")


def long_rows(n: int, seed: int) -> list[dict[str, Any]]:
    """WHO-5 answers (some missing), a group, sex and age, two time points; some people measured once."""
    rng = np.random.default_rng(seed)
    rows = []
    for person in range(n):
        group = ["a", "b", "c"][person % 3]
        sex = ["pige", "dreng", None][int(rng.integers(3))]
        age = None if rng.random() < 0.1 else float(rng.integers(8, 20))
        for time in TIMES:
            if time == "slut" and rng.random() < 0.2:
                continue
            items = {
                f"who5_{i}": None if rng.random() < 0.05 else int(rng.integers(0, 6)) for i in range(1, 6)
            }
            rows.append(
                {"person": f"P{person:03d}", "time": time, "group": group, "sex": sex, "age": age} | items
            )
    return rows


def columns_of(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {name: [row.get(name) for row in rows] for name in rows[0]}


def as_kind(kind: str, rows: list[dict[str, Any]]) -> Any:
    """The same long data as records, a pandas DataFrame, a polars DataFrame or a pyarrow Table."""
    if kind == "records":
        return rows
    if kind == "pandas":
        return pd.DataFrame(rows)
    if kind == "polars":
        return pl.DataFrame(columns_of(rows))
    return pa.table(columns_of(rows))


def reports(cohort: Cohort) -> str:
    """Every report of the cohort as one JSON text (NaN compares equal as text)."""
    parts = [
        cohort.summary("percentage", by=["group"], min_cell=0).to_dict(),
        cohort.summary("raw", min_cell=0, interval="clopper-pearson").to_dict(),
        cohort.change("percentage", "start", "slut", method="difference", by=["group"], min_cell=0).to_dict(),
        cohort.change("percentage", "start", "slut", method="reliable_change", min_cell=0).to_dict(),
        cohort.change("percentage", "start", "slut", method="threshold", min_cell=0).to_dict(),
    ]
    return json.dumps(parts, sort_keys=True)


def build(data: Any, **kwargs: Any) -> Cohort:
    return Cohort.from_long(data, "who5", time_points=TIMES, groups=["group"], **kwargs)


@pytest.mark.parametrize("kind", KINDS[1:])
def test_every_kind_gives_the_same_reports_as_records(kind):
    rows = long_rows(60, seed=2)
    expected = reports(build(rows, sex="sex", age="age"))
    assert reports(build(as_kind(kind, rows), sex="sex", age="age")) == expected


@pytest.mark.parametrize("kind", KINDS)
def test_scores_given_directly_read_the_same_from_every_kind(kind):
    rows = [
        {
            "person": p,
            "time": t,
            "pct": None if (p, t) == (3, "slut") else float(40 + 4 * p + (8 if t == "slut" else 0)),
        }
        for p in range(12)
        for t in TIMES
    ]
    cohort = Cohort.from_long(as_kind(kind, rows), "who5", time_points=TIMES, scores={"percentage": "pct"})
    summary = cohort.summary("percentage", min_cell=0)
    assert [row.n.value for row in summary.rows] == [12, 11]
    assert reports_change(cohort) == reports_change(
        Cohort.from_long(rows, "who5", time_points=TIMES, scores={"percentage": "pct"})
    )


def reports_change(cohort: Cohort) -> str:
    return json.dumps(cohort.change("percentage", "start", "slut", method="difference", min_cell=0).to_dict())


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_nulls_are_missing_in_every_column(kind):
    rows = long_rows(9, seed=4)
    rows[0] |= {"who5_2": None, "sex": None, "age": None, "group": None}
    table = read_table(as_kind(kind, rows))
    assert table.columns == read_table(rows).columns
    assert table.n_rows == len(rows)


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_a_bad_cell_names_the_row_position_and_column(kind):
    rows = long_rows(6, seed=5)
    text = [None, None, "3", "x", *["4"] * (len(rows) - 4)]
    with pytest.raises(CohortDataError, match=r"^column 'who5_3', row 2: '3' is not a number$") as info:
        build(as_kind(kind, [row | {"who5_3": value} for row, value in zip(rows, text, strict=True)]))
    assert info.value.rows == (2,)
    with pytest.raises(CohortDataError, match=r"column 'age', row 3: age must be a number from 0 to 130"):
        build(
            as_kind(kind, [row | {"age": 12.0 if i != 3 else 140.0} for i, row in enumerate(rows)]), age="age"
        )
    with pytest.raises(ResponseError, match=r"item '1': 7 is not an allowed code"):
        build(as_kind(kind, [row | {"who5_1": 7 if i == 4 else 1} for i, row in enumerate(rows)]))


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_label_errors_name_the_row_position(kind):
    rows = long_rows(6, seed=6)
    rows[3] = rows[3] | {"time": "3 mdr"}
    with pytest.raises(CohortDataError, match=r"unknown time point label\(s\) '3 mdr' .*\(rows \[3\]\)"):
        build(as_kind(kind, rows))
    rows[3] = rows[2]
    with pytest.raises(CohortDataError, match=r"duplicate \(person, time point\) rows \[2, 3\]"):
        build(as_kind(kind, rows))


def test_what_is_not_a_table_is_a_cohort_data_error():
    lazy = pl.DataFrame(columns_of(long_rows(3, seed=1))).lazy()
    with pytest.raises(CohortDataError, match=r"cannot read a LazyFrame .*collect\(\) it first"):
        build(lazy)
    with pytest.raises(CohortDataError, match="iterable of mappings"):
        build({"person": [1]})
    duplicated = pa.table(
        [pa.array(["a"]), pa.array(["start"]), pa.array([1])], names=["person", "time", "time"]
    )
    with pytest.raises(CohortDataError, match="column names must be unique"):
        build(duplicated)


def test_pandas_reads_the_same_without_narwhals(monkeypatch):
    rows = long_rows(30, seed=8)
    expected = reports(build(pd.DataFrame(rows), sex="sex", age="age"))
    study_before = Study.from_long(pd.DataFrame(rows), instruments={"who5": "who5"}, time_points=TIMES)
    monkeypatch.setitem(sys.modules, "narwhals", None)
    assert reports(build(pd.DataFrame(rows), sex="sex", age="age")) == expected
    study = Study.from_long(pd.DataFrame(rows), instruments={"who5": "who5"}, time_points=TIMES)
    assert study.change("start", "slut").to_dict() == study_before.change("start", "slut").to_dict()
    twice = pd.DataFrame([[1, "start", 3]], columns=["person", "time", "time"])
    with pytest.raises(CohortDataError, match=r"more than once: \['time'\]"):
        build(twice)
    with pytest.raises(ImportError, match=r'pip install "trivselscore\[frames\]"'):
        build(pl.DataFrame(columns_of(rows)))


@given(
    st.lists(
        st.tuples(st.sampled_from(TIMES), st.lists(st.none() | st.integers(0, 5), min_size=5, max_size=5)),
        min_size=1,
        max_size=30,
    )
)
def test_property_every_kind_builds_the_same_cohort(measured):
    rows = [
        {"person": i // 2, "time": time, **{f"who5_{k}": v for k, v in enumerate(items, start=1)}}
        for i, (time, items) in enumerate(measured)
    ]
    rows = list({(row["person"], row["time"]): row for row in rows}.values())  # one row per (person, time)
    typed = {
        name: pa.array([row[name] for row in rows], pa.string() if name == "time" else pa.int64())
        for name in rows[0]
    }
    arrow = pa.table(typed)
    expected = reports_of(Cohort.from_long(rows, "who5", time_points=TIMES))
    for data in (arrow, pl.from_arrow(arrow), arrow.to_pandas()):
        assert reports_of(Cohort.from_long(data, "who5", time_points=TIMES)) == expected


def reports_of(cohort: Cohort) -> str:
    parts = [
        cohort.summary("percentage", min_cell=0).to_dict(),
        cohort.change("percentage", "start", "slut", method="difference", min_cell=0).to_dict(),
    ]
    return json.dumps(parts, sort_keys=True)
