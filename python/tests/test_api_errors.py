"""Errors raised while the graph is built, as Pathway raises them: the exception type, and a
message that names the offending column (and the columns the table has)."""

import re

import pytest

import vigil as pw


@pytest.fixture
def t():
    return pw.debug.table_from_markdown("""
        a  | b | s | f
        1  | 2 | x | 1.5
        -3 | 0 | y | 2.0
    """)


def test_misspelled_attribute_is_attribute_error_listing_columns(t):
    with pytest.raises(AttributeError) as info:
        t.colum
    message = str(info.value)
    assert "colum" in message
    for name in ("a", "b", "s", "f"):
        assert re.search(rf"\b{name}\b", message.split("colum", 1)[1]), message
    # hasattr works as for any Python object
    assert not hasattr(t, "colum") and hasattr(t, "a")
    # after with_columns the new column is listed too
    with pytest.raises(AttributeError, match="z"):
        t.with_columns(z=pw.this.a).colum


def test_item_of_another_tables_column_is_a_value_error(t):
    # Pathway's message (tests/test_error_messages.py test_table_getitem)
    with pytest.raises(ValueError, match="same table or pw.this"):
        t[t.copy().a]
    assert t[t.a].column_name == "a" and t[pw.this.a].column_name == "a"


def test_misspelled_item_is_key_error(t):
    with pytest.raises(KeyError, match="colum"):
        t["colum"]
    with pytest.raises(KeyError, match="colum"):
        t[["a", "colum"]]


@pytest.mark.parametrize("build", [
    lambda t: t.select(pw.this.colum),
    lambda t: t.select(x=pw.this.colum + 1),
    lambda t: t.with_columns(x=pw.this.colum),
    lambda t: t.filter(pw.this.colum > 1),
    lambda t: t.without("colum"),
    lambda t: t.rename_columns(z=pw.this.colum),
    lambda t: t.rename_by_dict({"colum": "z"}),
    lambda t: t.groupby(pw.this.colum),
    lambda t: t.groupby(pw.this.a).reduce(n=pw.reducers.sum(pw.this.colum)),
    lambda t: t.reduce(n=pw.reducers.max(pw.this.colum)),
    lambda t: t.windowby(pw.this.colum, window=pw.temporal.tumbling(duration=2)),
    lambda t: t.windowby(pw.this.a, window=pw.temporal.tumbling(duration=2),
                         instance=pw.this.colum),
    lambda t: t.join(t.copy(), pw.left.a == pw.right.colum),
    lambda t: t.join(t.copy(), pw.left.a == pw.right.a).select(x=pw.left.colum),
], ids=["select", "select-expr", "with_columns", "filter", "without", "rename_columns",
        "rename_by_dict", "groupby", "reduce", "table-reduce", "windowby", "windowby-instance",
        "join", "join-select"])
def test_misspelled_column_in_an_operation_is_key_error_naming_it(t, build):
    # raised by the operation itself, before anything runs
    with pytest.raises(KeyError) as info:
        build(t)
    message = str(info.value)
    assert "'colum'" in message
    assert "a" in message.split("colum", 1)[1]


@pytest.mark.parametrize("build,words", [
    (lambda t: t.select(x=pw.this.s + 1), ["str", "int"]),
    (lambda t: t.select(x=pw.this.s * pw.this.f), ["str", "float"]),
    (lambda t: t.select(x=pw.this.s < 1), ["str", "int"]),
    (lambda t: t.select(x=-pw.this.s), ["str"]),
    (lambda t: t.select(x=~pw.this.f), ["float"]),
    (lambda t: t.select(x=pw.this.a == "x"), ["int", "str"]),
    (lambda t: t.select(x=pw.if_else(pw.this.a, 1, 2)), ["bool", "int"]),
    (lambda t: t.filter(pw.this.a), ["bool", "int"]),
    (lambda t: t.groupby(pw.this.a).reduce(x=pw.reducers.sum(pw.this.s)), ["str"]),
    (lambda t: t.join(t.copy(), pw.left.a == pw.right.s), ["int", "str"]),
    (lambda t: t.windowby(pw.this.s, window=pw.temporal.tumbling(duration=2)), ["str"]),
    (lambda t: t.windowby(pw.this.a, window=pw.temporal.tumbling(
        duration=pw.Duration("1s"))), ["int", "Duration"]),
], ids=["str+int", "str*float", "str<int", "-str", "~float", "int==str", "if_else-int",
        "filter-int", "sum-str", "join-int-str", "windowby-str", "windowby-int-duration"])
def test_wrong_types_are_type_errors_at_build(t, build, words):
    with pytest.raises(TypeError) as info:
        build(t)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_truth_value_of_an_expression_is_a_type_error(t):
    with pytest.raises(TypeError, match="truth value"):
        if pw.this.a:
            pass
    with pytest.raises(TypeError):
        bool(t.a > 1)
    with pytest.raises(TypeError):
        pw.this.a > 1 and pw.this.b > 1  # noqa: B015 - the `and` is what is tested
    with pytest.raises(TypeError):
        not pw.this.a  # noqa: B015


def test_positional_arguments_must_be_column_references(t):
    # Pathway's messages (tests/test_error_messages.py test_select_args, test_reduce_args)
    with pytest.raises(ValueError, match=re.escape("Did you mean this.a instead of 'a'?")):
        t.select("a")
    with pytest.raises(ValueError, match=re.escape("Did you mean this.a instead of 'a'?")):
        t.reduce("a")
    with pytest.raises(ValueError, match="all positional arguments have to be a ColumnReference"):
        t.reduce(1)
    with pytest.raises(ValueError, match="all positional arguments have to be a ColumnReference"):
        t.groupby().reduce(1)
    with pytest.raises(ValueError, match="ColumnReference"):
        t.select(pw.this.a + 1)


def test_reduce_of_a_non_grouped_column_is_a_value_error(t):
    with pytest.raises(ValueError, match="'b'"):
        t.groupby(pw.this.a).reduce(pw.this.a, pw.this.b)


def test_extra_keyword_arguments_are_value_errors(t):
    with pytest.raises(ValueError, match="groupby.*extra kwargs"):
        t.groupby(pw.this.a, output=pw.this.a)
    with pytest.raises(ValueError, match="windowby.*extra kwargs"):
        t.windowby(pw.this.a, window=pw.temporal.tumbling(duration=2), n=pw.reducers.count())
    with pytest.raises(ValueError, match="windowby.*extra args"):
        t.windowby(pw.this.a, pw.this.b, window=pw.temporal.tumbling(duration=2))
    with pytest.raises(ValueError, match="Join received extra kwargs"):
        t.join(t.copy(), a=pw.left.a)


def test_join_argument_errors(t):
    other = t.copy()
    with pytest.raises(ValueError, match="string"):
        t.join(other, pw.left.a == pw.right.a, how="left")
    with pytest.raises(ValueError, match="JoinMode"):
        t.join(other, pw.left.a == pw.right.a, how=1)
    with pytest.raises(ValueError, match="not expecting"):
        t.join_left(other, pw.left.a == pw.right.a, how=pw.JoinMode.LEFT)
    with pytest.raises(ValueError, match="ColumnReference"):
        t.join(other, pw.left.a == pw.right.a, id=1)
    with pytest.raises(ValueError):
        t.join_left(other, pw.left.a == pw.right.a, id=pw.right.id)
    with pytest.raises(ValueError, match="left_table.*==.*right_table"):
        t.join(other, pw.left.a < pw.right.a)
    with pytest.raises(ValueError, match=r"itself.*t\.join\(t\.copy\(\), \.\.\.\) in Python"):
        t.join(t, pw.left.a == pw.right.a)
    # ... and what the message suggests works.
    t.join(t.copy(), pw.left.a == pw.right.a).select(pw.left.a)


@pytest.mark.parametrize("make", [
    lambda: pw.temporal.tumbling(duration=0),
    lambda: pw.temporal.tumbling(duration=-2),
    lambda: pw.temporal.sliding(hop=0, duration=2),
    lambda: pw.temporal.sliding(hop=-1, duration=2),
], ids=["tumbling-0", "tumbling-negative", "sliding-hop-0", "sliding-hop-negative"])
def test_non_positive_window_lengths_are_value_errors_at_windowby(t, make):
    with pytest.raises(ValueError, match="positive"):
        t.windowby(pw.this.a, window=make())


def test_bad_window_arguments(t):
    with pytest.raises(ValueError, match="duration and ratio"):
        pw.temporal.sliding(hop=2)
    with pytest.raises(ValueError, match="duration and ratio"):
        pw.temporal.sliding(hop=2, duration=4, ratio=2)
    with pytest.raises(ValueError, match="predicate and max_gap"):
        pw.temporal.session()
    with pytest.raises(ValueError, match="predicate and max_gap"):
        pw.temporal.session(max_gap=1, predicate=lambda a, b: True)
    with pytest.raises(TypeError, match="'x'"):
        pw.temporal.tumbling(duration="x")
    with pytest.raises(TypeError, match="window"):
        t.windowby(pw.this.a, window=3)
    with pytest.raises(TypeError):
        t.windowby(pw.this.a, pw.temporal.tumbling(duration=2))  # window is keyword-only
    with pytest.raises(TypeError):
        t.windowby(pw.this.a, window=pw.temporal.tumbling(duration=2),
                   behavior=pw.temporal.common_behavior(delay="soon"))


def test_schema_errors():
    with pytest.raises(TypeError, match="dict"):
        class Bad(pw.Schema):
            x: dict
    with pytest.raises(ValueError, match="row 0 has 1 values"):
        pw.debug.table_from_rows(pw.schema_from_types(a=int, b=int), [(1,)])
    with pytest.raises(TypeError, match="object"):
        pw.debug.table_from_rows(pw.schema_from_types(a=int), [(object(),)])


def test_markdown_with_schema_missing_a_column_is_a_key_error():
    with pytest.raises(KeyError, match="'b'"):
        pw.debug.table_from_markdown("""
            a | b
            1 | x
        """, schema=pw.schema_from_types(a=int, c=str))


def test_markdown_with_schema_having_an_extra_column_is_rejected():
    class S(pw.Schema):
        a: int
        b: str
        c: int

    with pytest.raises(ValueError):
        t = pw.debug.table_from_markdown("""
            a | b
            1 | x
        """, schema=S)
        assert t.column_names() == ["a", "b", "c"]


def test_io_argument_errors(tmp_path):
    schema = pw.schema_from_types(a=int)
    with pytest.raises(ValueError, match="schema"):
        pw.io.csv.read(tmp_path / "x.csv", mode="static")
    with pytest.raises(ValueError, match="mode"):
        pw.io.csv.read(tmp_path / "x.csv", schema=schema, mode="bogus")
    with pytest.raises(TypeError, match="bogus_option"):
        pw.io.jsonlines.read(tmp_path / "x.jsonl", schema=schema, mode="static", bogus_option=1)
    with pytest.raises(ValueError, match="format"):
        pw.io.fs.read(tmp_path, format="parquet", schema=schema)
    with pytest.raises(TypeError, match="bogus"):
        pw.run(bogus=True)


def test_missing_input_file_fails_the_run(tmp_path):
    t = pw.io.csv.read(tmp_path / "missing.csv", schema=pw.schema_from_types(a=int),
                       mode="static")
    with pytest.raises(OSError):
        pw.debug.table_to_dicts(t)
