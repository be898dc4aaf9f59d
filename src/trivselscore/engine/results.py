"""Result objects: ``BatchScores`` for many respondents; ``Score`` (from :mod:`.models`) for one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from trivselscore.definitions import norms as _norms
from trivselscore.definitions.instrument import resolve_norms
from trivselscore.engine import ages as _ages
from trivselscore.engine import bands as _bands
from trivselscore.engine import compute as _engine
from trivselscore.engine.display import batch_html, batch_repr
from trivselscore.engine.models import BandResult, Flag, ScaleScore, Score, build
from trivselscore.engine.reasons import age_flag, scale_reason

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from trivselscore.definitions.instrument import Instrument
    from trivselscore.definitions.model import Band, CutoffScheme, Respondent
    from trivselscore.definitions.norms import NormTable

__all__ = ["BandResult", "BatchScores", "Everyone", "Flag", "ScaleScore", "Score"]


@dataclass(frozen=True, slots=True)
class Everyone:
    """The same respondent context for all ``n`` rows (kept once, not per row)."""

    respondent: Respondent | None
    n: int


@dataclass(frozen=True, slots=True)
class _BandCodes:
    """Bands of one scale under one scheme, as compact per-row codes (see ``_bands``)."""

    scheme: CutoffScheme
    flat: tuple[Band, ...]
    position: NDArray[np.signedinteger]
    reasons: NDArray[np.int8]
    t_reasons: NDArray[np.object_] | None
    age_reasons: NDArray[np.object_] | None = None

    def result(self, index: int) -> BandResult:
        position = int(self.position[index])
        band = self.flat[position] if position != _bands.NO_BAND else None
        code = int(self.reasons[index])
        if self.t_reasons is not None and code == _bands.NOT_SCORED:
            reason = self.t_reasons[index]  # why there is no T-score
        elif self.age_reasons is not None and code == _bands.OUTSIDE_AGE:
            reason = self.age_reasons[index]
        else:
            reason = _bands.reason_text(code, self.scheme.id)
        return build(
            BandResult,
            {
                "scheme": self.scheme.id,
                "band": None if band is None else band.id,
                "label_en": None if band is None else band.label_en,
                "label_da": None if band is None else band.label_da,
                "reason": reason,
            },
        )


class BatchScores:
    """Scores of many respondents: one float64 array per scale (NaN = not scored).

    Examples:
        >>> import numpy as np
        >>> from trivselscore import score_batch
        >>> batch = score_batch("who5", np.array([[5, 5, 5, 5, 5], [0, 1, np.nan, 2, 2]]))
        >>> batch["percentage"]
        array([100.,  nan])
        >>> batch.bands("percentage")
        array(['no_risk', None], dtype=object)
    """

    def __init__(  # noqa: PLR0913 - built by the engine only
        self,
        instrument: Instrument,
        arrays: dict[str, _engine.ScaleArrays],
        flags: dict[str, NDArray[np.bool_]],
        data: NDArray[Any],
        *,
        policy: str,
        scheme: str | None,
        respondents: tuple[Respondent | None, ...] | Everyone,
        library_version: str,
        norms: NormTable | None = None,
    ) -> None:
        self._instrument = instrument  # read-only properties below: a result never changes
        self._norms = norms
        self._policy = policy
        self._scheme = scheme
        self._library_version = library_version
        self._arrays = arrays
        self._flags = flags
        # Only the flagged items' answers are kept (a small copy): the caller's array
        # is neither copied whole nor held, so changing it later changes no result.
        self._flag_columns = {
            item_id: column
            for column, item_id in enumerate(instrument.item_ids)
            if any(item_id in flag.items for flag in instrument.flags)
        }
        self._flag_answers = data[:, list(self._flag_columns.values())].copy()
        self._respondents = respondents
        if isinstance(respondents, Everyone):  # one respondent for all rows: read-only views of one value
            self._n = respondents.n
            person = respondents.respondent
            age = np.nan if person is None or person.age is None else person.age
            sex = "" if person is None or person.sex is None else person.sex
            one = _ages.outside(instrument.age_range, np.array([age], dtype=np.float64))
            self._ages = np.broadcast_to(np.float64(age), (self._n,))
            self._sexes = np.broadcast_to(np.array(sex), (self._n,))
            self._outside = np.broadcast_to(one, (self._n,))
            self._anyone_outside = bool(one[0]) and self._n > 0
        else:
            self._n = len(respondents)
            self._ages = np.array(
                [np.nan if r is None or r.age is None else r.age for r in respondents], dtype=np.float64
            )
            self._sexes = np.array(
                ["" if r is None or r.sex is None else r.sex for r in respondents], dtype=str
            )
            self._outside = _ages.outside(instrument.age_range, self._ages)
            self._ages.flags.writeable = False
            self._outside.flags.writeable = False
            self._anyone_outside = bool(self._outside.any())  # most batches: no per-scale work
        self._age_texts: NDArray[np.object_] | None = None
        self._band_cache: dict[tuple[str, str], _BandCodes] = {}
        self._t_cache: dict[
            tuple[str, NormTable | None], tuple[NDArray[np.float64], NDArray[np.object_]]
        ] = {}
        for array in arrays.values():
            for field in (array.values, array.answered, array.prorated, array.status):
                field.flags.writeable = False
        for raised in flags.values():  # handed out by ``flags``; row(i) reads them too
            raised.flags.writeable = False

    @property
    def instrument(self) -> Instrument:
        """The definition the rows were scored with."""
        return self._instrument

    @property
    def norms(self) -> NormTable | None:
        """The norm table of the T-scores (None: the instrument has none)."""
        return self._norms

    @property
    def policy(self) -> str:
        """The missing-data policy used (``"default"``: the instrument's own rules)."""
        return self._policy

    @property
    def scheme(self) -> str | None:
        """The default cutoff scheme of the result."""
        return self._scheme

    @property
    def library_version(self) -> str:
        """The version of trivselscore that scored the rows."""
        return self._library_version

    def __len__(self) -> int:
        """Number of respondents."""
        return self._n

    def __repr__(self) -> str:
        """A title line, then per scale the rows scored, mean, SD, min and max; computed on call."""
        return batch_repr(self._title(), self.values, self.flags)

    def _repr_html_(self) -> str:
        return batch_html(self._title(), self.values, self.flags)

    def _title(self) -> str:
        return f"BatchScores({self.instrument.id} v{self.instrument.version}: {self._n:,} rows)"

    def __getitem__(self, scale_id: str) -> NDArray[np.float64]:
        """The scale's values (read-only float64 array, NaN where not scored)."""
        return self._arrays[scale_id].values

    @property
    def values(self) -> dict[str, NDArray[np.float64]]:
        """Scale id -> values array."""
        return {k: v.values for k, v in self._arrays.items()}

    def answered(self, scale_id: str) -> NDArray[np.signedinteger]:
        """How many items (or component scales) were answered, per row (int16 for shipped instruments)."""
        return self._arrays[scale_id].answered

    def prorated(self, scale_id: str) -> NDArray[np.bool_]:
        """Whether the value was prorated, per row."""
        return self._arrays[scale_id].prorated

    @property
    def flags(self) -> dict[str, NDArray[np.bool_]]:
        """Flag id -> whether it was raised, per row.

        The instrument's item flags, and ``outside_age_range`` when the instrument
        declares an ``age_range``.
        """
        flags = dict(self._flags)
        if self.instrument.age_range is not None:
            flags[_ages.OUTSIDE_AGE_RANGE] = self._outside
        return flags

    @property
    def ages(self) -> NDArray[np.float64]:
        """Per row: the respondent's age as given (NaN where unknown)."""
        return self._ages

    @property
    def outside_age_range(self) -> NDArray[np.bool_]:
        """Per row: whether the age, in completed years, is outside the instrument's range.

        Such rows are scored, but get no band and no T-score. False where the age
        is unknown (no check) and for an instrument without an ``age_range``.
        """
        return self._outside

    def age_reasons(self) -> NDArray[np.object_]:
        """Per row: why the age gets no bands or T-scores (None where it fits or is unknown)."""
        if self._age_texts is None:
            self._age_texts = _ages.reasons(self.instrument, self._ages, self._outside)
            self._age_texts.flags.writeable = False
        return self._age_texts

    def bands(self, scale_id: str, scheme: str | None = None) -> NDArray[np.object_]:
        """Band ids per row under ``scheme`` (default: the result's scheme).

        Raises:
            KeyError: The scheme does not band this scale, or no scheme was given
                and the instrument has no default.
        """
        codes = self._bands(scale_id, scheme)
        names = np.array([band.id for band in codes.flat] + [None], dtype=object)
        ids: NDArray[np.object_] = names.take(codes.position)  # NO_BAND (-1) takes the trailing None
        ids.flags.writeable = False  # built on each call from the cached codes: 8 bytes a row, not kept
        return ids

    def band_codes(
        self, scale_id: str, scheme: str | None = None
    ) -> tuple[NDArray[np.signedinteger], tuple[str, ...]]:
        """The bands of :meth:`bands` as small integer codes: ``(codes, ids)``.

        ``ids[codes[i]]`` is row ``i``'s band id, and ``codes[i]`` is -1 where
        :meth:`bands` gives None. The same answer without an array of Python
        strings (8 bytes and a reference count a row): for a million rows, or for
        ``pandas.Categorical.from_codes(codes, ids)``. ``codes`` is read-only.

        Raises:
            KeyError: As :meth:`bands`.

        Examples:
            >>> import numpy as np
            >>> from trivselscore import score_batch
            >>> answers = np.array([[5, 5, 5, 5, 5], [0, 1, np.nan, 2, 2], [1, 1, 1, 1, 1]])
            >>> batch = score_batch("who5", answers)
            >>> codes, ids = batch.band_codes("percentage")
            >>> codes.tolist(), ids
            ([1, -1, 0], ('risk', 'no_risk'))
        """
        found = self._bands(scale_id, scheme)
        flat = [band.id for band in found.flat]
        ids = tuple(dict.fromkeys(flat))  # one id may name a band in several tables (by sex, age)
        if len(ids) == len(flat):
            return found.position, ids
        remap = np.array([ids.index(i) for i in flat] + [_bands.NO_BAND], dtype=found.position.dtype)
        codes = remap[found.position]
        codes.flags.writeable = False
        return codes, ids

    def t_scores(self, scale_id: str, norms: NormTable | str | None = None) -> NDArray[np.float64]:
        """T-scores per row (NaN where none applies), from ``norms`` or the result's table.

        Args:
            scale_id: The scale.
            norms: A ``NormTable``, the id of one of the instrument's tables, or
                None for the table the result was scored with.

        Raises:
            KeyError: The instrument has no such scale.
            ValueError: An unknown table id, or a table that does not fit the instrument.

        Examples:
            >>> from trivselscore import Respondent, score_batch
            >>> batch = score_batch("scas-p", [[1] * 38, [0] * 38],
            ...                     respondent=Respondent(age=14, sex="female"))
            >>> batch.t_scores("total").round(1)
            array([77.9, 36.2])
        """
        self.instrument.scale(scale_id)
        table = self.norms if norms is None else resolve_norms(self.instrument, norms)
        return self._t(scale_id, table)[0]

    def _t(self, scale_id: str, table: NormTable | None) -> tuple[NDArray[np.float64], NDArray[np.object_]]:
        key = (scale_id, table)
        if key not in self._t_cache:
            values, reasons = _norms.t_scores(table, scale_id, self[scale_id], self._ages, self._sexes)
            outside = self._outside & ~np.isnan(self[scale_id]) if self._anyone_outside else None
            if outside is not None:  # no T-score outside the instrument's age range
                values[outside] = np.nan
                reasons[outside] = self.age_reasons()[outside]
            values.flags.writeable = False
            self._t_cache[key] = (values, reasons)
        return self._t_cache[key]

    def _bands(self, scale_id: str, scheme: str | None) -> _BandCodes:
        scheme_id = scheme if scheme is not None else self.scheme
        if scheme_id is None:
            msg = f"{self.instrument.id} has no default cutoff scheme; name one"
            raise KeyError(msg)
        definition = self.instrument.scheme(scheme_id)
        if scale_id not in definition.scale_ids:
            msg = f"scheme {scheme_id!r} does not band scale {scale_id!r}"
            raise KeyError(msg)
        key = (scale_id, scheme_id)
        if key not in self._band_cache:
            t_reasons = None
            values = self[scale_id]
            if definition.metric == "t_score":
                values, t_reasons = self._t(scale_id, self.norms)
            position, reasons = _bands.assign(definition, scale_id, values, self._ages, self._sexes)
            age_reasons = None
            if self._anyone_outside:  # scored, but no band outside the instrument's age range
                outside = self._outside & ~np.isnan(self[scale_id])
                position[outside] = _bands.NO_BAND
                reasons[outside] = _bands.OUTSIDE_AGE
                age_reasons = self.age_reasons()
            flat = _bands.flat_bands(definition, scale_id)
            position.flags.writeable = False  # handed out by band_codes
            self._band_cache[key] = _BandCodes(definition, flat, position, reasons, t_reasons, age_reasons)
        return self._band_cache[key]

    def row(self, index: int) -> Score:
        """The ``Score`` of one row, identical to ``score()`` on that row.

        Results are built with :func:`~trivselscore.engine.models.build` (what
        ``model_construct`` does, faster): every field comes from the engine and
        the validated definition, so validating again would only cost time
        (``tests/engine/test_results.py`` checks they validate all the same).
        """
        scales = tuple(self._scale_score(scale.id, index) for scale in self.instrument.scales)
        raised = tuple(
            build(
                Flag,
                {
                    "id": flag.id,
                    "message": flag.message,
                    "kind": flag.kind,
                    "items": tuple(
                        item_id
                        for item_id in flag.items
                        if self._flag_answers[index, list(self._flag_columns).index(item_id)] in flag.codes
                    ),
                    "source": flag.source,
                },
            )
            for flag in self.instrument.flags
            if self._flags[flag.id][index]
        )
        if self._outside[index]:
            raised += (self._age_flag(index),)
        return build(
            Score,
            {
                "instrument_id": self.instrument.id,
                "instrument_version": self.instrument.version,
                "library_version": self.library_version,
                "policy": self.policy,
                "scheme": self.scheme,
                "respondent": self._respondent(index),
                "scales": scales,
                "flags": raised,
                "norms": None if self.norms is None else self.norms.id,
            },
        )

    def _age_flag(self, index: int) -> Flag:
        return age_flag(self.instrument, str(self.age_reasons()[index]))

    def _respondent(self, index: int) -> Respondent | None:
        if isinstance(self._respondents, Everyone):
            if not -self._n <= index < self._n:
                raise IndexError(index)
            return self._respondents.respondent
        return self._respondents[index]

    def _scale_score(self, scale_id: str, index: int) -> ScaleScore:
        arrays = self._arrays[scale_id]
        raw = float(arrays.values[index])
        value: int | float | None = None
        if not np.isnan(raw):
            value = int(raw) if raw.is_integer() else raw
        results = []
        for scheme in self.instrument.schemes:
            if scale_id in scheme.scale_ids:
                codes = self._bands(scale_id, scheme.id)
                results.append(codes.result(index))
        default = next((b.band for b in results if b.scheme == self.scheme), None)
        t_score, t_reason = self._t_score(scale_id, index)
        return build(
            ScaleScore,
            {
                "scale": scale_id,
                "value": value,
                "band": default,
                "answered": int(arrays.answered[index]),
                "parts": len(self.instrument.scale_items(scale_id)),
                "prorated": bool(arrays.prorated[index]),
                "reason": self._reason(scale_id, index),
                "bands": tuple(results),
                "t_score": t_score,
                "t_score_reason": t_reason,
            },
        )

    def _t_score(self, scale_id: str, index: int) -> tuple[float | None, str | None]:
        normed = self.norms is not None and scale_id in self.norms.scale_ids
        t_banded = any(s.metric == "t_score" and scale_id in s.scale_ids for s in self.instrument.schemes)
        if not (normed or t_banded):
            return None, None
        values, reasons = self._t(scale_id, self.norms)
        value = float(values[index])
        return (None, reasons[index]) if np.isnan(value) else (value, None)

    def _reason(self, scale_id: str, index: int) -> str | None:
        arrays = self._arrays[scale_id]
        scale = self.instrument.scale(scale_id)
        status = int(arrays.status[index])
        missing: tuple[str, ...] = ()
        if status == _engine.COMPONENT_MISSING:
            missing = tuple(s for s in scale.scales if np.isnan(self._arrays[s].values[index]))
        answered = int(arrays.answered[index])
        return scale_reason(
            self.instrument, self.policy, scale_id, status=status, answered=answered, missing=missing
        )
