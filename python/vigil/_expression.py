"""Column references and expression functions: pw.this, pw.left, pw.right, pw.if_else, ...

Expressions are the engine's own (vigil._vigil.Expr): Python operators on them build the
same trees the C++ API builds, and names are resolved when the expression is used on a
table, so `pw.this.x` works on any table that has a column `x`.
"""

from __future__ import annotations

import functools
import typing

from vigil import _vigil
from vigil._schema import dtype_of

Expr = _vigil.Expr
ColumnExpression = _vigil.Expr
ColumnReference = _vigil.Expr


class _Side:
    """pw.this (no side), pw.left, pw.right: `pw.this.name`, `pw.this["name"]`, `pw.this.id`."""

    def __init__(self, side: str | None):
        self._side = side

    def _column(self, name: str) -> Expr:
        if self._side is None:
            return _vigil.this_column(name)
        return _vigil.side_column(self._side == "left", name)

    def __getattr__(self, name: str) -> Expr:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if name == "id":
            return _vigil.this_id() if self._side is None else _vigil.side_id(self._side == "left")
        return self._column(name)

    def __getitem__(self, name):
        if isinstance(name, (list, tuple)):
            return [self._column(n) for n in name]
        return self._column(name)

    def __repr__(self):
        return f"pw.{self._side or 'this'}"


this = _Side(None)
left = _Side("left")
right = _Side("right")


def if_else(if_clause, then_clause, else_clause) -> Expr:
    """then_clause where if_clause is True, else_clause elsewhere."""
    return _vigil.if_else(if_clause, then_clause, else_clause)


def coalesce(*args) -> Expr:
    """The first argument that is not None."""
    return _vigil.coalesce(*args)


def require(val, *args) -> Expr:
    """val, or None where any of args is None."""
    if not args:
        return _vigil.as_expr(val)
    condition = None
    for arg in args:
        c = _vigil.as_expr(arg).is_not_none()
        condition = c if condition is None else condition & c
    return _vigil.if_else(condition, val, None)


def make_tuple(*args) -> Expr:
    return _vigil.make_tuple(*args)


def cast(target_type, col) -> Expr:
    """Converts values to target_type (int <-> float, bool -> int, ...)."""
    return _vigil.cast(dtype_of(target_type), col)


def fill_error(col, replacement) -> Expr:
    """col, with Error values replaced by replacement."""
    return _vigil.fill_error(col, replacement)


def _return_type(fn, return_type):
    if return_type is not None:
        return dtype_of(return_type)
    hints = typing.get_type_hints(fn) if callable(fn) and hasattr(fn, "__annotations__") else {}
    if "return" in hints:
        return dtype_of(hints["return"])
    return _vigil.DType(_vigil.TypeKind.ANY, True)


def apply(fun: typing.Callable, *args, **kwargs) -> Expr:
    """Calls fun on the values of args for every row (Pathway's pw.apply)."""
    if kwargs:
        raise TypeError("pw.apply takes positional expression arguments only")
    return _vigil.apply(fun, _return_type(fun, None), list(args), getattr(fun, "__name__", "apply"))


def apply_with_type(fun: typing.Callable, ret_type, *args, **kwargs) -> Expr:
    """pw.apply with the result type given."""
    if kwargs:
        raise TypeError("pw.apply_with_type takes positional expression arguments only")
    return _vigil.apply(fun, dtype_of(ret_type), list(args), getattr(fun, "__name__", "apply"))


class UDF:
    """A Python function usable on columns: `f(pw.this.a)` is an expression (pw.udf)."""

    def __init__(self, fun, return_type=None):
        functools.update_wrapper(self, fun)
        self._fun = fun
        self._return_type = _return_type(fun, return_type)

    def __call__(self, *args, **kwargs):
        if kwargs:
            raise TypeError("a UDF takes positional expression arguments only")
        return _vigil.apply(self._fun, self._return_type, list(args),
                            getattr(self._fun, "__name__", "udf"))


def udf(fun=None, /, *, return_type=None, deterministic=False, propagate_none=False,
        executor=None, cache_strategy=None):
    """Decorator making a Python function a UDF: `@pw.udf def f(x: int) -> int: ...`."""
    if executor is not None or cache_strategy is not None:
        raise NotImplementedError("vigil runs UDFs synchronously, without executors or caches")

    def wrap(f):
        if propagate_none:
            inner = f

            @functools.wraps(inner)
            def f(*values):
                return None if any(v is None for v in values) else inner(*values)
        return UDF(f, return_type)

    return wrap if fun is None else wrap(fun)
