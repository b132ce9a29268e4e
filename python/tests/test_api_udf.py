"""Python functions on columns: pw.apply, pw.apply_with_type, @pw.udf (annotations,
propagate_none, keyword arguments, pw.UDF subclasses, batches), and what happens when a UDF
raises or returns a value of the wrong type."""

import random
import traceback
import typing

import pytest

import vigil as pw
from vigil import _vigil
from vigil._run import run_options
from vigil.tests.utils import assert_stream_equality_wo_index


class Ints(pw.Schema):
    i: int
    a: int
    b: int | None


def random_rows(seed, n):
    rng = random.Random(seed)
    return [(i, rng.randint(-1000, 1000), None if rng.random() < 0.2 else rng.randint(-9, 9))
            for i in range(n)]


def column_by_index(table, column, **kwargs):
    keys, cols = pw.debug.table_to_dicts(table, **kwargs)
    return {cols["i"][k]: cols[column][k] for k in keys}


def collatz_steps(n):
    n = abs(n) + 1
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def test_apply_over_100k_rows_matches_python():
    rows = random_rows(1, 100_000)
    t = pw.debug.table_from_rows(Ints, rows)
    r = t.select(pw.this.i, y=pw.apply(collatz_steps, pw.this.a),
                 z=pw.apply(lambda a, b: f"{a}:{b}", pw.this.a, pw.this.b))
    keys, cols = pw.debug.table_to_dicts(r)
    assert len(keys) == len(rows)
    y = {cols["i"][k]: cols["y"][k] for k in keys}
    z = {cols["i"][k]: cols["z"][k] for k in keys}
    for i, a, b in rows:
        assert y[i] == collatz_steps(a)
        assert z[i] == f"{a}:{b}"


def test_udf_over_100k_rows_with_aggregation_matches_python():
    rows = random_rows(2, 100_000)
    t = pw.debug.table_from_rows(Ints, rows)

    @pw.udf
    def bucket(a: int) -> str:
        return "neg" if a < 0 else ("small" if a < 500 else "big")

    r = t.select(k=bucket(pw.this.a), a=pw.this.a).groupby(pw.this.k).reduce(
        pw.this.k, n=pw.reducers.count(), s=pw.reducers.sum(pw.this.a))
    keys, cols = pw.debug.table_to_dicts(r)
    got = {cols["k"][k]: (cols["n"][k], cols["s"][k]) for k in keys}
    expected = {}
    for _, a, _ in rows:
        name = "neg" if a < 0 else ("small" if a < 500 else "big")
        n, s = expected.get(name, (0, 0))
        expected[name] = (n + 1, s + a)
    assert got == expected


def test_result_types_come_from_annotations():
    t = pw.debug.table_from_rows(Ints, random_rows(3, 10))

    @pw.udf
    def to_float(a: int) -> float:
        return a / 3

    @pw.udf
    def maybe(a: int) -> int | None:
        return a if a > 0 else None

    @pw.udf
    def no_annotation(a):
        return a

    @pw.udf(return_type=str)
    def given(a):
        return str(a)

    r = t.select(pw.this.i, f=to_float(pw.this.a), m=maybe(pw.this.a), n=no_annotation(pw.this.a),
                 g=given(pw.this.a), ap=pw.apply(to_float.__wrapped__, pw.this.a),
                 at=pw.apply_with_type(lambda a: a * 2, int, pw.this.a),
                 lam=pw.apply(lambda a: a, pw.this.a))
    hints = r.typehints()
    assert hints["f"] is float and hints["m"] == typing.Optional[int]
    assert hints["n"] is typing.Any and hints["g"] is str and hints["ap"] is float
    assert hints["at"] is int and hints["lam"] is typing.Any
    rows = random_rows(3, 10)
    got = column_by_index(r, "g")
    assert got == {i: str(a) for i, a, _ in rows}
    assert column_by_index(r, "m") == {i: (a if a > 0 else None) for i, a, _ in rows}
    assert column_by_index(r, "at") == {i: 2 * a for i, a, _ in rows}


def test_unresolvable_argument_annotation_does_not_break_a_udf():
    def f(a: "NotDefinedAnywhere") -> int:  # noqa: F821 - the point of the test
        return 1

    t = pw.debug.table_from_rows(Ints, random_rows(12, 3))
    r = t.select(x=pw.apply(f, pw.this.a), y=pw.udf(f)(pw.this.a))
    assert r.typehints() == {"x": int, "y": int}
    assert list(pw.debug.table_to_dicts(r)[1]["x"].values()) == [1, 1, 1]


def test_udf_keeps_the_function_name_and_doc():
    @pw.udf
    def documented(a: int) -> int:
        """Adds one."""
        return a + 1

    assert documented.__name__ == "documented" and documented.__doc__ == "Adds one."
    assert "documented" in repr(documented(pw.this.a))


def test_propagate_none_skips_rows_with_none_and_makes_the_column_optional():
    rows = random_rows(4, 50)
    t = pw.debug.table_from_rows(Ints, rows)
    calls = []

    @pw.udf(propagate_none=True)
    def add(a: int, b: int) -> int:
        assert a is not None and b is not None
        calls.append((a, b))
        return a + b

    r = t.select(pw.this.i, s=add(pw.this.a, pw.this.b))
    assert r.typehints()["s"] == typing.Optional[int]
    assert column_by_index(r, "s") == {i: (None if b is None else a + b) for i, a, b in rows}
    assert sorted(calls) == sorted((a, b) for _, a, b in rows if b is not None)


def test_without_propagate_none_the_udf_sees_none():
    rows = random_rows(5, 30)
    t = pw.debug.table_from_rows(Ints, rows)

    @pw.udf
    def describe(a: int, b: int | None) -> str:
        return "none" if b is None else "value"

    r = t.select(pw.this.i, d=describe(pw.this.a, pw.this.b))
    assert column_by_index(r, "d") == {i: ("none" if b is None else "value") for i, _, b in rows}


def test_keyword_arguments():
    rows = random_rows(6, 20)
    t = pw.debug.table_from_rows(Ints, rows)

    @pw.udf
    def combine(a: int, *, scale: int, offset: int = 0) -> int:
        return a * scale + offset

    r = t.select(pw.this.i, x=combine(pw.this.a, scale=3, offset=pw.this.i),
                 y=combine(a=pw.this.a, scale=-1),
                 z=pw.apply(lambda a, k=0: a - k, pw.this.a, k=pw.this.i))
    assert column_by_index(r, "x") == {i: a * 3 + i for i, a, _ in rows}
    assert column_by_index(r, "y") == {i: -a for i, a, _ in rows}
    assert column_by_index(r, "z") == {i: a - i for i, a, _ in rows}


def test_udf_subclass_with_wrapped_method():
    # Pathway's class-based UDFs (tests/test_udf.py test_udf_class)
    class Inc(pw.UDF):
        def __init__(self, inc):
            super().__init__()
            self.inc = inc

        def __wrapped__(self, a: int) -> int:
            return a + self.inc

    rows = random_rows(7, 20)
    t = pw.debug.table_from_rows(Ints, rows)
    r = t.select(pw.this.i, x=Inc(2)(pw.this.a), y=Inc(-5)(pw.this.a))
    assert r.typehints()["x"] is int
    assert column_by_index(r, "x") == {i: a + 2 for i, a, _ in rows}
    assert column_by_index(r, "y") == {i: a - 5 for i, a, _ in rows}


@pytest.mark.parametrize("propagate_none", [False, True])
def test_batched_udf(propagate_none):
    rows = random_rows(8, 1000)
    t = pw.debug.table_from_rows(Ints, rows)
    sizes = []

    @pw.udf(max_batch_size=64, propagate_none=propagate_none)
    def add(a: list[int], b: list[int | None]) -> list[int]:
        sizes.append(len(a))
        return [x + (0 if y is None else y) for x, y in zip(a, b)]

    r = t.select(pw.this.i, s=add(pw.this.a, pw.this.b))
    got = column_by_index(r, "s")
    if propagate_none:
        assert got == {i: (None if b is None else a + b) for i, a, b in rows}
        assert sum(sizes) == sum(1 for _, _, b in rows if b is not None)
    else:
        assert got == {i: a + (b or 0) for i, a, b in rows}
        assert sum(sizes) == len(rows)
    assert max(sizes) <= 64


def test_a_udf_is_called_once_per_row():
    rows = random_rows(9, 500)
    t = pw.debug.table_from_rows(Ints, rows)
    seen = []

    @pw.udf(deterministic=True)
    def record(i: int) -> int:
        seen.append(i)
        return i

    r = t.select(x=record(pw.this.i))
    pw.debug.table_to_dicts(r)
    assert sorted(seen) == list(range(500))


class Boom(Exception):
    pass


def exploding(a):
    if a == 4:
        raise Boom(f"exploded on {a}")  # the line the traceback must point to
    return a


def frames_of(error):
    return [(frame.name, frame.line) for frame in traceback.extract_tb(error.__traceback__)]


def test_udf_exception_is_raised_by_run_with_its_traceback():
    t = pw.debug.table_from_markdown("""
        a
        3
        4
        5
    """)
    pw.io.subscribe(t.select(y=pw.apply(exploding, pw.this.a)), on_change=lambda *args: None)
    with pytest.raises(Boom, match="exploded on 4") as info:
        pw.run()
    assert ("exploding", 'raise Boom(f"exploded on {a}")  # the line the traceback must '
            "point to") in frames_of(info.value)


@pytest.mark.parametrize("compute", [
    pw.debug.compute_and_print, pw.debug.table_to_pandas, pw.debug.table_to_dicts,
    pw.debug.compute_and_print_update_stream,
])
def test_udf_exception_is_raised_by_debug_functions(compute):
    t = pw.debug.table_from_markdown("""
        a
        4
    """)

    @pw.udf
    def decorated(a: int) -> int:
        return exploding(a)

    with pytest.raises(Boom) as info:
        compute(t.select(y=decorated(pw.this.a)))
    names = [name for name, _ in frames_of(info.value)]
    assert names[-2:] == ["decorated", "exploding"]


def test_after_a_udf_exception_the_next_run_is_clean():
    t = pw.debug.table_from_markdown("""
        a
        4
    """)
    with pytest.raises(Boom):
        pw.debug.table_to_dicts(t.select(y=pw.apply(exploding, pw.this.a)))
    # the recorded exception is not raised again by an unrelated run
    assert list(pw.debug.table_to_dicts(t.select(y=pw.this.a + 1))[1]["y"].values()) == [5]


def test_udf_exception_with_terminate_on_error_false_gives_error_values():
    t = pw.debug.table_from_markdown("""
        a | b
        3 | 3
        4 | 0
        5 | 5
    """)

    @pw.udf
    def div(a: int, b: int) -> int:
        return a // b

    r = t.select(pw.this.a, x=pw.fill_error(div(pw.this.a, pw.this.b), -1))
    keys, cols = pw.debug.table_to_dicts(r, terminate_on_error=False)
    assert sorted((cols["a"][k], cols["x"][k]) for k in keys) == [(3, 1), (4, -1), (5, 1)]


@pytest.mark.parametrize("max_batch_size", [None, 1, 7, 4096])
def test_every_failed_udf_row_is_a_row_of_global_error_log(max_batch_size):
    # 20k random rows in one commit, past the engine's batches; the UDF fails on some rows.
    rows = random_rows(5, 20_000)

    def check(a, b):
        if b is None:
            return 0
        if a % 7 == 0:
            raise ValueError(f"multiple of seven: {a}")
        return a // b

    def batched(a, b):
        return [check(x, y) for x, y in zip(a, b)]

    if max_batch_size:
        f = pw.udf(batched, max_batch_size=max_batch_size, return_type=int)
    else:
        f = pw.udf(check, return_type=int)
    t = pw.debug.table_from_rows(Ints, rows)
    r = t.select(pw.this.i, y=f(pw.this.a, pw.this.b))
    errors = pw.global_error_log().select(pw.this.message)
    expected = []
    for _i, a, b in rows:
        try:
            check(a, b)
        except ZeroDivisionError:
            expected.append("ZeroDivisionError: integer division or modulo by zero")
        except ValueError as error:
            expected.append(f"ValueError: {error}")
    assert len(expected) > 1000
    [(_, r_updates), (_, error_updates)] = _vigil.capture(
        [r._native, errors._native], run_options(terminate_on_error=False))
    messages = [row[0] for _key, row, _time, diff in error_updates if diff > 0]
    error_rows = [row for _key, row, _time, diff in r_updates
                  if diff > 0 and isinstance(row[1], type(pw.ERROR))]
    assert len(messages) == len(error_rows)
    name = "batched" if max_batch_size else "check"
    if max_batch_size and max_batch_size > 1:
        # A batched call that raises fails its whole chunk, each row with the chunk's error.
        assert len(messages) >= len(expected)
        assert {m.removeprefix(name + ": ") for m in messages} <= set(expected)
    else:
        assert sorted(messages) == sorted(f"{name}: {m}" for m in expected)


def test_udf_returning_a_value_that_cannot_be_stored_is_a_type_error():
    t = pw.debug.table_from_markdown("""
        a
        1
    """)

    @pw.udf
    def bad(a: int) -> int:
        return {"a": a}

    with pytest.raises(TypeError, match="'dict'"):
        pw.debug.table_to_dicts(t.select(y=bad(pw.this.a)))


def test_udf_returning_another_type_than_declared():
    # As in Pathway without runtime type checks, the value is passed on as returned; an
    # operation that cannot take it fails the row (no crash), and the run by default.
    t = pw.debug.table_from_markdown("""
        a
        1
        2
    """)

    @pw.udf
    def wrong(a: int) -> int:
        return "text"

    plain = t.select(y=wrong(pw.this.a))
    assert plain.typehints()["y"] is int
    assert list(pw.debug.table_to_dicts(plain)[1]["y"].values()) == ["text", "text"]
    summed = plain.select(z=pw.this.y + 1)
    with pytest.raises(pw.EngineError, match="text"):
        pw.debug.table_to_dicts(summed)
    keys, cols = pw.debug.table_to_dicts(summed, terminate_on_error=False)
    assert list(cols["z"].values()) == [pw.ERROR, pw.ERROR]


def test_udf_values_of_every_type_round_trip():
    import datetime

    class S(pw.Schema):
        i: int
        f: float
        s: str
        b: bool
        t: tuple
        d: pw.DateTimeNaive
        u: pw.DateTimeUtc
        e: pw.Duration
        p: pw.Pointer
        n: int | None

    when = datetime.datetime(2023, 5, 6, 7, 8, 9, 123456)
    utc = datetime.datetime(2023, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    row = (1, 2.5, "é\n\"x\"", True, (1, ("a", None)), when, utc, datetime.timedelta(hours=-3),
           pw.pointer_from(7), None)
    t = pw.debug.table_from_rows(S, [row])
    seen = []

    def identity(*values):
        seen.append(values)
        return values

    r = t.select(v=pw.apply_with_type(identity, tuple, *[pw.this[name] for name in
                                                         S.column_names()]))
    [value] = pw.debug.table_to_dicts(r)[1]["v"].values()
    assert value == row
    [arguments] = seen
    assert arguments == row
    assert type(arguments[5]).__name__ == "Timestamp" and arguments[6].tzinfo is not None
    assert type(arguments[7]).__name__ == "Timedelta"
    assert type(arguments[8]) is pw.Pointer and type(arguments[4]) is tuple


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stateful_many_folding_diffs_gives_the_stream_of_sum_and_count(seed):
    # Random updates over several commits, with retractions of rows of earlier commits; a
    # fold of value * diff and of the diffs must give exactly sum's and count's stream.
    rng = random.Random(seed)
    lines, live, time, next_id = ["id | k | v | __time__ | __diff__"], [], 2, 1
    for _ in range(1500):
        if rng.random() < 0.05:
            time += 2
        older = [row for row in live if row[3] < time]
        if older and rng.random() < 0.25:
            row = rng.choice(older)
            live.remove(row)
            lines.append(f"{row[0]} | {row[1]} | {row[2]} | {time} | -1")
            continue
        row = (next_id, rng.randint(0, 6), rng.randint(-50, 50), time)
        next_id += 1
        live.append(row)
        lines.append(f"{row[0]} | {row[1]} | {row[2]} | {time} | 1")
    t = pw.debug.table_from_markdown("\n".join(lines))
    calls = []

    @pw.reducers.stateful_many
    def fold_sum(state: int | None, rows) -> int:
        calls.append(len(rows))
        return (state or 0) + sum(v * diff for [v], diff in rows)

    @pw.reducers.stateful_many
    def fold_count(state: int | None, rows) -> int:
        return (state or 0) + sum(diff for _values, diff in rows)

    folded = t.groupby(pw.this.k).reduce(pw.this.k, s=fold_sum(pw.this.v), n=fold_count(pw.this.v))
    reference = t.groupby(pw.this.k).reduce(pw.this.k, s=pw.reducers.sum(pw.this.v),
                                            n=pw.reducers.count())
    assert_stream_equality_wo_index(folded, reference)
    assert calls and all(n > 0 for n in calls)


@pytest.mark.parametrize("seed", [1, 2])
def test_stateful_single_folds_each_inserted_row(seed):
    # Insertions only, over several commits: folding `state * 31 + v` per row must give, per
    # group, the fold of its values in the order the calls saw them; a sum fold gives sum().
    rng = random.Random(seed)
    rows = [(rng.randint(0, 4), rng.randint(-20, 20), 2 * (1 + i // 50)) for i in range(400)]
    t = pw.debug.table_from_markdown(
        "k | v | __time__\n" + "\n".join(f"{k} | {v} | {time}" for k, v, time in rows))

    @pw.reducers.stateful_single
    def total(state: int | None, v: int) -> int:
        return (state or 0) + v

    @pw.reducers.stateful_single
    def count_positive(state, v) -> int:
        return (state or 0) + (1 if v > 0 else 0)

    r = t.groupby(pw.this.k).reduce(pw.this.k, s=total(pw.this.v), p=count_positive(pw.this.v))
    got = {row["k"]: (row["s"], row["p"]) for row in final_rows_of(r)}
    want = {}
    for k, v, _time in rows:
        s, p = want.get(k, (0, 0))
        want[k] = (s + v, p + (v > 0))
    assert got == want


def test_stateful_single_refuses_a_retraction():
    t = pw.debug.table_from_markdown("""
        id | k | v | __time__ | __diff__
        1  | a | 1 | 2        | 1
        1  | a | 1 | 4        | -1
        2  | a | 5 | 4        | 1
    """)

    @pw.reducers.stateful_single
    def total(state, v) -> int:
        return (state or 0) + v

    r = t.groupby(pw.this.k).reduce(s=total(pw.this.v))
    with pytest.raises(ValueError, match="cannot take back a row"):
        pw.debug.table_to_dicts(r)


def final_rows_of(table):
    keys, cols = pw.debug.table_to_dicts(table)
    return [{c: cols[c][k] for c in cols} for k in keys]
