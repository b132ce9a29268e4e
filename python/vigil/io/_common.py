"""What every file reader shares: the mode argument and the schema check."""

_PATHWAY_ONLY = {"autocommit_duration_ms", "name", "persistent_id", "debug_data",
                 "value_columns", "id_columns", "with_metadata", "object_pattern",
                 "max_backlog_size", "_stacklevel"}


def mode_name(mode) -> str:
    name = getattr(mode, "value", mode)
    if name not in ("static", "streaming"):
        raise ValueError(f"mode must be 'static' or 'streaming', got {mode!r}")
    return name


# Accepted only with their "off" values: ignoring them would silently change the table
# (a `_metadata` column, ids from other columns, fewer columns).
_CHANGES_THE_TABLE = {"with_metadata", "id_columns", "value_columns"}


def check_kwargs(function: str, kwargs: dict) -> None:
    unknown = set(kwargs) - _PATHWAY_ONLY
    if unknown:
        raise TypeError(f"{function}() got unexpected keyword argument(s): "
                        f"{', '.join(sorted(unknown))}")
    used = sorted(name for name in _CHANGES_THE_TABLE if kwargs.get(name))
    if used:
        raise NotImplementedError(f"{function}(): {', '.join(used)} is not in vigil yet; give "
                                  "the columns and the primary key in schema=")


def native_schema(function: str, schema):
    if schema is None:
        raise ValueError(f"{function}: schema= is required")
    return schema._native()
