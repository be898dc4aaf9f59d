"""The Study of a Dask DataFrame equals the one-process Study: every per-row array, every report cell.

Scored on a local cluster of two worker processes (``distributed.LocalCluster``),
the realistic export (200 young people, four measures, SDQ's two versions chosen
by age, four time points) split into partitions that cut through persons' rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.study.realistic import INSTRUMENTS, STUDY_TOML, rows
from trivselscore.errors import CohortDataError, ResponseError
from trivselscore.report.build import SEX_GROUP, build
from trivselscore.report.config import parse_config
from trivselscore.report.html import render_html
from trivselscore.study import Study
from trivselscore.study.dask import from_dask

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

OPTIONS: dict[str, Any] = {
    "instruments": INSTRUMENTS,
    "time_points": ["start", "efter samtaler", "efter forløb", "3 mdr"],
    "person": "id",
    "time": "tidspunkt",
    "groups": ["forløb", SEX_GROUP],
    "sex": "køn",
    "age": "alder",
}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    data = pd.DataFrame(rows(n_persons=120))
    data[SEX_GROUP] = data["køn"]  # the report's sex group: constant per person here
    return data


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def both(frame, client) -> tuple[Study, Study]:
    one = Study.from_long(frame, **OPTIONS)
    spread = from_dask(dd.from_pandas(frame, npartitions=5), **OPTIONS)
    assert client.scheduler_info()["workers"]  # scored on the cluster's workers
    return one, spread


def test_every_per_row_array_is_the_same(both):
    one, spread = both
    assert (spread.n_persons, spread.n_rows) == (one.n_persons, one.n_rows)
    for name, measure in one.measures.items():
        other = spread.measure(name)
        assert other.chosen_by == measure.chosen_by
        assert other.not_collected == measure.not_collected
        np.testing.assert_array_equal(other.given, measure.given)
        np.testing.assert_array_equal(other.version, measure.version)
        np.testing.assert_array_equal(other.outside, measure.outside)
        assert other.forms() == measure.forms()
        for scale in measure.scale_ids:
            np.testing.assert_array_equal(other.values[scale], measure.values[scale])  # noqa: PD011 - a dict
            np.testing.assert_array_equal(other.t_scores(scale), measure.t_scores(scale))
            schemes = {s.id for v in measure.versions for s in v.schemes if scale in s.scale_ids}
            for scheme in [None, *sorted(schemes)]:
                try:
                    expected = measure.bands(scale, scheme)
                except ValueError:
                    with pytest.raises(ValueError, match="bands scale"):
                        other.bands(scale, scheme)
                    continue
                got = other.bands(scale, scheme)
                assert got[0] == expected[0]
                assert got[1].tolist() == expected[1].tolist()


def test_every_report_cell_is_the_same(both):
    one, spread = both
    for by in ([], ["forløb"]):
        pd.testing.assert_frame_equal(spread.coverage(by=by).to_frame(), one.coverage(by=by).to_frame())
        pd.testing.assert_frame_equal(
            spread.change("start", "3 mdr", by=by).to_frame(), one.change("start", "3 mdr", by=by).to_frame()
        )
    config = parse_config(STUDY_TOML)
    pages = [
        render_html(build(config, study), data_name="x", library="0", date="2026-01-01") for study in both
    ]
    assert pages[0] == pages[1]


def test_an_answer_that_is_no_code_names_its_row_in_the_whole_frame(frame):
    bad = frame.copy()
    bad.loc[150, "who5_1"] = 9
    with pytest.raises(ResponseError, match=r"row 150 \(person "):
        from_dask(dd.from_pandas(bad, npartitions=4), **OPTIONS).measure("who5")
    with pytest.raises(ResponseError, match=r"row 150 \(person "):
        Study.from_long(bad, **OPTIONS)


def test_checks_across_partitions_run_on_the_whole_frame(frame):
    twice = pd.concat([frame, frame.iloc[[3]]], ignore_index=True)
    with pytest.raises(Exception, match="duplicate") as spread:
        from_dask(dd.from_pandas(twice, npartitions=4), **OPTIONS)
    with pytest.raises(Exception, match="duplicate") as one:
        Study.from_long(twice, **OPTIONS)
    assert str(spread.value) == str(one.value)


def test_a_frame_without_rows_is_refused_as_in_one_process(frame):
    with pytest.raises(CohortDataError, match="no rows"):
        from_dask(dd.from_pandas(frame.iloc[:0], npartitions=1), **OPTIONS)


def test_in_this_process_too(frame):
    dask = pytest.importorskip("dask")
    one = Study.from_long(frame, **OPTIONS)
    with dask.config.set(scheduler="sync"):
        spread = from_dask(dd.from_pandas(frame, npartitions=3), **OPTIONS)
    for name, measure in one.measures.items():
        np.testing.assert_array_equal(spread.measure(name).version, measure.version)
        scale = "total" if "total" in measure.scale_ids else measure.scale_ids[0]
        keys, ids = measure.bands(scale, None)
        assert spread.measure(name).bands(scale, None)[1].tolist() == ids.tolist()
        assert spread.measure(name).bands(scale, None)[0] == keys
