"""Inputs and outputs (Pathway's pw.io): csv, jsonlines, plaintext, fs, subscribe, and
vigil's own authlog (sshd syslog and journal JSON as the events table)."""

from vigil import _vigil

# The readers and writers are imported on first use (pw.io.csv, ...), as vigil's submodules.
_SUBMODULES = frozenset({"authlog", "csv", "fs", "jsonlines", "plaintext"})


def __getattr__(name):
    if name in _SUBMODULES:
        __import__(f"vigil.io.{name}")  # which makes it an attribute of this module
        return globals()[name]
    raise AttributeError(f"module 'vigil.io' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)


def subscribe(table, on_change=None, on_end=None, on_time_end=None) -> None:
    """Calls on_change(key, row, time, is_addition) for every update of the table (row is a
    dict column -> value), on_time_end(time) when a commit closes and on_end() at the end."""
    _vigil.subscribe(table._native, on_change, on_time_end, on_end)


__all__ = ["authlog", "csv", "fs", "jsonlines", "plaintext", "subscribe"]
