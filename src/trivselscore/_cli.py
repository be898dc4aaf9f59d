"""Command-line interface: ``trivselscore list | describe ID | score ID ANSWER...``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from trivselscore._model import Respondent
from trivselscore._registry import INSTRUMENTS, get_instrument
from trivselscore._scoring import score
from trivselscore.errors import TrivselscoreError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from trivselscore._instrument import Instrument
    from trivselscore._results import Score

__all__ = ["main"]

MISSING_TOKENS = frozenset({"", "na", "nan", ".", "-", "none"})
USAGE_ERROR = 2


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit code (2 for bad input).

    Examples:
        >>> main(["score", "who5", "3", "4", "2", "3", "1"])
        raw: 13
        percentage: 52  band (risk): no_risk = no risk of depression/stress indicated
        flag low_item: an item was answered 0 or 1: assess for depression (WHO-5 form rule)
        0
    """
    stream = out if out is not None else sys.stdout
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            for instrument in INSTRUMENTS.values():
                print(f"{instrument.id}\t{instrument.name} ({instrument.informant})", file=stream)
        elif args.command == "describe":
            print(describe(get_instrument(args.id)), file=stream)
        else:
            instrument = get_instrument(args.id)
            answers = [_parse(token) for token in args.answers]
            respondent = Respondent(age=args.age, sex=args.sex)
            result = score(
                instrument, answers, missing=args.missing, respondent=respondent, scheme=args.scheme
            )
            print(render(result), file=stream)
    except (TrivselscoreError, ValueError) as error:
        message = str(error).splitlines()[0]
        print(f"trivselscore: error: {message}", file=sys.stderr)
        return USAGE_ERROR
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trivselscore", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the instruments")
    describe_cmd = commands.add_parser("describe", help="items, scales, cutoffs and sources")
    describe_cmd.add_argument("id")
    score_cmd = commands.add_parser("score", help="score one respondent")
    score_cmd.add_argument("id")
    score_cmd.add_argument("answers", nargs="+", help="answers in item order; NA for missing")
    score_cmd.add_argument("--missing", default=None, help="raise, propagate, prorate or a variant id")
    score_cmd.add_argument("--scheme", default=None, help="cutoff scheme for the band")
    score_cmd.add_argument("--age", type=float, default=None)
    score_cmd.add_argument("--sex", choices=("female", "male"), default=None)
    return parser


def _parse(token: str) -> int | float | str | None:
    """Parse one answer token without guessing: integers, decimals, or missing."""
    if token.strip().lower() in MISSING_TOKENS:
        return None
    for kind in (int, float):
        try:
            return kind(token)
        except ValueError:
            continue
    return token


def render(result: Score) -> str:
    """Render a ``Score`` as plain lines."""
    lines = []
    for scale in result.scales:
        if scale.value is None:
            lines.append(f"{scale.scale}: None ({scale.reason})")
            continue
        text = f"{scale.scale}: {scale.value:g}"
        if scale.prorated:
            text += " (prorated)"
        for band in scale.bands:
            if band.scheme == result.scheme:
                shown = f"{band.band} = {band.label_en}" if band.band else f"None ({band.reason})"
                text += f"  band ({band.scheme}): {shown}"
        lines.append(text)
    lines.extend(f"flag {flag.id}: {flag.message}" for flag in result.flags)
    return "\n".join(lines)


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
                lines.append(f"      {band.interval} {band.id}: {band.label_en}{marker}")
        if scheme.note:
            lines.append(f"    note: {scheme.note}")
    lines.extend(
        f"flag {flag.id} ({flag.kind}): {flag.message}; source: {flag.source}" for flag in instrument.flags
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
