"""On a realistic export of 200 young people the report still shows what the evaluation is for (issue 22).

Every change row with at least 20 pairs shows fremgang and tilbagegang as a number
or a range (``<5`` only where the true count is 1-4, which no rule may print), the
level tables keep n and the mean for every group of 20 or more, and the means by
sex are shown at every time point where each sex has 20 or more, while the
whole-release attacker pins nothing. The release hides fewer printed cells than
the old rule (each table protected on its own).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.release.attacker import Published, attack, from_content
from tests.study.realistic import STUDY_TOML, TIMES, rows
from trivselscore.report.build import SEX_GROUP, Content, build, change_methods, make_study
from trivselscore.report.config import parse_config
from trivselscore.report.data import Export
from trivselscore.report.tables import scale_label
from trivselscore.study import Study

pytest.importorskip("scipy")

_NUMBER_SHARE = re.compile(r"\d+% \(\d+-\d+\)")
_RANGE = re.compile(r"\d+-\d+%?")
_MEAN = re.compile(r"-?\d+\.\d")
CATEGORIES = {"fremgang": "improvement", "tilbagegang": "decline"}


@pytest.fixture(scope="module")
def realistic() -> tuple[object, Study, Content, Published]:
    config = parse_config(STUDY_TOML)
    records: list[dict[str, object]] = rows()
    study = make_study(config, Export(path=Path("eksport.csv"), header=list(records[0]), rows=records))
    content = build(config, study)
    return config, study, content, from_content(content)


def test_the_export_is_realistic(realistic):
    _, study, _, _ = realistic
    assert 190 <= study.n_persons <= 210
    assert study.time_points == tuple(TIMES)


def test_the_attacker_pins_nothing_in_the_realistic_report(realistic):
    config, study, _, printed = realistic
    assert attack(config, study, printed) == []


def test_every_change_row_with_20_pairs_shows_fremgang_and_tilbagegang(realistic):
    config, study, content, printed = realistic
    method = change_methods(config, content.scales)
    checked = 0
    for start, end in config.comparisons:
        truth = study.change(start, end, by=["forløb"], method=method, scales=content.scales, min_cell=0)
        for measure, names in content.scales.items():
            for scale in names:
                head, body = printed.tables[
                    f"{measure}: {scale_label(study, measure, scale, 'da')}, {start} -> {end}"
                ]
                lines = [r for r in truth.rows if r.measure == measure and r.scale == scale]
                for row, line in zip(lines, body, strict=True):
                    if (row.pairs.value or 0) < 20:
                        continue
                    counts = {c.key: c.count.value for c in row.categories}
                    for label, key in CATEGORIES.items():
                        text = line[head.index(f"{label} (%)")]
                        shown = _NUMBER_SHARE.fullmatch(text) or _RANGE.fullmatch(text)
                        shown = shown or (text == "0%" and counts[key] == 0)  # none, of hidden pairs
                        assert shown or (text == "<5" and 0 < (counts[key] or 0) < 5), (
                            measure,
                            start,
                            end,
                            row.group,
                            label,
                            text,
                        )
                    checked += 1
    assert checked >= 20


def _level_rows(study: Study, measure: str, scale: str, by: str) -> list[tuple[str, str, int]]:
    return [
        (r.time, r.group, int(r.n.value or 0))
        for r in study.summary(measure, scale, by=[by], min_cell=0).rows
    ]


def test_level_tables_keep_n_and_mean_for_groups_of_20(realistic):
    _, study, content, printed = realistic
    checked = 0
    for measure, names in content.scales.items():
        versions = ", ".join(v.id for v in study.measure(measure).versions)
        for scale in names:
            _, body = printed.tables[f"{measure}: {scale_label(study, measure, scale, 'da')} ({versions})"]
            for (time, group, n), line in zip(
                _level_rows(study, measure, scale, "forløb"), body, strict=True
            ):
                if n >= 20:
                    assert line[4] == str(n), (measure, time, group, line)
                    assert _MEAN.fullmatch(line[5]), (measure, time, group, line)
                    checked += 1
    assert checked >= 40


def test_means_by_sex_are_shown_where_each_sex_has_20(realistic):
    _, study, content, printed = realistic
    checked = 0
    for measure, names in content.scales.items():
        versions = ", ".join(v.id for v in study.measure(measure).versions)
        for scale in names:
            _, body = printed.tables[
                f"{measure}: {scale_label(study, measure, scale, 'da')} ({versions}) - efter køn"
            ]
            levels = _level_rows(study, measure, scale, SEX_GROUP)
            for time in study.time_points:
                sexes = [
                    (line, n)
                    for (t, g, n), line in zip(levels, body, strict=True)
                    if t == time and g != "all"
                ]
                if all(n >= 20 for _, n in sexes):
                    for line, n in sexes:
                        assert line[4] == str(n), (measure, time, line)
                        assert _MEAN.fullmatch(line[5]), (measure, time, line)
                    checked += 1
    assert checked >= 8


def _hidden(printed: Published) -> int:
    return sum(
        1
        for _, body in printed.tables.values()
        for line in body
        for text in line
        if text in {"<5", "n<5", "skjult"} or _RANGE.fullmatch(text)
    )


def _blank(printed: Published) -> int:
    return sum(text == "skjult" for _, body in printed.tables.values() for line in body for text in line)


def test_the_release_hides_less_than_the_old_rule(realistic):
    config, study, _, printed = realistic
    old = from_content(build(config, study, release=False))
    assert _blank(printed) < _blank(old) / 2
    assert _hidden(printed) < _hidden(old)
