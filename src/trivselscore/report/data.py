"""Read an analyst's export (CSV, Excel, SPSS or Stata) into rows for :meth:`Study.from_long`.

The file is opened by :func:`trivselscore.report.readers.open_source` (every
format as a header and records; see there for encodings, sheets and value
labels). Then each record becomes a mapping:

* the person, time point, group and sex columns are kept as text (``"007"``
  stays ``"007"``, a whole number ``3.0`` from Excel is ``"3"``), through the
  column's value labels first if the file has them (SPSS/Stata ``Køn`` 1/2/3
  labelled Pige/Dreng/Andet reads as the words);
* every other cell: a typed cell (Excel, SPSS, Stata) stays as it is (a number, a
  date, text); a CSV cell is read by :func:`~trivselscore.tabular.csvread.parse_answer`
  (``decimal=","`` reads ``12,5`` as 12.5), and so is an Excel text cell.

Sex codes become ``female``, ``male``, ``other`` or ``unknown`` through STUDY.toml's
``sex_codes`` first, then the words :class:`~trivselscore.definitions.Respondent`
takes (``SEX_WORDS``: pige/dreng, kvinde/mand, K/M, f/m, female/male; andet,
ikke-binær, other; uoplyst, ved ikke, ønsker ikke at svare; any case).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from trivselscore.definitions.model import SEX_CATEGORIES, sex_category
from trivselscore.report.readers import EXCEL_SUFFIXES, DataError, Source, open_source
from trivselscore.tabular.csvread import parse_answer

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from trivselscore.report.config import StudyConfig

__all__ = [
    "EXCEL_SUFFIXES",
    "DataError",
    "Export",
    "label_text",
    "map_sex",
    "read_export",
]

_SHOWN = 12


@dataclass
class Export:
    """The rows of an export, one mapping per row, where they came from and how they were read."""

    path: Path
    header: list[str]
    rows: list[dict[str, object]] = field(default_factory=list)
    name: str = ""
    guessed: str | None = None
    """The encoding a CSV file was read with, when it was guessed (``cp1252``: not UTF-8)."""
    answer_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per question column (``[[questions]]``) with SPSS/Stata value labels: the labels in code order."""


def label_text(value: object) -> str | None:
    """A label cell as text; blank is None; a whole float from Excel (3.0) is ``"3"``.

    Examples:
        >>> [label_text(v) for v in (" a ", 3.0, "", None, float("nan"), 7)]
        ['a', '3', None, None, None, '7']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def map_sex(value: str | None, codes: Mapping[str, str], *, column: str, where: str) -> str | None:
    """The sex category of a code: STUDY.toml's ``sex_codes`` first, then ``SEX_WORDS``.

    ``female``, ``male``, ``other`` (andet, ikke-binær, ...) or ``unknown`` (uoplyst,
    ved ikke, ...); a blank cell is None (not given).

    Raises:
        DataError: A code neither table knows (naming the column, row and the codes allowed).

    Examples:
        >>> codes = {"1": "female", "2": "male", "3": "other"}
        >>> [map_sex(v, codes, column="køn", where="") for v in ("3", "Pige", " M ", "Andet", "Ved ikke")]
        ['other', 'female', 'male', 'other', 'unknown']
    """
    if value is None:
        return None
    if value in codes:
        return codes[value]
    found = sex_category(value)
    if found is None:
        words = ["pige", "dreng", "kvinde", "mand", "K", "M", "andet", "ikke-binær", "uoplyst", "ved ikke"]
        allowed = [*sorted(codes), *words, *SEX_CATEGORIES]
        msg = (
            f"column {column!r}, {where}: sex code {value!r} is not known; codes: {', '.join(allowed)} "
            "(add it under [sex_codes] in STUDY.toml as female, male, other or unknown)"
        )
        raise DataError(msg)
    return found


def read_export(  # noqa: PLR0913 - the file, then how to read it
    path: Path,
    config: StudyConfig,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str = ".",
    sheet: str | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> Export:
    """Every row of the export as a mapping, the label columns as text, sex as its category.

    Raises:
        DataError: A column STUDY.toml names is missing, a sex code is unknown,
            a column name is used twice, or the format is not supported.
        CsvFileError: The CSV file is unreadable (empty, not text, a quote never
            closed, a row cut short).
        ExcelError, StatError: The workbook or SPSS/Stata file is unreadable.
        OSError: The file cannot be opened.
    """
    with open_source(path, encoding=encoding, delimiter=delimiter, sheet=sheet) as source:
        export = Export(path, list(source.header), name=source.name, guessed=source.guessed)
        _check_columns(source, config)
        for question in config.questions:
            labels = _in_code_order(source.labels.get(question.column, {}))
            if labels:
                export.answer_labels[question.column] = labels
        for chunk in source.chunks:
            _add(export, source, chunk, config, decimal)
            if progress is not None:
                progress(len(export.rows), source.done())
    return export


def _in_code_order(codes: Mapping[object, str]) -> tuple[str, ...]:
    """Value labels in the order of their codes (numbers first, in numeric order), each once.

    Examples:
        >>> _in_code_order({3.0: "uenig", 1.0: "enig", 2.0: " delvis enig"})
        ('enig', 'delvis enig', 'uenig')
    """

    def key(code: object) -> tuple[int, float, str]:
        return (0, float(code), "") if isinstance(code, int | float) else (1, 0.0, str(code))

    labels = [label_text(label) for _, label in sorted(codes.items(), key=lambda pair: key(pair[0]))]
    return tuple(dict.fromkeys(label for label in labels if label))


def _check_columns(source: Source, config: StudyConfig) -> None:
    named = config.columns
    header = source.header
    wanted = [("person", named.person), ("time", named.time)]
    wanted += [("groups", g) for g in named.groups]
    wanted += [(key, getattr(named, key)) for key in ("sex", "age") if getattr(named, key) is not None]
    wanted += [
        (f"measures.{m}.columns.{item}", column)
        for m, measure in config.measures.items()
        for item, column in measure.columns.items()
        if column
    ]
    wanted += [(f"questions.{i}.column", q.column) for i, q in enumerate(config.questions)]
    wanted += [
        (f"predictors.{i}.covariates", c) for i, m in enumerate(config.predictors) for c in m.covariates
    ]
    for key, column in wanted:
        if column not in header:
            shown = ", ".join(repr(h) for h in header[:_SHOWN]) + (", ..." if len(header) > _SHOWN else "")
            others = ", ".join(repr(s) for s in source.sheets if f"{s!r}" not in source.name)
            hint = f"; other sheets: {others} (choose one with --sheet)" if others else ""
            msg = (
                f"STUDY.toml {key} names column {column!r}, which is not in {source.name}; "
                f"columns: {shown}{hint}"
            )
            raise DataError(msg)


def _value(value: object, decimal: str, *, typed: bool) -> object:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else value
    if isinstance(value, str) or not typed:
        return parse_answer(str(value), decimal)
    return value


def _add(
    export: Export, source: Source, chunk: Sequence[Sequence[object]], config: StudyConfig, decimal: str
) -> None:
    """Append the chunk's rows, naming a row by ``source.where`` in a message."""
    named = config.columns
    header = export.header
    labels = {named.person, named.time, *named.groups, *([named.sex] if named.sex else [])}
    labels |= {q.column for q in config.questions}  # a question's answers: their SPSS value labels
    coded = [source.labels.get(name, {}) if name in labels else {} for name in header]
    readers = [(name, name in labels, codes) for name, codes in zip(header, coded, strict=True)]
    sex = named.sex
    typed = source.typed
    for record in chunk:
        row: dict[str, object] = {}
        for (name, is_label, codes), value in zip(readers, record, strict=True):
            if is_label:
                row[name] = label_text(codes.get(value, value) if codes and value is not None else value)
            else:
                row[name] = _value(value, decimal, typed=typed)
        if sex is not None:
            where = source.where(len(export.rows))
            row[sex] = map_sex(row[sex], config.sex_codes, column=sex, where=where)  # type: ignore[arg-type]
        export.rows.append(row)
