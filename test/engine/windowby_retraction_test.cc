// windowby(...).reduce(...) with retractions of input rows: tumbling with instance, sliding
// with gaps and with a ratio, negative times, an explicit origin. Windows are [start, end),
// start = origin + k * hop (floor arithmetic). Expected rows worked out by hand.

#include <gtest/gtest.h>

#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;
using ::vigil::testing::StreamRows;

// tumbling(5): a's rows 1, 4 -> [0, 5), 6 -> [5, 10); b's row 2 -> [0, 5). Retracting a's 4
// updates its window; retracting b's only row removes b's window.
TEST(WindowbyRetraction, TumblingWithInstanceRetractsRows) {
  auto t = debug::table_from_markdown(R"(
id | t | inst | __time__ | __diff__
1  | 1 | a    | 2        | 1
2  | 4 | a    | 2        | 1
3  | 6 | a    | 2        | 1
4  | 2 | b    | 2        | 1
2  | 4 | a    | 4        | -1
4  | 2 | b    | 6        | -1
)");
  auto r = t.windowby(this_["t"], temporal::tumbling(5), this_["inst"])
               .reduce({{"inst", this_["inst"]},
                        {"start", this_["_pw_window_start"]},
                        {"end", this_["_pw_window_end"]},
                        {"n", reducers::count()},
                        {"s", reducers::sum(this_["t"])}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
a | 0 | 5  | 2 | 5 | 2 | 1
a | 5 | 10 | 1 | 6 | 2 | 1
b | 0 | 5  | 1 | 2 | 2 | 1
a | 0 | 5  | 2 | 5 | 4 | -1
a | 0 | 5  | 1 | 1 | 4 | 1
b | 0 | 5  | 1 | 2 | 6 | -1
)"));
}

// The same instance value in two windows and two instances in the same window stay apart.
TEST(WindowbyRetraction, InstancesSplitTheSameWindow) {
  auto t = debug::table_from_markdown(R"(
id | t | inst | __time__ | __diff__
1  | 1 | a    | 2        | 1
2  | 2 | b    | 2        | 1
3  | 3 | a    | 2        | 1
3  | 3 | a    | 4        | -1
3  | 3 | b    | 4        | 1
)");
  auto r = t.windowby(this_["t"], temporal::tumbling(10), this_["inst"])
               .reduce({{"inst", this_["_pw_instance"]},
                        {"start", this_["_pw_window_start"]},
                        {"n", reducers::count()}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
a | 0 | 2 | 2 | 1
b | 0 | 1 | 2 | 1
a | 0 | 2 | 4 | -1
a | 0 | 1 | 4 | 1
b | 0 | 1 | 4 | -1
b | 0 | 2 | 4 | 1
)"));
}

// sliding(hop=10, duration=4): windows [10k, 10k + 4). Times 5 and 14 fall in gaps (14 is
// the exclusive end of [10, 14)); -8 is in [-10, -6). Retracting 13 updates [10, 14);
// retracting 5 (in no window) changes nothing.
TEST(WindowbyRetraction, SlidingWithGapsIgnoresRowsOutsideEveryWindow) {
  auto t = debug::table_from_markdown(R"(
id | t  | __time__ | __diff__
1  | 1  | 2        | 1
2  | 5  | 2        | 1
3  | 12 | 2        | 1
4  | 13 | 2        | 1
5  | 14 | 2        | 1
6  | -8 | 2        | 1
4  | 13 | 4        | -1
2  | 5  | 6        | -1
)");
  auto r = t.windowby(this_["t"], temporal::sliding(10, 4))
               .reduce({{"start", this_["_pw_window_start"]},
                        {"end", this_["_pw_window_end"]},
                        {"n", reducers::count()},
                        {"ts", reducers::sorted_tuple(this_["t"])}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
0   | 4  | 1 | (1,)     | 2 | 1
10  | 14 | 2 | (12, 13) | 2 | 1
-10 | -6 | 1 | (-8,)    | 2 | 1
10  | 14 | 2 | (12, 13) | 4 | -1
10  | 14 | 1 | (12,)    | 4 | 1
)"));
}

// sliding(hop=2, ratio=3) = duration 6 over negative times: -3 is in the windows starting at
// -8, -6, -4; -1 in -6, -4, -2; 0 in -4, -2, 0. Retracting -3 removes window -8 and
// decrements -6 and -4.
TEST(WindowbyRetraction, SlidingWithRatioOverNegativeTimes) {
  auto t = debug::table_from_markdown(R"(
id | t  | __time__ | __diff__
1  | -3 | 2        | 1
2  | -1 | 2        | 1
3  | 0  | 2        | 1
1  | -3 | 4        | -1
)");
  auto r = t.windowby(this_["t"], temporal::sliding(2, std::nullopt, 3))
               .reduce({{"start", this_["_pw_window_start"]},
                        {"end", this_["_pw_window_end"]},
                        {"n", reducers::count()}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
-8 | -2 | 1 | 2 | 1
-6 | 0  | 2 | 2 | 1
-4 | 2  | 3 | 2 | 1
-2 | 4  | 2 | 2 | 1
0  | 6  | 1 | 2 | 1
-8 | -2 | 1 | 4 | -1
-6 | 0  | 2 | 4 | -1
-6 | 0  | 1 | 4 | 1
-4 | 2  | 3 | 4 | -1
-4 | 2  | 2 | 4 | 1
)"));
}

// Floor arithmetic for negative times: -1 and -10 are in [-10, 0), -11 in [-20, -10).
TEST(WindowbyRetraction, TumblingOverNegativeTimesUsesFloor) {
  auto t = debug::table_from_markdown(R"(
t
-1
-10
0
-11
9
)");
  auto r = t.windowby(this_["t"], temporal::tumbling(10))
               .reduce({{"start", this_["_pw_window_start"]},
                        {"end", this_["_pw_window_end"]},
                        {"n", reducers::count()},
                        {"lo", reducers::min(this_["t"])},
                        {"hi", reducers::max(this_["t"])}});
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
-20 | -10 | 1 | -11 | -11
-10 | 0   | 2 | -10 | -1
0   | 10  | 2 | 0   | 9
)"));
}

// tumbling(10, origin=3): windows [3 + 10k, 13 + 10k); 2 would be in [-7, 3), which starts
// before the explicit origin and is dropped, so retracting 2 changes nothing.
TEST(WindowbyRetraction, ExplicitOriginDropsWindowsStartingBeforeIt) {
  auto t = debug::table_from_markdown(R"(
id | t  | __time__ | __diff__
1  | 3  | 2        | 1
2  | 12 | 2        | 1
3  | 13 | 2        | 1
4  | 2  | 2        | 1
2  | 12 | 4        | -1
4  | 2  | 6        | -1
)");
  auto r = t.windowby(this_["t"], temporal::tumbling(10, 3))
               .reduce({{"start", this_["_pw_window_start"]},
                        {"end", this_["_pw_window_end"]},
                        {"n", reducers::count()}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
3 | 13 | 2 | 2 | 1
13 | 23 | 1 | 2 | 1
3 | 13 | 2 | 4 | -1
3 | 13 | 1 | 4 | 1
)"));
}

// sliding(hop=5, duration=10): with the default origin 0, time 2 is in [-5, 5) and [0, 10);
// with an explicit origin 0 the window starting at -5 is dropped (as is everything for -1).
TEST(WindowbyRetraction, ExplicitOriginEqualToDefaultStillFiltersSlidingWindows) {
  auto t = debug::table_from_markdown(R"(
t
2
7
-1
)");
  auto implicit = t.windowby(this_["t"], temporal::sliding(5, 10))
                      .reduce({{"start", this_["_pw_window_start"]},
                               {"end", this_["_pw_window_end"]},
                               {"n", reducers::count()}});
  EXPECT_EQ(FinalRows(implicit), ExpectedRows(R"(
-10 | 0  | 1
-5  | 5  | 2
0   | 10 | 2
5   | 15 | 1
)"));
  auto explicit_origin = t.windowby(this_["t"], temporal::sliding(5, 10, std::nullopt, 0))
                             .reduce({{"start", this_["_pw_window_start"]},
                                      {"end", this_["_pw_window_end"]},
                                      {"n", reducers::count()}});
  EXPECT_EQ(FinalRows(explicit_origin), ExpectedRows(R"(
0 | 10 | 2
5 | 15 | 1
)"));
}

// An update that moves a row's time to another window moves it between windows.
TEST(WindowbyRetraction, TimeUpdateMovesRowBetweenWindows) {
  auto t = debug::table_from_markdown(R"(
id | t  | __time__ | __diff__
1  | 1  | 2        | 1
2  | 3  | 2        | 1
2  | 3  | 4        | -1
2  | 11 | 4        | 1
)");
  auto r = t.windowby(this_["t"], temporal::tumbling(10))
               .reduce({{"start", this_["_pw_window_start"]},
                        {"n", reducers::count()},
                        {"hi", reducers::max(this_["t"])}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
0  | 2 | 3  | 2 | 1
0  | 2 | 3  | 4 | -1
0  | 1 | 1  | 4 | 1
10 | 1 | 11 | 4 | 1
)"));
}

// argmin inside windowby returns the original row id (not the id of the row's copy per
// window); after the minimum is retracted it moves to the next row.
TEST(WindowbyRetraction, ArgminInWindowReturnsOriginalRowId) {
  auto t = debug::table_from_markdown(R"(
id | t | v | __time__ | __diff__
1  | 1 | 5 | 2        | 1
2  | 2 | 3 | 2        | 1
2  | 2 | 3 | 4        | -1
)");
  auto r =
      t.windowby(this_["t"], temporal::sliding(2, 4))
          .reduce({{"start", this_["_pw_window_start"]}, {"arg", reducers::argmin(this_["v"])}});
  // t=1 is in [-2, 2) and [0, 4); t=2 in [0, 4) and [2, 6).
  const std::string id1 = KeyForIndex(1).ToString();
  const std::string id2 = KeyForIndex(2).ToString();
  EXPECT_EQ(StreamRows(r), ExpectedRows("-2 | " + id1 + " | 2 | 1\n" +  //
                                        "0 | " + id2 + " | 2 | 1\n" +   //
                                        "2 | " + id2 + " | 2 | 1\n" +   //
                                        "0 | " + id2 + " | 4 | -1\n" +  //
                                        "0 | " + id1 + " | 4 | 1\n" +   //
                                        "2 | " + id2 + " | 4 | -1\n"));
}

}  // namespace
}  // namespace vigil
