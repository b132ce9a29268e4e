"""Conformance cases of CASES.md §6.5 (reducers: R-01, R-02, R-04..R-09), written as
Pathway's tests (python/pathway/tests/test_reducers.py) and reducer docstrings
(python/pathway/internals/reducers.py) are. Expected values are copied from CASES.md unedited.
"""

from __future__ import annotations

import pytest

import vigil as pw
from vigil.tests.utils import (
    T,
    assert_stream_equality,
    assert_stream_equality_wo_index,
    assert_table_equality,
    assert_table_equality_wo_index,
)


def looked_up(result, source, **lookups):
    """`result` with every pointer column `ptr` of lookups (`ptr=column`) replaced by
    `source.ix(result.ptr).column`, brought back onto result's rows (same ids) by a join.

    Pathway reads `source.ix(...)` directly inside reduce, as vigil now does too (it reduces
    the pointers, then joins the same way); the companion tests check the explicit form."""
    for ptr, column in lookups.items():
        found = source.ix(result[ptr])
        result = result.join(found, result.id == found.id, id=result.id).select(
            **{
                name: (found[column] if name == ptr else result[name])
                for name in result.column_names()
            }
        )
    return result


# -- test_non_append_only_reducers / test_append_only_reducers ------------------

R01_INPUT = """
      | instance | value | source | __time__ | __diff__
    1 | 1        | 2     | 1      | 2        | 1
    2 | 1        | 3     | 2      | 2        | 1
    3 | 2        | 3     | 3      | 2        | 1
    4 | 2        | 1     | 4      | 2        | 1
    1 | 1        | 2     | 1      | 4        | -1
    3 | 2        | 3     | 3      | 4        | -1
    5 | 1        | 10    | 5      | 6        | 1
    """

R01_EXPECTED = """
    instance | min | source_min | max | source_max | any | sum_i | sum_f | __time__ | __diff__
    1        | 2   | 1          | 3   | 2          | 2   | 5     | 6.0   | 2        | 1
    2        | 1   | 4          | 3   | 3          | 1   | 4     | 5.0   | 2        | 1
    1        | 2   | 1          | 3   | 2          | 2   | 5     | 6.0   | 4        | -1
    1        | 3   | 2          | 3   | 2          | 3   | 3     | 3.5   | 4        | 1
    2        | 1   | 4          | 3   | 3          | 1   | 4     | 5.0   | 4        | -1
    2        | 1   | 4          | 1   | 4          | 1   | 1     | 1.5   | 4        | 1
    1        | 3   | 2          | 3   | 2          | 3   | 3     | 3.5   | 6        | -1
    1        | 3   | 2          | 10  | 5          | 10  | 13    | 14.0  | 6        | 1
    """


def test_R01_non_append_only_reducers():
    t = T(R01_INPUT)
    result = t.groupby(pw.this.instance).reduce(
        instance=pw.this.instance,
        min=pw.reducers.min(pw.this.value),
        source_min=t.ix(pw.reducers.argmin(pw.this.value)).source,
        max=pw.reducers.max(pw.this.value),
        source_max=t.ix(pw.reducers.argmax(pw.this.value)).source,
        any=pw.reducers.any(pw.this.value),
        sum_i=pw.reducers.sum(pw.this.value),
        sum_f=pw.reducers.sum(pw.this.value + 0.5),
    )
    assert_stream_equality(result, T(R01_EXPECTED, id_from=["instance"]))


def test_R01_non_append_only_reducers_ids_looked_up_by_join():
    t = T(R01_INPUT)
    result = t.groupby(pw.this.instance).reduce(
        instance=pw.this.instance,
        min=pw.reducers.min(pw.this.value),
        source_min=pw.reducers.argmin(pw.this.value),
        max=pw.reducers.max(pw.this.value),
        source_max=pw.reducers.argmax(pw.this.value),
        any=pw.reducers.any(pw.this.value),
        sum_i=pw.reducers.sum(pw.this.value),
        sum_f=pw.reducers.sum(pw.this.value + 0.5),
    )
    result = looked_up(result, t, source_min="source", source_max="source")
    # The output ids are hash(instance); for an int instance that is the id markdown gives
    # to the row of index `instance` (SEMANTICS.md, Appendix A), so an id column replaces
    # Pathway's id_from=["instance"].
    expected = T(
        """
          | instance | min | source_min | max | source_max | any | sum_i | sum_f | __time__ | __diff__
        1 | 1        | 2   | 1          | 3   | 2          | 2   | 5     | 6.0   | 2        | 1
        2 | 2        | 1   | 4          | 3   | 3          | 1   | 4     | 5.0   | 2        | 1
        1 | 1        | 2   | 1          | 3   | 2          | 2   | 5     | 6.0   | 4        | -1
        1 | 1        | 3   | 2          | 3   | 2          | 3   | 3     | 3.5   | 4        | 1
        2 | 2        | 1   | 4          | 3   | 3          | 1   | 4     | 5.0   | 4        | -1
        2 | 2        | 1   | 4          | 1   | 4          | 1   | 1     | 1.5   | 4        | 1
        1 | 1        | 3   | 2          | 3   | 2          | 3   | 3     | 3.5   | 6        | -1
        1 | 1        | 3   | 2          | 10  | 5          | 10  | 13    | 14.0  | 6        | 1
        """
    )
    assert_stream_equality(result, expected)


R02_INPUT = """
      | instance | value | source
    1 | 1        | 2     | 1
    2 | 1        | 3     | 2
    3 | 2        | 3     | 3
    4 | 2        | 1     | 4
    """

R02_EXPECTED = """
    instance | min | source_min | max | source_max | any | sum_i | sum_f
    1        | 2   | 1          | 3   | 2          | 2   | 5     | 5.4
    2        | 1   | 4          | 3   | 3          | 1   | 4     | 4.4
    """


def test_R02_append_only_reducers():
    t = T(R02_INPUT)
    result = t.groupby(pw.this.instance).reduce(
        instance=pw.this.instance,
        min=pw.reducers.min(pw.this.value),
        source_min=t.ix(pw.reducers.argmin(pw.this.value)).source,
        max=pw.reducers.max(pw.this.value),
        source_max=t.ix(pw.reducers.argmax(pw.this.value)).source,
        any=pw.reducers.any(pw.this.value),
        sum_i=pw.reducers.sum(pw.this.value),
        sum_f=pw.reducers.sum(pw.this.value + 0.2, strict=True),
    )
    assert_table_equality(result, T(R02_EXPECTED, id_from=["instance"]))


def test_R02_append_only_reducers_ids_looked_up_by_join():
    t = T(R02_INPUT)
    result = t.groupby(pw.this.instance).reduce(
        instance=pw.this.instance,
        min=pw.reducers.min(pw.this.value),
        source_min=pw.reducers.argmin(pw.this.value),
        max=pw.reducers.max(pw.this.value),
        source_max=pw.reducers.argmax(pw.this.value),
        any=pw.reducers.any(pw.this.value),
        sum_i=pw.reducers.sum(pw.this.value),
        sum_f=pw.reducers.sum(pw.this.value + 0.2, strict=True),
    )
    result = looked_up(result, t, source_min="source", source_max="source")
    expected = T(
        """
          | instance | min | source_min | max | source_max | any | sum_i | sum_f
        1 | 1        | 2   | 1          | 3   | 2          | 2   | 5     | 5.4
        2 | 2        | 1   | 4          | 3   | 3          | 1   | 4     | 4.4
        """
    )
    assert_table_equality(result, expected)


# -- test_distinct / test_distinct_approximate ---------------------------------

DISTINCT_INPUT = """
    a | b
    1 | 2
    3 | 4
    3 | 5
    5 | 5
    5 | 6
    """

DISTINCT_EXPECTED = """
    count_distinct | count_distinct_a | count_distinct_b | count_distinct_ab
    1              | 3                | 4                | 5
    """


def test_R04_distinct():
    t = T(DISTINCT_INPUT)
    result = t.reduce(
        count_distinct=pw.reducers.count_distinct(),
        count_distinct_a=pw.reducers.count_distinct(pw.this.a),
        count_distinct_b=pw.reducers.count_distinct(pw.this.b),
        count_distinct_ab=pw.reducers.count_distinct(pw.this.a, pw.this.b),
    )
    assert_table_equality_wo_index(result, T(DISTINCT_EXPECTED))


def test_R05_distinct_approximate():
    t = T(DISTINCT_INPUT)
    result = t.reduce(
        count_distinct=pw.reducers.count_distinct_approximate(),
        count_distinct_a=pw.reducers.count_distinct_approximate(pw.this.a),
        count_distinct_b=pw.reducers.count_distinct_approximate(pw.this.b),
        count_distinct_ab=pw.reducers.count_distinct_approximate(pw.this.a, pw.this.b),
    )
    assert_table_equality_wo_index(result, T(DISTINCT_EXPECTED))


@pytest.mark.parametrize("seed", [1, 2])
def test_R05_distinct_approximate_is_the_exact_count(seed):
    # vigil computes it exactly: random groups against Python's set sizes.
    import random

    rng = random.Random(seed)
    rows = [(rng.randint(0, 3), rng.randint(0, 50), rng.choice("abc")) for _ in range(400)]
    t = pw.debug.table_from_rows(pw.schema_from_types(k=int, a=int, s=str), rows)
    result = t.groupby(pw.this.k).reduce(
        pw.this.k, n=pw.reducers.count_distinct_approximate(pw.this.a, pw.this.s, precision=10))
    keys, cols = pw.debug.table_to_dicts(result)
    got = {cols["k"][key]: cols["n"][key] for key in keys}
    assert got == {k: len({(a, s) for kk, a, s in rows if kk == k}) for k in {r[0] for r in rows}}
    with pytest.raises(ValueError, match="precision"):
        pw.reducers.count_distinct_approximate(pw.this.a, precision=30)


# -- test_float_sum_precision --------------------------------------------------------


@pytest.mark.parametrize("strict", [False, True])
def test_R06_float_sum_precision(strict):
    t = T(
        """
        a
        -10.1
        -10.1
        1
        1
        10.1
        10.1
        """
    ).select(a=pw.this.a**21)
    result = t.reduce(s=pw.reducers.sum(pw.this.a, strict=strict))
    assert_table_equality_wo_index(result, T("s\n2.0"))
    assert result.typehints()["s"] is float


# -- the reducer docstrings ----------------------------------------------------------


def docstring_table():
    """colA | colB, row ids 0..5 (^X1MXHYY ^YYY4HAB ^Z3QWT29 ^3CZ78B4 ^3HN31E1 ^3S2X6B2)."""
    return T(
        """
        colA | colB
        valA | -1
        valA | 1
        valA | 2
        valB | 4
        valB | 4
        valB | 7
        """
    )


@pytest.mark.parametrize(
    "name,reducer,expected",
    [
        ("sum", pw.reducers.sum, [2, 15]),
        ("min", pw.reducers.min, [-1, 4]),
        ("max", pw.reducers.max, [2, 7]),
    ],
    ids=["sum", "min", "max"],
)
def test_R07_docstring_simple_reducers(name, reducer, expected):
    t = docstring_table()
    result = t.groupby(t.colA).reduce(**{name: reducer(t.colB)})
    assert_table_equality_wo_index(result, T("\n".join([name, *map(str, expected)])))


def test_R07_docstring_avg():
    t = docstring_table()
    result = t.groupby(t.colA).reduce(avg=pw.reducers.avg(t.colB))
    assert_table_equality_wo_index(result, T("avg\n0.6666666666666666\n5.0"))
    # True division: exactly these floats (the comparison above would also accept ints).
    values = sorted(pw.debug.table_to_pandas(result)["avg"].tolist())
    assert values == [0.6666666666666666, 5.0]
    assert result.typehints()["avg"] is float


def test_R07_docstring_count():
    t = docstring_table()
    result = t.groupby(t.colA).reduce(count=pw.reducers.count())
    assert_table_equality_wo_index(result, T("count\n3\n3"))


def test_R07_docstring_count_distinct():
    t = docstring_table()
    result = t.groupby(t.colA).reduce(t.colA, count_distinct=pw.reducers.count_distinct(t.colB))
    expected = T(
        """
        colA | count_distinct
        valA | 3
        valB | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def short_pointer_rows(table, pointer_column, value_column):
    """(printed short pointer, value) of every row of table, sorted."""
    frame = pw.debug.table_to_pandas(table, include_id=False)
    return sorted(
        (str(pointer)[:8] + "...", value)
        for pointer, value in zip(frame[pointer_column], frame[value_column])
    )


def test_R07_docstring_argmin():
    t = docstring_table()
    result = t.groupby(t.colA).reduce(
        argmin=pw.reducers.argmin(t.colB), min=pw.reducers.min(t.colB)
    )
    # The tie 4/4 of valB goes to the smaller id (row 3, ^3CZ78B4).
    assert short_pointer_rows(result, "argmin", "min") == sorted(
        [("^X1MXHYY...", -1), ("^3CZ78B4...", 4)]
    )


def test_R07_docstring_argmax():
    t = docstring_table()
    result = t.groupby(t.colA).reduce(
        argmax=pw.reducers.argmax(t.colB), max=pw.reducers.max(t.colB)
    )
    assert short_pointer_rows(result, "argmax", "max") == sorted(
        [("^Z3QWT29...", 2), ("^3S2X6B2...", 7)]
    )


def ages():
    return T(
        """
        name    | age
        Charlie | 18
        Alice   | 18
        Bob     | 18
        David   | 19
        Erin    | 19
        Frank   | 20
        """
    )


def test_R07_docstring_argmin_with_id():
    table = ages()
    result = table.reduce(min=pw.reducers.argmin(table.age, table.name))
    assert_table_equality_wo_index(result, T("min\nAlice"))


def test_R07_docstring_argmax_with_id():
    table = ages()
    result = table.reduce(max=pw.reducers.argmax(table.age, table.name))
    assert_table_equality_wo_index(result, T("max\nFrank"))


def test_R07_docstring_any():
    t = T(
        """
           | colA | colB | colD
        1  | valA | -1   | 4
        2  | valA | 1    | 7
        3  | valA | 2    | -3
        4  | valB | 4    | 2
        5  | valB | 5    | 6
        6  | valB | 7    | 1
        """
    )
    result = t.groupby(t.colA).reduce(
        any_B=pw.reducers.any(t.colB), any_D=pw.reducers.any(t.colD)
    )
    expected = T(
        """
        any_B | any_D
        2     | -3
        7     | 1
        """
    )
    assert_table_equality_wo_index(result, expected)


def tuples_expected(rows, columns):
    import pandas as pd

    frame = pd.DataFrame({c: [row[i] for row in rows] for i, c in enumerate(columns)})
    return pw.debug.table_from_pandas(
        frame, schema=pw.schema_from_types(**{c: tuple for c in columns})
    )


def test_R07_docstring_tuple():
    t = T(
        """
           | colA | colB | colC | colD
        1  | valA | -1   | 5    | 4
        2  | valA | 1    | 5    | 7
        3  | valA | 2    | 5    | -3
        4  | valB | 4    | 10   | 2
        5  | valB | 4    | 10   | 6
        6  | valB | 7    | 10   | 1
        """
    )
    result = t.groupby(t.colA).reduce(
        tuple_B=pw.reducers.tuple(t.colB),
        tuple_C=pw.reducers.tuple(t.colC),
        tuple_D=pw.reducers.tuple(t.colD),
    )
    expected = tuples_expected(
        [((-1, 1, 2), (5, 5, 5), (4, 7, -3)), ((4, 4, 7), (10, 10, 10), (2, 6, 1))],
        ["tuple_B", "tuple_C", "tuple_D"],
    )
    assert_table_equality_wo_index(result, expected)


def test_R07_docstring_sorted_tuple():
    t = T(
        """
           | colA | colB | colD
        1  | valA | -1   | 4
        2  | valA | 1    | 7
        3  | valA | 2    | -3
        4  | valB | 4    | None
        5  | valB | 4    | 6
        6  | valB | 7    | 1
        """
    )
    result = t.groupby(t.colA).reduce(
        tuple_B=pw.reducers.sorted_tuple(t.colB),
        tuple_D=pw.reducers.sorted_tuple(t.colD, skip_nones=True),
    )
    expected = tuples_expected(
        [((-1, 1, 2), (-3, 4, 7)), ((4, 4, 7), (1, 6))], ["tuple_B", "tuple_D"]
    )
    assert_table_equality_wo_index(result, expected)


def unique_table():
    return T(
        """
           | colA | colB | colD
        1  | valA | 1    | 3
        2  | valA | 1    | 3
        3  | valA | 1    | 3
        4  | valB | 2    | 4
        5  | valB | 2    | 5
        6  | valB | 2    | 6
        """
    )


def test_R07_docstring_unique():
    t = unique_table()
    result = t.groupby(t.colA).reduce(unique_B=pw.reducers.unique(t.colB))
    assert_table_equality_wo_index(result, T("unique_B\n1\n2"))


def test_R07_docstring_unique_of_different_values_is_engine_error():
    t = unique_table()
    result = t.groupby(t.colA).reduce(unique_D=pw.reducers.unique(t.colD))
    with pytest.raises(pw.EngineError):
        pw.debug.compute_and_print(result)


# -- earliest / latest docstrings ----------------------------------------------------

EARLIEST_LATEST_INPUT = """
    a | b | __time__
    1 | 2 | 2
    2 | 3 | 2
    1 | 4 | 4
    2 | 2 | 6
    1 | 1 | 8
    """


def test_R08_earliest():
    t = T(EARLIEST_LATEST_INPUT)
    result = t.groupby(t.a).reduce(t.a, earliest=pw.reducers.earliest(t.b))
    stream = T(
        """
        a | earliest | __time__ | __diff__
        1 | 2        | 2        | 1
        2 | 3        | 2        | 1
        """
    )
    assert_stream_equality_wo_index(result, stream)
    assert_table_equality_wo_index(result, T("a | earliest\n1 | 2\n2 | 3"))


def test_R08_latest():
    t = T(EARLIEST_LATEST_INPUT)
    result = t.groupby(t.a).reduce(t.a, latest=pw.reducers.latest(t.b))
    stream = T(
        """
        a | latest | __time__ | __diff__
        1 | 2      | 2        | 1
        2 | 3      | 2        | 1
        1 | 2      | 4        | -1
        1 | 4      | 4        | 1
        2 | 3      | 6        | -1
        2 | 2      | 6        | 1
        1 | 4      | 8        | -1
        1 | 1      | 8        | 1
        """
    )
    assert_stream_equality_wo_index(result, stream)
    assert_table_equality_wo_index(result, T("a | latest\n1 | 1\n2 | 2"))


# -- stateful_many docstring ---------------------------------------------------------


def test_R09_stateful_many():
    t = T(
        """
        a  | b | __time__
        3  | 1 | 2
        4  | 1 | 2
        13 | 2 | 2
        16 | 2 | 4
        2  | 2 | 6
        4  | 1 | 6
        """
    )

    @pw.reducers.stateful_many
    def sum_even_plus_one(state: int | None, rows) -> int:
        total = 0 if state is None else state
        for [value], diff in rows:
            total += (value + 1 if value % 2 == 0 else value) * diff
        return total

    result = t.groupby(t.b).reduce(t.b, s=sum_even_plus_one(t.a))
    assert_table_equality_wo_index(result, T("b | s\n1 | 13\n2 | 33"))
