#!/usr/bin/python3
"""Differential test: auth logs read live give exactly the static read's events and alerts.

sshd's lines become events through a tracker that holds state across lines (a connection's
`Invalid user` probe waits for its close; `message repeated N times` makes N events), so the
boundaries where a live read could lose or double an event are the same as for CSV (commits,
batches, read chunks, lines split across writes, rotation) plus the tracker's: held probes at
the end of the input or at a stop. Each case generates a random sshd log of 100k-300k lines
(connections of every kind interleaved, repeated-message compression, IPv6, other programs,
garbage and malformed lines, traditional timestamps across a Dec->Jan rollover or RFC 3339)
and compares

  vigil events FILE                      the static events (order included)
  vigil events --replay FILE             the live path to the end of the file
  vigil events --follow -                stdin fed in random chunks with pauses
  vigil events --follow FILE             appended in random chunks, rotated and truncated
  vigil detect --format jsonl --emit final: the static read in commits (the default, with
  random --commit-rows; on the cases whose log is hours out of time order, done again with a
  longer cutoff) = the static read as one commit (--single-commit), byte for byte = --replay
  with a cutoff longer than the log; --replay = --follow - with the default cutoff (late
  events dropped by reading order)

Usage: authlog_live_vs_static.py --vigil PATH [--cases N] [--scale F] [--seed S] [--keep]
"""

import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import live_vs_static as lv  # noqa: E402  (the writers and the live-run harness)

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
YEAR = 2025  # Traditional timestamps: the runs pass --year, so no run depends on today.


def stamp(t, iso):
    """Syslog timestamp of `t` seconds since 2025-01-01 minus 20 days (Dec 12, 2024...)."""
    tm = time.gmtime(t + 1733961600)  # 2024-12-12T00:00:00Z: the log crosses New Year.
    if iso:
        return time.strftime("%Y-%m-%dT%H:%M:%S", tm) + f".{t % 1000:03d}+00:00"
    return f"{MONTHS[tm.tm_mon - 1]} {tm.tm_mday:2d} {time.strftime('%H:%M:%S', tm)}"


def gen_log(rng, lines_wanted, disorder):
    """Lines of a random sshd log; with `disorder`, stretches of lines stamped hours earlier
    than the lines before them (hosts' logs merged out of order), past the hour a static read
    in commits first allows for (it reads such a log again with a longer cutoff)."""
    iso = rng.random() < 0.5
    v4 = [f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
          for _ in range(rng.choice([5, 100, 3000]))]
    v6 = [f"2001:db8:{rng.randrange(65536):x}::{rng.randrange(65536):x}" for _ in range(50)]
    users = ["root", "admin", "oracle", "test", "a b", "", "x;$(id)", "\x1b[31mred", "ubuntu"]
    hosts = ["web1", "db-2"]
    out = []
    t = rng.randrange(0, 86400 * 30)
    pid = 1000
    open_conns = []  # [pid, host, ip, user, remaining steps]
    shift, shifted_left = 0, 0  # Seconds stamped earlier, for how many more lines.

    def line(host, prog, msg, p=None):
        tag = f"{prog}[{p}]" if p is not None else prog
        out.append(f"{stamp(t - shift, iso)} {host} {tag}: {msg}\n")

    while len(out) < lines_wanted:
        if shifted_left > 0:
            shifted_left -= 1
            if shifted_left == 0:
                shift = 0
        elif disorder and rng.random() < 0.0005:
            # Under a day back: a traditional stamp a day earlier would start a new year.
            shift, shifted_left = rng.randrange(600, 20 * 3600), rng.randrange(20, 400)
        t += rng.choice([0, 0, 0, 1, 1, 2, 5, 30])
        r = rng.random()
        if r < 0.3 or not open_conns:
            pid += rng.randrange(1, 7)
            ip = rng.choice(v6) if rng.random() < 0.15 else rng.choice(v4)
            open_conns.append([pid, rng.choice(hosts), ip, rng.choice(users),
                               rng.randrange(1, 9), rng.random()])
            continue
        c = rng.choice(open_conns)
        p, host, ip, user, left, style = c
        port = rng.randrange(1, 65536)
        if style < 0.45:  # password guesses, invalid user or not, compressed by rsyslog
            invalid = "invalid user " if user not in ("root", "ubuntu") else ""
            if invalid and left == c[4] and rng.random() < 0.7:
                line(host, "sshd", f"Invalid user {user} from {ip} port {port}", p)
            line(host, "sshd", "pam_unix(sshd:auth): authentication failure; logname= uid=0 "
                 f"euid=0 tty=ssh ruser= rhost={ip}", p)
            msg = f"Failed password for {invalid}{user} from {ip} port {port} ssh2"
            line(host, "sshd", msg, p)
            if rng.random() < 0.3:
                line(host, "sshd", f"message repeated {rng.randrange(1, 6)} times: [ {msg}]", p)
        elif style < 0.55:  # probe: invalid user, then the connection closes
            line(host, "sshd", f"Invalid user {user} from {ip} port {port}", p)
            c[4] = 0
            if rng.random() < 0.7:
                line(host, "sshd", f"Connection closed by invalid user {user} {ip} port {port} "
                     "[preauth]", p)
            # else: the close never comes (held until the end of the input)
        elif style < 0.65:  # scanners
            line(host, "sshd", rng.choice([
                f"Did not receive identification string from {ip} port {port}",
                f"Connection closed by {ip} port {port} [preauth]",
                f"Bad protocol version identification 'GET / HTTP/1.1' from {ip} port {port}"]), p)
            c[4] = 0
        elif style < 0.8:  # a login, sometimes after typos
            line(host, "sshd", f"Accepted {rng.choice(['password', 'publickey'])} for {user or 'u'} "
                 f"from {ip} port {port} ssh2", p)
            c[4] = 0
        elif style < 0.85:
            line(host, "sshd", f"error: maximum authentication attempts exceeded for {user or 'root'} "
                 f"from {ip} port {port} ssh2 [preauth]", p)
            line(host, "sshd", "Disconnecting: Too many authentication failures [preauth]", p)
            c[4] = 0
        elif style < 0.9:  # malformed address: a bad line, reported, not an event
            line(host, "sshd", f"Failed password for root from 999.{rng.randrange(9)}.1.1 port 22 ssh2", p)
        elif style < 0.95:
            line(host, "CRON", f"pam_unix(cron:session): session opened for user {user} by (uid=0)", p)
        else:
            out.append(rng.choice(["garbage without a header\n", "\n", "{not json\n",
                                   "Mar 99 99:99:99 bad time sshd[1]: x\n"]))
        c[4] -= 1
        if c[4] <= 0:
            open_conns.remove(c)
    return iso, out


def events_static(args, paths, opts):
    out, err = lv.run_vigil(args, ["events", "--format", "csv"] + opts + paths)
    return out.splitlines(), err


def compare_events(label, mode, want, got):
    # Static output is ordered by time, live output by commit: compared as multisets.
    want, got = want[:1] + sorted(want[1:]), got[:1] + sorted(got[1:])
    if want == got:
        return
    i = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    raise AssertionError(f"{label}: {mode}: {len(got)} event lines, static {len(want)}; first "
                         f"difference at line {i}: static {want[i:i + 2]!r} vs {got[i:i + 2]!r}")


def compare_alerts(label, mode, want, got):
    if want == got:
        return
    raise AssertionError(f"{label}: {mode}: {len(got)} alerts, expected {len(want)}; missing "
                         f"{sorted(set(want) - set(got))[:3]}, extra "
                         f"{sorted(set(got) - set(want))[:3]}")


def alerts(text):
    return sorted(line for line in text.splitlines() if line.strip())


def run_case(args, seed, workdir):
    rng = random.Random(seed)
    disorder = seed % 2 == 0
    iso, body = gen_log(rng, int(rng.randrange(100_000, 300_000) * args.scale), disorder)
    opts = ["--input-format", "syslog", "--year", str(YEAR - 1)]
    path = os.path.join(workdir, "auth.log")
    with open(path, "w") as f:
        f.write("".join(body))
    label = (f"seed={seed} lines={len(body)} {'rfc3339' if iso else 'traditional'}"
             f"{' out of order' if disorder else ''}")
    started = time.time()
    want, _ = events_static(args, [path], opts)
    got, _ = lv.run_vigil(args, ["events", "--format", "csv", "--replay", path] + opts)
    compare_events(label, "replay", want, got.splitlines())

    with lv.LiveRun(args, "-", ["--format", "csv"] + opts, stdin=lv.subprocess.PIPE,
                    command="events") as run:
        data = "".join(body).encode()
        for part in lv.chunks(rng, data, rng.randrange(20, 300)):
            run.proc.stdin.write(part)
            run.proc.stdin.flush()
            lv.pause(rng)
        run.proc.stdin.close()
        got, _ = run.finish()
    compare_events(label, "stdin", want, got.splitlines())

    # A followed file, rotated (renamed) or truncated between generations; the static read
    # of the generations, in order, is the answer (the tracker carries across them).
    static_dir = os.path.join(workdir, "generations")
    os.mkdir(static_dir)
    live = os.path.join(workdir, "live.log")
    open(live, "w").close()
    parts = rng.randrange(1, 4)
    cuts = sorted(rng.sample(range(1, len(body)), parts - 1)) if parts > 1 else []
    pieces = [body[a:b] for a, b in zip([0] + cuts, cuts + [len(body)])]
    with lv.LiveRun(args, live, ["--format", "csv"] + opts, command="events") as run:
        lv.wait_opened(run.proc, live)
        got, _ = write_generations(run, rng, pieces, live, static_dir)
    gens = [os.path.join(static_dir, f"gen{g}") for g in range(len(pieces))]
    want_file, _ = events_static(args, gens, opts)
    compare_events(label, "file", want_file, got.splitlines())

    # Alerts. With a cutoff longer than the log, nothing is late: every live mode must give
    # the static alerts. With the default cutoff (60 s), events that come late -- a held
    # username probe completed by its connection's end minutes later -- are dropped by one
    # rule that depends only on the order of the events, so live modes must agree with each
    # other (replay = stdin).
    detect = ["detect", "--format", "jsonl", "--emit", "final"] + opts
    # The static read in commits (the default: windows closed as the file is read) prints
    # exactly, order included, what the read as one commit prints; commits of a few events
    # end at every read chunk.
    one_commit = lv.run_vigil(args, detect + ["--single-commit", path])[0]
    commit_rows = rng.choice([1, rng.randrange(2, 5000), 8192])
    in_commits, err = lv.run_vigil(args, detect + ["--commit-rows", str(commit_rows), path])
    if in_commits != one_commit:
        compare_alerts(label, f"detect --commit-rows {commit_rows} vs --single-commit",
                       alerts(one_commit), alerts(in_commits))
        raise AssertionError(f"{label}: detect --commit-rows {commit_rows}: the alerts of "
                             "--single-commit, in another order")
    read_again = "reading the files again" in err
    if read_again != disorder:
        raise AssertionError(f"{label}: the static read in commits was "
                             f"{'' if read_again else 'not '}done again, on a log "
                             f"{'out of' if disorder else 'in'} time order: {err[-500:]!r}")
    static_alerts = alerts(one_commit)
    unbounded = ["--cutoff", str(10**9)]
    replay_alerts = alerts(lv.run_vigil(args, detect + unbounded + ["--replay", path])[0])
    compare_alerts(label, "detect --replay (unbounded cutoff)", static_alerts, replay_alerts)
    replay_default = alerts(lv.run_vigil(args, detect + ["--replay", path])[0])
    with lv.LiveRun(args, "-", detect[1:], stdin=lv.subprocess.PIPE) as run:
        for part in lv.chunks(rng, "".join(body).encode(), rng.randrange(20, 300)):
            run.proc.stdin.write(part)
            run.proc.stdin.flush()
            lv.pause(rng)
        run.proc.stdin.close()
        stdin_default = alerts(run.finish()[0])
    compare_alerts(label, "detect --follow - (default cutoff) vs --replay", replay_default,
                   stdin_default)
    print(f"ok  {label}: {len(want)} events, {len(static_alerts)} alerts; static (one commit "
          f"= commits of {commit_rows}{', read again' if read_again else ''}) = replay = "
          f"stdin = followed file ({len(pieces)} generations); {time.time() - started:.1f} s",
          flush=True)


def write_generations(run, rng, pieces, path, static_dir):
    rotated = 0
    for g, piece in enumerate(pieces):
        with open(os.path.join(static_dir, f"gen{g}"), "w") as f:
            f.write("".join(piece))
        if g > 0:
            if rng.random() < 0.5:
                rotated += 1
                os.rename(path, f"{path}.{rotated}")
                open(path, "w").close()
            else:
                lv.wait_caught_up(run.proc, [path])
                old_size = os.path.getsize(path)
                open(path, "w").close()
                lv.wait_reread(run.proc, path, old_size)
        with open(path, "ab") as f:
            for part in lv.chunks(rng, "".join(piece).encode(), rng.randrange(10, 150)):
                f.write(part)
                f.flush()
                lv.pause(rng)
    lv.wait_caught_up(run.proc, [path], [f"{path}.{i}" for i in range(1, rotated + 1)])
    return run.stop()


def main():
    lv.run_cases(run_case, 6, "vigil_authdiff_")


if __name__ == "__main__":
    main()
