"""The report as a reader sees it: headless Chromium with the network off, and nothing fetched.

Chromium opens the file by a file:// URL with every proxied connection sent to
a closed port (127.0.0.1:9), so any fetch would fail. Without Chromium the
render test is skipped locally but fails when CI is set (CI installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from matplotlib import image

from tests.report.pages import Page, plain

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=127.0.0.1:9",
]


def _chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed, and CI is set: the render test must run in CI")
        pytest.skip("chromium is not installed (/usr/bin/chromium); the render test runs in CI")
    return CHROMIUM


def _run(args: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    profile = folder / f"profile-{len(list(folder.iterdir()))}"
    return subprocess.run(
        [_chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        env={**os.environ, "HOME": str(folder)},
    )


@pytest.fixture(scope="module")
def rendered(report_run, tmp_path_factory):
    assert report_run.code == 0, report_run.stderr
    folder = tmp_path_factory.mktemp("chromium")
    url = report_run.html_path.resolve().as_uri()
    png = folder / "report.png"
    shot = _run([f"--screenshot={png}", "--window-size=1240,1754", url], folder)
    assert png.is_file(), shot.stderr[-2000:]
    dom = _run(["--dump-dom", url], folder)
    assert dom.returncode == 0, dom.stderr[-2000:]
    return png, dom.stdout


def test_screenshot_is_not_blank(rendered):
    png, _ = rendered
    pixels = image.imread(png)
    assert pixels.shape[:2] == (1754, 1240)
    grey = pixels[..., :3].mean(axis=2)
    assert grey.std() > 0.05
    assert (grey < 0.5).mean() > 0.01  # text and lines, not a white page
    assert png.stat().st_size > 20_000


def test_page_text_has_the_key_numbers(rendered, study):
    _, dom = rendered
    text = plain(" ".join(Page(dom).text))
    assert "Evaluering af Sammen på sporet" in text
    summary = study.summary("who5", "percentage", by=["forløb"])
    first = summary.rows[0]
    assert f"{first.mean.text()}" in text
    change = study.change("start", "3 mdr", by=["forløb"], scales={"who5": ["percentage"]})
    share = next(c for c in change.rows[0].categories if c.key == "improvement").share
    assert share.text(percent=True) in text
    assert str(study.n_persons) in text
    assert "<b>gruppe & co</b>" in text  # the escaped label came through as text
    by_sex = study.summary("who5", "percentage", by=["køn"])
    girls = " / ".join(r.n.text(digits=0) for r in by_sex.rows if r.group == "female")
    assert f"piger/kvinder (n = {girls})" in text  # the figure's legend, as SVG text


def test_nothing_is_loaded_from_elsewhere(report_run):
    page = Page(report_run.html)
    assert page.external == []
    assert "script" not in page.tags
    assert "link" not in page.tags
    assert "<svg" in report_run.html
    assert "@page" in report_run.html
    assert "break-before: page" in report_run.html


@pytest.mark.parametrize(
    "snippet",
    [
        '<img src="https://example.org/x.png">',
        '<link rel="stylesheet" href="https://example.org/x.css">',
        "<style>body { background: url(https://example.org/x.png) }</style>",
        "<style>@import 'x.css';</style>",
        '<script src="x.js"></script>',
        '<svg><image xlink:href="http://example.org/a.png"/></svg>',
    ],
)
def test_the_checker_finds_external_resources(snippet):
    assert Page(f"<html><body>{snippet}</body></html>").external


def test_the_checker_allows_citations_and_fragments():
    inside = '<svg><use xlink:href="#g1"/><path clip-path="url(#p1)"/></svg>'
    page = Page(f'<a href="https://doi.org/10.1/x">doi</a>{inside}')
    assert page.external == []


def test_figures_have_unique_ids(report_run):
    """Several inline SVGs in one page: their ids (each change figure's hatch pattern) must not collide."""
    ids = re.findall(r'\bid="([^"]+)"', report_run.html)
    assert sum(i.endswith("-hidden") for i in ids) >= 4
    assert len(ids) == len(set(ids))
