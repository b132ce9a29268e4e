"""JSON Lines files (pw.io.jsonlines): one object per line, columns found by key."""

from vigil import _vigil
from vigil._table import Table
from vigil.io._common import check_kwargs, mode_name, native_schema


def read(path, *, schema=None, mode="streaming", json_field_paths=None, **kwargs) -> Table:
    check_kwargs("pw.io.jsonlines.read", kwargs)
    if json_field_paths:
        raise NotImplementedError("json_field_paths is not in vigil yet")
    return Table(_vigil.jsonlines_read(str(path), native_schema("pw.io.jsonlines.read", schema),
                                       mode_name(mode)))


def write(table: Table, filename) -> None:
    _vigil.jsonlines_write(table._native, str(filename))
