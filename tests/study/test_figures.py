"""The evaluation's figures, checked through their artists (not pixels), and SVG output."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from tests.study import synthetic
from trivselscore.study import Study

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from trivselscore.study.figures import figure_svg, plot_change, plot_improvement, plot_means  # noqa: E402 - after the optional import

MAIN = {"who5": ["percentage"], "sdq": ["total"], "scas": ["total"], "mfq": ["total"]}


@pytest.fixture(scope="module")
def study() -> Study:
    return Study.from_long(synthetic.make(n_persons=300, seed=8), **synthetic.study_kwargs())


def test_means_by_group_with_n_in_the_legend_and_the_cutoff(study):
    summary = study.summary("who5", "percentage", by=["køn"], paired=("start", "efter rådgivning"))
    figure = plot_means(summary, groups=["dreng", "pige"], lang="en")
    axes = figure.axes[0]
    labels = [str(line.get_label()) for line in axes.lines]
    boys = next(r for r in summary.rows if r.group == "dreng" and r.time == "start")
    assert labels[0].startswith(f"dreng (n = {boys.n.value} / ")
    assert labels[-1] == "cutoff 50"
    ys = np.asarray(axes.lines[0].get_ydata(), dtype=float)
    assert boys.mean.value is not None
    assert math.isclose(float(ys[0]), boys.mean.value)
    assert "only persons measured at both start and efter rådgivning" in axes.get_title()


def test_stacked_bars_draw_hidden_shares_hatched_never_as_zero(study):
    first = study.change("start", "efter rådgivning", by=["forløb"], scales=MAIN)
    second = study.change("start", "3 mdr", by=["forløb"], scales=MAIN)
    figure = plot_change(first, second, measure="who5", scale="percentage")
    axes = figure.axes[0]
    containers: dict[str, Any] = {str(c.get_label()): c for c in axes.containers}
    assert list(containers) == ["fremgang", "status quo", "tilbagegang", "skjult (<5)"]
    rows = [r for report in (first, second) for r in report.rows if r.measure == "who5"]
    for bar_index, row in enumerate(rows):
        widths = [containers[k].patches[bar_index].get_width() for k in containers]
        hidden = any(c.share.suppressed for c in row.categories)
        if row.pairs.value:
            assert math.isclose(sum(widths), 100.0)
            assert (widths[-1] > 0) == hidden
        for category, width in zip(row.categories, widths, strict=False):
            if category.share.value is not None:
                assert math.isclose(width, 100 * category.share.value)
    assert containers["skjult (<5)"].patches[0].get_hatch() == "//"
    first_label = next(t.get_text() for t in axes.get_yticklabels())
    assert first_label == f"alle: start -> efter rådgivning (n = {rows[0].pairs.value})"


def test_improvement_per_measure_and_track(study):
    report = study.change("start", "efter forløb", by=["forløb"], scales=MAIN)
    figure = plot_improvement(report, groups=["individuelt forløb", "gruppeforløb"], lang="en")
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == [
        "who5/percentage",
        "sdq/total",
        "scas/total",
        "mfq/total",
    ]
    shown = [
        100 * next(c for c in r.categories if c.key == "improvement").share.value
        for r in report.rows
        if r.group == "individuelt forløb"
        and next(c for c in r.categories if c.key == "improvement").share.value is not None
    ]
    first: Any = next(c for c in axes.containers if hasattr(c, "patches"))
    bars = [p.get_width() for p in first.patches]
    assert [round(b, 6) for b in bars[: len(shown)]] == [round(v, 6) for v in shown]


def test_a_hidden_improvement_share_is_a_hatched_labelled_bar():
    rows = [
        {
            "person": p,
            "time": t,
            "track": "small" if p < 3 else "big",
            **{f"who5_{i}": 3 + (t == "end") for i in range(1, 6)},
        }
        for p in range(20)
        for t in ("start", "end")
    ]
    study = Study.from_long(
        rows, instruments={"who5": "who5"}, time_points=["start", "end"], groups=["track"]
    )
    report = study.change("start", "end", by=["track"], scales={"who5": ["percentage"]})
    figure = plot_improvement(report, groups=["small"])
    axes = figure.axes[0]
    patches: list[Any] = list(axes.patches)
    assert any(p.get_hatch() == "//" and p.get_width() == 100 for p in patches)
    assert any("skjult" in t.get_text() for t in axes.texts)
    bars = plot_change(report, measure="who5", scale="percentage", groups=["small"])
    assert any(t.get_text() == "n<5" for t in bars.axes[0].texts)


def test_svg_is_text_and_deterministic(study):
    summary = study.summary("who5", "percentage", by=["køn"])
    first, second = figure_svg(plot_means(summary)), figure_svg(plot_means(summary))
    assert first.startswith("<?xml")
    assert "<svg" in first
    assert first == second
