"""pw.io.fs.read(path, format=...): the csv, json and plaintext readers by format name."""

from vigil.io import csv, jsonlines, plaintext


def read(path, *, format, schema=None, mode="streaming", **kwargs):  # noqa: A002
    if format == "csv":
        return csv.read(path, schema=schema, mode=mode, **kwargs)
    if format == "json":
        return jsonlines.read(path, schema=schema, mode=mode, **kwargs)
    if format == "plaintext":
        return plaintext.read(path, mode=mode, **kwargs)
    raise ValueError(f"format must be 'csv', 'json' or 'plaintext', got {format!r}")
