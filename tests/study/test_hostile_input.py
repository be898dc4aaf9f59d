"""Hostile tables in the Study and Cohort APIs: mixed-type ids and groups, dates as items, label clashes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore.cohort import Cohort
from trivselscore.cohort.data import group_key_label, group_words, split_group_label
from trivselscore.errors import CohortDataError
from trivselscore.study import Study

TIMES = ["start", "end"]


def rows(n: int = 12, **columns: Any) -> list[dict[str, Any]]:
    """WHO-5 rows for persons 0..n-1 at two time points; ``columns`` adds per-person values."""
    out = []
    for p in range(n):
        for t, label in enumerate(TIMES):
            row = {"person": f"P{p}", "time": label, **{f"who5_{i}": (p + t + i) % 6 for i in range(1, 6)}}
            row.update({name: value(p) for name, value in columns.items()})
            out.append(row)
    return out


def study(data: object, **kwargs: Any) -> Study:
    return Study.from_long(data, instruments={"who5": "who5"}, time_points=TIMES, **kwargs)


def cohort(data: object, **kwargs: Any) -> Cohort:
    return Cohort.from_long(data, "who5", time_points=TIMES, **kwargs)


BUILDERS = [study, cohort]


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize(
    ("first", "second", "shown"),
    [
        (1, "1", "1 (number) and '1' (text)"),
        (1, True, "1 (number) and True (bool)"),
        ("a", 2.0, "'a' (text) and 2.0 (number)"),
    ],
)
def test_person_ids_of_two_types_are_refused(build, first, second, shown):
    data = rows(4)
    ids = {"P0": first, "P1": second, "P2": first * 3, "P3": first * 5}
    for row in data:
        row["person"] = ids[row["person"]]
    with pytest.raises(CohortDataError, match="column 'person' mixes person ids of two types") as caught:
        build(data)
    assert shown in str(caught.value)
    assert caught.value.problem == "bad_value"


@pytest.mark.parametrize("build", BUILDERS)
def test_ids_of_one_type_still_work(build):
    data = rows(6)
    for row in data:
        row["person"] = int(row["person"][1:])
    assert build(data).time_points == tuple(TIMES)


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize(("first", "second"), [(1, "1"), (0, False), ("a", 3)])
def test_group_values_of_two_types_are_refused(build, first, second):
    data = rows(12, track=lambda p: first if p % 2 else second)
    with pytest.raises(CohortDataError, match="column 'track' mixes group values of two types"):
        build(data, groups=["track"])


@pytest.mark.parametrize("build", BUILDERS)
def test_a_pandas_object_column_of_mixed_ids_is_refused(build):
    frame = pd.DataFrame(rows(3))
    frame["person"] = pd.Series([1, 1, "1", "1", 2, 2], dtype=object)
    with pytest.raises(CohortDataError, match="1 \\(number\\) and '1' \\(text\\)"):
        build(frame)


def _dated(frame_kind: str, *, empty: bool) -> object:
    data = pd.DataFrame(rows(6))
    dates = [pd.NaT if empty else pd.Timestamp(2024, 1, 1 + i) for i in range(len(data))]
    data["who5_3"] = pd.Series(dates, dtype="datetime64[ns]")
    return data if frame_kind == "pandas" else pl.from_pandas(data)


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("frame_kind", ["pandas", "polars"])
@pytest.mark.parametrize("empty", [True, False])
def test_a_datetime_column_given_as_an_item_is_refused(build, frame_kind, empty):
    with pytest.raises(CohortDataError, match="column 'who5_3' holds dates or times, not numbers"):
        build(_dated(frame_kind, empty=empty))


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize(
    "value", [dt.date(2024, 1, 1), dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.UTC), pd.NaT]
)
def test_dates_in_records_are_refused_as_items(build, value):
    data = rows(6)
    data[3]["who5_3"] = value
    with pytest.raises(CohortDataError, match="'who5_3'"):
        build(data)


def test_a_date_column_as_age_is_refused():
    data = rows(6, age=lambda _: dt.date(2010, 1, 1))
    with pytest.raises(CohortDataError, match="column 'age' holds dates"):
        study(data, age="age")


@pytest.mark.parametrize("build", BUILDERS)
def test_two_record_keys_that_are_one_name_are_refused(build):
    data: list[dict[Any, Any]] = list(rows(6))
    data[2][1] = 4
    data[2]["1"] = 5
    with pytest.raises(CohortDataError, match="row 2 has two columns named '1' \\(1 and '1'\\)"):
        build(data)


@pytest.mark.parametrize("build", BUILDERS)
def test_two_frame_columns_that_are_one_name_are_refused(build):
    frame = pd.DataFrame(rows(6))
    frame[1] = 3
    frame["1"] = 4
    with pytest.raises(CohortDataError, match="two columns named '1'"):
        build(frame)


def _labels_study(by_values: Sequence[object | None]) -> list[str]:
    data = rows(len(by_values), track=lambda p: by_values[p])
    built = study(data, groups=["track"])
    return [label for label, _ in built.partition(["track"])]


def test_a_group_named_missing_and_a_missing_group_have_two_labels():
    values: list[object | None] = [*(["(missing)"] * 6), *([None] * 6), *(["all"] * 6)]
    labels = _labels_study(values)
    assert labels == ["all", '"(missing)"', '"all"', "(missing)"]
    built = study(rows(18, track=lambda p: values[p]), groups=["track"])
    report = built.summary("who5", "raw", by=["track"])
    shown = {r.group for r in report.rows}
    assert shown == set(labels)
    table = report.table("da")
    assert "(mangler)" in table
    assert '"(missing)"' in table
    assert '"all"' in table


def test_cohort_labels_keep_the_groups_apart():
    values: list[object | None] = [*(["(missing)"] * 6), *([None] * 6)]
    data = rows(12, track=lambda p: values[p])
    report = cohort(data, groups=["track"]).summary("percentage", by=["track"])
    groups = {r.group for r in report.rows if not r.is_total}
    assert groups == {'"(missing)"', "(missing)"}
    assert "(mangler)" in report.table(language="da")


def test_two_columns_cannot_make_one_label():
    data = rows(12, a=lambda p: "x / y" if p % 2 else "x", b=lambda p: "z" if p % 2 else "y / z")
    built = study(data, groups=["a", "b"])
    labels = [label for label, _ in built.partition(["a", "b"])]
    assert len(labels) == len(set(labels)) == 3


values = st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["(missing)", "all", " / ", '"', "a / b"]))


@given(st.lists(st.tuples(values, values), min_size=1, max_size=12, unique=True))
def test_group_labels_are_one_to_one(keys):
    labels = [group_key_label(k, frozenset({"all"})) for k in keys]
    assert len(set(labels)) == len(labels)
    assert "all" not in labels
    for key, label in zip(keys, labels, strict=True):
        parts = split_group_label(label)
        assert len(parts) == len(key)
        assert [p == "(missing)" for p in parts] == [v is None for v in key]
        shown = group_words(label, "da")
        assert shown.count("(mangler)") >= sum(v is None for v in key)
