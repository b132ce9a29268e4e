"""Pathway's tutorial "anomaly detection in real time", cell for cell, on Vigil: failed
logins per IP in 60-second tumbling windows; IPs with 5 or more are printed.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/suspicious_logins.py LOGINS.csv

The only change from the tutorial is the import line (and the path taken from argv).
"""

import sys

import vigil as pw

path = sys.argv[1] if len(sys.argv) > 1 else "logins.csv"


class InputSchema(pw.Schema):
    username: str
    successful: str
    time: int
    ip_address: str


logins = pw.io.csv.read(
    path,
    schema=InputSchema,
    mode="static",
)

logins = logins.with_columns(successful=(pw.this.successful == "True"))

failed = logins.filter(~pw.this.successful)

result = failed.windowby(
    failed.time, window=pw.temporal.tumbling(duration=60), instance=pw.this.ip_address
).reduce(
    ip_address=pw.this._pw_instance,
    count=pw.reducers.count(),
)

suspicious_logins = result.filter(pw.this.count >= 5)
pw.debug.compute_and_print(suspicious_logins)
