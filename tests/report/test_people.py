"""The report on an export as a survey tool writes it (issue 21, items 1, 2, 3 and 5).

A generator of its own (not the shared fixtures): cp1252, ``;``, decimal commas, a track column
named ``Forløbstype``, ``Køn`` answered Pige / Dreng / Andet / Ved ikke / 9 (a code for "ønsker ikke
at svare") / blank, one person whose answer changes, an SDQ with the 25 items and no impact
supplement, MFQ answered by 13-25-year-olds with ``instrument = ["mfq-c", "mfq-a"]``, the SDQ not
given at the middle time point and the SCAS given at the start only.

Before: ``Andet`` stopped the run, the SDQ was refused for its missing impact columns, every MFQ
row got ``mfq-c``, the front page said "mfq (mfq-c, mfq-a)" and "scas: 21 udfyldt men ikke scoret"
where the tables implied 73, and comparisons were drawn for measures not measured at one of the
two time points (empty "n = 0" tables and charts).
"""

from __future__ import annotations

import contextlib
import csv
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tests.report.pages import Page, Table, plain
from trivselscore.cli.commands import main
from trivselscore.definitions.forms import holds
from trivselscore.instruments.registry import get_instrument
from trivselscore.report.build import SEX_GROUP, Content, build, make_study
from trivselscore.report.config import load_config, parse_config
from trivselscore.report.data import Export as Rows
from trivselscore.report.data import read_export
from trivselscore.report.html import render_html

TIMES = ["start", "midt", "slut"]
TRACKS = ["Samtaleforløb", "Gruppeforløb"]
SEXES = ["Pige", "Dreng", "Andet", "Ved ikke", "9", ""]
SEX_SHARES = [0.35, 0.3, 0.15, 0.08, 0.04, 0.08]
FORMS = {"who5": ("who5",), "sdq": ("sdq-s11-17",), "mfq": ("mfq-c",), "scas": ("scas-c",)}
GIVEN = {"who5": TIMES, "sdq": ["start", "slut"], "mfq": TIMES, "scas": ["start"]}
N_PERSONS = 160

STUDY_TOML = """
title = "Evaluering med en rigtig eksport"
time_points = ["start", "midt", "slut"]
comparisons = [["start", "midt"], ["start", "slut"]]

[columns]
person = "Elev-ID"
time = "Måling"
groups = ["Forløbstype"]
sex = "Køn"
age = "Alder"

[measures.who5]
instrument = "who5"

[measures.sdq]
instrument = ["sdq-s11-17", "sdq-s18"]

[measures.mfq]
instrument = ["mfq-c", "mfq-a"]

[measures.scas]
instrument = "scas-c"

[sex_codes]
"9" = "unknown"

[combined]
scales = { who5 = "percentage", sdq = "total", scas = "total" }
rule = "all"
"""


def header() -> list[str]:
    items = [
        f"{m}_{i}"
        for m, (form, *_) in FORMS.items()
        for i in get_instrument(form).item_ids
        if not (m == "sdq" and not i.isdigit())  # the 25 items only: no impact supplement
    ]
    return ["Elev-ID", "Måling", "Forløbstype", "Køn", "Alder", *items]


@dataclass(frozen=True)
class Export:
    path: Path
    ages: dict[str, float]
    """Person -> age at the start (the age a row gives is the start age + 0.4 per time point)."""


def write_export(path: Path, seed: int = 21) -> Export:
    rng = np.random.default_rng(seed)
    columns = header()
    ages = {f"U{p:03d}": float(np.round(rng.uniform(13, 25), 1)) for p in range(N_PERSONS)}
    sexes = {p: SEXES[rng.choice(len(SEXES), p=SEX_SHARES)] for p in ages}
    tracks = {p: TRACKS[int(rng.integers(2))] for p in ages}
    rows = []
    for person, start_age in ages.items():
        level = rng.normal(0, 0.8)
        for t, time in enumerate(TIMES):
            if t and rng.random() < 0.15:
                continue  # drop-out
            sex = "Andet" if person == "U000" and time == "slut" else sexes[person]
            age = f"{start_age + 0.4 * t:.1f}".replace(".", ",")
            cells = {
                "Elev-ID": person,
                "Måling": time,
                "Forløbstype": tracks[person],
                "Køn": sex,
                "Alder": age,
            }
            for measure, (form, *_) in FORMS.items():
                chance = 1 / (1 + np.exp(-(level + 0.3 * t) * (1 if measure == "who5" else -1)))
                for item in get_instrument(form).items:
                    name = f"{measure}_{item.id}"
                    if name in columns:
                        given = time in GIVEN[measure] and rng.random() > 0.02
                        answer = rng.binomial(max(item.codes), chance)
                        cells[name] = str(answer) if given else ""
            rows.append([cells.get(c, "") for c in columns])
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(rows[i] for i in rng.permutation(len(rows)))
    return Export(path, ages)


@dataclass(frozen=True)
class Run:
    code: int
    stderr: str
    page: Page
    html: str
    folder: Path
    export: Export
    study_file: Path


def run_report(folder: Path, toml: str = STUDY_TOML) -> Run:
    export = write_export(folder / "eksport.csv")
    study_file = folder / "STUDY.toml"
    study_file.write_text(toml, encoding="utf-8")
    html = folder / "rapport.html"
    capture = folder / "stderr.txt"
    args = ["report", str(export.path), "--study", str(study_file), "-o", str(html)]
    args += ["--xlsx", str(folder / "rapport.xlsx"), "--decimal", ",", "--encoding", "cp1252"]
    with capture.open("w", encoding="utf-8") as err, contextlib.redirect_stderr(err):
        code = main(args)
        sys.stderr.flush()
    text = html.read_text(encoding="utf-8") if html.exists() else ""
    return Run(code, capture.read_text(encoding="utf-8"), Page(text), text, folder, export, study_file)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    done = run_report(tmp_path_factory.mktemp("people"))
    assert done.code == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def study(run: Run):
    config = load_config(run.study_file)
    return make_study(config, read_export(run.export.path, config, encoding="cp1252", decimal=","))


def _front(run: Run) -> str:
    return " ".join(" ".join(run.page.text).split())


def _holds(text: str, truth: int) -> bool:
    """Whether a printed count is ``truth``, or a mark or range it lies in (the report is one release)."""
    text = plain(text)
    low, _, high = text.partition("-")
    if low.isdigit() and high.isdigit():
        return int(low) <= truth <= int(high)
    if text == "<5":
        return 1 <= truth <= 4
    if text == "skjult":
        return truth == 0 or truth >= 5
    return text == str(truth)


def _summary(page: Page, measure: str) -> Table:
    found = [t for t in page.tables if t.caption.startswith(f"{measure}: ") and "efter køn" not in t.caption]
    return next(t for t in found if " -> " not in t.caption)


def test_the_export_runs_as_it_comes_and_counts_everyone(run, study):
    assert study.n_persons == N_PERSONS
    assert f"Personer {N_PERSONS}" in _front(run)
    by_sex = study.summary("who5", "percentage", by=[SEX_GROUP], min_cell=0)
    assert {r.group for r in by_sex.rows} == {"all", "female", "male", "other", "unknown"}
    for time in TIMES:
        rows = [r for r in by_sex.rows if r.time == time]
        assert rows[0].rows.value == sum(r.rows.value for r in rows[1:])


def test_sex_tables_show_each_category_in_danish(run):
    table = next(
        t for t in run.page.tables if t.caption.startswith("who5: procentscore") and "efter køn" in t.caption
    )
    assert {row[1] for row in table.body} == {
        "alle",
        "piger/kvinder",
        "drenge/mænd",
        "andet køn",
        "køn uoplyst",
    }


def test_each_mfq_row_gets_the_version_its_age_calls_for(run, study):
    measure = study.measure("mfq")
    ages = measure.ages
    chosen = [measure.versions[v].id if v >= 0 else None for v in measure.version.tolist()]
    for row, version in enumerate(chosen):
        if version is not None:
            assert version == ("mfq-c" if math.floor(ages[row]) <= 17 else "mfq-a")
            assert holds(get_instrument(version), float(ages[row]))
    counts = measure.forms()
    assert counts["mfq-c"] > 0
    assert counts["mfq-a"] > 0
    found = re.search(r"mfq: mfq-c (\S+) skemaer, mfq-a (\S+) skemaer \(valgt efter alder\)", _front(run))
    assert found is not None
    assert _holds(found[1], counts["mfq-c"])
    assert _holds(found[2], counts["mfq-a"])
    assert "mfq (mfq-c, mfq-a)" not in _front(run)


def test_the_sdq_without_its_supplement_is_scored_and_impact_is_said_not_collected(run, study):
    assert list(study.measure("sdq").not_collected) == ["impact"]
    assert (
        "sdq: impact er ikke indsamlet: tillægget om vanskeligheders indvirkning (impact) "
        "findes ikke i data; ingen tabel"
    ) in _front(run)
    assert not any("impact" in t.caption for t in run.page.tables)
    assert _summary(run.page, "sdq").caption == "sdq: samlede vanskeligheder (sdq-s11-17, sdq-s18)"


def test_every_front_page_count_is_the_sum_of_the_table_cells(run, study):
    """The first page's counts hold the sums of the tables' cells (shown, or the range they lie in)."""
    front = _front(run)
    count = r"(\d+-\d+|\d+|<5|skjult)"
    for name in ("who5", "sdq", "mfq", "scas"):
        table = _summary(run.page, name)
        label = table.caption.split(": ")[1].split(" (")[0]
        scale = next(s.id for s in study.measure(name).versions[0].scales if s.label_da == label)
        truth = study.summary(name, scale, by=list(load_config(run.study_file).columns.groups), min_cell=0)
        everyone = [r for r in truth.rows if r.group == "all"]
        rows, not_given, n = (
            sum(int(getattr(r, k).value or 0) for r in everyone) for k in ("rows", "not_given", "n")
        )
        assert rows == study.n_rows  # every row of the export is in the table, at its time point
        for row, printed in zip(everyone, (r for r in table.body if r[1] == "alle"), strict=True):
            assert all(
                _holds(printed[k], int(getattr(row, c).value or 0)) for k, c in ((2, "rows"), (4, "n"))
            )
        found = re.search(rf"{name}: {count} rækker med skemaet udfyldt, {count} uden", front)
        assert found is not None, name
        assert _holds(found[1], rows - not_given)
        assert _holds(found[2], not_given)
        head = rf"{name}: [^;]*; udfyldt men ikke scoret \(for mange manglende svar\): "
        scored = re.search(rf"{head}{re.escape(label)} {count}", front)
        assert scored is not None, name
        assert _holds(scored[1], rows - not_given - n)
        versions = re.search(rf"{name}: ((?:[\w-]+ {count} skemaer(?:, )?)+)", front)
        assert versions is not None
        forms = study.measure(name).forms()
        for version, text in re.findall(rf"([\w-]+) {count} skemaer", versions[1]):
            assert _holds(text, forms[version]), (name, version, text)


def test_comparisons_only_where_the_measure_was_measured_at_both_time_points(run):
    changes = [t for t in run.page.tables if " -> " in t.caption and t.caption.split(":")[0] in FORMS]
    captions = {t.caption for t in changes}
    assert captions == {
        "who5: procentscore, start -> midt",
        "who5: procentscore, start -> slut",
        "mfq: samlet score, start -> midt",
        "mfq: samlet score, start -> slut",
        "sdq: samlede vanskeligheder, start -> slut",
    }
    for table in changes:  # pairs in the "alle" row (or the range they lie in): no empty table
        assert re.fullmatch(r"[1-9]\d*(-\d+)?", table.body[0][1]), table.body[0]
    front = _front(run)
    assert "Ingen sammenligning start -> midt: sdq blev ikke udfyldt ved midt." in front
    assert "Ingen sammenligning start -> slut: scas blev ikke udfyldt ved slut." in front
    figures = run.html.count("<figure>")
    assert figures == len(changes) + 4 + 4  # a change chart per table, a level chart per measure and by sex


def test_the_combined_criterion_only_for_measures_with_pairs(run):
    combined = [t for t in run.page.tables if "fremgang på" in t.caption]
    assert [t.caption for t in combined] == ["start -> slut: fremgang på alle af who5/percentage, sdq/total"]
    front = _front(run)
    assert "scas er udeladt af start -> slut: ikke udfyldt ved slut." in front
    assert "Intet samlet kriterium start -> midt: for få af målene har par." in front


def test_a_person_whose_answer_changes_is_grouped_by_the_first(study):
    """U000 answers ``Andet`` at the end only: one group (the first answer), each row its own answer."""
    index = list(study._layout.persons).index("U000")
    first, last = study.column_at("Køn", "start")[index], study.column_at("Køn", "slut")[index]
    assert last == "other"
    assert first != "other"
    assert study.group_values(SEX_GROUP)[index] == first


def test_study_toml_can_say_not_collected_and_a_wrong_family_stops_the_run(tmp_path):
    toml = STUDY_TOML.replace(
        'instrument = ["sdq-s11-17", "sdq-s18"]',
        'instrument = ["sdq-s11-17", "sdq-s18"]\nscales = ["total", "impact"]\nnot_collected = ["impact"]',
    )
    done = run_report(tmp_path, toml)
    assert done.code == 0, done.stderr
    chapter = done.html.split('<section class="chapter" id="m-1">')[1].split("</section>")[0]
    assert "<p>sdq: impact er ikke indsamlet:" in chapter  # asked for in STUDY.toml: said in its chapter
    assert (
        "sdq: impact er ikke indsamlet: tillægget om vanskeligheders indvirkning (impact) "
        "(oplyst i STUDY.toml)" in _front(done)
    )
    bad = run_report(tmp_path, STUDY_TOML.replace('["mfq-c", "mfq-a"]', '["mfq-c", "mfq-p"]'))
    assert bad.code == 2
    assert bad.stderr.count("\n") == 1
    assert "mfq-c (ages 6-17) and mfq-p (ages 6-17) share the ages 6-17" in bad.stderr


def _small_content(toml: str, rows: list[dict[str, object]]) -> tuple[Content, str]:
    config = parse_config(toml)
    content = build(config, make_study(config, Rows(Path("x.csv"), list(rows[0]), rows)))
    html = render_html(content, data_name="x", library="0", date="2026-01-01")
    return content, " ".join(" ".join(Page(html).text).split())


SMALL = """
title = "t"
time_points = ["start", "slut"]
comparisons = [["start", "slut"]]
[columns]
person = "id"
time = "tid"
[measures.who5]
instrument = "who5"
[measures.sdq]
instrument = "sdq-s11-17"
scales = ["total", "prosocial", "impact"]
not_collected = ["consid"]
[combined]
scales = { who5 = "percentage", sdq = "impact", smfq = "total" }
rule = 2
[measures.smfq]
instrument = "smfq-c"
"""


def test_the_combined_criterion_says_why_each_measure_is_left_out():
    rows: list[dict[str, object]] = []
    for p in range(12):
        for t in ("start", "slut"):
            row: dict[str, object] = {
                "id": f"p{p}",
                "tid": t,
                **{f"who5_{i}": 2 + (t == "slut") for i in range(1, 6)},
            }
            row |= {f"sdq_{i}": 1 for i in range(1, 26)}
            given = (p < 6) == (t == "start")  # the SMFQ: half at the start, the other half at the end
            row |= {f"smfq_{i}": 1 if given else None for i in range(1, 14)}
            rows.append(row)
    content, text = _small_content(SMALL, rows)
    assert content.combined == []
    whys = {(s.measure, s.why) for s in content.skipped if s.what == "combined"}
    assert whys == {("sdq", "not_collected"), ("smfq", "no_pairs"), ("", "too_few")}
    assert "sdq er udeladt af start -> slut: ikke indsamlet." in text
    assert "smfq er udeladt af start -> slut: ingen personer med en score ved begge tidspunkter." in text
    assert "Intet samlet kriterium start -> slut: for få af målene har par." in text
    assert "sdq: prosocial er ikke indsamlet: spørgsmål 1 (oplyst i STUDY.toml); ingen tabel" in text
    assert content.scales["sdq"] == ("total",)
    smfq = next(c for c in content.changes if any(r.measure == "smfq" for r in c.rows))
    assert all(r.pairs.value == 0 for r in smfq.rows if r.measure == "smfq")  # measured at both: shown


def test_the_methods_appendix_gives_each_version_its_age_range_and_source(run):
    text = _front(run)
    assert "mfq-a, v1) besvares af: den unge selv; alder 18-130 ( Duke lists Adult Self-Report" in text
    assert "[ikke verificeret]" in text.split("mfq-a, v1)")[1].split("kilde:")[0]
    assert "mfq-c, v1) besvares af: den unge selv; alder 6-17 ( The MFQ measures depressive symptoms" in text
