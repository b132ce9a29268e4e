#!/usr/bin/python3
"""score.py: precision and per-category recall of detectors on a gen_authlog.py log.

    score.py --labels auth.log.labels.json \\
             --tool vigil=vigil_alerts.jsonl:vigil \\
             --tool fail2ban=fail2ban_flags.tsv --tool sshguard=sshguard_flags.tsv ...

Each --tool is NAME=FILE[:FORMAT]:
  vigil   `vigil detect --format jsonl --emit final` output: one alert object per line. An alert
          flags the addresses in `ips` and its `ip` when that is an address (a CIDR `ip` flags
          every labeled address inside it; a campaign key such as `root@host` flags nothing
          itself). Alerts with severity `low` or `info` (the scanner/noise classes) do not
          flag anything; they are counted apart.
  flags   (default) one flagged source per line: `ADDRESS [UNIX_SECONDS [REASON]]`, tab or
          space separated, `#` comments; the time is when the tool would have banned it.

What is printed, per tool side by side (see bench/detection/README.md for the rationale):
  precision         flagged attackers / all flagged labeled sources. Attackers are the
                    categories fast, slow, spraying, distributed, ipv6, opportunistic; scanners
                    (pre-auth noise only, no credential tried) and benign sources (office NAT,
                    automation, admins, monitoring) count as false positives when flagged.
  recall <cat>      share of the category's sources flagged (per address). ipv6 is given per
                    address and per /64 campaign (a campaign counts when any address in it, or a
                    CIDR covering it, is flagged).
  compromised       accounts taken over (a brute force ending in Accepted password): for vigil,
                    a success_after_failures alert naming the address (or a prefix holding it);
                    for the others, the address flagged no later than the Accepted line (a ban
                    in time would have stopped the login).
  benign flagged    office NAT, automation, admin and monitoring sources flagged, listed.
"""

import argparse
import datetime as dt
import ipaddress
import json
import sys

ATTACK = ("fast", "slow", "spraying", "distributed", "ipv6", "opportunistic")
RECALL_ROWS = ("fast", "slow", "spraying", "distributed", "ipv6", "opportunistic")
BENIGN = ("office", "automation", "admin", "monitoring")
NOISE_SEVERITIES = ("low", "info")


def parse_time(value):
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace("Z", "+00:00")
    try:
        return dt.datetime.fromisoformat(text).timestamp()
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


def is_address(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def canonical(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


class Flags:
    """What one tool flagged: address -> earliest flag time (None if unknown), prefixes, and
    per-rule breakdowns for the detail table."""

    def __init__(self):
        self.addresses = {}
        self.networks = []          # (ip_network, time, rule)
        self.rules = {}             # rule -> set of addresses (after prefix expansion)
        self.success_alerts = []    # (set of addresses, [networks], users, time)
        self.noise = {}             # address -> count of low/info alerts
        self.alerts = 0
        self.alerts_by_rule = {}

    def add(self, address, when, rule):
        address = canonical(address)
        previous = self.addresses.get(address, "absent")
        if previous == "absent" or (when is not None and (previous is None or when < previous)):
            self.addresses[address] = when
        self.rules.setdefault(rule, set()).add(address)


def read_vigil(path):
    flags = Flags()
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                alert = json.loads(line)
            except json.JSONDecodeError as error:
                raise SystemExit("%s:%d: not JSON (%s)" % (path, number, error))
            flags.alerts += 1
            rule = str(alert.get("rule"))
            flags.alerts_by_rule[rule] = flags.alerts_by_rule.get(rule, 0) + 1
            severity = str(alert.get("severity", "")).lower()
            sources = [str(a) for a in alert.get("ips") or []]
            key = alert.get("ip")
            if severity in NOISE_SEVERITIES:
                for address in sources + ([str(key)] if key and "/" not in str(key) else []):
                    address = canonical(address)
                    flags.noise[address] = flags.noise.get(address, 0) + 1
                continue
            # When the alert first existed: with --emit final, the moment its threshold was
            # crossed is not printed; last_seen of the window is the latest it can be.
            when = parse_time(alert.get("last_seen")) or parse_time(alert.get("window_end"))
            networks = []
            if key is not None and "/" in str(key):
                try:
                    network = ipaddress.ip_network(str(key), strict=False)
                    networks.append(network)
                    flags.networks.append((network, when, rule))
                except ValueError:
                    pass
            elif key is not None and is_address(str(key)):
                sources.append(str(key))  # (a campaign's key, `user@host`, names no source)
            for address in sources:
                flags.add(address, when, rule)
            if rule == "success_after_failures":
                flags.success_alerts.append(({canonical(a) for a in sources}, networks,
                                             alert.get("users") or [], when))
    return flags


def read_flags(path):
    flags = Flags()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            when = parse_time(fields[1]) if len(fields) > 1 else None
            rule = fields[2] if len(fields) > 2 else "flag"
            flags.alerts += 1
            flags.alerts_by_rule[rule] = flags.alerts_by_rule.get(rule, 0) + 1
            if "/" in fields[0]:
                try:
                    flags.networks.append((ipaddress.ip_network(fields[0], strict=False), when,
                                           rule))
                except ValueError:
                    pass
                continue
            flags.add(fields[0], when, rule)
    return flags


def expand_networks(flags, labels):
    """Every labeled address inside a flagged prefix is flagged."""
    if not flags.networks:
        return
    by_version = {4: [], 6: []}
    for network, when, rule in flags.networks:
        by_version[network.version].append((network, when, rule))
    for address in labels["ips"]:
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            continue
        for network, when, rule in by_version[parsed.version]:
            if parsed in network:
                flags.add(address, when, rule)


def score(flags, labels, is_vigil):
    categories = labels["ips"]
    expand_networks(flags, labels)
    flagged = set(flags.addresses)
    result = {"alerts": flags.alerts, "flagged": len(flagged)}
    true_positive = sum(1 for a in flagged if categories.get(a) in ATTACK)
    labeled = sum(1 for a in flagged if a in categories)
    result["unknown_flagged"] = len(flagged) - labeled
    result["precision"] = (true_positive / labeled) if labeled else None
    result["precision_counts"] = (true_positive, labeled)
    for category in RECALL_ROWS + ("scanner",) + BENIGN:
        members = [a for a, c in categories.items() if c == category]
        hit = sum(1 for a in members if a in flagged)
        result["recall_" + category] = (hit / len(members)) if members else None
        result["counts_" + category] = (hit, len(members))
    # IPv6 per /64 campaign.
    campaigns = labels.get("ipv6_campaigns", [])
    caught = 0
    for campaign in campaigns:
        if any(canonical(a) in flagged for a in campaign["addresses"]):
            caught += 1
    result["recall_ipv6_prefix"] = (caught / len(campaigns)) if campaigns else None
    result["counts_ipv6_prefix"] = (caught, len(campaigns))
    # Distributed per campaign (at least half of its addresses flagged).
    campaigns = labels.get("distributed_campaigns", [])
    caught = 0
    for campaign in campaigns:
        hit = sum(1 for a in campaign["ips"] if a in flagged)
        caught += 1 if hit * 2 >= len(campaign["ips"]) else 0
    result["counts_distributed_campaigns"] = (caught, len(campaigns))
    # Compromised accounts.
    compromised = labels.get("compromised", [])
    alerted = []
    for entry in compromised:
        ip = canonical(entry["ip"])
        accepted = parse_time(entry.get("accepted_at"))
        if is_vigil:
            ok = False
            for sources, networks, users, _ in flags.success_alerts:
                inside = ip in sources or any(ipaddress.ip_address(ip) in n for n in networks)
                if inside and (not users or entry["user"] in users or
                               any(isinstance(u, str) and u == entry["user"] for u in users)):
                    ok = True
        else:
            when = flags.addresses.get(ip, "absent")
            ok = when != "absent" and (when is None or accepted is None or when <= accepted)
        alerted.append(ok)
    result["counts_compromised"] = (sum(alerted), len(compromised))
    result["missed_compromised"] = [e["user"] + "@" + e["ip"] for e, ok in
                                    zip(compromised, alerted) if not ok]
    result["benign_flagged"] = sorted("%s (%s)" % (a, categories[a]) for a in flagged
                                      if categories.get(a) in BENIGN)
    office = [a for a, c in categories.items() if c == "office"]
    result["counts_office"] = (sum(1 for a in office if a in flagged), len(office))
    # Per-rule breakdown: which categories each rule flagged.
    detail = {}
    for rule, addresses in flags.rules.items():
        row = {}
        for address in addresses:
            category = categories.get(address, "unknown")
            row[category] = row.get(category, 0) + 1
        detail[rule] = row
    result["by_rule"] = detail
    result["alerts_by_rule"] = flags.alerts_by_rule
    if is_vigil:
        noise = {}
        for address in flags.noise:
            category = categories.get(address, "unknown")
            noise[category] = noise.get(category, 0) + 1
        result["noise_alert_sources"] = noise
    return result


def ratio(counts):
    hit, total = counts
    return "-" if total == 0 else "%.3f (%d/%d)" % (hit / total, hit, total)


def table(results, names):
    rows = [
        ("precision (attackers / flagged)", lambda r: ratio(r["precision_counts"])),
        ("recall fast brute force", lambda r: ratio(r["counts_fast"])),
        ("recall slow brute force", lambda r: ratio(r["counts_slow"])),
        ("recall spraying", lambda r: ratio(r["counts_spraying"])),
        ("recall distributed (per IP)", lambda r: ratio(r["counts_distributed"])),
        ("distributed campaigns (>= half their IPs)",
         lambda r: ratio(r["counts_distributed_campaigns"])),
        ("recall IPv6 (per address)", lambda r: ratio(r["counts_ipv6"])),
        ("recall IPv6 (per /64 campaign)", lambda r: ratio(r["counts_ipv6_prefix"])),
        ("recall opportunistic (1-3 tries, no target)", lambda r: ratio(r["counts_opportunistic"])),
        ("compromised accounts alerted", lambda r: ratio(r["counts_compromised"])),
        ("office NAT IPs flagged", lambda r: ratio(r["counts_office"])),
        ("automation IPs flagged", lambda r: ratio(r["counts_automation"])),
        ("admin IPs flagged", lambda r: ratio(r["counts_admin"])),
        ("monitoring IPs flagged", lambda r: ratio(r["counts_monitoring"])),
        ("scanners flagged (false positives)", lambda r: ratio(r["counts_scanner"])),
        ("flagged sources not in the labels", lambda r: str(r["unknown_flagged"])),
        ("alerts / flags", lambda r: str(r["alerts"])),
    ]
    out = ["| metric | " + " | ".join(names) + " |",
           "|---|" + "---|" * len(names)]
    for label, getter in rows:
        out.append("| %s | %s |" % (label, " | ".join(getter(results[n]) for n in names)))
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--tool", action="append", default=[], metavar="NAME=FILE[:FORMAT]")
    parser.add_argument("--json", help="also write the full results here")
    parser.add_argument("--detail", action="store_true",
                        help="per tool: which categories each rule flagged, benign IPs flagged")
    args = parser.parse_args(argv)
    with open(args.labels, encoding="utf-8") as handle:
        labels = json.load(handle)
    labels["ips"] = {canonical(a): c for a, c in labels["ips"].items()}
    results = {}
    names = []
    for spec in args.tool:
        if "=" not in spec:
            parser.error("--tool wants NAME=FILE[:FORMAT], got %r" % spec)
        name, rest = spec.split("=", 1)
        path, _, kind = rest.rpartition(":") if rest.endswith((":vigil", ":flags")) else (
            rest, "", "flags")
        kind = kind or "flags"
        flags = read_vigil(path) if kind == "vigil" else read_flags(path)
        results[name] = score(flags, labels, kind == "vigil")
        names.append(name)
    if not names:
        parser.error("no --tool given")
    generator = labels.get("generator", {})
    print("log: %s lines, %s, %s .. %s, seed %s; sources: %s" % (
        generator.get("lines"), generator.get("timestamps"), generator.get("start"),
        generator.get("end"), generator.get("seed"),
        ", ".join("%s %d" % (k, v) for k, v in sorted(labels.get("counts", {}).items()))))
    office = labels.get("office", {})
    if office:
        print("office NATs (users; failed tries; most in one 1m/10m/1h/1d window): " + "; ".join(
            "%s %d users, %d failed, %s" % (
                ip, info.get("users", 0), info.get("failed_attempts", 0),
                "/".join(str(info.get("max_failures_per_window", {}).get(w, "?"))
                         for w in ("60s", "10m", "1h", "1d")))
            for ip, info in sorted(office.items())))
    print()
    print(table(results, names))
    if args.detail:
        for name in names:
            result = results[name]
            print("\n%s: alerts by rule %s" % (name, json.dumps(result["alerts_by_rule"],
                                                                 sort_keys=True)))
            for rule, row in sorted(result["by_rule"].items()):
                print("  %-24s flags %s" % (rule, json.dumps(row, sort_keys=True)))
            if "noise_alert_sources" in result:
                print("  low/info alerts name: %s" % json.dumps(result["noise_alert_sources"],
                                                               sort_keys=True))
            if result["benign_flagged"]:
                print("  benign flagged: " + ", ".join(result["benign_flagged"][:30]))
            if result["missed_compromised"]:
                print("  compromised not alerted: " + ", ".join(result["missed_compromised"]))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=1, sort_keys=True)
            handle.write("\n")


if __name__ == "__main__":
    main()
