"""The report's tables as text grids (caption, header, rows, notes), shared by HTML and Excel.

Every number is the text of a cell of a Study report (``Cell.text``): a hidden
cell reads ``<5``, ``n<5`` or ``skjult``/``hidden``, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from trivselscore.definitions.model import SEX_CATEGORIES
from trivselscore.report.labels import word
from trivselscore.study.reports import group_label

if TYPE_CHECKING:
    from trivselscore.cohort import Cell
    from trivselscore.study import ChangeReport, CombinedChangeReport, SummaryReport
    from trivselscore.study.reports import Lang

__all__ = ["Grid", "change_grid", "combined_grid", "count", "sex_label", "summary_grid"]


@dataclass(frozen=True)
class Grid:
    """One table: a caption, the header, the rows (text) and the notes under it."""

    caption: str
    head: list[str]
    body: list[list[str]]
    notes: list[str]
    sheet: str


def count(cell: Cell, lang: Lang) -> str:
    """A count as text (no decimals)."""
    return cell.text(digits=0, language=lang)


def sex_label(group: str, lang: Lang) -> str:
    """A sex category (female, male, other, unknown) in the report's language; other labels as they are.

    Examples:
        >>> [sex_label(g, "da") for g in ("female", "male", "other", "unknown", "all")]
        ['piger/kvinder', 'drenge/mænd', 'andet køn', 'køn uoplyst', 'alle']
        >>> sex_label("other", "en"), sex_label("(missing)", "en")
        ('other', '(missing)')
    """
    if group in SEX_CATEGORIES:
        return word(group, lang)
    return group_label(group, lang)


def suppression_note(min_cell: int, *, hide_zero: bool, lang: Lang) -> str:
    """The rule for hidden cells, in words."""
    return word("suppression_rule", lang).format(min_cell=min_cell, top=min_cell - 1) + (
        "" if hide_zero else " " + word("zero_shown", lang)
    )


def summary_grid(report: SummaryReport, lang: Lang, *, by_sex: bool = False) -> Grid:
    """Per time point and group: rows, forms not given, n, mean, SD and the share in each band."""
    head = [word("time", lang), word("sex" if by_sex else "group", lang), word("rows", lang)]
    head += [word("not_given", lang), "n", word("mean", lang), "SD"]
    shown = [
        i
        for i, b in enumerate(report.rows[0].bands if report.rows else ())
        if b.key != "no_band" or any(r.bands[i].count.value != 0 for r in report.rows)
    ]
    head += [report.rows[0].bands[i].label(lang) + " (%)" for i in shown]
    body = []
    for r in report.rows:
        line = [r.time, sex_label(r.group, lang) if by_sex else group_label(r.group, lang)]
        line += [count(r.rows, lang), count(r.not_given, lang), count(r.n, lang)]
        line += [r.mean.text(language=lang), r.sd.text(language=lang)]
        line += [r.bands[i].share.text(percent=True, language=lang) for i in shown]
        body.append(line)
    versions = ", ".join(report.instrument_ids)
    caption = f"{report.measure}: {report.scale} ({versions})"
    if by_sex:
        caption += " - " + word("by_sex", lang)
    notes = [word("band_share_note", lang)]
    notes.append(suppression_note(report.min_cell, hide_zero=report.hide_zero, lang=lang))
    sheet = f"{'køn' if by_sex else 'niveau'} {report.measure} {report.scale}"
    return Grid(caption, head, body, notes, sheet)


def change_grid(report: ChangeReport, measure: str, scale: str, lang: Lang) -> Grid:
    """One measure's scale between two time points: pairs, attrition, categories, mean change, dz."""
    keys = report.categories()
    head = [word("group", lang), word("pairs", lang), word("attrition", lang)]
    head += [(k[2] if lang == "da" else k[1]) + " (%)" for k in keys]
    head += [word("mean_change", lang), "dz"]
    body = []
    rows = [r for r in report.rows if r.measure == measure and r.scale == scale]
    for r in rows:
        shares = {c.key: c.share.text(percent=True, language=lang) for c in r.categories}
        body.append(
            [
                group_label(r.group, lang),
                count(r.pairs, lang),
                r.attrition.text(percent=True, language=lang),
                *(shares.get(k[0], "") for k in keys),
                r.mean_change.text(language=lang),
                r.dz.text(digits=2, language=lang),
            ]
        )
    rule = report.rules.get(measure) or report.rules.get(f"{measure}/{scale}")
    notes = [rule.describe()] if rule is not None else [r.describe() for r in report.rules.values()]
    notes.append(word("pairs_note", lang))
    notes.append(suppression_note(report.min_cell, hide_zero=report.hide_zero, lang=lang))
    caption = f"{measure}: {scale}, {report.start} -> {report.end}"
    return Grid(caption, head, body, notes, f"{measure} {scale} {report.start}-{report.end}")


def combined_grid(report: CombinedChangeReport, lang: Lang) -> Grid:
    """Fremgang on several measures at once, per group."""
    head = [word("group", lang), word("persons", lang), word("complete", lang), word("left_out", lang)]
    head += [word("improved", lang), word("share_ci", lang)]
    body = [
        [group_label(r.group, lang)]
        + [count(c, lang) for c in (r.persons, r.complete, r.left_out, r.improved)]
        + [r.share.text(percent=True, language=lang)]
        for r in report.rows
    ]
    how = {"all": word("rule_all", lang), "any": word("rule_any", lang)}.get(
        report.rule, word("rule_k", lang).format(k=report.rule)
    )
    caption = f"{report.start} -> {report.end}: " + word("combined_caption", lang).format(
        how=how, scales=", ".join(report.scales)
    )
    notes = [r.describe() for r in report.rules.values()]
    notes.append(suppression_note(report.min_cell, hide_zero=report.hide_zero, lang=lang))
    return Grid(caption, head, body, notes, f"samlet {report.start}-{report.end}")
