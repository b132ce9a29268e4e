#!/usr/bin/python3
"""Real-log check: `vigil detect` finds every brute force in a real sshd log.

Usage: real_log_check.py VIGIL_BINARY AUTH_LOG [--verbose]

An independent, deliberately plain reading of a syslog file written by sshd computes the
tutorial rule -- every source with 5 or more failed authentication attempts in one 60-second
tumbling window (windows aligned to the Unix epoch, UTC) -- and checks it against the
`brute_force` alerts of `vigil detect --format jsonl --emit final AUTH_LOG`:

* strict rule (the issue's): attempts are the `Failed` lines, `message repeated` expanded.
  Every (source, window) with >= 5 of them must have a brute_force alert.
* full rule: the strict attempts plus the connections that tried without a `Failed` line
  (below). The brute_force alerts must be exactly the (source, window)s with >= 5 attempts by
  this rule: same source, same window, same count, none more, none twice.

What counts as one attempt (written from sshd's behaviour, not from vigil's parser):

* a line of program `sshd` (or `sshd-session`, OpenSSH 9.8+) whose message is
  `Failed <method> for [invalid user ]<user> from <source> port <n> ...` is one attempt,
  whatever the method (password, publickey, keyboard-interactive, hostbased, ...), except a
  connection's first `none`: that is the client asking which methods exist, not a guess
  (OpenSSH's userauth_finish() does not count a first `none` request against MaxAuthTries;
  sshd logs it at INFO only because the user is invalid);
* rsyslog's `message repeated N times: [ Failed ... ]` on an sshd line is N attempts of the
  bracketed message at that line's time (the first of the run was logged on its own line);
* full rule only: a connection (same host and pid, a new one after 600 s of silence or a second
  `Invalid user`) that logged no `Failed`/`Accepted` line is one attempt when it said
  `Invalid user U` (or a first `Failed none`) and then ended (a username probe: sshd got a
  login request, at the time of that line), or when it reached `maximum authentication
  attempts exceeded` (its tries were logged below INFO, at the time of that line), or when it
  ended as `... authenticating user U ... [preauth]`;
* nothing else counts: PAM lines, `Invalid user` / max-tries lines of a connection that logged
  its `Failed` lines, `PAM N more authentication failures` and disconnects describe attempts
  already counted.

Times: traditional syslog stamps (`Mar 29 23:18:33`, no year) take the year of the file's
modification time, or the year before when that would put the line after the modification
time; they are read as UTC. RFC 3339 stamps (`2026-03-29T23:18:33.123456+00:00`) are converted
to UTC. Sources are IP addresses in canonical form (IPv6 compressed, as Python's ipaddress
prints them); a hostname (sshd's UseDNS) is kept as written.

The test exits 0 when everything matches, 1 with the differences otherwise, and prints the
counts either way.
"""

import datetime as dt
import ipaddress
import json
import os
import re
import subprocess
import sys

THRESHOLD = 5
WINDOW_SECONDS = 60

MONTHS = {name: number for number, name in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}

# `Mar 29 23:18:33 host prog[pid]: message` (day padded with a space or not).
TRADITIONAL = re.compile(
    r"^(?P<mon>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) (?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2}) "
    r"(?P<host>\S+) (?P<prog>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?: (?P<msg>.*)$")
# `2026-03-29T23:18:33.123456+00:00 host prog[pid]: message`.
RFC3339 = re.compile(
    r"^(?P<ts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) "
    r"(?P<host>\S+) (?P<prog>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?: (?P<msg>.*)$")
REPEATED = re.compile(r"^message repeated (?P<n>\d+) times: \[ ?(?P<msg>.*)\]$")
# The user is attacker-controlled and may hold spaces or even " from "; the greedy user group
# makes the last ` from X port N` the source, which is where sshd writes it.
FAILED = re.compile(
    r"^Failed (?P<method>\S+) for (?P<invalid>invalid user )?(?P<user>.*) "
    r"from (?P<src>\S+) port (?P<port>\d+)(?: \S+)?(?::.*)?$")
SSHD_PROGRAMS = ("sshd", "sshd-session")
NOT_ATTEMPTS = ("none",)  # methods whose `Failed` line is not an authentication attempt


def canonical_source(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text  # a hostname (UseDNS): kept as written


def year_for(month, day, h, m, s, mtime):
    """The year of a yearless stamp: the mtime's, or the one before if that is after mtime."""
    year = mtime.year
    try:
        when = dt.datetime(year, month, day, h, m, s, tzinfo=dt.timezone.utc)
    except ValueError:  # Feb 29 in a non-leap year: only the year before can hold it
        return year - 1
    return year if when <= mtime else year - 1


def line_time(match, mtime):
    """Unix seconds (UTC) of a parsed line."""
    if "ts" in match.groupdict():
        stamp = match.group("ts").replace("Z", "+00:00")
        return int(dt.datetime.fromisoformat(stamp).timestamp() // 1)
    month = MONTHS[match.group("mon")]
    day, h, m, s = (int(match.group(k)) for k in ("day", "h", "m", "s"))
    year = year_for(month, day, h, m, s, mtime)
    return int(dt.datetime(year, month, day, h, m, s, tzinfo=dt.timezone.utc).timestamp())


INVALID = re.compile(r"^(?:Invalid|Illegal) user (?P<user>.*) from (?P<src>\S+)(?: port \d+)?$")
MAX_TRIES = re.compile(r"^(?:error: )?maximum authentication attempts exceeded for "
                       r"(?:invalid user )?.* from (?P<src>\S+) port \d+")
ACCEPTED = re.compile(r"^Accepted \S+ for .* from (?P<src>\S+) port \d+")
CONNECTION_END = re.compile(
    r"^(?:Connection closed by|Disconnected from|Received disconnect from|Connection reset by|"
    r"Timeout before authentication for|Read error from)(?P<rest>.*)$")
AUTHENTICATING_END = re.compile(r"authenticating user .* (?P<src>\S+) port \d+")
CONNECTION_IDLE_SECONDS = 600  # a pid quiet this long is a new connection (pid reuse)


class Connection:
    """One sshd connection (host, pid): whether it logged an attempt, and a held probe."""

    __slots__ = ("last", "logged", "probe")

    def __init__(self, when):
        self.last = when
        self.logged = False
        self.probe = None  # (time, source) of `Invalid user` / a first `Failed none`


def read_attempts(path):
    """Returns (attempts, stats): attempts is a list of (unix_seconds, source, kind) with kind
    "failed" (a `Failed` line), "repeat" (inside `message repeated`), or "probe" (a username
    probe or a MaxAuthTries run that logged no `Failed` line: the full rule only)."""
    mtime = dt.datetime.fromtimestamp(os.stat(path).st_mtime, tz=dt.timezone.utc)
    stats = {"lines": 0, "sshd_lines": 0, "failed_lines": 0, "repeated_lines": 0,
             "repeated_attempts": 0, "failed_none_lines": 0, "probe_attempts": 0,
             "max_tries_attempts": 0, "mtime": mtime.isoformat()}
    attempts = []
    unparsed = []
    connections = {}

    def flush(connection):
        if connection.probe is not None and not connection.logged:
            attempts.append((connection.probe[0], connection.probe[1], "probe"))
            stats["probe_attempts"] += 1
        connection.probe = None
        connection.logged = True

    with open(path, "rb") as handle:
        for raw in handle:
            stats["lines"] += 1
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            match = TRADITIONAL.match(line) or RFC3339.match(line)
            if not match or match.group("prog") not in SSHD_PROGRAMS:
                continue
            stats["sshd_lines"] += 1
            when = line_time(match, mtime)
            key = (match.group("host"), match.group("pid"))
            connection = connections.get(key)
            if connection is not None and when - connection.last > CONNECTION_IDLE_SECONDS:
                flush(connection)
                connection = None
            if connection is None:
                connection = connections[key] = Connection(when)
            connection.last = when
            message = match.group("msg")
            times = 1
            repeated = REPEATED.match(message)
            if repeated:
                times = int(repeated.group("n"))
                message = repeated.group("msg")
            if message.startswith("Failed "):
                failed = FAILED.match(message)
                if not failed:
                    # A `Failed ...` sshd line this reference cannot read would make the check
                    # meaningless: stop instead of silently under-counting.
                    unparsed.append(line)
                    continue
                source = canonical_source(failed.group("src"))
                if failed.group("method") in NOT_ATTEMPTS and not connection.logged:
                    stats["failed_none_lines"] += 1
                    if connection.probe is None:
                        connection.probe = (when, source)
                    continue
                connection.logged = True
                connection.probe = None
                kind = "repeat" if repeated else "failed"
                attempts.extend((when, source, kind) for _ in range(times))
                if repeated:
                    stats["repeated_lines"] += 1
                    stats["repeated_attempts"] += times
                else:
                    stats["failed_lines"] += 1
                continue
            if repeated:
                continue  # other repeated messages act once, as themselves: nothing here
            invalid = INVALID.match(message)
            if invalid:
                if connection.probe is not None or connection.logged:
                    flush(connection)  # sshd logs `Invalid user` once a connection: a new one
                    connection = connections[key] = Connection(when)
                connection.probe = (when, canonical_source(invalid.group("src")))
                continue
            if ACCEPTED.match(message):
                connection.logged = True
                connection.probe = None
                continue
            max_tries = MAX_TRIES.match(message)
            if max_tries:
                if not connection.logged:
                    attempts.append((when, canonical_source(max_tries.group("src")), "probe"))
                    stats["max_tries_attempts"] += 1
                connection.logged = True
                connection.probe = None
                continue
            end = CONNECTION_END.match(message)
            if end:
                authenticating = AUTHENTICATING_END.search(end.group("rest"))
                if authenticating and not connection.logged and connection.probe is None:
                    connection.probe = (when, canonical_source(authenticating.group("src")))
                flush(connection)
    for connection in connections.values():
        flush(connection)
    if unparsed:
        raise SystemExit("reference parser cannot read %d 'Failed' sshd lines, e.g.:\n  %s"
                         % (len(unparsed), "\n  ".join(unparsed[:5])))
    attempts.sort(key=lambda item: item[0])
    return attempts, stats


def expected_windows(attempts, with_probes=True):
    """{(source, window_start): (count, count_from_repeats)} for every window with an attempt.
    Without probes: the strict rule (only `Failed` lines and their repeats)."""
    windows = {}
    for when, source, kind in attempts:
        if kind == "probe" and not with_probes:
            continue
        key = (source, when - when % WINDOW_SECONDS)
        count, from_repeats = windows.get(key, (0, 0))
        windows[key] = (count + 1, from_repeats + (1 if kind == "repeat" else 0))
    return windows


def parse_alert_time(value):
    """Unix seconds of an alert's time field: an RFC 3339 string (or a number, leniently)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    if not isinstance(value, str):
        raise ValueError("not a time: %r" % (value,))
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError("time without an offset: %r" % (value,))
    return int(parsed.timestamp() // 1)


def run_vigil(vigil, path):
    command = [vigil, "detect", "--format", "jsonl", "--emit", "final", path]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=600)
    if result.returncode != 0:
        raise SystemExit("`%s` exited with %d\nstderr:\n%s" % (
            " ".join(command), result.returncode,
            result.stderr.decode("utf-8", "replace")[-4000:]))
    alerts = []
    for number, raw in enumerate(result.stdout.decode("utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            alert = json.loads(raw)
        except json.JSONDecodeError as error:
            raise SystemExit("vigil output line %d is not JSON (%s): %r" % (number, error, raw))
        if not isinstance(alert, dict):
            raise SystemExit("vigil output line %d is not a JSON object: %r" % (number, raw))
        alerts.append(alert)
    return alerts, result.stderr.decode("utf-8", "replace")


def describe(key):
    source, start = key
    return "%s %s" % (source, dt.datetime.fromtimestamp(start, tz=dt.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ"))


def main(argv):
    if len(argv) < 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    vigil, path = argv[1], argv[2]
    verbose = "--verbose" in argv[3:]
    attempts, stats = read_attempts(path)
    windows = expected_windows(attempts)
    flagged = {key: value for key, value in windows.items() if value[0] >= THRESHOLD}
    strict = {key: value for key, value in expected_windows(attempts, False).items()
              if value[0] >= THRESHOLD}
    hidden = [key for key, (count, from_repeats) in strict.items()
              if count - from_repeats < THRESHOLD]

    print("log: %s (mtime %s)" % (path, stats["mtime"]))
    print("  lines %d, sshd lines %d" % (stats["lines"], stats["sshd_lines"]))
    print("  'Failed <method>' lines %d, 'message repeated' lines %d hiding %d attempts"
          % (stats["failed_lines"], stats["repeated_lines"], stats["repeated_attempts"]))
    print("  first 'Failed none' lines (method probes, not attempts): %d" %
          stats["failed_none_lines"])
    print("  connections that logged no Failed line: %d username probes, %d MaxAuthTries runs "
          "(one attempt each)" % (stats["probe_attempts"], stats["max_tries_attempts"]))
    print("  attempts %d from %d sources in %d (source, minute) windows"
          % (len(attempts), len({s for _, s, _ in attempts}), len(windows)))
    print("  strict rule (Failed lines, repeats expanded): %d windows >= %d from %d sources; %d "
          "of them reach %d only through 'message repeated' lines"
          % (len(strict), THRESHOLD, len({s for s, _ in strict}), len(hidden), THRESHOLD))
    print("  full rule (+ probes): %d windows >= %d from %d sources"
          % (len(flagged), THRESHOLD, len({s for s, _ in flagged})))

    alerts, stderr = run_vigil(vigil, path)
    brute = [a for a in alerts if a.get("rule") == "brute_force"]
    rules = {}
    for alert in alerts:
        rules[alert.get("rule")] = rules.get(alert.get("rule"), 0) + 1
    print("vigil: %d alerts (%s); %d brute_force" % (
        len(alerts), ", ".join("%s %d" % (k, v) for k, v in sorted(rules.items(), key=str)),
        len(brute)))
    if verbose and stderr.strip():
        print("vigil stderr:\n" + stderr)

    problems = []
    seen = {}
    for alert in brute:
        try:
            start = parse_alert_time(alert["window_start"])
            end = parse_alert_time(alert["window_end"])
            source = canonical_source(str(alert["ip"]))
            count = alert["count"]
        except (KeyError, ValueError) as error:
            problems.append("malformed brute_force alert (%s): %s" % (error, json.dumps(alert)))
            continue
        key = (source, start)
        if key in seen:
            problems.append("duplicate brute_force alert for %s" % describe(key))
        seen[key] = alert
        if end - start != WINDOW_SECONDS or start % WINDOW_SECONDS != 0:
            problems.append("alert for %s has window %s..%s, not an epoch-aligned minute"
                            % (source, alert["window_start"], alert["window_end"]))
        expected = windows.get(key, (0, 0))[0]
        if expected < THRESHOLD:
            problems.append("false brute_force alert: %s has %d attempts in the reference "
                            "(vigil says %s)" % (describe(key), expected, count))
        elif count != expected:
            problems.append("wrong count for %s: reference %d, vigil %s"
                            % (describe(key), expected, count))
    missed = sorted(key for key in flagged if key not in seen)
    for key in missed:
        count, from_repeats = flagged[key]
        problems.append("missed: %s with %d attempts (%d from 'message repeated')"
                        % (describe(key), count, from_repeats))

    found = len(flagged) - len(missed)
    print("matched %d of %d expected windows (full rule); strict rule: %d of %d found, %d of "
          "the %d hidden in 'message repeated' found" % (
              found, len(flagged), len([k for k in strict if k in seen]), len(strict),
              len([k for k in hidden if k in seen]), len(hidden)))
    if problems:
        print("FAIL: %d problems" % len(problems))
        for problem in problems[:60]:  # the first 60 differences are enough to debug
            print("  " + problem)
        if len(problems) > 60:
            print("  ... and %d more" % (len(problems) - 60))
        return 1
    if not flagged:
        # The two logs this runs on both hold brute forces; a reference that finds none is broken.
        print("FAIL: the reference found no brute force at all in %s" % path)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
