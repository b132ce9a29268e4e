"""Computing and printing tables (Pathway's pw.debug)."""

from vigil import _vigil
from vigil._run import run_options
from vigil._schema import (ColumnSchema, DateTimeNaive, DateTimeUtc, Duration, dtype_of,
                           schema_from_columns, schema_from_types)
from vigil._table import Table


def compute_and_print(table: Table, *, include_id: bool = True, short_pointers: bool = True,
                      n_rows: int | None = None, squash_updates: bool = True,
                      **kwargs) -> None:
    """Computes the table and prints its final state (or, with squash_updates=False, its
    update stream), as Pathway prints it."""
    text = _vigil.format_table(table._native, include_id, short_pointers, n_rows,
                               not squash_updates, run_options(**kwargs))
    print(text, end="")


def compute_and_print_update_stream(table: Table, *, include_id: bool = True,
                                    short_pointers: bool = True, n_rows: int | None = None,
                                    **kwargs) -> None:
    """Prints every update with __time__ and __diff__ columns."""
    compute_and_print(table, include_id=include_id, short_pointers=short_pointers,
                      n_rows=n_rows, squash_updates=False, **kwargs)


def table_from_markdown(table_def: str, id_from=None, unsafe_trusted_ids: bool = False,
                        schema=None, *, split_on_whitespace: bool = True, **kwargs) -> Table:
    """A table from Pathway's markdown format; an `id` column gives row ids, `__time__` and
    `__diff__` columns make an update stream. With split_on_whitespace=False only `|`
    separates cells, so a cell may hold blanks."""
    native_schema = None if schema is None else schema._native()
    if id_from is not None:
        native_schema = _keyed_by(table_def, schema, native_schema, id_from,
                                  split_on_whitespace)
    return Table(_vigil.table_from_markdown(table_def, native_schema, split_on_whitespace))


def _keyed_by(table_def: str, schema, native_schema, id_from, split_on_whitespace) -> list:
    """The schema of `table_def` (given, or inferred as without id_from) with the `id_from`
    columns as its primary key: row ids are pw.pointer_from(*their values), as Pathway's
    id_from gives (and as groupby gives its groups)."""
    if isinstance(id_from, str):
        id_from = [id_from]
    if schema is None:
        schema = Table(_vigil.table_from_markdown(table_def, native_schema,
                                                  split_on_whitespace)).schema
    columns = schema.__columns__
    missing = [name for name in id_from if name not in columns]
    if missing:
        raise KeyError(f"id_from: no column {missing[0]!r} in the table (columns: "
                       f"{', '.join(columns)})")
    # Key values are hashed in the schema's column order: put the id_from columns first, in
    # id_from's order (the reader matches the header's columns by name).
    order = list(id_from) + [n for n in columns if n not in id_from]
    keyed = {n: ColumnSchema(columns[n].name, columns[n].dtype, n in id_from,
                             columns[n].default_value) for n in order}
    return schema_from_columns(keyed)._native()


def table_from_rows(schema, rows, unsafe_trusted_ids: bool = False,
                    is_stream: bool = False) -> Table:
    """A table from tuples of values (with `__time__` and `__diff__` last when is_stream).

    Row ids are those of the schema's primary key values (pw.pointer_from(*key)), as in
    Pathway, so that a retraction in a stream finds its insertion; without a primary key,
    the row's position."""
    native_rows = []
    for row in rows:
        row = tuple(row)
        values, time, diff = (row[:-2], row[-2], row[-1]) if is_stream else (row, 0, 1)
        native_rows.append((None, values, time, diff))
    return Table(_vigil.table_from_rows(schema._native(), native_rows,
                                        _primary_key_positions(schema)))


def _primary_key_positions(schema) -> list[int] | None:
    keys = schema.primary_key_columns()
    if not keys:
        return None
    names = schema.column_names()
    return [names.index(k) for k in keys]


def _capture(table: Table, **kwargs):
    [(columns, updates)] = _vigil.capture([table._native], run_options(**kwargs))
    return columns, updates


def _final_state(updates):
    rows = {}
    for key, row, _time, diff in updates:
        count = rows.get((key, row), 0) + diff
        if count:
            rows[(key, row)] = count
        else:
            rows.pop((key, row), None)
    return rows


def table_to_dicts(table: Table, **kwargs):
    """(keys, {column: {key: value}}) of the table's final state."""
    columns, updates = _capture(table, **kwargs)
    state = _final_state(updates)
    keys = [key for key, _row in state]
    values = {c: {} for c in columns}
    for key, row in state:
        for c, v in zip(columns, row):
            values[c][key] = v
    return keys, values


def table_to_pandas(table: Table, *, include_id: bool = True, **kwargs):
    """The final state as a pandas.DataFrame indexed by row id."""
    import pandas

    columns, updates = _capture(table, **kwargs)
    state = _final_state(updates)
    keys = [key for key, _row in state]
    data = {c: [row[i] for _key, row in state] for i, c in enumerate(columns)}
    frame = pandas.DataFrame(data, index=keys if include_id else None, columns=columns)
    return frame


def table_from_pandas(df, id_from=None, unsafe_trusted_ids: bool = False, schema=None) -> Table:
    """A static table from a DataFrame: its index (ints) gives the row ids, as Pathway's;
    `__time__` and `__diff__` columns make an update stream. With id_from (column names) or
    a schema with a primary key, the ids are the pointers of those columns' values."""
    if id_from is not None and schema is not None:
        raise ValueError("parameters `schema` and `id_from` are mutually exclusive")
    data_columns = [c for c in df.columns if c not in ("__time__", "__diff__")]
    if schema is None:
        types = {}
        for c in data_columns:
            values = [v for v in df[c].tolist() if v is not None]
            kinds = {_annotation_of_value(v) for v in values}
            t = kinds.pop() if len(kinds) == 1 else object
            if len(values) < len(df):
                t = t | None if t is not object else object
            types[c] = t
        schema = schema_from_types(**types)
    elif list(schema.column_names()) != data_columns:
        raise ValueError("schema does not match given dataframe")
    if id_from is not None:
        missing = [c for c in id_from if c not in data_columns]
        if missing:
            raise KeyError(f"id_from: no column {missing[0]!r} in the dataframe; its columns "
                           f"are {', '.join(map(str, data_columns))}")
        key_positions = [data_columns.index(c) for c in id_from]
    else:
        key_positions = _primary_key_positions(schema)
    rows = []
    times = df["__time__"].tolist() if "__time__" in df.columns else [0] * len(df)
    diffs = df["__diff__"].tolist() if "__diff__" in df.columns else [1] * len(df)
    records = df[data_columns].itertuples(index=False, name=None)
    for index, values, time, diff in zip(df.index.tolist(), records, times, diffs):
        values = tuple(_plain(v) for v in values)
        # The engine hashes the key columns into ids (key_positions); else the index is the id.
        row_id = None if key_positions is not None else index
        rows.append((row_id, values, int(time), int(diff)))
    return Table(_vigil.table_from_rows(schema._native(), rows, key_positions))


def _annotation_of_value(v):
    """The column type a DataFrame value stands for: pandas' Timestamp and Timedelta (what
    datetime64 and timedelta64 columns hold) are Pathway's DateTime and Duration types."""
    import datetime  # loaded already (by pandas), but not at vigil's startup

    if isinstance(v, datetime.datetime):  # pandas.Timestamp is a datetime.datetime
        return DateTimeNaive if v.tzinfo is None else DateTimeUtc
    if isinstance(v, datetime.timedelta):  # and pandas.Timedelta a datetime.timedelta
        return Duration
    return type(v)


def _plain(v):
    """numpy scalars as Python values."""
    item = getattr(v, "item", None)
    if item is not None and type(v).__module__ == "numpy":
        return item()
    return v


__all__ = ["compute_and_print", "compute_and_print_update_stream", "table_from_markdown",
           "table_from_rows", "table_from_pandas", "table_to_pandas", "table_to_dicts",
           "dtype_of"]
