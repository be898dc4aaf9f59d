"""The two report figures (checked through their data, not pixels) and the cohort example."""

from __future__ import annotations

import importlib
import math
import runpy
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from trivselscore.cohort import Cohort

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from trivselscore.plots import plot_change, plot_means  # noqa: E402 - after the optional import

TIMES = ["start", "slut", "3 mdr"]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cohort_report.py"


def cohort() -> Cohort:
    """Girls 20 (start 40 -> 52 -> 56), boys 6 at start, 3 at the end; two tracks."""
    rows = []
    for p in range(26):
        girl = p < 20
        track = "counselling" if p % 2 else "individual"
        rows.append(
            {
                "person": p,
                "time": "start",
                "pct": 40 if girl else 60,
                "gender": "girl" if girl else "boy",
                "track": track,
            }
        )
        if girl or p < 23:
            after = (52 if p % 4 else 36) if girl else 64
            rows.append(
                {
                    "person": p,
                    "time": "slut",
                    "pct": after,
                    "gender": "girl" if girl else "boy",
                    "track": track,
                }
            )
        if girl:
            rows.append({"person": p, "time": "3 mdr", "pct": 56, "gender": "girl", "track": track})
    return Cohort.from_long(
        rows, "who5", time_points=TIMES, groups=["gender", "track"], scores={"percentage": "pct"}
    )


def ydata(line: Any) -> list[float]:
    return [float(v) for v in np.asarray(line.get_ydata(), dtype=float)]


def test_mean_plot_lines_cutoff_and_n_labels():
    summary = cohort().summary("percentage", by=["gender"], total=False)
    figure = plot_means(summary)
    ax = figure.axes[0]
    lines = {str(line.get_label()): line for line in ax.get_lines()}
    assert list(lines)[:2] == ["boy", "girl"]
    assert ydata(lines["girl"]) == pytest.approx([40, 48, 56])
    boy = ydata(lines["boy"])
    assert boy[0] == 60
    assert math.isnan(boy[1])  # 3 boys at the end: suppressed, drawn as a gap, not as 0
    assert math.isnan(boy[2])
    cutoff = next(line for label, line in lines.items() if label.startswith("grænse 50"))
    assert ydata(cutoff) == [50, 50]
    texts = [t.get_text() for t in ax.texts]
    assert "n=20" in texts
    assert "n=<5" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == TIMES
    assert ax.get_ylim() == (0, 100)


def test_mean_plot_leaves_a_gap_for_secondary_suppression():
    # With the "all" row shown, the girls' n at "slut" (20 of 23) would reveal the boys' 3.
    ax = plot_means(cohort().summary("percentage", by=["gender"])).axes[0]
    lines = {str(line.get_label()): line for line in ax.get_lines()}
    assert list(lines)[:3] == ["alle", "boy", "girl"]
    girl = ydata(lines["girl"])
    assert girl[0] == 40
    assert math.isnan(girl[1])
    assert "n=skjult" in [t.get_text() for t in ax.texts]


def test_mean_plot_in_english_with_own_cutoffs_and_axes():
    summary = cohort().summary("percentage")
    figure = matplotlib.figure.Figure()
    ax = figure.add_subplot()
    assert plot_means(summary, cutoffs=[28, 50], language="en", ax=ax) is figure
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["all", "cutoff 28", "cutoff 50"]


def test_change_bars_heights_and_labels():
    report = cohort().change("percentage", "start", "slut", method="threshold", by=["track"], min_cell=3)
    figure = plot_change(report)
    ax = figure.axes[0]
    bars = {container.get_label(): [p.get_height() for p in container] for container in ax.containers}
    assert list(bars) == ["fremgang", "status quo", "tilbagegang", "skjult (<3)"]
    for index, row in enumerate(report.rows):
        for category in row.categories:
            label = {"improvement": "fremgang", "status_quo": "status quo", "decline": "tilbagegang"}[
                category.key
            ]
            expected = 0.0 if category.share.value is None else 100 * category.share.value
            assert bars[label][index] == pytest.approx(expected)
        shown = sum(bars[label][index] for label in ("fremgang", "status quo", "tilbagegang"))
        if all(category.share.suppressed for category in row.categories):
            # every share hidden (secondary suppression): no bar, like a group with too few pairs
            assert shown + bars["skjult (<3)"][index] == 0
        else:
            assert shown + bars["skjult (<3)"][index] == pytest.approx(100)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0].startswith("alle\n(n=")
    assert ax.get_ylim() == (0, 100)


def test_change_bars_for_a_group_with_too_few_pairs():
    report = cohort().change("percentage", "start", "slut", method="difference", by=["gender"])
    ax = plot_change(report, language="en").axes[0]
    boys = [row.group for row in report.rows].index("boy")
    assert all(container[boys].get_height() == 0 for container in ax.containers)
    assert "n=<5" in [t.get_text() for t in ax.texts]
    assert [c.get_label() for c in ax.containers][:3] == ["improvement", "status quo", "decline"]


def test_missing_matplotlib_names_the_extra(monkeypatch):
    real = importlib.import_module

    def refuse(name: str, package: str | None = None) -> object:
        if name.startswith(("matplotlib", "pandas")):
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr("trivselscore.support.optional.importlib.import_module", refuse)
    summary = cohort().summary("percentage")
    with pytest.raises(ImportError, match=r'pip install "trivselscore\[plot\]"'):
        plot_means(summary)
    with pytest.raises(ImportError, match=r'pip install "trivselscore\[pandas\]"'):
        summary.to_frame()


def test_the_cohort_example_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), str(tmp_path)])
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "fremgang" in out
    assert "tilbagegang" in out
    assert "start -> slut" in out
    for name in ("who5_gennemsnit.png", "who5_aendring.png"):
        assert (tmp_path / name).stat().st_size > 1000
