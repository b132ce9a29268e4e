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


def _consolidated(updates):
    """The stream with the updates of one (id, row, time) summed and zero sums dropped, as
    {(id, row, time): diff}: what must not depend on batch size or on row order."""
    sums = collections.Counter()
    for key, row, time, diff in updates:
        sums[(key, _normalize(row), time)] += diff
    return {k: d for k, d in sums.items() if d != 0}


def _net_rows(updates):
    """The final state as {(id, row): multiplicity} (with its negative counts, if any)."""
    counts = collections.Counter()
    for key, row, _time, diff in updates:
        counts[(key, _normalize(row))] += diff
    return {k: c for k, c in counts.items() if c != 0}


def _difference(expected: dict, actual: dict, what: str, limit: int = 12) -> str:
    """The entries of two {entry: count} dicts that differ, for an assertion message."""
    lines = []
    for key in sorted(set(expected) | set(actual), key=repr):
        e, a = expected.get(key, 0), actual.get(key, 0)
        if e != a:
            lines.append(f"    {what} {key!r}: {e} by default, {a} here")
    shown = lines[:limit]
    if len(lines) > limit:
        shown.append(f"    ... and {len(lines) - limit} more")
    return "\n".join(shown)


def assert_matrix_stable(*tables, time_dependent: bool = False, seeds: int = 3):
    """Computes the tables under the golden test matrix and checks that the results do not
    depend on how the engine was fed (as test/support/golden.h does for C++ tests):

    - batch sizes 1, 2 and 7 (RunOptions.max_batch_rows), and `seeds` runs with the rows of
      every commit shuffled (RunOptions.set_reshuffle(seed, False)) under varied batch
      sizes, must give the consolidated update stream of the default run: the same
      (id, row, time, diff) updates once the diffs of one (id, row, time) are summed;
    - unless time_dependent, `seeds` runs with every commit also cut at random into up to
      three commits (set_reshuffle(seed, True); times become 8t, 8t+1, ...) must give the
      default run's final state (ids and rows with their multiplicities). Pipelines whose
      results depend on processing time (earliest/latest reducers, behaviors' timing) pass
      time_dependent=True.

    Raises AssertionError naming the variant, the table and the differing updates. Returns
    the default run's [(columns, updates)] (as vigil._vigil.capture gives them)."""
    flat = []
    for table in tables:
        flat.extend(table if isinstance(table, (list, tuple)) else [table])
    if not flat:
        raise ValueError("assert_matrix_stable: no table given")
    natives = [t._native for t in flat]

    def capture(variant, options):
        try:
            return _vigil.capture(natives, options)
        except Exception as error:
            raise AssertionError(f"matrix variant '{variant}': the run failed where the "
                                 f"default run did not: {error!r}") from error

    def options(max_batch_rows=None, seed=0, split=False):
        o = run_options(max_batch_rows=max_batch_rows)
        o.echo_errors = False
        if seed:
            o.set_reshuffle(seed, split)
        return o

    reference = _vigil.capture(natives, options())
    reference_streams = [_consolidated(updates) for _columns, updates in reference]
    reference_states = [_net_rows(updates) for _columns, updates in reference]

    def check(variant, captured, fold, references, what):
        entry = "update" if fold is _consolidated else "row"
        for index, ((columns, updates), expected) in enumerate(zip(captured, references)):
            actual = fold(updates)
            if actual != expected:
                raise AssertionError(
                    f"matrix variant '{variant}' changes the {what} of table #{index} "
                    f"(columns {list(columns)}):\n{_difference(expected, actual, entry)}")

    variants = [(f"batch size {n}", options(max_batch_rows=n)) for n in (1, 2, 7)]
    variants += [(f"rows shuffled within commits, seed {seed}, batch size {1 + seed % 5}",
                  options(max_batch_rows=1 + seed % 5, seed=seed))
                 for seed in range(1001, 1001 + seeds)]
    for variant, o in variants:
        check(variant, capture(variant, o), _consolidated, reference_streams,
              "consolidated update stream")
    if not time_dependent:
        for seed in range(1001, 1001 + seeds):
            variant = f"commits split at random, seed {seed}"
            check(variant, capture(variant, options(seed=seed, split=True)), _net_rows,
                  reference_states, "final state")
    return reference


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


__all__ = ["T", "Table", "assert_matrix_stable", "assert_stream_equality",
           "assert_stream_equality_wo_index", "assert_table_equality",
           "assert_table_equality_wo_index", "run_all", "warns_here"]
