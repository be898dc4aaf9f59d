"""Notebook display of Score and BatchScores: short, true to the numbers, escaped, computed on call."""

from __future__ import annotations

import math
from html.parser import HTMLParser

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore import INSTRUMENTS, Respondent, Score, score, score_batch
from trivselscore.engine import display, models, results
from trivselscore.strategies import response_arrays, responses
from trivselscore.testing.random_instruments import instruments

MAX_LINES = 20
"""Issue 14, item 6: no object's repr runs past about 20 lines."""


class _Cells(HTMLParser):
    """Collects the text of every cell and the tags seen, to check the HTML is a well-formed table."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self.caption = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002 - unused
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th", "caption"}:
            self._in = tag
            if tag != "caption":
                self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th", "caption"}:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "caption":
            self.caption += data
        elif self._in is not None:
            self.rows[-1][-1] += data


def parse(html: str) -> _Cells:
    parser = _Cells()
    parser.feed(html)
    parser.close()
    return parser


# --- golden reprs --------------------------------------------------------------------------------


def test_who5_repr_is_one_line():
    assert repr(score("who5", [3, 4, 2, 3, 1])) == (
        "Score(who5 v1: raw=13, percentage=52 [no_risk]; flags: low_item)"
    )


def test_sdq_repr_has_a_line_per_scale_and_the_reasons():
    sdq = INSTRUMENTS["sdq-s11-17"]
    emotional = next(s.items for s in sdq.scales if s.id == "emotional")
    answers: list[int | None] = [*([1] * 25), *([0] * 10)]
    for item_id in emotional[:3]:  # emotional: 2 of 5 answered, below the rule's minimum
        answers[sdq.item_ids.index(item_id)] = None
    result = score(sdq, answers)
    assert result["emotional"].reason
    assert repr(result).splitlines() == [
        "Score(sdq-s11-17 v1:",
        f"  emotional=- ({result['emotional'].reason}),",
        "  conduct=5 [abnormal],",
        "  hyperactivity=5 [normal],",
        "  peer=5 [borderline],",
        "  prosocial=5 [borderline],",
        f"  total=- ({result['total'].reason}),",
        "  externalising=10,",
        f"  internalising=- ({result['internalising'].reason}),",
        "  impact=0 [normal],",
        "  flags: none)",
    ]


def test_a_t_score_and_an_age_flag_show():
    line = ("total", 44, "elevated", 61.25, "44/44", None)
    assert display.score_repr("scas-c v1", [line], []) == (
        "Score(scas-c v1: total=44 [elevated] T=61.25; flags: none)"
    )
    outside = score("sdq-s11-17", [1] * 25 + [0] * 10, respondent=Respondent(age=22))
    assert repr(outside).endswith("flags: outside_age_range)")


def test_str_is_the_short_repr_not_the_pydantic_dump():
    result = score("sdq-s11-17", [1] * 25 + [0] * 10)
    assert str(result) == repr(result)
    assert "bands=" not in str(result)


def test_a_score_with_many_scales_stops_listing_them():
    lines = [(f"s{i}", i, None, None, "1/1", None) for i in range(40)]
    text = display.score_repr("x v1", lines, [])
    assert len(text.splitlines()) <= MAX_LINES
    assert "... 24 more scales" in text


def test_number_formatting_table():
    cases = [
        (0, "0"),
        (52.0, "52"),
        (-3.0, "-3"),
        (2.5, "2.5"),
        (1 / 3, "0.3333"),
        (None, "-"),
        (math.nan, "-"),
    ]
    assert [display.number(v) for v, _ in cases] == [text for _, text in cases]


# --- properties ----------------------------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
@given(data=st.data(), age=st.one_of(st.none(), st.integers(2, 30)))
def test_score_repr_is_short_and_the_same_for_built_and_validated_results(instrument_id, data, age):
    answers = data.draw(responses(instrument_id, missing="sometimes"))
    result = score(instrument_id, answers, respondent=Respondent(age=age, sex="male"))
    validated = Score.model_validate(result.model_dump())
    assert repr(result) == repr(validated)
    assert result._repr_html_() == validated._repr_html_()
    text = repr(result)
    assert len(text.splitlines()) <= MAX_LINES
    for scale in result.scales:
        shown = f"{scale.scale}={display.number(scale.value)}"
        assert shown in text
    cells = parse(result._repr_html_())
    assert cells.tags[0] == "table"
    body = [row for row in cells.rows[1:] if len(row) == len(cells.rows[0])]
    assert [row[0] for row in body] == [s.scale for s in result.scales]
    assert [row[1] for row in body] == [display.number(s.value) for s in result.scales]


@given(instrument=instruments(), data=st.data())
def test_random_instruments_have_short_reprs(instrument, data):
    answers = [data.draw(st.sampled_from((*item.codes, None))) for item in instrument.items]
    result = score(instrument, answers)
    assert len(repr(result).splitlines()) <= MAX_LINES
    assert repr(result).startswith(f"Score({instrument.id} v{instrument.version}")


@pytest.mark.parametrize("instrument_id", ["who5", "sdq-s11-17", "scas-c", "mfq-c"])
@given(data=st.data())
def test_batch_repr_reports_what_numpy_computes(instrument_id, data):
    array = data.draw(response_arrays(instrument_id, min_size=0, max_size=12))
    batch = score_batch(instrument_id, array)
    lines = repr(batch).splitlines()
    assert lines[0] == f"BatchScores({instrument_id} v1: {len(array):,} rows)"
    assert len(lines) <= MAX_LINES
    cells = parse(batch._repr_html_())
    rows = {row[0]: row for row in cells.rows[1:] if len(row) == len(cells.rows[0])}
    for scale, values in batch.values.items():
        scored = values[~np.isnan(values)]
        expected = [scale, str(scored.size)]
        expected.append(f"{np.mean(scored):.2f}" if scored.size else "-")
        expected.append(f"{np.std(scored, ddof=1):.2f}" if scored.size > 1 else "-")
        expected += (
            [display.number(float(np.min(scored))), display.number(float(np.max(scored)))]
            if scored.size
            else ["-", "-"]
        )
        assert rows[scale] == expected
        assert any(line.split()[:2] == expected[:2] for line in lines)
    for flag, raised in batch.flags.items():
        assert f"{flag}: {int(raised.sum())}" in lines[-1]


# --- escaped, and never computed while scoring ----------------------------------------------------


def test_html_escapes_every_text():
    result = score("mfq-c", [2] * 33)
    hostile = "<script>alert(1)</script>"
    dumped = result.model_dump()
    dumped["flags"] = [{**dumped["flags"][0], "message": hostile}] if dumped["flags"] else []
    dumped["scales"][0]["reason"] = hostile
    dumped["instrument_id"] = "<b>mfq</b>"
    html = Score.model_validate(dumped)._repr_html_()
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    cells = parse(html)
    assert hostile in [cell for row in cells.rows for cell in row]


def test_scoring_never_renders(monkeypatch):
    def fail(*_args: object) -> str:
        raise AssertionError

    monkeypatch.setattr(models, "score_repr", fail)
    monkeypatch.setattr(models, "score_html", fail)
    monkeypatch.setattr(results, "batch_repr", fail)
    monkeypatch.setattr(results, "batch_html", fail)
    batch = score_batch("sdq-s11-17", np.ones((50, 35)))
    assert len(batch) == 50
    assert score("who5", [1, 2, 3, 4, 5]).values == {"raw": 15, "percentage": 60}
    assert batch.row(3).values["total"] == 20


def test_an_empty_batch_has_a_repr():
    batch = score_batch("who5", np.empty((0, 5)))
    assert repr(batch).splitlines()[:4] == [
        "BatchScores(who5 v1: 0 rows)",
        "scale       scored  mean  SD  min  max",
        "----------  ------  ----  --  ---  ---",
        "raw         0       -     -   -    -",
    ]
