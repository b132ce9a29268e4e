"""sshd's logs as the events table (vigil's own reader; no Pathway equivalent): syslog
files (traditional, RFC 3339, RFC 5424; gzip), `journalctl -o json` output, one row per
authentication attempt or scan. See docs/DETECTION.md for the columns."""

import os

from vigil import _vigil
from vigil._table import Table
from vigil.io._common import mode_name


def read(paths, *, mode="static") -> Table:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return Table(_vigil.authlog_read([str(p) for p in paths], mode_name(mode)))
