#!/usr/bin/python3
"""`vigil detect --journal`: sshd's entries of a journal, the cursor kept across runs.

Usage: journal_detect_check.py VIGIL_BINARY

Makes a journal with systemd-journal-remote from journal export text (sshd entries of two
attackers and other programs' entries), then:
1. `vigil detect --journal --journal-directory D --journal-once --cursor-file C` reports a
   brute_force alert for the attacker with 6 failures in one minute (and none for the one
   with 4, nor for the other programs' lines that look the same);
2. entries appended later are read by a second run from the saved cursor: only the new
   attack is reported, nothing of the first run again.
Skipped (exit 77) when systemd-journal-remote is not installed.
"""

import json
import os
import subprocess
import sys
import tempfile

REMOTE = "/lib/systemd/systemd-journal-remote"
T0 = 1_774_000_020  # 2026-03-20T09:47:00Z, the start of a minute


def entry(seconds, identifier, pid, message, unit=None):
    lines = [f"__REALTIME_TIMESTAMP={seconds * 1_000_000}",
             f"__MONOTONIC_TIMESTAMP={seconds}",
             "_BOOT_ID=0123456789abcdef0123456789abcdef",
             "_HOSTNAME=web1",
             f"SYSLOG_IDENTIFIER={identifier}",
             f"_PID={pid}"]
    if unit:
        lines.append(f"_SYSTEMD_UNIT={unit}")
    lines.append(f"MESSAGE={message}")
    return "\n".join(lines) + "\n\n"


def failures(start, ip, count, pid):
    return [entry(start + i, "sshd", pid + i,
                  f"Failed password for root from {ip} port {40000 + i} ssh2", "ssh.service")
            for i in range(count)]


def append(journal_dir, work, entries):
    export = os.path.join(work, "in.export")
    with open(export, "w") as f:
        f.write("".join(entries))
    subprocess.run(f"{REMOTE} -o {journal_dir}/test.journal - < {export}", shell=True,
                   check=True, stderr=subprocess.DEVNULL)


def detect(vigil, journal_dir, cursor):
    p = subprocess.run([vigil, "detect", "--journal", "--journal-directory", journal_dir,
                        "--journal-once", "--cursor-file", cursor, "--emit", "final"],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise SystemExit(f"FAIL: vigil exited {p.returncode}: {p.stderr}")
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def brute(alerts):
    return sorted((a["ip"], a["count"]) for a in alerts if a["rule"] == "brute_force")


def main():
    if not os.path.exists(REMOTE):
        print(f"skipped: {REMOTE} is missing")
        sys.exit(77)
    vigil = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="vigil_journal_") as work:
        journal_dir = os.path.join(work, "journal")
        os.mkdir(journal_dir)
        cursor = os.path.join(work, "cursor")
        first = (failures(T0, "203.0.113.5", 6, 1000) + failures(T0 + 10, "198.51.100.9", 4, 2000)
                 + [entry(T0 + 20 + i, "cron", 3000 + i,
                          "Failed password for root from 192.0.2.1 port 1 ssh2")
                    for i in range(6)])
        append(journal_dir, work, first)
        got = brute(detect(vigil, journal_dir, cursor))
        want = [("203.0.113.5", 6)]
        if got != want:
            raise SystemExit(f"FAIL: first run: brute_force {got}, expected {want}")
        if not os.path.exists(cursor):
            raise SystemExit("FAIL: no cursor file after the first run")
        append(journal_dir, work, failures(T0 + 120, "203.0.113.77", 5, 4000))
        got = brute(detect(vigil, journal_dir, cursor))
        want = [("203.0.113.77", 5)]
        if got != want:
            raise SystemExit(f"FAIL: second run (from the cursor): brute_force {got}, expected "
                             f"{want}")
    print("OK: journal read, sshd entries only, resumed from the cursor")


if __name__ == "__main__":
    main()
