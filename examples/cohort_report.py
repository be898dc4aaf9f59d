"""A progression report on a synthetic WHO-5 cohort (no real data).

240 made-up young people (girls and boys) in two tracks, "rådgivning" (1-5
counselling sessions) and "individuelt forløb" (an individual course), answer the
WHO-5 at the start, at the end and three months later. Some drop out and a few
skip an item. The script prints the report tables and saves the two figures.

Run: ``python examples/cohort_report.py [output directory]`` (needs
``pip install "trivselscore[plot]"``; the PNGs go to a temporary directory when
no directory is given).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

from trivselscore.cohort import Cohort
from trivselscore.plots import plot_change, plot_means

TIME_POINTS = ("start", "slut", "3 mdr")
SEED = 20240501


def synthetic_cohort(n: int = 240, seed: int = SEED) -> list[dict[str, object]]:
    """Long-format records: one per person and time point, WHO-5 items 1-5."""
    rng = np.random.default_rng(seed)
    records: list[dict[str, object]] = []
    for number in range(1, n + 1):
        girl = bool(rng.random() < 0.6)  # noqa: PLR2004 - 60 % girls
        track = "rådgivning" if rng.random() < 0.65 else "individuelt forløb"  # noqa: PLR2004
        level = rng.normal(38 if girl else 46, 14)
        gain = 12.0 if track == "rådgivning" else 16.0
        for time, lift, drop_out in (
            (TIME_POINTS[0], 0.0, 0.0),
            (TIME_POINTS[1], gain, 0.15),
            (TIME_POINTS[2], gain + 2, 0.30),
        ):
            if rng.random() < drop_out:
                continue
            percentage = np.clip(level + lift + rng.normal(0, 12), 0, 100)
            answers = np.clip(np.rint(percentage / 20 + rng.normal(0, 0.7, size=5)), 0, 5)
            record: dict[str, object] = {
                "id": f"U{number:03d}",
                "tidspunkt": time,
                "køn": "pige" if girl else "dreng",
                "forløb": track,
            }
            record.update({f"who5_{i}": int(a) for i, a in enumerate(answers, start=1)})
            if rng.random() < 0.03:  # noqa: PLR2004 - a skipped item now and then
                record[f"who5_{rng.integers(1, 6)}"] = None
            records.append(record)
    return records


def main(out: Path) -> list[Path]:
    """Print the report tables and save both figures into ``out``."""
    cohort = Cohort.from_long(
        synthetic_cohort(),
        "who5",
        time_points=TIME_POINTS,
        person="id",
        time="tidspunkt",
        groups=["køn", "forløb"],
    )
    means = cohort.summary("percentage", by=["køn"])
    print("WHO-5 procentscore pr. tidspunkt og køn (andel under 50 = risiko)\n")
    print(means.table())
    for end, method in (("slut", "difference"), ("3 mdr", "reliable_change")):
        report = cohort.change("percentage", "start", end, method=method, by=["forløb"])
        print(f"\nÆndring (metode {method!r}, kun hele par)\n")
        print(report.table())
    final = cohort.change("percentage", "start", "3 mdr", method="difference", by=["forløb"])
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "who5_gennemsnit.png", out / "who5_aendring.png"]
    plot_means(means, title="WHO-5: gennemsnit pr. tidspunkt").savefig(paths[0], dpi=100)
    plot_change(final, title="WHO-5: start -> 3 mdr pr. forløb").savefig(paths[1], dpi=100)
    print("\nFigurer:", *(str(p) for p in paths), sep="\n  ")
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="trivselscore-"))
    main(target)
