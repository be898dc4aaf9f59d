"""Any text from the data comes back as the same text (escaped), and --lang en is English."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.report.pages import Page
from tests.report.test_bad_input import SMALL_TOML, small_csv
from trivselscore.cli.commands import main
from trivselscore.report.html import grid_html
from trivselscore.report.tables import Grid

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(str.strip)


@given(
    caption=texts,
    head=st.lists(texts, min_size=1, max_size=4),
    cells=st.lists(texts, min_size=1, max_size=4),
    note=texts,
)
def test_every_table_text_comes_back_as_text(caption, head, cells, note):
    row = (cells * len(head))[: len(head)]
    html = grid_html(Grid(caption, head, [row], [note], "s"))
    page = Page(html)
    assert len(page.tables) == 1
    table = page.tables[0]
    assert table.caption == caption
    assert table.head == head
    assert table.body == [row]
    assert table.foot == note
    assert page.tags == [
        "table",
        "caption",
        "thead",
        "tr",
        *["th"] * len(head),
        "tbody",
        "tr",
        *["td"] * len(head),
        "tfoot",
        "tr",
        "td",
    ]


def test_a_script_in_the_data_is_text(tmp_path, capsys):
    data = small_csv(tmp_path / "d.csv")
    data.write_text(
        data.read_text(encoding="utf-8").replace(";a;", ";<script>alert(1)</script>;"), encoding="utf-8"
    )
    (tmp_path / "S.toml").write_text(SMALL_TOML.replace('"Lille test"', '"Test <i>&</i>"'), encoding="utf-8")
    out = tmp_path / "r.html"
    assert (
        main(["report", str(data), "--study", str(tmp_path / "S.toml"), "-o", str(out), "--decimal", ","])
        == 0
    )
    capsys.readouterr()
    html = out.read_text(encoding="utf-8")
    page = Page(html)
    assert "script" not in page.tags
    assert "i" not in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in " ".join(page.text)
    assert "<title>Test &lt;i&gt;&amp;&lt;/i&gt;</title>" in html


def test_english(tmp_path, capsys):
    data = small_csv(tmp_path / "d.csv")
    (tmp_path / "S.toml").write_text(SMALL_TOML, encoding="utf-8")
    out = tmp_path / "r.html"
    args = [
        "report",
        str(data),
        "--study",
        str(tmp_path / "S.toml"),
        "-o",
        str(out),
        "--decimal",
        ",",
        "--lang",
        "en",
    ]
    assert main(args) == 0
    capsys.readouterr()
    page = Page(out.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert '<html lang="en">' in out.read_text(encoding="utf-8")
    assert "Methods appendix" in text
    assert "Persons" in text
    assert "tidspunkt" not in [h for t in page.tables for h in t.head]
    assert page.tables[0].head[:3] == ["time point", "group", "rows"]
    assert {row[1] for row in page.tables[0].body} >= {"all", "a", "b"}
