"""The Study on exports as municipalities have them: a third sex answer, an SDQ without its impact
supplement, and MFQ answered by 13-25-year-olds (issue 21, items 1-3).

Before: ``Køn = Andet`` stopped ``Study.from_long``; an SDQ with the 25 items and no impact
supplement was refused (``no column for 6 item(s): ebddiff ...``); ``["mfq-c", "mfq-a"]`` sent every
row to ``mfq-c`` (the MFQ had no age ranges), so adults got the child cutoff.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trivselscore import get_instrument
from trivselscore.cohort import Cohort
from trivselscore.definitions.forms import holds
from trivselscore.definitions.model import SEX_WORDS
from trivselscore.errors import CohortDataError
from trivselscore.study import Study, Versions

TIMES = ["start", "end"]
SDQ = get_instrument("sdq-s11-17")
CORE = [str(i) for i in range(1, 26)]


def sdq_rows(
    n: int = 12, *, supplement: bool = False, sexes: list[str | None] | None = None
) -> list[dict[str, Any]]:
    """n persons at two time points, the 25 SDQ items (and the impact supplement if asked)."""
    rows = []
    for p in range(n):
        for t, answer in zip(TIMES, (2, 1), strict=True):
            row: dict[str, Any] = {"person": p, "time": t, "age": 15}
            row |= {f"sdq_{i}": answer if p % 3 else 1 for i in CORE}
            if supplement:
                row |= {"sdq_ebddiff": 1, "sdq_distres": 2, "sdq_imphome": 3, "sdq_impfrie": 0}
                row |= {"sdq_impclas": 1, "sdq_impleis": 2}
            if sexes is not None:
                row["sex"] = sexes[p % len(sexes)]
            rows.append(row)
    return rows


def study_of(rows: list[dict[str, Any]], **kwargs: Any) -> Study:
    options: dict[str, Any] = {"instruments": {"sdq": "sdq-s11-17"}, "time_points": TIMES, "age": "age"}
    return Study.from_long(rows, **(options | kwargs))


# --- sex ------------------------------------------------------------------------------------------

SEXES = ["Pige", "Dreng", "Andet", "Ved ikke", None, "ikke-binær", "uoplyst"]


def test_a_third_sex_answer_is_read_and_everyone_is_counted():
    rows = sdq_rows(14, sexes=SEXES)
    for row in rows:
        row["køn"] = row["sex"]
    study = study_of(rows, sex="sex", groups=["køn"])
    assert study.measure("sdq").sexes[:6] == ("female", "female", "male", "male", "other", "other")
    report = study.summary("sdq", "total", by=["køn"], min_cell=0)
    everyone = [r for r in report.rows if r.group == "all"]
    assert [r.n.value for r in everyone] == [14, 14]
    groups = {r.group for r in report.rows}
    assert groups == {"all", "Pige", "Dreng", "Andet", "Ved ikke", "(missing)", "ikke-binær", "uoplyst"}
    for time in TIMES:
        parts = [r.n.value for r in report.rows if r.time == time and r.group != "all"]
        assert sum(parts) == 14  # type: ignore[arg-type]


def test_sex_specific_bands_give_none_for_other_and_unknown_in_a_study():
    rows = [
        {"person": p, "time": t, "age": 15, "sex": sex, **{f"smfq_{i}": 1 for i in range(1, 14)}}
        for p, sex in enumerate(["pige", "dreng", "andet", "uoplyst"])
        for t in TIMES
    ]
    study = Study.from_long(rows, instruments={"smfq": "smfq-c"}, time_points=TIMES, sex="sex", age="age")
    _, bands = study.measure("smfq").bands("total", "jarbin-2020")
    assert bands.tolist() == ["at_or_above_cutoff"] * 4 + [None] * 4  # 13 >= 12 (girls) and >= 6 (boys)
    reason = "scheme 'jarbin-2020' has sex-specific bands; there is no sex-specific cutoff for sex {!r}"
    assert (
        band_reasons(study.cohort("smfq"))[4:]
        == [reason.format("other")] * 2 + [reason.format("unknown")] * 2
    )


def band_reasons(cohort: Cohort) -> list[str | None]:
    """The jarbin-2020 band reason of each row of a cohort scored from items."""
    batch = cohort._batch
    assert batch is not None
    rows = (batch.row(i)["total"].bands for i in range(len(batch.outside_age_range)))
    return [next(b.reason for b in bands if b.scheme == "jarbin-2020") for bands in rows]


WORDS = st.sampled_from([*SEX_WORDS, "PIGE", " Andet ", "Ved Ikke", None, ""])


@settings(max_examples=40, deadline=None)
@given(sexes=st.lists(WORDS, min_size=1, max_size=8))
def test_every_person_is_counted_whatever_their_sex_word(sexes):
    rows = sdq_rows(len(sexes), sexes=sexes)
    for row in rows:
        row["group"] = row["sex"]
    study = study_of(rows, sex="sex", groups=["group"])
    cohort = Cohort.from_long(
        [{k.removeprefix("sdq_"): v for k, v in row.items()} for row in rows],
        "sdq-s11-17",
        time_points=TIMES,
        sex="sex",
        age="age",
        groups=["group"],
    )
    for report in (
        study.summary("sdq", "total", by=["group"], min_cell=0),
        cohort.summary("total", by=["group"], min_cell=0),
    ):
        for time in TIMES:
            shown = [r for r in report.rows if r.time == time]
            assert shown[0].group == "all"
            assert shown[0].n.value == len(sexes)
            assert sum(r.n.value for r in shown[1:]) == len(sexes)  # type: ignore[misc]


# --- items not collected --------------------------------------------------------------------------


def test_an_sdq_without_the_impact_supplement_scores_every_other_scale():
    study = study_of(sdq_rows())
    measure = study.measure("sdq")
    assert list(measure.not_collected) == ["impact"]
    assert measure.not_collected["impact"].startswith("not collected (no column in the data): the impact")
    assert "impact" not in measure.scale_ids
    assert np.isnan(measure.values["impact"]).all()
    assert not np.isnan(study.values("sdq", "total")).any()
    with pytest.raises(CohortDataError, match="scale 'impact' is not collected") as caught:
        study.summary("sdq", "impact")
    assert caught.value.problem == "not_collected"
    change = study.change("start", "end", min_cell=0)  # every scale: impact is left out
    assert {r.scale for r in change.rows} == set(SDQ.scale_ids) - {"impact"}
    with pytest.raises(CohortDataError, match="not collected"):
        study.change("start", "end", scales={"sdq": ["impact"]})
    cohort = study.cohort("sdq")
    assert list(cohort.not_collected) == ["impact"]
    assert cohort.summary("total", min_cell=0).rows[0].n.value == 12


def test_with_the_supplement_impact_is_scored():
    study = study_of(sdq_rows(supplement=True))
    assert study.measure("sdq").not_collected == {}
    assert set(study.values("sdq", "impact")[:, 0]) == {4.0}  # 0 + 1 + 2 + 0 + 1 (recoded; ebddiff 1)


def test_not_collected_can_be_said_explicitly_and_the_columns_are_not_read():
    rows = sdq_rows(supplement=True)
    for row in rows:
        row["sdq_distres"] = "not a number"  # not read: the block is declared not collected
    study = study_of(rows, not_collected={"sdq": ["impact"]})
    assert study.measure("sdq").not_collected["impact"].startswith("not collected (declared)")
    explicit = study_of(sdq_rows(), columns={"sdq": {"consid": None}})
    assert set(explicit.measure("sdq").not_collected) == {"prosocial", "impact"}
    with pytest.raises(CohortDataError, match="'impakt' is neither an optional block nor an item") as caught:
        study_of(sdq_rows(), not_collected={"sdq": ["impakt"]})
    assert caught.value.problem == "not_collected"
    with pytest.raises(CohortDataError, match=r"not_collected names measure\(s\) \['mfq'\]"):
        study_of(sdq_rows(), not_collected={"mfq": ["impact"]})


def test_a_partly_present_block_and_a_missing_required_column_stay_errors():
    rows = sdq_rows()
    for row in rows:
        row["sdq_ebddiff"] = 1
    with pytest.raises(
        CohortDataError, match="only partly in the data: no column for distres, imphome"
    ) as caught:
        study_of(rows)
    assert caught.value.problem == "missing_column"
    rows = [{k: v for k, v in row.items() if k != "sdq_25"} for row in sdq_rows()]
    with pytest.raises(CohortDataError, match=r"no column for 1 item\(s\): 25 \(tried sdq_25"):
        study_of(rows)


def test_cohort_from_long_follows_the_same_rules():
    rows = [{k.removeprefix("sdq_"): v for k, v in row.items()} for row in sdq_rows()]
    cohort = Cohort.from_long(rows, "sdq-s11-17", time_points=TIMES)
    assert list(cohort.not_collected) == ["impact"]
    with pytest.raises(CohortDataError, match="scale 'impact' of sdq-s11-17 is not collected") as caught:
        cohort.summary("impact")
    assert caught.value.problem == "not_collected"
    declared = Cohort.from_long(rows, "sdq-s11-17", time_points=TIMES, not_collected=["impact"])
    assert declared.not_collected["impact"].startswith("not collected (declared)")
    partial = [row | {"ebddiff": 0} for row in rows]
    with pytest.raises(CohortDataError, match=r"sdq-s11-17: the impact supplement \(impact\) is only partly"):
        Cohort.from_long(partial, "sdq-s11-17", time_points=TIMES)
    short = [{k: v for k, v in row.items() if k != "3"} for row in rows]
    with pytest.raises(CohortDataError, match="no column for sdq-s11-17 item '3'"):
        Cohort.from_long(short, "sdq-s11-17", time_points=TIMES)


# --- versions by age ------------------------------------------------------------------------------


def mfq_rows(ages: list[float]) -> list[dict[str, Any]]:
    return [
        {"person": p, "time": "start", "age": age, **{f"mfq_{i}": 1 for i in range(1, 34)}}
        for p, age in enumerate(ages)
    ]


def test_mfq_child_and_adult_are_chosen_by_age():
    ages = [13, 17.9, 18, 25, 4.5]
    study = Study.from_long(
        mfq_rows(ages), instruments={"mfq": ["mfq-c", "mfq-a"]}, time_points=["start"], age="age"
    )
    measure = study.measure("mfq")
    assert [measure.versions[v].id for v in measure.version] == ["mfq-c", "mfq-c", "mfq-a", "mfq-a", "mfq-c"]
    assert measure.outside.tolist() == [False, False, False, False, True]
    assert measure.forms() == {"mfq-c": 3, "mfq-a": 2}
    _, bands = measure.bands("total", None)
    assert bands.tolist() == [
        "at_or_above_cutoff",
        "at_or_above_cutoff",
        None,
        None,
        None,
    ]  # 33 >= 29; no adult cutoff


@pytest.mark.parametrize(
    ("family", "message"),
    [
        (["mfq-c", "mfq-p"], r"mfq-c \(ages 6-17\) and mfq-p \(ages 6-17\) share the ages 6-17"),
        (["sdq-s11-17", "sdq-p4-17"], "share the ages 11-17"),
    ],
)
def test_a_family_whose_ranges_overlap_is_refused(family, message):
    with pytest.raises(CohortDataError, match=message) as caught:
        Study.from_long(mfq_rows([15]), instruments={"mfq": family}, time_points=["start"], age="age")
    assert caught.value.problem == "versions"


def test_a_version_without_a_range_is_refused_by_age_but_fine_by_column():
    plain = get_instrument("mfq-a").model_copy(update={"age_range": None, "age_range_source": None})
    with pytest.raises(CohortDataError, match="version mfq-a has no age range"):
        Study.from_long(
            mfq_rows([15]), instruments={"mfq": ["mfq-c", plain]}, time_points=["start"], age="age"
        )
    rows = [row | {"form": "mfq-a"} for row in mfq_rows([15])]
    versions = Versions(["mfq-c", plain], column="form")
    named = Study.from_long(rows, instruments={"mfq": versions}, time_points=["start"])
    assert named.measure("mfq").forms() == {"mfq-c": 0, "mfq-a": 1}


@settings(max_examples=30, deadline=None)
@given(
    family=st.sampled_from([("mfq-c", "mfq-a"), ("smfq-c", "smfq-a"), ("sdq-s11-17", "sdq-s18")]),
    ages=st.lists(st.floats(0, 130, allow_nan=False), min_size=1, max_size=12),
)
def test_each_row_gets_the_version_whose_range_holds_its_age(family, ages):
    items = get_instrument(family[0]).item_ids
    rows = [
        {"person": p, "time": "start", "age": age, **{f"m_{i}": 1 for i in items}}
        for p, age in enumerate(ages)
    ]
    measure = Study.from_long(
        rows, instruments={"m": list(family)}, time_points=["start"], age="age"
    ).measure("m")
    for row, age in enumerate(ages):
        version = measure.versions[int(measure.version[row])]
        inside = any(holds(get_instrument(v), age) for v in family)
        assert holds(version, age) == inside
        assert bool(measure.outside[row]) == (not inside)
    assert sum(measure.forms().values()) == len(ages)
