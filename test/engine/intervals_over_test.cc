// intervals_over windows under streams: late probes, probe and row retractions, updates that
// move a row between windows, outer windows that appear and disappear, equal probe values,
// lower == upper, datetime and float bounds, argument errors. Expected streams are worked out
// by hand; every pipeline also runs under the golden matrix (batch sizes, row order within a
// commit, commit splits), and a randomized stream is checked against the same rows given at
// once.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>
#include <string>

#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;
using ::vigil::testing::StreamRows;

/// `location | tuple(v) | count` per window.
Table Windows(const Table& data, const Table& probes, TimeParam lower, TimeParam upper,
              bool is_outer) {
  return data
      .windowby(data["t"], temporal::intervals_over(probes, probes["p"], lower, upper, is_outer))
      .reduce({{"location", this_["_pw_window_location"]},
               {"v", reducers::tuple(this_["v"])},
               {"n", reducers::count()}});
}

// A probe arriving in a later commit sees the rows already there; retracting a probe retracts
// its window.
TEST(IntervalsOver, LateProbeAndProbeRetraction) {
  auto data = debug::table_from_markdown(R"(
id | t | v  | __time__ | __diff__
1  | 1 | 10 | 2        | 1
2  | 3 | 20 | 2        | 1
3  | 6 | 30 | 2        | 1
)");
  auto probes = debug::table_from_markdown(R"(
id | p | __time__ | __diff__
1  | 2 | 2        | 1
2  | 5 | 4        | 1
1  | 2 | 6        | -1
)");
  EXPECT_EQ(StreamRows(Windows(data, probes, -1, 1, /*is_outer=*/false)), ExpectedRows(R"(
2 | (10, 20) | 2 | 2 | 1
5 | (30,)    | 1 | 4 | 1
2 | (10, 20) | 2 | 6 | -1
)"));
}

// A row in two windows: retracting it updates both.
TEST(IntervalsOver, RowRetractionUpdatesEveryWindowContainingIt) {
  auto data = debug::table_from_markdown(R"(
id | t | v | __time__ | __diff__
1  | 1 | 2 | 2        | 1
2  | 3 | 1 | 2        | 1
3  | 5 | 4 | 2        | 1
2  | 3 | 1 | 4        | -1
)");
  auto probes = debug::table_from_markdown(R"(
id | p | __time__ | __diff__
1  | 2 | 2        | 1
2  | 4 | 2        | 1
)");
  EXPECT_EQ(StreamRows(Windows(data, probes, -2, 2, /*is_outer=*/false)), ExpectedRows(R"(
2 | (2, 1) | 2 | 2 | 1
4 | (1, 4) | 2 | 2 | 1
2 | (2, 1) | 2 | 4 | -1
2 | (2,)   | 1 | 4 | 1
4 | (1, 4) | 2 | 4 | -1
4 | (4,)   | 1 | 4 | 1
)"));
}

// An update of a row's time (-old, +new with one id in one commit) moves it between windows.
TEST(IntervalsOver, RowUpdateMovesBetweenWindows) {
  auto data = debug::table_from_markdown(R"(
id | t | v | __time__ | __diff__
1  | 1 | 7 | 2        | 1
2  | 2 | 8 | 2        | 1
1  | 1 | 7 | 4        | -1
1  | 5 | 7 | 4        | 1
)");
  auto probes = debug::table_from_markdown(R"(
id | p | __time__ | __diff__
1  | 1 | 2        | 1
2  | 5 | 2        | 1
)");
  EXPECT_EQ(StreamRows(Windows(data, probes, 0, 1, /*is_outer=*/false)), ExpectedRows(R"(
1 | (7, 8) | 2 | 2 | 1
1 | (7, 8) | 2 | 4 | -1
1 | (8,)   | 1 | 4 | 1
5 | (7,)   | 1 | 4 | 1
)"));
}

// A probe update (-old, +new location) moves its window.
TEST(IntervalsOver, ProbeUpdateMovesItsWindow) {
  auto data = debug::table_from_markdown(R"(
id | t | v | __time__ | __diff__
1  | 1 | 7 | 2        | 1
2  | 9 | 8 | 2        | 1
)");
  auto probes = debug::table_from_markdown(R"(
id | p | __time__ | __diff__
1  | 1 | 2        | 1
1  | 1 | 4        | -1
1  | 9 | 4        | 1
)");
  EXPECT_EQ(StreamRows(Windows(data, probes, 0, 0, /*is_outer=*/false)), ExpectedRows(R"(
1 | (7,) | 1 | 2 | 1
1 | (7,) | 1 | 4 | -1
9 | (8,) | 1 | 4 | 1
)"));
}

// is_outer: a probe without rows is a group of one row of Nones (tuple (None,), count 1);
// it gives way to the real window when a row arrives and comes back when the row leaves.
// A retracted probe retracts its window, outer or not.
TEST(IntervalsOver, OuterWindowsAppearAndDisappear) {
  auto data = debug::table_from_markdown(R"(
id | t  | v | __time__ | __diff__
1  | 2  | 5 | 2        | 1
2  | 10 | 6 | 4        | 1
2  | 10 | 6 | 6        | -1
)");
  auto probes = debug::table_from_markdown(R"(
id | p  | __time__ | __diff__
1  | 2  | 2        | 1
2  | 10 | 2        | 1
1  | 2  | 8        | -1
2  | 10 | 10       | -1
)");
  EXPECT_EQ(StreamRows(Windows(data, probes, -1, 1, /*is_outer=*/true)), ExpectedRows(R"(
2  | (5,)    | 1 | 2  | 1
10 | (None,) | 1 | 2  | 1
10 | (None,) | 1 | 4  | -1
10 | (6,)    | 1 | 4  | 1
10 | (6,)    | 1 | 6  | -1
10 | (None,) | 1 | 6  | 1
2  | (5,)    | 1 | 8  | -1
10 | (None,) | 1 | 10 | -1
)"));
}

// With an instance, an outer probe's row of Nones has instance None; once rows come, the
// window is split by their instances and the None group goes.
TEST(IntervalsOver, OuterWindowWithInstance) {
  auto data = debug::table_from_markdown(R"(
id | t | v | k | __time__ | __diff__
1  | 3 | 5 | a | 4        | 1
2  | 3 | 6 | b | 4        | 1
)");
  auto probes = debug::table_from_markdown(R"(
id | p | __time__ | __diff__
1  | 3 | 2        | 1
)");
  auto result =
      data.windowby(data["t"], temporal::intervals_over(probes, probes["p"], 0, 0),
                    this_["k"])
          .reduce({this_["_pw_window_location"], this_["_pw_instance"],
                   {"v", reducers::sorted_tuple(this_["v"])}});
  EXPECT_EQ(StreamRows(result), ExpectedRows(R"(
3 | None | (None,) | 2 | 1
3 | None | (None,) | 4 | -1
3 | a    | (5,)    | 4 | 1
3 | b    | (6,)    | 4 | 1
)"));
}

// Two probes with one value make one group, as in Pathway (the groupby key is the window, not
// the probe): each row is counted once per probe. lower == upper: the window is one instant.
TEST(IntervalsOver, EqualProbeValuesShareAGroup) {
  auto data = debug::table_from_markdown(R"(
id | t | v | __time__ | __diff__
1  | 3 | 1 | 2        | 1
2  | 4 | 9 | 2        | 1
)");
  auto probes = debug::table_from_markdown(R"(
id | p | __time__ | __diff__
1  | 3 | 2        | 1
2  | 3 | 2        | 1
2  | 3 | 4        | -1
)");
  EXPECT_EQ(StreamRows(Windows(data, probes, 0, 0, /*is_outer=*/false)), ExpectedRows(R"(
3 | (1, 1) | 2 | 2 | 1
3 | (1, 1) | 2 | 4 | -1
3 | (1,)   | 1 | 4 | 1
)"));
}

// Bounds are inclusive at both ends; the bounds columns are `at + bound`.
TEST(IntervalsOver, BoundsAreInclusiveAndReported) {
  auto data = debug::table_from_markdown(R"(
id | t | v
1  | 0 | 1
2  | 1 | 2
3  | 4 | 3
4  | 5 | 4
)");
  auto probes = debug::table_from_markdown(R"(
id | p
1  | 3
)");
  auto result =
      data.windowby(data["t"], temporal::intervals_over(probes, probes["p"], -2, 1, false))
          .reduce({this_["_pw_window_start"], this_["_pw_window_end"],
                   {"v", reducers::tuple(this_["v"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("1 | 4 | (2, 3)"));
}

// Float bounds over int times: window bounds are floats.
TEST(IntervalsOver, FloatBoundsOverIntTimes) {
  auto data = debug::table_from_markdown(R"(
id | t | v
1  | 1 | 1
2  | 2 | 2
3  | 3 | 3
)");
  auto probes = debug::table_from_markdown(R"(
id | p
1  | 2
)");
  auto result =
      data.windowby(data["t"], temporal::intervals_over(probes, probes["p"], -0.5, 0.5, false))
          .reduce({this_["_pw_window_start"], this_["_pw_window_end"],
                   {"v", reducers::tuple(this_["v"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("1.5 | 2.5 | (2,)"));
}

// Datetime times and probes with duration bounds.
TEST(IntervalsOver, DatetimeWindows) {
  auto data = debug::table_from_markdown(R"(
id | t                   | v
1  | 2023-05-15T10:13:00 | 1
2  | 2023-05-15T10:14:00 | 2
3  | 2023-05-15T10:26:00 | 3
)",
                                         Schema{{"t", dtype::DateTimeNaive}, {"v", dtype::Int}});
  auto probes = debug::table_from_markdown(R"(
id | p
1  | 2023-05-15T10:15:00
2  | 2023-05-15T10:30:00
)",
                                           Schema{{"p", dtype::DateTimeNaive}});
  auto result = data.windowby(data["t"], temporal::intervals_over(
                                             probes, probes["p"], std::chrono::minutes(-2),
                                             std::chrono::minutes(0), false))
                    .reduce({this_["_pw_window_start"], this_["_pw_window_end"],
                             {"v", reducers::tuple(this_["v"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
2023-05-15 10:13:00 | 2023-05-15 10:15:00 | (1, 2)
)"));
}

// A common_behavior is ignored, as Pathway's _IntervalsOverWindow ignores it.
TEST(IntervalsOver, CommonBehaviorIsIgnored) {
  auto data = debug::table_from_markdown(R"(
id | t  | v | __time__
1  | 1  | 1 | 2
2  | 20 | 2 | 4
3  | 2  | 3 | 6
)");
  auto probes = debug::table_from_markdown(R"(
id | p
1  | 1
)");
  auto window = temporal::intervals_over(probes, probes["p"], 0, 2, false);
  auto with_behavior =
      data.windowby(data["t"], window, std::nullopt,
                    temporal::common_behavior(/*delay=*/5, /*cutoff=*/1, /*keep_results=*/false))
          .reduce({{"v", reducers::tuple(this_["v"])}});
  EXPECT_EQ(FinalRows(with_behavior), ExpectedRows("(1, 3)"));
}

TEST(IntervalsOver, ArgumentErrors) {
  auto data = debug::table_from_markdown("id | t | v\n1 | 1 | 1\n");
  auto probes = debug::table_from_markdown("id | p\n1 | 1\n");
  auto reduce = [](const GroupedTable& g) { return g.reduce({{"n", reducers::count()}}); };
  // A duration bound with int times.
  auto durations = reduce(data.windowby(
      data["t"], temporal::intervals_over(probes, probes["p"], std::chrono::seconds(-1),
                                          std::chrono::seconds(1))));
  ASSERT_FALSE(durations.ok());
  EXPECT_EQ(durations.status().code(), StatusCode::kTypeError);
  EXPECT_NE(durations.status().message().find(
                "Arguments (time_expr, window.lower_bound, window.upper_bound, window.at) have "
                "to be of types"),
            std::string::npos)
      << durations.status().ToString();
  EXPECT_NE(durations.status().message().find("but are of types (int, Duration, Duration, int)"),
            std::string::npos)
      << durations.status().ToString();
  // lower_bound > upper_bound.
  auto reversed =
      reduce(data.windowby(data["t"], temporal::intervals_over(probes, probes["p"], 2, 1)));
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reversed.status().message().find("lower_bound (2) has to be less than or equal"),
            std::string::npos)
      << reversed.status().ToString();
  // `at` naming a column the probe table lacks.
  auto missing =
      reduce(data.windowby(data["t"], temporal::intervals_over(probes, probes["q"], -1, 1)));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("'q'"), std::string::npos)
      << missing.status().ToString();
  // exactly_once_behavior: Pathway's intervals_over takes only a common_behavior.
  auto exactly_once = reduce(data.windowby(data["t"],
                                           temporal::intervals_over(probes, probes["p"], -1, 1),
                                           std::nullopt, temporal::exactly_once_behavior()));
  ASSERT_FALSE(exactly_once.ok());
  EXPECT_EQ(exactly_once.status().code(), StatusCode::kTypeError);
  // A failed probe table fails the windowby.
  auto failed_probes = probes.select({this_["nope"]});
  auto failed = reduce(
      data.windowby(data["t"], temporal::intervals_over(failed_probes, this_["nope"], -1, 1)));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("nope"), std::string::npos)
      << failed.status().ToString();
}

// A probe with a None location cannot have a window: it is reported (and fails the run, as a
// None time does for the other windows).
TEST(IntervalsOver, NoneLocationIsReported) {
  auto data = debug::table_from_markdown("id | t | v\n1 | 1 | 1\n");
  auto probes = debug::table_from_markdown("id | p\n1 | 1\n2 | None\n");
  auto result = Windows(data, probes, -1, 1, false);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  RunOptions options;
  options.echo_errors = false;
  auto captured = debug::Capture(result, options);
  ASSERT_FALSE(captured.ok());
  EXPECT_NE(captured.status().message().find("None or Error `at` value"), std::string::npos)
      << captured.status().ToString();
}

// Random inserts, retractions and updates of rows and probes over many commits, two
// instances, equal times and equal probe values: the final windows equal those of the
// surviving rows and probes given at once (ids kept, so tuple ties match too).
TEST(IntervalsOver, RandomStreamMatchesFromScratch) {
  std::mt19937 rng(11);
  for (int round = 0; round < 40; ++round) {
    const bool is_outer = round % 2 == 0;
    const int lower = -static_cast<int>(rng() % 4);
    const int upper = round % 4 == 1 ? lower : static_cast<int>(rng() % 3);
    std::map<int, std::pair<int, std::string>> rows;  // id -> (t, k)
    std::map<int, int> live_probes;                    // id -> p
    std::string row_stream = "id | t | v | k | __time__ | __diff__\n";
    std::string probe_stream = "id | p | __time__ | __diff__\n";
    auto row_line = [](int id, int t, const std::string& k, int commit, int diff) {
      return std::to_string(id) + " | " + std::to_string(t) + " | " + std::to_string(id * 10) +
             " | " + k + " | " + std::to_string(2 * commit) + " | " + std::to_string(diff) +
             "\n";
    };
    auto probe_line = [](int id, int p, int commit, int diff) {
      return std::to_string(id) + " | " + std::to_string(p) + " | " + std::to_string(2 * commit) +
             " | " + std::to_string(diff) + "\n";
    };
    for (int commit = 1; commit <= 6; ++commit) {
      for (int k = 0; k < 5; ++k) {
        const int id = static_cast<int>(rng() % 10);
        if (auto it = rows.find(id); it != rows.end()) {
          row_stream += row_line(id, it->second.first, it->second.second, commit, -1);
          if (rng() % 2 == 0) {  // An update: the row comes back with a new time.
            it->second.first = static_cast<int>(rng() % 12);
            row_stream += row_line(id, it->second.first, it->second.second, commit, 1);
          } else {
            rows.erase(it);
          }
        } else {
          const int t = static_cast<int>(rng() % 12);
          const std::string inst = rng() % 2 ? "a" : "b";
          row_stream += row_line(id, t, inst, commit, 1);
          rows[id] = {t, inst};
        }
      }
      for (int k = 0; k < 2; ++k) {
        const int id = static_cast<int>(rng() % 5);
        if (auto it = live_probes.find(id); it != live_probes.end()) {
          probe_stream += probe_line(id, it->second, commit, -1);
          live_probes.erase(it);
        } else {
          const int p = static_cast<int>(rng() % 12);
          probe_stream += probe_line(id, p, commit, 1);
          live_probes[id] = p;
        }
      }
    }
    if (rows.empty() || live_probes.empty()) continue;
    std::string final_rows = "id | t | v | k\n";
    for (const auto& [id, row] : rows) {
      final_rows += std::to_string(id) + " | " + std::to_string(row.first) + " | " +
                    std::to_string(id * 10) + " | " + row.second + "\n";
    }
    std::string final_probes = "id | p\n";
    for (const auto& [id, p] : live_probes) {
      final_probes += std::to_string(id) + " | " + std::to_string(p) + "\n";
    }
    auto windows = [&](const Table& data, const Table& probes) {
      const Window window = temporal::intervals_over(probes, probes["p"], lower, upper, is_outer);
      return data.windowby(data["t"], window, this_["k"])
          .reduce({this_["_pw_window_location"], this_["_pw_instance"],
                   {"v", reducers::tuple(this_["v"])},
                   {"n", reducers::count()},
                   {"min_id", reducers::argmin(this_["v"])}});
    };
    EXPECT_EQ(FinalRows(windows(debug::table_from_markdown(row_stream),
                                debug::table_from_markdown(probe_stream))),
              FinalRows(windows(debug::table_from_markdown(final_rows),
                                debug::table_from_markdown(final_probes))))
        << row_stream << probe_stream << final_rows << final_probes;
  }
}

}  // namespace
}  // namespace vigil
