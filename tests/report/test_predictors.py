"""Who improves (``[[predictors]]``): odds ratios checked against statsmodels fitted on pandas (issue 23).

The realistic export (``tests/report/exports.py``) is scored again in pandas
(WHO-5: the sum of the five answers times 4, only when all five are given),
fremgang is a change of at least 10 points (WHO-5's documented minimal important
change, the report's default), the small municipality's young people are left out
by the rule (fewer than 5, or without both outcomes), and statsmodels fits the
model from that frame: the report's HTML and Excel file print the same n and odds
ratios. Small categories are merged, or left out, and said so; bad keys are one line.
"""

from __future__ import annotations

import contextlib
import io
import math
from pathlib import Path

import numpy as np
import openpyxl  # type: ignore[import-untyped]
import pandas as pd
import pytest

from tests.report.exports import ExportSpec, make_export, write_csv
from tests.report.pages import Page, plain
from trivselscore.cli.commands import main
from trivselscore.report.config import ConfigError, parse_config
from trivselscore.report.predictors import predictors_grid
from trivselscore.study import Release, Study
from trivselscore.study.groups import merge_small

sm = pytest.importorskip("statsmodels.api")

ITEMS = [f"WHO5_{i}" for i in range(1, 6)]
STUDY = """
title = "Evaluering"
time_points = ["Start", "Midtvejs", "Afslutning", "Opfølgning"]
comparisons = [["Start", "Afslutning"]]
[columns]
person = "Deltager-ID"
time = "Tidspunkt"
groups = ["Forløbstype"]
sex = "Køn"
[measures.who5]
instrument = "who5"
[measures.who5.columns]
"1" = "WHO5_1"
"2" = "WHO5_2"
"3" = "WHO5_3"
"4" = "WHO5_4"
"5" = "WHO5_5"
[[predictors]]
measure = "who5"
start = "Start"
end = "Afslutning"
covariates = ["Forløbstype", "Køn", "Kommune", "Alder"]
"""


def _run(tmp_path: Path, data: Path, study: str = STUDY) -> tuple[int, str]:
    (tmp_path / "STUDY.toml").write_text(study, encoding="utf-8")
    args = ["report", str(data), "--study", str(tmp_path / "STUDY.toml"), "--decimal", ","]
    args += ["-o", str(tmp_path / "r.html"), "--xlsx", str(tmp_path / "r.xlsx")]
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(args)
    return code, err.getvalue()


def _independent(csv: Path) -> tuple[pd.DataFrame, object]:
    """The model's frame and fit, from the raw CSV with pandas and statsmodels only."""
    frame = pd.read_csv(csv, sep=";", encoding="cp1252", decimal=",", dtype={"Deltager-ID": str})
    complete = frame[ITEMS].notna().all(axis=1)
    frame = frame[["Deltager-ID", "Tidspunkt", "Forløbstype", "Køn", "Kommune", "Alder"]].assign(
        score=np.where(complete, frame[ITEMS].sum(axis=1) * 4, np.nan)
    )
    start = frame[frame["Tidspunkt"] == "Start"].set_index("Deltager-ID")
    end = frame[frame["Tidspunkt"] == "Afslutning"].set_index("Deltager-ID")
    data = start[["score", "Forløbstype", "Køn", "Kommune", "Alder"]].join(end["score"].rename("score_end"))
    data = data.dropna()
    data["y"] = (data["score_end"] - data["score"] >= 10).astype(float)
    sizes = data.groupby("Kommune")["y"].agg(["size", "sum"])
    fine = sizes[(sizes["size"] >= 5) & (sizes["sum"] > 0) & (sizes["sum"] < sizes["size"])].index
    data = data[data["Kommune"].isin(fine)]
    design = pd.DataFrame(
        {
            "score": data["score"],
            "track": (data["Forløbstype"] == "Individuelt forløb").astype(float),
            "boy": (data["Køn"] == "Dreng").astype(float),
            "vejle": (data["Kommune"] == "Vejle").astype(float),
            "age": data["Alder"],
        }
    )
    return data, sm.Logit(data["y"], sm.add_constant(design)).fit(disp=0)


@pytest.fixture(scope="module")
def export_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(make_export(ExportSpec()), tmp_path_factory.mktemp("p") / "data.csv")


def test_the_odds_ratios_equal_statsmodels_on_pandas_in_html_and_excel(tmp_path, export_csv):
    code, err = _run(tmp_path, export_csv)
    assert code == 0, err
    data, fitted = _independent(export_csv)
    page = Page((tmp_path / "r.html").read_text(encoding="utf-8"))
    table = next(t for t in page.tables if "hvem får fremgang" in t.caption)
    assert table.head == ["variabel", "n", "odds ratio (95 % CI)", "p"]
    rows = {line[0]: line for line in table.body}
    assert rows["unge i modellen (med et fuldstændigt par)"][1] == str(len(data))
    assert rows["heraf med fremgang"][1] == str(int(data["y"].sum()))
    names = {
        "procentscore ved Start (pr. point)": "score",
        "Forløbstype: Individuelt forløb": "track",
        "køn: drenge/mænd": "boy",
        "Kommune: Vejle": "vejle",
        "Alder (pr. enhed)": "age",
    }
    bounds = fitted.conf_int()  # type: ignore[attr-defined]
    for label, name in names.items():
        value, low, high = (math.exp(x) for x in (fitted.params[name], *bounds.loc[name]))  # type: ignore[attr-defined]
        assert plain(rows[label][2]) == f"{value:.2f} ({low:.2f} to {high:.2f})"
    assert rows["Forløbstype: Gruppeforløb"][1:3] == [
        str((data["Forløbstype"] == "Gruppeforløb").sum()),
        "1 (referencegruppe)",
    ]
    assert "Kommune: 'Ærø' er udeladt af modellen" in table.foot
    assert table.foot.startswith("Sådan læses tabellen: en odds ratio over 1 betyder")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["model 1"]
    cells = {r[0]: r for r in sheet.iter_rows(values_only=True) if r[0] in names}
    for label, name in names.items():
        assert cells[label][2] == pytest.approx(math.exp(fitted.params[name]), rel=1e-6)  # type: ignore[attr-defined]
        assert cells[label][3] == pytest.approx(math.exp(bounds.loc[name].iloc[0]), rel=1e-6)


def _tiny(levels: list[str], improved: list[bool]) -> Study:
    rows = []
    for p, (level, better) in enumerate(zip(levels, improved, strict=True)):
        for t, answer in (("start", 2), ("end", 4 if better else 2)):
            rows.append({"id": p, "t": t, "gruppe": level, "alder": 14 + p % 5, "spor": "ab"[p % 2]})
            rows[-1] |= {f"who5_{i}": answer if i < 4 else p % 3 for i in range(1, 6)}
    return Study.from_long(
        rows,
        instruments={"who5": "who5"},
        time_points=["start", "end"],
        person="id",
        time="t",
        groups=["spor"],
    )


def test_small_categories_are_merged_or_left_out_and_said_so():
    levels = ["a"] * 12 + ["b"] * 12 + ["c"] * 3 + ["d"] * 3 + ["e"] * 2
    improved = [i % 2 == 0 for i in range(32)]
    report = _tiny(levels, improved).predictors(
        "start", "end", measure="who5", scale="raw", covariates=["gruppe"]
    )
    said = [(m.covariate, m.action, m.levels) for m in report.merged]
    assert said == [("gruppe", "merged", ("c", "d", "e"))]
    assert [(lv.level, lv.n.value) for lv in report.levels] == [("a", 12), ("b", 12), ("c + d + e", 8)]
    assert report.n.value == 32
    alone = ["a"] * 12 + ["b"] * 12 + ["c"] * 3
    report = _tiny(alone, improved[:27]).predictors(
        "start", "end", measure="who5", scale="raw", covariates=["gruppe"]
    )
    assert [(m.action, m.levels) for m in report.merged] == [("left_out", ("c",))]
    assert report.n.value == 24
    assert report.excluded is not None
    assert report.excluded.note == "<5"  # 3 pairs left out: a small count, hidden
    one = ["a"] * 12 + ["b"] * 3
    report = _tiny(one, improved[:15]).predictors(
        "start", "end", measure="who5", scale="raw", covariates=["gruppe"]
    )
    assert [(m.action, m.levels) for m in report.merged] == [("left_out", ("b",)), ("dropped", ())]
    assert [t.term for t in report.terms] == ["raw (start)"]
    assert "er udeladt af modellen (færre end to grupper at sammenligne)" in report.table("da")


def test_a_category_where_everyone_improved_is_not_estimated():
    levels = ["a"] * 10 + ["b"] * 10 + ["c"] * 6
    improved = [i % 2 == 0 for i in range(20)] + [True] * 6
    report = _tiny(levels, improved).predictors(
        "start", "end", measure="who5", scale="raw", covariates=["gruppe"]
    )
    assert [(m.action, m.levels) for m in report.merged] == [("left_out", ("c",))]
    assert all(math.isfinite(t.odds_ratio.value or 0) for t in report.terms)


def test_the_merging_is_repeated_until_every_category_fits():
    outcome = np.array([True, False] * 10)
    first = ["x"] * 10 + ["y"] * 10
    second = ["p"] * 6 + ["q"] * 4 + ["p"] * 6 + ["q"] * 4
    grouped, used, said = merge_small({"a": first, "b": second}, np.ones(20, dtype=bool), outcome, 5)
    assert [lv.label for lv in grouped["a"]] == ["x", "y"]
    assert [lv.label for lv in grouped["b"]] == ["p", "q"]
    assert int(used.sum()) == 20
    assert said == []


def test_the_release_protects_the_model_with_the_change_table():
    levels = ["a"] * 12 + ["b"] * 12 + ["c"] * 3
    study = _tiny(levels, [i % 2 == 0 for i in range(27)])
    release = Release(study, min_cell=5)
    change = release.change("start", "end", scales={"who5": ["raw"]}, method="difference")
    model = release.predictors("start", "end", measure="who5", scale="raw", covariates=["gruppe"])
    release.close()
    assert change().rows[0].pairs.value == 27
    made = model()
    assert made.n.value is None  # 27 pairs shown, 3 left out: n = 24 would give the 3 away
    assert made.excluded is not None
    assert made.excluded.suppressed


BAD = [
    ('measure = "x"\nstart = "a"\nend = "b"', "predictors.0.measure: 'x' is not in measures"),
    (
        'measure = "who5"\nscale = "total"\nstart = "a"\nend = "b"',
        "predictors.0.scale: 'total' is not a scale",
    ),
    ('measure = "who5"\nstart = "a"\nend = "c"', "predictors.0.end: 'c' is not in time_points"),
    ('measure = "who5"\nstart = "a"\nend = "a"', "predictors.0: start and end are both 'a'"),
    ('measure = "who5"\nstart = "a"\nend = "b"\ncovariates = ["k", "k"]', "'k' is listed twice"),
    ('measure = "who5"\nstart = "a"', "key 'predictors.0.end' is missing"),
    (
        'measure = "who5"\nstart = "a"\nend = "b"\ncovariate = ["k"]',
        "key 'predictors.0.covariate' is not allowed",
    ),
]


@pytest.mark.parametrize(("extra", "message"), BAD)
def test_a_bad_predictors_key_is_one_line_naming_it(extra, message):
    base = 'title = "t"\ntime_points = ["a", "b"]\n[columns]\nperson = "p"\ntime = "t"\n'
    base += '[measures.who5]\ninstrument = "who5"\n[[predictors]]\n'
    with pytest.raises(ConfigError) as caught:
        parse_config(base + extra)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_covariate_not_in_the_export_is_one_line(tmp_path, export_csv):
    code, err = _run(tmp_path, export_csv, STUDY.replace('"Alder"]', '"Uddannelse"]'))
    assert code == 2
    line = err.strip().splitlines()[-1]
    assert line.startswith(
        "trivselscore: error: STUDY.toml predictors.0.covariates names column 'Uddannelse'"
    )


def test_the_analysts_guide_documents_the_keys_with_examples():
    """The full STUDY.toml of docs/analysts.md has both kinds of block; each snippet parses on its head."""
    text = (Path(__file__).parents[2] / "docs" / "analysts.md").read_text(encoding="utf-8")
    blocks = [b.split("\n", 1)[1] for b in text.split("```")[1::2] if b.startswith("toml")]
    full = next(b for b in blocks if b.startswith('title = "Evaluering'))
    config = parse_config(full)
    assert [m.covariates for m in config.predictors] == [("forløb", "køn", "alder")]
    assert [q.answers for q in config.questions] == [("enig", "delvis enig", "uenig"), ("ja", "nej")]
    head = full.split("[[predictors]]")[0]
    for snippet in (b for b in blocks if b.startswith(("[[predictors]]", "[[questions]]"))):
        assert parse_config(head + snippet).title == "Evaluering af Sammen på sporet"
    assert "img/report-analyses.png" in text
    assert (Path(__file__).parents[2] / "docs" / "img" / "report-analyses.png").stat().st_size > 10_000


def test_a_model_with_too_few_improved_is_not_shown_and_says_why():
    levels = ["a"] * 12 + ["b"] * 12
    report = _tiny(levels, [i % 8 == 0 for i in range(24)]).predictors(
        "start", "end", measure="who5", scale="raw", covariates=["gruppe", "alder"]
    )
    assert all(t.odds_ratio.suppressed for t in report.terms)
    grid = predictors_grid(report, "en")
    assert "The model is not shown: fewer than 5 young people with, or without, fremgang" in grid.notes[1]
    assert [line[3] for line in grid.body] == [""] * len(grid.body)
    assert grid.body[4][0] == "gruppe: a"  # the reference first, with its n
    assert [line[0] for line in grid.body[-2:]] == ["gruppe: b", "alder (per unit)"]


def test_a_start_score_that_separates_the_outcome_is_not_fitted():
    rows = []
    for p in range(30):
        answer = p % 6
        for t, value in (("start", answer), ("end", answer + 2 if answer < 3 else answer)):
            rows.append({"id": p, "t": t, **{f"who5_{i}": min(value, 5) for i in range(1, 6)}})
    study = Study.from_long(
        rows, instruments={"who5": "who5"}, time_points=["start", "end"], person="id", time="t"
    )
    report = study.predictors("start", "end", measure="who5", scale="raw", covariates=[])
    assert report.improved.value == 15
    assert report.terms[0].odds_ratio.value is None
    assert "kunne ikke estimeres" in predictors_grid(report, "da").notes[1]
