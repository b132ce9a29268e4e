// exactly_once windowby holds its groupby's results instead of its input rows
// (TemporalSpec::hold_results: the groupby aggregates rows as they come, the delay step only
// says when a window is emitted). Pathway defines exactly_once_behavior(shift) as
// common_behavior(delay = duration + shift, cutoff = shift, keep_results = True), which Vigil
// still runs by holding rows, so the two must give the same update stream: ids, values,
// processing times and diffs. Random update streams (insertions, retractions of earlier rows,
// late rows, Nones), commits of 1-40 rows, tumbling and sliding windows, int and float times,
// both cutoff clocks, several shifts and batch sizes.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "connectors/debug.h"
#include "engine_test_util.h"

namespace vigil {
namespace {

/// Random rows `id | k | t | v | s | __time__ | __diff__`: a few instances, event times
/// moving forward with some late rows, retractions of live rows (same id and values) and
/// re-insertions. `float_times`: times are multiples of 0.25 (exact in binary, so sums of
/// window bounds and shifts round the same way on both paths).
std::string RandomUpdates(uint64_t seed, size_t rows, bool float_times) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  struct Row {
    int64_t id;
    std::string cells;
  };
  std::vector<Row> live;
  std::string text = "id | k | t | v | s | __time__ | __diff__\n";
  int64_t time = 2, left_in_commit = pick(1, 40), now = 0, next_id = 0;
  for (size_t i = 0; i < rows; ++i) {
    if (left_in_commit-- == 0) {
      time += 2;
      left_in_commit = pick(1, 40);
    }
    if (!live.empty() && pick(0, 5) == 0) {  // Retract a live row, maybe re-insert it later.
      const size_t j = static_cast<size_t>(pick(0, static_cast<int64_t>(live.size()) - 1));
      text += fmt::format("{} | {} | {} | -1\n", live[j].id, live[j].cells, time);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(j));
      continue;
    }
    now += pick(0, 5);
    const int64_t t = std::max<int64_t>(0, now - (pick(0, 4) == 0 ? pick(0, 150) : 0));
    const std::string t_text = float_times ? fmt::format("{}.{}", t / 4, (t % 4) * 25)
                                           : std::to_string(t);
    const std::string v = pick(0, 9) == 0 ? "" : std::to_string(pick(-20, 20));
    const std::string s = std::string(1, static_cast<char>('a' + pick(0, 5)));
    Row row{next_id++, fmt::format("{} | {} | {} | {}", pick(0, 3), t_text, v, s)};
    text += fmt::format("{} | {} | {} | 1\n", row.id, row.cells, time);
    live.push_back(std::move(row));
  }
  return text;
}

Table Windowed(const Table& t, const Window& window, const Behavior& behavior) {
  return t.windowby(t["t"], window, this_["k"], behavior)
      .reduce({{"instance", this_["_pw_instance"]},
               {"start", this_["_pw_window_start"]},
               {"end", this_["_pw_window_end"]},
               {"count", reducers::count()},
               {"sum_v", reducers::sum(this_["v"])},
               {"avg_v", reducers::avg(this_["v"])},
               {"min_v", reducers::min(this_["v"])},
               {"max_v", reducers::max(this_["v"])},
               {"argmax_v", reducers::argmax(this_["v"])},
               {"any_s", reducers::any(this_["s"])},
               {"distinct_s", reducers::count_distinct({this_["s"]})},
               {"sorted_s", reducers::sorted_tuple(this_["s"])},
               {"max_t", reducers::max(this_["t"])}});
}

/// The update stream with ids, in canonical order.
std::vector<std::string> Stream(const Table& table, size_t max_batch_rows) {
  RunOptions options = engine_test::QuietOptions(/*terminate_on_error=*/false);
  options.max_batch_rows = max_batch_rows;
  options.echo_warnings = false;
  auto captured = debug::Capture(table, options);
  EXPECT_TRUE(captured.ok()) << captured.status().ToString();
  if (!captured.ok()) return {};
  std::vector<Update> updates = captured->updates;
  std::sort(updates.begin(), updates.end(), UpdateLess);
  std::vector<std::string> lines;
  for (const Update& u : updates) {
    std::string line = u.id.ToString();
    for (const StoredValue& v : u.row) line += " | " + FormatValue(v.get());
    lines.push_back(fmt::format("{} @{} {:+}", line, u.time, u.diff));
  }
  return lines;
}

/// Empty when equal; else the first lines where the streams differ (a full dump would be
/// thousands of rows).
std::string FirstDifference(const std::vector<std::string>& got,
                            const std::vector<std::string>& expected) {
  if (got == expected) return "";
  size_t i = 0;
  while (i < got.size() && i < expected.size() && got[i] == expected[i]) ++i;
  return fmt::format("{} vs {} updates; first difference at {}:\n  holding results: {}\n  "
                     "holding rows:    {}",
                     got.size(), expected.size(), i, i < got.size() ? got[i] : "(end)",
                     i < expected.size() ? expected[i] : "(end)");
}

struct Case {
  const char* name;
  Window window;
  double duration;  ///< The window's duration, for the row-holding equivalent's delay.
};

class ExactlyOnceHold : public ::testing::TestWithParam<uint64_t> {};

TEST_P(ExactlyOnceHold, SameStreamAsHoldingTheRows) {
  const uint64_t seed = GetParam();
  for (const bool float_times : {false, true}) {
    const Table rows = debug::table_from_markdown(RandomUpdates(seed, 800, float_times));
    const auto interval = [float_times](double x) -> TimeParam {
      if (float_times) return TimeParam(x);
      return TimeParam(static_cast<int64_t>(x));
    };
    const std::vector<Case> cases = {
        {"tumbling(50)", temporal::tumbling(interval(50)), 50},
        {"tumbling(40, origin 7)", temporal::tumbling(interval(40), interval(7)), 40},
        {"sliding(hop 20, duration 60)", temporal::sliding(interval(20), interval(60)), 60},
    };
    size_t windows_emitted = 0;
    for (const Case& c : cases) {
      for (const double shift : {0.0, 15.0}) {
        for (const auto clock :
             {Behavior::CutoffClock::kPerCommit, Behavior::CutoffClock::kReadingOrder}) {
          Behavior held = temporal::exactly_once_behavior(interval(shift));
          Behavior rows_held =
              temporal::common_behavior(interval(c.duration + shift), interval(shift));
          held.cutoff_clock = rows_held.cutoff_clock = clock;
          for (const size_t batch : {size_t{0}, size_t{1}, size_t{7}}) {
            const auto expected = Stream(Windowed(rows, c.window, rows_held), batch);
            EXPECT_EQ(FirstDifference(Stream(Windowed(rows, c.window, held), batch), expected),
                      "")
                << c.name << ", shift " << shift << ", float times " << float_times
                << ", reading-order clock " << (clock == Behavior::CutoffClock::kReadingOrder)
                << ", batch rows " << batch;
            windows_emitted += expected.size();
          }
        }
      }
    }
    // The comparison is about something: windows were emitted.
    EXPECT_GT(windows_emitted, 1000u);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, ExactlyOnceHold, ::testing::Values(1, 2, 3, 4));

/// Whether the groupby of `reduced` (a windowby's reduce) reads a delay that holds results.
bool HoldsResults(const Table& reduced) {
  const TableNode& forget = *reduced.node()->inputs[0];
  EXPECT_EQ(forget.kind, NodeKind::kForget);
  const TableNode& delay = *forget.inputs[0];
  EXPECT_EQ(delay.kind, NodeKind::kDelay);
  return delay.temporal.hold_results;
}

TEST(ExactlyOnceHoldTest, OnlyReducersThatIgnoreProcessingTimeHoldResults) {
  const Table t = debug::table_from_markdown("k | t\n1 | 1\n");
  const auto grouped = [&t](const Behavior& b) {
    return t.windowby(t["t"], temporal::tumbling(10), std::nullopt, b);
  };
  const Behavior once = temporal::exactly_once_behavior();
  EXPECT_TRUE(HoldsResults(grouped(once).reduce({{"m", reducers::max(this_["t"])}})));
  // earliest/latest read the processing time a row reaches the groupby: held rows reach it
  // when their window closes, so those keep holding rows.
  EXPECT_FALSE(HoldsResults(grouped(once).reduce({{"e", reducers::earliest(this_["t"])}})));
  EXPECT_FALSE(HoldsResults(grouped(once).reduce({{"l", reducers::latest(this_["t"])}})));
  // common_behavior with the same delay holds rows: what the differential test compares with.
  EXPECT_FALSE(HoldsResults(
      grouped(temporal::common_behavior(10, 0)).reduce({{"m", reducers::max(this_["t"])}})));
}

}  // namespace
}  // namespace vigil
