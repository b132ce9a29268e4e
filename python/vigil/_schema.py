"""Schemas as Pathway writes them: a class with annotated columns.

    class InputSchema(pw.Schema):
        username: str
        time: int = pw.column_definition(primary_key=True)

The class is never instantiated; its columns (name, engine type, primary key, default) are
what readers and table_from_markdown take.
"""

import sys

from vigil import _vigil

# typing, datetime and types are not imported here: they cost milliseconds at startup, and
# an annotation that is one of their objects (typing.Any, Optional[int], datetime.datetime)
# can only come from a program that has already imported them (see _kind_of and dtype_of).

_NO_DEFAULT = object()


class DateTimeNaive:
    """A datetime without a zone (Pathway's pw.DateTimeNaive); values are pandas.Timestamp."""

    def __new__(cls, *args, **kwargs):
        import pandas

        return pandas.Timestamp(*args, **kwargs)


class DateTimeUtc:
    """A datetime with a zone (Pathway's pw.DateTimeUtc); values are pandas.Timestamp."""

    def __new__(cls, *args, **kwargs):
        import pandas

        ts = pandas.Timestamp(*args, **kwargs)
        return ts.tz_localize("UTC") if ts.tzinfo is None else ts


class Duration:
    """A time difference (Pathway's pw.Duration); values are pandas.Timedelta."""

    def __new__(cls, *args, **kwargs):
        import pandas

        return pandas.Timedelta(*args, **kwargs)


Pointer = _vigil.Pointer

_SIMPLE_TYPES = {
    str: _vigil.TypeKind.STR,
    int: _vigil.TypeKind.INT,
    float: _vigil.TypeKind.FLOAT,
    bool: _vigil.TypeKind.BOOL,
    tuple: _vigil.TypeKind.TUPLE,
    list: _vigil.TypeKind.TUPLE,
    DateTimeNaive: _vigil.TypeKind.DATE_TIME_NAIVE,
    DateTimeUtc: _vigil.TypeKind.DATE_TIME_UTC,
    Duration: _vigil.TypeKind.DURATION,
    Pointer: _vigil.TypeKind.POINTER,
    object: _vigil.TypeKind.ANY,
    type(None): _vigil.TypeKind.NONE,
}
# datetime.datetime (DATE_TIME_NAIVE), datetime.timedelta (DURATION) and typing.Any (ANY)
# are column types too; _kind_of finds them through sys.modules.

_UnionType = type(int | None)       # types.UnionType: `int | None`
_GenericAlias = type(list[int])     # types.GenericAlias: `list[int]`, `tuple[int, str]`
_UNION = object()                   # the origin of both `int | None` and Optional[int]


def _kind_of(annotation):
    """The engine kind of a plain annotation (a class, typing.Any), or None."""
    try:
        kind = _SIMPLE_TYPES.get(annotation)
    except TypeError:  # an unhashable annotation
        return None
    if kind is not None:
        return kind
    datetime = sys.modules.get("datetime")
    if datetime is not None:
        if annotation is datetime.datetime:
            return _vigil.TypeKind.DATE_TIME_NAIVE
        if annotation is datetime.timedelta:
            return _vigil.TypeKind.DURATION
    typing = sys.modules.get("typing")
    if typing is not None and annotation is typing.Any:
        return _vigil.TypeKind.ANY
    return None


def _origin_and_args(annotation):
    """typing.get_origin and typing.get_args, with a Union's origin as _UNION."""
    if isinstance(annotation, _UnionType):
        return _UNION, annotation.__args__
    if isinstance(annotation, _GenericAlias):
        return annotation.__origin__, annotation.__args__
    typing = sys.modules.get("typing")
    if typing is None:  # then the annotation is no typing construct
        return None, ()
    origin = typing.get_origin(annotation)
    if origin is typing.Union:
        origin = _UNION
    return origin, typing.get_args(annotation)


def dtype_of(annotation) -> _vigil.DType:
    """The engine type of a Python annotation: `int`, `str | None`, `Optional[float]`, ..."""
    if isinstance(annotation, _vigil.DType):
        return annotation
    if annotation is None:
        return _vigil.DType(_vigil.TypeKind.NONE, True)
    kind = _kind_of(annotation)
    if kind is not None:
        return _vigil.DType(kind, kind == _vigil.TypeKind.NONE)
    origin, args = _origin_and_args(annotation)
    if origin is _UNION:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(args) == 2:
            inner = dtype_of(rest[0])
            return _vigil.DType(inner.kind, True)
        return _vigil.DType(_vigil.TypeKind.ANY, True)
    if origin in (tuple, list):
        return _vigil.DType(_vigil.TypeKind.TUPLE)
    raise TypeError(f"unsupported column type {annotation!r}: expected str, int, float, bool, "
                    "tuple, pw.DateTimeNaive, pw.DateTimeUtc, pw.Duration, pw.Pointer, "
                    "typing.Any or an Optional of one of them")


def python_type_of(dtype: _vigil.DType):
    """The annotation that stands for an engine type (the inverse of dtype_of)."""
    if dtype.kind == _vigil.TypeKind.ANY:
        # Any already admits None: Optional[Any] would be a different, unequal annotation
        # (Pathway's typehints() give typing.Any for such columns)
        import typing
        return typing.Any
    for annotation, kind in _SIMPLE_TYPES.items():
        if kind == dtype.kind and annotation not in (list, object):
            if dtype.optional and annotation is not type(None):
                import typing
                return typing.Optional[annotation]
            return annotation
    import typing
    return typing.Any


class ColumnDefinition:
    """What pw.column_definition returns: a column's options inside a Schema class."""

    def __init__(self, primary_key=False, default_value=_NO_DEFAULT, dtype=None, name=None):
        self.primary_key = primary_key
        self.default_value = default_value
        self.dtype = dtype
        self.name = name

    def __repr__(self):
        return (f"ColumnDefinition(primary_key={self.primary_key!r}, "
                f"default_value={self.default_value!r}, dtype={self.dtype!r})")


def column_definition(*, primary_key: bool = False, default_value=_NO_DEFAULT, dtype=None,
                      name=None):
    """A column's options: `time: int = pw.column_definition(primary_key=True)`."""
    return ColumnDefinition(primary_key, default_value, dtype, name)


class ColumnSchema:
    """One column of a schema: name, engine type, primary key, default value."""

    def __init__(self, name, dtype, primary_key=False, default_value=_NO_DEFAULT):
        self.name = name
        self.dtype = dtype
        self.primary_key = primary_key
        self.default_value = default_value

    def has_default_value(self):
        return self.default_value is not _NO_DEFAULT

    def __repr__(self):
        return f"ColumnSchema(name={self.name!r}, dtype={self.dtype!r})"


class SchemaMetaclass(type):
    def __init__(cls, name, bases, namespace, **kwargs):
        super().__init__(name, bases, namespace)
        columns = {}
        for base in reversed(cls.__mro__[1:]):
            columns.update(getattr(base, "__columns__", {}))
        hints = namespace.get("__annotations__", {})
        for column, annotation in hints.items():
            if isinstance(annotation, str):
                # `from __future__ import annotations`: resolve in the defining module.
                module = sys.modules.get(cls.__module__)
                annotation = eval(annotation, dict(vars(module)) if module else {})  # noqa: S307
            definition = namespace.get(column)
            if isinstance(definition, ColumnDefinition):
                dtype = dtype_of(definition.dtype if definition.dtype is not None else annotation)
                columns[definition.name or column] = ColumnSchema(
                    definition.name or column, dtype, definition.primary_key,
                    definition.default_value)
            elif column in namespace:
                columns[column] = ColumnSchema(column, dtype_of(annotation), False,
                                               namespace[column])
            else:
                columns[column] = ColumnSchema(column, dtype_of(annotation))
        cls.__columns__ = columns

    def __repr__(cls):
        inner = ", ".join(f"{c.name}: {c.dtype!r}" for c in cls.__columns__.values())
        return f"<vigil.Schema types={{{inner}}}>"

    def __or__(cls, other):
        return schema_from_columns({**cls.__columns__, **other.__columns__})

    def column_names(cls):
        return list(cls.__columns__)

    def columns(cls):
        return dict(cls.__columns__)

    def typehints(cls):
        return {name: python_type_of(c.dtype) for name, c in cls.__columns__.items()}

    def primary_key_columns(cls):
        keys = [name for name, c in cls.__columns__.items() if c.primary_key]
        return keys or None

    def keys(cls):
        return cls.__columns__.keys()

    def __getitem__(cls, name):
        return cls.__columns__[name]

    def _native(cls):
        """The description the extension module takes: (name, dtype, pk, has_default, default)."""
        return [(c.name, c.dtype, c.primary_key, c.has_default_value(),
                 c.default_value if c.has_default_value() else None)
                for c in cls.__columns__.values()]


class Schema(metaclass=SchemaMetaclass):
    """Base class of table schemas (Pathway's pw.Schema)."""


def schema_from_columns(columns: dict, name: str = "Schema") -> type:
    cls = SchemaMetaclass(name, (Schema,), {})
    cls.__columns__ = dict(columns)
    return cls


def schema_from_types(_name: str | None = None, **kwargs) -> type:
    """A schema from `column=type` pairs (Pathway's pw.schema_from_types)."""
    return schema_from_columns(
        {name: ColumnSchema(name, dtype_of(t)) for name, t in kwargs.items()}, _name or "Schema")


def schema_builder(columns: dict, *, name: str | None = None, properties=None) -> type:
    """A schema from {name: pw.column_definition(dtype=...)} (Pathway's pw.schema_builder)."""
    out = {}
    for column, definition in columns.items():
        dtype = (dtype_of(definition.dtype) if definition.dtype is not None
                 else _vigil.DType(_vigil.TypeKind.ANY, False))  # dtype_of(typing.Any)
        out[column] = ColumnSchema(column, dtype, definition.primary_key,
                                   definition.default_value)
    return schema_from_columns(out, name or "Schema")


def schema_of_native(names, dtypes) -> type:
    """The schema class of a table's columns."""
    return schema_from_columns({n: ColumnSchema(n, d) for n, d in zip(names, dtypes)})
