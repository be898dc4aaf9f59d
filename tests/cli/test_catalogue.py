"""The generated instrument catalogue covers every registered instrument and marks doubt."""

from __future__ import annotations

import pytest

from trivselscore import INSTRUMENTS
from trivselscore.cli.catalogue import render_catalogue, render_instrument, sources_of


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
