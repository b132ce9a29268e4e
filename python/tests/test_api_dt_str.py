"""The .dt and .str namespaces against Python's own datetime and str on random values.

vigil/expr/datetime_functions.h and string_functions.h: formats use chrono's specifiers,
which agree with Python's for the ones compared here (%f is the exception: chrono prints 9
digits, so the reference prints nanoseconds itself); case mapping is ASCII's, so the strings
of the lower/upper comparison are ASCII, while positions, lengths, counts and replacements
are compared on strings with multi-byte characters too."""

import datetime
import random

import pytest

import vigil as pw

FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%d/%b/%Y:%H:%M:%S", "%F %T",
           "%y%m%d %I:%M:%S %p", "%A %d %B %Y %H:%M", "%Y.%j %H:%M:%S", "%e %b %Y %H:%M:%S"]


def python_strftime(dt: datetime.datetime, fmt: str, nanos: int) -> str:
    fmt = fmt.replace("%F", "%Y-%m-%d").replace("%T", "%H:%M:%S")
    fmt = fmt.replace("%f", f"{nanos:09d}").replace("%e", f"{dt.day:2d}")
    return dt.strftime(fmt)


def random_datetimes(rng, n):
    base = datetime.datetime(1900, 1, 1)
    out = []
    for _ in range(n):
        seconds = rng.randrange(0, 200 * 365 * 86400)
        nanos = rng.choice([0, rng.randrange(10**9)])
        out.append((base + datetime.timedelta(seconds=seconds), nanos))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_strftime_and_strptime_round_trip_as_python(seed):
    rng = random.Random(seed)
    values = random_datetimes(rng, 300)

    class S(pw.Schema):
        i: int
        text: str

    for fmt in FORMATS:
        rows = [(i, python_strftime(dt, fmt, nanos)) for i, (dt, nanos) in enumerate(values)]
        t = pw.debug.table_from_rows(S, rows)
        parsed = t.select(pw.this.i, d=pw.this.text.dt.strptime(fmt))
        back = parsed.select(pw.this.i, text=pw.this.d.dt.strftime(fmt),
                             year=pw.this.d.dt.year(), weekday=pw.this.d.dt.weekday())
        keys, cols = pw.debug.table_to_dicts(back)
        got = {cols["i"][k]: (cols["text"][k], cols["year"][k], cols["weekday"][k]) for k in keys}
        for i, (dt, nanos) in enumerate(values):
            text = rows[i][1]
            # What the text holds of the datetime: Python parses it back the same way.
            reference = python_strftime(dt, fmt, nanos)
            assert got[i][0] == reference, (fmt, text)
            if "%Y" in fmt or "%F" in fmt:
                assert got[i][1] == dt.year, (fmt, text)
            if "%j" not in fmt and "%A" not in fmt and "%y" not in fmt and "%e" not in fmt:
                assert got[i][2] == dt.weekday(), (fmt, text)


@pytest.mark.parametrize("seed", [1, 2])
def test_strptime_with_offsets_gives_utc_as_python(seed):
    rng = random.Random(seed)

    class S(pw.Schema):
        i: int
        text: str

    rows, want = [], []
    for i in range(200):
        offset = datetime.timedelta(minutes=rng.randrange(-14 * 60, 14 * 60 + 1, 15))
        local = datetime.datetime(2000, 1, 1) + datetime.timedelta(
            seconds=rng.randrange(0, 40 * 365 * 86400))
        aware = local.replace(tzinfo=datetime.timezone(offset))
        text = aware.strftime("%Y-%m-%dT%H:%M:%S%z")
        if rng.random() < 0.3:  # +hh:mm and Z forms too
            text = aware.isoformat() if offset else local.isoformat() + "Z"
        rows.append((i, text))
        want.append(aware.astimezone(datetime.timezone.utc))
    t = pw.debug.table_from_rows(S, rows)
    r = t.select(pw.this.i, d=pw.this.text.dt.strptime("%Y-%m-%dT%H:%M:%S%z"),
                 h=pw.this.text.dt.strptime("%Y-%m-%dT%H:%M:%S%z").dt.hour())
    keys, cols = pw.debug.table_to_dicts(r)
    for k in keys:
        i = cols["i"][k]
        assert cols["d"][k] == want[i], rows[i]
        assert cols["h"][k] == want[i].hour


def test_bad_datetimes_are_errors_naming_the_value_and_format():
    t = pw.debug.table_from_markdown("""
        text
        2023-02-29
        2023-13-01
        20230101
        2023-01-01
        """)
    r = t.select(pw.this.text, d=pw.this.text.dt.strptime("%Y-%m-%d"))
    keys, cols = pw.debug.table_to_dicts(r, terminate_on_error=False)
    got = {cols["text"][k]: cols["d"][k] for k in keys}
    assert got["2023-01-01"] == datetime.datetime(2023, 1, 1)
    assert all(got[x] is pw.ERROR or got[x] == pw.ERROR
               for x in ("2023-02-29", "2023-13-01", "20230101"))
    with pytest.raises(pw.EngineError, match=r"dt.strptime: '2023-02-29' does not match format "
                                             r"'%Y-%m-%d': no such date"):
        pw.debug.table_to_dicts(r)
    with pytest.raises(ValueError, match="contains_timezone"):
        pw.this.text.dt.strptime("%Y", contains_timezone=True)
    with pytest.raises(pw.EngineError, match="%Q is not supported"):
        pw.debug.table_to_dicts(t.select(d=pw.this.text.dt.strptime("%Q")))


ALPHABET = ["a", "b", "A", "Z", " ", "\t", "x", "é", "日", "-", "ab", "  "]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_string_methods_as_python(seed):
    rng = random.Random(seed)
    texts = sorted({"".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 12)))
                    for _ in range(300)})

    class S(pw.Schema):
        i: int
        s: str

    t = pw.debug.table_from_rows(S, list(enumerate(texts)))
    this = pw.this.s
    r = t.select(
        pw.this.i, n=this.str.len(), strip=this.str.strip(), strip_chars=this.str.strip("a日"),
        starts=this.str.startswith("a"), ends=this.str.endswith("日"), count=this.str.count("ab"),
        count_empty=this.str.count(""), find=this.str.find("é"),
        replace=this.str.replace("a", "日"),
        replace_once=this.str.replace("b", "", 1), replace_empty=this.str.replace("", "-", 3),
        rfind=this.str.rfind("a"), rev=this.str.reversed(), pre=this.str.removeprefix("a"),
        suf=this.str.removesuffix("日"), sl=this.str.slice(1, -1), sl2=this.str.slice(-3, 99))
    keys, cols = pw.debug.table_to_dicts(r)
    for k in keys:
        s = texts[cols["i"][k]]
        assert cols["n"][k] == len(s)
        assert cols["strip"][k] == s.strip(" \t\n\v\f\r")
        assert cols["strip_chars"][k] == s.strip("a日")
        assert cols["starts"][k] == s.startswith("a")
        assert cols["ends"][k] == s.endswith("日")
        assert cols["count"][k] == s.count("ab")
        assert cols["count_empty"][k] == s.count("")
        assert cols["find"][k] == s.find("é")
        assert cols["replace"][k] == s.replace("a", "日")
        assert cols["replace_once"][k] == s.replace("b", "", 1)
        assert cols["replace_empty"][k] == s.replace("", "-", 3)
        assert cols["rfind"][k] == s.rfind("a")
        assert cols["rev"][k] == s[::-1]
        assert cols["pre"][k] == s.removeprefix("a")
        assert cols["suf"][k] == s.removesuffix("日")
        assert (cols["sl"][k], cols["sl2"][k]) == (s[1:-1], s[-3:99])
    ascii_texts = [s for s in texts if s.isascii()]
    a = pw.debug.table_from_rows(S, list(enumerate(ascii_texts)))
    keys, cols = pw.debug.table_to_dicts(
        a.select(pw.this.i, lo=pw.this.s.str.lower(), up=pw.this.s.str.upper()))
    for k in keys:
        s = ascii_texts[cols["i"][k]]
        assert (cols["lo"][k], cols["up"][k]) == (s.lower(), s.upper())


@pytest.mark.parametrize("seed", [1, 2])
def test_parse_int_and_float_as_python(seed):
    rng = random.Random(seed)
    pieces = ["1", "0", "-", "+", ".", "e", "5", " ", "x", "9", "inf", "nan", "_"]
    texts = sorted({"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 7)))
                    for _ in range(400)})

    def python(parse, s):
        try:
            if parse is int and "_" in s:  # vigil reads no digit separators
                return None
            v = parse(s.strip(" \t\n\v\f\r"))
            if parse is float and "_" in s:
                return None
            return v
        except ValueError:
            return None

    class S(pw.Schema):
        i: int
        s: str

    t = pw.debug.table_from_rows(S, list(enumerate(texts)))
    r = t.select(pw.this.i, n=pw.this.s.str.parse_int(optional=True),
                 f=pw.this.s.str.parse_float(optional=True))
    keys, cols = pw.debug.table_to_dicts(r)
    for k in keys:
        s = texts[cols["i"][k]]
        want_f = python(float, s)
        got_f = cols["f"][k]
        assert cols["n"][k] == python(int, s), s
        if want_f is not None and want_f != want_f:  # nan
            assert got_f != got_f, s
        else:
            assert got_f == want_f, s
    with pytest.raises(pw.EngineError, match="str.parse_int: 'x' is not an int"):
        pw.debug.table_to_dicts(pw.debug.table_from_markdown("s\nx\n").select(
            n=pw.this.s.str.parse_int()))


@pytest.mark.parametrize("seed", [1, 2])
def test_strptime_on_damaged_strings_never_crashes_and_what_parses_round_trips(seed):
    # Valid strings of each format with random damage (characters deleted, doubled or
    # replaced by digits, signs, blanks, names, NUL and multi-byte ones; cut anywhere):
    # every row is an Error or a datetime that prints back to a string the format parses to
    # the same value, and an undamaged string always parses.
    rng = random.Random(seed)
    noise = list("0123456789+-: .TZ%") + ["\x00", "é", "Dec", "PM", "99"]

    class S(pw.Schema):
        i: int
        text: str
        damaged: bool

    for fmt in ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S.%f", "%b %d %Y %I:%M %p", "%s.%f"]:
        rows = []
        for i, (dt, nanos) in enumerate(random_datetimes(rng, 300)):
            text = python_strftime(dt.replace(tzinfo=datetime.timezone.utc)
                                   if "%z" in fmt else dt, fmt.replace("%s", str(int(
                                       dt.replace(tzinfo=datetime.timezone.utc).timestamp()))),
                                   nanos)
            damaged = rng.random() < 0.6
            for _ in range(rng.randrange(1, 3) if damaged else 0):
                at = rng.randrange(len(text) + 1)
                edit = rng.choice(["delete", "double", "replace", "cut"])
                if edit == "delete" and at < len(text):
                    text = text[:at] + text[at + 1:]
                elif edit == "double" and at < len(text):
                    text = text[:at] + text[at] + text[at:]
                elif edit == "replace":
                    text = text[:at] + rng.choice(noise) + text[at + 1:]
                else:
                    text = text[:at]
            rows.append((i, text, damaged))
        t = pw.debug.table_from_rows(S, rows)
        d = pw.this.text.dt.strptime(fmt)
        r = t.select(pw.this.i, pw.this.damaged, d=d, again=d.dt.strftime(fmt).dt.strptime(fmt))
        keys, cols = pw.debug.table_to_dicts(r, terminate_on_error=False)
        assert len(keys) == len(rows)
        parsed_damaged = 0
        for k in keys:
            is_error = cols["d"][k] is pw.ERROR or cols["d"][k] == pw.ERROR
            if not cols["damaged"][k]:
                assert not is_error, (fmt, rows[cols["i"][k]])
            if is_error:
                continue
            parsed_damaged += cols["damaged"][k]
            assert cols["again"][k] == cols["d"][k], (fmt, rows[cols["i"][k]])
        assert parsed_damaged > 0, fmt  # Some damage leaves a valid string: compared too.


@pytest.mark.parametrize("seed", [1, 2])
def test_floor_as_python_keeps_the_datetime_type(seed):
    rng = random.Random(seed)
    values = random_datetimes(rng, 200)
    steps = [datetime.timedelta(minutes=5), datetime.timedelta(hours=1), datetime.timedelta(
        days=1), datetime.timedelta(seconds=7, microseconds=250000)]

    class S(pw.Schema):
        i: int
        t: pw.DateTimeNaive

    t = pw.debug.table_from_rows(S, [(i, dt) for i, (dt, _) in enumerate(values)])
    r = t.select(pw.this.i, **{f"f{j}": pw.this.t.dt.floor(step) for j, step in enumerate(steps)})
    assert all(r.typehints()[f"f{j}"] == pw.DateTimeNaive for j in range(len(steps)))
    utc = t.select(u=pw.this.t.dt.strftime("%Y-%m-%dT%H:%M:%S+0000").dt.strptime(
        "%Y-%m-%dT%H:%M:%S%z").dt.floor(steps[0]))
    assert utc.typehints()["u"] == pw.DateTimeUtc
    keys, cols = pw.debug.table_to_dicts(r)
    epoch = datetime.datetime(1970, 1, 1)
    for k in keys:
        dt = values[cols["i"][k]][0]
        for j, step in enumerate(steps):
            want = epoch + ((dt - epoch) // step) * step
            assert cols[f"f{j}"][k] == want, (dt, step)
