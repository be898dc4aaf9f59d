"""The methods appendix, written from the instrument definitions (nothing typed by hand).

Per measure and version: the instrument, informant, age range (with its source),
source and licence, the norm table of its T-scores (a user's file named with its
SHA-256); per
reported scale its items, reversed items, range and missing-answer rule with
its source; the default cutoff scheme's bands with each source and its
verification status; then the change method of every comparison.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from trivselscore.instruments.registry import get_instrument
from trivselscore.report.labels import word

if TYPE_CHECKING:
    from trivselscore.definitions import Instrument, Source
    from trivselscore.report.build import Content
    from trivselscore.study.reports import Lang

__all__ = ["methods_html", "source_text"]


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
    parts.append("</section>")
    return "".join(parts)
