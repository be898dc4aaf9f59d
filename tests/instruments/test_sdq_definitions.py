"""SDQ definitions: item ids and aliases, versions and defaults, the norm hook, validators.

Alias lists are copied from verification.md section 5 (KL FHIR linkIds) and
sdq-scas.md section 1.1 (sdqinfo variable names).
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.fhir.fixtures import SDQ_LINK_IDS
from tests.instruments.test_sdq import CORE, HAND, IMPACT, SUBSCALES, VERSIONS, zeros
from trivselscore import (
    Band,
    Cutoffs,
    CutoffScheme,
    Instrument,
    Respondent,
    ResponseError,
    Source,
    get_instrument,
    score,
)
from trivselscore.instruments import SDQ_P2_4, SDQ_P4_17, SDQ_S11_17, SDQ_S18, SDQ_T4_17

# --- ids and aliases ---------------------------------------------------------------------------

# verification.md section 5 (KLIG), case-sensitive; shared with the FHIR tests
KL_LINK_IDS = list(SDQ_LINK_IDS)
SDQINFO = [
    "consid",
    "restles",
    "somatic",
    "shares",
    "tantrum",
    "loner",
    "obeys",
    "worries",
    "caring",
    "fidgety",
    "friend",
    "fights",
    "unhappy",
    "popular",
    "distrac",
    "clingy",
    "kind",
    "lies",
    "bullied",
    "helpout",
    "reflect",
    "steals",
    "oldbest",
    "afraid",
    "attends",
]
SUPPLEMENT = ["ebddiff", "chronic", "distres", "imphome", "impfrie", "impclas", "impleis", "burden"]


@pytest.mark.parametrize("instrument_id", ["sdq-s11-17", "sdq-p4-17"])
def test_kl_link_ids_and_numbers_are_aliases(instrument_id):
    instrument = get_instrument(instrument_id)
    targets = [*CORE, *SUPPLEMENT]
    for link_id, number, target in zip(KL_LINK_IDS, range(1, 34), targets, strict=True):
        assert link_id in instrument.item(target).aliases
        if number > 25:
            assert str(number) in instrument.item(target).aliases
    answers = HAND | IMPACT
    by_link = {KL_LINK_IDS[targets.index(k)]: v for k, v in answers.items()}
    by_number = {targets.index(k) + 1: v for k, v in answers.items()}
    assert score(instrument, by_link) == score(instrument, answers) == score(instrument, by_number)


@pytest.mark.parametrize("instrument_id", VERSIONS)
def test_sdqinfo_names_are_aliases(instrument_id):
    instrument = get_instrument(instrument_id)
    for number, name in enumerate(SDQINFO, start=1):
        if instrument_id == "sdq-p2-4" and number in {18, 22}:
            continue
        assert name in instrument.item(str(number)).aliases
    assert instrument.item_ids[:25] == tuple(CORE)


def test_preschool_replaces_items_18_and_22():
    # SDQ-SCORE-2-4: 'argues' and 'spite', still conduct and not reversed
    assert SDQ_P2_4.item("18").aliases == ("argues",)
    assert SDQ_P2_4.item("22").aliases == ("spite",)
    answers = {k: v for k, v in zeros().items() if k not in {"18", "22"}} | {"argues": 2, "spite": 2}
    assert score(SDQ_P2_4, answers)["conduct"].value == 6
    for gone in ("lies", "steals", "18lying", "22steal"):
        with pytest.raises(ResponseError, match="unknown item id"):
            score(SDQ_P2_4, {gone: 0})


def test_teacher_supplement_has_no_numeric_aliases():
    assert [i.id for i in SDQ_T4_17.items[25:]] == [
        "ebddiff", "chronic", "distres", "impfrie", "impclas", "burden", "fuchange", "fuhelp",
    ]  # fmt: skip
    assert all(not item.aliases for item in SDQ_T4_17.items[25:])
    with pytest.raises(ResponseError, match="unknown item id"):
        score(SDQ_T4_17, {26: 0})


@pytest.mark.parametrize("instrument_id", VERSIONS)
def test_unscored_questions_are_validated_but_scored_nowhere(instrument_id):
    # chronicity, burden (PMHC-SPEC: not in impact) and the follow-up questions 34 (0-4) and 35 (0-3)
    instrument = get_instrument(instrument_id)
    base = score(instrument, HAND | {"ebddiff": 2, "distres": 2})
    extra = score(
        instrument, HAND | {"ebddiff": 2, "distres": 2, "chronic": 3, "burden": 3, "fuchange": 4, "fuhelp": 3}
    )
    assert extra.values == base.values
    for item in ("chronic", "burden", "fuchange", "fuhelp"):
        assert not any(item in instrument.scale_items(s) for s in instrument.scale_ids)
    for item, bad in (("chronic", 4), ("burden", 4), ("fuchange", 5), ("fuhelp", 4)):
        with pytest.raises(ResponseError, match="is not an allowed code") as info:
            score(instrument, {item: bad})
        assert info.value.item_id == item


def test_versions_and_defaults():
    assert [
        (i.id, i.informant, i.default_scheme) for i in (SDQ_S11_17, SDQ_P4_17, SDQ_T4_17, SDQ_P2_4, SDQ_S18)
    ] == [
        ("sdq-s11-17", "self", "sdq-3band"),
        ("sdq-p4-17", "parent", "sdq-4band"),
        ("sdq-t4-17", "teacher", "sdq-4band"),
        ("sdq-p2-4", "parent", "sdq-3band"),
        ("sdq-s18", "self", None),
    ]
    assert [s.id for s in SDQ_S18.schemes] == ["sdq-3band-s11-17-extrapolated"]
    assert score(SDQ_S18, HAND)["total"].band is None
    for instrument in (SDQ_S11_17, SDQ_P4_17, SDQ_T4_17, SDQ_P2_4, SDQ_S18):
        assert instrument.scale_ids == (*SUBSCALES, "total", "externalising", "internalising", "impact")
        for scale_id, items in SUBSCALES.items():
            assert instrument.scale(scale_id).items == items


# --- the age/sex hook (invented numbers, test only) ----------------------------------------------

INVENTED = Source(citation="Invented table for a test; not a norm", status="unverified")


def _bands(edge: int) -> tuple[Band, ...]:
    return (
        Band(id="low", label_en="low", label_da="lav", lower=0, upper=edge, upper_inclusive=False),
        Band(id="high", label_en="high", label_da="høj", lower=edge, upper=40),
    )


def _rebuilt(instrument: Instrument, **changes: Any) -> Instrument:
    fields = {name: getattr(instrument, name) for name in Instrument.model_fields}
    return Instrument(**(fields | changes))


NORMED = _rebuilt(
    SDQ_S11_17,
    schemes=(
        *SDQ_S11_17.schemes,
        CutoffScheme(
            id="invented-norms",
            label_en="invented age and sex norms",
            label_da="opdigtede normer",
            source=INVENTED,
            cutoffs=(
                Cutoffs(scale="total", sex="female", min_age=11, max_age=14, bands=_bands(10)),
                Cutoffs(scale="total", sex="male", min_age=11, max_age=14, bands=_bands(20)),
                Cutoffs(scale="total", min_age=15, max_age=17, bands=_bands(15)),
            ),
        ),
    ),
)


@pytest.mark.parametrize(
    ("respondent", "band", "reason"),
    [
        (Respondent(age=12, sex="female"), "high", None),  # total 18 >= 10
        (Respondent(age=12, sex="male"), "low", None),  # 18 < 20
        (Respondent(age=16), "high", None),  # sex not needed at 15-17
        (Respondent(age=12), None, "Respondent.sex is missing"),
        (Respondent(sex="male"), None, "Respondent.age is missing"),
        (None, None, "is missing"),
        (Respondent(age=30, sex="male"), None, "age 30 is outside 11-17"),  # the form's range first
    ],
)
def test_age_and_sex_specific_bands_through_respondent(respondent, band, reason):
    result = score(NORMED, HAND, respondent=respondent, scheme="invented-norms")
    total = result["total"]
    assert total.value == 18
    assert total.band == band
    found = next(b for b in total.bands if b.scheme == "invented-norms")
    if reason is None:
        assert found.reason is None
    else:
        assert found.reason is not None
        assert reason in found.reason
    # the UK scheme needs no respondent, only an age (if given) inside the form's 11-17
    inside = respondent is None or respondent.age is None or respondent.age <= 17
    assert next(b for b in total.bands if b.scheme == "sdq-3band").band == ("borderline" if inside else None)


# --- definition validators -----------------------------------------------------------------------


def test_band_table_with_a_gap_is_rejected():
    gap = Cutoffs(
        scale="total",
        bands=(
            Band(id="normal", label_en="normal", label_da="normal", lower=0, upper=14, upper_inclusive=False),
            Band(id="abnormal", label_en="abnormal", label_da="afvigende", lower=17, upper=40),
        ),
    )
    broken = CutoffScheme(
        id="sdq-3band", label_en="broken", label_da="brudt", cutoffs=(gap,), source=INVENTED
    )
    with pytest.raises(ValidationError, match="gap between"):
        _rebuilt(SDQ_P4_17, schemes=(broken,), default_scheme="sdq-3band")


def test_total_before_its_scales_is_rejected():
    scales = SDQ_P4_17.scales
    reordered = (scales[5], *scales[:5], *scales[6:])  # total first
    with pytest.raises(ValidationError, match="not defined before it"):
        _rebuilt(SDQ_P4_17, scales=reordered)


def test_impact_band_beyond_the_teacher_range_is_rejected():
    parent_impact = next(t for t in SDQ_P4_17.scheme("sdq-3band").cutoffs if t.scale == "impact")
    scheme = CutoffScheme(
        id="x", label_en="impact 0-10", label_da="impact 0-10", cutoffs=(parent_impact,), source=INVENTED
    )
    with pytest.raises(ValidationError, match="must end at 6"):
        _rebuilt(SDQ_T4_17, schemes=(scheme,), default_scheme=None)
