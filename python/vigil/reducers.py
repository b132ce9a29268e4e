"""Reducers of groupby(...).reduce(...) and windowby(...).reduce(...) (pw.reducers)."""

from vigil import _vigil

_r = _vigil.reducers


def count(*args):
    """Rows in the group (arguments, as Pathway allows them, are ignored)."""
    return _r.count()


def sum(expression, *, strict: bool = False):  # noqa: A001 - Pathway's name
    return _r.sum(expression, strict)


def avg(expression):
    return _r.avg(expression)


def min(expression):  # noqa: A001
    return _r.min(expression)


def max(expression):  # noqa: A001
    return _r.max(expression)


def argmin(expression, id=None):  # noqa: A002
    """The id of the row with the smallest value (ties: smallest id)."""
    return _r.argmin(expression, id)


def argmax(expression, id=None):  # noqa: A002
    return _r.argmax(expression, id)


def count_distinct(*expressions):
    return _r.count_distinct(*expressions)


def count_distinct_approximate(*expressions, precision: int = 12):
    """Pathway's HyperLogLog distinct count, computed exactly: vigil counts distinct values
    (memory per distinct value of a group, where a sketch would keep 2**precision registers),
    so the result is the true count, which Pathway's estimate approaches. `precision` is
    checked as Pathway checks it (4 to 18) and has no other effect."""
    if isinstance(precision, bool) or not isinstance(precision, int) or not 4 <= precision <= 18:
        raise ValueError(f"count_distinct_approximate: precision must be an int between 4 and "
                         f"18, got {precision!r}")
    return _r.count_distinct(*expressions)


def any(expression):  # noqa: A001
    return _r.any(expression)


def unique(expression):
    return _r.unique(expression)


def tuple(expression, *, skip_nones: bool = False):  # noqa: A001
    return _r.tuple(expression, skip_nones)


def sorted_tuple(expression, *, skip_nones: bool = False):
    return _r.sorted_tuple(expression, skip_nones)


def earliest(expression):
    return _r.earliest(expression)


def latest(expression):
    return _r.latest(expression)


def stateful_many(combine_many):
    """Pathway's decorator: `combine_many(state, rows)` becomes a reducer, called once per
    group and processing time that changed the group, with the group's state (None at
    first) and that time's changes as `[(values, diff), ...]` (`values` a list-like of the
    reducer's arguments, `diff` 1 or -1); it returns the new state, which is the result.
    The result type is the function's return annotation (else any)."""
    from vigil._expression import _return_type

    result_type = _return_type(combine_many, None)
    name = getattr(combine_many, "__name__", "stateful_many")

    def reducer(*args):
        return _r.stateful_many(combine_many, result_type,
                                list(args), name)

    reducer.__name__ = name
    reducer.__doc__ = combine_many.__doc__
    return reducer
