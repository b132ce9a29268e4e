"""What every file reader shares: the mode argument and the schema check."""

from __future__ import annotations

_PATHWAY_ONLY = {"autocommit_duration_ms", "name", "persistent_id", "debug_data",
                 "value_columns", "id_columns", "with_metadata", "object_pattern",
                 "max_backlog_size", "_stacklevel"}


def mode_name(mode) -> str:
    name = getattr(mode, "value", mode)
    if name not in ("static", "streaming"):
        raise ValueError(f"mode must be 'static' or 'streaming', got {mode!r}")
    return name


def check_kwargs(function: str, kwargs: dict) -> None:
    unknown = set(kwargs) - _PATHWAY_ONLY
    if unknown:
        raise TypeError(f"{function}() got unexpected keyword argument(s): "
                        f"{', '.join(sorted(unknown))}")


def native_schema(function: str, schema):
    if schema is None:
        raise ValueError(f"{function}: schema= is required")
    return schema._native()
