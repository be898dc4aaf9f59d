"""Every install line in the docs names a source that exists today (issue 24, items 2 and 3).

trivselscore is on no package index, so ``pip install "trivselscore[report]"`` fails on a fresh
machine. Each ``pip install`` in README.md and docs/*.md must install from:

* a folder of this repository (``.``, ``".[report]"``), which must exist and be a project;
* the wheel built from it, ``trivselscore-<version>-py3-none-any.whl`` with the version in
  pyproject.toml (CI builds that file and installs it, ``.ci/run``);
* the git URL of the repository (``mkdocs.yml``'s ``repo_url``), ``trivselscore[x] @ git+URL``;
* a folder of downloaded wheels (``--no-index --find-links DIR``);
* or name trivselscore without a source where the paragraph says why that works: adding an extra to
  an *installed trivselscore* (pip keeps the installed one; CI checks this), or that it is *not on
  PyPI yet* (a line that shows what fails).

Other packages are allowed only from the short list below (projects on PyPI). Extras must be ones
pyproject.toml defines.
"""

from __future__ import annotations

import re
import runpy
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
command = runpy.run_path(str(ROOT / "scripts" / "readme_command.py"))["command"]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
VERSION = PROJECT["version"]
EXTRAS = set(PROJECT["optional-dependencies"])
WHEEL = f"trivselscore-{VERSION}-py3-none-any.whl"
_REPO = re.search(r"^repo_url:\s*(\S+)\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.MULTILINE)
assert _REPO is not None
GIT_URL = f"git+{_REPO[1]}.git"
THIRD_PARTY = {
    "pip": "pip itself (--upgrade pip)",
    "build": "the PyPA build front end (python -m build)",
    "openapi-python-client": "the client generator docs/service.md names",
}
NOT_YET = "not on PyPI yet"
INSTALLED = "installed trivselscore"
_WITH_VALUE = {"--group", "-r", "--requirement", "-f", "--find-links", "-c", "--constraint", "--proxy", "-t"}
_REQUIREMENT = re.compile(r"(?P<name>[^\[\]]+?)(?:\[(?P<extras>[^\]]*)\])?")


@dataclass(frozen=True)
class Line:
    """One ``pip install`` in a page: where, its arguments, and the paragraph around it."""

    where: str
    arguments: str
    paragraph: str


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each block between blank lines."""
    out: list[tuple[int, str]] = []
    start, block = 1, list[str]()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            out.append((start, "\n".join(block)))
            block = []
    if block:
        out.append((start, "\n".join(block)))
    return out


def install_lines(page: Path) -> list[Line]:
    """Every ``pip install`` in a page, with its arguments up to the end of the command."""
    found = []
    for start, paragraph in paragraphs(page.read_text(encoding="utf-8")):
        for offset, line in enumerate(paragraph.splitlines()):
            for match in re.finditer(r"pip install\b([^`\n]*)", line):
                arguments = re.split(r"\s(?:&&|;|#)\s|\s#\s*|`", match[1])[0]
                where = f"{page.relative_to(ROOT)}:{start + offset}"
                found.append(Line(where, arguments.strip(), paragraph))
    return found


LINES = [line for page in PAGES for line in install_lines(page)]


def requirements(arguments: str) -> tuple[list[str], dict[str, str | bool]]:
    """The requirement arguments and the options of one ``pip install``."""
    words = [word.strip("\"'") for word in shlex.split(arguments, posix=False)]
    options: dict[str, str | bool] = {}
    wanted: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in _WITH_VALUE:
            options[word] = words[index + 1]
            index += 2
            continue
        if word.startswith("-"):
            options[word] = True
        elif word == "@" and wanted:
            wanted[-1] += f" @ {words[index + 1]}"
            index += 1
        else:
            wanted.append(word)
        index += 1
    return wanted, options


def problem(  # noqa: PLR0911 - one return per kind of source reads best
    requirement: str, options: dict[str, str | bool], paragraph: str
) -> str | None:
    """Why one requirement does not name a source that exists today (None: it does)."""
    spec, _, url = requirement.partition(" @ ")
    match = _REQUIREMENT.fullmatch(spec.strip())
    if match is None:
        return f"cannot read {requirement!r}"
    name, extras = match["name"], match["extras"]
    unknown = sorted({e.strip() for e in (extras or "").split(",")} - EXTRAS - {""})
    if unknown:
        return f"{requirement!r}: unknown extra {unknown[0]!r}; extras: {sorted(EXTRAS)}"
    if url:
        pinned = re.sub(r"\.git@[\w.-]+$", ".git", url)  # a tag or commit after the URL
        return (
            None
            if name == "trivselscore" and pinned == GIT_URL
            else f"{requirement!r}: a git URL other than {GIT_URL}"
        )
    if name.endswith(".whl"):
        file_name = re.split(r"[\\/]", name)[-1]
        return (
            None if file_name == WHEEL else f"{requirement!r}: the wheel built from the repository is {WHEEL}"
        )
    if name.startswith((".", "/")):
        folder = ROOT / name
        return None if (folder / "pyproject.toml").is_file() else f"{requirement!r}: no project at {folder}"
    if name == "trivselscore":
        if options.get("--no-index") and ("--find-links" in options or "-f" in options):
            return None
        if extras and INSTALLED in paragraph:
            return None
        if NOT_YET in paragraph:
            return None
        return (
            f"{requirement!r} needs an index trivselscore is not on: install from a clone, the wheel or the "
            f"git URL, or say in the paragraph that it adds an extra to an {INSTALLED} or is {NOT_YET}"
        )
    return (
        None
        if name in THIRD_PARTY
        else f"{requirement!r}: not this project, nor one of {sorted(THIRD_PARTY)}"
    )


@pytest.mark.parametrize("line", LINES, ids=[line.where for line in LINES])
def test_every_install_line_names_a_source_that_exists(line):
    wanted, options = requirements(line.arguments)
    assert wanted, f"{line.where}: no requirement in 'pip install {line.arguments}'"
    problems = [p for r in wanted if (p := problem(r, options, line.paragraph)) is not None]
    assert problems == [], line.where


def test_the_docs_have_install_lines_to_check():
    assert len(LINES) >= 20
    assert {Path(line.where.split(":")[0]).name for line in LINES} >= {
        "README.md",
        "analysts.md",
        "service.md",
        "system-developers.md",
    }


@pytest.mark.parametrize(
    "page", ["README.md", "docs/analysts.md", "docs/service.md", "docs/system-developers.md"]
)
def test_each_guide_installs_from_a_clone_a_wheel_and_a_git_url(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    assert re.search(r'pip install (-q )?(-e )?"?\.(\[[a-z,]+\])?"?(\s|$)', text), "from a clone"
    assert re.search(rf'pip install (--\S+ )*"[^"]*{re.escape(WHEEL)}(\[[a-z,]+\])?"', text), "from the wheel"
    assert f"@ {GIT_URL}" in text, "from the git URL"
    assert "pip wheel --no-deps -w dist ." in text, "how to build the wheel"


@pytest.mark.parametrize(
    ("arguments", "paragraph", "expected"),
    [
        ('"trivselscore[report]"', "Install it:", "needs an index"),
        ("trivselscore", "Install it:", "needs an index"),
        ('"trivselscore[report]"', "Add it to an installed trivselscore:", None),
        ("trivselscore", "trivselscore is not on PyPI yet, so this fails:", None),
        ('"trivselscore-0.0.9-py3-none-any.whl[report]"', "", "the wheel built from the repository"),
        (f'"dist/{WHEEL}[report]"', "", None),
        (f'"C:\\Users\\mette\\{WHEEL}[report]"', "", None),
        ('".[reprot]"', "", "unknown extra 'reprot'"),
        ('"./nowhere[report]"', "", "no project at"),
        (".", "", None),
        ('"trivselscore[report] @ git+https://github.com/someone/else.git"', "", "a git URL other than"),
        (f'"trivselscore[report] @ {GIT_URL}"', "", None),
        (f'"trivselscore @ {GIT_URL}@v0.1.0"', "", None),
        (f'"other @ {GIT_URL}"', "", "a git URL other than"),
        ('--no-index --find-links wheels "trivselscore[report]"', "", None),
        ("--no-index trivselscore", "", "needs an index"),
        ("requests", "", "not this project"),
        ("-q --upgrade pip", "", None),
    ],
)
def test_the_checker_refuses_what_would_fail(arguments, paragraph, expected):
    wanted, options = requirements(arguments)
    problems = [p for r in wanted if (p := problem(r, options, paragraph)) is not None]
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1
        assert expected in problems[0]


def test_readme_command_1_installs_the_report_extra_and_writes_the_demo_report():
    first = command(1)
    steps = [step.strip() for step in first.split("&&")]
    assert steps[0] == "python3 -m venv .venv"
    assert '.venv/bin/pip install -q -e ".[report]"' in steps
    assert ".venv/bin/trivselscore report --demo -o rapport.html" in steps
    assert steps[-1] == ".venv/bin/python examples/score_one.py"


def test_readme_command_2_runs_the_whole_test_suite():
    assert command(2) == ".venv/bin/pip install -q --group dev -e . && .venv/bin/python -m pytest"


def test_ci_runs_readme_command_1_verbatim_and_the_wheel():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'bash -euo pipefail -c "$(python3 scripts/readme_command.py 1)"' in ci
    assert "pip wheel -q --no-deps -w" in ci
    assert "report --demo -o rapport.html" in ci
    assert "git+file://" in ci


def test_a_missing_command_is_an_error(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("<!-- --8<-- [start:quickstart] -->\n```bash\n# 1. x\necho 1\n```\n", encoding="utf-8")
    assert command(1, readme) == "echo 1"
    with pytest.raises(ValueError, match=re.escape("no command '# 2.'")):
        command(2, readme)
