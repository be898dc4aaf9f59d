"""SDQ band tables (UK, 3-band and 4-band) with the source and status of every edge.

Bands are written as half-open intervals on whole-number scores: "14-16" is
``[14, 17)``; the last band is closed at the scale maximum. SDQ scores are whole
numbers under every shipped rule (proration rounds half up), and the half-open
form partitions the real line as well, so no value falls between two bands.

Edges the project's fact sheets mark as recalled or still not found carry a
band-level ``Source`` with ``status="unverified"``: every impact band, and the
self-report 4-band cuts above "close to average". No band table is given for
externalising/internalising (none published) or for the 2-4 impact score.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from trivselscore.definitions.model import Band, Cutoffs, CutoffScheme, Source

__all__ = [
    "PARENT_SCHEMES",
    "PRESCHOOL_SCHEMES",
    "SELF_18_SCHEMES",
    "SELF_SCHEMES",
    "TEACHER_SCHEMES",
]

_NORWAY: Final = "BMC Pediatrics 2023, doi:10.1186/s12887-023-03837-1, Table 2"
_MONGOLIA: Final = "BMC Psychiatry 2021, doi:10.1186/s12888-021-03218-x, Table 2"
_SHANGHAI: Final = (
    "Shanghai Arch Psychiatry 2013;25(6):364-374, doi:10.3969/j.issn.1002-0829.2013.06.005, Table 6"
)

_PARENT_3: Final = Source(
    citation=f"UK parent 4-17 3-band cut-points as reproduced in {_NORWAY}; {_MONGOLIA}; PMC8248972 Table 2; {_SHANGHAI}",
    doi="10.1186/s12887-023-03837-1",
    status="verified-secondary",
)
_PROSOCIAL_6: Final = Source(
    citation=f"Parent prosocial 6-10 / 5 / 0-4 (older scoring-sheet banding): {_NORWAY}; PMC8248972 Table 2",
    doi="10.1186/s12887-023-03837-1",
    status="verified-secondary",
    note="Also in two public code tables (TypeScript SDQ_CUTOFFS, Python get_sdq_cutoffs).",
)
_PROSOCIAL_8: Final = Source(
    citation=f"Parent prosocial 8-10 / 7 / 0-6 (British normative survey, 80/10/10 %): {_SHANGHAI} (UK column); {_MONGOLIA}",
    doi="10.3969/j.issn.1002-0829.2013.06.005",
    status="verified-secondary",
    note="Equals the 4-band prosocial split collapsed to three bands.",
)
_PARENT_4: Final = Source(
    citation="Parent 4-band cut-points: a public community R script ('Categorical scoring' block)",
    status="verified-secondary",
    note=(
        "One low-authority code source (repository not recorded); identical to the table recalled in the "
        "project fact sheet. The script says it adapts the official R syntax (sdqinfo.org/c9.html), "
        "which has no bands: the cut-points are the script's, not youthinmind's syntax."
    ),
)
_TEACHER_3: Final = Source(
    citation="Teacher 3-band: Wikipedia 'Strengths and Difficulties Questionnaire' (subscales); public TypeScript SDQ_CUTOFFS table (all scales)",
    url="https://en.wikipedia.org/wiki/Strengths_and_Difficulties_Questionnaire",
    status="verified-secondary",
)
_TEACHER_4: Final = Source(
    citation="Teacher 4-band: Table 1 of PMC4830858, reproducing the sdqinfo UK 4-17 scoring instructions (b3.py)",
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC4830858/table/Tab1",
    status="verified-secondary",
    note="Single source; no second source found.",
)
_SELF_3: Final = Source(
    citation=(
        "Self-report 3-band: public Python get_sdq_cutoffs (full table); Scottish Government hwb-census RAP "
        "(total); PMC8248972 Table 2 (abnormal bounds); Thai DMH cut-offs (total)"
    ),
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC8248972/table/TB2",
    status="verified-secondary",
)
_SELF_4_FIRST: Final = Source(
    citation="Scottish Government Health and Wellbeing Census RAP, code/12d_mental_health_and_wellbeing_sdq.R ('Newer 4-band categorisation')",
    url="https://github.com/ScotGovAnalysis/hwb-census",
    status="verified-secondary",
    note="Gives only the 'close to average' bound of each scale.",
)
_SELF_4_REST: Final = Source(
    citation="Self-report 4-band cuts above 'close to average', as recalled in the project fact sheet",
    status="unverified",
    note="Still not found in any source searched; check against the sdqinfo scoring PDF before relying on them.",
)
_SELF_4: Final = Source(
    citation="Self-report 4-band: first cut from the Scottish Government RAP; the other cuts are recalled",
    url="https://github.com/ScotGovAnalysis/hwb-census",
    status="unverified",
    note="Each band carries its own source: only 'close to average' is verified.",
)
_IMPACT_3: Final = Source(
    citation="Impact 3-band 0 / 1 / 2 and above, as recalled in the project fact sheet",
    status="unverified",
    note="Still not found in any code, page or paper searched.",
)
_IMPACT_4: Final = Source(
    citation="Impact 4-band 0 / 1 / 2 / 3 and above, as recalled in the project fact sheet",
    status="unverified",
    note="Still not found in any code, page or paper searched.",
)
_PRESCHOOL_3: Final = Source(
    citation=f"UK parent 2-4 provisional 3-band lower bounds as reproduced in {_NORWAY}",
    doi="10.1186/s12887-023-03837-1",
    status="verified-secondary",
    note="youthinmind labels the 2-4 banding 'provisional'.",
)
_EXTRAPOLATED: Final = Source(
    citation="Self-report 11-17 3-band cut-points applied to 18+ respondents (extrapolation by this library)",
    status="unverified",
    note="No 18+ SDQ band cut-points were found in any source searched; use for orientation only.",
)

_LABELS: Final = {
    "normal": ("normal", "normal"),
    "borderline": ("borderline", "grænseområde"),
    "abnormal": ("abnormal", "afvigende"),
    "close_to_average": ("close to average", "tæt på gennemsnittet"),
    "slightly_raised": ("slightly raised", "let forhøjet"),
    "high": ("high", "høj"),
    "very_high": ("very high", "meget høj"),
    "slightly_lowered": ("slightly lowered", "let sænket"),
    "low": ("low", "lav"),
    "very_low": ("very low", "meget lav"),
}
_THREE: Final = ("normal", "borderline", "abnormal")
_THREE_PROSOCIAL: Final = ("abnormal", "borderline", "normal")
_FOUR: Final = ("close_to_average", "slightly_raised", "high", "very_high")
_FOUR_PROSOCIAL: Final = ("very_low", "low", "slightly_lowered", "close_to_average")

_DIFFICULTY_MAX: Final = {
    "total": 40,
    "emotional": 10,
    "conduct": 10,
    "hyperactivity": 10,
    "peer": 10,
    "prosocial": 10,
}


def _table(
    scale: str,
    edges: tuple[int, ...],
    high: int,
    sources: tuple[Source | None, ...] = (),
) -> Cutoffs:
    """Bands ``[0, e1), [e1, e2), ..., [ek, high]`` in ascending score order.

    Band ids come from the number of edges and whether the scale is prosocial
    (lower = worse). ``sources`` gives a per-band source, or nothing when the
    scheme's source applies to every band.
    """
    names = {2: (_THREE, _THREE_PROSOCIAL), 3: (_FOUR, _FOUR_PROSOCIAL)}[len(edges)]
    ids = names[1] if scale == "prosocial" else names[0]
    lowers, uppers = (0, *edges), (*edges, high)
    per_band = sources or (None,) * len(ids)
    return Cutoffs(
        scale=scale,
        bands=tuple(
            Band(
                id=band_id,
                label_en=_LABELS[band_id][0],
                label_da=_LABELS[band_id][1],
                lower=low,
                upper=up,
                upper_inclusive=up == high,
                source=source,
            )
            for band_id, low, up, source in zip(ids, lowers, uppers, per_band, strict=True)
        ),
    )


def _tables(
    edges: Mapping[str, tuple[int, ...]], sources: Mapping[str, tuple[Source | None, ...]] | None = None
) -> tuple[Cutoffs, ...]:
    """One table per difficulty/prosocial scale, in the order given."""
    chosen = sources or {}
    return tuple(_table(s, e, _DIFFICULTY_MAX[s], chosen.get(s, ())) for s, e in edges.items())


def _impact(edges: tuple[int, ...], high: int) -> Cutoffs:
    source = _IMPACT_3 if len(edges) == 2 else _IMPACT_4  # noqa: PLR2004 - 2 edges = 3 bands
    return _table("impact", edges, high, (source,) * (len(edges) + 1))


def _scheme(
    scheme_id: str, tables: tuple[Cutoffs, ...], source: Source, note: str | None = None
) -> CutoffScheme:
    three = scheme_id.startswith("sdq-3band")
    return CutoffScheme(
        id=scheme_id,
        label_en=(
            "original three bands (normal / borderline / abnormal)"
            if three
            else "newer four bands (close to average / slightly raised / high / very high)"
        ),
        label_da=(
            "oprindelige tre grupper (normal / grænseområde / afvigende)"
            if three
            else "nyere fire grupper (tæt på gennemsnittet / let forhøjet / høj / meget høj)"
        ),
        cutoffs=tables,
        source=source,
        note=note,
    )


# --- edges: lower bound of each band above the first, ascending score order ------------------------

_PARENT_3_EDGES: Final = {
    "total": (14, 17),
    "emotional": (4, 5),
    "conduct": (3, 4),
    "hyperactivity": (6, 7),
    "peer": (3, 4),
}
_PARENT_4_EDGES: Final = {
    "total": (14, 17, 20),
    "emotional": (4, 5, 7),
    "conduct": (3, 4, 6),
    "hyperactivity": (6, 8, 9),
    "peer": (3, 4, 5),
    "prosocial": (6, 7, 8),
}
_TEACHER_3_EDGES: Final = {
    "total": (12, 16),
    "emotional": (5, 6),
    "conduct": (3, 4),
    "hyperactivity": (6, 7),
    "peer": (4, 5),
    "prosocial": (5, 6),
}
_TEACHER_4_EDGES: Final = {
    "total": (12, 16, 19),
    "emotional": (4, 5, 6),
    "conduct": (3, 4, 5),
    "hyperactivity": (6, 8, 9),
    "peer": (3, 5, 6),
    "prosocial": (4, 5, 6),
}
_SELF_3_EDGES: Final = {
    "total": (16, 20),
    "emotional": (6, 7),
    "conduct": (4, 5),
    "hyperactivity": (6, 7),
    "peer": (4, 6),
    "prosocial": (5, 6),
}
_SELF_4_EDGES: Final = {
    "total": (15, 18, 20),
    "emotional": (5, 6, 7),
    "conduct": (4, 5, 6),
    "hyperactivity": (6, 7, 8),
    "peer": (3, 4, 5),
    "prosocial": (5, 6, 7),
}
_PRESCHOOL_3_EDGES: Final = {
    "total": (13, 16),
    "emotional": (3, 4),
    "conduct": (4, 5),
    "hyperactivity": (6, 7),
    "peer": (3, 4),
    "prosocial": (6, 7),
}
# Self 4-band: only the 'close to average' band (first; last for prosocial) is verified.
_SELF_4_SOURCES: Final = {
    scale: (_SELF_4_REST,) * 3 + (_SELF_4_FIRST,)
    if scale == "prosocial"
    else (_SELF_4_FIRST,) + (_SELF_4_REST,) * 3
    for scale in _SELF_4_EDGES
}

_PROSOCIAL_NOTE: Final = (
    "Parent prosocial exists in two published 3-band variants: 'sdq-3band' uses 6-10 / 5 / 0-4 (the original "
    "scoring-sheet banding, shared with the teacher and self-report 3-band and with more independent sources); "
    "'sdq-3band-prosocial-8' uses 8-10 / 7 / 0-6 (the British normative split, consistent with the 4-band scheme)."
)

PARENT_SCHEMES: Final = (
    _scheme(
        "sdq-4band",
        (*_tables(_PARENT_4_EDGES), _impact((1, 2, 3), 10)),
        _PARENT_4,
        "Impact bands are unverified (recalled). Proportions intended: about 80 / 10 / 5 / 5 %.",
    ),
    _scheme(
        "sdq-3band",
        (
            *_tables(_PARENT_3_EDGES),
            _table("prosocial", (5, 6), 10, (_PROSOCIAL_6,) * 3),
            _impact((1, 2), 10),
        ),
        _PARENT_3,
        f"{_PROSOCIAL_NOTE} Impact bands are unverified (recalled).",
    ),
    _scheme(
        "sdq-3band-prosocial-8",
        (
            *_tables(_PARENT_3_EDGES),
            _table("prosocial", (7, 8), 10, (_PROSOCIAL_8,) * 3),
            _impact((1, 2), 10),
        ),
        _PARENT_3,
        f"{_PROSOCIAL_NOTE} Impact bands are unverified (recalled).",
    ),
)
"""Parent 4-17 schemes; the 4-band scheme is the default (verified-secondary)."""

TEACHER_SCHEMES: Final = (
    _scheme(
        "sdq-4band",
        (*_tables(_TEACHER_4_EDGES), _impact((1, 2, 3), 6)),
        _TEACHER_4,
        "Impact bands are unverified (recalled).",
    ),
    _scheme(
        "sdq-3band",
        (*_tables(_TEACHER_3_EDGES), _impact((1, 2), 6)),
        _TEACHER_3,
        "Impact bands are unverified (recalled).",
    ),
)
"""Teacher 4-17 schemes; the 4-band scheme is the default (verified-secondary, single source)."""

_SELF_3_TABLES: Final = (*_tables(_SELF_3_EDGES), _impact((1, 2), 10))

SELF_SCHEMES: Final = (
    _scheme("sdq-3band", _SELF_3_TABLES, _SELF_3, "Impact bands are unverified (recalled)."),
    _scheme(
        "sdq-4band",
        (*_tables(_SELF_4_EDGES, _SELF_4_SOURCES), _impact((1, 2, 3), 10)),
        _SELF_4,
        "UNVERIFIED except the 'close to average' band of each scale (Scottish Government RAP); impact unverified.",
    ),
)
"""Self-report 11-17 schemes; the 3-band scheme is the default (the 4-band is mostly unverified)."""

PRESCHOOL_SCHEMES: Final = (
    _scheme(
        "sdq-3band",
        _tables(_PRESCHOOL_3_EDGES),
        _PRESCHOOL_3,
        "Provisional banding for 2-4 year olds (youthinmind). No impact bands were found for this version.",
    ),
)
"""Parent 2-4 scheme (provisional), without impact bands."""

SELF_18_SCHEMES: Final = (
    _scheme(
        "sdq-3band-s11-17-extrapolated",
        _SELF_3_TABLES,
        _EXTRAPOLATED,
        "The 11-17 self-report 3-band cut-points applied to adults: an extrapolation, not a published banding.",
    ),
)
"""18+ self-report: only the explicitly named extrapolation of the 11-17 3-band scheme."""
