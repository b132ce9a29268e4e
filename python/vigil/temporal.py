"""Windows and behaviors of windowby (Pathway's pw.temporal). Durations are ints, floats,
datetime.timedelta or pandas.Timedelta, matching the time column's type."""

from vigil import _vigil


class Window:
    """A window definition; built by tumbling, sliding, session and intervals_over."""

    def __init__(self, native, description):
        self._native = native
        self._description = description

    def __repr__(self):
        return self._description


def windowby(table, time_expr, *, window, behavior=None, instance=None):
    """Pathway's function form of Table.windowby: `pw.temporal.windowby(t, t.time,
    window=pw.temporal.tumbling(60), instance=t.ip).reduce(...)`."""
    return table.windowby(time_expr, window=window, behavior=behavior, instance=instance)


def _native_window(window) -> _vigil.Window:
    if not isinstance(window, Window):
        raise TypeError(f"window must be a pw.temporal window (tumbling, sliding, session, "
                        f"intervals_over), got {window!r}")
    return window._native


def tumbling(duration, origin=None) -> Window:
    """Windows [origin + k*duration, origin + (k+1)*duration)."""
    return Window(_vigil.tumbling(duration, origin),
                  f"tumbling(duration={duration!r}, origin={origin!r})")


def sliding(hop, duration=None, ratio=None, origin=None) -> Window:
    """Windows of length duration (or ratio * hop) starting every hop."""
    return Window(_vigil.sliding(hop, duration, ratio, origin),
                  f"sliding(hop={hop!r}, duration={duration!r}, ratio={ratio!r}, "
                  f"origin={origin!r})")


def session(*, predicate=None, max_gap=None) -> Window:
    """Sessions: adjacent rows closer than max_gap, or for which predicate(a, b) holds."""
    if (predicate is None) == (max_gap is None):
        raise ValueError("session: give exactly one of predicate and max_gap")
    return Window(_vigil.session(max_gap, predicate),
                  f"session(predicate={predicate!r}, max_gap={max_gap!r})")


def intervals_over(*, at, lower_bound, upper_bound, is_outer: bool = True) -> Window:
    """One window [at + lower_bound, at + upper_bound] per row of at's table."""
    from vigil._table import _table_of

    table = _table_of(at)
    if table is None:
        raise ValueError("intervals_over: at= must be a column of a table (t.column), "
                         f"got {at!r}")
    return Window(_vigil.intervals_over(table._native, at, lower_bound, upper_bound, is_outer),
                  f"intervals_over(at={at!r}, lower_bound={lower_bound!r}, "
                  f"upper_bound={upper_bound!r}, is_outer={is_outer!r})")


class Behavior:
    def __init__(self, native, description):
        self._native = native
        self._description = description

    def __repr__(self):
        return self._description


def common_behavior(delay=None, cutoff=None, keep_results: bool = True) -> Behavior:
    """Delay first results until start + delay; ignore rows and forget windows once
    end + cutoff has passed (keeping their results unless keep_results is False)."""
    return Behavior(_vigil.common_behavior(delay, cutoff, keep_results),
                    f"common_behavior(delay={delay!r}, cutoff={cutoff!r}, "
                    f"keep_results={keep_results!r})")


def exactly_once_behavior(shift=None) -> Behavior:
    """Emit every window once, when end + shift has passed, and never update it."""
    return Behavior(_vigil.exactly_once_behavior(shift), f"exactly_once_behavior(shift={shift!r})")
