"""The ``trivselscore report`` run: ``--init``, or the export -> Study -> HTML and Excel files.

Called by :func:`trivselscore.report.cli.run`, which turns an error into one
line and exit code 2.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import importlib.metadata
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from trivselscore.report.build import build, make_study
from trivselscore.report.config import load_config
from trivselscore.report.data import EXCEL_SUFFIXES, label_text, read_excel, read_export, read_header
from trivselscore.report.html import render_html
from trivselscore.report.init import COLUMN_GUESSES, study_toml
from trivselscore.report.tables import change_grid, combined_grid, summary_grid
from trivselscore.report.xlsx import write_xlsx
from trivselscore.tabular.atomic import atomic_text
from trivselscore.tabular.csvread import open_records

if TYPE_CHECKING:
    from trivselscore.report.build import Content
    from trivselscore.report.tables import Grid
    from trivselscore.study.reports import Lang

__all__ = ["Progress", "grids", "run_command", "summary_line"]

_QUIET_SECONDS = 1.0
_EVERY_SECONDS = 0.5


class Progress:
    """Lines on stderr, but only once the run has taken more than a second (and then twice a second)."""

    def __init__(self, stream: TextIO, *, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = False

    def __call__(self, text: str) -> None:
        """Show ``text`` (overwriting the last progress line) if the run is slow enough."""
        now = time.monotonic()
        if not self.enabled or now - self.start < _QUIET_SECONDS or now - self.last < _EVERY_SECONDS:
            return
        self.last = now
        self.shown = True
        self.stream.write(f"\rtrivselscore: {text}\033[K")
        self.stream.flush()

    def done(self) -> None:
        """End the progress line, if one was shown."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def _check(args: argparse.Namespace) -> None:
    try:
        codecs.lookup(args.encoding)
    except LookupError:
        msg = f"--encoding: unknown encoding {args.encoding!r}"
        raise ValueError(msg) from None
    if args.delimiter is not None and len(args.delimiter) != 1:
        msg = f"--delimiter: {args.delimiter!r} is not one character"
        raise ValueError(msg)
    if not Path(args.data).is_file():
        msg = f"no such file: {args.data}"
        raise FileNotFoundError(msg)


def _init(args: argparse.Namespace) -> int:
    data = Path(args.data)
    target = Path(args.study or "STUDY.toml")
    if target.exists() and not args.force:
        msg = f"{target} exists; give --force to overwrite it"
        raise ValueError(msg)
    header = read_header(data, encoding=args.encoding, delimiter=args.delimiter)
    times = _time_values(data, header, args)
    with atomic_text(target) as handle:
        handle.write(study_toml(header, times, data_name=data.name))
    sys.stderr.write(
        f"trivselscore: wrote {target}; check it, then run: "
        f"trivselscore report {data} --study {target} -o rapport.html\n"
    )
    return 0


def _time_values(data: Path, header: list[str], args: argparse.Namespace) -> list[str]:
    by_fold = {h.casefold(): i for i, h in enumerate(header)}
    position = next((by_fold[n] for n in COLUMN_GUESSES["time"] if n in by_fold), None)
    if position is None:
        return ["start", "slut"]
    seen: dict[str, None] = {}
    if data.suffix.lower() in EXCEL_SUFFIXES:
        cells = read_excel(data).iloc[:, position].tolist()
        values = [text for text in map(label_text, cells) if text is not None]
        return list(dict.fromkeys(values)) or ["start", "slut"]
    with open_records(data, encoding=args.encoding, delimiter=args.delimiter) as records:
        for chunk in records.chunks(10_000):
            for record in chunk:
                if position < len(record) and record[position].strip():
                    seen.setdefault(record[position].strip())
    return list(seen) or ["start", "slut"]


def grids(content: Content, lang: Lang) -> list[Grid]:
    """Every table of the report, in the order of the HTML."""
    out: list[Grid] = []
    for name, scales in content.scales.items():
        out += [summary_grid(r, lang) for r in content.summaries if r.measure == name]
        out += [
            change_grid(report, name, scale, lang)
            for scale in scales
            for report in content.changes
            if any(r.measure == name and r.scale == scale for r in report.rows)
        ]
    out += [combined_grid(r, lang) for r in content.combined]
    out += [summary_grid(r, lang, by_sex=True) for r in content.by_gender]
    return out


def _report(args: argparse.Namespace) -> int:
    if args.study is None:
        msg = "--study STUDY.toml is needed (write one with: trivselscore report DATA --init)"
        raise ValueError(msg)
    if args.output is None and args.xlsx is None:
        msg = "give -o REPORT.html and/or --xlsx REPORT.xlsx"
        raise ValueError(msg)
    data = Path(args.data)
    for given in (args.output, args.xlsx):
        if given is not None and Path(given).resolve() == data.resolve():
            msg = f"{given} would overwrite the data file"
            raise ValueError(msg)
    config = load_config(Path(args.study))
    enabled = sys.stderr.isatty() if args.progress is None else args.progress
    progress = Progress(sys.stderr, enabled=enabled)
    export = read_export(
        data,
        config,
        encoding=args.encoding,
        delimiter=args.delimiter,
        decimal=args.decimal,
        progress=lambda rows, done: progress(f"read {rows:,} rows ({done:.0%})"),
    )
    progress("scoring")
    study = make_study(config, export)
    progress("reports")
    content = build(config, study)
    lang: Lang = args.lang
    if args.output is not None:
        library = importlib.metadata.version("trivselscore")
        date = dt.datetime.now(dt.UTC).date().isoformat()
        html = render_html(
            content,
            lang=lang,
            data_name=config.data_name or data.name,
            library=library,
            date=date,
            progress=lambda name: progress(f"figures: {name}"),
        )
        with atomic_text(Path(args.output)) as handle:
            handle.write(html)
    if args.xlsx is not None:
        write_xlsx(Path(args.xlsx), grids(content, lang))
    progress.done()
    written = [p for p in (args.output, args.xlsx) if p]
    sys.stderr.write(f"trivselscore: {summary_line(content, written)}\n")
    return 0


def summary_line(content: Content, outputs: list[str]) -> str:
    """Rows read, persons, rows not scored per measure and why, the files written."""
    study = content.study
    parts = [f"{study.n_rows:,} rows read", f"{study.n_persons:,} persons"]
    parts += [
        f"{c.name}: {c.not_given:,} rows without the form, "
        + ", ".join(f"{n:,} not scored on {s}" for s, n in c.not_scored.items())
        + " (too many missing answers)"
        for c in content.counts
    ]
    return "; ".join(parts) + f"; wrote {', '.join(outputs)}"


def run_command(args: argparse.Namespace) -> int:
    """Check the options, then write STUDY.toml (``--init``) or the report; return 0.

    Raises:
        TrivselscoreError, ValueError, OSError, ImportError: Bad input (one line for the user).
    """
    _check(args)
    return _init(args) if args.init else _report(args)
