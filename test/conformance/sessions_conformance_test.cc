// Conformance cases W-01..W-04, W-16, W-17, W-20 (§6.1) and M-01 (§6.4) of
// /work/shared/conformance/CASES.md: session windows. Expectations are copied unedited.
// FinalRows also reruns each table under the test matrix (batch sizes, row order, commit
// splits): a session's final state must not depend on how the input arrived.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "conformance_util.h"
#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::ContainsRegex;
using ::vigil::conformance::LookUp;
using ::vigil::conformance::RowsById;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::ExpectMatrixStable;
using ::vigil::testing::FinalRows;
using ::vigil::testing::RowsText;

/// Pathway's `lambda a, b: abs(a - b) <= limit` over int times.
Window AbsDiffAtMost(int64_t limit) {
  return temporal::session_predicate([limit](const Value& a, const Value& b) {
    return std::abs(a.as_int() - b.as_int()) <= limit;
  });
}

/// The input of test_session_simple (W-01/W-02).
Table SessionSimpleInput() {
  return debug::table_from_markdown(R"(
    | instance | t  | v
1   | 0        | 1  | 10
2   | 0        | 2  | 1
3   | 0        | 4  | 3
4   | 0        | 8  | 2
5   | 0        | 9  | 4
6   | 0        | 10 | 8
7   | 1        | 1  | 9
8   | 1        | 2  | 16
)");
}

// W-01: python/pathway/tests/temporal/test_windows.py::test_session_simple. argmin/argmax
// return input ids (looked up here, as Pathway's `t.ix(...)`).
TEST(SessionsConformance, W01_SessionSimple) {
  auto t = SessionSimpleInput();
  auto result = t.windowby(t["t"], AbsDiffAtMost(1), t["instance"])
                    .reduce({this_["_pw_instance"],
                             this_["_pw_window_start"],
                             this_["_pw_window_end"],
                             {"min_t", reducers::min(this_["t"])},
                             {"max_v", reducers::max(this_["v"])},
                             {"count", reducers::count()},
                             {"t_with_min_v", reducers::argmin(this_["v"])},
                             {"t_with_max_v", reducers::argmax(this_["v"])}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectMatrixStable(result);
  auto captured = debug::CaptureAll({t, result});
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  const auto input = RowsById((*captured)[0]);
  auto looked_up = LookUp((*captured)[1].updates, input, {{6, 1}, {7, 1}});
  EXPECT_EQ(RowsText(looked_up), ExpectedRows(R"(
0            | 1                | 2              | 1     | 10    | 2     | 2            | 1
0            | 4                | 4              | 4     | 3     | 1     | 4            | 4
0            | 8                | 10             | 8     | 8     | 3     | 8            | 10
1            | 1                | 2              | 1     | 16    | 2     | 1            | 2
)"));
}

// W-02: test_windows.py::test_session_simple_this. The instance column is referenced by its
// own name in reduce.
TEST(SessionsConformance, W02_SessionSimpleThisInstanceByName) {
  auto t = SessionSimpleInput();
  auto result = t.windowby(this_["t"], AbsDiffAtMost(1), this_["instance"])
                    .reduce({this_["instance"],
                             {"min_t", reducers::min(this_["t"])},
                             {"max_v", reducers::max(this_["v"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
0 | 1 | 10
0 | 4 | 3
0 | 8 | 8
1 | 1 | 16
)"));
}

// W-03: test_windows.py::test_session_max_gap. Float times; the gap is strict.
TEST(SessionsConformance, W03_SessionMaxGapFloat) {
  auto t = debug::table_from_markdown(R"(
    | t
0   | 1.0
1   | 1.1
2   | 1.2
3   | 3.0
4   | 3.4
5   | 3.5
)");
  auto result = t.windowby(t["t"], temporal::session(/*max_gap=*/0.15))
                    .reduce({{"min_t", reducers::min(this_["t"])}, {"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
1.0 | 3
3.0 | 1
3.4 | 2
)"));
}

// W-04: test_windows.py::test_session_max_gap_mixed. Int times with a float max_gap.
TEST(SessionsConformance, W04_SessionMaxGapMixed) {
  auto t = debug::table_from_markdown(R"(
    | t
0   | 10
1   | 11
2   | 12
3   | 30
4   | 34
5   | 35
)");
  auto result = t.windowby(t["t"], temporal::session(/*max_gap=*/1.5))
                    .reduce({{"min_t", reducers::min(this_["t"])}, {"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
10 | 3
30 | 1
34 | 2
)"));
}

// W-16: test_windows.py::test_windows_smart_cols, session part.
TEST(SessionsConformance, W16_SessionSmartCols) {
  auto t = debug::table_from_markdown(R"(
   | k | t
 0 | 1 | 1
 1 | 1 | 3
 2 | 1 | 4
 3 | 1 | 6
 4 | 1 | 7
 5 | 2 | -2
 6 | 2 | -1
 7 | 2 | 5
 8 | 2 | 6
 9 | 3 | 0
10 | 3 | 1
11 | 3 | 2
12 | 3 | 3
13 | 3 | 7
)");
  auto result = t.windowby(t["t"], AbsDiffAtMost(2), t["k"])
                    .reduce({this_["_pw_instance"],
                             {"min_t", reducers::min(this_["t"])},
                             {"max_t", reducers::max(this_["t"])},
                             {"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
2 | -2 | -1 | 2
3 | 0  | 3  | 4
1 | 1  | 7  | 5
2 | 5  | 6  | 2
3 | 7  | 7  | 1
)"));
}

constexpr const char* kDatetimeRows = R"(
id | t                         | a
1  | 2023-05-15T10:13:00{0} | 1
2  | 2023-05-15T10:14:00{0} | 2
3  | 2023-05-15T10:14:00{0} | 3
4  | 2023-05-15T10:26:00{0} | 4
5  | 2023-05-15T10:31:23{0} | 5
6  | 2023-05-15T11:00:20{0} | 6
)";

/// The W-17/W-20 input: `suffix` is the zone (`+02:00`) or empty (naive).
Table DatetimeInput(const std::string& suffix, DType time_type) {
  std::string text = kDatetimeRows;
  for (size_t at; (at = text.find("{0}")) != std::string::npos;) text.replace(at, 3, suffix);
  return debug::table_from_markdown(text, Schema{{"t", time_type}, {"a", dtype::Int}});
}

/// `min_a, max_a` over session(max_gap = 10 min); equal times (rows 2 and 3) share a session.
Table MinMaxA(const Table& t) {
  return t.windowby(t["t"], temporal::session(std::chrono::minutes(10)))
      .reduce({{"min_a", reducers::min(this_["a"])}, {"max_a", reducers::max(this_["a"])}});
}

// W-17: test_windows.py::test_windows_with_utc_datetimes, session part.
TEST(SessionsConformance, W17_SessionUtcDatetimes) {
  EXPECT_EQ(FinalRows(MinMaxA(DatetimeInput("+02:00", dtype::DateTimeUtc))), ExpectedRows(R"(
1 | 3
4 | 5
6 | 6
)"));
}

// W-20: test_windows.py::test_windows_with_datetimes, session part (naive datetimes).
TEST(SessionsConformance, W20_SessionNaiveDatetimes) {
  EXPECT_EQ(FinalRows(MinMaxA(DatetimeInput("", dtype::DateTimeNaive))), ExpectedRows(R"(
1 | 3
4 | 5
6 | 6
)"));
}

// M-01: the windowby manual (windowby_manual notebook): sessions per name, max_gap = 2 hours.
TEST(SessionsConformance, M01_ManualSessionsPerName) {
  auto t = debug::table_from_markdown(
      R"(
id | time                | name            | chocolate_bars
0  | 2023-06-22T09:12:34 | Fudge_McChoc    | 2
1  | 2023-06-22T09:23:56 | Ganache_Gobbler | 2
2  | 2023-06-22T09:45:20 | Truffle_Muncher | 1
3  | 2023-06-22T09:06:30 | Fudge_McChoc    | 1
4  | 2023-06-22T10:11:42 | Ganache_Gobbler | 2
5  | 2023-06-22T10:32:55 | Truffle_Muncher | 2
6  | 2023-06-22T11:07:18 | Fudge_McChoc    | 3
7  | 2023-06-22T11:23:12 | Ganache_Gobbler | 1
8  | 2023-06-22T11:49:29 | Truffle_Muncher | 2
9  | 2023-06-22T12:03:37 | Fudge_McChoc    | 4
10 | 2023-06-22T12:21:05 | Ganache_Gobbler | 3
11 | 2023-06-22T13:38:44 | Truffle_Muncher | 3
12 | 2023-06-22T14:04:12 | Fudge_McChoc    | 1
13 | 2023-06-22T15:26:39 | Ganache_Gobbler | 4
14 | 2023-06-22T15:55:00 | Truffle_Muncher | 1
15 | 2023-06-22T16:18:24 | Fudge_McChoc    | 2
16 | 2023-06-22T16:32:50 | Ganache_Gobbler | 1
17 | 2023-06-22T17:58:06 | Truffle_Muncher | 2
)",
      Schema{{"time", dtype::DateTimeNaive}, {"name", dtype::Str}, {"chocolate_bars", dtype::Int}});
  auto result = t.windowby(t["time"], temporal::session(std::chrono::hours(2)), t["name"])
                    .reduce({this_["name"],
                             {"session_start", this_["_pw_window_start"]},
                             {"session_end", this_["_pw_window_end"]},
                             {"chocolate_bars", reducers::sum(this_["chocolate_bars"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
Fudge_McChoc    | 2023-06-22 09:06:30 | 2023-06-22 12:03:37 | 10
Fudge_McChoc    | 2023-06-22 14:04:12 | 2023-06-22 14:04:12 | 1
Fudge_McChoc    | 2023-06-22 16:18:24 | 2023-06-22 16:18:24 | 2
Ganache_Gobbler | 2023-06-22 09:23:56 | 2023-06-22 12:21:05 | 8
Ganache_Gobbler | 2023-06-22 15:26:39 | 2023-06-22 16:32:50 | 5
Truffle_Muncher | 2023-06-22 09:45:20 | 2023-06-22 13:38:44 | 8
Truffle_Muncher | 2023-06-22 15:55:00 | 2023-06-22 15:55:00 | 1
Truffle_Muncher | 2023-06-22 17:58:06 | 2023-06-22 17:58:06 | 2
)"));
}

// W-23 (session row): test_windows.py::test_incorrect_args. A numeric max_gap with a
// DateTimeNaive time column is a TypeError.
TEST(SessionsConformance, W23_NaiveTimeWithNumericMaxGap) {
  auto t = DatetimeInput("", dtype::DateTimeNaive);
  auto result =
      t.windowby(t["t"], temporal::session(/*max_gap=*/2)).reduce({{"count", reducers::count()}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kTypeError) << result.status().ToString();
  EXPECT_THAT(result.status().ToString(),
              ContainsRegex("Arguments \\(time_expr, window.max_gap\\) have to be of types .* "
                            "but are of types .*"));
}

// test_windows.py::test_session_window_creation: a session needs a predicate or a max_gap
// (Pathway raises ValueError; here the window carries an Invalid status).
TEST(SessionsConformance, W23_SessionWithoutPredicateIsInvalid) {
  auto t = SessionSimpleInput();
  auto result = t.windowby(t["t"], temporal::session_predicate(nullptr))
                    .reduce({{"count", reducers::count()}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << result.status().ToString();
}

}  // namespace
}  // namespace vigil
