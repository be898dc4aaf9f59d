"""The whole-release attacker on realistic exports with a fremgang model and two questions (issue 23).

The messy export generator (``tests/report/exports.py``, ``questions=True``) read as
the command line reads it: WHO-5 at four time points in two tracks, by sex, one
comparison, a fremgang model on track, sex, municipality (one of them small) and
age, and two questions (one asked at two time points, one at one). Nothing the
report prints can be pinned, at the size of the issue's evaluation and smaller.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.release.attacker import attack, from_content
from tests.report import test_predictors, test_survey
from tests.report.exports import ExportSpec, make_export, write_csv
from trivselscore.report.build import build, make_study
from trivselscore.report.config import parse_config
from trivselscore.report.data import read_export

pytest.importorskip("scipy")
pytest.importorskip("statsmodels")

STUDY = test_predictors.STUDY + test_survey.STUDY.split('"5" = "WHO5_5"')[1]


@pytest.mark.parametrize(("persons", "seed", "hide_zero"), [(212, 21, False), (60, 3, False), (40, 7, True)])
def test_the_attacker_pins_nothing_in_a_report_with_the_analyses(tmp_path: Path, persons, seed, hide_zero):
    export = make_export(ExportSpec(questions=True, n_persons=persons, seed=seed, small_municipality=4))
    csv = write_csv(export, tmp_path / "data.csv")
    text = STUDY + ("[suppression]\nhide_zero = true\n" if hide_zero else "")
    config = parse_config(text)
    study = make_study(config, read_export(csv, config, decimal=","))
    content = build(config, study)
    assert len(content.surveys) == 2
    assert len(content.predictors) == 1
    assert attack(config, study, from_content(content)) == []
