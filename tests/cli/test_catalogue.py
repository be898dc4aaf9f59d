"""The generated instrument catalogue covers every registered instrument and marks doubt."""

from __future__ import annotations

import pytest

from trivselscore import INSTRUMENTS
from trivselscore.cli.catalogue import band_interval, render_catalogue, render_instrument, sources_of
from trivselscore.cli.commands import describe
from trivselscore.definitions.model import Band
from trivselscore.definitions.norms import T_SCORE_LIMITS


def test_catalogue_lists_every_registered_instrument():
    text = render_catalogue()
    for instrument_id, instrument in INSTRUMENTS.items():
        assert f"[`{instrument_id}`](#{instrument_id})" in text
        assert f"## `{instrument_id}`: {instrument.name} {{ #{instrument_id} }}" in text


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_instrument_page_shows_items_scales_schemes_and_licence(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    text = render_instrument(instrument)
    assert instrument.licence in text
    for item in instrument.items:
        assert f"| {item.id} | {item.theme} |" in text
    for scale in instrument.scales:
        assert f"| `{scale.id}` {scale.label_en}" in text
    for scheme in instrument.schemes:
        assert f"#### `{scheme.id}`" in text
    assert "### What is verified" in text


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_every_unverified_source_is_listed_as_such(instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    text = render_instrument(instrument)
    unverified = [where for where, source in sources_of(instrument) if source.status == "unverified"]
    for where in unverified:
        assert f"- {where}: " in text
    if unverified:
        assert "**UNVERIFIED**" in text


def test_who5_unverified_band_is_marked():
    text = render_instrument(INSTRUMENTS["who5"])
    assert "| `percentage` | all | `likely_depression` | [0, 28] |" in text
    assert "- band likely_depression of percentage in who-form: Percentage 28 or below" in text
    assert "#### `risk` (default)" in text


def test_change_parameters_are_shown_with_their_sources():
    text = render_instrument(INSTRUMENTS["who5"])
    assert "| `percentage` | minimal important change | 10 points (WHO-5 form scoring box" in text
    assert "| `percentage` | reliable change (Jacobson & Truax) | SD 19.5" in text
    assert "None published" in render_instrument(INSTRUMENTS["scas-c"])
    where = [w for w, _ in sources_of(INSTRUMENTS["sdq-s11-17"])]
    assert "reliability of total" in where
    assert "SD of total" in where


# --- T-score bands (issue 13, item 8a): shown as conditions, not the -1000/1000 stand-ins ---------

T_SCHEMES = [
    (instrument_id, scheme.id)
    for instrument_id, instrument in sorted(INSTRUMENTS.items())
    for scheme in instrument.schemes
    if scheme.metric == "t_score"
]


def test_scas_t60_bands_read_t_below_60_and_t_60_or_above():
    text = render_instrument(INSTRUMENTS["scas-c"])
    assert "| `total` | all | `normal` | T < 60 |" in text
    assert "| `total` | all | `elevated` | T >= 60 |" in text


@pytest.mark.parametrize(("instrument_id", "scheme_id"), T_SCHEMES)
def test_no_t_score_band_shows_the_placeholder_limits(instrument_id, scheme_id):
    instrument = INSTRUMENTS[instrument_id]
    low, high = T_SCORE_LIMITS
    for table in instrument.scheme(scheme_id).cutoffs:
        for band in table.bands:
            shown = band_interval(band, "t_score")
            assert f"{low:g}" not in shown
            assert f"{high:g}" not in shown
            assert "T" in shown
    page = render_instrument(instrument)
    assert f"[{low:g}," not in page
    assert f" {high:g}]" not in page


def _band(lower: float, upper: float, *, lower_inclusive: bool = True, upper_inclusive: bool = False) -> Band:
    return Band(
        id="b",
        label_en="band",
        label_da="bånd",
        lower=lower,
        upper=upper,
        lower_inclusive=lower_inclusive,
        upper_inclusive=upper_inclusive,
    )


LOW, HIGH = T_SCORE_LIMITS


@pytest.mark.parametrize(
    ("band", "shown"),
    [
        (_band(LOW, 60), "T < 60"),
        (_band(LOW, 60, upper_inclusive=True), "T <= 60"),
        (_band(60, HIGH, upper_inclusive=True), "T >= 60"),
        (_band(60, HIGH, lower_inclusive=False, upper_inclusive=True), "T > 60"),
        (_band(55, 60), "55 <= T < 60"),
        (_band(55, 60, lower_inclusive=False, upper_inclusive=True), "55 < T <= 60"),
        (_band(LOW, HIGH, upper_inclusive=True), "any T"),
    ],
)
def test_band_interval_on_t_scores(band, shown):
    assert band_interval(band, "t_score") == shown


def test_band_interval_on_scores_is_the_interval():
    assert band_interval(_band(0, 50)) == "[0, 50)"
    assert band_interval(_band(LOW, 60), "score") == "[-1000, 60)"


def test_describe_shows_scas_t60_bands_as_conditions_on_t():
    # `trivselscore describe scas-c` printed "[-1000, 60) normal" and "[60, 1000] elevated"
    text = describe(INSTRUMENTS["scas-c"])
    assert "      T < 60 normal: normal range (T below 60)" in text
    assert "      T >= 60 elevated: " in text
    assert "-1000" not in text
    assert "1000]" not in text
