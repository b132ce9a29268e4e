"""Table operations of the Python API: row-wise operations, groupby/reduce with every reducer,
windowby with each window kind and behavior, joins, ix, column access and schemas.

Results are compared with the same computation done in plain Python on the same random rows
(fixed seeds), or with Pathway's documented behaviour.
"""

import collections
import datetime
import random
import typing

import pytest

import vigil as pw


class Rows(pw.Schema):
    i: int
    k: str
    g: int
    v: int
    f: float
    o: int | None


def random_rows(seed, n=80, keys="abcd"):
    rng = random.Random(seed)
    return [(i, rng.choice(keys), rng.randint(0, 2), rng.randint(-50, 50),
             rng.choice([0.5, -1.25, 3.0, rng.uniform(-10, 10)]),
             None if rng.random() < 0.25 else rng.randint(-9, 9)) for i in range(n)]


C = {name: index for index, name in enumerate(Rows.column_names())}


def final_rows(table, **kwargs):
    """The final state as a list of {column: value} (ids dropped)."""
    keys, columns = pw.debug.table_to_dicts(table, **kwargs)
    return [{c: columns[c][k] for c in columns} for k in keys]


def by_key(table, key, **kwargs):
    out = {}
    for row in final_rows(table, **kwargs):
        assert row[key] not in out, f"two rows with {key}={row[key]!r}"
        out[row[key]] = row
    return out


def multiset(dicts, columns):
    return collections.Counter(tuple(d[c] for c in columns) for d in dicts)


# -- row-wise operations -------------------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2])
def test_select_with_columns_filter_match_python(seed):
    rows = random_rows(seed)
    t = pw.debug.table_from_rows(Rows, rows)
    s = t.select(pw.this.i, w=pw.this.v * 3 - pw.this.g, k2=pw.this.k + pw.this.k)
    assert s.column_names() == ["i", "w", "k2"]
    got = by_key(s, "i")
    for r in rows:
        assert got[r[C["i"]]] == {"i": r[C["i"]], "w": r[C["v"]] * 3 - r[C["g"]],
                                  "k2": r[C["k"]] * 2}

    w = t.with_columns(v=pw.this.v + 1, new=pw.this.g == 1)
    assert w.column_names() == ["i", "k", "g", "v", "f", "o", "new"]
    got = by_key(w, "i")
    for r in rows:
        assert got[r[0]]["v"] == r[C["v"]] + 1 and got[r[0]]["new"] == (r[C["g"]] == 1)
        assert got[r[0]]["k"] == r[C["k"]] and got[r[0]]["o"] == r[C["o"]]

    f = t.filter((pw.this.v > 0) & (pw.this.k != "a"))
    assert set(by_key(f, "i")) == {r[0] for r in rows if r[C["v"]] > 0 and r[C["k"]] != "a"}
    # filter keeps the ids of the kept rows
    ids = dict(pw.debug.table_to_dicts(t.select(pw.this.i, me=pw.this.id))[1]["i"])
    fk, fc = pw.debug.table_to_dicts(f)
    assert all(ids[key] == fc["i"][key] for key in fk)


def test_without_and_renames():
    t = pw.debug.table_from_rows(Rows, random_rows(3, n=5))
    assert t.without("f", pw.this.o).column_names() == ["i", "k", "g", "v"]
    assert t.without(t.k).column_names() == ["i", "g", "v", "f", "o"]
    assert t.rename_columns(key=pw.this.k, value="v").column_names() == \
        ["i", "key", "g", "value", "f", "o"]
    assert t.rename_by_dict({"k": "key", "o": "opt"}).column_names() == \
        ["i", "key", "g", "v", "f", "opt"]
    assert t.rename({"g": "group"}).column_names() == ["i", "k", "group", "v", "f", "o"]
    assert t.rename(group=pw.this.g).column_names() == ["i", "k", "group", "v", "f", "o"]
    renamed = t.rename_by_dict({"v": "value"})
    before = sorted(final_rows(t.select(pw.this.i, pw.this.v)), key=lambda r: r["i"])
    after = sorted(final_rows(renamed.select(pw.this.i, pw.this.value)), key=lambda r: r["i"])
    assert [r["v"] for r in before] == [r["value"] for r in after]
    assert renamed.typehints()["value"] is int


def test_concat_of_disjoint_tables_keeps_all_rows_and_ids():
    import pandas as pd
    rows = random_rows(4, n=20)
    t1 = pw.debug.table_from_pandas(pd.DataFrame(
        {"k": [r[1] for r in rows[:10]], "v": [r[3] for r in rows[:10]]}, index=range(10)))
    t2 = pw.debug.table_from_pandas(pd.DataFrame(
        {"v": [r[3] for r in rows[10:]], "k": [r[1] for r in rows[10:]]}, index=range(10, 20)))
    both = t1.concat(t2)
    assert both.column_names() == ["k", "v"]
    keys, cols = pw.debug.table_to_dicts(both)
    assert len(keys) == 20 and len(set(keys)) == 20
    assert multiset(final_rows(both), ["k", "v"]) == \
        collections.Counter((r[1], r[3]) for r in rows)
    ids1 = set(pw.debug.table_to_dicts(t1)[0])
    ids2 = set(pw.debug.table_to_dicts(t2)[0])
    assert set(keys) == ids1 | ids2


def test_concat_of_tables_with_different_columns_is_a_value_error():
    t1 = pw.debug.table_from_markdown("""
        a | b
        1 | 2
    """)
    t2 = pw.debug.table_from_markdown("""
        a | c
        1 | 2
    """)
    with pytest.raises(ValueError, match="columns"):
        t1.concat(t2)


def test_concat_with_colliding_ids_is_reported():
    t = pw.debug.table_from_markdown("""
        k | a
        1 | x
        2 | y
    """)
    both = t.concat(t.select(k=pw.this.k + 10, a=pw.this.a))
    with pytest.raises(pw.EngineError, match="duplicate key"):
        pw.debug.table_to_dicts(both)


# -- column access and schemas ----------------------------------------------------------------

def test_column_access_forms():
    t = pw.debug.table_from_rows(Rows, random_rows(5, n=6))
    assert repr(t.v) == repr(t["v"]) == "<table>.v"
    assert t[pw.this.v].column_name == "v"
    sub = t[["k", "v"]]
    assert sub.column_names() == ["k", "v"]
    assert multiset(final_rows(sub), ["k", "v"]) == \
        collections.Counter((r[1], r[3]) for r in random_rows(5, n=6))
    assert [e.column_name for e in t] == t.column_names()
    assert t.select(*t).column_names() == t.column_names()
    assert t.select(*pw.this[["v", "k"]]).column_names() == ["v", "k"]
    # t.x in another table's select reads that table's row with the same id (same universe)
    doubled = t.select(pw.this.i, d=t.v * 2)
    got = by_key(doubled, "i")
    assert all(got[r[0]]["d"] == 2 * r[C["v"]] for r in random_rows(5, n=6))


def test_schema_column_names_and_typehints():
    t = pw.debug.table_from_rows(Rows, random_rows(6, n=3))
    assert t.column_names() == ["i", "k", "g", "v", "f", "o"]
    assert t.schema.column_names() == t.column_names()
    hints = t.typehints()
    assert hints == {"i": int, "k": str, "g": int, "v": int, "f": float,
                     "o": typing.Optional[int]}
    assert t.schema.typehints() == hints
    r = t.select(a=pw.this.v / 2, b=pw.this.v > 0, c=pw.make_tuple(pw.this.k),
                 d=pw.this.o.is_none(), e=pw.cast(float, pw.this.o))
    assert r.typehints() == {"a": float, "b": bool, "c": tuple, "d": bool,
                             "e": typing.Optional[float]}


def test_schema_classes():
    class S(pw.Schema):
        key: int = pw.column_definition(primary_key=True)
        name: typing.Optional[str]
        score: float | None
        when: pw.DateTimeNaive
        utc: pw.DateTimeUtc
        took: pw.Duration
        n: int = pw.column_definition(default_value=5)
        flag: bool = False
        anything: typing.Any
        ptr: pw.Pointer

    assert S.column_names() == ["key", "name", "score", "when", "utc", "took", "n", "flag",
                                "anything", "ptr"]
    hints = S.typehints()
    assert hints["key"] is int and hints["flag"] is bool
    assert hints["name"] == typing.Optional[str] and hints["score"] == typing.Optional[float]
    assert hints["when"] is pw.DateTimeNaive and hints["utc"] is pw.DateTimeUtc
    assert hints["took"] is pw.Duration and hints["anything"] is typing.Any
    assert hints["ptr"] is pw.Pointer
    assert S.primary_key_columns() == ["key"]
    assert S["n"].default_value == 5 and S["flag"].default_value is False
    assert S["n"].has_default_value() and not S["name"].has_default_value()

    class Child(S):
        extra: str
    assert Child.column_names()[-1] == "extra" and len(Child.column_names()) == 11

    both = pw.schema_from_types(a=int) | pw.schema_from_types(b=str | None)
    assert both.typehints() == {"a": int, "b": typing.Optional[str]}


def test_schema_from_types_and_schema_builder():
    S = pw.schema_from_types(a=int, b=str, c=float | None)
    assert S.column_names() == ["a", "b", "c"]
    assert S.typehints() == {"a": int, "b": str, "c": typing.Optional[float]}
    assert S.primary_key_columns() is None
    B = pw.schema_builder({"a": pw.column_definition(dtype=int, primary_key=True),
                           "b": pw.column_definition(dtype=str, default_value="x")})
    assert B.typehints() == {"a": int, "b": str}
    assert B.primary_key_columns() == ["a"] and B["b"].default_value == "x"
    with pytest.raises(TypeError, match="dict"):
        pw.schema_from_types(a=dict)


def test_table_from_rows_uses_the_schema_types():
    class S(pw.Schema):
        when: pw.DateTimeNaive
        took: pw.Duration
        tup: tuple
        name: str | None

    when = datetime.datetime(2024, 1, 2, 3, 4, 5)
    took = datetime.timedelta(seconds=90)
    t = pw.debug.table_from_rows(S, [(when, took, (1, "a"), None)])
    assert t.typehints() == {"when": pw.DateTimeNaive, "took": pw.Duration, "tup": tuple,
                             "name": typing.Optional[str]}
    [row] = final_rows(t.select(pw.this.when, pw.this.took, pw.this.tup, pw.this.name,
                                later=pw.this.when + pw.this.took))
    assert row["when"] == when and row["took"] == took and row["tup"] == (1, "a")
    assert row["name"] is None and row["later"] == when + took


def test_table_from_rows_ids_follow_the_primary_key():
    # Pathway derives the ids of a table with a primary key from the key's values (the
    # same pointer as pw.pointer_from / a groupby over that column), not from positions.
    class S(pw.Schema):
        name: str = pw.column_definition(primary_key=True)
        n: int

    t = pw.debug.table_from_rows(S, [("x", 1), ("y", 2)])
    keys, cols = pw.debug.table_to_dicts(t)
    assert {cols["name"][k]: k for k in keys} == {"x": pw.pointer_from("x"),
                                                   "y": pw.pointer_from("y")}
    grouped = t.groupby(pw.this.name).reduce(pw.this.name)
    assert set(pw.debug.table_to_dicts(grouped)[0]) == set(keys)


def test_table_from_markdown_ids_follow_the_primary_key():
    class S(pw.Schema):
        a: int = pw.column_definition(primary_key=True)
        b: str

    t = pw.debug.table_from_markdown("""
        a | b
        5 | x
        7 | y
    """, schema=S)
    keys, cols = pw.debug.table_to_dicts(t)
    assert {cols["a"][k]: k for k in keys} == {5: pw.pointer_from(5), 7: pw.pointer_from(7)}


def test_table_from_markdown_empty_last_cell_is_none():
    t = pw.debug.table_from_markdown("""
        a | b
        1 | 2
        3 |
    """)
    assert sorted(final_rows(t), key=lambda r: r["a"]) == [{"a": 1, "b": 2}, {"a": 3, "b": None}]


# -- groupby / reduce ---------------------------------------------------------------------------

def ids_by_index(table):
    keys, cols = pw.debug.table_to_dicts(table.select(pw.this.i, me=pw.this.id))
    return {cols["i"][k]: cols["me"][k] for k in keys}


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_groupby_every_reducer_matches_python(seed):
    rows = random_rows(seed)
    t = pw.debug.table_from_rows(Rows, rows)
    ids = ids_by_index(t)
    r = pw.reducers
    result = t.groupby(pw.this.k).reduce(
        pw.this.k,
        count=r.count(), sum=r.sum(pw.this.v), fsum=r.sum(pw.this.f), avg=r.avg(pw.this.v),
        min=r.min(pw.this.v), max=r.max(pw.this.v), argmin=r.argmin(pw.this.v),
        argmax=r.argmax(pw.this.v), cd=r.count_distinct(pw.this.g),
        cd2=r.count_distinct(pw.this.g, pw.this.o), any=r.any(pw.this.v),
        unique=r.unique(pw.this.k), tuple=r.tuple(pw.this.v),
        tuple_o=r.tuple(pw.this.o), tuple_skip=r.tuple(pw.this.o, skip_nones=True),
        sorted=r.sorted_tuple(pw.this.v), sorted_skip=r.sorted_tuple(pw.this.o, skip_nones=True),
        earliest=r.earliest(pw.this.v), latest=r.latest(pw.this.v),
        combined=r.sum(pw.this.v) * 2 - r.count(),
    )
    hints = result.typehints()
    assert hints["count"] is int and hints["sum"] is int and hints["fsum"] is float
    assert hints["avg"] is float and hints["argmin"] is pw.Pointer
    assert hints["tuple"] is tuple and hints["unique"] is str
    got = by_key(result, "k")
    groups = collections.defaultdict(list)
    for row in rows:
        groups[row[C["k"]]].append(row)
    assert set(got) == set(groups)
    for key, members in groups.items():
        g = got[key]
        vs = [m[C["v"]] for m in members]
        by_id = sorted(members, key=lambda m: ids[m[0]])
        assert g["count"] == len(members)
        assert g["sum"] == sum(vs)
        assert g["fsum"] == pytest.approx(sum(m[C["f"]] for m in members), rel=1e-12, abs=1e-9)
        assert g["avg"] == pytest.approx(sum(vs) / len(vs), rel=1e-12)
        assert g["min"] == min(vs) and g["max"] == max(vs)
        # ties: the smallest id
        assert g["argmin"] == min(ids[m[0]] for m in members if m[C["v"]] == min(vs))
        assert g["argmax"] == min(ids[m[0]] for m in members if m[C["v"]] == max(vs))
        assert g["cd"] == len({m[C["g"]] for m in members})
        assert g["cd2"] == len({(m[C["g"]], m[C["o"]]) for m in members})
        assert g["any"] in vs
        assert g["unique"] == key
        assert g["tuple"] == tuple(m[C["v"]] for m in by_id)
        assert g["tuple_o"] == tuple(m[C["o"]] for m in by_id)
        assert g["tuple_skip"] == tuple(m[C["o"]] for m in by_id if m[C["o"]] is not None)
        assert g["sorted"] == tuple(sorted(vs))
        assert g["sorted_skip"] == tuple(sorted(m[C["o"]] for m in members
                                                if m[C["o"]] is not None))
        # a static table: one processing time, ties broken by id
        assert g["earliest"] == by_id[0][C["v"]] and g["latest"] == by_id[-1][C["v"]]
        assert g["combined"] == 2 * sum(vs) - len(members)


def test_groupby_ids_are_pointers_of_the_key_values():
    rows = random_rows(10, n=30)
    t = pw.debug.table_from_rows(Rows, rows)
    one = t.groupby(pw.this.k).reduce(pw.this.k)
    keys, cols = pw.debug.table_to_dicts(one)
    assert all(k == pw.pointer_from(cols["k"][k]) for k in keys)
    two = t.groupby(pw.this.k, pw.this.g).reduce(pw.this.k, pw.this.g, n=pw.reducers.count())
    keys, cols = pw.debug.table_to_dicts(two)
    assert all(k == pw.pointer_from(cols["k"][k], cols["g"][k]) for k in keys)
    expected = collections.Counter((r[C["k"]], r[C["g"]]) for r in rows)
    assert {(cols["k"][k], cols["g"][k]): cols["n"][k] for k in keys} == expected


def test_reduce_of_the_whole_table_and_groupby_forms():
    rows = random_rows(11, n=50)
    t = pw.debug.table_from_rows(Rows, rows)
    [whole] = final_rows(t.reduce(n=pw.reducers.count(), s=pw.reducers.sum(pw.this.v),
                                  m=pw.reducers.max(pw.this.f)))
    assert whole == {"n": 50, "s": sum(r[C["v"]] for r in rows),
                     "m": max(r[C["f"]] for r in rows)}
    [empty_key] = final_rows(t.groupby().reduce(n=pw.reducers.count()))
    assert empty_key == {"n": 50}
    # groupby by t.column and by pw.this.column: one result
    b = by_key(t.groupby(t.k).reduce(t.k, n=pw.reducers.count()), "k")
    c = by_key(t.groupby(pw.this.k).reduce(pw.this.k, n=pw.reducers.count()), "k")
    assert b == c == {k: {"k": k, "n": n}
                           for k, n in collections.Counter(r[C["k"]] for r in rows).items()}


def test_unique_with_different_values_is_an_error_value():
    t = pw.debug.table_from_markdown("""
        k | v
        a | 1
        a | 2
        b | 3
    """)
    r = t.groupby(pw.this.k).reduce(pw.this.k, u=pw.reducers.unique(pw.this.v))
    assert by_key(r, "k", terminate_on_error=False) == {"a": {"k": "a", "u": pw.ERROR},
                                                          "b": {"k": "b", "u": 3}}


def test_earliest_latest_follow_processing_time():
    class S(pw.Schema):
        k: str
        v: int

    rows = [("a", 5, 2, 1), ("a", 1, 4, 1), ("a", 9, 6, 1), ("b", 3, 6, 1), ("b", 2, 8, 1)]
    t = pw.debug.table_from_rows(S, rows, is_stream=True)
    r = t.groupby(pw.this.k).reduce(pw.this.k, e=pw.reducers.earliest(pw.this.v),
                                    l=pw.reducers.latest(pw.this.v))
    assert by_key(r, "k") == {"a": {"k": "a", "e": 5, "l": 9}, "b": {"k": "b", "e": 3, "l": 2}}


def test_reducers_are_exact_under_retractions():
    class S(pw.Schema):
        k: str
        v: int

    rng = random.Random(12)
    live = {}
    stream = []
    for step in range(60):
        time = 2 * (step // 5 + 1)
        if live and rng.random() < 0.35:
            key = rng.choice(sorted(live))
            stream.append((*live.pop(key), time, -1))
        else:
            row = (rng.choice("xy"), rng.randint(-20, 20))
            # a row is identified by its values here; keep them distinct
            if row in live.values():
                continue
            live[step] = row
            stream.append((*row, time, 1))
    # ids of table_from_rows are positions: a retraction needs the id of its insertion, so
    # build the stream as Pathway does, with the id column given by markdown
    lines = ["id | k | v | __time__ | __diff__"]
    ids = {}
    for index, (k, v, time, diff) in enumerate(stream):
        if diff == 1:
            ids[(k, v)] = index
        lines.append(f"{ids[(k, v)]} | {k} | {v} | {time} | {diff}")
    t = pw.debug.table_from_markdown("\n".join(lines))
    r = t.groupby(pw.this.k).reduce(pw.this.k, n=pw.reducers.count(), s=pw.reducers.sum(pw.this.v),
                                    mn=pw.reducers.min(pw.this.v), mx=pw.reducers.max(pw.this.v),
                                    st=pw.reducers.sorted_tuple(pw.this.v))
    expected = {}
    for k in "xy":
        vs = [v for (kk, v) in live.values() if kk == k]
        if vs:
            expected[k] = {"k": k, "n": len(vs), "s": sum(vs), "mn": min(vs), "mx": max(vs),
                           "st": tuple(sorted(vs))}
    assert by_key(r, "k") == expected


def test_reduce_rejects_a_column_outside_reducers():
    t = pw.debug.table_from_rows(Rows, random_rows(13, n=5))
    with pytest.raises(ValueError, match="'v'"):
        t.groupby(pw.this.k).reduce(pw.this.k, pw.this.v)


# -- windows ------------------------------------------------------------------------------------

class Events(pw.Schema):
    i: int
    t: int
    v: int
    k: str


def random_events(seed, n=60):
    rng = random.Random(seed)
    return [(i, rng.randint(-20, 60), rng.randint(0, 100), rng.choice("pq")) for i in range(n)]


def python_windows(times, hop, duration, origin=0):
    """Pathway's sliding assignment: [origin + j*hop, origin + j*hop + duration)."""
    out = collections.defaultdict(list)
    for index, time in times:
        first = (time - duration - origin) // hop + 1
        last = (time - origin) // hop
        for j in range(first, last + 1):
            start = origin + j * hop
            if start <= time < start + duration:
                out[(start, start + duration)].append(index)
    return out


@pytest.mark.parametrize("seed,duration", [(20, 7), (21, 10)])
def test_tumbling_windows_match_python(seed, duration):
    events = random_events(seed)
    t = pw.debug.table_from_rows(Events, events)
    r = t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=duration)).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end, n=pw.reducers.count(),
        s=pw.reducers.sum(pw.this.v), idx=pw.reducers.sorted_tuple(pw.this.i))
    got = {(row["_pw_window_start"], row["_pw_window_end"]): row for row in final_rows(r)}
    expected = python_windows([(e[0], e[1]) for e in events], duration, duration)
    assert set(got) == set(expected)
    value = {e[0]: e[2] for e in events}
    for window, members in expected.items():
        assert got[window]["n"] == len(members)
        assert got[window]["s"] == sum(value[m] for m in members)
        assert got[window]["idx"] == tuple(sorted(members))


@pytest.mark.parametrize("hop,duration,origin", [(3, 7, None), (5, 10, -2), (4, 4, 1)])
def test_sliding_windows_with_instance_match_python(hop, duration, origin):
    events = random_events(22)
    t = pw.debug.table_from_rows(Events, events)
    window = pw.temporal.sliding(hop=hop, duration=duration, origin=origin)
    r = t.windowby(pw.this.t, window=window, instance=pw.this.k).reduce(
        pw.this.k, pw.this._pw_window_start, pw.this._pw_window_end,
        idx=pw.reducers.sorted_tuple(pw.this.i))
    got = {(row["k"], row["_pw_window_start"], row["_pw_window_end"]): row["idx"]
           for row in final_rows(r)}
    expected = {}
    for k in "pq":
        times = [(e[0], e[1]) for e in events if e[3] == k]
        for (start, end), members in python_windows(times, hop, duration, origin or 0).items():
            # windows that start before an explicit origin are dropped
            if origin is not None and start < origin:
                continue
            expected[(k, start, end)] = tuple(sorted(members))
    assert got == expected


def test_sliding_ratio_is_duration_in_hops():
    events = random_events(23, n=30)
    t = pw.debug.table_from_rows(Events, events)
    a = t.windowby(pw.this.t, window=pw.temporal.sliding(hop=3, ratio=2)).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end, n=pw.reducers.count())
    b = t.windowby(pw.this.t, window=pw.temporal.sliding(hop=3, duration=6)).reduce(
        pw.this._pw_window_start, pw.this._pw_window_end, n=pw.reducers.count())
    assert multiset(final_rows(a), ["_pw_window_start", "_pw_window_end", "n"]) == \
        multiset(final_rows(b), ["_pw_window_start", "_pw_window_end", "n"])


def python_sessions(times, joins):
    """Sorted times split where joins(previous, next) is False."""
    sessions = []
    for index, time in sorted(times, key=lambda p: (p[1], p[0])):
        if sessions and joins(sessions[-1][-1][1], time):
            sessions[-1].append((index, time))
        else:
            sessions.append([(index, time)])
    return sessions


@pytest.mark.parametrize("seed", [24, 25])
def test_session_windows_match_python(seed):
    events = random_events(seed, n=40)
    t = pw.debug.table_from_rows(Events, events)
    by_gap = t.windowby(pw.this.t, window=pw.temporal.session(max_gap=4), instance=pw.this.k)
    by_predicate = t.windowby(pw.this.t, instance=pw.this.k, window=pw.temporal.session(
        predicate=lambda a, b: abs(b - a) <= 2))
    for grouped, joins in ((by_gap, lambda a, b: b - a < 4), (by_predicate,
                                                               lambda a, b: abs(b - a) <= 2)):
        r = grouped.reduce(pw.this.k, pw.this._pw_window_start, pw.this._pw_window_end,
                           idx=pw.reducers.sorted_tuple(pw.this.i))
        got = multiset(final_rows(r), ["k", "_pw_window_start", "_pw_window_end", "idx"])
        expected = collections.Counter()
        for k in "pq":
            for s in python_sessions([(e[0], e[1]) for e in events if e[3] == k], joins):
                expected[(k, s[0][1], s[-1][1], tuple(sorted(i for i, _ in s)))] += 1
        assert got == expected


def test_windows_over_datetimes_with_durations():
    class S(pw.Schema):
        at: pw.DateTimeNaive
        v: int

    base = datetime.datetime(2024, 3, 1, 12, 0, 0)
    rng = random.Random(26)
    offsets = [rng.randint(0, 3600) for _ in range(40)]
    t = pw.debug.table_from_rows(S, [(base + datetime.timedelta(seconds=s), s) for s in offsets])
    r = t.windowby(pw.this.at, window=pw.temporal.tumbling(
        duration=datetime.timedelta(minutes=10))).reduce(
        pw.this._pw_window_start, n=pw.reducers.count())
    got = {row["_pw_window_start"]: row["n"] for row in final_rows(r)}
    # the default origin of datetime windows is the epoch; 12:00 is a multiple of 10 minutes
    expected = collections.Counter(base + datetime.timedelta(minutes=10 * (s // 600))
                                   for s in offsets)
    assert got == dict(expected)


def test_window_column_is_instance_start_end():
    events = random_events(27, n=20)
    t = pw.debug.table_from_rows(Events, events)
    r = t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=10)).reduce(
        pw.this._pw_window, pw.this._pw_window_start, pw.this._pw_window_end)
    for row in final_rows(r):
        assert row["_pw_window"] == (None, row["_pw_window_start"], row["_pw_window_end"])


def window_updates(table):
    """(start, count, time, is_addition) of every update, through pw.io.subscribe."""
    updates = []
    pw.io.subscribe(table, on_change=lambda key, row, time, is_addition: updates.append(
        (row["_pw_window_start"], row["n"], time, is_addition)))
    pw.run()
    return updates


STREAM = """
    t  | v | __time__
    1  | 10 | 2
    2  | 1  | 4
    5  | 3  | 6
    3  | 7  | 8
    12 | 2  | 10
"""


def test_without_behavior_windows_update_on_every_row():
    t = pw.debug.table_from_markdown(STREAM)
    r = t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=4)).reduce(
        pw.this._pw_window_start, n=pw.reducers.count())
    updates = window_updates(r)
    # window [0, 4) gets rows at times 2, 4 and 8 (t=3 is late but accepted): 1, 2, 3 rows
    assert [(n, add) for start, n, _, add in updates if start == 0] == \
        [(1, True), (1, False), (2, True), (2, False), (3, True)]


def test_exactly_once_behavior_emits_each_window_once():
    t = pw.debug.table_from_markdown(STREAM)
    r = t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=4),
                   behavior=pw.temporal.exactly_once_behavior()).reduce(
        pw.this._pw_window_start, n=pw.reducers.count())
    updates = window_updates(r)
    assert all(add for *_, add in updates)
    starts = [start for start, *_ in updates]
    assert sorted(starts) == [0, 4, 12]
    # t=3 arrives (time 8) after window [0, 4) was emitted (time 6, when t=5 was seen): it is
    # ignored, so the window has the 2 rows seen before
    assert {start: n for start, n, _, _ in updates} == {0: 2, 4: 1, 12: 1}
    assert {start: time for start, _, time, _ in updates}[0] == 6


def test_common_behavior_delay_holds_first_results():
    t = pw.debug.table_from_markdown(STREAM)
    r = t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=4),
                   behavior=pw.temporal.common_behavior(delay=2)).reduce(
        pw.this._pw_window_start, n=pw.reducers.count())
    updates = window_updates(r)
    first = {}
    for start, n, time, add in updates:
        first.setdefault(start, (n, time))
    # window [0, 4) is held until the largest time seen reaches 0 + 2 (t=2, at time 4),
    # window [4, 8) until it reaches 6 (t=12, at time 10)
    assert first[0] == (2, 4)
    assert first[4] == (1, 10)
    final = {}
    for start, n, _, add in updates:
        if add:
            final[start] = n
    assert final == {0: 3, 4: 1, 12: 1}


# -- joins --------------------------------------------------------------------------------------

class L(pw.Schema):
    li: int
    k: int
    a: str


class R(pw.Schema):
    ri: int
    k: int
    b: float


def join_inputs(seed):
    rng = random.Random(seed)
    left = [(i, rng.randint(0, 6), rng.choice("xyz")) for i in range(25)]
    right = [(i, rng.randint(3, 9), rng.uniform(-1, 1)) for i in range(20)]
    return left, right


def python_join(left, right, how):
    out = collections.Counter()
    matched_right = set()
    for lrow in left:
        matches = [r for r in right if r[1] == lrow[1]]
        for r in matches:
            matched_right.add(r[0])
            out[(lrow[0], r[0], lrow[1])] += 1
        if not matches and how in ("left", "outer"):
            out[(lrow[0], None, lrow[1])] += 1
    if how in ("right", "outer"):
        for r in right:
            if r[0] not in matched_right:
                out[(None, r[0], r[1])] += 1
    return out


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@pytest.mark.parametrize("seed", [30, 31])
def test_joins_match_python(how, seed):
    left, right = join_inputs(seed)
    tl = pw.debug.table_from_rows(L, left)
    tr = pw.debug.table_from_rows(R, right)
    method = {"inner": tl.join, "left": tl.join_left, "right": tl.join_right,
              "outer": tl.join_outer}[how]
    r = method(tr, pw.left.k == pw.right.k).select(pw.left.li, pw.right.ri, pw.this.k)
    assert multiset(final_rows(r), ["li", "ri", "k"]) == python_join(left, right, how)
    hints = r.typehints()
    assert hints["li"] == (int if how in ("inner", "left") else typing.Optional[int])
    assert hints["ri"] == (int if how in ("inner", "right") else typing.Optional[int])


def test_join_with_join_mode_and_table_references():
    left, right = join_inputs(32)
    tl = pw.debug.table_from_rows(L, left)
    tr = pw.debug.table_from_rows(R, right)
    a = tl.join(tr, tl.k == tr.k, how=pw.JoinMode.OUTER).select(tl.li, tr.ri, k=pw.this.k)
    assert multiset(final_rows(a), ["li", "ri", "k"]) == python_join(left, right, "outer")
    # a join with no condition pairs every row
    cross = tl.join(tr).select(pw.left.li, pw.right.ri)
    assert len(final_rows(cross)) == len(left) * len(right)


def test_join_ids():
    left, right = join_inputs(33)
    tl = pw.debug.table_from_rows(L, left)
    tr = pw.debug.table_from_rows(R, right)
    r = tl.join(tr, pw.left.k == pw.right.k).select(
        pw.left.li, pw.right.ri, lid=pw.left.id, rid=pw.right.id, me=pw.this.id)
    lids, rids = ids_by_index_l(tl), ids_by_index_r(tr)
    keys, cols = pw.debug.table_to_dicts(r)
    for key in keys:
        assert cols["lid"][key] == lids[cols["li"][key]]
        assert cols["rid"][key] == rids[cols["ri"][key]]
        assert cols["me"][key] == key
    assert len(set(keys)) == len(keys)
    # id=pw.left.id keeps the left row's id (each left row matches at most once here)
    unique_right = [(i, i, 0.5) for i in range(10)]
    tu = pw.debug.table_from_rows(R, unique_right)
    kept = tl.join_left(tu, pw.left.k == pw.right.k, id=pw.left.id).select(pw.left.li,
                                                                          pw.right.ri)
    keys, cols = pw.debug.table_to_dicts(kept)
    assert {cols["li"][k]: k for k in keys} == lids
    assert all(cols["ri"][k] == left[cols["li"][k]][1] for k in keys)


def ids_by_index_l(table):
    keys, cols = pw.debug.table_to_dicts(table.select(pw.this.li, me=pw.this.id))
    return {cols["li"][k]: cols["me"][k] for k in keys}


def ids_by_index_r(table):
    keys, cols = pw.debug.table_to_dicts(table.select(pw.this.ri, me=pw.this.id))
    return {cols["ri"][k]: cols["me"][k] for k in keys}


def test_join_with_id_and_duplicate_matches_keeps_one_row_per_id():
    t1 = pw.debug.table_from_markdown("""
        a
        1
        2
        3
    """)
    t2 = pw.debug.table_from_markdown("""
        b
        1
        1
        1
        2
    """)
    r = t1.join_left(t2, pw.left.a == pw.right.b, id=pw.left.id).select(pw.left.a, pw.right.b)
    count = collections.Counter()
    values = {}

    def on_change(key, row, time, is_addition):
        count[key] += 1 if is_addition else -1
        values[key] = row

    pw.io.subscribe(r, on_change=on_change)
    pw.run(terminate_on_error=False)
    assert sorted(count.values()) == [1, 1, 1]
    assert sorted((row["a"], row["b"]) for row in values.values()
                  if row["a"] != 1) == [(2, 2), (3, None)]
    assert [row["b"] for row in values.values() if row["a"] == 1] == [pw.ERROR]


def test_ix_reads_rows_by_pointer():
    left, _ = join_inputs(34)
    tl = pw.debug.table_from_rows(L, left)
    lids = ids_by_index_l(tl)
    rng = random.Random(34)

    class P(pw.Schema):
        n: int
        target: pw.Pointer

    picks = [(n, rng.randrange(len(left))) for n in range(15)]
    pointers = pw.debug.table_from_rows(P, [(n, lids[i]) for n, i in picks])
    looked_up = tl.ix(pointers.target).select(pw.this.li, pw.this.a)
    keys, cols = pw.debug.table_to_dicts(looked_up)
    assert sorted(cols["li"].values()) == sorted(i for _, i in picks)
    # ids are the context's (pointers') ids
    assert set(keys) == set(pw.debug.table_to_dicts(pointers)[0])
    for key in keys:
        assert cols["a"][key] == left[cols["li"][key]][2]
    with_context = tl.ix(pw.this.target, context=pointers).select(pw.this.a)
    assert sorted(pw.debug.table_to_dicts(with_context)[1]["a"].values()) == \
        sorted(left[i][2] for _, i in picks)


def test_ix_optional_gives_none_for_missing_rows():
    tl = pw.debug.table_from_rows(L, [(0, 1, "x")])

    class P(pw.Schema):
        target: pw.Pointer

    pointers = pw.debug.table_from_rows(P, [(pw.pointer_from(12345),)])
    r = tl.ix(pointers.target, optional=True).select(pw.this.a)
    assert list(pw.debug.table_to_dicts(r)[1]["a"].values()) == [None]


@pytest.mark.parametrize("seed", [1, 2])
def test_ix_of_a_reducer_inside_reduce_matches_python(seed):
    # Pathway's idiom: the row of the group's argmax, read inside reduce (and in a reduce of
    # the whole table); compared with the same lookup done in plain Python.
    rng = random.Random(seed)
    rows = [(rng.randint(0, 4), rng.sample(range(1000), 1)[0], f"n{i}") for i in range(60)]

    class R(pw.Schema):
        k: int
        v: int
        name: str

    t = pw.debug.table_from_rows(R, rows)
    r = t.groupby(pw.this.k).reduce(
        pw.this.k, top=t.ix(pw.reducers.argmax(pw.this.v)).name,
        n=pw.reducers.count(), low=t.ix(pw.reducers.argmin(pw.this.v))["name"])
    assert r.column_names() == ["k", "top", "n", "low"]
    got = {row["k"]: (row["top"], row["n"], row["low"]) for row in final_rows(r)}
    want = {}
    for k in {k for k, _, _ in rows}:
        group = [row for row in rows if row[0] == k]
        want[k] = (max(group, key=lambda x: x[1])[2], len(group),
                   min(group, key=lambda x: x[1])[2])
    assert got == want
    whole = t.reduce(top=t.ix(pw.reducers.argmax(pw.this.v)).name)
    assert final_rows(whole) == [{"top": max(rows, key=lambda x: x[1])[2]}]
    # The result keeps the groups' ids (those of a reduce without the lookup).
    plain = t.groupby(pw.this.k).reduce(pw.this.k)
    assert set(pw.debug.table_to_dicts(r)[0]) == set(pw.debug.table_to_dicts(plain)[0])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reducers_over_a_column_looked_up_by_pointer_from_match_python(seed):
    # Pathway's W29 idiom on random rows: `values.pointer_from(ptr)` names a row of `values`
    # by its key, and reducers read `values.ix(grouped.ptr).v` per grouped row.
    rng = random.Random(seed)
    keys = rng.sample(range(10_000), 40)
    values = {key: rng.randint(-100, 100) for key in keys}

    class V(pw.Schema):
        key: int = pw.column_definition(primary_key=True)
        v: int

    class R(pw.Schema):
        g: int
        t: int
        ptr: int

    rows = [(rng.randint(0, 5), rng.randint(0, 100), rng.choice(keys)) for _ in range(300)]
    vt = pw.debug.table_from_rows(V, list(values.items()))
    t = pw.debug.table_from_rows(R, rows).select(pw.this.g, pw.this.t,
                                                  ptr=vt.pointer_from(pw.this.ptr))
    grouped = t.groupby(pw.this.g)
    r = grouped.reduce(pw.this.g, total=pw.reducers.sum(vt.ix(grouped.ptr).v),
                       top=pw.reducers.max(vt.ix(grouped.ptr).v), n=pw.reducers.count())
    got = {row["g"]: (row["total"], row["top"], row["n"]) for row in final_rows(r)}
    want = {}
    for g in {g for g, _, _ in rows}:
        looked_up = [values[key] for gg, _, key in rows if gg == g]
        want[g] = (sum(looked_up), max(looked_up), len(looked_up))
    assert got == want
    # pointer_from gives the ids of the primary key's rows (and of groupby's groups).
    assert set(pw.debug.table_to_dicts(vt)[0]) == {pw.pointer_from(key) for key in keys}
    # Windowed too: a sliding window over t's times, the looked-up values summed per window.
    windowed = t.windowby(t.t, window=pw.temporal.tumbling(10))
    w = windowed.reduce(start=pw.this._pw_window_start,
                        total=pw.reducers.sum(vt.ix(windowed.ptr).v))
    got_w = {row["start"]: row["total"] for row in final_rows(w)}
    want_w = collections.Counter()
    for _g, time, key in rows:
        want_w[time // 10 * 10] += values[key]
    assert got_w == dict(want_w)


def test_grouped_table_attributes_are_its_tables_columns():
    t = pw.debug.table_from_markdown("k | v\n1 | 2\n")
    grouped = t.groupby(pw.this.k)
    assert grouped.v.column_name == "v"
    with pytest.raises(AttributeError, match="'nope'"):
        grouped.nope


def test_ix_of_a_reducer_is_a_reduce_value_only():
    t = pw.debug.table_from_markdown("k | v\n1 | 2\n")
    with pytest.raises(TypeError, match="only usable as a whole reduce"):
        t.groupby(pw.this.k).reduce(x=t.ix(pw.reducers.argmax(pw.this.v)).v + 1)
    with pytest.raises(KeyError, match="'nope'"):
        t.ix(pw.reducers.argmax(pw.this.v)).nope


# -- printing -----------------------------------------------------------------------------------

def pathway_layout(columns, rows, include_id=True, short_pointers=True, n_rows=None):
    """The text Pathway's compute_and_print prints for (key, values) rows: rows sorted by
    their values (None first) then id, cells left-justified to the column's width except the
    last one, None printed empty (or "None" for a lone column without ids), ids cut to 8
    characters and '...'."""
    none = "" if include_id or len(columns) > 1 else "None"

    def cell(value):
        if value is None:
            return none
        if isinstance(value, pw.Pointer) and short_pointers:
            text = str(value)
            return text[:8] + "..." if len(text) > 8 else text
        return str(value)

    def order(row):
        return tuple((v is not None, v) for v in row[1]) + (row[0],)

    rows = sorted(rows, key=order)[:n_rows]
    table = [([""] if include_id else []) + list(columns)]
    for key, values in rows:
        table.append(([cell(key)] if include_id else []) + [cell(v) for v in values])
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    widths[-1] = 0
    return "".join(" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n"
                   for r in table)


@pytest.mark.parametrize("include_id,n_rows", [(True, None), (False, None), (True, 3)])
def test_compute_and_print_layout_is_pathways(capsys, include_id, n_rows):
    rows = random_rows(40, n=12)
    t = pw.debug.table_from_rows(Rows, rows).select(pw.this.k, pw.this.v, pw.this.o)
    keys, cols = pw.debug.table_to_dicts(t)
    expected = pathway_layout(["k", "v", "o"],
                              [(k, (cols["k"][k], cols["v"][k], cols["o"][k])) for k in keys],
                              include_id=include_id, n_rows=n_rows)
    pw.debug.compute_and_print(t, include_id=include_id, n_rows=n_rows)
    assert capsys.readouterr().out == expected


def test_compute_and_print_lone_column_without_ids_prints_none(capsys):
    t = pw.debug.table_from_rows(Rows, random_rows(41, n=8)).select(pw.this.o)
    keys, cols = pw.debug.table_to_dicts(t)
    expected = pathway_layout(["o"], [(k, (cols["o"][k],)) for k in keys], include_id=False)
    assert "None" in expected
    pw.debug.compute_and_print(t, include_id=False)
    assert capsys.readouterr().out == expected


def test_column_of_another_table_with_the_same_universe():
    t1 = pw.debug.table_from_markdown("""
        name | age
        A    | 10
        B    | 20
    """)
    t4 = t1.select(age=pw.this.age * 100)
    r = t1.select(pw.this.name, a4=t4.age)
    assert by_key(r, "name") == {"A": {"name": "A", "a4": 1000}, "B": {"name": "B", "a4": 2000}}


def test_ix_column_inside_select_of_the_context_table():
    t1 = pw.debug.table_from_markdown("""
        name | age
        A    | 10
        B    | 20
    """)
    t2 = t1.select(ptr=t1.id, other=pw.this.age + 1)
    r = t2.select(pw.this.other, name=t1.ix(t2.ptr).name)
    assert by_key(r, "name") == {"A": {"other": 11, "name": "A"}, "B": {"other": 21, "name": "B"}}


def test_earliest_in_windowby_warns_at_the_callers_line():
    # Pathway warns that earliest/latest use processing time, not the window's data time,
    # and the warning points at the user's reduce() call
    t = pw.debug.table_from_rows(Events, random_events(42, n=5))
    grouped = t.windowby(pw.this.t, window=pw.temporal.tumbling(duration=10))
    with pytest.warns(UserWarning, match="processing time") as record:
        grouped.reduce(e=pw.reducers.earliest(pw.this.v))
    assert record[0].filename == __file__


@pytest.mark.parametrize("seed", [1, 2])
def test_ix_ref_looks_rows_up_by_their_key_values_as_python_does(seed):
    rng = random.Random(seed)
    names = [f"user{i}" for i in rng.sample(range(1000), 30)]
    ages = {name: rng.randint(18, 90) for name in names}

    class People(pw.Schema):
        name: str = pw.column_definition(primary_key=True)
        age: int

    class Visits(pw.Schema):
        who: str
        n: int

    visits = [(rng.choice(names), i) for i in range(200)]
    people = pw.debug.table_from_rows(People, list(ages.items()))
    v = pw.debug.table_from_rows(Visits, visits)
    r = v.select(v.n, age=people.ix_ref(v.who).age)
    assert sorted((row["n"], row["age"]) for row in final_rows(r)) == sorted(
        (n, ages[who]) for who, n in visits)
    # A key that is not there: optional gives None, as ix(optional=True) does.
    missing = pw.debug.table_from_rows(Visits, [("nobody", 0)])
    m = missing.select(age=people.ix_ref(missing.who, optional=True).age)
    assert final_rows(m) == [{"age": None}]


@pytest.mark.parametrize("seed", [1, 2])
def test_remove_errors_keeps_exactly_the_rows_without_an_error(seed):
    rng = random.Random(seed)

    class Ab(pw.Schema):
        a: int
        b: int | None

    rows = [(rng.randint(-5, 5), rng.choice([None, 0, 1, 2, -3])) for _ in range(300)]
    t = pw.debug.table_from_rows(Ab, rows)
    # a // b is Error where b == 0 (None where b is None: no error).
    r = t.select(t.a, t.b, q=pw.this.a // pw.this.b).remove_errors()
    got = collections.Counter((row["a"], row["b"], row["q"])
                              for row in final_rows(r, terminate_on_error=False))
    want = collections.Counter((a, b, None if b is None else a // b) for a, b in rows if b != 0)
    assert got == want and sum(want.values()) < len(rows)


@pytest.mark.parametrize("seed", [1, 2])
def test_with_id_from_gives_pointer_from_ids_and_keeps_the_rows(seed):
    rng = random.Random(seed)

    class Kv(pw.Schema):
        k: int
        s: str
        v: int

    keys = rng.sample([(k, s) for k in range(50) for s in "abc"], 80)
    rows = [(k, s, rng.randint(-9, 9)) for k, s in keys]
    t = pw.debug.table_from_rows(Kv, rows)
    r = t.with_id_from(t.k, pw.this.s)
    keys_out, cols = pw.debug.table_to_dicts(r)
    assert {key: (cols["k"][key], cols["s"][key], cols["v"][key]) for key in keys_out} == {
        pw.pointer_from(k, s): (k, s, v) for k, s, v in rows}
    # Two rows with the same key values: a duplicate key, reported.
    dup = pw.debug.table_from_rows(Kv, [(1, "a", 1), (1, "a", 2)])
    with pytest.raises(pw.EngineError):
        pw.debug.table_to_dicts(dup.with_id_from(dup.k, dup.s))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_id_set_operations_follow_the_ids_as_python_sets_do(seed):
    rng = random.Random(seed)

    def table(columns, ids):
        lines = ["  | " + " | ".join(columns)]
        values = {}
        for i in ids:
            values[i] = tuple(rng.randint(-9, 9) for _ in columns)
            lines.append(f"{i} | " + " | ".join(str(v) for v in values[i]))
        return pw.debug.table_from_markdown("\n".join(lines)), values

    a, av = table(["v", "w"], rng.sample(range(1, 40), 25))
    b, bv = table(["v"], rng.sample(range(1, 40), 20))
    c, cv = table(["v", "w"], rng.sample(range(1, 40), 20))

    def rows(t):
        keys, cols = pw.debug.table_to_dicts(t)
        return {k: tuple(cols[name][k] for name in t.column_names()) for k in keys}

    # Markdown ids are pointers of the id values.
    p = {i: pw.debug.table_to_dicts(
        pw.debug.table_from_markdown(f"  | x\n{i} | 0"))[0][0] for i in range(1, 40)}
    assert rows(a.restrict(b)) == {p[i]: av[i] for i in av if i in bv}
    assert rows(a.difference(b)) == {p[i]: av[i] for i in av if i not in bv}
    assert rows(a.intersect(b, c)) == {p[i]: av[i] for i in av if i in bv and i in cv}
    assert rows(a.update_rows(c)) == {**{p[i]: av[i] for i in av}, **{p[i]: cv[i] for i in cv}}
    want = {p[i]: ((bv[i][0],) if i in bv else av[i][:1]) + av[i][1:] for i in av}
    assert rows(a.update_cells(b)) == want
    assert rows(a << b) == want


def test_id_set_operations_check_columns():
    a = pw.debug.table_from_markdown("  | v | w\n1 | 1 | 2")
    b = pw.debug.table_from_markdown("  | v\n1 | 5")
    with pytest.raises(ValueError, match="column 'w' is missing from the other table"):
        a.update_rows(b)
    with pytest.raises(ValueError, match="column 'w' of the other table is not a column"):
        b.update_cells(a)


@pytest.mark.parametrize("seed", [1, 2])
def test_flatten_gives_a_row_per_element_as_python_iterates(seed):
    rng = random.Random(seed)

    class Row(pw.Schema):
        k: int
        s: str

    rows = [(rng.randint(0, 9), "".join(rng.choice("abé日") for _ in range(rng.randint(0, 4))))
            for _ in range(60)]
    t = pw.debug.table_from_rows(Row, rows)
    lists = t.select(pw.this.k, xs=pw.apply(lambda k: list(range(k)), pw.this.k))
    got = collections.Counter((r["k"], r["xs"]) for r in final_rows(lists.flatten(lists.xs)))
    assert got == collections.Counter((k, x) for k, _ in rows for x in range(k))
    chars = t.flatten(pw.this.s, origin_id="origin")
    keys, cols = pw.debug.table_to_dicts(chars)
    assert collections.Counter((cols["k"][key], cols["s"][key]) for key in keys) == \
        collections.Counter((k, c) for k, s in rows for c in s)
    original_keys, original = pw.debug.table_to_dicts(t)
    # Every row names the row it came from, whose string holds its character.
    for key in keys:
        assert cols["s"][key] in original["s"][cols["origin"][key]]
    with pytest.raises(TypeError, match="column 'k' is int"):
        t.flatten(t.k)


def test_universe_promises_are_accepted_and_update_cells_follows_the_ids():
    # Pathway's documented example: without the promise Pathway raises (it cannot prove the
    # subset); vigil takes the ids as they are, and the promise is a no-op.
    t1 = pw.debug.table_from_markdown("""
      | age | owner | pet
    1 | 8   | Alice | cat
    2 | 9   | Bob   | dog
    3 | 15  | Alice | tortoise
    """)
    t2 = pw.debug.table_from_markdown("""
      | age | owner
    1 | 11  | Alice
    2 | 12  | Tom
    3 | 7   | Eve
    4 | 99  | Papa
    """).filter(pw.this.age < 20)
    t3 = t2.filter(pw.this.age > 10)
    pw.universes.promise_are_equal(t1, t2)
    assert t1.promise_universe_is_subset_of(t2) is t1
    result = t1.update_cells(t3)
    assert sorted(tuple(r.values()) for r in final_rows(result)) == [
        (11, "Alice", "cat"), (12, "Tom", "dog"), (15, "Alice", "tortoise")]
    with pytest.raises(TypeError):
        pw.universes.promise_is_subset_of(t1, "not a table")
