// Sinks end to end through vigil::run() and debug printing: io::subscribe callbacks,
// io::csv::write and io::jsonlines::write files, compute_and_print_update_stream text, all
// for multi-commit streams with retractions.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "connectors/io.h"
#include "engine_test_util.h"
#include "vigil/exec/run.h"

namespace vigil {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
using ::vigil::engine_test::Lines;
using ::vigil::engine_test::QuietOptions;
using ::vigil::engine_test::ReadFile;
using ::vigil::engine_test::TempPath;

/// Counts per k: t2 +a|1 +b|1; t4 -a|1 +a|2; t6 -b|1.
Table CountsPerKey() {
  auto t = debug::table_from_markdown(R"(
id | k | __time__ | __diff__
1  | a | 2        | 1
2  | b | 2        | 1
3  | a | 4        | 1
2  | b | 6        | -1
)");
  return t.groupby({this_["k"]}).reduce({this_["k"], {"count", reducers::count()}});
}

/// A table of every printable kind, updated at time 4.
Table MixedTypes() {
  return debug::table_from_markdown(R"(
id | name | n | x   | ok    | o    | __time__ | __diff__
1  | a"b  | 1 | 0.1 | True  | None | 2        | 1
2  | c,d  | 2 | 2.0 | False | 3    | 2        | 1
1  | a"b  | 1 | 0.1 | True  | None | 4        | -1
1  | a"b  | 5 | 0.1 | True  | None | 4        | 1
)");
}

class SinkOutput : public ::testing::Test {
 protected:
  void SetUp() override { ClearOutputs(); }
  void TearDown() override {
    ClearOutputs();
    for (const auto& path : files_) std::remove(path.c_str());
  }
  std::string NewFile(const std::string& name) {
    files_.push_back(TempPath(name));
    std::remove(files_.back().c_str());
    return files_.back();
  }

 private:
  std::vector<std::string> files_;
};

// Pathway's subscribe: on_change per update (retraction before insertion within a commit),
// on_time_end when each commit closes, on_end once after everything.
TEST_F(SinkOutput, SubscribeReceivesChangesTimeEndsAndEnd) {
  std::vector<std::string> events;
  std::vector<Key> keys_of_a;
  io::subscribe(
      CountsPerKey(),
      [&](const Key& key, std::span<const Value> row, Time time, bool is_addition) {
        ASSERT_THAT(row, SizeIs(2));
        const std::string k(row[0].as_string());
        if (k == "a") keys_of_a.push_back(key);
        events.push_back("change " + k + "|" + FormatValue(row[1]) + " @" + std::to_string(time) +
                         (is_addition ? " +" : " -"));
      },
      [&](Time time) { events.push_back("time_end " + std::to_string(time)); },
      [&]() { events.push_back("end"); });
  Status status = run(QuietOptions());
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_THAT(events, SizeIs(9));
  // Within time 2 the two insertions may come in either (id) order.
  EXPECT_THAT(std::vector<std::string>(events.begin(), events.begin() + 2),
              UnorderedElementsAre("change a|1 @2 +", "change b|1 @2 +"));
  EXPECT_THAT(std::vector<std::string>(events.begin() + 2, events.end()),
              ElementsAre("time_end 2", "change a|1 @4 -", "change a|2 @4 +", "time_end 4",
                          "change b|1 @6 -", "time_end 6", "end"));
  // Every update of group a carries the same row id.
  ASSERT_THAT(keys_of_a, SizeIs(3));
  EXPECT_EQ(keys_of_a[0], keys_of_a[1]);
  EXPECT_EQ(keys_of_a[1], keys_of_a[2]);
}

TEST_F(SinkOutput, SubscribeWithoutOptionalCallbacksStillRuns) {
  int changes = 0;
  io::subscribe(CountsPerKey(), [&](const Key&, std::span<const Value>, Time, bool) { ++changes; });
  Status status = run(QuietOptions());
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(changes, 5);
}

// Several outputs of one graph in one run each get their own stream; ClearOutputs forgets
// them, so a second run computes nothing.
TEST_F(SinkOutput, SeveralSubscriptionsInOneRunAndClearOutputs) {
  Table counts = CountsPerKey();
  Table big = counts.filter(this_["count"] >= 2);
  int all_changes = 0;
  std::vector<std::string> big_changes;
  io::subscribe(counts, [&](const Key&, std::span<const Value>, Time, bool) { ++all_changes; });
  io::subscribe(big, [&](const Key&, std::span<const Value> row, Time time, bool add) {
    big_changes.push_back(std::string(row[0].as_string()) + "|" + FormatValue(row[1]) + "@" +
                          std::to_string(time) + (add ? "+" : "-"));
  });
  ASSERT_TRUE(run(QuietOptions()).ok());
  EXPECT_EQ(all_changes, 5);
  EXPECT_THAT(big_changes, ElementsAre("a|2@4+"));
  ClearOutputs();
  ASSERT_TRUE(run(QuietOptions()).ok());
  EXPECT_EQ(all_changes, 5);
}

// A runtime error in the subscribed table fails run() with terminate_on_error, and reaches
// on_change as an Error value without it.
TEST_F(SinkOutput, RunFailsOnEngineErrorUnlessErrorsAreKept) {
  auto t = debug::table_from_markdown(R"(
a | b
4 | 2
1 | 0
)");
  Table q = t.select({this_["a"], {"q", floordiv(this_["a"], this_["b"])}});
  std::vector<std::string> rows;
  io::subscribe(q, [&](const Key&, std::span<const Value> row, Time, bool) {
    rows.push_back(FormatValue(row[0]) + "|" + FormatValue(row[1]));
  });
  Status failed = run(QuietOptions());
  EXPECT_EQ(failed.code(), StatusCode::kEngineError) << failed.ToString();
  EXPECT_THAT(failed.message(), HasSubstr("division by zero"));
  rows.clear();
  Status kept = run(QuietOptions(/*terminate_on_error=*/false));
  ASSERT_TRUE(kept.ok()) << kept.ToString();
  EXPECT_THAT(rows, UnorderedElementsAre("4|2", "1|Error"));
}

/// Body lines of an update file: checks that the time column (given by `time_of`) never
/// decreases and returns the lines sorted.
template <typename TimeOf>
std::vector<std::string> SortedBodyCheckingTimeOrder(std::vector<std::string> lines,
                                                     TimeOf time_of) {
  long long last = -1;
  for (const auto& line : lines) {
    long long t = time_of(line);
    EXPECT_GE(t, last) << "time goes back at: " << line;
    last = t;
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Pathway's CSV update format: a quoted header with `time` and `diff`, every field quoted
// (quotes doubled), floats as Rust prints them, bools True/False, None as None.
TEST_F(SinkOutput, CsvWriteProducesPathwayUpdateFormat) {
  const std::string path = NewFile("out.csv");
  io::csv::write(MixedTypes(), path);
  Status status = run(QuietOptions());
  ASSERT_TRUE(status.ok()) << status.ToString();
  std::vector<std::string> lines = Lines(ReadFile(path));
  ASSERT_THAT(lines, SizeIs(5));
  EXPECT_EQ(lines[0], R"("name","n","x","ok","o","time","diff")");
  auto time_of = [](const std::string& line) {
    // The second to last field: ...,"<time>","<diff>"
    size_t end = line.rfind("\",\"");
    size_t begin = line.rfind(",\"", end - 1);
    return std::stoll(line.substr(begin + 2, end - begin - 2));
  };
  EXPECT_THAT(SortedBodyCheckingTimeOrder({lines.begin() + 1, lines.end()}, time_of),
              ElementsAreArray(std::vector<std::string>{
                  R"("a""b","1","0.1","True","None","2","1")",
                  R"("a""b","1","0.1","True","None","4","-1")",
                  R"("a""b","5","0.1","True","None","4","1")",
                  R"("c,d","2","2.0","False","3","2","1")",
              }));
}

// JSON lines: data columns in order, then "diff", then "time"; None is null.
TEST_F(SinkOutput, JsonLinesWriteProducesPathwayUpdateFormat) {
  const std::string path = NewFile("out.jsonl");
  io::jsonlines::write(MixedTypes(), path);
  Status status = run(QuietOptions());
  ASSERT_TRUE(status.ok()) << status.ToString();
  std::vector<std::string> lines = Lines(ReadFile(path));
  auto time_of = [](const std::string& line) {
    size_t at = line.rfind("\"time\":");
    return std::stoll(line.substr(at + 7));
  };
  EXPECT_THAT(SortedBodyCheckingTimeOrder(lines, time_of),
              ElementsAreArray(std::vector<std::string>{
                  R"({"name":"a\"b","n":1,"x":0.1,"ok":true,"o":null,"diff":-1,"time":4})",
                  R"({"name":"a\"b","n":1,"x":0.1,"ok":true,"o":null,"diff":1,"time":2})",
                  R"({"name":"a\"b","n":5,"x":0.1,"ok":true,"o":null,"diff":1,"time":4})",
                  R"({"name":"c,d","n":2,"x":2.0,"ok":false,"o":3,"diff":1,"time":2})",
              }));
}

// Both writers on the same table in one run see the same stream; a groupby's update of a
// row is a -1 line and a +1 line at the same time.
TEST_F(SinkOutput, CsvAndJsonLinesOfAGroupbyStream) {
  const std::string csv = NewFile("counts.csv");
  const std::string jsonl = NewFile("counts.jsonl");
  io::csv::write(CountsPerKey(), csv);
  io::jsonlines::write(CountsPerKey(), jsonl);
  ASSERT_TRUE(run(QuietOptions()).ok());
  std::vector<std::string> csv_lines = Lines(ReadFile(csv));
  ASSERT_THAT(csv_lines, SizeIs(6));
  EXPECT_EQ(csv_lines[0], R"("k","count","time","diff")");
  std::vector<std::string> body(csv_lines.begin() + 1, csv_lines.end());
  std::sort(body.begin(), body.end());
  EXPECT_THAT(body, ElementsAre(R"("a","1","2","1")", R"("a","1","4","-1")", R"("a","2","4","1")",
                                R"("b","1","2","1")", R"("b","1","6","-1")"));
  std::vector<std::string> json_lines = Lines(ReadFile(jsonl));
  std::sort(json_lines.begin(), json_lines.end());
  EXPECT_THAT(json_lines, ElementsAre(R"({"k":"a","count":1,"diff":-1,"time":4})",
                                      R"({"k":"a","count":1,"diff":1,"time":2})",
                                      R"({"k":"a","count":2,"diff":1,"time":4})",
                                      R"({"k":"b","count":1,"diff":-1,"time":6})",
                                      R"({"k":"b","count":1,"diff":1,"time":2})"));
}

TEST_F(SinkOutput, CsvWriteToUnwritablePathFailsRun) {
  io::csv::write(CountsPerKey(), "/nonexistent-dir-vigil/out.csv");
  Status status = run(QuietOptions());
  EXPECT_EQ(status.code(), StatusCode::kIoError) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr("/nonexistent-dir-vigil/out.csv"));
}

// compute_and_print_update_stream: rows sorted by (time, diff, values), so at one time the
// retraction comes first; columns padded to the widest cell except the last.
TEST_F(SinkOutput, ComputeAndPrintUpdateStreamText) {
  PrintOptions print;
  print.include_id = false;
  ::testing::internal::CaptureStdout();
  Status status = debug::compute_and_print_update_stream(CountsPerKey(), print, QuietOptions());
  std::string out = ::testing::internal::GetCapturedStdout();
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(out,
            "k | count | __time__ | __diff__\n"
            "a | 1     | 2        | 1\n"
            "b | 1     | 2        | 1\n"
            "a | 1     | 4        | -1\n"
            "a | 2     | 4        | 1\n"
            "b | 1     | 6        | -1\n");
}

// With ids: the markdown ids 0 and 1 print as ^X1MXHYY... and ^YYY4HAB... (what Pathway
// prints for index 0 and 1, SEMANTICS.md 4.5).
TEST_F(SinkOutput, ComputeAndPrintUpdateStreamWithIds) {
  auto t = debug::table_from_markdown(R"(
id | a | __time__ | __diff__
0  | 1 | 2        | 1
1  | 2 | 2        | 1
0  | 1 | 4        | -1
)");
  ::testing::internal::CaptureStdout();
  Status status = debug::compute_and_print_update_stream(t.select({{"a", this_["a"] * 10}}),
                                                         PrintOptions{}, QuietOptions());
  std::string out = ::testing::internal::GetCapturedStdout();
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(out,
            "            | a  | __time__ | __diff__\n"
            "^X1MXHYY... | 10 | 2        | 1\n"
            "^YYY4HAB... | 20 | 2        | 1\n"
            "^X1MXHYY... | 10 | 4        | -1\n");
}

TEST_F(SinkOutput, ComputeAndPrintFinalStateWithNoneCell) {
  auto t = debug::table_from_markdown(R"(
a | b
1 | x
2 | None
)");
  ::testing::internal::CaptureStdout();
  Status status = debug::compute_and_print(t, PrintOptions{}, QuietOptions());
  std::string out = ::testing::internal::GetCapturedStdout();
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(out,
            "            | a | b\n"
            "^X1MXHYY... | 1 | x\n"
            "^YYY4HAB... | 2 |\n");
}

TEST_F(SinkOutput, ComputeAndPrintOfFailedTableReportsError) {
  auto bad = CountsPerKey().select({this_["nope"]});
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  Status status = debug::compute_and_print_update_stream(bad, PrintOptions{}, QuietOptions());
  std::string out = ::testing::internal::GetCapturedStdout();
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(out, "");
  EXPECT_THAT(err, HasSubstr("nope"));
}

}  // namespace
}  // namespace vigil
