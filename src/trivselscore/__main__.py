"""``python -m trivselscore``: the command-line interface."""

from __future__ import annotations

import sys

from trivselscore.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through the console script tests
    sys.exit(main())
