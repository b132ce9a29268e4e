#include "actions/action_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "action_test_files.h"

namespace vigil::actions {
namespace {

using std::chrono::milliseconds;
using testing::Exists;
using testing::ProcessIsDead;
using testing::ReadFile;
using testing::ReadLines;
using testing::TempDir;
using testing::WaitUntil;
using testing::WriteScript;

ProcessRequest RequestFor(const std::string& script, milliseconds timeout = milliseconds(10000)) {
  ProcessRequest request;
  request.path = script;
  request.argv = {script};
  request.output = ActionOutput::kDiscard;
  request.deadline = std::chrono::steady_clock::now() + timeout;
  request.kill_grace = milliseconds(100);
  return request;
}

TEST(ActionProcessTest, PassesStdinArgvAndEnvironmentAsGiven) {
  TempDir dir;
  std::string script =
      WriteScript(dir, "action",
                  "cat > \"$OUT/stdin\"\n"
                  "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$OUT/args\"\n"
                  "printf '%s' \"$ONLY_VAR\" > \"$OUT/var\"\n"
                  "printf '%s' \"${HOME-unset}\" > \"$OUT/home\"");
  ProcessRequest request = RequestFor(script);
  request.argv = {script, "a b", "$(touch " + (dir / "x") + ")", "; touch " + (dir / "y")};
  request.environment = {"OUT=" + dir.path().string(), "ONLY_VAR=v a l", "PATH=/usr/bin:/bin"};
  request.stdin_bytes = "{\"rule\":\"brute_force\"}\n";
  ProcessResult result = RunActionProcess(request, nullptr);
  ASSERT_EQ(result.end, ProcessEnd::kExited) << DescribeProcessResult(result);
  EXPECT_EQ(result.exit_status, 0);
  EXPECT_EQ(ReadFile(dir / "stdin"), "{\"rule\":\"brute_force\"}\n");
  EXPECT_EQ(
      ReadLines(dir / "args"),
      (std::vector<std::string>{"a b", "$(touch " + (dir / "x") + ")", "; touch " + (dir / "y")}));
  EXPECT_EQ(ReadFile(dir / "var"), "v a l");
  // The environment is exactly the one given: HOME was not passed, so it is unset.
  EXPECT_EQ(ReadFile(dir / "home"), "unset");
  EXPECT_FALSE(Exists(dir / "x"));
  EXPECT_FALSE(Exists(dir / "y"));
}

TEST(ActionProcessTest, WritesLargeInputCompletely) {
  TempDir dir;
  std::string script = WriteScript(dir, "action", "wc -c > \"$OUT/count\"");
  ProcessRequest request = RequestFor(script);
  request.environment = {"OUT=" + dir.path().string(), "PATH=/usr/bin:/bin"};
  std::string input(1 << 20, 'j');  // Far more than a pipe holds: written as it is read.
  request.stdin_bytes = input;
  ProcessResult result = RunActionProcess(request, nullptr);
  ASSERT_EQ(result.end, ProcessEnd::kExited) << DescribeProcessResult(result);
  EXPECT_EQ(std::stoul(ReadFile(dir / "count")), input.size());
}

TEST(ActionProcessTest, ProgramThatNeverReadsItsInputDoesNotHang) {
  TempDir dir;
  std::string script = WriteScript(dir, "action", "exit 0");
  ProcessRequest request = RequestFor(script);
  std::string input(1 << 20, 'j');
  request.stdin_bytes = input;
  ProcessResult result = RunActionProcess(request, nullptr);
  // Vigil is not killed by SIGPIPE, and the run is a success.
  EXPECT_EQ(result.end, ProcessEnd::kExited) << DescribeProcessResult(result);
  EXPECT_EQ(result.exit_status, 0);
}

TEST(ActionProcessTest, ReportsExitStatusAndDeathBySignal) {
  TempDir dir;
  ProcessResult failed = RunActionProcess(RequestFor(WriteScript(dir, "fail", "exit 7")), nullptr);
  EXPECT_EQ(failed.end, ProcessEnd::kExited);
  EXPECT_EQ(failed.exit_status, 7);
  EXPECT_EQ(DescribeProcessResult(failed), "exited with status 7");
  ProcessResult killed =
      RunActionProcess(RequestFor(WriteScript(dir, "die", "kill -KILL $$")), nullptr);
  EXPECT_EQ(killed.end, ProcessEnd::kSignaled);
  EXPECT_EQ(killed.signal, SIGKILL);
}

TEST(ActionProcessTest, ReportsAProgramThatCannotStart) {
  TempDir dir;
  ProcessResult missing = RunActionProcess(RequestFor(dir / "no-such-action"), nullptr);
  EXPECT_EQ(missing.end, ProcessEnd::kSpawnFailed);
  EXPECT_NE(missing.error.find("No such file"), std::string::npos) << missing.error;
  std::string plain = dir / "plain";
  std::ofstream(plain) << "not a program\n";
  ProcessResult not_executable = RunActionProcess(RequestFor(plain), nullptr);
  EXPECT_EQ(not_executable.end, ProcessEnd::kSpawnFailed);
}

TEST(ActionProcessTest, TimeoutStopsTheActionAndEverythingItStarted) {
  TempDir dir;
  std::string script = WriteScript(dir, "hang",
                                   "sleep 30 &\n"
                                   "echo $! > \"$OUT/child\"\n"
                                   "wait");
  ProcessRequest request = RequestFor(script, milliseconds(300));
  request.environment = {"OUT=" + dir.path().string(), "PATH=/usr/bin:/bin"};
  ProcessResult result = RunActionProcess(request, nullptr);
  EXPECT_EQ(result.end, ProcessEnd::kTimedOut);
  ASSERT_TRUE(Exists(dir / "child"));
  pid_t child = static_cast<pid_t>(std::stol(ReadFile(dir / "child")));
  EXPECT_TRUE(WaitUntil([&] { return ProcessIsDead(child); })) << "pid " << child;
}

TEST(ActionProcessTest, ActionIgnoringSigtermIsKilledAfterTheGrace) {
  TempDir dir;
  // Ignoring TERM is inherited by the sleeps too: only SIGKILL ends them.
  std::string script = WriteScript(dir, "stubborn",
                                   "trap '' TERM\n"
                                   "sleep 30 &\n"
                                   "echo $! > \"$OUT/child\"\n"
                                   "while :; do sleep 1; done");
  ProcessRequest request = RequestFor(script, milliseconds(300));
  request.environment = {"OUT=" + dir.path().string(), "PATH=/usr/bin:/bin"};
  ProcessResult result = RunActionProcess(request, nullptr);
  EXPECT_EQ(result.end, ProcessEnd::kTimedOut);
  ASSERT_TRUE(Exists(dir / "child"));
  pid_t child = static_cast<pid_t>(std::stol(ReadFile(dir / "child")));
  EXPECT_TRUE(WaitUntil([&] { return ProcessIsDead(child); })) << "pid " << child;
}

TEST(ActionProcessTest, CloseRequestStopsARunningAction) {
  TempDir dir;
  std::string script = WriteScript(dir, "hang", "sleep 30");
  ProcessRequest request = RequestFor(script, milliseconds(60000));
  request.environment = {"PATH=/usr/bin:/bin"};
  CloseSignal close;
  close.Request(std::chrono::steady_clock::now() + milliseconds(100));
  ProcessResult result = RunActionProcess(request, &close);
  EXPECT_EQ(result.end, ProcessEnd::kStoppedAtClose);
}

TEST(ActionProcessTest, RunsInItsOwnProcessGroup) {
  TempDir dir;
  std::string script = WriteScript(dir, "group",
                                   "echo $$ > \"$OUT/pid\"\n"
                                   "cut -d' ' -f5 /proc/$$/stat > \"$OUT/pgid\"");
  ProcessRequest request = RequestFor(script);
  request.environment = {"OUT=" + dir.path().string(), "PATH=/usr/bin:/bin"};
  ProcessResult result = RunActionProcess(request, nullptr);
  ASSERT_EQ(result.end, ProcessEnd::kExited) << DescribeProcessResult(result);
  EXPECT_EQ(ReadFile(dir / "pid"), ReadFile(dir / "pgid"));
  EXPECT_NE(std::stol(ReadFile(dir / "pgid")), static_cast<long>(::getpgrp()));
}

TEST(ActionProcessTest, SignalsAreAtTheirDefaultsAndUnblocked) {
  TempDir dir;
  // The shell reads its own status with builtins only: while it waits for a child (grep,
  // say), dash blocks every signal for a moment, and a child reading /proc/$$/status could
  // catch it then.
  std::string script = WriteScript(dir, "signals",
                                   "while read -r line; do\n"
                                   "  case $line in SigBlk:*|SigIgn:*) echo \"$line\";; esac\n"
                                   "done < /proc/$$/status > \"$OUT/signals\"");
  ProcessRequest request = RequestFor(script);
  request.environment = {"OUT=" + dir.path().string(), "PATH=/usr/bin:/bin"};
  // As the CLI does: SIGPIPE ignored; and a signal blocked in the calling thread.
  struct sigaction ignore {
  }, old_action{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_action);
  sigset_t usr1, old_mask;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ::pthread_sigmask(SIG_BLOCK, &usr1, &old_mask);
  ProcessResult result = RunActionProcess(request, nullptr);
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  ::sigaction(SIGPIPE, &old_action, nullptr);
  ASSERT_EQ(result.end, ProcessEnd::kExited) << DescribeProcessResult(result);
  std::vector<std::string> lines = ReadLines(dir / "signals");
  ASSERT_EQ(lines.size(), 2u);
  // Masks of signals 1..31 (bit n-1 for signal n). Real-time signals 32 and 33 belong to
  // glibc (thread cancellation, setxid), which posix_spawn does not touch.
  auto standard_signals = [](const std::string& line) {
    return std::stoull(line.substr(line.find('\t') + 1), nullptr, 16) & 0x7fffffffULL;
  };
  EXPECT_TRUE(lines[0].starts_with("SigBlk:")) << lines[0];
  EXPECT_EQ(standard_signals(lines[0]), 0u) << lines[0];
  EXPECT_TRUE(lines[1].starts_with("SigIgn:")) << lines[1];
  EXPECT_EQ(standard_signals(lines[1]), 0u) << lines[1];
}

TEST(ActionProcessTest, OnlyStandardDescriptorsReachTheAction) {
  TempDir dir;
  std::string script = WriteScript(dir, "list-fds",
                                   "[ -e /proc/$$/fd/97 ] && echo leaked > \"$OUT/fds\"\n"
                                   "readlink /proc/$$/fd/0 >> \"$OUT/fds\"");
  ProcessRequest request = RequestFor(script);
  request.environment = {"OUT=" + dir.path().string(), "PATH=/usr/bin:/bin"};
  // A descriptor Vigil opened without O_CLOEXEC.
  int leaky = ::open(dir.path().c_str(), O_RDONLY);
  ASSERT_GE(leaky, 0);
  ASSERT_EQ(::dup2(leaky, 97), 97);
  ::close(leaky);
  ProcessResult result = RunActionProcess(request, nullptr);
  ::close(97);
  ASSERT_EQ(result.end, ProcessEnd::kExited) << DescribeProcessResult(result);
  std::string fds = ReadFile(dir / "fds");
  EXPECT_EQ(fds.find("leaked"), std::string::npos);
  EXPECT_TRUE(fds.starts_with("pipe:")) << fds;
}

TEST(ActionProcessTest, OutputGoesToStderrNeverToStdout) {
  TempDir dir;
  std::string script = WriteScript(dir, "talk",
                                   "echo to-stdout\n"
                                   "echo to-stderr >&2");
  ProcessRequest request = RequestFor(script);
  request.output = ActionOutput::kStderr;
  request.environment = {"PATH=/usr/bin:/bin"};
  // Vigil's stdout and stderr pointed at two files for the length of the run.
  std::string out_path = dir / "vigil-stdout", err_path = dir / "vigil-stderr";
  std::fflush(stdout);
  std::fflush(stderr);
  int saved_out = ::dup(1), saved_err = ::dup(2);
  int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(out, 1);
  ::dup2(err, 2);
  ProcessResult result = RunActionProcess(request, nullptr);
  request.output = ActionOutput::kDiscard;
  ProcessResult discarded = RunActionProcess(request, nullptr);
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  for (int fd : {out, err, saved_out, saved_err}) ::close(fd);
  ASSERT_EQ(result.end, ProcessEnd::kExited) << DescribeProcessResult(result);
  ASSERT_EQ(discarded.end, ProcessEnd::kExited) << DescribeProcessResult(discarded);
  EXPECT_EQ(ReadFile(out_path), "");
  EXPECT_EQ(ReadFile(err_path), "to-stdout\nto-stderr\n");
}

}  // namespace
}  // namespace vigil::actions
