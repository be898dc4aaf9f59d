"""score_frame: column discovery, dtypes, index, respondents, errors, and no pandas in the core import."""

from __future__ import annotations

import pickle
import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from trivselscore import (
    INSTRUMENTS,
    BatchScores,
    ColumnError,
    IncompleteResponseError,
    Item,
    Respondent,
    ResponseError,
    get_instrument,
    score_batch,
    score_frame,
)
from trivselscore.tabular.columns import candidate_names, find_columns, informant_prefix, scored_items

pd = pytest.importorskip("pandas")

IDS = sorted(INSTRUMENTS)


def answers(instrument_id: str, n: int = 40, seed: int = 0, missing: float = 0.1) -> np.ndarray:
    instrument = get_instrument(instrument_id)
    rng = np.random.default_rng(seed)
    data = np.column_stack([rng.choice(np.array(item.codes, dtype=float), n) for item in instrument.items])
    data[rng.random(data.shape) < missing] = np.nan
    return data


def frame_of(
    instrument_id: str, data: np.ndarray, names: list[str] | None = None, index: object = None
) -> Any:
    instrument = get_instrument(instrument_id)
    names = names or list(instrument.item_ids)
    return pd.DataFrame(data, columns=names, index=index)


def expected(instrument_id: str, data: np.ndarray, **kw: Any) -> BatchScores:
    return score_batch(instrument_id, data, **kw)


def assert_matches(result: Any, batch: BatchScores) -> None:
    instrument = batch.instrument
    for scale_id in instrument.scale_ids:
        np.testing.assert_array_equal(result[scale_id].to_numpy(), batch[scale_id])
    if batch.scheme is not None:
        for scale_id in instrument.scheme(batch.scheme).scale_ids:
            got = result[f"{scale_id}_band"].astype(object).where(result[f"{scale_id}_band"].notna(), None)
            assert got.tolist() == batch.bands(scale_id).tolist()


@pytest.mark.parametrize("instrument_id", IDS)
def test_item_ids_float_nan_equals_score_batch(instrument_id):
    data = answers(instrument_id)
    result = score_frame(instrument_id, frame_of(instrument_id, data))
    assert_matches(result, expected(instrument_id, data))
    scales = list(get_instrument(instrument_id).scale_ids)
    assert list(result.columns[: len(scales)]) == scales
    assert all(str(result[s].dtype) == "float64" for s in scales)


def variable_name(item: Item) -> str:
    """The first name of an item that starts with a letter (the sdqinfo style), else its id."""
    return next((n for n in (*item.aliases, item.id) if n[:1].isalpha()), item.id)


@pytest.mark.parametrize("instrument_id", IDS)
def test_aliases_with_and_without_informant_prefix(instrument_id):
    instrument = get_instrument(instrument_id)
    data = answers(instrument_id, seed=1)
    plain = [next(iter(item.aliases), item.id) for item in instrument.items]
    prefix = informant_prefix(instrument)
    prefixed = [
        prefix + variable_name(item) if variable_name(item)[:1].isalpha() else item.id
        for item in instrument.items
    ]
    batch = expected(instrument_id, data)
    assert_matches(score_frame(instrument_id, frame_of(instrument_id, data, plain)), batch)
    assert_matches(score_frame(instrument_id, frame_of(instrument_id, data, prefixed)), batch)


def test_sdqinfo_names_per_informant_and_upper_case():
    data = answers("sdq-p4-17", seed=2)
    instrument = get_instrument("sdq-p4-17")
    names = [("P" + variable_name(item)).upper() for item in instrument.items]
    frame = frame_of("sdq-p4-17", data, names)
    frame["TCONSID"] = 2  # a teacher column in the same file is not the parent's item
    assert "PEBDDIFF" in names
    assert_matches(score_frame("sdq-p4-17", frame), expected("sdq-p4-17", data))
    assert candidate_names(instrument)["1"][-1] == "pconsid"
    assert informant_prefix(get_instrument("sdq-t4-17")) == "t"


def test_index_and_row_order_are_kept():
    data = answers("who5", n=6, missing=0)
    index = pd.Index([10, 3, 7, 7, -1, 0], name="elev")
    result = score_frame("who5", frame_of("who5", data, index=index))
    assert result.index.equals(index)
    np.testing.assert_array_equal(result["raw"].to_numpy(), np.nansum(data, axis=1))


def test_integer_and_nullable_dtypes():
    data = answers("who5", n=8, missing=0).astype(int)
    ints = frame_of("who5", data)
    nullable = ints.astype("Int64")
    nullable.iloc[2, 1] = pd.NA
    floats = nullable.astype("Float64")
    with_nan = data.astype(float)
    with_nan[2, 1] = np.nan
    assert_matches(score_frame("who5", ints), expected("who5", data))
    assert_matches(score_frame("who5", nullable), expected("who5", with_nan))
    assert_matches(score_frame("who5", floats), expected("who5", with_nan))
    objects = ints.astype(object)
    objects.iloc[0, 0] = None
    with_none = data.astype(float)
    with_none[0, 0] = np.nan
    assert_matches(score_frame("who5", objects), expected("who5", with_none))


@pytest.mark.parametrize(
    ("cell", "problem"),
    [("3", "is a string"), (True, "is a boolean"), ("abc", "is a string"), (b"1", "is a bytes")],
)
def test_non_numeric_cells_name_row_column_and_value(cell, problem):
    frame = frame_of("who5", answers("who5", n=3, missing=0), names=["who5_1", "2", "3", "4", "5"])
    frame.index = ["x", "y", "z"]
    frame = frame.astype(object)
    frame.loc["y", "who5_1"] = cell
    with pytest.raises(ResponseError, match=rf"index 'y', column 'who5_1': .* {problem}") as info:
        score_frame("who5", frame)
    assert info.value.row == 1


def test_an_int_too_large_for_a_float_is_a_response_error_not_an_overflow():
    frame = frame_of("who5", answers("who5", n=3, missing=0), names=["who5_1", "2", "3", "4", "5"])
    frame.index = ["x", "y", "z"]
    frame = frame.astype(object)
    frame.loc["y", "who5_1"] = 10**400
    with pytest.raises(ResponseError, match=r"index 'y', column 'who5_1': 1000.* is too large") as info:
        score_frame("who5", frame)
    assert info.value.row == 1


def test_an_age_too_large_for_a_float_is_a_response_error_not_an_overflow():
    frame = frame_of("who5", answers("who5", n=2, missing=0), index=[1, 2])
    frame["alder"] = pd.Series([14, 10**400], index=[1, 2], dtype=object)
    with pytest.raises(ResponseError, match=r"index 2, column 'alder': 1000.* is too large"):
        score_frame("who5", frame, respondent={"age": "alder"})


def test_string_dtype_column_is_an_error():
    frame = frame_of("who5", answers("who5", n=2, missing=0))
    frame["3"] = frame["3"].astype(int).astype(str)
    with pytest.raises(ResponseError, match=r"column '3'.* is a string, not a number"):
        score_frame("who5", frame)


@pytest.mark.parametrize(("value", "problem"), [(3.5, "not a whole number"), (9, "not an allowed code")])
def test_bad_code_names_row_label_and_column(value, problem):
    frame = frame_of("who5", answers("who5", n=3, missing=0), names=[f"who5_{i}" for i in range(1, 6)])
    frame.index = ["a", "b", "c"]
    frame.loc["c", "who5_4"] = value
    with pytest.raises(ResponseError, match=rf"index 'c', column 'who5_4': item '4': .*{problem}") as info:
        score_frame("who5", frame)
    assert (info.value.item_id, info.value.row) == ("4", 2)


def test_missing_raise_names_row_label():
    frame = frame_of("who5", answers("who5", n=2, missing=0), index=["p", "q"])
    frame.loc["q", "2"] = np.nan
    with pytest.raises(IncompleteResponseError, match="index 'q', column '2': item '2' is unanswered"):
        score_frame("who5", frame, missing="raise")


def test_explicit_columns_win_and_can_mark_items_not_collected():
    data = answers("who5", n=5, missing=0)
    frame = frame_of("who5", data)
    frame["spare"] = 0
    swapped = score_frame("who5", frame, columns={"1": "spare", "who5_2": "1"})
    changed = data.copy()
    changed[:, 0] = 0
    changed[:, 1] = data[:, 0]
    assert_matches(swapped, expected("who5", changed))
    blank = score_frame("who5", frame.drop(columns="5"), columns={"5": None}, missing="prorate")
    gone = data.copy()
    gone[:, 4] = np.nan
    assert_matches(blank, expected("who5", gone, missing="prorate"))


def test_missing_column_error_lists_what_was_found():
    frame = frame_of("who5", answers("who5", n=2)).drop(columns=["4"])
    with pytest.raises(ColumnError) as info:
        score_frame("who5", frame)
    error = info.value
    assert error.missing == ("4",)
    assert error.found == {"1": "1", "2": "2", "3": "3", "5": "5"}
    assert "tried 4, who5_4, swho5_4" in str(error)
    assert isinstance(error, ResponseError)
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (again.missing, again.found, str(again)) == (error.missing, error.found, str(error))


def test_ambiguous_columns_error():
    frame = frame_of("who5", answers("who5", n=2))
    frame["WHO5_1"] = 1
    with pytest.raises(ColumnError, match="ambiguous: 1 matches '1', 'WHO5_1'") as info:
        score_frame("who5", frame)
    assert info.value.ambiguous == {"1": ("1", "WHO5_1")}
    duplicated = pd.concat([frame_of("who5", answers("who5", n=2)), frame[["2"]]], axis=1)
    with pytest.raises(ColumnError, match="2 matches '2', '2'"):
        score_frame("who5", duplicated)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"nope": "1"}, "unknown item 'nope'"),
        ({"1": "absent"}, "column 'absent' for item '1' does not exist"),
        ({"1": "1", "who5_1": "2"}, "item '1' is mapped twice"),
    ],
)
def test_bad_explicit_columns(columns, message):
    with pytest.raises(ColumnError, match=message):
        score_frame("who5", frame_of("who5", answers("who5", n=1)), columns=columns)


def test_unscored_items_may_be_absent():
    instrument = get_instrument("sdq-s11-17")
    unscored = [i for i in instrument.item_ids if i not in scored_items(instrument)]
    assert unscored
    data = answers("sdq-s11-17", seed=3)
    frame = frame_of("sdq-s11-17", data).drop(columns=unscored)
    data[:, [instrument.item_ids.index(i) for i in unscored]] = np.nan
    assert_matches(score_frame("sdq-s11-17", frame), expected("sdq-s11-17", data))
    positions = find_columns(instrument, list(frame.columns))
    assert all(positions[i] is None for i in unscored)


def test_respondent_columns_and_constant_respondent():
    instrument_id = next(
        (
            i
            for i in IDS
            if any(t.sex or t.min_age is not None for s in INSTRUMENTS[i].schemes for t in s.cutoffs)
        ),
        "who5",
    )
    data = answers(instrument_id, n=6, seed=4)
    frame = frame_of(instrument_id, data)
    frame["alder"] = [12, 15.5, np.nan, 9, 14, 16]
    frame["koen"] = ["female", "male", None, "female", np.nan, "male"]
    result = score_frame(instrument_id, frame, respondent={"age": "alder", "sex": "koen"})
    people = [
        Respondent(age=12, sex="female"),
        Respondent(age=15.5, sex="male"),
        None,
        Respondent(age=9, sex="female"),
        Respondent(age=14),
        Respondent(age=16, sex="male"),
    ]
    assert_matches(result, expected(instrument_id, data, respondent=people))
    constant = score_frame(instrument_id, frame, respondent=Respondent(age=14, sex="female"))
    assert_matches(constant, expected(instrument_id, data, respondent=Respondent(age=14, sex="female")))


@pytest.mark.parametrize(
    ("respondent", "column", "values", "message"),
    [
        ({"sex": "koen"}, "koen", ["X", "M"], "index 1, column 'koen': sex 'X' is not one of female, f,"),
        ({"sex": "koen"}, "koen", [1, 2], "sex 1 is not"),
        (
            {"age": "alder"},
            "alder",
            [14, 200],
            "index 2, column 'alder': age 200.0 is not in 0-130 \\(row 1\\)",
        ),
        ({"age": "alder"}, "alder", ["14", "x"], "is a string"),
    ],
)
def test_bad_respondent_values(respondent, column, values, message):
    frame = frame_of("who5", answers("who5", n=2, missing=0), index=[1, 2])
    frame[column] = values
    with pytest.raises(ResponseError, match=message):
        score_frame("who5", frame, respondent=respondent)


@pytest.mark.parametrize(
    ("respondent", "message"),
    [({"height": "h"}, "unknown field"), ({"age": "missing"}, "age column 'missing' does not exist")],
)
def test_bad_respondent_mapping(respondent, message):
    with pytest.raises(ColumnError, match=message):
        score_frame("who5", frame_of("who5", answers("who5", n=1)), respondent=respondent)


def test_nullable_sex_and_scheme_choice():
    frame = frame_of("who5", answers("who5", n=2, missing=0))
    frame["koen"] = pd.array(["female", pd.NA], dtype="string")
    result = score_frame("who5", frame, respondent={"sex": "koen"}, scheme="dk-3band")
    assert list(result.columns) == ["raw", "percentage", "percentage_band"]
    assert list(result["percentage_band"].cat.categories) == [
        b.id for b in get_instrument("who5").scheme("dk-3band").cutoffs[0].bands
    ]


def test_no_default_scheme_gives_no_band_columns():
    no_default = [i for i in IDS if INSTRUMENTS[i].default_scheme is None]
    if not no_default:
        pytest.skip("every registered instrument has a default scheme")
    instrument = INSTRUMENTS[no_default[0]]
    result = score_frame(instrument, frame_of(instrument.id, answers(instrument.id, n=3)))
    assert list(result.columns) == list(instrument.scale_ids)


def test_empty_frame_and_wrong_type():
    result = score_frame("who5", frame_of("who5", np.empty((0, 5))))
    assert len(result) == 0
    assert "percentage_band" in result.columns
    with pytest.raises(TypeError, match="pandas DataFrame"):
        score_frame("who5", [[1, 2, 3, 4, 5]])  # type: ignore[type-var]


def test_core_import_does_not_import_pandas():
    optional = ("pandas", "matplotlib", "scipy", "hypothesis", "dask")
    code = f"import sys, trivselscore; print(sorted(m for m in {optional!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_error_names_the_extra(monkeypatch):
    from trivselscore.tabular import frame as _frame  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r'pip install "trivselscore\[pandas\]"'):
        _frame._pandas()
