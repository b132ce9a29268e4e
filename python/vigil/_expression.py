"""Column references and expression functions: pw.this, pw.left, pw.right, pw.if_else, ...

Expressions are the engine's own (vigil._vigil.Expr): Python operators on them build the
same trees the C++ API builds, and names are resolved when the expression is used on a
table, so `pw.this.x` works on any table that has a column `x`.
"""

from vigil import _vigil
from vigil._schema import dtype_of

Expr = _vigil.Expr
ColumnExpression = _vigil.Expr
ColumnReference = _vigil.Expr


class DateTimeNamespace:
    """`expr.dt`: Pathway's datetime methods the engine has (vigil/expr/datetime_functions.h;
    formats with chrono's specifiers, as Pathway's)."""

    def __init__(self, expr: Expr):
        self._expr = expr

    def strptime(self, fmt: str, contains_timezone: bool | None = None) -> Expr:
        """Strings to DateTimeUtc when `fmt` has %z, else to DateTimeNaive."""
        if contains_timezone is not None and bool(contains_timezone) != ("%z" in fmt):
            raise ValueError(f"strptime: contains_timezone={contains_timezone} but the format "
                             f"{fmt!r} {'has no' if contains_timezone else 'has a'} %z: the "
                             "result is DateTimeUtc exactly when the format reads an offset")
        return _vigil.dt.strptime(self._expr, fmt)

    def strftime(self, fmt: str) -> Expr:
        return _vigil.dt.strftime(self._expr, fmt)

    def year(self) -> Expr: return _vigil.dt.year(self._expr)
    def month(self) -> Expr: return _vigil.dt.month(self._expr)
    def day(self) -> Expr: return _vigil.dt.day(self._expr)
    def hour(self) -> Expr: return _vigil.dt.hour(self._expr)
    def minute(self) -> Expr: return _vigil.dt.minute(self._expr)
    def second(self) -> Expr: return _vigil.dt.second(self._expr)
    def millisecond(self) -> Expr: return _vigil.dt.millisecond(self._expr)
    def microsecond(self) -> Expr: return _vigil.dt.microsecond(self._expr)
    def nanosecond(self) -> Expr: return _vigil.dt.nanosecond(self._expr)
    def weekday(self) -> Expr: return _vigil.dt.weekday(self._expr)

    def floor(self, duration) -> Expr:
        """Rounded down to a multiple of `duration` (a datetime.timedelta or pw.Duration)
        since the epoch; the same datetime type."""
        return _vigil.dt.floor(self._expr, duration)


class StringNamespace:
    """`expr.str`: Pathway's string methods the engine has (vigil/expr/string_functions.h:
    positions count code points; case mapping and blanks are ASCII's)."""

    def __init__(self, expr: Expr):
        self._expr = expr

    def lower(self) -> Expr: return _vigil.str.lower(self._expr)
    def upper(self) -> Expr: return _vigil.str.upper(self._expr)
    def len(self) -> Expr: return _vigil.str.len(self._expr)

    def strip(self, chars: str | None = None) -> Expr:
        return _vigil.str.strip(self._expr, chars)

    def startswith(self, prefix: str) -> Expr: return _vigil.str.startswith(self._expr, prefix)
    def endswith(self, suffix: str) -> Expr: return _vigil.str.endswith(self._expr, suffix)
    def count(self, sub: str) -> Expr: return _vigil.str.count(self._expr, sub)
    def find(self, sub: str) -> Expr: return _vigil.str.find(self._expr, sub)
    def rfind(self, sub: str) -> Expr: return _vigil.str.rfind(self._expr, sub)
    def reversed(self) -> Expr: return _vigil.str.reversed(self._expr)
    def removeprefix(self, prefix: str) -> Expr: return _vigil.str.removeprefix(self._expr, prefix)
    def removesuffix(self, suffix: str) -> Expr: return _vigil.str.removesuffix(self._expr, suffix)

    def slice(self, start: int, end: int) -> Expr:
        """Code points [start, end), Python's slice rules."""
        return _vigil.str.slice(self._expr, start, end)

    def replace(self, old_value: str, new_value: str, count: int = -1) -> Expr:
        return _vigil.str.replace(self._expr, old_value, new_value, count)

    def parse_int(self, optional: bool = False) -> Expr:
        return _vigil.str.parse_int(self._expr, optional)

    def parse_float(self, optional: bool = False) -> Expr:
        return _vigil.str.parse_float(self._expr, optional)


Expr.dt = property(DateTimeNamespace, doc="Datetime methods (Pathway's .dt namespace).")
Expr.str = property(StringNamespace, doc="String methods (Pathway's .str namespace).")


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


_NO_ANNOTATION = object()


def _return_annotation(fn):
    """fn's return annotation (resolved when it is a string), or _NO_ANNOTATION.

    typing (costly to import) is needed only for string annotations, as written under
    `from __future__ import annotations`; an annotation that does not resolve (a forward
    reference to a name the function's module lacks) counts as none, so that the function
    stays usable, as does an unresolvable argument annotation next to a string return one."""
    if not callable(fn):
        return _NO_ANNOTATION
    try:
        annotations = fn.__annotations__
    except AttributeError:
        return _NO_ANNOTATION
    returned = annotations.get("return", _NO_ANNOTATION)
    if not isinstance(returned, str):
        # typing.Annotated[T, ...] stands for T (as typing.get_type_hints gives it)
        return returned.__origin__ if hasattr(returned, "__metadata__") else returned
    import typing
    try:
        return typing.get_type_hints(fn).get("return", _NO_ANNOTATION)
    except Exception:  # noqa: BLE001
        return _NO_ANNOTATION


def _return_type(fn, return_type):
    if return_type is not None:
        return dtype_of(return_type)
    returned = _return_annotation(fn)
    if returned is not _NO_ANNOTATION:
        return dtype_of(returned)
    return _vigil.DType(_vigil.TypeKind.ANY, True)


def _with_keywords(fun, args, kwargs):
    """(callable, argument expressions) for a call with keyword arguments.

    The engine passes argument values by position only, so the keyword arguments become
    extra positional expressions and the callable puts them back under their names."""
    if not kwargs:
        return fun, list(args)
    import functools

    names = list(kwargs)
    n = len(args)

    @functools.wraps(fun)
    def call(*values):
        return fun(*values[:n], **dict(zip(names, values[n:])))
    return call, list(args) + [kwargs[name] for name in names]


def apply(fun, *args, **kwargs) -> Expr:
    """Calls fun on the values of args (and kwargs) for every row (Pathway's pw.apply)."""
    call, exprs = _with_keywords(fun, args, kwargs)
    return _vigil.apply(call, _return_type(fun, None), exprs, getattr(fun, "__name__", "apply"))


def apply_with_type(fun, ret_type, *args, **kwargs) -> Expr:
    """pw.apply with the result type given."""
    call, exprs = _with_keywords(fun, args, kwargs)
    return _vigil.apply(call, dtype_of(ret_type), exprs, getattr(fun, "__name__", "apply"))


class UDF:
    """A Python function usable on columns: `f(pw.this.a)` is an expression (pw.udf).

    With max_batch_size the function takes lists (one per argument, at most max_batch_size
    values each) and returns a list of results, as Pathway's batched UDFs do.

    As in Pathway, a subclass may define the function as a method `__wrapped__` instead:
    `class Inc(pw.UDF): def __wrapped__(self, a: int) -> int: ...`, then `Inc()(pw.this.a)`."""

    def __init__(self, fun=None, return_type=None, max_batch_size=None, *,
                 propagate_none=False, deterministic=False, executor=None, cache_strategy=None):
        if executor is not None or cache_strategy is not None:
            raise NotImplementedError("vigil runs UDFs synchronously, without executors or "
                                      "caches")
        if fun is None:
            # a subclass's `__wrapped__` method (bound, so `self` is not an argument)
            fun = getattr(self, "__wrapped__", None)
            if fun is None or not callable(fun):
                raise TypeError("pw.UDF needs a function, or a subclass defining __wrapped__")
        else:
            import functools
            functools.update_wrapper(self, fun)
        if propagate_none:
            fun = _propagating_none(fun, max_batch_size is not None)
        self._fun = fun
        self._return_type = _return_type(fun, return_type)
        self._max_batch_size = max_batch_size
        if max_batch_size is not None and return_type is None:
            # The annotation of a batched function is list[T]: its rows are of type T.
            ret = _return_annotation(fun)
            if getattr(ret, "__origin__", None) is list and getattr(ret, "__args__", ()):
                self._return_type = dtype_of(ret.__args__[0])
            else:
                self._return_type = _vigil.DType(_vigil.TypeKind.ANY, True)
        if propagate_none:
            # rows with a None argument give None: the result column is optional
            self._return_type = _vigil.DType(self._return_type.kind, True)

    def __call__(self, *args, **kwargs):
        call, exprs = _with_keywords(self._fun, args, kwargs)
        return _vigil.apply(call, self._return_type, exprs,
                            getattr(self._fun, "__name__", "udf"), self._max_batch_size)


def _propagating_none(inner, batched: bool):
    """inner, giving None without being called for rows where an argument is None."""
    import functools

    if not batched:
        @functools.wraps(inner)
        def per_row(*values, **keywords):
            if any(v is None for v in values) or any(v is None for v in keywords.values()):
                return None
            return inner(*values, **keywords)
        return per_row

    @functools.wraps(inner)
    def per_batch(*columns, **keyword_columns):
        # lists of one batch: call inner on the rows without None, put None elsewhere
        names = list(keyword_columns)
        all_columns = list(columns) + [keyword_columns[n] for n in names]
        size = len(all_columns[0]) if all_columns else 0
        keep = [i for i in range(size) if all(c[i] is not None for c in all_columns)]
        results = [None] * size
        if keep:
            picked = [[c[i] for i in keep] for c in all_columns]
            computed = inner(*picked[:len(columns)], **dict(zip(names, picked[len(columns):])))
            for i, value in zip(keep, computed):
                results[i] = value
        return results
    return per_batch


def udf(fun=None, /, *, return_type=None, deterministic=False, propagate_none=False,
        executor=None, cache_strategy=None, max_batch_size=None):
    """Decorator making a Python function a UDF: `@pw.udf def f(x: int) -> int: ...`."""
    if executor is not None or cache_strategy is not None:
        raise NotImplementedError("vigil runs UDFs synchronously, without executors or caches")

    def wrap(f):
        return UDF(f, return_type, max_batch_size, propagate_none=propagate_none)

    return wrap if fun is None else wrap(fun)
