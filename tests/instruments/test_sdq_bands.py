"""SDQ band tables: transcribed edges, verification status, and how ``describe`` shows them.

The expected tables below are copied from the fact sheets (shared/reference/sdq-scas.md
section 3 and verification.md section 1, which wins where they differ), written as
the sheets print them, so a typo in the definition shows up as a mismatch.
"""

from __future__ import annotations

import pytest

from trivselscore import Band, get_instrument
from trivselscore.cli.commands import describe

THREE = ("normal", "borderline", "abnormal")
FOUR = ("close_to_average", "slightly_raised", "high", "very_high")
FOUR_PROSOCIAL = ("close_to_average", "slightly_lowered", "low", "very_low")

# (instrument, scheme, scale, printed bands, status of each band in printed order)
V2 = "verified-secondary"
UN = "unverified"
TABLES = [
    # parent 3-band: verification 1.1
    ("sdq-p4-17", "sdq-3band", "total", "0-13 / 14-16 / 17-40", V2),
    ("sdq-p4-17", "sdq-3band", "emotional", "0-3 / 4 / 5-10", V2),
    ("sdq-p4-17", "sdq-3band", "conduct", "0-2 / 3 / 4-10", V2),
    ("sdq-p4-17", "sdq-3band", "hyperactivity", "0-5 / 6 / 7-10", V2),
    ("sdq-p4-17", "sdq-3band", "peer", "0-2 / 3 / 4-10", V2),
    ("sdq-p4-17", "sdq-3band", "prosocial", "6-10 / 5 / 0-4", V2),
    ("sdq-p4-17", "sdq-3band", "impact", "0 / 1 / 2-10", UN),
    ("sdq-p4-17", "sdq-3band-prosocial-8", "prosocial", "8-10 / 7 / 0-6", V2),
    ("sdq-p4-17", "sdq-3band-prosocial-8", "total", "0-13 / 14-16 / 17-40", V2),
    ("sdq-p4-17", "sdq-3band-prosocial-8", "impact", "0 / 1 / 2-10", UN),
    # parent 4-band: verification 1.1 (R4BAND); impact still not found
    ("sdq-p4-17", "sdq-4band", "total", "0-13 / 14-16 / 17-19 / 20-40", V2),
    ("sdq-p4-17", "sdq-4band", "emotional", "0-3 / 4 / 5-6 / 7-10", V2),
    ("sdq-p4-17", "sdq-4band", "conduct", "0-2 / 3 / 4-5 / 6-10", V2),
    ("sdq-p4-17", "sdq-4band", "hyperactivity", "0-5 / 6-7 / 8 / 9-10", V2),
    ("sdq-p4-17", "sdq-4band", "peer", "0-2 / 3 / 4 / 5-10", V2),
    ("sdq-p4-17", "sdq-4band", "prosocial", "8-10 / 7 / 6 / 0-5", V2),
    ("sdq-p4-17", "sdq-4band", "impact", "0 / 1 / 2 / 3-10", UN),
    # teacher: verification 1.2
    ("sdq-t4-17", "sdq-3band", "total", "0-11 / 12-15 / 16-40", V2),
    ("sdq-t4-17", "sdq-3band", "emotional", "0-4 / 5 / 6-10", V2),
    ("sdq-t4-17", "sdq-3band", "conduct", "0-2 / 3 / 4-10", V2),
    ("sdq-t4-17", "sdq-3band", "hyperactivity", "0-5 / 6 / 7-10", V2),
    ("sdq-t4-17", "sdq-3band", "peer", "0-3 / 4 / 5-10", V2),
    ("sdq-t4-17", "sdq-3band", "prosocial", "6-10 / 5 / 0-4", V2),
    ("sdq-t4-17", "sdq-3band", "impact", "0 / 1 / 2-6", UN),
    ("sdq-t4-17", "sdq-4band", "total", "0-11 / 12-15 / 16-18 / 19-40", V2),
    ("sdq-t4-17", "sdq-4band", "emotional", "0-3 / 4 / 5 / 6-10", V2),
    ("sdq-t4-17", "sdq-4band", "conduct", "0-2 / 3 / 4 / 5-10", V2),
    ("sdq-t4-17", "sdq-4band", "hyperactivity", "0-5 / 6-7 / 8 / 9-10", V2),
    ("sdq-t4-17", "sdq-4band", "peer", "0-2 / 3-4 / 5 / 6-10", V2),
    ("sdq-t4-17", "sdq-4band", "prosocial", "6-10 / 5 / 4 / 0-3", V2),
    ("sdq-t4-17", "sdq-4band", "impact", "0 / 1 / 2 / 3-6", UN),
    # self-report: verification 1.3; 4-band cuts above 'close to average' still not found
    ("sdq-s11-17", "sdq-3band", "total", "0-15 / 16-19 / 20-40", V2),
    ("sdq-s11-17", "sdq-3band", "emotional", "0-5 / 6 / 7-10", V2),
    ("sdq-s11-17", "sdq-3band", "conduct", "0-3 / 4 / 5-10", V2),
    ("sdq-s11-17", "sdq-3band", "hyperactivity", "0-5 / 6 / 7-10", V2),
    ("sdq-s11-17", "sdq-3band", "peer", "0-3 / 4-5 / 6-10", V2),
    ("sdq-s11-17", "sdq-3band", "prosocial", "6-10 / 5 / 0-4", V2),
    ("sdq-s11-17", "sdq-3band", "impact", "0 / 1 / 2-10", UN),
    ("sdq-s11-17", "sdq-4band", "total", "0-14 / 15-17 / 18-19 / 20-40", (V2, UN, UN, UN)),
    ("sdq-s11-17", "sdq-4band", "emotional", "0-4 / 5 / 6 / 7-10", (V2, UN, UN, UN)),
    ("sdq-s11-17", "sdq-4band", "conduct", "0-3 / 4 / 5 / 6-10", (V2, UN, UN, UN)),
    ("sdq-s11-17", "sdq-4band", "hyperactivity", "0-5 / 6 / 7 / 8-10", (V2, UN, UN, UN)),
    ("sdq-s11-17", "sdq-4band", "peer", "0-2 / 3 / 4 / 5-10", (V2, UN, UN, UN)),
    ("sdq-s11-17", "sdq-4band", "prosocial", "7-10 / 6 / 5 / 0-4", (V2, UN, UN, UN)),
    ("sdq-s11-17", "sdq-4band", "impact", "0 / 1 / 2 / 3-10", UN),
    # parent 2-4, provisional: sdq-scas.md 3.1 (NORWAY-2023); no impact bands found
    ("sdq-p2-4", "sdq-3band", "total", "0-12 / 13-15 / 16-40", V2),
    ("sdq-p2-4", "sdq-3band", "emotional", "0-2 / 3 / 4-10", V2),
    ("sdq-p2-4", "sdq-3band", "conduct", "0-3 / 4 / 5-10", V2),
    ("sdq-p2-4", "sdq-3band", "hyperactivity", "0-5 / 6 / 7-10", V2),
    ("sdq-p2-4", "sdq-3band", "peer", "0-2 / 3 / 4-10", V2),
    ("sdq-p2-4", "sdq-3band", "prosocial", "7-10 / 6 / 0-5", V2),
    # 18+: the 11-17 bands, an extrapolation, every band unverified
    ("sdq-s18", "sdq-3band-s11-17-extrapolated", "total", "0-15 / 16-19 / 20-40", UN),
    ("sdq-s18", "sdq-3band-s11-17-extrapolated", "peer", "0-3 / 4-5 / 6-10", UN),
    ("sdq-s18", "sdq-3band-s11-17-extrapolated", "prosocial", "6-10 / 5 / 0-4", UN),
    ("sdq-s18", "sdq-3band-s11-17-extrapolated", "impact", "0 / 1 / 2-10", UN),
]


def printed_ids(scale: str, count: int) -> tuple[str, ...]:
    if count == 3:
        return THREE
    return FOUR_PROSOCIAL if scale == "prosocial" else FOUR


def status_of(band: Band, scheme_status: str) -> str:
    return band.source.status if band.source is not None else scheme_status


@pytest.mark.parametrize(("instrument_id", "scheme_id", "scale", "printed", "statuses"), TABLES)
def test_band_table_matches_the_fact_sheet(instrument_id, scheme_id, scale, printed, statuses):
    instrument = get_instrument(instrument_id)
    scheme = instrument.scheme(scheme_id)
    (table,) = [t for t in scheme.cutoffs if t.scale == scale]
    parts = [p.strip() for p in printed.split("/")]
    ids = printed_ids(scale, len(parts))
    expected: dict[int, str] = {}
    for band_id, part in zip(ids, parts, strict=True):
        low, _, high = part.partition("-")
        for value in range(int(low), int(high or low) + 1):
            expected[value] = band_id
    low, high = instrument.scale_range(scale)
    assert sorted(expected) == list(range(low, high + 1))
    for value, band_id in expected.items():
        hits = [b.id for b in table.bands if b.contains(value)]
        assert hits == [band_id], (value, hits)
        prorated_neighbour = value + 0.5 if value < high else value - 0.5
        assert sum(b.contains(prorated_neighbour) for b in table.bands) == 1
    by_id = {b.id: b for b in table.bands}
    wanted = statuses if isinstance(statuses, tuple) else (statuses,) * len(ids)
    assert [status_of(by_id[i], scheme.source.status) for i in ids] == list(wanted)


def test_prosocial_8_scheme_differs_from_3band_only_in_prosocial():
    parent = get_instrument("sdq-p4-17")
    original = {t.scale: t for t in parent.scheme("sdq-3band").cutoffs}
    variant = {t.scale: t for t in parent.scheme("sdq-3band-prosocial-8").cutoffs}
    assert original.keys() == variant.keys()
    assert [s for s in original if original[s] != variant[s]] == ["prosocial"]


def test_every_shipped_sdq_band_table_is_checked_above():
    checked = {(i, s, c) for i, s, c, *_ in TABLES}
    checked |= {
        ("sdq-p4-17", "sdq-3band-prosocial-8", s)
        for i, sch, s, *_ in TABLES
        if sch == "sdq-3band" and i == "sdq-p4-17"
    }
    for instrument_id in ("sdq-s11-17", "sdq-p4-17", "sdq-t4-17", "sdq-p2-4"):
        for scheme in get_instrument(instrument_id).schemes:
            for table in scheme.cutoffs:
                assert (instrument_id, scheme.id, table.scale) in checked


def test_no_bands_for_externalising_internalising_or_preschool_impact():
    for instrument_id in ("sdq-s11-17", "sdq-p4-17", "sdq-t4-17", "sdq-p2-4", "sdq-s18"):
        for scheme in get_instrument(instrument_id).schemes:
            assert not {"externalising", "internalising"} & set(scheme.scale_ids)
    assert "impact" not in get_instrument("sdq-p2-4").scheme("sdq-3band").scale_ids


def test_every_impact_band_is_unverified():
    for instrument_id in ("sdq-s11-17", "sdq-p4-17", "sdq-t4-17", "sdq-s18"):
        for scheme in get_instrument(instrument_id).schemes:
            for table in scheme.cutoffs:
                if table.scale == "impact":
                    assert all(b.source is not None and b.source.status == "unverified" for b in table.bands)


def test_schemes_that_are_not_verified_say_so():
    assert get_instrument("sdq-s11-17").scheme("sdq-4band").source.status == "unverified"
    assert get_instrument("sdq-s18").scheme("sdq-3band-s11-17-extrapolated").source.status == "unverified"
    for instrument_id, scheme_id in [
        ("sdq-p4-17", "sdq-4band"),
        ("sdq-t4-17", "sdq-4band"),
        ("sdq-p2-4", "sdq-3band"),
    ]:
        assert get_instrument(instrument_id).scheme(scheme_id).source.verified


@pytest.mark.parametrize(
    ("instrument_id", "unverified_lines"),
    [("sdq-s11-17", 3 + 18 + 4), ("sdq-p4-17", 3 + 3 + 4), ("sdq-t4-17", 3 + 4), ("sdq-p2-4", 0)],
)
def test_describe_marks_unverified_bands(instrument_id, unverified_lines):
    text = describe(get_instrument(instrument_id))
    band_lines = [line for line in text.splitlines() if line.startswith("      [")]
    assert sum("[unverified]" in line for line in band_lines) == unverified_lines


def test_describe_marks_the_extrapolated_scheme_and_names_defaults():
    text = describe(get_instrument("sdq-s18"))
    assert "sdq-3band-s11-17-extrapolated: " in text
    assert "(default)" not in text
    scheme_line = next(line for line in text.splitlines() if line.startswith("  sdq-3band-s11-17"))
    assert scheme_line.endswith("[unverified]")
    assert "sdq-4band (default)" in describe(get_instrument("sdq-p4-17"))
    assert "sdq-3band (default)" in describe(get_instrument("sdq-s11-17"))


def test_default_scheme_choice_is_stated_in_the_notes():
    for instrument_id in ("sdq-s11-17", "sdq-p4-17", "sdq-t4-17", "sdq-p2-4", "sdq-s18"):
        notes = get_instrument(instrument_id).notes
        assert any("default scheme" in note.lower() for note in notes)
