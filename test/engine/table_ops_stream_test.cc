// Stateless table operations and whole-table reduce as golden stream tests: filter and
// with_columns pass retractions, concat unions two streams, without/rename reshape columns,
// select exposes this_.id(), Table::reduce keeps one row, empty inputs give empty results.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::vigil::engine_test::QuietOptions;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;
using ::vigil::testing::StreamRows;

Table Updates() {
  return debug::table_from_markdown(R"(
id | v | __time__ | __diff__
1  | 5 | 2        | 1
2  | 1 | 2        | 1
1  | 5 | 4        | -1
3  | 7 | 4        | 1
3  | 7 | 6        | -1
3  | 0 | 6        | 1
2  | 1 | 8        | -1
2  | 9 | 8        | 1
)");
}

// A row leaving the predicate's range is retracted, one entering it is inserted; updates
// between two failing values emit nothing.
TEST(TableOpsStream, FilterPassesRetractions) {
  auto r = Updates().filter(this_["v"] > 2);
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
5 | 2 | 1
5 | 4 | -1
7 | 4 | 1
7 | 6 | -1
9 | 8 | 1
)"));
}

TEST(TableOpsStream, WithColumnsPassesRetractions) {
  auto r = Updates().with_columns({{"w", this_["v"] * 10}});
  EXPECT_THAT(r.column_names(), ElementsAre("v", "w"));
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
5 | 50 | 2 | 1
1 | 10 | 2 | 1
5 | 50 | 4 | -1
7 | 70 | 4 | 1
7 | 70 | 6 | -1
0 | 0  | 6 | 1
1 | 10 | 8 | -1
9 | 90 | 8 | 1
)"));
}

TEST(TableOpsStream, WithColumnsReplacesColumnInPlace) {
  auto t = debug::table_from_markdown(R"(
a | b
1 | 2
)");
  auto r = t.with_columns({{"a", this_["a"] + this_["b"]}, {"c", this_["a"]}});
  EXPECT_THAT(r.column_names(), ElementsAre("a", "b", "c"));
  // Every expression reads the input row: c is the old a.
  EXPECT_EQ(FinalRows(r), ExpectedRows("3 | 2 | 1"));
}

// Filter and with_columns keep row ids, so a retraction downstream finds its row.
TEST(TableOpsStream, FilterAndWithColumnsKeepRowIds) {
  auto r = Updates().filter(this_["v"] > 2).with_columns({{"w", this_["v"] + 1}});
  auto captured = debug::Capture(r, QuietOptions());
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  std::vector<std::string> ids;
  for (const Update& u : captured->updates) {
    ids.push_back(FormatValue(u.row[0].get()) + "@" + u.id.ToString());
  }
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> expected = {
      "5@" + KeyForIndex(1).ToString(), "5@" + KeyForIndex(1).ToString(),
      "7@" + KeyForIndex(3).ToString(), "7@" + KeyForIndex(3).ToString(),
      "9@" + KeyForIndex(2).ToString()};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected);
}

// Columns are matched by name (the second table lists them in the other order).
TEST(TableOpsStream, ConcatOfTwoTablesUnionsTheirStreams) {
  auto left = debug::table_from_markdown(R"(
id | a | b | __time__ | __diff__
1  | 1 | x | 2        | 1
2  | 2 | y | 2        | 1
1  | 1 | x | 4        | -1
)");
  auto right = debug::table_from_markdown(R"(
id | b | a | __time__ | __diff__
11 | z | 3 | 2        | 1
12 | w | 4 | 4        | 1
11 | z | 3 | 6        | -1
)");
  auto r = left.concat(right);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r.column_names(), ElementsAre("a", "b"));
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
1 | x | 2 | 1
2 | y | 2 | 1
3 | z | 2 | 1
1 | x | 4 | -1
4 | w | 4 | 1
3 | z | 6 | -1
)"));
  // Downstream of concat, a groupby sees both inputs.
  auto n = r.reduce({{"n", reducers::count()}, {"s", reducers::sum(this_["a"])}});
  EXPECT_EQ(FinalRows(n), ExpectedRows("2 | 6"));
}

// An int column concatenated with a float one is float, and so are its values.
TEST(TableOpsStream, ConcatOfIntAndFloatColumnsGivesFloats) {
  auto ints = debug::table_from_markdown("id | a\n1 | 1\n");
  auto floats = debug::table_from_markdown("id | a\n2 | 2.5\n");
  for (const Table& r : {ints.concat(floats), floats.concat(ints)}) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r.schema()[0].type, dtype::Float);
    auto captured = debug::Capture(r);
    ASSERT_TRUE(captured.ok());
    for (const Update& u : captured->Final()) {
      EXPECT_EQ(u.row[0].get().kind(), ValueKind::kFloat) << FormatValue(u.row[0].get());
    }
    EXPECT_EQ(FinalRows(r), ExpectedRows("1.0\n2.5"));
  }
}

// Pathway requires disjoint ids: an id live in both inputs at once is `duplicate key`.
TEST(TableOpsStream, ConcatOfCollidingIdsIsReported) {
  auto t = debug::table_from_markdown("id | a\n1 | 1\n2 | 2\n");
  auto both = t.concat(t.select({{"a", this_["a"] + 10}}));
  Status status = engine_test::RunStatus(both);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.ToString(), HasSubstr("duplicate key: ^"));
  // Without terminate_on_error both rows stay (as the join keeps its duplicates), and the
  // collision is reported.
  auto captured = debug::Capture(both, QuietOptions(/*terminate_on_error=*/false));
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  EXPECT_EQ(captured->Final().size(), 4u);
}

TEST(TableOpsStream, ConcatOfAnIdMovingBetweenInputsInOneCommitIsNoCollision) {
  // Id 1 leaves the left input and enters the right one in the same commit; id 2 enters the
  // right one only after leaving the left one in an earlier commit.
  auto left = debug::table_from_markdown(R"(
id | a | __time__ | __diff__
1  | 1 | 2        | 1
2  | 2 | 2        | 1
1  | 1 | 4        | -1
2  | 2 | 4        | -1
)");
  auto right = debug::table_from_markdown(R"(
id | a | __time__ | __diff__
1  | 5 | 4        | 1
2  | 6 | 6        | 1
)");
  auto r = left.concat(right);
  // Not the golden matrix: a commit split between the two halves of the move would make a
  // collision (the id would be live in both inputs between the halves).
  auto captured = debug::Capture(r, QuietOptions());
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  EXPECT_THAT(testing::RowsText(captured->Final()), ElementsAre("5", "6"));
  // The same id in both inputs in the same commit is a collision.
  auto early = debug::table_from_markdown(R"(
id | a | __time__
2  | 9 | 2
)");
  EXPECT_THAT(engine_test::RunStatus(left.concat(early)).ToString(), HasSubstr("duplicate key"));
}

TEST(TableOpsStream, ConcatOfDifferentColumnsIsError) {
  auto left = debug::table_from_markdown("a | b\n1 | 2\n");
  auto right = debug::table_from_markdown("a | c\n1 | 2\n");
  auto r = left.concat(right);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("concat"));
}

TEST(TableOpsStream, WithoutAndRenameReshapeColumns) {
  auto t = debug::table_from_markdown(R"(
id | a | b | c | __time__ | __diff__
1  | 1 | 2 | 3 | 2        | 1
2  | 4 | 5 | 6 | 2        | 1
1  | 1 | 2 | 3 | 4        | -1
)");
  auto without = t.without({"b"});
  EXPECT_THAT(without.column_names(), ElementsAre("a", "c"));
  EXPECT_EQ(StreamRows(without), ExpectedRows(R"(
1 | 3 | 2 | 1
4 | 6 | 2 | 1
1 | 3 | 4 | -1
)"));
  auto renamed = t.rename({{"a", "x"}, {"c", "z"}});
  EXPECT_THAT(renamed.column_names(), ElementsAre("x", "b", "z"));
  EXPECT_EQ(FinalRows(renamed), ExpectedRows("4 | 5 | 6"));
  // The renamed column is usable under its new name only.
  EXPECT_TRUE(renamed.select({this_["x"]}).ok());
  EXPECT_FALSE(renamed.select({this_["a"]}).ok());
}

TEST(TableOpsStream, WithoutOrRenameOfUnknownColumnIsError) {
  auto t = debug::table_from_markdown("a | b\n1 | 2\n");
  auto without = t.without({"q"});
  ASSERT_FALSE(without.ok());
  EXPECT_THAT(without.status().message(), HasSubstr("'q'"));
  auto renamed = t.rename({{"q", "r"}});
  ASSERT_FALSE(renamed.ok());
  EXPECT_THAT(renamed.status().message(), HasSubstr("'q'"));
}

TEST(TableOpsStream, SelectThisIdGivesTheRowId) {
  auto t = debug::table_from_markdown(R"(
id | a
5  | 1
7  | 2
)");
  auto r = t.select({{"me", this_.id()}, this_["a"]});
  EXPECT_EQ(r.schema()[0].type, dtype::Pointer);
  auto captured = debug::Capture(r, QuietOptions());
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  ASSERT_EQ(captured->updates.size(), 2u);
  for (const Update& u : captured->updates) {
    ASSERT_EQ(u.row[0].get().kind(), ValueKind::kPointer);
    EXPECT_EQ(u.row[0].get().as_pointer(), u.id);
  }
  EXPECT_EQ(FinalRows(r), ExpectedRows(KeyForIndex(5).ToString() + " | 1\n" +
                                       KeyForIndex(7).ToString() + " | 2\n"));
}

// Table::reduce: one row over the whole table, updated on every change, and retracted (only
// -old) when the last row leaves.
TEST(TableOpsStream, WholeTableReduceKeepsOneRowAndVanishesWhenEmpty) {
  auto t = debug::table_from_markdown(R"(
id | v | __time__ | __diff__
1  | 4 | 2        | 1
2  | 6 | 2        | 1
3  | 5 | 4        | 1
1  | 4 | 6        | -1
2  | 6 | 8        | -1
3  | 5 | 8        | -1
)");
  auto r = t.reduce({{"n", reducers::count()},
                     {"s", reducers::sum(this_["v"])},
                     {"lo", reducers::min(this_["v"])},
                     {"hi", reducers::max(this_["v"])},
                     {"mean", reducers::avg(this_["v"])}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
2 | 10 | 4 | 6 | 5.0 | 2 | 1
2 | 10 | 4 | 6 | 5.0 | 4 | -1
3 | 15 | 4 | 6 | 5.0 | 4 | 1
3 | 15 | 4 | 6 | 5.0 | 6 | -1
2 | 11 | 5 | 6 | 5.5 | 6 | 1
2 | 11 | 5 | 6 | 5.5 | 8 | -1
)"));
}

// A header-only markdown table has no rows: every pipeline over it is empty.
TEST(TableOpsStream, EmptyInputGivesEmptyResult) {
  auto untyped = debug::table_from_markdown("k | v\n");
  ASSERT_TRUE(untyped.ok()) << untyped.status().ToString();
  EXPECT_THAT(FinalRows(untyped), IsEmpty());
  EXPECT_THAT(
      FinalRows(untyped.groupby({this_["k"]}).reduce({this_["k"], {"n", reducers::count()}})),
      IsEmpty());
  auto typed = debug::table_from_markdown("k | v\n", Schema{{"k", dtype::Str}, {"v", dtype::Int}});
  ASSERT_TRUE(typed.ok()) << typed.status().ToString();
  EXPECT_THAT(FinalRows(typed.filter(this_["v"] > 1).select({this_["k"], {"w", this_["v"] * 2}})),
              IsEmpty());
  EXPECT_THAT(
      FinalRows(typed.groupby({this_["k"]}).reduce({this_["k"], {"s", reducers::sum(this_["v"])}})),
      IsEmpty());
  EXPECT_THAT(FinalRows(typed.reduce({{"n", reducers::count()}})), IsEmpty());
  EXPECT_THAT(
      FinalRows(
          typed.windowby(this_["v"], temporal::tumbling(10)).reduce({{"n", reducers::count()}})),
      IsEmpty());
  EXPECT_THAT(FinalRows(typed.concat(typed.select({this_["k"], this_["v"]}))), IsEmpty());
}

}  // namespace
}  // namespace vigil
