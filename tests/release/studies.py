"""Random small evaluations (the shape of issue 22's attack): two tracks, four time points, drop-out.

:func:`small_study` draws one from a seed: 30-80 young people in two tracks, sex,
WHO-5 at every time point it is given (and SDQ self-report in some studies), a
form now and then not given or with a skipped item, drop-out after the start.
:func:`config` is the matching STUDY.toml, with two comparisons, the combined
criterion when there are two measures, the tables by sex, and the analyses
(fremgang across measures, the flow, the paired means by sex).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from trivselscore.instruments.registry import get_instrument
from trivselscore.report.build import make_study
from trivselscore.report.config import StudyConfig, parse_config
from trivselscore.report.data import Export
from trivselscore.study import Study

TIMES = ["start", "midt", "slut", "3 mdr"]
TRACKS = ["samtaler", "forløb"]
FORMS = {"who5": "who5", "sdq": "sdq-s11-17"}
QUESTION = "hjalp"
ANSWERS = ["enig", "delvis enig", "uenig"]
"""Another survey question ("the talks helped me"), asked from the third time point on."""


def rows(
    seed: int, *, persons: tuple[int, int] = (30, 80), sdq: bool | None = None, times: int = 4
) -> list[dict[str, Any]]:
    """Long-format rows of one random study (one per person and time point present)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    with_sdq = rng.random() < 0.5 if sdq is None else sdq
    forms = {m: f for m, f in FORMS.items() if m == "who5" or with_sdq}
    present = [1.0, rng.uniform(0.6, 0.95), rng.uniform(0.5, 0.9), rng.uniform(0.3, 0.8)][:times]
    out = []
    for p in range(rng.randint(*persons)):
        track = rng.choice(TRACKS)
        sex = "pige" if rng.random() < 0.65 else "dreng"
        level = rng.gauss(0, 1)
        for t, label in enumerate(TIMES[:times]):
            if rng.random() > present[t]:
                continue
            row: dict[str, Any] = {"id": f"P{p:03d}", "tid": label, "spor": track, "køn": sex}
            for measure, form in forms.items():
                instrument = get_instrument(form)
                given = rng.random() > 0.08
                better = level + 0.4 * t + rng.gauss(0, 0.8)
                for item in instrument.items:
                    codes = sorted(item.codes)
                    if not given or rng.random() < 0.02:
                        row[f"{measure}_{item.id}"] = None
                        continue
                    sign = 1 if measure == "who5" else -1
                    chance = 1 / (1 + 2.718 ** (-sign * better))
                    row[f"{measure}_{item.id}"] = codes[sum(rng.random() < chance for _ in codes[1:])]
            out.append(row)
    return _ask(seed, out)


def _ask(seed: int, drawn: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's answer to :data:`QUESTION` (blank before the third time point, now and then left blank).

    Its own random stream: the rows' other values are the same with or without it.
    """
    rng = random.Random(seed + 7919)  # noqa: S311 - reproducible test data, not secrets
    for row in drawn:
        asked = TIMES.index(row["tid"]) >= 2 and rng.random() > 0.1
        row[QUESTION] = rng.choices(ANSWERS, weights=[6, 3, 1])[0] if asked else None
    return drawn


def toml(  # noqa: PLR0913 - the study's shape, each with a default
    measures: list[str],
    *,
    min_cell: int = 5,
    hide_zero: bool = False,
    times: int = 4,
    sex: bool = True,
    analyses: bool = True,
) -> str:
    """The STUDY.toml of a random study with these measures (``analyses``: a question and a model)."""
    comparisons = [["start", TIMES[t]] for t in (2, 3) if t < times] or [["start", TIMES[1]]]
    lines = [
        'title = "Tilfældig evaluering"',
        f"time_points = {TIMES[:times]!r}".replace("'", '"'),
        f"comparisons = {comparisons!r}".replace("'", '"'),
        "[columns]",
        'person = "id"',
        'time = "tid"',
        'groups = ["spor"]',
        *(['sex = "køn"'] if sex else []),
    ]
    for measure in measures:
        lines += [f"[measures.{measure}]", f'instrument = "{FORMS[measure]}"']
    lines += ["[suppression]", f"min_cell = {min_cell}", f"hide_zero = {'true' if hide_zero else 'false'}"]
    if len(measures) > 1:
        lines += ["[combined]", 'scales = { who5 = "percentage", sdq = "total" }']
    lines += ["[analyses.fremgang]", "[analyses.flow]"]  # issue 23: the analyses, in the same release
    if sex:  # four time points: start and the last (the change table's pairs); three: every one
        lines += ["[analyses.sex_means]"]
        lines += [f'time_points = ["start", "{TIMES[3]}"]'] if times == 4 else []
    if analyses and times > 2:
        lines += ["[[questions]]", f'column = "{QUESTION}"', f"answers = {ANSWERS!r}".replace("'", '"')]
        lines += ["[[predictors]]", 'measure = "who5"', 'start = "start"', f'end = "{TIMES[2]}"']
        lines += ['covariates = ["spor", "køn"]' if sex else 'covariates = ["spor"]']
    return "\n".join(lines) + "\n"


def small_study(  # noqa: PLR0913 - the study's shape, each with a default
    seed: int,
    *,
    persons: tuple[int, int] = (30, 80),
    sdq: bool | None = None,
    times: int = 4,
    sex: bool = True,
    min_cell: int = 5,
    hide_zero: bool = False,
    analyses: bool = True,
) -> tuple[StudyConfig, Study, list[dict[str, Any]]]:
    """A random study, its STUDY.toml and its rows (``analyses``: with a question and a fremgang model)."""
    drawn = rows(seed, persons=persons, sdq=sdq, times=times)
    measures = [m for m in FORMS if any(k.startswith(f"{m}_") for k in drawn[0])]
    text = toml(measures, min_cell=min_cell, hide_zero=hide_zero, times=times, sex=sex, analyses=analyses)
    config = parse_config(text)
    frame = [{**r, "køn": "female" if r["køn"] == "pige" else "male"} for r in drawn]
    study = make_study(config, Export(path=Path("spor.csv"), header=list(frame[0]), rows=frame))
    return config, study, drawn
