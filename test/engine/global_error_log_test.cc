// global_error_log() (connectors/error_log_table.h): the run's errors as a table. Checked
// against the errors the test itself put in the input: random CSV files with damaged int
// fields, read under terminate_on_error=false at several batch sizes, must give one row per
// damaged field with Pathway's wording, the file and the line; expression errors are rows
// of the commit that raised them; errors raised while a commit closes (a reducer's) come in
// the next commit, or in an extra commit after the input ends.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "connectors/error_log_table.h"
#include "connectors/io.h"
#include "engine_test_util.h"
#include "golden.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::vigil::engine_test::QuietOptions;

/// The final rows of `error_table` (message | origin | line) and of `data`, from one run.
struct TwoTables {
  std::vector<std::string> errors;
  std::vector<std::string> data;
  std::vector<Update> error_updates;
  std::vector<Update> data_updates;
};

TwoTables RunBoth(const Table& data, const Table& error_table, RunOptions options) {
  auto captured = debug::CaptureAll({data, error_table}, options);
  EXPECT_TRUE(captured.ok()) << captured.status().ToString();
  if (!captured.ok()) return {};
  return {testing::RowsText((*captured)[1].updates), testing::RowsText((*captured)[0].updates),
          (*captured)[1].updates, (*captured)[0].updates};
}

class GlobalErrorLog : public ::testing::TestWithParam<uint64_t> {};

TEST_P(GlobalErrorLog, OneRowPerDamagedFieldOfARandomCsvWithPathwaysWording) {
  const uint64_t seed = GetParam();
  std::mt19937_64 rng(seed);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::string path = ::testing::TempDir() + fmt::format("errors_{}.csv", seed);
  std::ofstream out(path);
  out << "a,b,c\n";
  std::vector<std::string> expected;
  const char* damage[] = {"x", "1.5", "", "12a", "--3", "99999999999999999999"};
  const char* reason[] = {
      "invalid digit found in string",          "invalid digit found in string",
      "cannot parse integer from empty string", "invalid digit found in string",
      "invalid digit found in string",          "number too large to fit in target type"};
  const size_t rows = 5000;  // Past the batch sizes below and the reader's 4,096-row chunks.
  size_t good_fields = 0;
  for (size_t r = 0; r < rows; ++r) {
    std::vector<std::string> fields;
    for (const char* column : {"a", "b", "c"}) {
      if (pick(0, 19) == 0) {
        const int d = pick(0, 5);
        fields.push_back(damage[d]);
        expected.push_back(
            fmt::format("failed to parse value \"{}\" at field \"{}\" according to the type int in "
                        "schema: {} | {} | {}",
                        damage[d], column, reason[d], path, r + 2));
      } else {
        fields.push_back(std::to_string(pick(-1000, 1000)));
        ++good_fields;
      }
    }
    out << fields[0] << ',' << fields[1] << ',' << fields[2] << '\n';
  }
  out.close();
  std::sort(expected.begin(), expected.end());
  ASSERT_GT(expected.size(), 500u);

  const Schema schema{{"a", dtype::Int}, {"b", dtype::Int}, {"c", dtype::Int}};
  for (size_t batch : {size_t{0}, size_t{1}, size_t{7}, size_t{1000}}) {
    RunOptions options = QuietOptions(/*terminate_on_error=*/false);
    options.on_bad_row = OnBadRow::kKeepError;
    options.max_batch_rows = batch;
    const TwoTables result = RunBoth(io::csv::read(path, schema), global_error_log(), options);
    EXPECT_EQ(result.errors, expected) << "batch size " << batch;
    EXPECT_EQ(result.data.size(), rows) << "every row kept, its bad fields Error";
  }
  // The live path (the file followed to its end in commits of up to 300 rows): the same
  // rows, in the commits that read them.
  io::ReadOptions live;
  live.stop_at_end = true;
  RunOptions live_options = QuietOptions(/*terminate_on_error=*/false);
  live_options.on_bad_row = OnBadRow::kKeepError;
  live_options.max_commit_rows = 300;
  const TwoTables followed = RunBoth(io::csv::read(path, schema, io::Mode::kStreaming, live),
                                     global_error_log(), live_options);
  EXPECT_EQ(followed.errors, expected) << "followed";
  // Each error is a row of the commit that read its line (the data row of that line has
  // the same time), not of one commit at the end.
  std::set<Time> data_commits, error_commits;
  for (const Update& u : followed.data_updates) data_commits.insert(u.time);
  for (const Update& u : followed.error_updates) error_commits.insert(u.time);
  EXPECT_GT(data_commits.size(), 1u);
  EXPECT_EQ(error_commits, data_commits);
  // Skipping bad rows (the default policy): the first bad field of each row is reported.
  RunOptions skipping = QuietOptions(/*terminate_on_error=*/false);
  const TwoTables skipped = RunBoth(io::csv::read(path, schema), global_error_log(), skipping);
  EXPECT_EQ(skipped.data.size() + skipped.errors.size(), rows);
  (void)good_fields;
}

INSTANTIATE_TEST_SUITE_P(Seeds, GlobalErrorLog, ::testing::Values(1, 2, 3));

TEST(GlobalErrorLogTest, ExpressionErrorsAreRowsOfTheCommitThatRaisedThem) {
  const Table t = debug::table_from_markdown(R"(
    a | b | __time__
    6 | 3 | 2
    1 | 0 | 2
    4 | 2 | 4
    5 | 0 | 6
  )");
  const Table q = t.select({{"q", this_["a"] / this_["b"]}});
  const Table errors =
      global_error_log().select({{"message", this_["message"]}, {"line", this_["line"]}});
  auto captured = debug::CaptureAll({q, errors}, QuietOptions(/*terminate_on_error=*/false));
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  EXPECT_THAT(testing::StreamText((*captured)[1].updates),
              ElementsAre("division by zero: 1 / 0 | None | 2 | 1",
                          "division by zero: 5 / 0 | None | 6 | 1"));
}

TEST(GlobalErrorLogTest, EveryExpressionErrorOfABigBatchIsARow) {
  // Random divisors, 3,000 rows in one commit (one batch at the default size): each zero
  // divisor is one row of the error table, none capped.
  std::mt19937_64 rng(7);
  std::string text = "a | b\n";
  std::vector<std::string> expected;
  for (int i = 0; i < 3000; ++i) {
    const int a = static_cast<int>(rng() % 1000);
    const int b = static_cast<int>(rng() % 3);
    text += fmt::format("{} | {}\n", a, b);
    if (b == 0) expected.push_back(fmt::format("division by zero: {} // 0", a));
  }
  std::sort(expected.begin(), expected.end());
  const Table t = debug::table_from_markdown(text);
  const Table q = t.select({{"q", floordiv(this_["a"], this_["b"])}});
  const Table errors = global_error_log().select({{"message", this_["message"]}});
  auto captured = debug::CaptureAll({q, errors}, QuietOptions(/*terminate_on_error=*/false));
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  EXPECT_GT(expected.size(), 500u);
  EXPECT_EQ(testing::RowsText((*captured)[1].updates), expected);
}

TEST(GlobalErrorLogTest, AnErrorRaisedWhileTheLastCommitClosesGetsACommitOfItsOwn) {
  // unique() sees two values when the groupby closes the commit: after the input's last
  // commit, so the executor runs one more.
  const Table t = debug::table_from_markdown(R"(
    k | v | __time__
    1 | 5 | 2
    1 | 6 | 4
  )");
  const Table u = t.groupby({this_["k"]}).reduce({{"u", reducers::unique(this_["v"])}});
  const Table errors = global_error_log().select({{"origin", this_["origin"]}});
  auto captured = debug::CaptureAll({u, errors}, QuietOptions(/*terminate_on_error=*/false));
  ASSERT_TRUE(captured.ok()) << captured.status().ToString();
  const auto& updates = (*captured)[1].updates;
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].time, Time{6});
  EXPECT_THAT(testing::RowsText(updates), ElementsAre(HasSubstr("groupby")));
}

TEST(GlobalErrorLogTest, NoErrorsIsAnEmptyTableAndTheRunStillFailsWhenAskedTo) {
  const Table t = debug::table_from_markdown("a | b\n1 | 1\n");
  auto quiet = debug::CaptureAll({t.select({{"q", this_["a"] / this_["b"]}}), global_error_log()},
                                 QuietOptions(false));
  ASSERT_TRUE(quiet.ok());
  EXPECT_TRUE((*quiet)[1].updates.empty());
  const Table bad = debug::table_from_markdown("a | b\n1 | 0\n");
  auto failing = debug::CaptureAll(
      {bad.select({{"q", this_["a"] / this_["b"]}}), global_error_log()}, QuietOptions(true));
  EXPECT_FALSE(failing.ok());
}

}  // namespace
}  // namespace vigil
