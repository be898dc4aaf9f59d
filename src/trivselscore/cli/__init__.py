"""The command-line interface (``trivselscore ...``): the top wing, which may import any other."""

from __future__ import annotations

from trivselscore.cli.commands import main

__all__ = [
    "main",
]
