"""The ``trivselscore report`` run: ``--init``, or the export -> Study -> HTML and Excel files.

Called by :func:`trivselscore.report.cli.run`, which turns an error into one
line and exit code 2.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import importlib.metadata
import re
import shlex
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from trivselscore.report import sections
from trivselscore.report.build import build, make_study
from trivselscore.report.config import load_config
from trivselscore.report.data import read_export
from trivselscore.report.excel import read_sheet, sheet_names
from trivselscore.report.guess import guess_measures, role_column
from trivselscore.report.html import render_html
from trivselscore.report.init import guess_study, study_toml
from trivselscore.report.outputs import check_labels, check_outputs
from trivselscore.report.predictors import predictors_grid
from trivselscore.report.readers import EXCEL_SUFFIXES, header_name, open_source
from trivselscore.report.survey import label_order, survey_grid
from trivselscore.report.tables import change_grid, combined_grid, front_facts, summary_grid
from trivselscore.report.xlsx import build_workbook
from trivselscore.tabular.atomic import atomic_files, atomic_text

if TYPE_CHECKING:
    from trivselscore.report.build import Content
    from trivselscore.report.tables import Grid
    from trivselscore.study.reports import Lang

__all__ = ["Progress", "grids", "guessed_note", "quoted", "run_command", "summary_line"]

_QUIET_SECONDS = 1.0
_EVERY_SECONDS = 0.5


class Progress:
    """Lines on stderr, but only once the run has taken more than a second (and then twice a second).

    Each line overwrites the last: with the ANSI erase-line code, or (``ansi=False``; the default on
    Windows, whose classic console shows the code as text) with spaces over the rest of the last line.
    """

    def __init__(self, stream: TextIO, *, enabled: bool = True, ansi: bool | None = None) -> None:
        self.stream = stream
        self.enabled = enabled
        self.ansi = sys.platform != "win32" if ansi is None else ansi
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = False
        self.width = 0

    def __call__(self, text: str) -> None:
        """Show ``text`` (overwriting the last progress line) if the run is slow enough."""
        now = time.monotonic()
        if not self.enabled or now - self.start < _QUIET_SECONDS or now - self.last < _EVERY_SECONDS:
            return
        self.last = now
        self.shown = True
        line = f"trivselscore: {text}"
        clear = "\033[K" if self.ansi else " " * max(0, self.width - len(line))
        self.width = len(line)
        self.stream.write(f"\r{line}{clear}")
        self.stream.flush()

    def done(self) -> None:
        """End the progress line, if one was shown."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def _check(args: argparse.Namespace) -> None:
    try:
        if args.encoding is not None:
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
    sheet = args.sheet if args.sheet is not None else _data_sheet(data)
    with open_source(data, encoding=args.encoding, delimiter=args.delimiter, sheet=sheet) as source:
        header = list(source.header)
        columns: dict[str, list[object]] = {name: [] for name in header}
        lists = list(columns.values())
        for chunk in source.chunks:
            for record in chunk:
                for values, value in zip(lists, record, strict=True):
                    values.append(value)
        labels, guessed = source.labels, source.guessed
    guess = guess_study(header, columns, labels)
    with atomic_text(target) as handle:
        handle.write(study_toml(guess, data_name=data.name))
    options = [f"--sheet {quoted(sheet)}"] if sheet else []
    options += [f"--encoding {args.encoding}"] if args.encoding else []
    options += [f"--delimiter {quoted(args.delimiter)}"] if args.delimiter else []
    options += [f"--decimal {quoted(',')}"] if guess.decimal_comma else []
    if guessed is not None:
        sys.stderr.write(f"trivselscore: {guessed_note(data.name, guessed, 'en')}\n")
    sys.stderr.write(
        f"trivselscore: wrote {target}; check it, then run: "
        f"trivselscore report {quoted(str(data))} --study {quoted(str(target))} -o rapport.html"
        f"{''.join(' ' + o for o in options)}\n"
    )
    return 0


def _data_sheet(data: Path) -> str | None:
    """For a workbook of several sheets, the one whose header looks most like the export's data."""
    if data.suffix.lower() not in EXCEL_SUFFIXES:
        return None
    names = sheet_names(data)
    if len(names) == 1:
        return None

    def fit(name: str) -> int:
        header = [header_name(v) for row in read_sheet(data, sheet=name, rows=1).rows for v in row]
        roles = sum(role_column(header, role) is not None for role in ("person", "time"))
        return roles + 2 * len(guess_measures(header))

    chosen = max(names, key=fit)
    sys.stderr.write(f"trivselscore: {data.name} has sheets {', '.join(map(repr, names))}; read {chosen!r}\n")
    return chosen


def quoted(text: str, *, windows: bool | None = None) -> str:
    r"""Quoted for the user's shell when it holds a space or a special character.

    On Windows (or ``windows=True``) in double quotes, which cmd and PowerShell
    both read (a lone ``,`` is PowerShell's array operator); elsewhere as a POSIX shell reads it.

    Examples:
        >>> quoted("eksport.csv", windows=False), quoted("min eksport.csv", windows=False)
        ('eksport.csv', "'min eksport.csv'")
        >>> print(quoted(r"C:\Users\Mette\min eksport.csv", windows=True), quoted(",", windows=True))
        "C:\Users\Mette\min eksport.csv" ","
    """
    if sys.platform == "win32" if windows is None else windows:
        return text if re.fullmatch(r"[\w.:\\/-]+", text) else f'"{text}"'
    return text if re.fullmatch(r"[\w@%+=:,./-]+", text) else shlex.quote(text)


def guessed_note(name: str | None, encoding: str, lang: Lang) -> str:
    """What the report and stderr say when a CSV file's encoding was guessed.

    Examples:
        >>> guessed_note("d.csv", "cp1252", "en")
        'd.csv is not UTF-8: read as Windows-1252 (cp1252)'
        >>> guessed_note(None, "cp1252", "da")
        'ikke UTF-8: læst som Windows-1252 (cp1252)'
    """
    shown = "Windows-1252 (cp1252)" if encoding == "cp1252" else encoding
    text = f"ikke UTF-8: læst som {shown}" if lang == "da" else f"not UTF-8: read as {shown}"
    return text if name is None else f"{name} is {text}" if lang == "en" else f"{name}: {text}"


def grids(content: Content, lang: Lang) -> list[Grid]:
    """Every table of the report, in the order of the HTML, each with its sheet name.

    A sheet is named by the measure (and the scale, when the measure reports
    several) and the time points by their position (``fremgang 1-3``): labels
    such as "Efter rådgivning" would not fit in Excel's 31 characters.
    """
    times = content.study.time_points

    def span(start: str, end: str) -> str:
        return f"{times.index(start) + 1}-{times.index(end) + 1}"

    def sheet(measure: str, scale: str) -> str:
        return f"{measure} {scale}" if len(content.scales[measure]) > 1 else measure

    out: list[Grid] = []
    for name, scales in content.scales.items():
        out += [
            summary_grid(r, lang, sheet=sheet(name, r.scale)) for r in content.summaries if r.measure == name
        ]
        out += [
            change_grid(
                report, name, scale, lang, sheet=sheet(name, scale), span=span(report.start, report.end)
            )
            for scale in scales
            for report in content.changes
            if any(r.measure == name and r.scale == scale for r in report.rows)
        ]
    out += [combined_grid(r, lang, span=span(r.start, r.end)) for r in content.combined]
    out += [summary_grid(r, lang, by_sex=True, sheet=sheet(r.measure, r.scale)) for r in content.by_gender]
    out += sections.grids(content, lang)
    sex = content.config.columns.sex
    out += [predictors_grid(r, lang, number=i, sex_column=sex) for i, r in enumerate(content.predictors, 1)]
    out += [survey_grid(r, lang, number=i) for i, r in enumerate(content.surveys, 1)]
    return out


def _outputs(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """(option, path) of each output asked for."""
    return [(option, Path(given)) for option, given in (("-o", args.output), ("--xlsx", args.xlsx)) if given]


def _report(args: argparse.Namespace) -> int:
    if args.study is None:
        msg = "--study STUDY.toml is needed (write one with: trivselscore report DATA --init)"
        raise ValueError(msg)
    outputs = _outputs(args)
    if not outputs:
        msg = "give -o REPORT.html and/or --xlsx REPORT.xlsx"
        raise ValueError(msg)
    data, study_file = Path(args.data), Path(args.study)
    check_outputs(outputs, {"the data file": data, "the study file": study_file})
    for _, path in outputs:
        if not path.resolve().parent.is_dir():
            msg = f"no such folder: {path.resolve().parent}"
            raise FileNotFoundError(msg)
    config = load_config(study_file)
    check_outputs(
        outputs, {f"the norm file of measure {name!r}": p for name, p in config.norm_files().items()}
    )
    enabled = sys.stderr.isatty() if args.progress is None else args.progress
    progress = Progress(sys.stderr, enabled=enabled)
    export = read_export(
        data,
        config,
        encoding=args.encoding,
        delimiter=args.delimiter,
        decimal=args.decimal,
        sheet=args.sheet,
        progress=lambda rows, done: progress(f"read {rows:,} rows ({done:.0%})"),
    )
    if export.guessed is not None:
        progress.done()
        sys.stderr.write(f"trivselscore: {guessed_note(data.name, export.guessed, 'en')}\n")
    progress("scoring")
    config = label_order(config, export)
    study = make_study(config, export)
    progress("reports")
    content = build(config, study)
    check_labels(content)
    data_name = config.data_name or data.name
    if export.guessed is not None:
        data_name += f" ({guessed_note(None, export.guessed, args.lang)})"
    _write(args, content, data_name, progress)
    progress.done()
    written = [str(path) for _, path in outputs]
    sys.stderr.write(f"trivselscore: {summary_line(content, written)}\n")
    return 0


def _write(args: argparse.Namespace, content: Content, data_name: str, progress: Progress) -> None:
    """Render every output in memory, then write them all or none (old files stay on any failure)."""
    lang: Lang = args.lang
    library = importlib.metadata.version("trivselscore")
    date = dt.datetime.now(dt.UTC).date().isoformat()
    html = book = None
    if args.output is not None:
        html = render_html(
            content,
            lang=lang,
            data_name=data_name,
            library=library,
            date=date,
            progress=lambda name: progress(f"figures: {name}"),
        )
    if args.xlsx is not None:
        about = front_facts(content, lang, data_name=data_name, library=library, date=date)
        book = build_workbook(grids(content, lang), title=content.config.title, about=about, lang=lang)
    with atomic_files([path for _, path in _outputs(args)]) as temporaries:
        files = iter(temporaries)
        if html is not None:
            with next(files).open("w", encoding="utf-8", newline="") as handle:
                handle.write(html)
        if book is not None:
            book.save(next(files))


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
