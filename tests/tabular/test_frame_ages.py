"""score_frame and the age check: empty band columns, a flag column and a reason per row.

Issue 13, item 6: a frame with an age column scored SDQ S11-17 bands for
22-year-olds. Now such a row keeps its scores, its band columns are empty, and
``outside_age_range`` / ``age_reason`` say why; ``age_policy="raise"`` raises,
naming the row label and the age column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from trivselscore import (
    AgeRangeError,
    Respondent,
    ResponseError,
    get_instrument,
    score,
    score_batch,
    score_frame,
)
from trivselscore.tabular.columns import respondents
from trivselscore.tabular.frame import AGE_REASON_COLUMN, OUTSIDE_AGE_COLUMN

pd = pytest.importorskip("pandas")

SDQ = get_instrument("sdq-s11-17")
NOT_COLLECTED = dict.fromkeys(SDQ.item_ids[25:])  # the impact supplement: not asked here


def scored(frame: Any, **options: Any) -> Any:
    return score_frame(SDQ, frame, columns=NOT_COLLECTED, **options)


def sdq_frame(ages: list[Any], sexes: list[Any] | None = None) -> Any:
    columns = {f"s{alias}": [2] * len(ages) for alias in (SDQ.item(str(n)).aliases[0] for n in range(1, 26))}
    frame = pd.DataFrame(columns, index=[f"p{n}" for n in range(len(ages))])
    frame["alder"] = ages
    if sexes is not None:
        frame["koen"] = sexes
    return frame


def test_rows_outside_the_range_get_empty_bands_a_flag_and_a_reason():
    # before: every row banded 'abnormal', the 22-year-old's included, and no column said otherwise
    frame = sdq_frame([15, 22, None, 10.5, 17.9])
    result = scored(frame, respondent={"age": "alder"})
    assert result["total"].tolist() == [30.0] * 5
    assert result["total_band"].astype(object).where(result["total_band"].notna(), None).tolist() == [
        "abnormal",
        None,
        "abnormal",
        None,
        "abnormal",
    ]
    assert result[OUTSIDE_AGE_COLUMN].tolist() == [False, True, False, True, False]
    assert result[OUTSIDE_AGE_COLUMN].dtype == bool
    reasons = [None if pd.isna(text) else text for text in result[AGE_REASON_COLUMN]]
    assert reasons == [
        None,
        "age 22 is outside 11-17, the range of sdq-s11-17",
        None,
        "age 10 is outside 11-17, the range of sdq-s11-17",
        None,
    ]
    assert list(result.columns[-2:]) == [OUTSIDE_AGE_COLUMN, AGE_REASON_COLUMN]
    assert list(result.index) == list(frame.index)


def test_frame_equals_score_batch_and_score_row_for_row():
    ages = [15, 22, None, 10.5, 30]
    frame = sdq_frame(ages)
    result = scored(frame, respondent={"age": "alder"})
    people = [Respondent(age=a) for a in ages]
    data = np.full((len(ages), len(SDQ.items)), np.nan)
    data[:, :25] = 2
    batch = score_batch(SDQ, data, respondent=people)
    assert result[OUTSIDE_AGE_COLUMN].tolist() == batch.outside_age_range.tolist()
    for i, person in enumerate(people):
        single = score(SDQ, dict.fromkeys(map(str, range(1, 26)), 2), respondent=person)
        assert bool(result[OUTSIDE_AGE_COLUMN].iloc[i]) is ("outside_age_range" in single.flag_ids)
        band = result["total_band"].iloc[i]
        assert (None if pd.isna(band) else band) == single["total"].band


def test_one_respondent_for_every_row():
    frame = sdq_frame([0, 0]).drop(columns="alder")
    result = scored(frame, respondent=Respondent(age=22))
    assert result[OUTSIDE_AGE_COLUMN].tolist() == [True, True]
    assert result["total_band"].isna().all()


@pytest.mark.parametrize("respondent", [None, Respondent(sex="female"), {"sex": "koen"}])
def test_without_ages_there_are_no_age_columns(respondent):
    frame = sdq_frame([22, 22], sexes=["pige", "dreng"])
    result = scored(frame, respondent=respondent)
    assert OUTSIDE_AGE_COLUMN not in result.columns
    assert AGE_REASON_COLUMN not in result.columns
    assert result["total_band"].tolist() == ["abnormal", "abnormal"]


def test_raise_policy_names_the_row_label_and_the_age_column():
    frame = sdq_frame([15, 16, 22])
    with pytest.raises(AgeRangeError) as info:
        scored(frame, respondent={"age": "alder"}, age_policy="raise")
    assert str(info.value) == (
        "sdq-s11-17: index 'p2', column 'alder': age 22 is outside 11-17, the range of sdq-s11-17 "
        "(age_policy='raise'); score with an instrument for this age, or age_policy='flag' (row 2)"
    )
    assert (info.value.row, info.value.age, info.value.age_range) == (2, 22, (11, 17))
    with pytest.raises(AgeRangeError, match=r"^sdq-s11-17: index 'p0': age 22 is outside"):
        scored(frame.drop(columns="alder"), respondent=Respondent(age=22), age_policy="raise")
    ok = scored(frame.iloc[:2], respondent={"age": "alder"}, age_policy="raise")
    assert ok[OUTSIDE_AGE_COLUMN].tolist() == [False, False]


def test_danish_sex_words_in_a_sex_column():
    words = ["pige", "Dreng", " K ", "m", "kvinde", "MAND", "f", None, ""]
    people = respondents(
        SDQ, np.full(len(words), 15.0), words, labels=list(range(len(words))), columns={"sex": "koen"}
    )
    assert [None if p is None else p.sex for p in people] == [
        "female",
        "male",
        "female",
        "male",
        "female",
        "male",
        "female",
        None,
        None,
    ]
    assert all(p is not None and p.age == 15 for p in people)
    # and through a frame: the sex reaches the sex-specific norms of SCAS-P
    parent = get_instrument("scas-p")
    frame = pd.DataFrame([[2] * len(parent.items)] * 2, columns=list(parent.item_ids))
    frame["alder"], frame["koen"] = [14, 14], ["pige", "dreng"]
    result = score_frame(parent, frame, respondent={"age": "alder", "sex": "koen"}, scheme="t60")
    girl = score(parent, [2] * len(parent.items), respondent=Respondent(age=14, sex="female"))
    boy = score(parent, [2] * len(parent.items), respondent=Respondent(age=14, sex="male"))
    assert result["total_band"].tolist() == [girl["total"].band, boy["total"].band]
    assert girl["total"].t_score != boy["total"].t_score


@pytest.mark.parametrize("bad", ["girl", "X", "3", 1, True])
def test_unknown_sex_values_are_refused(bad):
    frame = sdq_frame([15, 15], sexes=["pige", bad])
    with pytest.raises(
        ResponseError, match=r"index 'p1', column 'koen': sex .* is not one of female, f, pige"
    ):
        scored(frame, respondent={"age": "alder", "sex": "koen"})
