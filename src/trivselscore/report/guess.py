"""Guess a STUDY.toml from an export's columns: roles by name and by content, item columns, versions.

Column names are compared *normalised*: case folded, every run of characters
other than letters and digits one ``_`` (``Deltager-ID`` -> ``deltager_id``,
``SDQ 1`` -> ``sdq_1``), and once more without the ``_`` (``deltagerid``).

* **Roles by name** (:data:`ROLE_NAMES`, Danish and English): person, time point,
  track, sex, age and the date of the answer.
* **A track by content** when no name says so: a text column with 2 to
  :data:`TRACK_MAX` values, constant for every person with several rows, and no
  person id, time point, sex, age, date or item column.
* **Item columns** (:func:`item_number`): a family's name and an item number in the
  common spellings (``SDQ_1``, ``sdq1``, ``SDQ 1``, ``SDQ.1``, ``sdq_q1``,
  ``q1_sdq``, ``1_sdq``, ``WHO-5_1``, ``who5_item1``), and the item aliases of
  the definitions (the sdqinfo names ``consid``, ``sconsid``, ``pconsid``...).
* **Versions** (:func:`guess_measures`): of each family, the versions whose
  reported scales have every item column; then the self-report (young people
  answer for themselves) over the others, the version with as many items as the
  family has columns, and, with an age column, every version whose age range
  holds some of the ages (a list: chosen per row by age).
* **Dates** (:func:`as_date`): a typed date, or text as ``2024-01-31``,
  ``31-01-2024``, ``31.01.2024`` or ``31/01/2024`` (a time after it is allowed).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from trivselscore.definitions import Instrument
from trivselscore.instruments.registry import INSTRUMENTS
from trivselscore.report.plans import default_scales
from trivselscore.tabular.columns import candidate_names, scored_items

__all__ = [
    "ROLE_NAMES",
    "TRACK_MAX",
    "MeasureGuess",
    "as_date",
    "family",
    "guess_measures",
    "item_number",
    "normal",
    "role_column",
    "track_columns",
]

ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "person": (
        "id",
        "person",
        "person_id",
        "personid",
        "elev",
        "elev_id",
        "elevid",
        "elevnr",
        "deltager",
        "deltager_id",
        "deltagerid",
        "deltagernr",
        "deltagernummer",
        "borger",
        "borger_id",
        "borgerid",
        "respondent",
        "respondent_id",
        "respondentid",
        "participant",
        "participant_id",
        "participantid",
        "cpr",
        "løbenr",
        "lobenr",
        "sagsnr",
    ),
    "time": (
        "tidspunkt",
        "tid",
        "time",
        "timepoint",
        "time_point",
        "måling",
        "maaling",
        "målepunkt",
        "maalepunkt",
        "måletidspunkt",
        "maaletidspunkt",
        "runde",
        "besvarelsesrunde",
        "wave",
        "occasion",
    ),
    "groups": (
        "forløb",
        "forloeb",
        "forløbstype",
        "forloebstype",
        "forløbs_type",
        "spor",
        "track",
        "gruppe",
        "group",
        "indsats",
        "indsatstype",
        "tilbud",
        "tilbudstype",
        "program",
        "programme",
        "arm",
    ),
    "sex": ("køn", "koen", "kon", "sex", "gender", "kønnet", "biologisk_køn"),
    "age": ("alder", "age", "alder_år", "alder_aar", "alder_i_år", "alder_ved_besvarelse", "age_years"),
    "date": (
        "dato",
        "date",
        "besvarelsesdato",
        "besvaret",
        "svardato",
        "udfyldt",
        "udfyldt_dato",
        "udfyldelsesdato",
        "indsendt",
        "tidsstempel",
        "timestamp",
        "submitted",
        "completed",
        "answered",
        "dato_for_besvarelse",
    ),
}
"""Role -> the normalised column names taken for it, in order of preference."""

TRACK_MAX = 12
"""The most values a column may have to be guessed as a track."""

_FAMILY_NAMES = {"who5": "who_?5", "sdq": "sdq", "scas": "scas", "smfq": "smfq", "mfq": "mfq"}
_ITEM_WORD = r"(?:q|item|spm|i|nr)?"
_SPELLINGS = [
    re.compile(rf"(?P<family>{pattern})_?{_ITEM_WORD}_?(?P<number>[0-9]{{1,3}})", re.ASCII)
    for pattern in _FAMILY_NAMES.values()
] + [
    re.compile(rf"{_ITEM_WORD}_?(?P<number>[0-9]{{1,3}})_?(?P<family>{pattern})", re.ASCII)
    for pattern in _FAMILY_NAMES.values()
]
_DATES = (
    re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?:[ T].*)?"),
    re.compile(r"(?P<d>[0-9]{1,2})[-./](?P<m>[0-9]{1,2})[-./](?P<y>[0-9]{4})(?:[ T].*)?"),
)
_SEPARATORS = re.compile(r"[^\w]+|_+")


def normal(name: str) -> str:
    """A column name compared without case and with one ``_`` for every separator.

    Examples:
        >>> [normal(n) for n in ("Deltager-ID", "SDQ 1", " Forløbstype ", "WHO-5.item 3")]
        ['deltager_id', 'sdq_1', 'forløbstype', 'who_5_item_3']
    """
    return _SEPARATORS.sub("_", name.casefold()).strip("_")


def family(instrument_id: str) -> str:
    """The family of an instrument id: the part before the first ``-`` (``sdq-s11-17`` -> ``sdq``)."""
    return instrument_id.split("-", maxsplit=1)[0]


def role_column(header: Sequence[str], role: str, *, taken: frozenset[str] = frozenset()) -> str | None:
    """The first column (by :data:`ROLE_NAMES` order) whose normalised name is one of the role's names.

    Examples:
        >>> role_column(["Deltager-ID", "Tidspunkt", "Forløbstype"], "person")
        'Deltager-ID'
        >>> role_column(["Deltager-ID", "Tidspunkt", "Forløbstype"], "groups")
        'Forløbstype'
    """
    by_name: dict[str, str] = {}
    for column in header:
        if column in taken:
            continue
        key = normal(column)
        by_name.setdefault(key, column)
        by_name.setdefault(key.replace("_", ""), column)
    return next((by_name[name] for name in ROLE_NAMES[role] if name in by_name), None)


def item_number(column: str) -> tuple[str, str] | None:
    """The (family, item number) a column name spells, or None.

    Examples:
        >>> [item_number(c) for c in ("SDQ_1", "sdq1", "SDQ 1", "q1_sdq", "WHO-5_3", "MFQ.12")]
        [('sdq', '1'), ('sdq', '1'), ('sdq', '1'), ('sdq', '1'), ('who5', '3'), ('mfq', '12')]
        >>> [item_number(c) for c in ("smfq_2", "scas_item7", "Alder", "sdq_total")]
        [('smfq', '2'), ('scas', '7'), None, None]
    """
    key = normal(column)
    for pattern in _SPELLINGS:
        match = pattern.fullmatch(key)
        if match:
            found = match.group("family").replace("_", "")
            return found, str(int(match.group("number")))
    return None


def as_date(value: object) -> dt.date | None:
    """A date from a typed cell or from text (ISO, or day first with ``-``, ``.`` or ``/``); else None.

    Examples:
        >>> [as_date(v) for v in ("2024-01-31", "31-01-2024 10:12", "31.1.2024", "x", 3)]
        [datetime.date(2024, 1, 31), datetime.date(2024, 1, 31), datetime.date(2024, 1, 31), None, None]
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    for pattern in _DATES:
        match = pattern.fullmatch(value.strip())
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def _items_of(instrument: Instrument) -> dict[str, str]:
    """Number or alias (normalised) -> item id, for one version."""
    names: dict[str, str] = {}
    for item_id, spellings in candidate_names(instrument).items():
        for spelling in spellings:
            names.setdefault(normal(spelling), item_id)
    return names


@dataclass
class MeasureGuess:
    """One measure: its instrument ids (several: chosen by age), item -> column, and other fitting ids."""

    name: str
    ids: list[str]
    columns: dict[str, str | None]
    others: list[str] = field(default_factory=list)
    explicit: bool = False


def _found(instrument: Instrument, header: Sequence[str]) -> dict[str, str]:
    """Item id -> the one column that spells it (by number within the family, or by alias)."""
    by_alias = _items_of(instrument)
    own = family(instrument.id)
    hits: dict[str, list[str]] = {}
    for column in header:
        spelled = item_number(column)
        if spelled is not None and spelled[0] == own and spelled[1] in by_alias:
            hits.setdefault(by_alias[spelled[1]], []).append(column)
            continue
        key = normal(column)
        if spelled is None and key in by_alias and not key.isdigit():
            hits.setdefault(by_alias[key], []).append(column)
    return {item: columns[0] for item, columns in hits.items() if len(columns) == 1}


def _needed(instrument: Instrument) -> set[str]:
    """The items the reported scales read (through their component scales and gates)."""
    wanted = list(default_scales(instrument))
    items: set[str] = set()
    seen: set[str] = set()
    while wanted:
        scale = instrument.scale(wanted.pop())
        if scale.id in seen:
            continue
        seen.add(scale.id)
        items.update(scale.items)
        wanted.extend(scale.scales)
        if scale.gate is not None:
            items.add(scale.gate.item)
    return items


def _fits(instrument: Instrument, found: Mapping[str, str]) -> bool:
    return bool(found) and _needed(instrument) <= set(found)


def _by_age(candidates: list[Instrument], ages: Sequence[float] | None) -> list[Instrument]:
    """The versions whose age ranges hold some of the ages, when every version has a range."""
    if not ages or any(v.age_range is None for v in candidates):
        return candidates[:1]
    held = [
        v for v in candidates if v.age_range and any(v.age_range[0] <= int(a) <= v.age_range[1] for a in ages)
    ]
    return held or candidates[:1]


def guess_measures(header: Sequence[str], *, ages: Sequence[float] | None = None) -> list[MeasureGuess]:
    """The measures whose item columns are in ``header``: one per family, with the versions to use.

    ``ages`` are the ages in the export (all of them; None: no age column, or an
    age missing somewhere): with them, a family's versions of one informant and
    item set are all listed when their age ranges split the ages.

    Examples:
        >>> [(m.name, m.ids) for m in guess_measures(["id", *(f"WHO5_{i}" for i in range(1, 6))])]
        [('who5', ['who5'])]
    """
    by_family: dict[str, list[tuple[Instrument, dict[str, str]]]] = {}
    for instrument in INSTRUMENTS.values():
        found = _found(instrument, header)
        if _fits(instrument, found):
            by_family.setdefault(family(instrument.id), []).append((instrument, found))
    guesses = []
    for name, fitting in by_family.items():
        columns = {c for _, found in fitting for c in found.values()}

        def rank(entry: tuple[Instrument, dict[str, str]], count: int = len(columns)) -> tuple[bool, bool]:
            instrument, _ = entry
            return (instrument.informant != "self", len(instrument.items) != count)

        best, found = min(fitting, key=rank)
        alike = [v for v, f in fitting if v.informant == best.informant and f == found]
        chosen = _by_age(sorted(alike, key=lambda v: (v.age_range or (0, 0))[0]), ages) if ages else [best]
        if best not in chosen and len(chosen) == 1:
            chosen = [best]
        missing = sorted(scored_items(best) - set(found), key=best.item_ids.index)
        mapping: dict[str, str | None] = {item: found[item] for item in best.item_ids if item in found}
        mapping |= dict.fromkeys(missing)
        guesses.append(
            MeasureGuess(
                name=name,
                ids=[v.id for v in chosen],
                columns=mapping,
                others=[v.id for v, _ in fitting if v not in chosen],
            )
        )
    return guesses


def track_columns(
    columns: Mapping[str, Sequence[object]], persons: Sequence[object], *, skip: frozenset[str]
) -> list[str]:
    """Text columns with 2 to :data:`TRACK_MAX` values, each constant per person, best first.

    Examples:
        >>> data = {"kommune": ["A", "A", "B", "B"], "note": ["x", "y", "x", "z"]}
        >>> track_columns(data, ["p1", "p1", "p2", "p2"], skip=frozenset())
        ['kommune']
    """
    found: list[tuple[int, str]] = []
    for name, values in columns.items():
        if name in skip or item_number(name) is not None:
            continue
        seen: dict[object, object] = {}
        distinct: set[str] = set()
        constant = True
        for person, value in zip(persons, values, strict=True):
            if value is None:
                continue
            if not isinstance(value, str) or as_date(value) is not None or _numeric(value):
                constant = False
                break
            distinct.add(value)
            if seen.setdefault(person, value) != value:
                constant = False
                break
        if constant and 2 <= len(distinct) <= TRACK_MAX:  # noqa: PLR2004 - one value groups nobody apart
            found.append((len(distinct), name))
    return [name for _, name in sorted(found, key=lambda f: f[0])]


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[+-]?[0-9]+(?:[.,][0-9]+)?", text.strip()))
