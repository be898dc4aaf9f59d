"""Every number in the HTML report is the truth, and every mark or range holds it (read independently).

The report is one release (``trivselscore.study.release``): a cell shows the true
number, or ``<5`` (a count of 1-4), ``n<5`` (resting on 1-4 persons), ``skjult``
(a count of 0 or at least 5, hidden to protect another) or a range the truth lies
in. The truth is the same Study's report with nothing hidden (``min_cell=0``).
"""

from __future__ import annotations

import re

import pytest

from tests.report.pages import Page, plain
from trivselscore.cohort import Cell
from trivselscore.instruments.registry import get_instrument
from trivselscore.report.tables import rule_text
from trivselscore.study import Study

TIMES = ("start", "efter samtaler", "efter forløb", "3 mdr")
COMPARISONS = (("start", "efter forløb"), ("start", "3 mdr"))
SCALES = {"who5": "percentage", "sdq": "total", "scas": "total", "mfq": "total"}
VERSIONS = {"who5": "who5", "sdq": "sdq-s11-17, sdq-s18", "scas": "scas-c", "mfq": "mfq-c"}
SEX = {"female": "piger/kvinder", "male": "drenge/mænd"}
METHOD = {"who5": "threshold", "sdq": "difference", "scas": "difference", "mfq": "difference"}
_RANGE = re.compile(r"(\d+)-(\d+)(%?)")
Expected = list[list[tuple[Cell | str, str, int | None]]]


def _group(label: str, *, sex: bool = False) -> str:
    if label == "all":
        return "alle"
    return SEX.get(label, label) if sex else label


def _label(measure: str) -> str:
    """The scale's Danish label, as the captions name it."""
    return get_instrument(VERSIONS[measure].split(", ")[0]).scale(SCALES[measure]).label_da


def holds(text: str, truth: Cell, *, kind: str, n: int | None = None) -> bool:
    """Whether a printed cell is the truth, or a mark or range that holds it."""
    text, value = plain(text), truth.value
    marks = {
        "<5": kind == "share" or (kind == "count" and value is not None and 1 <= value <= 4),
        "n<5": n is not None and 1 <= n <= 4,
        "skjult": kind != "count" or value == 0 or (value is not None and value >= 5),
    }
    if text in marks:
        return marks[text]
    if value is not None and re.fullmatch(r"\d+%", text):  # a share known without its interval (0 of a range)
        return text == f"{100 * value:.0f}%"
    found = _RANGE.fullmatch(text)
    if found and value is not None:
        low, high = int(found[1]), int(found[2])
        return low <= (round(100 * value, 9) if found[3] else value) <= high
    digits = 0 if kind == "count" else (2 if kind == "dz" else 1)
    return text == truth.text(digits=digits, percent=kind == "share")


@pytest.fixture(scope="module")
def page(report_run) -> Page:
    assert report_run.code == 0, report_run.stderr
    return Page(report_run.html)


def _check_rows(
    table_body: list[list[str]], expected: list[list[tuple[Cell | str, str, int | None]]]
) -> None:
    assert len(table_body) == len(expected)
    for printed, truths in zip(table_body, expected, strict=True):
        assert len(printed) == len(truths)
        for text, (truth, kind, n) in zip(printed, truths, strict=True):
            if isinstance(truth, str):
                assert text == truth
            else:
                assert holds(text, truth, kind=kind, n=n), (printed, text, truth)


def _summary_rows(study: Study, measure: str, *, by: str, sex: bool = False) -> Expected:
    report = study.summary(measure, SCALES[measure], by=[by], min_cell=0)
    shown = [
        i
        for i, b in enumerate(report.rows[0].bands)
        if b.key != "no_band" or any(r.bands[i].count.value != 0 for r in report.rows)
    ]
    out: Expected = []
    for r in report.rows:
        n = int(r.n.value or 0)
        line: list[tuple[Cell | str, str, int | None]] = [
            (r.time, "", None),
            (_group(r.group, sex=sex), "", None),
        ]
        line += [(r.rows, "count", None), (r.not_given, "count", None), (r.n, "count", None)]
        line += [(r.mean, "mean", n), (r.sd, "mean", n)]
        line += [(r.bands[i].share, "share", n) for i in shown]
        out.append(line)
    return out


@pytest.mark.parametrize("measure", list(SCALES))
def test_summary_tables_hold_the_truth(page, study, measure):
    table = page.table(f"{measure}: {_label(measure)} ({VERSIONS[measure]})")
    _check_rows(table.body, _summary_rows(study, measure, by="forløb"))
    assert [row[0] for row in table.body][:: len(table.body) // 4] == list(TIMES)
    assert "<5" in table.foot


@pytest.mark.parametrize("measure", list(SCALES))
@pytest.mark.parametrize(("start", "end"), COMPARISONS)
def test_change_tables_hold_the_truth(page, study, measure, start, end):
    scale = SCALES[measure]
    report = study.change(start, end, by=["forløb"], scales={measure: [scale]}, method=METHOD, min_cell=0)
    keys = [k for k, _, _ in report.categories()]
    expected: Expected = []
    for r in report.rows:
        n = int(r.pairs.value or 0)
        shares = {c.key: c.share for c in r.categories}
        line: list[tuple[Cell | str, str, int | None]] = [(_group(r.group), "", None)]
        line += [(r.pairs, "count", None), (r.attrition, "share", n)]
        line += [(shares[k], "share", n) for k in keys]
        line += [(r.mean_change, "mean", n), (r.dz, "dz", n)]
        expected.append(line)
    table = page.table(f"{measure}: {_label(measure)}, {start} -> {end}")
    _check_rows(table.body, expected)
    assert table.head[3:6] == ["fremgang (%)", "status quo (%)", "tilbagegang (%)"]
    rule = report.rules[f"{measure}/{scale}"]
    assert rule.method == METHOD[measure]  # the documented minimal important change where there is one
    assert rule_text(rule, "da") in table.foot


@pytest.mark.parametrize(("start", "end"), COMPARISONS)
def test_combined_table_holds_the_truth(page, study, start, end):
    report = study.combined_change(
        start, end, scales={"who5": "percentage", "sdq": "total"}, by=["forløb"], method=METHOD, min_cell=0
    )
    expected: Expected = [
        [(_group(r.group), "", None)]
        + [(c, "count", None) for c in (r.persons, r.complete, r.left_out, r.improved)]
        + [(r.share, "share", int(r.complete.value or 0))]
        for r in report.rows
    ]
    table = page.table(f"{start} -> {end}: fremgang på alle af who5/percentage, sdq/total")
    _check_rows(table.body, expected)


@pytest.mark.parametrize("measure", list(SCALES))
def test_means_by_sex_hold_the_truth(page, study, measure):
    table = page.table(f"{measure}: {_label(measure)} ({VERSIONS[measure]}) - efter køn")
    _check_rows(table.body, _summary_rows(study, measure, by="køn", sex=True))
    assert {row[1] for row in table.body} == {"alle", "piger/kvinder", "drenge/mænd"}


def test_front_page_counts(page, study, report_run):
    text = " ".join(" ".join(page.text).split())
    persons = re.search(r"Personer (\S+)", text)
    rows = re.search(r"Rækker (\S+)", text)
    assert persons is not None
    assert rows is not None
    assert holds(persons[1], Cell(value=study.n_persons), kind="count")
    assert holds(rows[1], Cell(value=study.n_rows), kind="count")
    assert "start, efter samtaler, efter forløb, 3 mdr" in text
    for name in SCALES:
        given = re.search(rf"{name}: (\S+) rækker med skemaet udfyldt", text)
        assert given is not None
        assert holds(given[1], Cell(value=int(study.measure(name).given.sum())), kind="count")
    assert f"{study.n_rows:,} rows read; {study.n_persons:,} persons" in report_run.stderr
    assert report_run.stderr.strip().endswith(f"wrote {report_run.html_path}, {report_run.xlsx_path}")


def test_hidden_cells_are_marked_never_zero(page):
    """The synthetic data have small groups: their cells read <5, skjult or a range; the rule is stated."""
    marks = {cell for t in page.tables for row in t.body for cell in row}
    assert "<5" in marks
    assert any(_RANGE.fullmatch(m) for m in marks)
    assert "Små celler: et antal på 1 til 4 vises som <5" in " ".join(page.text)


def test_escaped_group_label_is_text(page, report_run):
    assert "<b>" not in report_run.html
    assert "&lt;b&gt;gruppe &amp; co&lt;/b&gt;" in report_run.html
    assert "b" not in page.tags
    assert any(row[1] == "<b>gruppe & co</b>" for t in page.tables for row in t.body if len(row) > 1)


def test_methods_appendix_from_definitions(page):
    text = " ".join(" ".join(page.text).split())
    assert "Metodebilag" in text
    assert "sdq-s11-17" in text
    assert "enhver forskel" in text
    assert "mindste vigtige ændring" in text  # WHO-5's minimal important change, the report's default
    assert "skalaer: emotional, conduct, hyperactivity, peer" in text  # SDQ total is a sum of scales
    assert "spørgsmål: 1, 2, 3, 4, 5" in text  # a sum of items (SCAS, MFQ total)

    status = [t for t in page.tables if t.caption.startswith("Grænser (")]
    assert status, "cutoff tables with sources"
    assert all(len(row) == 4 for t in status for row in t.body)


def test_methods_appendix_states_the_disclosure_control(page):
    text = " ".join(" ".join(page.text).split())
    assert "Diskretion: små celler" in text
    assert "én offentliggørelse" in text  # the release
    assert "forsidens totaler (1) < hjælpetal" in text  # the cost order
    tally = next(t for t in page.tables if t.caption.startswith("Trykte antal i rapporten"))
    assert tally.head[1:] == [
        "vist",
        "<5 (for få)",
        "skjult (beskytter et andet)",
        "interval i stedet for tal",
    ]
    total = tally.body[-1]
    assert total[0] == "i alt"
    assert int(total[2]) > 0  # counts hidden as <5 ...
    assert "Intervaller i stedet for tal" in text  # ... and where ranges replace numbers
