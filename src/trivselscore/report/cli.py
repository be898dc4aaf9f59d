"""``trivselscore report``: argparse options (:func:`add_arguments`) and the run (:func:`run`).

``trivselscore report --demo -o rapport.html`` makes the report of the shipped
example (:mod:`trivselscore.report.demo`); ``--demo --init`` writes its export
and STUDY.toml into the current folder.

Exit codes: 0 written; 2 bad input (STUDY.toml, the data, an option), with one
line on stderr naming the problem and no output file left behind (each file is
written beside its target and renamed only when complete). SIGINT and SIGTERM
are the caller's (``trivselscore.cli`` wraps :func:`run` in its signal handler).

Importing this module is cheap (the command line builds its parser on every
start); the report's machinery is imported when the command runs.
"""

from __future__ import annotations

import argparse
import sys

from trivselscore.errors import TrivselscoreError

__all__ = ["USAGE_ERROR", "add_arguments", "run"]

USAGE_ERROR = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``report`` arguments to ``parser``.

    Examples:
        >>> parser = argparse.ArgumentParser()
        >>> add_arguments(parser)
        >>> args = parser.parse_args(["data.csv", "--study", "S.toml", "-o", "r.html", "--decimal", ","])
        >>> args.data, args.study, args.output, args.decimal, args.lang, args.encoding, args.sheet
        ('data.csv', 'S.toml', 'r.html', ',', 'da', None, None)
        >>> args = parser.parse_args(["--demo", "-o", "r.html"])
        >>> args.demo, args.data, args.decimal
        (True, None, None)
    """
    parser.add_argument(
        "data", nargs="?", default=None, help="the export: CSV, Excel (.xlsx), SPSS (.sav) or Stata (.dta)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the shipped example (600 made-up young people) instead of DATA and --study; "
        "with --init: write its export and STUDY.toml here",
    )
    parser.add_argument("--study", default=None, help="STUDY.toml describing the data and the report")
    parser.add_argument("-o", "--output", default=None, help="the HTML report to write")
    parser.add_argument("--xlsx", default=None, help="also write the tables to this Excel file")
    parser.add_argument("--lang", choices=("da", "en"), default="da", help="language (default: da)")
    parser.add_argument(
        "--encoding",
        default=None,
        help="a CSV file's encoding, e.g. cp1252 (default: UTF-8, BOM or not; Windows-1252 if not UTF-8)",
    )
    parser.add_argument(
        "--sheet", default=None, help="an Excel workbook's sheet, by name (default: the first)"
    )
    parser.add_argument("--delimiter", default=None, help="default: sep= line or guessed (, ; tab |)")
    parser.add_argument(
        "--decimal", choices=(".", ","), default=None, help="decimal mark in the data (default: .)"
    )
    parser.add_argument("--init", action="store_true", help="write a commented STUDY.toml guessed from DATA")
    parser.add_argument("--force", action="store_true", help="with --init: overwrite existing files")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress on stderr when slow (default: when stderr is a terminal)",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``trivselscore report`` (``--init`` or the report, of DATA or ``--demo``); return the exit code."""
    try:
        return _demo(args) if args.demo else _export(args)
    except (TrivselscoreError, ValueError, OSError, ImportError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        sys.stderr.write(f"trivselscore: error: {message}\n")
        return USAGE_ERROR


def _demo(args: argparse.Namespace) -> int:
    from trivselscore.report import demo  # noqa: PLC0415 - keeps the command line's start fast

    return demo.run_demo(args)


def _export(args: argparse.Namespace) -> int:
    if args.data is None:
        msg = "give the export (DATA), or --demo for the shipped example"
        raise ValueError(msg)
    from trivselscore.report import command  # noqa: PLC0415 - keeps the command line's start fast

    args.decimal = args.decimal or "."
    return command.run_command(args)
