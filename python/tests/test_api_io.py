"""Inputs and outputs of the Python API: csv and jsonlines round trips, plaintext, fs.read,
pw.io.subscribe's callbacks, pw.run() and G.clear() between graphs. Files live in tmp_path;
what vigil writes is also read back with Python's own csv and json modules."""

import collections
import csv
import json
import random

import pytest

import vigil as pw
from vigil.internals.parse_graph import G


class Mixed(pw.Schema):
    a: int
    f: float
    s: str
    o: int | None
    b: bool


def random_rows(seed, n=50):
    rng = random.Random(seed)
    texts = ["plain", "", "with,comma", 'with "quotes"', "multi\nline", "ünïcödé ✓", " padded ",
             "None", "'single'"]
    return [(rng.randint(-10**12, 10**12), rng.choice([0.1, -2.5, 1e-300, rng.uniform(-1e6, 1e6)]),
             rng.choice(texts) + str(i), None if rng.random() < 0.3 else rng.randint(-5, 5),
             rng.random() < 0.5) for i in range(n)]


def final_multiset(table, columns=None):
    _, cols = pw.debug.table_to_dicts(table)
    columns = columns or list(cols)
    keys = list(cols[columns[0]]) if columns else []
    return collections.Counter(tuple(cols[c][k] for c in columns) for k in keys)


def test_csv_write_then_read_round_trip(tmp_path):
    rows = random_rows(1)
    t = pw.debug.table_from_rows(Mixed, rows)
    path = tmp_path / "out.csv"
    pw.io.csv.write(t, path)
    pw.run()

    # Pathway's update format: the columns, then time and diff; every row an insertion
    with open(path, newline="") as f:
        records = list(csv.DictReader(f))
    assert list(records[0]) == ["a", "f", "s", "o", "b", "time", "diff"]
    assert {r["diff"] for r in records} == {"1"}
    assert collections.Counter((int(r["a"]), float(r["f"]), r["s"]) for r in records) == \
        collections.Counter((a, f, s) for a, f, s, _, _ in rows)

    G.clear()
    back = pw.io.csv.read(path, schema=Mixed, mode="static")
    assert back.typehints() == Mixed.typehints()
    assert final_multiset(back) == collections.Counter(rows)


def test_jsonlines_write_then_read_round_trip(tmp_path):
    rows = random_rows(2)
    t = pw.debug.table_from_rows(Mixed, rows)
    path = tmp_path / "out.jsonl"
    pw.io.jsonlines.write(t, path)
    pw.run()
    with open(path) as f:
        records = [json.loads(line) for line in f if line.strip()]
    assert all(r["diff"] == 1 for r in records)
    assert collections.Counter((r["a"], r["f"], r["s"], r["o"], r["b"]) for r in records) == \
        collections.Counter(rows)

    G.clear()
    back = pw.io.jsonlines.read(path, schema=Mixed, mode="static")
    assert final_multiset(back) == collections.Counter(rows)


def test_csv_read_of_python_written_file(tmp_path):
    rows = random_rows(3)
    path = tmp_path / "in.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["s", "extra", "a", "b", "f", "o"])  # any order, extra columns
        for a, fl, s, o, b in rows:
            writer.writerow([s, "ignored", a, "true" if b else "false", repr(fl),
                             "" if o is None else o])
    t = pw.io.csv.read(path, schema=Mixed, mode="static")
    assert t.column_names() == ["a", "f", "s", "o", "b"]
    assert final_multiset(t) == collections.Counter(rows)


def test_csv_default_values_and_primary_key_ids(tmp_path):
    class S(pw.Schema):
        name: str = pw.column_definition(primary_key=True)
        n: int = pw.column_definition(default_value=42)
        note: int | None

    path = tmp_path / "in.csv"
    path.write_text("name,n,note\nx,1,7\ny,,\n")
    t = pw.io.csv.read(path, schema=S, mode="static")
    keys, cols = pw.debug.table_to_dicts(t)
    got = {cols["name"][k]: (k, cols["n"][k], cols["note"][k]) for k in keys}
    assert got == {"x": (pw.pointer_from("x"), 1, 7), "y": (pw.pointer_from("y"), 42, None)}


def test_csv_directory_is_read_whole(tmp_path):
    rows = random_rows(4, n=30)
    (tmp_path / "d").mkdir()
    for part in range(3):
        with open(tmp_path / "d" / f"part{part}.csv", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["a", "f", "s", "o", "b"])
            for a, fl, s, o, b in rows[part::3]:
                writer.writerow([a, repr(fl), s, "" if o is None else o, b])
    t = pw.io.csv.read(tmp_path / "d", schema=Mixed, mode="static")
    assert final_multiset(t) == collections.Counter(rows)
    same = pw.io.fs.read(tmp_path / "d", format="csv", schema=Mixed, mode="static")
    assert final_multiset(same) == collections.Counter(rows)


def test_jsonlines_read_of_python_written_file(tmp_path):
    rows = random_rows(5)
    path = tmp_path / "in.jsonl"
    with open(path, "w") as f:
        for a, fl, s, o, b in rows:
            f.write(json.dumps({"b": b, "o": o, "s": s, "f": fl, "a": a, "other": [1]}) + "\n")
        f.write("\n")  # blank lines are skipped
    t = pw.io.jsonlines.read(path, schema=Mixed, mode="static")
    assert final_multiset(t) == collections.Counter(rows)
    same = pw.io.fs.read(path, format="json", schema=Mixed, mode="static")
    assert final_multiset(same) == collections.Counter(rows)


def test_plaintext_read(tmp_path):
    lines = ["first line", "  padded  ", "", "tab\tinside", "last without newline"]
    path = tmp_path / "in.txt"
    path.write_text("\n".join(lines))
    t = pw.io.plaintext.read(path, mode="static")
    assert t.column_names() == ["data"] and t.typehints() == {"data": str}
    # every line is a row, blank ones too, with surrounding whitespace trimmed
    expected = collections.Counter((line.strip(),) for line in lines)
    assert final_multiset(t) == expected
    assert final_multiset(pw.io.fs.read(path, format="plaintext", mode="static")) == expected


def test_subscribe_callbacks_agree_with_the_final_table():
    class S(pw.Schema):
        k: str = pw.column_definition(primary_key=True)
        v: int

    rng = random.Random(6)
    stream, live = [], {}
    for step in range(40):
        time = 2 * (step // 4 + 1)
        k = rng.choice("abcdefg")
        if k in live:
            stream.append((k, live.pop(k), time, -1))
        else:
            live[k] = rng.randint(0, 99)
            stream.append((k, live[k], time, 1))
    t = pw.debug.table_from_rows(S, stream, is_stream=True)

    changes, time_ends, ends = [], [], []
    pw.io.subscribe(t, on_change=lambda key, row, time, is_addition:
                    changes.append((key, row, time, is_addition)),
                    on_time_end=time_ends.append, on_end=lambda: ends.append(len(changes)))
    pw.run()

    assert ends == [len(changes)]  # once, after every change
    assert time_ends == sorted(set(time_ends))
    assert {time for _, _, time, _ in changes} <= set(time_ends)
    state = {}
    for key, row, time, is_addition in changes:
        assert set(row) == {"k", "v"}
        if is_addition:
            assert key not in state
            state[key] = row
        else:
            assert state.pop(key) == row
    assert {row["k"]: row["v"] for row in state.values()} == live
    assert all(key == pw.pointer_from(row["k"]) for key, row in state.items())

    # the same final state as the debug capture, and the run ends
    keys, cols = pw.debug.table_to_dicts(t)
    assert {k: {"k": cols["k"][k], "v": cols["v"][k]} for k in keys} == state


def test_run_computes_every_registered_output(tmp_path):
    rows = random_rows(7, n=20)
    t = pw.debug.table_from_rows(Mixed, rows)
    positive = t.filter(pw.this.a > 0)
    pw.io.csv.write(t, tmp_path / "all.csv")
    pw.io.jsonlines.write(positive, tmp_path / "positive.jsonl")
    seen = []
    pw.io.subscribe(positive, on_change=lambda key, row, time, is_addition: seen.append(row["a"]))
    pw.run()
    with open(tmp_path / "all.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == len(rows)
    with open(tmp_path / "positive.jsonl") as f:
        assert sorted(json.loads(line)["a"] for line in f) == sorted(r[0] for r in rows if r[0] > 0)
    assert sorted(seen) == sorted(r[0] for r in rows if r[0] > 0)


def test_graph_clear_forgets_registered_outputs(tmp_path):
    t = pw.debug.table_from_rows(Mixed, random_rows(8, n=5))
    calls = []
    pw.io.csv.write(t, tmp_path / "first.csv")
    pw.io.subscribe(t, on_change=lambda *args: calls.append("first"))
    G.clear()
    pw.io.subscribe(t, on_change=lambda *args: calls.append("second"))
    pw.run()
    assert not (tmp_path / "first.csv").exists()
    assert calls == ["second"] * 5
    # a second run after clearing runs nothing of the first graph
    G.clear()
    pw.run()
    assert calls == ["second"] * 5


def test_run_twice_runs_the_outputs_twice(tmp_path):
    t = pw.debug.table_from_rows(Mixed, random_rows(9, n=3))
    calls = []
    pw.io.subscribe(t, on_change=lambda *args: calls.append(1), on_end=lambda: calls.append("end"))
    pw.run()
    pw.run()
    assert calls == [1, 1, 1, "end", 1, 1, 1, "end"]


def test_callback_exception_is_raised_by_run():
    t = pw.debug.table_from_rows(Mixed, random_rows(10, n=3))

    def on_change(key, row, time, is_addition):
        raise LookupError("from the callback")

    pw.io.subscribe(t, on_change=on_change)
    with pytest.raises(LookupError, match="from the callback"):
        pw.run()


def test_run_accepts_pathways_options():
    t = pw.debug.table_from_rows(Mixed, random_rows(11, n=3))
    calls = []
    pw.io.subscribe(t, on_change=lambda *args: calls.append(1))
    pw.run(monitoring_level=pw.MonitoringLevel.NONE, with_http_server=False, debug=False)
    assert calls == [1, 1, 1]
    with pytest.raises(NotImplementedError):
        pw.run(persistence_config=object())


def test_reader_options_that_would_change_the_table_are_refused(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("a\n1\n")
    schema = pw.schema_from_types(a=int)
    for option in ({"with_metadata": True}, {"id_columns": ["a"]}, {"value_columns": ["a"]}):
        with pytest.raises(NotImplementedError, match=next(iter(option))):
            pw.io.csv.read(path, schema=schema, mode="static", **option)
    # their "off" values and Pathway's other options are accepted
    t = pw.io.csv.read(path, schema=schema, mode="static", with_metadata=False,
                       autocommit_duration_ms=50, name="input")
    assert list(pw.debug.table_to_dicts(t)[1]["a"].values()) == [1]


# -- table_from_markdown(id_from=...) ----------------------------------------------------------

def ids_by(table, column):
    """{value of `column`: row id} of the table's final state."""
    keys, columns = pw.debug.table_to_dicts(table)
    return {columns[column][k]: k for k in keys}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_markdown_id_from_gives_the_ids_groupby_gives(seed):
    # Pathway's id_from keys rows by pointer_from(*values), the id of the groupby's group of
    # the same values: random keys of both types, one column and two in either order.
    rng = random.Random(seed)
    rows = sorted({(rng.randint(-50, 50), rng.choice("abcdefgh") * rng.randint(1, 3))
                   for _ in range(40)})
    text = "k | s | v\n" + "".join(f"{k} | {s} | {i}\n" for i, (k, s) in enumerate(rows))
    for id_from in (["k", "s"], ["s", "k"]):
        keyed = pw.debug.table_from_markdown(text, id_from=id_from)
        grouped = pw.debug.table_from_markdown(text).groupby(
            *[pw.this[c] for c in id_from]).reduce(pw.this.k, pw.this.s)
        keyed_ids = {(r, ids) for r, ids in ids_by(keyed.select(ks=pw.make_tuple(
            pw.this.k, pw.this.s)), "ks").items()}
        grouped_ids = {(r, ids) for r, ids in ids_by(grouped.select(ks=pw.make_tuple(
            pw.this.k, pw.this.s)), "ks").items()}
        assert keyed_ids == grouped_ids
        assert len(keyed_ids) == len(rows)
    # One column: a string is accepted for a list of one.
    single = sorted({k for k, _ in rows})
    text1 = "k\n" + "".join(f"{k}\n" for k in single)
    assert ids_by(pw.debug.table_from_markdown(text1, id_from="k"), "k") == ids_by(
        pw.debug.table_from_markdown(text1).groupby(pw.this.k).reduce(pw.this.k), "k")


def test_markdown_id_from_keys_an_update_stream_and_names_a_missing_column():
    t = pw.debug.table_from_markdown("""
        k | v | __time__ | __diff__
        1 | a | 2        | 1
        2 | b | 2        | 1
        1 | a | 4        | -1
        """, id_from=["k"])
    keys, columns = pw.debug.table_to_dicts(t)
    assert sorted(columns["v"].values()) == ["b"]  # The retraction found its insertion.
    with pytest.raises(KeyError, match="'nope'.*columns: k, v"):
        pw.debug.table_from_markdown("k | v\n1 | a\n", id_from=["nope"])
