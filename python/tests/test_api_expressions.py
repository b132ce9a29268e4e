"""Expressions of the Python API, checked differentially: random rows (fixed seeds) go through
vigil and through the same operation in plain Python, and the results must agree.

Reference semantics are Python's (and Pathway's): `//` and `%` floor, `/` is always a float,
`int ** negative int` is a float, and a division by zero gives an Error value in the row
(pw.ERROR), which fails the run unless terminate_on_error=False.
"""

import math
import operator
import random

import pytest

import vigil as pw


class Numbers(pw.Schema):
    i: int
    a: int
    b: int
    x: float
    y: float
    o: int | None
    p: bool
    q: bool
    s: str


def random_rows(seed, n=60):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append((
            i,
            rng.randint(-12, 12),
            rng.choice([0, 0, -1, 1, 2, -3, 5, 7, -7, 11]),   # many zero divisors
            # x + 0.125 is never 0.0: x is a multiple of 0.25 or comes from uniform()
            rng.choice([0.0, -0.5, 2.25, rng.uniform(-100, 100), rng.uniform(-1, 1)]),
            rng.choice([0.0, 1.5, -3.0, rng.uniform(-50, 50)]),
            None if rng.random() < 0.3 else rng.randint(-5, 5),
            rng.random() < 0.5,
            rng.random() < 0.5,
            "".join(rng.choice("abcXYZ _") for _ in range(rng.randint(0, 5))),
        ))
    return rows


def by_row(table, **kwargs):
    """{row index `i`: {column: value}} of the table's final state."""
    keys, columns = pw.debug.table_to_dicts(table, **kwargs)
    return {columns["i"][k]: {c: columns[c][k] for c in columns if c != "i"} for k in keys}


def python_result(fn, *args):
    """What Python computes; a division by zero is the Error value, as in Pathway."""
    try:
        return fn(*args)
    except ZeroDivisionError:
        return pw.ERROR


def same(actual, expected):
    if expected is pw.ERROR or expected == pw.ERROR:
        return actual == pw.ERROR
    if isinstance(expected, float):
        if not isinstance(actual, (int, float)) or isinstance(actual, bool):
            return False
        if math.isnan(expected):
            return math.isnan(actual)
        return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-12)
    return type(actual) is type(expected) and actual == expected


def assert_all_same(results, rows, names, fns):
    """results[i][name] against fns[name](row) for every row."""
    assert sorted(results) == [r[0] for r in rows]
    for row in rows:
        for name in names:
            expected = fns[name](row)
            actual = results[row[0]][name]
            assert same(actual, expected), (name, row, actual, expected)


COLUMN = {name: index for index, name in enumerate(Numbers.column_names())}

INT_OPS = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul,
    "truediv": operator.truediv, "floordiv": operator.floordiv, "mod": operator.mod,
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge, "and": operator.and_, "or": operator.or_,
    "xor": operator.xor,
}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_int_binary_operators_match_python(seed):
    rows = random_rows(seed)
    t = pw.debug.table_from_rows(Numbers, rows)
    exprs = {name: op(pw.this.a, pw.this.b) for name, op in INT_OPS.items()}
    # int ** int stays an int (Pathway's type rule): a negative exponent, which has no int
    # result, is an Error value (Python would give a float), as is 0 ** negative.
    exprs["pow"] = pw.this.a ** pw.if_else(pw.this.b > 6, 6, pw.this.b)
    result = t.select(pw.this.i, **exprs)
    schema = result.typehints()
    for name in ("add", "sub", "mul", "floordiv", "mod", "and", "or", "xor"):
        assert schema[name] is int, name
    assert schema["truediv"] is float
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        assert schema[name] is bool, name

    fns = {name: (lambda r, op=op: python_result(op, r[COLUMN["a"]], r[COLUMN["b"]]))
           for name, op in INT_OPS.items()}

    def py_pow(r):
        a, b = r[COLUMN["a"]], min(r[COLUMN["b"]], 6)
        return pw.ERROR if b < 0 else a ** b
    fns["pow"] = py_pow
    results = by_row(result, terminate_on_error=False)
    assert_all_same(results, rows, list(fns), fns)
    # the rows really exercise the error paths (division by zero, negative exponents)
    assert any(r[COLUMN["b"]] == 0 for r in rows)
    assert any(r[COLUMN["b"]] < 0 for r in rows)
    assert schema["pow"] is int


FLOAT_OPS = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul,
    "truediv": operator.truediv, "floordiv": operator.floordiv, "mod": operator.mod,
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge,
}


@pytest.mark.parametrize("seed", [4, 5])
def test_float_and_mixed_operators_match_python(seed):
    rows = random_rows(seed)
    t = pw.debug.table_from_rows(Numbers, rows)
    exprs = {}
    fns = {}
    for name, op in FLOAT_OPS.items():
        exprs["ff_" + name] = op(pw.this.x, pw.this.y)
        fns["ff_" + name] = lambda r, op=op: python_result(op, r[COLUMN["x"]], r[COLUMN["y"]])
        exprs["if_" + name] = op(pw.this.a, pw.this.y)
        fns["if_" + name] = lambda r, op=op: python_result(op, r[COLUMN["a"]], r[COLUMN["y"]])
        exprs["fi_" + name] = op(pw.this.x, pw.this.b)
        fns["fi_" + name] = lambda r, op=op: python_result(op, r[COLUMN["x"]], r[COLUMN["b"]])
    # float ** int and positive float ** float (a negative base with a fractional exponent
    # is complex in Python, 0.0 ** negative has no Python value).
    exprs["pow_fi"] = (pw.this.x + 0.125) ** pw.if_else(pw.this.b > 3, 3, pw.this.b)
    fns["pow_fi"] = lambda r: (r[COLUMN["x"]] + 0.125) ** min(r[COLUMN["b"]], 3)
    exprs["pow_ff"] = (pw.this.y * pw.this.y + 1.0) ** 0.5
    fns["pow_ff"] = lambda r: (r[COLUMN["y"]] * r[COLUMN["y"]] + 1.0) ** 0.5
    result = t.select(pw.this.i, **exprs)
    schema = result.typehints()
    for name in ("add", "sub", "mul", "truediv", "floordiv", "mod"):
        for prefix in ("ff_", "if_", "fi_"):
            assert schema[prefix + name] is float, prefix + name
    assert schema["ff_lt"] is bool and schema["if_eq"] is bool
    results = by_row(result, terminate_on_error=False)
    assert_all_same(results, rows, list(fns), fns)


@pytest.mark.parametrize("seed", [6, 7])
def test_literal_on_either_side_matches_python(seed):
    rows = random_rows(seed, n=40)
    t = pw.debug.table_from_rows(Numbers, rows)
    literals = [3, -2, 0, 2.5]
    exprs, fns = {}, {}
    for li, lit in enumerate(literals):
        for name, op in INT_OPS.items():
            if name in ("and", "or", "xor") and isinstance(lit, float):
                continue
            exprs[f"l{li}_{name}"] = op(lit, pw.this.a)
            fns[f"l{li}_{name}"] = lambda r, op=op, lit=lit: python_result(op, lit, r[COLUMN["a"]])
            exprs[f"r{li}_{name}"] = op(pw.this.a, lit)
            fns[f"r{li}_{name}"] = lambda r, op=op, lit=lit: python_result(op, r[COLUMN["a"]], lit)
    exprs["rpow"] = 2 ** pw.this.b
    fns["rpow"] = lambda r: pw.ERROR if r[COLUMN["b"]] < 0 else 2 ** r[COLUMN["b"]]
    exprs["band"] = True & pw.this.p
    fns["band"] = lambda r: True & r[COLUMN["p"]]
    exprs["bor"] = False | pw.this.p
    fns["bor"] = lambda r: False | r[COLUMN["p"]]
    exprs["bxor"] = True ^ pw.this.p
    fns["bxor"] = lambda r: True ^ r[COLUMN["p"]]
    result = t.select(pw.this.i, **exprs)
    results = by_row(result, terminate_on_error=False)
    assert_all_same(results, rows, list(fns), fns)


def test_reflected_expressions_read_as_written():
    # Python turns `5 < x` into `x > 5` and `1 + x` into x.__radd__(1): the operands must
    # not be swapped for the non-commutative operators.
    assert repr(1 - pw.this.a) == "(1 - pw.this.a)"
    assert repr(pw.this.a - 1) == "(pw.this.a - 1)"
    assert repr(5 < pw.this.a) == "(pw.this.a > 5)"
    assert repr(2 ** pw.this.a) == "(2 ** pw.this.a)"
    assert repr(7 // pw.this.a) == "(7 // pw.this.a)"


@pytest.mark.parametrize("seed", [8, 9])
def test_bool_and_unary_operators_match_python(seed):
    rows = random_rows(seed)
    t = pw.debug.table_from_rows(Numbers, rows)
    result = t.select(
        pw.this.i,
        neg_a=-pw.this.a, neg_x=-pw.this.x, inv_a=~pw.this.a, not_p=~pw.this.p,
        p_and_q=pw.this.p & pw.this.q, p_or_q=pw.this.p | pw.this.q,
        p_xor_q=pw.this.p ^ pw.this.q, p_eq_q=pw.this.p == pw.this.q,
        combo=(pw.this.a > 0) & ~(pw.this.b < 0) | (pw.this.x == pw.this.y),
        s_eq=pw.this.s == "ab", s_lt=pw.this.s < pw.this.s + "a", s_cat=pw.this.s + "!" + pw.this.s,
    )
    schema = result.typehints()
    assert schema["not_p"] is bool and schema["p_and_q"] is bool and schema["inv_a"] is int
    assert schema["s_cat"] is str
    c = COLUMN
    fns = {
        "neg_a": lambda r: -r[c["a"]], "neg_x": lambda r: -r[c["x"]],
        "inv_a": lambda r: ~r[c["a"]], "not_p": lambda r: not r[c["p"]],
        "p_and_q": lambda r: r[c["p"]] and r[c["q"]], "p_or_q": lambda r: r[c["p"]] or r[c["q"]],
        "p_xor_q": lambda r: r[c["p"]] != r[c["q"]], "p_eq_q": lambda r: r[c["p"]] == r[c["q"]],
        "combo": lambda r: ((r[c["a"]] > 0) and not (r[c["b"]] < 0)) or r[c["x"]] == r[c["y"]],
        "s_eq": lambda r: r[c["s"]] == "ab", "s_lt": lambda r: True,
        "s_cat": lambda r: r[c["s"]] + "!" + r[c["s"]],
    }
    assert_all_same(by_row(result), rows, list(fns), fns)


def test_division_by_zero_is_error_value_and_fails_the_run_by_default():
    t = pw.debug.table_from_rows(Numbers, random_rows(10, n=20))
    bad = t.select(pw.this.i, q=pw.this.a // pw.this.b)
    with pytest.raises(pw.EngineError, match="division by zero"):
        pw.debug.table_to_dicts(bad)
    with pytest.raises(pw.EngineError, match="division by zero"):
        pw.debug.compute_and_print(t.select(q=pw.this.x / 0.0))
    # fill_error turns the Error back into a value: the run succeeds even with
    # terminate_on_error left at its default.
    rows = random_rows(10, n=20)
    fixed = t.select(pw.this.i, q=pw.fill_error(pw.this.a // pw.this.b, -999),
                     m=pw.fill_error(pw.this.a % pw.this.b, None))
    results = by_row(fixed, terminate_on_error=False)
    for row in rows:
        a, b = row[COLUMN["a"]], row[COLUMN["b"]]
        assert results[row[0]]["q"] == (a // b if b else -999)
        assert results[row[0]]["m"] == (a % b if b else None)


def test_error_value_propagates_through_expressions():
    t = pw.debug.table_from_rows(Numbers, random_rows(11, n=30))
    rows = random_rows(11, n=30)
    r = t.select(pw.this.i, e=(pw.this.a // pw.this.b) + 1, c=(pw.this.a / pw.this.b) > 0,
                 t=pw.make_tuple(pw.this.a % pw.this.b))
    results = by_row(r, terminate_on_error=False)
    for row in rows:
        a, b = row[COLUMN["a"]], row[COLUMN["b"]]
        got = results[row[0]]
        if b == 0:
            assert got["e"] == pw.ERROR and got["c"] == pw.ERROR
        else:
            assert got["e"] == a // b + 1 and got["c"] == (a / b > 0)
            assert got["t"] == (a % b,)


def test_filter_drops_error_rows():
    rows = random_rows(12, n=40)
    t = pw.debug.table_from_rows(Numbers, rows)
    kept = t.filter(pw.this.a // pw.this.b > 0)
    results = by_row(kept, terminate_on_error=False)
    expected = {r[0] for r in rows if r[COLUMN["b"]] != 0 and r[COLUMN["a"]] // r[COLUMN["b"]] > 0}
    assert set(results) == expected


@pytest.mark.parametrize("seed", [13, 14])
def test_none_functions_match_python(seed):
    rows = random_rows(seed)
    t = pw.debug.table_from_rows(Numbers, rows)
    result = t.select(
        pw.this.i,
        is_none=pw.this.o.is_none(), is_not_none=pw.this.o.is_not_none(),
        co=pw.coalesce(pw.this.o, pw.this.a), co3=pw.coalesce(None, pw.this.o, 100),
        req=pw.require(pw.this.a + 1, pw.this.o), req2=pw.require(pw.this.s, pw.this.o, pw.this.a),
        eq_none=pw.this.o == None,  # noqa: E711 - the expression, not a Python test
        ie=pw.if_else(pw.this.p, pw.this.a, pw.this.b),
        ie_none=pw.if_else(pw.this.o.is_none(), -1, pw.this.o * 2),
        ie_div=pw.if_else(pw.this.b != 0, pw.this.a // pw.this.b, 0),
        tup=pw.make_tuple(pw.this.a, pw.this.s, None, pw.this.o),
    )
    schema = result.typehints()
    assert schema["is_none"] is bool and schema["co"] is int and schema["co3"] is int
    assert schema["req"] == (int | None) or schema["req"] == __import__("typing").Optional[int]
    assert schema["ie"] is int and schema["tup"] is tuple
    c = COLUMN
    fns = {
        "is_none": lambda r: r[c["o"]] is None, "is_not_none": lambda r: r[c["o"]] is not None,
        "co": lambda r: r[c["a"]] if r[c["o"]] is None else r[c["o"]],
        "co3": lambda r: 100 if r[c["o"]] is None else r[c["o"]],
        "req": lambda r: None if r[c["o"]] is None else r[c["a"]] + 1,
        "req2": lambda r: None if r[c["o"]] is None else r[c["s"]],
        "eq_none": lambda r: r[c["o"]] is None,
        "ie": lambda r: r[c["a"]] if r[c["p"]] else r[c["b"]],
        "ie_none": lambda r: -1 if r[c["o"]] is None else r[c["o"]] * 2,
        # only the branch taken is evaluated: no Error where b == 0
        "ie_div": lambda r: r[c["a"]] // r[c["b"]] if r[c["b"]] else 0,
        "tup": lambda r: (r[c["a"]], r[c["s"]], None, r[c["o"]]),
    }
    assert_all_same(by_row(result), rows, list(fns), fns)


@pytest.mark.parametrize("seed", [15])
def test_cast_matches_python(seed):
    rows = random_rows(seed)
    t = pw.debug.table_from_rows(Numbers, rows)
    result = t.select(pw.this.i, f=pw.cast(float, pw.this.a), n=pw.cast(int, pw.this.x),
                      bi=pw.cast(int, pw.this.p), bf=pw.cast(float, pw.this.p),
                      ib=pw.cast(bool, pw.this.a), s=pw.cast(str, pw.this.a),
                      of=pw.cast(float, pw.this.o))
    schema = result.typehints()
    assert schema["f"] is float and schema["n"] is int and schema["ib"] is bool
    assert schema["s"] is str
    c = COLUMN
    fns = {
        "f": lambda r: float(r[c["a"]]), "n": lambda r: int(r[c["x"]]),
        "bi": lambda r: int(r[c["p"]]), "bf": lambda r: float(r[c["p"]]),
        "ib": lambda r: bool(r[c["a"]]), "s": lambda r: str(r[c["a"]]),
        "of": lambda r: None if r[c["o"]] is None else float(r[c["o"]]),
    }
    assert_all_same(by_row(result), rows, list(fns), fns)


def test_fill_error_leaves_good_values_alone():
    rows = random_rows(16, n=30)
    t = pw.debug.table_from_rows(Numbers, rows)
    r = t.select(pw.this.i, same=pw.fill_error(pw.this.a, 12345),
                 div=pw.fill_error(pw.this.x / pw.this.b, -1.0))
    results = by_row(r)
    for row in rows:
        assert results[row[0]]["same"] == row[COLUMN["a"]]
        b = row[COLUMN["b"]]
        assert results[row[0]]["div"] == (row[COLUMN["x"]] / b if b else -1.0)


def test_error_value_is_a_singleton_like_value():
    assert pw.ERROR == pw.ERROR
    assert repr(pw.ERROR) == "Error"
    assert pw.ERROR != 0 and pw.ERROR is not None


def test_expressions_are_built_lazily_from_names():
    # pw.this.x is not bound to any table: the same expression works on two tables
    expr = pw.this.v * 2 + 1
    t1 = pw.debug.table_from_markdown("""
        v
        1
        2
    """)
    t2 = pw.debug.table_from_markdown("""
        v   | w
        10  | a
    """)
    _, c1 = pw.debug.table_to_dicts(t1.select(r=expr))
    _, c2 = pw.debug.table_to_dicts(t2.select(r=expr))
    assert sorted(c1["r"].values()) == [3, 5]
    assert list(c2["r"].values()) == [21]


def test_this_getitem_and_id():
    t = pw.debug.table_from_markdown("""
        a | b
        1 | 2
        3 | 4
    """)
    r = t.select(s=pw.this["a"] + pw.this["b"], me=pw.this.id)
    keys, cols = pw.debug.table_to_dicts(r)
    assert sorted(cols["s"].values()) == [3, 7]
    assert all(cols["me"][k] == k for k in keys)
    assert [repr(e) for e in pw.this[["a", "b"]]] == ["pw.this.a", "pw.this.b"]


def test_if_else_with_int_and_float_branches_gives_floats():
    t = pw.debug.table_from_markdown("""
        a
        1
        -1
    """)
    r = t.select(v=pw.if_else(pw.this.a > 0, 1, 2.5), w=pw.coalesce(None, pw.this.a, 0.5))
    assert r.typehints()["v"] is float
    _, cols = pw.debug.table_to_dicts(r)
    assert all(type(v) is float for v in cols["v"].values())
    assert all(type(v) is float for v in cols["w"].values())


def test_int_pow_negative_exponent_is_an_error_and_the_type_stays_int():
    t = pw.debug.table_from_markdown("""
        a | b
        2 | -2
        2 | 3
    """)
    r = t.select(pw.this.b, p=pw.this.a ** pw.this.b)
    assert r.typehints()["p"] is int
    _, cols = pw.debug.table_to_dicts(r, terminate_on_error=False)
    by_b = {cols["b"][k]: cols["p"][k] for k in cols["b"]}
    assert by_b == {-2: pw.ERROR, 3: 8}
    with pytest.raises(pw.EngineError, match="negative exponent"):
        pw.debug.table_to_dicts(r)


class Times(pw.Schema):
    i: int
    d: pw.DateTimeNaive
    e: pw.DateTimeNaive
    x: pw.Duration
    u: pw.DateTimeUtc


def random_times(seed, n=40):
    import datetime
    rng = random.Random(seed)
    base = datetime.datetime(2024, 2, 28, 23, 0, 0)
    utc = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    return [(i, base + datetime.timedelta(microseconds=rng.randint(-10**12, 10**12)),
             base + datetime.timedelta(seconds=rng.randint(-10**6, 10**6)),
             datetime.timedelta(microseconds=rng.randint(-10**11, 10**11)),
             utc + datetime.timedelta(seconds=rng.randint(0, 10**8))) for i in range(n)]


def test_datetime_and_duration_arithmetic_matches_python():
    import datetime
    rows = random_times(17)
    t = pw.debug.table_from_rows(Times, rows)
    seven = datetime.timedelta(minutes=7)
    result = t.select(
        pw.this.i, diff=pw.this.d - pw.this.e, plus=pw.this.d + pw.this.x,
        minus=pw.this.d - pw.this.x, lt=pw.this.d < pw.this.e, eq=pw.this.d == pw.this.d,
        times=pw.this.x * 3, rtimes=3 * pw.this.x, neg=-pw.this.x, twice=pw.this.x + pw.this.x,
        ratio=pw.this.x / seven, floor=pw.this.x // seven, mod=pw.this.x % seven,
        uplus=pw.this.u + pw.this.x, later=pw.this.e > datetime.datetime(2024, 3, 1))
    hints = result.typehints()
    assert hints["diff"] is pw.Duration and hints["plus"] is pw.DateTimeNaive
    assert hints["floor"] is int and hints["ratio"] is float and hints["uplus"] is pw.DateTimeUtc
    c = {name: index for index, name in enumerate(Times.column_names())}
    fns = {
        "diff": lambda r: r[c["d"]] - r[c["e"]], "plus": lambda r: r[c["d"]] + r[c["x"]],
        "minus": lambda r: r[c["d"]] - r[c["x"]], "lt": lambda r: r[c["d"]] < r[c["e"]],
        "eq": lambda r: True, "times": lambda r: r[c["x"]] * 3, "rtimes": lambda r: 3 * r[c["x"]],
        "neg": lambda r: -r[c["x"]], "twice": lambda r: r[c["x"]] + r[c["x"]],
        "ratio": lambda r: r[c["x"]] / seven, "floor": lambda r: r[c["x"]] // seven,
        "mod": lambda r: r[c["x"]] % seven, "uplus": lambda r: r[c["u"]] + r[c["x"]],
        "later": lambda r: r[c["e"]] > datetime.datetime(2024, 3, 1),
    }
    results = by_row(result)
    for row in rows:
        for name, fn in fns.items():
            expected, actual = fn(row), results[row[0]][name]
            if isinstance(expected, bool):
                assert actual is expected, (name, row, actual)
            elif isinstance(expected, float):
                assert actual == pytest.approx(expected, rel=1e-12), (name, row)
            else:
                # pandas' Timestamp and Timedelta compare equal to datetime's
                assert actual == expected, (name, row, actual, expected)


ARITHMETIC = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
              "truediv": operator.truediv, "floordiv": operator.floordiv, "mod": operator.mod}


@pytest.mark.parametrize("seed", [18])
def test_optional_operands_propagate_none(seed):
    import typing
    rows = random_rows(seed)
    t = pw.debug.table_from_rows(Numbers, rows)
    exprs = {name: op(pw.this.o, pw.this.a) for name, op in ARITHMETIC.items()}
    exprs["neg"] = -pw.this.o
    exprs["eq"] = pw.this.o == pw.this.a
    exprs["ne"] = pw.this.o != 3
    result = t.select(pw.this.i, **exprs)
    hints = result.typehints()
    for name in ("add", "sub", "mul", "floordiv", "mod", "neg"):
        assert hints[name] == typing.Optional[int], name
    assert hints["truediv"] == typing.Optional[float]
    assert hints["eq"] is bool and hints["ne"] is bool
    fns = {name: (lambda r, op=op: None if r[COLUMN["o"]] is None
                  else python_result(op, r[COLUMN["o"]], r[COLUMN["a"]]))
           for name, op in ARITHMETIC.items()}
    fns["neg"] = lambda r: None if r[COLUMN["o"]] is None else -r[COLUMN["o"]]
    fns["eq"] = lambda r: r[COLUMN["o"]] == r[COLUMN["a"]]
    fns["ne"] = lambda r: r[COLUMN["o"]] != 3
    assert any(r[COLUMN["o"]] is None for r in rows)
    assert_all_same(by_row(result, terminate_on_error=False), rows, list(fns), fns)


def test_ordering_an_optional_column_has_a_type_that_admits_its_values():
    import typing
    rows = random_rows(19, n=20)
    t = pw.debug.table_from_rows(Numbers, rows)
    result = t.select(pw.this.i, lt=pw.this.o < 2, ge=pw.this.o >= pw.this.a)
    values = by_row(result)
    for name in ("lt", "ge"):
        if any(v[name] is None for v in values.values()):
            assert result.typehints()[name] == typing.Optional[bool], name
