// Reducers over insert-only inputs (ops/reduce/insert_only_reducers.cc): min, max, argmin,
// argmax and any keep a running extreme instead of a multiset when every row reaching the
// groupby is an insertion (Source::insert_only, followed through the graph by the executor).
// The same random rows are read as an insert-only table and as an update stream (a
// `__diff__` column of +1s: the general reducers), through groupby and windowby with and
// without behaviors; the two update streams must be identical, under the golden matrix's
// batch sizes and row orders. Then the executor's checks: a source that breaks its promise
// fails the run, and a retraction reaching an insert-only reducer is an error, not a wrong
// result.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"
#include "vigil/ops/groupby_reduce_op.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::vigil::engine_test::QuietOptions;
using ::vigil::testing::MatrixOptions;
using ::vigil::testing::StreamRows;

/// Random rows `k | t | v | s | f | __time__ [| __diff__]`: a few groups, event times over
/// several windows, optional ints with ties and Nones, short strings, floats; commits of
/// 1-40 rows. With `as_updates` every row carries `__diff__` 1.
std::string RandomRows(uint64_t seed, size_t rows, bool as_updates) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  std::string text = as_updates ? "k | t | v | s | f | __time__ | __diff__\n"
                                : "k | t | v | s | f | __time__\n";
  int64_t time = 2;
  int64_t left_in_commit = pick(1, 40);
  int64_t now = 0;
  for (size_t i = 0; i < rows; ++i) {
    if (left_in_commit-- == 0) {
      time += 2;
      left_in_commit = pick(1, 40);
    }
    now += pick(0, 6);
    const int64_t t = std::max<int64_t>(0, now - pick(0, 120));  // Some late rows.
    const std::string v = pick(0, 9) == 0 ? "" : std::to_string(pick(-20, 20));
    const std::string s = std::string(1, static_cast<char>('a' + pick(0, 5))) +
                          std::string(static_cast<size_t>(pick(0, 2)), 'x');
    text += fmt::format("{} | {} | {} | {} | {}.{} | {}{}\n", pick(0, 4), t, v, s,
                        pick(-3, 3), pick(0, 9), time, as_updates ? " | 1" : "");
  }
  return text;
}

std::vector<NamedExpr> Extremes() {
  return {{"min_v", reducers::min(this_["v"])},       {"max_v", reducers::max(this_["v"])},
          {"argmin_v", reducers::argmin(this_["v"])}, {"argmax_v", reducers::argmax(this_["v"])},
          {"any_s", reducers::any(this_["s"])},       {"min_s", reducers::min(this_["s"])},
          {"max_s", reducers::max(this_["s"])},       {"min_f", reducers::min(this_["f"])},
          {"max_f", reducers::max(this_["f"])},       {"max_t", reducers::max(this_["t"])},
          {"count", reducers::count()}};
}

Table GroupBy(const Table& t) {
  auto outputs = Extremes();
  outputs.insert(outputs.begin(), NamedExpr{"k", this_["k"]});
  return t.groupby({this_["k"]}).reduce(outputs);
}

Table Windowed(const Table& t, const std::optional<Behavior>& behavior) {
  auto outputs = Extremes();
  outputs.insert(outputs.begin(), NamedExpr{"start", this_["_pw_window_start"]});
  outputs.insert(outputs.begin(), NamedExpr{"instance", this_["_pw_instance"]});
  return t.windowby(t["t"], temporal::tumbling(100), this_["k"], behavior).reduce(outputs);
}

/// Filters, a computed column and a concat of two parts on the way: operators the executor
/// must see through.
Table Reshaped(const Table& t) {
  const Table low = t.filter(this_["k"] < 2).with_columns({{"f", this_["f"] * 2.0}});
  const Table high = t.filter(this_["k"] >= 2);
  return low.concat(high);
}

class InsertOnlyReducers : public ::testing::TestWithParam<uint64_t> {};

TEST_P(InsertOnlyReducers, SameStreamAsTheGeneralReducers) {
  const uint64_t seed = GetParam();
  const Table rows = debug::table_from_markdown(RandomRows(seed, 600, false));
  const Table updates = debug::table_from_markdown(RandomRows(seed, 600, true));
  // Behaviors judge commits whole: their matrix runs do not split commits.
  const MatrixOptions per_commit{.time_dependent = true, .seed = seed};
  const MatrixOptions any_split{.seed = seed};

  EXPECT_EQ(StreamRows(GroupBy(rows), any_split), StreamRows(GroupBy(updates), any_split));
  EXPECT_EQ(StreamRows(GroupBy(Reshaped(rows)), any_split),
            StreamRows(GroupBy(Reshaped(updates)), any_split));
  EXPECT_EQ(StreamRows(Windowed(rows, std::nullopt), any_split),
            StreamRows(Windowed(updates, std::nullopt), any_split));
  for (const Behavior& behavior :
       {temporal::common_behavior(std::nullopt, 30),
        temporal::common_behavior(std::nullopt, 30, /*keep_results=*/false),
        temporal::common_behavior(20, 50), temporal::exactly_once_behavior(10)}) {
    EXPECT_EQ(StreamRows(Windowed(rows, behavior), per_commit),
              StreamRows(Windowed(updates, behavior), per_commit));
    EXPECT_EQ(StreamRows(Windowed(Reshaped(rows), behavior), per_commit),
              StreamRows(Windowed(Reshaped(updates), behavior), per_commit));
  }
}

/// A groupby built by hand, for tests of the operator alone: two int columns, grouped by
/// the first, the max of the second as the output.
GroupBySpec MaxOfColumn1ByColumn0() {
  const auto column = [](size_t c) {
    BoundExpr e;
    e.op = ExprOp::kColumn;
    e.type = dtype::Int;
    e.column = c;
    return e;
  };
  GroupBySpec spec;
  spec.keys = {column(0)};
  spec.reducers = {ReducerSpec{ReducerKind::kMax, {dtype::Int}}};
  spec.reducer_args = {{column(1)}};
  spec.outputs = {column(1)};  // Over the group row: the key, then the reducer's result.
  return spec;
}

/// The auth rules' two levels: per-(window, key) results of an exactly_once windowby, then
/// windowed again on their latest time with a cutoff, as level 2 groups a window's sources.
/// Over an insert-only input the first level's output is insert-only too (it holds its
/// results and emits each once), so the second level takes the insert-only paths (running
/// extremes, the temporal operators' commit times without identifying rows); over the
/// update stream it takes the general ones. A first level that updates its results
/// (common_behavior) keeps the second level on the general paths either way.
Table TwoLevels(const Table& t, const Behavior& first_level) {
  const Table first = Windowed(t, first_level);
  return first.select({{"instance", this_["instance"]},
                       {"t", this_["max_t"]},
                       {"v", this_["count"]},
                       {"s", this_["max_s"]},
                       {"f", this_["max_f"]},
                       {"k", this_["instance"] % 2}})
      .windowby(this_["t"], temporal::tumbling(200), this_["k"],
                temporal::common_behavior(std::nullopt, 30))
      .reduce({{"instance", this_["_pw_instance"]},
               {"start", this_["_pw_window_start"]},
               {"max_v", reducers::max(this_["v"])},
               {"argmax_v", reducers::argmax(this_["v"])},
               {"min_s", reducers::min(this_["s"])},
               {"any_f", reducers::any(this_["f"])},
               {"sum_v", reducers::sum(this_["v"])},
               {"count", reducers::count()}});
}

TEST_P(InsertOnlyReducers, ASecondLevelOverHeldResultsIsTheSameStream) {
  const uint64_t seed = GetParam();
  const Table rows = debug::table_from_markdown(RandomRows(seed, 600, false));
  const Table updates = debug::table_from_markdown(RandomRows(seed, 600, true));
  const MatrixOptions per_commit{.time_dependent = true, .seed = seed};
  for (const Behavior& first_level :
       {temporal::exactly_once_behavior(10), temporal::common_behavior(std::nullopt, 30)}) {
    const auto stream = StreamRows(TwoLevels(rows, first_level), per_commit);
    EXPECT_EQ(stream, StreamRows(TwoLevels(updates, first_level), per_commit));
    EXPECT_GT(stream.size(), 20u);  // Windows closed and reached the second level.
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, InsertOnlyReducers, ::testing::Values(1, 2, 3, 4));

TEST(InsertOnlyReducersTest, AGroupByThatPromisedToOnlyInsertFailsTheRunIfItRetracts) {
  // The promise is made only where no row can reach a released group
  // (Executor::OutputIsInsertOnly); here the operator alone is given one, as a bug would.
  const GroupBySpec spec = MaxOfColumn1ByColumn0();  // The operator keeps a reference.
  GroupByReduceOperator op("groupby", spec, /*insert_only_input=*/true);
  op.HoldResults();
  op.PromiseInsertOnlyOutput();
  ErrorLog errors;
  OperatorContext context;
  context.errors = &errors;
  op.set_context(&context);
  Batch in(2);
  const auto insert = [&in](int64_t v) {
    in.Clear();
    in.columns[0].push_back(Value::Int(1));
    in.columns[1].push_back(Value::Int(v));
    in.ids.push_back(KeyForIndex(v));
    in.diffs.push_back(1);
  };
  insert(3);
  op.OnBatch(0, in, 2);
  op.ReleaseGroupsAtCommitEnd({op.last_batch_keys()[0]});
  op.OnCommitEnd(2, false);  // Emitted once: an insertion.
  EXPECT_TRUE(context.engine_error.ok());
  insert(9);  // A row for the released group changes its result: -3, +9.
  op.OnBatch(0, in, 4);
  op.OnCommitEnd(4, false);
  ASSERT_FALSE(context.engine_error.ok());
  EXPECT_THAT(context.engine_error.ToString(), HasSubstr("promised to only insert"));
}

TEST(InsertOnlyReducersTest, AGroupOfErrorArgumentsOnlyIsNoneAsWithTheMultiset) {
  // Rows whose argument is Error are skipped by both kinds of reducer.
  for (const char* diff : {"", " | __diff__"}) {
    const std::string suffix = *diff ? " | 1" : "";
    const Table t = debug::table_from_markdown(fmt::format(
        "k | a | b{}\n1 | 1 | 0{}\n2 | 4 | 2{}\n", diff, suffix, suffix));
    const Table r = t.with_columns({{"q", this_["a"] / this_["b"]}})
                        .groupby({this_["k"]})
                        .reduce({{"k", this_["k"]}, {"m", reducers::min(this_["q"])}});
    EXPECT_THAT(engine_test::RowsKeepingErrors(r),
                ::testing::ElementsAre("1 | None", "2 | 2.0"))
        << (*diff ? "update stream" : "insert-only");
  }
}

/// A source that says it only inserts, then retracts.
class LyingSource final : public Source {
 public:
  LyingSource() { schema_.Add({"a", dtype::Int}); }
  const Schema& schema() const override { return schema_; }
  Status Open() override { return Status::OK(); }
  std::optional<Time> NextCommitTime() override {
    return next_ < 2 ? std::optional<Time>(2 * (next_ + 1)) : std::nullopt;
  }
  Status ReadCommit(const BatchConsumer& emit) override {
    Batch batch(1);
    batch.columns[0].push_back(Value::Int(7));
    batch.ids.push_back(KeyForIndex(0));
    batch.diffs.push_back(next_ == 0 ? Diff{1} : Diff{-1});
    ++next_;
    emit(batch);
    return Status::OK();
  }
  bool insert_only() const override { return true; }

 private:
  Schema schema_;
  int next_ = 0;
};

TEST(InsertOnlyReducersTest, ASourceThatRetractsAfterPromisingNotToFailsTheRun) {
  auto node = std::make_shared<TableNode>();
  node->kind = NodeKind::kSource;
  node->operation = "lying_source";
  node->schema = LyingSource().schema();
  node->source_factory = [](const SourceContext&) -> Result<std::unique_ptr<Source>> {
    return std::unique_ptr<Source>(std::make_unique<LyingSource>());
  };
  const Table t(std::move(node));
  const Table r = t.groupby({this_["a"]}).reduce({{"m", reducers::max(this_["a"])}});
  auto captured = debug::Capture(r, QuietOptions(/*terminate_on_error=*/false));
  ASSERT_FALSE(captured.ok());
  EXPECT_THAT(captured.status().ToString(), HasSubstr("insert-only source emitted a retraction"));
}

TEST(InsertOnlyReducersTest, ARetractionReachingAnInsertOnlyReducerIsAnErrorNotAWrongResult) {
  // The operator alone, told its input is insert-only, then given a retraction of the
  // current maximum: the multiset would fall back to 3; the running maximum cannot.
  const GroupBySpec spec = MaxOfColumn1ByColumn0();  // The operator keeps a reference.
  GroupByReduceOperator op("groupby", spec, /*insert_only_input=*/true);
  ErrorLog errors;
  OperatorContext context;
  context.errors = &errors;
  context.terminate_on_error = false;
  op.set_context(&context);
  Batch in(2);
  for (int64_t v : {3, 9}) {
    in.columns[0].push_back(Value::Int(1));
    in.columns[1].push_back(Value::Int(v));
    in.ids.push_back(KeyForIndex(v));
    in.diffs.push_back(1);
  }
  op.OnBatch(0, in, 2);
  op.OnCommitEnd(2, false);
  in.Clear();
  in.columns[0].push_back(Value::Int(1));
  in.columns[1].push_back(Value::Int(9));
  in.ids.push_back(KeyForIndex(9));
  in.diffs.push_back(-1);
  op.OnBatch(0, in, 4);
  op.OnCommitEnd(4, false);
  ASSERT_FALSE(errors.kept().empty());
  EXPECT_THAT(errors.kept().back().message, HasSubstr("retraction reached a reducer"));
}

}  // namespace
}  // namespace vigil
