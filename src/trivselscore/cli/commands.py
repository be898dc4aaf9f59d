"""Command-line interface of trivselscore.

Commands::

    trivselscore list
    trivselscore describe ID
    trivselscore schema ID                 # JSON Schema of one respondent's answers
    trivselscore score ID ANSWER...        # one respondent, answers in item order
    trivselscore report DATA --study STUDY.toml -o report.html [--xlsx report.xlsx] [--lang en]
    trivselscore report DATA --init [--study STUDY.toml] [--force]
    trivselscore report --demo -o report.html  # the shipped example; --demo --init writes its files here
    trivselscore score ID FILE.csv [-o OUT.csv] [--columns item=col,...] [--missing POLICY]
                                   [--id-column COL] [--keep-going] [--raw-cells] [--encoding ENC]
                                   [--delimiter D] [--decimal ,]
                                   [--age-column COL | --age A] [--sex-column COL]
                                   [--age-policy flag|raise]

``score`` reads a file when it gets exactly one argument after the id that ends
in ``.csv`` (any case) or names an existing file; otherwise the arguments are
answers, read as CSV cells are (``trivselscore.tabular.csvfile.parse_answer``): ASCII
numbers (``3``, ``+3``, ``3.0``; ``2.5`` is refused as not whole), missing tokens
(``NA``, ``.``...), and nothing else (``1e0``, ``0_1``, ``٣`` are refused, naming
the item).

A CSV run ends with one line on stderr whose counts balance (records read =
scored + partly scored + not scored for missing answers + not scored for errors +
blank lines skipped); with ages it then counts the rows outside the instrument's
age range (scored, no bands; the columns ``outside_age_range`` and ``age_reason``
say which and why). ``--age-policy raise`` stops at the first such row instead
(exit 2, naming the row and the age). ``-o OUT.csv`` is written all or nothing: a failing or
interrupted run leaves an existing ``OUT.csv`` as it was and no partial file.

Exit codes: 0 success; 1 a CSV file had rows that could not be scored
(they are in the output with an ``error``; ``--keep-going`` makes this 0);
2 bad input (unknown id, bad answer, unreadable file, missing columns, a quote
that never closes, a bad ``--sex`` word, an age outside the range with
``--age-policy raise``): one line on stderr, no traceback; 130 and 143 a CSV run
stopped by SIGINT or SIGTERM, with one line.
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pydantic import ValidationError

from trivselscore.cli.catalogue import band_interval
from trivselscore.cli.interrupt import Stopped, stop_on_signals
from trivselscore.definitions.model import Respondent
from trivselscore.engine.scoring import score
from trivselscore.errors import TrivselscoreError
from trivselscore.instruments.registry import INSTRUMENTS, get_instrument
from trivselscore.report.cli import add_arguments as add_report_arguments
from trivselscore.report.cli import run as run_report
from trivselscore.service import add_arguments as add_serve_arguments
from trivselscore.service import run as run_serve
from trivselscore.tabular.csvfile import CsvOptions, check_options, parse_answer, score_csv
from trivselscore.tabular.schema import json_schema

if TYPE_CHECKING:
    from collections.abc import Sequence

    from trivselscore.definitions.instrument import Instrument
    from trivselscore.engine.results import Score

__all__ = ["main"]

USAGE_ERROR = 2
ROWS_NOT_SCORED = 1
_FILE_ONLY = (
    "output",
    "columns",
    "id_column",
    "age_column",
    "sex_column",
    "delimiter",
    "encoding",
    "decimal",
)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit code (2 for bad input).

    Examples:
        >>> main(["score", "who5", "3", "4", "2", "3", "1"])
        raw: 13
        percentage: 52  band (risk): no_risk = no risk of depression/stress indicated
        flag low_item: an item was answered 0 or 1: assess for depression (WHO-5 form rule)
        0
    """
    stream = out if out is not None else console_safe(sys.stdout)
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        return run_serve(args)
    if args.command == "report":
        return _report(args)
    try:
        if args.command == "list":
            for instrument in INSTRUMENTS.values():
                print(f"{instrument.id}\t{instrument.name} ({instrument.informant})", file=stream)
        elif args.command == "describe":
            print(describe(get_instrument(args.id)), file=stream)
        elif args.command == "schema":
            print(json.dumps(json_schema(args.id), indent=2, ensure_ascii=False), file=stream)
        elif _is_file(args.answers):
            return _score_file(args, stream)
        else:
            _single_only(args)
            instrument = get_instrument(args.id)
            answers = [parse_answer(token) for token in args.answers]
            result = score(
                instrument,
                answers,
                missing=args.missing,
                respondent=_respondent(args),
                scheme=args.scheme,
                age_policy=args.age_policy,
            )
            print(render(result, instrument), file=stream)
    except BrokenPipeError:  # e.g. `trivselscore score ID FILE.csv | head`: the reader left
        _silence_stdout()
        return 0
    except (TrivselscoreError, ValueError, OSError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"trivselscore: error: {message}", file=sys.stderr)
        return USAGE_ERROR
    return 0


def console_safe(stream: TextIO) -> TextIO:
    r"""``stream``, set to show a character its code page lacks as its escape (``\u03a9``), as stderr does.

    A Windows console with its output redirected encodes as the ANSI code page (cp1252 for
    Danish), which lacks e.g. ``Ω``: without this, printing one stops the command with a
    traceback. UTF-8 streams, and streams already given an error handler, are left as they are.
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    if (
        isinstance(stream, io.TextIOWrapper)
        and stream.errors == "strict"
        and not codecs.lookup(encoding).name.startswith("utf")
    ):
        stream.reconfigure(errors="backslashreplace")
    return stream


def _report(args: argparse.Namespace) -> int:
    """``trivselscore report``, stopped cleanly by SIGINT/SIGTERM (no partial file is left)."""
    try:
        with stop_on_signals():
            return run_report(args)
    except Stopped as stop:
        print(f"trivselscore: stopped by {stop.name}; no report was written", file=sys.stderr)
        return stop.exit_code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _is_file(answers: Sequence[str]) -> bool:
    """One argument that ends in .csv or names an existing file: score a file."""
    if len(answers) != 1:
        return False
    return answers[0].lower().endswith(".csv") or Path(answers[0]).is_file()


def _single_only(args: argparse.Namespace) -> None:
    given = [name for name in _FILE_ONLY if getattr(args, name) is not None]
    given += [name for name in ("keep_going", "raw_cells") if getattr(args, name)]
    if given:
        options = ", ".join("--" + name.replace("_", "-") for name in given)
        msg = f"{options}: only with a CSV file (score ID FILE.csv)"
        raise ValueError(msg)


def _score_file(args: argparse.Namespace, stream: TextIO) -> int:
    instrument = get_instrument(args.id)
    path = Path(args.answers[0])
    encoding = args.encoding or "utf-8-sig"
    try:
        codecs.lookup(encoding)
    except LookupError:
        msg = f"--encoding: unknown encoding {encoding!r}"
        raise ValueError(msg) from None
    if not path.is_file():
        msg = f"no such file: {path}"
        raise FileNotFoundError(msg)
    check_options(instrument, args.missing, args.scheme, args.age_policy)  # before -o creates the output
    options = CsvOptions(
        columns=_columns(args.columns),
        missing=args.missing,
        scheme=args.scheme,
        id_column=args.id_column,
        age_column=args.age_column,
        sex_column=args.sex_column,
        respondent=_respondent(args),
        age_policy=args.age_policy,
        delimiter=_delimiter(args.delimiter),
        encoding=encoding,
        decimal=args.decimal or ".",
        chunk_size=args.chunk_size,
        progress=sys.stderr.isatty() if args.progress is None else args.progress,
        raw_cells=args.raw_cells,
    )
    target: TextIO | Path = stream
    if args.output is not None:
        target = Path(args.output)
        if target.resolve() == path.resolve():
            msg = f"-o {args.output} would overwrite the input file"
            raise ValueError(msg)
    try:
        with stop_on_signals():
            summary = score_csv(instrument, path, target, options)  # -o: written all or nothing
    except Stopped as stop:
        kept = f"{args.output} was not changed" if args.output is not None else "the output is incomplete"
        print(f"trivselscore: stopped by {stop.name}; {kept}", file=sys.stderr)
        return stop.exit_code
    print(f"trivselscore: {summary.line()}", file=sys.stderr)
    if summary.bad_rows:
        return 0 if args.keep_going else ROWS_NOT_SCORED
    return 0


def _respondent(args: argparse.Namespace) -> Respondent:
    """``--age`` and ``--sex`` as a ``Respondent``; a bad value is one line naming the option."""
    try:
        return Respondent(age=args.age, sex=args.sex)
    except ValidationError as error:
        problem = error.errors()[0]
        option = "--" + str(problem["loc"][0]) if problem["loc"] else "--age/--sex"
        text = str(problem["msg"]).removeprefix("Value error, ")
        shown = repr(problem["input"])
        msg = f"{option}: {text}" if shown in text else f"{option} {shown}: {text}"
        raise ValueError(msg) from None


def _columns(text: str | None) -> dict[str, str | None]:
    """Parse ``item=column,item=column`` (an empty column: the item was not collected)."""
    if not text:
        return {}
    mapping: dict[str, str | None] = {}
    for pair in text.split(","):
        item, sep, column = pair.partition("=")
        if not sep or not item.strip():
            msg = f"--columns: {pair!r} is not item=column"
            raise ValueError(msg)
        mapping[item.strip()] = column.strip() or None
    return mapping


def _delimiter(text: str | None) -> str | None:
    if text is None:
        return None
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
    delimiter = named.get(text.lower(), text)
    if len(delimiter) != 1:
        msg = f"--delimiter: {text!r} is not one character (or tab, comma, semicolon)"
        raise ValueError(msg)
    return delimiter


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trivselscore", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the instruments")
    describe_cmd = commands.add_parser("describe", help="items, scales, cutoffs and sources")
    describe_cmd.add_argument("id")
    schema_cmd = commands.add_parser("schema", help="JSON Schema of one respondent's answers")
    schema_cmd.add_argument("id")
    serve_cmd = commands.add_parser("serve", help="run the HTTP scoring service (needs trivselscore[server])")
    add_serve_arguments(serve_cmd)
    report_cmd = commands.add_parser(
        "report", help="the evaluation report (HTML, Excel) from a CSV or Excel export and STUDY.toml"
    )
    add_report_arguments(report_cmd)
    score_cmd = commands.add_parser("score", help="score one respondent, or every row of a CSV file")
    score_cmd.add_argument("id")
    score_cmd.add_argument(
        "answers", nargs="+", help="answers in item order (NA for missing), or one FILE.csv"
    )
    score_cmd.add_argument("--missing", default=None, help="raise, propagate, prorate or a variant id")
    score_cmd.add_argument("--scheme", default=None, help="cutoff scheme for the band")
    score_cmd.add_argument("--age", type=float, default=None, help="age in years (every row of a file)")
    score_cmd.add_argument(
        "--sex", default=None, help="female/male, pige/dreng, kvinde/mand, K/M (any case; every row)"
    )
    score_cmd.add_argument(
        "--age-policy",
        default="flag",
        help="an age outside the instrument's range: flag (scored, no bands; default) or raise (exit 2)",
    )
    files = score_cmd.add_argument_group("CSV files")
    files.add_argument("-o", "--output", default=None, help="write here instead of stdout")
    files.add_argument("--columns", default=None, help="item=column,... (item= for an item not collected)")
    files.add_argument("--id-column", default=None, help="copy this column to the output (else: row)")
    files.add_argument("--age-column", default=None, help="column with each respondent's age")
    files.add_argument("--sex-column", default=None, help="column with female/male, pige/dreng, K/M...")
    files.add_argument("--keep-going", action="store_true", help="exit 0 even if rows were not scored")
    files.add_argument(
        "--raw-cells",
        action="store_true",
        help="copy id cells as read, even one a spreadsheet would run as a formula (default: a leading ')",
    )
    files.add_argument("--delimiter", default=None, help="default: guessed from the header (, ; tab |)")
    files.add_argument(
        "--encoding", default=None, help="e.g. cp1252, utf-16 (default: utf-8 with or without BOM)"
    )
    files.add_argument(
        "--decimal", choices=(".", ","), default=None, help="decimal mark of answers, ages and scores"
    )
    files.add_argument("--chunk-size", type=_positive, default=20_000, help="rows per chunk")
    files.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress on stderr (default: when stderr is a terminal)",
    )
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        msg = f"must be at least 1, not {value}"
        raise argparse.ArgumentTypeError(msg)
    return value


def render(result: Score, instrument: Instrument | None = None) -> str:
    """Render a ``Score`` as plain lines; with the instrument, doubtful bands are marked."""
    lines = []
    for scale in result.scales:
        if scale.value is None:
            lines.append(f"{scale.scale}: None ({scale.reason})")
            continue
        text = f"{scale.scale}: {scale.value:g}"
        if scale.prorated:
            text += " (prorated)"
        if scale.t_score is not None:
            text += f"  T={scale.t_score:.1f}"
        for band in scale.bands:
            if band.scheme == result.scheme:
                shown = f"{band.band} = {band.label_en}" if band.band else f"None ({band.reason})"
                text += f"  band ({band.scheme}): {shown}"
                if band.band and instrument is not None:
                    text += _doubt(instrument, band.scheme, scale.scale, band.band, band.label_en)
        lines.append(text)
    lines.extend(f"flag {flag.id}: {flag.message}" for flag in result.flags)
    return "\n".join(lines)


def _doubt(instrument: Instrument, scheme_id: str, scale_id: str, band_id: str, label: str | None) -> str:
    """`` [unverified]`` or `` [derived]`` when the band's source (or its scheme's) is not verified."""
    scheme = instrument.scheme(scheme_id)
    for table in scheme.cutoffs:
        for band in table.bands:
            if table.scale == scale_id and band.id == band_id and band.label_en == label:
                source = band.source or scheme.source
                return "" if source.verified else f" [{source.status}]"
    return ""  # pragma: no cover - a band in a result always comes from the scheme


def describe(instrument: Instrument) -> str:
    """Describe an instrument: items, scales, schemes and every source."""
    lines = [
        f"{instrument.id}: {instrument.name} (definition version {instrument.version})",
        f"informant: {instrument.informant}",
        f"source: {instrument.source}",
        f"licence: {instrument.licence}",
        "items:",
    ]
    for item in instrument.items:
        aliases = f" aliases {', '.join(item.aliases)}" if item.aliases else ""
        lines.append(f"  {item.id}: {item.theme}; codes {list(item.codes)}{aliases}")
    lines.append("scales:")
    for scale in instrument.scales:
        low, high = instrument.scale_range(scale.id)
        parts = f"items {', '.join(scale.items)}" if scale.items else f"scales {', '.join(scale.scales)}"
        if scale.multiplier != 1:
            parts += f" x {scale.multiplier}"
        reverse = f"; reversed {', '.join(scale.reverse)}" if scale.reverse else ""
        rule = scale.missing
        lines.append(f"  {scale.id} ({scale.label_en}): {parts}{reverse}; range {low}-{high}")
        lines.append(
            f"    missing: {rule.kind}, min answered {rule.min_answered}, rounding {rule.rounding}"
            f" [{rule.source}]"
        )
        lines.append(f"    source: {scale.source}")
    lines.append("cutoff schemes:")
    for scheme in instrument.schemes:
        default = " (default)" if scheme.id == instrument.default_scheme else ""
        lines.append(f"  {scheme.id}{default}: {scheme.label_en}; source: {scheme.source}")
        for table in scheme.cutoffs:
            who = ", ".join(_table_context(table.sex, table.min_age, table.max_age))
            lines.append(f"    {table.scale}{f' ({who})' if who else ''}:")
            for band in table.bands:
                marker = f" [{band.source}]" if band.source else ""
                lines.append(f"      {band_interval(band, scheme.metric)} {band.id}: {band.label_en}{marker}")
        if scheme.note:
            lines.append(f"    note: {scheme.note}")
    lines.extend(
        f"flag {flag.id} ({flag.kind}): {flag.message}; source: {flag.source}" for flag in instrument.flags
    )
    lines.extend(
        f"norm table {t.id}: {t.label}; {len(t.rows)} rows; source: {t.source}" for t in instrument.norms
    )
    lines.extend(f"note: {note}" for note in instrument.notes)
    return "\n".join(lines)


def _table_context(sex: str | None, min_age: float | None, max_age: float | None) -> list[str]:
    context = [sex] if sex else []
    if min_age is not None or max_age is not None:
        low = "" if min_age is None else f"{min_age:g}"
        high = "" if max_age is None else f"{max_age:g}"
        context.append(f"age {low}-{high}")
    return context
