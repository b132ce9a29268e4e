// Joins (Table::join / join_inner / join_left / join_right / join_outer, then select):
// matches, padding, ids and errors as golden tests under the batch-size / shuffle /
// commit-split matrix; the operator's memory under retractions; and a differential test of
// the incremental operator against a naive nested-loop join over random update streams.
// Expectations marked "Pathway test_..." are those of python/pathway/tests/test_joins.py and
// test_errors.py; the others are worked out by hand in the comments.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"
#include "connectors/api/reshuffled_source.h"
#include "vigil/ops/join/join_op.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::vigil::engine_test::QuietOptions;
using ::vigil::engine_test::RowsKeepingErrors;
using ::vigil::engine_test::RunStatus;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;
using ::vigil::testing::StreamRows;

// The tables of Pathway's test_left_join_02 (and, mirrored, test_right_join_02).
Table T1() {
  return debug::table_from_markdown(R"(
  | A  | B
1 | 11 | 111
2 | 12 | 112
3 | 13 | 113
4 | 14 | 114
)");
}
Table T2() {
  return debug::table_from_markdown(R"(
  | C  | D
1 | 11 | 211
2 | 12 | 212
3 | 13 | 213
4 | 13 | 214
)");
}

// ---------------------------------------------------------------------------------------
// Inner joins.

// Every pair of rows with equal keys, duplicates on both sides included: key 1 has two rows
// on each side (4 pairs), key 2 one on each (1 pair), keys 3 and 4 are on one side only.
TEST(JoinTest, InnerJoinMatchesEveryPairOfEqualKeys) {
  auto t = debug::table_from_markdown(R"(
k | a
1 | a1
1 | a2
2 | a3
3 | a4
)");
  auto s = debug::table_from_markdown(R"(
k | b
1 | b1
1 | b2
2 | b3
4 | b4
)");
  auto r = t.join(s, left["k"] == right["k"]).select({left["a"], right["b"], this_["k"]});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r.column_names(), ElementsAre("a", "b", "k"));
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
a1 | b1 | 1
a1 | b2 | 1
a2 | b1 | 1
a2 | b2 | 1
a3 | b3 | 2
)"));
}

// Pathway's docstring of Table.join: two conditions, ANDed.
TEST(JoinTest, InnerJoinConditionsAreAnded) {
  auto t1 = debug::table_from_markdown(R"(
age | owner | pet
10  | Alice | 1
9   | Bob   | 1
8   | Alice | 2
)");
  auto t2 = debug::table_from_markdown(R"(
age | owner | pet | size
10  | Alice | 3   | M
9   | Bob   | 1   | L
8   | Tom   | 1   | XL
)");
  auto r = t1.join(t2, {t1["pet"] == t2["pet"], t1["owner"] == t2["owner"]})
               .select({{"age", t1["age"]}, {"owner_name", t2["owner"]}, {"size", t2["size"]}});
  EXPECT_EQ(FinalRows(r), ExpectedRows("9 | Bob | L"));
}

// Updates on either side change exactly the pairs they take part in:
//   time 2: l1(k=1) and r1(k=1) arrive        -> +l1r1
//   time 4: l2(k=1) arrives, r1 becomes k=2    -> -l1r1, and l2 finds no k=1 row
//   time 6: r2(k=1) arrives, l1 becomes k=2    -> +l2r2, +l1r1 (both now k=2)
//   time 8: l2 retracted                       -> -l2r2
TEST(JoinTest, InnerJoinStreamUnderRetractions) {
  auto t = debug::table_from_markdown(R"(
id | k | a  | __time__ | __diff__
1  | 1 | l1 | 2        | 1
2  | 1 | l2 | 4        | 1
1  | 1 | l1 | 6        | -1
1  | 2 | l1 | 6        | 1
2  | 1 | l2 | 8        | -1
)");
  auto s = debug::table_from_markdown(R"(
id | k | b  | __time__ | __diff__
1  | 1 | r1 | 2        | 1
1  | 1 | r1 | 4        | -1
1  | 2 | r1 | 4        | 1
2  | 1 | r2 | 6        | 1
)");
  auto r = t.join(s, t["k"] == s["k"]).select({t["a"], s["b"]});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
l1 | r1 | 2 | 1
l1 | r1 | 4 | -1
l2 | r2 | 6 | 1
l1 | r1 | 6 | 1
l2 | r2 | 8 | -1
)"));
}

// An update of a column the select does not read leaves the joined row as it was (the
// commit's -old/+new cancel; the differential test below checks that the operator itself
// emits nothing for such commits).
TEST(JoinTest, UpdateOfAnUnreadColumnEmitsNothing) {
  auto t = debug::table_from_markdown(R"(
id | k | a | unread | __time__ | __diff__
1  | 1 | x | 5      | 2        | 1
1  | 1 | x | 5      | 4        | -1
1  | 1 | x | 6      | 4        | 1
)");
  auto s = debug::table_from_markdown(R"(
k | b | __time__
1 | y | 2
)");
  auto r = t.join(s, left["k"] == right["k"]).select({left["a"], right["b"]});
  EXPECT_EQ(StreamRows(r), ExpectedRows("x | y | 2 | 1"));
}

// The same row twice (two inserts of one id and values) joins twice.
TEST(JoinTest, RepeatedRowsMultiplyTheirMatches) {
  auto t = debug::table_from_markdown(R"(
id | k | a
1  | 1 | x
1  | 1 | x
)");
  auto s = debug::table_from_markdown(R"(
k | b
1 | y
1 | z
)");
  auto r = t.join(s, left["k"] == right["k"]).select({left["a"], right["b"]});
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
x | y
x | y
x | z
x | z
)"));
}

// Pathway hashes the key values, None included, so None keys match each other.
TEST(JoinTest, NoneKeysMatchEachOther) {
  auto t = debug::table_from_markdown(R"(
k    | a
1    | x
None | y
)");
  auto s = debug::table_from_markdown(R"(
k    | b
None | z
1    | w
2    | v
)");
  auto r = t.join(s, left["k"] == right["k"]).select({left["a"], right["b"]});
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
x | w
y | z
)"));
}

// No condition: every pair (Pathway's t1.join(t2)).
TEST(JoinTest, JoinWithoutConditionsPairsEveryRow) {
  auto t = debug::table_from_markdown("a\n1\n2\n");
  auto s = debug::table_from_markdown("b\nx\ny\n");
  auto r = t.join(s).select({left["a"], right["b"]});
  EXPECT_EQ(FinalRows(r), ExpectedRows("1 | x\n1 | y\n2 | x\n2 | y"));
}

// Ids can be joined on: rows with equal ids (same markdown index) match.
TEST(JoinTest, JoinOnRowIds) {
  auto t = debug::table_from_markdown("  | a\n1 | a1\n2 | a2\n");
  auto s = debug::table_from_markdown("  | c\n1 | c1\n3 | c3\n");
  auto r = t.join(s, t.id() == s.id()).select({t["a"], s["c"], {"same", left.id() == right.id()}});
  EXPECT_EQ(FinalRows(r), ExpectedRows("a1 | c1 | True"));
}

// ---------------------------------------------------------------------------------------
// Left, right and outer joins.

// Pathway test_left_join_02 (with S = B + D, None where unmatched instead of pw.require).
TEST(JoinTest, LeftJoinPadsUnmatchedLeftRows) {
  auto t1 = T1();
  auto t2 = T2();
  auto r = t1.join_left(t2, t1["A"] == t2["C"])
               .select({t1["A"], {"t2_C", t2["C"]}, {"S", t1["B"] + t2["D"]}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.schema()[0].type, dtype::Int);
  EXPECT_EQ(r.schema()[1].type, dtype::Optional(dtype::Int));
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
11 | 11   | 322
12 | 12   | 324
13 | 13   | 326
13 | 13   | 327
14 | None | None
)"));
}

// Pathway test_right_join_02: t1 has the duplicate key, t2 the unmatched row.
TEST(JoinTest, RightJoinPadsUnmatchedRightRows) {
  auto t1 = debug::table_from_markdown(R"(
  | A  | B
1 | 11 | 111
2 | 12 | 112
3 | 13 | 113
4 | 13 | 114
)");
  auto t2 = debug::table_from_markdown(R"(
  | C  | D
1 | 11 | 211
2 | 12 | 212
3 | 13 | 213
4 | 14 | 214
)");
  auto r = t1.join_right(t2, t1["A"] == t2["C"])
               .select({t1["A"], {"t2_C", t2["C"]}, {"S", t1["B"] + t2["D"]}});
  EXPECT_EQ(r.schema()[0].type, dtype::Optional(dtype::Int));
  EXPECT_EQ(r.schema()[1].type, dtype::Int);
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
11   | 11 | 322
12   | 12 | 324
13   | 13 | 326
13   | 13 | 327
None | 14 | None
)"));
}

// Pathway test_outer_join_04.
TEST(JoinTest, OuterJoinPadsBothSides) {
  auto t1 = debug::table_from_markdown(R"(
  | A  | B
1 | 11 | 111
2 | 12 | 112
3 | 13 | 113
4 | 13 | 114
)");
  auto t2 = debug::table_from_markdown(R"(
  | C  | D
1 | 11 | 211
2 | 12 | 212
3 | 14 | 213
4 | 14 | 214
)");
  auto r = t1.join_outer(t2, t1["A"] == t2["C"])
               .select({t1["A"], {"t2_C", t2["C"]}, {"S", t1["B"] + t2["D"]}});
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
11   | 11   | 322
12   | 12   | 324
13   | None | None
13   | None | None
None | 14   | None
None | 14   | None
)"));
}

// Pathway test_outer_join_smart_cols: this_ of a name joined with itself is
// coalesce(left, right) in an outer join.
TEST(JoinTest, OuterJoinThisOfAJoinedNameCoalescesBothSides) {
  auto t1 = debug::table_from_markdown("  | A\n1 | 11\n2 | 12\n3 | 13\n4 | 14\n");
  auto t2 = debug::table_from_markdown("  | A\n2 | 12\n3 | 13\n4 | 14\n5 | 15\n");
  auto r = t1.join_outer(t2, t1["A"] == t2["A"])
               .select({this_["A"], {"lA", left["A"]}, {"rA", right["A"]}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.schema()[0].type, dtype::Optional(dtype::Int));
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
11 | 11   | None
12 | 12   | 12
13 | 13   | 13
14 | 14   | 14
15 | None | 15
)"));
}

// A left row is padded while no right row has its key:
//   time 2: l1(k=1), l2(k=2)                   -> +l1|None, +l2|None
//   time 4: r1(k=1) arrives                    -> -l1|None, +l1|r1
//   time 6: r2(k=1) arrives                    -> +l1|r2
//   time 8: r1 and r2 retracted                -> -l1|r1, -l1|r2, +l1|None
//   time 10: l1 retracted (no match)           -> -l1|None
//   time 12: r3(k=2) and l2's retraction meet  -> -l2|None (never matched)
TEST(JoinTest, LeftJoinRetractsPaddingWhenAMatchAppearsAndRestoresIt) {
  auto t = debug::table_from_markdown(R"(
id | k | a  | __time__ | __diff__
1  | 1 | l1 | 2        | 1
2  | 2 | l2 | 2        | 1
1  | 1 | l1 | 10       | -1
2  | 2 | l2 | 12       | -1
)");
  auto s = debug::table_from_markdown(R"(
id | k | b  | __time__ | __diff__
1  | 1 | r1 | 4        | 1
2  | 1 | r2 | 6        | 1
1  | 1 | r1 | 8        | -1
2  | 1 | r2 | 8        | -1
3  | 2 | r3 | 12       | 1
)");
  auto r = t.join_left(s, left["k"] == right["k"]).select({left["a"], right["b"]});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
l1 | None | 2  | 1
l2 | None | 2  | 1
l1 | None | 4  | -1
l1 | r1   | 4  | 1
l1 | r2   | 6  | 1
l1 | r1   | 8  | -1
l1 | r2   | 8  | -1
l1 | None | 8  | 1
l1 | None | 10 | -1
l2 | None | 12 | -1
)"));
}

// The mirror for an outer join, with a row moving between keys:
//   time 2: l1(k=1), r1(k=2)                   -> +l1|None, +None|r1
//   time 4: l1 moves to k=2                    -> -l1|None, -None|r1, +l1|r1
//   time 6: r1 moves to k=3                    -> -l1|r1, +l1|None, +None|r1
TEST(JoinTest, OuterJoinStreamWhenRowsChangeKeys) {
  auto t = debug::table_from_markdown(R"(
id | k | a  | __time__ | __diff__
1  | 1 | l1 | 2        | 1
1  | 1 | l1 | 4        | -1
1  | 2 | l1 | 4        | 1
)");
  auto s = debug::table_from_markdown(R"(
id | k | b  | __time__ | __diff__
1  | 2 | r1 | 2        | 1
1  | 2 | r1 | 6        | -1
1  | 3 | r1 | 6        | 1
)");
  auto r = t.join_outer(s, left["k"] == right["k"]).select({left["a"], right["b"]});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
l1   | None | 2 | 1
None | r1   | 2 | 1
l1   | None | 4 | -1
None | r1   | 4 | -1
l1   | r1   | 4 | 1
l1   | r1   | 6 | -1
l1   | None | 6 | 1
None | r1   | 6 | 1
)"));
}

// ---------------------------------------------------------------------------------------
// Ids (SEMANTICS.md Appendix A).

Key HashOf(const std::vector<Value>& values) {
  KeyHasher hasher;
  for (const Value& v : values) v.HashInto(hasher);
  return hasher.Finish();
}

// Pair rows: hash(Pointer(left id), Pointer(right id)) with the join key's low 16 bits;
// padded rows hash None for the missing side.
TEST(JoinTest, ResultIdsFollowPathwaysRecipe) {
  auto t = debug::table_from_markdown("  | k\n1 | 7\n2 | 8\n");
  auto s = debug::table_from_markdown("  | k\n1 | 7\n3 | 9\n");
  auto r = t.join_outer(s, left["k"] == right["k"]).select({{"k", this_["k"]}});
  auto captured = debug::Capture(r, QuietOptions());
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  const Key t1 = KeyForIndex(1), t2 = KeyForIndex(2), s1 = KeyForIndex(1), s3 = KeyForIndex(3);
  std::map<int64_t, Key> expected = {
      {7, HashOf({Value::Pointer(t1), Value::Pointer(s1)}).WithShardOf(HashOf({Value::Int(7)}))},
      {8, HashOf({Value::Pointer(t2), Value::None()}).WithShardOf(HashOf({Value::Int(8)}))},
      {9, HashOf({Value::None(), Value::Pointer(s3)}).WithShardOf(HashOf({Value::Int(9)}))},
  };
  const auto final_rows = captured->Final();
  ASSERT_EQ(final_rows.size(), 3u);
  for (const Update& u : final_rows) {
    EXPECT_EQ(u.id, expected.at(u.row[0].get().as_int())) << DebugString(u);
  }
}

// id=left.id(): results keep the left rows' ids, matched or padded (Pathway
// test_left_join_set_id_01); right.id() is refused for a left join, ids for outer joins.
TEST(JoinTest, IdFromLeftKeepsTheLeftIds) {
  auto t1 = debug::table_from_markdown("  | A  | B\n1 | 11 | 111\n2 | 12 | 112\n3 | 13 | 113\n");
  auto t2 = debug::table_from_markdown("  | A  | D\n3 | 11 | 211\n4 | 12 | 212\n");
  auto r = t1.join_left(t2, t1["A"] == t2["A"], {.id = t1.id()})
               .select({t1["A"], {"D", t2["D"]}, {"own", this_.id() == left.id()}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(FinalRows(r), ExpectedRows(R"(
11 | 211  | True
12 | 212  | True
13 | None | True
)"));
  auto captured = debug::Capture(r, QuietOptions());
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  std::vector<Key> ids;
  for (const Update& u : captured->Final()) ids.push_back(u.id);
  std::sort(ids.begin(), ids.end());
  std::vector<Key> expected = {KeyForIndex(1), KeyForIndex(2), KeyForIndex(3)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected);

  EXPECT_THAT(
      t1.join_left(t2, t1["A"] == t2["A"], {.id = t2.id()}).select({t1["A"]}).status().message(),
      HasSubstr("Cannot assign id's for this join type"));
  EXPECT_THAT(
      t1.join_outer(t2, t1["A"] == t2["A"], {.id = left.id()}).select({t1["A"]}).status().message(),
      HasSubstr("Cannot assign id's for this join type"));
  EXPECT_THAT(t1.join(t2, t1["A"] == t2["A"], {.id = t1["A"]}).select({t1["B"]}).status().message(),
              HasSubstr("id must be the id of one of the joined tables"));
  auto inner = t1.join_inner(t2, t1["A"] == t2["A"], {.id = right.id()}).select({t2["D"]});
  EXPECT_EQ(FinalRows(inner), ExpectedRows("211\n212"));
}

// Pathway test_left_join_preserving_id: the left row a=1 matches three right rows, so its
// id would be repeated: "duplicate key: <id of that row>" (the row with index 0).
TEST(JoinTest, IdFromLeftWithSeveralMatchesIsDuplicateKey) {
  auto t1 = debug::table_from_markdown("a\n1\n2\n3\n");
  auto t2 = debug::table_from_markdown("b\n1\n1\n1\n2\n");
  auto r =
      t1.join_left(t2, left["a"] == right["b"], {.id = left.id()}).select({left["a"], right["b"]});
  const Status status = RunStatus(r);
  EXPECT_EQ(status.code(), StatusCode::kEngineError);
  EXPECT_THAT(status.message(), HasSubstr("duplicate key: ^X1MXHYYG4YM0DB900V28XN5T4W"));
}

// left_instance/right_instance: one more condition, and the instance value's hash supplies
// the low 16 bits of the join key, so of every result id.
TEST(JoinTest, InstanceIsAConditionThatShardsTheIds) {
  auto t = debug::table_from_markdown("k | g | a\n1 | x | l1\n1 | y | l2\n");
  auto s = debug::table_from_markdown("k | g | b\n1 | x | r1\n1 | z | r2\n");
  auto r =
      t.join(s, left["k"] == right["k"], {.left_instance = left["g"], .right_instance = right["g"]})
          .select({left["a"], right["b"], {"g", this_["g"]}});
  EXPECT_EQ(FinalRows(r), ExpectedRows("l1 | r1 | x"));
  auto captured = debug::Capture(r, QuietOptions());
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  ASSERT_EQ(captured->Final().size(), 1u);
  const Key id = captured->Final()[0].id;
  const Key instance = HashOf({Value::String("x")});
  EXPECT_EQ(id.lo & 0xFFFF, instance.lo & 0xFFFF);
  const Key join_key = HashOf({Value::Int(1), Value::String("x")}).WithShardOf(instance);
  EXPECT_EQ(id, HashOf({Value::Pointer(KeyForIndex(0)), Value::Pointer(KeyForIndex(0))})
                    .WithShardOf(join_key));
  EXPECT_THAT(t.join(s, left["k"] == right["k"], {.left_instance = left["g"]})
                  .select({left["a"]})
                  .status()
                  .message(),
              HasSubstr("left_instance and right_instance must be given together"));
}

// ---------------------------------------------------------------------------------------
// Errors in keys (Pathway test_errors.py) and invalid joins.

Table WithErrorInA() {
  return debug::table_from_markdown("a | c\n1 | 1\n2 | 0\n3 | 1\n")
      .with_columns({{"a", floordiv(this_["a"], this_["c"])}});
}

// Pathway test_inner_join_with_error_in_condition / test_left_join_with_error_in_condition:
// the row whose key is Error never matches; a left join keeps it padded.
TEST(JoinTest, ErrorInKeyNeverMatchesAndIsReported) {
  auto t2 = debug::table_from_markdown("b\n1\n1\n1\n2\n");
  auto inner =
      WithErrorInA().join(t2, left["a"] == right["b"]).select({left["a"], left["c"], right["b"]});
  EXPECT_EQ(RowsKeepingErrors(inner), ExpectedRows("1 | 1 | 1\n1 | 1 | 1\n1 | 1 | 1"));
  auto left_join = WithErrorInA()
                       .join_left(t2, left["a"] == right["b"])
                       .select({{"a", fill_error(left["a"], -1)}, left["c"], right["b"]});
  EXPECT_EQ(RowsKeepingErrors(left_join), ExpectedRows(R"(
1  | 1 | 1
1  | 1 | 1
1  | 1 | 1
-1 | 0 | None
3  | 1 | None
)"));
  const Status status = RunStatus(left_join);
  EXPECT_EQ(status.code(), StatusCode::kEngineError);
  // The division's error comes first; the join's own report is checked on a table whose
  // Error comes straight from the input.
  auto parsed = debug::table_from_markdown("a\n1\n");
  auto with_error = parsed.with_columns({{"a", cast(dtype::Int, "x")}});
  std::vector<std::string> messages;
  RunOptions options = QuietOptions(/*terminate_on_error=*/false);
  options.on_data_error = [&](const DataError& e) { messages.push_back(e.message); };
  auto captured = debug::Capture(
      with_error.join(parsed, left["a"] == right["a"]).select({right["a"]}), options);
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  EXPECT_TRUE(captured->updates.empty());
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr(
                            "Error value encountered in join condition, skipping the row")));
}

TEST(JoinTest, InvalidJoinsNameTheProblem) {
  auto t = debug::table_from_markdown("a | s\n1 | x\n");
  auto u = debug::table_from_markdown("a | b\n1 | 2\n");
  auto message = [](const Table& r) { return r.status().message(); };
  EXPECT_THAT(message(t.join(u, left["a"] > right["a"]).select({left["a"]})),
              HasSubstr("join condition should be of form <left_table>.<column> == "));
  EXPECT_THAT(message(t.join(u, left["a"] + 1 == right["a"]).select({left["a"]})),
              HasSubstr("join condition should be of form"));
  EXPECT_THAT(message(t.join(u, u["a"] == t["a"]).select({left["a"]})),
              HasSubstr("The boolean condition is not properly ordered"));
  EXPECT_THAT(message(t.join(u, this_["a"] == right["a"]).select({left["a"]})),
              HasSubstr("Left part of a join condition has to be a reference to a table on "
                        "the left side"));
  EXPECT_THAT(message(t.join(u, left["nope"] == right["a"]).select({left["a"]})),
              HasSubstr("join: no column 'nope' in the left table; it has columns [a, s]"));
  EXPECT_THAT(message(t.join(u, left["s"] == right["a"]).select({left["a"]})),
              HasSubstr("Incompatible types in a join condition. The types are: str and int"));
  EXPECT_THAT(message(t.join(t, left["a"] == right["a"]).select({left["a"]})),
              HasSubstr("Cannot join table with itself. Join it with a copy of itself instead: "
                        "t.join(t.with_columns({}), ...) in C++, t.join(t.copy(), ...) in "
                        "Python"));
  // select(): names of both sides need a side; unknown names and foreign tables are errors.
  EXPECT_THAT(message(t.join(u, left["a"] == right["b"]).select({this_["a"]})),
              HasSubstr("Column a appears on both left and right inputs of join"));
  EXPECT_THAT(message(t.join(u, left["a"] == right["a"]).select({this_["zz"]})),
              HasSubstr("No column with name zz"));
  EXPECT_THAT(message(t.join(u, left["a"] == right["a"]).select({right["s"]})),
              HasSubstr("column 's': no column 's' in the right table; it has columns [a, b]"));
  auto other = debug::table_from_markdown("q\n1\n");
  EXPECT_THAT(message(t.join(u, left["a"] == right["a"]).select({other["q"]})),
              HasSubstr("refers to a table that is neither side of this join"));
  EXPECT_THAT(message(t.join(u, left["a"] == right["a"]).select({left["a"] + left["s"]})),
              HasSubstr("a plain column needs a name"));
  EXPECT_THAT(message(t.join(u, left["a"] == right["a"]).select({{"x", left["a"] + left["s"]}})),
              HasSubstr("unsupported operand types for +: 'int' and 'str'"));
  // left[...] / right[...] belong to joins.
  EXPECT_THAT(message(t.select({left["a"]})),
              HasSubstr("select: left[\"a\"] reads a side of a join"));
  // A table's own references elsewhere read the current table, as this_ does.
  EXPECT_EQ(FinalRows(t.select({t["a"], {"i", t.id() == this_.id()}})), ExpectedRows("1 | True"));
}

// ---------------------------------------------------------------------------------------
// ix: Pathway's table.ix(pointer), a left join on the pointer keeping the context's ids.

/// Pathway's `pointer_from(x)` for int x: the id of the markdown row with index x.
Expr PointerFrom(const Expr& e) {
  return apply(
      dtype::Pointer,
      [](std::span<const Value> args, ValueArena&) {
        return Value::Pointer(KeyForIndex(args[0].as_int()));
      },
      {e}, "pointer_from");
}

// Pathway test_errors.py::test_ix: the row pointing at 3 (no such row) gets an Error value,
// reported as "key missing in output table: <id of that row>".
TEST(JoinTest, IxLooksUpRowsByPointer) {
  auto t1 = debug::table_from_markdown("  | a\n1 | 1\n2 | 3\n3 | 2\n4 | 2\n")
                .with_columns({{"ap", PointerFrom(this_["a"])}});
  auto t2 = debug::table_from_markdown("  | c\n1 | 10\n2 | 13\n");
  Table looked_up = t2.ix(t1["ap"], t1);
  ASSERT_TRUE(looked_up.ok()) << looked_up.status().ToString();
  EXPECT_THAT(looked_up.column_names(), ElementsAre("c"));
  EXPECT_EQ(looked_up.schema()[0].type, dtype::Int);
  // Pathway's t1.select(a, c=t2.ix(t1.ap).c): the same ids, so a join on them.
  auto res = t1.join(looked_up, t1.id() == looked_up.id(), {.id = left.id()})
                 .select({t1["a"], {"c", fill_error(looked_up["c"], -1)}});
  EXPECT_EQ(RowsKeepingErrors(res), ExpectedRows("1 | 10\n2 | 13\n2 | 13\n3 | -1"));
  const Status status = RunStatus(looked_up);
  EXPECT_EQ(status.code(), StatusCode::kEngineError);
  EXPECT_THAT(status.message(),
              HasSubstr("ix: key missing in output table: ^Z3QWT294JQSHPSR8KTPG9ECE4W"));
  // The result rows have the context's ids.
  auto captured = debug::Capture(looked_up, QuietOptions(/*terminate_on_error=*/false));
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  std::vector<Key> ids;
  for (const Update& u : captured->Final()) ids.push_back(u.id);
  std::sort(ids.begin(), ids.end());
  std::vector<Key> expected = {KeyForIndex(1), KeyForIndex(2), KeyForIndex(3), KeyForIndex(4)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected);
}

// optional=true: a missing row (or a None pointer) gives None; the look-up follows the rows
// it points at as they come and go:
//   time 2: p1 -> row 1 (absent), p2 -> None   -> None, None
//   time 4: row 1 = 10 arrives                 -> -None, +10
//   time 6: row 1 becomes 11                   -> -10, +11
//   time 8: p1 now points at row 2 (absent)    -> -11, +None
TEST(JoinTest, OptionalIxFollowsThePointedRows) {
  auto context =
      debug::table_from_markdown(R"(
id | p    | __time__ | __diff__
1  | 1    | 2        | 1
2  | None | 2        | 1
1  | 1    | 8        | -1
1  | 2    | 8        | 1
)")
          .with_columns({{"ptr", if_else(is_none(this_["p"]), none(), PointerFrom(this_["p"]))}});
  auto values = debug::table_from_markdown(R"(
id | c  | __time__ | __diff__
1  | 10 | 4        | 1
1  | 10 | 6        | -1
1  | 11 | 6        | 1
)");
  Table looked_up = values.ix(context["ptr"], context, /*optional=*/true);
  ASSERT_TRUE(looked_up.ok()) << looked_up.status().ToString();
  EXPECT_EQ(looked_up.schema()[0].type, dtype::Optional(dtype::Int));
  EXPECT_EQ(StreamRows(looked_up), ExpectedRows(R"(
None | 2 | 1
None | 2 | 1
None | 4 | -1
10   | 4 | 1
10   | 6 | -1
11   | 6 | 1
11   | 8 | -1
None | 8 | 1
)"));
  // A table can look itself up (a linked list's `next`), and the pointer must be a pointer.
  auto list = debug::table_from_markdown("  | v | n\n1 | a | 2\n2 | b | 1\n")
                  .with_columns({{"next", PointerFrom(this_["n"])}});
  // (Commits are not split: a row arriving before the row it points at is a missing key,
  // reported by a non-optional ix, as in Pathway.)
  EXPECT_EQ(FinalRows(list.ix(list["next"], list).select({this_["v"], this_["n"]}),
                      {.time_dependent = true}),
            ExpectedRows("a | 2\nb | 1"));
  EXPECT_THAT(values.ix(context["p"], context).status().message(),
              HasSubstr("ix: the pointer must be a pointer, got Optional[int]"));
}

// ---------------------------------------------------------------------------------------
// The operator by hand: state is freed when rows are retracted.

/// Collects what an operator emits (the updates, when `keep_updates`), and the net number
/// of rows.
class CaptureOperator final : public Operator {
 public:
  CaptureOperator() : Operator("capture") {}
  void OnBatch(size_t /*port*/, const Batch& batch, Time time) override {
    for (Diff d : batch.diffs) net_rows += d;
    if (keep_updates) AppendUpdates(batch, time, updates);
  }
  bool keep_updates = true;
  std::vector<Update> updates;
  Diff net_rows = 0;
};

/// A join operator built from `result` (a join(...).select(...) table), wired to a capture.
struct WiredJoin {
  explicit WiredJoin(const Table& result) : graph(result.node()), op("join", graph->join) {
    context.terminate_on_error = false;
    op.set_context(&context);
    sink.set_context(&context);
    op.ConnectTo(&sink, 0);
  }
  NodePtr graph;  ///< The operator reads its spec from the node: keep it alive.
  OperatorContext context;
  JoinOperator op;
  CaptureOperator sink;
};

Batch Rows(const std::vector<std::tuple<int64_t, int64_t, int64_t, Diff>>& rows) {
  Batch batch(2);  // id index | k | value | diff
  for (const auto& [id, k, v, diff] : rows) {
    batch.columns[0].push_back(Value::Int(k));
    batch.columns[1].push_back(Value::Int(v));
    batch.ids.push_back(KeyForIndex(id));
    batch.diffs.push_back(diff);
  }
  return batch;
}

TEST(JoinOperatorState, FreesRowsAndKeysWhenRetracted) {
  auto t = debug::table_from_markdown("k | x\n1 | 1\n");
  auto s = debug::table_from_markdown("k | y\n1 | 1\n");
  WiredJoin wired(t.join_outer(s, left["k"] == right["k"]).select({left["x"], right["y"]}));
  wired.sink.keep_updates = false;
  // 1000 commits, each inserting rows under new keys and retracting those of 10 commits ago.
  constexpr int64_t kCommits = 1000, kRowsPerCommit = 4, kLag = 10;
  for (int64_t c = 0; c < kCommits + kLag; ++c) {
    const Time time = static_cast<Time>(2 * c + 2);
    std::vector<std::tuple<int64_t, int64_t, int64_t, Diff>> rows;
    for (int64_t i = 0; i < kRowsPerCommit; ++i) {
      if (c < kCommits) rows.emplace_back(c * kRowsPerCommit + i, c, i, +1);
      if (c >= kLag) rows.emplace_back((c - kLag) * kRowsPerCommit + i, c - kLag, i, -1);
    }
    wired.op.OnBatch(kLeftSide, Rows(rows), time);
    wired.op.OnBatch(kRightSide, Rows(rows), time);
    wired.op.OnCommitEnd(time, false);
    // Live: the keys of the last kLag commits, kRowsPerCommit rows each, on each side.
    const size_t live_keys = static_cast<size_t>(
        std::min<int64_t>(kLag, std::min<int64_t>(c + 1, kCommits + kLag - 1 - c)));
    ASSERT_EQ(wired.op.num_groups(kLeftSide), live_keys) << "commit " << c;
    ASSERT_EQ(wired.op.num_rows(kRightSide), live_keys * kRowsPerCommit) << "commit " << c;
    // Every live key joins its 4 x 4 rows.
    ASSERT_EQ(wired.sink.net_rows, static_cast<Diff>(live_keys * 16)) << "commit " << c;
  }
  EXPECT_EQ(wired.op.num_rows(kLeftSide), 0u);
  EXPECT_EQ(wired.op.num_groups(kRightSide), 0u);
  EXPECT_EQ(wired.sink.net_rows, 0);
}

// ---------------------------------------------------------------------------------------
// Differential test: the operator against a nested-loop join recomputed from scratch after
// every commit, over random update streams (keys with None and Error, repeated rows, rows
// changing keys, retractions), fed in random batches with rows shuffled.

/// A row of one side: key code (>= 0 an int, -1 None, -2 Error) and one int value.
struct SideRow {
  int64_t id;
  int key;
  int64_t value;
  auto operator<=>(const SideRow&) const = default;
};

Value KeyValue(int key) {
  if (key == -1) return Value::None();
  if (key == -2) return Value::Error();
  return Value::Int(key);
}

/// What the join of `lhs` and `rhs` holds: (id, `left k | left v | right k | right v`) ->
/// multiplicity, computed by a nested loop with the id recipe of SEMANTICS.md Appendix A.
/// With id=left.id (right.id), a row of that side matched by two or more rows (counted with
/// their multiplicities) of the other side is one row whose other side is Error (Pathway).
std::map<std::pair<Key, std::string>, Diff> NestedLoopJoin(const std::map<SideRow, Diff> sides[2],
                                                           JoinMode mode, JoinIdSource id_source) {
  std::map<std::pair<Key, std::string>, Diff> out;
  static const SideRow kErrorRow{-1, -3, 0};  // The other side of a duplicated id.
  auto text = [](const SideRow* l, const SideRow* r) {
    auto cell = [](const SideRow* row, bool key) {
      if (row == nullptr) return std::string("None");
      if (row == &kErrorRow) return std::string("Error");
      return key ? FormatValue(KeyValue(row->key)) : std::to_string(row->value);
    };
    return cell(l, true) + " | " + cell(l, false) + " | " + cell(r, true) + " | " + cell(r, false);
  };
  auto id_of = [&](const SideRow* l, const SideRow* r) {
    if (id_source == JoinIdSource::kLeft && l != nullptr) return KeyForIndex(l->id);
    if (id_source == JoinIdSource::kRight && r != nullptr) return KeyForIndex(r->id);
    const SideRow* present = l != nullptr ? l : r;
    const Key shard =
        present->key == -2 ? KeyForIndex(present->id) : HashOf({KeyValue(present->key)});
    return HashOf({l ? Value::Pointer(KeyForIndex(l->id)) : Value::None(),
                   r ? Value::Pointer(KeyForIndex(r->id)) : Value::None()})
        .WithShardOf(shard);
  };
  auto add = [&](const SideRow* l, const SideRow* r, Diff d) {
    auto& slot = out[{id_of(l, r), text(l, r)}];
    slot += d;
    if (slot == 0) out.erase({id_of(l, r), text(l, r)});
  };
  auto matches = [](const SideRow& a, const SideRow& b) {
    return a.key != -2 && b.key != -2 && a.key == b.key;
  };
  // Total multiplicity of the other side's rows matching `row` of `side`.
  auto match_count = [&](size_t side, const SideRow& row) {
    Diff n = 0;
    for (const auto& [other, count] : sides[1 - side]) n += matches(row, other) ? count : 0;
    return n;
  };
  const size_t id_side = id_source == JoinIdSource::kLeft ? kLeftSide : kRightSide;
  for (const auto& [l, lc] : sides[kLeftSide]) {
    for (const auto& [r, rc] : sides[kRightSide]) {
      if (!matches(l, r)) continue;
      if (id_source != JoinIdSource::kPair &&
          match_count(id_side, id_side == kLeftSide ? l : r) >= 2) {
        continue;  // Replaced below by one row with the other side Error.
      }
      add(&l, &r, lc * rc);
    }
  }
  if (id_source != JoinIdSource::kPair) {
    for (const auto& [row, count] : sides[id_side]) {
      if (match_count(id_side, row) < 2) continue;
      if (id_side == kLeftSide) {
        add(&row, &kErrorRow, count);
      } else {
        add(&kErrorRow, &row, count);
      }
    }
  }
  const bool keep[2] = {mode == JoinMode::kLeft || mode == JoinMode::kOuter,
                        mode == JoinMode::kRight || mode == JoinMode::kOuter};
  for (size_t side : {kLeftSide, kRightSide}) {
    if (!keep[side]) continue;
    for (const auto& [row, count] : sides[side]) {
      bool matched = false;
      for (const auto& [other, other_count] : sides[1 - side]) {
        matched = matched || (matches(row, other) && other_count > 0);
      }
      if (matched) continue;
      if (side == kLeftSide) {
        add(&row, nullptr, count);
      } else {
        add(nullptr, &row, count);
      }
    }
  }
  return out;
}

TEST(JoinDifferential, MatchesNestedLoopJoinOnRandomStreams) {
  auto t = debug::table_from_markdown("k | v\n1 | 1\n");
  auto s = debug::table_from_markdown("k | v\n1 | 1\n");
  struct Variant {
    JoinMode mode;
    JoinIdSource id_source;
  };
  const std::vector<Variant> variants = {
      {JoinMode::kInner, JoinIdSource::kPair}, {JoinMode::kLeft, JoinIdSource::kPair},
      {JoinMode::kRight, JoinIdSource::kPair}, {JoinMode::kOuter, JoinIdSource::kPair},
      {JoinMode::kInner, JoinIdSource::kLeft}, {JoinMode::kLeft, JoinIdSource::kLeft},
      {JoinMode::kRight, JoinIdSource::kRight}};
  std::mt19937_64 rng(20240611);
  auto below = [&](uint64_t n) { return static_cast<int64_t>(rng() % n); };
  constexpr int kStreams = 400;
  for (int stream = 0; stream < kStreams; ++stream) {
    const Variant variant = variants[static_cast<size_t>(stream) % variants.size()];
    JoinOptions options{.how = variant.mode};
    if (variant.id_source == JoinIdSource::kLeft) options.id = left.id();
    if (variant.id_source == JoinIdSource::kRight) options.id = right.id();
    Table result =
        t.join(s, left["k"] == right["k"], options)
            .select({{"lk", left["k"]}, {"lv", left["v"]}, {"rk", right["k"]}, {"rv", right["v"]}});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    WiredJoin wired(result);
    std::map<SideRow, Diff> state[2];
    std::map<std::pair<Key, std::string>, Diff> output;
    const int64_t num_keys = 1 + below(4);
    const int commits = 1 + static_cast<int>(below(8));
    for (int c = 0; c < commits; ++c) {
      const Time time = static_cast<Time>(2 * c + 2);
      // Random updates of both sides: inserts (often of a row present already, or with an
      // id in use), retractions of present rows, and moves to another key.
      std::vector<std::pair<size_t, std::pair<SideRow, Diff>>> updates;
      for (size_t side : {kLeftSide, kRightSide}) {
        const int64_t n = below(6);
        std::map<SideRow, Diff> next = state[side];
        for (int64_t u = 0; u < n; ++u) {
          const int64_t action = below(10);
          if (action < 3 && !next.empty()) {
            auto it = next.begin();
            std::advance(it, below(next.size()));
            const SideRow row = it->first;
            updates.push_back({side, {row, -1}});
            if (--it->second == 0) next.erase(it);
            if (action == 0) {  // ... and back under another key (an update of the row).
              SideRow moved{row.id, static_cast<int>(below(num_keys + 2)) - 2, row.value};
              updates.push_back({side, {moved, +1}});
              ++next[moved];
            }
          } else {
            SideRow row{below(6), static_cast<int>(below(num_keys + 2)) - 2, below(3)};
            if (variant.mode == JoinMode::kInner && row.key == -2) row.key = 0;
            updates.push_back({side, {row, +1}});
            ++next[row];
          }
        }
        state[side] = std::move(next);
      }
      // Shuffled and cut into random batches, sides interleaved.
      std::shuffle(updates.begin(), updates.end(), rng);
      size_t begin = 0;
      while (begin < updates.size()) {
        const size_t side = updates[begin].first;
        size_t end = begin;
        std::vector<std::tuple<int64_t, int64_t, int64_t, Diff>> rows;
        const size_t limit = 1 + static_cast<size_t>(below(3));
        while (end < updates.size() && updates[end].first == side && end - begin < limit) {
          const auto& [row, diff] = updates[end].second;
          rows.emplace_back(row.id, row.key, row.value, diff);
          ++end;
        }
        Batch batch = Rows(rows);
        for (size_t i = 0; i < rows.size(); ++i) {
          batch.columns[0][i] = KeyValue(static_cast<int>(std::get<1>(rows[i])));
        }
        wired.op.OnBatch(side, batch, time);
        begin = end;
      }
      wired.sink.updates.clear();
      wired.op.OnCommitEnd(time, false);
      // The commit's output is consolidated when it retracts, and never holds a zero.
      std::map<std::pair<Key, std::string>, int> seen;
      bool retracts = false;
      for (const Update& u : wired.sink.updates) {
        ASSERT_NE(u.diff, 0);
        retracts = retracts || u.diff < 0;
        std::string row;
        for (size_t i = 0; i < u.row.size(); ++i) {
          row += (i > 0 ? " | " : "") + FormatValue(u.row[i].get());
        }
        ++seen[{u.id, row}];
        auto& slot = output[{u.id, row}];
        slot += u.diff;
        if (slot == 0) output.erase({u.id, row});
      }
      if (retracts) {
        for (const auto& [key, times] : seen) ASSERT_EQ(times, 1) << key.second;
      }
      const auto expected = NestedLoopJoin(state, variant.mode, variant.id_source);
      ASSERT_EQ(output, expected) << "stream " << stream << ", commit " << c << ", mode "
                                  << JoinModeName(variant.mode);
    }
    // Retracting everything frees the whole state.
    for (size_t side : {kLeftSide, kRightSide}) {
      std::vector<std::tuple<int64_t, int64_t, int64_t, Diff>> rows;
      for (const auto& [row, count] : state[side]) {
        rows.emplace_back(row.id, row.key, row.value, -count);
      }
      Batch batch = Rows(rows);
      for (size_t i = 0; i < rows.size(); ++i) {
        batch.columns[0][i] = KeyValue(static_cast<int>(std::get<1>(rows[i])));
      }
      if (!batch.empty()) wired.op.OnBatch(side, batch, 1000);
    }
    wired.op.OnCommitEnd(1000, false);
    for (size_t side : {kLeftSide, kRightSide}) {
      ASSERT_EQ(wired.op.num_rows(side), 0u) << "stream " << stream;
      ASSERT_EQ(wired.op.num_groups(side), 0u) << "stream " << stream;
    }
  }
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

/// id=left.id / right.id with keys matched several times (Pathway: one row per id, the other
/// side Error), on random update streams of both sides, against a reference computed here
/// from the final inputs, under several batch sizes and with rows shuffled and commits split.
TEST(JoinTest, IdPreservingJoinWithDuplicateMatchesKeepsOneRowPerIdOnRandomStreams) {
  for (uint64_t seed : {1, 2, 3}) {
    std::mt19937_64 rng(seed);
    // Rows `id | k | v`, fresh ids, some retracted in a later commit (so that commits cut
    // anywhere stay valid tables); few keys, so multi-matches come and go.
    const auto stream = [&rng](int first_id, std::map<int, std::pair<int, int>>& live) {
      std::string text = "id | k | v | __time__ | __diff__\n";
      int time = 2;
      std::map<int, int> inserted_at;
      for (int i = 0; i < 120; ++i) {
        if (rng() % 5 == 0) time += 2;
        if (!live.empty() && rng() % 3 == 0) {
          auto it = std::next(live.begin(), static_cast<std::ptrdiff_t>(rng() % live.size()));
          if (inserted_at[it->first] == time) continue;
          text += fmt::format("{} | {} | {} | {} | -1\n", it->first, it->second.first,
                              it->second.second, time);
          live.erase(it);
          continue;
        }
        inserted_at[first_id + i] = time;
        const int id = first_id + i, k = static_cast<int>(rng() % 6);
        const int v = static_cast<int>(rng() % 1000);
        text += fmt::format("{} | {} | {} | {} | 1\n", id, k, v, time);
        live[id] = {k, v};
      }
      return text;
    };
    std::map<int, std::pair<int, int>> left_live, right_live;
    const Table left = debug::table_from_markdown(stream(0, left_live));
    const Table right = debug::table_from_markdown(stream(1000, right_live));
    struct Case {
      const char* name;
      bool left_join;
      bool right_side_keeps_id;
    };
    for (const Case c : {Case{"inner, id=left.id", false, false},
                         Case{"left, id=left.id", true, false},
                         Case{"inner, id=right.id", false, true}}) {
      JoinOptions options;
      options.id = c.right_side_keeps_id ? right.id() : left.id();
      const Expr on = left["k"] == right["k"];
      const Table joined =
          (c.left_join ? left.join_left(right, on, options) : left.join(right, on, options))
              .select({{"lv", left["v"]}, {"rv", right["v"]}});
      // The reference: per row of the id's side, its matches on the other side.
      const auto& mine = c.right_side_keeps_id ? right_live : left_live;
      const auto& theirs = c.right_side_keeps_id ? left_live : right_live;
      std::vector<std::string> expected;
      for (const auto& [id, kv] : mine) {
        std::vector<int> matches;
        for (const auto& [oid, okv] : theirs) {
          if (okv.first == kv.first) matches.push_back(okv.second);
        }
        const std::string other = matches.empty()    ? "None"
                                  : matches.size() > 1 ? "Error"
                                                       : std::to_string(matches[0]);
        if (matches.empty() && !c.left_join) continue;
        expected.push_back(c.right_side_keeps_id ? fmt::format("{} | {}", other, kv.second)
                                                 : fmt::format("{} | {}", kv.second, other));
      }
      std::sort(expected.begin(), expected.end());
      for (int variant = 0; variant < 4; ++variant) {
        RunOptions options_run = QuietOptions(/*terminate_on_error=*/false);
        options_run.max_batch_rows = variant == 1 ? 1 : variant == 2 ? 7 : 0;
        if (variant == 3) {  // Rows shuffled within commits, commits cut at random.
          options_run.source_wrapper = [seed](std::unique_ptr<Source> s) {
            return std::unique_ptr<Source>(
                std::make_unique<ReshuffledSource>(std::move(s), seed, true));
          };
        }
        auto captured = debug::Capture(joined, options_run);
        ASSERT_TRUE(captured.ok()) << captured.status().ToString();
        EXPECT_EQ(testing::RowsText(captured->updates), expected)
            << c.name << ", seed " << seed << ", variant " << variant;
        // At most one row per id at the end of every commit.
        std::map<Key, Diff> count;
        Time time = 0;
        for (const Update& u : captured->updates) {
          if (u.time != time) {
            for (const auto& [id, n] : count) EXPECT_LE(n, 1) << c.name << " at " << time;
            time = u.time;
          }
          count[u.id] += u.diff;
        }
        for (const auto& [id, n] : count) EXPECT_LE(n, 1) << c.name;
      }
    }
  }
}

}  // namespace
}  // namespace vigil
