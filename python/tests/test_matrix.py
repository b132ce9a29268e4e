"""The golden test matrix from Python: pipelines written with Pathway's API over random
inputs (fixed seeds, a few hundred rows, several commits with retractions) must give the
same consolidated update stream whatever the batch size and the order of rows within a
commit, and the same final state however commits are split
(vigil.tests.utils.assert_matrix_stable); each final state is also checked against a plain
Python computation of what the pipeline means.
"""

import itertools
import math
import random
from collections import Counter, defaultdict

import pytest

import vigil as pw
from vigil.tests.utils import assert_matrix_stable

COMMITS = 10  # commits at times 2, 4, ..., 2 * COMMITS


# -- inputs ------------------------------------------------------------------------------


def random_stream(seed, n, make_values, *, retract=0.15, update=0.1, commits=COMMITS):
    """Events (values, time, diff) of n keyed rows (values[0] is the key k): every row is
    inserted at a random commit; some are later retracted, some later replaced by new values
    (a retraction and an insertion of the same key in one commit). Sorted by time."""
    rng = random.Random(seed)
    events = []
    for k in range(n):
        values = (k, *make_values(rng))
        time = 2 * rng.randint(1, commits)
        events.append((values, time, 1))
        if time < 2 * commits:
            later = 2 * rng.randint(time // 2 + 1, commits)
            draw = rng.random()
            if draw < retract:
                events.append((values, later, -1))
            elif draw < retract + update:
                events.append((values, later, -1))
                events.append(((k, *make_values(rng)), later, 1))
    events.sort(key=lambda e: e[1])
    return events


def live_rows(events):
    """The rows present after all events (each key at most once)."""
    counts = Counter()
    for values, _time, diff in events:
        counts[values] += diff
    assert all(c in (0, 1) for c in counts.values())
    return [values for values, c in counts.items() if c == 1]


def table_from_events(schema, events):
    return pw.debug.table_from_rows(
        schema, [(*values, time, diff) for values, time, diff in events], is_stream=True
    )


def final_rows(captured, index=0):
    """The final state of a captured table as a Counter of rows (ids left out)."""
    _columns, updates = captured[index]
    counts = Counter()
    for _key, row, _time, diff in updates:
        counts[row] += diff
    assert all(c >= 0 for c in counts.values()), "negative multiplicity in the final state"
    return +counts


def final_by_id(captured, index=0):
    _columns, updates = captured[index]
    counts = Counter()
    for key, row, _time, diff in updates:
        counts[(key, row)] += diff
    state = +counts
    assert all(c == 1 for c in state.values()), "an id with several rows"
    return {key: row for key, row in state}


class Values(pw.Schema):
    k: int = pw.column_definition(primary_key=True)
    g: int
    v: int
    f: float
    s: str
    t: int


def make_values(rng):
    return (
        rng.randint(0, 6),  # g
        rng.randint(-30, 30),  # v
        rng.randint(-40, 40) / 4,  # f: quarters, so that sums are exact in any order
        rng.choice("abcdef"),  # s
        rng.randint(0, 400),  # t
    )


def values_stream(seed, n=300):
    return random_stream(seed, n, make_values)


# -- the seed tutorial: filter + windowby tumbling + count -------------------------------


def logins_markdown(seed, n=400):
    """Pathway's tutorial input as a markdown stream: ids in the first column, a
    retraction repeating its row's id and values."""
    rng = random.Random(seed)
    ips = [f"10.0.0.{i}" for i in range(6)]
    events = []
    for k in range(n):
        row = (
            rng.choice(["alice", "bob", "carol", "dave", "eve"]),
            rng.choice(["True", "False", "False", "False"]),
            rng.randint(0, 599),
            rng.choice(ips),
        )
        time = 2 * rng.randint(1, COMMITS)
        events.append((k + 1, row, time, 1))
        if time < 2 * COMMITS and rng.random() < 0.15:
            events.append((k + 1, row, 2 * rng.randint(time // 2 + 1, COMMITS), -1))
    events.sort(key=lambda e: e[2])
    lines = ["    | username | successful | time | ip_address | __time__ | __diff__"]
    for k, (user, ok, t, ip), time, diff in events:
        lines.append(f"{k} | {user} | {ok} | {t} | {ip} | {time} | {diff}")
    live = Counter()
    for k, row, _time, diff in events:
        live[(k, row)] += diff
    return "\n".join(lines), [row for (_k, row), c in live.items() if c == 1]


class InputSchema(pw.Schema):
    username: str
    successful: str
    time: int
    ip_address: str


@pytest.mark.parametrize("seed", [1, 2])
def test_seed_tutorial_pipeline(seed):
    text, rows = logins_markdown(seed)
    logins = pw.debug.table_from_markdown(text, schema=InputSchema)
    logins = logins.with_columns(successful=(pw.this.successful == "True"))
    failed = logins.filter(~pw.this.successful)
    result = failed.windowby(
        failed.time, window=pw.temporal.tumbling(duration=60), instance=pw.this.ip_address
    ).reduce(
        ip_address=pw.this._pw_instance,
        count=pw.reducers.count(),
    )
    suspicious_logins = result.filter(pw.this.count >= 5)

    captured = assert_matrix_stable(suspicious_logins, result)

    per_window = Counter((ip, t // 60) for _user, ok, t, ip in rows if ok == "False")
    assert final_rows(captured, 1) == Counter((ip, n) for (ip, _w), n in per_window.items())
    assert final_rows(captured, 0) == Counter(
        (ip, n) for (ip, _w), n in per_window.items() if n >= 5
    )


# -- groupby with every reducer but earliest/latest ----------------------------------------


@pytest.mark.parametrize("seed", [3, 4])
def test_groupby_with_every_reducer(seed):
    events = values_stream(seed)
    # w: floats whose sums could round differently in another order (the matrix checks
    # that the engine's do not)
    t = table_from_events(Values, events).with_columns(g10=pw.this.g * 10,
                                                       w=pw.this.f * 1.1 + 0.01)
    r = pw.reducers
    result = t.groupby(pw.this.g).reduce(
        pw.this.g,
        count=r.count(),
        sum_v=r.sum(pw.this.v),
        sum_f=r.sum(pw.this.f),
        sum_w=r.sum(pw.this.w),
        avg_v=r.avg(pw.this.v),
        avg_f=r.avg(pw.this.f),
        min_v=r.min(pw.this.v),
        max_v=r.max(pw.this.v),
        min_s=r.min(pw.this.s),
        max_s=r.max(pw.this.s),
        argmin_v=r.argmin(pw.this.v),
        argmax_v=r.argmax(pw.this.v),
        distinct_s=r.count_distinct(pw.this.s),
        distinct_vs=r.count_distinct(pw.this.v, pw.this.s),
        any_s=r.any(pw.this.s),
        unique_g10=r.unique(pw.this.g10),
        tuple_v=r.tuple(pw.this.v),
        sorted_s=r.sorted_tuple(pw.this.s),
    )
    whole = t.reduce(count=r.count(), sum_v=r.sum(pw.this.v), max_t=r.max(pw.this.t))

    captured = assert_matrix_stable(result, whole)

    groups = defaultdict(list)
    for row in live_rows(events):
        groups[row[1]].append(row)
    columns = list(captured[0][0])
    got = {row[0]: dict(zip(columns, row)) for row in final_rows(captured)}
    assert set(got) == set(groups)
    for g, rows in groups.items():
        out = got[g]
        vs = [row[2] for row in rows]
        fs = [row[3] for row in rows]
        ss = [row[4] for row in rows]
        assert out["count"] == len(rows)
        assert out["sum_v"] == sum(vs) and out["sum_f"] == sum(fs)
        assert math.isclose(out["sum_w"], sum(f * 1.1 + 0.01 for f in fs), abs_tol=1e-9)
        assert math.isclose(out["avg_v"], sum(vs) / len(vs))
        assert math.isclose(out["avg_f"], sum(fs) / len(fs), abs_tol=1e-12)
        assert (out["min_v"], out["max_v"]) == (min(vs), max(vs))
        assert (out["min_s"], out["max_s"]) == (min(ss), max(ss))
        # argmin/argmax: the id of a row with the extreme value, the smallest such id
        ids = {pw.pointer_from(row[0]): row[2] for row in rows}
        assert out["argmin_v"] == min(ids, key=lambda i: (ids[i], i))
        assert out["argmax_v"] == min(ids, key=lambda i: (-ids[i], i))
        assert out["distinct_s"] == len(set(ss))
        assert out["distinct_vs"] == len({(row[2], row[4]) for row in rows})
        assert out["any_s"] in ss
        assert out["unique_g10"] == g * 10
        assert sorted(out["tuple_v"]) == sorted(vs)
        assert out["sorted_s"] == tuple(sorted(ss))

    everything = live_rows(events)
    assert final_rows(captured, 1) == Counter(
        [(len(everything), sum(row[2] for row in everything), max(row[5] for row in everything))]
    )


# -- sliding windows and sessions ------------------------------------------------------------


@pytest.mark.parametrize("seed", [5, 6])
def test_sliding_windows(seed):
    events = values_stream(seed)
    t = table_from_events(Values, events)
    result = t.windowby(
        pw.this.t, window=pw.temporal.sliding(hop=15, duration=40), instance=pw.this.g
    ).reduce(
        g=pw.this._pw_instance,
        start=pw.this._pw_window_start,
        end=pw.this._pw_window_end,
        n=pw.reducers.count(),
        total=pw.reducers.sum(pw.this.v),
        top=pw.reducers.max(pw.this.v),
    )

    captured = assert_matrix_stable(result)

    windows = defaultdict(list)
    for _k, g, v, _f, _s, time in live_rows(events):
        for start in range(15 * ((time - 40) // 15), time + 1, 15):
            if start <= time < start + 40:
                windows[(g, start)].append(v)
    expected = Counter(
        (g, start, start + 40, len(vs), sum(vs), max(vs)) for (g, start), vs in windows.items()
    )
    assert final_rows(captured) == expected


def sessions(times, max_gap):
    """Runs of sorted times whose neighbours are closer than max_gap."""
    runs = []
    for time in sorted(times):
        if runs and time - runs[-1][-1] < max_gap:
            runs[-1].append(time)
        else:
            runs.append([time])
    return runs


@pytest.mark.parametrize("seed", [7, 8])
def test_session_windows(seed):
    events = values_stream(seed)
    t = table_from_events(Values, events)
    result = t.windowby(
        pw.this.t, window=pw.temporal.session(max_gap=7), instance=pw.this.g
    ).reduce(
        g=pw.this._pw_instance,
        start=pw.this._pw_window_start,
        end=pw.this._pw_window_end,
        n=pw.reducers.count(),
        total=pw.reducers.sum(pw.this.v),
    )

    captured = assert_matrix_stable(result)

    by_group = defaultdict(list)
    for _k, g, v, _f, _s, time in live_rows(events):
        by_group[g].append((time, v))
    expected = Counter()
    for g, rows in by_group.items():
        for run in sessions({time for time, _v in rows}, 7):
            inside = [v for time, v in rows if run[0] <= time <= run[-1]]
            expected[(g, run[0], run[-1], len(inside), sum(inside))] += 1
    assert final_rows(captured) == expected


# -- joins and concat -------------------------------------------------------------------------


class Left(pw.Schema):
    k: int = pw.column_definition(primary_key=True)
    key: int
    a: int


class Right(pw.Schema):
    k: int = pw.column_definition(primary_key=True)
    key: int
    b: str


@pytest.mark.parametrize("seed", [9, 10])
def test_joins(seed):
    left_events = random_stream(seed, 250, lambda rng: (rng.randint(0, 60), rng.randint(0, 99)))
    right_events = random_stream(
        seed + 100, 200, lambda rng: (rng.randint(0, 60), rng.choice(["x", "y", "z"]))
    )
    left = table_from_events(Left, left_events)
    right = table_from_events(Right, right_events)
    inner = left.join(right, left.key == right.key).select(
        key=pw.left.key, a=pw.left.a, b=pw.right.b
    )
    outer_left = left.join_left(right, pw.left.key == pw.right.key).select(
        pw.left.key, pw.left.a, b=pw.right.b
    )
    counted = inner.groupby(pw.this.b).reduce(pw.this.b, n=pw.reducers.count())

    captured = assert_matrix_stable(inner, outer_left, counted)

    lrows, rrows = live_rows(left_events), live_rows(right_events)
    pairs = Counter((lk, a, b) for _i, lk, a in lrows for _j, rk, b in rrows if lk == rk)
    assert final_rows(captured, 0) == pairs
    unmatched = Counter(
        (lk, a, None) for _i, lk, a in lrows if not any(rk == lk for _j, rk, _b in rrows)
    )
    assert final_rows(captured, 1) == pairs + unmatched
    assert final_rows(captured, 2) == Counter(
        (b, n) for b, n in Counter(b for _k, _a, b in pairs.elements()).items()
    )


@pytest.mark.parametrize("seed", [11])
def test_concat(seed):
    first = values_stream(seed, 200)
    # keys (and so ids) of the second table do not meet the first's
    second = [((k + 1000, *rest), time, diff) for (k, *rest), time, diff in values_stream(
        seed + 1, 200)]
    both = table_from_events(Values, first).concat(table_from_events(Values, second))
    summary = both.groupby(pw.this.s).reduce(
        pw.this.s, n=pw.reducers.count(), total=pw.reducers.sum(pw.this.v)
    )

    captured = assert_matrix_stable(both, summary)

    rows = live_rows(first) + live_rows(second)
    assert final_by_id(captured, 0) == {pw.pointer_from(row[0]): row for row in rows}
    per_s = defaultdict(list)
    for row in rows:
        per_s[row[4]].append(row[2])
    assert final_rows(captured, 1) == Counter((s, len(vs), sum(vs)) for s, vs in per_s.items())


# -- with_columns / filter chains ----------------------------------------------------------------


@pytest.mark.parametrize("seed", [12, 13])
def test_with_columns_and_filter_chain(seed):
    events = values_stream(seed)
    t = table_from_events(Values, events)
    result = (
        t.with_columns(a=pw.this.v * 3 + 1, neg=pw.this.v < 0)
        .filter(pw.this.a % 4 != 0)
        .with_columns(label=pw.if_else(pw.this.neg, "n", pw.this.s), half=pw.this.f / 2)
        .filter((pw.this.half > -5) & (pw.this.label != "c"))
        .select(pw.this.k, pw.this.a, pw.this.label, total=pw.this.a + pw.this.half)
        .with_columns(big=pw.this.total >= 20)
    )

    captured = assert_matrix_stable(result)

    expected = {}
    for k, _g, v, f, s, _t in live_rows(events):
        a = v * 3 + 1
        if a % 4 == 0:
            continue
        label = "n" if v < 0 else s
        half = f / 2
        if not (half > -5 and label != "c"):
            continue
        expected[pw.pointer_from(k)] = (k, a, label, a + half, a + half >= 20)
    assert final_by_id(captured) == expected


# -- behaviors ---------------------------------------------------------------------------------


class Timed(pw.Schema):
    k: int = pw.column_definition(primary_key=True)
    t: int
    v: int


def ordered_stream(seed, per_commit=30, commits=12):
    """Commit i (time 2i + 2) brings rows of event times in [10i, 10i + 10) and, from the
    fourth commit on, late rows of three windows back: under any splitting of commits, a
    window's rows all arrive before it closes, and the late rows after."""
    rng = random.Random(seed)
    events, on_time, k = [], [], 0
    for i in range(commits):
        for _ in range(per_commit):
            row = (k, rng.randint(10 * i, 10 * i + 9), rng.randint(1, 9))
            events.append((row, 2 * i + 2, 1))
            on_time.append(row)
            k += 1
        if i >= 3:
            for _ in range(rng.randint(1, 5)):
                events.append(((k, rng.randint(10 * (i - 3), 10 * (i - 3) + 9), 100),
                               2 * i + 2, 1))
                k += 1
    return events, on_time


@pytest.mark.parametrize(
    "behavior",
    [
        pw.temporal.exactly_once_behavior(),
        pw.temporal.exactly_once_behavior(shift=5),
        pw.temporal.common_behavior(delay=5, cutoff=10),
        pw.temporal.common_behavior(cutoff=0),
    ],
    ids=repr,
)
def test_behaviors_on_ordered_input(behavior):
    events, on_time = ordered_stream(14)
    t = table_from_events(Timed, events)
    result = t.windowby(
        pw.this.t, window=pw.temporal.tumbling(duration=10), behavior=behavior
    ).reduce(start=pw.this._pw_window_start, n=pw.reducers.count(), total=pw.reducers.sum(
        pw.this.v))

    # the input makes the final state independent of commit boundaries (see ordered_stream)
    captured = assert_matrix_stable(result)

    windows = defaultdict(list)
    for _k, time, v in on_time:
        windows[10 * (time // 10)].append(v)
    assert final_rows(captured) == Counter(
        (start, len(vs), sum(vs)) for start, vs in windows.items()
    )


def late_stream(seed, commits=10, per_commit=25):
    """Insert-only rows whose event times run ahead with the commits but often come late;
    event times are odd and window ends even, so that no row sits on a threshold."""
    rng = random.Random(seed)
    events, k = [], 0
    for i in range(commits):
        for _ in range(per_commit):
            time = max(1, 20 * i + rng.randint(-45, 20)) | 1
            events.append(((k, time, rng.randint(1, 9)), 2 * i + 2, 1))
            k += 1
    return events


def simulate_windows(events, duration, lateness):
    """The final state of a tumbling windowby whose rows are ignored once the event time
    watermark (the largest event time of earlier commits) has reached end + lateness:
    exactly_once_behavior(shift=lateness) or common_behavior(cutoff=lateness)."""
    windows = defaultdict(list)
    watermark = None
    for _time, commit in itertools.groupby(events, key=lambda e: e[1]):
        commit = list(commit)
        for (_k, time, v), _t, _diff in commit:
            start = duration * (time // duration)
            if watermark is None or watermark < start + duration + lateness:
                windows[start].append(v)
        latest = max(time for (_k, time, _v), _t, _d in commit)
        watermark = latest if watermark is None else max(watermark, latest)
    return Counter((start, len(vs), sum(vs)) for start, vs in windows.items())


def late_pipeline(behavior, seed=15):
    events = late_stream(seed)
    t = table_from_events(Timed, events)
    result = t.windowby(
        pw.this.t, window=pw.temporal.tumbling(duration=10), behavior=behavior
    ).reduce(start=pw.this._pw_window_start, n=pw.reducers.count(), total=pw.reducers.sum(
        pw.this.v))
    return events, result


@pytest.mark.parametrize(
    "behavior, lateness",
    [
        (pw.temporal.exactly_once_behavior(shift=6), 6),
        (pw.temporal.common_behavior(cutoff=4), 4),
        (pw.temporal.common_behavior(delay=8, cutoff=12), 12),
    ],
    ids=lambda x: repr(x) if not isinstance(x, int) else str(x),
)
def test_behaviors_with_late_rows(behavior, lateness):
    events, result = late_pipeline(behavior)

    # which late rows are kept depends on commit boundaries: the stream is checked under
    # batch sizes and row shuffles only
    captured = assert_matrix_stable(result, time_dependent=True)

    assert final_rows(captured) == simulate_windows(events, 10, lateness)


# -- the checker itself ------------------------------------------------------------------------


def test_matrix_checker_reports_a_time_dependent_pipeline():
    # the same pipeline without time_dependent=True: the fixed seeds cut commits so that
    # some late rows change sides
    _events, result = late_pipeline(pw.temporal.common_behavior(cutoff=4))
    with pytest.raises(AssertionError, match="commits split at random, seed .* final state"):
        assert_matrix_stable(result)


def test_matrix_checker_reports_a_changing_stream():
    # a UDF that numbers the rows it sees gives other values in every run
    counter = itertools.count()
    t = table_from_events(Values, values_stream(16, 50))
    numbered = t.select(n=pw.apply_with_type(lambda _v: next(counter), int, pw.this.v))
    with pytest.raises(AssertionError, match="batch size 1.*consolidated update stream"):
        assert_matrix_stable(numbered)
