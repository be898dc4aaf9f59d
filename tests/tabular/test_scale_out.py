"""The Dask recipe of docs/scale-out.md, run on a small local frame when dask is installed."""

from __future__ import annotations

import numpy as np
import pytest

from trivselscore import get_instrument, score_frame

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")


def test_map_partitions_equals_one_frame():
    instrument = get_instrument("sdq-p4-17")
    rng = np.random.default_rng(7)
    names = {
        item.id: "p" + next(n for n in (*item.aliases, item.id) if n[:1].isalpha())
        for item in instrument.items
    }
    frame = pd.DataFrame(
        {names[item.id]: rng.choice(np.array(item.codes, dtype=float), 500) for item in instrument.items},
        index=pd.RangeIndex(500, name="elev"),
    )
    frame = frame.mask(rng.random(frame.shape) < 0.05)
    expected = score_frame(instrument, frame)

    # the recipe: meta from an empty frame, one score_frame per partition
    parts = dd.from_pandas(frame, npartitions=4)
    meta = score_frame(instrument, frame.iloc[:0])
    scored = parts.map_partitions(lambda part: score_frame(instrument, part), meta=meta)
    scored = scored.compute()  # the default scheduler: threads

    pd.testing.assert_frame_equal(scored, expected)
    assert scored.index.equals(frame.index)
