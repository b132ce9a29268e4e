#!/usr/bin/python3
"""gen_authlog.py: a labeled, deterministic sshd syslog for the detection-quality benchmark.

    gen_authlog.py --lines 1000000 --seed 1 --out auth.log --labels labels.json
    gen_authlog.py --timestamps rfc3339 ...     # 2026-03-29T23:18:33.123456+00:00 stamps

Writes a syslog file as rsyslog writes /var/log/auth.log for one host (sshd lines per
connection, with one pid per connection, plus CRON, sudo and systemd-logind lines) and a JSON
labels file naming the category of every source address. See bench/detection/README.md for the
categories, the line sequences and the labels' layout.

Everything is drawn from one seed: the same arguments give the same bytes. The line count is
reached approximately: each category gets a share of the lines and draws actors until its
share is spent (measured: 1M asked gives 1.03M, 5M gives 6.0M, since per-line estimates drift
with the span).
"""

import argparse
import calendar
import datetime as dt
import heapq
import ipaddress
import json
import os
import random
import sys
import time

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MAX_AUTH_TRIES = 6  # OpenSSH's MaxAuthTries default
PID_MAX = 4194304

# Share of the lines per category (the rest of the file is CRON/sudo/logind noise, whose volume
# follows a fixed schedule). Attack categories first, then benign ones.
SHARES = {
    "fast": 0.27, "slow": 0.08, "spraying": 0.08, "distributed": 0.08, "ipv6": 0.04,
    "opportunistic": 0.02, "scanner": 0.12, "office": 0.05, "automation": 0.20, "admin": 0.02,
}
ATTACK_CATEGORIES = ("fast", "slow", "spraying", "distributed", "ipv6", "opportunistic")
BENIGN_CATEGORIES = ("office", "automation", "admin", "monitoring")

# Accounts that exist on the simulated server besides office users and admins. The "weak" ones
# have guessable passwords: compromises happen there.
SERVICE_ACCOUNTS = ["deploy", "backup", "ansible", "gitlab-runner", "nagios"]
WEAK_ACCOUNTS = ["test", "oracle", "postgres", "guest", "ftpuser", "ubuntu", "git"]

# What bots try, with weights (root dominates real logs). A few hostile or odd names (empty,
# shell syntax, markup, a space) appear as they do in real logs.
WORDLIST = [("root", 40), ("admin", 8), ("user", 4), ("test", 4), ("ubuntu", 3), ("oracle", 3),
            ("postgres", 3), ("pi", 2), ("git", 2), ("ftp", 1), ("ftpuser", 2), ("guest", 2),
            ("support", 2), ("www", 1), ("www-data", 1), ("mysql", 2), ("apache", 1),
            ("nagios", 1), ("hadoop", 1), ("ubnt", 2), ("administrator", 1), ("default", 1),
            ("1234", 1), ("usuario", 1), ("teste", 1), ("centos", 1), ("ec2-user", 1),
            ("minecraft", 1), ("steam", 1), ("tomcat", 1), ("jenkins", 1), ("dev", 1),
            ("deploy", 1), ("sysadmin", 1), ("service", 1), ("operator", 1), ("hduser", 1),
            ("zabbix", 1), ("odoo", 1), ("elastic", 1), ("es", 1), ("kafka", 1), ("redis", 1),
            ("", 1), ("$(id)", 0.2), ("<script>", 0.2), ("a b", 0.2), ("admin;ls", 0.2)]
FIRST_NAMES = """alice bob carol dave erin frank grace heidi ivan judy karl laura mallory nina
oscar peggy quentin rita sam trent ursula victor wendy xavier yvonne zoe adam bella chris diana
eric fiona george hannah isaac julia kevin lena marco nora omar paula ralph sara tom uma
vince willa yusuf zara anton berta claus dora emil frida gustav helga igor jana""".split()
SCANNER_KINDS = ["no_ident", "kex_closed", "kex_reset", "http", "negotiate", "preauth_close",
                 "bye"]


class Clock:
    """Formats seconds since the epoch as a syslog stamp, caching the per-second prefix."""

    def __init__(self, style):
        self.style = style
        self.cached_second = None
        self.cached_text = ""

    def stamp(self, t):
        second = int(t)
        if second != self.cached_second:
            tm = time.gmtime(second)
            if self.style == "traditional":
                self.cached_text = "%s %2d %02d:%02d:%02d" % (
                    MONTH_NAMES[tm.tm_mon - 1], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec)
            else:
                self.cached_text = "%04d-%02d-%02dT%02d:%02d:%02d" % tm[:6]
            self.cached_second = second
        if self.style == "traditional":
            return self.cached_text
        micros = int((t - second) * 1e6)
        return "%s.%06d+00:00" % (self.cached_text, micros)


class World:
    """Shared state of the simulated host: pids, logind sessions, address allocation, labels."""

    def __init__(self, rng, host):
        self.rng = rng
        self.host = host
        self.next_pid = rng.randrange(1000, 30000)
        self.next_session = rng.randrange(1, 500)
        self.used_ips = set()
        self.labels = {}          # ip -> category
        self.failed = {}          # ip -> failed attempts written
        self.first_seen = {}
        self.last_seen = {}
        self.uids = {}
        self.accepted = {}        # attacker ip -> (time, user) of its Accepted line
        self.benign_failure_times = {}  # office/admin ip -> times of its failed tries

    def pid(self):
        self.next_pid += self.rng.randrange(1, 40)
        if self.next_pid >= PID_MAX:
            self.next_pid = 300 + self.next_pid % PID_MAX
        return self.next_pid

    def session(self):
        self.next_session += 1
        return self.next_session

    def uid(self, user):
        if user == "root":
            return 0
        if user not in self.uids:
            self.uids[user] = 1000 + len(self.uids)
        return self.uids[user]

    def claim_ipv4(self, rng, category):
        while True:
            text = "%d.%d.%d.%d" % (rng.randrange(1, 224), rng.randrange(256),
                                    rng.randrange(256), rng.randrange(1, 255))
            if text in self.used_ips:
                continue
            if not ipaddress.IPv4Address(text).is_global:
                continue
            self.used_ips.add(text)
            self.labels[text] = category
            return text

    def claim_ipv6_prefix(self, rng):
        while True:
            groups = [0x2000 | rng.randrange(0x1000), rng.randrange(0x10000),
                      rng.randrange(0x10000), rng.randrange(0x10000)]
            prefix = ipaddress.IPv6Network("%x:%x:%x:%x::/64" % tuple(groups))
            if prefix.is_global and str(prefix) not in self.used_ips:
                self.used_ips.add(str(prefix))
                return prefix

    def claim_in_prefix(self, rng, prefix, category):
        while True:
            address = str(prefix.network_address + rng.randrange(1, 1 << 64))
            if address not in self.used_ips:
                self.used_ips.add(address)
                self.labels[address] = category
                return address


# ---------------------------------------------------------------------------------------------
# Connections: each is a generator of (time, program, pid, message) in time order.

def attack_connection(world, rng, t, ip, user, valid_users, tries, end, session_minutes=20):
    """One sshd connection making `tries` password guesses for `user`, then `end`:
    "close" (client gives up), "max" (MaxAuthTries reached, tries must be 6) or "accept"
    (the last try succeeds: `tries - 1` failures, then Accepted)."""
    pid = world.pid()
    port = rng.randrange(1024, 65536)
    valid = user in valid_users
    who = ("user %s" % user) if valid else ("invalid user %s" % user)
    authn = ("authenticating user %s" % user) if valid else ("invalid user %s" % user)
    failures = tries - 1 if end == "accept" else tries
    if not valid:
        yield t, "sshd", pid, "Invalid user %s from %s port %d" % (user, ip, port)
    t += rng.uniform(0.05, 0.5)
    for attempt in range(failures):
        if not valid:
            yield t, "sshd", pid, "pam_unix(sshd:auth): check pass; user unknown"
        if attempt == 0:
            yield t, "sshd", pid, ("pam_unix(sshd:auth): authentication failure; logname= uid=0 "
                                   "euid=0 tty=ssh ruser= rhost=%s%s"
                                   % (ip, ("  user=%s" % user) if valid else ""))
        t += rng.uniform(1.8, 2.6)  # pam_faildelay
        world.failed[ip] = world.failed.get(ip, 0) + 1
        yield t, "sshd", pid, "Failed password for %s from %s port %d ssh2" % (
            ("invalid user %s" % user) if not valid else user, ip, port)
        t += rng.uniform(0.1, 1.0)
    more = failures - 1
    if end == "max":
        yield t, "sshd", pid, ("error: maximum authentication attempts exceeded for %s from %s "
                               "port %d ssh2 [preauth]" % (who if not valid else user, ip, port))
        yield t, "sshd", pid, ("Disconnecting %s %s port %d: Too many authentication failures "
                               "[preauth]" % (authn, ip, port))
    elif end == "close":
        if rng.random() < 0.5:
            yield t, "sshd", pid, "Connection closed by %s %s port %d [preauth]" % (authn, ip, port)
        else:
            yield t, "sshd", pid, "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (
                ip, port)
            yield t, "sshd", pid, "Disconnected from %s %s port %d [preauth]" % (authn, ip, port)
    if more > 0 and end != "accept":
        yield t, "sshd", pid, ("PAM %d more authentication failure%s; logname= uid=0 euid=0 "
                               "tty=ssh ruser= rhost=%s%s" % (more, "s" if more > 1 else "", ip,
                                                              ("  user=%s" % user) if valid else ""))
        if end == "max":
            yield t, "sshd", pid, "PAM service(sshd) ignoring max retries; %d > 3" % MAX_AUTH_TRIES
    if end == "accept":
        world.accepted.setdefault(ip, (t, user))
        yield from session(world, rng, t, pid, ip, port, user, "password",
                           rng.uniform(60, session_minutes * 60))


def session(world, rng, t, pid, ip, port, user, method, seconds, sudo_probability=0.0):
    """Accepted login, its session and its end."""
    if method == "password":
        yield t, "sshd", pid, "Accepted password for %s from %s port %d ssh2" % (user, ip, port)
    else:
        yield t, "sshd", pid, "Accepted publickey for %s from %s port %d ssh2: ED25519 SHA256:%s" % (
            user, ip, port, key_fingerprint(user))
    uid = world.uid(user)
    yield t, "sshd", pid, "pam_unix(sshd:session): session opened for user %s(uid=%d) by (uid=0)" % (
        user, uid)
    number = world.session()
    t += rng.uniform(0.01, 0.2)
    yield t, "systemd-logind", 412, "New session %d of user %s." % (number, user)
    if rng.random() < sudo_probability:
        t += rng.uniform(5, max(6.0, seconds / 2))
        sudo_pid = world.pid()
        command = rng.choice(["/usr/bin/apt update", "/usr/bin/systemctl restart nginx",
                              "/usr/bin/journalctl -u ssh", "/usr/bin/tail -f /var/log/syslog"])
        yield t, "sudo", sudo_pid, ("%8s : TTY=pts/%d ; PWD=/home/%s ; USER=root ; COMMAND=%s"
                                    % (user, rng.randrange(6), user, command))
        yield t, "sudo", sudo_pid, ("pam_unix(sudo:session): session opened for user root(uid=0) "
                                    "by %s(uid=%d)" % (user, uid))
        t += rng.uniform(0.5, 30)
        yield t, "sudo", sudo_pid, "pam_unix(sudo:session): session closed for user root"
    t += seconds
    yield t, "sshd", pid, "Received disconnect from %s port %d:11: disconnected by user" % (ip, port)
    yield t, "sshd", pid, "Disconnected from user %s %s port %d" % (user, ip, port)
    yield t, "sshd", pid, "pam_unix(sshd:session): session closed for user %s" % user
    yield t, "systemd-logind", 412, "Session %d logged out. Waiting for processes to exit." % number
    t += rng.uniform(0.01, 0.1)
    yield t, "systemd-logind", 412, "Removed session %d." % number


def key_fingerprint(user):
    # A stable fake fingerprint per user (43 base64 characters, like OpenSSH's SHA256 ones).
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    state = random.Random("key:" + user)
    return "".join(state.choice(alphabet) for _ in range(43))


def login_with_typos(world, rng, t, ip, user, typos, seconds, sudo_probability):
    """A legitimate password login: `typos` wrong passwords on the same connection, then the
    right one."""
    pid = world.pid()
    port = rng.randrange(1024, 65536)
    for attempt in range(typos):
        if attempt == 0:
            yield t, "sshd", pid, ("pam_unix(sshd:auth): authentication failure; logname= uid=0 "
                                   "euid=0 tty=ssh ruser= rhost=%s  user=%s" % (ip, user))
        t += rng.uniform(1.8, 2.6)
        world.failed[ip] = world.failed.get(ip, 0) + 1
        world.benign_failure_times.setdefault(ip, []).append(t)
        yield t, "sshd", pid, "Failed password for %s from %s port %d ssh2" % (user, ip, port)
        t += rng.uniform(2.0, 8.0)  # a human retyping
    yield from session(world, rng, t, pid, ip, port, user, "password", seconds, sudo_probability)


def mistyped_username(world, rng, t, ip, user):
    """A human typing a username that does not exist: one failed try, then the client quits."""
    pid = world.pid()
    port = rng.randrange(1024, 65536)
    yield t, "sshd", pid, "Invalid user %s from %s port %d" % (user, ip, port)
    t += rng.uniform(0.05, 0.3)
    yield t, "sshd", pid, "pam_unix(sshd:auth): check pass; user unknown"
    yield t, "sshd", pid, ("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 "
                           "tty=ssh ruser= rhost=%s" % ip)
    t += rng.uniform(1.8, 2.6)
    world.failed[ip] = world.failed.get(ip, 0) + 1
    world.benign_failure_times.setdefault(ip, []).append(t)
    yield t, "sshd", pid, "Failed password for invalid user %s from %s port %d ssh2" % (
        user, ip, port)
    t += rng.uniform(1.0, 5.0)
    yield t, "sshd", pid, "Connection closed by invalid user %s %s port %d [preauth]" % (
        user, ip, port)


def publickey_login(world, rng, t, ip, user, seconds):
    pid = world.pid()
    port = rng.randrange(1024, 65536)
    yield from session(world, rng, t, pid, ip, port, user, "publickey", seconds)


def scanner_connection(world, rng, t, ip, kind):
    """Pre-authentication noise: no credentials are ever tried."""
    pid = world.pid()
    port = rng.randrange(1024, 65536)
    if kind == "no_ident":
        yield t + rng.uniform(0, 10), "sshd", pid, (
            "Did not receive identification string from %s port %d" % (ip, port))
    elif kind == "kex_closed":
        yield t, "sshd", pid, "kex_exchange_identification: Connection closed by remote host"
        yield t, "sshd", pid, "Connection closed by %s port %d" % (ip, port)
    elif kind == "kex_reset":
        yield t, "sshd", pid, "kex_exchange_identification: read: Connection reset by peer"
        yield t, "sshd", pid, "Connection reset by %s port %d" % (ip, port)
    elif kind == "http":
        if rng.random() < 0.5:
            yield t, "sshd", pid, ("kex_exchange_identification: client sent invalid protocol "
                                   "identifier \"GET / HTTP/1.1\"")
            yield t, "sshd", pid, "banner exchange: Connection from %s port %d: invalid format" % (
                ip, port)
        else:
            yield t, "sshd", pid, ("Bad protocol version identification 'GET / HTTP/1.1' from %s "
                                   "port %d" % (ip, port))
    elif kind == "negotiate":
        yield t + rng.uniform(0, 1), "sshd", pid, (
            "Unable to negotiate with %s port %d: no matching key exchange method found. Their "
            "offer: diffie-hellman-group14-sha1,diffie-hellman-group1-sha1 [preauth]" % (ip, port))
    elif kind == "preauth_close":
        yield t + rng.uniform(0, 3), "sshd", pid, "Connection closed by %s port %d [preauth]" % (
            ip, port)
    else:  # "bye"
        t += rng.uniform(0, 3)
        yield t, "sshd", pid, "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (
            ip, port)
        yield t, "sshd", pid, "Disconnected from %s port %d [preauth]" % (ip, port)


# ---------------------------------------------------------------------------------------------
# Actors: each yields (start_time, connection_generator_factory) in start order. The factory is
# called when the connection starts, so its pid follows the ones before it.

def pick_user(rng):
    names = [name for name, _ in WORDLIST]
    weights = [weight for _, weight in WORDLIST]
    return rng.choices(names, weights)[0]


def fast_attacker(world, rng, start, ip, valid_users, compromise=None):
    """Fast brute force: 1-4 parallel streams of connections, each 1, 3 or 6 tries, for 3-90
    minutes. With `compromise` (user), the last connection succeeds for that user."""
    streams = rng.choice([1, 1, 2, 3, 4])
    per_connection = rng.choice([1, 3, 6, 6])
    minutes = rng.choice([rng.uniform(3, 15), rng.uniform(10, 40), rng.uniform(30, 90)])
    end_time = start + minutes * 60
    target = compromise or (rng.choice(["root", "root", "admin"]) if rng.random() < 0.6 else None)
    starts = []
    for _ in range(streams):
        t = start + rng.uniform(0, 5)
        while t < end_time:
            starts.append(t)
            t += per_connection * 3.2 + rng.uniform(0.5, 4)
    starts.sort()
    for index, t in enumerate(starts):
        user = target or pick_user(rng)
        last = compromise and index == len(starts) - 1
        if last:
            tries = rng.randrange(1, per_connection + 1)
            yield t, lambda t=t, tries=tries: attack_connection(
                world, rng, t, ip, compromise, valid_users, tries, "accept")
        else:
            end = "max" if per_connection == MAX_AUTH_TRIES else "close"
            yield t, lambda t=t, user=user, end=end: attack_connection(
                world, rng, t, ip, user, valid_users, per_connection, end)


def slow_attacker(world, rng, start, ip, valid_users, compromise=None):
    """Slow brute force: one connection with one try (sometimes two) every 1-5 minutes, for
    3-12 hours."""
    mean_gap = rng.uniform(60, 300)
    hours = rng.uniform(3, 12)
    end_time = start + hours * 3600
    target = compromise or (rng.choice(["root", "admin"]) if rng.random() < 0.5 else None)
    t = start
    while True:
        next_t = t + mean_gap * rng.uniform(0.7, 1.3)
        if compromise and next_t >= end_time:
            yield t, lambda t=t: attack_connection(world, rng, t, ip, compromise, valid_users, 1,
                                                   "accept")
            return
        if t >= end_time:
            return
        user = target or pick_user(rng)
        tries = 2 if rng.random() < 0.2 else 1
        yield t, lambda t=t, user=user, tries=tries: attack_connection(
            world, rng, t, ip, user, valid_users, tries, "close")
        t = next_t


def sprayer(world, rng, start, ip, valid_users, office_users):
    """Password spraying: 30-150 distinct usernames (office-style names and common accounts),
    1-2 tries each on its own connection, 5-90 s apart."""
    count = rng.randrange(30, 151)
    pool = list(set(office_users[:]) | set(name for name, _ in WORDLIST[:30]) |
                set(rng.choice(FIRST_NAMES) + rng.choice("abcdefghijklmnopqrstuvwxyz")
                    for _ in range(100)))
    pool.sort()
    users = rng.sample(pool, min(count, len(pool)))
    gap = rng.uniform(5, 90)
    t = start
    for user in users:
        for _ in range(1 if rng.random() < 0.7 else 2):
            yield t, lambda t=t, user=user: attack_connection(world, rng, t, ip, user, valid_users,
                                                              1, "close")
            t += gap * rng.uniform(0.6, 1.4)


def distributed_campaign(world, rng, start, ips, users, valid_users, hours):
    """A botnet: every IP makes 1-4 tries (one connection, or one connection per try) against
    the campaign's target users, at random moments of the campaign."""
    plan = []
    for ip in ips:
        tries = rng.randrange(1, 5)
        t = start + rng.uniform(0, hours * 3600)
        if rng.random() < 0.5:
            plan.append((t, ip, rng.choice(users), tries))
        else:
            for _ in range(tries):
                plan.append((t, ip, rng.choice(users), 1))
                t += rng.uniform(2, 120)
    plan.sort()
    for t, ip, user, tries in plan:
        yield t, lambda t=t, ip=ip, user=user, tries=tries: attack_connection(
            world, rng, t, ip, user, valid_users, tries, "close")


def ipv6_rotator(world, rng, start, prefix, valid_users, campaign):
    """One attacker inside one /64: a fresh address for every try, 10-60 s apart, 50-300 tries."""
    tries = rng.randrange(50, 301)
    gap = rng.uniform(10, 60)
    target = rng.choice(["root", "admin", None])
    t = start
    for _ in range(tries):
        address = world.claim_in_prefix(rng, prefix, "ipv6")
        campaign["addresses"].append(address)
        user = target or pick_user(rng)
        yield t, lambda t=t, address=address, user=user: attack_connection(
            world, rng, t, address, user, valid_users, 1, "close")
        t += gap * rng.uniform(0.5, 1.5)


def population(plan):
    """An actor made of many independent sources: `plan` is a list of (time, factory)."""
    plan.sort(key=lambda item: item[0])
    yield from plan


def office(world, rng, start, end, ip, users, typo_rate):
    """Users behind one NAT address: 2-8 logins per working day (few at weekends), each with a
    `typo_rate` chance of 1-3 wrong passwords first and a 1% chance of a mistyped username
    (then a new connection with the right one)."""
    day = start - start % 86400
    while day < end:
        weekday = time.gmtime(day).tm_wday
        plan = []
        for user in users:
            logins = rng.randrange(2, 9) if weekday < 5 else (1 if rng.random() < 0.1 else 0)
            for _ in range(logins):
                hour = rng.choice([rng.uniform(8, 10), rng.uniform(9, 17), rng.uniform(13, 15),
                                   rng.uniform(7, 20)])
                t = day + hour * 3600 + rng.uniform(0, 60)
                if t < start or t >= end:
                    continue
                plan.append((t, user))
        plan.sort()
        for t, user in plan:
            seconds = rng.uniform(60, 4 * 3600)
            if rng.random() < 0.01:
                wrong = user[:-1] if len(user) > 3 else user + user[-1]
                wrong = wrong if wrong not in users else wrong + "x"
                yield t, lambda t=t, wrong=wrong: mistyped_username(world, rng, t, ip, wrong)
                t += rng.uniform(5, 20)
            typos = 0
            if rng.random() < typo_rate:
                typos = rng.choice([1, 1, 1, 2, 2, 3])
            yield t, lambda t=t, user=user, typos=typos, seconds=seconds: login_with_typos(
                world, rng, t, ip, user, typos, seconds, 0.05)
        day += 86400


def automation(world, rng, start, end, ip, user):
    """A CI runner or backup host: publickey logins every 2-15 minutes, around the clock."""
    period = rng.uniform(120, 900)
    t = start + rng.uniform(0, period)
    while t < end:
        seconds = rng.uniform(2, 90)
        yield t, lambda t=t, seconds=seconds: publickey_login(world, rng, t, ip, user, seconds)
        t += period * rng.uniform(0.9, 1.1)


def admin(world, rng, start, end, ips, user):
    """An administrator from home or a laptop: mostly publickey, sometimes a password with a
    typo, sudo in many sessions."""
    t = start + rng.uniform(0, 3 * 3600)
    while t < end:
        ip = rng.choice(ips)
        seconds = rng.uniform(120, 3 * 3600)
        if rng.random() < 0.8:
            yield t, lambda t=t, ip=ip, seconds=seconds: publickey_login(
                world, rng, t, ip, user, seconds)
        else:
            typos = 1 if rng.random() < 0.3 else 0
            yield t, lambda t=t, ip=ip, seconds=seconds, typos=typos: login_with_typos(
                world, rng, t, ip, user, typos, seconds, 0.7)
        t += rng.uniform(1800, 8 * 3600)


def monitoring(world, rng, start, end, ip):
    """A monitoring host checking that port 22 answers, every minute (pre-auth lines only)."""
    t = start + rng.uniform(0, 60)
    while t < end:
        yield t, lambda t=t: scanner_connection(world, rng, t, ip, "kex_closed")
        t += 60 + rng.uniform(-0.5, 0.5)


def cron(world, rng, start, end):
    """CRON sessions: a */10 job and the hourly run at :17."""
    moments = [t for t in range(int(start - start % 600) + 600, int(end), 600)]
    moments += [t for t in range(int(start - start % 3600) + 17 * 60, int(end), 3600)
                if t >= start]
    moments.sort()
    for t in moments:
        def job(t=t):
            pid = world.pid()
            yield t + 0.01, "CRON", pid, ("pam_unix(cron:session): session opened for user "
                                          "root(uid=0) by (uid=0)")
            yield t + 0.01, "CRON", pid, ("(root) CMD (command -v debian-sa1 > /dev/null && "
                                          "debian-sa1 1 1)")
            yield t + rng.uniform(0.05, 2), "CRON", pid, (
                "pam_unix(cron:session): session closed for user root")
        yield t, job


# ---------------------------------------------------------------------------------------------

def build(args):
    rng = random.Random(args.seed)
    world = World(random.Random(rng.getrandbits(64)), args.host)
    start = args.start
    span = args.days * 86400
    end = start + span
    actors = []  # generators of (start_time, factory)
    labels_extra = {"compromised": [], "ipv6_campaigns": [], "distributed_campaigns": [],
                    "office": {}, "automation": {}, "admins": {}, "monitoring": []}

    def child():
        return random.Random(rng.getrandbits(64))

    # The per-actor line estimates below run ~10% low on the defaults: 0.9 corrects that.
    budget = {category: 0.9 * share * args.lines for category, share in SHARES.items()}

    # Benign population first: its accounts define who is valid.
    office_users_all = []
    nat_count = max(2, round(budget["office"] / 9000))
    for index in range(nat_count):
        r = child()
        ip = world.claim_ipv4(r, "office")
        users = sorted({r.choice(FIRST_NAMES) + r.choice("abcdefghijklmnopqrstuvwxyz")
                        for _ in range(r.randrange(30, 81))})
        office_users_all.extend(users)
        labels_extra["office"][ip] = {"users": len(users)}
        actors.append(office(world, r, start, end, ip, users, args.typo_rate))
    admins = ["ops-" + name for name in rng.sample(FIRST_NAMES, 3)]
    for user in admins:
        r = child()
        ips = [world.claim_ipv4(r, "admin") for _ in range(r.randrange(1, 3))]
        labels_extra["admins"][user] = ips
        actors.append(admin(world, r, start, end, ips, user))
    automation_count = max(2, round(budget["automation"] / (span / 500 * 8)))
    for index in range(automation_count):
        r = child()
        ip = world.claim_ipv4(r, "automation")
        user = SERVICE_ACCOUNTS[index % len(SERVICE_ACCOUNTS)]
        labels_extra["automation"][ip] = user
        actors.append(automation(world, r, start, end, ip, user))
    for _ in range(2 if args.lines >= 500000 else 1):
        r = child()
        ip = world.claim_ipv4(r, "monitoring")
        labels_extra["monitoring"].append(ip)
        actors.append(monitoring(world, r, start, end, ip))
    actors.append(cron(world, child(), start, end))

    valid_users = frozenset(["root"] + office_users_all + admins + SERVICE_ACCOUNTS +
                            WEAK_ACCOUNTS)

    def when(r, hours):
        return start + r.uniform(0, max(60.0, span - hours * 3600))

    # Compromises: brute forces (fast, and one slow) that end with Accepted password.
    compromised_count = max(2, round(args.lines / 300000))
    compromise_users = rng.sample(WEAK_ACCOUNTS, min(compromised_count, len(WEAK_ACCOUNTS)))
    for index, user in enumerate(compromise_users):
        r = child()
        category = "slow" if index == len(compromise_users) - 1 and index > 0 else "fast"
        ip = world.claim_ipv4(r, category)
        t = when(r, 12)
        labels_extra["compromised"].append({"user": user, "ip": ip, "via": category})
        maker = fast_attacker if category == "fast" else slow_attacker
        actors.append(maker(world, r, t, ip, valid_users, compromise=user))

    # Attack categories: draw actors until each share is spent (lines estimated per actor).
    spent = 0.0
    while spent < budget["fast"]:
        r = child()
        ip = world.claim_ipv4(r, "fast")
        actors.append(fast_attacker(world, r, when(r, 2), ip, valid_users))
        spent += 1.3 * 60 * 13 * 2.2  # ~40 min x ~13 tries/min per stream x ~2.2 lines/try
    spent = 0.0
    while spent < budget["slow"]:
        r = child()
        ip = world.claim_ipv4(r, "slow")
        actors.append(slow_attacker(world, r, when(r, 12), ip, valid_users))
        spent += 7.5 * 3600 / 180 * 1.2 * 4.0  # ~7.5 h, a try every 3 min, ~4 lines a try
    spent = 0.0
    while spent < budget["spraying"]:
        r = child()
        ip = world.claim_ipv4(r, "spraying")
        actors.append(sprayer(world, r, when(r, 4), ip, valid_users, office_users_all))
        spent += 90 * 1.3 * 4.5
    spent = 0.0
    while spent < budget["distributed"]:
        r = child()
        size = r.randrange(150, 601)
        ips = [world.claim_ipv4(r, "distributed") for _ in range(size)]
        targets = r.sample(["root", "admin", "ubuntu", "oracle", "postgres", "test", "git",
                            "user", r.choice(office_users_all)], r.randrange(1, 4))
        hours = r.uniform(1, 8)
        t0 = when(r, hours)
        labels_extra["distributed_campaigns"].append(
            {"users": targets, "ips": ips, "start": iso(t0), "hours": round(hours, 2)})
        actors.append(distributed_campaign(world, r, t0, ips, targets, valid_users, hours))
        spent += size * 2.5 * 4.0
    spent = 0.0
    while spent < budget["ipv6"]:
        r = child()
        prefix = world.claim_ipv6_prefix(r)
        campaign = {"prefix": str(prefix), "addresses": []}
        labels_extra["ipv6_campaigns"].append(campaign)
        actors.append(ipv6_rotator(world, r, when(r, 4), prefix, valid_users, campaign))
        spent += 175 * 4.5
    plan = []
    r = child()
    spent = 0.0
    while spent < budget["opportunistic"]:
        ip = world.claim_ipv4(r, "opportunistic")
        t = start + r.uniform(0, span)
        tries = r.randrange(1, 4)
        user = pick_user(r)
        plan.append((t, lambda t=t, ip=ip, user=user, tries=tries: attack_connection(
            world, r, t, ip, user, valid_users, tries, "close")))
        spent += tries * 2 + 3
    actors.append(population(plan))
    plan = []
    r = child()
    spent = 0.0
    while spent < budget["scanner"]:
        ip = world.claim_ipv4(r, "scanner")
        kinds = r.sample(SCANNER_KINDS, r.randrange(1, 4))
        connections = r.choice([1, 1, 2, 3, 5, 10, 30])
        burst = r.random() < 0.3  # masscan-like: all connections within a minute or two
        t = start + r.uniform(0, span - 7200)
        for _ in range(connections):
            kind = r.choice(kinds)
            plan.append((t, lambda t=t, ip=ip, kind=kind: scanner_connection(world, r, t, ip,
                                                                             kind)))
            t += r.uniform(0.5, 6) if burst else r.uniform(60, 7200)
            spent += 1.6
            if t >= end:
                break
    actors.append(population(plan))
    return world, actors, labels_extra, end


def worst_windows(times):
    worst = {}
    for name, seconds in (("60s", 60), ("10m", 600), ("1h", 3600), ("1d", 86400)):
        counts = {}
        for t in times:
            counts[int(t // seconds)] = counts.get(int(t // seconds), 0) + 1
        worst[name] = max(counts.values()) if counts else 0
    return worst


def iso(t):
    return dt.datetime.fromtimestamp(t, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def run(args):
    world, actors, labels_extra, end = build(args)
    clock = Clock(args.timestamps)
    host = args.host
    heap = []
    sequence = 0
    for actor in actors:
        first = next(actor, None)
        if first is not None:
            heap.append((first[0], sequence, None, actor, first[1]))
            sequence += 1
    heapq.heapify(heap)

    written = 0
    repeated_lines = 0
    last_time = args.start
    previous = None       # (program, pid, message) of the last line written
    repeats = 0
    repeat_time = 0.0
    out = open(args.out, "w", encoding="utf-8", newline="\n")
    buffer = []

    def emit(t, program, pid, message):
        buffer.append("%s %s %s[%d]: %s\n" % (clock.stamp(t), host, program, pid, message))

    # Startup lines of the daemon.
    emit(args.start, "sshd", 700, "Server listening on 0.0.0.0 port 22.")
    emit(args.start, "sshd", 700, "Server listening on :: port 22.")
    written += 2
    while heap:
        t, _, line, source, factory = heapq.heappop(heap)
        if line is None:
            # An actor's next connection starts: open it, schedule the actor's following one.
            connection = factory()
            following = next(source, None)
            if following is not None:
                # An actor whose plan steps back in time (a retry after a mistyped name) starts
                # the connection now: the file stays in time order.
                heapq.heappush(heap, (max(following[0], t), sequence, None, source,
                                      following[1]))
                sequence += 1
            first = next(connection, None)
            if first is not None:
                heapq.heappush(heap, (max(first[0], t), sequence, first, connection, None))
                sequence += 1
            continue
        # A line of an open connection.
        following = next(source, None)
        if following is not None:
            heapq.heappush(heap, (max(following[0], t), sequence, following, source, None))
            sequence += 1
        _, program, pid, message = line
        if t > end + 86400:
            continue  # a session still open long after the log's end: not written
        last_time = max(last_time, t)
        ip = ip_of(message)
        if ip is not None and ip in world.labels:
            world.first_seen.setdefault(ip, t)
            world.last_seen[ip] = t
        key = (program, pid, message)
        if args.repeat_compression and key == previous:
            repeats += 1
            repeat_time = t
            continue
        if repeats:
            written += flush_repeats(emit, previous, repeats, repeat_time)
            repeated_lines += 1 if repeats > 1 else 0
            repeats = 0
        emit(t, program, pid, message)
        written += 1
        previous = key
        if len(buffer) >= 8192:
            out.write("".join(buffer))
            buffer.clear()
    if repeats:
        written += flush_repeats(emit, previous, repeats, repeat_time)
        repeated_lines += 1 if repeats > 1 else 0
    out.write("".join(buffer))
    out.close()
    # The year of traditional stamps comes from the file's modification time: the log's end.
    os.utime(args.out, (last_time + 1, last_time + 1))
    return world, labels_extra, written, repeated_lines, last_time


def flush_repeats(emit, previous, repeats, repeat_time):
    """rsyslog's RepeatedMsgReduction: a message seen again right after itself is held back and
    summarised when a different one arrives, stamped with the last repeat's time. A single
    repeat is written as the message itself."""
    program, pid, message = previous
    if repeats == 1:
        emit(repeat_time, program, pid, message)
    else:
        emit(repeat_time, program, pid, "message repeated %d times: [ %s]" % (repeats, message))
    return 1


def ip_of(message):
    """The source address in an sshd message, for first/last-seen bookkeeping (cheap scan)."""
    for marker in (" from ", "rhost=", "Connection closed by ", "Connection reset by ",
                   "Disconnected from "):
        index = message.rfind(marker)
        if index < 0:
            continue
        rest = message[index + len(marker):].split()
        if not rest:
            continue
        if marker in (" from ", "rhost="):
            return rest[0]
        # "... by [authenticating|invalid] user U IP port N": the address precedes "port".
        if "port" in rest:
            position = rest.index("port")
            if position >= 1:
                return rest[position - 1]
        return rest[0]
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1000000, help="about this many lines")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="the syslog file to write")
    parser.add_argument("--labels", help="the labels JSON to write (default OUT.labels.json)")
    parser.add_argument("--timestamps", choices=["traditional", "rfc3339"], default="traditional")
    parser.add_argument("--start", default="2026-03-23T00:00:00Z",
                        help="the log's first moment, UTC (default 2026-03-23T00:00:00Z)")
    parser.add_argument("--days", type=float, default=0,
                        help="time span (default: 7 days per million lines, at least 2)")
    parser.add_argument("--host", default="bastion")
    parser.add_argument("--typo-rate", type=float, default=0.08,
                        help="share of office logins with 1-3 wrong passwords first")
    parser.add_argument("--no-repeat-compression", dest="repeat_compression",
                        action="store_false",
                        help="write every line (rsyslog without RepeatedMsgReduction)")
    args = parser.parse_args(argv)
    if args.lines < 10000:
        parser.error("--lines must be at least 10000")
    args.start = calendar.timegm(dt.datetime.fromisoformat(
        args.start.replace("Z", "+00:00")).astimezone(dt.timezone.utc).timetuple())
    if args.days <= 0:
        args.days = max(2.0, 7.0 * args.lines / 1e6)
    labels_path = args.labels or args.out + ".labels.json"

    started = time.monotonic()
    world, extra, written, repeated_lines, last_time = run(args)
    counts = {}
    for category in world.labels.values():
        counts[category] = counts.get(category, 0) + 1
    labels = {
        "generator": {"seed": args.seed, "lines_requested": args.lines, "lines": written,
                      "message_repeated_lines": repeated_lines, "timestamps": args.timestamps,
                      "start": iso(args.start), "end": iso(last_time), "days": args.days,
                      "host": args.host, "typo_rate": args.typo_rate,
                      "repeat_compression": args.repeat_compression,
                      "file_mtime": iso(last_time + 1)},
        "categories": {"attack": list(ATTACK_CATEGORIES), "benign": list(BENIGN_CATEGORIES),
                       "scanner": ["scanner"]},
        "counts": counts,
        "ips": world.labels,
        "failed_attempts": world.failed,
        "first_seen": {ip: iso(t) for ip, t in world.first_seen.items()},
        "last_seen": {ip: iso(t) for ip, t in world.last_seen.items()},
    }
    labels.update(extra)
    # Compromised accounts: when the Accepted line was written and how many failures the
    # attacker's address had made by then (all of them: nothing follows the success).
    for entry in labels["compromised"]:
        entry["failures_before"] = world.failed.get(entry["ip"], 0)
        accepted = world.accepted.get(entry["ip"])
        entry["accepted_at"] = iso(accepted[0]) if accepted else None
    # Office NAT addresses: total failures, and the most in one epoch-aligned tumbling window
    # of 1 min, 10 min, 1 h and 1 day (what a threshold rule on that window would see).
    for ip, info in labels["office"].items():
        info["failed_attempts"] = world.failed.get(ip, 0)
        info["max_failures_per_window"] = worst_windows(world.benign_failure_times.get(ip, []))
    with open(labels_path, "w", encoding="utf-8") as handle:
        json.dump(labels, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print("gen_authlog: %d lines (%d 'message repeated'), %s .. %s, %d sources %s, %.1f s -> %s"
          % (written, repeated_lines, iso(args.start), iso(last_time), len(world.labels),
             json.dumps(counts, sort_keys=True), time.monotonic() - started, args.out),
          file=sys.stderr)


if __name__ == "__main__":
    main()
