#!/usr/bin/python3
"""live_latency.py: alert latency of `vigil detect --follow` on an sshd auth.log being written.

    live_latency.py [--vigil build-detbench/bin/vigil] [--rate 10000] [--seconds 10]
                    [--attacks-per-second 20] [--dir /tmp]

A writer appends sshd lines (RFC 3339 stamps of the wall clock, UTC) to a fresh auth.log every
millisecond: publickey logins and their sessions, scanners' pre-auth lines and single failed
tries from random addresses, `rate` lines a second in all. Every 1/attacks-per-second s it
starts an attack from a fresh address: four failed tries for root (own connections, the PAM
line + `Failed password`) in one write, then the fifth in a write of its own; the
time just before that write() starts the measurement. Every other attack then logs in (vigil
runs with success_after_failures.min_failures = 5, the attack's five tries): an
`Accepted password for root` line in a write of its own starts a second measurement. A reader
thread timestamps every line `vigil detect --follow FILE --format jsonl --emit updates` prints;
the latency of an attack is the first brute_force alert naming its address minus the write
time, and likewise for success_after_failures.

Attacks are not started within 0.3 s of a minute boundary, so their five tries fall in one
60-s window. Prints lines/s reached, attacks, alerts seen, p50/p90/p99/max per alert kind, and
vigil's peak RSS. A benchmark, not a test: nothing asserts. Python's writer and reader add a
few tens of microseconds; the figures are an upper bound on vigil's own latency.
"""

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time


def stamp(now):
    return dt.datetime.fromtimestamp(now, tz=dt.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%f+00:00")


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100.0 * (len(values) - 1) + 0.5))]


def peak_rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    default_vigil = os.path.join(repo, "build-detbench/bin/vigil")
    if not os.access(default_vigil, os.X_OK):
        default_vigil = os.path.join(repo, "build/bin/vigil")
    parser.add_argument("--vigil", default=default_vigil)
    parser.add_argument("--rate", type=int, default=10000, help="lines per second in all")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--attacks-per-second", type=float, default=20)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    scratch = tempfile.mkdtemp(prefix="vigil-livelat-", dir=args.dir)
    path = os.path.join(scratch, "auth.log")
    handle = open(path, "w", buffering=1 << 20)
    handle.write("%s bastion sshd[700]: Server listening on 0.0.0.0 port 22.\n" % stamp(time.time()))
    handle.flush()
    # Each attack makes 5 failures for root before its login: a rules file lowers
    # success_after_failures' threshold (10 by default) to that, the rest stays default.
    rules = os.path.join(scratch, "rules.toml")
    with open(rules, "w") as out:
        out.write("[success_after_failures]\nmin_failures = 5\n")
    command = [args.vigil, "detect", "--follow", path, "--format", "jsonl", "--emit", "updates",
               "--rules", rules]
    # A buffered pipe: with bufsize=0 readline reads one byte per system call, and the
    # reader, not vigil, became the latency (~200 ms at 1.2k lines/s; 4 ms p50 buffered).
    vigil = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=1 << 16)

    pending = {"brute_force": {}, "success_after_failures": {}}
    latencies = {"brute_force": [], "success_after_failures": []}
    seen_lines = [0]
    lock = threading.Lock()

    def reader():
        for raw in iter(vigil.stdout.readline, b""):
            now = time.perf_counter()
            seen_lines[0] += 1
            try:
                alert = json.loads(raw)
            except ValueError:
                continue
            rule = alert.get("rule")
            if rule not in pending:
                continue
            names = [alert.get("ip")] + list(alert.get("ips") or [])
            with lock:
                for name in names:
                    started = pending[rule].pop(name, None)
                    if started is not None:
                        latencies[rule].append((now - started) * 1000.0)

    stderr_chunks = []
    threading.Thread(target=reader, daemon=True).start()
    threading.Thread(target=lambda: stderr_chunks.append(vigil.stderr.read()),
                     daemon=True).start()
    time.sleep(0.5)  # let vigil open the file

    pid = 20000
    per_tick = max(1, args.rate // 1000)
    attack_every = 1.0 / args.attacks_per_second
    next_attack = time.time() + 0.2
    attacks = 0
    logins = 0
    written = 0
    begin = time.perf_counter()
    deadline = begin + args.seconds
    tick = begin
    fresh = 0

    def address():
        nonlocal fresh
        fresh += 1
        return "45.%d.%d.%d" % (fresh >> 16 & 255, fresh >> 8 & 255, fresh & 255 or 1)

    while True:
        now_perf = time.perf_counter()
        if now_perf >= deadline:
            break
        now = time.time()
        ts = stamp(now)
        lines = []
        for _ in range(per_tick):
            pid += 1
            kind = rng.random()
            if kind < 0.6:
                lines.append("%s bastion sshd[%d]: Accepted publickey for deploy from 52.1.%d.%d "
                             "port %d ssh2: ED25519 SHA256:AAAAbenchmarkkey" % (
                                 ts, pid, rng.randrange(256), rng.randrange(1, 255),
                                 rng.randrange(1024, 65536)))
            elif kind < 0.9:
                lines.append("%s bastion sshd[%d]: Connection closed by 198.%d.%d.%d port %d "
                             "[preauth]" % (ts, pid, rng.randrange(18, 20), rng.randrange(256),
                                            rng.randrange(1, 255), rng.randrange(1024, 65536)))
            else:
                lines.append("%s bastion sshd[%d]: Failed password for root from 61.%d.%d.%d "
                             "port %d ssh2" % (ts, pid, rng.randrange(256), rng.randrange(256),
                                               rng.randrange(1, 255), rng.randrange(1024, 65536)))
        attack_ip = None
        second = now % 60
        if now >= next_attack and 0.3 < second < 59.3:
            attack_ip = address()
            for _ in range(4):
                pid += 1
                port = rng.randrange(1024, 65536)
                lines.append("%s bastion sshd[%d]: pam_unix(sshd:auth): authentication failure; "
                             "logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root" % (
                                 ts, pid, attack_ip))
                lines.append("%s bastion sshd[%d]: Failed password for root from %s port %d "
                             "ssh2" % (ts, pid, attack_ip, port))
            next_attack += attack_every
        handle.write("\n".join(lines) + "\n")
        handle.flush()
        written += len(lines)
        if attack_ip is not None:
            pid += 1
            line = ("%s bastion sshd[%d]: Failed password for root from %s port %d ssh2\n" % (
                stamp(time.time()), pid, attack_ip, rng.randrange(1024, 65536)))
            with lock:
                pending["brute_force"][attack_ip] = time.perf_counter()
            handle.write(line)
            handle.flush()
            written += 1
            attacks += 1
            if attacks % 2 == 0:
                time.sleep(0.0005)
                line = ("%s bastion sshd[%d]: Accepted password for root from %s port %d ssh2\n"
                        % (stamp(time.time()), pid, attack_ip, rng.randrange(1024, 65536)))
                with lock:
                    pending["success_after_failures"][attack_ip] = time.perf_counter()
                handle.write(line)
                handle.flush()
                written += 1
                logins += 1
        tick += 0.001
        pause = tick - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
    elapsed = time.perf_counter() - begin
    handle.close()
    stop = time.perf_counter()
    while time.perf_counter() - stop < 10:
        with lock:
            if not pending["brute_force"] and not pending["success_after_failures"]:
                break
        time.sleep(0.01)
    drain = time.perf_counter() - stop
    rss = peak_rss_kb(vigil.pid)
    vigil.send_signal(signal.SIGTERM)
    try:
        vigil.wait(timeout=15)
    except subprocess.TimeoutExpired:
        vigil.kill()
        vigil.wait()
    time.sleep(0.1)
    print("vigil: %s" % " ".join(command[:2] + ["--follow", "FILE"] + command[4:]))
    print("wrote %d lines in %.1f s (%.0f lines/s), %d attacks, %d logins after failures; "
          "vigil printed %d lines; drain after the writer stopped %.2f s; vigil peak RSS %d KB"
          % (written, elapsed, written / elapsed, attacks, logins, seen_lines[0], drain, rss))
    print()
    print("| alert | measured | missing | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|")
    for rule, expected in (("brute_force", attacks), ("success_after_failures", logins)):
        values = latencies[rule]
        print("| %s | %d | %d | %.3f | %.3f | %.3f | %.3f |" % (
            rule, len(values), expected - len(values), percentile(values, 50),
            percentile(values, 90), percentile(values, 99), max(values) if values else
            float("nan")))
    if stderr_chunks and stderr_chunks[0]:
        print("\nvigil stderr (last 600 bytes):\n" + stderr_chunks[0][-600:].decode("utf-8",
                                                                                   "replace"))
    try:
        os.remove(path)
        os.rmdir(scratch)
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
