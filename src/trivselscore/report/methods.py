"""The methods appendix, written from the instrument definitions (nothing typed by hand).

Per measure and version: the instrument, informant, age range (with its source),
source and licence, the norm table of its T-scores (a user's file named with its
SHA-256); per
reported scale its items, reversed items, range and missing-answer rule with
its source; the default cutoff scheme's bands with each source and its
verification status; then the change method of every comparison; then the
disclosure control of the whole report: the rule and its source, that the report
is protected as one release, the cost order of the cells hidden to protect
others, how many printed counts were shown and hidden (and why), and where a
range replaces a number.
"""

from __future__ import annotations

from html import escape
from importlib import metadata
from typing import TYPE_CHECKING

from trivselscore.instruments.registry import get_instrument
from trivselscore.report.labels import word
from trivselscore.study.cells import COSTS

if TYPE_CHECKING:
    from trivselscore.definitions import Instrument, Source
    from trivselscore.report.build import Content
    from trivselscore.study.reports import Lang

__all__ = ["methods_html", "range_places", "source_text"]

_SHOWN_PLACES = 40
_STATES = ("shown", "small", "secondary", "range")
_ROLES = ("headline", "denominator", "pairs", "result", "auxiliary", "bookkeeping")


def source_text(source: Source) -> str:
    """A source as one line: citation, DOI or URL, and its status when not verified.

    Examples:
        >>> src = get_instrument("who5").source
        >>> source_text(src).startswith(src.citation)
        True
    """
    text = source.citation
    if source.doi:
        text += f" doi:{source.doi}"
    elif source.url:
        text += f" {source.url}"
    return text


def _source(source: Source, lang: Lang) -> str:
    link = ""
    if source.doi:
        link = f' <a href="https://doi.org/{escape(source.doi)}">doi:{escape(source.doi)}</a>'
    elif source.url:
        link = f' <a href="{escape(source.url)}">{escape(source.url)}</a>'
    status = escape(word("verified", lang) if source.verified else source.status)
    return f'{escape(source.citation)}{link} <span class="status">[{status}]</span>'


def _scale(instrument: Instrument, scale_id: str, lang: Lang) -> list[str]:
    scale = next(s for s in instrument.scales if s.id == scale_id)
    low, high = instrument.scale_range(scale_id)
    label = scale.label_da if lang == "da" else scale.label_en
    parts = [f"<h4>{escape(scale_id)}: {escape(label)}</h4><ul>"]
    what = ", ".join(scale.items) if scale.items else ", ".join(scale.scales)
    parts.append(f"<li>{word('items' if scale.items else 'scales', lang)}: {escape(what)}</li>")
    if scale.reverse:
        parts.append(f"<li>{word('reversed', lang)}: {escape(', '.join(scale.reverse))}</li>")
    if scale.multiplier != 1:
        parts.append(f"<li>x {scale.multiplier}</li>")
    parts.append(f"<li>{word('range', lang)}: {low:g}-{high:g}</li>")
    rule = scale.missing
    parts.append(
        f"<li>{word('missing_rule', lang)}: {escape(rule.kind)}, min {rule.min_answered}, "
        f"{escape(rule.rounding)}; {word('source', lang)}: {_source(rule.source, lang)}</li>"
    )
    parts.append(f"<li>{word('source', lang)}: {_source(scale.source, lang)}</li></ul>")
    if instrument.default_scheme is None:
        parts.append(f"<p>{word('no_scheme', lang)}</p>")
        return parts
    scheme = instrument.scheme(instrument.default_scheme)
    tables = [t for t in scheme.cutoffs if t.scale == scale_id]
    if not tables:
        parts.append(f"<p>{word('no_scheme', lang)}</p>")
        return parts
    caption = word("cutoffs", lang).format(scheme=scheme.id)
    parts.append(f'<table class="methods"><caption>{escape(caption)}</caption><thead><tr>')
    parts.append(f"<th>{word('group', lang)}</th><th>{word('band', lang)}</th>")
    parts.append(f"<th>{word('interval', lang)}</th><th>{word('source', lang)}</th></tr></thead><tbody>")
    for table in tables:
        who = " ".join(
            x
            for x in (
                table.sex or "",
                "" if table.min_age is None else f"{table.min_age:g}-",
                "" if table.max_age is None else f"{table.max_age:g}",
            )
            if x
        )
        for band in table.bands:
            label = band.label_da if lang == "da" else band.label_en
            interval = ("T " if scheme.metric == "t_score" else "") + band.interval
            parts.append(
                f"<tr><td>{escape(who)}</td><td>{escape(label)}</td><td>{escape(interval)}</td>"
                f"<td>{_source(band.source or scheme.source, lang)}</td></tr>"
            )
    parts.append("</tbody></table>")
    return parts


def _ages(instrument: Instrument, lang: Lang) -> str:
    """``ages 6-17 (source [status]); `` from the definition, or nothing without an age range."""
    if instrument.age_range is None or instrument.age_range_source is None:
        return ""
    low, high = instrument.age_range
    return f"{word('ages', lang)} {low:g}-{high:g} ({_source(instrument.age_range_source, lang)}); "


def methods_html(content: Content, lang: Lang) -> str:
    """The appendix as an HTML fragment (every text from a definition escaped)."""
    parts = [f'<section class="chapter" id="methods"><h2>{word("methods", lang)}</h2>']
    parts.append(f"<p>{word('generated', lang)}</p>")
    for name, measure in content.config.measures.items():
        scored = content.study.measure(name)
        for v, instrument_id in enumerate(measure.ids):
            instrument = get_instrument(instrument_id)
            parts.append(
                f"<h3>{escape(name)}: {escape(instrument.name)} ({escape(instrument.id)}, "
                f"v{escape(str(instrument.version))})</h3>"
            )
            parts.append(
                f"<p>{word('informant', lang)}: {escape(instrument.informant)}; "
                f"{_ages(instrument, lang)}"
                f"{word('source', lang)}: {_source(instrument.source, lang)}; "
                f"{word('licence', lang)}: {escape(str(instrument.licence))}</p>"
            )
            table = scored.norms[v] if v < len(scored.norms) else None
            if table is not None:
                note = f" {escape(table.source.note)}" if table.source.note else ""
                source = _source(table.source, lang)
                parts.append(
                    f"<p>{word('norm_table', lang).capitalize()}: {escape(table.label)} "
                    f"({escape(table.population)}); {word('source', lang)}: {source}{note}</p>"
                )
            for scale_id in content.scales[name]:
                parts.extend(_scale(instrument, scale_id, lang))
    if content.changes or content.combined:
        parts.append(f"<h3>{word('change_method', lang)}</h3><ul>")
        seen: set[str] = set()
        rules = [r.rules for r in content.changes] + [r.rules for r in content.combined]
        for by_key in rules:
            for key, rule in by_key.items():
                line = f"{key}: {rule.method} - {rule.describe()}"
                if line not in seen:
                    seen.add(line)
                    parts.append(f"<li>{escape(line)}</li>")
        parts.append("</ul>")
    if content.predictors:
        version = metadata.version("statsmodels")
        text = escape(word("predictors_method", lang).format(version=version))
        parts.append(f"<h3>{word('predictors', lang)}</h3><p>{text}</p>")
    parts.extend(_disclosure(content, lang))
    parts.append("</section>")
    return "".join(parts)


def range_places(content: Content, lang: Lang) -> list[str]:
    """Where the report shows a range instead of a number: table, row and column."""
    places = []
    for report in [*content.summaries, *content.by_gender]:
        for row in report.rows:
            cells = [("n", row.n), ("rækker" if lang == "da" else "rows", row.rows)]
            cells += [(word("not_given", lang), row.not_given)]
            cells += [(b.label(lang), b.share) for b in row.bands]
            where = (
                f"{report.measure}/{report.scale} ({', '.join(report.by) or '-'}), {row.time}, {row.group}"
            )
            places += [f"{where}: {name}" for name, cell in cells if cell.note == "range"]
    for change in content.changes:
        for line in change.rows:
            cells = [(word("pairs", lang), line.pairs), (word("attrition", lang), line.attrition)]
            cells += [(c.label(lang), c.share) for c in line.categories]
            where = f"{line.measure}/{line.scale} {change.start} -> {change.end}, {line.group}"
            places += [f"{where}: {name}" for name, cell in cells if cell.note == "range"]
    for combined in content.combined:
        for item in combined.rows:
            cells = [(word("complete", lang), item.complete), (word("improved", lang), item.improved)]
            cells += [(word("left_out", lang), item.left_out), (word("persons", lang), item.persons)]
            where = f"{', '.join(combined.scales)} {combined.start} -> {combined.end}, {item.group}"
            places += [f"{where}: {name}" for name, cell in cells if cell.note == "range"]
    return places + _analysis_ranges(content, lang)


def _analysis_ranges(content: Content, lang: Lang) -> list[str]:
    """Where the questions' and the models' tables show a range."""
    places = []
    for question in content.surveys:
        for row in question.rows:
            cells = [("n", row.n), (word("not_answered", lang), row.blank)]
            cells += [(a.label(lang), a.share) for a in row.answers]
            where = f"{question.title}, {row.time}, {row.group}"
            places += [f"{where}: {name}" for name, cell in cells if cell.note == "range"]
    for model in content.predictors:
        cells = [(word("model_n", lang), model.n), (word("model_improved", lang), model.improved)]
        cells += [(word("model_excluded", lang), model.excluded or model.left_out)]
        cells += [(f"{lv.covariate}: {lv.level}", lv.n) for lv in model.levels]
        where = f"{model.measure}/{model.scale} {model.start} -> {model.end}"
        places += [f"{where}: {name}" for name, cell in cells if cell.note == "range"]
    return places


def _disclosure(content: Content, lang: Lang) -> list[str]:
    """The disclosure control of the whole report: rule, release, costs, counts and ranges."""
    rule = content.config.suppression
    parts = [f"<h3>{word('disclosure', lang)}</h3>"]
    text = word("disclosure_rule", lang).format(min_cell=rule.min_cell, top=rule.min_cell - 1)
    parts.append(f"<p>{escape(text)}</p>")
    parts.append(f"<p>{escape(word('disclosure_source', lang))}</p>")
    if not content.disclosure:
        parts.append(f"<p>{escape(word('disclosure_one_by_one', lang))}</p>")
        return parts
    parts.append(f"<p>{escape(word('disclosure_release', lang))}</p>")
    order = " < ".join(f"{word('role_' + r, lang)} ({COSTS[r]:g})" for r in reversed(_ROLES))
    parts.append(f"<p>{escape(word('disclosure_costs', lang).format(order=order))}</p>")
    parts.append('<table class="methods"><caption>')
    parts.append(escape(word("disclosure_table", lang).format(rounds=content.rounds)))
    parts.append("</caption><thead><tr>")
    parts.append(f"<th>{word('disclosure_kind', lang)}</th>")
    parts.extend(f"<th>{escape(word('state_' + state, lang))}</th>" for state in _STATES)
    parts.append("</tr></thead><tbody>")
    totals = dict.fromkeys(_STATES, 0)
    for role in _ROLES:
        counts = content.disclosure.get(role, {})
        if not counts:
            continue
        parts.append(f"<tr><td>{escape(word('role_' + role, lang))}</td>")
        parts.extend(f"<td>{counts.get(state, 0)}</td>" for state in _STATES)
        parts.append("</tr>")
        for state in _STATES:
            totals[state] += counts.get(state, 0)
    parts.append(f"<tr><td>{word('disclosure_all', lang)}</td>")
    parts.extend(f"<td>{totals[state]}</td>" for state in _STATES)
    parts.append("</tr></tbody></table>")
    places = range_places(content, lang)
    if places:
        parts.append(f"<p>{escape(word('disclosure_ranges', lang).format(count=len(places)))}</p><ul>")
        parts.extend(f"<li>{escape(place)}</li>" for place in places[:_SHOWN_PLACES])
        if len(places) > _SHOWN_PLACES:
            parts.append(
                f"<li>{escape(word('and_more', lang).format(count=len(places) - _SHOWN_PLACES))}</li>"
            )
        parts.append("</ul>")
    else:
        parts.append(f"<p>{escape(word('disclosure_no_ranges', lang))}</p>")
    return parts
