"""The whole-release attacker's model of the analyses (STUDY.toml ``[analyses]``, issue 23 item 4).

From the documented structure only (never the library's keys), with truths
computed here with numpy:

* the flow: per measure, track and time point the persons measured (the level
  tables' forms given); between two time points in a row, measured before =
  stayed + drop-out and measured now = stayed + joined (stayed and joined are not
  printed); every total row the sum of the tracks;
* the paired means by sex: per track and sex the persons scored at every chosen
  time point; each track's ``alle`` the sum over the sexes, each sex's the sum
  over the tracks; each at most the persons of its group and at most its n at
  each of the time points; for two time points the change table's pairs;
* fremgang across measures: the change table's pairs and fremgang (plus
  recovered, where the rule has it) for each measure, track and the comparison.

What the tables print: the measured and drop-out counts, the drop-out share of the
measured before, the paired n, the pairs and the fremgang share (known exactly: the
figure's bar shows it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tests.report.pages import plain
from trivselscore.report.build import SEX_GROUP, fremgang_scales
from trivselscore.report.tables import scale_label
from trivselscore.report.values import Value

if TYPE_CHECKING:
    from tests.release.attacker import Published, _Model

ALL = "all"
BETTER = ("improvement", "recovered")


def model_analyses(model: _Model) -> None:
    """Add the analyses' counts and relations to the attacker's model."""
    chosen = model.config.analyses
    if chosen.flow is not None:
        for measure in chosen.flow.measures or tuple(model.config.measures):
            _flow(model, measure, model.scales[measure][0])
    if chosen.sex_means is not None and "sex" in model.groups:
        for measure in chosen.sex_means.measures or tuple(model.config.measures):
            for scale in model.scales[measure]:
                _sex_means(model, measure, scale, _times(model))
    if chosen.fremgang is not None:
        _fremgang(model)


def _times(model: _Model) -> list[str]:
    chosen = model.config.analyses.sex_means
    wanted = chosen.time_points if chosen is not None and chosen.time_points else model.times
    return [t for t in model.times if t in wanted]


def _flow(model: _Model, measure: str, scale: str) -> None:
    given = ~np.isnan(model.study.values(measure, scale))
    by = model.partitions["track"]
    for g, (_, members) in zip(model.groups["track"], model.study.partition(by), strict=True):
        for t in range(1, len(model.times)):
            before, now = members & given[:, t - 1], members & given[:, t]
            span = (measure, scale, model.times[t - 1], model.times[t], g)
            model.add(("FD", *span), int((before & ~now).sum()))
            model.add(("FS", *span), int((before & now).sum()))
            model.add(("FJ", *span), int((now & ~before).sum()))
            model.equal(("N", measure, scale, model.times[t - 1], g), [("FS", *span), ("FD", *span)])
            model.equal(("N", measure, scale, model.times[t], g), [("FS", *span), ("FJ", *span)])
    for t in range(1, len(model.times)):
        for name in ("FD", "FS", "FJ"):
            model.across("track", (name, measure, scale, model.times[t - 1], model.times[t]))


def _sex_means(model: _Model, measure: str, scale: str, times: list[str]) -> None:
    study = model.study
    values = study.values(measure, scale)
    columns = [study.time_points.index(t) for t in times]
    complete = ~np.isnan(values[:, columns]).any(axis=1)
    tracks = list(zip(model.groups["track"], study.partition(model.partitions["track"]), strict=True))
    sexes = list(zip(model.groups["sex"], study.partition([SEX_GROUP]), strict=True))
    key = ("SM", measure, scale, tuple(times))
    for tg, (_, in_track) in tracks:
        for sg, (_, of_sex) in sexes:
            model.add((*key, tg, sg), int((in_track & of_sex & complete).sum()))
    for tg, _ in tracks:
        model.equal((*key, tg, ALL), [(*key, tg, sg) for sg, _ in sexes[1:]] or [(*key, tg, ALL)])
    for sg, _ in sexes:
        model.equal((*key, ALL, sg), [(*key, tg, sg) for tg, _ in tracks[1:]] or [(*key, ALL, sg)])
    margins = [(tg, (*key, tg, ALL)) for tg, _ in tracks] + [(sg, (*key, ALL, sg)) for sg, _ in sexes[1:]]
    _sex_links(model, (measure, scale), times, margins=margins, tracks=len(tracks))


def _sex_links(
    model: _Model,
    named: tuple[str, str],
    times: list[str],
    *,
    margins: list[tuple[Any, Any]],
    tracks: int,
) -> None:
    """A margin is at most its group's persons and its n at each time point; two time points: the pairs."""
    measure, scale = named
    for g, cell in margins:
        model.problem.at_least({("P", g): 1.0, cell: -1.0})
        for time in times:
            if ("N", measure, scale, time, g) in model.problem.truth:
                model.problem.at_least({("N", measure, scale, time, g): 1.0, cell: -1.0})
    if len(times) == 2:
        pairs = ("C", measure, scale, times[0], times[1], "pairs")
        for tg, cell in margins[:tracks]:
            if (*pairs, tg) in model.problem.truth:
                model.equal(cell, [(*pairs, tg)])


def _fremgang(model: _Model) -> None:
    chosen = model.config.analyses.fremgang
    assert chosen is not None
    start, end = chosen.comparison or model.config.comparisons[0]
    scales = fremgang_scales(model.config, {m: tuple(s) for m, s in model.scales.items()})
    by = model.partitions["track"]
    labels = [label for label, _ in model.study.partition(by)]
    for measure, scale in scales.items():
        if not _paired(model, measure, scale, start, end):
            continue
        truth = model.study.change(
            start, end, by=by, method=model.method, scales={measure: [scale]}, min_cell=0
        )
        c = ("C", measure, scale, start, end)
        for r in truth.rows:
            g = model.groups["track"][labels.index(r.group)]
            parts = [(*c, x, g) for x in ("pairs", "start_only", "end_only", "neither")]
            for part, x in zip(parts, ("pairs", "start_only", "end_only", "neither"), strict=True):
                model.add(part, int(getattr(r, x).value or 0))
            for cat in r.categories:
                model.add((*c, cat.key, g), int(cat.count.value or 0))
            model.equal(("P", g), parts)
            model.equal(parts[0], [(*c, cat.key, g) for cat in r.categories])
            better = [(*c, cat.key, g) for cat in r.categories if cat.key in BETTER]
            model.add((*c, "better", g), sum(int(model.problem.truth[k]) for k in better))
            model.equal((*c, "better", g), better)
        for x in (
            "pairs",
            "start_only",
            "end_only",
            "neither",
            "better",
            *(k.key for k in truth.rows[0].categories),
        ):
            model.across("track", (*c, x))


def _paired(model: _Model, measure: str, scale: str, start: str, end: str) -> bool:
    """As the report: a measure without a pair at the comparison is left out of the figure."""
    values = model.study.values(measure, scale)
    s, e = model.study.time_points.index(start), model.study.time_points.index(end)
    return bool((~np.isnan(values[:, s]) & ~np.isnan(values[:, e])).any())


def read_analyses(model: _Model, printed: Published) -> None:
    """What the analyses' tables print."""
    att, tracks = model.attack, model.groups["track"]
    for caption, (_, body) in printed.tables.items():
        measure, _, rest = caption.partition(": ")
        if rest.endswith(" - målt og frafald pr. tidspunkt"):
            scale = _scale(model, measure, rest.removesuffix(" - målt og frafald pr. tidspunkt"))
            rows = [(g, t) for g in tracks for t in range(len(model.times))]
            for (g, t), line in zip(rows, body, strict=True):
                att.read(("N", measure, scale, model.times[t], g), line[2])
                if t:
                    span = (measure, scale, model.times[t - 1], model.times[t], g)
                    before = ("N", measure, scale, model.times[t - 1], g)
                    att.read(("FD", *span), line[3])
                    att.read_share(("FD", *span), before, line[4], exact=False)
        elif " - efter køn, kun unge målt ved alle af " in rest:
            label, _, times = rest.partition(" - efter køn, kun unge målt ved alle af ")
            key = ("SM", measure, _scale(model, measure, label), tuple(times.split(", ")))
            cells = [(tg, sg) for tg in tracks for sg in model.groups["sex"]]
            for (tg, sg), line in zip(cells, body, strict=True):
                att.read((*key, tg, sg), line[2])
        elif caption.endswith(": andel med fremgang pr. mål"):
            start, _, end = caption.removesuffix(": andel med fremgang pr. mål").partition(" -> ")
            _read_fremgang(model, body, start, end)


def _scale(model: _Model, measure: str, label: str) -> str:
    """The scale a caption names by its Danish label (``procentscore`` -> ``percentage``)."""
    ids = model.study.measure(measure).versions[0].scale_ids
    found = [s for s in ids if scale_label(model.study, measure, s, "da") == label]
    assert len(found) == 1, (measure, label, found)
    return found[0]


def _read_fremgang(model: _Model, body: list[list[str]], start: str, end: str) -> None:
    tracks = model.groups["track"]
    names = list(dict.fromkeys(line[0] for line in body))
    for name, chunk in ((n, [line for line in body if line[0] == n]) for n in names):
        measure, _, label = name.partition(": ")
        scale = _scale(model, measure, label)
        c = ("C", measure, scale, start, end)
        for g, line in zip(tracks, chunk, strict=True):
            model.attack.read((*c, "pairs", g), line[2])
            model.attack.read_share((*c, "better", g), (*c, "pairs", g), line[3], exact=True)


def sheet_tables(book: Any) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Every table sheet of the workbook as the HTML prints it: (header, rows) by caption.

    A number cell is rendered by its format (``0`` a count, ``0.0`` a mean, ``0%`` a share,
    with the interval bounds of the two columns after it); a text cell is its text.
    """
    out = {}
    for sheet in book.worksheets[2:]:
        rows = list(sheet.iter_rows(min_row=2))
        head = [c.value for c in rows[0] if c.value is not None]
        wide = [
            i
            for i, h in enumerate(head)
            if i + 2 < len(head)
            and head[i + 1] in {f"{h}: nedre grænse (95 % CI)", f"{h}: nedre grænse (95% CI)"}
        ]
        shown = [h for i, h in enumerate(head) if not any(i in (w + 1, w + 2) for w in wide)]
        body = []
        for row in rows[1:]:
            if all(c.value is None for c in row):
                break
            line = []
            i = 0
            while i < len(head):
                line.append(plain(_text(row[i], row[i + 1 : i + 3] if i in wide else ())))
                i += 3 if i in wide else 1
            body.append(line)
        out[str(sheet.cell(1, 1).value)] = (shown, body)
    return out


def _text(cell: Any, bounds: Any) -> str:
    if cell.value is None:
        return ""
    if cell.data_type == "s":
        return str(cell.value)
    low, high = (b.value for b in bounds) if bounds else (None, None)
    if cell.number_format == "0%":
        return Value("share", number=float(cell.value), low=low, high=high, digits=0).render("da")
    digits = len(cell.number_format.partition(".")[2])
    return Value("number", number=float(cell.value), low=low, high=high, digits=digits).render("da")
