// Graph validation: every operation checks names and types when it is called, and a failed
// table carries its error (Table::status()) to every table derived from it and to the runs
// that compute them (debug::Capture, run()).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "connectors/io.h"
#include "engine_test_util.h"
#include "vigil/exec/run.h"

namespace vigil {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::vigil::engine_test::QuietOptions;

/// A duration window parameter. (TimeParam converts only from std::chrono::nanoseconds, so
/// `tumbling(std::chrono::seconds(10))` does not compile; see the report.)
TimeParam Seconds(int64_t n) {
  return TimeParam(std::chrono::nanoseconds(std::chrono::seconds(n)));
}

Table Input() {
  return debug::table_from_markdown(R"(
k | v | t
a | 1 | 10
b | 2 | 20
)");
}

/// Checks that `status` is a NotFound error naming `missing` and listing `existing`.
void ExpectUnknownColumn(const Status& status, const std::string& operation,
                         const std::string& missing, const std::vector<std::string>& existing) {
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(operation)) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr("'" + missing + "'")) << status.ToString();
  std::string listed;
  for (const auto& name : existing) listed += (listed.empty() ? "" : ", ") + name;
  EXPECT_THAT(status.message(), HasSubstr("[" + listed)) << status.ToString();
}

TEST(GraphValidation, SelectUnknownColumnNamesItAndListsColumns) {
  auto t = Input().select({this_["k"], {"w", this_["missing"] + 1}});
  ASSERT_FALSE(t.ok());
  ExpectUnknownColumn(t.status(), "select", "missing", {"k", "v", "t"});
  EXPECT_THAT(t.status().message(), HasSubstr("[k, v, t]"));
}

TEST(GraphValidation, FilterUnknownColumnNamesItAndListsColumns) {
  auto t = Input().filter(this_["nope"] > 1);
  ASSERT_FALSE(t.ok());
  ExpectUnknownColumn(t.status(), "filter", "nope", {"k", "v", "t"});
}

TEST(GraphValidation, WithColumnsUnknownColumnNamesItAndListsColumns) {
  auto t = Input().with_columns({{"w", this_["v"] * this_["vv"]}});
  ASSERT_FALSE(t.ok());
  ExpectUnknownColumn(t.status(), "with_columns", "vv", {"k", "v", "t"});
}

TEST(GraphValidation, WindowbyUnknownTimeColumnNamesItAndListsColumns) {
  auto t =
      Input().windowby(this_["time"], temporal::tumbling(10)).reduce({{"n", reducers::count()}});
  ASSERT_FALSE(t.ok());
  ExpectUnknownColumn(t.status(), "windowby", "time", {"k", "v", "t"});
}

TEST(GraphValidation, WindowbyUnknownInstanceColumnNamesIt) {
  auto t = Input()
               .windowby(this_["t"], temporal::tumbling(10), this_["host"])
               .reduce({{"n", reducers::count()}});
  ASSERT_FALSE(t.ok());
  ExpectUnknownColumn(t.status(), "windowby", "host", {"k", "v", "t"});
}

TEST(GraphValidation, ReduceUnknownColumnInReducerNamesItAndListsColumns) {
  auto t = Input().groupby({this_["k"]}).reduce({this_["k"], {"s", reducers::sum(this_["x"])}});
  ASSERT_FALSE(t.ok());
  ExpectUnknownColumn(t.status(), "reduce", "x", {"k", "v", "t"});
}

TEST(GraphValidation, GroupbyUnknownKeyColumnNamesIt) {
  auto t = Input().groupby({this_["kk"]}).reduce({{"n", reducers::count()}});
  ASSERT_FALSE(t.ok());
  ExpectUnknownColumn(t.status(), "groupby", "kk", {"k", "v", "t"});
}

TEST(GraphValidation, WindowbyReduceUnknownColumnNamesItAndListsInputColumns) {
  auto t = Input()
               .windowby(this_["t"], temporal::tumbling(10))
               .reduce({{"m", reducers::max(this_["value"])}});
  ASSERT_FALSE(t.ok());
  ExpectUnknownColumn(t.status(), "reduce", "value", {"k", "v", "t"});
}

TEST(GraphValidation, NonBoolFilterPredicateIsTypeError) {
  auto t = Input().filter(this_["v"] + 1);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kTypeError) << t.status().ToString();
  EXPECT_THAT(t.status().message(),
              AllOf(HasSubstr("filter"), HasSubstr("bool"), HasSubstr("int")));
  auto s = Input().filter(this_["k"]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kTypeError) << s.status().ToString();
}

TEST(GraphValidation, BoolFilterPredicatesAreAccepted) {
  EXPECT_TRUE(Input().filter(this_["v"] > 1).ok());
  EXPECT_TRUE(Input().filter(~(this_["v"] > 1) & (this_["k"] == "a")).ok());
}

TEST(GraphValidation, NonGroupingColumnOutsideReducerIsError) {
  auto t = Input().groupby({this_["k"]}).reduce({this_["k"], this_["v"]});
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), AllOf(HasSubstr("reduce"), HasSubstr("'v'")))
      << t.status().ToString();
  // Inside an expression too.
  auto u = Input().groupby({this_["k"]}).reduce({{"w", reducers::count() + this_["v"]}});
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(u.status().message(), HasSubstr("'v'")) << u.status().ToString();
  // The same column inside a reducer, and grouping columns in expressions, are fine.
  EXPECT_TRUE(Input()
                  .groupby({this_["k"]})
                  .reduce({this_["k"], {"w", reducers::sum(this_["v"]) + reducers::count()}})
                  .ok());
}

TEST(GraphValidation, WholeTableReduceRejectsBareColumns) {
  auto t = Input().reduce({this_["v"]});
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("'v'")) << t.status().ToString();
}

TEST(GraphValidation, SlidingWithBothDurationAndRatioIsError) {
  auto t =
      Input().windowby(this_["t"], temporal::sliding(2, 10, 5)).reduce({{"n", reducers::count()}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << t.status().ToString();
  EXPECT_THAT(t.status().message(), AllOf(HasSubstr("duration"), HasSubstr("ratio")));
}

TEST(GraphValidation, SlidingWithNeitherDurationNorRatioIsError) {
  auto t = Input()
               .windowby(this_["t"], temporal::sliding(2, std::nullopt))
               .reduce({{"n", reducers::count()}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << t.status().ToString();
  EXPECT_THAT(t.status().message(), AllOf(HasSubstr("duration"), HasSubstr("ratio")));
}

TEST(GraphValidation, SlidingWithExactlyOneOfDurationAndRatioIsAccepted) {
  EXPECT_TRUE(Input()
                  .windowby(this_["t"], temporal::sliding(2, 10))
                  .reduce({{"n", reducers::count()}})
                  .ok());
  EXPECT_TRUE(Input()
                  .windowby(this_["t"], temporal::sliding(2, std::nullopt, 5))
                  .reduce({{"n", reducers::count()}})
                  .ok());
}

TEST(GraphValidation, WindowbyIntTimeWithDurationHopIsTypeError) {
  auto t = Input()
               .windowby(this_["t"], temporal::tumbling(Seconds(10)))
               .reduce({{"n", reducers::count()}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kTypeError) << t.status().ToString();
  EXPECT_THAT(t.status().message(),
              HasSubstr("Arguments (time_expr, window.hop) have to be of types"));
  EXPECT_THAT(t.status().message(), HasSubstr("(int, Duration)"));
}

TEST(GraphValidation, WindowbySlidingTypeMismatchNamesEveryParameter) {
  auto t = Input()
               .windowby(this_["t"], temporal::sliding(Seconds(2), Seconds(10)))
               .reduce({{"n", reducers::count()}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kTypeError) << t.status().ToString();
  EXPECT_THAT(t.status().message(),
              HasSubstr("Arguments (time_expr, window.hop, window.duration) have to be of types"));
}

TEST(GraphValidation, ErrorPropagatesToDerivedTables) {
  const Table bad = Input().select({this_["missing"]});
  ASSERT_FALSE(bad.ok());
  const Status& original = bad.status();
  const Table good = Input();
  const std::vector<std::pair<std::string, Table>> derived = {
      {"select", bad.select({{"x", Expr(1)}})},
      {"with_columns", bad.with_columns({{"x", Expr(1)}})},
      {"filter", bad.filter(Expr(true))},
      {"without", bad.without({"k"})},
      {"rename", bad.rename({{"k", "kk"}})},
      {"groupby.reduce", bad.groupby({this_["k"]}).reduce({{"n", reducers::count()}})},
      {"reduce", bad.reduce({{"n", reducers::count()}})},
      {"windowby.reduce",
       bad.windowby(this_["t"], temporal::tumbling(10)).reduce({{"n", reducers::count()}})},
      {"concat (left)", bad.concat(good.select({this_["k"]}))},
      {"concat (right)", good.select({{"missing", this_["k"]}}).concat(bad)},
      {"two steps", bad.filter(Expr(true)).select({{"x", Expr(1)}})},
  };
  for (const auto& [name, table] : derived) {
    EXPECT_FALSE(table.ok()) << name;
    EXPECT_EQ(table.status().code(), original.code()) << name;
    EXPECT_EQ(table.status().message(), original.message()) << name;
  }
}

TEST(GraphValidation, CaptureOfDerivedTableReportsTheError) {
  const Table bad = Input().filter(this_["nope"] > 1);
  const Table derived = bad.groupby({this_["k"]}).reduce({{"n", reducers::count()}});
  auto captured = debug::Capture(derived, QuietOptions());
  ASSERT_FALSE(captured.ok());
  EXPECT_EQ(captured.status().message(), bad.status().message());
  // Capturing several tables fails if any of them carries an error.
  auto all = debug::CaptureAll({Input(), derived}, QuietOptions());
  ASSERT_FALSE(all.ok());
  EXPECT_THAT(all.status().message(), HasSubstr("nope"));
}

TEST(GraphValidation, RunReportsTheErrorOfARegisteredOutput) {
  ClearOutputs();
  const Table bad = Input().with_columns({{"w", this_["ghost"]}});
  int changes = 0;
  io::subscribe(Input(), [&](const Key&, std::span<const Value>, Time, bool) { ++changes; });
  io::subscribe(bad.select({this_["k"]}),
                [&](const Key&, std::span<const Value>, Time, bool) { ++changes; });
  Status status = run(QuietOptions());
  ClearOutputs();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), bad.status().message());
  EXPECT_THAT(status.message(), HasSubstr("ghost"));
  EXPECT_EQ(changes, 0) << "nothing runs when the graph has an error";
}

TEST(GraphValidation, ValidPipelineHasNoError) {
  auto t = Input()
               .filter(this_["v"] > 0)
               .with_columns({{"w", this_["v"] * 2}})
               .groupby({this_["k"]})
               .reduce({this_["k"], {"s", reducers::sum(this_["w"])}});
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_THAT(t.status().ToString(), Not(HasSubstr("Error")));
}

}  // namespace
}  // namespace vigil
