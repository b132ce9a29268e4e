#!/usr/bin/python3
"""Differential test: every input mode of `vigil detect` ends with the static answer.

A detector that loses rows misses attacks, and the bugs that lose rows live at boundaries:
live commits (65,536 input rows), reader batches (4,096 rows), tokenizer runs (64 records),
read chunks (1 MiB), lines split across writes, rotation and truncation. So each case makes an
input of hundreds of thousands of rows (several generators), draws window, hop, threshold and
key at random, and runs it through

  static            vigil detect FILE
  replay            vigil detect --replay FILE            (--emit updates and final)
  stdin             vigil detect --follow -               (fed in random chunks with pauses)
  file              vigil detect --follow FILE            (appended in random chunks, with
                                                          rotation and truncation)
  directory         vigil detect --follow DIR             (files created and appended, one
                                                          rotated inside the directory)

With a cutoff longer than any lateness, every live mode's final state (the update stream's
rows with positive multiplicity; --emit final's rows) must equal the static answer exactly.
With a short random cutoff, late rows are dropped by one rule that depends only on the order
of rows (docs/cli.md), so every live mode must still agree with replay.

Usage: live_vs_static.py --vigil PATH [--cases N] [--scale F] [--seed S] [--keep]
Each case prints its seed; `--seed S --cases 1` reruns one.
"""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HEADER = "username,successful,time,ip_address\n"
UNBOUNDED_CUTOFF = 10**15


# ---------------------------------------------------------------------------------------
# Inputs. Each generator returns the CSV body lines (no header), each ending in its newline.

def gen_repeated(rng, rows):
    """One failed login repeated: the file that exposed the 65,536-row loss."""
    return ["u,False,0,1.1.1.1\n"] * rows


def gen_vigil(rng, rows, vigil, workdir):
    """`vigil generate`: realistic traffic with attacks, IPv6, office NATs."""
    path = os.path.join(workdir, "generated.csv")
    span = rng.choice([600, 3600, 86400])
    subprocess.run([vigil, "generate", "--rows", str(rows), "--seed", str(rng.randrange(1 << 30)),
                    "--span", str(span), "-o", path], check=True)
    with open(path, newline="") as f:
        lines = f.readlines()
    os.remove(path)
    return lines[1:]


def gen_random(rng, rows):
    """Random keys and times, rows late by up to `lateness` seconds, quoted fields, CRLF."""
    keys = [f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
            for _ in range(rng.choice([3, 50, 5000]))]
    users = ["root", "admin", "a,b", 'q"uote', "user"]
    lateness = rng.choice([0, 5, 100, 5000])
    newline = rng.choice(["\n", "\n", "\r\n"])
    t = rng.randrange(-10**6, 10**9)
    out = []
    for _ in range(rows):
        t += rng.choice([0, 0, 1, 1, 2, 7])
        late = rng.randrange(lateness + 1) if lateness and rng.random() < 0.2 else 0
        user = rng.choice(users)
        if "," in user or '"' in user:
            user = '"' + user.replace('"', '""') + '"'
        ok = rng.choice(["False", "False", "False", "True", "false"])
        out.append(f"{user},{ok},{t - late},{rng.choice(keys)}{newline}")
    return out


def make_input(rng, args, workdir):
    rows = int(rng.randrange(150_000, 400_000) * args.scale)
    kind = rng.choice(["repeated", "vigil", "vigil", "random", "random"])
    if kind == "repeated":
        return kind, gen_repeated(rng, rows)
    if kind == "vigil":
        return kind, gen_vigil(rng, rows, args.vigil, workdir)
    return kind, gen_random(rng, rows)


def draw_options(rng, unbounded):
    window = rng.choice([1, 10, 60, 60, 600, 3600])
    # At most 3 windows per row: 10 (or more) with thousands of keys makes millions of groups,
    # seconds per run without crossing any boundary the smaller ratios do not.
    hop = rng.choice([None, None, window // 2, window // 3])
    if hop is not None and hop < 1:
        hop = None
    # With lateness dropped, low thresholds flag many windows, so a late row counted or not
    # shows in the result.
    thresholds = [1, 2, 5, 5, 20] if unbounded else [1, 1, 2]
    options = ["--window", str(window), "--threshold", str(rng.choice(thresholds))]
    if hop:
        options += ["--hop", str(hop)]
    options += ["--by", rng.choice(["ip_address", "ip_address", "username"])]
    return options


# ---------------------------------------------------------------------------------------
# Results.

def rows_of_csv(text):
    lines = text.splitlines()
    assert lines, "no header"
    return lines[0], sorted(lines[1:])


def final_of_stream(text):
    """The rows of a live CSV change stream whose insertions outnumber their retractions."""
    header, lines = rows_of_csv(text)
    live = {}
    for line in lines:
        row, _time, diff = line.rsplit(",", 2)
        live[row] = live.get(row, 0) + int(diff)
    bad = [r for r, n in live.items() if n < 0 or n > 1]
    assert not bad, f"rows retracted more than inserted or inserted twice: {bad[:3]}"
    return sorted(r for r, n in live.items() if n == 1)


def run_vigil(args, argv, stdin=None, timeout=600):
    """Runs vigil to its end; returns stdout and stderr."""
    p = subprocess.run([args.vigil] + argv, input=stdin, capture_output=True, timeout=timeout)
    err = p.stderr.decode(errors="replace")
    if p.returncode != 0:
        raise AssertionError(f"vigil {' '.join(argv)} exited {p.returncode}: {err[-2000:]}")
    return p.stdout.decode(), err


LATE = re.compile(r"^windowby: warning: (\d+) \(row, window\) pair\(s\) were not counted: "
                  r"they came after their window had closed", re.M)


def late_pairs(stderr):
    """The late (row, window) pairs a live run reports, and stderr without that line."""
    found = LATE.findall(stderr)
    rest = "\n".join(line for line in stderr.splitlines() if not LATE.match(line))
    return (int(found[0]) if found else 0), rest


def static_answer(args, path, options):
    return rows_of_csv(run_vigil(args, ["detect", "--format", "csv"] + options + [path])[0])[1]


# ---------------------------------------------------------------------------------------
# Writers: the live inputs, written in random chunks (lines split anywhere) with pauses.

def chunks(rng, data, count):
    """Splits `data` at `count - 1` random byte offsets."""
    cuts = sorted(rng.sample(range(1, len(data)), min(count - 1, max(len(data) - 1, 0))))
    last = 0
    for c in cuts + [len(data)]:
        yield data[last:c]
        last = c


def pause(rng):
    r = rng.random()
    if r < 0.6:
        return
    time.sleep(0.0005 if r < 0.9 else 0.005)


def read_offsets(pid):
    """Bytes read so far by process `pid`, per regular file it has open: path -> offset."""
    offsets = {}
    fd_dir = f"/proc/{pid}/fd"
    try:
        for fd in os.listdir(fd_dir):
            try:
                target = os.readlink(os.path.join(fd_dir, fd))
                with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                    pos = int(f.readline().split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if target.startswith("/"):
                offsets[target] = max(pos, offsets.get(target, 0))
    except OSError:
        pass
    return offsets


def wait_caught_up(proc, paths, rotated=(), timeout=120):
    """Waits until `proc` has read every file in `paths` to its current end. A file in
    `rotated` (renamed away) may also have been closed: a follower reads a rotated file to
    its end before it lets it go."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            return
        offsets = read_offsets(proc.pid)
        if (all(offsets.get(os.path.realpath(p), -1) >= os.path.getsize(p) for p in paths) and
                all(offsets.get(os.path.realpath(p), 1 << 62) >= os.path.getsize(p)
                    for p in rotated)):
            return
        time.sleep(0.01)
    raise AssertionError(f"vigil did not read {paths} to their ends within {timeout} s")


def wait_opened(proc, path, timeout=120):
    """Waits until `proc` has `path` open."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None or os.path.realpath(path) in read_offsets(proc.pid):
            return
        time.sleep(0.005)
    raise AssertionError(f"vigil did not open {path} within {timeout} s")


def wait_reread(proc, path, old_size, timeout=120):
    """Waits until `proc` reads `path` from before `old_size` again (it saw a truncation)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            return
        if read_offsets(proc.pid).get(os.path.realpath(path), old_size) < old_size:
            return
        time.sleep(0.005)
    raise AssertionError(f"vigil did not notice the truncation of {path} within {timeout} s")


class LiveRun:
    """`vigil COMMAND --follow PATH ...` in the background, its output collected."""

    def __init__(self, args, follow, options, stdin=None, command="detect"):
        self.proc = subprocess.Popen([args.vigil, command, "--follow", follow] + options,
                                     stdin=stdin, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.out, self.err = [], []
        self.threads = [threading.Thread(target=self._drain, args=(self.proc.stdout, self.out)),
                        threading.Thread(target=self._drain, args=(self.proc.stderr, self.err))]
        for t in self.threads:
            t.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # A failed case must not leave a follower running (it would never end).
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        return False

    @staticmethod
    def _drain(stream, into):
        for block in iter(lambda: stream.read1(1 << 16), b""):
            into.append(block)

    def stop(self, signum=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        return self.finish()

    def finish(self, timeout=600):
        code = self.proc.wait(timeout=timeout)
        for t in self.threads:
            t.join()
        self.stderr = b"".join(self.err).decode(errors="replace")
        if code != 0:
            raise AssertionError(f"live vigil exited {code}: {self.stderr[-2000:]}")
        return b"".join(self.out).decode(), self.stderr


def live_stdin(args, rng, body, options):
    with LiveRun(args, "-", options, stdin=subprocess.PIPE) as run:
        return feed_stdin(run, rng, body)


def feed_stdin(run, rng, body):
    data = (HEADER + "".join(body)).encode()
    for part in chunks(rng, data, rng.randrange(20, 300)):
        run.proc.stdin.write(part)
        run.proc.stdin.flush()
        pause(rng)
    run.proc.stdin.close()
    return run.finish()


def live_file(args, rng, body, options, workdir, static_dir):
    """Follows one file that is appended in chunks, rotated and truncated along the way.

    Returns the live output; `static_dir` receives one file per generation of the followed
    file (what a static run must count: rotated and truncated content stays counted)."""
    path = os.path.join(workdir, "live.csv")
    parts = rng.randrange(1, 4)  # Generations: 1 = plain appends.
    cuts = sorted(rng.sample(range(1, len(body)), parts - 1)) if parts > 1 else []
    pieces = [body[a:b] for a, b in zip([0] + cuts, cuts + [len(body)])]
    with open(path, "w", newline="") as f:
        f.write(HEADER)
    with LiveRun(args, path, options) as run:
        # A rotation before vigil has opened the file would hide the first generation from
        # it (it would start on the new file): wait until it follows the file.
        wait_opened(run.proc, path)
        return write_file_generations(run, rng, pieces, path, static_dir)


def write_file_generations(run, rng, pieces, path, static_dir):
    rotated = 0
    for g, piece in enumerate(pieces):
        with open(os.path.join(static_dir, f"gen{g}.csv"), "w", newline="") as f:
            f.write(HEADER + "".join(piece))
        if g > 0:
            if rng.random() < 0.5:
                # logrotate's rename-and-recreate: the old file keeps being read to its end.
                # A follower that has not opened this generation yet when it is renamed away
                # never sees it (it opens the newest file under the name, as tail -F does):
                # on a loaded machine the writer outran it and a generation went missing.
                # So the writer waits until vigil has this generation open.
                wait_opened(run.proc, path)
                rotated += 1
                os.rename(path, f"{path}.{rotated}")
                with open(path, "w", newline="") as f:
                    f.write(HEADER)
            else:
                # Truncation: rows not read before it are gone for any follower (tail -F),
                # so the writer waits until vigil has read the file to its end first.
                wait_caught_up(run.proc, [path])
                old_size = os.path.getsize(path)
                with open(path, "w", newline="") as f:
                    f.write(HEADER)
                # Refilled past its old size before the follower looked, a truncated file
                # cannot be told from an appended one (tail -F's limit, docs/cli.md): the
                # writer waits until vigil has seen the truncation.
                wait_reread(run.proc, path, old_size)
        with open(path, "ab") as f:
            for part in chunks(rng, "".join(piece).encode(), rng.randrange(10, 150)):
                f.write(part)
                f.flush()
                pause(rng)
    wait_caught_up(run.proc, [path], [f"{path}.{i}" for i in range(1, rotated + 1)])
    return run.stop()


def live_directory(args, rng, body, options, workdir):
    """Follows a directory where files appear and grow, one rotated inside it."""
    d = os.path.join(workdir, "dir")
    os.mkdir(d)
    with LiveRun(args, d, options) as run:
        return write_directory(run, rng, body, d)


def write_directory(run, rng, body, d):
    n_files = rng.randrange(2, 6)
    cuts = sorted(rng.sample(range(1, len(body)), n_files - 1))
    pieces = [body[a:b] for a, b in zip([0] + cuts, cuts + [len(body)])]
    names = [os.path.join(d, f"f{i}.csv") for i in range(n_files)]
    streams = [[] for _ in names]
    for i, piece in enumerate(pieces):
        streams[i] = list(chunks(rng, (HEADER + "".join(piece)).encode(), rng.randrange(5, 60)))
    rotate_at = rng.randrange(1, 10)
    writes = 0
    rotated = False
    all_paths = list(names)
    while any(streams):
        i = rng.choice([k for k, s in enumerate(streams) if s])
        with open(names[i], "ab") as f:
            f.write(streams[i].pop(0))
        writes += 1
        if not rotated and writes >= rotate_at and not streams[0] and os.path.exists(names[0]):
            # f0.csv is complete: rotate it inside the directory (f0.csv -> f0.csv.1) and
            # start a new, empty-bodied f0.csv; the renamed file must not be counted twice.
            os.rename(names[0], names[0] + ".1")
            with open(names[0], "w", newline="") as f:
                f.write(HEADER)
            all_paths.append(names[0] + ".1")
            rotated = True
        pause(rng)
    wait_caught_up(run.proc, names, [p for p in all_paths if p not in names])
    return run.stop()


# ---------------------------------------------------------------------------------------

def run_case(args, seed, workdir):
    rng = random.Random(seed)
    kind, body = make_input(rng, args, workdir)
    unbounded = rng.random() < 0.7
    options = draw_options(rng, unbounded)
    cutoff = UNBOUNDED_CUTOFF if unbounded else rng.choice([0, 1, 30, 600])
    emit = rng.choice(["updates", "final"])
    live_options = options + ["--format", "csv", "--emit", emit, "--cutoff", str(cutoff)]
    path = os.path.join(workdir, "input.csv")
    with open(path, "w", newline="") as f:
        f.write(HEADER + "".join(body))
    label = (f"seed={seed} input={kind} rows={len(body)} {' '.join(options)} "
             f"--emit {emit} --cutoff {cutoff}")
    started = time.time()

    replay_out, replay_err = run_vigil(args, ["detect", "--replay", path] + live_options)
    replay = final_of_stream(replay_out)
    replay_late, replay_rest = late_pairs(replay_err)
    if replay_rest.strip() or (unbounded and replay_late):
        raise AssertionError(f"{label}: replay reported on stderr: {replay_err[-1500:]}")
    if unbounded:
        expected = static_answer(args, path, options)
        check(label, "replay", expected, replay, "")
    else:
        expected = replay  # Lateness dropped: every mode must agree with replay.
    modes = []
    for mode in ["stdin", "file", "directory"]:
        mode_started = time.time()
        want = expected
        if mode == "stdin":
            out, err = live_stdin(args, rng, body, live_options)
        elif mode == "file":
            static_dir = os.path.join(workdir, "generations")
            os.mkdir(static_dir)
            out, err = live_file(args, rng, body, live_options, workdir, static_dir)
            if unbounded:  # Every generation's rows, all counted.
                want = static_answer(args, static_dir, options)
        else:
            out, err = live_directory(args, rng, body, live_options, workdir)
        got = final_of_stream(out)
        late, rest = late_pairs(err)
        if rest.strip():
            # The inputs hold no bad row and no unfinished line: nothing else to report.
            raise AssertionError(f"{label}: {mode} reported on stderr: {err[-1500:]}")
        if mode != "directory" and late != replay_late:
            # The same rows in the same order: the same late pairs, however committed.
            raise AssertionError(f"{label}: {mode} reported {late} late pairs, replay "
                                 f"{replay_late}")
        if mode == "directory" and not unbounded:
            # The files of a directory are separate streams, read interleaved as they grow:
            # with lateness dropped there is no one reading order to compare with, so this
            # run is checked for its exit status and a consistent change stream only.
            mode += " (order-dependent: stream checked)"
        else:
            check(label, mode, want, got, err)
        modes.append(f"{mode} {time.time() - mode_started:.1f} s")
    print(f"ok  {label}: replay, {', '.join(modes)}: {len(expected)} flagged windows, "
          f"{time.time() - started:.1f} s", flush=True)


def check(label, mode, expected, got, stderr):
    if expected == got:
        return
    missing = sorted(set(expected) - set(got))
    extra = sorted(set(got) - set(expected))
    raise AssertionError(f"{label}: {mode} differs from the expected answer: "
                         f"{len(expected)} expected rows, {len(got)} got; "
                         f"missing {missing[:5]}, extra {extra[:5]}; stderr: {stderr[-1500:]}")


def run_cases(run_one, default_cases, prefix):
    """Parses the common options and runs `run_one(args, seed, workdir)` for each case seed;
    exits 1 if any case failed. Shared by the differential tests of this folder."""
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__.splitlines()[0])
    parser.add_argument("--vigil", required=True)
    parser.add_argument("--cases", type=int, default=default_cases)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiplies the input sizes (smaller under sanitizers)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--first-case", type=int, default=0,
                        help="skip this many cases: ctest runs the cases in parallel parts")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    # Fixed by default so CI is reproducible; VIGIL_DIFF_SEED explores other inputs.
    base = args.seed if args.seed is not None else int(os.environ.get("VIGIL_DIFF_SEED", 1))
    base += args.first_case
    print(f"seeds {base}..{base + args.cases - 1} (rerun one: --seed S --cases 1)", flush=True)
    failures = 0
    for i in range(args.cases):
        workdir = tempfile.mkdtemp(prefix=prefix)
        try:
            run_one(args, base + i, workdir)
        except AssertionError as e:
            failures += 1
            print(f"FAIL {e}", flush=True)
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    print(f"{args.cases - failures}/{args.cases} cases passed")
    sys.exit(1 if failures else 0)


def main():
    run_cases(run_case, 12, "vigil_diff_")


if __name__ == "__main__":
    main()
