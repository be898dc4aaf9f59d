"""score_frame on pandas, polars and pyarrow: the same scores, the caller's kind of frame back."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trivselscore import (
    INSTRUMENTS,
    AgeRangeError,
    ColumnError,
    IncompleteResponseError,
    ResponseError,
    get_instrument,
    score_batch,
    score_frame,
)
from trivselscore.tabular.frame import AGE_REASON_COLUMN, OUTSIDE_AGE_COLUMN, band_column

IDS = sorted(INSTRUMENTS)
KINDS = ("pandas", "polars", "pyarrow")

Columns = dict[str, list[Any]]


def native(kind: str, columns: Columns) -> Any:
    """The same columns as a pandas DataFrame, a polars DataFrame or a pyarrow Table."""
    if kind == "pandas":
        return pd.DataFrame(columns)
    if kind == "polars":
        return pl.DataFrame(columns)
    return pa.table(columns)


def plain(result: Any) -> dict[str, list[object]]:
    """Any result as column -> Python values, None where missing (NaN, NA, null)."""
    if isinstance(result, pd.DataFrame):
        columns = {name: result[name].astype(object).tolist() for name in result.columns}
    elif isinstance(result, pl.DataFrame):
        columns = result.to_dict(as_series=False)
    else:
        columns = result.to_pydict()
    return {
        name: [
            None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v for v in values
        ]
        for name, values in columns.items()
    }


def answers(instrument_id: str, n: int, seed: int) -> Columns:
    """Random codes by item id, None for about one answer in ten."""
    rng = np.random.default_rng(seed)
    out: Columns = {}
    for item in get_instrument(instrument_id).items:
        codes = rng.choice(np.array(item.codes), n).tolist()
        out[item.id] = [None if rng.random() < 0.1 else c for c in codes]
    return out


def people(n: int, seed: int) -> Columns:
    """Ages 2-25 (some fractional, some missing) and Danish or English sex words (some missing)."""
    rng = np.random.default_rng(seed)
    ages = [
        None if rng.random() < 0.1 else float(rng.choice([2, 4.5, 9, 11, 13.5, 17, 18, 25])) for _ in range(n)
    ]
    words = ["pige", "dreng", "female", "M", None]
    return {"alder": ages, "koen": [words[int(rng.integers(len(words)))] for _ in range(n)]}


def expected(instrument_id: str, columns: Columns, **options: Any) -> dict[str, list[object]]:
    """What every kind must give: score_batch on the same answers, as plain columns."""
    instrument = get_instrument(instrument_id)
    data = np.array(
        [[np.nan if v is None else v for v in columns[i]] for i in instrument.item_ids], dtype=float
    ).T
    data = data.reshape(len(columns[instrument.item_ids[0]]), len(instrument.item_ids))
    batch = score_batch(instrument, data, **options)
    out: dict[str, list[object]] = {
        s: [None if math.isnan(v) else v for v in batch[s].tolist()] for s in instrument.scale_ids
    }
    if batch.scheme is not None:
        for scale_id in instrument.scheme(batch.scheme).scale_ids:
            out[band_column(scale_id)] = batch.bands(scale_id).tolist()
    return out


# --- the same values, bands and flags from every kind ------------------------------------------


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_kind_gives_the_same_columns_and_values(instrument_id):
    columns = answers(instrument_id, n=40, seed=len(instrument_id)) | people(40, seed=7)
    respondent = {"age": "alder", "sex": "koen"}
    results = {
        kind: plain(score_frame(instrument_id, native(kind, columns), respondent=respondent))
        for kind in KINDS
    }
    assert results["polars"] == results["pandas"]
    assert results["pyarrow"] == results["pandas"]
    assert list(results["pandas"])[-2:] == [OUTSIDE_AGE_COLUMN, AGE_REASON_COLUMN]
    by_hand = score_frame(instrument_id, pd.DataFrame(columns), respondent=respondent)
    assert results["pandas"] == plain(by_hand)


@pytest.mark.parametrize("kind", KINDS)
def test_values_and_bands_equal_score_batch(kind):
    for instrument_id in IDS:
        columns = answers(instrument_id, n=25, seed=3)
        got = plain(score_frame(instrument_id, native(kind, columns)))
        assert got == expected(instrument_id, columns), instrument_id


@pytest.mark.parametrize("kind", KINDS)
def test_missing_policy_and_scheme_reach_the_engine(kind):
    instrument = get_instrument("sdq-p4-17")
    columns = answers(instrument.id, n=30, seed=11)
    schemes = [s.id for s in instrument.schemes if s.metric == "score"]
    got = plain(score_frame(instrument, native(kind, columns), missing="prorate", scheme=schemes[-1]))
    assert got == expected(instrument.id, columns, missing="prorate", scheme=schemes[-1])


# --- the caller's kind of frame -------------------------------------------------------------------


def test_pandas_in_pandas_out_with_the_index_kept():
    columns = answers("who5", n=4, seed=1)
    frame = pd.DataFrame(columns, index=pd.Index(["d", "a", "c", "b"], name="elev"))
    result = score_frame("who5", frame)
    assert isinstance(result, pd.DataFrame)
    assert result.index.equals(frame.index)
    assert isinstance(result["percentage_band"].dtype, pd.CategoricalDtype)


def test_polars_in_polars_out_with_an_enum_band_and_nulls():
    columns = {f"who5_{n}": [3, None, 5] for n in range(1, 6)} | {"alder": [15.0, 16.0, 5.0]}
    result = score_frame("who5", pl.DataFrame(columns), respondent={"age": "alder"})
    assert isinstance(result, pl.DataFrame)
    assert result.schema == {
        "raw": pl.Float64,
        "percentage": pl.Float64,
        "percentage_band": pl.Enum(["risk", "no_risk"]),
        OUTSIDE_AGE_COLUMN: pl.Boolean,
        AGE_REASON_COLUMN: pl.String,
    }
    assert result["percentage"].to_list() == [60.0, None, 100.0]
    assert result["percentage"].null_count() == 1  # null, not NaN, where not scored
    assert result["percentage"].is_nan().sum() == 0
    assert result["percentage_band"].to_list() == ["no_risk", None, None]
    assert result[OUTSIDE_AGE_COLUMN].to_list() == [False, False, True]
    assert result[AGE_REASON_COLUMN].to_list()[:2] == [None, None]


def test_pyarrow_in_pyarrow_out_with_a_dictionary_band():
    columns = {f"who5_{n}": [3, None, 1] for n in range(1, 6)}
    result = score_frame("who5", pa.table(columns))
    assert isinstance(result, pa.Table)
    assert result.schema.field("raw").type == pa.float64()
    assert pa.types.is_dictionary(result.schema.field("percentage_band").type)
    assert result.column("percentage").to_pylist() == [60.0, None, 20.0]
    assert result.column("percentage").null_count == 1
    assert result.column("percentage_band").to_pylist() == ["no_risk", None, "risk"]


def test_a_narwhals_frame_gives_a_narwhals_frame_of_the_same_library():
    columns = answers("who5", n=5, seed=2)
    wrapped = nw.from_native(pl.DataFrame(columns), eager_only=True)
    result = score_frame("who5", wrapped)
    assert isinstance(result, nw.DataFrame)
    assert isinstance(result.to_native(), pl.DataFrame)
    assert plain(result.to_native()) == plain(score_frame("who5", pd.DataFrame(columns)))


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_an_empty_table_gives_an_empty_table_with_every_column(kind):
    instrument = get_instrument("who5")
    columns = {item_id: pa.array([], pa.int64()) for item_id in instrument.item_ids}
    table = pa.table(columns)
    frame: Any = pl.from_arrow(table) if kind == "polars" else table
    result = score_frame(instrument, frame)
    assert type(result) is type(frame)
    assert plain(result) == {"raw": [], "percentage": [], "percentage_band": []}


# --- nulls and numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_null_and_nan_are_unanswered_and_ints_floats_mix(kind):
    ints = pl.Series([3, None, 2, 1], dtype=pl.Int8)
    floats = pl.Series([3.0, float("nan"), None, 1.0], dtype=pl.Float32)
    frame = pl.DataFrame(
        {"who5_1": ints, "who5_2": floats} | {f"who5_{n}": [3, 3, 3, 3] for n in range(3, 6)}
    )
    table = frame if kind == "polars" else frame.to_arrow()
    got = plain(score_frame("who5", table, missing="prorate"))
    data = np.array(
        [[3, 3, 3, 3, 3], [np.nan, np.nan, 3, 3, 3], [2, np.nan, 3, 3, 3], [1, 1, 3, 3, 3]], dtype=float
    )
    batch = score_batch("who5", data, missing="prorate")
    assert got["percentage"] == [None if math.isnan(v) else v for v in batch["percentage"].tolist()]


# --- errors name the row position and the column -------------------------------------------------


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
@pytest.mark.parametrize(
    ("cell", "problem"),
    [("3", "'3' is a string, not a number"), (True, "True is a boolean, not a number")],
)
def test_a_bad_cell_names_the_row_position_column_and_value(kind, cell, problem):
    other = "2" if isinstance(cell, str) else False
    columns = {f"who5_{n}": [3, 3, 3] for n in range(1, 6)} | {"who5_2": [None, cell, other]}
    with pytest.raises(ResponseError, match=rf"^who5: row 1 \(0-based\), column 'who5_2': {problem}") as info:
        score_frame("who5", native(kind, columns))
    assert (info.value.row, info.value.value) == (1, cell)


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_a_bad_code_and_a_missing_answer_name_the_row_position(kind):
    columns: Columns = {f"who5_{n}": [3, 3, 3] for n in range(1, 6)} | {"who5_4": [3, 1, 9]}
    with pytest.raises(
        ResponseError, match=r"row 2 \(0-based\), column 'who5_4': item '4': 9 is not an allowed"
    ):
        score_frame("who5", native(kind, columns))
    columns["who5_4"] = [3, None, 1]
    with pytest.raises(
        IncompleteResponseError, match=r"row 1 \(0-based\), column 'who5_4': item '4' is unanswered"
    ):
        score_frame("who5", native(kind, columns), missing="raise")


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_bad_respondent_values_name_the_row_position(kind):
    columns: Columns = {f"who5_{n}": [3, 3, 3] for n in range(1, 6)} | {
        "alder": [20.0, 8.0, 200.0],
        "koen": ["K", "X", None],
    }
    with pytest.raises(ResponseError, match=r"row 2 \(0-based\), column 'alder': age 200.0 is not in 0-130"):
        score_frame("who5", native(kind, columns), respondent={"age": "alder"})
    with pytest.raises(ResponseError, match=r"row 1 \(0-based\), column 'koen': sex 'X' is not one of"):
        score_frame("who5", native(kind, columns), respondent={"sex": "koen"})
    columns["alder"] = [20.0, 8.0, 30.0]
    with pytest.raises(
        AgeRangeError, match=r"^who5: row 1 \(0-based\), column 'alder': age 8 is outside 9-130"
    ):
        score_frame("who5", native(kind, columns), respondent={"age": "alder"}, age_policy="raise")


def test_a_decimal_or_text_column_is_not_coerced():
    frame = pl.DataFrame({f"who5_{n}": [3, 3] for n in range(1, 6)}).with_columns(
        pl.col("who5_5").cast(pl.Decimal(5, 0))
    )
    with pytest.raises(
        ResponseError, match=r"row 0 \(0-based\), column 'who5_5': Decimal\('3'\) is a Decimal"
    ):
        score_frame("who5", frame)
    text = pa.table({f"who5_{n}": ["3", "3"] for n in range(1, 6)})
    with pytest.raises(ResponseError, match="cast it to an integer type"):
        score_frame("who5", text)


def test_what_is_not_a_table_is_a_type_error_naming_what_is_accepted():
    accepted = "a pandas DataFrame, a polars DataFrame or a pyarrow Table"
    for wrong in ({"who5_1": [3]}, [[3, 3, 3, 3, 3]], "who5_1\n3"):
        with pytest.raises(TypeError, match=f"frame must be {accepted}, not {type(wrong).__name__}"):
            score_frame("who5", wrong)  # type: ignore[type-var]
    lazy = pl.DataFrame({f"who5_{n}": [3] for n in range(1, 6)}).lazy()
    with pytest.raises(TypeError, match=r"cannot read a LazyFrame .*collect\(\) it first"):
        score_frame("who5", lazy)  # type: ignore[type-var]
    with pytest.raises(TypeError, match="cannot read a Series"):
        score_frame("who5", pl.Series("who5_1", [3]))  # type: ignore[type-var]


def test_duplicate_arrow_column_names_are_a_column_error():
    table = pa.table([pa.array([3])] * 6, names=["who5_1", "who5_2", "who5_3", "who5_4", "who5_5", "who5_5"])
    with pytest.raises(ColumnError, match="column names must be unique"):
        score_frame("who5", table)


def test_explicit_columns_and_not_collected_items_work_on_polars():
    frame = pl.DataFrame({"a": [3, 4], "b": [3, 4], "c": [3, 4], "d": [3, 4]})
    names = {"1": "a", "2": "b", "3": "c", "4": "d", "5": None}
    got = plain(score_frame("who5", frame, columns=names, missing="prorate"))
    same = plain(score_frame("who5", frame.to_pandas(), columns=names, missing="prorate"))
    assert got == same


# --- a property: random answer matrices with nulls, the same from every kind ---------------------


@st.composite
def answer_tables(draw: st.DrawFn) -> tuple[str, Columns]:
    instrument = get_instrument(draw(st.sampled_from(IDS)))
    n = draw(st.integers(min_value=0, max_value=12))
    columns = {
        item.id: draw(st.lists(st.none() | st.sampled_from(item.codes), min_size=n, max_size=n))
        for item in instrument.items
    }
    return instrument.id, columns


@given(answer_tables(), st.sampled_from([None, "prorate", "propagate"]))
def test_property_every_kind_scores_alike(table, missing):
    instrument_id, columns = table
    typed = {name: pa.array(values, pa.int64()) for name, values in columns.items()}
    arrow = pa.table(typed)
    frames: dict[str, Any] = {
        "pandas": pd.DataFrame({k: pd.array(v, dtype="Int64") for k, v in columns.items()}),
        "polars": pl.from_arrow(arrow),
        "pyarrow": arrow,
    }
    results = {
        kind: plain(score_frame(instrument_id, frame, missing=missing)) for kind, frame in frames.items()
    }
    assert results["polars"] == results["pandas"]
    assert results["pyarrow"] == results["pandas"]
    assert results["pandas"] == expected(instrument_id, columns, missing=missing)


# --- pandas and narwhals: what needs what --------------------------------------------------------


def test_scoring_polars_and_a_polars_cohort_do_not_import_pandas():
    code = (
        "import sys, polars as pl\n"
        "from trivselscore import score_frame\n"
        "from trivselscore.cohort import Cohort\n"
        "items = {f'who5_{n}': [3, 4, None, 2] for n in range(1, 6)}\n"
        "scored = score_frame('who5', pl.DataFrame(items))\n"
        "assert isinstance(scored, pl.DataFrame), type(scored)\n"
        "long = pl.DataFrame({'person': [1, 1, 2, 2], 'time': ['a', 'b', 'a', 'b']} | items)\n"
        "cohort = Cohort.from_long(long, 'who5', time_points=['a', 'b'])\n"
        "cohort.summary('percentage').to_dict()\n"
        "print('pandas' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_pyarrow_tables_are_scored_with_pandas_blocked():
    # pyarrow imports pandas by itself (when installed) as soon as it builds an array, so here
    # pandas is made unimportable instead: the arrow path must not need it at all.
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] == 'pandas':\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import pyarrow as pa\n"
        "from trivselscore import score_frame\n"
        "from trivselscore.cohort import Cohort\n"
        "items = {f'who5_{n}': [3, 4, None, 2] for n in range(1, 6)}\n"
        "scored = score_frame('who5', pa.table(items))\n"
        "assert isinstance(scored, pa.Table), type(scored)\n"
        "long = pa.table({'person': [1, 1, 2, 2], 'time': ['a', 'b', 'a', 'b']} | items)\n"
        "cohort = Cohort.from_long(long, 'who5', time_points=['a', 'b'])\n"
        "print(scored.column('percentage').to_pylist(), len(cohort.summary('percentage').rows))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[60.0, 80.0, None, 40.0] 2"


def test_pandas_needs_no_narwhals_but_polars_does(monkeypatch):
    columns = answers("who5", n=6, seed=5)
    before = plain(score_frame("who5", pd.DataFrame(columns)))
    monkeypatch.setitem(sys.modules, "narwhals", None)
    assert plain(score_frame("who5", pd.DataFrame(columns))) == before
    with pytest.raises(ImportError, match=r'pip install "trivselscore\[frames\]"'):
        score_frame("who5", pl.DataFrame(columns))
