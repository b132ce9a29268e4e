"""Reducers of groupby(...).reduce(...) and windowby(...).reduce(...) (pw.reducers)."""

import builtins
import functools

from vigil import _vigil

_r = _vigil.reducers


def _deferrable(build):
    """A reducer that also takes a column of a deferred lookup (`values.ix(grouped.ptr).v`,
    vigil/_table.py): the call is then built by GroupedTable.reduce once that column has been
    looked up for every grouped row."""

    @functools.wraps(build)
    def reducer(*args, **kwargs):
        from vigil._table import _DeferredReducer, _IxColumn
        # builtins.any: this module's `any` is the reducer.
        if builtins.any(isinstance(arg, _IxColumn) for arg in args):
            return _DeferredReducer(lambda *exprs: build(*exprs, **kwargs), args)
        return build(*args, **kwargs)
    return reducer


def count(*args):
    """Rows in the group (arguments, as Pathway allows them, are ignored)."""
    return _r.count()


@_deferrable
def sum(expression, *, strict: bool = False):  # noqa: A001 - Pathway's name
    return _r.sum(expression, strict)


@_deferrable
def avg(expression):
    return _r.avg(expression)


@_deferrable
def min(expression):  # noqa: A001
    return _r.min(expression)


@_deferrable
def max(expression):  # noqa: A001
    return _r.max(expression)


@_deferrable
def argmin(expression, id=None):  # noqa: A002
    """The id of the row with the smallest value (ties: smallest id)."""
    return _r.argmin(expression, id)


@_deferrable
def argmax(expression, id=None):  # noqa: A002
    return _r.argmax(expression, id)


@_deferrable
def count_distinct(*expressions):
    return _r.count_distinct(*expressions)


@_deferrable
def count_distinct_approximate(*expressions, precision: int = 12):
    """Pathway's HyperLogLog distinct count, computed exactly: vigil counts distinct values
    (memory per distinct value of a group, where a sketch would keep 2**precision registers),
    so the result is the true count, which Pathway's estimate approaches. `precision` is
    checked as Pathway checks it (4 to 18) and has no other effect."""
    if isinstance(precision, bool) or not isinstance(precision, int) or not 4 <= precision <= 18:
        raise ValueError(f"count_distinct_approximate: precision must be an int between 4 and "
                         f"18, got {precision!r}")
    return _r.count_distinct(*expressions)


@_deferrable
def any(expression):  # noqa: A001
    return _r.any(expression)


@_deferrable
def unique(expression):
    return _r.unique(expression)


@_deferrable
def tuple(expression, *, skip_nones: bool = False):  # noqa: A001
    return _r.tuple(expression, skip_nones)


@_deferrable
def sorted_tuple(expression, *, skip_nones: bool = False):
    return _r.sorted_tuple(expression, skip_nones)


@_deferrable
def earliest(expression):
    return _r.earliest(expression)


@_deferrable
def latest(expression):
    return _r.latest(expression)


def stateful_many(combine_many):
    """Pathway's decorator: `combine_many(state, rows)` becomes a reducer, called once per
    group and processing time that changed the group, with the group's state (None at
    first) and that time's changes as `[(values, diff), ...]` (`values` a list-like of the
    reducer's arguments, `diff` 1 or -1); it returns the new state, which is the result.
    The result type is the function's return annotation (else any)."""
    from vigil._expression import _return_type
    return _stateful(combine_many, _return_type(combine_many, None),
                     getattr(combine_many, "__name__", "stateful_many"), combine_many.__doc__)


def stateful_single(combine_single):
    """Pathway's decorator: `combine_single(state, *values)` becomes a reducer folding each
    inserted row into the group's state (None at first); a retraction cannot be folded and
    makes the group's result an Error (reported). Built on stateful_many; the result type is
    the function's return annotation (else any)."""
    from vigil._expression import _return_type
    name = getattr(combine_single, "__name__", "stateful_single")

    def combine_many(state, rows):
        for values, diff in rows:
            if diff < 0:
                raise ValueError(f"{name}: stateful_single cannot take back a row (a "
                                 "retraction)")
            for _ in range(diff):
                state = combine_single(state, *values)
        return state

    return _stateful(combine_many, _return_type(combine_single, None), name,
                     combine_single.__doc__)


def _stateful(combine_many, result_type, name, doc):
    def reducer(*args):
        return _r.stateful_many(combine_many, result_type, list(args), name)

    reducer.__name__ = name
    reducer.__doc__ = doc
    return reducer
