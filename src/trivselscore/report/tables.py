"""The report's tables as grids of typed cells (caption, header, rows, notes), shared by HTML and Excel.

Every number is a cell of a Study report (:class:`~trivselscore.report.values.Value`
built from a ``Cell``): a hidden cell is a mark (``<5``, ``n<5`` or
``skjult``/``hidden``) or the range it surely lies in (``27-33%``), never 0. The
HTML prints ``Grid.body`` (text); the workbook writes the numbers themselves.
:data:`trivselscore.report.printed.PRINTED` says which counts the grids and the
first page print, and how: the release's disclosure engine protects exactly those.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from trivselscore.definitions.forms import needed_items
from trivselscore.definitions.model import SEX_CATEGORIES
from trivselscore.instruments.registry import get_instrument
from trivselscore.report.labels import word
from trivselscore.report.values import Value, date_text, short_text
from trivselscore.study.reports import group_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from trivselscore.change import ChangeRule
    from trivselscore.cohort import Cell
    from trivselscore.definitions.model import AddedValue
    from trivselscore.report.build import Content, MeasureCount
    from trivselscore.study import ChangeReport, CombinedChangeReport, Study, SummaryReport
    from trivselscore.study.measures import Measure
    from trivselscore.study.release import MeasureCells
    from trivselscore.study.reports import Lang

__all__ = [
    "Grid",
    "change_grid",
    "combined_grid",
    "count",
    "counts_line",
    "front_facts",
    "measure_title",
    "method_note",
    "not_collected_line",
    "rule_text",
    "scale_label",
    "sex_label",
    "summary_grid",
    "suppression_note",
    "version_scale_label",
    "versions_line",
]


@dataclass(frozen=True)
class Grid:
    """One table: a caption, the header, the rows (typed cells, or plain text), the notes under it.

    ``sheet`` and ``sheet_tail`` name its Excel sheet: the tail (``niveau``,
    ``fremgang 1-3``) is kept whole, the rest is shortened to fit 31 characters.
    """

    caption: str
    head: list[str]
    cells: Sequence[Sequence[Value | str]]
    notes: list[str]
    sheet: str
    sheet_tail: str = ""
    lang: Lang = "da"
    rows: list[list[Value]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        rows = [[c if isinstance(c, Value) else Value.label(c) for c in row] for row in self.cells]
        object.__setattr__(self, "rows", rows)

    @property
    def body(self) -> list[list[str]]:
        """The rows as the HTML prints them."""
        return [[c.render(self.lang) for c in row] for row in self.rows]


def count(cell: Cell, lang: Lang) -> Value:
    """A count (no decimals), or its mark."""
    return Value.of(cell, lang, digits=0)


def _share(cell: Cell, lang: Lang) -> Value:
    return Value.of(cell, lang, percent=True)


def measure_title(study: Study, name: str, lang: Lang) -> str:
    """A measure's chapter title: its (first) version's short title (``WHO-5 (trivsel)``), else its name.

    Examples:
        >>> from trivselscore.study import Study
        >>> row = {"p": 1, "t": "a"} | {f"trivsel_{i}": 3 for i in range(1, 6)}
        >>> study = Study.from_long(
        ...     [row], instruments={"trivsel": "who5"}, time_points=["a"], person="p", time="t"
        ... )
        >>> measure_title(study, "trivsel", "da"), measure_title(study, "trivsel", "en")
        ('WHO-5 (trivsel)', 'WHO-5 (well-being)')
    """
    version = study.measure(name).versions[0]
    return (version.title_da if lang == "da" else version.title_en) or name


def scale_label(study: Study, name: str, scale: str, lang: Lang) -> str:
    """A scale's label in the report's language, from the measure's (first) version (``procentscore``)."""
    return version_scale_label(study.measure(name).versions[0].id, scale, lang)


def version_scale_label(instrument_id: str, scale: str, lang: Lang) -> str:
    """A scale's label in the report's language, from one version (``procentscore``).

    Examples:
        >>> version_scale_label("who5", "percentage", "en")
        'percentage score'
    """
    found = get_instrument(instrument_id).scale(scale)
    return found.label_da if lang == "da" else found.label_en


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


def suppression_note(min_cell: int, *, hide_zero: bool, lang: Lang, ranges: bool = False) -> str:
    """The rule for hidden cells, in words (and the rule for ranges, when they are published)."""
    return (
        word("suppression_rule", lang).format(min_cell=min_cell, top=min_cell - 1)
        + ("" if hide_zero else " " + word("zero_shown", lang))
        + (" " + word("range_rule", lang) if ranges else "")
    )


def _ranges(*reports: SummaryReport | ChangeReport | CombinedChangeReport) -> bool:
    """Whether a report shows a range (so its note explains them)."""
    return any('"note":"range"' in r.model_dump_json() for r in reports)


def rule_text(rule: ChangeRule, lang: Lang) -> str:
    """The rule and its numbers in words (the report's form of :meth:`ChangeRule.describe`, without sources).

    Examples:
        >>> from trivselscore import get_instrument
        >>> from trivselscore.change.rule import resolve_rule
        >>> rule_text(resolve_rule(get_instrument("who5"), "percentage", "threshold", {}), "da")
        'who5/percentage (højere er bedre): |ændring| >= 10 (mindste vigtige ændring)'
    """
    better = word("better_higher" if rule.higher_is_better else "better_lower", lang)
    head = f"{rule.instrument_id}/{rule.scale} ({better}): "
    threshold = short_text(rule.threshold, lang)
    if rule.method in {"difference", "threshold"}:
        return head + word(f"rule_{rule.method}", lang).format(threshold=threshold)
    z = short_text(rule.z or 0.0, lang)
    if rule.added_value is not None:
        av = rule.added_value
        formula = _formula(av, rule, lang)
        sd = short_text(av.sd, lang)
        return head + word("rule_added_value", lang).format(formula=formula, sd=sd, threshold=threshold, z=z)
    params = rule.parameters
    sd, r = (short_text(params.sd, lang), short_text(params.reliability, lang)) if params else ("-", "-")
    text = word("rule_reliable", lang).format(sd=sd, r=r, z=z, threshold=threshold)
    if rule.cutoff is not None:
        cutoff = short_text(rule.cutoff, lang, 4)
        text += word("rule_cutoff", lang).format(kind=rule.cutoff_type, cutoff=cutoff)
    return head + text


def _formula(av: AddedValue, rule: ChangeRule, lang: Lang) -> str:
    """The Added Value formula in the report's numbers and words (``AV = 2,3 + 0,8 x ... (start)``)."""
    start, end = word("at_start", lang), word("at_end", lang)
    terms = short_text(av.intercept, lang)
    for term in av.weights:
        sign = "-" if term.weight < 0 else "+"
        label = version_scale_label(rule.instrument_id, term.scale, lang)
        terms += f" {sign} {short_text(abs(term.weight), lang)} x {label} ({start})"
    scale = version_scale_label(rule.instrument_id, rule.scale, lang)
    if rule.higher_is_better:
        return f"AV = {scale} ({end}) - ({terms})"
    return f"AV = {terms} - {scale} ({end})"


def method_note(rule: ChangeRule, lang: Lang) -> str:
    """What fremgang, status quo and tilbagegang mean under ``rule``, in words.

    Examples:
        >>> from trivselscore import get_instrument
        >>> from trivselscore.change.rule import resolve_rule
        >>> method_note(resolve_rule(get_instrument("who5"), "percentage", "threshold", {}), "en")[:63]
        'who5/percentage: fremgang/tilbagegang = a change of at least 10'
    """
    head = f"{rule.instrument_id}/{rule.scale}: "
    if rule.method == "threshold":
        return head + word("method_threshold", lang).format(threshold=short_text(rule.threshold, lang, 6))
    if rule.method == "difference":
        return head + word("method_difference", lang).format(threshold=short_text(rule.threshold, lang, 6))
    if rule.method == "added_value":
        return head + word("method_added_value", lang).format(threshold=short_text(rule.threshold, lang, 6))
    return head + word("method_reliable", lang).format(threshold=short_text(rule.threshold, lang))


def summary_grid(
    report: SummaryReport, lang: Lang, *, by_sex: bool = False, sheet: str | None = None
) -> Grid:
    """Per time point and group: rows, forms not given, n, mean, SD and the share in each band."""
    head = [word("time", lang), word("sex" if by_sex else "group", lang), word("rows", lang)]
    head += [word("not_given", lang), "n", word("mean", lang), "SD"]
    shown = [
        i
        for i, b in enumerate(report.rows[0].bands if report.rows else ())
        if b.key != "no_band" or any(r.bands[i].count.value != 0 for r in report.rows)
    ]
    head += [report.rows[0].bands[i].label(lang) + " (%)" for i in shown]
    normed = report.norms is not None
    head += [word("t_mean", lang), "SD T"] if normed else []
    body: list[list[Value | str]] = []
    for r in report.rows:
        line: list[Value | str] = [r.time, sex_label(r.group, lang) if by_sex else group_label(r.group, lang)]
        line += [count(r.rows, lang), count(r.not_given, lang), count(r.n, lang)]
        line += [Value.of(r.mean, lang), Value.of(r.sd, lang)]
        line += [_share(r.bands[i].share, lang) for i in shown]
        if normed:
            line += [Value.of(c, lang) if c is not None else "" for c in (r.t_mean, r.t_sd)]
        body.append(line)
    versions = ", ".join(report.instrument_ids)
    caption = (
        f"{report.measure}: {version_scale_label(report.instrument_ids[0], report.scale, lang)} ({versions})"
    )
    if by_sex:
        caption += " - " + word("by_sex", lang)
    notes = [word("band_share_note", lang)] if shown else []
    if report.band_note is not None and not shown:
        notes.append(word("no_norms_note", lang).format(measure=report.measure, scale=report.scale))
    if report.norms is not None:
        table = report.norms.partition(": ")[0]  # its id; the appendix quotes its label and source
        notes.append(word("norms_note", lang).format(table=table))
    notes.append(
        suppression_note(report.min_cell, hide_zero=report.hide_zero, lang=lang, ranges=_ranges(report))
    )
    name = sheet if sheet is not None else f"{report.measure} {report.scale}"
    tail = word("sheet_sex" if by_sex else "sheet_level", lang)
    return Grid(caption, head, body, notes, name, tail, lang)


def change_grid(  # noqa: PLR0913 - the report, what to show, then its sheet
    report: ChangeReport,
    measure: str,
    scale: str,
    lang: Lang,
    *,
    sheet: str | None = None,
    span: str | None = None,
) -> Grid:
    """One measure's scale between two time points: pairs, attrition, categories, mean change, dz."""
    keys = report.categories()
    head = [word("group", lang), word("pairs", lang), word("attrition", lang)]
    head += [(k[2] if lang == "da" else k[1]) + " (%)" for k in keys]
    head += [word("mean_change", lang), "dz"]
    body: list[list[Value | str]] = []
    rows = [r for r in report.rows if r.measure == measure and r.scale == scale]
    added = any(r.added_value is not None for r in rows)
    head += [word("added_value", lang), word("added_value_effect", lang)] if added else []
    for r in rows:
        shares = {c.key: _share(c.share, lang) for c in r.categories}
        line: list[Value | str] = [
            group_label(r.group, lang),
            count(r.pairs, lang),
            _share(r.attrition, lang),
            *(shares.get(k[0], "") for k in keys),
            Value.of(r.mean_change, lang),
            Value.of(r.dz, lang, digits=2),
        ]
        if added:
            line += [
                Value.of(c, lang, digits=d) if c is not None else ""
                for c, d in ((r.added_value, 1), (r.added_value_effect, 2))
            ]
        body.append(line)
    rule = report.rules.get(measure) or report.rules.get(f"{measure}/{scale}")
    chosen = [rule] if rule is not None else list(report.rules.values())
    notes = [method_note(r, lang) for r in chosen] + [rule_text(r, lang) for r in chosen]
    notes.append(word("pairs_note", lang))
    if added:
        notes.append(word("added_value_note", lang))
    notes.append(
        suppression_note(report.min_cell, hide_zero=report.hide_zero, lang=lang, ranges=_ranges(report))
    )
    label = version_scale_label(rule.instrument_id, scale, lang) if rule is not None else scale
    caption = f"{measure}: {label}, {report.start} -> {report.end}"
    name = sheet if sheet is not None else f"{measure} {scale}"
    tail = word("sheet_change", lang) + " " + (span or f"{report.start}-{report.end}")
    return Grid(caption, head, body, notes, name, tail, lang)


def combined_grid(report: CombinedChangeReport, lang: Lang, *, span: str | None = None) -> Grid:
    """Fremgang on several measures at once, per group."""
    head = [word("group", lang), word("persons", lang), word("complete", lang), word("left_out", lang)]
    head += [word("improved", lang), word("share_ci", lang)]
    body: list[list[Value | str]] = [
        [group_label(r.group, lang)]
        + [count(c, lang) for c in (r.persons, r.complete, r.left_out, r.improved)]
        + [_share(r.share, lang)]
        for r in report.rows
    ]
    how = {"all": word("rule_all", lang), "any": word("rule_any", lang)}.get(
        report.rule, word("rule_k", lang).format(k=report.rule)
    )
    caption = f"{report.start} -> {report.end}: " + word("combined_caption", lang).format(
        how=how, scales=", ".join(report.scales)
    )
    notes = [method_note(r, lang) for r in report.rules.values()]
    notes += [rule_text(r, lang) for r in report.rules.values()]
    notes.append(
        suppression_note(report.min_cell, hide_zero=report.hide_zero, lang=lang, ranges=_ranges(report))
    )
    tail = word("sheet_change", lang) + " " + (span or f"{report.start}-{report.end}")
    return Grid(caption, head, body, notes, word("sheet_combined", lang), tail, lang)


def front_facts(
    content: Content, lang: Lang, *, data_name: str, library: str, date: str
) -> list[tuple[str, list[Value]]]:
    """The first page's facts: (heading, one value per line), shared by the HTML and the workbook.

    Its counts are the release's cells (``content.front``): a count hidden there is its mark here.
    """
    config, study, front = content.config, content.study, content.front
    cells = {m.name: m for m in front.measures} if front is not None else {}
    persons = _front_count(front.persons if front else None, study.n_persons, lang)
    facts: list[tuple[str, list[Value]]] = [
        (word("front_data", lang), [Value.label(data_name)]),
        (word("front_persons", lang), [persons]),
        (word("front_rows", lang), [_front_count(front.rows if front else None, study.n_rows, lang)]),
        (word("front_times", lang), [Value.label(", ".join(study.time_points))]),
        (word("front_groups", lang), [Value.label(", ".join(config.columns.groups) or "-")]),
        (
            word("front_measures", lang),
            [Value.label("; ".join(versions_line(c, lang, cells.get(c.name)) for c in content.counts))],
        ),
    ]
    missing = (
        word("missing_default", lang)
        if config.missing is None
        else word("missing_policy", lang).format(policy=config.missing)
    )
    lines = [missing]
    for c in content.counts:
        lines.append(counts_line(c, lang, cells.get(c.name)))
        lines.extend(not_collected_line(study.measure(c.name), c.name, s, lang) for s in c.not_collected)
    facts.append((word("front_missing", lang), [Value.label(line) for line in lines]))
    rule = config.suppression
    small = suppression_note(rule.min_cell, hide_zero=rule.hide_zero, lang=lang, ranges=rule.ranges)
    facts.append((word("front_small", lang), [Value.label(small)]))
    definitions = ", ".join(f"{v.id} v{v.version}" for m in study.measures.values() for v in m.versions)
    versions = word("versions", lang).format(library=library, definitions=definitions)
    facts.append((word("front_versions", lang), [Value.label(versions)]))
    facts.append((word("front_date", lang), [Value.label(_date(date, lang))]))
    return facts


def _date(date: str, lang: Lang) -> str:
    """An ISO date as the reader writes it (``6. december 2026``); any other text as it is."""
    try:
        return date_text(dt.date.fromisoformat(date), lang)
    except ValueError:
        return date


def _front_count(cell: Cell | None, number: int, lang: Lang) -> Value:
    """A first-page count: the release's cell (a mark if hidden), else the number."""
    return Value.count(number) if cell is None else count(cell, lang)


def _text(cell: Cell | None, number: int, lang: Lang) -> str:
    return _front_count(cell, number, lang).render(lang)


def versions_line(count: MeasureCount, lang: Lang, cells: MeasureCells | None = None) -> str:
    """``mfq: mfq-c 120 skemaer, mfq-a 43 skemaer (valgt efter alder)``: the forms each version scored."""
    shown = cells.versions if cells is not None else {}
    parts = ", ".join(
        word("forms", lang).format(version=v, n=_text(shown.get(v), n, lang))
        for v, n in count.versions.items()
    )
    return f"{count.name}: {parts}" + (f" ({word('by_age', lang)})" if len(count.versions) > 1 else "")


def counts_line(count: MeasureCount, lang: Lang, cells: MeasureCells | None = None) -> str:
    """Forms given and not given, and per reported scale the forms given but not scored."""
    line = word("missing_counts", lang).format(
        name=count.name,
        given=_text(cells.given if cells else None, count.given, lang),
        not_given=_text(cells.not_given if cells else None, count.not_given, lang),
    )
    if count.not_scored:
        shown = cells.not_scored if cells is not None else {}
        version = next(iter(count.versions), None)
        scales = ", ".join(
            f"{version_scale_label(version, s, lang) if version else s} {_text(shown.get(s), n, lang)}"
            for s, n in count.not_scored.items()
        )
        line += word("not_scored", lang).format(scales=scales)
    return line


def not_collected_line(measure: Measure, name: str, scale: str, lang: Lang) -> str:
    """Why a scale was not collected, naming the optional block (or the items) in the report's language."""
    version = measure.instrument
    found = measure.columns.get(version.id, {})
    lacking = {i for i in needed_items(version, scale) if found.get(i) is None}
    what = [b.label_da if lang == "da" else b.label_en for b in version.optional if lacking & set(b.items)]
    loose = sorted(lacking - {i for b in version.optional for i in b.items})
    what += [f"{word('items', lang)} {', '.join(loose)}"] if loose else []
    key = "not_collected_declared" if "declared" in measure.not_collected[scale] else "not_collected"
    return word(key, lang).format(name=name, scale=scale, what=", ".join(what))
