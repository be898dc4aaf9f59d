"""Write the scoring service's OpenAPI document to docs/openapi.json, or check that the file is current.

Usage::

    python scripts/write_openapi.py            # (re)write docs/openapi.json
    python scripts/write_openapi.py --check    # exit 1 if the file differs from the app's document

The document does not depend on the settings, so one file describes every
deployment; ``tests/service/test_contract.py`` fails when it is out of date.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trivselscore.service import Settings, create_app

DEFAULT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def document() -> str:
    """The app's OpenAPI document as the file holds it: indented JSON, one final newline."""
    return json.dumps(create_app(Settings()).openapi(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write or check the file; return the exit code."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=DEFAULT, help="default: docs/openapi.json")
    parser.add_argument("--check", action="store_true", help="only check that the file is current")
    args = parser.parse_args(argv)
    text = document()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            sys.stderr.write(f"{args.output} is out of date: run python scripts/write_openapi.py\n")
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {args.output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
