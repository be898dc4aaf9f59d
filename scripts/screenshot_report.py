"""Re-take the README's screenshot: the first page of the shipped example's report.

Builds ``trivselscore report --demo`` with this interpreter, renders the HTML with
headless Chromium and writes ``docs/img/report.png`` (the README and the analysts'
guide show it). Run it after a change to the report:

    python scripts/screenshot_report.py [--out docs/img/report.png] [--chromium /usr/bin/chromium]

Needs Chromium (Debian: ``apt-get install chromium``) and the ``report`` extra.
Look at the PNG before committing it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 900, 1250
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


def screenshot(out: Path, chromium: str) -> Path:
    """Build the demo report in a temporary folder and save its first screen as ``out``."""
    with tempfile.TemporaryDirectory(prefix="trivselscore-shot-") as folder:
        report = Path(folder) / "rapport.html"
        subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
            [sys.executable, "-m", "trivselscore", "report", "--demo", "-o", str(report)],
            check=True,
            cwd=folder,
        )
        return shoot(report, out, chromium, (WIDTH, HEIGHT))


def shoot(page: Path, out: Path, chromium: str, size: tuple[int, int]) -> Path:
    """Render ``page`` with headless Chromium in a window of ``size`` and save its first screen as ``out``."""
    with tempfile.TemporaryDirectory(prefix="trivselscore-chromium-") as folder:
        shot = Path(folder) / "shot.png"
        subprocess.run(  # noqa: S603 - the Chromium the user named, fixed flags
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={Path(folder) / 'profile'}",
                f"--screenshot={shot}",
                f"--window-size={size[0]},{size[1]}",
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
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "report.png")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    print(f"wrote {screenshot(args.out, args.chromium)}")


if __name__ == "__main__":
    main()
