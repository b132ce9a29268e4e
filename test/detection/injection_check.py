#!/usr/bin/python3
"""Hostile log lines never reach an action unvalidated and never break an output format.

Usage: injection_check.py VIGIL_BINARY

An sshd log whose attacker-written fields carry shell metacharacters, HTML, ANSI escapes,
invalid UTF-8 and overlong text (user names; `from` fields that are neither an address nor a
host name) goes through `vigil detect --on-alert ACTION -- LOG` and `vigil events`:
- the action runs for the brute force, and every VIGIL_IP / VIGIL_IPS it gets is an address;
  no command hidden in the log ever runs (a `$(touch ...)` / backtick / `;` payload would
  create a marker file);
- the action's stdin and every line of `--format jsonl` parse as JSON and carry the hostile
  user names back intact (escaped, not interpreted), with no raw control byte in the output;
- `vigil events --format csv` has no raw control byte either; `from` fields that are no
  address are reported as bad lines, not events.
"""

import ipaddress
import json
import os
import subprocess
import sys
import tempfile

USERS = ["$(touch {marker})", "`touch {marker}`", "a; touch {marker}", "<script>x</script>",
         "\x1b[31mred\x1b[0m", "x" * 5000, "a\"b\\c", "\u2028line"]
BAD_FROM = ["$(touch {marker})", "1.2.3.4;touch {marker}", "<b>", "\x1b[2J"]


def main():
    vigil = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="vigil_inject_") as work:
        marker = os.path.join(work, "pwned")
        log = os.path.join(work, "auth.log")
        lines = []
        second = 0
        for user in USERS:
            user = user.format(marker=marker)
            for _ in range(2):
                lines.append(f"2026-03-20T09:47:{second:02d}+00:00 web1 sshd[{100 + second}]: "
                             f"Failed password for invalid user {user} from 203.0.113.66 port "
                             f"{4000 + second} ssh2\n")
                second += 1
        for bad in BAD_FROM:
            lines.append(f"2026-03-20T09:47:{second:02d}+00:00 web1 sshd[900]: Failed password "
                         f"for root from {bad.format(marker=marker)} port 22 ssh2\n")
            second += 1
        with open(log, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("".join(lines))
        record = os.path.join(work, "record")
        action = os.path.join(work, "action.sh")
        with open(action, "w") as f:
            # One file per run: actions may run two at a time.
            f.write("#!/bin/sh\n{ env | grep '^VIGIL_' ; echo '--stdin--'; cat; echo '--end--'; }"
                    f" > '{record}'.$$\n")
        os.chmod(action, 0o755)
        p = subprocess.run([vigil, "detect", "--on-alert", action, "--action-cooldown", "0",
                            "--", log], capture_output=True, timeout=120)
        if p.returncode != 0:
            raise SystemExit(f"FAIL: vigil detect exited {p.returncode}: {p.stderr[-2000:]}")
        out = p.stdout.decode("ascii")  # alert JSON is pure ASCII: non-ASCII would raise here
        alerts = [json.loads(line) for line in out.splitlines()]
        brute = [a for a in alerts if a["rule"] == "brute_force"]
        if len(brute) != 1 or brute[0]["ip"] != "203.0.113.66":
            raise SystemExit(f"FAIL: expected one brute_force alert for 203.0.113.66: {alerts}")
        users = set(brute[0]["users"])
        for user in USERS:
            user = user.format(marker=marker)
            if len(user) <= 200 and user not in users:
                raise SystemExit(f"FAIL: user {user!r} not carried intact; got {sorted(users)}")
        if any(ord(c) < 0x20 for c in out.replace("\n", "")):
            raise SystemExit("FAIL: a raw control byte in the JSON output")
        bad = p.stderr.decode(errors="replace").count("malformed sshd message")
        if bad < len(BAD_FROM):
            raise SystemExit(f"FAIL: {bad} bad-line reports for {len(BAD_FROM)} hostile `from`s")
        if os.path.exists(marker):
            raise SystemExit("FAIL: a command from the log ran")
        text = ""
        for name in sorted(os.listdir(work)):
            if name.startswith("record."):
                with open(os.path.join(work, name), encoding="utf-8", errors="replace") as f:
                    text += f.read()
        runs = text.count("--stdin--")
        if runs == 0:
            raise SystemExit("FAIL: the action never ran")
        for block in text.split("--end--"):
            if "--stdin--" not in block:
                continue
            env, stdin = block.split("--stdin--")
            for line in env.strip().splitlines():
                name, _, value = line.partition("=")
                if name in ("VIGIL_IP", "VIGIL_IPS"):
                    for address in value.split():
                        ipaddress.ip_network(address, strict=False)  # raises if not one
            json.loads(stdin.strip())
        ev = subprocess.run([vigil, "events", "--format", "csv", log], capture_output=True,
                            timeout=120)
        if any(b < 0x20 and b not in (0x0a,) for b in ev.stdout):
            raise SystemExit("FAIL: a raw control byte in `vigil events --format csv`")
        if os.path.exists(marker):
            raise SystemExit("FAIL: a command from the log ran")
    print(f"OK: {len(alerts)} alerts, the action ran {runs} time(s) with validated addresses "
          f"only, hostile names escaped in every output")


if __name__ == "__main__":
    main()
