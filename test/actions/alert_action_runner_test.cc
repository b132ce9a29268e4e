#include "actions/alert_action_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "action_test_files.h"
#include "actions/per_source_alerts.h"

namespace vigil::actions {
namespace {

using std::chrono::milliseconds;
using testing::Exists;
using testing::MakeAlert;
using testing::ProcessIsDead;
using testing::ReadFile;
using testing::ReadLines;
using testing::TempDir;
using testing::WaitUntil;
using testing::WriteScript;

/// Collects the runner's reports (they come from several threads).
class ProblemLog {
 public:
  std::function<void(const ActionProblem&)> Callback() {
    return [this](const ActionProblem& problem) {
      std::lock_guard lock(mutex_);
      problems_.push_back(problem);
    };
  }
  std::vector<ActionProblem> problems() const {
    std::lock_guard lock(mutex_);
    return problems_;
  }
  std::vector<ActionProblem> OfKind(ActionProblemKind kind) const {
    std::vector<ActionProblem> matching;
    for (const ActionProblem& problem : problems()) {
      if (problem.kind == kind) matching.push_back(problem);
    }
    return matching;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<ActionProblem> problems_;
};

ActionOptions OptionsFor(const std::string& program, ProblemLog& log) {
  ActionOptions options;
  options.argv = {program};
  options.cooldown = milliseconds(0);
  options.output = ActionOutput::kDiscard;
  options.timeout = milliseconds(10000);
  options.kill_grace = milliseconds(100);
  options.close_timeout = milliseconds(10000);
  options.on_problem = log.Callback();
  return options;
}

std::unique_ptr<AlertActionRunner> MakeRunner(ActionOptions options) {
  auto runner = AlertActionRunner::Make(std::move(options));
  EXPECT_TRUE(runner.ok()) << runner.status().ToString();
  return runner.ok() ? std::move(runner).value() : nullptr;
}

/// True when this process has no child left, reaped or not: no zombies.
bool HasNoChildren() {
  int status = 0;
  return ::waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD;
}

TEST(AlertActionRunnerTest, ActionGetsTheJsonOnStdinAndTheFieldsInItsEnvironment) {
  TempDir dir;
  ::setenv("ACTIONS_TEST_INHERITED", "from vigil", 1);
  std::string script = WriteScript(dir, "action",
                                   "cat > \"" + (dir / "stdin") +
                                       "\"\n"
                                       "env | grep -E '^(VIGIL_|ACTIONS_TEST_)' | sort > \"" +
                                       (dir / "env") + "\"");
  ProblemLog log;
  auto runner = MakeRunner(OptionsFor(script, log));
  ::unsetenv("ACTIONS_TEST_INHERITED");
  ASSERT_NE(runner, nullptr);
  ActionAlert alert = MakeAlert("success_after_failures", "2001:db8::7");
  alert.severity = "critical";
  alert.ips = {"2001:db8::7", "2001:db8::8"};
  alert.count = 9;
  // Usernames travel only in the JSON, escaped by the caller; they arrive byte for byte.
  alert.json = "{\"rule\":\"success_after_failures\",\"ip\":\"2001:db8::7\",\"users\":[\"$(touch " +
               (dir / "pwned") + ")\",\"a;b`c`\",\"\\u001b[31m\"]}";
  EXPECT_EQ(runner->Submit(alert), SubmitOutcome::kQueued);
  runner->Close();
  EXPECT_EQ(ReadFile(dir / "stdin"), alert.json + "\n");
  EXPECT_EQ(ReadLines(dir / "env"), (std::vector<std::string>{
                                        "ACTIONS_TEST_INHERITED=from vigil",
                                        "VIGIL_COUNT=9",
                                        "VIGIL_FIRST_SEEN=2024-03-29T23:18:03Z",
                                        "VIGIL_IP=2001:db8::7",
                                        "VIGIL_IPS=2001:db8::7 2001:db8::8",
                                        "VIGIL_IPS_COUNT=2",
                                        "VIGIL_IPS_TRUNCATED=0",
                                        "VIGIL_IP_FAMILY=ipv6",
                                        "VIGIL_LAST_SEEN=2024-03-29T23:18:41Z",
                                        "VIGIL_RULE=success_after_failures",
                                        "VIGIL_SEVERITY=critical",
                                        "VIGIL_WINDOW_END=2024-03-29T23:19:00Z",
                                        "VIGIL_WINDOW_START=2024-03-29T23:18:00Z",
                                    }));
  EXPECT_FALSE(Exists(dir / "pwned"));
  ActionCounters counters = runner->counters();
  EXPECT_EQ(counters.run, 1u);
  EXPECT_EQ(counters.succeeded, 1u);
  EXPECT_TRUE(log.problems().empty());
}

TEST(AlertActionRunnerTest, ArgumentsAreNeverInterpretedByAShell) {
  TempDir dir;
  std::string script =
      WriteScript(dir, "action",
                  "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"" + (dir / "args") + "\"");
  std::vector<std::string> arguments = {"$(touch " + (dir / "x") + ")",
                                        "a; touch " + (dir / "y"),
                                        "`touch " + (dir / "z") + "`",
                                        "two words",
                                        "*",
                                        "'quoted' \"too\"",
                                        "| cat",
                                        "$VIGIL_IP"};
  ProblemLog log;
  ActionOptions options = OptionsFor(script, log);
  options.argv.insert(options.argv.end(), arguments.begin(), arguments.end());
  auto runner = MakeRunner(std::move(options));
  ASSERT_NE(runner, nullptr);
  EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "1.2.3.4")), SubmitOutcome::kQueued);
  runner->Close();
  EXPECT_EQ(ReadLines(dir / "args"), arguments);
  EXPECT_FALSE(Exists(dir / "x"));
  EXPECT_FALSE(Exists(dir / "y"));
  EXPECT_FALSE(Exists(dir / "z"));
}

TEST(AlertActionRunnerTest, BareProgramNameIsFoundInPath) {
  ProblemLog log;
  auto runner = MakeRunner(OptionsFor("true", log));
  ASSERT_NE(runner, nullptr);
  EXPECT_TRUE(runner->program_path().ends_with("/true"));
  EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "1.2.3.4")), SubmitOutcome::kQueued);
  runner->Close();
  EXPECT_EQ(runner->counters().succeeded, 1u);
}

TEST(AlertActionRunnerTest, CooldownIsPerRuleAndKey) {
  TempDir dir;
  std::string script =
      WriteScript(dir, "action", "echo \"$VIGIL_RULE $VIGIL_IP\" >> \"" + (dir / "runs") + "\"");
  ProblemLog log;
  ActionOptions options = OptionsFor(script, log);
  options.cooldown = std::chrono::minutes(10);
  options.max_concurrent = 1;  // One writer to the log file, in submission order.
  auto runner = MakeRunner(std::move(options));
  ASSERT_NE(runner, nullptr);
  EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "1.2.3.4")), SubmitOutcome::kQueued);
  EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "1.2.3.4")), SubmitOutcome::kSuppressed);
  EXPECT_EQ(runner->Submit(MakeAlert("spraying", "1.2.3.4")), SubmitOutcome::kQueued);
  EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "1.2.3.5")), SubmitOutcome::kQueued);
  EXPECT_EQ(runner->Submit(MakeAlert("spraying", "1.2.3.4")), SubmitOutcome::kSuppressed);
  runner->Close();
  EXPECT_EQ(
      ReadLines(dir / "runs"),
      (std::vector<std::string>{"brute_force 1.2.3.4", "spraying 1.2.3.4", "brute_force 1.2.3.5"}));
  ActionCounters counters = runner->counters();
  EXPECT_EQ(counters.submitted, 5u);
  EXPECT_EQ(counters.queued, 3u);
  EXPECT_EQ(counters.suppressed, 2u);
  EXPECT_EQ(counters.succeeded, 3u);
}

TEST(AlertActionRunnerTest, ZeroCooldownRunsTheActionForEveryAlert) {
  TempDir dir;
  std::string script = WriteScript(dir, "action", "echo run >> \"" + (dir / "runs") + "\"");
  ProblemLog log;
  ActionOptions options = OptionsFor(script, log);
  options.max_concurrent = 1;
  auto runner = MakeRunner(std::move(options));
  ASSERT_NE(runner, nullptr);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "1.2.3.4")), SubmitOutcome::kQueued);
  }
  runner->Close();
  EXPECT_EQ(ReadLines(dir / "runs").size(), 3u);
}

TEST(AlertActionRunnerTest, CooldownEndsAfterItsDuration) {
  ProblemLog log;
  ActionOptions options = OptionsFor("true", log);
  options.cooldown = milliseconds(100);
  auto runner = MakeRunner(std::move(options));
  ASSERT_NE(runner, nullptr);
  EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "1.2.3.4")), SubmitOutcome::kQueued);
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "1.2.3.4")), SubmitOutcome::kQueued);
  runner->Close();
  EXPECT_EQ(runner->counters().succeeded, 2u);
}

TEST(AlertActionRunnerTest, ConcurrentSubmitsRunEachKeyOnce) {
  TempDir dir;
  std::string script =
      WriteScript(dir, "action", "echo \"$VIGIL_IP\" >> \"" + (dir / "runs") + "\"");
  ProblemLog log;
  ActionOptions options = OptionsFor(script, log);
  options.cooldown = std::chrono::minutes(10);
  options.max_concurrent = 4;
  options.queue_capacity = 1000;
  auto runner = MakeRunner(std::move(options));
  ASSERT_NE(runner, nullptr);
  // Four detection threads raise alerts for the same 40 keys: the cooldown check and its
  // record are one step, so each key runs exactly once whichever thread wins.
  constexpr int kThreads = 4;
  constexpr int kKeys = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&runner] {
      for (int k = 0; k < kKeys; ++k)
        runner->Submit(MakeAlert("brute_force", "10.9.0." + std::to_string(k)));
    });
  }
  for (std::thread& thread : threads) thread.join();
  runner->Close();
  ActionCounters counters = runner->counters();
  EXPECT_EQ(counters.submitted, static_cast<uint64_t>(kThreads * kKeys));
  EXPECT_EQ(counters.queued, static_cast<uint64_t>(kKeys));
  EXPECT_EQ(counters.suppressed, static_cast<uint64_t>((kThreads - 1) * kKeys));
  EXPECT_EQ(counters.succeeded, static_cast<uint64_t>(kKeys));
  std::vector<std::string> runs = ReadLines(dir / "runs");
  std::sort(runs.begin(), runs.end());
  EXPECT_EQ(runs.size(), static_cast<std::size_t>(kKeys));
  EXPECT_EQ(std::unique(runs.begin(), runs.end()), runs.end());
  EXPECT_TRUE(log.problems().empty());
}

TEST(AlertActionRunnerTest, FullQueueDropsAlertsWithoutWaitingForTheAction) {
  TempDir dir;
  std::string script = WriteScript(dir, "slow", "sleep 5; touch \"" + (dir / "done") + "\"");
  ProblemLog log;
  ActionOptions options = OptionsFor(script, log);
  options.max_concurrent = 1;
  options.queue_capacity = 2;
  options.close_timeout = milliseconds(0);
  auto runner = MakeRunner(std::move(options));
  ASSERT_NE(runner, nullptr);
  std::map<SubmitOutcome, int> outcomes;
  for (int i = 0; i < 10; ++i) {
    ++outcomes[runner->Submit(MakeAlert("brute_force", "10.0.0." + std::to_string(i)))];
  }
  // Every Submit returned while the first action was still sleeping.
  EXPECT_FALSE(Exists(dir / "done"));
  // At most one running and two waiting; the rest dropped.
  EXPECT_GE(outcomes[SubmitOutcome::kDropped], 7);
  EXPECT_EQ(outcomes[SubmitOutcome::kQueued] + outcomes[SubmitOutcome::kDropped], 10);
  std::vector<ActionProblem> drops = log.OfKind(ActionProblemKind::kDropped);
  ASSERT_EQ(drops.size(), static_cast<std::size_t>(outcomes[SubmitOutcome::kDropped]));
  EXPECT_NE(drops.back().message.find("queue is full"), std::string::npos);
  EXPECT_EQ(drops.back().rule, "brute_force");
  runner->Close();  // Bound 0: the queued are abandoned, the running one stopped.
  ActionCounters counters = runner->counters();
  EXPECT_EQ(counters.dropped, static_cast<uint64_t>(outcomes[SubmitOutcome::kDropped]));
  EXPECT_EQ(counters.run + counters.abandoned, counters.queued);
  EXPECT_EQ(counters.timed_out, counters.run);
  EXPECT_FALSE(Exists(dir / "done"));
  EXPECT_TRUE(HasNoChildren());
}

TEST(AlertActionRunnerTest, TimeoutStopsAHangingActionAndItsChildren) {
  TempDir dir;
  std::string script = WriteScript(dir, "hang",
                                   "sleep 30 &\n"
                                   "echo $! > \"" +
                                       (dir / "child") +
                                       "\"\n"
                                       "wait");
  ProblemLog log;
  ActionOptions options = OptionsFor(script, log);
  options.timeout = milliseconds(300);
  auto runner = MakeRunner(std::move(options));
  ASSERT_NE(runner, nullptr);
  EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "198.51.100.4")), SubmitOutcome::kQueued);
  runner->Close();  // Waits for the run, which the timeout ends.
  ActionCounters counters = runner->counters();
  EXPECT_EQ(counters.run, 1u);
  EXPECT_EQ(counters.timed_out, 1u);
  std::vector<ActionProblem> timeouts = log.OfKind(ActionProblemKind::kTimedOut);
  ASSERT_EQ(timeouts.size(), 1u);
  EXPECT_EQ(timeouts[0].rule, "brute_force");
  EXPECT_EQ(timeouts[0].key, "198.51.100.4");
  EXPECT_NE(timeouts[0].message.find("300 ms"), std::string::npos) << timeouts[0].message;
  EXPECT_NE(timeouts[0].message.find("198.51.100.4"), std::string::npos);
  ASSERT_TRUE(Exists(dir / "child"));
  pid_t child = static_cast<pid_t>(std::stol(ReadFile(dir / "child")));
  EXPECT_TRUE(WaitUntil([&] { return ProcessIsDead(child); })) << "pid " << child;
  EXPECT_TRUE(HasNoChildren());
}

TEST(AlertActionRunnerTest, FailingActionIsReportedWithRuleAndKeyAndNotRetried) {
  TempDir dir;
  std::string script = WriteScript(dir, "fail", "echo x >> \"" + (dir / "runs") + "\"; exit 7");
  ProblemLog log;
  auto runner = MakeRunner(OptionsFor(script, log));
  ASSERT_NE(runner, nullptr);
  EXPECT_EQ(runner->Submit(MakeAlert("spraying", "192.0.2.55")), SubmitOutcome::kQueued);
  runner->Close();
  EXPECT_EQ(ReadLines(dir / "runs").size(), 1u);
  ActionCounters counters = runner->counters();
  EXPECT_EQ(counters.run, 1u);
  EXPECT_EQ(counters.failed, 1u);
  std::vector<ActionProblem> failures = log.OfKind(ActionProblemKind::kFailed);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0].message.find("status 7"), std::string::npos) << failures[0].message;
  EXPECT_NE(failures[0].message.find("spraying"), std::string::npos);
  EXPECT_NE(failures[0].message.find("192.0.2.55"), std::string::npos);
}

TEST(AlertActionRunnerTest, UnknownProgramIsAnErrorAtStartup) {
  ProblemLog log;
  auto bare = AlertActionRunner::Make(OptionsFor("vigil-no-such-action-program", log));
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.status().code(), StatusCode::kNotFound);
  auto path = AlertActionRunner::Make(OptionsFor("/nonexistent/ban.sh", log));
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.status().code(), StatusCode::kNotFound);
  ActionOptions empty = OptionsFor("true", log);
  empty.argv.clear();
  EXPECT_FALSE(AlertActionRunner::Make(empty).ok());
  ActionOptions nul = OptionsFor("true", log);
  nul.argv.push_back(std::string("a\0b", 3));
  EXPECT_FALSE(AlertActionRunner::Make(nul).ok());
}

TEST(AlertActionRunnerTest, OutOfRangeOptionsAreErrors) {
  ProblemLog log;
  std::vector<std::function<void(ActionOptions&)>> breakages = {
      [](ActionOptions& o) { o.max_concurrent = 0; },
      [](ActionOptions& o) { o.max_concurrent = 1000; },
      [](ActionOptions& o) { o.queue_capacity = 0; },
      [](ActionOptions& o) { o.timeout = milliseconds(0); },
      [](ActionOptions& o) { o.timeout = milliseconds::max(); },
      [](ActionOptions& o) { o.cooldown = milliseconds(-1); },
      [](ActionOptions& o) { o.cooldown = milliseconds::max(); },
      [](ActionOptions& o) { o.kill_grace = milliseconds(-1); },
      [](ActionOptions& o) { o.close_timeout = milliseconds::max(); },
      [](ActionOptions& o) { o.max_alert_bytes = 0; },
      [](ActionOptions& o) { o.max_cooldown_keys = 0; },
  };
  for (std::size_t i = 0; i < breakages.size(); ++i) {
    ActionOptions options = OptionsFor("true", log);
    breakages[i](options);
    auto runner = AlertActionRunner::Make(std::move(options));
    ASSERT_FALSE(runner.ok()) << "breakage " << i;
    EXPECT_EQ(runner.status().code(), StatusCode::kInvalidArgument) << "breakage " << i;
  }
  EXPECT_TRUE(AlertActionRunner::Make(OptionsFor("true", log)).ok());
}

TEST(AlertActionRunnerTest, ProgramGoneAfterStartupIsReportedAsSpawnFailure) {
  TempDir dir;
  std::string script = WriteScript(dir, "action", "exit 0");
  ProblemLog log;
  auto runner = MakeRunner(OptionsFor(script, log));
  ASSERT_NE(runner, nullptr);
  std::filesystem::remove(script);
  EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "1.2.3.4")), SubmitOutcome::kQueued);
  runner->Close();
  EXPECT_EQ(runner->counters().failed, 1u);
  std::vector<ActionProblem> spawn = log.OfKind(ActionProblemKind::kSpawnFailed);
  ASSERT_EQ(spawn.size(), 1u);
  EXPECT_NE(spawn[0].message.find("could not be started"), std::string::npos);
  EXPECT_NE(spawn[0].message.find("1.2.3.4"), std::string::npos);
}

TEST(AlertActionRunnerTest, InvalidAddressesNeverReachTheAction) {
  TempDir dir;
  std::string script = WriteScript(dir, "action", "touch \"" + (dir / "ran") + "\"");
  ProblemLog log;
  auto runner = MakeRunner(OptionsFor(script, log));
  ASSERT_NE(runner, nullptr);
  std::vector<std::string> keys = {"1.2.3.4; rm -rf /",
                                   "$(id)",
                                   "`id`",
                                   "\x1b[31m1.2.3.4\x1b[0m",
                                   std::string(5000, '1'),
                                   "1.2.3.4\nVIGIL_IP=5.6.7.8",
                                   "",
                                   "fe80::1%eth0",
                                   "attacker.example.com"};
  for (const std::string& key : keys) {
    EXPECT_EQ(runner->Submit(MakeAlert("brute_force", key)), SubmitOutcome::kRejected);
  }
  // A valid key with a bad entry among the counted addresses is rejected too.
  ActionAlert bad_ips = MakeAlert("distributed", "10.0.0.0/8");
  bad_ips.ips = {"10.0.0.1", "10.0.0.2 && reboot"};
  EXPECT_EQ(runner->Submit(bad_ips), SubmitOutcome::kRejected);
  runner->Close();
  EXPECT_FALSE(Exists(dir / "ran"));
  ActionCounters counters = runner->counters();
  EXPECT_EQ(counters.rejected, keys.size() + 1);
  EXPECT_EQ(counters.run, 0u);
  std::vector<ActionProblem> rejections = log.OfKind(ActionProblemKind::kRejected);
  ASSERT_EQ(rejections.size(), keys.size() + 1);
  for (const ActionProblem& problem : rejections) {
    EXPECT_NE(problem.message.find("not run"), std::string::npos);
    EXPECT_EQ(problem.message.find('\x1b'), std::string::npos) << problem.message;
    EXPECT_EQ(problem.message.find('\n'), std::string::npos) << problem.message;
    EXPECT_LT(problem.message.size(), 1000u);
  }
}

TEST(AlertActionRunnerTest, CampaignAlertRunsTheActionOncePerSourceAddress) {
  TempDir dir;
  std::string script = WriteScript(
      dir, "action", "echo \"$VIGIL_RULE $VIGIL_IP $VIGIL_IPS\" >> \"" + (dir / "runs") + "\"");
  ProblemLog log;
  ActionOptions options = OptionsFor(script, log);
  options.cooldown = std::chrono::minutes(10);
  options.max_concurrent = 1;
  auto runner = MakeRunner(std::move(options));
  ASSERT_NE(runner, nullptr);
  ActionAlert campaign = MakeAlert("distributed", "root@web1");
  campaign.ips = {"192.0.2.1", "192.0.2.2"};
  auto submit = [&](const ActionAlert& one) { runner->Submit(one); };
  ForEachSourceAlert(campaign, submit);
  // The campaign grows: only the new source runs the action again.
  campaign.ips = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
  ForEachSourceAlert(campaign, submit);
  runner->Close();
  EXPECT_EQ(ReadLines(dir / "runs"), (std::vector<std::string>{"distributed 192.0.2.1 192.0.2.1",
                                                               "distributed 192.0.2.2 192.0.2.2",
                                                               "distributed 192.0.2.3 192.0.2.3"}));
  EXPECT_EQ(runner->counters().suppressed, 2u);
  EXPECT_TRUE(log.problems().empty());
}

TEST(AlertActionRunnerTest, ReportsAreRateLimitedButCountersAreExact) {
  ProblemLog log;
  auto runner = MakeRunner(OptionsFor("true", log));
  ASSERT_NE(runner, nullptr);
  for (int i = 0; i < 100; ++i) runner->Submit(MakeAlert("brute_force", "not-an-ip"));
  runner->Close();
  EXPECT_EQ(runner->counters().rejected, 100u);
  // The 1st to 10th, then the 16th, 32nd and 64th.
  EXPECT_EQ(log.OfKind(ActionProblemKind::kRejected).size(), 13u);
}

TEST(AlertActionRunnerTest, CloseStopsEverythingWithinItsBoundAndLeavesNoZombies) {
  TempDir dir;
  std::string script = WriteScript(dir, "hang", "sleep 30");
  ProblemLog log;
  ActionOptions options = OptionsFor(script, log);
  options.max_concurrent = 2;
  options.close_timeout = milliseconds(200);
  auto runner = MakeRunner(std::move(options));
  ASSERT_NE(runner, nullptr);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "10.1.1." + std::to_string(i))),
              SubmitOutcome::kQueued);
  }
  // Both workers have an action running before the close starts.
  ASSERT_TRUE(WaitUntil([&] { return runner->counters().run == 2; }));
  runner->Close();
  ActionCounters counters = runner->counters();
  EXPECT_EQ(counters.run, 2u);
  EXPECT_EQ(counters.timed_out, 2u);
  EXPECT_EQ(counters.abandoned, 3u);
  ASSERT_EQ(log.OfKind(ActionProblemKind::kAbandoned).size(), 1u);
  EXPECT_TRUE(HasNoChildren());
  EXPECT_EQ(runner->Submit(MakeAlert("brute_force", "10.1.1.9")), SubmitOutcome::kClosed);
  EXPECT_EQ(runner->counters().closed, 1u);
}

TEST(AlertActionRunnerTest, DestructorClosesTheRunner) {
  TempDir dir;
  std::string script = WriteScript(dir, "hang", "sleep 30");
  ProblemLog log;
  ActionOptions options = OptionsFor(script, log);
  options.close_timeout = milliseconds(0);
  options.kill_grace = milliseconds(0);
  {
    auto runner = MakeRunner(std::move(options));
    ASSERT_NE(runner, nullptr);
    runner->Submit(MakeAlert("brute_force", "10.2.2.2"));
    ASSERT_TRUE(WaitUntil([&] { return runner->counters().run == 1; }));
  }
  EXPECT_TRUE(HasNoChildren());
}

TEST(AlertActionRunnerTest, SummaryNamesEveryCounter) {
  ActionCounters counters;
  counters.run = 3;
  counters.succeeded = 1;
  counters.failed = 1;
  counters.timed_out = 1;
  counters.suppressed = 4;
  counters.rejected = 5;
  counters.dropped = 6;
  counters.abandoned = 7;
  EXPECT_EQ(counters.Summary(),
            "actions: 3 run (1 succeeded, 1 failed, 1 timed out), 4 suppressed by cooldown, "
            "5 rejected (invalid alert), 6 dropped (queue full), 7 abandoned at close");
}

}  // namespace
}  // namespace vigil::actions
