// The `vigil` command as a user runs it: exit codes, stdout, stderr and files, including
// every kind of bad input the CLI issue lists.

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <fstream>
#include <map>
#include <vector>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_util.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(CliTest, TutorialDataPrintsPathwaysAnswer) {
  Outcome o = Run("detect " + std::string(VIGIL_SHARED_DIR) + "/seed/logins.csv");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out,
            "            | ip_address    | window_start | window_end | count\n"
            "^3HJ3BS8... | 50.37.169.241 | 1545730200   | 1545730260 | 7\n");
}

TEST_F(CliTest, CsvFormatOrdersByWindowStartThenKey) {
  auto f = Write("a.csv", std::string(kHeader) + Failures("9.9.9.9", 120, 5) +
                              Failures("1.1.1.1", 120, 6) + Failures("5.5.5.5", 60, 5) +
                              "u,True,61,5.5.5.5\n" + Failures("2.2.2.2", 0, 4));
  Outcome o = Run("detect --format csv " + f.string());
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out,
            "ip_address,window_start,window_end,count\n"
            "5.5.5.5,60,120,5\n"
            "1.1.1.1,120,180,6\n"
            "9.9.9.9,120,180,5\n");
}

TEST_F(CliTest, OnlyExactTrueCountsAsSuccess) {
  // "true", "TRUE" and "1" are failures for the tutorial's rule (successful == "True").
  auto f = Write("a.csv", std::string(kHeader) + "u,true,1,7.7.7.7\nu,TRUE,2,7.7.7.7\n" +
                              "u,1,3,7.7.7.7\nu,False,4,7.7.7.7\nu,x,5,7.7.7.7\n" +
                              "u,True,6,7.7.7.7\n");
  Outcome o = Run("detect --format csv " + f.string());
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n7.7.7.7,0,60,5\n") << o.err;
}

TEST_F(CliTest, ColumnsInAnyOrderAndExtraColumnsIgnored) {
  auto f = Write("a.csv", "ip_address,extra,time,username,successful\n" +
                              std::string("3.3.3.3,x,10,u,False\n3.3.3.3,x,11,u,False\n") +
                              "3.3.3.3,x,12,u,False\n3.3.3.3,x,13,u,False\n3.3.3.3,y,14,u,False\n");
  Outcome o = Run("detect --format csv " + f.string());
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n3.3.3.3,0,60,5\n") << o.err;
}

TEST_F(CliTest, SlidingWindowsWithHop) {
  // Failures at 50..55: windows of 60 s every 30 s: [0,60) holds 6, [30,90) holds 6.
  auto f = Write("a.csv", std::string(kHeader) + Failures("4.4.4.4", 50, 6));
  Outcome o = Run("detect --format csv --window 60 --hop 30 " + f.string());
  EXPECT_EQ(o.out,
            "ip_address,window_start,window_end,count\n"
            "4.4.4.4,0,60,6\n"
            "4.4.4.4,30,90,6\n")
      << o.err;
}

TEST_F(CliTest, ThresholdAndByColumn) {
  auto f = Write("a.csv", std::string(kHeader) + Failures("1.1.1.1", 0, 2, "alice") +
                              Failures("2.2.2.2", 3, 1, "alice") + Failures("3.3.3.3", 5, 2, "bob"));
  Outcome o = Run("detect --format jsonl --by username --threshold 3 " + f.string());
  EXPECT_EQ(o.out, "{\"username\":\"alice\",\"window_start\":0,\"window_end\":60,\"count\":3}\n")
      << o.err;
}

TEST_F(CliTest, SeveralFilesAndDirectoriesAreOneTable) {
  auto a = Write("a.csv", std::string(kHeader) + Failures("6.6.6.6", 0, 3));
  Write("dir/b.csv", std::string(kHeader) + Failures("6.6.6.6", 10, 1));
  Write("dir/sub/c.csv", "ip_address,time,successful,username\n6.6.6.6,20,False,u\n");
  Outcome o = Run("detect --format csv " + a.string() + " " + (dir_ / "dir").string());
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n6.6.6.6,0,60,5\n");
}

TEST_F(CliTest, BadValueFailsWithFileLineColumnAndNoResult) {
  auto f = Write("a.csv", std::string(kHeader) + Failures("1.1.1.1", 0, 5) +
                              "u,False,12x,1.1.1.1\n");
  Outcome o = Run("detect " + f.string());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_THAT(o.err, HasSubstr(f.string() + ":7: column 'time': cannot parse \"12x\" as int"));
}

TEST_F(CliTest, SkipReportsFirstTwentyThenTotalAndWritesDeadLetters) {
  std::string rows = Failures("1.1.1.1", 0, 5);
  for (int i = 0; i < 25; ++i) rows += "u,False,bad" + std::to_string(i) + ",1.1.1.1\n";
  auto f = Write("a.csv", std::string(kHeader) + rows);
  auto dead = dir_ / "dead.csv";
  Outcome o = Run("detect --format csv --on-error skip --dead-letter " + dead.string() + " " +
                  f.string());
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n1.1.1.1,0,60,5\n");
  EXPECT_THAT(o.err, HasSubstr(":7: column 'time': cannot parse \"bad0\" as int"));
  EXPECT_THAT(o.err, HasSubstr("cannot parse \"bad19\""));
  EXPECT_THAT(o.err, Not(HasSubstr("cannot parse \"bad20\"")));
  EXPECT_THAT(o.err, HasSubstr("5 more errors (25 in total)"));
  EXPECT_THAT(o.err, HasSubstr("5 rows read, 25 bad rows skipped"));
  std::string dead_letters = ReadFile(dead);
  EXPECT_THAT(dead_letters, HasSubstr("file,line,reason,record\n"));
  EXPECT_THAT(dead_letters, HasSubstr(",31,"));  // The last bad row's line number.
  EXPECT_THAT(dead_letters, HasSubstr("u,False,bad24,1.1.1.1"));
  EXPECT_EQ(std::count(dead_letters.begin(), dead_letters.end(), '\n'), 26);
}

TEST_F(CliTest, RaggedRowIsReported) {
  auto f = Write("a.csv", std::string(kHeader) + "u,False,1\n" + Failures("1.1.1.1", 0, 5));
  Outcome fail = Run("detect " + f.string());
  EXPECT_EQ(fail.exit_code, 1);
  EXPECT_THAT(fail.err, HasSubstr(f.string() + ":2:"));
  EXPECT_THAT(fail.err, HasSubstr("fields"));
  Outcome skip = Run("detect --format csv --on-error skip " + f.string());
  EXPECT_EQ(skip.exit_code, 0);
  EXPECT_EQ(skip.out, "ip_address,window_start,window_end,count\n1.1.1.1,0,60,5\n");
}

TEST_F(CliTest, UnterminatedQuoteIsReported) {
  auto f = Write("a.csv", std::string(kHeader) + Failures("1.1.1.1", 0, 5) +
                              "u,False,9,\"1.1.1.1\nu,False,10,1.1.1.1\n");
  Outcome o = Run("detect " + f.string());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_THAT(o.err, HasSubstr(f.string() + ":7:"));
  EXPECT_THAT(o.err, HasSubstr("quote"));
}

TEST_F(CliTest, InvalidUtf8IsReported) {
  auto f = Write("a.csv", std::string(kHeader) + "u,False,1,1.1.\xff\xfe\n");
  Outcome o = Run("detect " + f.string());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_THAT(o.err, HasSubstr(f.string() + ":2: column 'ip_address': invalid UTF-8 in "
                               "\"1.1.\\xff\\xfe\""));
}

TEST_F(CliTest, NulBytesDoNotCrashAndAreReported) {
  std::string content = std::string(kHeader) + "u,False,1" + std::string(1, '\0') + "2,1.1.1.1\n";
  auto f = Write("a.csv", content + Failures("1.1.1.1", 0, 5));
  Outcome o = Run("detect --on-error skip --format csv " + f.string());
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.err, HasSubstr(f.string() + ":2: column 'time': cannot parse \"1\\x002\" as int"));
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n1.1.1.1,0,60,5\n");
}

TEST_F(CliTest, GigabyteLineIsReportedNotBuffered) {
  // A sparse file: header, then a 1 GiB line (of NUL bytes), then valid rows.
  fs::path p = dir_ / "huge.csv";
  int fd = ::open(p.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  std::string head = std::string(kHeader) + "u,False,1,";
  ASSERT_EQ(::write(fd, head.data(), head.size()), static_cast<ssize_t>(head.size()));
  ASSERT_GE(::lseek(fd, off_t{1} << 30, SEEK_CUR), 0);
  std::string tail = "\n" + Failures("1.1.1.1", 0, 5);
  ASSERT_EQ(::write(fd, tail.data(), tail.size()), static_cast<ssize_t>(tail.size()));
  ::close(fd);
  Outcome o = Run("detect --on-error skip --format csv " + p.string());
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.err, HasSubstr(p.string() + ":2:"));
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n1.1.1.1,0,60,5\n");
}

TEST_F(CliTest, MissingHeaderColumnsNameTheFile) {
  auto f = Write("a.csv", "user,ok,t,ip\nu,False,1,1.1.1.1\n");
  Outcome o = Run("detect " + f.string());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_THAT(o.err, HasSubstr(f.string()));
  EXPECT_THAT(o.err, HasSubstr("\"successful\""));
  EXPECT_THAT(o.err, HasSubstr("\"time\""));
}

TEST_F(CliTest, HeaderlessFileIsReported) {
  auto f = Write("a.csv", Failures("1.1.1.1", 0, 5));
  Outcome o = Run("detect " + f.string());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_THAT(o.err, HasSubstr("not in the CSV header"));
}

TEST_F(CliTest, MissingFileIsReported) {
  Outcome o = Run("detect " + (dir_ / "nope.csv").string());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_THAT(o.err, HasSubstr("nope.csv"));
  EXPECT_THAT(o.err, HasSubstr("does not exist"));
}

TEST_F(CliTest, UnreadableFileIsReported) {
  // A socket cannot be opened for reading, even by root.
  fs::path p = dir_ / "socket.csv";
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", p.c_str());
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  Outcome o = Run("detect " + p.string());
  ::close(s);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_THAT(o.err, HasSubstr("socket.csv"));
}

TEST_F(CliTest, DirectoryWithNonCsvFileIsReported) {
  Write("dir/a.csv", std::string(kHeader) + Failures("1.1.1.1", 0, 5));
  Write("dir/notes.txt", "these are my notes, not logins\n");
  Outcome o = Run("detect " + (dir_ / "dir").string());
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_THAT(o.err, HasSubstr("notes.txt"));
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Run("").exit_code, 2);
  EXPECT_EQ(Run("detect").exit_code, 2);
  EXPECT_EQ(Run("detect --format xml a.csv").exit_code, 2);
  EXPECT_EQ(Run("detect --window abc a.csv").exit_code, 2);
  EXPECT_EQ(Run("detect --no-such-flag a.csv").exit_code, 2);
  EXPECT_EQ(Run("detect --window 0 a.csv").exit_code, 2);
  EXPECT_EQ(Run("frobnicate").exit_code, 2);
  // Live flags: exactly one input kind; --emit/--cutoff only with a live input.
  EXPECT_EQ(Run("detect --follow a.csv b.csv").exit_code, 2);
  EXPECT_EQ(Run("detect --follow a.csv --replay b.csv").exit_code, 2);
  EXPECT_EQ(Run("detect --emit final a.csv").exit_code, 2);
  EXPECT_EQ(Run("detect --cutoff 5 a.csv").exit_code, 2);
  EXPECT_EQ(Run("detect --follow a.csv --emit sometimes").exit_code, 2);
}

TEST_F(CliTest, HelpListsEveryFlag) {
  Outcome o = Run("detect --help");
  EXPECT_EQ(o.exit_code, 0);
  for (const char* flag : {"--window", "--hop", "--threshold", "--by", "--format", "--on-error",
                           "--dead-letter", "--progress", "--follow", "--replay", "--emit",
                           "--cutoff"}) {
    EXPECT_THAT(o.out, HasSubstr(flag));
  }
}

TEST_F(CliTest, ProgressGoesToStderrOnly) {
  auto f = Write("a.csv", std::string(kHeader) + Failures("1.1.1.1", 0, 5));
  Outcome o = Run("detect --progress --format csv " + f.string());
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "ip_address,window_start,window_end,count\n1.1.1.1,0,60,5\n");
  EXPECT_THAT(o.err, HasSubstr("rows in"));
}

/// The final state of a live CSV stream (`<by>,window_start,window_end,count,time,diff`): the
/// rows whose insertions outnumber their retractions, without time and diff, sorted.
std::vector<std::string> FinalOfStream(const std::string& stream) {
  std::map<std::string, int> live;
  std::istringstream in(stream);
  std::string line;
  std::getline(in, line);  // Header.
  while (std::getline(in, line)) {
    const size_t diff_at = line.rfind(',');
    const size_t time_at = line.rfind(',', diff_at - 1);
    live[line.substr(0, time_at)] += std::stoi(line.substr(diff_at + 1));
  }
  std::vector<std::string> rows;
  for (const auto& [row, count] : live) {
    EXPECT_GE(count, 0) << row;
    if (count > 0) rows.push_back(row);
  }
  return rows;
}

std::vector<std::string> SortedRows(const std::string& csv) {
  std::vector<std::string> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) rows.push_back(line);
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST_F(CliTest, ReplayEndsWithTheStaticAnswer) {
  const fs::path data = dir_ / "logins.csv";
  ASSERT_EQ(Run("generate --rows 30000 --seed 7 -o " + data.string()).exit_code, 0);
  Outcome stat = Run("detect --format csv " + data.string());
  ASSERT_EQ(stat.exit_code, 0) << stat.err;
  // A cutoff longer than any lateness in the data: nothing is dropped, so the live path
  // must end where the static one does.
  Outcome replay = Run("detect --replay " + data.string() + " --cutoff 100000000 --format csv");
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_THAT(replay.out, ::testing::StartsWith(
                              "ip_address,window_start,window_end,count,time,diff\n"));
  const auto expected = SortedRows(stat.out);
  EXPECT_GT(expected.size(), 3u);
  EXPECT_EQ(FinalOfStream(replay.out), expected);
}

TEST_F(CliTest, EmitFinalPrintsEachWindowOnceWithItsFinalCount) {
  auto f = Write("a.csv", std::string(kHeader) + Failures("1.1.1.1", 0, 5) +
                              Failures("1.1.1.1", 10, 3) + Failures("2.2.2.2", 200, 6));
  Outcome o = Run("detect --replay " + f.string() + " --emit final --format csv");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::vector<std::string> lines = SortedRows(o.out);
  ASSERT_EQ(lines.size(), 2u) << o.out;
  EXPECT_THAT(lines[0], ::testing::StartsWith("1.1.1.1,0,60,8,"));
  EXPECT_THAT(lines[0], ::testing::EndsWith(",1"));
  EXPECT_THAT(lines[1], ::testing::StartsWith("2.2.2.2,180,240,6,"));
}

TEST_F(CliTest, AlertLinesFromStdinUntilItCloses) {
  auto f = Write("a.csv", std::string(kHeader) + Failures("1.1.1.1", 0, 4) +
                              Failures("3.3.3.3", 100, 5) + Failures("1.1.1.1", 4, 2));
  const fs::path out = dir_ / "out.txt";
  const std::string command = "cat " + f.string() + " | " + VIGIL_BIN_DIR +
                              "/vigil detect --follow - > " + out.string() + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  // One line per newly flagged window (1.1.1.1's count changing to 6 is no new alert).
  EXPECT_EQ(ReadFile(out), "ALERT 1.1.1.1 6 failed logins in [0, 60)\n"
                           "ALERT 3.3.3.3 5 failed logins in [60, 120)\n");
}

TEST_F(CliTest, FollowWithoutInotifyPollsAndStillAlerts) {
  auto f = Write("a.csv", std::string(kHeader) + Failures("8.8.8.8", 0, 4));
  const fs::path out = dir_ / "out.txt";
  // VIGIL_FOLLOW_POLL=1: no inotify, the file is looked at every 20 ms. The fifth failure is
  // appended half a second after the start; once the alert is out (waited for, up to 30 s)
  // vigil gets SIGTERM and must exit 0. The shell's status is vigil's.
  const std::string command =
      "sh -c 'VIGIL_FOLLOW_POLL=1 " + std::string(VIGIL_BIN_DIR) + "/vigil detect --follow " +
      f.string() + " > " + out.string() + " & pid=$!; sleep 0.5; " +
      "printf \"u,False,4,8.8.8.8\\n\" >> " + f.string() + "; i=0; while [ $i -lt 300 ] && " +
      "! grep -q ALERT " + out.string() + "; do sleep 0.1; i=$((i+1)); done; " +
      "kill -TERM $pid; wait $pid'";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(ReadFile(out), "ALERT 8.8.8.8 5 failed logins in [0, 60)\n");
}

TEST_F(CliTest, FollowServesUntilSigtermAndFlushes) {
  auto f = Write("a.csv", std::string(kHeader) + Failures("9.9.9.9", 0, 5));
  const fs::path out = dir_ / "out.txt";
  // vigil prints the alert and keeps serving (the file never ends); once the alert is out
  // (waited for, up to 30 s, not a fixed delay: a loaded machine may start it slowly) it gets
  // SIGTERM and must stop cleanly with exit 0. The shell's status is vigil's.
  const std::string command =
      "sh -c '" + std::string(VIGIL_BIN_DIR) + "/vigil detect --follow " + f.string() +
      " --format jsonl > " + out.string() + " & pid=$!; i=0; while [ $i -lt 300 ] && ! grep -q " +
      "9.9.9.9 " + out.string() + "; do sleep 0.1; i=$((i+1)); done; kill -TERM $pid; wait $pid'";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_THAT(ReadFile(out), ::testing::MatchesRegex(
                                 "\\{\"ip_address\":\"9\\.9\\.9\\.9\",\"window_start\":0,"
                                 "\"window_end\":60,\"count\":5,\"time\":[0-9]+,\"diff\":1\\}\n"));
}

}  // namespace
}  // namespace vigil
