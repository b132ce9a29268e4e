// windowby's Behavior::growth_steps (ops/temporal/growth_gate_op.h): a big window's result
// is updated when its row count has grown by the factor, and exactly when it closes. Hand-made
// streams for the rules, then random streams against the same pipeline without the gate:
// the final state is the same, and every version the gated pipeline emits is one the
// ungated pipeline went through. Streams are `values | time | diff`.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;
using ::vigil::testing::MatrixOptions;
using ::vigil::testing::StreamRows;

// Behaviors judge each commit as a whole: no commit splitting in the matrix.
constexpr MatrixOptions kPerCommit{.time_dependent = true};

Behavior Gated(int64_t cutoff, int64_t min_rows, double factor) {
  Behavior b = temporal::common_behavior(std::nullopt, cutoff);
  b.growth_steps = GrowthSteps{min_rows, factor};
  return b;
}

/// `start | count` per tumbling(100) window of column t.
Table Counts(const Table& t, const Behavior& behavior) {
  return t.windowby(t["t"], temporal::tumbling(100), std::nullopt, behavior)
      .reduce({{"start", this_["_pw_window_start"]}, {"count", reducers::count()}});
}

TEST(GrowthSteps, UpdatesAtMinRowsThenEachTimeTheCountDoubles) {
  // min_rows 2, factor 2: count 1 passes; 2 reaches min_rows (released at once); then
  // updates at 4 and 8 rows; the 9th row waits. The row at t=300 moves now to 300 >= end
  // (100) + cutoff (150): [0, 100) closes and its held row is released in that commit.
  auto t = debug::table_from_markdown(R"(
t   | __time__
1   | 2
2   | 4
3   | 6
4   | 8
5   | 10
6   | 12
7   | 14
8   | 16
9   | 18
300 | 20
)");
  EXPECT_EQ(StreamRows(Counts(t, Gated(150, 2, 2.0)), kPerCommit), ExpectedRows(R"(
0   | 1 | 2  | 1
0   | 1 | 4  | -1
0   | 2 | 4  | 1
0   | 2 | 8  | -1
0   | 4 | 8  | 1
0   | 4 | 16 | -1
0   | 8 | 16 | 1
0   | 8 | 20 | -1
0   | 9 | 20 | 1
300 | 1 | 20 | 1
)"));
}

TEST(GrowthSteps, EndOfInputReleasesWhatIsHeld) {
  // The window never closes (cutoff 1000): its last rows wait for the end of input.
  auto t = debug::table_from_markdown(R"(
t | __time__
1 | 2
2 | 4
3 | 6
)");
  EXPECT_EQ(StreamRows(Counts(t, Gated(1000, 1, 10.0)), kPerCommit), ExpectedRows(R"(
0 | 1 | 2                    | 1
0 | 1 | 18446744073709551614 | -1
0 | 3 | 18446744073709551614 | 1
)"));
}

TEST(GrowthSteps, WindowShrinkingBelowMinRowsPassesItsChangesAgain) {
  // min_rows 3, factor 10: three rows (released at 3), a fourth (held), then two retractions
  // leave 2 rows < min_rows: everything held goes, and later changes pass at once.
  auto t = debug::table_from_markdown(R"(
    | t | __time__ | __diff__
r1  | 1 | 2        | 1
r2  | 2 | 2        | 1
r3  | 3 | 4        | 1
r4  | 4 | 6        | 1
r1  | 1 | 8        | -1
r2  | 2 | 8        | -1
r5  | 5 | 10       | 1
)");
  EXPECT_EQ(StreamRows(Counts(t, Gated(1000, 3, 10.0)), kPerCommit), ExpectedRows(R"(
0 | 2 | 2  | 1
0 | 2 | 4  | -1
0 | 3 | 4  | 1
0 | 3 | 8  | -1
0 | 2 | 8  | 1
0 | 2 | 10 | -1
0 | 3 | 10 | 1
)"));
}

TEST(GrowthSteps, WindowsAreGatedOneByOne) {
  // Instances a and b in the same window: a's rows do not count for b's steps.
  auto t = debug::table_from_markdown(R"(
k | t | __time__
a | 1 | 2
a | 2 | 4
b | 3 | 4
a | 3 | 6
b | 4 | 8
)");
  auto result = t.windowby(t["t"], temporal::tumbling(100), t["k"], Gated(1000, 2, 100.0))
                    .reduce({this_["_pw_instance"], {"count", reducers::count()}});
  EXPECT_EQ(StreamRows(result, kPerCommit), ExpectedRows(R"(
a | 1 | 2                    | 1
a | 1 | 4                    | -1
a | 2 | 4                    | 1
b | 1 | 4                    | 1
b | 1 | 8                    | -1
b | 2 | 8                    | 1
a | 2 | 18446744073709551614 | -1
a | 3 | 18446744073709551614 | 1
)"));
}

TEST(GrowthSteps, InvalidSettingsAreErrors) {
  auto t = debug::table_from_markdown("t\n1\n");
  Behavior no_cutoff = temporal::common_behavior();
  no_cutoff.growth_steps = GrowthSteps{};
  Behavior exactly_once = temporal::exactly_once_behavior();
  exactly_once.growth_steps = GrowthSteps{};
  const std::vector<std::pair<Behavior, std::string>> cases = {
      {no_cutoff, "growth_steps needs a cutoff"},
      {exactly_once, "growth_steps is for common_behavior"},
      {Gated(10, 64, 1.0), "factor must be a finite number > 1"},
      {Gated(10, 0, 1.5), "min_rows >= 1, got factor 1.5 and min_rows 0"},
  };
  for (const auto& [behavior, message] : cases) {
    auto captured = debug::Capture(Counts(t, behavior));
    ASSERT_FALSE(captured.ok()) << message;
    EXPECT_THAT(captured.status().message(), HasSubstr(message));
  }
}

/// A random stream of `rows` rows (k, t, v) in commits of 1 to `max_commit` rows, event
/// times mostly increasing with jitter (some rows late for their window), instance "hot"
/// taking most rows (windows of hundreds of rows) and a tenth of the rows retracted later.
std::string RandomStream(uint64_t seed, int rows, int max_commit) {
  std::mt19937_64 rng(seed);
  std::string text = "   | k | t | v | __time__ | __diff__\n";
  struct Live {
    int id;
    std::string k;
    int64_t t, v;
  };
  std::vector<Live> live;
  int64_t time = 2, clock = 0;
  int in_commit = 0;
  int commit_size = 1 + static_cast<int>(rng() % max_commit);
  for (int i = 0; i < rows; ++i) {
    if (in_commit++ >= commit_size) {
      time += 2;
      in_commit = 1;
      commit_size = 1 + static_cast<int>(rng() % max_commit);
    }
    if (!live.empty() && rng() % 10 == 0) {
      const size_t j = rng() % live.size();
      const Live& r = live[j];
      text += fmt::format("r{} | {} | {} | {} | {} | -1\n", r.id, r.k, r.t, r.v, time);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(j));
      continue;
    }
    clock += static_cast<int64_t>(rng() % 3);
    const std::string k = rng() % 4 == 0 ? fmt::format("c{}", rng() % 5) : "hot";
    const int64_t t = std::max<int64_t>(0, clock - static_cast<int64_t>(rng() % 120));
    const int64_t v = static_cast<int64_t>(rng() % 1000);
    text += fmt::format("r{} | {} | {} | {} | {} | 1\n", i, k, t, v, time);
    live.push_back({i, k, t, v});
  }
  return text;
}

Table Summary(const Table& t, const Behavior& behavior) {
  return t.windowby(t["t"], temporal::tumbling(100), t["k"], behavior)
      .reduce({this_["_pw_instance"],
               {"start", this_["_pw_window_start"]},
               {"count", reducers::count()},
               {"sum", reducers::sum(this_["v"])},
               {"values", reducers::sorted_tuple(this_["v"])}});
}

TEST(GrowthSteps, RandomStreamsEndAsWithoutTheGateAndEmitOnlyVersionsOfIt) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE(fmt::format("seed {}", seed));
    const int max_commit = seed % 2 == 0 ? 3 : 40;
    auto t = debug::table_from_markdown(RandomStream(seed, 3000, max_commit));
    const Behavior plain = temporal::common_behavior(std::nullopt, /*cutoff=*/60);
    const Behavior gated =
        Gated(60, static_cast<int64_t>(4 + seed), 1.25 + 0.25 * static_cast<double>(seed));
    const auto plain_stream = StreamRows(Summary(t, plain), kPerCommit);
    const auto gated_stream = StreamRows(Summary(t, gated), kPerCommit);
    EXPECT_EQ(FinalRows(Summary(t, gated), kPerCommit), FinalRows(Summary(t, plain), kPerCommit));
    // Every version the gated pipeline inserts is one the plain pipeline went through: a
    // release brings the window to the plain pipeline's state at that commit (a window
    // released when it closes shows a state the plain pipeline reached earlier).
    const auto inserted_values = [](const std::vector<std::string>& stream) {
      std::multiset<std::string> values;
      for (const std::string& row : stream) {
        if (!row.ends_with(" | 1")) continue;
        const size_t time_at = row.rfind(" | ", row.size() - 5);
        values.insert(row.substr(0, time_at));
      }
      return values;
    };
    const auto plain_versions = inserted_values(plain_stream);
    size_t not_in_plain = 0;
    for (const std::string& v : inserted_values(gated_stream)) {
      not_in_plain += plain_versions.count(v) == 0;
    }
    EXPECT_EQ(not_in_plain, 0u);
    // The gate never adds versions; in commits of 1-3 rows (a live follower's) it skips
    // most of them: a window of the hot instance has ~75 rows.
    EXPECT_LE(gated_stream.size(), plain_stream.size());
    if (max_commit == 3) {
      EXPECT_LT(gated_stream.size() * 2, plain_stream.size());
    }
  }
}

}  // namespace
}  // namespace vigil
