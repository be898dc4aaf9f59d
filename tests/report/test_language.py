"""One language per report: a Danish report has no English word of the catalogue, an English one no Danish.

The report is run on a study that has every section: all four instruments,
the combined criterion, the tables by sex, a scale not collected, comparisons a
measure was not given for (the "no comparison" lines), a norm table (T-scores),
ranges and hidden cells, the Added Value of the parent SDQ, the analyses
(``[analyses]``: the paired means by sex, fremgang across measures with its
figure, the flow), a fremgang model (``[[predictors]]``: a track, sex and age)
and another question to the young people (``[[questions]]``). Every text node
is read back: the HTML through an HTML parser (the figures are inline SVG, so
their text is in it), and every text cell of the workbook.

Words are those of :data:`trivselscore.report.labels.WORDS`: a word on the
English side that the Danish side never uses is English (and the other way
round). Words both sides use are the evaluation's own terms and proper names
(fremgang, status quo, tilbagegang, Added Value, Jacobson-Truax), which the
English report keeps. Not words of the report, so not checked: the study's own
labels (title, time points, tracks), identifiers (``<code>``, and ids joined by
``/`` or ``-``: ``sdq/total``, ``WHO-5``), quoted sources (``<cite>``: citations,
instrument names, norm tables), text marked with another language (the
licence, quoted from the definition), and links.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

from tests.report.synthetic import STUDY_TOML, TIMES, TRACKS, write_csv
from tests.report.test_norms import NORMS
from trivselscore import __version__, get_instrument
from trivselscore.cli.commands import main
from trivselscore.report.labels import WORDS

if TYPE_CHECKING:
    from pathlib import Path

openpyxl = pytest.importorskip("openpyxl")

QUESTION = "Vil du anbefale forløbet til andre?"
_COVARIATE = re.compile(r"\balder(?= \()")
_WORD = re.compile(r"(?<![\w/-])[A-Za-zÆØÅæøå]+(?![\w/-])")  # not part of a name: WHO-5, sdq/total
_DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])|\d\.\d{4,}")
STUDY = (
    STUDY_TOML.replace(
        'comparisons = [["start", "efter forløb"], ["start", "3 mdr"]]',
        'comparisons = [["start", "efter forløb"], ["start", "3 mdr"], ["start", "efter samtaler"]]',
    )
    .replace('instrument = "scas-c"', 'instrument = "scas-c"\nnorms = "scas_normer.csv"')
    .replace(
        'instrument = ["sdq-s11-17", "sdq-s18"]',
        'instrument = ["sdq-s11-17", "sdq-s18"]\nscales = ["total", "impact"]\nnot_collected = ["impact"]',
    )
    .replace(
        "[suppression]",
        '[measures.sdqp]\ninstrument = "sdq-p4-17"\n\n'
        '[change]\nmethod = { sdqp = "added_value" }\n\n[suppression]',
    )
    + f"""
[analyses.sex_means]
[analyses.fremgang]
[analyses.flow]

[[predictors]]
measure = "who5"
start = "start"
end = "3 mdr"
covariates = ["forløb", "køn", "alder"]

[[questions]]
column = "{QUESTION}"
answers = ["Ja", "Nej"]
time_points = ["efter forløb", "3 mdr"]
"""
)


def _words(lang: int) -> set[str]:
    """The words of one side of the catalogue (0: Danish, 1: English), placeholders left out."""
    text = " ".join(pair[lang] for pair in WORDS.values())
    return {w.lower() for w in _WORD.findall(re.sub(r"\{[^}]*\}", " ", text))}


DANISH, ENGLISH = _words(0), _words(1)
ONLY = {"da": ENGLISH - DANISH, "en": DANISH - ENGLISH}
"""Per report language, the catalogue's words of the other language."""


class _Text(HTMLParser):
    """The page's text nodes, without styles, quotes of sources, other languages' text and links.

    A figure's ``<text>`` is one node, its lines (``<tspan>``) joined by a space: a label
    wrapped over two lines is still the label.
    """

    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.nodes: list[str] = []
        self._skip: list[str] = []
        self._lines: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        other = dict(attrs).get("lang") not in {None, self.lang} and tag != "html"
        if tag in {"style", "cite", "code", "a"} or other or self._skip:
            self._skip.append(tag)
        elif tag == "text":
            self._lines = []

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()
        elif tag == "text" and self._lines is not None:
            if self._lines:
                self.nodes.append(" ".join(self._lines))
            self._lines = None

    def handle_data(self, data: str) -> None:
        if self._skip or not data.strip():
            return
        if self._lines is not None:
            self._lines.append(data.strip())
        else:
            self.nodes.append(data.strip())


@pytest.fixture(scope="module", params=["da", "en"])
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    lang = request.param
    folder = tmp_path_factory.mktemp(f"language-{lang}")
    data = _with_question(_with_parents(write_csv(folder / "eksport.csv")))
    (folder / "scas_normer.csv").write_text(NORMS, encoding="utf-8")
    study = folder / "STUDY.toml"
    study.write_text(STUDY, encoding="utf-8")
    html, xlsx = folder / "r.html", folder / "r.xlsx"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        args = ["report", str(data), "--study", str(study), "-o", str(html), "--xlsx", str(xlsx)]
        code = main([*args, "--decimal", ",", "--lang", lang])
    assert code == 0, err.getvalue()
    return lang, html, xlsx


def _with_parents(path: Path) -> Path:
    """The export with a parent SDQ (``sdqp_*``): the self-report's answers, for the Added Value."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    items = get_instrument("sdq-p4-17").item_ids
    where = [rows[0].index(f"sdq_{item}") for item in items]
    rows = [rows[0] + [f"sdqp_{item}" for item in items]] + [r + [r[i] for i in where] for r in rows[1:]]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


def _with_question(path: Path) -> Path:
    """The export with a yes/no question (``Ja``/``Nej``, blank at the first two time points)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    time = rows[0].index("tidspunkt")
    late = {"efter forløb", "3 mdr"}
    answers = [("Ja" if i % 3 else "Nej") if r[time] in late else "" for i, r in enumerate(rows[1:])]
    rows = [[*rows[0], QUESTION]] + [[*r, a] for r, a in zip(rows[1:], answers, strict=True)]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


def _own_labels(text: str) -> str:
    """The text without the study's own labels (they are the data's words, in the data's language)."""
    for label in sorted(
        [*TIMES, *TRACKS, "forløb", "Evaluering af Sammen på sporet", "Syntetisk eksport", QUESTION],
        key=len,
        reverse=True,
    ):
        text = text.replace(label, " ")
    text = _COVARIATE.sub(" ", text)  # a fremgang model's covariate: the data's column name
    return text.replace(f"trivselscore {__version__}", " ")


def _foreign(lang: str, texts: list[str]) -> list[tuple[str, str]]:
    """(word, text) for every word of the other language, and every decimal point in a Danish text."""
    found = []
    for text in texts:
        own = _own_labels(text)
        found += [(w, text) for w in _WORD.findall(own) if w.lower() in ONLY[lang]]
        if lang == "da":
            found += [(m, text) for m in _DECIMAL_POINT.findall(own)]
    return found


def test_the_study_has_every_section(run):
    lang, html, _ = run
    page = html.read_text(encoding="utf-8")
    if lang == "da":
        for part in ("Ingen sammenligning", "gns. T", "added value", "efter køn", "ikke indsamlet"):
            assert part in page, part
        for part in ("Flere analyser", "kun unge målt ved alle", "andel med fremgang pr. mål", "frafald pr."):
            assert part in page, part
        for part in ("Hvem får fremgang", "odds ratio", "Andre spørgsmål", QUESTION):
            assert part in page, part
        assert re.search(r"\d+-\d+ %", page)  # a range
        assert "skjult" in page


def test_the_html_speaks_one_language(run):
    lang, html, _ = run
    parser = _Text(lang)
    parser.feed(html.read_text(encoding="utf-8"))
    assert len(parser.nodes) > 500
    assert sorted({w for w, _ in _foreign(lang, parser.nodes)}) == []


def test_the_figures_speak_one_language(run):
    lang, html, _ = run
    page = html.read_text(encoding="utf-8")
    figures = re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL)
    parser = _Text(lang)
    parser.feed("".join(figures))
    assert len(figures) > 10
    assert _foreign(lang, parser.nodes) == []


def test_the_workbook_speaks_one_language(run):
    lang, _, xlsx = run
    book = openpyxl.load_workbook(xlsx, read_only=True)
    texts = [
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    assert len(texts) > 200
    assert _foreign(lang, texts) == []
