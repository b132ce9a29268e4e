"""Vigil: Pathway's table API on Vigil's C++ engine.

    import vigil as pw

runs Pathway programs: pw.Schema, pw.io.csv.read, with_columns, filter,
windowby(...).reduce(...), pw.debug.compute_and_print, ... The graph is built in Python;
rows stay in the engine unless a Python UDF or callback asks for them. See docs/python.md.
"""

from vigil import _vigil
from vigil._expression import (
    ColumnExpression,
    ColumnReference,
    UDF,
    apply,
    apply_with_type,
    cast,
    coalesce,
    fill_error,
    if_else,
    left,
    make_tuple,
    require,
    right,
    this,
    udf,
)
from vigil._run import MonitoringLevel, run, run_all
from vigil._schema import (
    DateTimeNaive,
    DateTimeUtc,
    Duration,
    Pointer,
    Schema,
    column_definition,
    schema_builder,
    schema_from_types,
)
from vigil._table import GroupedTable, JoinMode, JoinResult, Table

# pw.debug, pw.internals, pw.io, pw.reducers, pw.temporal and pw.universes are imported on
# first use
# (`import vigil` stays cheap: a program pays only for the submodules it uses).
_SUBMODULES = frozenset({"debug", "internals", "io", "reducers", "temporal", "universes"})


def __getattr__(name):
    if name in _SUBMODULES:
        __import__(f"vigil.{name}")  # which makes it an attribute of this module
        return globals()[name]
    raise AttributeError(f"module 'vigil' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)


EngineError = _vigil.EngineError
ERROR = _vigil.ERROR


def pointer_from(*args) -> Pointer:
    """The pointer Pathway's recipe gives to these values (as ids of groupby keys)."""
    return _vigil.pointer_from(*args)


def global_error_log() -> Table:
    """The errors of the run as a table (columns `message`, `origin`, `line`), one row per
    error in the commit that reported it; see docs/python.md for how it differs from
    Pathway's (which has `operator_id` and `trace` instead of `origin` and `line`)."""
    return Table(_vigil.global_error_log())


__version__ = "0.1.0"

__all__ = [
    "ColumnExpression", "ColumnReference", "DateTimeNaive", "DateTimeUtc", "Duration",
    "ERROR", "EngineError", "GroupedTable", "JoinMode", "JoinResult", "MonitoringLevel",
    "Pointer", "Schema",
    "Table", "UDF", "apply", "apply_with_type", "cast", "coalesce", "column_definition",
    "debug", "fill_error", "global_error_log", "if_else", "internals", "io", "left",
    "make_tuple", "pointer_from",
    "reducers", "require", "right", "run", "run_all", "schema_builder", "schema_from_types",
    "temporal", "this", "udf",
]
