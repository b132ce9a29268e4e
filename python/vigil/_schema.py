"""Schemas as Pathway writes them: a class with annotated columns.

    class InputSchema(pw.Schema):
        username: str
        time: int = pw.column_definition(primary_key=True)

The class is never instantiated; its columns (name, engine type, primary key, default) are
what readers and table_from_markdown take.
"""

from __future__ import annotations

import datetime
import sys
import types
import typing

from vigil import _vigil

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
    datetime.datetime: _vigil.TypeKind.DATE_TIME_NAIVE,
    DateTimeUtc: _vigil.TypeKind.DATE_TIME_UTC,
    Duration: _vigil.TypeKind.DURATION,
    datetime.timedelta: _vigil.TypeKind.DURATION,
    Pointer: _vigil.TypeKind.POINTER,
    typing.Any: _vigil.TypeKind.ANY,
    object: _vigil.TypeKind.ANY,
    type(None): _vigil.TypeKind.NONE,
}


def dtype_of(annotation) -> _vigil.DType:
    """The engine type of a Python annotation: `int`, `str | None`, `Optional[float]`, ..."""
    if isinstance(annotation, _vigil.DType):
        return annotation
    if annotation is None:
        return _vigil.DType(_vigil.TypeKind.NONE, True)
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(annotation)) == 2:
            inner = dtype_of(args[0])
            return _vigil.DType(inner.kind, True)
        return _vigil.DType(_vigil.TypeKind.ANY, True)
    if origin in (tuple, list):
        return _vigil.DType(_vigil.TypeKind.TUPLE)
    kind = _SIMPLE_TYPES.get(annotation)
    if kind is None:
        raise TypeError(f"unsupported column type {annotation!r}: expected str, int, float, bool, "
                        "tuple, pw.DateTimeNaive, pw.DateTimeUtc, pw.Duration, pw.Pointer, "
                        "typing.Any or an Optional of one of them")
    return _vigil.DType(kind, kind == _vigil.TypeKind.NONE)


def python_type_of(dtype: _vigil.DType):
    """The annotation that stands for an engine type (the inverse of dtype_of)."""
    if dtype.kind == _vigil.TypeKind.ANY:
        # Any already admits None: Optional[Any] would be a different, unequal annotation
        # (Pathway's typehints() give typing.Any for such columns)
        return typing.Any
    for annotation, kind in _SIMPLE_TYPES.items():
        if kind == dtype.kind and annotation not in (list, datetime.datetime, datetime.timedelta,
                                                     object):
            return typing.Optional[annotation] if dtype.optional and annotation is not type(None) \
                else annotation
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
                      name=None) -> typing.Any:
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
        out[column] = ColumnSchema(column, dtype_of(definition.dtype if definition.dtype
                                                    is not None else typing.Any),
                                   definition.primary_key, definition.default_value)
    return schema_from_columns(out, name or "Schema")


def schema_of_native(names, dtypes) -> type:
    """The schema class of a table's columns."""
    return schema_from_columns({n: ColumnSchema(n, d) for n, d in zip(names, dtypes)})
