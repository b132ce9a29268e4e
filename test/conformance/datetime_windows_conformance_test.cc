// Conformance cases W-18, W-19, W-21, W-22, W-23 (rows without session windows) and M-03 of
// /work/shared/conformance/CASES.md (§6.1, §6.4): tumbling and sliding windows over
// DateTimeUtc / DateTimeNaive time columns, and the TypeError raised when the window
// arguments do not match the time column's type. Expectations are copied unedited.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;

/// The input of test_windows_with_utc_datetimes (W-17/18/19): `t` parsed with
/// `%Y-%m-%dT%H:%M:%S%z`.
Table UtcInput() {
  return debug::table_from_markdown(R"(
id | t                         | a
1  | 2023-05-15T10:13:00+02:00 | 1
2  | 2023-05-15T10:14:00+02:00 | 2
3  | 2023-05-15T10:14:00+02:00 | 3
4  | 2023-05-15T10:26:00+02:00 | 4
5  | 2023-05-15T10:31:23+02:00 | 5
6  | 2023-05-15T11:00:20+02:00 | 6
)",
                                    Schema{{"t", dtype::DateTimeUtc}, {"a", dtype::Int}});
}

/// The input of test_windows_with_datetimes (W-20/21/22): the same without `+02:00`, parsed
/// with `%Y-%m-%dT%H:%M:%S` (naive).
Table NaiveInput() {
  return debug::table_from_markdown(R"(
id | t                   | a
1  | 2023-05-15T10:13:00 | 1
2  | 2023-05-15T10:14:00 | 2
3  | 2023-05-15T10:14:00 | 3
4  | 2023-05-15T10:26:00 | 4
5  | 2023-05-15T10:31:23 | 5
6  | 2023-05-15T11:00:20 | 6
)",
                                    Schema{{"t", dtype::DateTimeNaive}, {"a", dtype::Int}});
}

/// `min_a=min(a), max_a=max(a)`, the reduce of W-17..W-22.
Table ReduceMinMaxA(const Table& t, const Window& window) {
  return t.windowby(t["t"], window)
      .reduce({{"min_a", reducers::min(this_["a"])}, {"max_a", reducers::max(this_["a"])}});
}

// W-18: python/pathway/tests/temporal/test_windows.py::test_windows_with_utc_datetimes,
// tumbling(30 min). UTC windows 08:00-08:30, 08:30-09:00, 09:00-09:30.
TEST(DatetimeWindowsConformance, W18_TumblingUtcDatetimes) {
  auto t = UtcInput();
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto result = ReduceMinMaxA(t, temporal::tumbling(std::chrono::minutes(30)));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
1 | 4
5 | 5
6 | 6
)"));
}

// W-18 (bounds): the same windows, with their UTC bounds shown. Not in Pathway's test (which
// reduces only min_a/max_a); checks the `(UTC windows 08:00-08:30, ...)` note of the case.
TEST(DatetimeWindowsConformance, W18_TumblingUtcDatetimesWindowBounds) {
  auto t = UtcInput();
  auto result =
      t.windowby(t["t"], temporal::tumbling(std::chrono::minutes(30)))
          .reduce({this_["_pw_window_start"], this_["_pw_window_end"],
                   {"min_a", reducers::min(this_["a"])}, {"max_a", reducers::max(this_["a"])}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
2023-05-15 08:00:00+00:00 | 2023-05-15 08:30:00+00:00 | 1 | 4
2023-05-15 08:30:00+00:00 | 2023-05-15 09:00:00+00:00 | 5 | 5
2023-05-15 09:00:00+00:00 | 2023-05-15 09:30:00+00:00 | 6 | 6
)"));
}

// W-19: test_windows_with_utc_datetimes, sliding(hop=15 min, duration=30 min).
TEST(DatetimeWindowsConformance, W19_SlidingUtcDatetimes) {
  auto t = UtcInput();
  auto result = ReduceMinMaxA(
      t, temporal::sliding(std::chrono::minutes(15), TimeParam(std::chrono::minutes(30))));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
1 | 3
1 | 4
4 | 5
5 | 5
6 | 6
6 | 6
)"));
}

// W-21: test_windows.py::test_windows_with_datetimes, tumbling(30 min), naive times.
TEST(DatetimeWindowsConformance, W21_TumblingNaiveDatetimes) {
  auto t = NaiveInput();
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto result = ReduceMinMaxA(t, temporal::tumbling(std::chrono::minutes(30)));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
1 | 4
5 | 5
6 | 6
)"));
}

// W-22: test_windows_with_datetimes, sliding(hop=15 min, duration=30 min), naive times.
TEST(DatetimeWindowsConformance, W22_SlidingNaiveDatetimes) {
  auto t = NaiveInput();
  auto result = ReduceMinMaxA(
      t, temporal::sliding(std::chrono::minutes(15), TimeParam(std::chrono::minutes(30))));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
1 | 3
1 | 4
4 | 5
5 | 5
6 | 6
6 | 6
)"));
}

/// Windows `t` (of type `time_type`) with `window` and returns the resulting table, whose
/// status carries the argument TypeError.
Table WindowOver(DType time_type, const std::string& time_text, const Window& window) {
  auto t = debug::table_from_markdown("t\n" + time_text + "\n", Schema{{"t", time_type}});
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.windowby(t["t"], window).reduce({{"count", reducers::count()}});
}

/// Checks the TypeError of test_incorrect_args: the message matches
/// `Arguments (time_expr<list>) have to be of types .* but are of types .*`.
void ExpectArgumentTypeError(const Table& result, const std::string& list) {
  ASSERT_FALSE(result.ok()) << "expected a TypeError naming (time_expr" << list << ")";
  EXPECT_EQ(result.status().code(), StatusCode::kTypeError) << result.status().ToString();
  const std::string& message = result.status().message();
  EXPECT_THAT(message, HasSubstr("Arguments (time_expr" + list + ") have to be of types "));
  std::string escaped;
  for (char c : list) {
    if (c == '.') escaped += '\\';
    escaped += c;
  }
  EXPECT_THAT(message, ContainsRegex("Arguments \\(time_expr" + escaped +
                                     "\\) have to be of types .* but are of types .*"));
}

// W-23: test_windows.py::test_incorrect_args, the rows without session windows (the
// session(max_gap=2) row is with the session-window tests).
TEST(DatetimeWindowsConformance, W23_IntTimeWithDurationHop) {
  ExpectArgumentTypeError(
      WindowOver(dtype::Int, "1", temporal::tumbling(std::chrono::days(1))), ", window.hop");
}

TEST(DatetimeWindowsConformance, W23_IntTimeWithDurationHopAndDatetimeOrigin) {
  ExpectArgumentTypeError(
      WindowOver(dtype::Int, "1",
                 temporal::tumbling(std::chrono::days(1),
                                    datetime_naive("1970-01-01T00:00:00"))),
      ", window.hop, window.origin");
}

TEST(DatetimeWindowsConformance, W23_UtcTimeWithNumericSliding) {
  ExpectArgumentTypeError(WindowOver(dtype::DateTimeUtc, "2023-05-15T10:13:00+02:00",
                                     temporal::sliding(2, TimeParam(3.5))),
                          ", window.hop, window.duration");
}

TEST(DatetimeWindowsConformance, W23_NaiveTimeWithFloatTumbling) {
  ExpectArgumentTypeError(
      WindowOver(dtype::DateTimeNaive, "2023-05-15T10:13:00", temporal::tumbling(1.2)),
      ", window.hop");
}

TEST(DatetimeWindowsConformance, W23_NaiveTimeWithNumericSliding) {
  ExpectArgumentTypeError(WindowOver(dtype::DateTimeNaive, "2023-05-15T10:13:00",
                                     temporal::sliding(2, TimeParam(3.5))),
                          ", window.hop, window.duration");
}

// M-03: the windowby manual (docs/2.developers/4.user-guide/40.temporal-data/
// .windowby-reduce-manual/article.py), tumbling(duration=5h) with instance=name over naive
// datetimes; printed with include_id=False, so rows are compared. The default origin
// 1973-01-01 puts the boundaries at 09:00 and 14:00 on that day.
TEST(DatetimeWindowsConformance, M03_TumblingFiveHoursWithInstanceNaive) {
  auto events = debug::table_from_markdown(R"(
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
                                             Schema{{"time", dtype::DateTimeNaive},
                                                    {"name", dtype::Str},
                                                    {"chocolate_bars", dtype::Int}});
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  auto result =
      events
          .windowby(events["time"], temporal::tumbling(std::chrono::hours(5)), events["name"])
          .reduce({{"name", this_["_pw_instance"]},
                   this_["_pw_window_start"],
                   this_["_pw_window_end"],
                   {"chocolate_bars", reducers::sum(this_["chocolate_bars"])}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
Fudge_McChoc    | 2023-06-22 09:00:00 | 2023-06-22 14:00:00 | 10
Fudge_McChoc    | 2023-06-22 14:00:00 | 2023-06-22 19:00:00 | 3
Ganache_Gobbler | 2023-06-22 09:00:00 | 2023-06-22 14:00:00 | 8
Ganache_Gobbler | 2023-06-22 14:00:00 | 2023-06-22 19:00:00 | 5
Truffle_Muncher | 2023-06-22 09:00:00 | 2023-06-22 14:00:00 | 8
Truffle_Muncher | 2023-06-22 14:00:00 | 2023-06-22 19:00:00 | 3
)"));
}

}  // namespace
}  // namespace vigil
