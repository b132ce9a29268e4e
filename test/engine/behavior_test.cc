// Temporal behaviors of windowby (cutoff, delay, forget; ops/temporal/) on edge cases the
// conformance cases do not isolate, and the bound on state they promise over endless
// streams. Streams are written `values | time | diff`; 18446744073709551614 is the
// end-of-input time. Behaviors judge each commit as a whole, so the matrix runs without
// commit splitting (time_dependent).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "golden.h"
#include "vigil/ops/groupby_reduce_op.h"
#include "vigil/ops/temporal/cutoff_op.h"
#include "vigil/ops/temporal/delay_op.h"
#include "vigil/ops/temporal/forget_op.h"
#include "vigil/ops/window/window_assign_op.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::MatrixOptions;
using ::vigil::testing::StreamRows;

constexpr MatrixOptions kPerCommit{.time_dependent = true};

/// `start | count` per window of `t` (column "t") with `behavior`.
Table CountsByStart(const Table& t, const Window& window, const Behavior& behavior) {
  return t.windowby(t["t"], window, std::nullopt, behavior)
      .reduce({{"start", this_["_pw_window_start"]}, {"count", reducers::count()}});
}

TEST(Behavior, CutoffDropsRowLateForItsWindow) {
  // tumbling(10), cutoff 2: after the commit at 4, now = 12 = end + cutoff of [0, 10), so
  // t=5 at 6 is late. t=9 at 4 is judged with now = 1 and counts.
  auto t = debug::table_from_markdown(R"(
t  | __time__
1  | 2
12 | 4
9  | 4
5  | 6
15 | 8
)");
  auto result = CountsByStart(t, temporal::tumbling(10),
                              temporal::common_behavior(std::nullopt, /*cutoff=*/2));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
0  | 1 | 2 | 1
0  | 1 | 4 | -1
0  | 2 | 4 | 1
10 | 1 | 4 | 1
10 | 1 | 8 | -1
10 | 2 | 8 | 1
)"));
}

TEST(Behavior, CutoffJudgesWithNowOfEarlierCommitsOnly) {
  // now = 11 before the commit at 6 (threshold of [0, 10) is 12): t=5 is on time, even though
  // t=30 in the same commit moves now far past the threshold.
  auto t = debug::table_from_markdown(R"(
t  | __time__
1  | 2
11 | 4
5  | 6
30 | 6
7  | 8
)");
  auto result = CountsByStart(t, temporal::tumbling(10),
                              temporal::common_behavior(std::nullopt, /*cutoff=*/2));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
0  | 1 | 2 | 1
10 | 1 | 4 | 1
0  | 1 | 6 | -1
0  | 2 | 6 | 1
30 | 1 | 6 | 1
)"));
}

TEST(Behavior, RowLateForOneSlidingWindowOnTimeForAnother) {
  // sliding(hop 5, duration 10), cutoff 0. After the commit at 4, now = 15: t=12 is late for
  // [5, 15) (end 15 <= now) but on time for [10, 20).
  auto t = debug::table_from_markdown(R"(
t  | __time__
3  | 2
15 | 4
12 | 6
)");
  auto result = CountsByStart(t, temporal::sliding(5, 10),
                              temporal::common_behavior(std::nullopt, /*cutoff=*/0));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
-5 | 1 | 2 | 1
0  | 1 | 2 | 1
10 | 1 | 4 | 1
15 | 1 | 4 | 1
10 | 1 | 6 | -1
10 | 2 | 6 | 1
)"));
}

TEST(Behavior, NowIsGlobalAcrossInstances) {
  // Instance b moves now to 20, which makes instance a's row at 6 late for [0, 10).
  auto t = debug::table_from_markdown(R"(
k | t  | __time__
a | 1  | 2
b | 20 | 4
a | 5  | 6
)");
  auto result = t.windowby(t["t"], temporal::tumbling(10), t["k"],
                           temporal::common_behavior(std::nullopt, /*cutoff=*/0))
                    .reduce({this_["_pw_instance"],
                             {"start", this_["_pw_window_start"]},
                             {"count", reducers::count()}});
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
a | 0  | 1 | 2 | 1
b | 20 | 1 | 4 | 1
)"));
}

TEST(Behavior, DelayReleasesOnTheCommitThatAdvancesNow) {
  // tumbling(10), delay 10: [0, 10) waits for now >= 10. The commit at 6 brings t=10 and
  // releases [0, 10) itself; [10, 20) waits for the end-of-input flush.
  auto t = debug::table_from_markdown(R"(
t  | __time__
1  | 2
4  | 4
10 | 6
)");
  auto result = CountsByStart(t, temporal::tumbling(10), temporal::common_behavior(/*delay=*/10));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
0  | 2 | 6                    | 1
10 | 1 | 18446744073709551614 | 1
)"));
}

TEST(Behavior, DelayedWindowUpdatesImmediatelyOnceReleased) {
  // After [0, 10) came out at 4 (now 12 >= 0 + 10), its next row flows through at once.
  auto t = debug::table_from_markdown(R"(
t  | __time__
1  | 2
12 | 4
3  | 6
)");
  auto result = CountsByStart(t, temporal::tumbling(10), temporal::common_behavior(/*delay=*/10));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
0  | 1 | 4                    | 1
0  | 1 | 6                    | -1
0  | 2 | 6                    | 1
10 | 1 | 18446744073709551614 | 1
)"));
}

TEST(Behavior, RetractionOfHeldRowCancelsIt) {
  // Row 1 is inserted and retracted while [0, 10) is still held: nothing ever comes out for
  // it; row 2 is flushed at end of input.
  auto t = debug::table_from_markdown(R"(
id | t | __time__ | __diff__
1  | 1 | 2        | 1
2  | 2 | 2        | 1
1  | 1 | 4        | -1
)");
  auto result = CountsByStart(t, temporal::tumbling(10), temporal::common_behavior(/*delay=*/50));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
0 | 1 | 18446744073709551614 | 1
)"));
}

TEST(Behavior, KeepResultsFalseRetractsForgottenWindow) {
  // cutoff 0: now reaches 12 at 4, so [0, 10) is forgotten in the next commit that brings
  // rows (6), and with keep_results=false its row is retracted there.
  auto t = debug::table_from_markdown(R"(
t  | __time__
1  | 2
12 | 4
13 | 6
)");
  auto result = CountsByStart(t, temporal::tumbling(10),
                              temporal::common_behavior(std::nullopt, 0, /*keep_results=*/false));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
0  | 1 | 2 | 1
10 | 1 | 4 | 1
0  | 1 | 6 | -1
10 | 1 | 6 | -1
10 | 2 | 6 | 1
)"));
}

TEST(Behavior, KeepResultsTrueKeepsForgottenWindow) {
  // The same stream with keep_results=true: [0, 10) is forgotten at 6 but its row stays.
  auto t = debug::table_from_markdown(R"(
t  | __time__
1  | 2
12 | 4
13 | 6
)");
  auto result = CountsByStart(t, temporal::tumbling(10),
                              temporal::common_behavior(std::nullopt, 0, /*keep_results=*/true));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
0  | 1 | 2 | 1
10 | 1 | 4 | 1
10 | 1 | 6 | -1
10 | 2 | 6 | 1
)"));
}

/// Rows that make windowby release windows that are already past forgetting: with delay 30
/// > duration 10 + cutoff 0, forget's "now" (which follows max(t, start + delay)) is ahead of
/// the windows released after [0, 10). [10, 20) is released at 8 and forgotten in that same
/// commit, [30, 40) likewise at 10. The row inserted at 10 and retracted at 12 leaves nothing
/// held at end of input.
constexpr const char* kLateReleaseInput = R"(
id | t   | __time__ | __diff__
1  | 1   | 2        | 1
2  | 11  | 4        | 1
3  | 30  | 6        | 1
4  | 40  | 8        | 1
5  | 100 | 10       | 1
5  | 100 | 12       | -1
)";

TEST(Behavior, WindowReleasedAndForgottenInOneCommitNeverShowsWithoutKeepResults) {
  auto t = debug::table_from_markdown(kLateReleaseInput);
  auto result = CountsByStart(t, temporal::tumbling(10),
                              temporal::common_behavior(30, 0, /*keep_results=*/false));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
0  | 1 | 6  | 1
0  | 1 | 8  | -1
40 | 1 | 10 | 1
)"));
}

TEST(Behavior, WindowReleasedAndForgottenInOneCommitShowsWithKeepResults) {
  auto t = debug::table_from_markdown(kLateReleaseInput);
  auto result = CountsByStart(t, temporal::tumbling(10),
                              temporal::common_behavior(30, 0, /*keep_results=*/true));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
0  | 1 | 6  | 1
10 | 1 | 8  | 1
30 | 1 | 10 | 1
40 | 1 | 10 | 1
)"));
}

TEST(Behavior, NothingIsForgottenWithoutNewRows) {
  // now reaches 12 at 4, but no later commit brings rows: [0, 10) is never retracted.
  auto t = debug::table_from_markdown(R"(
t  | __time__
1  | 2
12 | 4
)");
  auto result = CountsByStart(t, temporal::tumbling(10),
                              temporal::common_behavior(std::nullopt, 0, /*keep_results=*/false));
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
0  | 1 | 2 | 1
10 | 1 | 4 | 1
)"));
}

TEST(Behavior, ExactlyOnceWithSlidingByRatio) {
  // sliding(hop 2, ratio 2): windows [2k, 2k + 4), so exactly_once() delays by 4 and cuts off
  // at 0: each window comes out once, when now reaches its end. t=3 at 6 is late for [0, 4)
  // (now 4) but still counts in [2, 6).
  auto t = debug::table_from_markdown(R"(
t | __time__
1 | 2
2 | 2
4 | 4
3 | 6
9 | 8
)");
  auto result = CountsByStart(t, temporal::sliding(2, std::nullopt, /*ratio=*/2),
                              temporal::exactly_once_behavior());
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
-2 | 1 | 2 | 1
0  | 2 | 4 | 1
2  | 3 | 8 | 1
4  | 1 | 8 | 1
6  | 1 | 18446744073709551614 | 1
8  | 1 | 18446744073709551614 | 1
)"));
}

TEST(Behavior, DatetimeWindowsTakeDurationParameters) {
  using std::chrono::minutes;
  Schema schema{{"t", dtype::DateTimeNaive}};
  auto t = debug::table_from_markdown(R"(
t                   | __time__
2023-06-22T09:01:00 | 2
2023-06-22T09:05:00 | 4
2023-06-22T09:12:00 | 6
2023-06-22T09:03:00 | 8
)",
                                      schema);
  // exactly_once(shift = 1 min) on 10-minute windows: [09:00, 09:10) comes out when now
  // reaches 09:11, and 09:03 arriving after that is late.
  auto result = t.windowby(t["t"], temporal::tumbling(minutes(10)), std::nullopt,
                           temporal::exactly_once_behavior(minutes(1)))
                    .reduce({{"start", this_["_pw_window_start"]}, {"count", reducers::count()}});
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
2023-06-22 09:00:00 | 2 | 6 | 1
2023-06-22 09:10:00 | 1 | 18446744073709551614 | 1
)"));
}

TEST(Behavior, KeepResultsFalseNeedsCutoff) {
  auto t = debug::table_from_markdown("t\n1\n");
  auto result =
      CountsByStart(t, temporal::tumbling(10), temporal::common_behavior(1, std::nullopt, false));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("keep_results=false requires a cutoff"));
}

TEST(Behavior, ParametersMustMatchTheTimeType) {
  auto t = debug::table_from_markdown("t\n1\n");
  auto int_time = CountsByStart(t, temporal::tumbling(10),
                                temporal::common_behavior(std::chrono::seconds(1), 2));
  ASSERT_FALSE(int_time.ok());
  EXPECT_THAT(int_time.status().message(),
              HasSubstr("Arguments (time_expr, behavior.delay, behavior.cutoff) have to be of "
                        "types"));
  EXPECT_THAT(int_time.status().message(), HasSubstr("(int, Duration, int)"));
  // Ints and floats mix.
  EXPECT_TRUE(CountsByStart(t, temporal::tumbling(10), temporal::common_behavior(0.5, 1)).ok());

  Schema schema{{"t", dtype::DateTimeNaive}};
  auto dt = debug::table_from_markdown("t\n2023-06-22T09:01:00\n", schema);
  auto datetime_time = CountsByStart(dt, temporal::tumbling(std::chrono::minutes(10)),
                                     temporal::exactly_once_behavior(2));
  ASSERT_FALSE(datetime_time.ok());
  EXPECT_THAT(datetime_time.status().message(),
              HasSubstr("Arguments (time_expr, behavior.shift) have to be of types"));
}

TEST(Behavior, PlainTableForgetRetractsAfterThreshold) {
  // CASES.md O-03 before its join: forget(t, 3) retracts t=1 at 6, the first commit after
  // now reached 4 = 1 + 3.
  auto t = debug::table_from_markdown(R"(
t | v | __time__
1 | 1 | 2
2 | 1 | 2
4 | 2 | 4
3 | 3 | 6
)");
  EXPECT_EQ(StreamRows(t.forget(t["t"], 3), kPerCommit), ExpectedRows(R"(
1 | 1 | 2 | 1
2 | 1 | 2 | 1
4 | 2 | 4 | 1
3 | 3 | 6 | 1
1 | 1 | 6 | -1
)"));
}

TEST(Behavior, PlainTableMethodsCheckTypes) {
  auto t = debug::table_from_markdown("t | s\n1 | a\n");
  EXPECT_THAT(t.buffer(t["t"], std::chrono::seconds(1)).status().message(),
              HasSubstr("buffer: Arguments (time_expr, threshold) have to be of types"));
  EXPECT_THAT(t.ignore_late(t["s"], 1).status().message(),
              HasSubstr("ignore_late: the time column must be int, float or a datetime"));
  EXPECT_TRUE(t.forget(t["t"], 1.5).ok());
}

// ---------------------------------------------------------------------------------------
// State stays bounded: the operators of `tumbling(10) + behavior` wired by hand (as the
// executor wires them, forget's group ports included), fed 2000 commits of advancing time.

/// The final state of a `start | count` stream: start -> count -> multiplicity.
class FinalStateOperator final : public Operator {
 public:
  FinalStateOperator() : Operator("final state") {}
  void OnBatch(size_t /*port*/, const Batch& batch, Time /*time*/) override {
    for (size_t i = 0; i < batch.num_rows(); ++i) {
      const int64_t start = batch.columns[0][i].as_int();
      const int64_t count = batch.columns[1][i].as_int();
      auto& entry = rows[start];
      entry[count] += batch.diffs[i];
      if (entry[count] == 0) entry.erase(count);
      if (entry.empty()) rows.erase(start);
    }
  }
  std::map<int64_t, std::map<int64_t, Diff>> rows;
};

/// The operators of a compiled windowby with a behavior, in topological order.
struct WiredWindowby {
  NodePtr graph;  ///< Operators read their specs from the nodes: keep them alive.
  OperatorContext context;
  std::vector<std::unique_ptr<Operator>> ops;
  GroupByReduceOperator* groupby = nullptr;
  DelayOperator* delay = nullptr;
  ForgetOperator* forget = nullptr;
  FinalStateOperator sink;

  /// Builds the operators of `table` (a reduce over windowby over a source) from its nodes.
  explicit WiredWindowby(const Table& table) : graph(table.node()) {
    std::vector<const TableNode*> chain;  // Groupby first, source last.
    for (const TableNode* n = table.node().get(); n != nullptr;
         n = n->inputs.empty() ? nullptr : n->inputs[0].get()) {
      chain.push_back(n);
    }
    Operator* previous = nullptr;
    for (auto it = chain.rbegin() + 1; it != chain.rend(); ++it) {  // Skip the source.
      const TableNode& n = **it;
      std::unique_ptr<Operator> op;
      switch (n.kind) {
        case NodeKind::kWindowAssign:
          op = std::make_unique<WindowAssignOperator>("windowby", n.window,
                                                      n.inputs[0]->schema.size());
          break;
        case NodeKind::kCutoff:
          op = std::make_unique<CutoffOperator>("cutoff", n.temporal, n.schema.size());
          break;
        case NodeKind::kDelay: {
          auto d = std::make_unique<DelayOperator>("delay", n.temporal, n.schema.size());
          delay = d.get();
          op = std::move(d);
          break;
        }
        case NodeKind::kForget: {
          auto f = std::make_unique<ForgetOperator>("forget", n.temporal, n.schema.size());
          forget = f.get();
          op = std::move(f);
          break;
        }
        case NodeKind::kGroupBy: {
          auto g = std::make_unique<GroupByReduceOperator>("reduce", n.groupby);
          groupby = g.get();
          if (forget != nullptr && forget->forgets_groups()) {
            forget->ConnectGroupsTo(g.get(), /*drop_results=*/!forget->keeps_results());
          }
          if (delay != nullptr && delay->holds_results()) {  // exactly_once (as the executor)
            g->HoldResults();
            delay->HoldResultsOf(g.get());
          }
          op = std::move(g);
          break;
        }
        default:
          ADD_FAILURE() << "unexpected node " << n.operation;
          return;
      }
      op->set_context(&context);
      if (previous != nullptr) previous->ConnectTo(op.get(), 0);
      previous = op.get();
      ops.push_back(std::move(op));
    }
    sink.set_context(&context);
    previous->ConnectTo(&sink, 0);
  }

  /// One commit of rows with these event times (column "t").
  void Commit(const std::vector<int64_t>& times, Time time, bool end_of_input = false) {
    Batch batch(1);
    KeyHasher hasher;
    for (int64_t t : times) {
      hasher.Reset();
      hasher.AddInt(next_id_++);
      batch.columns[0].push_back(Value::Int(t));
      batch.ids.push_back(hasher.Finish());
      batch.diffs.push_back(1);
    }
    if (!batch.empty()) ops.front()->OnBatch(0, batch, time);
    for (auto& op : ops) op->OnCommitEnd(time, end_of_input);
  }

 private:
  int64_t next_id_ = 0;
};

/// `start | count` per tumbling(10) window of t, with `behavior`.
Table WindowCounts(const Behavior& behavior) {
  auto t = debug::table_from_markdown("t\n0\n");  // Only the schema is used.
  return CountsByStart(t, temporal::tumbling(10), behavior);
}

/// Feeds 2000 commits: commit c brings times 3c, 3c + 1, 3c + 2 and (after the first, which
/// sets "now") a row 40 behind, late for every behavior used here. Checks
/// after every commit that the live state stays within `max_state`. Returns the windows'
/// final counts.
std::map<int64_t, std::map<int64_t, Diff>> RunEndless(WiredWindowby& w, size_t max_state) {
  constexpr int kCommits = 2000;
  size_t peak_groups = 0, peak_held = 0, peak_remembered = 0;
  for (int c = 0; c < kCommits; ++c) {
    const int64_t base = 3 * int64_t{c};
    std::vector<int64_t> times = {base, base + 1, base + 2};
    if (c > 0) times.push_back(base - 40);
    w.Commit(times, static_cast<Time>(2 * c + 2));
    peak_groups = std::max(peak_groups, w.groupby->num_groups());
    if (w.delay != nullptr) peak_held = std::max(peak_held, w.delay->num_held());
    if (w.forget != nullptr)
      peak_remembered = std::max(peak_remembered, w.forget->num_remembered());
  }
  w.Commit({}, kEndOfInputTime, /*end_of_input=*/true);
  EXPECT_LE(peak_groups, max_state) << "live groups grew with the stream";
  EXPECT_LE(peak_held, max_state * 10) << "held rows grew with the stream";
  EXPECT_LE(peak_remembered, max_state) << "remembered windows grew with the stream";
  return w.sink.rows;
}

/// RunEndless's final rows when every window of [0, 6000) kept its result of 10 rows.
void ExpectEveryWindowOnceWithItsTenRows(
    const std::map<int64_t, std::map<int64_t, Diff>>& final_rows) {
  ASSERT_EQ(final_rows.size(), 600u);
  for (const auto& [start, counts] : final_rows) {
    EXPECT_EQ(counts, (std::map<int64_t, Diff>{{10, 1}})) << "window " << start;
  }
}

TEST(BehaviorState, CutoffKeepsGroupsBoundedAndResultsKept) {
  WiredWindowby w(WindowCounts(temporal::common_behavior(std::nullopt, /*cutoff=*/5)));
  ASSERT_NE(w.groupby, nullptr);
  ASSERT_NE(w.forget, nullptr);
  auto final_rows = RunEndless(w, /*max_state=*/4);
  // Every window of [0, 6000) keeps its result: 10 on-time rows each (the rows late by 40
  // are all beyond the cutoff of 5), and no forgetting retraction reached the output.
  ExpectEveryWindowOnceWithItsTenRows(final_rows);
}

TEST(BehaviorState, ExactlyOnceKeepsBufferAndGroupsBounded) {
  // exactly_once holds the groupby's results (the delay holds one key per window).
  WiredWindowby w(WindowCounts(temporal::exactly_once_behavior()));
  ASSERT_NE(w.delay, nullptr);
  EXPECT_TRUE(w.delay->holds_results());
  auto final_rows = RunEndless(w, /*max_state=*/4);
  ExpectEveryWindowOnceWithItsTenRows(final_rows);
}

TEST(BehaviorState, DelayEqualToDurationKeepsBufferAndGroupsBounded) {
  // The same emission as exactly_once through the row-holding delay: common_behavior with
  // delay = duration and cutoff = 0.
  WiredWindowby w(WindowCounts(temporal::common_behavior(10, 0)));
  ASSERT_NE(w.delay, nullptr);
  EXPECT_FALSE(w.delay->holds_results());
  auto final_rows = RunEndless(w, /*max_state=*/4);
  ExpectEveryWindowOnceWithItsTenRows(final_rows);
}

TEST(BehaviorState, KeepResultsFalseKeepsOnlyRecentWindows) {
  WiredWindowby w(WindowCounts(temporal::common_behavior(std::nullopt, 5, false)));
  auto final_rows = RunEndless(w, /*max_state=*/4);
  // Only windows not yet forgotten remain in the output: the last ones before now = 5999.
  EXPECT_LE(final_rows.size(), 2u);
  EXPECT_EQ(final_rows.rbegin()->first, 5990);
}

TEST(BehaviorState, WithoutBehaviorEveryWindowStaysLive) {
  // The reference: no behavior keeps every group (and late rows update old windows).
  auto t = debug::table_from_markdown("t\n0\n");
  auto result = t.windowby(t["t"], temporal::tumbling(10))
                    .reduce({{"start", this_["_pw_window_start"]}, {"count", reducers::count()}});
  WiredWindowby w(result);
  for (int c = 0; c < 200; ++c) {
    w.Commit({3 * int64_t{c}}, static_cast<Time>(2 * c + 2));
  }
  EXPECT_EQ(w.groupby->num_groups(), 60u);
}

}  // namespace
}  // namespace vigil
