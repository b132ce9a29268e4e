// io::csv::read through whole pipelines: the tutorial pipeline (failed logins per IP in
// 60-second tumbling windows, count >= 5) on a CSV written here, and the bad-row policies.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "connectors/io.h"
#include "engine_test_util.h"
#include "golden.h"
#include "vigil/exec/executor.h"

namespace vigil {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::vigil::engine_test::QuietOptions;
using ::vigil::engine_test::TempPath;
using ::vigil::engine_test::WriteFile;
using ::vigil::testing::ExpectedRows;
using ::vigil::testing::FinalRows;
using ::vigil::testing::RowsText;

const Schema kLoginSchema = {
    {"username", dtype::Str},
    {"successful", dtype::Str},
    {"time", dtype::Int},
    {"ip_address", dtype::Str},
};

/// The tutorial pipeline, statement for statement (examples/suspicious_logins.cpp).
Table SuspiciousLogins(const std::string& path) {
  Table logins = io::csv::read(path, kLoginSchema, io::Mode::kStatic);
  logins = logins.with_columns({{"successful", this_["successful"] == "True"}});
  Table failed = logins.filter(~this_["successful"]);
  Table result = failed.windowby(failed["time"], temporal::tumbling(60), this_["ip_address"])
                     .reduce({{"ip_address", this_["_pw_instance"]}, {"count", reducers::count()}});
  return result.filter(this_["count"] >= 5);
}

// 10.0.0.1: failures at 60, 61, 70, 90, 100 ("true" is not "True", so it failed) and 119
// -> 6 in [60, 120) (the "True" at 110 is a success); 120, 121 -> 2 in [120, 180).
// 10.0.0.2: 1, 2, 3, 4, 59 -> 5 in [0, 60); 60 -> 1 in [60, 120).
constexpr char kLogins[] =
    "username,successful,time,ip_address\n"
    "u1,False,60,10.0.0.1\n"
    "u1,False,61,10.0.0.1\n"
    "u1,False,70,10.0.0.1\n"
    "u2,False,90,10.0.0.1\n"
    "u2,true,100,10.0.0.1\n"
    "u1,False,119,10.0.0.1\n"
    "u1,True,110,10.0.0.1\n"
    "u1,False,120,10.0.0.1\n"
    "u1,False,121,10.0.0.1\n"
    "u3,False,1,10.0.0.2\n"
    "u3,False,2,10.0.0.2\n"
    "u3,False,3,10.0.0.2\n"
    "u3,False,4,10.0.0.2\n"
    "u3,False,59,10.0.0.2\n"
    "u3,False,60,10.0.0.2\n";

class CsvReadPipeline : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& path : files_) std::remove(path.c_str());
  }
  std::string NewCsv(const std::string& name, const std::string& text) {
    files_.push_back(TempPath(name));
    WriteFile(files_.back(), text);
    return files_.back();
  }

 private:
  std::vector<std::string> files_;
};

// A filter pushed into the CSV reader (the reader drops rows and computes ids only for the
// rows that pass) must give the same rows and the same ids as filtering after reading:
// across a batch boundary (4096 rows) and a file boundary (two files in a directory).
TEST_F(CsvReadPipeline, PushedDownFilterKeepsRowsAndIdsOfUnfilteredRead) {
  const std::string dir = TempPath("pushdown_dir");
  std::filesystem::create_directories(dir);
  std::string a = "username,successful,time,ip_address\n", b = a;
  for (int i = 0; i < 5000; ++i) {
    a.append("u").append(std::to_string(i % 7)).append(",");
    a.append(i % 3 == 0 ? "False" : "True").append(",").append(std::to_string(i));
    a.append(",10.0.0.").append(std::to_string(i % 5)).append("\n");
  }
  for (int i = 0; i < 3000; ++i) {
    // Quoted `successful` fields: these records take the reader's slow path.
    b.append("v,\"").append(i % 4 == 0 ? "False" : "True").append("\",");
    b.append(std::to_string(i)).append(",10.1.0.1\n");
  }
  WriteFile(dir + "/a.csv", a);
  WriteFile(dir + "/b.csv", b);
  Schema schema{{"username", dtype::Str},
                {"successful", dtype::Str},
                {"time", dtype::Int},
                {"ip_address", dtype::Str}};
  Table all = io::csv::read(dir, schema);
  Table failed = all.filter(this_["successful"] != "True");
  // Separate runs: in one run the shared source would (rightly) not take the filter.
  auto filtered = debug::Capture(failed);
  auto unfiltered = debug::Capture(all);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
  ASSERT_TRUE(unfiltered.ok()) << unfiltered.status().ToString();
  std::vector<std::string> expected, actual;
  for (const auto& u : unfiltered->updates) {
    if (u.row[1].get().as_string() == "True") continue;
    expected.push_back(u.id.ToString() + DebugString(u));
  }
  for (const auto& u : filtered->updates) actual.push_back(u.id.ToString() + DebugString(u));
  std::sort(expected.begin(), expected.end());
  std::sort(actual.begin(), actual.end());
  EXPECT_EQ(actual.size(), 1667u + 750u);
  EXPECT_EQ(actual, expected);
}

TEST_F(CsvReadPipeline, TutorialPipelineOnWrittenCsv) {
  const std::string path = NewCsv("logins.csv", kLogins);
  EXPECT_EQ(FinalRows(SuspiciousLogins(path)), ExpectedRows(R"(
10.0.0.1 | 6
10.0.0.2 | 5
)"));
}

// Columns are found by header name: another column order and an extra column change nothing.
TEST_F(CsvReadPipeline, HeaderColumnsAreMatchedByName) {
  const std::string path = NewCsv("reordered.csv",
                                  "ip_address,extra,time,username,successful\n"
                                  "10.0.0.3,x,5,u,False\n"
                                  "10.0.0.3,y,6,u,False\n"
                                  "10.0.0.3,z,7,u,False\n"
                                  "10.0.0.3,w,8,u,False\n"
                                  "10.0.0.3,v,9,u,False\n"
                                  "10.0.0.3,v,65,u,False\n");
  EXPECT_EQ(FinalRows(SuspiciousLogins(path)), ExpectedRows("10.0.0.3 | 5"));
}

// The whole input is one commit at time 0: an update stream of the raw table has only +1s.
TEST_F(CsvReadPipeline, StaticCsvIsOneCommitOfInsertions) {
  const std::string path = NewCsv("small.csv",
                                  "username,successful,time,ip_address\n"
                                  "a,True,1,x\n"
                                  "b,False,2,y\n");
  EXPECT_EQ(testing::StreamRows(io::csv::read(path, kLoginSchema)), ExpectedRows(R"(
a | True  | 1 | x | 0 | 1
b | False | 2 | y | 0 | 1
)"));
}

constexpr char kLoginsWithBadRow[] =
    "username,successful,time,ip_address\n"
    "u3,False,1,10.0.0.2\n"
    "u3,False,2,10.0.0.2\n"
    "u3,False,12x,10.0.0.2\n"
    "u3,False,3,10.0.0.2\n"
    "u3,False,4,10.0.0.2\n"
    "u3,False,5,10.0.0.2\n";

// The default policy skips the bad row (line 4), reports it once with its file, line and
// column, and computes the rest.
TEST_F(CsvReadPipeline, BadRowIsSkippedAndCounted) {
  const std::string path = NewCsv("bad.csv", kLoginsWithBadRow);
  Table result = SuspiciousLogins(path);
  std::vector<SinkBinding> bindings;
  bindings.push_back({result.node(), std::make_unique<CaptureSink>()});
  auto executor = Executor::Make(std::move(bindings), QuietOptions());
  ASSERT_TRUE(executor.ok()) << executor.status().ToString();
  Status status = (*executor)->Run();
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ((*executor)->errors().count(), 1u);
  std::vector<DataError> errors = (*executor)->errors().kept();
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].file, path);
  EXPECT_EQ(errors[0].line, 4u);
  EXPECT_EQ(errors[0].field, "time");
  EXPECT_EQ(errors[0].value, "12x");
  EXPECT_TRUE(errors[0].row_skipped);
  auto& sink = static_cast<CaptureSink&>((*executor)->sink(0));
  EXPECT_EQ(RowsText(sink.updates()), ExpectedRows("10.0.0.2 | 5"));
  // The matrix agrees (the bad row is skipped in every variant).
  EXPECT_EQ(FinalRows(result), ExpectedRows("10.0.0.2 | 5"));
}

TEST_F(CsvReadPipeline, BadRowFailsCaptureWithOnBadRowFail) {
  const std::string path = NewCsv("bad.csv", kLoginsWithBadRow);
  RunOptions options = QuietOptions();
  options.on_bad_row = OnBadRow::kFail;
  auto captured = debug::Capture(SuspiciousLogins(path), options);
  ASSERT_FALSE(captured.ok());
  EXPECT_EQ(captured.status().code(), StatusCode::kParseError) << captured.status().ToString();
  EXPECT_THAT(captured.status().message(),
              AllOf(HasSubstr(path + ":4"), HasSubstr("time"), HasSubstr("12x")));
}

// With kKeepError the row stays with an Error time; windowby cannot place it and reports an
// engine error, which fails the run under terminate_on_error.
TEST_F(CsvReadPipeline, KeptErrorTimeIsAnEngineErrorDownstream) {
  const std::string path = NewCsv("bad.csv", kLoginsWithBadRow);
  RunOptions options = QuietOptions();
  options.on_bad_row = OnBadRow::kKeepError;
  auto captured = debug::Capture(SuspiciousLogins(path), options);
  ASSERT_FALSE(captured.ok());
  EXPECT_EQ(captured.status().code(), StatusCode::kEngineError) << captured.status().ToString();
  options.terminate_on_error = false;
  auto kept = debug::Capture(SuspiciousLogins(path), options);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(RowsText(kept->updates), ExpectedRows("10.0.0.2 | 5"));
}

TEST_F(CsvReadPipeline, MissingHeaderColumnFailsNamingIt) {
  const std::string path = NewCsv("nocol.csv", "username,successful,ip_address\nu,False,x\n");
  auto captured = debug::Capture(SuspiciousLogins(path), QuietOptions());
  ASSERT_FALSE(captured.ok());
  EXPECT_THAT(captured.status().message(), AllOf(HasSubstr(path), HasSubstr("\"time\"")));
}

TEST_F(CsvReadPipeline, MissingFileFailsRun) {
  const std::string path = TempPath("does_not_exist.csv");
  auto captured = debug::Capture(SuspiciousLogins(path), QuietOptions());
  ASSERT_FALSE(captured.ok());
  EXPECT_EQ(captured.status().code(), StatusCode::kNotFound) << captured.status().ToString();
  EXPECT_THAT(captured.status().message(), HasSubstr(path));
}

}  // namespace
}  // namespace vigil
