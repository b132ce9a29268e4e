// The reading-order cutoff clock (Behavior::CutoffClock::kReadingOrder, issue 8): the rows a
// windowby behavior accepts depend only on the order of the rows, never on how they were cut
// into commits (a replay's big commits, a live follower's tiny ones), and forgetting and
// exactly_once emission stay consistent with it. The default per-commit clock (Pathway's) is
// checked to differ on a constructed stream.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"
#include "vigil/graph/window.h"

namespace vigil {
namespace {

using ::vigil::engine_test::QuietOptions;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::RowsText;

struct Row {
  int64_t t;
  int k;
};

/// A table_from_markdown stream of `rows` in order, row i in commit commit_of[i] (commit
/// numbers increase along the rows).
std::string Markdown(const std::vector<Row>& rows, const std::vector<int>& commit_of) {
  std::string text = "t | k | __time__\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    text += std::to_string(rows[i].t) + " | " + std::to_string(rows[i].k) + " | " +
            std::to_string(2 * (commit_of[i] + 1)) + "\n";
  }
  return text;
}

Behavior ReadingOrder(Behavior b) {
  b.cutoff_clock = Behavior::CutoffClock::kReadingOrder;
  return b;
}

/// `k | start | count | sum(t)` per (window, k).
Table Pipeline(const Table& t, const Window& window, const Behavior& behavior) {
  return t.windowby(t["t"], window, this_["k"], behavior)
      .reduce({{"k", this_["_pw_instance"]},
               {"start", this_["_pw_window_start"]},
               {"count", reducers::count()},
               {"total", reducers::sum(this_["t"])}});
}

std::vector<std::string> Final(const Table& table, size_t max_batch_rows = 0) {
  RunOptions options = QuietOptions();
  options.max_batch_rows = max_batch_rows;
  auto captured = debug::Capture(table, options);
  EXPECT_TRUE(captured.ok()) << captured.status().ToString();
  if (!captured.ok()) return {};
  return RowsText(captured->Final());
}

/// An insert-only stream whose time drifts forward with late rows (up to `lateness` behind).
std::vector<Row> DriftingRows(size_t n, int64_t lateness, std::mt19937_64& rng) {
  std::vector<Row> rows;
  int64_t front = 0;
  for (size_t i = 0; i < n; ++i) {
    front += static_cast<int64_t>(rng() % 3);
    rows.push_back({front - static_cast<int64_t>(rng() % static_cast<uint64_t>(lateness + 1)),
                    static_cast<int>(rng() % 3)});
  }
  return rows;
}

/// A random cut of n rows into commits: each boundary taken with probability 1/mean_size.
std::vector<int> RandomCommits(size_t n, size_t mean_size, std::mt19937_64& rng) {
  std::vector<int> commit_of(n);
  int commit = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && rng() % mean_size == 0) ++commit;
    commit_of[i] = commit;
  }
  return commit_of;
}

TEST(ReadingOrderCutoff, AcceptedRowsDoNotDependOnCommitSplits) {
  std::mt19937_64 rng(20240601);
  const std::vector<std::pair<Window, Behavior>> setups = {
      {temporal::tumbling(10), temporal::common_behavior(std::nullopt, /*cutoff=*/3)},
      {temporal::tumbling(10), temporal::exactly_once_behavior(int64_t{2})},
      {temporal::sliding(4, 12), temporal::common_behavior(std::nullopt, /*cutoff=*/0)},
      {temporal::sliding(5, 10), temporal::exactly_once_behavior()},
      {temporal::tumbling(8), temporal::common_behavior(/*delay=*/int64_t{4}, /*cutoff=*/6)},
  };
  for (size_t s = 0; s < setups.size(); ++s) {
    SCOPED_TRACE("setup " + std::to_string(s));
    const std::vector<Row> rows = DriftingRows(1500, /*lateness=*/25, rng);
    const auto& [window, behavior] = setups[s];
    // Reference: every row its own commit (a live follower at its finest).
    std::vector<int> singles(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) singles[i] = static_cast<int>(i);
    const std::vector<std::string> expected =
        Final(Pipeline(debug::table_from_markdown(Markdown(rows, singles)), window,
                       ReadingOrder(behavior)));
    ASSERT_FALSE(expected.empty());
    // The stream has rows late in reading order: the per-commit clock, which judges a single
    // commit with no "now" at all, keeps more of them.
    EXPECT_NE(Final(Pipeline(debug::table_from_markdown(
                                 Markdown(rows, std::vector<int>(rows.size(), 0))),
                             window, behavior)),
              expected);
    // One commit (a static run), then random cuts of every grain, with several batch sizes.
    std::vector<std::vector<int>> splits = {std::vector<int>(rows.size(), 0)};
    for (size_t mean : {2, 5, 40, 300}) splits.push_back(RandomCommits(rows.size(), mean, rng));
    for (size_t i = 0; i < splits.size(); ++i) {
      SCOPED_TRACE("split " + std::to_string(i));
      const Table input = debug::table_from_markdown(Markdown(rows, splits[i]));
      for (size_t batch : {0, 1, 7}) {
        SCOPED_TRACE("max_batch_rows " + std::to_string(batch));
        EXPECT_EQ(Final(Pipeline(input, window, ReadingOrder(behavior)), batch), expected);
      }
    }
  }
}

TEST(ReadingOrderCutoff, DiffersFromThePerCommitClockWithinOneCommit) {
  // Window [0, 10), cutoff 0. t=100 then t=5: in one commit the per-commit clock has no
  // "now" yet and keeps both; in reading order t=5 comes after t=100 and is late.
  const std::vector<Row> rows = {{100, 0}, {5, 0}};
  const Table one_commit = debug::table_from_markdown(Markdown(rows, {0, 0}));
  const Table two_commits = debug::table_from_markdown(Markdown(rows, {0, 1}));
  const Behavior per_commit = temporal::common_behavior(std::nullopt, /*cutoff=*/0);
  EXPECT_EQ(Final(Pipeline(one_commit, temporal::tumbling(10), per_commit)),
            ExpectedRows("0 | 0 | 1 | 5\n0 | 100 | 1 | 100"));
  EXPECT_EQ(Final(Pipeline(two_commits, temporal::tumbling(10), per_commit)),
            ExpectedRows("0 | 100 | 1 | 100"));
  for (const Table& input : {one_commit, two_commits}) {
    EXPECT_EQ(Final(Pipeline(input, temporal::tumbling(10), ReadingOrder(per_commit))),
              ExpectedRows("0 | 100 | 1 | 100"));
  }
}

TEST(ReadingOrderCutoff, PairsOfOneRowDoNotJudgeEachOther) {
  // sliding(2, 10), cutoff -6: t=8 is in [0,10) .. [8,18), thresholds 4, 6, 8, 10, 12. No
  // row came before it, so all five pairs pass; its own time (8) must not make the pairs
  // with thresholds 6 and 8 late. The next row (t=9) comes after t=8: its windows with
  // threshold <= 8 are late.
  const Table input = debug::table_from_markdown(Markdown({{8, 0}, {9, 0}}, {0, 0}));
  const auto result = Pipeline(input, temporal::sliding(2, 10),
                               ReadingOrder(temporal::common_behavior(std::nullopt, -6)));
  EXPECT_EQ(Final(result), ExpectedRows(R"(
0 | 0 | 1 | 8
0 | 2 | 1 | 8
0 | 4 | 1 | 8
0 | 6 | 2 | 17
0 | 8 | 2 | 17
)"));
}

TEST(ReadingOrderCutoff, ExactlyOnceEmitsEachWindowOnceAndLateRowsNeverReopenIt) {
  // exactly_once(0), tumbling(10): a window is emitted once "now" reaches its end, in the
  // commit that moved it there; later rows for it are late (in the same commit too), so no
  // window is ever updated after its emission, whatever the commit split.
  const std::vector<Row> rows = {{1, 0}, {4, 0}, {12, 0}, {3, 0}, {15, 0}, {25, 0}, {14, 0}};
  for (const std::vector<int>& split :
       {std::vector<int>{0, 0, 0, 0, 0, 0, 0}, std::vector<int>{0, 1, 2, 3, 4, 5, 6},
        std::vector<int>{0, 0, 0, 1, 1, 2, 2}}) {
    const Table input = debug::table_from_markdown(Markdown(rows, split));
    auto captured = debug::Capture(
        Pipeline(input, temporal::tumbling(10), ReadingOrder(temporal::exactly_once_behavior())),
        QuietOptions());
    ASSERT_TRUE(captured.ok()) << captured.status().ToString();
    for (const Update& u : captured->updates) EXPECT_GT(u.diff, 0) << "a window was updated";
    EXPECT_EQ(RowsText(captured->Final()), ExpectedRows("0 | 0 | 2 | 5\n0 | 10 | 2 | 27\n0 | 20 | 1 | 25"));
  }
}

TEST(ReadingOrderCutoff, IsOffByDefault) {
  EXPECT_EQ(temporal::common_behavior(std::nullopt, 1).cutoff_clock,
            Behavior::CutoffClock::kPerCommit);
  EXPECT_EQ(temporal::exactly_once_behavior().cutoff_clock, Behavior::CutoffClock::kPerCommit);
}

}  // namespace
}  // namespace vigil
