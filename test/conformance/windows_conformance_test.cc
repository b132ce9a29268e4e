// Conformance cases W-* of /work/shared/conformance/CASES.md (§6.1): tumbling and sliding
// windows, static inputs. Each test restates one Pathway test; expectations are copied
// unedited. Pathway prints an empty `_pw_instance` cell for windows without an instance:
// that cell is None, which Vigil's rows print as `None`.

#include <gtest/gtest.h>

#include <string>

#include "conformance_util.h"
#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::vigil::conformance::LookUp;
using ::vigil::conformance::RowsById;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::ExpectMatrixStable;
using ::vigil::testing::FinalRows;
using ::vigil::testing::MatrixOptions;
using ::vigil::testing::RowsText;

/// `_pw_instance, _pw_window_start, _pw_window_end, min_t, max_t, count`, the reduce of
/// test_sliding, test_tumbling and their variants.
Table ReduceMinMaxCount(const GroupedTable& grouped) {
  return grouped.reduce({this_["_pw_instance"],
                         this_["_pw_window_start"],
                         this_["_pw_window_end"],
                         {"min_t", reducers::min(this_["t"])},
                         {"max_t", reducers::max(this_["t"])},
                         {"count", reducers::count()}});
}

/// The input of test_windows_smart_cols (W-14/15/16).
Table SmartColsInput() {
  return debug::table_from_markdown(R"(
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
}

/// `t = 0.1 * (k + 1)` for k = 0..99, as test_tumbling_floats / test_sliding_floats build it.
Table HundredFloatTimes() {
  std::string text = "k\n";
  for (int k = 0; k < 100; ++k) text += std::to_string(k) + "\n";
  return debug::table_from_markdown(text).select({{"t", Expr(0.1) * (this_["k"] + 1)}});
}

// W-05: python/pathway/tests/temporal/test_windows.py::test_sliding (also the `sliding`
// docstring).
TEST(WindowsConformance, W05_SlidingWithInstance) {
  auto t = debug::table_from_markdown(R"(
    | instance | t
1   | 0        |  12
2   | 0        |  13
3   | 0        |  14
4   | 0        |  15
5   | 0        |  16
6   | 0        |  17
7   | 1        |  10
8   | 1        |  11
)");
  auto result = ReduceMinMaxCount(
      t.windowby(t["t"], temporal::sliding(/*hop=*/3, /*duration=*/10), t["instance"]));
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
0 | 3  | 13 | 12 | 12 | 1
0 | 6  | 16 | 12 | 15 | 4
0 | 9  | 19 | 12 | 17 | 6
0 | 12 | 22 | 12 | 17 | 6
0 | 15 | 25 | 15 | 17 | 3
1 | 3  | 13 | 10 | 11 | 2
1 | 6  | 16 | 10 | 11 | 2
1 | 9  | 19 | 10 | 11 | 2
)"));
}

// W-08: test_windows.py::test_sliding_origin. Windows [4,14), [7,17), [10,20) start before
// the explicit origin 13 and are dropped.
TEST(WindowsConformance, W08_SlidingExplicitOriginDropsEarlierWindows) {
  auto t = debug::table_from_markdown(R"(
    | t
1   |  12
2   |  13
3   |  14
4   |  15
5   |  16
6   |  17
)");
  auto result = ReduceMinMaxCount(t.windowby(
      t["t"], temporal::sliding(/*hop=*/3, /*duration=*/10, std::nullopt, /*origin=*/13)));
  // _pw_instance | _pw_window_start | _pw_window_end | min_t | max_t | count
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
None | 13 | 23 | 13 | 17 | 5
None | 16 | 26 | 16 | 17 | 2
)"));
}

// W-09: test_windows.py::test_sliding_larger_hop. hop > duration leaves gaps: 11, 16 and 17
// fall in no window.
TEST(WindowsConformance, W09_SlidingLargerHopLeavesGaps) {
  auto t = debug::table_from_markdown(R"(
    | t
0   |  11
1   |  12
2   |  13
3   |  14
4   |  15
5   |  16
6   |  17
)");
  auto result = ReduceMinMaxCount(t.windowby(t["t"], temporal::sliding(/*hop=*/6, /*duration=*/4)));
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
None | 12 | 16 | 12 | 15 | 4
)"));
}

// W-10: test_windows.py::test_sliding_larger_hop_mixed. Float times with int hop/duration:
// the window bounds are floats.
TEST(WindowsConformance, W10_SlidingLargerHopFloatTimesGiveFloatBounds) {
  auto t = debug::table_from_markdown(R"(
    | t
0   |  11.3
1   |  12.1
2   |  13.3
3   |  14.7
4   |  15.3
5   |  16.1
6   |  17.8
)");
  auto result = ReduceMinMaxCount(t.windowby(t["t"], temporal::sliding(/*hop=*/6, /*duration=*/4)));
  EXPECT_EQ(result.schema()[1].type, dtype::Float) << result.schema()[1].type.ToString();
  EXPECT_EQ(result.schema()[2].type, dtype::Float) << result.schema()[2].type.ToString();
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
None | 12.0 | 16.0 | 12.1 | 15.3 | 4
)"));
}

// W-11: test_windows.py::test_tumbling (also the `tumbling` docstring).
TEST(WindowsConformance, W11_TumblingWithInstance) {
  auto t = debug::table_from_markdown(R"(
    | instance | t
1   | 0        |  12
2   | 0        |  13
3   | 0        |  14
4   | 0        |  15
5   | 0        |  16
6   | 0        |  17
7   | 1        |  12
8   | 1        |  13
)");
  auto result =
      ReduceMinMaxCount(t.windowby(t["t"], temporal::tumbling(/*duration=*/5), t["instance"]));
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
0 | 10 | 15 | 12 | 14 | 3
0 | 15 | 20 | 15 | 17 | 3
1 | 10 | 15 | 12 | 13 | 2
)"));
}

// W-12: test_windows.py::test_tumbling_origin. The row t=3 is only in [1,4), which starts
// before the origin 7, so it vanishes.
TEST(WindowsConformance, W12_TumblingExplicitOrigin) {
  auto t = debug::table_from_markdown(R"(
    | t
0   |  3
1   |  12
2   |  13
3   |  14
4   |  15
5   |  16
6   |  17
)");
  auto result =
      ReduceMinMaxCount(t.windowby(t["t"], temporal::tumbling(/*duration=*/3, /*origin=*/7)));
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
None | 10 | 13 | 12 | 12 | 1
None | 13 | 16 | 13 | 15 | 3
None | 16 | 19 | 16 | 17 | 2
)"));
}

// W-13 (first half): test_windows.py::test_tumbling_floats. Float arithmetic must put each
// of the 100 rows in exactly one window: the counts sum to 100.
TEST(WindowsConformance, W13_TumblingFloatsEachRowInExactlyOneWindow) {
  auto t = HundredFloatTimes();
  auto windows = t.windowby(t["t"], temporal::tumbling(/*duration=*/0.1, /*origin=*/-0.1))
                     .reduce({this_["_pw_instance"],
                              this_["_pw_window_start"],
                              this_["_pw_window_end"],
                              {"count", reducers::count()}});
  auto total = windows.groupby({}).reduce({{"sum", reducers::sum(this_["count"])}});
  EXPECT_EQ(FinalRows(total), ExpectedRows("100"));
}

// W-13 (second half): test_windows.py::test_sliding_floats. sliding(hop=0.1, ratio=3,
// origin=-0.1): each row is in exactly three windows, the counts sum to 300.
TEST(WindowsConformance, W13_SlidingFloatsWithRatioEachRowInThreeWindows) {
  auto t = HundredFloatTimes();
  auto windows = t.windowby(t["t"], temporal::sliding(/*hop=*/0.1, std::nullopt, /*ratio=*/3,
                                                      /*origin=*/-0.1))
                     .reduce({this_["_pw_instance"],
                              this_["_pw_window_start"],
                              this_["_pw_window_end"],
                              {"count", reducers::count()}});
  auto total = windows.groupby({}).reduce({{"sum", reducers::sum(this_["count"])}});
  EXPECT_EQ(FinalRows(total), ExpectedRows("300"));
}

// W-14: test_windows.py::test_windows_smart_cols[tumbling(duration=2)]. Negative times use
// floor division: -2 and -1 are in [-2, 0).
TEST(WindowsConformance, W14_TumblingInstanceNegativeTimes) {
  auto t = SmartColsInput();
  auto result = t.windowby(this_["t"], temporal::tumbling(2), this_["k"])
                    .reduce({this_["_pw_instance"],
                             {"min_t", reducers::min(this_["t"])},
                             {"max_t", reducers::max(this_["t"])},
                             {"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
1 | 1  | 1  | 1
1 | 3  | 3  | 1
1 | 4  | 4  | 1
1 | 6  | 7  | 2
2 | -2 | -1 | 2
2 | 5  | 5  | 1
2 | 6  | 6  | 1
3 | 0  | 1  | 2
3 | 2  | 3  | 2
3 | 7  | 7  | 1
)"));
}

// W-15: test_windows.py::test_windows_smart_cols[sliding(hop=1, duration=2)] (21 rows).
TEST(WindowsConformance, W15_SlidingInstanceNegativeTimes) {
  auto t = SmartColsInput();
  auto result = t.windowby(this_["t"], temporal::sliding(/*hop=*/1, /*duration=*/2), this_["k"])
                    .reduce({this_["_pw_instance"],
                             {"min_t", reducers::min(this_["t"])},
                             {"max_t", reducers::max(this_["t"])},
                             {"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
1 | 1  | 1  | 1
1 | 1  | 1  | 1
1 | 3  | 3  | 1
1 | 3  | 4  | 2
1 | 4  | 4  | 1
1 | 6  | 6  | 1
1 | 6  | 7  | 2
1 | 7  | 7  | 1
2 | -2 | -2 | 1
2 | -2 | -1 | 2
2 | -1 | -1 | 1
2 | 5  | 5  | 1
2 | 5  | 6  | 2
2 | 6  | 6  | 1
3 | 0  | 0  | 1
3 | 0  | 1  | 2
3 | 1  | 2  | 2
3 | 2  | 3  | 2
3 | 3  | 3  | 1
3 | 7  | 7  | 1
3 | 7  | 7  | 1
)"));
}

// W-30: test_windows.py::test_latest_reducer. All rows share one processing time, so
// latest() picks the window-assigned row with the largest key hash(Pointer(id), Int(i)):
// the expected values hold only with Pathway's exact row keys. (Pathway also warns that
// latest uses processing time; Vigil has no warning API: see pending_conformance_test.cc.)
TEST(WindowsConformance, W30_LatestInSlidingWindowUsesWindowRowKeys) {
  auto t = debug::table_from_markdown(R"(
t | a
1 | 1
2 | 2
3 | 3
)");
  auto result =
      t.windowby(this_["t"], temporal::sliding(/*hop=*/1, /*duration=*/2))
          .reduce({{"t", this_["_pw_window_start"]}, {"a", reducers::latest(this_["a"])}});
  EXPECT_EQ(FinalRows(result, MatrixOptions{.time_dependent = true}), ExpectedRows(R"(
0 | 1
1 | 1
2 | 2
3 | 3
)"));
}

// W-31: test_windows.py::test_sliding_argmin_argmax. Inside windowby, argmin/argmax return
// ids of the *input* table (not of the window-assigned rows); the test looks `a` up there.
TEST(WindowsConformance, W31_ArgminArgmaxInWindowReturnInputIds) {
  auto t = debug::table_from_markdown(R"(
t | a
1 | 1
2 | 2
3 | 3
)");
  auto result = t.windowby(this_["t"], temporal::sliding(/*hop=*/1, /*duration=*/2))
                    .reduce({{"t", this_["_pw_window_start"]},
                             {"min_id", reducers::argmin(this_["a"])},
                             {"max_id", reducers::argmax(this_["a"])}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectMatrixStable(result);
  auto captured = debug::CaptureAll({t, result});
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  const auto input = RowsById((*captured)[0]);
  // t | min_a | max_a, with min_a = t.ix(min_id).a and max_a = t.ix(max_id).a.
  auto looked_up = LookUp((*captured)[1].updates, input, {{1, 1}, {2, 1}});
  EXPECT_EQ(RowsText(looked_up), ExpectedRows(R"(
0 | 1 | 1
1 | 1 | 2
2 | 2 | 3
3 | 3 | 3
)"));
}

}  // namespace
}  // namespace vigil
