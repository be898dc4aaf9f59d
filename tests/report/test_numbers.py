"""Every number in the HTML report equals the Study report it came from (read independently)."""

from __future__ import annotations

import pytest

from tests.report.pages import Page
from trivselscore.study import Study

TIMES = ("start", "efter samtaler", "efter forløb", "3 mdr")
COMPARISONS = (("start", "efter forløb"), ("start", "3 mdr"))
SCALES = {"who5": "percentage", "sdq": "total", "scas": "total", "mfq": "total"}
VERSIONS = {"who5": "who5", "sdq": "sdq-s11-17, sdq-s18", "scas": "scas-c", "mfq": "mfq-c"}
SEX = {"female": "piger/kvinder", "male": "drenge/mænd"}


def _group(label: str, *, sex: bool = False) -> str:
    if label == "all":
        return "alle"
    return SEX.get(label, label) if sex else label


@pytest.fixture(scope="module")
def page(report_run) -> Page:
    assert report_run.code == 0, report_run.stderr
    return Page(report_run.html)


def _summary_rows(study: Study, measure: str, *, by: str, sex: bool = False) -> list[list[str]]:
    report = study.summary(measure, SCALES[measure], by=[by])
    shown = [
        i
        for i, b in enumerate(report.rows[0].bands)
        if b.key != "no_band" or any(r.bands[i].count.value != 0 for r in report.rows)
    ]
    return [
        [
            r.time,
            _group(r.group, sex=sex),
            r.rows.text(digits=0),
            r.not_given.text(digits=0),
            r.n.text(digits=0),
            r.mean.text(),
            r.sd.text(),
            *(r.bands[i].share.text(percent=True) for i in shown),
        ]
        for r in report.rows
    ]


@pytest.mark.parametrize("measure", list(SCALES))
def test_summary_tables_equal_the_study(page, study, measure):
    table = page.table(f"{measure}: {SCALES[measure]} ({VERSIONS[measure]})")
    expected = _summary_rows(study, measure, by="forløb")
    assert table.body == expected
    assert [row[0] for row in table.body][:: len(table.body) // 4] == list(TIMES)
    assert "<5" in table.foot


@pytest.mark.parametrize("measure", list(SCALES))
@pytest.mark.parametrize(("start", "end"), COMPARISONS)
def test_change_tables_equal_the_study(page, study, measure, start, end):
    scale = SCALES[measure]
    report = study.change(start, end, by=["forløb"], scales={measure: [scale]})
    keys = [k for k, _, _ in report.categories()]
    expected = []
    for r in report.rows:
        shares = {c.key: c.share.text(percent=True) for c in r.categories}
        expected.append(
            [
                _group(r.group),
                r.pairs.text(digits=0),
                r.attrition.text(percent=True),
                *(shares[k] for k in keys),
                r.mean_change.text(),
                r.dz.text(digits=2),
            ]
        )
    table = page.table(f"{measure}: {scale}, {start} -> {end}")
    assert table.body == expected
    assert table.head[3:6] == ["fremgang (%)", "status quo (%)", "tilbagegang (%)"]


@pytest.mark.parametrize(("start", "end"), COMPARISONS)
def test_combined_table_equals_the_study(page, study, start, end):
    report = study.combined_change(start, end, scales={"who5": "percentage", "sdq": "total"}, by=["forløb"])
    expected = [
        [_group(r.group)]
        + [c.text(digits=0) for c in (r.persons, r.complete, r.left_out, r.improved)]
        + [r.share.text(percent=True)]
        for r in report.rows
    ]
    table = page.table(f"{start} -> {end}: fremgang på alle af who5/percentage, sdq/total")
    assert table.body == expected


@pytest.mark.parametrize("measure", list(SCALES))
def test_means_by_sex_equal_the_study(page, study, measure):
    table = page.table(f"{measure}: {SCALES[measure]} ({VERSIONS[measure]}) - efter køn")
    assert table.body == _summary_rows(study, measure, by="køn", sex=True)
    assert {row[1] for row in table.body} == {"alle", "piger/kvinder", "drenge/mænd"}


def test_front_page_counts(page, study, report_run):
    text = " ".join(page.text)
    assert f"Personer {study.n_persons}" in " ".join(text.split())
    assert f"Rækker {study.n_rows}" in " ".join(text.split())
    assert "start, efter samtaler, efter forløb, 3 mdr" in text
    for name in SCALES:
        measure = study.measure(name)
        assert f"{name}: {int(measure.given.sum())} rækker med skemaet udfyldt" in text
    assert f"{study.n_rows:,} rows read; {study.n_persons:,} persons" in report_run.stderr
    assert report_run.stderr.strip().endswith(f"wrote {report_run.html_path}, {report_run.xlsx_path}")


def test_hidden_cells_are_marked_never_zero(page, study):
    """The synthetic data have small groups: their cells read <5 / skjult, and the rule is stated."""
    marks = {cell for t in page.tables for row in t.body for cell in row}
    assert "<5" in marks
    assert "skjult" in marks
    small = study.summary("who5", "percentage", by=["forløb"])
    hidden = [r for r in small.rows if r.not_given.suppressed]
    assert hidden, "the synthetic export must produce a hidden cell"
    assert "Små celler: et antal på 1 til 4 vises som <5" in " ".join(page.text)


def test_escaped_group_label_is_text(page, report_run):
    assert "<b>" not in report_run.html
    assert "&lt;b&gt;gruppe &amp; co&lt;/b&gt;" in report_run.html
    assert "b" not in page.tags
    assert any(row[1] == "<b>gruppe & co</b>" for t in page.tables for row in t.body if len(row) > 1)


def test_methods_appendix_from_definitions(page):
    text = " ".join(page.text)
    assert "Metodebilag" in text
    assert "sdq-s11-17" in text
    assert "difference" in text
    assert "skalaer: emotional, conduct, hyperactivity, peer" in text  # SDQ total is a sum of scales
    assert "spørgsmål: 1, 2, 3, 4, 5" in text  # a sum of items (SCAS, MFQ total)

    status = [t for t in page.tables if t.caption.startswith("Grænser (")]
    assert status, "cutoff tables with sources"
    assert all(len(row) == 4 for t in status for row in t.body)
