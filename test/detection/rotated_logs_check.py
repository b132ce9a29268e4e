#!/usr/bin/python3
"""A log cut by logrotate (gzip-compressed older parts, named on the command line in any
order) gives exactly the events and alerts of the uncut log.

Usage: rotated_logs_check.py VIGIL_BINARY AUTH_LOG

The log is cut at random line boundaries into auth.log.3.gz, auth.log.2.gz (gzip),
auth.log.1 and auth.log (every part keeps the original's modification time, which gives
traditional timestamps their year); `vigil events` and `vigil detect` on the parts, given in
a shuffled order, must print what they print for the uncut log: vigil orders rotated files
oldest first and reads them as one stream (a connection that straddles a cut is still one).
"""

import gzip
import os
import random
import shutil
import subprocess
import sys
import tempfile


def run(vigil, args):
    p = subprocess.run([vigil] + args, capture_output=True, timeout=300)
    if p.returncode != 0:
        raise SystemExit(f"FAIL: vigil {' '.join(args)} exited {p.returncode}: {p.stderr[-1000:]}")
    return p.stdout


def main():
    vigil, log = sys.argv[1], sys.argv[2]
    with open(log, "rb") as f:
        lines = f.readlines()
    stat = os.stat(log)
    rng = random.Random(9)
    with tempfile.TemporaryDirectory(prefix="vigil_rotated_") as work:
        whole = os.path.join(work, "whole.log")
        shutil.copyfile(log, whole)
        os.utime(whole, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        cuts = sorted(rng.sample(range(1, len(lines)), 3))
        parts = [lines[a:b] for a, b in zip([0] + cuts, cuts + [len(lines)])]
        names = ["auth.log.3.gz", "auth.log.2.gz", "auth.log.1", "auth.log"]
        paths = []
        for name, part in zip(names, parts):
            path = os.path.join(work, name)
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "wb") as f:
                f.write(b"".join(part))
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            paths.append(path)
        rng.shuffle(paths)
        # detect reads static files in commits (a commit at every read chunk with
        # --commit-rows 1, so commits end inside and between the parts); the uncut log read
        # as one commit is the answer.
        for command, whole_args, parts_args in (
                (["events", "--format", "csv"], [], []),
                (["detect", "--format", "jsonl"], ["--single-commit"], []),
                (["detect", "--format", "jsonl"], ["--single-commit"], ["--commit-rows", "1"])):
            want = run(vigil, command + whole_args + [whole])
            got = run(vigil, command + parts_args + paths)
            if want != got:
                raise SystemExit(f"FAIL: vigil {' '.join(command + parts_args)} on the rotated "
                                 f"parts {[os.path.basename(p) for p in paths]} differs from "
                                 f"the uncut log ({len(got.splitlines())} lines vs "
                                 f"{len(want.splitlines())})")
            print(f"{' '.join(command + parts_args)}: {len(want.splitlines())} lines, "
                  f"identical")
    print("OK: rotated and gzip-compressed parts read as the uncut log")


if __name__ == "__main__":
    main()
