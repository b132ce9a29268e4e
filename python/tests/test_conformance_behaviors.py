"""Conformance cases of CASES.md with temporal behaviors: W-06, W-07 (§6.1), B-01, B-02, B-05
and P-01 (§6.2, the windows_temporal_behavior notebook), S-01..S-11 (§6.3,
test_windows_stream.py) and O-01..O-03 (§6.6, Table.ignore_late / buffer / forget), written
as Pathway's tests are. Expected streams and final states are copied from CASES.md unedited.
"""

from __future__ import annotations

import vigil as pw
from vigil.tests.utils import (
    T,
    assert_stream_equality_wo_index,
    assert_table_equality_wo_index,
)

# The processing time of the end-of-input flush (u64::MAX - 1). table_from_markdown only
# takes __time__ values that fit an i64, so the streams holding it are built with
# table_from_rows(..., is_stream=True).
END = 18446744073709551614


def expected_stream(schema, rows):
    """An expected update stream: each row is (values..., __time__, __diff__)."""
    return pw.debug.table_from_rows(schema, rows, is_stream=True)


# -- §6.1: windows with behaviors over one batch -------------------------------------------


def test_W06_sliding_compacting():
    t = T(
        """
            | instance | t
        1   | 0        | 12
        2   | 0        | 13
        3   | 0        | 14
        4   | 0        | 15
        5   | 0        | 16
        6   | 0        | 17
        7   | 1        | 10
        8   | 1        | 11
        """
    )
    result = t.windowby(
        t.t,
        window=pw.temporal.sliding(hop=3, duration=10),
        behavior=pw.temporal.common_behavior(delay=0, cutoff=1, keep_results=False),
        instance=t.instance,
    ).reduce(
        pw.this._pw_instance,
        pw.this._pw_window_start,
        pw.this._pw_window_end,
        min_t=pw.reducers.min(pw.this.t),
        max_t=pw.reducers.max(pw.this.t),
        count=pw.reducers.count(),
    )
    expected = T(
        """
        _pw_instance | _pw_window_start | _pw_window_end | min_t | max_t | count
        0            | 3                | 13             | 12    | 12    | 1
        0            | 6                | 16             | 12    | 15    | 4
        0            | 9                | 19             | 12    | 17    | 6
        0            | 12               | 22             | 12    | 17    | 6
        0            | 15               | 25             | 15    | 17    | 3
        1            | 3                | 13             | 10    | 11    | 2
        1            | 6                | 16             | 10    | 11    | 2
        1            | 9                | 19             | 10    | 11    | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_W07_flush_buffer_long_chain_of_operators():
    t = T(
        """
        t
        12
        14
        16
        18
        20
        22
        24
        26
        """
    )
    for _ in range(5):
        t = t.windowby(
            t.t,
            window=pw.temporal.sliding(hop=2, duration=2, origin=1),
            behavior=pw.temporal.common_behavior(delay=8, cutoff=100, keep_results=False),
        ).reduce(t=pw.reducers.any(pw.this.t))
    expected = T(
        """
        t
        12
        14
        16
        18
        20
        22
        24
        26
        """
    )
    assert_table_equality_wo_index(t, expected)


# -- §6.2: the windows_temporal_behavior notebook ------------------------------------------


def notebook_logs():
    return T(
        """
        event_time | message                          | __time__
        360        | Processing_started               | 362
        362        | Task_completed_successfully      | 362
        366        | Error_occurred_during_processing | 368
        370        | Data_received_from_sensor        | 410
        370        | Database_connection_established  | 370
        370        | File_saved_successfully          | 372
        372        | Processing_completed             | 374
        376        | Request_received_from_user       | 396
        382        | Task_in_progress                 | 382
        382        | Warning_Low_memory               | 392
        """
    )


def notebook_counts(window, behavior=None):
    t = notebook_logs()
    return t.windowby(t.event_time, window=window, behavior=behavior).reduce(
        window_start=pw.this._pw_window_start,
        window_end=pw.this._pw_window_end,
        n_logs=pw.reducers.count(),
    )


COUNTS_SCHEMA = pw.schema_from_types(window_start=int, window_end=int, n_logs=int)


def test_B01_no_behavior():
    result = notebook_counts(pw.temporal.sliding(duration=10, hop=4))
    expected = T(
        """
        window_start | window_end | n_logs | __time__ | __diff__
        352          | 362        | 1      | 362      | 1
        356          | 366        | 2      | 362      | 1
        360          | 370        | 2      | 362      | 1
        360          | 370        | 2      | 368      | -1
        360          | 370        | 3      | 368      | 1
        364          | 374        | 1      | 368      | 1
        364          | 374        | 1      | 370      | -1
        364          | 374        | 2      | 370      | 1
        368          | 378        | 1      | 370      | 1
        364          | 374        | 2      | 372      | -1
        368          | 378        | 1      | 372      | -1
        364          | 374        | 3      | 372      | 1
        368          | 378        | 2      | 372      | 1
        364          | 374        | 3      | 374      | -1
        368          | 378        | 2      | 374      | -1
        364          | 374        | 4      | 374      | 1
        368          | 378        | 3      | 374      | 1
        372          | 382        | 1      | 374      | 1
        376          | 386        | 1      | 382      | 1
        380          | 390        | 1      | 382      | 1
        376          | 386        | 1      | 392      | -1
        380          | 390        | 1      | 392      | -1
        376          | 386        | 2      | 392      | 1
        380          | 390        | 2      | 392      | 1
        368          | 378        | 3      | 396      | -1
        372          | 382        | 1      | 396      | -1
        376          | 386        | 2      | 396      | -1
        368          | 378        | 4      | 396      | 1
        372          | 382        | 2      | 396      | 1
        376          | 386        | 3      | 396      | 1
        364          | 374        | 4      | 410      | -1
        368          | 378        | 4      | 410      | -1
        364          | 374        | 5      | 410      | 1
        368          | 378        | 5      | 410      | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_B01_no_behavior_final_state():
    result = notebook_counts(pw.temporal.sliding(duration=10, hop=4))
    expected = T(
        """
        window_start | window_end | n_logs
        352          | 362        | 1
        356          | 366        | 2
        360          | 370        | 3
        364          | 374        | 5
        368          | 378        | 5
        372          | 382        | 2
        376          | 386        | 3
        380          | 390        | 2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_B02_delay():
    result = notebook_counts(
        pw.temporal.sliding(duration=10, hop=4), pw.temporal.common_behavior(delay=4)
    )
    expected = expected_stream(
        COUNTS_SCHEMA,
        [
            (352, 362, 1, 362, 1),
            (356, 366, 2, 362, 1),
            (360, 370, 3, 368, 1),
            (364, 374, 2, 370, 1),
            (364, 374, 2, 372, -1),
            (364, 374, 3, 372, 1),
            (364, 374, 3, 374, -1),
            (364, 374, 4, 374, 1),
            (368, 378, 3, 374, 1),
            (372, 382, 1, 382, 1),
            (376, 386, 1, 382, 1),
            (376, 386, 1, 392, -1),
            (376, 386, 2, 392, 1),
            (368, 378, 3, 396, -1),
            (372, 382, 1, 396, -1),
            (376, 386, 2, 396, -1),
            (368, 378, 4, 396, 1),
            (372, 382, 2, 396, 1),
            (376, 386, 3, 396, 1),
            (364, 374, 4, 410, -1),
            (368, 378, 4, 410, -1),
            (364, 374, 5, 410, 1),
            (368, 378, 5, 410, 1),
            (380, 390, 2, END, 1),
        ],
    )
    assert_stream_equality_wo_index(result, expected)


def test_B05_exactly_once_with_shift():
    result = notebook_counts(
        pw.temporal.sliding(duration=10, hop=4, origin=360),
        pw.temporal.exactly_once_behavior(shift=2),
    )
    expected = expected_stream(
        COUNTS_SCHEMA,
        [
            (360, 370, 3, 374, 1),
            (364, 374, 4, 382, 1),
            (368, 378, 3, 382, 1),
            (372, 382, 2, END, 1),
            (376, 386, 3, END, 1),
            (380, 390, 2, END, 1),
        ],
    )
    assert_stream_equality_wo_index(result, expected)


def test_P01_notebook_final_state_printed_with_ids(capsys):
    # The window ids are those CASES.md §6.2 lists for each window.
    pw.debug.compute_and_print(notebook_counts(pw.temporal.sliding(duration=10, hop=4)))
    assert capsys.readouterr().out == (
        "            | window_start | window_end | n_logs\n"
        "^Y8PEAZV... | 352          | 362        | 1\n"
        "^YFKEFV6... | 356          | 366        | 2\n"
        "^DX546QX... | 360          | 370        | 3\n"
        "^B5NPNV8... | 364          | 374        | 5\n"
        "^VRT1YTS... | 368          | 378        | 5\n"
        "^QE3WQ0X... | 372          | 382        | 2\n"
        "^XJDDRJ0... | 376          | 386        | 3\n"
        "^R0SM1CF... | 380          | 390        | 2\n"
    )


# -- §6.3: streams of test_windows_stream.py -----------------------------------------------


def input_stream():
    """Row i = 0..67: time (i // 2) % 17, value i, one row per batch at __time__ 2 * (i + 1)."""
    rows = "\n".join(f"{(i // 2) % 17} | {i} | {2 * (i + 1)}" for i in range(68))
    return T("time | value | __time__\n" + rows)


def stream_maxes(behavior):
    t = input_stream()
    return t.windowby(
        t.time, window=pw.temporal.sliding(duration=5, hop=3), behavior=behavior
    ).reduce(
        pw.this._pw_window_end,
        max_time=pw.reducers.max(pw.this.time),
        max_value=pw.reducers.max(pw.this.value),
    )


ALL_WINDOWS_FIRST_CYCLE = """
    _pw_window_end | max_time | max_value
    2              | 1        | 3
    5              | 4        | 9
    8              | 7        | 15
    11             | 10       | 21
    14             | 13       | 27
    17             | 16       | 67
    20             | 16       | 67
    """

ONLY_LAST_WINDOWS = """
    _pw_window_end | max_time | max_value
    17             | 16       | 67
    20             | 16       | 67
    """


def test_S_reference_without_behavior():
    # [derived] in CASES.md: without a behavior every late row updates its windows.
    result = stream_maxes(None)
    expected = T(
        """
        _pw_window_end | max_time | max_value
        2              | 1        | 37
        5              | 4        | 43
        8              | 7        | 49
        11             | 10       | 55
        14             | 13       | 61
        17             | 16       | 67
        20             | 16       | 67
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_S01_keep_results():
    result = stream_maxes(pw.temporal.common_behavior(delay=0, cutoff=0, keep_results=True))
    assert_table_equality_wo_index(result, T(ALL_WINDOWS_FIRST_CYCLE))


def test_S02_remove_results():
    result = stream_maxes(pw.temporal.common_behavior(delay=0, cutoff=0, keep_results=False))
    assert_table_equality_wo_index(result, T(ONLY_LAST_WINDOWS))


def test_S03_non_zero_delay_keep_results():
    result = stream_maxes(pw.temporal.common_behavior(delay=1, cutoff=0, keep_results=True))
    assert_table_equality_wo_index(result, T(ALL_WINDOWS_FIRST_CYCLE))


def test_S04_non_zero_delay_remove_results():
    result = stream_maxes(pw.temporal.common_behavior(delay=1, cutoff=0, keep_results=False))
    assert_table_equality_wo_index(result, T(ONLY_LAST_WINDOWS))


def test_S05_non_zero_buffer_keep_results():
    result = stream_maxes(pw.temporal.common_behavior(delay=0, cutoff=1, keep_results=True))
    assert_table_equality_wo_index(result, T(ALL_WINDOWS_FIRST_CYCLE))


def test_S06_non_zero_buffer_remove_results():
    result = stream_maxes(pw.temporal.common_behavior(delay=0, cutoff=1, keep_results=False))
    assert_table_equality_wo_index(result, T(ONLY_LAST_WINDOWS))


def test_S07_non_zero_delay_non_zero_buffer_keep_results():
    result = stream_maxes(pw.temporal.common_behavior(delay=1, cutoff=1, keep_results=True))
    assert_table_equality_wo_index(result, T(ALL_WINDOWS_FIRST_CYCLE))


def test_S08_high_delay_high_buffer_keep_results():
    result = stream_maxes(pw.temporal.common_behavior(delay=5, cutoff=6, keep_results=True))
    expected = T(
        """
        _pw_window_end | max_time | max_value
        2              | 1        | 3
        5              | 4        | 9
        8              | 7        | 15
        11             | 10       | 55
        14             | 13       | 61
        17             | 16       | 67
        20             | 16       | 67
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_S09_non_zero_delay_non_zero_buffer_remove_results():
    result = stream_maxes(pw.temporal.common_behavior(delay=1, cutoff=1, keep_results=False))
    assert_table_equality_wo_index(result, T(ONLY_LAST_WINDOWS))


def last_update_per_window(table):
    """{window end: (time, is_addition) of its last update}, observed with pw.io.subscribe."""
    last = {}

    def on_change(key, row, time, is_addition):
        end = row["_pw_window_end"]
        # At one time a retraction comes before the insertion that replaces it.
        if end not in last or (time, is_addition) > last[end]:
            last[end] = (time, is_addition)

    pw.io.subscribe(table, on_change=on_change)
    pw.run()
    return last


def test_S02_remove_results_retraction_times():
    # [derived] in CASES.md: the forgotten windows are retracted at 12, 24, 36, 48, 60.
    result = stream_maxes(pw.temporal.common_behavior(delay=0, cutoff=0, keep_results=False))
    last = last_update_per_window(result)
    assert {end: last[end] for end in (2, 5, 8, 11, 14)} == {
        2: (12, False),
        5: (24, False),
        8: (36, False),
        11: (48, False),
        14: (60, False),
    }
    assert last[17][1] and last[20][1]


def test_S09_remove_results_retraction_times():
    # [derived] in CASES.md: with B(1, 1, False) the retractions come at 16, 28, 40, 52, 64.
    result = stream_maxes(pw.temporal.common_behavior(delay=1, cutoff=1, keep_results=False))
    last = last_update_per_window(result)
    assert {end: last[end] for end in (2, 5, 8, 11, 14)} == {
        2: (16, False),
        5: (28, False),
        8: (40, False),
        11: (52, False),
        14: (64, False),
    }
    assert last[17][1] and last[20][1]


MAXES_SCHEMA = pw.schema_from_types(_pw_window_end=int, max_time=int, max_value=int)


def exactly_once_stream(times):
    """Every window inserted exactly once; the first five at the given processing times."""
    first_five = [(2, 1, 3), (5, 4, 9), (8, 7, 15), (11, 10, 21), (14, 13, 27)]
    rows = [(*row, time, 1) for row, time in zip(first_five, times)]
    rows += [(17, 16, 67, END, 1), (20, 16, 67, END, 1)]
    return expected_stream(MAXES_SCHEMA, rows)


def test_S10_exactly_once():
    result = stream_maxes(pw.temporal.common_behavior(delay=6, cutoff=1, keep_results=True))
    assert_stream_equality_wo_index(result, exactly_once_stream([14, 26, 38, 50, 62]))


def test_S11_exactly_once_from_behavior():
    result = stream_maxes(pw.temporal.exactly_once_behavior())
    assert_stream_equality_wo_index(result, exactly_once_stream([10, 22, 34, 46, 58]))


# -- §6.6: temporal operators on plain tables ----------------------------------------------


def docstring_input():
    return T(
        """
        t | v | __time__
        1 | 1 | 2
        2 | 2 | 4
        5 | 3 | 6
        2 | 4 | 8
        7 | 5 | 10
        """
    )


def test_O01_ignore_late():
    t = docstring_input()
    result = t.ignore_late(t.t, 3)
    expected = T(
        """
        t | v | __time__ | __diff__
        1 | 1 | 2        | 1
        2 | 2 | 4        | 1
        5 | 3 | 6        | 1
        7 | 5 | 10       | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_O02_buffer():
    t = docstring_input()
    result = t.buffer(t.t, 3)
    expected = expected_stream(
        pw.schema_from_types(t=int, v=int),
        [(1, 1, 6, 1), (2, 2, 6, 1), (2, 4, 8, 1), (5, 3, END, 1), (7, 5, END, 1)],
    )
    assert_stream_equality_wo_index(result, expected)


def forget_then_join():
    t = T(
        """
        t | v | __time__
        1 | 1 | 2
        2 | 1 | 2
        4 | 2 | 4
        3 | 3 | 6
        """
    )
    s = T(
        """
        v | a | __time__
        1 | 1 | 2
        2 | 2 | 4
        1 | 3 | 8
        """
    )
    forgotten = t.forget(t.t, 3)
    return forgotten.join(s, forgotten.v == s.v).select(forgotten.t, forgotten.v, s.a)


def test_O03_forget_then_join():
    expected = T(
        """
        t | v | a | __time__ | __diff__
        1 | 1 | 1 | 2        | 1
        2 | 1 | 1 | 2        | 1
        4 | 2 | 2 | 4        | 1
        1 | 1 | 1 | 6        | -1
        2 | 1 | 3 | 8        | 1
        """
    )
    assert_stream_equality_wo_index(forget_then_join(), expected)


def test_O03_forget_then_join_ids():
    updates = []

    def on_change(key, row, time, is_addition):
        short_id = str(key)[:8]
        updates.append((short_id, row["t"], row["v"], row["a"], time, 1 if is_addition else -1))

    pw.io.subscribe(forget_then_join(), on_change=on_change)
    pw.run()
    assert sorted(updates, key=lambda u: (u[4], u[5], u[1:4])) == [
        ("^YYYD8ZW", 1, 1, 1, 2, 1),
        ("^YYY47FZ", 2, 1, 1, 2, 1),
        ("^Z3QTSKY", 4, 2, 2, 4, 1),
        ("^YYYD8ZW", 1, 1, 1, 6, -1),
        ("^YYY822X", 2, 1, 3, 8, 1),
    ]

