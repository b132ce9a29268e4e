// reducers::stateful_many (ops/reduce/stateful_reducer.cc): a user function folds each
// commit's changes of a group into a state. Differential: a fold of value * diff and of the
// diffs must give exactly the stream of sum() and count() on random update streams with
// retractions, under the golden matrix (batch sizes, rows shuffled, commits split: a linear
// fold does not care how commits are cut). Then the calls themselves: once per changed
// group and commit, the state before, the commit's consolidated rows.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "connectors/debug.h"
#include "engine_test_util.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::vigil::engine_test::QuietOptions;
using ::vigil::testing::MatrixOptions;
using ::vigil::testing::StreamRows;

/// Folds `value * diff` (of the first argument) into an int state.
Value SumFold(const Value& state, std::span<const StatefulRow> rows, ValueArena&) {
  int64_t total = state.is_none() ? 0 : state.as_int();
  for (const StatefulRow& row : rows) total += row.values[0].as_int() * row.diff;
  return Value::Int(total);
}

/// Folds the diffs: the group's row count.
Value CountFold(const Value& state, std::span<const StatefulRow> rows, ValueArena&) {
  int64_t n = state.is_none() ? 0 : state.as_int();
  for (const StatefulRow& row : rows) n += row.diff;
  return Value::Int(n);
}

/// Random updates `id | k | v | __time__ | __diff__`: insertions with fresh ids, and
/// retractions of rows inserted in earlier commits (so any commit split stays a valid table).
std::string RandomUpdates(uint64_t seed, size_t updates) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  std::string text = "id | k | v | __time__ | __diff__\n";
  struct Live {
    int64_t id, k, v, time;
  };
  std::vector<Live> live;
  int64_t time = 2, next_id = 1, left_in_commit = pick(1, 30);
  for (size_t i = 0; i < updates; ++i) {
    if (left_in_commit-- == 0) {
      time += 2;
      left_in_commit = pick(1, 30);
    }
    const bool retract = !live.empty() && pick(0, 3) == 0 && live.front().time < time;
    if (retract) {
      const size_t j = static_cast<size_t>(pick(0, static_cast<int64_t>(live.size()) - 1));
      if (live[j].time < time) {
        text += fmt::format("{} | {} | {} | {} | -1\n", live[j].id, live[j].k, live[j].v, time);
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(j));
        continue;
      }
    }
    const Live row{next_id++, pick(0, 6), pick(-50, 50), time};
    text += fmt::format("{} | {} | {} | {} | 1\n", row.id, row.k, row.v, row.time);
    live.push_back(row);
  }
  return text;
}

class StatefulMany : public ::testing::TestWithParam<uint64_t> {};

TEST_P(StatefulMany, ALinearFoldGivesTheStreamOfSumAndCount) {
  const uint64_t seed = GetParam();
  const Table t = debug::table_from_markdown(RandomUpdates(seed, 1500));
  const Table folded = t.groupby({this_["k"]}).reduce(
      {this_["k"],
       {"s", reducers::stateful_many(dtype::Int, SumFold, {this_["v"]})},
       {"n", reducers::stateful_many(dtype::Int, CountFold, {this_["v"]})}});
  const Table reference = t.groupby({this_["k"]}).reduce(
      {this_["k"], {"s", reducers::sum(this_["v"])}, {"n", reducers::count()}});
  const MatrixOptions matrix{.seed = seed};
  const auto stream = StreamRows(folded, matrix);
  EXPECT_EQ(stream, StreamRows(reference, matrix));
  EXPECT_GT(stream.size(), 200u);
}

INSTANTIATE_TEST_SUITE_P(Seeds, StatefulMany, ::testing::Values(1, 2, 3, 4));

TEST(StatefulManyTest, CalledOncePerChangedGroupAndCommitWithTheConsolidatedRows) {
  const Table t = debug::table_from_markdown(R"(
    id | k | v | __time__ | __diff__
    1  | a | 1 | 2        | 1
    2  | a | 2 | 2        | 1
    3  | b | 5 | 2        | 1
    4  | a | 3 | 4        | 1
    1  | a | 1 | 4        | -1
    5  | a | 9 | 4        | 1
    5  | a | 9 | 4        | -1
    3  | b | 5 | 6        | -1
    6  | b | 7 | 8        | 1
  )");
  auto calls = std::make_shared<std::vector<std::string>>();
  StatefulReducerFunction record = [calls](const Value& state, std::span<const StatefulRow> rows,
                                           ValueArena& arena) {
    std::string call = "state " + FormatValue(state) + ":";
    for (const StatefulRow& r : rows) call += fmt::format(" {}{:+d}", FormatValue(r.values[0]), r.diff);
    calls->push_back(call);
    return SumFold(state, rows, arena);
  };
  const Table r = t.groupby({this_["k"]})
                      .reduce({this_["k"], {"s", reducers::stateful_many(dtype::Int, record,
                                                                          {this_["v"]})}});
  auto captured = debug::Capture(r, QuietOptions());
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  std::sort(calls->begin(), calls->end());
  // b's last row goes at time 6 (no call: the group is gone) and b starts over at 8.
  EXPECT_THAT(*calls, ElementsAre("state 3: 3+1 1-1", "state None: 1+1 2+1", "state None: 5+1",
                                  "state None: 7+1"));
  EXPECT_THAT(testing::RowsText(captured->updates), ElementsAre("a | 5", "b | 7"));
}

TEST(StatefulManyTest, AnExceptionMakesTheGroupsResultErrorAndIsReported) {
  const Table t = debug::table_from_markdown("k | v\na | 1\nb | 2\n");
  StatefulReducerFunction fails = [](const Value& state, std::span<const StatefulRow> rows,
                                     ValueArena& arena) {
    if (rows[0].values[0].as_int() == 2) throw std::runtime_error("two is not welcome");
    return SumFold(state, rows, arena);
  };
  const Table r = t.groupby({this_["k"]})
                      .reduce({this_["k"], {"s", reducers::stateful_many(dtype::Int, fails,
                                                                          {this_["v"]})}});
  EXPECT_THAT(engine_test::RowsKeepingErrors(r), ElementsAre("a | 1", "b | Error"));
  const Status failed = engine_test::RunStatus(r);
  EXPECT_FALSE(failed.ok());
  EXPECT_THAT(failed.ToString(), HasSubstr("two is not welcome"));
}

}  // namespace
}  // namespace vigil
