"""The shipped example evaluation: a synthetic, seeded export and its STUDY.toml.

``trivselscore report --demo -o rapport.html`` makes the report from it, and
``trivselscore report --demo --init`` writes both files into the current folder,
to show what an export and its STUDY.toml look like. No real person is in it:
every value is drawn from a seeded generator, so every run, on every platform,
writes the same bytes (only integer draws of numpy's ``default_rng``, and
integer arithmetic after them).

The made-up programme has the outline of the Danish *Sammen på sporet*
evaluation (Rambøll 2023 for Social- og Boligstyrelsen; ``docs/reproduce-evaluation.md``):
600 young people aged 13 to 24 in three tracks, measured at the start, midway,
at the end and three months later, with drop-out (52 % remain at the
follow-up). About two in three are at risk (WHO-5 below 50) at the start, as in
that evaluation, and the mean WHO-5 percentage score rises from about 45 to
about 65, as one municipality reported for its programme for young people
(Odder 2023: 41 to 64 in girls, 49 to 70 in boys); SDQ, SCAS and MFQ fall with
it. The file is Danish: headers in Danish, ``;`` between
cells, decimal commas, dates day first, UTF-8 with the byte-order mark Excel
writes, a third answer to the sex question (``Andet``) and a few blank ones, a
few skipped items and a few forms not given. The SDQ is the 25 items without the
impact supplement, versions chosen by age (``sdq-s11-17``/``sdq-s18``, and
``mfq-c``/``mfq-a``); the SCAS child form is given to those under 18 at the
start and the end only.

Examples:
    >>> rows = export_rows(n_persons=3)
    >>> rows[0][:6]
    ['Deltager-ID', 'Tidspunkt', 'Dato', 'Forløb', 'Køn', 'Alder']
    >>> len(rows[0]) == len(rows[1]), export_bytes(n_persons=3) == export_bytes(n_persons=3)
    (True, True)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.resources
import io
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from trivselscore.instruments.registry import get_instrument
from trivselscore.report import command
from trivselscore.tabular.atomic import atomic_files

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

__all__ = [
    "DATA_NAME",
    "N_PERSONS",
    "SEED",
    "STUDY_NAME",
    "TIME_POINTS",
    "TRACKS",
    "export_bytes",
    "export_rows",
    "run_demo",
    "study_toml",
    "write_files",
]

SEED = 20230814
N_PERSONS = 600
DATA_NAME = "eksempel_eksport.csv"
STUDY_NAME = "STUDY.toml"

TIME_POINTS = ("start", "midtvejs", "afslutning", "opfølgning 3 mdr")
_MONTHS = (0, 2, 5, 8)  # months after the start (the age grows with them)
_STAY = (100, 86, 74, 52)  # percent of the young people still answering at each time point
TRACKS = ("Rådgivning (1-5 samtaler)", "Individuelt forløb", "Gruppeforløb")
_TRACK_SHARE = (55, 35, 10)  # percent
_TRACK_GAIN = (17, 22, 13)  # mean WHO-5 points gained from the start to the end of the course
_PATH = (0, 55, 100, 105)  # percent of a person's gain reached at each time point
_SEXES = ("Pige", "Dreng", "Andet", "")
_SEX_SHARE = (64, 31, 3, 2)  # percent
_SEX_START = (-3, 5, -8, 0)  # WHO-5 points beside the mean at the start
_AGES = tuple(range(13, 25))
_AGE_SHARE = (6, 9, 11, 12, 12, 11, 10, 9, 7, 6, 4, 3)  # relative weights of the ages: teenagers most
_FIRST_DAY = dt.date(2023, 8, 14)

_SKIPPER = 80  # per mille of forms on which some items are left blank ...
_SKIP_ITEM = 50  # ... each item with this chance (per mille)
_NOT_GIVEN = 30  # per mille of forms not given by someone who answered at that time point


@dataclass(frozen=True)
class _Form:
    """One questionnaire in the export: its column prefix, instrument and when it is given."""

    prefix: str
    instrument: str
    times: tuple[int, ...]
    base: int  # per mille chance of a problem answer at distress 0 ...
    slope: int  # ... plus this many tenths of a per mille per point of distress
    under_18: bool = False


_FORMS = (
    _Form("who5", "who5", (0, 1, 2, 3), base=0, slope=100),
    _Form("sdq", "sdq-s11-17", (0, 2, 3), base=140, slope=55),
    _Form("scas", "scas-c", (0, 2), base=0, slope=60, under_18=True),
    _Form("mfq", "mfq-c", (0, 1, 2, 3), base=0, slope=75),
)


def _kinds(instrument_id: str) -> tuple[list[str], list[int]]:
    """The export's items of one form (no optional block) and each one's direction.

    +1: a higher code is a problem; -1: a higher code is good (a positive item,
    or an item of a scale where higher is better); 0: the item is in no scale.
    """
    instrument = get_instrument(instrument_id)
    optional = {item for block in instrument.optional for item in block.items}
    items = [i for i in instrument.item_ids if i not in optional]
    kinds = []
    for item in items:
        scale = next((s for s in instrument.scales if item in s.items), None)
        if scale is None:
            kinds.append(0)
            continue
        good = scale.higher_is_better != (item in scale.reverse)
        kinds.append(-1 if good else 1)
    return items, kinds


def _spread(rng: np.random.Generator, n: int, half: int, terms: int) -> NDArray[np.int64]:
    """Integers around 0: the sum of ``terms`` uniform draws in [-half, half]."""
    draws = rng.integers(-half, half + 1, size=(n, terms))
    total: NDArray[np.int64] = draws.sum(axis=1)
    return total


def _pick(rng: np.random.Generator, n: int, shares: Sequence[int]) -> NDArray[np.int64]:
    """An index into ``shares`` for each of ``n``, drawn with those whole-number weights."""
    edges = np.cumsum(shares)
    return np.searchsorted(edges, rng.integers(0, int(edges[-1]), size=n), side="right")


def _answers(
    rng: np.random.Generator, form: _Form, distress: NDArray[np.int64], ages: NDArray[np.int64]
) -> list[list[str]]:
    """One form's item cells for the rows of one time point (blank where not given or skipped)."""
    items, kinds = _kinds(form.instrument)
    instrument = get_instrument(form.instrument)
    codes_of = np.array(instrument.items[instrument.item_ids.index(items[0])].codes)
    n = len(distress)
    problem = np.clip(form.base + form.slope * distress // 10, 0, 1000)
    direction = np.array(kinds)
    chance = np.where(direction > 0, problem[:, None], 1000 - problem[:, None])
    chance = np.where(direction == 0, 500, chance)
    draws = rng.integers(0, 1000, size=(n, len(items), len(codes_of) - 1))
    codes = codes_of[(draws < chance[:, :, None]).sum(axis=2)]
    given = rng.integers(0, 1000, size=n) >= _NOT_GIVEN
    if form.under_18:
        given &= ages < 180  # noqa: PLR2004 - ages are in tenths of a year: under 18
    skipper = rng.integers(0, 1000, size=n) < _SKIPPER
    skipped = (rng.integers(0, 1000, size=(n, len(items))) < _SKIP_ITEM) & skipper[:, None]
    cells = codes.astype(str).astype(object)
    cells[skipped] = ""
    cells[~given] = ""
    return cells.tolist()  # type: ignore[no-any-return]


def header() -> list[str]:
    """The export's column names."""
    labels = ["Deltager-ID", "Tidspunkt", "Dato", "Forløb", "Køn", "Alder"]
    return labels + [f"{form.prefix}_{item}" for form in _FORMS for item in _kinds(form.instrument)[0]]


def export_rows(n_persons: int = N_PERSONS, seed: int = SEED) -> list[list[str]]:
    """The export as text cells, the header first, then the rows in the order of their dates."""
    rng = np.random.default_rng(seed)
    track = _pick(rng, n_persons, _TRACK_SHARE)
    sex = _pick(rng, n_persons, _SEX_SHARE)
    age = (np.array(_AGES)[_pick(rng, n_persons, _AGE_SHARE)] * 10) + rng.integers(0, 10, size=n_persons)
    stays = rng.integers(0, 100, size=n_persons)
    first_day = rng.integers(0, 300, size=n_persons)
    start = 45 + np.array(_SEX_START)[sex] + _spread(rng, n_persons, 12, 3)
    gain = np.array(_TRACK_GAIN)[track] + _spread(rng, n_persons, 15, 3)
    records: list[tuple[int, int, list[str]]] = []
    for t, label in enumerate(TIME_POINTS):
        rows = np.flatnonzero(stays < _STAY[t])
        n = len(rows)
        wellbeing = np.clip(start[rows] + gain[rows] * _PATH[t] // 100 + _spread(rng, n, 4, 2), 0, 100)
        ages = age[rows] + (_MONTHS[t] * 10) // 12
        days = first_day[rows] + _MONTHS[t] * 30 + rng.integers(-10, 11, size=n)
        cells: list[list[str]] = [[] for _ in range(n)]
        for form in _FORMS:
            if t in form.times:
                answers = _answers(rng, form, 100 - wellbeing, ages)
            else:
                answers = [[""] * len(_kinds(form.instrument)[0])] * n
            for row, part in zip(cells, answers, strict=True):
                row.extend(part)
        for k, person in enumerate(rows.tolist()):
            day = _FIRST_DAY + dt.timedelta(days=int(days[k]))
            years, tenths = divmod(int(ages[k]), 10)
            labels = [f"U{person + 1:04d}", label, day.strftime("%d-%m-%Y"), TRACKS[track[person]]]
            labels += [_SEXES[sex[person]], f"{years},{tenths}"]
            records.append((int(days[k]), person, labels + cells[k]))
    records.sort(key=lambda record: record[:2])
    return [header(), *(record[2] for record in records)]


def export_bytes(n_persons: int = N_PERSONS, seed: int = SEED) -> bytes:
    """The export file: UTF-8 with a byte-order mark, ``;`` between cells, CRLF line ends."""
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(export_rows(n_persons, seed))
    return text.getvalue().encode("utf-8-sig")


def study_toml() -> str:
    """The example's STUDY.toml (shipped beside this module), with a comment on every setting."""
    return (
        importlib.resources.files(__package__ or "trivselscore.report")
        .joinpath("demo_study.toml")
        .read_text(encoding="utf-8")
    )


def write_files(folder: Path, *, force: bool = False) -> tuple[Path, Path]:
    """Write the example export and its STUDY.toml into ``folder``, both or neither.

    Raises:
        FileExistsError: One of them exists and ``force`` is not set (nothing is written).
    """
    data, study = folder / DATA_NAME, folder / STUDY_NAME
    existing = [path.name for path in (data, study) if path.exists()]
    if existing and not force:
        verb = "exist" if len(existing) > 1 else "exists"
        msg = f"{' and '.join(existing)} already {verb} in {folder.resolve()}; "
        msg += "give --force to overwrite, or run it in another folder"
        raise FileExistsError(msg)
    with atomic_files([data, study]) as (data_temporary, study_temporary):
        data_temporary.write_bytes(export_bytes())
        study_temporary.write_bytes(study_toml().encode("utf-8"))
    return data, study


def run_demo(args: argparse.Namespace) -> int:
    """``trivselscore report --demo``: the report of the example, or (``--init``) its files here.

    Raises:
        ValueError: An option that names the data (DATA, --study, --encoding, ...) was given too.
        OSError: A file cannot be written (or, with ``--init``, exists without ``--force``).
    """
    given = {
        "DATA": args.data,
        "--study": args.study,
        "--encoding": args.encoding,
        "--sheet": args.sheet,
        "--delimiter": args.delimiter,
        "--decimal": args.decimal,
    }
    named = [option for option, value in given.items() if value is not None]
    if named:
        msg = f"--demo brings its own export and STUDY.toml: leave out {', '.join(named)}"
        raise ValueError(msg)
    if args.init:
        data, study = write_files(Path(), force=args.force)
        sys.stderr.write(
            f"trivselscore: wrote {data} (a made-up export: {N_PERSONS} young people) and {study}; "
            f"make the report with: trivselscore report {data} --study {study} -o rapport.html "
            f"--decimal {command.quoted(',')}\n"
        )
        return 0
    with tempfile.TemporaryDirectory(prefix="trivselscore-demo-") as folder:
        data, study = write_files(Path(folder))
        code = command.run_command(
            argparse.Namespace(**{**vars(args), "data": str(data), "study": str(study), "decimal": ","})
        )
    sys.stderr.write(
        "trivselscore: the report of the shipped example (made-up data); "
        "its export and STUDY.toml: trivselscore report --demo --init\n"
    )
    return code
