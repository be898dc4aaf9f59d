"""Cohort and Study read a sex column in the words ``Respondent`` accepts (English and Danish)."""

from __future__ import annotations

import pandas as pd
import pytest

from trivselscore.cohort import Cohort
from trivselscore.cohort.data import read_table, respondents
from trivselscore.errors import CohortDataError
from trivselscore.study import Study


def _data(sexes: list[str]) -> pd.DataFrame:
    rows = []
    for person, sex in enumerate(sexes):
        for time, answer in (("start", 2), ("end", 4)):
            rows.append(
                {"person": person, "time": time, "sex": sex, **{f"who5_{i}": answer for i in range(1, 6)}}
            )
    return pd.DataFrame(rows)


DANISH = ["pige", "Dreng", " K ", "m", "kvinde", "MAND", "female", "male"]
ENGLISH = ["female", "male", "female", "male", "female", "male", "female", "male"]


def test_cohort_reads_danish_sex_words_as_female_and_male():
    table = read_table(_data(DANISH))
    people = respondents(table, sex="sex", age=None)
    assert [p.sex for p in people if p is not None] == [s for s in ENGLISH for _ in range(2)]
    danish = Cohort.from_long(_data(DANISH), "who5", time_points=["start", "end"], sex="sex")
    english = Cohort.from_long(_data(ENGLISH), "who5", time_points=["start", "end"], sex="sex")
    assert danish.summary("percentage") == english.summary("percentage")


def test_study_reads_danish_sex_words_as_female_and_male():
    def build(sexes: list[str]) -> Study:
        return Study.from_long(
            _data(sexes), instruments={"who5": "who5"}, time_points=["start", "end"], sex="sex"
        )

    danish, english = build(DANISH), build(ENGLISH)
    assert danish.summary("who5", "percentage").to_dict() == english.summary("who5", "percentage").to_dict()


@pytest.mark.parametrize("word", ["x", "pigen", "2"])
def test_other_sex_words_are_refused_naming_the_accepted_ones(word):
    with pytest.raises(CohortDataError, match="pige"):
        Cohort.from_long(_data([word]), "who5", time_points=["start", "end"], sex="sex")
    with pytest.raises(CohortDataError, match="pige"):
        Study.from_long(_data([word]), instruments={"who5": "who5"}, time_points=["start", "end"], sex="sex")
