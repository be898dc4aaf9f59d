"""SDQ citations (issue 13, item 8c): the official youthinmind syntax, not a community R script.

The definitions cited gbiele/masterfile ``scripts4tests/sdq.R`` (and sdqinfo.org/c9.html, the
R syntax it claims to copy) as the source of the official rules; stored versions of that
script score impact like a prorated scale (shared/reference/external-checks.md). What was
checked is a public copy of the official Stata syntax, so the tag stays verified-secondary.
"""

from __future__ import annotations

import pytest

from trivselscore import INSTRUMENTS, get_instrument
from trivselscore.cli.catalogue import sources_of

SDQ_IDS = sorted(i for i in INSTRUMENTS if i.startswith("sdq"))
OFFICIAL_SYNTAX = ("https://www.sdqinfo.org/c1.html", "https://www.sdqinfo.org/c3.html")


def _text(source: object) -> str:
    return " ".join(str(getattr(source, name) or "") for name in ("citation", "url", "note"))


@pytest.mark.parametrize("instrument_id", SDQ_IDS)
def test_no_sdq_rule_is_sourced_from_a_community_r_script(instrument_id):
    for where, source in sources_of(get_instrument(instrument_id)):
        citation = source.citation
        assert "masterfile" not in citation, where
        assert "scripts4tests" not in citation, where
        assert source.url != "http://www.sdqinfo.org/c9.html", where


@pytest.mark.parametrize("instrument_id", SDQ_IDS)
def test_scale_keys_and_impact_cite_the_official_syntax_and_the_copy_checked(instrument_id):
    instrument = get_instrument(instrument_id)
    for scale in instrument.scales:
        sources = [scale.source]
        if scale.id == "impact":
            sources = [scale.source, *(r.source for r in scale.recode)]
        for source in sources:
            if "syntax" not in source.citation.lower():
                continue
            # seen in a copy, not in youthinmind's own file: never tagged "verified"
            assert source.status == "verified-secondary", (scale.id, source.citation)
    keys = next(s.source for s in instrument.scales if s.id == "emotional")
    assert keys.url in OFFICIAL_SYNTAX
    for scale in instrument.scales:
        if "official" in scale.source.citation.lower() and "syntax" in scale.source.citation.lower():
            assert "public copy of the official Stata syntax" in _text(scale.source), scale.id


def test_teacher_impact_cites_the_official_syntax_and_names_the_copy():
    impact = get_instrument("sdq-t4-17").scale("impact")
    assert impact.source.url in OFFICIAL_SYNTAX
    assert "public copy of the official Stata syntax" in _text(impact.source)
    assert impact.source.status == "verified-secondary"


def test_parent_band_cut_points_do_not_claim_the_official_syntax_url():
    parent = get_instrument("sdq-p4-17")
    four_band = next(s for s in parent.schemes if s.id == "sdq-4band")
    source = four_band.source
    assert source.url is None
    assert "community R script" in source.citation
    assert "no bands" in _text(source)
