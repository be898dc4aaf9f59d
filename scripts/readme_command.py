"""Print one of the README's set-up commands, so that CI runs it verbatim.

Usage::

    python3 scripts/readme_command.py 1     # the line under "# 1. ..." in the README's quickstart
    bash -euo pipefail -c "$(python3 scripts/readme_command.py 1)"

The command is the first line after the comment ``# N.`` inside the fenced ``bash``
block of the quickstart (between the ``--8<-- [start:quickstart]`` markers).
``tests/test_install_docs.py`` checks what the two commands do.
"""

from __future__ import annotations

import argparse
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def command(number: int, readme: Path = README) -> str:
    """The README's set-up command ``number`` (one line).

    Raises:
        ValueError: The quickstart has no such command.
    """
    text = readme.read_text(encoding="utf-8")
    start = text.index("--8<-- [start:quickstart]")
    block = text[text.index("```bash", start) + len("```bash") :]
    block = block[: block.index("```")]
    lines = [line.strip() for line in block.splitlines()]
    for index, line in enumerate(lines):
        if line.startswith(f"# {number}."):
            following = [later for later in lines[index + 1 :] if later]
            if following and not following[0].startswith("#"):
                return following[0]
    msg = f"{readme.name}: the quickstart has no command '# {number}.'"
    raise ValueError(msg)


def main() -> None:
    """Print the command."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("number", type=int)
    print(command(parser.parse_args().number))


if __name__ == "__main__":
    main()
