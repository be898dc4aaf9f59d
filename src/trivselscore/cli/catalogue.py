"""The instrument catalogue, rendered as Markdown from the definitions themselves.

The documentation's "Instruments" page is built from this at ``mkdocs build``
time (``docs/hooks.py``), so it cannot drift from the code: every item, scale,
cutoff, norm and source shown there is the one the engine uses.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from trivselscore.definitions.norms import T_SCORE_LIMITS
from trivselscore.instruments.registry import INSTRUMENTS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from trivselscore.definitions.instrument import Instrument
    from trivselscore.definitions.model import Band, CutoffScheme, Source

__all__ = ["band_interval", "render_catalogue", "render_instrument", "sources_of"]

_MARK = {"verified": "verified", "verified-secondary": "verified (secondary source)"}


def render_catalogue(instruments: Iterable[Instrument] | None = None) -> str:
    """Markdown for every registered instrument (or the given ones).

    Examples:
        >>> text = render_catalogue()
        >>> "## `who5`: WHO-5 Well-Being Index { #who5 }" in text
        True
    """
    chosen = list(INSTRUMENTS.values()) if instruments is None else list(instruments)
    lines = [
        "| id | instrument | informant | items | scales | default cutoff scheme |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| [`{i.id}`](#{i.id}) | {i.name} | {i.informant} | {len(i.items)} | {len(i.scales)} "
        f"| {i.default_scheme or 'none'} |"
        for i in chosen
    ]
    return "\n".join([*lines, "", *(render_instrument(i) for i in chosen)])


def render_instrument(instrument: Instrument) -> str:
    """Markdown for one instrument: items, scales, schemes, norms, sources, licence."""
    out = [f"## `{instrument.id}`: {instrument.name} {{ #{instrument.id} }}", ""]
    age = f"{instrument.age_range[0]:g}-{instrument.age_range[1]:g}" if instrument.age_range else "not stated"
    if instrument.age_range_source is not None:
        age += f" ({_source(instrument.age_range_source)})"
    out += [
        f"- **Informant:** {instrument.informant}; **ages:** {age}",
        f"- **Definition version:** {instrument.version}",
        f"- **Source:** {_source(instrument.source)}",
        f"- **Licence you need:** {instrument.licence}",
    ]
    out += [f"- **Note:** {note}" for note in instrument.notes]
    out += [
        f"- **Optional:** {block.label_en} ({', '.join(f'`{i}`' for i in block.items)}); an export may leave "
        f"it out, and the scales that need it are then not collected ({_source(block.source)})"
        for block in instrument.optional
    ]
    out += ["", "### Items", "", "| item | theme | codes | aliases |", "|---|---|---|---|"]
    out += [
        f"| {item.id} | {item.theme} | {', '.join(f'{o.code} {o.label_en}' for o in item.options)} "
        f"| {', '.join(f'`{a}`' for a in item.aliases)} |"
        for item in instrument.items
    ]
    out += [
        "",
        "### Scales",
        "",
        "| scale | built from | reversed | range | better | missing data | source |",
    ]
    out += ["|---|---|---|---|---|---|---|"]
    for scale in instrument.scales:
        low, high = instrument.scale_range(scale.id)
        parts = "items " + ", ".join(scale.items) if scale.items else "scales " + ", ".join(scale.scales)
        if scale.multiplier != 1:
            parts += f" x {scale.multiplier}"
        if scale.gate is not None:
            parts += f"; 0-gated on `{scale.gate.item}` = {list(scale.gate.codes)}"
        if scale.recode:
            parts += "; recoded " + ", ".join(r.item for r in scale.recode)
        rule = scale.missing
        missing = (
            f"{rule.kind}, at least {rule.min_answered}, rounding {rule.rounding} ({_source(rule.source)})"
        )
        out.append(
            f"| `{scale.id}` {scale.label_en} / {scale.label_da} | {parts} "
            f"| {', '.join(scale.reverse) or '-'} "
            f"| {low}-{high} | {'higher' if scale.higher_is_better else 'lower'} | {missing} "
            f"| {_source(scale.source)} |"
        )
    for variant in instrument.missing_variants:
        rules = "; ".join(
            f"`{s}`: {r.kind}, at least {r.min_answered} ({_source(r.source)})" for s, r in variant.rules
        )
        out.append(f'\nMissing-data variant `missing="{variant.id}"` ({variant.label}): {rules}')
    out += _change(instrument)
    out += _schemes(instrument)
    out += _norms(instrument)
    if instrument.flags:
        out += ["", "### Flags", ""]
        out += [
            f"- `{f.id}` ({f.kind}): items {', '.join(f.items)} answered {list(f.codes)}: {f.message}. "
            f"{_source(f.source)}"
            for f in instrument.flags
        ]
    out += _verification(instrument)
    return "\n".join(out) + "\n"


def _change(instrument: Instrument) -> list[str]:
    rows = []
    for scale in instrument.scales:
        if scale.change is not None:
            params = scale.change
            sd_source = params.sd_source or params.source
            rows.append(
                f"| `{scale.id}` | reliable change (Jacobson & Truax) "
                f"| SD {params.sd:g} ({_source(sd_source)}); "
                f"r {params.reliability:g} {params.reliability_kind or ''} ({_source(params.source)}); "
                f"population: {params.population} |"
            )
        if scale.important_change is not None:
            rows.append(
                f"| `{scale.id}` | minimal important change | {scale.important_change.value:g} points "
                f"({_source(scale.important_change.source)}) |"
            )
    if not rows:
        return [
            "",
            "### Change parameters",
            "",
            "None published: reliable change needs `sd=` and `reliability=`.",
        ]
    return [
        "",
        "### Change parameters",
        "",
        "| scale | parameter | value and source |",
        "|---|---|---|",
        *rows,
    ]


def _schemes(instrument: Instrument) -> list[str]:
    if not instrument.schemes:
        return ["", "### Cutoff schemes", "", "None shipped."]
    out = ["", "### Cutoff schemes"]
    for scheme in instrument.schemes:
        default = " (default)" if scheme.id == instrument.default_scheme else ""
        out += ["", f"#### `{scheme.id}`{default}: {scheme.label_en} / {scheme.label_da}", ""]
        out.append(f"Source: {_source(scheme.source)}" + (f". {scheme.note}" if scheme.note else ""))
        out += [
            "",
            "| scale | for | band | interval | label (en / da) | band source |",
            "|---|---|---|---|---|---|",
        ]
        out += _band_rows(scheme)
    return out


def _band_rows(scheme: CutoffScheme) -> list[str]:
    rows = []
    for table in scheme.cutoffs:
        who: list[str] = [table.sex] if table.sex else []
        if table.min_age is not None or table.max_age is not None:
            low = "" if table.min_age is None else f"{table.min_age:g}"
            high = "" if table.max_age is None else f"{table.max_age:g}"
            who.append(f"age {low}-{high}")
        rows += [
            f"| `{table.scale}` | {', '.join(who) or 'all'} | `{band.id}` "
            f"| {band_interval(band, scheme.metric)} "
            f"| {band.label_en} / {band.label_da} | {_source(band.source) if band.source else 'as scheme'} |"
            for band in table.bands
        ]
    return rows


def band_interval(band: Band, metric: str = "score") -> str:
    """A band as a reader should see it: an interval of scores, or a condition on the T-score.

    A T-score scheme's bands must cover ``T_SCORE_LIMITS`` (-1000 to 1000), the
    finite stand-ins for minus and plus infinity; they are not shown. A band
    from the lower limit reads ``T < 60``, one up to the upper limit
    ``T >= 60``, one in between ``55 <= T < 60``.

    Examples:
        >>> from trivselscore import get_instrument
        >>> normal, elevated = get_instrument("scas-c").scheme("t60").cutoffs[0].bands
        >>> band_interval(normal, "t_score"), band_interval(elevated, "t_score")
        ('T < 60', 'T >= 60')
        >>> risk = get_instrument("who5").scheme("risk").cutoffs[0].bands[0]
        >>> band_interval(risk)
        '[0, 50)'
    """
    if metric != "t_score":
        return band.interval
    low, high = T_SCORE_LIMITS
    open_below, open_above = band.lower <= low, band.upper >= high
    if open_below and open_above:
        return "any T"
    lower = f"{band.lower:g} {'<=' if band.lower_inclusive else '<'} "
    upper = f" {'<=' if band.upper_inclusive else '<'} {band.upper:g}"
    if open_below:
        return f"T{upper}"
    if open_above:
        return f"T {'>=' if band.lower_inclusive else '>'} {band.lower:g}"
    return f"{lower}T{upper}"


def _norms(instrument: Instrument) -> list[str]:
    tables = getattr(instrument, "norms", ())
    if not tables:
        return []
    out = ["", "### Norms (T = 50 + 10 (x - M) / SD)"]
    for table in tables:
        out += ["", f"#### `{table.id}`: {table.label}", "", f"Source: {_source(table.source)}", ""]
        out += ["| scale | sex | ages | mean | SD |", "|---|---|---|---|---|"]
        out += [
            f"| `{row.scale}` | {row.sex or 'both'} | {row.min_age}-{row.max_age} "
            f"| {row.mean:g} | {row.sd:g} |"
            for row in table.rows
        ]
    return out


def sources_of(instrument: Instrument) -> list[tuple[str, Source]]:
    """Every source in a definition, with where it is used.

    Examples:
        >>> from trivselscore import get_instrument
        >>> where, source = sources_of(get_instrument("who5"))[0]
        >>> where, source.doi
        ('instrument', '10.1159/000376585')
    """
    found: list[tuple[str, Source]] = [("instrument", instrument.source)]
    if instrument.age_range_source is not None:
        found.append(("age range", instrument.age_range_source))
    found += [(f"optional block {b.id}", b.source) for b in instrument.optional]
    for scale in instrument.scales:
        found += [(f"scale {scale.id}", scale.source), (f"missing rule of {scale.id}", scale.missing.source)]
        found += [(f"recode of item {r.item} in {scale.id}", r.source) for r in scale.recode]
        if scale.gate is not None:
            found.append((f"gate of {scale.id}", scale.gate.source))
    for scheme in instrument.schemes:
        found.append((f"scheme {scheme.id}", scheme.source))
        found += [
            (f"band {b.id} of {t.scale} in {scheme.id}", b.source)
            for t in scheme.cutoffs
            for b in t.bands
            if b.source
        ]
    found += [(f"flag {f.id}", f.source) for f in instrument.flags]
    for scale in instrument.scales:
        if scale.change is not None:
            found.append((f"reliability of {scale.id}", scale.change.source))
            if scale.change.sd_source is not None:
                found.append((f"SD of {scale.id}", scale.change.sd_source))
        if scale.important_change is not None:
            found.append((f"minimal important change of {scale.id}", scale.important_change.source))
    found += [(f"norm table {t.id}", t.source) for t in getattr(instrument, "norms", ())]
    return found


def _verification(instrument: Instrument) -> list[str]:
    sources = sources_of(instrument)
    counts = Counter(source.status for _, source in sources)
    summary = ", ".join(
        f"{counts[s]} {s}" for s in ("verified", "verified-secondary", "derived", "unverified") if counts[s]
    )
    out = ["", "### What is verified", "", f"Sources cited in this definition: {summary}."]
    doubtful = [(where, s) for where, s in sources if s.status == "unverified"]
    if doubtful:
        out += ["", "Not verified (recalled or not found in a primary source; treat with care):", ""]
        out += [f"- {where}: {s.citation}" + (f" ({s.note})" if s.note else "") for where, s in doubtful]
    return out


def _source(source: Source) -> str:
    ref = source.citation
    if source.doi:
        ref += f", [doi:{source.doi}](https://doi.org/{source.doi})"
    if source.url:
        ref += f", <{source.url}>"
    status = _MARK.get(source.status, f"**{source.status.upper()}**")
    return f"{ref} [{status}]"
