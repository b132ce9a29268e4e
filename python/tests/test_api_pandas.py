"""pandas interplay: pw.debug.table_from_pandas and pw.debug.table_to_pandas, as Pathway's:
the DataFrame index gives the row ids (pw.pointer_from(index)) and comes back as the index of
table_to_pandas, so a round trip keeps rows, values, dtypes and ids."""

import random
import typing

import numpy as np
import pandas as pd
import pytest

import vigil as pw


def random_frame(seed, n=40):
    rng = random.Random(seed)
    base = pd.Timestamp("2024-01-01")
    index = rng.sample(range(1000), n)
    return pd.DataFrame({
        "i": [rng.randint(-10**9, 10**9) for _ in range(n)],
        "f": [rng.choice([np.nan, 0.5, rng.uniform(-1e3, 1e3)]) for _ in range(n)],
        "s": [rng.choice(["x", "y,z", "", "é"]) + str(k) for k in range(n)],
        "o": [None if rng.random() < 0.3 else rng.choice(["p", "q"]) for _ in range(n)],
        "b": [rng.random() < 0.5 for _ in range(n)],
        "d": [base + pd.Timedelta(seconds=rng.randint(0, 10**7)) for _ in range(n)],
        "u": [(base + pd.Timedelta(minutes=rng.randint(0, 10**5))).tz_localize("UTC")
              for _ in range(n)],
        "e": [pd.Timedelta(milliseconds=rng.randint(-10**6, 10**6)) for _ in range(n)],
    }, index=index)


def sorted_frame(df):
    return df.sort_values("i").reset_index(drop=True)


def test_types_of_a_frame():
    t = pw.debug.table_from_pandas(random_frame(1))
    assert t.typehints() == {"i": int, "f": float, "s": str, "o": typing.Optional[str],
                             "b": bool, "d": pw.DateTimeNaive, "u": pw.DateTimeUtc,
                             "e": pw.Duration}


def test_ids_come_from_the_index():
    df = random_frame(2)
    t = pw.debug.table_from_pandas(df)
    keys, cols = pw.debug.table_to_dicts(t)
    by_i = {cols["i"][k]: k for k in keys}
    for index, row in df.iterrows():
        assert by_i[row["i"]] == pw.pointer_from(index)
    # the same ids as a markdown table with those ids
    md = pw.debug.table_from_markdown("\n".join(
        ["id | i"] + [f"{index} | {row['i']}" for index, row in df.iterrows()]))
    keys_md, cols_md = pw.debug.table_to_dicts(md)
    assert {cols_md["i"][k]: k for k in keys_md} == by_i


def test_round_trip_keeps_values_dtypes_and_ids():
    df = random_frame(3)
    t = pw.debug.table_from_pandas(df)
    out = pw.debug.table_to_pandas(t)
    assert list(out.columns) == list(df.columns)
    assert dict(out.dtypes) == dict(df.dtypes)
    assert sorted(out.index) == sorted(pw.pointer_from(i) for i in df.index)
    expected = df.copy()
    expected.index = [pw.pointer_from(i) for i in df.index]
    pd.testing.assert_frame_equal(out.loc[expected.index], expected)
    # and back again: a table equal to the first, same ids
    again = pw.debug.table_to_pandas(pw.debug.table_from_pandas(out))
    pd.testing.assert_frame_equal(again.loc[expected.index], expected)


def test_to_pandas_without_ids():
    df = random_frame(4, n=10)
    out = pw.debug.table_to_pandas(pw.debug.table_from_pandas(df), include_id=False)
    assert isinstance(out.index, pd.RangeIndex)
    pd.testing.assert_frame_equal(sorted_frame(out), sorted_frame(df.reset_index(drop=True)))


def test_computed_columns_come_back_as_python_computes_them():
    df = random_frame(5)
    t = pw.debug.table_from_pandas(df)
    r = t.select(pw.this.i, half=pw.this.i / 2, later=pw.this.d + pw.this.e,
                 flag=~pw.this.b, name=pw.this.s + "!")
    out = sorted_frame(pw.debug.table_to_pandas(r, include_id=False))
    expected = sorted_frame(pd.DataFrame({"i": df["i"], "half": df["i"] / 2,
                                          "later": df["d"] + df["e"], "flag": ~df["b"],
                                          "name": df["s"] + "!"}).reset_index(drop=True))
    pd.testing.assert_frame_equal(out, expected)


def test_id_from_and_primary_key_schema():
    df = pd.DataFrame({"k": ["a", "b", "c"], "v": [1, 2, 3]})
    keys, cols = pw.debug.table_to_dicts(pw.debug.table_from_pandas(df, id_from=["k"]))
    assert {cols["k"][k]: k for k in keys} == {x: pw.pointer_from(x) for x in "abc"}

    class S(pw.Schema):
        k: str = pw.column_definition(primary_key=True)
        v: int

    keys, cols = pw.debug.table_to_dicts(pw.debug.table_from_pandas(df, schema=S))
    assert {cols["k"][k]: k for k in keys} == {x: pw.pointer_from(x) for x in "abc"}
    with pytest.raises(ValueError, match="mutually exclusive"):
        pw.debug.table_from_pandas(df, id_from=["k"], schema=S)
    with pytest.raises(ValueError, match="schema does not match"):
        pw.debug.table_from_pandas(df, schema=pw.schema_from_types(k=str, w=int))


def test_schema_overrides_inferred_types():
    df = pd.DataFrame({"a": [1, 2], "b": ["x", None]})
    t = pw.debug.table_from_pandas(df, schema=pw.schema_from_types(a=float, b=str | None))
    assert t.typehints() == {"a": float, "b": typing.Optional[str]}


def test_time_and_diff_columns_make_a_stream():
    df = pd.DataFrame({"k": ["a", "b", "a", "c"], "v": [1, 2, 1, 3],
                       "__time__": [2, 2, 4, 6], "__diff__": [1, 1, -1, 1]},
                      index=[0, 1, 0, 2])
    t = pw.debug.table_from_pandas(df)
    assert t.column_names() == ["k", "v"]
    updates = []
    pw.io.subscribe(t, on_change=lambda key, row, time, is_addition:
                    updates.append((row["k"], time, is_addition)))
    pw.run()
    assert sorted(updates) == [("a", 2, True), ("a", 4, False), ("b", 2, True), ("c", 6, True)]
    out = pw.debug.table_to_pandas(t, include_id=False)
    assert sorted(out["k"]) == ["b", "c"]


def test_numpy_values_are_plain_values():
    df = pd.DataFrame({"a": np.array([1, 2], dtype=np.int32), "b": np.array([0.5, 1.5],
                                                                               dtype=np.float32)})
    t = pw.debug.table_from_pandas(df)
    r = t.select(s=pw.this.a + 1, m=pw.this.b * 2)
    _, cols = pw.debug.table_to_dicts(r)
    assert sorted(cols["s"].values()) == [2, 3]
    assert sorted(cols["m"].values()) == [1.0, 3.0]
    assert all(type(v) is int for v in cols["s"].values())
