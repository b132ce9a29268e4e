// Conformance cases R-* of /work/shared/conformance/CASES.md (§6.5): reducers. Each test
// restates one Pathway test or docstring; expectations are copied unedited. Pathway's
// `t.ix(argmin(...)).source` is done in test code (conformance_util.h: LookUp); Pathway's
// `table.reduce(...)` is `table.groupby({}).reduce(...)` here.
//
// Not run: R-05 (count_distinct_approximate) and R-09 (stateful_many) need reducers Vigil
// does not have; the strict=True float sums of R-02 and R-06 are in
// pending_conformance_test.cc (not built: sum has no `strict` flag).

#include <gtest/gtest.h>

#include <string>

#include "conformance_util.h"
#include "connectors/debug.h"
#include "golden.h"

namespace vigil {
namespace {

using ::vigil::conformance::LookUp;
using ::vigil::conformance::RowsById;
using ::vigil::conformance::ShortPointerRows;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::ExpectMatrixStable;
using ::vigil::testing::FinalRows;
using ::vigil::testing::MatrixOptions;
using ::vigil::testing::RowsText;
using ::vigil::testing::StreamRows;
using ::vigil::testing::StreamText;

/// The reduce of test_non_append_only_reducers / test_append_only_reducers, with the
/// argmin/argmax ids left as pointers (columns 2 and 4), to be looked up in the input.
Table NonAppendOnlyReduce(const Table& t, const Expr& sum_f_argument) {
  return t.groupby({this_["instance"]})
      .reduce({{"instance", this_["instance"]},
               {"min", reducers::min(this_["value"])},
               {"source_min", reducers::argmin(this_["value"])},
               {"max", reducers::max(this_["value"])},
               {"source_max", reducers::argmax(this_["value"])},
               {"any", reducers::any(this_["value"])},
               {"sum_i", reducers::sum(this_["value"])},
               {"sum_f", reducers::sum(sum_f_argument)}});
}

/// The `colA | colB` table of the reducer docstrings; row ids 0..5.
Table DocstringTable() {
  return debug::table_from_markdown(R"(
colA | colB
valA | -1
valA |  1
valA |  2
valB |  4
valB |  4
valB |  7
)");
}

/// The `unique` docstring table (ids 1..6).
Table UniqueDocstringTable() {
  return debug::table_from_markdown(R"(
   | colA | colB | colD
1  | valA |  1   |  3
2  | valA |  1   |  3
3  | valA |  1   |  3
4  | valB |  2   |  4
5  | valB |  2   |  5
6  | valB |  2   |  6
)");
}

// R-01: python/pathway/tests/test_reducers.py::test_non_append_only_reducers. Exact update
// stream (assert_stream_equality) with retractions; `any` is hash-determined.
TEST(ReducersConformance, R01_NonAppendOnlyReducersExactStream) {
  auto t = debug::table_from_markdown(R"(
  | instance | value | source | __time__ | __diff__
1 |     1    |   2   |    1   |     2    |     1
2 |     1    |   3   |    2   |     2    |     1
3 |     2    |   3   |    3   |     2    |     1
4 |     2    |   1   |    4   |     2    |     1
1 |     1    |   2   |    1   |     4    |    -1
3 |     2    |   3   |    3   |     4    |    -1
5 |     1    |  10   |    5   |     6    |     1
)");
  auto result = NonAppendOnlyReduce(t, this_["value"] + 0.5);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectMatrixStable(result);
  auto captured = debug::CaptureAll({t, result});
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  const auto input = RowsById((*captured)[0]);
  // source_min = t.ix(argmin(value)).source, source_max = t.ix(argmax(value)).source.
  auto stream = StreamText(LookUp((*captured)[1].updates, input, {{2, 2}, {4, 2}}));
  std::sort(stream.begin(), stream.end());
  // instance | min | source_min | max | source_max | any | sum_i | sum_f | __time__ | __diff__
  EXPECT_EQ(stream, ExpectedRows(R"(
1|2|1|3|2|2|5|6.0|2|1
2|1|4|3|3|1|4|5.0|2|1
1|2|1|3|2|2|5|6.0|4|-1
1|3|2|3|2|3|3|3.5|4|1
2|1|4|3|3|1|4|5.0|4|-1
2|1|4|1|4|1|1|1.5|4|1
1|3|2|3|2|3|3|3.5|6|-1
1|3|2|10|5|10|13|14.0|6|1
)"));
  // The output ids are the group ids: hash of the instance value.
  for (const Update& u : (*captured)[1].updates) {
    KeyHasher h;
    u.row[0].get().HashInto(h);
    EXPECT_EQ(u.id, h.Finish()) << DebugString(u);
  }
}

// R-02: test_reducers.py::test_append_only_reducers, with sum_f = sum(value + 0.2). Pathway
// passes strict=True, which Vigil's sum() cannot express (see pending_conformance_test.cc for
// the exact form); the expected value is the same for the incremental sum.
TEST(ReducersConformance, R02_AppendOnlyReducersNonStrictSum) {
  auto t = debug::table_from_markdown(R"(
  | instance | value | source
1 |     1    |   2   |    1
2 |     1    |   3   |    2
3 |     2    |   3   |    3
4 |     2    |   1   |    4
)");
  auto result = NonAppendOnlyReduce(t, this_["value"] + 0.2);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectMatrixStable(result);
  auto captured = debug::CaptureAll({t, result});
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  const auto input = RowsById((*captured)[0]);
  auto looked_up = LookUp((*captured)[1].updates, input, {{2, 2}, {4, 2}});
  // instance | min | source_min | max | source_max | any | sum_i | sum_f
  EXPECT_EQ(RowsText(looked_up), ExpectedRows(R"(
1 | 2 | 1 | 3 | 2 | 2 | 5 | 5.4
2 | 1 | 4 | 3 | 3 | 1 | 4 | 4.4
)"));
}

// R-04: test_distinct. count_distinct() with no argument counts the distinct empty tuple.
TEST(ReducersConformance, R04_CountDistinct) {
  auto t = debug::table_from_markdown(R"(
a | b
1 | 2
3 | 4
3 | 5
5 | 5
5 | 6
)");
  auto result = t.groupby({}).reduce(
      {{"count_distinct", reducers::count_distinct()},
       {"count_distinct_a", reducers::count_distinct({this_["a"]})},
       {"count_distinct_b", reducers::count_distinct({this_["b"]})},
       {"count_distinct_ab", reducers::count_distinct({this_["a"], this_["b"]})}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("1 | 3 | 4 | 5"));
}

// R-06: test_reducers.py::test_float_sum_precision[strict=False]. The compensated float sum
// recovers 2.0 from values around ±8e20 (strict=True: pending_conformance_test.cc).
TEST(ReducersConformance, R06_FloatSumPrecision) {
  auto t = debug::table_from_markdown(R"(
  a
-10.1
-10.1
  1
  1
 10.1
 10.1
)");
  auto s = t.select({{"a", pow(this_["a"], 21)}});
  auto result = s.groupby({}).reduce({{"s", reducers::sum(this_["a"])}});
  EXPECT_EQ(result.schema()[0].type, dtype::Float) << result.schema()[0].type.ToString();
  EXPECT_EQ(FinalRows(result), ExpectedRows("2.0"));
}

// R-07 (sum): the `sum` docstring (python/pathway/internals/reducers.py).
TEST(ReducersConformance, R07_DocstringSum) {
  auto t = DocstringTable();
  auto result = t.groupby({t["colA"]}).reduce({{"sum", reducers::sum(t["colB"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("2\n15"));
}

// R-07 (min): the `min` docstring.
TEST(ReducersConformance, R07_DocstringMin) {
  auto t = DocstringTable();
  auto result = t.groupby({t["colA"]}).reduce({{"min", reducers::min(t["colB"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("-1\n4"));
}

// R-07 (max): the `max` docstring.
TEST(ReducersConformance, R07_DocstringMax) {
  auto t = DocstringTable();
  auto result = t.groupby({t["colA"]}).reduce({{"max", reducers::max(t["colB"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("2\n7"));
}

// R-07 (count): the `count` docstring.
TEST(ReducersConformance, R07_DocstringCount) {
  auto t = DocstringTable();
  auto result = t.groupby({t["colA"]}).reduce({{"count", reducers::count()}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("3\n3"));
}

// R-07 (avg): the `avg` docstring. True division: floats printed as Python does.
TEST(ReducersConformance, R07_DocstringAvg) {
  auto t = DocstringTable();
  auto result = t.groupby({t["colA"]}).reduce({{"avg", reducers::avg(t["colB"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("0.6666666666666666\n5.0"));
}

// R-07 (count_distinct): count_distinct(colB) per colA.
TEST(ReducersConformance, R07_DocstringCountDistinct) {
  auto t = DocstringTable();
  auto result = t.groupby({t["colA"]})
                    .reduce({t["colA"], {"count_distinct", reducers::count_distinct({t["colB"]})}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
valA | 3
valB | 2
)"));
}

// R-07 (argmin): the `argmin` docstring. Row ids of table_from_markdown rows 0..5 are
// ^X1MXHYY ^YYY4HAB ^Z3QWT29 ^3CZ78B4 ^3HN31E1 ^3S2X6B2; the tie 4/4 of valB goes to the
// smaller id (^3CZ78B4, row 3).
TEST(ReducersConformance, R07_DocstringArgminReturnsRowIds) {
  auto t = DocstringTable();
  auto result =
      t.groupby({t["colA"]})
          .reduce({{"argmin", reducers::argmin(t["colB"])}, {"min", reducers::min(t["colB"])}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectMatrixStable(result);
  auto captured = debug::Capture(result);
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  EXPECT_EQ(ShortPointerRows(captured->updates), ExpectedRows(R"(
^X1MXHYY... | -1
^3CZ78B4... | 4
)"));
  // The printed prefixes are those of the exact ids of rows 0 and 3.
  EXPECT_EQ(RowsText(captured->updates), ExpectedRows(KeyForIndex(0).ToString() + " | -1\n" +
                                                      KeyForIndex(3).ToString() + " | 4"));
}

// R-07 (argmax): the `argmax` docstring. Tie-free here: ^Z3QWT29 (row 2) and ^3S2X6B2 (row 5).
TEST(ReducersConformance, R07_DocstringArgmaxReturnsRowIds) {
  auto t = DocstringTable();
  auto result =
      t.groupby({t["colA"]})
          .reduce({{"argmax", reducers::argmax(t["colB"])}, {"max", reducers::max(t["colB"])}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ExpectMatrixStable(result);
  auto captured = debug::Capture(result);
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  EXPECT_EQ(ShortPointerRows(captured->updates), ExpectedRows(R"(
^Z3QWT29... | 2
^3S2X6B2... | 7
)"));
  EXPECT_EQ(RowsText(captured->updates), ExpectedRows(KeyForIndex(2).ToString() + " | 2\n" +
                                                      KeyForIndex(5).ToString() + " | 7"));
}

// R-07 (argmin/argmax with an id expression): the second example of the argmin and argmax
// docstrings. Three rows tie at age 18; the smallest `name` wins for argmin; argmax has a
// single row at 20.
TEST(ReducersConformance, R07_DocstringArgminArgmaxWithIdColumn) {
  auto table = debug::table_from_markdown(R"(
name    | age
Charlie |  18
Alice   |  18
Bob     |  18
David   |  19
Erin    |  19
Frank   |  20
)");
  auto min = table.groupby({}).reduce({{"min", reducers::argmin(table["age"], table["name"])}});
  EXPECT_EQ(FinalRows(min), ExpectedRows("Alice"));
  auto max = table.groupby({}).reduce({{"max", reducers::argmax(table["age"], table["name"])}});
  EXPECT_EQ(FinalRows(max), ExpectedRows("Frank"));
}

// R-07 (any): the `any` docstring. The same row (minimal id XOR salt) is chosen for both
// columns: row 3 of valA (colB 2, colD -3) and row 6 of valB (colB 7, colD 1).
TEST(ReducersConformance, R07_DocstringAnyConsistentAcrossColumns) {
  auto t = debug::table_from_markdown(R"(
   | colA | colB | colD
1  | valA | -1   |  4
2  | valA |  1   |  7
3  | valA |  2   | -3
4  | valB |  4   |  2
5  | valB |  5   |  6
6  | valB |  7   |  1
)");
  auto result =
      t.groupby({t["colA"]})
          .reduce({{"any_B", reducers::any(t["colB"])}, {"any_D", reducers::any(t["colD"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
2     | -3
7     | 1
)"));
}

// R-07 (tuple): the `tuple` docstring. Values in row-key order, the same order for every
// column.
TEST(ReducersConformance, R07_DocstringTupleInRowKeyOrder) {
  auto t = debug::table_from_markdown(R"(
   | colA | colB | colC | colD
1  | valA | -1   |   5  |  4
2  | valA |  1   |   5  |  7
3  | valA |  2   |   5  | -3
4  | valB |  4   |  10  |  2
5  | valB |  4   |  10  |  6
6  | valB |  7   |  10  |  1
)");
  auto result = t.groupby({t["colA"]})
                    .reduce({{"tuple_B", reducers::tuple(t["colB"])},
                             {"tuple_C", reducers::tuple(t["colC"])},
                             {"tuple_D", reducers::tuple(t["colD"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
(-1, 1, 2) | (5, 5, 5)    | (4, 7, -3)
(4, 4, 7)  | (10, 10, 10) | (2, 6, 1)
)"));
}

// R-07 (sorted_tuple): the `sorted_tuple` docstring; skip_nones drops the None of row 4
// (an empty cell in the docstring, written `None` here).
TEST(ReducersConformance, R07_DocstringSortedTupleSkipNones) {
  auto t = debug::table_from_markdown(R"(
   | colA | colB | colD
1  | valA | -1   |  4
2  | valA |  1   |  7
3  | valA |  2   | -3
4  | valB |  4   | None
5  | valB |  4   |  6
6  | valB |  7   |  1
)");
  auto result = t.groupby({t["colA"]})
                    .reduce({{"tuple_B", reducers::sorted_tuple(t["colB"])},
                             {"tuple_D", reducers::sorted_tuple(t["colD"], /*skip_nones=*/true)}});
  EXPECT_EQ(FinalRows(result), ExpectedRows(R"(
(-1, 1, 2) | (-3, 4, 7)
(4, 4, 7)  | (1, 6)
)"));
}

// R-07 (unique, agreeing values): the `unique` docstring, first example.
TEST(ReducersConformance, R07_DocstringUniqueOfEqualValues) {
  auto t = UniqueDocstringTable();
  auto result = t.groupby({t["colA"]}).reduce({{"unique_B", reducers::unique(t["colB"])}});
  EXPECT_EQ(FinalRows(result), ExpectedRows("1\n2"));
}

// R-07 (unique, conflicting values): the `unique` docstring, second example: computing it
// raises pathway.engine.EngineError (terminate_on_error=True, the default). With
// terminate_on_error=False the conflicting group holds an Error value instead.
TEST(ReducersConformance, R07_DocstringUniqueOfDifferentValuesIsEngineError) {
  auto t = UniqueDocstringTable();
  auto result = t.groupby({t["colA"]}).reduce({{"unique_D", reducers::unique(t["colD"])}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  RunOptions options;
  options.echo_errors = false;
  auto captured = debug::Capture(result, options);
  ASSERT_FALSE(captured.ok()) << "expected an EngineError, got rows";
  EXPECT_EQ(captured.status().code(), StatusCode::kEngineError) << captured.status().ToString();

  options.terminate_on_error = false;
  auto kept = debug::Capture(result, options);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(RowsText(kept->updates), ExpectedRows("3\nError"));
}

// R-08 (earliest): the `earliest` docstring. Update stream and final state.
TEST(ReducersConformance, R08_DocstringEarliest) {
  auto t = debug::table_from_markdown(R"(
a | b | __time__
1 | 2 |     2
2 | 3 |     2
1 | 4 |     4
2 | 2 |     6
1 | 1 |     8
)");
  auto result =
      t.groupby({this_["a"]}).reduce({this_["a"], {"earliest", reducers::earliest(this_["b"])}});
  const MatrixOptions time_dependent{.time_dependent = true};
  EXPECT_EQ(StreamRows(result, time_dependent), ExpectedRows(R"(
1 | 2        | 2        | 1
2 | 3        | 2        | 1
)"));
  EXPECT_EQ(FinalRows(result, time_dependent), ExpectedRows(R"(
1 | 2
2 | 3
)"));
}

// R-08 (latest): the `latest` docstring. Update stream and final state.
TEST(ReducersConformance, R08_DocstringLatest) {
  auto t = debug::table_from_markdown(R"(
a | b | __time__
1 | 2 |     2
2 | 3 |     2
1 | 4 |     4
2 | 2 |     6
1 | 1 |     8
)");
  auto result =
      t.groupby({this_["a"]}).reduce({this_["a"], {"latest", reducers::latest(this_["b"])}});
  const MatrixOptions time_dependent{.time_dependent = true};
  EXPECT_EQ(StreamRows(result, time_dependent), ExpectedRows(R"(
1 | 2      | 2        | 1
2 | 3      | 2        | 1
1 | 2      | 4        | -1
1 | 4      | 4        | 1
2 | 3      | 6        | -1
2 | 2      | 6        | 1
1 | 4      | 8        | -1
1 | 1      | 8        | 1
)"));
  EXPECT_EQ(FinalRows(result, time_dependent), ExpectedRows(R"(
1 | 1
2 | 2
)"));
}

}  // namespace
}  // namespace vigil
