"""A synthetic evaluation with the structure of "Sammen på sporet" and a known design.

600 young people aged 13-25 in three tracks (counselling only, an individual
course, a group course), answering WHO-5, SDQ, SCAS and MFQ at up to four time
points, with drop-out, forms not given (SDQ/SCAS/MFQ are not given after the
counselling talks; some forms are skipped at random) and a few skipped items.
Well-being improves more with a good network, a good relation to the staff
member and a low start, so the regression has something to find.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from trivselscore import get_instrument
from trivselscore.study import Versions

TIMES = ["start", "efter rådgivning", "efter forløb", "3 mdr"]
TRACKS = {"rådgivning": 367, "individuelt forløb": 133, "gruppeforløb": 100}
INSTRUMENTS = {
    "who5": "who5",
    "sdq": ["sdq-s11-17", "sdq-s18"],
    "scas": "scas-c",
    "mfq": Versions(["mfq-c", "mfq-a"], column="mfq_form"),
}
FORMS = {"who5": "who5", "sdq": "sdq-s11-17", "scas": "scas-c", "mfq": "mfq-c"}
PRESENT = {"efter rådgivning": 0.9, "efter forløb": 0.8, "3 mdr": 0.6}
EFFECT = {"efter rådgivning": 0.8, "efter forløb": 1.1, "3 mdr": 1.2}


def _answers(rng: np.random.Generator, instrument_id: str, level: np.ndarray) -> dict[str, np.ndarray]:
    """Item answers: higher ``level`` = better (more well-being, fewer symptoms)."""
    instrument = get_instrument(instrument_id)
    sign = 1.0 if instrument_id == "who5" else -1.0
    chance = 1 / (1 + np.exp(-sign * level))
    return {item.id: rng.binomial(max(item.codes), chance).astype(float) for item in instrument.items}


def make(n_persons: int = 600, seed: int = 14) -> pd.DataFrame:
    """The long data: one row per person and time point (a pandas DataFrame)."""
    rng = np.random.default_rng(seed)
    sizes = np.array(list(TRACKS.values())) * n_persons // sum(TRACKS.values())
    sizes[0] += n_persons - sizes.sum()
    track = np.repeat(list(TRACKS), sizes)
    girl = rng.random(n_persons) < 0.77
    age = rng.integers(13, 26, n_persons)
    network = np.where(rng.random(n_persons) < 0.5, "godt", "svagt")
    relation = rng.integers(1, 6, n_persons).astype(float)
    start = rng.normal(-0.6, 0.8, n_persons)
    gain = 0.6 * (network == "godt") + 0.25 * (relation - 3) - 0.5 * start
    rows = []
    for t, label in enumerate(TIMES):
        present = np.ones(n_persons, dtype=bool) if t == 0 else rng.random(n_persons) < PRESENT[label]
        if label == "efter forløb":
            present &= track != "rådgivning"
        level = start + (0 if t == 0 else EFFECT[label] * (1 + gain) + rng.normal(0, 0.6, n_persons))
        frame = pd.DataFrame(
            {
                "id": [f"U{p:03d}" for p in range(n_persons)],
                "tidspunkt": label,
                "forløb": track,
                "køn": np.where(girl, "pige", "dreng"),
                "sex": np.where(girl, "female", "male"),
                "alder": age,
                "netværk": network,
                "relation": relation,
            }
        )
        for measure, instrument_id in FORMS.items():
            answers = pd.DataFrame(_answers(rng, instrument_id, level + 0.2 * rng.normal(size=n_persons)))
            skipped = rng.random(n_persons) < (0.04 if measure == "who5" else 0.08)
            if measure != "who5" and label == "efter rådgivning":
                skipped[:] = True
            answers.loc[skipped, :] = np.nan
            blank = rng.random(answers.shape) < 0.004
            answers = answers.mask(blank)
            frame = frame.join(answers.add_prefix(f"{measure}_"))
        answered = frame.filter(like="mfq_").notna().any(axis=1).to_numpy()
        forms = np.where(age < 18, "mfq-c", "mfq-a").astype(object)
        forms[~answered] = None
        frame["mfq_form"] = forms
        rows.append(frame[present])
    return pd.concat(rows, ignore_index=True)


def study_kwargs() -> dict[str, Any]:
    """The keyword arguments of Study.from_long for this data."""
    return {
        "instruments": INSTRUMENTS,
        "time_points": TIMES,
        "person": "id",
        "time": "tidspunkt",
        "groups": ["forløb", "køn"],
        "sex": "sex",
        "age": "alder",
    }
