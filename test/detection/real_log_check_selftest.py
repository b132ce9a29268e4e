#!/usr/bin/python3
"""Checks that real_log_check.py can fail.

Usage: real_log_check_selftest.py REAL_LOG_CHECK_PY AUTH_LOG

Runs the checker against fake `vigil` programs that print the checker's own reference answer
as alerts, unchanged (must pass) and with one mistake each (must fail): a window dropped, a
count off by one, a false window below the threshold added, a window shifted by a minute, the
same window reported twice. Also checks that alerts of other rules are ignored and that a
vigil exiting non-zero fails the check.
"""

import os
import subprocess
import sys
import tempfile

FAKE_VIGIL = r'''#!/usr/bin/python3
import datetime as dt, json, os, sys
sys.path.insert(0, %(checker_dir)r)
import real_log_check as r
mode = %(mode)r
path = sys.argv[-1]
attempts, _ = r.read_attempts(path)
windows = r.expected_windows(attempts)
flagged = sorted(k for k, v in windows.items() if v[0] >= r.THRESHOLD)
below = sorted(k for k, v in windows.items() if v[0] < r.THRESHOLD)
def stamp(t):
    return dt.datetime.fromtimestamp(t, tz=dt.timezone.utc).strftime("%%Y-%%m-%%dT%%H:%%M:%%SZ")
def alert(key, count, rule="brute_force"):
    ip, start = key
    return {"rule": rule, "severity": "high", "ip": ip, "ips": [ip], "users": [],
            "user_count": 0, "count": count, "window_start": stamp(start),
            "window_end": stamp(start + 60), "first_seen": stamp(start),
            "last_seen": stamp(start + 59)}
out = [alert(k, windows[k][0]) for k in flagged]
if mode == "drop":
    out.pop(len(out) // 2)
elif mode == "count":
    out[0]["count"] += 1
elif mode == "false":
    out.append(alert(below[0], windows[below[0]][0]))
elif mode == "shift":
    key = flagged[-1]
    out[-1] = alert((key[0], key[1] + 60), windows[key][0])
elif mode == "duplicate":
    out.append(dict(out[0]))
elif mode == "other_rules":
    out.append(alert(below[0], windows[below[0]][0], rule="spraying"))
    out.append(alert(below[-1], 1, rule="scan"))
elif mode == "exit":
    sys.exit(3)
for a in out:
    print(json.dumps(a))
'''

# (mode, expected exit status, text the checker's report must hold: it fails for the right reason)
CASES = [("exact", 0, "OK"), ("other_rules", 0, "OK"), ("drop", 1, "missed: "),
         ("count", 1, "wrong count for "), ("false", 1, "false brute_force alert: "),
         ("shift", 1, "missed: "), ("duplicate", 1, "duplicate brute_force alert"),
         ("exit", 1, "exited with 3")]


def main(argv):
    checker, log = argv[1], argv[2]
    failures = []
    with tempfile.TemporaryDirectory(prefix="vigil-detcheck-") as scratch:
        for mode, want, reason in CASES:
            fake = os.path.join(scratch, "vigil_" + mode)
            with open(fake, "w") as handle:
                handle.write(FAKE_VIGIL % {"checker_dir": os.path.dirname(
                    os.path.abspath(checker)), "mode": mode})
            os.chmod(fake, 0o755)
            result = subprocess.run(["/usr/bin/python3", checker, fake, log],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
            got = 0 if result.returncode == 0 else 1
            report = result.stdout.decode("utf-8", "replace")
            right = got == want and reason in report
            verdict = "ok" if right else "WRONG"
            print("%-12s expected %s, checker %s (exit %d): %s" % (
                mode, "pass" if want == 0 else "fail", "passed" if got == 0 else "failed",
                result.returncode, verdict))
            if not right:
                failures.append(mode)
                print("  the report should contain %r:\n%s" % (reason, report[-3000:]))
    if failures:
        print("FAIL: the checker got %s wrong" % ", ".join(failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
