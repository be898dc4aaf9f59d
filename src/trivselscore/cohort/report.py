"""Typed cohort-report results, small-cell suppression and plain-text tables."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from trivselscore.change.rule import ChangeRule
from trivselscore.cohort import stats as _stats

__all__ = [
    "Cell",
    "ChangeRow",
    "ChangeSummary",
    "ShareCell",
    "TimePointRow",
    "TimePointSummary",
    "count_cell",
    "hidden",
    "mean_cells",
    "protect",
    "secure_row",
    "share_cells",
]

Language = Literal["da", "en"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Cell(_Result):
    """One reported number: a count, share or mean, with its interval.

    A suppressed cell has ``value=None`` and ``suppressed=True``; ``note`` says
    why: ``"<5"`` (a count below the threshold), ``"n<5"`` (a denominator below
    it) or ``"hidden"`` (secondary suppression, so a hidden cell cannot be worked
    back from the others). It is never shown as zero.
    """

    value: int | float | None
    low: float | None = None
    high: float | None = None
    suppressed: bool = False
    note: str | None = None

    def text(self, *, digits: int = 1, percent: bool = False, language: Language = "da") -> str:
        """Render for a table: ``"12"``, ``"45.3"``, ``"30% (18-45)"``, ``"<5"`` or ``"-"``."""
        if self.suppressed:
            return ("skjult" if language == "da" else "hidden") if self.note == "hidden" else str(self.note)
        if self.value is None:
            return "-"
        if percent:
            text = f"{100 * self.value:.0f}%"
            if self.low is not None and self.high is not None:
                text += f" ({100 * self.low:.0f}-{100 * self.high:.0f})"
            return text
        if float(self.value).is_integer() and digits == 0:
            return str(int(self.value))
        text = f"{self.value:.{digits}f}"
        if self.low is not None and self.high is not None:
            text += f" ({self.low:.{digits}f} to {self.high:.{digits}f})"
        return text


class ShareCell(_Result):
    """The count and share of one band or change category, with its interval."""

    key: str
    label_en: str
    label_da: str
    count: Cell
    share: Cell

    def label(self, language: Language = "da") -> str:
        """The label in ``language``."""
        return self.label_da if language == "da" else self.label_en


def count_cell(count: int, min_cell: int) -> Cell:
    """A count, suppressed (``"<min_cell"``) when below ``min_cell``."""
    if count < min_cell:
        return Cell(value=None, suppressed=True, note=f"<{min_cell}")
    return Cell(value=count)


def hidden(note: str = "hidden") -> Cell:
    """A cell hidden by secondary suppression (or by a small denominator)."""
    return Cell(value=None, suppressed=True, note=note)


def share_cells(  # noqa: PLR0913 - one partition's counts and how to report them
    keys: Sequence[tuple[str, str, str]],
    counts: Sequence[int],
    n: int,
    *,
    min_cell: int,
    interval: _stats.IntervalMethod,
    confidence: float,
) -> tuple[ShareCell, ...]:
    """Shares of a partition of ``n`` (bands or categories), with suppression.

    Primary: every count below ``min_cell`` and every share when ``n`` is below
    it. Secondary: when exactly one count of the partition is hidden, the next
    smallest is hidden too, so it cannot be worked back from ``n``.
    """
    small = n < min_cell
    hide = {i for i, k in enumerate(counts) if k < min_cell}
    if not small and len(hide) == 1 and len(counts) > 1:
        rest = sorted((k, i) for i, k in enumerate(counts) if i not in hide)
        hide.add(rest[0][1])
    cells = []
    for i, ((key, en, da), k) in enumerate(zip(keys, counts, strict=True)):
        if small:
            count, share = count_cell(k, min_cell), hidden(f"n<{min_cell}")
        elif n == 0:
            count, share = Cell(value=0), Cell(value=None, note="n=0")
        elif i in hide:
            note = f"<{min_cell}" if k < min_cell else "hidden"
            count, share = hidden(note), hidden(note)
        else:
            low, high = _stats.proportion_interval(k, n, interval, confidence)
            count, share = Cell(value=k), Cell(value=k / n, low=low, high=high)
        cells.append(ShareCell(key=key, label_en=en, label_da=da, count=count, share=share))
    return tuple(cells)


def mean_cells(
    values: Sequence[float], *, min_cell: int, confidence: float, interval: bool = False
) -> tuple[Cell, Cell]:
    """(mean, SD) of ``values``; suppressed (``"n<min_cell"``) below ``min_cell`` values."""
    if len(values) < min_cell:
        return hidden(f"n<{min_cell}"), hidden(f"n<{min_cell}")
    result = _stats.mean_interval(values, confidence)
    mean = Cell(
        value=result.mean,
        low=result.low if interval else None,
        high=result.high if interval else None,
    )
    return mean, Cell(value=result.sd)


class TimePointRow(_Result):
    """One time point x group: how many were measured and scored, mean, SD, band shares.

    ``measured`` counts people with a row at this time point; ``n`` those with a
    score; ``not_scored`` the difference (too many missing answers). Band shares
    are out of ``n`` minus ``unbanded`` (scores no band table covers).
    """

    time: str
    group: str
    measured: Cell
    n: Cell
    not_scored: Cell
    mean: Cell
    sd: Cell
    bands: tuple[ShareCell, ...] = ()
    unbanded: Cell = Cell(value=0)


class ChangeRow(_Result):
    """Change between two time points for one group, on complete pairs only.

    ``persons`` counts everyone in the group; ``pairs`` those scored at both
    time points; ``start_only`` (attrition) those scored at the start only,
    ``attrition`` as a share of those scored at the start; ``end_only`` and
    ``neither`` the rest; ``not_scored`` those with a row at either time point
    that could not be scored. ``mean_change`` has a t-interval; ``dz`` = mean / SD.
    """

    group: str
    persons: Cell
    pairs: Cell
    start_only: Cell
    attrition: Cell
    end_only: Cell
    neither: Cell
    not_scored: Cell
    categories: tuple[ShareCell, ...]
    mean_change: Cell
    sd_change: Cell
    dz: Cell


class _Report(_Result):
    instrument_id: str
    scale: str
    min_cell: int
    interval: str
    confidence: float
    by: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dictionaries (suppressed values are None with a note)."""
        return self.model_dump(mode="json")

    def to_frame(self) -> Any:  # noqa: ANN401 - pandas is optional, so no pandas types here
        """One row per table row (pandas DataFrame; needs ``pip install pandas``).

        Suppressed values are NaN, and the column ``suppressed`` names them.
        """
        from trivselscore.support.optional import frame  # noqa: PLC0415 - pandas is optional

        records = [_flatten(row.model_dump()) for row in self._rows()]
        columns = list(dict.fromkeys(k for r in records for k in r))
        return frame({c: [r.get(c, math.nan) for r in records] for c in columns})

    def _rows(self) -> Sequence[BaseModel]:
        raise NotImplementedError  # pragma: no cover

    def __str__(self) -> str:
        """The report as a plain-text table in Danish."""
        return self.table()

    def table(self, language: Language = "da") -> str:  # pragma: no cover - overridden
        """Plain-text table."""
        raise NotImplementedError


class TimePointSummary(_Report):
    """Per time point and group: n, mean, SD and band shares with intervals."""

    scheme: str | None
    scheme_label_da: str | None = None
    scheme_label_en: str | None = None
    cutoffs: tuple[float, ...] = ()
    scale_range: tuple[float, float] | None = None
    time_points: tuple[str, ...]
    rows: tuple[TimePointRow, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def table(self, language: Language = "da") -> str:
        """The summary as a plain-text table (shares as % with the interval)."""
        da = language == "da"
        head = ["tid" if da else "time", "gruppe" if da else "group", "målt" if da else "measured", "n"]
        head += ["gns." if da else "mean", "SD"]
        bands = self.rows[0].bands if self.rows else ()
        head += [b.label(language) for b in bands]
        body = [
            [
                r.time,
                _group(r.group, language),
                r.measured.text(digits=0, language=language),
                r.n.text(digits=0, language=language),
                r.mean.text(language=language),
                r.sd.text(language=language),
                *(b.share.text(percent=True, language=language) for b in r.bands),
            ]
            for r in self.rows
        ]
        return _render(head, body)


class ChangeSummary(_Report):
    """Change between two time points per group: categories, mean change, dz."""

    start: str
    end: str
    rule: ChangeRule
    rows: tuple[ChangeRow, ...]

    def _rows(self) -> Sequence[BaseModel]:
        return self.rows

    def table(self, language: Language = "da") -> str:
        """The change summary as a plain-text table, with the rule on the last line."""
        da = language == "da"
        head = ["gruppe" if da else "group", "par" if da else "pairs", "frafald" if da else "attrition"]
        head += [c.label(language) for c in (self.rows[0].categories if self.rows else ())]
        head += ["gns. ændring (95% CI)" if da else "mean change (95% CI)", "dz"]
        body = [
            [
                _group(r.group, language),
                r.pairs.text(digits=0, language=language),
                r.attrition.text(percent=True, language=language),
                *(c.share.text(percent=True, language=language) for c in r.categories),
                r.mean_change.text(language=language),
                r.dz.text(digits=2, language=language),
            ]
            for r in self.rows
        ]
        return f"{self.start} -> {self.end}\n" + _render(head, body) + "\n" + self.rule.describe()


def _group(label: str, language: Language) -> str:
    return "alle" if label == "all" and language == "da" else label


def _render(head: list[str], body: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    hidden_names: list[str] = []
    for name, value in data.items():
        if isinstance(value, dict) and "suppressed" in value:
            _put(flat, name, value, hidden_names)
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
            for share in value:
                _put(flat, f"{share['key']}_count", share["count"], hidden_names)
                _put(flat, f"{share['key']}_share", share["share"], hidden_names)
        else:
            flat[name] = value
    flat["suppressed"] = ",".join(hidden_names)
    return flat


def _put(flat: dict[str, Any], name: str, cell: dict[str, Any], hidden_names: list[str]) -> None:
    flat[name] = math.nan if cell["value"] is None else cell["value"]
    if cell["low"] is not None:
        flat[f"{name}_low"], flat[f"{name}_high"] = cell["low"], cell["high"]
    if cell["suppressed"]:
        hidden_names.append(name)


def _hide_share(share: ShareCell) -> ShareCell:
    return share.model_copy(update={"count": hidden(), "share": hidden()})


def _secure_shares(shares: tuple[ShareCell, ...]) -> tuple[ShareCell, ...]:
    """Within one partition of shares: one hidden count hides the next smallest too."""
    shut = [i for i, s in enumerate(shares) if s.count.suppressed]
    open_ = sorted((s.count.value, i) for i, s in enumerate(shares) if s.count.value is not None)
    if len(shut) != 1 or not open_:
        return shares
    target = open_[0][1]
    return tuple(_hide_share(s) if i == target else s for i, s in enumerate(shares))


def _secure_partition(
    row: Any,  # noqa: ANN401 - a TimePointRow or a ChangeRow
    total: str,
    parts: Sequence[str],
    *,
    keep: Sequence[str] = (),
    linked: dict[str, str] | None = None,
) -> Any:  # noqa: ANN401 - the same row type
    """``total`` = sum of ``parts``: one hidden part hides the next smallest visible one.

    Parts in ``keep`` (denominators of shown shares) are not chosen; when only
    they are left, the total is hidden instead. ``linked`` names a cell hidden
    together with a part (attrition with start_only).
    """
    cells = {name: getattr(row, name) for name in parts}
    shut = [name for name, cell in cells.items() if cell.suppressed]
    if len(shut) != 1 or getattr(row, total).suppressed:
        return row
    open_ = sorted((c.value, name) for name, c in cells.items() if not c.suppressed and name not in keep)
    target = open_[0][1] if open_ else total
    update = {target: hidden()}
    if linked and target in linked:
        update[linked[target]] = hidden()
    return row.model_copy(update=update)


def secure_row(row: Any) -> Any:  # noqa: ANN401 - a TimePointRow or a ChangeRow
    """Secondary suppression within one row (see :func:`protect`)."""
    if isinstance(row, TimePointRow):
        row = _secure_partition(row, "measured", ("n", "not_scored"), keep=("n",))
        return row.model_copy(update={"bands": _secure_shares(row.bands)})
    if isinstance(row, ChangeRow):
        parts = ("pairs", "start_only", "end_only", "neither")
        row = _secure_partition(row, "persons", parts, keep=("pairs",), linked={"start_only": "attrition"})
        if row.start_only.suppressed and not row.attrition.suppressed:
            row = row.model_copy(update={"attrition": hidden()})
        return row.model_copy(update={"categories": _secure_shares(row.categories)})
    return row  # pragma: no cover - only the two row types are reported


_COLUMNS: dict[type, tuple[str, ...]] = {
    TimePointRow: ("measured", "not_scored", "unbanded"),
    ChangeRow: ("persons", "start_only", "end_only", "neither", "not_scored"),
}
_SHARES: dict[type, str] = {TimePointRow: "bands", ChangeRow: "categories"}
_LINKED = {"start_only": "attrition"}


def _column(rows: list[Any], get: Any, put: Any) -> list[Any]:  # noqa: ANN401 - cell accessors
    """Across groups: one hidden group cell (the all row's shown) hides the next smallest."""
    everyone = [r for r in rows if r.group == "all"]
    if not everyone or get(everyone[0]).suppressed:
        return rows
    groups = [i for i, r in enumerate(rows) if r.group != "all"]
    shut = [i for i in groups if get(rows[i]).suppressed]
    open_ = sorted((get(rows[i]).value, i) for i in groups if not get(rows[i]).suppressed)
    if len(shut) != 1 or not open_:
        return rows
    out = list(rows)
    out[open_[0][1]] = put(rows[open_[0][1]])
    return out


def _hide_field(name: str) -> Any:  # noqa: ANN401 - a row updater
    def put(row: Any) -> Any:  # noqa: ANN401 - a row
        update = {name: hidden()}
        if name in _LINKED:
            update[_LINKED[name]] = hidden()
        return row.model_copy(update=update)

    return put


def _hide_share_at(name: str, index: int) -> Any:  # noqa: ANN401 - a row updater
    def put(row: Any) -> Any:  # noqa: ANN401 - a row
        shares = getattr(row, name)
        new = tuple(_hide_share(s) if i == index else s for i, s in enumerate(shares))
        return row.model_copy(update={name: new})

    return put


def protect(rows: list[Any], field: str, *, total: bool) -> list[Any]:
    """Secondary suppression of one block of rows (the ``all`` row and its groups).

    Repeated until nothing changes:

    * within a row, counts that add up are a partition (``measured = n +
      not_scored``; ``persons = pairs + start_only + end_only + neither``; the
      band or category counts): when exactly one part is hidden, the next
      smallest shown part is hidden too (never the denominator of shown shares;
      if only that is left, the total is hidden);
    * across groups, when the ``all`` row is shown: when exactly one group row
      has ``field`` (the denominator) hidden, the next smallest group row is
      hidden whole; in every other count column (each band or category count
      included), when exactly one group's cell is hidden and the ``all`` row's
      is shown, the next smallest group cell is hidden too.
    """
    out = list(rows)
    for _ in range(4 * len(rows) + 8):
        before = out
        out = [secure_row(r) for r in out]
        out = _protect_rows(out, field, total=total)
        if total and out:
            kind = type(out[0])
            for name in _COLUMNS.get(kind, ()):
                out = _column(out, lambda r, n=name: getattr(r, n), _hide_field(name))
            share_name = _SHARES.get(kind)
            if share_name is not None:
                for index in range(len(getattr(out[0], share_name))):
                    out = _column(
                        out,
                        lambda r, n=share_name, i=index: getattr(r, n)[i].count,
                        _hide_share_at(share_name, index),
                    )
        if out == before:
            break
    return out


def _protect_rows(rows: list[Any], field: str, *, total: bool) -> list[Any]:
    """Hide the next smallest group row when exactly one is hidden and the total is shown."""
    groups = [i for i, r in enumerate(rows) if r.group != "all"]
    primary = [i for i in groups if getattr(rows[i], field).suppressed]
    if not total or len(primary) != 1 or len(groups) < 2:  # noqa: PLR2004 - a partition of two or more
        return rows
    others = sorted((getattr(rows[i], field).value, i) for i in groups if i not in primary)
    target = others[0][1]
    update: dict[str, object] = {}
    for name, value in rows[target]:
        if isinstance(value, Cell):
            update[name] = hidden()
        elif isinstance(value, tuple) and value and isinstance(value[0], ShareCell):
            update[name] = tuple(s.model_copy(update={"count": hidden(), "share": hidden()}) for s in value)
    out = list(rows)
    out[target] = rows[target].model_copy(update=update)
    return out
