"""Pathway's test helpers (pathway.tests.utils) over vigil, so that tests written for
Pathway run through `import vigil as pw`:

    from vigil.tests.utils import T, assert_table_equality_wo_index
"""

from __future__ import annotations

import collections
import contextlib
import math

from vigil import _vigil
from vigil._run import run_options
from vigil._table import Table
from vigil.debug import table_from_markdown
from vigil.internals.parse_graph import G

T = table_from_markdown


def run_all(**kwargs) -> None:
    _vigil.run(run_options(**kwargs))


def _as_tuple(tables):
    return tables if isinstance(tables, (tuple, list)) else (tables,)


def _capture_all(tables, **kwargs):
    return _vigil.capture([t._native for t in tables], run_options(**kwargs))


def _normalize(value):
    """Values compared as Pathway's tests compare them (NaN equals NaN)."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, tuple):
        return tuple(_normalize(v) for v in value)
    return value


def _final(updates, with_ids):
    counts = collections.Counter()
    for key, row, _time, diff in updates:
        counts[(key if with_ids else None, _normalize(row))] += diff
    return collections.Counter({k: c for k, c in counts.items() if c != 0})


def _stream(updates, with_ids):
    counts = collections.Counter()
    for key, row, time, diff in updates:
        counts[(key if with_ids else None, _normalize(row), time, diff)] += 1
    return counts


def _compare(actual_tables, expected_tables, with_ids, stream, **kwargs):
    actual_tables = _as_tuple(actual_tables)
    expected_tables = _as_tuple(expected_tables)
    assert len(actual_tables) == len(expected_tables), "different numbers of tables"
    captured = _capture_all(list(actual_tables) + list(expected_tables), **kwargs)
    n = len(actual_tables)
    for (a_cols, a_updates), (e_cols, e_updates) in zip(captured[:n], captured[n:]):
        assert list(a_cols) == list(e_cols), f"columns differ: {a_cols} != {e_cols}"
        fold = _stream if stream else _final
        actual = fold(a_updates, with_ids)
        expected = fold(e_updates, with_ids)
        if actual != expected:
            missing = expected - actual
            extra = actual - expected
            raise AssertionError(
                f"tables differ (columns {list(a_cols)}):\n"
                f"  expected but missing: {sorted(map(repr, missing.elements()))}\n"
                f"  present but not expected: {sorted(map(repr, extra.elements()))}")


def assert_table_equality(table, expected, **kwargs) -> None:
    """Same columns, same rows with the same ids."""
    _compare(table, expected, with_ids=True, stream=False, **_run_kwargs(kwargs))


def assert_table_equality_wo_index(table, expected, **kwargs) -> None:
    """Same columns, same rows as a multiset, ids ignored."""
    _compare(table, expected, with_ids=False, stream=False, **_run_kwargs(kwargs))


def assert_table_equality_wo_types(table, expected, **kwargs) -> None:
    assert_table_equality(table, expected, **kwargs)


def assert_table_equality_wo_index_types(table, expected, **kwargs) -> None:
    assert_table_equality_wo_index(table, expected, **kwargs)


def assert_stream_equality(table, expected, **kwargs) -> None:
    """Same updates (row, id, time, diff)."""
    _compare(table, expected, with_ids=True, stream=True, **_run_kwargs(kwargs))


def assert_stream_equality_wo_index(table, expected, **kwargs) -> None:
    """Same updates (row, time, diff), ids ignored."""
    _compare(table, expected, with_ids=False, stream=True, **_run_kwargs(kwargs))


def assert_stream_equality_wo_types(table, expected, **kwargs) -> None:
    assert_stream_equality(table, expected, **kwargs)


def assert_stream_equality_wo_index_types(table, expected, **kwargs) -> None:
    assert_stream_equality_wo_index(table, expected, **kwargs)


def _run_kwargs(kwargs):
    # Pathway's helpers take options about the comparison itself; the run takes the rest.
    for name in ("check_schema", "allow_superset", "ignore_types"):
        kwargs.pop(name, None)
    return kwargs


@contextlib.contextmanager
def warns_here(*args, **kwargs):
    """pytest.warns (Pathway also checks the warning points at the caller's line)."""
    import pytest

    with pytest.warns(*args, **kwargs) as record:
        yield record


def clear_graph() -> None:
    G.clear()


__all__ = ["T", "Table", "assert_stream_equality", "assert_stream_equality_wo_index",
           "assert_table_equality", "assert_table_equality_wo_index", "run_all", "warns_here"]
