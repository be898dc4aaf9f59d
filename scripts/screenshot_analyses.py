"""Re-take the analysts' guide's screenshot of the analyses' chapter (STUDY.toml ``[analyses]``).

Writes the shipped example (``trivselscore report --demo --init``), adds the
``[analyses]`` tables of ``ANALYSES`` to its STUDY.toml, builds the report with this
interpreter, cuts the chapter "Flere analyser" out of the HTML (with the report's
styles), renders it with headless Chromium and writes ``docs/img/analyses.png``:

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

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 900, 2000
ANALYSES = """
[analyses.sex_means]
measures = ["who5"]
time_points = ["start", "afslutning"]

[analyses.fremgang]
comparison = ["start", "afslutning"]
scales = { sdq = "total", scas = "total", mfq = "total", who5 = "percentage" }

[analyses.flow]
measures = ["who5"]
"""
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


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
    """Build the example's report with the analyses and save the chapter's first screen as ``out``."""
    with tempfile.TemporaryDirectory(prefix="trivselscore-shot-") as folder:
        here = Path(folder)
        run = [sys.executable, "-m", "trivselscore", "report"]
        subprocess.run([*run, "--demo", "--init"], check=True, cwd=folder, capture_output=True)  # noqa: S603
        study = here / "STUDY.toml"
        study.write_text(study.read_text(encoding="utf-8") + ANALYSES, encoding="utf-8")
        report = here / "rapport.html"
        subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
            [*run, "eksempel_eksport.csv", "--study", "STUDY.toml", "-o", str(report), "--decimal", ","],
            check=True,
            cwd=folder,
            capture_output=True,
        )
        page = here / "analyser.html"
        page.write_text(chapter(report.read_text(encoding="utf-8")), encoding="utf-8")
        shot = here / "shot.png"
        subprocess.run(  # noqa: S603 - the Chromium the user named, fixed flags
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={here / 'profile'}",
                f"--screenshot={shot}",
                f"--window-size={WIDTH},{HEIGHT}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, out)
    return out


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
