"""Published reliable-change parameters on SDQ and MFQ scales reproduce the fact sheets' examples.

- sdq-scas.md section 5: self-report total, SD 5.0 (Vugteveen 2022), r 0.62 (Goodman 2001 mean
  retest) -> SEdiff 4.36, reliable change >= 8.5 points [derived].
- who5-mfq.md section 2.8: MFQ long, SD 9.5, r 0.84 (Sund 2001) -> SEdiff 5.4, reliable change
  10.5 points [derived].
"""

from __future__ import annotations

import pytest

from trivselscore import INSTRUMENTS, classify_change


def test_sdq_self_total_threshold():
    params = INSTRUMENTS["sdq-s11-17"].scale("total").change
    assert params is not None
    assert params.se_difference == pytest.approx(4.36, abs=0.01)
    assert classify_change(
        "sdq-s11-17", "total", 20, 12, method="reliable_change"
    ).rule.threshold == pytest.approx(8.54, abs=0.01)
    assert params.source.status == "derived"  # r is a mean over all SDQ scores, not scale-specific
    assert params.sd_source is not None
    assert params.sd_source.status == "verified"


@pytest.mark.parametrize(
    ("before", "after", "category"),
    [(20, 11, "improvement"), (20, 12, "status_quo"), (11, 20, "decline"), (12, 20, "status_quo")],
)
def test_sdq_self_total_categories_on_both_sides(before, after, category):
    # 9 points > 8.54 is reliable; 8 points is not (symptom scale: lower is better).
    assert (
        classify_change("sdq-s11-17", "total", before, after, method="reliable_change").category == category
    )


def test_sdq_prosocial_direction_is_higher_is_better():
    assert (
        classify_change("sdq-s11-17", "prosocial", 4, 8, method="reliable_change").category == "improvement"
    )
    assert classify_change("sdq-s11-17", "prosocial", 8, 4, method="reliable_change").category == "decline"


def test_sdq_parent_has_total_and_prosocial_only():
    parent = INSTRUMENTS["sdq-p4-17"]
    total = parent.scale("total").change
    assert total is not None
    assert total.sd == 5.6
    assert parent.scale("prosocial").change is not None
    assert parent.scale("emotional").change is None


def test_mfq_child_threshold():
    params = INSTRUMENTS["mfq-c"].scale("total").change
    assert params is not None
    assert params.se_difference == pytest.approx(5.37, abs=0.01)
    result = classify_change("mfq-c", "total", 30, 19, method="reliable_change")
    assert result.rule.threshold == pytest.approx(10.5, abs=0.05)
    assert result.category == "improvement"
    assert classify_change("mfq-c", "total", 30, 20, method="reliable_change").category == "status_quo"


@pytest.mark.parametrize("instrument_id", ["scas-c", "sdq-s18", "mfq-p", "mfq-a", "smfq-a"])
def test_no_published_values_means_the_caller_must_pass_them(instrument_id):
    with pytest.raises(ValueError, match="sd="):
        classify_change(instrument_id, "total", 10, 5, method="reliable_change")
