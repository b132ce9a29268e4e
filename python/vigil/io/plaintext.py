"""Text files line by line (pw.io.plaintext): one row per line in the column `data`."""

from vigil import _vigil
from vigil._table import Table
from vigil.io._common import check_kwargs, mode_name


def read(path, *, mode="streaming", **kwargs) -> Table:
    check_kwargs("pw.io.plaintext.read", kwargs)
    return Table(_vigil.plaintext_read(str(path), mode_name(mode)))
