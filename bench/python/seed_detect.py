"""The seed pipeline in Python, printing what `vigil detect FILE` prints by default (the
window bounds next to each flagged IP), so the two outputs can be compared byte for byte.

    PYTHONPATH=build/python /usr/bin/python3 bench/python/seed_detect.py LOGINS.csv
"""

import sys

import vigil as pw


class InputSchema(pw.Schema):
    username: str
    successful: str
    time: int
    ip_address: str


logins = pw.io.csv.read(sys.argv[1], schema=InputSchema, mode="static")
logins = logins.with_columns(successful=(pw.this.successful == "True"))
failed = logins.filter(~pw.this.successful)
result = failed.windowby(
    failed.time, window=pw.temporal.tumbling(duration=60), instance=pw.this.ip_address
).reduce(
    ip_address=pw.this._pw_instance,
    window_start=pw.this._pw_window_start,
    window_end=pw.this._pw_window_end,
    count=pw.reducers.count(),
)
pw.debug.compute_and_print(result.filter(pw.this.count >= 5))
