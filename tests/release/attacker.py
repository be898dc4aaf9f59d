"""The whole-release attacker: every number one report run prints, every relation a reader knows.

It reads what the report shows (the tables of the HTML and the Excel file, which
are the same grids, and the first page's counts) and writes its own model of the
people counted, from the documented structure only (never from the library's
keys): persons per group; per time point and group the rows, the forms not given,
the forms given, the scored (n) and the not scored, and each band; per comparison
the pairs, start only, end only, neither and each change category; the combined
table's complete, left out, improved; the first page's totals over time points
(forms given, not given, per scale not scored, per version).
The relations: every total row is the sum of its groups (tracks, and sexes); the
sex and track tables' ``alle`` rows are the same people; persons = rows + those
without a row at that time point; rows = not given + given = not given + n + not
scored; n = the sum of its bands; persons = pairs + start only + end only +
neither; n at the start = pairs + start only, at the end = pairs + end only; pairs
= the sum of the categories; persons = complete + left out; complete = improved +
the rest; with several scales, complete <= each scale's pairs and (rule "all")
improved <= each scale's fremgang; the first page's totals are the sums over the
time points; per time point the forms given are the sum of the versions'.

What each printed cell says (:func:`read`): a number is the count; ``<5`` is 1-4
(0-4 with ``hide_zero``); ``skjult`` on a count is 0 or at least 5; ``a-b`` a count
from a to b; a share with its interval gives every count whose share and interval
print the same (a change category's count exactly: its bar in the figure shows
it); ``a-b%`` is a share from a % to b % (a linear bound on count and denominator);
the attrition bounds start only against the pairs the same way.

The verdict (:func:`attack`) is exact over whole numbers (the MILP of
``tests/study/attacker.py``): every printed hidden count and share must keep at
least two possible values, and no count the report does not print (start only,
end only, neither, not scored, those without a row) may be pinned to 1-4.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.release.analyses import model_analyses, read_analyses
from tests.report.pages import plain
from tests.study.attacker import Problem
from trivselscore.cohort.stats import proportion_interval
from trivselscore.instruments.registry import get_instrument
from trivselscore.report.build import SEX_GROUP, Content, change_methods, default_scales
from trivselscore.report.config import PredictorsConfig, StudyConfig
from trivselscore.report.tables import scale_label
from trivselscore.report.values import Value
from trivselscore.study import Study
from trivselscore.study.cells import Ledger
from trivselscore.study.predictors import predictors_plan

_NUMBER = re.compile(r"\d+")
_RANGE = re.compile(r"(\d+)-(\d+)(%?)")
_SHARE = re.compile(r"(\d+)%(?: \((\d+)-(\d+)\))?")
ALL = "all"
CATEGORIES = {
    "fremgang": "improvement",
    "status quo": "status_quo",
    "tilbagegang": "decline",
    "fremgang til normalområdet": "recovered",
    "tilbagegang til klinisk område": "harmed",
}

Key = Hashable


@dataclass
class Published:
    """What a report run prints: the tables by caption (header and rows as text) and the first page."""

    tables: dict[str, tuple[list[str], list[list[str]]]]
    persons: str
    rows: str
    measures: dict[str, Forms] = field(default_factory=dict)


@dataclass
class Forms:
    """A measure's line on the first page: forms given, not given, per scale not scored, per version."""

    given: str
    not_given: str
    not_scored: dict[str, str]
    versions: dict[str, str]


_COUNT = r"(\d+|<\d+|skjult|\d+-\d+)"
_GIVEN = re.compile(rf"(\S+): {_COUNT} rækker med skemaet udfyldt, {_COUNT} uden \(ikke en måling\)(.*)")
_PART = re.compile(rf"(.+?) {_COUNT}(?: skemaer)?")


def from_content(content: Content) -> Published:
    """The printed text of every table and of the first page (the grids the HTML and Excel are made of)."""
    from trivselscore.report.command import grids  # noqa: PLC0415 - the report wing, as printed
    from trivselscore.report.tables import front_facts  # noqa: PLC0415 - the first page, as printed

    tables = {g.caption: (g.head, [[plain(c) for c in row] for row in g.body]) for g in grids(content, "da")}
    facts = dict(front_facts(content, "da", data_name="d", library="l", date="t"))
    persons, rows = (plain(facts[k][0].render("da")) for k in ("Personer", "Rækker"))
    return Published(tables, persons, rows, read_forms(facts))


def read_forms(facts: dict[str, list[Value]]) -> dict[str, Forms]:
    """Each measure's forms, read from the first page's lines (``Mål`` and ``Manglende svar``)."""
    out: dict[str, Forms] = {}
    for line in (plain(v.render("da")) for v in facts["Manglende svar"]):
        found = _GIVEN.fullmatch(line)
        if found is None:
            continue
        _, scored = found[4].partition(": ")[::2]
        out[found[1]] = Forms(found[2], found[3], _parts(scored) if scored else {}, {})
    for part in plain(facts["Mål"][0].render("da")).split("; "):
        name, _, forms = part.partition(": ")
        forms = forms.removesuffix(" (valgt efter alder)")
        out[name].versions = _parts(forms)
    return out


def _parts(text: str) -> dict[str, str]:
    """``a 3, b <5`` (or ``a 3 skemaer, ...``) as {a: "3", b: "<5"}."""
    found = [_PART.fullmatch(part) for part in text.split(", ")]
    return {m[1]: m[2] for m in found if m}


@dataclass
class Attack:
    """The attacker's problem, what the marks promise, and which cells it must not pin."""

    problem: Problem
    hide_zero: bool
    printed_hidden: set[Key] = field(default_factory=set)

    def fix(self, key: Key, value: float) -> None:
        p = self.problem
        p.low[key], p.high[key] = max(p.low[key], value), min(p.high[key], value)

    def within(self, key: Key, low: float, high: float) -> None:
        p = self.problem
        p.low[key], p.high[key] = max(p.low[key], low), min(p.high[key], high)

    def read(self, key: Key, text: str) -> None:
        """What a printed count cell says of its count."""
        m = self.problem.min_cell
        if _NUMBER.fullmatch(text):
            self.fix(key, float(text))
            return
        self.printed_hidden.add(key)
        found = _RANGE.fullmatch(text)
        if found and not found[3]:
            self.within(key, float(found[1]), float(found[2]))
        elif text == f"<{m}":
            self.within(key, 0.0 if self.hide_zero else 1.0, m - 1.0)
        elif text == "skjult" and self.hide_zero:
            self.within(key, float(m), float("inf"))
        elif text == "skjult":
            self.problem.gap.add(key)
        else:
            msg = f"unknown count text {text!r}"
            raise AssertionError(msg)

    def read_share(self, count: Key, denominator: Key, text: str, *, exact: bool) -> None:
        """What a printed share says of its count (over a denominator printed, or hidden).

        ``exact``: the count is known exactly when the share is shown (a change
        category's bar in the figure shows it); else the counts whose share and
        interval print the same.
        """
        p = self.problem
        shown = denominator not in self.printed_hidden
        full = _SHARE.fullmatch(text)
        ranged = _RANGE.fullmatch(text)
        if full and full[2] is None:  # a share without interval: 0 of a hidden or shown denominator
            assert full[1] == "0", text
            self.fix(count, 0.0)
        elif full and shown:
            n = round(p.truth[denominator])
            if exact:
                self.fix(count, float(p.truth[count]))
                return
            fits = [k for k in range(n + 1) if _share_text(k, n) == text]
            assert fits, (text, n)
            self.within(count, min(fits), max(fits))
        elif ranged and ranged[3]:
            if (
                shown
            ):  # the share's own range; else the denominator's range made it one (that cell is checked)
                self.printed_hidden.add(count)
            low, high = float(ranged[1]), float(ranged[2])
            p.at_least({count: 100.0, denominator: -low})  # 100 c >= low n
            p.at_least({count: -100.0, denominator: high})  # 100 c <= high n
        elif shown and text not in {"-", f"n<{p.min_cell}"}:
            self.read(count, text)  # the count's own mark

    def read_attrition(self, part: Key, pairs: Key, text: str) -> None:
        """``part / (part + pairs)`` printed as ``x%`` or ``a-b%``, or a mark of ``part``."""
        p = self.problem
        whole = _SHARE.fullmatch(text)
        ranged = _RANGE.fullmatch(text)
        if whole and whole[2] is None:
            low, high = int(whole[1]) - 0.5, int(whole[1]) + 0.5
        elif ranged and ranged[3]:
            if pairs not in self.printed_hidden:  # its own range; else the pairs' range made it one
                self.printed_hidden.add(part)
            low, high = float(ranged[1]), float(ranged[2])
        else:
            if pairs not in self.printed_hidden and text not in {"-", f"n<{p.min_cell}"}:
                self.read(part, text)
            return
        p.at_least({part: 100.0 - low, pairs: -low})  # 100 s >= low (s + p)
        p.at_least({part: high - 100.0, pairs: high})  # 100 s <= high (s + p)

    def leaks(self) -> list[Key]:
        """Printed hidden cells with one possible value, and counts never printed pinned to a small count."""
        p = self.problem
        low = 0 if self.hide_zero else 1
        checked = [k for k in p.truth if k in self.printed_hidden or low <= p.truth[k] < p.min_cell]
        return p.pinned([k for k in checked if k in self.printed_hidden or p.low[k] < p.high[k]])


def _share_text(k: int, n: int) -> str:
    low, high = proportion_interval(k, n, "wilson", 0.95)
    return f"{100 * k / n:.0f}% ({100 * low:.0f}-{100 * high:.0f})"


@dataclass
class _Model:
    config: StudyConfig
    study: Study
    attack: Attack
    times: list[str]
    scales: dict[str, tuple[str, ...]]
    partitions: dict[str, list[str]]
    groups: dict[str, list[Hashable]]
    method: str | dict[str, str]

    @property
    def problem(self) -> Problem:
        return self.attack.problem

    def add(self, key: Key, truth: int) -> None:
        self.problem.unknown(key, truth)

    def equal(self, total: Key, parts: Sequence[Key]) -> None:
        terms: dict[Key, float] = {total: 1.0}
        for part in parts:
            terms[part] = terms.get(part, 0.0) - 1.0
        self.problem.equal({k: v for k, v in terms.items() if v})

    def across(self, partition: str, prefix: tuple[Hashable, ...]) -> None:
        """``(*prefix, all)`` = the sum of ``(*prefix, group)`` over the partition's groups."""
        parts = self.groups[partition][1:]
        if parts:
            self.equal((*prefix, ALL), [(*prefix, g) for g in parts])


def attack(config: StudyConfig, study: Study, printed: Published) -> list[Key]:
    """The hidden cells the whole-release attacker pins (see the module)."""
    rule = config.suppression
    times = list(study.time_points)
    partitions = {"track": list(config.columns.groups)}
    if config.columns.sex:
        partitions["sex"] = [SEX_GROUP]
    groups: dict[str, list[Hashable]] = {
        name: [ALL if i == 0 else (name, label) for i, (label, _) in enumerate(study.partition(by))]
        for name, by in partitions.items()
    }
    scales = {
        name: m.scales or default_scales(get_instrument(m.ids[0])) for name, m in config.measures.items()
    }
    model = _Model(
        config,
        study,
        Attack(Problem(min_cell=rule.min_cell), hide_zero=rule.hide_zero),
        times,
        scales,
        partitions,
        groups,
        change_methods(config, scales),
    )
    _levels(model)
    _changes(model)
    _combined(model)
    model_analyses(model)
    _questions(model)
    _models(model)
    _front(model, printed)
    _read_tables(model, printed)
    read_analyses(model, printed)
    model.problem.check()
    return model.attack.leaks()


def _levels(model: _Model) -> None:
    """Persons, rows, those without a row; per measure and scale the level tables' counts."""
    study, times = model.study, model.times
    first = study.state(next(iter(study.measures)))
    for name, by in model.partitions.items():
        for g, (_, members) in zip(model.groups[name], study.partition(by), strict=True):
            model.add(("P", g), int(members.sum()))
            for t, time in enumerate(times):
                rows = int((members & (first[:, t] != 0)).sum())
                model.add(("R", time, g), rows)
                model.add(("A", time, g), int(members.sum()) - rows)
                model.equal(("P", g), [("R", time, g), ("A", time, g)])
        model.across(name, ("P",))
        for time in times:
            model.across(name, ("R", time))
            model.across(name, ("A", time))
    for measure, names in model.scales.items():
        for name, by in model.partitions.items():
            _forms(model, measure, name, by)
            for scale in names:
                _scale(model, measure, scale, name, by)


def _forms(model: _Model, measure: str, name: str, by: list[str]) -> None:
    """rows = not given + given, per time point and group."""
    state = model.study.state(measure)
    for g, (_, members) in zip(model.groups[name], model.study.partition(by), strict=True):
        for t, time in enumerate(model.times):
            model.add(("NG", measure, time, g), int((members & (state[:, t] == 1)).sum()))
            model.add(("G", measure, time, g), int((members & (state[:, t] == 2)).sum()))
            model.equal(("R", time, g), [("NG", measure, time, g), ("G", measure, time, g)])
    for time in model.times:
        model.across(name, ("NG", measure, time))
        model.across(name, ("G", measure, time))


def _scale(model: _Model, measure: str, scale: str, name: str, by: list[str]) -> None:
    """given = n + not scored; n = the sum of its bands; per time point and group."""
    truth = model.study.summary(measure, scale, by=by, min_cell=0)
    rows = {(r.time, r.group): r for r in truth.rows}
    labels = [label for label, _ in model.study.partition(by)]
    for time in model.times:
        for g, label in zip(model.groups[name], labels, strict=True):
            r = rows[(time, label)]
            n, ns = ("N", measure, scale, time, g), ("NS", measure, scale, time, g)
            model.add(n, int(r.n.value or 0))
            model.add(ns, int(r.not_scored.value or 0))
            model.equal(("G", measure, time, g), [n, ns])
            for b in r.bands:
                model.add(("B", measure, scale, time, b.key, g), int(b.count.value or 0))
            if r.bands:  # a scale banded on T-scores without a norm table has none
                model.equal(n, [("B", measure, scale, time, b.key, g) for b in r.bands])
        model.across(name, ("N", measure, scale, time))
        model.across(name, ("NS", measure, scale, time))
        for b in truth.rows[0].bands:
            model.across(name, ("B", measure, scale, time, b.key))


def _changes(model: _Model) -> None:
    """Per comparison, scale and track: pairs, start only, end only, neither, the categories."""
    by = model.partitions["track"]
    for start, end in model.config.comparisons:
        truth = model.study.change(start, end, by=by, method=model.method, scales=model.scales, min_cell=0)
        labels = [label for label, _ in model.study.partition(by)]
        for r in truth.rows:
            g = model.groups["track"][labels.index(r.group)]
            c = ("C", r.measure, r.scale, start, end)
            parts = [(*c, x, g) for x in ("pairs", "start_only", "end_only", "neither")]
            for key, x in zip(parts, ("pairs", "start_only", "end_only", "neither"), strict=True):
                model.add(key, int(getattr(r, x).value or 0))
            for cat in r.categories:
                model.add((*c, cat.key, g), int(cat.count.value or 0))
            model.equal(("P", g), parts)
            model.equal(("N", r.measure, r.scale, start, g), [parts[0], parts[1]])
            model.equal(("N", r.measure, r.scale, end, g), [parts[0], parts[2]])
            model.equal(parts[0], [(*c, cat.key, g) for cat in r.categories])
        for r in truth.rows:
            if r.group == ALL:
                c = ("C", r.measure, r.scale, start, end)
                for x in ("pairs", "start_only", "end_only", "neither", *(k.key for k in r.categories)):
                    model.across("track", (*c, x))


def _combined(model: _Model) -> None:
    """The combined table: persons = complete + left out; complete within every scale's pairs."""
    combined = model.config.combined
    if combined is None:
        return
    named = [(m, s) for m, v in combined.scales.items() for s in ((v,) if isinstance(v, str) else v)]
    by = model.partitions["track"]
    labels = [label for label, _ in model.study.partition(by)]
    for start, end in combined.comparisons or model.config.comparisons:
        truth = model.study.combined_change(
            start,
            end,
            scales=combined.scales,
            rule=combined.rule,
            by=by,
            method=model.method,
            min_cell=0,
        )
        k = ("K", start, end)
        for r in truth.rows:
            g = model.groups["track"][labels.index(r.group)]
            for x in ("complete", "left_out", "improved", "not_improved"):
                model.add((*k, x, g), int(getattr(r, x).value or 0))
            model.equal(("P", g), [(*k, "complete", g), (*k, "left_out", g)])
            model.equal((*k, "complete", g), [(*k, "improved", g), (*k, "not_improved", g)])
            for measure, scale in named:
                c = ("C", measure, scale, start, end)
                if (*c, "pairs", g) not in model.problem.truth:
                    continue
                better = [
                    (*c, x, g) for x in ("improvement", "recovered") if (*c, x, g) in model.problem.truth
                ]
                if len(named) == 1:
                    model.equal((*k, "complete", g), [(*c, "pairs", g)])
                    model.equal((*k, "improved", g), better)
                else:
                    model.problem.at_least({(*c, "pairs", g): 1.0, (*k, "complete", g): -1.0})
                    if truth.rule == "all":
                        model.problem.at_least({**dict.fromkeys(better, 1.0), (*k, "improved", g): -1.0})
        for x in ("complete", "left_out", "improved", "not_improved"):
            model.across("track", (*k, x))


def _questions(model: _Model) -> None:
    """Per question, time point and track: rows = answered + not answered; answered = the sum of answers."""
    study, by = model.study, model.partitions["track"]
    present = study.state(next(iter(study.measures))) != 0
    for q in model.config.questions:
        for t, time in enumerate(model.times):
            answers = [None if v in {None, ""} else str(v).strip() for v in study.column_at(q.column, time)]
            if time not in (q.time_points or [x for x in model.times if any(a is not None for a in answers)]):
                continue
            found = list(q.answers or sorted({a for a in answers if a is not None}))
            key = ("Q", q.column, time)
            for g, (_, members) in zip(model.groups["track"], study.partition(by), strict=True):
                here = [bool(m and p) for m, p in zip(members, present[:, t], strict=True)]
                given = [a for h, a in zip(here, answers, strict=True) if h]
                model.add((*key, "n", g), sum(a is not None for a in given))
                model.add((*key, "blank", g), sum(a is None for a in given))
                for answer in found:
                    model.add((*key, answer, g), sum(a == answer for a in given))
                model.equal(("R", time, g), [(*key, "n", g), (*key, "blank", g)])
                model.equal((*key, "n", g), [(*key, a, g) for a in found])
            for name in ("n", "blank", *found):
                model.across("track", (*key, name))


def _model_truth(model: _Model, m: PredictorsConfig) -> tuple[dict[tuple[Any, ...], int], list[str]]:
    """The fremgang model's counts (the truth the attacker is scored against) and its fremgang categories."""
    scale = m.scale or model.scales[m.measure][0]
    method = model.method if isinstance(model.method, str) else model.method[f"{m.measure}/{scale}"]
    ledger = Ledger(min_cell=model.problem.min_cell, hide_zero=False, interval="wilson", confidence=0.95)
    predictors_plan(
        model.study,
        ledger,
        m.start,
        m.end,
        measure=m.measure,
        scale=scale,
        covariates=m.covariates,
        method=method,
        options=None,
    )
    base = ("predictors", m.measure, scale, m.start, m.end, m.covariates)
    counts: dict[tuple[Any, ...], int] = {}
    better: list[str] = []
    for key, value in ledger.counts.items():
        if isinstance(key, tuple) and key[:6] == base:
            counts[key[6:]] = value
        elif isinstance(key, tuple) and key[0] == "category":
            better.append(str(key[6]))
        elif isinstance(key, tuple) and key[0] == "pairs":
            counts["pairs",] = value
    return counts, better


def _models(model: _Model) -> None:
    """Each fremgang model: pairs = n + excluded; n = improved + not improved = the sum of categories."""
    for m in model.config.predictors:
        scale = m.scale or model.scales[m.measure][0]
        counts, better = _model_truth(model, m)
        c = ("C", m.measure, scale, m.start, m.end)
        k = ("M", m.measure, scale, m.start, m.end)
        for key, value in counts.items():
            model.add((*k, *key) if key != ("pairs",) else (*c, "pairs", ALL), value)
        model.equal((*c, "pairs", ALL), [(*k, "n"), (*k, "excluded")])
        model.equal((*k, "n"), [(*k, "improved"), (*k, "not_improved")])
        model.equal(("P", ALL), [(*k, "n"), (*k, "left_out")])
        for covariate in m.covariates:
            levels = [key for key in counts if key[0] == "level" and key[1] == covariate]
            if levels:
                model.equal((*k, "n"), [(*k, *key) for key in levels])
        fremgang = [(*c, x, ALL) for x in better if (*c, x, ALL) in model.problem.truth]
        if fremgang:
            model.equal((*k, "pairs_improved"), fremgang)
        model.equal((*k, "pairs_improved"), [(*k, "improved"), (*k, "excluded_improved")])


def _read_models(model: _Model, printed: Published) -> None:
    """A model's table: n, with fremgang, left out, and each category's n (rows after the start score)."""
    for m in model.config.predictors:
        scale = m.scale or model.scales[m.measure][0]
        label = scale_label(model.study, m.measure, scale, "da")
        caption = f"{m.measure}: {label}, {m.start} -> {m.end}: hvem får fremgang (logistisk regression)"
        body = printed.tables[caption][1]
        k = ("M", m.measure, scale, m.start, m.end)
        for line, name in zip(body[:3], ("n", "improved", "excluded"), strict=True):
            model.attack.read((*k, name), line[1])
        shown = {"female": "piger/kvinder", "male": "drenge/mænd"}
        counts, _ = _model_truth(model, m)
        sex = model.config.columns.sex
        labels = {
            (f"køn: {shown.get(key[2], key[2])}" if key[1] == sex else f"{key[1]}: {key[2]}"): key
            for key in counts
            if key[0] == "level"
        }
        for line in body[4:]:
            if line[0] in labels:
                model.attack.read((*k, *labels[line[0]]), line[1])


def _front(model: _Model, printed: Published) -> None:
    """The first page: persons, rows, and each measure's forms over every time point."""
    study, times, att = model.study, model.times, model.attack
    model.add(("FR",), study.n_rows)
    model.equal(("FR",), [("R", t, ALL) for t in times])
    att.read(("P", ALL), printed.persons)
    att.read(("FR",), printed.rows)
    for measure, forms in printed.measures.items():
        state = study.state(measure)
        model.add(("FG", measure), int((state == 2).sum()))
        model.add(("FNG", measure), int((state == 1).sum()))
        model.equal(("FG", measure), [("G", measure, t, ALL) for t in times])
        model.equal(("FNG", measure), [("NG", measure, t, ALL) for t in times])
        att.read(("FG", measure), forms.given)
        att.read(("FNG", measure), forms.not_given)
        labels = {scale_label(study, measure, s, "da"): s for s in model.scales[measure]}
        for label, text in forms.not_scored.items():
            scale = labels[label]
            values = study.values(measure, scale)
            model.add(("FNS", measure, scale), int(((state == 2) & (values != values)).sum()))  # noqa: PLR0124 - NaN
            model.equal(("FNS", measure, scale), [("NS", measure, scale, t, ALL) for t in times])
            att.read(("FNS", measure, scale), text)
        _versions(model, measure, forms.versions)


def _versions(model: _Model, measure: str, printed: dict[str, str]) -> None:
    """Per version its forms over the time points; per time point the versions' forms add up to the given."""
    study, times = model.study, model.times
    found = study.measure(measure)
    given, version = study.state(measure) == 2, study.spread(found.version, -1)
    for k, v in enumerate(found.versions):
        for t, time in enumerate(times):
            model.add(("V", measure, time, v.id), int((given[:, t] & (version[:, t] == k)).sum()))
        model.add(("FV", measure, v.id), int((given & (version == k)).sum()))
        model.equal(("FV", measure, v.id), [("V", measure, time, v.id) for time in times])
        model.attack.read(("FV", measure, v.id), printed[v.id])
    for time in times:
        model.equal(("G", measure, time, ALL), [("V", measure, time, v.id) for v in found.versions])


def _read_tables(model: _Model, printed: Published) -> None:
    """What every printed table says (the rows in the order of the groups)."""
    for measure, names in model.scales.items():
        for scale in names:
            _read_levels(model, printed, measure, scale)
            for start, end in model.config.comparisons:
                _read_change(model, printed, measure, scale, (start, end))
    combined = model.config.combined
    if combined is not None:
        for start, end in combined.comparisons or model.config.comparisons:
            head = f"{start} -> {end}: fremgang på"
            caption = next((c for c in printed.tables if c.startswith(head)), None)
            if caption is None:  # skipped, and said so: fewer than two measures with pairs
                continue
            for g, line in zip(model.groups["track"], printed.tables[caption][1], strict=True):
                k = ("K", start, end)
                model.attack.read(("P", g), line[1])
                for text, x in zip(line[2:5], ("complete", "left_out", "improved"), strict=True):
                    model.attack.read((*k, x, g), text)
                model.attack.read_share((*k, "improved", g), (*k, "complete", g), line[5], exact=False)
    _read_questions(model, printed)
    _read_models(model, printed)


def _read_questions(model: _Model, printed: Published) -> None:
    """A question's table: answered, not answered and each answer's share (rows: time points x tracks)."""
    att = model.attack
    for q in model.config.questions:
        head, body = printed.tables[q.title or q.column]
        groups = model.groups["track"]
        for i, line in enumerate(body):
            time, g = line[0], groups[i % len(groups)]
            key = ("Q", q.column, time)
            att.read((*key, "n", g), line[2])
            att.read((*key, "blank", g), line[3])
            for text, label in zip(line[4:], head[4:], strict=True):
                att.read_share((*key, label.removesuffix(" (%)"), g), (*key, "n", g), text, exact=False)


def _read_levels(model: _Model, printed: Published, measure: str, scale: str) -> None:
    """A level table by track and by sex: rows, not given, n and the band shares."""
    study, att = model.study, model.attack
    versions = ", ".join(v.id for v in study.measure(measure).versions)
    bands = {b.label("da"): b.key for b in study.summary(measure, scale, min_cell=0).rows[0].bands}
    for partition, suffix in (("track", ""), ("sex", " - efter køn")):
        caption = f"{measure}: {scale_label(study, measure, scale, 'da')} ({versions}){suffix}"
        if partition not in model.groups or caption not in printed.tables:
            continue
        head, body = printed.tables[caption]
        rows = [(t, g) for t in model.times for g in model.groups[partition]]
        assert len(rows) == len(body), caption
        for (time, g), line in zip(rows, body, strict=True):
            n = ("N", measure, scale, time, g)
            att.read(("R", time, g), line[2])
            att.read(("NG", measure, time, g), line[3])
            att.read(n, line[4])
            for text, label in zip(line[7:], head[7:], strict=True):
                att.read_share(
                    ("B", measure, scale, time, bands[label.removesuffix(" (%)")], g), n, text, exact=False
                )


def _read_change(model: _Model, printed: Published, measure: str, scale: str, span: tuple[str, str]) -> None:
    """A change table: pairs, attrition and the category shares."""
    start, end = span
    caption = f"{measure}: {scale_label(model.study, measure, scale, 'da')}, {start} -> {end}"
    if caption not in printed.tables:  # not given at one of the two time points, said so: nothing to read
        return
    head, body = printed.tables[caption]
    for g, line in zip(model.groups["track"], body, strict=True):
        c = ("C", measure, scale, start, end)
        model.attack.read((*c, "pairs", g), line[1])
        model.attack.read_attrition((*c, "start_only", g), (*c, "pairs", g), line[2])
        for text, label in zip(line[3:-2], head[3:-2], strict=True):
            key = (*c, CATEGORIES[label.removesuffix(" (%)")], g)
            model.attack.read_share(key, (*c, "pairs", g), text, exact=True)
