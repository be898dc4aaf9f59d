"""The SDQ Added Value score (youthinmind; Ford et al. 2009), worked by hand from the published formula.

    AV = 2.3 + 0.8 x total(start) + 0.2 x impact(start) - 0.3 x emotional(start) - total(end)

SD 5, so the default cut is |AV| > 1.96 x 5 = 9.8 (one person's 95% interval, "about +-10" on
sdqinfo). The formula is published for the parent SDQ (sdqinfo.com e10: baseline from the
standard parent version, follow-up from the follow-up parent version); every other version is
refused. Sources: /work/shared/reference/external-checks.md "Found 2026-12-06" and sdqinfo.com.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore import classify_change, classify_changes, get_instrument, score, score_batch
from trivselscore.change.rule import published_added_value
from trivselscore.definitions.model import Weight
from trivselscore.errors import ChangeInputError, ChangeParameterError
from trivselscore.study import Study, Versions

PARENT = "sdq-p4-17"

# (total start, impact start, emotional start, total end) -> AV and category, worked by hand
GOLDEN = [
    ((20, 4, 6, 15), 2.3, "status_quo"),  # 2.3 + 16 + 0.8 - 1.8 - 15
    ((20, 4, 6, 5), 12.3, "improvement"),  # 2.3 + 16 + 0.8 - 1.8 - 5
    ((10, 0, 2, 20), -10.3, "decline"),  # 2.3 + 8 + 0 - 0.6 - 20
    ((15, 0, 5, 3), 9.8, "status_quo"),  # 2.3 + 12 - 1.5 - 3: at the cut, not beyond it
    ((15, 0, 5, 2), 10.8, "improvement"),
    ((5, 4, 3, 16), -9.8, "status_quo"),  # 2.3 + 4 + 0.8 - 0.9 - 16
    ((5, 4, 3, 17), -10.8, "decline"),
    ((0, 0, 0, 0), 2.3, "status_quo"),
    ((40, 10, 10, 0), 33.3, "improvement"),  # 2.3 + 32 + 2 - 3
    ((0, 0, 0, 40), -37.7, "decline"),
]


@pytest.mark.parametrize(("values", "added", "category"), GOLDEN)
def test_golden_cases(values, added, category):
    total, impact, emotional, end = values
    result = classify_change(
        PARENT, "total", total, end, method="added_value", baseline={"impact": impact, "emotional": emotional}
    )
    assert result.added_value == pytest.approx(added, abs=1e-9)
    assert result.category == category
    assert result.change == end - total
    assert result.rule.threshold == 9.8


@pytest.mark.parametrize(
    ("values", "z", "category"),
    [((20, 4, 6, 15), 0, "improvement"), ((5, 0, 1, 6), 0, "status_quo"), ((5, 0, 1, 7), 0, "decline")],
)
def test_z_zero_is_better_or_worse_than_predicted(values, z, category):
    total, impact, emotional, end = values  # (5, 0, 1, 6): 2.3 + 4 - 0.3 - 6 = 0
    result = classify_change(
        PARENT,
        "total",
        total,
        end,
        method="added_value",
        z=z,
        baseline={"impact": impact, "emotional": emotional},
    )
    assert result.category == category


def _answers(emotional: int, total: int, impact_items: int) -> dict[str, int]:
    """Parent SDQ answers with the given emotional and total scores and impact (ebddiff = 1)."""
    answers = dict.fromkeys(get_instrument(PARENT).item_ids, 0)
    emotional_items = ["3", "8", "13", "16", "24"]
    for k, item in enumerate(emotional_items):
        answers[item] = min(2, max(0, emotional - 2 * k))
    rest = total - emotional
    for k, item in enumerate(["2", "10", "15", "6", "19", "23", "5", "12", "18", "22"]):  # unreversed items
        answers[item] = min(2, max(0, rest - 2 * k))
    for item in ("7", "11", "14", "21", "25"):  # reversed: 2 scores 0
        answers[item] = 2
    answers["ebddiff"] = 1
    for k, item in enumerate(["distres", "imphome", "impfrie", "impclas", "impleis"]):
        answers[item] = 3 if k < impact_items else 0  # "a great deal" scores 2
    return answers


def test_scores_carry_their_baseline():
    start = score(PARENT, _answers(emotional=6, total=20, impact_items=2))
    end = score(PARENT, _answers(emotional=2, total=5, impact_items=0))
    assert (start["total"].value, start["impact"].value, start["emotional"].value) == (20, 4, 6)
    result = classify_change(PARENT, "total", start, end, method="added_value")
    assert result.added_value == pytest.approx(12.3)
    assert result.category == "improvement"
    batch = classify_changes(
        PARENT,
        "total",
        score_batch(PARENT, [list(_answers(6, 20, 2).values())]),
        [5],
        method="added_value",
    )
    assert batch.added_value.tolist() == pytest.approx([12.3])
    assert list(batch.baseline) == ["impact", "emotional"]


values = st.one_of(st.none(), st.integers(0, 40))
small = st.one_of(st.none(), st.integers(0, 10))


@given(
    st.lists(st.tuples(values, small, small, values), min_size=1, max_size=30), st.sampled_from([0, 1, 1.96])
)
def test_batch_equals_one_at_a_time_and_the_formula(rows, z):
    totals, impacts, emotionals, ends = (list(c) for c in zip(*rows, strict=True))
    baseline = {"impact": impacts, "emotional": emotionals}
    batch = classify_changes(PARENT, "total", totals, ends, method="added_value", z=z, baseline=baseline)
    for i, (total, impact, emotional, end) in enumerate(rows):
        single = classify_change(
            PARENT,
            "total",
            total,
            end,
            method="added_value",
            z=z,
            baseline={"impact": impact, "emotional": emotional},
        )
        assert batch.row(i) == single
        if None in (total, impact, emotional, end):
            assert single.category is None
            assert single.added_value is None
            continue
        by_hand = 2.3 + 0.8 * total + 0.2 * impact - 0.3 * emotional - end
        assert single.added_value == pytest.approx(by_hand, abs=1e-9)
        cut = 5 * z
        expected = (
            "improvement" if by_hand > cut + 1e-9 else "decline" if by_hand < -cut - 1e-9 else "status_quo"
        )
        assert single.category == expected
    counts = batch.counts()
    assert sum(counts.values()) == len(rows)


def test_missing_baseline_is_named():
    result = classify_change(
        PARENT, "total", 20, 15, method="added_value", baseline={"impact": None, "emotional": 3}
    )
    assert result.category is None
    assert result.reason == "baseline impact is missing"
    both = classify_change(
        PARENT, "total", None, 15, method="added_value", baseline={"impact": None, "emotional": None}
    )
    assert both.reason == "before and baseline impact and baseline emotional are missing"


@pytest.mark.parametrize("version", ["sdq-s11-17", "sdq-t4-17", "sdq-p2-4", "sdq-s18"])
def test_other_sdq_versions_are_refused(version):
    informant = get_instrument(version).informant
    with pytest.raises(ChangeParameterError) as raised:
        classify_change(
            version, "total", 20, 15, method="added_value", baseline={"impact": 1, "emotional": 1}
        )
    assert str(raised.value) == (
        f"{version}/total ({informant} report) has no published Added Value formula; method 'added_value' is "
        "published for sdq-p4-17/total only (youthinmind, Ford et al. 2009: the parent SDQ)"
    )


@pytest.mark.parametrize(
    ("instrument", "scale"), [(PARENT, "emotional"), (PARENT, "impact"), ("who5", "percentage")]
)
def test_other_scales_are_refused(instrument, scale):
    with pytest.raises(ChangeParameterError, match="has no published Added Value formula"):
        classify_change(instrument, scale, 5, 5, method="added_value")


def test_published_for_the_parent_total_only():
    assert published_added_value() == ["sdq-p4-17/total"]
    formula = get_instrument(PARENT).scale("total").added_value
    assert formula is not None
    assert formula.source.status == "verified-secondary"
    assert formula.source.doi == "10.1192/bjp.bp.108.052373"
    assert "Br J Psychiatry 2009;194(6):552-558" in formula.source.citation
    assert "sdqinfo" in formula.source.citation
    assert (formula.intercept, formula.weights, formula.sd) == (
        2.3,
        (
            Weight(scale="total", weight=0.8),
            Weight(scale="impact", weight=0.2),
            Weight(scale="emotional", weight=-0.3),
        ),
        5.0,
    )


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: classify_change(PARENT, "total", 20, 15, method="added_value"),
            ChangeParameterError,
            (
                "method 'added_value' needs the baseline impact and emotional score(s) of sdq-p4-17: "
                "pass before= as a Score or BatchScores, or baseline={'impact': ..., 'emotional': ...}"
            ),
        ),
        (
            lambda: classify_change(PARENT, "total", 20, 15, method="added_value", baseline={"impact": 1}),
            ChangeParameterError,
            "method 'added_value' needs the baseline impact and emotional",
        ),
        (
            lambda: classify_change(
                PARENT,
                "total",
                20,
                15,
                method="added_value",
                baseline={"impact": 1, "emotional": 1, "peer": 1},
            ),
            ChangeParameterError,
            "baseline= names ['peer']; the sdq-p4-17 formula needs ['impact', 'emotional']",
        ),
        (
            lambda: classify_change(PARENT, "total", 20, 15, method="difference", baseline={"impact": 1}),
            ChangeParameterError,
            "baseline= is used by method 'added_value' only, not by 'difference'",
        ),
        (
            lambda: classify_change(PARENT, "total", 20, 15, method="added_value", baseline=[1, 2]),  # type: ignore[arg-type]
            ChangeParameterError,
            "baseline= must be a mapping of scale id -> values, not list",
        ),
        (
            lambda: classify_change(PARENT, "total", 20, 15, method="added_value", z=-1, baseline={}),
            ChangeParameterError,
            "z must be >= 0, not -1.0",
        ),
        (
            lambda: classify_change(PARENT, "total", 20, 15, method="added_value", tolerance=1),
            ChangeParameterError,
            "method 'added_value' does not use ['tolerance']; it takes ['z']",
        ),
        (
            lambda: classify_change(
                PARENT, "total", 20, 15, method="added_value", baseline={"impact": 11, "emotional": 1}
            ),
            ChangeInputError,
            "baseline impact: 11 is outside the range of sdq-p4-17/impact, 0-10",
        ),
        (
            lambda: classify_changes(
                PARENT,
                "total",
                [20, 20],
                [15, 15],
                method="added_value",
                baseline={"impact": [1], "emotional": [1, 1]},
            ),
            ChangeInputError,
            "before has 2 values but baseline impact has 1",
        ),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error) as raised:
        call()
    assert str(raised.value).startswith(message)


def test_describe_and_frame():
    batch = classify_changes(
        PARENT,
        "total",
        [20, 10],
        [5, 20],
        method="added_value",
        baseline={"impact": [4, 0], "emotional": [6, 2]},
    )
    text = batch.rule.describe()
    assert text.startswith(
        "sdq-p4-17/total (lower is better): Added Value, AV = 2.3 + 0.8 x total (start) + 0.2 x impact "
        "(start) - 0.3 x emotional (start) - total (end); better than predicted if AV > 9.8, "
        "worse if AV < -9.8 (z 1.96 x SD 5;"
    )
    assert "doi:10.1192/bjp.bp.108.052373" in text
    frame = batch.to_frame()
    assert list(frame.columns) == [
        "before",
        "after",
        "change",
        "baseline_impact",
        "baseline_emotional",
        "added_value",
        "category",
    ]
    assert frame["added_value"].round(6).tolist() == [12.3, -10.3]
    assert repr(batch.row(0)) == "ChangeResult(sdq-p4-17/total: 20 -> 5, change -15, AV 12.3, improvement)"


# --- the Study ------------------------------------------------------------------------------


def _parent_rows(n: int = 90, seed: int = 4, *, impact: bool = True) -> list[dict[str, object]]:
    """Parent SDQ answers at two time points; some starts lack the impact supplement."""
    rng = np.random.default_rng(seed)
    instrument = get_instrument(PARENT)
    rows = []
    for p in range(n):
        for t, label in enumerate(("start", "slut")):
            if t == 1 and rng.random() < 0.15:
                continue
            row: dict[str, object] = {"id": f"P{p}", "tid": label, "spor": "a" if p % 3 else "b"}
            chance = 0.5 - 0.15 * t + 0.2 * rng.standard_normal()
            for item in instrument.items:
                if item.id in {"fuchange", "fuhelp", "chronic", "burden"}:
                    continue
                supplement = item.id in {"ebddiff", "distres", "imphome", "impfrie", "impclas", "impleis"}
                if supplement and (not impact or (t == 0 and p % 11 == 0)):
                    row[f"sdq_{item.id}"] = None
                    continue
                row[f"sdq_{item.id}"] = int(rng.binomial(max(item.codes), min(max(chance, 0.05), 0.95)))
            rows.append(row)
    return rows


def _study(rows: list[dict[str, object]], **options: object) -> Study:
    return Study.from_long(
        rows,
        instruments={"sdq": PARENT},
        time_points=["start", "slut"],
        person="id",
        time="tid",
        groups=["spor"],
        **options,  # type: ignore[arg-type]
    )


def test_study_change_equals_a_hand_computation():
    study = _study(_parent_rows())
    report = study.change(
        "start", "slut", by=["spor"], method="added_value", scales={"sdq": ["total"]}, min_cell=1
    )
    frame = pd.DataFrame(
        {
            "total0": study.values("sdq", "total")[:, 0],
            "total1": study.values("sdq", "total")[:, 1],
            "impact0": study.values("sdq", "impact")[:, 0],
            "emotional0": study.values("sdq", "emotional")[:, 0],
            "spor": study.group_values("spor"),
        }
    )
    frame["av"] = 2.3 + 0.8 * frame.total0 + 0.2 * frame.impact0 - 0.3 * frame.emotional0 - frame.total1
    usable = frame.dropna(subset=["total0", "total1", "impact0", "emotional0"])
    assert len(usable) < frame.dropna(subset=["total0", "total1"]).shape[0]  # some starts lack impact
    for row in report.rows:
        part = usable if row.group == "all" else usable[usable.spor == row.group]
        assert row.pairs.value == len(part)
        assert row.added_value is not None
        assert row.added_value.value == pytest.approx(part.av.mean())
        assert row.added_value_effect is not None
        assert row.added_value_effect.value == pytest.approx(part.av.mean() / 5)
        counts = {c.key: c.count.value for c in row.categories}
        assert counts["improvement"] == int((part.av > 9.8 + 1e-9).sum())
        assert counts["decline"] == int((part.av < -9.8 - 1e-9).sum())
        parts = [c.value for c in (row.pairs, row.start_only, row.end_only, row.neither)]
        assert row.persons.value == sum(int(v or 0) for v in parts)
    frame_out = report.to_frame()
    assert {"added_value", "added_value_low", "added_value_effect"} <= set(frame_out.columns)
    plain = study.change("start", "slut", method="difference", scales={"sdq": ["total"]})
    assert "added_value" not in plain.to_frame().columns


def test_study_refuses_an_sdq_without_the_impact_supplement():
    rows = _parent_rows(n=30, impact=False)
    for row in rows:
        for item in ("ebddiff", "distres", "imphome", "impfrie", "impclas", "impleis"):
            row.pop(f"sdq_{item}")
    study = _study(
        rows,
        columns={"sdq": dict.fromkeys(("ebddiff", "distres", "imphome", "impfrie", "impclas", "impleis"))},
    )
    with pytest.raises(ChangeParameterError) as raised:
        study.change("start", "slut", method="added_value", scales={"sdq": ["total"]})
    assert str(raised.value) == (
        "measure 'sdq': method 'added_value' needs the impact score at the start, and the data have "
        "no column for it (the impact items were not collected); choose another method"
    )


def test_study_refuses_a_measure_with_a_version_without_the_formula():
    rows = _parent_rows(n=30)
    for row in rows:  # the published ranges (2-4, 4-17) share a year: name each row's form
        row["form"] = PARENT
    study = Study.from_long(
        rows,
        instruments={"sdq": Versions(["sdq-p2-4", PARENT], column="form")},
        time_points=["start", "slut"],
        person="id",
        time="tid",
    )
    with pytest.raises(
        ChangeParameterError, match=r"^sdq-p2-4/total \(parent report\) has no published Added Value"
    ):
        study.change("start", "slut", method="added_value", scales={"sdq": ["total"]})
    assert math.isfinite(study.values("sdq", "total")[0, 0])


# --- STUDY.toml and the report --------------------------------------------------------------

AV_TOML = """
title = "Added value"
time_points = ["start", "slut"]
comparisons = [["start", "slut"]]

[columns]
person = "id"
time = "tid"
groups = ["spor"]

[measures.sdq]
instrument = "{instrument}"

[change]
method = {{ sdq = "added_value" }}
"""


def _report(tmp_path, instrument: str = PARENT) -> tuple[int, str]:
    from trivselscore.cli.commands import main  # noqa: PLC0415 - the command line, only here

    rows = _parent_rows()
    data = tmp_path / "d.csv"
    pd.DataFrame(rows).to_csv(data, index=False, sep=";")
    study = tmp_path / "STUDY.toml"
    study.write_text(AV_TOML.format(instrument=instrument), encoding="utf-8")
    return main(["report", str(data), "--study", str(study), "-o", str(tmp_path / "r.html")]), str(data)


def test_the_report_shows_the_mean_added_value(tmp_path, capsys):
    from tests.report.pages import Page, plain  # noqa: PLC0415 - the report's page reader

    code, _ = _report(tmp_path)
    assert code == 0, capsys.readouterr().err
    page = Page((tmp_path / "r.html").read_text(encoding="utf-8"))
    table = page.table("sdq: samlede vanskeligheder, start -> slut")
    assert table.head[-2:] == ["gns. added value (95 % CI)", "effektstørrelse (AV/SD)"]
    expected = _study(_parent_rows()).change(
        "start", "slut", by=["spor"], method="added_value", scales={"sdq": ["total"]}
    )
    for i, (html_row, row) in enumerate(zip(table.body, expected.rows, strict=True)):
        texts = [row.added_value.text(), row.added_value_effect.text(digits=2)]  # type: ignore[union-attr]
        hidden = ([], [["skjult", "skjult"], ["n<5", "n<5"]])[i > 0]  # a group's pairs may be hidden
        assert [plain(c) for c in html_row[-2:]] in [texts, *hidden]
    assert "Added value: hvor meget bedre" in table.foot
    assert "AV = 2,3 + 0,8 x samlede vanskeligheder (start)" in table.foot
    assert "AV = 2,3 + 0,8 x samlede vanskeligheder (start)" in " ".join(page.text)  # the methods appendix


def test_study_toml_refuses_added_value_for_the_self_report(tmp_path, capsys):
    code, _ = _report(tmp_path, "sdq-s11-17")
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        f"trivselscore: error: {tmp_path / 'STUDY.toml'}: change.method: 'added_value' for measure 'sdq': "
        "sdq-s11-17 (self report) has no published Added Value formula; it is published for "
        "sdq-p4-17/total only\n"
    )


# --- the definition ---------------------------------------------------------------------------


def test_a_batch_built_without_its_baseline_is_refused():
    from trivselscore.change import ChangeBatch  # noqa: PLC0415
    from trivselscore.change.rule import resolve_rule  # noqa: PLC0415

    rule = resolve_rule(get_instrument(PARENT), "total", "added_value", {})
    with pytest.raises(ChangeParameterError, match="needs the baseline impact and emotional"):
        ChangeBatch(rule, np.array([20.0]), np.array([15.0]), baseline={"impact": np.array([1.0])})


def test_a_wrong_formula_fails_when_it_is_built():
    from pydantic import ValidationError  # noqa: PLC0415

    from trivselscore.definitions import AddedValue  # noqa: PLC0415

    total, other = Weight(scale="total", weight=0.8), Weight(scale="total", weight=0.2)

    formula = get_instrument(PARENT).scale("total").added_value
    assert formula is not None
    fields = formula.model_dump()
    with pytest.raises(ValidationError, match="a scale is weighted twice"):
        AddedValue.model_validate({**fields, "weights": (total, other)})
    with pytest.raises(ValidationError, match="finite number"):
        AddedValue.model_validate({**fields, "weights": ({"scale": "total", "weight": math.inf},)})
    with pytest.raises(ValidationError, match="sd"):
        AddedValue.model_validate({**fields, "sd": 0.0})
    bad = formula.model_copy(update={"weights": (total, Weight(scale="nope", weight=0.2))})
    instrument = get_instrument(PARENT)
    scales = tuple(
        s.model_copy(update={"added_value": bad}) if s.id == "total" else s for s in instrument.scales
    )
    with pytest.raises(
        ValidationError, match="the added value formula of 'total' weighs unknown scale 'nope'"
    ):
        instrument.model_copy(update={"scales": scales})


def test_a_formula_on_a_scale_where_higher_is_better():
    """AV = observed - predicted when higher is better (the sign follows the scale's direction)."""
    instrument = get_instrument(PARENT)
    formula = instrument.scale("total").added_value
    assert formula is not None
    prosocial = formula.model_copy(
        update={"weights": (Weight(scale="prosocial", weight=0.5),), "intercept": 1.0}
    )
    scales = tuple(
        s.model_copy(update={"added_value": prosocial}) if s.id == "prosocial" else s
        for s in instrument.scales
    )
    mine = instrument.model_copy(update={"id": "sdq-p-test", "scales": scales})
    result = classify_change(mine, "prosocial", 4, 9, method="added_value")
    assert result.added_value == pytest.approx(9 - (1.0 + 0.5 * 4))
    assert "AV = prosocial (end) - (1 + 0.5 x prosocial (start))" in result.rule.describe()
