"""Conformance cases of CASES.md §6.7 (connectors: C-01..C-06) and §6.4 T-01 (the tutorial
on the seed's logins.csv, whose printed output P-01 also names), written as Pathway's tests
are (python/pathway/tests/test_errors.py, test_io.py). Files are written to tmp_path; rows
compare without ids (CASES.md's convention). Expected values are copied from CASES.md.
"""

from __future__ import annotations

import pandas as pd
import pytest

import vigil as pw
from vigil.tests.utils import T, assert_table_equality_wo_index


def write_bad_csv(path):
    path.write_text("a,b,c\n1,2,3\n2,x,3\n1,3,y\n6,z,t\n")


class IntsSchema(pw.Schema):
    a: int
    b: int
    c: int


class IntsPkSchema(pw.Schema):
    a: int = pw.column_definition(primary_key=True)
    b: int = pw.column_definition(primary_key=True)
    c: int


C01_ROWS = """
    a | b | c
    1 | 2 | 3
    2 | 0 | 3
    1 | 3 | 0
    6 | 0 | 0
    """

C02_ROWS = """
    a | b | c
    1 | 2 | 3
    1 | 3 | 0
    """

C03_ROWS = """
    a | b | c
    1 | 2 | 3
    2 | 0 | 3
    1 | 3 | 0
    6 | 0 | 0
    7 | 1 | None
    """


def read_with_errors_filled(path, schema):
    table = pw.io.csv.read(path, schema=schema, mode="static")
    return table.with_columns(b=pw.fill_error(pw.this.b, 0), c=pw.fill_error(pw.this.c, 0))


def test_C01_csv_reading(tmp_path):
    path = tmp_path / "input.csv"
    write_bad_csv(path)
    result = read_with_errors_filled(path, IntsSchema)
    assert_table_equality_wo_index(result, T(C01_ROWS), terminate_on_error=False)


def test_C01_csv_reading_default_skips_bad_rows(tmp_path):
    # With the default terminate_on_error=True a row with an unparsable field is skipped.
    path = tmp_path / "input.csv"
    write_bad_csv(path)
    result = pw.io.csv.read(path, schema=IntsSchema, mode="static")
    assert_table_equality_wo_index(result, T("a | b | c\n1 | 2 | 3"))


def test_C01_csv_reading_error_log(tmp_path):
    path = tmp_path / "input.csv"
    write_bad_csv(path)
    result = read_with_errors_filled(path, IntsSchema)
    expected_errors = T(
        """
        message
        failed to parse value "x" at field "b" according to the type int in schema: invalid digit found in string
        failed to parse value "y" at field "c" according to the type int in schema: invalid digit found in string
        failed to parse value "z" at field "b" according to the type int in schema: invalid digit found in string
        failed to parse value "t" at field "c" according to the type int in schema: invalid digit found in string
        """,
        split_on_whitespace=False,
    )
    assert_table_equality_wo_index(
        (result, pw.global_error_log().select(pw.this.message)),
        (T(C01_ROWS), expected_errors),
        terminate_on_error=False,
    )


def test_C02_csv_reading_pk(tmp_path):
    path = tmp_path / "input.csv"
    write_bad_csv(path)
    result = read_with_errors_filled(path, IntsPkSchema)
    assert_table_equality_wo_index(result, T(C02_ROWS), terminate_on_error=False)


def test_C02_csv_reading_pk_error_log(tmp_path):
    path = tmp_path / "input.csv"
    write_bad_csv(path)
    result = read_with_errors_filled(path, IntsPkSchema)
    expected_errors = T(
        """
        message
        error in primary key, skipping the row: failed to parse value "x" at field "b" according to the type int in schema: invalid digit found in string
        failed to parse value "y" at field "c" according to the type int in schema: invalid digit found in string
        error in primary key, skipping the row: failed to parse value "z" at field "b" according to the type int in schema: invalid digit found in string
        """,
        split_on_whitespace=False,
    )
    assert_table_equality_wo_index(
        (result, pw.global_error_log().select(pw.this.message)),
        (T(C02_ROWS), expected_errors),
        terminate_on_error=False,
    )


class JsonSchema(pw.Schema):
    a: int
    b: int
    c: int | None


def read_bad_jsonlines(tmp_path):
    path = tmp_path / "input.jsonl"
    path.write_text(
        '{"a": 1, "b": 2, "c": 3}\n'
        '{"a": 2, "b": "x", "c": 3}\n'
        '{"a": 1, "b": 3, "c": "y"}\n'
        '{"a": 6, "b": "1", "c": "t"}\n'
        '{"a": 7, "b": 1, "c": null}\n'
    )
    table = pw.io.jsonlines.read(path, schema=JsonSchema, mode="static")
    return table.with_columns(b=pw.fill_error(pw.this.b, 0), c=pw.fill_error(pw.this.c, 0))


def test_C03_jsonlines_reading(tmp_path):
    assert_table_equality_wo_index(
        read_bad_jsonlines(tmp_path), T(C03_ROWS), terminate_on_error=False
    )


def test_C03_jsonlines_reading_error_log(tmp_path):
    result = read_bad_jsonlines(tmp_path)
    # The messages hold a `|` (`int | None`), which no markdown cell can: a DataFrame.
    expected_errors = pw.debug.table_from_pandas(pd.DataFrame({"message": [
        'failed to create a field "b" with type int from json payload: "x"',
        'failed to create a field "c" with type int | None from json payload: "y"',
        'failed to create a field "b" with type int from json payload: "1"',
        'failed to create a field "c" with type int | None from json payload: "t"',
    ]}))
    assert_table_equality_wo_index(
        (result, pw.global_error_log().select(pw.this.message)),
        (T(C03_ROWS), expected_errors),
        terminate_on_error=False,
    )


def test_C04_bool_values_parsing_in_csv(tmp_path):
    path = tmp_path / "input.csv"
    values = ["true", "TRUE", "T", "1", "t", "FALSE", "false", "f", "F", "0"]
    path.write_text("key,value\n" + "".join(f"{k},{v}\n" for k, v in enumerate(values, 1)))

    class InputSchema(pw.Schema):
        key: int = pw.column_definition(primary_key=True)
        value: bool

    table = pw.io.csv.read(path, schema=InputSchema, mode="static")
    expected = T(
        """
        key | value
        1   | True
        2   | True
        3   | True
        4   | True
        5   | True
        6   | False
        7   | False
        8   | False
        9   | False
        10  | False
        """
    )
    assert_table_equality_wo_index(table, expected)


def test_C05_csv_default_values(tmp_path):
    path = tmp_path / "input.csv"
    path.write_text("k,v\na,42\nb,43\nc,\n")

    class InputSchema(pw.Schema):
        k: str = pw.column_definition(primary_key=True)
        v: int = pw.column_definition(default_value=0)

    table = pw.io.csv.read(path, schema=InputSchema, mode="static")
    expected = T(
        """
        k | v
        a | 42
        b | 43
        c | 0
        """
    )
    assert_table_equality_wo_index(table, expected)


def test_C06_csv_skip_column(tmp_path):
    path = tmp_path / "input.csv"
    path.write_text("k,a,b\n1,one,x\n2,two,y\n3,three,z\n")
    table = pw.io.csv.read(
        path,
        schema=pw.schema_builder(
            columns={
                "k": pw.column_definition(primary_key=True, dtype=int),
                "b": pw.column_definition(dtype=str),
            }
        ),
        mode="static",
    )
    expected = T(
        """
        k | b
        1 | x
        2 | y
        3 | z
        """
    )
    assert table.column_names() == ["k", "b"]
    assert_table_equality_wo_index(table, expected)


def test_T01_tutorial(shared_dir, capsys):
    class InputSchema(pw.Schema):
        username: str
        successful: str
        time: int
        ip_address: str

    logins = pw.io.csv.read(shared_dir / "seed" / "logins.csv", schema=InputSchema, mode="static")
    logins = logins.with_columns(successful=(pw.this.successful == "True"))
    failed = logins.filter(~pw.this.successful)
    result = failed.windowby(
        failed.time, window=pw.temporal.tumbling(duration=60), instance=pw.this.ip_address
    ).reduce(ip_address=pw.this._pw_instance, count=pw.reducers.count())
    suspicious_logins = result.filter(pw.this.count >= 5)
    pw.debug.compute_and_print(suspicious_logins)
    assert capsys.readouterr().out == (
        "            | ip_address    | count\n"
        "^3HJ3BS8... | 50.37.169.241 | 7\n"
    )
