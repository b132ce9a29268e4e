"""Conformance cases of CASES.md §6.1 for intervals_over windows (W-24..W-29, W-32), written
as Pathway's own tests are (python/pathway/tests/temporal/test_windows.py). Windows are
[p + lower_bound, p + upper_bound], both ends inclusive; expected tables are copied from
CASES.md unedited (tuples go through table_from_pandas, as in Pathway's tests).
"""

from __future__ import annotations

import gc
import typing

import pandas as pd
import pytest

import vigil as pw
from vigil.tests.utils import T, assert_table_equality_wo_index


def data():
    """The data of test_intervals_over / _outer / _argmin_argmax (ids 1..8)."""
    return T(
        """
            | t  | v
        1   | 1  | 10
        2   | 2  | 1
        3   | 3  | 3
        4   | 8  | 2
        5   | 9  | 4
        6   | 10 | 8
        7   | 1  | 9
        8   | 2  | 16
        """
    )


def probes():
    return T(
        """
        t
        2
        4
        6
        8
        10
        """
    )


def expected_tuples(locations, tuples, element_type=int):
    return pw.debug.table_from_pandas(
        pd.DataFrame({"_pw_window_location": locations, "v": tuples}),
        schema=pw.schema_from_types(_pw_window_location=int, v=list[element_type]),
    )


W24_EXPECTED = ([2, 4, 8, 10], [(10, 9, 16, 1, 3), (16, 1, 3), (2, 4), (2, 4, 8)])


def test_W24_intervals_over():
    t = data()
    at = probes()
    result = t.windowby(
        t.t,
        window=pw.temporal.intervals_over(at=at.t, lower_bound=-2, upper_bound=1, is_outer=False),
    ).reduce(pw.this._pw_window_location, v=pw.reducers.tuple(pw.this.v))
    assert_table_equality_wo_index(result, expected_tuples(*W24_EXPECTED))


def test_W24_intervals_over_with_temporal_windowby():
    t = data()
    at = probes()
    result = pw.temporal.windowby(
        t,
        t.t,
        window=pw.temporal.intervals_over(at=at.t, lower_bound=-2, upper_bound=1, is_outer=False),
    ).reduce(pw.this._pw_window_location, v=pw.reducers.tuple(pw.this.v))
    assert_table_equality_wo_index(result, expected_tuples(*W24_EXPECTED))


def test_W24_intervals_over_at_a_table_nothing_else_holds():
    # `at=probes().t`: only the expression refers to the probe table (expr._table keeps it)
    t = data()
    window = pw.temporal.intervals_over(
        at=probes().t, lower_bound=-2, upper_bound=1, is_outer=False
    )
    gc.collect()
    result = t.windowby(t.t, window=window).reduce(
        pw.this._pw_window_location, v=pw.reducers.tuple(pw.this.v)
    )
    assert_table_equality_wo_index(result, expected_tuples(*W24_EXPECTED))


def test_W24_column_expression_holds_its_table():
    column = probes().t
    gc.collect()
    assert isinstance(column._table, pw.Table)
    assert column._table.column_names() == ["t"]
    assert probes()["t"]._table is not None


def test_W25_intervals_over_with_instance():
    t = T(
        """
            | t  | v  | instance
        1   | 1  | 10 | 1
        2   | 2  | 1  | 1
        3   | 4  | 3  | 1
        4   | 8  | 2  | 1
        5   | 9  | 4  | 2
        6   | 10 | 8  | 2
        7   | 1  | 9  | 2
        8   | 2  | 16 | 2
        """
    )
    at = T(
        """
        t
        2
        6
        10
        """
    )
    result = t.windowby(
        t.t,
        window=pw.temporal.intervals_over(at=at.t, lower_bound=-4, upper_bound=2, is_outer=False),
        instance=pw.this.instance,
    ).reduce(
        pw.this._pw_window_location,
        pw.this._pw_instance,
        v=pw.reducers.tuple(pw.this.v),
    )
    expected = pw.debug.table_from_pandas(
        pd.DataFrame(
            {
                "_pw_window_location": [2, 2, 6, 6, 10, 10],
                "_pw_instance": [1, 2, 1, 2, 1, 2],
                "v": [(10, 1, 3), (9, 16), (1, 3, 2), (16,), (2,), (4, 8)],
            }
        ),
        schema=pw.schema_from_types(_pw_window_location=int, _pw_instance=int, v=list[int]),
    )
    assert_table_equality_wo_index(result, expected)


def test_W26_intervals_over_works_on_same_table():
    t = T(
        """
            | t
        1   | 1
        2   | 2
        3   | 3
        4   | 4
        5   | 5
        """
    )
    result = t.windowby(
        t.t,
        window=pw.temporal.intervals_over(at=t.t, lower_bound=-2, upper_bound=0, is_outer=False),
    ).reduce(pw.this._pw_window_location, v=pw.reducers.sorted_tuple(pw.this.t))
    expected = expected_tuples(
        [1, 2, 3, 4, 5], [(1,), (1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5)]
    )
    assert_table_equality_wo_index(result, expected)


def test_W27_intervals_over_outer():
    t = data()
    at = probes()
    result = t.windowby(
        t.t,
        window=pw.temporal.intervals_over(at=at.t, lower_bound=-2, upper_bound=1, is_outer=True),
    ).reduce(pw.this._pw_window_location, v=pw.reducers.sorted_tuple(pw.this.v))
    expected = expected_tuples(
        [2, 4, 6, 8, 10],
        [(1, 3, 9, 10, 16), (1, 3, 16), (None,), (2, 4), (2, 4, 8)],
        typing.Optional[int],
    )
    assert_table_equality_wo_index(result, expected)


def test_W28_intervals_over_docstring():
    t = T(
        """
        t  | v
        1  | 10
        2  | 1
        4  | 3
        8  | 2
        9  | 4
        10 | 8
        1  | 9
        2  | 16
        """
    )
    at = probes()
    result = t.windowby(
        t.t,
        window=pw.temporal.intervals_over(at=at.t, lower_bound=-2, upper_bound=1),
    ).reduce(pw.this._pw_window_location, v=pw.reducers.sorted_tuple(pw.this.v))
    expected = expected_tuples(
        [2, 4, 6, 8, 10], [(1, 9, 10, 16), (1, 3, 16), (3,), (2, 4), (2, 4, 8)]
    )
    assert_table_equality_wo_index(result, expected)


def values_table():
    return T(
        """
            | v
        1   | 1
        2   | 2
        3   | 6
        4   | 3
        5   | 9
        6   | 3
        7   | 2
        8   | -5
        9   | 1
        10  | 7
        """
    )


W29_T = """
        | t  | ptr
    1   | 1  | 10
    2   | 2  | 1
    3   | 4  | 3
    4   | 8  | 2
    5   | 9  | 4
    6   | 10 | 8
    7   | 5  | 9
    8   | 3  | 7
    """

W29_EXPECTED = ([2, 4, 6, 8, 10], [(7, 1, 2), (2, 6, 1), (1,), (2, 3), (3, -5)])


def test_W29_intervals_over_with_reducer_over_ix():
    values = values_table()
    t = T(W29_T).select(pw.this.t, ptr=values.pointer_from(pw.this.ptr))
    at = probes()
    grouped_table = t.windowby(
        t.t,
        window=pw.temporal.intervals_over(
            at=at.t, lower_bound=-1, upper_bound=1, is_outer=False
        ),
    )
    result = grouped_table.reduce(
        pw.this._pw_window_location, v=pw.reducers.tuple(values.ix(grouped_table.ptr).v)
    )
    assert_table_equality_wo_index(result, expected_tuples(*W29_EXPECTED))


def test_W29_intervals_over_with_ix_before_windowby():
    # The same case with what vigil has: the pointer built by pw.pointer_from (the id of the
    # markdown row with that index) and values.ix(t.ptr) looked up before windowing, brought
    # onto t's rows by an id join (same ids, so windows and tuple order are unchanged).
    values = values_table()
    t = T(W29_T).select(
        pw.this.t, ptr=pw.apply_with_type(pw.pointer_from, pw.Pointer, pw.this.ptr)
    )
    found = values.ix(t.ptr)
    t = t.join(found, t.id == found.id, id=t.id).select(t.t, found.v)
    at = probes()
    result = t.windowby(
        t.t,
        window=pw.temporal.intervals_over(
            at=at.t, lower_bound=-1, upper_bound=1, is_outer=False
        ),
    ).reduce(pw.this._pw_window_location, v=pw.reducers.tuple(pw.this.v))
    assert_table_equality_wo_index(result, expected_tuples(*W29_EXPECTED))


W32_EXPECTED = """
    _pw_window_location | min_v | max_v
    2                   | 1     | 16
    4                   | 1     | 16
    8                   | 2     | 4
    10                  | 2     | 8
    """


def test_W32_intervals_over_argmin_argmax():
    t = data()
    at = probes()
    result = t.windowby(
        t.t,
        window=pw.temporal.intervals_over(
            at=at.t, lower_bound=-2, upper_bound=1, is_outer=False
        ),
    ).reduce(
        pw.this._pw_window_location,
        min_v=t.ix(pw.reducers.argmin(pw.this.v)).v,
        max_v=t.ix(pw.reducers.argmax(pw.this.v)).v,
    )
    assert_table_equality_wo_index(result, T(W32_EXPECTED))


def test_W32_intervals_over_argmin_argmax_ids_looked_up_by_join():
    t = data()
    at = probes()
    result = t.windowby(
        t.t,
        window=pw.temporal.intervals_over(
            at=at.t, lower_bound=-2, upper_bound=1, is_outer=False
        ),
    ).reduce(
        pw.this._pw_window_location,
        min_v=pw.reducers.argmin(pw.this.v),
        max_v=pw.reducers.argmax(pw.this.v),
    )
    for name in ("min_v", "max_v"):
        found = t.ix(result[name])
        result = result.join(found, result.id == found.id, id=result.id).select(
            **{c: (found.v if c == name else result[c]) for c in result.column_names()}
        )
    assert_table_equality_wo_index(result, T(W32_EXPECTED))
