"""Inputs and outputs (Pathway's pw.io): csv, jsonlines, plaintext, fs, subscribe, and
vigil's own authlog (sshd syslog and journal JSON as the events table)."""

from __future__ import annotations

from vigil import _vigil
from vigil.io import authlog, csv, fs, jsonlines, plaintext


def subscribe(table, on_change=None, on_end=None, on_time_end=None) -> None:
    """Calls on_change(key, row, time, is_addition) for every update of the table (row is a
    dict column -> value), on_time_end(time) when a commit closes and on_end() at the end."""
    _vigil.subscribe(table._native, on_change, on_time_end, on_end)


__all__ = ["authlog", "csv", "fs", "jsonlines", "plaintext", "subscribe"]
