"""The report's figures as SVG from the data: well-formed, every label as written, hidden never as zero."""

from __future__ import annotations

from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from trivselscore.report.svg import change_svg, means_svg, text_width, wrap
from trivselscore.study import Study

SVG = "{http://www.w3.org/2000/svg}"
labels = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=80)


def _study(track: str, small: int = 3) -> Study:
    rows = [
        {
            "person": p,
            "time": t,
            "track": "small" if p < small else track,
            **{f"who5_{i}": (3 if p % 2 else 2) + (t == "end") for i in range(1, 6)},
        }
        for p in range(24)
        for t in ("start", "end")
    ]
    return Study.from_long(rows, instruments={"who5": "who5"}, time_points=["start", "end"], groups=["track"])


def _texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@settings(max_examples=25, deadline=None)
@given(track=labels.filter(lambda s: s.strip() and s != "small"), lang=st.sampled_from(["da", "en"]))
def test_any_label_is_drawn_as_written_in_well_formed_svg(track, lang):
    study = _study(track)
    summary = study.summary("who5", "percentage", by=["track"])
    change = study.change("start", "end", by=["track"], scales={"who5": ["percentage"]})
    means = means_svg(summary, lang, title=track, axis="a")
    bars = change_svg(change, measure="who5", scale="percentage", lang=lang, title=track, pattern="p-1")
    for svg in (means, bars):
        texts = " ".join(_texts(svg))
        assert track.split(" ")[0] in texts  # a long label wraps at spaces, every word kept
        assert all(word in texts for word in track.split())


def test_hidden_shares_are_one_hatched_segment_and_hidden_pairs_get_no_bar():
    study = _study("big", small=3)
    change = study.change("start", "end", by=["track"], scales={"who5": ["percentage"]})
    svg = change_svg(change, measure="who5", scale="percentage", lang="da", title="t", pattern="p-1")
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    texts = _texts(svg)
    assert "n<5" in texts  # the small group: no bar
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert "url(#p-1)" not in fills[:-1] or "skjult (<5)" in texts  # a hatched part has its legend entry
    assert all(not t.endswith("%") or t.endswith(" %") for t in texts)  # Danish percent


@given(small=st.integers(0, 6))
@settings(max_examples=7, deadline=None)
def test_a_hidden_mean_leaves_a_gap_and_numbers_are_danish(small):
    study = _study("big", small=small)
    summary = study.summary("who5", "percentage", by=["track"])
    svg = means_svg(summary, "da", title="t", axis="gennemsnit")
    texts = _texts(svg)
    if 0 < small < 5:  # below min_cell
        assert any(t.startswith("small (n = <5") for t in texts)  # the small group's n, hidden
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    lines = list(root.iter(f"{SVG}polyline"))
    shown = {r.group for r in summary.rows if r.mean.value is not None}
    whole = [g for g in shown if all(r.mean.value is not None for r in summary.rows if r.group == g)]
    assert len(lines) == len(whole)  # a line only between two shown means: a hidden one leaves a gap
    points = list(root.iter(f"{SVG}circle"))
    groups = {r.group for r in summary.rows}
    assert len(points) == sum(r.mean.value is not None for r in summary.rows) + len(groups)  # + legend marks
    assert "grænse 50" in texts


def test_text_width_and_wrap():
    assert text_width("WWW", 10) > text_width("iii", 10)
    assert wrap("", 10, 10) == [""]
    lines = wrap("en meget lang betegnelse for et forløb", 60, 10)
    assert " ".join(lines) == "en meget lang betegnelse for et forløb"
    assert all(text_width(line, 10) <= 60 or " " not in line for line in lines)
