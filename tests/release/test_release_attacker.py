"""No hidden number of a report can be worked back from the whole report (issue 22).

The attacker (``tests/release/attacker.py``) reads every number one report run
prints: the tables (the grids the HTML and the Excel file are made of; a test below
checks that the files print exactly those) and the first page. It writes down every
relation a reader knows, and asks a MILP for a second whole-number solution of every
hidden cell. It must find one for every printed hidden cell, and for every count the
report does not print (start only, end only, neither, not scored, those without a
row) that is small.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.release.analyses import sheet_tables
from tests.release.attacker import Published, attack, from_content
from tests.release.studies import TIMES, small_study, toml
from tests.report.pages import Page, plain
from trivselscore.cli.commands import main
from trivselscore.report.build import build

pytest.importorskip("scipy")

SMALL_STUDIES = range(12)
"""Issue 22's attack: 12 random studies of 30-80 persons, two tracks, four time points, drop-out."""


@pytest.mark.parametrize("seed", SMALL_STUDIES)
def test_the_whole_release_pins_no_hidden_cell_of_a_small_study(seed):
    config, study, _ = small_study(seed)
    content = build(config, study)
    assert attack(config, study, from_content(content)) == []


@pytest.mark.parametrize("seed", [0, 3])
def test_the_per_table_rule_leaks_under_the_whole_release_attacker(seed):
    """Teeth: each table protected on its own (the old rule) is pinned across tables."""
    config, study, _ = small_study(seed)
    content = build(config, study, release=False)
    assert len(attack(config, study, from_content(content))) >= 5


@pytest.mark.parametrize("seed", [0, 4])
def test_a_question_protected_on_its_own_leaks_its_blanks(seed):
    """Teeth for the question tables: rows (level table) - answered pins a small 'not answered'."""
    config, study, _ = small_study(seed)
    leaks = attack(config, study, from_content(build(config, study, release=False)))
    assert any(key[0] == "Q" and key[3] == "blank" for key in leaks)  # type: ignore[index]


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    header = list(dict.fromkeys(k for r in rows for k in r))
    lines = [";".join(header)]
    lines += [";".join("" if r.get(h) is None else str(r[h]) for h in header) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_files_print_exactly_what_the_attacker_reads(tmp_path):
    """The HTML tables, the Excel sheets and the first page are the grids the attacker reads."""
    config, study, rows = small_study(1)
    _write(tmp_path / "data.csv", rows)
    measures = list(config.measures)
    (tmp_path / "STUDY.toml").write_text(toml(measures), encoding="utf-8")
    args = ["report", str(tmp_path / "data.csv"), "--study", str(tmp_path / "STUDY.toml")]
    args += ["-o", str(tmp_path / "r.html"), "--xlsx", str(tmp_path / "r.xlsx")]
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(args) == 0
    printed = from_content(build(config, study))
    page = Page((tmp_path / "r.html").read_text(encoding="utf-8"))
    tables = {
        t.caption: (t.head, [[plain(c) for c in row] for row in t.body])
        for t in page.tables
        if t.caption in printed.tables
    }
    assert tables == printed.tables
    text = plain(" ".join(" ".join(page.text).split()))
    assert f"Personer {printed.persons} Rækker {printed.rows}" in text
    for name, forms in printed.measures.items():
        assert f"{name}: {forms.given} rækker med skemaet udfyldt, {forms.not_given} uden" in text
        scored = ", ".join(f"{scale} {n}" for scale, n in forms.not_scored.items())
        assert f"udfyldt men ikke scoret (for mange manglende svar): {scored}" in text
        assert ", ".join(f"{v} {n} skemaer" for v, n in forms.versions.items()) in text
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(
        tmp_path / "r.xlsx"
    )  # its numbers are the HTML's: tests/report/test_xlsx.py
    about = [row[:2] for row in book["Om data"].iter_rows(values_only=True)]
    assert ("Personer", _typed(printed.persons)) in about
    assert ("Rækker", _typed(printed.rows)) in about
    assert [sheet.cell(1, 1).value for sheet in book.worksheets[2:]] == list(printed.tables)
    question = next(s for s in book.worksheets if s.cell(1, 1).value == config.questions[0].column)
    sheet_rows = [r for r in question.iter_rows(min_row=3, values_only=True) if r[0] in TIMES]
    html_rows = tables[config.questions[0].column][1]
    assert [list(r[:4]) for r in sheet_rows] == [[*r[:2], *map(_typed, r[2:4])] for r in html_rows]
    assert attack(config, study, Published(tables, printed.persons, printed.rows, printed.measures)) == []
    sheets = sheet_tables(book)  # the workbook's numbers, printed as the HTML prints them
    assert sheets == printed.tables
    assert attack(config, study, Published(sheets, printed.persons, printed.rows, printed.measures)) == []


def test_the_attacker_reads_the_analyses():
    """Issue 23: the flow, fremgang across measures and the paired means by sex are in the release."""
    config, study, _ = small_study(0)
    captions = list(from_content(build(config, study)).tables)
    assert "who5: procentscore - målt og frafald pr. tidspunkt" in captions
    assert "start -> slut: andel med fremgang pr. mål" in captions
    assert "who5: procentscore - efter køn, kun unge målt ved alle af start, 3 mdr" in captions


@pytest.mark.parametrize("seed", [2, 4])
def test_the_analyses_protected_on_their_own_leak_under_the_attacker(seed):
    """Teeth: the paired n by sex, protected on its own, is pinned from the other tables."""
    config, study, _ = small_study(seed)
    leaks = attack(config, study, from_content(build(config, study, release=False)))
    assert any(isinstance(k, tuple) and k[0] == "SM" for k in leaks)


def _typed(text: str) -> int | str:
    """A first-page count as the workbook holds it: a number, or its mark (or range) as text."""
    return int(text) if text.isdigit() else text


ONCE_FOUND = [
    pytest.param(113, 3, False, False, False, id="attrition next to ranged pairs"),
    pytest.param(2, 4, True, False, True, id="the first page's totals over time points"),
    pytest.param(8, 4, True, True, False, id="zeros hidden, by sex"),
    pytest.param(74853, 4, True, True, False, id="HiGHS's presolve: a false infeasible"),
    pytest.param(52682, 4, False, False, True, id="a measure not given at one time point"),
    pytest.param(882848719, 4, False, True, False, id="the same, with zeros hidden"),
    pytest.param(2, 4, True, True, True, id="a question and a model, zeros hidden"),
    pytest.param(8730, 4, True, False, False, id="no perturbation frees a paired mean's rest: greedy"),
    pytest.param(53996074, 3, True, False, True, id="a covariate with one value is left out of the model"),
]
"""Studies that once showed a leak or an engine fault: they run every time, before the fresh ones."""

SHARDS = 4
"""The property's 200 fresh examples in 4 runs of 50, so the test workers share them."""


def _publish_and_attack(seed: int, times: int, *, sex: bool, hide_zero: bool, analyses: bool) -> None:
    """A random study published with min_cell=5: the whole-release attacker pins nothing.

    Half the studies also ask a question and fit a fremgang model (issue 23's analyses).
    """
    config, study, _ = small_study(
        seed, persons=(8, 40), sdq=False, times=times, sex=sex, hide_zero=hide_zero, analyses=analyses
    )
    assert attack(config, study, from_content(build(config, study))) == []


@pytest.mark.parametrize(("seed", "times", "sex", "hide_zero", "analyses"), ONCE_FOUND)
def test_the_studies_that_once_leaked_leak_nothing(seed, times, sex, hide_zero, analyses):
    _publish_and_attack(seed, times, sex=sex, hide_zero=hide_zero, analyses=analyses)


@pytest.mark.parametrize("shard", range(SHARDS))
@settings(max_examples=200 // SHARDS, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    times=st.sampled_from([3, 4]),
    sex=st.booleans(),
    hide_zero=st.booleans(),
    analyses=st.booleans(),
)
def test_publishing_a_random_study_never_shows_a_count_the_attacker_can_pin(  # noqa: PLR0913, PLR0917 - pytest passes the draw by name
    shard, seed, times, sex, hide_zero, analyses
):
    """The property (200 fresh examples over the shards): a random study never shows a pinnable count."""
    assert 0 <= shard < SHARDS
    _publish_and_attack(seed, times, sex=sex, hide_zero=hide_zero, analyses=analyses)


@pytest.mark.stress
def test_larger_random_studies_leak_nothing_either(stress_rounds):
    """Longer: studies with two measures and the combined criterion."""
    for seed in range(100, 100 + 4 * stress_rounds):
        config, study, _ = small_study(seed, persons=(30, 120), sdq=True)
        assert attack(config, study, from_content(build(config, study))) == [], seed


def test_the_studies_have_the_shape_of_the_issue():
    config, study, _ = small_study(0)
    assert 30 <= study.n_persons <= 80
    assert study.time_points == tuple(TIMES)
    assert config.columns.groups == ("spor",)
