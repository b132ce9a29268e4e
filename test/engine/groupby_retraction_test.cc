// groupby(...).reduce(...) under retractions and updates, as golden stream tests: each
// expected stream row is `values | time | diff`, worked out by hand from the input updates.
// Every pipeline also runs under the golden matrix (batch sizes, shuffles, commit splits).

#include <gtest/gtest.h>

#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;
using ::vigil::testing::StreamRows;

Table CountAndSumByK(const Table& t) {
  return t.groupby({this_["k"]})
      .reduce({this_["k"], {"n", reducers::count()}, {"s", reducers::sum(this_["v"])}});
}

// When the last row of a group is retracted the group emits only `-old` (no zero row).
TEST(GroupbyRetraction, RetractsLastRowOfGroup) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 1 | 2        | 1
2  | b | 5 | 2        | 1
3  | a | 2 | 4        | 1
1  | a | 1 | 6        | -1
3  | a | 2 | 6        | -1
)");
  EXPECT_EQ(StreamRows(CountAndSumByK(t)), ExpectedRows(R"(
a | 1 | 1 | 2 | 1
b | 1 | 5 | 2 | 1
a | 1 | 1 | 4 | -1
a | 2 | 3 | 4 | 1
a | 2 | 3 | 6 | -1
)"));
}

// A group that disappears and comes back starts from a clean state (its slot was recycled).
TEST(GroupbyRetraction, GroupDisappearsAndReappearsWithFreshState) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 5 | 2        | 1
1  | a | 5 | 4        | -1
2  | a | 7 | 6        | 1
)");
  auto r = t.groupby({this_["k"]})
               .reduce({this_["k"],
                        {"n", reducers::count()},
                        {"s", reducers::sum(this_["v"])},
                        {"lo", reducers::min(this_["v"])},
                        {"hi", reducers::max(this_["v"])},
                        {"all", reducers::sorted_tuple(this_["v"])},
                        {"d", reducers::count_distinct({this_["v"]})}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
a | 1 | 5 | 5 | 5 | (5,) | 1 | 2 | 1
a | 1 | 5 | 5 | 5 | (5,) | 1 | 4 | -1
a | 1 | 7 | 7 | 7 | (7,) | 1 | 6 | 1
)"));
}

// Emptied and refilled within one commit: the group never disappears from the output, it is
// updated (-old, +new) at that time.
TEST(GroupbyRetraction, GroupEmptiedAndRefilledInOneCommitIsAnUpdate) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 5 | 2        | 1
1  | a | 5 | 4        | -1
2  | a | 7 | 4        | 1
)");
  EXPECT_EQ(StreamRows(CountAndSumByK(t)), ExpectedRows(R"(
a | 1 | 5 | 2 | 1
a | 1 | 5 | 4 | -1
a | 1 | 7 | 4 | 1
)"));
}

// A row inserted and retracted in the same commit never reaches the output.
TEST(GroupbyRetraction, RowInsertedAndRetractedInOneCommitEmitsNothing) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 5 | 2        | 1
2  | b | 3 | 4        | 1
2  | b | 3 | 4        | -1
)");
  EXPECT_EQ(StreamRows(CountAndSumByK(t)), ExpectedRows("a | 1 | 5 | 2 | 1"));
}

// An update (-old, +new with the same id) that changes the grouping column moves the row:
// both groups are updated at that time; a group left empty emits only `-old`.
TEST(GroupbyRetraction, UpdateMovesRowBetweenGroups) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 1 | 2        | 1
2  | a | 2 | 2        | 1
3  | b | 5 | 2        | 1
2  | a | 2 | 4        | -1
2  | b | 2 | 4        | 1
1  | a | 1 | 6        | -1
1  | c | 1 | 6        | 1
)");
  EXPECT_EQ(StreamRows(CountAndSumByK(t)), ExpectedRows(R"(
a | 2 | 3 | 2 | 1
b | 1 | 5 | 2 | 1
a | 2 | 3 | 4 | -1
a | 1 | 1 | 4 | 1
b | 1 | 5 | 4 | -1
b | 2 | 7 | 4 | 1
a | 1 | 1 | 6 | -1
c | 1 | 1 | 6 | 1
)"));
}

// Updates whose reduced row stays the same emit nothing: a value change the reducers do not
// see (max stays 3), and a row replaced by another one with the same value.
TEST(GroupbyRetraction, UpdateThatDoesNotChangeOutputEmitsNothing) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 1 | 2        | 1
2  | a | 3 | 2        | 1
1  | a | 1 | 4        | -1
1  | a | 2 | 4        | 1
3  | b | 4 | 6        | 1
3  | b | 4 | 8        | -1
4  | b | 4 | 8        | 1
)");
  auto r = t.groupby({this_["k"]})
               .reduce({this_["k"], {"n", reducers::count()}, {"hi", reducers::max(this_["v"])}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
a | 2 | 3 | 2 | 1
b | 1 | 4 | 6 | 1
)"));
}

// Grouping by two columns: ids and groups follow the pair of values.
TEST(GroupbyRetraction, GroupsByTwoColumnsUnderUpdates) {
  auto t = debug::table_from_markdown(R"(
id | k | j | v | __time__ | __diff__
1  | a | 1 | 1 | 2        | 1
2  | a | 2 | 2 | 2        | 1
3  | a | 1 | 3 | 2        | 1
3  | a | 1 | 3 | 4        | -1
3  | a | 2 | 3 | 4        | 1
)");
  auto r = t.groupby({this_["k"], this_["j"]})
               .reduce({this_["k"], this_["j"], {"s", reducers::sum(this_["v"])}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
a | 1 | 4 | 2 | 1
a | 2 | 2 | 2 | 1
a | 1 | 4 | 4 | -1
a | 1 | 1 | 4 | 1
a | 2 | 2 | 4 | -1
a | 2 | 5 | 4 | 1
)"));
}

// Reduce output expressions combine reducers and grouping columns and are recomputed on
// every change: avg = sum / count as a true division.
TEST(GroupbyRetraction, ReduceExpressionsRecomputeAfterRetraction) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 1 | 2        | 1
2  | a | 2 | 2        | 1
3  | a | 6 | 4        | 1
2  | a | 2 | 6        | -1
)");
  auto r = t.groupby({this_["k"]})
               .reduce({this_["k"],
                        {"mean", reducers::sum(this_["v"]) / reducers::count()},
                        {"avg", reducers::avg(this_["v"])}});
  // t2: 3/2 = 1.5; t4: 9/3 = 3.0; t6: 7/2 = 3.5.
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
a | 1.5 | 1.5 | 2 | 1
a | 1.5 | 1.5 | 4 | -1
a | 3.0 | 3.0 | 4 | 1
a | 3.0 | 3.0 | 6 | -1
a | 3.5 | 3.5 | 6 | 1
)"));
}

// Final state after many updates equals a reduce of the surviving rows.
TEST(GroupbyRetraction, FinalStateMatchesSurvivingRows) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 1 | 2        | 1
2  | b | 2 | 2        | 1
3  | a | 3 | 2        | 1
4  | c | 4 | 4        | 1
1  | a | 1 | 4        | -1
2  | b | 2 | 6        | -1
2  | a | 9 | 6        | 1
4  | c | 4 | 8        | -1
5  | b | 5 | 8        | 1
)");
  // Surviving rows: 3 (a, 3), 2 (a, 9), 5 (b, 5).
  EXPECT_EQ(FinalRows(CountAndSumByK(t)), ExpectedRows(R"(
a | 2 | 12
b | 1 | 5
)"));
}

}  // namespace
}  // namespace vigil
