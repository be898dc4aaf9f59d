"""What cohort reports count and show: zeros (issue 14 item 4), ages outside the range
(issue 13 item 6) and T-score bands without a norm table (issue 13 item 8)."""

from __future__ import annotations

from typing import Any

import pytest

from trivselscore.cohort import Cohort
from trivselscore.cohort.suppression import is_small
from trivselscore.instruments.registry import get_instrument

# --- issue 14 item 4: suppression you can defend ------------------------------------------------


@pytest.mark.parametrize(
    ("count", "min_cell", "hide_zero", "small"),
    [
        (0, 5, False, False),  # a zero is not a small cell
        (0, 5, True, True),
        (1, 5, False, True),
        (4, 5, False, True),
        (5, 5, False, False),
        (2, 3, False, True),
        (3, 3, False, False),
        (0, 0, True, False),  # min_cell=0: nothing is suppressed
        (1, 1, False, False),
    ],
)
def test_counts_of_one_to_min_cell_minus_one_are_small(count, min_cell, hide_zero, small):
    assert is_small(count, min_cell, hide_zero=hide_zero) is small


def tracks() -> Cohort:
    """Track A: 60 improve, 0 stay, 18 decline; track B: 40 improve, 10 stay, 12 decline."""
    rows: list[dict[str, Any]] = []
    person = 0
    for track, changes in (("A", [12] * 60 + [-12] * 18), ("B", [12] * 40 + [0] * 10 + [-12] * 12)):
        for change in changes:
            rows.append({"person": person, "time": "start", "pct": 48, "track": track})
            rows.append({"person": person, "time": "end", "pct": 48 + change, "track": track})
            person += 1
    return Cohort.from_long(
        rows, "who5", time_points=["start", "end"], groups=["track"], scores={"percentage": "pct"}
    )


def test_a_zero_is_shown_and_no_longer_hides_an_18_person_decline():
    report = tracks().change("percentage", "start", "end", method="difference", by=["track"])
    track_a = {c.key: c for c in report.rows[1].categories}
    assert track_a["status_quo"].count.value == 0  # was "<5"
    assert track_a["status_quo"].share.value == 0
    assert track_a["decline"].count.value == 18  # was hidden so that the "<5" could not be worked back
    assert track_a["decline"].share.value == pytest.approx(18 / 78)
    assert not any(c.count.suppressed for row in report.rows for c in row.categories)


def test_hide_zero_hides_zeros_and_protects_them_like_any_small_count():
    report = tracks().change("percentage", "start", "end", method="difference", by=["track"], hide_zero=True)
    assert report.hide_zero
    track_a = {c.key: c for c in report.rows[1].categories}
    assert track_a["status_quo"].count.note == "<5"
    notes = [c.count.note for c in report.rows[1].categories]  # 60, 0, 18
    assert notes.count("hidden") >= 1  # else 78 - 60 - 18 = 0
    assert report.to_dict()["hide_zero"] is True


def test_the_stacked_bar_of_the_evaluation_can_be_drawn():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from trivselscore.plots import plot_change  # noqa: PLC0415 - after the optional import

    report = tracks().change("percentage", "start", "end", method="difference", by=["track"])
    figure = plot_change(report)
    containers = figure.axes[0].containers
    hidden = next(c for c in containers if str(c.get_label()).startswith("skjult"))
    assert [bar.get_height() for bar in hidden] == [0.0, 0.0, 0.0]  # nothing hatched
    decline = next(c for c in containers if c.get_label() == "tilbagegang")
    assert decline[1].get_height() == pytest.approx(100 * 18 / 78)


# --- issue 13 item 6: rows outside the instrument's age range are counted ------------------------


def aged_rows(*, items: bool) -> list[dict[str, Any]]:
    """WHO-5 (ages 9-130): 6 children aged 8 (outside; 9 at the end) at 40, 10 aged 15 at 40 or 80."""
    rows: list[dict[str, Any]] = []
    for person in range(16):
        age = 8 if person < 6 else 15
        pct = 40 if person < 11 else 80
        for time in ("start", "end"):
            row: dict[str, Any] = {"person": person, "time": time, "age": age + (time == "end")}
            if items:
                row.update({f"who5_{i}": pct // 20 for i in range(1, 6)})
            else:
                row["pct"] = pct
            rows.append(row)
    return rows


@pytest.mark.parametrize("items", [True, False])
def test_rows_outside_the_age_range_are_counted(items):
    kwargs: dict[str, Any] = {"time_points": ["start", "end"], "age": "age"}
    if not items:
        kwargs["scores"] = {"percentage": "pct"}
    cohort = Cohort.from_long(aged_rows(items=items), "who5", **kwargs)
    start, end = cohort.summary("percentage").rows
    assert start.n.value == 16  # scored all the same
    assert start.mean.value == pytest.approx((11 * 40 + 5 * 80) / 16)
    assert start.outside_age_range.value == 6
    assert start.unbanded.value == 6  # no band outside the range
    assert [b.count.value for b in start.bands] == [5, 5]  # 15-year-olds: 5 at 40, 5 at 80
    assert end.outside_age_range.value == 0  # 9 years old at the end: inside 9-130
    table = cohort.summary("percentage").table()
    assert "uden for alder" in table
    change = cohort.change("percentage", "start", "end", method="difference").rows[0]
    assert change.outside_age_range.value == 6  # outside at the start or the end


def test_no_column_for_ages_when_every_row_fits():
    rows = [r for r in aged_rows(items=False) if r["person"] >= 6]
    cohort = Cohort.from_long(
        rows, "who5", time_points=["start", "end"], scores={"percentage": "pct"}, age="age"
    )
    assert cohort.summary("percentage").rows[0].outside_age_range.value == 0
    assert "uden for alder" not in cohort.summary("percentage").table()
    assert "outside age range" not in cohort.change("percentage", "start", "end", method="difference").table(
        language="en"
    )


# --- issue 13 item 8: the real reason when there is no norm table ----------------------------------


def test_t_score_bands_without_a_norm_table_say_so():
    instrument = get_instrument("scas-c")
    assert not instrument.norms
    rows = [{"person": p, "time": "start"} | dict.fromkeys(instrument.item_ids, 1) for p in range(12)]
    summary = Cohort.from_long(rows, instrument, time_points=["start"]).summary("total")
    row = summary.rows[0]
    assert row.n.value == 12  # enough people: the reason is not "n<5"
    assert [b.share.note for b in row.bands] == ["no norm table", "no norm table"]
    assert not any(b.share.suppressed or b.count.suppressed for b in row.bands)
    assert "ingen normtabel" in summary.table()
    assert "n<5" not in summary.table()
    assert "no norm table" in summary.table(language="en")
