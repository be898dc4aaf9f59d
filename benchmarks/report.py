"""Time ``trivselscore report`` on a synthetic Danish export (not a test).

Usage::

    python benchmarks/report.py                   # 10,000 persons x 4 time points
    python benchmarks/report.py --persons 500     # a quick run
    python benchmarks/report.py --compare ../main/src --repeat 3   # before and after, same run
    python benchmarks/report.py --persons 20000 --pandas          # against pandas.read_csv
    python benchmarks/report.py --persons 1000000                 # a national survey (run it once)

Writes a Danish CSV export (``;``, decimal commas, UTF-8 with BOM; WHO-5, SDQ
self-report with impact supplement, SCAS child, MFQ child; three tracks,
drop-out, forms not given at the second time point; seeded), a STUDY.toml, then
runs the command in a fresh interpreter, as an analyst would, and prints the
command, the wall time, the stderr summary line and the sizes of the files.

``--figures`` also times the report's figures in this process, side by side:
every level and change figure of the report drawn with matplotlib and saved as
SVG (:mod:`trivselscore.study.figures`, the figures a Python user gets; the report
drew these until issue 26, then with matplotlib's constrained layout), and as the
report draws them now (SVG written from the data: :mod:`trivselscore.report.svg`),
the first including matplotlib's import.

``--compare SRC`` runs the same command, on the same export, with the package
found in ``SRC`` (e.g. the ``src`` folder of a checkout of the code before a
change) and with this one, alternately ``--repeat`` times, and prints the best
wall time of each and their ratio.

Every run's peak resident memory (the child's ``ru_maxrss``) is printed with its
time. ``--pandas`` also times ``pandas.read_csv`` of the same export in a fresh
interpreter (``python -c "import pandas; pandas.read_csv(...)"``, the best of
``--repeat``), alternating with the report, and prints the ratio.

The export is written a slice of rows at a time (the answers are drawn first,
as compact numpy arrays), so a million persons fit in a few GiB here too.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

from trivselscore.instruments.registry import get_instrument

TIMES = ["start", "efter samtaler", "efter forløb", "3 mdr"]
TRACKS = np.array(["rådgivning", "individuelt forløb", "gruppeforløb"])
FORMS = {"who5": "who5", "sdq": "sdq-s11-17", "scas": "scas-c", "mfq": "mfq-c"}
PRESENT = [1.0, 0.9, 0.8, 0.6]
GIRLS = 0.7
SLICE = 50_000
STUDY = """
title = "Benchmark"
time_points = ["start", "efter samtaler", "efter forløb", "3 mdr"]
comparisons = [["start", "efter forløb"], ["start", "3 mdr"]]

[columns]
person = "elev_id"
time = "tidspunkt"
groups = ["forløb"]
sex = "køn"
age = "alder"

[measures.who5]
instrument = "who5"

[measures.sdq]
instrument = ["sdq-s11-17", "sdq-s18"]

[measures.scas]
instrument = "scas-c"

[measures.mfq]
instrument = "mfq-c"

[combined]
scales = { who5 = "percentage", sdq = "total" }
"""


def write_export(path: Path, persons: int, seed: int = 15) -> int:
    """Write the export; return its number of rows."""
    rng = np.random.default_rng(seed)
    track = TRACKS[rng.choice(3, persons, p=[0.5, 0.3, 0.2])]
    sex = np.where(rng.random(persons) < GIRLS, "pige", "dreng")
    age = np.char.replace(np.round(rng.uniform(13, 20, persons), 1).astype(str), ".", ",")
    ids = np.array([f"E{p:06d}" for p in range(persons)])
    start = rng.normal(-0.5, 0.8, persons)
    header = ["elev_id", "tidspunkt", "forløb", "køn", "alder"]
    blocks = []
    for measure, form in FORMS.items():
        header += [f"{measure}_{item}" for item in get_instrument(form).item_ids]
        blocks.append((measure, get_instrument(form)))
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for t, label in enumerate(TIMES):
            rows = np.flatnonzero(rng.random(persons) < PRESENT[t])
            level = start[rows] + 0.5 * t + rng.normal(0, 0.5, rows.size)
            columns = [ids[rows], np.full(rows.size, label), track[rows], sex[rows], age[rows]]
            for measure, instrument in blocks:
                given = rng.random(rows.size) > 0.05  # noqa: PLR2004 - 5 % forms skipped
                if measure != "who5" and label == "efter samtaler":
                    given[:] = False
                chance = 1 / (1 + np.exp(-(1.0 if measure == "who5" else -1.0) * level))
                for item in instrument.items:
                    codes = np.array([str(c) for c in sorted(item.codes)])  # as short as the codes
                    answers = codes[rng.binomial(len(codes) - 1, chance)]
                    blank = ~given | (rng.random(rows.size) < 0.01)  # noqa: PLR2004 - 1 % items skipped
                    columns.append(np.where(blank, "", answers))
            for at in range(0, rows.size, SLICE):
                writer.writerows(zip(*(c[at : at + SLICE].tolist() for c in columns), strict=True))
            written += rows.size
    return written


class Run(NamedTuple):
    """One child process: wall time, peak resident memory, exit code and stderr."""

    seconds: float
    peak_mib: float
    returncode: int
    stderr: str


_LAUNCH = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:], check=False).returncode; "
    "sys.stderr.write(f'\\npeak-rss-kib {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n'); "
    "sys.exit(code)"
)
"""A small launcher between this process and the one measured: Linux carries the high-water mark of
the memory a process was forked from into ``ru_maxrss`` at ``exec``, so a child forked from this
(large) process would report at least this process's peak; forked from the launcher, it does not."""


def _run(command: list[str], source: str | None) -> Run:
    """Run the command with the package from ``source`` first on the path; its time and peak memory."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join([source, *filter(None, [env.get("PYTHONPATH")])])
    began = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", _LAUNCH, *command], capture_output=True, text=True, check=False, env=env
    )
    seconds = time.perf_counter() - began
    text, _, peak = result.stderr.rstrip().rpartition("\npeak-rss-kib ")
    return Run(seconds, int(peak) / 1024, result.returncode, text)


def _pandas(data: Path) -> list[str]:
    """The command that reads the export with pandas in a fresh interpreter, as an analyst would."""
    code = f"import pandas; pandas.read_csv({str(data)!r}, sep=';', decimal=',')"
    return [sys.executable, "-c", code]


def time_figures(data: Path, study_file: Path) -> None:
    """Draw every figure of the report both ways (see the module) and print the two times."""
    from trivselscore.report.build import build, make_study  # noqa: PLC0415 - only with --figures
    from trivselscore.report.config import load_config  # noqa: PLC0415
    from trivselscore.report.data import read_export  # noqa: PLC0415
    from trivselscore.report.svg import change_svg, means_svg  # noqa: PLC0415

    config = load_config(study_file)
    content = build(config, make_study(config, read_export(data, config, decimal=",")))
    changes = [
        (report, name, scale)
        for report in content.changes
        for name, scale in dict.fromkeys((r.measure, r.scale) for r in report.rows)
    ]
    levels = content.summaries + content.by_gender
    began = time.perf_counter()
    for summary in levels:
        means_svg(summary, "da", title="t", axis="a")
    for report, name, scale in changes:
        change_svg(report, measure=name, scale=scale, lang="da", title="t", pattern="p")
    direct = time.perf_counter() - began
    began = time.perf_counter()
    from trivselscore.study.figures import figure_svg, plot_change, plot_means  # noqa: PLC0415

    for summary in levels:
        figure_svg(plot_means(summary, lang="da"))
    for report, name, scale in changes:
        figure_svg(plot_change(report, measure=name, scale=scale, lang="da"))
    drawn = time.perf_counter() - began
    count = len(levels) + len(changes)
    print(f"figures: {count}; matplotlib, saved as SVG: {drawn:.2f} s; ", end="")
    print(f"SVG from the data (now): {direct * 1000:.0f} ms")


def main() -> int:
    """Write the export, run the report command, print the measurements."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--keep", default=None, help="write the files here instead of a temporary folder")
    parser.add_argument("--compare", default=None, help="the src folder of the code to compare with")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (the best counts)")
    parser.add_argument("--figures", action="store_true", help="also time the figures, before and now")
    parser.add_argument("--pandas", action="store_true", help="also time pandas.read_csv of the export")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        data, study = folder / "eksport.csv", folder / "STUDY.toml"
        rows = write_export(data, args.persons)
        study.write_text(STUDY, encoding="utf-8")
        html, xlsx = folder / "rapport.html", folder / "rapport.xlsx"
        command = [
            sys.executable, "-m", "trivselscore", "report", str(data), "--study", str(study),
            "-o", str(html), "--xlsx", str(xlsx), "--decimal", ",", "--no-progress",
        ]  # fmt: skip
        print("command: trivselscore " + " ".join(command[3:]))
        print(f"export: {args.persons:,} persons, {rows:,} rows, {data.stat().st_size / 1e6:.1f} MB")
        sources: list[str | None] = [args.compare, None] if args.compare else [None]
        best: dict[str | None, Run] = {}
        reading: Run | None = None
        for _ in range(max(args.repeat, 1)):
            for source in sources:
                run = _run(command, source)
                if run.returncode != 0:
                    print(f"exit code {run.returncode} ({source or 'this code'})\n{run.stderr.strip()}")
                    return run.returncode
                if source not in best or run.seconds < best[source].seconds:
                    best[source] = run
            if args.pandas:
                run = _run(_pandas(data), None)
                reading = run if reading is None or run.seconds < reading.seconds else reading
        print(best[None].stderr.strip())
        for source, run in best.items():
            print(
                f"{source or 'this code'}: {run.seconds:.1f} s wall time (best of {max(args.repeat, 1)}), "
                f"peak memory {run.peak_mib:,.0f} MiB"
            )
        if args.compare:
            print(f"ratio: {best[None].seconds / best[args.compare].seconds:.2f}")
        if reading is not None:
            print(
                f"pandas.read_csv in a fresh interpreter: {reading.seconds:.2f} s, peak memory "
                f"{reading.peak_mib:,.0f} MiB; report / read_csv: {best[None].seconds / reading.seconds:.1f}x"
            )
        sizes = html.stat().st_size / 1e3, xlsx.stat().st_size / 1e3
        print(f"report.html {sizes[0]:.0f} kB, report.xlsx {sizes[1]:.0f} kB")
        if args.figures:
            time_figures(data, study)
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
