"""A synthetic municipal export: Danish headers, semicolons, decimal commas, a seeded numpy Generator.

Three tracks (one named ``<b>gruppe & co</b>`` so escaping shows), four time
points, WHO-5 + SDQ (self-report, version by age) + SCAS + MFQ item columns,
drop-out after the start, SDQ/SCAS/MFQ not given at the second time point
(every item blank: a form not given), a few skipped items, sex as pige/dreng and
the age with a decimal comma.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from trivselscore.instruments.registry import get_instrument

TIMES = ["start", "efter samtaler", "efter forløb", "3 mdr"]
TRACKS = ["rådgivning", "individuelt forløb", "<b>gruppe & co</b>"]
FORMS = {"who5": "who5", "sdq": "sdq-s11-17", "scas": "scas-c", "mfq": "mfq-c"}
PRESENT = [1.0, 0.9, 0.8, 0.6]
NOT_GIVEN_AT = "efter samtaler"
LABELS = ["elev_id", "tidspunkt", "forløb", "køn", "alder"]

STUDY_TOML = """
title = "Evaluering af Sammen på sporet"
data_name = "Syntetisk eksport"
time_points = ["start", "efter samtaler", "efter forløb", "3 mdr"]
comparisons = [["start", "efter forløb"], ["start", "3 mdr"]]

[columns]
person = "elev_id"
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

[suppression]
min_cell = 5

[combined]
scales = { who5 = "percentage", sdq = "total" }
rule = "all"
"""


def header() -> list[str]:
    """The export's column names."""
    items = [f"{m}_{i}" for m, form in FORMS.items() for i in get_instrument(form).item_ids]
    return [*LABELS, *items]


def rows(n_persons: int = 150, seed: int = 15) -> list[list[str]]:
    """The export's records as text cells (Danish formatting)."""
    rng = np.random.default_rng(seed)
    track = rng.choice(len(TRACKS), n_persons, p=[0.5, 0.3, 0.2])
    girl = rng.random(n_persons) < 0.7
    age = np.round(rng.uniform(13, 20, n_persons), 1)
    start = rng.normal(-0.5, 0.8, n_persons)
    out: list[list[str]] = []
    for t, label in enumerate(TIMES):
        present = rng.random(n_persons) < PRESENT[t]
        level = start + 0.5 * t + rng.normal(0, 0.5, n_persons)
        for p in np.flatnonzero(present).tolist():
            record = [f"E{p:05d}", label, TRACKS[track[p]], "pige" if girl[p] else "dreng"]
            record.append(f"{age[p]:.1f}".replace(".", ","))
            for measure, form in FORMS.items():
                instrument = get_instrument(form)
                given = not (measure != "who5" and label == NOT_GIVEN_AT) and rng.random() > 0.05
                sign = 1.0 if measure == "who5" else -1.0
                chance = 1 / (1 + np.exp(-sign * level[p]))
                for item in instrument.items:
                    codes = sorted(item.codes)
                    if not given or rng.random() < 0.01:
                        record.append("")
                        continue
                    record.append(str(codes[rng.binomial(len(codes) - 1, chance)]))
            out.append(record)
    order = rng.permutation(len(out))
    return [out[i] for i in order]


def write_csv(path: Path, n_persons: int = 150, seed: int = 15, *, encoding: str = "utf-8-sig") -> Path:
    """Write the export as a Danish CSV: ``;`` between cells, decimal commas."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header())
        writer.writerows(rows(n_persons, seed))
    return path
