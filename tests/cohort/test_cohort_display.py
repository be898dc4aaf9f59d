"""Notebook display of a Cohort and its reports: short, the same cells as the table, escaped."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engine.test_display import MAX_LINES, parse
from trivselscore import classify_change, classify_changes
from trivselscore.cohort import Cohort

TIMES = ["start", "slut", "3 mdr"]


def rows_of(n_persons: int, *, groups: int = 2, seed: int = 0, label: str = "g") -> list[dict[str, Any]]:
    """WHO-5 records: everyone at start and slut, two in three at 3 mdr, one blank form at slut."""
    rng = np.random.default_rng(seed)
    rows = []
    for person in range(n_persons):
        for time in TIMES:
            if time == "3 mdr" and person % 3 == 0:
                continue
            answers = [int(a) for a in rng.integers(0, 6, 5)]
            row: dict[str, Any] = {"person": person, "time": time, "track": f"{label}{person % groups}"}
            row.update({f"who5_{i}": a for i, a in enumerate(answers, start=1)})
            if person == 1 and time == "slut":
                row.update({f"who5_{i}": None for i in range(1, 6)})
            rows.append(row)
    return rows


def cells(line: str) -> list[str]:
    """A plain-text table line's cells (cells hold single spaces, columns are two or more apart)."""
    return [cell for cell in re.split(r"\s{2,}", line.strip()) if set(cell) != {"-"}]


def test_cohort_repr_counts_rows_and_scored_rows():
    data = rows_of(30)
    cohort = Cohort.from_long(data, "who5", time_points=TIMES, groups=["track"])
    assert repr(cohort).splitlines() == [
        "Cohort(who5 v1: 30 persons, 3 time points, groups: track)",
        "time   measured  scored",
        "-----  --------  ------",
        "start  30        30",
        "slut   30        29",
        "3 mdr  20        20",
    ]
    cells = parse(cohort._repr_html_())
    assert cells.caption == repr(cohort).splitlines()[0]
    assert cells.rows[1:] == [["start", "30", "30"], ["slut", "30", "29"], ["3 mdr", "20", "20"]]


def test_cohort_repr_counts_rows_outside_the_age_range():
    data = rows_of(6)
    for row in data:
        row["age"] = 30 if row["person"] == 0 else 15
    cohort = Cohort.from_long(data, "sdq-s11-17", time_points=TIMES, age="age", scores={"total": "who5_1"})
    lines = repr(cohort).splitlines()
    assert lines[1].split() == ["time", "measured", "scored", "outside", "age", "range"]
    assert lines[3].split() == ["start", "6", "6", "1"]


@settings(max_examples=20, deadline=None)
@given(n_times=st.integers(1, 30), n_persons=st.integers(1, 12))
def test_cohort_repr_counts_agree_with_the_records(n_times, n_persons):
    times = [f"t{i}" for i in range(n_times)]
    present = {(p, t) for p in range(n_persons) for i, t in enumerate(times) if (p + i) % 3 != 1}
    data = [{"person": p, "time": t, "pct": 40.0} for p, t in sorted(present)]
    cohort = Cohort.from_long(data, "who5", time_points=times, scores={"percentage": "pct"})
    lines = repr(cohort).splitlines()
    assert len(lines) <= MAX_LINES
    cells = parse(cohort._repr_html_())
    for row in cells.rows[1:]:
        expected = sum(1 for p in range(n_persons) if (p, row[0]) in present)
        assert row[1:] == [str(expected), str(expected)]


def test_report_reprs_show_the_table_rows_and_stop_after_twelve():
    data = rows_of(400, groups=30)
    cohort = Cohort.from_long(data, "who5", time_points=TIMES, groups=["track"])
    summary = cohort.summary("percentage", by=["track"])
    change = cohort.change("percentage", "start", "slut", by=["track"], method="difference")
    for report, table in ((summary, summary.table("en")), (change, change.table("en").split("\n", 1)[1])):
        lines = repr(report).splitlines()
        assert len(lines) <= MAX_LINES
        # the header and the first 12 rows, cell by cell (the column widths fit the rows shown)
        assert [cells(line) for line in lines[1:15]] == [cells(line) for line in table.splitlines()[:14]]
        assert lines[-1].startswith("... ")
        assert lines[-1].endswith(" more rows; .table() shows all")
        assert str(report) == report.table()
    assert repr(summary).splitlines()[0] == "TimePointSummary: who5/percentage, start, slut, 3 mdr"
    assert repr(change).splitlines()[0] == "ChangeSummary: who5/percentage, start -> slut"


def test_hidden_cells_show_their_mark_in_html_never_zero():
    data = rows_of(12, groups=3)
    cohort = Cohort.from_long(data, "who5", time_points=TIMES, groups=["track"])
    change = cohort.change("percentage", "start", "slut", by=["track"], method="difference")
    cells = parse(change._repr_html_())
    grid = change._grid("da")
    assert cells.rows[0] == grid[0]
    assert cells.rows[1 : 1 + len(grid[1])] == grid[1]
    flat = [cell for row in cells.rows for cell in row]
    assert "<5" in flat or "skjult" in flat
    assert "skjult: færre end 5 (nul vises)" in cells.rows[-1][0]
    assert change.rule.describe() in cells.rows[-1][0]


def test_group_labels_are_escaped_in_html():
    hostile = "<img src=x onerror=alert(1)>"
    data = rows_of(20, groups=2, label=hostile)
    cohort = Cohort.from_long(data, "who5", time_points=TIMES, groups=["track"])
    html = cohort.summary("percentage", by=["track"])._repr_html_()
    assert "<img" not in html
    assert f"{hostile}0" in [row[1] for row in parse(html).rows[1:] if len(row) > 1]


def test_change_results_have_one_line_reprs():
    assert repr(classify_change("who5", "percentage", 40, 60, method="difference")) == (
        "ChangeResult(who5/percentage: 40 -> 60, change 20, improvement)"
    )
    missing = classify_change("who5", "percentage", None, 60, method="difference")
    assert repr(missing) == "ChangeResult(who5/percentage: - -> 60, change -, no category: before is missing)"
    rci = classify_change("who5", "percentage", 20, 60, method="reliable_change")
    assert f", RCI {rci.rci:.2f}, improvement)" in repr(rci)
    batch = classify_changes(
        "who5", "percentage", np.arange(100.0), np.arange(100.0)[::-1], method="difference"
    )
    assert (
        repr(batch)
        == "ChangeBatch(who5/percentage, 100 persons: improvement 50, status_quo 0, decline 50, missing 0)"
    )
