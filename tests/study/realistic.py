"""A realistic municipal export: about 200 young people, three tracks, four time points (made up).

The shape of the evaluations the report is for: everyone is measured at the start
(the intake); the counselling-only track (``rådgivning``) has no row after the
course; SDQ, SCAS and MFQ are not given after the counselling talks (the row is
there, every item blank); some young people drop out, more at the follow-up; a
form is now and then skipped, an item now and then left blank; three in four are
girls; ages 13-25 (SDQ's self-report for 11-17 and 18+ chosen by age). Well-being
improves over the course, more for those who start low.

:func:`rows` gives long-format records for :meth:`Study.from_long`,
:func:`write_csv` the same as a Danish CSV export (``;``, decimal commas) for the
command line, and :data:`STUDY_TOML` its STUDY.toml (the report's defaults: the
documented minimal important change where a scale has one, ranges).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from trivselscore.instruments.registry import get_instrument

TIMES = ["start", "efter samtaler", "efter forløb", "3 mdr"]
TRACKS = {"rådgivning": 0.45, "individuelt forløb": 0.33, "gruppeforløb": 0.22}
PRESENT = {"efter samtaler": 0.92, "efter forløb": 0.85, "3 mdr": 0.7}
FORMS = {"who5": "who5", "sdq": "sdq-s11-17", "scas": "scas-c", "mfq": "mfq-c"}
"""The item columns written (SDQ's 18+ version reads the same columns; MFQ's child form for
all)."""
INSTRUMENTS: dict[str, Any] = {
    "who5": "who5",
    "sdq": ["sdq-s11-17", "sdq-s18"],
    "scas": "scas-c",
    "mfq": "mfq-c",
}

STUDY_TOML = """
title = "Evaluering af et forløb for unge"
time_points = ["start", "efter samtaler", "efter forløb", "3 mdr"]
comparisons = [["start", "efter forløb"], ["start", "3 mdr"]]

[columns]
person = "id"
time = "tidspunkt"
groups = ["forløb"]
sex = "køn"
age = "alder"

[measures.who5]
instrument = "who5"

[measures.sdq]
instrument = ["sdq-s11-17", "sdq-s18"]

[measures.scas]
instrument = "scas-c"

[measures.mfq]
instrument = "mfq-c"

[combined]
scales = { who5 = "percentage", sdq = "total" }
"""


def rows(n_persons: int = 200, seed: int = 2026) -> list[dict[str, Any]]:
    """The export's records: one per person and time point present."""
    rng = np.random.default_rng(seed)
    tracks = rng.choice(list(TRACKS), n_persons, p=list(TRACKS.values()))
    girls = rng.random(n_persons) < 0.75
    ages = rng.integers(13, 26, n_persons)
    start = rng.normal(-0.5, 0.8, n_persons)
    out = []
    for t, time in enumerate(TIMES):
        for p in range(n_persons):
            if t and rng.random() > PRESENT[time]:
                continue
            if time == "efter forløb" and tracks[p] == "rådgivning":
                continue
            gain = 0 if t == 0 else (0.4 + 0.25 * t) * (1 - 0.3 * start[p])
            level = start[p] + gain + rng.normal(0, 0.5)
            row: dict[str, Any] = {
                "id": f"U{p:04d}",
                "tidspunkt": time,
                "forløb": str(tracks[p]),
                "køn": "female" if girls[p] else "male",
                "alder": int(ages[p]),
            }
            for measure, form in FORMS.items():
                given = not (measure != "who5" and time == "efter samtaler") and rng.random() > 0.04
                sign = 1.0 if measure == "who5" else -1.0
                chance = 1 / (1 + np.exp(-sign * level))
                for item in get_instrument(form).items:
                    codes = sorted(item.codes)
                    blank = not given or rng.random() < 0.003
                    value = None if blank else codes[int(rng.binomial(len(codes) - 1, chance))]
                    row[f"{measure}_{item.id}"] = value
            out.append(row)
    return out


def write_csv(path: Path, records: list[dict[str, Any]]) -> Path:
    """The records as a Danish CSV export (``;`` between cells, sex as pige/dreng)."""
    header = list(dict.fromkeys(k for r in records for k in r))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for r in records:
            cells = {**r, "køn": "pige" if r["køn"] == "female" else "dreng"}
            writer.writerow(["" if cells.get(h) is None else str(cells[h]) for h in header])
    return path
