"""MkDocs hook: render the instrument catalogue from the definitions at build time."""

from __future__ import annotations

from typing import Any

from trivselscore.cli.catalogue import render_catalogue

MARKER = "<!-- catalogue -->"


def on_page_markdown(markdown: str, **_: Any) -> str:  # noqa: ANN401 - MkDocs passes page, config, files
    """Replace the catalogue marker with the generated catalogue."""
    if MARKER in markdown:
        return markdown.replace(MARKER, render_catalogue())
    return markdown
