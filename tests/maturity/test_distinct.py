import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from maturity.distinct import distinct_cells, distinct_values, map_distinct, map_distinct_pairs


def test_each_distinct_value_is_worked_out_once_and_spread_back():
    seen = []
    values = pd.Series(["b", "a", "b", None, "a", None], index=[10, 11, 12, 13, 14, 15], dtype=object)
    mapped = map_distinct(values, lambda v: seen.append(v) or (v or "").upper())
    assert mapped.tolist() == ["B", "A", "B", "", "A", ""]
    assert mapped.index.tolist() == [10, 11, 12, 13, 14, 15] and mapped.dtype == object
    assert seen == ["b", "a", None]  # in order of first appearance, once each


@pytest.mark.parametrize(
    ("cells", "missing"),
    [
        ([None, "x", None], ["NoneType"]),
        ([math.nan, "x"], ["float"]),
        ([None, math.nan, "x", pd.NA, None], ["NoneType", "float", "NAType"]),  # each kind passed as itself
    ],
)
def test_missing_markers_reach_the_function_as_themselves(cells, missing):
    seen = []
    map_distinct(pd.Series(cells, dtype=object), seen.append)
    assert [type(v).__name__ for v in seen if not isinstance(v, str)] == missing


def test_an_answer_of_none_stays_none():
    assert map_distinct(pd.Series(["a", "b"]), lambda v: None).tolist() == [None, None]


def test_pairs_split_into_two_series():
    first, second = map_distinct_pairs(pd.Series([1, 2, 1]), lambda v: (v * 10, f"#{v}"))
    assert first.tolist() == [10, 20, 10] and second.tolist() == ["#1", "#2", "#1"]


def test_distinct_values_codes_point_into_the_distinct_list():
    values = pd.Series(["x", None, "y", "x"], dtype=object)
    codes, distinct = distinct_values(values)
    assert [distinct[code] for code in codes] == ["x", None, "y", "x"]
    assert codes.dtype == np.intp and len(distinct) == 3


def test_an_empty_column_maps_to_an_empty_column():
    assert map_distinct(pd.Series([], dtype=object), str).tolist() == []


RAW_CELL = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(-3, 3, allow_nan=False),
    st.sampled_from(["L1", "Base", " 2 ", "", "Average"]),
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 1, 3)),
)


@given(st.lists(RAW_CELL, max_size=40))
def test_distinct_cells_are_what_pandas_unique_finds(cells):
    # A raw sheet's cells (no NaN: blanks are None): the same values, the same first spelling, the same order.
    column = pd.Series(cells, dtype=object)
    found = distinct_cells(column)
    expected = list(pd.unique(column))
    assert found == expected
    assert [type(v) for v in found] == [type(v) for v in expected]  # 1.0 before True keeps 1.0
