"""What a form holds: optional blocks, cited age ranges, families chosen by age, sources with a status.

Before (issue 21): ``Source.status`` defaulted to "verified" (27 shipped sources omitted it, so a
forgotten status read as verified); ``age_range`` had no source; the MFQ versions had no range, so
``["mfq-c", "mfq-a"]`` gave every row the child form; and an SDQ export without the impact
supplement was refused although only ``impact`` needs it.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from trivselscore import INSTRUMENTS, ItemBlock, Source, get_instrument
from trivselscore.definitions.forms import (
    age_family_problem,
    check_age_family,
    collected,
    holds,
    needed_items,
    read_items,
    version_for_age,
)

SRC = Source(citation="Test fixture", status="derived")
CORE = [str(i) for i in range(1, 26)]


# --- sources and age ranges ----------------------------------------------------------------------


def test_a_source_must_state_its_status():
    with pytest.raises(ValidationError, match="status"):
        Source(citation="Somebody 2020")  # type: ignore[call-arg]


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_every_shipped_version_has_a_cited_age_range(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    assert instrument.age_range is not None
    assert instrument.age_range_source is not None
    assert len(instrument.age_range_source.citation) > 10


def test_mfq_ranges_follow_the_fact_sheet_and_the_adult_bound_is_marked_unverified():
    # who5-mfq.md section 2: child and parent forms for children 6-17 (secondary sources); Duke
    # lists adult versions without an age range, so 18+ is this library's reading.
    for child in ("mfq-c", "smfq-c", "mfq-p", "smfq-p"):
        assert INSTRUMENTS[child].age_range == (6, 17)
    for adult in ("mfq-a", "smfq-a"):
        assert INSTRUMENTS[adult].age_range == (18, 130)
        assert INSTRUMENTS[adult].age_range_source.status == "unverified"  # type: ignore[union-attr]
    assert INSTRUMENTS["mfq-c"].age_range_source.status == "verified-secondary"  # type: ignore[union-attr]
    assert INSTRUMENTS["mfq-p"].age_range_source.status == "derived"  # type: ignore[union-attr]
    assert INSTRUMENTS["sdq-s18"].age_range_source.status == "unverified"  # type: ignore[union-attr]


def test_an_age_range_needs_its_source_and_a_source_needs_a_range():
    who5 = get_instrument("who5")
    with pytest.raises(ValidationError, match="who5: age_range needs age_range_source"):
        who5.model_copy(update={"age_range_source": None})
    with pytest.raises(ValidationError, match="who5: age_range_source is given but there is no age_range"):
        who5.model_copy(update={"age_range": None})
    assert who5.model_copy(update={"age_range": None, "age_range_source": None}).age_range is None


# --- optional blocks ------------------------------------------------------------------------------


def test_sdq_marks_the_impact_supplement_and_the_follow_up_questions_optional():
    for instrument_id in ("sdq-s11-17", "sdq-p4-17", "sdq-t4-17", "sdq-p2-4", "sdq-s18"):
        sdq = INSTRUMENTS[instrument_id]
        blocks = {b.id: b for b in sdq.optional}
        assert set(blocks) == {"impact", "follow_up"}
        assert needed_items(sdq, "impact") <= set(blocks["impact"].items)
        assert blocks["follow_up"].items == ("fuchange", "fuhelp")
        assert blocks["impact"].source.status == "verified-secondary"
    assert not any(INSTRUMENTS[i].optional for i in INSTRUMENTS if not i.startswith("sdq"))


BAD_BLOCKS = [
    ((ItemBlock(id="x", label_en="xx", label_da="xx", items=("nope",), source=SRC),), "unknown item 'nope'"),
    (
        (
            ItemBlock(id="x", label_en="xx", label_da="xx", items=("1",), source=SRC),
            ItemBlock(id="y", label_en="yy", label_da="yy", items=("1",), source=SRC),
        ),
        "item '1' is in blocks 'x' and 'y'",
    ),
    (
        (
            ItemBlock(id="x", label_en="xx", label_da="xx", items=("1",), source=SRC),
            ItemBlock(id="x", label_en="yy", label_da="yy", items=("2",), source=SRC),
        ),
        "optional block ids repeat",
    ),
]


@pytest.mark.parametrize(("blocks", "message"), BAD_BLOCKS)
def test_a_wrong_block_fails_when_it_is_built(blocks, message):
    with pytest.raises(ValidationError, match=message):
        get_instrument("who5").model_copy(update={"optional": blocks})


def test_an_sdq_without_the_supplement_leaves_only_impact_not_collected():
    sdq = get_instrument("sdq-s11-17")
    found = collected(sdq, CORE)
    assert found.problem is None
    assert list(found.scales) == ["impact"]
    assert found.scales["impact"].startswith("not collected (no column in the data): the impact supplement")
    assert {"ebddiff", "distres", "fuchange", "fuhelp"} <= found.absent


def test_declared_blocks_and_items_are_not_collected_with_that_reason():
    sdq = get_instrument("sdq-s11-17")
    everything = list(sdq.item_ids)
    found = collected(sdq, everything, declared=["impact"])
    assert found.scales["impact"].startswith("not collected (declared)")
    by_alias = collected(sdq, everything, declared=["consid"])  # item 1 by its sdqinfo name
    assert list(by_alias.scales) == ["prosocial"]
    assert collected(sdq, everything, declared=["impakt"]).unknown == ("impakt",)


def test_a_partly_present_block_and_a_missing_required_item_are_problems():
    sdq = get_instrument("sdq-s11-17")
    partial = collected(sdq, [*CORE, "ebddiff", "distres"])
    assert partial.problem is not None
    assert "only partly in the data: no column for imphome, impfrie, impclas, impleis" in partial.problem
    missing = collected(sdq, CORE[:-1])
    assert missing.problem == "no column for 1 required item(s): 25"
    # the unscored supplement items (duration, burden) and the follow-up questions may be absent alone
    assert collected(sdq, [i for i in sdq.item_ids if i not in {"chronic", "burden", "fuhelp"}]).scales == {}


def test_by_default_only_items_some_scale_reads_are_required():
    scas = get_instrument("scas-c")
    fillers = {"11", "17", "26", "31", "38", "43"}
    assert fillers.isdisjoint(read_items(scas))
    assert collected(scas, [i for i in scas.item_ids if i not in fillers]).problem is None
    everything = collected(scas, [i for i in scas.item_ids if i not in fillers], required=scas.item_ids)
    assert everything.missing == ("11", "17", "26", "31", "38", "43")


@given(st.data())
def test_exactly_the_scales_that_need_an_absent_item_are_not_collected(data):
    sdq = INSTRUMENTS[data.draw(st.sampled_from(["sdq-s11-17", "sdq-t4-17", "sdq-p2-4"]))]
    gone = data.draw(st.sets(st.sampled_from(sdq.item_ids)))
    found = collected(sdq, [i for i in sdq.item_ids if i not in gone], declared=sorted(gone))
    assert found.problem is None
    for scale in sdq.scale_ids:
        assert (scale in found.scales) == bool(needed_items(sdq, scale) & gone)


# --- versions chosen by age -----------------------------------------------------------------------


def test_families_that_can_be_chosen_by_age():
    for family in (("mfq-c", "mfq-a"), ("smfq-c", "smfq-a"), ("sdq-s11-17", "sdq-s18"), ("sdq-p2-4",)):
        assert age_family_problem([INSTRUMENTS[i] for i in family]) is None


def test_a_family_with_a_version_without_a_range_or_with_overlapping_ranges_is_refused():
    plain = get_instrument("mfq-a").model_copy(update={"age_range": None, "age_range_source": None})
    with pytest.raises(ValueError, match="measure 'mfq': version mfq-a has no age range"):
        check_age_family([INSTRUMENTS["mfq-c"], plain], name="mfq")
    with pytest.raises(ValueError, match=r"mfq-c \(ages 6-17\) and smfq-p \(ages 6-17\) share the ages 6-17"):
        check_age_family([INSTRUMENTS["mfq-c"], INSTRUMENTS["smfq-p"]], name="mfq")
    # ranges hold completed years: 11-17.5 holds 11..17, 17.9-30 holds 18..30; they share no year
    low = get_instrument("sdq-s11-17").model_copy(update={"age_range": (11, 17.5)})
    high = get_instrument("sdq-s18").model_copy(update={"age_range": (17.9, 30)})
    assert age_family_problem([low, high]) is None
    assert not holds(high, 17.95)  # 17 completed years is below 17.9


AGE_RANGES = st.tuples(st.integers(0, 60), st.integers(0, 15)).map(
    lambda t: (float(t[0]), float(t[0] + t[1]))
)


@given(ranges=st.lists(AGE_RANGES, min_size=1, max_size=5), age=st.floats(0, 130))
def test_the_version_chosen_holds_the_age(ranges, age):
    base = get_instrument("mfq-c")
    family = [
        base.model_copy(update={"id": f"v{k}", "age_range": r, "age_range_source": SRC})
        for k, r in enumerate(ranges)
    ]
    if age_family_problem(family) is not None:
        years = [set(range(math.ceil(lo), math.floor(hi) + 1)) for lo, hi in ranges]
        assert any(a & b for i, a in enumerate(years) for b in years[i + 1 :])
        return
    chosen, outside = version_for_age(family, age)
    holding = [k for k, v in enumerate(family) if holds(v, age)]
    assert len(holding) <= 1  # ranges share no year: at most one version holds an age
    if holding:
        assert (chosen, outside) == (holding[0], False)
    else:
        assert outside
        lo, hi = ranges[chosen]
        distance = max(lo - math.floor(age), math.floor(age) - hi)
        assert all(distance <= max(a - math.floor(age), math.floor(age) - b) for a, b in ranges)


def test_a_version_without_a_range_is_never_the_closest():
    plain = get_instrument("mfq-a").model_copy(update={"age_range": None, "age_range_source": None})
    assert version_for_age([plain, INSTRUMENTS["mfq-c"]], 40) == (1, True)
    assert not holds(plain, 20)
    assert not holds(INSTRUMENTS["mfq-c"], float("nan"))
