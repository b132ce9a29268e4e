"""CSV files (pw.io.csv): a header row, columns found by name, Pathway's value rules."""

from vigil import _vigil
from vigil._table import Table
from vigil.io._common import check_kwargs, mode_name, native_schema


class CsvParserSettings:
    """Accepted for compatibility; vigil reads RFC 4180 CSV with ',' and '"' only."""

    def __init__(self, delimiter=",", quote='"', escape=None, enable_double_quote_escapes=True,
                 enable_quoting=True, comment_character=None):
        if delimiter != "," or quote != '"' or escape is not None or comment_character:
            raise NotImplementedError("vigil reads CSV with delimiter ',' and quote '\"' only")


def read(path, *, schema=None, mode="streaming", csv_settings=None, **kwargs) -> Table:
    """Reads a CSV file or a directory of them; mode="streaming" (Pathway's default) follows
    it live until pw.run() is stopped, mode="static" reads what exists."""
    check_kwargs("pw.io.csv.read", kwargs)
    return Table(_vigil.csv_read(str(path), native_schema("pw.io.csv.read", schema),
                                 mode_name(mode)))


def write(table: Table, filename) -> None:
    """Writes the table's update stream (with time and diff columns) when pw.run() runs."""
    _vigil.csv_write(table._native, str(filename))
