// Conformance cases of /work/shared/conformance/CASES.md with temporal behaviors: B-01, B-02,
// B-05 (§6.2, the windows_temporal_behavior notebook's printed streams), S-01..S-11 (§6.3,
// test_windows_stream.py), W-06 and W-07 (§6.1, test_windows.py) and O-01, O-02 (§6.6, the
// ignore_late / buffer docstrings of table.py). Expectations are copied unedited.
//
// Behaviors judge each processing time as a whole, so splitting a commit legitimately changes
// their results: these tests run the matrix with time_dependent (batch sizes and row order
// within commits must still not matter).

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "connectors/debug.h"
#include "connectors/output/table_printer.h"
#include "golden.h"

namespace vigil {
namespace {

using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;
using ::vigil::testing::MatrixOptions;
using ::vigil::testing::StreamRows;

constexpr MatrixOptions kPerCommit{.time_dependent = true};

/// The input of the windows_temporal_behavior notebook (B-01..B-05).
constexpr const char* kNotebookInput = R"(
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
)";

/// The notebook's reduce: `window_start, window_end, n_logs=count()`.
Table NotebookCounts(const Window& window, std::optional<Behavior> behavior) {
  auto t = debug::table_from_markdown(kNotebookInput);
  return t.windowby(t["event_time"], window, std::nullopt, std::move(behavior))
      .reduce({{"window_start", this_["_pw_window_start"]},
               {"window_end", this_["_pw_window_end"]},
               {"n_logs", reducers::count()}});
}

// B-01: the notebook without behavior; here
// with an explicit std::nullopt behavior, the form behaviors are passed in.
TEST(BehaviorsConformance, B01_NoBehaviorUpdatesEveryWindowForever) {
  EXPECT_EQ(StreamRows(NotebookCounts(temporal::sliding(4, 10), std::nullopt), kPerCommit),
            ExpectedRows(R"(
352|362|1|362|1
356|366|2|362|1
360|370|2|362|1
360|370|2|368|-1
360|370|3|368|1
364|374|1|368|1
364|374|1|370|-1
364|374|2|370|1
368|378|1|370|1
364|374|2|372|-1
368|378|1|372|-1
364|374|3|372|1
368|378|2|372|1
364|374|3|374|-1
368|378|2|374|-1
364|374|4|374|1
368|378|3|374|1
372|382|1|374|1
376|386|1|382|1
380|390|1|382|1
376|386|1|392|-1
380|390|1|392|-1
376|386|2|392|1
380|390|2|392|1
368|378|3|396|-1
372|382|1|396|-1
376|386|2|396|-1
368|378|4|396|1
372|382|2|396|1
376|386|3|396|1
364|374|4|410|-1
368|378|4|410|-1
364|374|5|410|1
368|378|5|410|1
)"));
}

// B-02: the notebook with common_behavior(delay=4). A window's first result waits until
// now >= start + 4 ("now" including the current batch); [380,390) is released only by the
// end-of-input flush.
// P-01: the B-01 final state printed end to end in Pathway's layout, ids included (the
// windows_temporal_behavior notebook's ids for these windows).
TEST(BehaviorsConformance, P01PrintsFinalStateWithPathwayIds) {
  auto captured = debug::Capture(NotebookCounts(temporal::sliding(4, 10), std::nullopt));
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  EXPECT_EQ(FormatTable(captured->columns, captured->updates, PrintOptions{}),
            "            | window_start | window_end | n_logs\n"
            "^Y8PEAZV... | 352          | 362        | 1\n"
            "^YFKEFV6... | 356          | 366        | 2\n"
            "^DX546QX... | 360          | 370        | 3\n"
            "^B5NPNV8... | 364          | 374        | 5\n"
            "^VRT1YTS... | 368          | 378        | 5\n"
            "^QE3WQ0X... | 372          | 382        | 2\n"
            "^XJDDRJ0... | 376          | 386        | 3\n"
            "^R0SM1CF... | 380          | 390        | 2\n");
}

TEST(BehaviorsConformance, B02_DelayHoldsFirstResultUntilStartPlusDelay) {
  EXPECT_EQ(
      StreamRows(NotebookCounts(temporal::sliding(4, 10), temporal::common_behavior(/*delay=*/4)),
                 kPerCommit),
      ExpectedRows(R"(
352|362|1|362|1
356|366|2|362|1
360|370|3|368|1
364|374|2|370|1
364|374|2|372|-1
364|374|3|372|1
364|374|3|374|-1
364|374|4|374|1
368|378|3|374|1
372|382|1|382|1
376|386|1|382|1
376|386|1|392|-1
376|386|2|392|1
368|378|3|396|-1
372|382|1|396|-1
376|386|2|396|-1
368|378|4|396|1
372|382|2|396|1
376|386|3|396|1
364|374|4|410|-1
368|378|4|410|-1
364|374|5|410|1
368|378|5|410|1
380|390|2|18446744073709551614|1
)"));
}

// B-05: sliding(duration=10, hop=4, origin=360) + exactly_once_behavior(shift=2). Each window
// is emitted once, when now reaches end + 2, or at end of input.
TEST(BehaviorsConformance, B05_ExactlyOnceWithShiftEmitsEachWindowOnce) {
  EXPECT_EQ(StreamRows(NotebookCounts(temporal::sliding(4, 10, std::nullopt, /*origin=*/360),
                                      temporal::exactly_once_behavior(/*shift=*/2)),
                       kPerCommit),
            ExpectedRows(R"(
360|370|3|374|1
364|374|4|382|1
368|378|3|382|1
372|382|2|18446744073709551614|1
376|386|3|18446744073709551614|1
380|390|2|18446744073709551614|1
)"));
}

/// TWS generate_input_stream: row i = 0..67 has time (i // 2) % 17, value i, __time__
/// 2 * (i + 1): times 0,0,1,1,...,16,16 four times over, one row per batch.
Table StreamInput() {
  std::string text = "time | value | __time__\n";
  for (int i = 0; i < 68; ++i) {
    text += std::to_string((i / 2) % 17) + " | " + std::to_string(i) + " | " +
            std::to_string(2 * (i + 1)) + "\n";
  }
  return debug::table_from_markdown(text);
}

/// The TWS reduce: `_pw_window_end, max_time=max(time), max_value=max(value)` over
/// sliding(duration=5, hop=3) with `behavior`.
Table StreamMaxes(std::optional<Behavior> behavior) {
  auto t = StreamInput();
  return t
      .windowby(t["time"], temporal::sliding(/*hop=*/3, /*duration=*/5), std::nullopt,
                std::move(behavior))
      .reduce({this_["_pw_window_end"],
               {"max_time", reducers::max(this_["time"])},
               {"max_value", reducers::max(this_["value"])}});
}

/// Final state of S-01, S-03, S-05, S-07 (`end | max_time | max_value`): every window, only the
/// first cycle counting for the first five (later cycles are late).
constexpr const char* kAllWindowsFirstCycle = R"(
2  | 1  | 3
5  | 4  | 9
8  | 7  | 15
11 | 10 | 21
14 | 13 | 27
17 | 16 | 67
20 | 16 | 67
)";

/// Final state of S-02, S-04, S-06, S-09: only the windows never forgotten remain.
constexpr const char* kOnlyLastWindows = R"(
17 | 16 | 67
20 | 16 | 67
)";

// S-01: test_windows_stream.py::test_keep_results, B(delay=0, cutoff=0, keep=True).
TEST(BehaviorsConformance, S01_KeepResults) {
  EXPECT_EQ(FinalRows(StreamMaxes(temporal::common_behavior(0, 0, true)), kPerCommit),
            ExpectedRows(kAllWindowsFirstCycle));
}

// S-02: test_remove_results, B(0, 0, False).
TEST(BehaviorsConformance, S02_RemoveResults) {
  EXPECT_EQ(FinalRows(StreamMaxes(temporal::common_behavior(0, 0, false)), kPerCommit),
            ExpectedRows(kOnlyLastWindows));
}

// S-03: test_non_zero_delay_keep_results, B(1, 0, True).
TEST(BehaviorsConformance, S03_NonZeroDelayKeepResults) {
  EXPECT_EQ(FinalRows(StreamMaxes(temporal::common_behavior(1, 0, true)), kPerCommit),
            ExpectedRows(kAllWindowsFirstCycle));
}

// S-04: test_non_zero_delay_remove_results, B(1, 0, False).
TEST(BehaviorsConformance, S04_NonZeroDelayRemoveResults) {
  EXPECT_EQ(FinalRows(StreamMaxes(temporal::common_behavior(1, 0, false)), kPerCommit),
            ExpectedRows(kOnlyLastWindows));
}

// S-05: test_non_zero_buffer_keep_results, B(0, 1, True).
TEST(BehaviorsConformance, S05_NonZeroBufferKeepResults) {
  EXPECT_EQ(FinalRows(StreamMaxes(temporal::common_behavior(0, 1, true)), kPerCommit),
            ExpectedRows(kAllWindowsFirstCycle));
}

// S-06: test_non_zero_buffer_remove_results, B(0, 1, False).
TEST(BehaviorsConformance, S06_NonZeroBufferRemoveResults) {
  EXPECT_EQ(FinalRows(StreamMaxes(temporal::common_behavior(0, 1, false)), kPerCommit),
            ExpectedRows(kOnlyLastWindows));
}

// S-07: test_non_zero_delay_non_zero_buffer_keep_results, B(1, 1, True).
TEST(BehaviorsConformance, S07_NonZeroDelayNonZeroBufferKeepResults) {
  EXPECT_EQ(FinalRows(StreamMaxes(temporal::common_behavior(1, 1, true)), kPerCommit),
            ExpectedRows(kAllWindowsFirstCycle));
}

// S-08: test_high_delay_high_buffer_keep_results, B(5, 6, True): the cutoff is long enough
// for later cycles to reach [6,11) and [9,14).
TEST(BehaviorsConformance, S08_HighDelayHighBufferKeepResults) {
  EXPECT_EQ(FinalRows(StreamMaxes(temporal::common_behavior(5, 6, true)), kPerCommit),
            ExpectedRows(R"(
2  | 1  | 3
5  | 4  | 9
8  | 7  | 15
11 | 10 | 55
14 | 13 | 61
17 | 16 | 67
20 | 16 | 67
)"));
}

// S-09: test_non_zero_delay_non_zero_buffer_remove_results, B(1, 1, False).
TEST(BehaviorsConformance, S09_NonZeroDelayNonZeroBufferRemoveResults) {
  EXPECT_EQ(FinalRows(StreamMaxes(temporal::common_behavior(1, 1, false)), kPerCommit),
            ExpectedRows(kOnlyLastWindows));
}

/// For every window (first column), the time and diff of its last update, as `end | time |
/// diff`: where the [derived] retraction times of CASES.md §6.3 show.
std::vector<std::string> LastUpdatePerWindow(const Table& table) {
  auto captured = debug::Capture(table);
  EXPECT_TRUE(captured.ok()) << captured.status().ToString();
  if (!captured.ok()) return {};
  std::map<int64_t, std::pair<Time, Diff>> last;  // By window end.
  for (const Update& u : captured->updates) {
    auto& entry = last[u.row[0].get().as_int()];
    // At one time a retraction precedes the insertion that replaces it.
    if (u.time > entry.first || (u.time == entry.first && u.diff > entry.second)) {
      entry = {u.time, u.diff};
    }
  }
  std::vector<std::string> rows;
  for (const auto& [end, update] : last) {
    rows.push_back(std::to_string(end) + " | " + std::to_string(update.first) + " | " +
                   std::to_string(update.second));
  }
  return rows;
}

// S-02 [derived]: with B(0, 0, False) the windows are retracted at processing times 12, 24,
// 36, 48, 60 (the batch after the one that moved "now" to end + cutoff).
TEST(BehaviorsConformance, S02_RetractionTimes) {
  EXPECT_EQ(LastUpdatePerWindow(StreamMaxes(temporal::common_behavior(0, 0, false))),
            ExpectedRows(R"(
2  | 12 | -1
5  | 24 | -1
8  | 36 | -1
11 | 48 | -1
14 | 60 | -1
17 | 136 | 1
20 | 136 | 1
)",
                         /*sort=*/false));
}

// S-09 [derived]: with B(1, 1, False) the retractions come at 16, 28, 40, 52, 64.
TEST(BehaviorsConformance, S09_RetractionTimes) {
  EXPECT_EQ(LastUpdatePerWindow(StreamMaxes(temporal::common_behavior(1, 1, false))),
            ExpectedRows(R"(
2  | 16 | -1
5  | 28 | -1
8  | 40 | -1
11 | 52 | -1
14 | 64 | -1
17 | 136 | 1
20 | 136 | 1
)",
                         /*sort=*/false));
}

/// S-10 and S-11 expect exactly this stream (`end | max_time | max_value | time | diff`), with
/// the [derived] processing times of the first five windows given per case.
std::string ExactlyOnceStream(const std::vector<int>& times) {
  const char* rows[] = {"2|1|3", "5|4|9", "8|7|15", "11|10|21", "14|13|27"};
  std::string out;
  for (size_t i = 0; i < times.size(); ++i) {
    out += std::string(rows[i]) + "|" + std::to_string(times[i]) + "|1\n";
  }
  out += "17|16|67|18446744073709551614|1\n";
  out += "20|16|67|18446744073709551614|1\n";
  return out;
}

// S-10: test_exactly_once, B(delay=6, cutoff=1, keep=True): every window inserted exactly
// once, never updated or retracted.
TEST(BehaviorsConformance, S10_ExactlyOnceByCommonBehavior) {
  EXPECT_EQ(StreamRows(StreamMaxes(temporal::common_behavior(6, 1, true)), kPerCommit),
            ExpectedRows(ExactlyOnceStream({14, 26, 38, 50, 62})));
}

// S-11: test_exactly_once_from_behavior, exactly_once_behavior() = B(5, 0, True) here.
TEST(BehaviorsConformance, S11_ExactlyOnceBehavior) {
  EXPECT_EQ(StreamRows(StreamMaxes(temporal::exactly_once_behavior()), kPerCommit),
            ExpectedRows(ExactlyOnceStream({10, 22, 34, 46, 58})));
}

// W-06: test_windows.py::test_sliding_compacting: W-05 with B(delay=0, cutoff=1,
// keep=False). All rows are in one batch, so nothing is late or forgotten.
TEST(BehaviorsConformance, W06_SlidingCompactingSingleBatchIsUnchanged) {
  auto t = debug::table_from_markdown(R"(
    | instance | t
1   | 0        |  12
2   | 0        |  13
3   | 0        |  14
4   | 0        |  15
5   | 0        |  16
6   | 0        |  17
7   | 1        |  10
8   | 1        |  11
)");
  auto result = t.windowby(t["t"], temporal::sliding(/*hop=*/3, /*duration=*/10), t["instance"],
                           temporal::common_behavior(/*delay=*/0, /*cutoff=*/1,
                                                     /*keep_results=*/false))
                    .reduce({this_["_pw_instance"],
                             this_["_pw_window_start"],
                             this_["_pw_window_end"],
                             {"min_t", reducers::min(this_["t"])},
                             {"max_t", reducers::max(this_["t"])},
                             {"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result, kPerCommit), ExpectedRows(R"(
0 | 3  | 13 | 12 | 12 | 1
0 | 6  | 16 | 12 | 15 | 4
0 | 9  | 19 | 12 | 17 | 6
0 | 12 | 22 | 12 | 17 | 6
0 | 15 | 25 | 15 | 17 | 3
1 | 3  | 13 | 10 | 11 | 2
1 | 6  | 16 | 10 | 11 | 2
1 | 9  | 19 | 10 | 11 | 2
)"));
}

// W-07: test_windows.py::test_flush_buffer_long_chain_of_operators. Five windowby stages in a
// chain, each delaying by 8: the rows whose window start + 8 > 26 come out of each stage only
// at end of input, so the end-of-input flush must pass through all five stages in the final
// commit.
TEST(BehaviorsConformance, W07_EndOfInputFlushPropagatesThroughFiveStages) {
  auto t = debug::table_from_markdown(R"(
t
12
14
16
18
20
22
24
26
)");
  for (int stage = 0; stage < 5; ++stage) {
    t = t.windowby(t["t"],
                   temporal::sliding(/*hop=*/2, /*duration=*/2, std::nullopt,
                                     /*origin=*/1),
                   std::nullopt,
                   temporal::common_behavior(/*delay=*/8, /*cutoff=*/100,
                                             /*keep_results=*/false))
            .reduce({{"t", reducers::any(this_["t"])}});
  }
  EXPECT_EQ(FinalRows(t, kPerCommit), ExpectedRows(R"(
12
14
16
18
20
22
24
26
)"));
}

/// The input of the ignore_late / buffer / forget docstrings (O-01, O-02), ids 0..4.
Table DocstringInput() {
  return debug::table_from_markdown(R"(
t | v | __time__
1 | 1 | 2
2 | 2 | 4
5 | 3 | 6
2 | 4 | 8
7 | 5 | 10
)");
}

// O-01: Table.ignore_late docstring: the row t=2 at time 8 is dropped (2 + 3 <= now 5).
TEST(BehaviorsConformance, O01_IgnoreLateDropsRowsPastThreshold) {
  auto t = DocstringInput();
  EXPECT_EQ(StreamRows(t.ignore_late(t["t"], 3), kPerCommit), ExpectedRows(R"(
1 | 1 | 2  | 1
2 | 2 | 4  | 1
5 | 3 | 6  | 1
7 | 5 | 10 | 1
)"));
}

// O-02: Table.buffer docstring: rows wait until now >= t + 3; the rest come at end of input.
TEST(BehaviorsConformance, O02_BufferHoldsRowsUntilThreshold) {
  auto t = DocstringInput();
  EXPECT_EQ(StreamRows(t.buffer(t["t"], 3), kPerCommit), ExpectedRows(R"(
1 | 1 | 6 | 1
2 | 2 | 6 | 1
2 | 4 | 8 | 1
5 | 3 | 18446744073709551614 | 1
7 | 5 | 18446744073709551614 | 1
)"));
}

}  // namespace
}  // namespace vigil
