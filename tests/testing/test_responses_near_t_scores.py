"""``responses_near`` on a T-score scheme (issue 13, item 8b).

Before: ``responses_near("scas-c", "total")`` raised "scheme 't60' does not band the score of
scale 'total'", which said neither why nor what to do, and there was no way to aim at the SCAS
cut-off at all. Now a norm table and a respondent place the T = 60 edge on the raw score, and
without them InvalidArgument says exactly how to pair ``respondents()`` with a norm table.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from trivselscore import NormTable, Respondent, get_instrument, score
from trivselscore.definitions.model import Source
from trivselscore.definitions.norms import Norm
from trivselscore.strategies import respondents, responses_near
from trivselscore.testing.targets import t_score_targets

SCAS_C = get_instrument("scas-c")
SCAS_P = get_instrument("scas-p")
BOY = Respondent(age=13, sex="male")  # Nauta 2004 boys 12-18: total 11.8 (SD 8.3) -> T = 60 at 20.1
REACH = settings(
    max_examples=500, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)
)
# an illustrative child table (not real norms): T = 60 at raw 30 for everyone
CHILD_TABLE = NormTable(
    id="example",
    label="illustrative child norms",
    population="none (a test table)",
    source=Source(citation="test table, not a norm", status="unverified"),
    rows=tuple(Norm(scale=s, mean=20.0, sd=10.0) for s in SCAS_C.scale_ids),
)


def test_scas_c_without_norms_says_how_to_pair_respondents_and_a_norm_table():
    with pytest.raises(InvalidArgument) as info:
        responses_near("scas-c", "total")
    message = str(info.value)
    assert "scheme 't60' of scas-c bands the T-score" in message
    assert "ships no norm table" in message
    assert "norms=NormTable(...)" in message
    assert "respondent=Respondent(age=..., sex=...)" in message
    assert "respondents(...).flatmap(lambda person: responses_near('scas-c', 'total'" in message
    assert "does not band the score" not in message


def test_scas_p_without_a_respondent_says_the_edge_depends_on_the_norm_group():
    with pytest.raises(InvalidArgument, match="depends on the respondent's norm group in 'nauta-2004'"):
        responses_near("scas-p", "total")


@given(responses_near("scas-p", "total", respondent=BOY))
def test_scas_p_answers_land_either_side_of_t60_for_the_respondent(answers):
    total = score("scas-p", answers, respondent=BOY)["total"]
    assert (total.value, total.band) in {(20, "normal"), (21, "elevated")}


def test_both_sides_of_t60_are_reached():
    strategy = responses_near("scas-p", "total", respondent=BOY)
    for band in ("normal", "elevated"):

        def in_band(answers: dict[str, int], band: str = band) -> bool:
            return score("scas-p", answers, respondent=BOY)["total"].band == band

        found = find(strategy, in_band, settings=REACH)
        assert score("scas-p", found, respondent=BOY)["total"].band == band


@given(responses_near(SCAS_C, "total", norms=CHILD_TABLE, respondent=Respondent(age=10)))
def test_a_given_norm_table_places_the_child_edges(answers):
    total = score(SCAS_C, answers, norms=CHILD_TABLE)["total"]
    assert (total.value, total.band) in {(29, "normal"), (30, "elevated")}  # T = 60 at 20 + 10


def _with_answers(person: Respondent) -> st.SearchStrategy[tuple[Respondent, dict[str, int]]]:
    return st.tuples(st.just(person), responses_near("scas-p", "total", respondent=person))


@given(
    respondents(min_age=6, max_age=18, allow_missing_age=False, sexes=("female", "male")).flatmap(
        _with_answers
    )
)
def test_respondents_pair_with_responses_near(pair):
    person, answers = pair
    total = score("scas-p", answers, respondent=person)["total"]
    assert total.value in t_score_targets(SCAS_P, "total", SCAS_P.scheme("t60"), SCAS_P.norms[0], person)
    t = total.t_score
    assert t is not None
    assert (t < 60) == (total.band == "normal")
    # within one raw point of the edge: one raw point is 10 / SD T-points
    sd = next(
        r.sd
        for r in SCAS_P.norms[0].rows
        if r.scale == "total"
        and r.sex == person.sex
        and r.min_age is not None
        and r.max_age is not None
        and r.min_age <= (person.age or 0) <= r.max_age
    )
    assert abs(t - 60) <= 10 / sd


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"respondent": Respondent(age=30, sex="male")}, "covers .* only"),
        ({"respondent": Respondent(sex="male")}, "Respondent.age is missing"),
        ({"respondent": Respondent(age=13)}, "Respondent.sex is missing"),
        ({"respondent": BOY, "norms": "no-such-table"}, "no norm table 'no-such-table'"),
        ({"respondent": {"age": 13}}, "respondent must be a Respondent"),
    ],
)
def test_t_score_arguments_are_checked(kwargs, match):
    with pytest.raises(InvalidArgument, match=match):
        responses_near("scas-p", "total", **kwargs)


@pytest.mark.parametrize("kwargs", [{"respondent": BOY}, {"norms": CHILD_TABLE}])
def test_respondent_and_norms_are_refused_for_a_scheme_on_the_score(kwargs):
    with pytest.raises(InvalidArgument, match="bands the score itself"):
        responses_near("who5", "percentage", **kwargs)


def test_score_scheme_repr_is_unchanged():
    assert repr(responses_near("who5", "percentage")) == (
        "responses_near(instrument='who5', scale='percentage', scheme='risk')"
    )
