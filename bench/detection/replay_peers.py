#!/usr/bin/python3
"""replay_peers.py: run fail2ban, sshguard or crowdsec offline on an sshd syslog file, with the
log's own time, and write the sources each would have banned.

    replay_peers.py fail2ban LOG OUT.tsv
    replay_peers.py sshguard LOG OUT.tsv
    replay_peers.py crowdsec LOG OUT.tsv [--scratch DIR]

OUT.tsv gets one line per source: `ADDRESS <tab> UNIX_SECONDS <tab> REASON`, the first moment
(log time) the tool would have banned it, which score.py reads. Every tool runs as a plain
process on files; no service is started, nothing is installed here (run_quality.sh installs).

fail2ban  Debian's sshd filter (filter.d/sshd.conf, mode normal) through `fail2ban-regex -o row`
          gives every matching line's (address, time); the jail is then replayed with
          fail2ban's own FailManager (fail2ban.server.failmanager, from the same package) with
          the jail defaults maxretry 5, findtime 10m: each match is one failure at its log time,
          cleanup() runs as log time advances, a source is banned when toBan() releases it.
sshguard  Debian's sshg-parser (the parser sshguard runs) reads the log with a marker line
          after every line, so each attack it reports maps to the line that caused it and that
          line's time. The blocker's rule is replayed on log time exactly as sshg-blocker applies
          it on wall time (src/blocker/blocker.c, report_address and purge_limbo_stale): an
          attacker's dangers add up; it is blocked when the sum reaches the threshold (30); an
          entry whose first attack is more than the detection time (1800 s) old is forgotten.
          Defaults of /etc/sshguard/sshguard.conf; IPv4 /32 and IPv6 /128 (no subnet blocks).
crowdsec  Debian's crowdsec with its offline hub (the package ships the items): parsers
          syslog-logs, sshd-logs, dateparse-enrich, whitelists; scenarios ssh-bf (+user-enum) and
          ssh-slow-bf (+user-enum), as the linux and sshd collections enable them. A local API
          runs as a plain process on a scratch config, sqlite and a free port; the agent replays
          the file with `crowdsec -dsn file://LOG -type syslog -no-api` (time machine: buckets
          use the log's timestamps) and logs every overflow as `Ip X performed 'S' ... at TIME`;
          those are the bans. The local API is stopped (by its pid) afterwards.
"""

import datetime as dt
import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

MONTHS = {n: i for i, n in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
TRADITIONAL = re.compile(rb"^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ")
RFC3339 = re.compile(rb"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ")


class LineClock:
    """Unix seconds of a syslog line; yearless stamps take the file's mtime year (or the year
    before when that would be after the mtime), as the real-log check does."""

    def __init__(self, path):
        self.mtime = os.stat(path).st_mtime
        self.mtime_year = dt.datetime.fromtimestamp(self.mtime, tz=dt.timezone.utc).year
        self.cache = {}

    def __call__(self, line):
        match = TRADITIONAL.match(line)
        if match:
            key = match.group(0)
            value = self.cache.get(key)
            if value is None:
                month = MONTHS.get(match.group(1).decode())
                if month is None:
                    return None
                parts = [int(match.group(i)) for i in range(2, 6)]
                value = None
                for year in (self.mtime_year, self.mtime_year - 1):
                    try:
                        value = dt.datetime(year, month, *parts,
                                            tzinfo=dt.timezone.utc).timestamp()
                    except ValueError:
                        continue
                    if value <= self.mtime + 1:
                        break
                if len(self.cache) > 100000:
                    self.cache.clear()
                self.cache[key] = value
            return value
        match = RFC3339.match(line)
        if match:
            text = match.group(1).decode().replace("Z", "+00:00")
            return dt.datetime.fromisoformat(text).timestamp()
        return None


def write_flags(path, flags):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("# address\tunix_seconds\treason\n")
        for address, (when, reason) in sorted(flags.items(), key=lambda item: item[1][0]):
            handle.write("%s\t%.0f\t%s\n" % (address, when, reason))


def canonical(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


# --------------------------------------------------------------------------------------------
def replay_fail2ban(log, out, maxretry=5, findtime=600):
    sys.path.insert(0, "/usr/lib/python3/dist-packages")
    from fail2ban.server.failmanager import FailManager, FailManagerEmpty
    from fail2ban.server.ticket import FailTicket

    manager = FailManager()
    manager.setMaxRetry(maxretry)
    manager.setMaxTime(findtime)
    command = ["fail2ban-regex", "-r", "-o", "row", "--print-no-missed", log, "sshd"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, errors="replace")
    row = re.compile(r"^\['([^']+)',\s*([0-9.]+),")
    flags = {}
    matches = 0
    last_cleanup = None
    for line in process.stdout:
        found = row.match(line)
        if not found:
            continue
        matches += 1
        address, when = canonical(found.group(1)), float(found.group(2))
        if last_cleanup is None or when - last_cleanup >= 1:
            manager.cleanup(when)
            last_cleanup = when
        attempts = manager.addFailure(FailTicket(address, when))
        if attempts >= maxretry:
            try:
                ticket = manager.toBan(address)
            except FailManagerEmpty:
                continue
            if address not in flags:
                flags[address] = (when, "sshd-jail")
    stderr = process.stderr.read()
    if process.wait() != 0:
        raise SystemExit("fail2ban-regex failed:\n" + stderr[-2000:])
    write_flags(out, flags)
    print("fail2ban: %d matching lines, %d sources banned (maxretry %d, findtime %d s)"
          % (matches, len(flags), maxretry, findtime), file=sys.stderr)


# --------------------------------------------------------------------------------------------
SSHGUARD_MARKER_ADDRESS = "192.0.2.1"   # TEST-NET-1: never in a generated or real log
SSHGUARD_MARKER = ("Jan  1 00:00:00 marker sshd[1]: Failed password for root from %s port 1 ssh2\n"
                   % SSHGUARD_MARKER_ADDRESS).encode()


def replay_sshguard(log, out, threshold=30, detection_time=1800):
    parser = "/usr/libexec/sshguard/sshg-parser"
    if not os.access(parser, os.X_OK):
        raise SystemExit("sshguard's parser %s is missing (apt-get install sshguard)" % parser)
    clock = LineClock(log)
    times = []      # log time of every input line, in order

    process = subprocess.Popen([parser], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)

    def feed():
        with open(log, "rb") as handle:
            chunk = []
            for line in handle:
                times.append(clock(line))
                chunk.append(line if line.endswith(b"\n") else line + b"\n")
                chunk.append(SSHGUARD_MARKER)
                if len(chunk) >= 8192:
                    process.stdin.write(b"".join(chunk))
                    chunk.clear()
            process.stdin.write(b"".join(chunk))
        process.stdin.close()

    writer = threading.Thread(target=feed)
    writer.start()
    # Each marker closes one input line: attacks read before the k-th marker came from line k.
    attackers = {}   # address -> [first_time, cumulated_danger]
    flags = {}
    index = 0
    attacks = 0
    scored = []
    for raw in process.stdout:
        fields = raw.split()
        if len(fields) != 4:
            continue
        address = fields[1].decode()
        if address == SSHGUARD_MARKER_ADDRESS:
            if scored:
                while index >= len(times):
                    time.sleep(0.001)  # the feeder appends the time before writing the line
                when = times[index]
                for address_, danger in scored:
                    attacks += 1
                    if when is not None:
                        block(attackers, flags, canonical(address_), danger, when, threshold,
                              detection_time)
                scored.clear()
            index += 1
            continue
        scored.append((address, int(fields[3])))
    writer.join()
    process.wait()
    write_flags(out, flags)
    print("sshguard: %d lines, %d attacks parsed, %d sources blocked (threshold %d, detection "
          "time %d s)" % (index, attacks, len(flags), threshold, detection_time), file=sys.stderr)


def block(attackers, flags, address, danger, when, threshold, detection_time):
    """sshg-blocker's report_address() with the log's time as `now`."""
    # purge_limbo_stale(): forget entries whose first attack is older than the detection time.
    entry = attackers.get(address)
    if entry is not None and when - entry[0] > detection_time:
        del attackers[address]
        entry = None
    if entry is None:
        entry = attackers[address] = [when, 0]
    entry[1] += danger
    if entry[1] >= threshold:
        del attackers[address]        # blocked: leaves the limbo list
        flags.setdefault(address, (when, "sshguard-block"))


# --------------------------------------------------------------------------------------------
CROWDSEC_ITEMS = [
    ("parsers/s00-raw", "parsers/s00-raw/crowdsecurity/syslog-logs.yaml"),
    ("parsers/s01-parse", "parsers/s01-parse/crowdsecurity/sshd-logs.yaml"),
    ("parsers/s02-enrich", "parsers/s02-enrich/crowdsecurity/dateparse-enrich.yaml"),
    ("parsers/s02-enrich", "parsers/s02-enrich/crowdsecurity/whitelists.yaml"),
    ("scenarios", "scenarios/crowdsecurity/ssh-bf.yaml"),
    ("scenarios", "scenarios/crowdsecurity/ssh-slow-bf.yaml"),
]
PERFORMED = re.compile(r"Ip (\S+) performed '([^']+)' \(.*\) at (\d{4}-\d{2}-\d{2} "
                       r"\d{2}:\d{2}:\d{2}) \+0000 UTC")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def replay_crowdsec(log, out, scratch=None):
    hub = "/usr/share/crowdsec/hub"
    if not shutil.which("crowdsec") or not os.path.isdir(hub):
        raise SystemExit("crowdsec or its offline hub (%s) is missing" % hub)
    own_scratch = scratch is None
    scratch = scratch or tempfile.mkdtemp(prefix="vigil-crowdsec-")
    etc = os.path.join(scratch, "etc")
    data = os.path.join(scratch, "data")
    logs = os.path.join(scratch, "log")
    for folder in (etc, data, logs):
        os.makedirs(folder, exist_ok=True)
    for folder, item in CROWDSEC_ITEMS:
        os.makedirs(os.path.join(etc, folder), exist_ok=True)
        target = os.path.join(etc, folder, os.path.basename(item))
        if not os.path.exists(target):
            os.symlink(os.path.join(hub, item), target)
    if not os.path.exists(os.path.join(etc, "patterns")):
        shutil.copytree("/etc/crowdsec/patterns", os.path.join(etc, "patterns"))
    for name in ("simulation.yaml", "profiles.yaml"):
        shutil.copy("/etc/crowdsec/" + name, os.path.join(etc, name))
    with open(os.path.join(etc, "acquis.yaml"), "w") as handle:
        handle.write("# empty: the file is given with -dsn\n")
    port = free_port()
    credentials = os.path.join(etc, "local_api_credentials.yaml")
    config = os.path.join(etc, "config.yaml")
    with open(config, "w") as handle:
        handle.write("""common:
  daemonize: false
  log_media: file
  log_level: info
  log_dir: {logs}/
  working_dir: .
config_paths:
  config_dir: {etc}/
  data_dir: {data}/
  simulation_path: {etc}/simulation.yaml
  hub_dir: {hub}/
  index_path: {hub}/.index.json
crowdsec_service:
  acquisition_path: {etc}/acquis.yaml
  parser_routines: 1
prometheus:
  enabled: false
db_config:
  log_level: info
  type: sqlite
  db_path: {data}/crowdsec.db
  use_wal: true
api:
  client:
    insecure_skip_verify: false
    credentials_path: {credentials}
  server:
    log_level: info
    listen_uri: 127.0.0.1:{port}
    profiles_path: {etc}/profiles.yaml
    trusted_ips:
      - 127.0.0.1
""".format(logs=logs, etc=etc, data=data, hub=hub, credentials=credentials, port=port))
    if os.path.exists(credentials):
        os.remove(credentials)
    subprocess.run(["cscli", "-c", config, "machines", "add", "vigil-bench", "--auto", "-f",
                    credentials], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    api_log = open(os.path.join(logs, "lapi.out"), "w")
    api = subprocess.Popen(["crowdsec", "-c", config, "-no-cs"], stdout=api_log,
                           stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if api.poll() is not None:
                    raise SystemExit("crowdsec local API exited; see %s/lapi.out" % logs)
                time.sleep(0.2)
        agent_out = os.path.join(logs, "agent.out")
        with open(agent_out, "w") as handle:
            started = time.monotonic()
            result = subprocess.run(["crowdsec", "-c", config, "-dsn",
                                     "file://" + os.path.abspath(log), "-type", "syslog",
                                     "-no-api"], stdout=handle, stderr=subprocess.STDOUT)
            seconds = time.monotonic() - started
        if result.returncode != 0:
            with open(agent_out) as handle:
                raise SystemExit("crowdsec replay failed (%d):\n%s" % (
                    result.returncode, handle.read()[-3000:]))
    finally:
        api.terminate()
        try:
            api.wait(timeout=20)
        except subprocess.TimeoutExpired:
            api.kill()
            api.wait()
        api_log.close()
    flags = {}
    overflows = {}
    with open(agent_out, errors="replace") as handle:
        for line in handle:
            found = PERFORMED.search(line)
            if not found:
                continue
            address, scenario = canonical(found.group(1)), found.group(2)
            when = dt.datetime.fromisoformat(found.group(3) + "+00:00").timestamp()
            overflows[scenario] = overflows.get(scenario, 0) + 1
            if address not in flags or when < flags[address][0]:
                flags[address] = (when, scenario.replace("crowdsecurity/", ""))
    write_flags(out, flags)
    print("crowdsec: replay %.1f s, overflows %s, %d sources" % (
        seconds, ", ".join("%s %d" % kv for kv in sorted(overflows.items())), len(flags)),
        file=sys.stderr)
    if own_scratch:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv):
    if len(argv) < 4 or argv[1] not in ("fail2ban", "sshguard", "crowdsec"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    tool, log, out = argv[1], argv[2], argv[3]
    if tool == "fail2ban":
        replay_fail2ban(log, out)
    elif tool == "sshguard":
        replay_sshguard(log, out)
    else:
        scratch = argv[argv.index("--scratch") + 1] if "--scratch" in argv else None
        replay_crowdsec(log, out, scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
