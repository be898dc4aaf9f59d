"""Re-take the analysts' guide's screenshot of the analyses' chapter (STUDY.toml ``[analyses]``).

Builds the shipped example's report (``trivselscore report --demo``: its STUDY.toml
asks for the ``[analyses]``) with this interpreter, cuts the chapter "Flere analyser"
out of the HTML (with the report's styles), renders it with headless Chromium and
writes ``docs/img/analyses.png``:

    python scripts/screenshot_analyses.py [--out docs/img/analyses.png] [--chromium /usr/bin/chromium]

Needs Chromium (Debian: ``apt-get install chromium``) and the ``report`` extra.
Look at the PNG before committing it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from screenshot_report import shoot

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 900, 2000


def chapter(html: str) -> str:
    """The report's styles and its analyses' chapter, as a page of its own."""
    style = re.search(r"<style>.*?</style>", html, re.DOTALL)
    found = re.search(r'<section class="chapter" id="analyses">.*?</section>', html, re.DOTALL)
    if style is None or found is None:
        msg = "the report has no analyses' chapter"
        raise SystemExit(msg)
    head = f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">{style[0]}</head>'
    return f"{head}<body>{found[0]}</body></html>"


def screenshot(out: Path, chromium: str) -> Path:
    """Build the example's report (its STUDY.toml asks for the analyses) and save the chapter as ``out``."""
    with tempfile.TemporaryDirectory(prefix="trivselscore-shot-") as folder:
        here = Path(folder)
        report = here / "rapport.html"
        subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
            [sys.executable, "-m", "trivselscore", "report", "--demo", "-o", str(report)],
            check=True,
            cwd=folder,
            capture_output=True,
        )
        page = here / "analyser.html"
        page.write_text(chapter(report.read_text(encoding="utf-8")), encoding="utf-8")
        return shoot(page, out, chromium, (WIDTH, HEIGHT))


def main() -> None:
    """Parse the options and take the screenshot."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "analyses.png")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    print(f"wrote {screenshot(args.out, args.chromium)}")


if __name__ == "__main__":
    main()
