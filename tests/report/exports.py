"""Messy, realistic survey-tool exports, written apart from the other fixtures (``synthetic.py``).

One seeded generator (:func:`make_export`) describes young people followed in
three municipalities (one of them small), two tracks (``Forløbstype``) and four
time points, as a Danish survey tool exports them:

* headers as the tool writes them: ``Deltager-ID``, ``Kommune``, ``Forløbstype``,
  ``Tidspunkt``, ``Dato``, ``Køn`` (Pige/Dreng, and Andet when ``other_sex``),
  ``Alder`` (13-25, one decimal), ``Varighed (min)``; ``SDQ_1`` ... ``SDQ_25`` (the impact block
  ``SDQ_26`` ... ``SDQ_33`` only with ``impact``), ``WHO5_1`` ... ``WHO5_5``, the SCAS
  and MFQ items in two other common spellings (``SCAS 1``, ``q1_mfq`` by default);
* drop-out (fewer rows at each later time point), blank forms (every item of one
  questionnaire empty), a few skipped answers, rows in an order that is not the
  time order (sorted by municipality and id; the ``Dato`` column holds the order);
* the MFQ as the version for the age (``mfq-c`` under 18, ``mfq-a`` from 18), the
  SDQ self-report likewise (``sdq-s11-17``, ``sdq-s18``).

Writers: :func:`write_csv` (``;``, decimal commas, cp1252 by default, CRLF),
:func:`write_xlsx` (an info sheet first, the data on a named sheet, dates as
dates) and :func:`write_sav` (SPSS, with value labels on the coded columns:
``Køn`` 1/2/3 = Pige/Dreng/Andet, ``Tidspunkt`` 1-4, ``Forløbstype`` 1/2).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from trivselscore.instruments.registry import get_instrument

MUNICIPALITIES = ("Aarhus", "Vejle", "Ærø")
TRACKS = ("Individuelt forløb", "Gruppeforløb")
TIMES = ("Start", "Midtvejs", "Afslutning", "Opfølgning")
SEXES = ("Pige", "Dreng", "Andet")
LABELS = ("Deltager-ID", "Kommune", "Forløbstype", "Tidspunkt", "Dato", "Køn", "Alder", "Varighed (min)")
QUESTIONS = {
    "Samtalerne hjalp mig til at forstå mine udfordringer": ("Enig", "Delvis enig", "Uenig"),
    "Vil du anbefale forløbet til andre?": ("Ja", "Nej"),
}
"""The other survey questions (with ``questions``): their answers, asked from the second time point on."""
ASKED = {
    "Samtalerne hjalp mig til at forstå mine udfordringer": ("Afslutning", "Opfølgning"),
    "Vil du anbefale forløbet til andre?": ("Afslutning",),
}
SDQ_MAIN = 25
SDQ_WITH_IMPACT = 33
SPELLINGS = {
    "SDQ_{i}": "sdq",
    "WHO5_{i}": "who5",
    "SCAS {i}": "scas",
    "q{i}_mfq": "mfq",
    "sdq{i}": "sdq",
    "SDQ {i}": "sdq",
    "MFQ{i}": "mfq",
    "scas_{i}": "scas",
}
"""Header patterns the generator can write, and the family each belongs to."""


@dataclass(frozen=True)
class ExportSpec:
    """What to generate; the defaults are the export the issue describes (212 persons)."""

    n_persons: int = 212
    seed: int = 21
    other_sex: bool = False
    impact: bool = True
    sdq: str = "SDQ_{i}"
    who5: str = "WHO5_{i}"
    scas: str = "SCAS {i}"
    mfq: str = "q{i}_mfq"
    present: tuple[float, ...] = (1.0, 0.85, 0.75, 0.6)
    blank_form: float = 0.04
    skipped: float = 0.003
    small_municipality: int = 9
    questions: bool = False
    unanswered: float = 0.08


@dataclass
class Export:
    """The generated export: header, rows of Python values, and each row's versions."""

    spec: ExportSpec
    header: list[str]
    rows: list[list[object]]
    versions: list[dict[str, str]] = field(default_factory=list)

    def column(self, name: str) -> list[object]:
        """One column's values."""
        at = self.header.index(name)
        return [row[at] for row in self.rows]


def _instrument_columns(spec: ExportSpec) -> dict[str, list[str]]:
    sdq_items = SDQ_WITH_IMPACT if spec.impact else SDQ_MAIN
    return {
        "sdq": [spec.sdq.format(i=i) for i in range(1, sdq_items + 1)],
        "who5": [spec.who5.format(i=i) for i in range(1, 6)],
        "scas": [spec.scas.format(i=i) for i in range(1, 45)],
        "mfq": [spec.mfq.format(i=i) for i in range(1, 34)],
    }


def _codes(position: int, version: str) -> list[int]:
    instrument = get_instrument(version)
    return sorted(instrument.items[position].codes)


def make_export(spec: ExportSpec = ExportSpec()) -> Export:
    """Generate the export described by ``spec`` (same spec, same export)."""
    rng = np.random.default_rng(spec.seed)
    columns = _instrument_columns(spec)
    header = [*LABELS, *(c for family in ("sdq", "who5", "scas", "mfq") for c in columns[family])]
    n = spec.n_persons
    small = min(spec.small_municipality, n)
    municipality = [2] * small + rng.choice(2, n - small, p=[0.6, 0.4]).tolist()
    track = rng.choice(2, n, p=[0.65, 0.35])
    sex_p = [0.55, 0.4, 0.05] if spec.other_sex else [0.58, 0.42, 0.0]
    sex = rng.choice(3, n, p=sex_p)
    age = np.round(rng.uniform(13.0, 25.9, n), 1)
    first_day = dt.date(2023, 1, 9)
    start = [first_day + dt.timedelta(days=int(d)) for d in rng.integers(0, 330, n)]
    level = rng.normal(-0.4, 0.8, n)
    ids = rng.choice(np.arange(10_000, 99_999), n, replace=False)
    rows: list[list[object]] = []
    versions: list[dict[str, str]] = []
    keys: list[tuple[int, int, int]] = []
    for t, label in enumerate(TIMES):
        here = rng.random(n) < spec.present[t]
        drift = level + 0.45 * t + rng.normal(0, 0.4, n)
        for p in np.flatnonzero(here).tolist():
            years = float(age[p] + 0.25 * t)
            day = start[p] + dt.timedelta(days=int(75 * t + rng.integers(0, 20)))
            adult = years >= 18
            chosen = {
                "sdq": "sdq-s18" if adult else "sdq-s11-17",
                "mfq": "mfq-a" if adult else "mfq-c",
                "scas": "scas-c",
                "who5": "who5",
            }
            row: list[object] = [
                f"{ids[p]}",
                MUNICIPALITIES[municipality[p]],
                TRACKS[track[p]],
                label,
                day,
                SEXES[sex[p]],
                round(years, 1),
                round(float(rng.uniform(4, 30)), 1),
            ]
            for family in ("sdq", "who5", "scas", "mfq"):
                row += _answers(rng, spec, chosen[family], len(columns[family]), drift[p])
            rows.append(row)
            versions.append(chosen)
            keys.append((municipality[p], int(ids[p]), t))
    if spec.questions:
        header += list(QUESTIONS)
        _ask(spec, rows, track=[int(track[keys[i][1] == ids][0]) for i in range(len(rows))])
    order = sorted(range(len(rows)), key=lambda i: (keys[i][0], keys[i][1], -keys[i][2] % 3))
    return Export(spec, header, [rows[i] for i in order], [versions[i] for i in order])


def _ask(spec: ExportSpec, rows: list[list[object]], track: list[int]) -> None:
    """Append each question's answer (blank where not asked, or left unanswered); its own random stream."""
    rng = np.random.default_rng(spec.seed + 1)
    for row, chosen in zip(rows, track, strict=True):
        for question, answers in QUESTIONS.items():
            if row[3] not in ASKED[question] or rng.random() < spec.unanswered:
                row.append(None)
                continue
            agree = 0.6 if chosen == 0 else 0.8  # the seed evaluation: 63 % / 87 % agreeing
            first = rng.random() < agree
            row.append(answers[0] if first else answers[1 + int(rng.integers(0, len(answers) - 1))])


def _answers(
    rng: np.random.Generator, spec: ExportSpec, version: str, count: int, drift: float
) -> list[object]:
    if rng.random() < spec.blank_form:
        return [None] * count
    sign = 1.0 if version == "who5" else -1.0
    chance = 1 / (1 + np.exp(-sign * drift))
    out: list[object] = []
    for position in range(count):
        codes = _codes(position, version)
        if rng.random() < spec.skipped:
            out.append(None)
            continue
        out.append(codes[int(rng.binomial(len(codes) - 1, chance))])
    return out


def _text(value: object, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return f"{value:g}".replace(".", decimal)
    return str(value)


def write_csv(
    export: Export, path: Path, *, encoding: str = "cp1252", delimiter: str = ";", decimal: str = ","
) -> Path:
    """The export as the survey tool's CSV: ``;``, decimal commas, dd-mm-yyyy dates, cp1252."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(export.header)
        writer.writerows([_text(v, decimal) for v in row] for row in export.rows)
    return path


def write_xlsx(export: Export, path: Path, *, sheet: str = "Besvarelser") -> Path:
    """The export as a workbook: an info sheet first, the data on ``sheet`` (dates as dates)."""
    import openpyxl  # type: ignore[import-untyped]  # noqa: PLC0415 - only the Excel tests need it

    book = openpyxl.Workbook()
    info = book.active
    info.title = "Info"
    info.append(["Eksporteret fra spørgeskemaet", dt.date(2024, 3, 1)])
    data = book.create_sheet(sheet)
    data.append(export.header)
    for row in export.rows:
        data.append(row)
    book.save(path)
    return path


def write_sav(export: Export, path: Path) -> Path:
    """The export as SPSS ``.sav``: coded columns with value labels, dates as dates."""
    import pandas as pd  # noqa: PLC0415 - only the SPSS tests need it
    import pyreadstat  # noqa: PLC0415

    coded = {"Køn": SEXES, "Tidspunkt": TIMES, "Forløbstype": TRACKS, **QUESTIONS}
    columns: dict[str, list[object]] = {}
    for at, name in enumerate(export.header):
        values = [row[at] for row in export.rows]
        if name in coded:
            values = [None if v is None else coded[name].index(str(v)) + 1 for v in values]
        columns[spss_name(name)] = values
    frame = pd.DataFrame(columns)
    for name in export.header[len(LABELS) :]:
        frame[spss_name(name)] = frame[spss_name(name)].astype("float64")
    labels: dict[str, dict[int | float, str]] = {
        spss_name(name): {i + 1: word for i, word in enumerate(words)} for name, words in coded.items()
    }
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={spss_name(name): name for name in export.header},
        variable_value_labels=labels,
    )
    return path


def spss_name(name: str) -> str:
    """A column name as SPSS allows it (letters, digits, ``_``; the original is the variable label)."""
    return re.sub(r"_+", "_", re.sub(r"\W", "_", name)).strip("_")
