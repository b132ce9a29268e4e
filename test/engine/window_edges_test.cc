// Window assignment at the edges of the 64-bit axis and with huge ratios (issue 8): a row is
// never dropped without a message, window arithmetic never overflows (the suite runs under
// UBSan), bounds beyond int64 clamp to it, and a window putting a row in more than
// kMaxWindowsPerRow windows is rejected when the graph is built.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"
#include "vigil/graph/window.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::vigil::engine_test::RunStatus;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

/// `start | end | count` per window of column `t`.
Table Counts(const Table& t, const Window& window) {
  return t.windowby(t["t"], window)
      .reduce({{"start", this_["_pw_window_start"]},
               {"end", this_["_pw_window_end"]},
               {"count", reducers::count()}});
}

Table Times(const std::string& rows) { return debug::table_from_markdown("t\n" + rows); }

TEST(WindowEdges, WindowEndingPastInt64MaxKeepsItsRowWithAClampedEnd) {
  // [9223372036854775800, 9223372036854775860) ends past 2^63 - 1: the row is in it.
  auto result = Counts(Times("9223372036854775800\n9223372036854775807\n"),
                       temporal::tumbling(60));
  EXPECT_EQ(FinalRows(result),
            ExpectedRows("9223372036854775800 | 9223372036854775807 | 2"));
}

TEST(WindowEdges, WindowStartingBeforeInt64MinKeepsItsRowWithAClampedStart) {
  // floor(-2^63 / 60) * 60 = -9223372036854775860 is below -2^63.
  auto result = Counts(Times("-9223372036854775808\n"), temporal::tumbling(60));
  EXPECT_EQ(FinalRows(result),
            ExpectedRows("-9223372036854775808 | -9223372036854775800 | 1"));
}

TEST(WindowEdges, HopOfInt64MaxPutsANegativeTimeInExactlyOneWindow) {
  // Windows [k * (2^63 - 1), (k + 1) * (2^63 - 1)): t = -5 is only in k = -1.
  auto result = Counts(Times("-5\n7\n"), temporal::tumbling(kMax));
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
-9223372036854775807 | 0 | 1
0 | 9223372036854775807 | 1
)"));
}

TEST(WindowEdges, OriginAtInt64MinWithATimeAtInt64Max) {
  // t - origin = 2^64 - 1 does not fit in int64; the window is
  // [origin + floor((2^64 - 1) / 10) * 10, ... + 10) = [2^63 - 6 - ..., past the end).
  auto result =
      Counts(Times("9223372036854775807\n-9223372036854775808\n"), temporal::tumbling(10, kMin));
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
9223372036854775802 | 9223372036854775807 | 1
-9223372036854775808 | -9223372036854775798 | 1
)"));
}

TEST(WindowEdges, SlidingWithHugeHopAndDurationAtBothEnds) {
  // hop 2^61, duration 3 * 2^61 (3 windows per row): every window holding t = 2^63 - 1 ends
  // past the axis; two of those holding -2^63 start before it.
  const int64_t hop = int64_t{1} << 61;
  auto result = Counts(Times("9223372036854775807\n-9223372036854775808\n"),
                       temporal::sliding(hop, /*duration=*/3 * hop));
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
2305843009213693952 | 9223372036854775807 | 1
4611686018427387904 | 9223372036854775807 | 1
6917529027641081856 | 9223372036854775807 | 1
-9223372036854775808 | -6917529027641081856 | 1
-9223372036854775808 | -4611686018427387904 | 1
-9223372036854775808 | -2305843009213693952 | 1
)"));
}

TEST(WindowEdges, SlidingByRatioWithHugeHop) {
  // sliding(hop = 2^62, ratio = 2): the end origin + (k + 2) * hop is computed without the
  // int64 product hop * ratio.
  const int64_t hop = int64_t{1} << 62;
  auto result = Counts(Times("9223372036854775807\n"),
                       temporal::sliding(hop, std::nullopt, /*ratio=*/2));
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
0 | 9223372036854775807 | 1
4611686018427387904 | 9223372036854775807 | 1
)"));
}

TEST(WindowEdges, DatetimeWindowEndingPastTheLastNanosecond) {
  // A century-long tumbling window from the default origin (1973-01-01): the one holding
  // 2262-01-01 ends after 2262-04-11 23:47:16.854775807, the last representable instant.
  auto t = debug::table_from_markdown("t\n2262-01-01T00:00:00\n",
                                      Schema{{"t", dtype::DateTimeNaive}});
  auto result = Counts(t, temporal::tumbling(std::chrono::hours(24 * 36525)));
  auto rows = FinalRows(result);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0], HasSubstr("2262-04-11 23:47:16.854775807 | 1"));
}

TEST(WindowEdges, FloatTimeTooFarFromTheOriginIsReportedNotDropped) {
  auto result = Counts(debug::table_from_markdown("t\n1e300\n1.5\n"), temporal::tumbling(1.0));
  const Status status = RunStatus(result);
  EXPECT_THAT(status.message(), HasSubstr("too far from the window origin"));
  EXPECT_EQ(engine_test::RowsKeepingErrors(result), ExpectedRows("1.0 | 2.0 | 1"));
}

TEST(WindowEdges, TooManyWindowsPerRowIsRejectedWhenTheGraphIsBuilt) {
  auto t = Times("1\n");
  const std::vector<Window> too_many = {
      temporal::sliding(1, 1000000), temporal::sliding(1, int64_t{1000000000000}),
      temporal::sliding(1, std::nullopt, /*ratio=*/kMaxWindowsPerRow + 1),
      temporal::sliding(0.5, 5000.5),
      temporal::sliding(std::chrono::nanoseconds(1), std::chrono::hours(1))};
  for (const Window& w : too_many) {
    EXPECT_THAT(w.status.message(), HasSubstr("at most 10000 windows per row"));
    auto result = Counts(t, w);
    EXPECT_FALSE(result.ok());
    EXPECT_THAT(result.status().message(), HasSubstr("windowby: sliding window with hop"));
  }
  // The same limit applies to a Window whose fields were set by hand.
  Window by_hand = temporal::tumbling(1);
  by_hand.kind = Window::Kind::kSliding;
  by_hand.duration = TimeParam(int64_t{20000});
  EXPECT_THAT(Counts(t, by_hand).status().message(), HasSubstr("20000 windows"));
  // At the limit: fine.
  EXPECT_TRUE(Counts(t, temporal::sliding(1, kMaxWindowsPerRow)).ok());
  EXPECT_EQ(FinalRows(Counts(t, temporal::sliding(1, kMaxWindowsPerRow))).size(),
            static_cast<size_t>(kMaxWindowsPerRow));
}

TEST(WindowEdges, WindowsPerRowCountsPartialWindows) {
  EXPECT_EQ(WindowsPerRow(Value::Int(3), Value::Int(10), std::nullopt), 4);
  EXPECT_EQ(WindowsPerRow(Value::Int(5), Value::Int(10), std::nullopt), 2);
  EXPECT_EQ(WindowsPerRow(Value::Int(5), std::nullopt, 7), 7);
  EXPECT_EQ(WindowsPerRow(Value::Float(0.1), Value::Float(1e300), std::nullopt), kMax);
  EXPECT_EQ(WindowsPerRow(Value::Int(0), Value::Int(10), std::nullopt), std::nullopt);
}

TEST(WindowEdges, BehaviorThresholdNearInt64MaxDoesNotWrap) {
  // end + cutoff saturates: the window ending at (clamped) 2^63 - 1 is never late, so the
  // second row still counts. With wrapping, end + 100 would be negative and drop it.
  auto t = debug::table_from_markdown(R"(
t                   | __time__
9223372036854775800 | 2
9223372036854775801 | 4
)");
  auto result = t.windowby(t["t"], temporal::tumbling(60), std::nullopt,
                           temporal::common_behavior(std::nullopt, /*cutoff=*/100))
                    .reduce({{"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result, {.time_dependent = true}), ExpectedRows("2"));
}

TEST(WindowEdges, ExactlyOnceWithHugeRatioDurationSaturates) {
  const int64_t hop = int64_t{1} << 62;
  auto t = Times("1\n");
  auto result = t.windowby(t["t"], temporal::sliding(hop, std::nullopt, /*ratio=*/2), std::nullopt,
                           temporal::exactly_once_behavior(int64_t{1} << 62))
                    .reduce({{"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result, {.time_dependent = true}), ExpectedRows("1\n1"));
}

TEST(WindowEdges, SessionGapAcrossTheWholeAxis) {
  // next - prev overflows int64: they are not in one session.
  auto t = Times("-9223372036854775808\n9223372036854775807\n");
  auto result = t.windowby(t["t"], temporal::session(int64_t{10}))
                    .reduce({{"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("1\n1"));
}

TEST(WindowEdges, IgnoreLateThresholdNearInt64MaxDoesNotWrap) {
  auto t = debug::table_from_markdown(R"(
t                   | __time__
9223372036854775800 | 2
9223372036854775790 | 4
)");
  EXPECT_EQ(FinalRows(t.ignore_late(t["t"], 100), {.time_dependent = true}),
            ExpectedRows("9223372036854775800\n9223372036854775790"));
}

}  // namespace
}  // namespace vigil
