"""All or nothing: both outputs replace the old ones together or not at all; bad outputs and labels refused.

``atomic_files`` is tested on its own (every failure point, a property over
which step fails), then the report command end to end: a missing ``--xlsx``
folder, a label with a control character and a failing workbook save leave
both old files as they were; an output naming an input or the other output is
refused with one line (symbolic links, case, hard links); ``$`` in labels is
drawn as text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.report.test_bad_input import SMALL_TOML, small_csv
from trivselscore.cli.commands import main
from trivselscore.report.outputs import control_character
from trivselscore.tabular import atomic
from trivselscore.tabular.atomic import atomic_files, same_file

OLD_HTML, OLD_XLSX = "old report", b"old workbook"
DISK_FULL, NO_SPACE = "disk full", "no space left on device"


def _write_all(targets: list[Path]) -> None:
    with atomic_files(targets) as temporaries:
        for temporary in temporaries:
            temporary.write_text("new")


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_atomic_files_writes_every_file(tmp_path):
    targets = [tmp_path / "a.txt", tmp_path / "b.txt"]
    (tmp_path / "a.txt").write_text("old a")
    with atomic_files(targets) as temporaries:
        assert [t.parent for t in temporaries] == [tmp_path, tmp_path]
        assert all(t.name.startswith(".") and t.name.endswith(".part") for t in temporaries)
        for temporary, text in zip(temporaries, ("new a", "new b"), strict=True):
            temporary.write_text(text)
        assert (tmp_path / "a.txt").read_text() == "old a"  # nothing replaced before the block ends
    assert [p.read_text() for p in targets] == ["new a", "new b"]
    assert _names(tmp_path) == ["a.txt", "b.txt"]


def test_atomic_files_keeps_the_mode_of_an_old_file(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    target.chmod(0o600)
    with atomic_files([target]) as (temporary,):
        temporary.write_text("new")
    assert target.stat().st_mode & 0o777 == 0o600


def test_an_error_in_the_block_leaves_every_target(tmp_path):
    targets = [tmp_path / "a.txt", tmp_path / "b.txt"]
    targets[0].write_text("old a")

    def write_then_stop() -> None:
        with atomic_files(targets) as temporaries:
            temporaries[0].write_text("new a")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_then_stop()
    assert targets[0].read_text() == "old a"
    assert _names(tmp_path) == ["a.txt"]


def test_a_missing_folder_creates_nothing(tmp_path):
    with (
        pytest.raises(FileNotFoundError, match="no such folder"),
        atomic_files([tmp_path / "a.txt", tmp_path / "nope" / "b.txt"]),
    ):
        pytest.fail("the block must not run")
    assert _names(tmp_path) == []


def test_the_same_file_twice_is_refused(tmp_path):
    with pytest.raises(ValueError, match="named twice"), atomic_files([tmp_path / "a", tmp_path / "." / "a"]):
        pytest.fail("the block must not run")


@given(failing=st.integers(0, 2), olds=st.tuples(st.booleans(), st.booleans(), st.booleans()))
def test_a_failed_rename_puts_back_every_file(tmp_path_factory, failing, olds):
    """Whichever rename fails, every target ends as it was: old content, or absent."""
    folder = tmp_path_factory.mktemp("atomic")
    targets = [folder / f"{i}.txt" for i in range(3)]
    for target, old in zip(targets, olds, strict=True):
        if old:
            target.write_text(f"old {target.name}")
    real = Path.replace
    calls = {"n": 0}

    def flaky(self: Path, target: Path) -> Path:
        if self.suffix == ".part":
            if calls["n"] == failing:
                raise OSError(DISK_FULL)
            calls["n"] += 1
        return real(self, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "replace", flaky)
        with pytest.raises(OSError, match=DISK_FULL):
            _write_all(targets)
    for target, old in zip(targets, olds, strict=True):
        assert target.exists() == old
        if old:
            assert target.read_text() == f"old {target.name}"
    assert _names(folder) == sorted(t.name for t, old in zip(targets, olds, strict=True) if old)


def test_a_file_system_without_hard_links_keeps_a_copy(tmp_path, monkeypatch):
    targets = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for target in targets:
        target.write_text(f"old {target.name}")

    def no_links(*_: object) -> None:
        raise OSError(DISK_FULL)

    monkeypatch.setattr(os, "link", no_links)
    real = Path.replace

    def second_fails(self: Path, target: Path) -> Path:
        if self.suffix == ".part" and target.name == "b.txt":
            raise OSError(DISK_FULL)
        return real(self, target)

    monkeypatch.setattr(Path, "replace", second_fails)
    with pytest.raises(OSError, match=DISK_FULL):
        _write_all(targets)
    assert [t.read_text() for t in targets] == ["old a.txt", "old b.txt"]
    assert _names(tmp_path) == ["a.txt", "b.txt"]
    assert atomic.__name__ == "trivselscore.tabular.atomic"


def test_same_file(tmp_path):
    (tmp_path / "a.html").write_text("x")
    (tmp_path / "link.html").symlink_to(tmp_path / "a.html")
    os.link(tmp_path / "a.html", tmp_path / "hard.html")
    assert same_file(tmp_path / "a.html", tmp_path / "link.html")
    assert same_file(tmp_path / "a.html", tmp_path / "hard.html")
    assert same_file(tmp_path / "a.html", tmp_path / "A.HTML")  # one file on Windows and macOS
    assert same_file(tmp_path / "x" / ".." / "a.html", tmp_path / "a.html")
    assert not same_file(tmp_path / "a.html", tmp_path / "b.html")


# --- the report command -------------------------------------------------------------------------


@pytest.fixture
def old_outputs(tmp_path):
    data = small_csv(tmp_path / "data.csv")
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    html.write_text(OLD_HTML, encoding="utf-8")
    xlsx.write_bytes(OLD_XLSX)
    return tmp_path, data, study, html, xlsx


def _report(capsys, data: Path, study: Path, *outputs: str) -> tuple[int, str]:
    code = main(["report", str(data), "--study", str(study), *outputs, "--decimal", ","])
    return code, capsys.readouterr().err


def _unchanged(folder: Path, html: Path, xlsx: Path) -> None:
    assert html.read_text(encoding="utf-8") == OLD_HTML
    assert xlsx.read_bytes() == OLD_XLSX
    assert not [n for n in _names(folder) if n.endswith((".part", ".old"))]


def test_a_missing_xlsx_folder_leaves_both_old_files(old_outputs, capsys):
    folder, data, study, html, xlsx = old_outputs
    code, err = _report(capsys, data, study, "-o", str(html), "--xlsx", str(folder / "nope" / "r.xlsx"))
    assert code == 2
    assert err == f"trivselscore: error: no such folder: {folder / 'nope'}\n"
    _unchanged(folder, html, xlsx)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (";a;", ";a\x07b;", "group column 'spor', value 'a\\x07b'"),
        (";a;", ";a\x85b;", "group column 'spor', value 'a\\x85b'"),
        (";a;", ";a\u2028b;", "group column 'spor', value 'a\\u2028b'"),
        (";slut;", ";sl\x1bt;", "time point 'sl\\x1bt'"),
    ],
)
def test_a_bad_label_leaves_both_old_files(old_outputs, capsys, old, new, where):
    folder, data, study, html, xlsx = old_outputs
    data.write_text(data.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    if "sl" in new:
        study.write_text(SMALL_TOML.replace('"slut"', '"sl\\u001bt"'), encoding="utf-8")
    code, err = _report(capsys, data, study, "-o", str(html), "--xlsx", str(xlsx))
    assert code == 2
    assert err.startswith(f"trivselscore: error: {where} contains the control character U+")
    assert err.count("\n") == 1
    _unchanged(folder, html, xlsx)


def test_a_control_character_in_the_title_is_refused(old_outputs, capsys):
    folder, data, study, html, xlsx = old_outputs
    study.write_text(SMALL_TOML.replace('"Lille test"', '"Lille\\ttest"'), encoding="utf-8")
    code, err = _report(capsys, data, study, "-o", str(html), "--xlsx", str(xlsx))
    assert code == 2
    assert "STUDY.toml title 'Lille\\ttest' contains the control character U+0009" in err
    _unchanged(folder, html, xlsx)


def test_a_failing_workbook_save_leaves_both_old_files(old_outputs, capsys, monkeypatch):
    folder, data, study, html, xlsx = old_outputs
    from openpyxl.workbook.workbook import Workbook  # type: ignore[import-untyped]  # noqa: PLC0415

    def broken(_: object, filename: object) -> None:
        Path(str(filename)).write_bytes(b"half")
        raise OSError(NO_SPACE)

    monkeypatch.setattr(Workbook, "save", broken)
    code, err = _report(capsys, data, study, "-o", str(html), "--xlsx", str(xlsx))
    assert code == 2
    assert err == "trivselscore: error: no space left on device\n"
    _unchanged(folder, html, xlsx)


def test_both_files_are_replaced_together(old_outputs, capsys):
    folder, data, study, html, xlsx = old_outputs
    code, err = _report(capsys, data, study, "-o", str(html), "--xlsx", str(xlsx))
    assert code == 0, err
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert xlsx.read_bytes()[:2] == b"PK"
    assert _names(folder) == ["STUDY.toml", "data.csv", "r.html", "r.xlsx"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["-o", "{d}"], "-o {d} would overwrite the data file {d}"),
        (["--xlsx", "{d}"], "--xlsx {d} would overwrite the data file {d}"),
        (["-o", "{s}"], "-o {s} would overwrite the study file {s}"),
        (["--xlsx", "{s}"], "--xlsx {s} would overwrite the study file {s}"),
        (
            ["-o", "{f}/x.html", "--xlsx", "{f}/x.html"],
            "-o {f}/x.html and --xlsx {f}/x.html name the same file",
        ),
        (
            ["-o", "{f}/X.html", "--xlsx", "{f}/x.HTML"],
            "-o {f}/X.html and --xlsx {f}/x.HTML name the same file",
        ),
        (["-o", "{f}/link.csv"], "-o {f}/link.csv would overwrite the data file {d}"),
        (["-o", "{f}/hard.toml"], "-o {f}/hard.toml would overwrite the study file {s}"),
        (["-o", "{f}/DATA.CSV"], "-o {f}/DATA.CSV would overwrite the data file {d}"),
    ],
)
def test_an_output_naming_an_input_or_the_other_output_is_refused(old_outputs, capsys, options, message):
    folder, data, study, _, _ = old_outputs
    (folder / "link.csv").symlink_to(data)
    os.link(study, folder / "hard.toml")
    before = {p: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    names = {"f": folder, "d": data, "s": study}
    code, err = _report(capsys, data, study, *(o.format(**names) for o in options))
    assert code == 2
    assert err.startswith(f"trivselscore: error: {message.format(**names)}; ")
    assert err.count("\n") == 1
    assert {p: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_an_output_naming_the_norm_file_is_refused(old_outputs, capsys):
    folder, data, study, html, xlsx = old_outputs
    norms = folder / "normer.csv"
    norms.write_text("scale,sex,age,mean,sd\npercentage,,,50,20\n", encoding="utf-8")
    study.write_text(SMALL_TOML + 'norms = "normer.csv"\n', encoding="utf-8")
    code, err = _report(capsys, data, study, "-o", str(html), "--xlsx", str(norms))
    assert code == 2
    assert f"--xlsx {norms} would overwrite the norm file of measure 'who5' {norms}" in err
    assert norms.read_text(encoding="utf-8").startswith("scale,sex")
    _unchanged(folder, html, xlsx)


@pytest.mark.parametrize("label", ["a $ b", "$x^2$", "pris $5", "\\frac{1}{2}$"])
def test_dollars_in_labels_are_drawn_as_text(tmp_path, capsys, label):
    data = small_csv(tmp_path / "d.csv")
    data.write_text(data.read_text(encoding="utf-8").replace(";a;", f";{label};"), encoding="utf-8")
    study = tmp_path / "STUDY.toml"
    study.write_text(SMALL_TOML, encoding="utf-8")
    out = tmp_path / "r.html"
    code, err = _report(capsys, data, study, "-o", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    figures = re.findall(r"<svg.*?</svg>", html, flags=re.DOTALL)
    assert figures
    escaped = label.replace("&", "&amp;").replace("<", "&lt;")
    assert any(escaped in svg for svg in figures)  # the legend shows the label as written


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("spor a", None),
        ("æøå \u2013 ok", None),
        ("a\tb", "\t"),
        ("a\nb", "\n"),
        ("\x7f", "\x7f"),
        ("a\u2029", "\u2029"),
    ],
)
def test_control_character(text, found):
    assert control_character(text) == found


def test_a_blank_group_value_is_no_label_problem(old_outputs, capsys):
    folder, data, study, html, _ = old_outputs
    data.write_text(data.read_text(encoding="utf-8").replace("P1;start;a;", "P1;start;;"), encoding="utf-8")
    data.write_text(data.read_text(encoding="utf-8").replace("P1;slut;a;", "P1;slut;;"), encoding="utf-8")
    code, err = _report(capsys, data, study, "-o", str(html))
    assert code == 0, err
    assert "(mangler)" in html.read_text(encoding="utf-8")  # a blank group, in Danish
    assert _names(folder) == ["STUDY.toml", "data.csv", "r.html", "r.xlsx"]
