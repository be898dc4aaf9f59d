"""The analyses' chapter (issue 23 item 4) of a report from a messy export, against pandas.

The export is ``tests/report/exports.py``'s (three municipalities, two tracks, four
time points, drop-out, blank forms, Pige/Dreng/Andet); STUDY.toml asks for the
paired means by sex, fremgang across measures and the flow. Every number the HTML
and the Excel file print in those tables, where it is not hidden, equals pandas'
own computation from the export's values.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest

from tests.release.analyses import sheet_tables
from tests.report.exports import ExportSpec, make_export, write_csv
from tests.report.pages import Page, plain
from trivselscore.cli.commands import main
from trivselscore.report.config import ConfigError, parse_config

pd = pytest.importorskip("pandas")
openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("matplotlib")

TIMES = ["Start", "Midtvejs", "Afslutning", "Opfølgning"]
WHO5 = [f"WHO5_{i}" for i in range(1, 6)]
SEXES = {"Pige": "piger/kvinder", "Dreng": "drenge/mænd", "Andet": "andet køn"}
HEAD = f"""
title = "Analyser"
time_points = {TIMES!r}
comparisons = [["Start", "Afslutning"]]
[columns]
person = "Deltager-ID"
time = "Tidspunkt"
groups = ["Forløbstype"]
sex = "Køn"
age = "Alder"
[measures.who5]
instrument = "who5"
""".replace("'", '"')
ANALYSES = """
[analyses.sex_means]
time_points = ["Start", "Afslutning"]
[analyses.fremgang]
[analyses.flow]
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sections")
    export = make_export(ExportSpec(other_sex=True, n_persons=260, seed=5))
    data = write_csv(export, folder / "eksport.csv")
    (folder / "STUDY.toml").write_text(HEAD + ANALYSES, encoding="utf-8")
    args = ["report", str(data), "--study", str(folder / "STUDY.toml"), "--decimal", ","]
    args += ["-o", str(folder / "r.html"), "--xlsx", str(folder / "r.xlsx")]
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(args) == 0, err.getvalue()
    html = (folder / "r.html").read_text(encoding="utf-8")
    page = Page(html)
    tables = {t.caption: (t.head, t.body) for t in page.tables}
    sheets = sheet_tables(openpyxl.load_workbook(folder / "r.xlsx"))
    frame = pd.DataFrame(export.rows, columns=export.header)
    frame["score"] = (frame[WHO5].sum(axis=1) * 4).where(frame[WHO5].notna().all(axis=1))
    frame["given"] = frame[WHO5].notna().any(axis=1)
    return tables, sheets, frame, page, html


def _groups(people: Any) -> Iterator[tuple[str, Any]]:
    """(track label, persons) for everyone, then each track."""
    yield "alle", people
    for track in sorted(people["Forløbstype"].unique()):
        yield track, people[people["Forløbstype"] == track]


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def test_the_analyses_are_in_the_html_and_the_workbook_alike(run):
    tables, sheets, _, page, _ = run
    mine = [c for c in sheets if "efter køn, kun unge" in c or "pr. mål" in c or "frafald pr." in c]
    assert len(mine) == 3
    for caption in mine:
        head, body = tables[caption]
        assert sheets[caption] == (head, [[plain(c) for c in line] for line in body])
    assert "Flere analyser" in " ".join(page.text)


def test_the_flow_equals_pandas(run):
    tables, _, frame, _, _ = run
    head, body = tables["who5: procentscore - målt og frafald pr. tidspunkt"]
    assert head == ["gruppe", "tidspunkt", "målt", "frafald siden forrige", "frafald (%)"]
    people = frame.drop_duplicates("Deltager-ID")
    expected = []
    for track, members in _groups(people):
        ids = set(members["Deltager-ID"])
        scored = frame["score"].notna()
        at = [set(frame.loc[scored & (frame["Tidspunkt"] == t), "Deltager-ID"]) & ids for t in TIMES]
        for i, time in enumerate(TIMES):
            out = len(at[i - 1] - at[i]) if i else None
            expected.append((track, time, len(at[i]), out))
    assert len(body) == len(expected)
    shown = 0
    for line, (track, time, measured, out) in zip(body, expected, strict=True):
        assert line[:2] == [track, time]
        if line[2].isdigit():
            assert int(line[2]) == measured
            shown += 1
        if out is not None and line[3].isdigit():
            assert int(line[3]) == out
    assert shown >= len(TIMES)


def test_the_paired_means_by_sex_equal_pandas(run):
    tables, _, frame, _, _ = run
    caption = "who5: procentscore - efter køn, kun unge målt ved alle af Start, Afslutning"
    head, body = tables[caption]
    assert head == ["gruppe", "køn", "n", "gns. Start", "gns. Afslutning"]
    wide = frame.pivot(index="Deltager-ID", columns="Tidspunkt", values="score")[
        ["Start", "Afslutning"]
    ].dropna()
    people = frame.drop_duplicates("Deltager-ID").set_index("Deltager-ID")
    rows = {(line[0], line[1]): line for line in body}
    checked = 0
    for track, members in _groups(people.reset_index()):
        for sex, label in [(None, "alle"), *SEXES.items()]:
            ids = members if sex is None else members[members["Køn"] == sex]
            cell = wide.loc[wide.index.isin(ids["Deltager-ID"])]
            line = rows[track, label]
            if line[2].isdigit():
                assert int(line[2]) == len(cell)
                checked += 1
                if len(cell) >= 5:
                    assert math.isclose(_number(line[3]), cell["Start"].mean(), abs_tol=0.05)
                    assert math.isclose(_number(line[4]), cell["Afslutning"].mean(), abs_tol=0.05)
    assert checked >= 4


def test_fremgang_across_measures_equals_pandas(run):
    """WHO-5's default rule: a change of at least 10 points (its minimal important change)."""
    tables, _, frame, _, html = run
    head, body = tables["Start -> Afslutning: andel med fremgang pr. mål"]
    assert head == ["mål", "gruppe", "par", "fremgang (%)"]
    wide = frame.pivot(index="Deltager-ID", columns="Tidspunkt", values="score")[
        ["Start", "Afslutning"]
    ].dropna()
    track = frame.drop_duplicates("Deltager-ID").set_index("Deltager-ID")["Forløbstype"]
    wide = wide.join(track)
    for line, (label, pairs) in zip(body, _groups(wide), strict=True):
        assert line[:2] == ["who5: procentscore", label]
        better = int((pairs["Afslutning"] - pairs["Start"] >= 10).sum())
        if line[2].isdigit():
            assert int(line[2]) == len(pairs)
            if "(" in line[3]:
                assert int(line[3].split("%")[0]) == round(100 * better / len(pairs))
    assert html.count("<svg") >= 3


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[analyses.flow]\nmeasures = ['sdq']", "analyses.flow.measures: ['sdq'] not in measures ['who5']"),
        ("[analyses.flow]\nmeasure = ['who5']", "key 'analyses.flow.measure' is not allowed; keys: measures"),
        ("[analyses.sex_means]\ntime_points = ['Start']", "analyses.sex_means.time_points: at least two"),
        (
            "[analyses.sex_means]\ntime_points = ['Start', 'x']",
            "analyses.sex_means.time_points: 'x' is not in",
        ),
        ("[analyses.sex_means]\nmeasures = ['mfq']", "analyses.sex_means.measures: ['mfq'] not in"),
        ("[analyses.fremgang]\ncomparison = ['Start', 'Start']", "compares a time point with itself"),
        ("[analyses.fremgang]\ncomparison = ['Start', 'x']", "analyses.fremgang.comparison: 'x' is not in"),
        ("[analyses.fremgang]\ncomparison = ['Start']", "key 'analyses.fremgang.comparison"),
        ("[analyses.fremgang]\nscales = { who5 = 'total' }", "'total' is not a scale of who5"),
        ("[analyses.fremgang]\nscales = { sdq = 'total' }", "analyses.fremgang.scales: ['sdq'] not in"),
        (
            "[analyses]\nfunnel = true",
            "key 'analyses.funnel' is not allowed; keys: flow, fremgang, sex_means",
        ),
        ("[analyses.flow]\nmeasures = 'who5'", "key 'analyses.flow.measures'"),
    ],
)
def test_a_bad_analyses_key_is_one_line_naming_it(extra, message):
    with pytest.raises(ConfigError) as error:
        parse_config(HEAD + extra.replace("'", '"'))
    text = str(error.value)
    assert message in text
    assert "\n" not in text
    assert text.startswith("STUDY.toml: ")


def test_the_analyses_that_need_what_is_missing_are_refused():
    no_sex = HEAD.replace('sex = "Køn"\n', "")
    with pytest.raises(ConfigError, match=r"analyses\.sex_means: needs the sex column"):
        parse_config(no_sex + "[analyses.sex_means]\n")
    no_pairs = HEAD.replace('comparisons = [["Start", "Afslutning"]]\n', "")
    with pytest.raises(ConfigError, match=r"analyses.fremgang.comparison: name \[start, end\]"):
        parse_config(no_pairs + "[analyses.fremgang]\n")
    config = parse_config(no_pairs + '[analyses.fremgang]\ncomparison = ["Start", "Opfølgning"]\n')
    assert config.analyses.fremgang is not None


def _figure_report() -> Any:
    from trivselscore.cohort import Cell  # noqa: PLC0415 - the cells of a hand-made report
    from trivselscore.cohort.report import ranged  # noqa: PLC0415
    from trivselscore.study.fremgang import FremgangReport, FremgangRow  # noqa: PLC0415

    def row(measure: str, group: str, share: Cell) -> FremgangRow:
        return FremgangRow(
            measure=measure,
            scale="total",
            group=group,
            pairs=Cell(value=40),
            improved=Cell(value=20),
            share=share,
        )

    shown = Cell(value=0.5, low=0.35, high=0.65)
    hidden = Cell(value=None, suppressed=True, note="hidden")
    rows = [row("sdq", "all", shown), row("sdq", "a $x$ b", ranged(0.6, 0.7)), row("mfq", "all", shown)]
    rows.append(row("mfq", "a $x$ b", hidden))
    return FremgangReport(
        min_cell=5, hide_zero=False, interval="wilson", confidence=0.95, by=("spor",), start="s", end="e",
        rules={}, rows=tuple(rows),
    )  # fmt: skip


def test_the_fremgang_figure_is_svg_with_plain_labels_and_no_zero_bars():
    from trivselscore.report.sections import fremgang_svg  # noqa: PLC0415

    svg = fremgang_svg(_figure_report(), "da", "f1-", label=lambda m, s: f"{m}: {s}")
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own SVG, made in this test
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "a $x$ b" in texts  # plain text, as written
    assert "60-70 %" in texts  # the range, hatched over it
    assert "skjult" in texts  # hidden: hatched over 0-100 %, its mark beside
    assert "50 %" in texts
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("height") not in {None, "6"}]
    widths = [float(r.get("width", "0")) for r in bars]
    assert len(widths) == 4
    assert all(w > 0 for w in widths)
    assert sum("url(#f1-hatch)" in (r.get("fill") or "") for r in bars) == 2


def _small_rows() -> list[dict[str, object]]:
    """30 young people: WHO-5 at both time points; SDQ at the start or at the end; MFQ at the start."""
    from trivselscore.instruments.registry import get_instrument  # noqa: PLC0415

    rows = []
    for p in range(30):
        for t in ("start", "slut"):
            row: dict[str, object] = {"id": f"P{p}", "tid": t, "spor": "a" if p % 2 else "b", "køn": "pige"}
            row |= {f"who5_{i}": 2 if t == "start" else 3 + p % 2 for i in range(1, 6)}
            sdq = (t == "start") == (p < 15)
            for item in get_instrument("sdq-s11-17").items:
                row[f"sdq_{item.id}"] = min(item.codes) if sdq else None
            for item in get_instrument("mfq-c").items:
                row[f"mfq_{item.id}"] = min(item.codes) if t == "start" else None
            rows.append(row)
    return rows


def test_fremgang_leaves_out_a_measure_without_pairs_and_says_so():
    from pathlib import Path  # noqa: PLC0415

    from trivselscore.report.build import build, make_study  # noqa: PLC0415
    from trivselscore.report.data import Export  # noqa: PLC0415
    from trivselscore.report.html import render_html  # noqa: PLC0415

    text = """
title = "t"
time_points = ["start", "slut"]
comparisons = [["start", "slut"]]
[columns]
person = "id"
time = "tid"
groups = ["spor"]
sex = "køn"
[measures.who5]
instrument = "who5"
[measures.sdq]
instrument = "sdq-s11-17"
not_collected = ["impact"]
[measures.mfq]
instrument = "mfq-c"
[analyses.fremgang]
[analyses.flow]
[analyses.sex_means]
"""
    config = parse_config(text)
    rows = _small_rows()
    study = make_study(config, Export(path=Path("x.csv"), header=list(rows[0]), rows=rows))
    content = build(config, study)
    skipped = [(s.measure, s.why) for s in content.skipped if s.what == "fremgang"]
    assert skipped == [("sdq", "no_pairs"), ("mfq", "not_given")]
    assert [(r.measure, r.group, r.pairs.value) for r in content.fremgang[0].rows][:1] == [
        ("who5", "all", 30)
    ]
    assert len(content.flows) == len(content.sex_means) == 3
    english = render_html(content, lang="en", data_name="x", library="l", date="d")
    assert "Further analyses" in english
    assert "sdq is left out of fremgang across measures (start -&gt; slut)" in english
    assert "Flere analyser" not in english
    danish = render_html(content, lang="da", data_name="x", library="l", date="d")
    assert "mfq er udeladt af fremgang på tværs af mål (start -&gt; slut): ikke udfyldt ved slut." in danish
    assert 'href="#analyses"' in danish
