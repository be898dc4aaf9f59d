"""MFQ long forms and SMFQ short forms: golden cases, cutoffs, SMFQ from long, safety flag.

Sources for the expected values (who5-mfq.md section 2; verification.md section 4):
- Coding 0-2, total = sum; SMFQ 0-26, long 0-66, parent long 0-68: PhenX 121702, structsense.
- SMFQ items = long items 1, 2, 5, 7, 8, 14, 21, 23, 24, 27, 28, 30, 31: CLOSER Discovery.
- Cutoffs: Thabrew 2018 (SMFQ >= 12, MFQ >= 28), Eyre 2021 (>= 12; >= 10 sensitive), Angold 1995
  (>= 8, secondary), Jarbin 2020 (SMFQ girls >= 12 / boys >= 6; MFQ girls >= 32 / boys >= 11),
  Daviss 2006 (MFQ-C >= 29, MFQ-P >= 27); parent SMFQ >= 11 unverified.
- Suicidality items 16-19 in every long form (CLOSER); the flag is this library's decision.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.oracle import oracle_score
from trivselscore import (
    Instrument,
    ItemMap,
    Respondent,
    ResponseError,
    Source,
    convert,
    get_instrument,
    score,
    score_batch,
)
from trivselscore.instruments import mfq

LONG = ["mfq-c", "mfq-p", "mfq-a"]
SHORT = ["smfq-c", "smfq-p", "smfq-a"]
IDS = LONG + SHORT
PAIRS = list(zip(LONG, SHORT, strict=True))
SMFQ_ITEMS = (1, 2, 5, 7, 8, 14, 21, 23, 24, 27, 28, 30, 31)


def answers_for(
    instrument_id: str, total: int, *, avoid: tuple[str, ...] = ("16", "17", "18", "19")
) -> list[int]:
    """Answers summing to ``total``: 2s then a 1, filled from the last item backwards, skipping ``avoid``."""
    instrument = get_instrument(instrument_id)
    answers = [0] * len(instrument.item_ids)
    left = total
    for column in reversed(range(len(answers))):
        if instrument.item_ids[column] in avoid or left == 0:
            continue
        answers[column] = min(2, left)
        left -= answers[column]
    assert left == 0
    return answers


# --- structure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument_id", "n_items", "high"),
    [("mfq-c", 33, 66), ("mfq-p", 34, 68), ("mfq-a", 33, 66), ("smfq-c", 13, 26), ("smfq-p", 13, 26),
     ("smfq-a", 13, 26)],
)  # fmt: skip
def test_items_and_range(instrument_id, n_items, high):
    instrument = get_instrument(instrument_id)
    assert instrument.item_ids == tuple(str(n) for n in range(1, n_items + 1))
    assert instrument.scale_ids == ("total",)
    assert instrument.scale_range("total") == (0, high)
    assert all(item.codes == (0, 1, 2) for item in instrument.items)
    assert not instrument.scale("total").reverse
    assert instrument.scale("total").missing.kind == "complete"


def test_themes_are_ours_and_short_items_match_long_themes():
    long_form = get_instrument("mfq-p")
    assert long_form.item("34").theme == "less enjoyment even when praised or rewarded"
    assert long_form.item("19").theme == "thoughts of killing oneself"
    for long_id, short_id in PAIRS:
        short, full = get_instrument(short_id), get_instrument(long_id)
        for k, n in enumerate(SMFQ_ITEMS, 1):
            assert short.item(str(k)).theme == full.item(str(n)).theme
        (link,) = short.derived_from
        assert link.instrument == long_id
        assert link.items == tuple((str(n), str(k)) for k, n in enumerate(SMFQ_ITEMS, 1))
        assert link.source.status == "verified-secondary"


def test_no_prescribed_cut_points_is_said_everywhere():
    assert "no prescribed cut points" in (mfq.__doc__ or "")
    for instrument_id in IDS:
        instrument = get_instrument(instrument_id)
        assert any("no prescribed cut points" in note for note in instrument.notes)
        for scheme in instrument.schemes:
            assert scheme.note is not None
            assert "no prescribed cut points" in scheme.note


def test_which_schemes_apply_to_which_form():
    schemes = {i: tuple(s.id for s in get_instrument(i).schemes) for i in IDS}
    assert schemes == {
        "mfq-c": ("daviss-2006-29", "thabrew-2018-28", "jarbin-2020-max-kappa"),
        "mfq-p": ("daviss-2006-27",),
        "mfq-a": (),
        "smfq-c": ("thabrew-eyre-12", "angold-1995-8", "eyre-2021-10", "jarbin-2020"),
        "smfq-p": ("parent-11-unverified",),
        "smfq-a": ("eyre-2021-12", "eyre-2021-10"),
    }
    defaults = {i: get_instrument(i).default_scheme for i in IDS}
    assert defaults == {
        "mfq-c": "daviss-2006-29", "mfq-p": "daviss-2006-27", "mfq-a": None,
        "smfq-c": "thabrew-eyre-12", "smfq-p": None, "smfq-a": "eyre-2021-12",
    }  # fmt: skip


def test_verification_status_of_each_scheme():
    status = {(i, s.id): s.source.status for i in IDS for s in get_instrument(i).schemes}
    assert status[("smfq-c", "angold-1995-8")] == "verified-secondary"
    assert status[("smfq-p", "parent-11-unverified")] == "unverified"
    assert "[unverified]" in str(get_instrument("smfq-p").scheme("parent-11-unverified").source)
    assert "UNVERIFIED" in get_instrument("smfq-p").scheme("parent-11-unverified").label_en
    others = {k: v for k, v in status.items() if k[1] not in {"angold-1995-8", "parent-11-unverified"}}
    assert set(others.values()) == {"verified"}
    assert get_instrument("smfq-a").source.status == "unverified"


# --- golden ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument_id", "answers", "total"),
    [
        # 2+1+1+0+2+1+1+0+1+1+0+0+0 = 10
        pytest.param("smfq-c", [2, 1, 1, 0, 2, 1, 1, 0, 1, 1, 0, 0, 0], 10, id="smfq-10"),
        pytest.param("smfq-p", [2] * 13, 26, id="smfq-max"),
        pytest.param("smfq-a", [0] * 13, 0, id="smfq-min"),
        # eleven 2s (22) + eleven 1s (11) + eleven 0s = 33
        pytest.param("mfq-c", [2] * 11 + [1] * 11 + [0] * 11, 33, id="mfq-c-33"),
        pytest.param("mfq-p", [1] * 34, 34, id="mfq-p-34-items"),
        pytest.param("mfq-a", [2] * 33, 66, id="mfq-a-max"),
    ],
)
def test_golden_totals(instrument_id, answers, total):
    result = score(instrument_id, answers)
    assert result["total"].value == total
    assert result["total"].answered == len(answers)


def test_missing_item_default_none_and_prorate():
    answers: list[int | None] = [2, 1, 1, 0, 2, 1, 1, 0, 1, 1, 0, 0, None]
    assert score("smfq-c", answers)["total"].value is None
    assert score("smfq-c", answers)["total"].reason == "12 of 13 items answered; the rule in use needs all 13"
    prorated = score("smfq-c", answers, missing="prorate")["total"]
    assert prorated.value == pytest.approx(10 * 13 / 12)
    assert prorated.prorated
    three_missing = [*answers[:10], None, None, None]
    assert score("smfq-c", three_missing, missing="prorate")["total"].value is None
    long_answers: list[int | None] = [1] * 30 + [None] * 3
    assert score("mfq-c", long_answers, missing="prorate")["total"].value == pytest.approx(33)
    assert (
        score("mfq-c", [*long_answers[:29], None, None, None, None], missing="prorate")["total"].value is None
    )


# --- cutoffs at both sides of every boundary ---------------------------------------------

CUTS = [
    ("smfq-c", "thabrew-eyre-12", None, 12),
    ("smfq-c", "angold-1995-8", None, 8),
    ("smfq-c", "eyre-2021-10", None, 10),
    ("smfq-c", "jarbin-2020", "female", 12),
    ("smfq-c", "jarbin-2020", "male", 6),
    ("smfq-p", "parent-11-unverified", None, 11),
    ("smfq-a", "eyre-2021-12", None, 12),
    ("smfq-a", "eyre-2021-10", None, 10),
    ("mfq-c", "daviss-2006-29", None, 29),
    ("mfq-c", "thabrew-2018-28", None, 28),
    ("mfq-c", "jarbin-2020-max-kappa", "female", 32),
    ("mfq-c", "jarbin-2020-max-kappa", "male", 11),
    ("mfq-p", "daviss-2006-27", None, 27),
]


@pytest.mark.parametrize(("instrument_id", "scheme", "sex", "cut"), CUTS)
def test_cutoff_on_both_sides(instrument_id, scheme, sex, cut):
    who = Respondent(age=15, sex=sex) if sex else None
    below = score(instrument_id, answers_for(instrument_id, cut - 1), respondent=who, scheme=scheme)
    at = score(instrument_id, answers_for(instrument_id, cut), respondent=who, scheme=scheme)
    assert (below["total"].value, at["total"].value) == (cut - 1, cut)
    assert below["total"].band == "below_cutoff"
    assert at["total"].band == "at_or_above_cutoff"
    assert at.flags == ()


def test_jarbin_needs_sex_and_says_so():
    answers = answers_for("smfq-c", 8)
    for respondent in (None, Respondent(age=15)):
        result = score("smfq-c", answers, respondent=respondent, scheme="jarbin-2020")
        band = next(b for b in result["total"].bands if b.scheme == "jarbin-2020")
        assert result["total"].band is None
        assert band.reason == "scheme 'jarbin-2020' has sex-specific bands; Respondent.sex is missing"
        others = {b.scheme: b.band for b in result["total"].bands if b.scheme != "jarbin-2020"}
        assert others == {"thabrew-eyre-12": "below_cutoff", "angold-1995-8": "at_or_above_cutoff",
                          "eyre-2021-10": "below_cutoff"}  # fmt: skip
    girl = score("smfq-c", answers, respondent=Respondent(sex="female"), scheme="jarbin-2020")
    boy = score("smfq-c", answers, respondent=Respondent(sex="male"), scheme="jarbin-2020")
    assert (girl["total"].band, boy["total"].band) == ("below_cutoff", "at_or_above_cutoff")


def test_no_default_band_without_default_scheme():
    result = score("smfq-p", [2] * 13)
    assert result.scheme is None
    assert result["total"].band is None
    assert result["total"].bands[0].band == "at_or_above_cutoff"
    assert score("mfq-a", [2] * 33)["total"].bands == ()


# --- SMFQ from a long-form response ------------------------------------------------------


def test_smfq_from_long_golden():
    long_answers = [0] * 33
    for n, code in {1: 2, 2: 1, 5: 2, 14: 1, 31: 2, 3: 2, 16: 1, 33: 2}.items():
        long_answers[n - 1] = code  # 3, 16 and 33 are not SMFQ items
    short = convert("mfq-c", long_answers, to="smfq-c")
    assert short == {"1": 2, "2": 1, "3": 2, "4": 0, "5": 0, "6": 1, "7": 0, "8": 0, "9": 0, "10": 0,
                     "11": 0, "12": 0, "13": 2}  # fmt: skip
    assert score("smfq-c", short)["total"].value == 8
    assert score("mfq-c", long_answers)["total"].value == 13


@pytest.mark.parametrize(("long_id", "short_id"), PAIRS)
@given(data=st.data())
def test_smfq_from_long_equals_smfq_direct(long_id, short_id, data):
    full = get_instrument(long_id)
    long_row = data.draw(rows(full))
    answers = as_answers(long_row)
    direct = [answers[n - 1] for n in SMFQ_ITEMS]
    via_long = convert(long_id, answers, to=short_id)
    assert list(via_long.values()) == direct
    policy = data.draw(st.sampled_from([None, "prorate"]))
    assert score(short_id, via_long, missing=policy) == score(short_id, direct, missing=policy)
    by_mapping = convert(long_id, dict(zip(full.item_ids, answers, strict=True)), to=short_id)
    assert by_mapping == via_long
    array = np.array([long_row, long_row], dtype=float)
    converted = convert(long_id, array, to=short_id)
    assert converted.shape == (2, 13)
    np.testing.assert_array_equal(
        score_batch(short_id, converted)["total"],
        score_batch(short_id, array[:, [n - 1 for n in SMFQ_ITEMS]])["total"],
    )
    one_d = convert(long_id, np.array(long_row), to=short_id)
    np.testing.assert_array_equal(one_d, converted[0])


def test_convert_errors():
    with pytest.raises(ValueError, match="declares no item map from 'who5'"):
        convert("who5", [0] * 5, to="smfq-c")
    with pytest.raises(ValueError, match="declares no item map from 'mfq-p'"):
        convert("mfq-p", [0] * 34, to="smfq-c")
    bad = [0] * 33
    bad[2] = 3  # item 3 is not an SMFQ item but is still validated
    with pytest.raises(ResponseError, match="item '3'") as info:
        convert("mfq-c", bad, to="smfq-c")
    assert info.value.item_id == "3"
    with pytest.raises(ResponseError, match="answers in item order"):
        convert("mfq-c", [0] * 13, to="smfq-c")
    array = np.zeros((3, 33))
    array[1, 20] = 2.5
    with pytest.raises(ResponseError, match="row 1") as info:
        convert("mfq-c", array, to="smfq-c")
    assert info.value.item_id == "21"


def fields(instrument: Instrument) -> dict[str, object]:
    return {name: getattr(instrument, name) for name in Instrument.model_fields}


def test_item_map_is_validated():
    smfq = get_instrument("smfq-c")
    src = Source(citation="Invented for a validator test", status="unverified")
    pairs = tuple((str(n), str(k)) for k, n in enumerate(SMFQ_ITEMS, 1))
    cases = [
        (ItemMap(instrument="mfq-c", items=pairs[:-1], source=src), "must map every item"),
        (
            ItemMap(instrument="mfq-c", items=(*pairs[:-1], ("31", "12")), source=src),
            "target item ids repeat",
        ),
        (
            ItemMap(instrument="mfq-c", items=(*pairs[:-1], ("30", "13")), source=src),
            "source item ids repeat",
        ),
        (ItemMap(instrument="smfq-c", items=pairs, source=src), "cannot map from itself"),
    ]
    for link, message in cases:
        with pytest.raises(ValidationError, match=message):
            Instrument.model_validate({**fields(smfq), "derived_from": (link,)})
    twice = (smfq.derived_from[0], smfq.derived_from[0])
    with pytest.raises(ValidationError, match="item map source ids repeat"):
        Instrument.model_validate({**fields(smfq), "derived_from": twice})
    wrong = Instrument.model_validate(
        {
            **fields(smfq),
            "derived_from": (ItemMap(instrument="mfq-c", items=(("99", "1"), *pairs[1:]), source=src),),
        }
    )
    with pytest.raises(ValueError, match="names unknown items"):
        convert("mfq-c", [0] * 33, to=wrong)


# --- safety flag -------------------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", LONG)
@pytest.mark.parametrize("item_id", ["16", "17", "18", "19"])
@pytest.mark.parametrize("code", [1, 2])
def test_safety_flag_on(instrument_id, item_id, code):
    answers = dict.fromkeys(get_instrument(instrument_id).item_ids, 0)
    result = score(instrument_id, {**answers, item_id: code})
    assert result.flag_ids == ("suicidality_item_endorsed",)
    (flag,) = result.flags
    assert flag.items == (item_id,)
    assert flag.kind == "library decision"
    assert "not an MFQ rule" in flag.message


@pytest.mark.parametrize("instrument_id", LONG)
def test_safety_flag_off(instrument_id):
    instrument = get_instrument(instrument_id)
    assert score(instrument_id, [0] * len(instrument.item_ids)).flags == ()
    others = {i: (0 if i in {"16", "17", "18", "19"} else 2) for i in instrument.item_ids}
    assert score(instrument_id, others).flags == ()
    unanswered = dict.fromkeys(("16", "17", "18", "19"))
    assert score(instrument_id, unanswered).flags == ()
    batch = score_batch(
        instrument_id,
        [[0] * len(instrument.item_ids), [0] * 18 + [1] + [0] * (len(instrument.item_ids) - 19)],
    )
    np.testing.assert_array_equal(batch.flags["suicidality_item_endorsed"], [False, True])


def test_short_forms_have_no_safety_flag():
    for short_id in SHORT:
        assert get_instrument(short_id).flags == ()
    (flag,) = get_instrument("mfq-c").flags
    assert flag.source.status == "derived"
    assert "Library decision" in flag.source.citation


# --- properties --------------------------------------------------------------------------


def rows(instrument: Instrument, *, allow_missing: bool = True) -> st.SearchStrategy[list[float]]:
    values = [0.0, 1.0, 2.0] + ([math.nan] if allow_missing else [])
    return st.lists(st.sampled_from(values), min_size=len(instrument.items), max_size=len(instrument.items))


def as_answers(row: list[float]) -> list[int | None]:
    return [None if math.isnan(v) else int(v) for v in row]


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_batch_row_equals_single(instrument_id, data):
    instrument = get_instrument(instrument_id)
    array = np.array(data.draw(st.lists(rows(instrument), min_size=1, max_size=4)), dtype=float)
    sex = data.draw(st.sampled_from([None, "female", "male"]))
    policy = data.draw(st.sampled_from([None, "propagate", "prorate"]))
    batch = score_batch(instrument, array, missing=policy, respondent=Respondent(sex=sex))
    for i, row in enumerate(array):
        single = score(instrument, as_answers(list(row)), missing=policy, respondent=Respondent(sex=sex))
        assert batch.row(i) == single
        for scheme in instrument.schemes:
            assert batch.bands("total", scheme.id)[i] == next(
                b.band for b in single["total"].bands if b.scheme == scheme.id
            )


@pytest.mark.parametrize("policy", [None, "propagate", "prorate"])
@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_engine_equals_oracle(instrument_id, policy, data):
    instrument = get_instrument(instrument_id)
    answers = as_answers(data.draw(rows(instrument)))
    expected = oracle_score(instrument, answers, policy)["total"]
    got = score(instrument, answers, missing=policy)["total"].value
    assert (got is None) == (expected is None)
    if expected is not None:
        assert got == pytest.approx(float(expected), abs=1e-9)


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_value_within_range(instrument_id, data):
    instrument = get_instrument(instrument_id)
    value = score(instrument, as_answers(data.draw(rows(instrument))), missing="prorate")["total"].value
    if value is not None:
        assert 0 <= value <= instrument.scale_range("total")[1]


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_monotone_in_each_item(instrument_id, data):
    instrument = get_instrument(instrument_id)
    answers = as_answers(data.draw(rows(instrument, allow_missing=False)))
    column = data.draw(st.integers(0, len(answers) - 1))
    if answers[column] == 2:
        return
    higher = list(answers)
    higher[column] = (answers[column] or 0) + 1
    old, new = score(instrument, answers)["total"].value, score(instrument, higher)["total"].value
    assert old is not None
    assert new == old + 1


@pytest.mark.parametrize("instrument_id", IDS)
@given(data=st.data())
def test_every_value_in_exactly_one_band(instrument_id, data):
    instrument = get_instrument(instrument_id)
    high = instrument.scale_range("total")[1]
    value = data.draw(st.one_of(st.integers(0, high).map(float), st.floats(0, high, allow_nan=False)))
    for scheme in instrument.schemes:
        assert scheme.metric == "score"
        for table in scheme.cutoffs:
            assert sum(b.contains(value) for b in table.bands) == 1, (scheme.id, table.sex, value)


# --- bad input ---------------------------------------------------------------------------

BAD = [
    pytest.param(3, "is not an allowed code", id="above-2"),
    pytest.param(-1, "is not an allowed code", id="negative"),
    pytest.param(2.5, "is not a whole number", id="fraction"),
    pytest.param(True, "is not a number", id="bool"),
    pytest.param("2", "is not a number", id="string"),
    pytest.param(math.inf, "is not a finite number", id="inf"),
    pytest.param(math.nan, None, id="nan-is-missing"),
]


@pytest.mark.parametrize("instrument_id", IDS)
@pytest.mark.parametrize(("value", "message"), BAD)
def test_bad_value_names_the_item(instrument_id, value, message):
    instrument = get_instrument(instrument_id)
    answers: list[object] = [0] * len(instrument.item_ids)
    answers[-1] = value
    if message is None:
        assert score(instrument_id, answers)["total"].value is None
        return
    with pytest.raises(ResponseError, match=message) as info:
        score(instrument_id, answers)
    assert info.value.item_id == instrument.item_ids[-1]
