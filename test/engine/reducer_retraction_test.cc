// Ordered and general reducers under retractions: min/max/argmin/argmax after the current
// extreme leaves, tuple/sorted_tuple/count_distinct/any/unique as rows come and go. Golden
// stream tests (matrix-checked). Where a result depends on row ids (tuple order, any), the
// expectation is computed from the documented rule over the markdown ids (row id of index i
// is KeyForIndex(i)), not taken from the engine.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::vigil::engine_test::QuietOptions;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::MatrixOptions;
using ::vigil::testing::StreamRows;
using ::vigil::testing::StreamText;

/// Pathway's tuple(): the values ordered by ascending row id (128-bit unsigned).
std::string TupleByRowId(std::vector<std::pair<int64_t, int64_t>> id_values) {
  std::sort(id_values.begin(), id_values.end(), [](const auto& a, const auto& b) {
    return KeyForIndex(a.first) < KeyForIndex(b.first);
  });
  std::string out = "(";
  for (size_t i = 0; i < id_values.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(id_values[i].second);
  }
  return out + (id_values.size() == 1 ? ",)" : ")");
}

/// Pathway's any(): the value of the row whose id XOR 0xDEADBEEF... (128 bits) is smallest.
std::string AnyByRowId(const std::vector<std::pair<int64_t, int64_t>>& id_values) {
  const Key salt{0xDEADBEEFDEADBEEFull, 0xDEADBEEFDEADBEEFull};
  auto best =
      std::min_element(id_values.begin(), id_values.end(), [&](const auto& a, const auto& b) {
        return (KeyForIndex(a.first) ^ salt) < (KeyForIndex(b.first) ^ salt);
      });
  return std::to_string(best->second);
}

// min/max/argmin/argmax keep a multiset, so retracting the current extreme falls back to the
// next one: t2 {x:5, y:1, z:9}; t4 y leaves (min 1 -> 5); t6 z leaves (max 9 -> 5).
TEST(ReducerRetraction, MinMaxArgminArgmaxAfterRetractingTheExtreme) {
  auto t = debug::table_from_markdown(R"(
id | k | v | name | __time__ | __diff__
1  | a | 5 | x    | 2        | 1
2  | a | 1 | y    | 2        | 1
3  | a | 9 | z    | 2        | 1
2  | a | 1 | y    | 4        | -1
3  | a | 9 | z    | 6        | -1
)");
  auto r = t.groupby({this_["k"]})
               .reduce({this_["k"],
                        {"lo", reducers::min(this_["v"])},
                        {"hi", reducers::max(this_["v"])},
                        {"arg_lo", reducers::argmin(this_["v"], this_["name"])},
                        {"arg_hi", reducers::argmax(this_["v"], this_["name"])}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
a | 1 | 9 | y | z | 2 | 1
a | 1 | 9 | y | z | 4 | -1
a | 5 | 9 | x | z | 4 | 1
a | 5 | 9 | x | z | 6 | -1
a | 5 | 5 | x | x | 6 | 1
)"));
}

// Ties: argmin and argmax both pick the smallest id value; when it leaves, the next one.
TEST(ReducerRetraction, ArgminArgmaxTiesPickSmallestIdAfterRetraction) {
  auto t = debug::table_from_markdown(R"(
id | k | v | name | __time__ | __diff__
1  | a | 7 | q    | 2        | 1
2  | a | 7 | p    | 2        | 1
3  | a | 2 | r    | 2        | 1
4  | a | 2 | s    | 2        | 1
2  | a | 7 | p    | 4        | -1
3  | a | 2 | r    | 4        | -1
)");
  auto r = t.groupby({this_["k"]})
               .reduce({this_["k"],
                        {"arg_hi", reducers::argmax(this_["v"], this_["name"])},
                        {"arg_lo", reducers::argmin(this_["v"], this_["name"])}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
a | p | r | 2 | 1
a | p | r | 4 | -1
a | q | s | 4 | 1
)"));
}

// Default argmin/argmax return the row id (as a pointer).
TEST(ReducerRetraction, DefaultArgminReturnsRowIdOfNextMinimumAfterRetraction) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 5 | 2        | 1
2  | a | 1 | 2        | 1
3  | a | 9 | 2        | 1
2  | a | 1 | 4        | -1
)");
  auto r = t.groupby({this_["k"]})
               .reduce({this_["k"],
                        {"arg_lo", reducers::argmin(this_["v"])},
                        {"arg_hi", reducers::argmax(this_["v"])}});
  const std::string id1 = KeyForIndex(1).ToString();
  const std::string id2 = KeyForIndex(2).ToString();
  const std::string id3 = KeyForIndex(3).ToString();
  EXPECT_EQ(StreamRows(r), ExpectedRows("a | " + id2 + " | " + id3 + " | 2 | 1\n" +  //
                                        "a | " + id2 + " | " + id3 + " | 4 | -1\n" + "a | " + id1 +
                                        " | " + id3 + " | 4 | 1\n"));
}

// Rows (id: v): t2 {1:10, 2:20, 3:30, 4:20}; t4 id 2 leaves; t6 id 4 leaves, id 5 (30) comes.
TEST(ReducerRetraction, TupleSortedTupleCountDistinctAnyUnderRetractions) {
  auto t = debug::table_from_markdown(R"(
id | k | v  | __time__ | __diff__
1  | a | 10 | 2        | 1
2  | a | 20 | 2        | 1
3  | a | 30 | 2        | 1
4  | a | 20 | 2        | 1
2  | a | 20 | 4        | -1
4  | a | 20 | 6        | -1
5  | a | 30 | 6        | 1
)");
  auto r = t.groupby({this_["k"]})
               .reduce({this_["k"],
                        {"sorted", reducers::sorted_tuple(this_["v"])},
                        {"distinct", reducers::count_distinct({this_["v"]})},
                        {"tuple", reducers::tuple(this_["v"])},
                        {"any", reducers::any(this_["v"])}});
  const std::vector<std::pair<int64_t, int64_t>> at2 = {{1, 10}, {2, 20}, {3, 30}, {4, 20}};
  const std::vector<std::pair<int64_t, int64_t>> at4 = {{1, 10}, {3, 30}, {4, 20}};
  const std::vector<std::pair<int64_t, int64_t>> at6 = {{1, 10}, {3, 30}, {5, 30}};
  auto row = [](const std::string& sorted, int distinct,
                const std::vector<std::pair<int64_t, int64_t>>& rows, int time, int diff) {
    return "a | " + sorted + " | " + std::to_string(distinct) + " | " + TupleByRowId(rows) + " | " +
           AnyByRowId(rows) + " | " + std::to_string(time) + " | " + std::to_string(diff) + "\n";
  };
  EXPECT_EQ(
      StreamRows(r),
      ExpectedRows(row("(10, 20, 20, 30)", 3, at2, 2, 1) + row("(10, 20, 20, 30)", 3, at2, 4, -1) +
                   row("(10, 20, 30)", 3, at4, 4, 1) + row("(10, 20, 30)", 3, at4, 6, -1) +
                   row("(10, 30, 30)", 2, at6, 6, 1)));
}

// skip_nones leaves None out of tuple/sorted_tuple; None still counts as a distinct value.
TEST(ReducerRetraction, TupleSkipNonesUnderRetraction) {
  auto t = debug::table_from_markdown(R"(
id | k | v    | __time__ | __diff__
1  | a | 3    | 2        | 1
2  | a | None | 2        | 1
3  | a | 1    | 2        | 1
3  | a | 1    | 4        | -1
)");
  auto r = t.groupby({this_["k"]})
               .reduce({this_["k"],
                        {"kept", reducers::sorted_tuple(this_["v"], /*skip_nones=*/true)},
                        {"all", reducers::sorted_tuple(this_["v"])},
                        {"distinct", reducers::count_distinct({this_["v"]})}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
a | (1, 3) | (None, 1, 3) | 3 | 2 | 1
a | (1, 3) | (None, 1, 3) | 3 | 4 | -1
a | (3,)   | (None, 3)    | 2 | 4 | 1
)"));
}

// count_distinct over several arguments counts distinct tuples; retracting one of two equal
// tuples keeps the count.
TEST(ReducerRetraction, CountDistinctOfPairsUnderRetraction) {
  auto t = debug::table_from_markdown(R"(
id | k | x | y | __time__ | __diff__
1  | a | 1 | 1 | 2        | 1
2  | a | 1 | 2 | 2        | 1
3  | a | 1 | 1 | 2        | 1
1  | a | 1 | 1 | 4        | -1
2  | a | 1 | 2 | 6        | -1
)");
  auto r = t.groupby({this_["k"]})
               .reduce({this_["k"],
                        {"pairs", reducers::count_distinct({this_["x"], this_["y"]})},
                        {"xs", reducers::count_distinct({this_["x"]})}});
  EXPECT_EQ(StreamRows(r), ExpectedRows(R"(
a | 2 | 1 | 2 | 1
a | 2 | 1 | 6 | -1
a | 1 | 1 | 6 | 1
)"));
}

// unique(): the value while the group agrees; changes when the agreed value changes.
TEST(ReducerRetraction, UniqueFollowsTheAgreedValue) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 3 | 2        | 1
2  | a | 3 | 2        | 1
3  | b | 4 | 2        | 1
1  | a | 3 | 4        | -1
3  | b | 4 | 6        | -1
4  | b | 5 | 6        | 1
)");
  auto r = t.groupby({this_["k"]}).reduce({this_["k"], {"u", reducers::unique(this_["v"])}});
  // Splitting the commit at time 6 between +5 and -4 would make a real (transient) conflict,
  // so this test runs the batch-size and shuffle variants only.
  MatrixOptions no_commit_splits;
  no_commit_splits.time_dependent = true;
  EXPECT_EQ(StreamRows(r, no_commit_splits), ExpectedRows(R"(
a | 3 | 2 | 1
b | 4 | 2 | 1
b | 4 | 6 | -1
b | 5 | 6 | 1
)"));
}

// Two values in a group: unique() is an engine error (the run fails by default); without
// terminate_on_error the row holds Error until the conflict is retracted.
TEST(ReducerRetraction, UniqueConflictIsEngineErrorUntilRetracted) {
  auto t = debug::table_from_markdown(R"(
id | k | v | __time__ | __diff__
1  | a | 1 | 2        | 1
2  | a | 2 | 2        | 1
2  | a | 2 | 4        | -1
)");
  auto r = t.groupby({this_["k"]}).reduce({this_["k"], {"u", reducers::unique(this_["v"])}});
  auto failed = debug::Capture(r, QuietOptions());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kEngineError);
  EXPECT_THAT(failed.status().message(), HasSubstr("more than one value"));
  auto kept = debug::Capture(r, QuietOptions(/*terminate_on_error=*/false));
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(StreamText(kept->updates), ExpectedRows(R"(
a | Error | 2 | 1
a | Error | 4 | -1
a | 1     | 4 | 1
)",
                                                    /*sort=*/false));
}

// Rows whose reducer argument is Error are skipped by every reducer (count(expr) too), and
// come back into the result when the Error row is replaced.
TEST(ReducerRetraction, ReducersSkipErrorArgumentsUnderUpdates) {
  auto t = debug::table_from_markdown(R"(
id | k | a | b | __time__ | __diff__
1  | x | 6 | 2 | 2        | 1
2  | x | 5 | 0 | 2        | 1
2  | x | 5 | 0 | 4        | -1
2  | x | 5 | 5 | 4        | 1
)");
  auto q = t.with_columns({{"q", floordiv(this_["a"], this_["b"])}});
  auto r = q.groupby({this_["k"]})
               .reduce({this_["k"],
                        {"rows", reducers::count()},
                        {"s", reducers::sum(this_["q"])},
                        {"hi", reducers::max(this_["q"])},
                        {"all", reducers::sorted_tuple(this_["q"])}});
  auto kept = debug::Capture(r, QuietOptions(/*terminate_on_error=*/false));
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  // t2: q = {3, Error}: 2 rows, sum 3, max 3, (3,); t4: q = {3, 1}.
  EXPECT_EQ(StreamText(kept->updates), ExpectedRows(R"(
x | 2 | 3 | 3 | (3,)   | 2 | 1
x | 2 | 3 | 3 | (3,)   | 4 | -1
x | 2 | 4 | 3 | (1, 3) | 4 | 1
)",
                                                    /*sort=*/false));
}

}  // namespace
}  // namespace vigil
