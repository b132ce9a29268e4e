// Conformance cases W-24..W-28 and W-32 of /work/shared/conformance/CASES.md (§6.1):
// intervals_over windows, static inputs. Each test restates one Pathway test or docstring;
// expectations are copied unedited. W-29 (a reducer over `values.ix(ptr)`) is in
// join_conformance_test.cc, next to ix.

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
using ::vigil::testing::RowsText;

/// The data of test_intervals_over and test_intervals_over_outer (ids 1..8).
Table IntervalsData() {
  return debug::table_from_markdown(R"(
    | t |  v
1   | 1 |  10
2   | 2 |  1
3   | 3 |  3
4   | 8 |  2
5   | 9 |  4
6   | 10|  8
7   | 1 |  9
8   | 2 |  16
)");
}

/// The probes of the same tests (no explicit ids: rows 0..4).
Table Probes() {
  return debug::table_from_markdown(R"(
t
2
4
6
8
10
)");
}

// W-24: python/pathway/tests/temporal/test_windows.py::test_intervals_over. Windows
// [p - 2, p + 1], both ends inclusive; tuple() is ordered by time, equal times by the id of
// the joined row (t=1: 10 before 9; t=2: 16 before 1).
TEST(IntervalsOverConformance, W24_IntervalsOverTupleOrderedByTime) {
  auto t = IntervalsData();
  auto probes = Probes();
  auto result = t.windowby(t["t"], temporal::intervals_over(probes, probes["t"], /*lower=*/-2,
                                                            /*upper=*/1, /*is_outer=*/false))
                    .reduce({this_["_pw_window_location"], {"v", reducers::tuple(this_["v"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
2  | (10, 9, 16, 1, 3)
4  | (16, 1, 3)
8  | (2, 4)
10 | (2, 4, 8)
)"));
}

// W-25: test_windows.py::test_intervals_over_with_instance. Probes carry no instance: each
// window holds rows of every instance and the groupby splits it by `_pw_instance`.
TEST(IntervalsOverConformance, W25_IntervalsOverWithInstance) {
  auto t = debug::table_from_markdown(R"(
    | t |  v  | instance
1   | 1 |  10 | 1
2   | 2 |  1  | 1
3   | 4 |  3  | 1
4   | 8 |  2  | 1
5   | 9 |  4  | 2
6   | 10|  8  | 2
7   | 1 |  9  | 2
8   | 2 |  16 | 2
)");
  auto probes = debug::table_from_markdown(R"(
t
2
6
10
)");
  auto result =
      t.windowby(t["t"],
                 temporal::intervals_over(probes, probes["t"], /*lower=*/-4, /*upper=*/2,
                                          /*is_outer=*/false),
                 this_["instance"])
          .reduce({this_["_pw_window_location"], this_["_pw_instance"],
                   {"v", reducers::tuple(this_["v"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
2  | 1 | (10, 1, 3)
2  | 2 | (9, 16)
6  | 1 | (1, 3, 2)
6  | 2 | (16,)
10 | 1 | (2,)
10 | 2 | (4, 8)
)"));
}

// W-26: test_windows.py::test_intervals_over_works_on_same_table. The probes are the
// windowed table's own rows.
TEST(IntervalsOverConformance, W26_IntervalsOverOnTheSameTable) {
  auto t = debug::table_from_markdown(R"(
t
1
2
3
4
5
)");
  auto result = t.windowby(t["t"], temporal::intervals_over(t, t["t"], /*lower=*/-2,
                                                            /*upper=*/0, /*is_outer=*/false))
                    .reduce({this_["_pw_window_location"],
                             {"v", reducers::sorted_tuple(this_["t"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
1 | (1,)
2 | (1, 2)
3 | (1, 2, 3)
4 | (2, 3, 4)
5 | (3, 4, 5)
)"));
}

// W-27: test_windows.py::test_intervals_over_outer. Probe 6 ([4, 7]) holds no row: with
// is_outer its group reduces a single row of Nones.
TEST(IntervalsOverConformance, W27_OuterWindowWithoutRowsGivesNone) {
  auto t = IntervalsData();
  auto probes = Probes();
  auto result = t.windowby(t["t"], temporal::intervals_over(probes, probes["t"], /*lower=*/-2,
                                                            /*upper=*/1, /*is_outer=*/true))
                    .reduce({this_["_pw_window_location"],
                             {"v", reducers::sorted_tuple(this_["v"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
2  | (1, 3, 9, 10, 16)
4  | (1, 3, 16)
6  | (None,)
8  | (2, 4)
10 | (2, 4, 8)
)"));
}

// W-28: the `intervals_over` docstring (_window.py): is_outer left at its default (True).
TEST(IntervalsOverConformance, W28_IntervalsOverDocstring) {
  auto t = debug::table_from_markdown(R"(
    | t |  v
1   | 1 |  10
2   | 2 |  1
3   | 4 |  3
4   | 8 |  2
5   | 9 |  4
6   | 10|  8
7   | 1 |  9
8   | 2 |  16
)");
  auto probes = Probes();
  auto result = t.windowby(t["t"], temporal::intervals_over(probes, probes["t"], /*lower=*/-2,
                                                            /*upper=*/1))
                    .reduce({this_["_pw_window_location"],
                             {"v", reducers::sorted_tuple(this_["v"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
2  | (1, 9, 10, 16)
4  | (1, 3, 16)
6  | (3,)
8  | (2, 4)
10 | (2, 4, 8)
)"));
}

// W-32: test_windows.py::test_intervals_over_argmin_argmax. argmin/argmax return ids of the
// input table; the test looks `v` up there.
TEST(IntervalsOverConformance, W32_ArgminArgmaxReturnInputIds) {
  auto t = IntervalsData();
  auto probes = Probes();
  auto result = t.windowby(t["t"], temporal::intervals_over(probes, probes["t"], /*lower=*/-2,
                                                            /*upper=*/1, /*is_outer=*/false))
                    .reduce({this_["_pw_window_location"],
                             {"min_id", reducers::argmin(this_["v"])},
                             {"max_id", reducers::argmax(this_["v"])}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectMatrixStable(result);
  auto captured = debug::CaptureAll({t, result});
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  const auto input = RowsById((*captured)[0]);
  // location | min_v | max_v, with min_v = t.ix(min_id).v and max_v = t.ix(max_id).v.
  auto looked_up = LookUp((*captured)[1].updates, input, {{1, 1}, {2, 1}});
  EXPECT_EQ(RowsText(looked_up), ExpectedRows(R"(
2  | 1 | 16
4  | 1 | 16
8  | 2 | 4
10 | 2 | 8
)"));
}

}  // namespace
}  // namespace vigil
