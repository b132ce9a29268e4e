// Session windows under retractions and late rows: only the sessions around a change are
// recomputed, their old (row, session) pairs retracted and the new ones inserted, so the
// reduce downstream sees exactly the session changes. Expected rows worked out by hand.

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

/// `start | end | n | sum(t)` per session.
Table Sessions(const Table& t, const Window& window) {
  return t.windowby(this_["t"], window)
      .reduce({{"start", this_["_pw_window_start"]},
               {"end", this_["_pw_window_end"]},
               {"n", reducers::count()},
               {"s", reducers::sum(this_["t"])}});
}

// max_gap 3: 1 and 5 are apart (gap 4); a late 3 is within 3 of both and merges them.
TEST(SessionWindows, LateRowMergesTwoSessions) {
  auto t = debug::table_from_markdown(R"(
id | t | __time__ | __diff__
1  | 1 | 2        | 1
2  | 5 | 2        | 1
3  | 3 | 4        | 1
)");
  EXPECT_EQ(StreamRows(Sessions(t, temporal::session(3))), ExpectedRows(R"(
1 | 1 | 1 | 1 | 2 | 1
5 | 5 | 1 | 5 | 2 | 1
1 | 1 | 1 | 1 | 4 | -1
5 | 5 | 1 | 5 | 4 | -1
1 | 5 | 3 | 9 | 4 | 1
)"));
}

// max_gap 2 (strict): 1-2 and 2-3 connect, 1-3 does not; retracting 2 splits the session.
TEST(SessionWindows, RetractingMiddleRowSplitsSession) {
  auto t = debug::table_from_markdown(R"(
id | t | __time__ | __diff__
1  | 1 | 2        | 1
2  | 2 | 2        | 1
3  | 3 | 2        | 1
2  | 2 | 4        | -1
)");
  EXPECT_EQ(StreamRows(Sessions(t, temporal::session(2))), ExpectedRows(R"(
1 | 3 | 3 | 6 | 2 | 1
1 | 3 | 3 | 6 | 4 | -1
1 | 1 | 1 | 1 | 4 | 1
3 | 3 | 1 | 3 | 4 | 1
)"));
}

// Equal times share a session. Retracting the representative row (the earliest id) moves the
// session to a new group; updating a row's time within one commit moves it to another session.
TEST(SessionWindows, EqualTimesAndUpdates) {
  auto t = debug::table_from_markdown(R"(
id | t  | __time__ | __diff__
1  | 5  | 2        | 1
2  | 5  | 2        | 1
3  | 5  | 2        | 1
4  | 10 | 2        | 1
1  | 5  | 4        | -1
3  | 5  | 6        | -1
3  | 9  | 6        | 1
)");
  EXPECT_EQ(StreamRows(Sessions(t, temporal::session(2))), ExpectedRows(R"(
5  | 5  | 3 | 15 | 2 | 1
10 | 10 | 1 | 10 | 2 | 1
5  | 5  | 3 | 15 | 4 | -1
5  | 5  | 2 | 10 | 4 | 1
5  | 5  | 2 | 10 | 6 | -1
5  | 5  | 1 | 5  | 6 | 1
10 | 10 | 1 | 10 | 6 | -1
9  | 10 | 2 | 19 | 6 | 1
)"));
}

// A predicate session: rows join while the next time is at most double the previous one.
TEST(SessionWindows, PredicateSessions) {
  auto t = debug::table_from_markdown(R"(
id | t
1  | 1
2  | 2
3  | 5
4  | 9
5  | 30
)");
  auto window = temporal::session_predicate(
      [](const Value& a, const Value& b) { return b.as_int() <= 2 * a.as_int(); });
  EXPECT_EQ(FinalRows(Sessions(t, window)), ExpectedRows(R"(
1  | 2  | 2 | 3
5  | 9  | 2 | 14
30 | 30 | 1 | 30
)"));
}

// max_gap must match the time column: a Duration with int times is a TypeError.
TEST(SessionWindows, MaxGapTypeMismatch) {
  auto t = debug::table_from_markdown(R"(
id | t
1  | 1
)");
  auto r = Sessions(t, temporal::session(std::chrono::minutes(1)));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("Arguments (time_expr, window.max_gap) have to be of types"),
            std::string::npos)
      << r.status().ToString();
  EXPECT_NE(r.status().ToString().find("but are of types (int, Duration)"), std::string::npos)
      << r.status().ToString();
}

// Random inserts, retractions and time updates over many commits, two instances, with a
// max_gap and equal times: the final sessions equal those of the surviving rows given at once.
TEST(SessionWindows, RandomStreamMatchesFromScratch) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::map<int, std::pair<int, std::string>> live;  // id -> (t, instance)
    std::string stream = "id | t | inst | __time__ | __diff__\n";
    for (int commit = 1; commit <= 8; ++commit) {
      for (int k = 0; k < 6; ++k) {
        const int id = static_cast<int>(rng() % 12);
        const std::string row_time = std::to_string(2 * commit);
        if (auto it = live.find(id); it != live.end()) {
          stream += std::to_string(id) + " | " + std::to_string(it->second.first) + " | " +
                    it->second.second + " | " + row_time + " | -1\n";
          live.erase(it);
        } else {
          const int t = static_cast<int>(rng() % 20);
          const std::string inst = rng() % 2 ? "a" : "b";
          stream += std::to_string(id) + " | " + std::to_string(t) + " | " + inst + " | " +
                    row_time + " | 1\n";
          live[id] = {t, inst};
        }
      }
    }
    std::string final_rows = "id | t | inst\n";
    for (const auto& [id, row] : live) {
      final_rows +=
          std::to_string(id) + " | " + std::to_string(row.first) + " | " + row.second + "\n";
    }
    auto sessions = [](const Table& t) {
      return t.windowby(this_["t"], temporal::session(3), this_["inst"])
          .reduce({{"inst", this_["inst"]},
                   {"start", this_["_pw_window_start"]},
                   {"end", this_["_pw_window_end"]},
                   {"n", reducers::count()},
                   {"s", reducers::sum(this_["t"])}});
    };
    if (live.empty()) continue;
    EXPECT_EQ(FinalRows(sessions(debug::table_from_markdown(stream))),
              FinalRows(sessions(debug::table_from_markdown(final_rows))))
        << stream << final_rows;
  }
}

}  // namespace
}  // namespace vigil
