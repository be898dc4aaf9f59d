"""The column-wise CSV reader (pyarrow) reads an export exactly as the line-by-line one, or steps aside."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.report.test_bad_input import SMALL_TOML, small_csv
from trivselscore.cli.commands import main
from trivselscore.report import readers
from trivselscore.report.config import load_config
from trivselscore.report.data import DataError, read_export
from trivselscore.tabular.csvread import CsvFileError

if TYPE_CHECKING:
    from pathlib import Path

pytest.importorskip("pyarrow")


def _both(path: Path, monkeypatch: pytest.MonkeyPatch, **options: object):
    study = path.parent / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    config = load_config(study)
    slow = read_export(path, config, **options)  # type: ignore[arg-type]
    with monkeypatch.context() as patch:
        patch.setattr(readers, "_FAST_FROM", 0)
        fast = read_export(path, config, **options)  # type: ignore[arg-type]
    return slow, fast


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_fast_equals_line_by_line(tmp_path, monkeypatch, encoding):
    data = small_csv(tmp_path / "d.csv", encoding=encoding, extra_row="007;start;æø;Pige;13,0;NA;;3; 2 ;4")
    slow, fast = _both(data, monkeypatch, decimal=",")
    assert fast.guessed == slow.guessed == ("cp1252" if encoding == "cp1252" else None)
    assert fast.header == slow.header
    assert fast.n_rows == slow.n_rows == 25
    assert fast.rows == slow.rows
    assert fast.rows[-1]["id"] == "007"  # a label column stays text
    assert fast.rows[-1]["spor"] == "æø"


def test_an_encoding_given_is_used(tmp_path, monkeypatch):
    data = small_csv(tmp_path / "d.csv", encoding="cp1252", extra_row="P99;start;æø;pige;13,5;1;1;1;1;1")
    slow, fast = _both(data, monkeypatch, decimal=",", encoding="cp1252")
    assert fast.guessed is slow.guessed is None  # given, not guessed
    assert fast.rows == slow.rows
    assert fast.rows[-1]["spor"] == "æø"


def test_a_text_answer_stays_text(tmp_path, monkeypatch):
    data = small_csv(tmp_path / "d.csv", extra_row="P99;start;a;pige;13,5;x;1;1;1;1")
    slow, fast = _both(data, monkeypatch, decimal=",")
    assert fast.rows == slow.rows
    assert fast.columns["who5_1"][-1] == "x"
    assert isinstance(fast.columns["who5_1"], list)  # not all numbers: values as read


def test_without_decimal_comma_ages_stay_text(tmp_path, monkeypatch):
    slow, fast = _both(small_csv(tmp_path / "d.csv"), monkeypatch)
    assert fast.rows == slow.rows
    assert fast.rows[0]["alder"] == "12,5"


def test_an_unknown_sex_code_names_the_first_row_with_it(tmp_path, monkeypatch):
    data = small_csv(tmp_path / "d.csv", extra_row="P99;start;a;9;13,5;1;1;1;1;1")
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    with pytest.raises(DataError) as slow:
        read_export(data, load_config(study), decimal=",")
    monkeypatch.setattr(readers, "_FAST_FROM", 0)
    with pytest.raises(DataError) as fast:
        read_export(data, load_config(study), decimal=",")
    assert str(fast.value) == str(slow.value)
    assert "data row 25" in str(fast.value)


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("P99;start;a;pige", "short row"),
        ('P99;start;"a\nb";pige;13,5;1;1;1;1;1', "line break in a cell"),
        ("P99;start;a;pige;13,5;1;1;1;1;1;", "trailing delimiter"),
        ('P99;start;"a;pige;13,5;1;1;1;1;1', "quote never closed"),
        ("P99;start;a\x00;pige;13,5;1;1;1;1;1", "NUL"),
    ],
)
def test_steps_aside_where_the_line_reader_judges(tmp_path, extra, problem):
    data = small_csv(tmp_path / "d.csv", n=1_500, extra_row=extra)  # past the first 64 KiB sampled
    assert readers.fast_csv(data, minimum=0) is None, problem


def test_steps_aside_for_a_small_file_a_nameless_column_or_utf16(tmp_path):
    data = small_csv(tmp_path / "d.csv")
    assert readers.fast_csv(data) is None  # below the size it is worth it for
    assert readers.fast_csv(data, minimum=0) is not None
    text = data.read_text(encoding="utf-8")
    (tmp_path / "n.csv").write_text(text.replace("spor;", ";", 1), encoding="utf-8")
    assert readers.fast_csv(tmp_path / "n.csv", minimum=0) is None
    (tmp_path / "u.csv").write_text(text, encoding="utf-16")
    assert readers.fast_csv(tmp_path / "u.csv", minimum=0) is None
    (tmp_path / "s.csv").write_text("sep=;\n" + text, encoding="utf-8")
    found = readers.fast_csv(tmp_path / "s.csv", minimum=0)
    assert found is not None
    assert found.n_rows == 24
    assert readers.fast_csv(tmp_path / "d.xlsx", minimum=0) is None


def test_a_name_used_twice_is_refused_with_the_same_message(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("id;a;a\n1;2;3\n", encoding="utf-8")
    with pytest.raises(DataError) as fast:
        readers.fast_csv(data, minimum=0)
    with pytest.raises(DataError) as slow, readers.open_source(data):
        pass
    assert str(fast.value) == str(slow.value)


def test_a_short_row_still_names_its_line(tmp_path, monkeypatch, capsys):
    data = small_csv(tmp_path / "d.csv", extra_row="P99;start;a;pige")
    (tmp_path / "S.toml").write_text(SMALL_TOML, encoding="utf-8")
    monkeypatch.setattr(readers, "_FAST_FROM", 0)
    code = main(["report", str(data), "--study", str(tmp_path / "S.toml"), "-o", str(tmp_path / "r.html")])
    assert code == 2
    assert "line 26" in capsys.readouterr().err
    with pytest.raises(CsvFileError), readers.open_source(data) as source:
        list(source.chunks)


def test_the_report_is_the_same_either_way(tmp_path, monkeypatch):
    data = small_csv(tmp_path / "d.csv", n=30)
    (tmp_path / "S.toml").write_text(SMALL_TOML, encoding="utf-8")
    args = ["report", str(data), "--study", str(tmp_path / "S.toml"), "--decimal", ",", "--no-progress"]
    assert main([*args, "-o", str(tmp_path / "slow.html")]) == 0
    monkeypatch.setattr(readers, "_FAST_FROM", 0)
    assert main([*args, "-o", str(tmp_path / "fast.html")]) == 0
    assert (tmp_path / "slow.html").read_bytes() == (tmp_path / "fast.html").read_bytes()
