// `vigil detect` at its edges (issue "Every row counted"): every option at its boundaries
// (0, negative, int64 max, overflow, combinations that make no sense), keys of every column
// type, column names that look internal, and output that cannot be written.

#include <signal.h>

#include <cstdint>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_util.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class DetectEdgeTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    input_ = Write("a.csv", std::string(kHeader) + Failures("1.1.1.1", 0, 5)).string();
  }
  /// Runs `detect ARGS a.csv` and expects a usage error (exit 2, nothing on stdout) whose
  /// message holds `message`.
  void ExpectUsageError(const std::string& args, const std::string& message) {
    SCOPED_TRACE(args);
    Outcome o = Run("detect " + args + " " + input_);
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_THAT(o.out, IsEmpty());
    EXPECT_THAT(o.err, HasSubstr(message));
  }
  std::string input_;
};

TEST_F(DetectEdgeTest, WindowAtItsBoundaries) {
  ExpectUsageError("--window 0", "--window: 0 is too small");
  ExpectUsageError("--window -60", "--window: -60 is too small");
  // Beyond int64: refused, not clamped to 9223372036854775807.
  ExpectUsageError("--window 99999999999999999999",
                   "--window: 99999999999999999999 is out of range");
  ExpectUsageError("--window 1e12", "--window: '1e12' is not a whole number");
  ExpectUsageError("--window 60s", "--window: '60s' is not a whole number");
  ExpectUsageError("--window ''", "--window: the value is empty");
  // int64 max itself is a valid window: the five failures at 0..4 are in [0, max).
  Outcome o = Run("detect --format csv --window 9223372036854775807 " + input_);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n"
                   "1.1.1.1,0,9223372036854775807,5\n");
}

TEST_F(DetectEdgeTest, HopAtItsBoundaries) {
  ExpectUsageError("--hop 0", "--hop: 0 is too small");
  ExpectUsageError("--hop -1", "--hop: -1 is too small");
  ExpectUsageError("--hop 99999999999999999999", "--hop: 99999999999999999999 is out of range");
  ExpectUsageError("--window 60 --hop 61", "--hop 61 is longer than --window 60");
  // Too many windows per row: refused up front instead of allocating until bad_alloc.
  ExpectUsageError("--window 1000000 --hop 1", "puts each row in 1000000 windows");
  ExpectUsageError("--window 9223372036854775807 --hop 1", "windows; at most");
  // hop = window is tumbling; hop = 1 with a short window is fine.
  Outcome o = Run("detect --format csv --window 60 --hop 60 " + input_);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n1.1.1.1,0,60,5\n");
  o = Run("detect --format csv --window 3 --hop 1 --threshold 3 " + input_);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n"
                   "1.1.1.1,0,3,3\n1.1.1.1,1,4,3\n1.1.1.1,2,5,3\n");
}

TEST_F(DetectEdgeTest, ThresholdAtItsBoundaries) {
  ExpectUsageError("--threshold 0", "--threshold: 0 is too small");
  ExpectUsageError("--threshold -5", "--threshold: -5 is too small");
  ExpectUsageError("--threshold 99999999999999999999", "--threshold: 99999999999999999999 is out");
  Outcome o = Run("detect --format csv --threshold 9223372036854775807 " + input_);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n");
  o = Run("detect --format csv --threshold 1 " + input_);
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n1.1.1.1,0,60,5\n");
}

TEST_F(DetectEdgeTest, CutoffAtItsBoundaries) {
  const std::string replay = "--replay " + input_;
  Outcome o = Run("detect --cutoff -5 " + replay);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("--cutoff: -5 is too small"));
  o = Run("detect --cutoff 99999999999999999999 " + replay);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("--cutoff: 99999999999999999999 is out of range"));
  // 0 and int64 max are both valid (window end + cutoff saturates, nothing overflows).
  for (const char* cutoff : {"0", "9223372036854775807"}) {
    SCOPED_TRACE(cutoff);
    o = Run(std::string("detect --format csv --emit final --cutoff ") + cutoff + " " + replay);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_THAT(o.out, HasSubstr("1.1.1.1,0,60,5,"));
  }
}

TEST_F(DetectEdgeTest, OptionCombinationsThatMakeNoSense) {
  ExpectUsageError("--dead-letter dead.csv", "--dead-letter needs --on-error skip");
  ExpectUsageError("--on-error fail --dead-letter dead.csv", "--dead-letter needs --on-error skip");
  ExpectUsageError("--by ''", "--by: the column name is empty");
  for (const char* output : {"count", "window_start", "window_end"}) {
    ExpectUsageError(std::string("--by ") + output, "the output already has a column of that name");
  }
}

TEST_F(DetectEdgeTest, KeysOfEveryTypePrintTheirValues) {
  // --by time: the key is the int itself; --by successful: the failures' value, False.
  auto f = Write("k.csv", std::string(kHeader) + "u,False,7,1.1.1.1\nu,False,7,2.2.2.2\n" +
                              "u,no,8,3.3.3.3\n");
  Outcome o = Run("detect --format csv --threshold 2 --by time " + f.string());
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "time,window_start,window_end,count\n7,0,60,2\n");
  o = Run("detect --format jsonl --threshold 2 --by time " + f.string());
  EXPECT_EQ(o.out, "{\"time\":7,\"window_start\":0,\"window_end\":60,\"count\":2}\n");
  o = Run("detect --format csv --threshold 3 --by successful " + f.string());
  EXPECT_EQ(o.out, "successful,window_start,window_end,count\nFalse,0,60,3\n");
  o = Run("detect --format jsonl --threshold 3 --by successful " + f.string());
  EXPECT_EQ(o.out, "{\"successful\":false,\"window_start\":0,\"window_end\":60,\"count\":3}\n");
  o = Run("detect --threshold 3 --by successful " + f.string());
  EXPECT_THAT(o.out, HasSubstr("| False      | 0            | 60         | 3"));
  // Live output too.
  o = Run("detect --replay " + f.string() + " --format csv --threshold 2 --by time");
  EXPECT_THAT(o.out, HasSubstr("\n7,0,60,2,"));
  o = Run("detect --replay " + f.string() + " --threshold 3 --by successful");
  EXPECT_EQ(o.out, "ALERT False 3 failed logins in [0, 60)\n");
}

TEST_F(DetectEdgeTest, ColumnNamedLikeAnInternalColumnIsJustTheKey) {
  auto f = Write("k.csv", "username,successful,time,_pw_window_end,_pw_instance\n"
                          "u,False,61,x,y\nu,False,62,x,y\nu,False,63,x,z\n");
  for (const char* by : {"_pw_window_end", "_pw_instance"}) {
    SCOPED_TRACE(by);
    Outcome o = Run(std::string("detect --format csv --threshold 2 --by ") + by + " " +
                    f.string());
    EXPECT_EQ(o.exit_code, 0) << o.err;
    const std::string key = std::string(by) == "_pw_window_end" ? "x,60,120,3" : "y,60,120,2";
    EXPECT_EQ(o.out, std::string(by) + ",window_start,window_end,count\n" + key + "\n");
  }
}

TEST_F(DetectEdgeTest, OutputThatCannotBeWrittenFailsTheRun) {
  // A full disk: static and live output, and a dead-letter file.
  for (const std::string& args :
       {"detect " + input_, "detect --format csv " + input_, "detect --replay " + input_,
        "detect --replay " + input_ + " --format jsonl"}) {
    SCOPED_TRACE(args);
    const int status =
        std::system((std::string(VIGIL_BIN_DIR) + "/vigil " + args + " > /dev/full 2> " +
                     (dir_ / "err.txt").string()).c_str());
    EXPECT_EQ(WEXITSTATUS(status), 1);
    EXPECT_THAT(ReadFile(dir_ / "err.txt"),
                HasSubstr("cannot write to standard output: No space left on device"));
  }
  auto bad = Write("bad.csv", std::string(kHeader) + "u,False,x,1.1.1.1\n" +
                                  Failures("1.1.1.1", 0, 5));
  Outcome o = Run("detect --on-error skip --dead-letter /dev/full " + bad.string());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_THAT(o.err, HasSubstr("cannot write to /dev/full: No space left on device"));
}

TEST_F(DetectEdgeTest, ClosedPipeIsReportedNotSilent) {
  // 20,000 flagged windows, the reader gone after the first bytes: EPIPE, exit 1.
  std::string rows = kHeader;
  for (int w = 0; w < 20000; ++w) rows += Failures("1.1.1.1", int64_t{w} * 60, 1);
  auto f = Write("many.csv", rows);
  const std::string command = "bash -c '" + std::string(VIGIL_BIN_DIR) +
                              "/vigil detect --format csv --threshold 1 " + f.string() +
                              " 2> " + (dir_ / "err.txt").string() +
                              " | head -c 10 > /dev/null; exit ${PIPESTATUS[0]}'";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_THAT(ReadFile(dir_ / "err.txt"), HasSubstr("cannot write to standard output: Broken pipe"));
}

TEST_F(DetectEdgeTest, LateRowsJudgedByReadingOrderNotByCommits) {
  // 1.1.1.1 fails 4 times at 0..3; a row at 200 passes [0, 60)'s end + cutoff (0); then a
  // fifth failure at 5 comes late. Replay reads all of it in one commit, a follower line by
  // line: both must ignore the late row (a per-commit rule would count it in the replay).
  auto f = Write("late.csv", std::string(kHeader) + Failures("1.1.1.1", 0, 4) +
                                 "u,False,200,2.2.2.2\n" + "u,False,5,1.1.1.1\n");
  for (const char* emit : {"updates", "final"}) {
    SCOPED_TRACE(emit);
    Outcome replay = Run("detect --replay " + f.string() + " --format csv --cutoff 0 --emit " +
                         emit + " --threshold 1");
    EXPECT_EQ(replay.exit_code, 0) << replay.err;
    EXPECT_THAT(replay.out, HasSubstr("1.1.1.1,0,60,4,"));
    EXPECT_THAT(replay.out, ::testing::Not(HasSubstr("1.1.1.1,0,60,5,")));
    EXPECT_THAT(replay.err, HasSubstr("windowby: warning: 1 (row, window) pair(s) were not "
                                      "counted: they came after their window had closed"));
    // The same file through stdin, one line per write with pauses (separate commits).
    const std::string command =
        "(head -c 0 /dev/null; while IFS= read -r line; do printf '%s\\n' \"$line\"; "
        "sleep 0.05; done < " + f.string() + ") | " + VIGIL_BIN_DIR +
        "/vigil detect --follow - --format csv --cutoff 0 --threshold 1 --emit " + emit +
        " > " + (dir_ / "live.txt").string();
    ASSERT_EQ(std::system(command.c_str()), 0);
    const std::string live = ReadFile(dir_ / "live.txt");
    EXPECT_THAT(live, HasSubstr("1.1.1.1,0,60,4,"));
    EXPECT_THAT(live, ::testing::Not(HasSubstr("1.1.1.1,0,60,5,")));
  }
}

// Auth logs read statically: in commits (the default) or as one commit; both options are
// checked, and both reads print the same alerts.
TEST_F(DetectEdgeTest, CommitOptionsOfStaticAuthLogReads) {
  std::string lines;
  for (int i = 0; i < 12; ++i) {
    lines += "Mar 29 23:18:" + std::to_string(10 + i) + " host sshd[" +
             std::to_string(6400 + i) + "]: Failed password for root from 192.0.2." +
             std::to_string(1 + i % 2) + " port 22 ssh2\n";
  }
  const std::string log = Write("auth.log", lines).string();
  for (const std::string bad : {"0", "-1", "x", "16777217"}) {
    SCOPED_TRACE(bad);
    Outcome o = Run("detect --commit-rows " + bad + " " + log);
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_THAT(o.err, HasSubstr("--commit-rows: '" + bad +
                                 "' is not a whole number of events from 1 to 16777216"));
  }
  Outcome o = Run("detect --single-commit --follow " + log);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("--single-commit applies to static reads of auth log files"));
  ExpectUsageError("--single-commit", "--single-commit applies to auth logs");
  const Outcome one = Run("detect --year 2026 --single-commit " + log);
  const Outcome many = Run("detect --year 2026 --commit-rows 1 " + log);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(many.exit_code, 0) << many.err;
  EXPECT_THAT(one.out, HasSubstr("\"rule\":\"brute_force\""));
  EXPECT_EQ(many.out, one.out);
}

}  // namespace
}  // namespace vigil
