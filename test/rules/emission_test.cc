// Live emission of the windowed rules: --emit final gives each alert once, when its window
// closes; --emit updates gives it as soon as it reaches the threshold, then as it grows.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/alert_schema.h"
#include "rules_test_events.h"

namespace vigil::rules::test {
namespace {

/// Six failures of one source in the minute [0, 60), one per commit, then an event of another
/// source at 200 s (moving "now" past the window's end + cutoff) in the last commit.
Table SixFailuresThenLater(const RulesConfig& config, const DetectionOptions& options) {
  std::vector<TestEvent> events;
  std::vector<int> commits;
  for (int i = 0; i < 6; ++i) {
    events.push_back(Failure(10 + i, "203.0.113.5"));
    commits.push_back(i);
  }
  events.push_back(Failure(200, "192.0.2.1"));
  commits.push_back(6);
  return BuildDetection(EventsTable(events, commits), config, options);
}

RulesConfig BruteForceOnly() {
  RulesConfig config = DefaultRulesConfig();
  config.slow_brute_force.enabled = config.spraying.enabled = config.distributed.enabled =
      config.success_after_failures.enabled = config.scan.enabled = false;
  return config;
}

/// (commit time, diff, count) of every update of the alerts table.
std::vector<std::tuple<Time, int64_t, int64_t>> Stream(const Table& alerts) {
  auto captured = debug::Capture(alerts, QuietRun());
  EXPECT_TRUE(captured.ok()) << captured.status().ToString();
  std::vector<std::tuple<Time, int64_t, int64_t>> out;
  if (!captured.ok()) return out;
  for (const Update& u : captured->updates) {
    out.emplace_back(u.time, u.diff, u.row[alert_columns::kCount].get().as_int());
  }
  return out;
}

TEST(Emission, FinalGivesEachAlertOnceWhenItsWindowCloses) {
  const auto stream = Stream(SixFailuresThenLater(BruteForceOnly(), {EmitMode::kFinal, 60}));
  // Window [0, 60) closes when "now" reaches 60 + 60 s: the commit of the event at 200 s
  // (commit 6, processing time 14).
  using Row = std::tuple<Time, int64_t, int64_t>;
  EXPECT_EQ(stream, (std::vector<Row>{Row{14, 1, 6}}));
}

TEST(Emission, UpdatesGivesTheAlertAsItGrows) {
  const auto stream = Stream(SixFailuresThenLater(BruteForceOnly(), {EmitMode::kUpdates, 60}));
  // The fifth failure (commit 4, time 10) reaches the threshold; the sixth grows it.
  using Row = std::tuple<Time, int64_t, int64_t>;
  EXPECT_EQ(stream, (std::vector<Row>{Row{10, 1, 5}, Row{12, -1, 5}, Row{12, 1, 6}}));
}

TEST(Emission, UpdatesEmitLongWindowsOnceWhenTheyClose) {
  // 12 failures, one every 5 minutes: slow_brute_force's hour
  // window reaches 10 long before it closes; under --emit updates it still comes once, at
  // its close, with its final count.
  RulesConfig config = DefaultRulesConfig();
  config.brute_force.enabled = config.spraying.enabled = config.distributed.enabled =
      config.success_after_failures.enabled = config.scan.enabled = false;
  config.slow_brute_force.windows = {{3600, 10}};
  std::vector<TestEvent> events;
  std::vector<int> commits;
  for (int i = 0; i < 12; ++i) {
    events.push_back(Failure(i * 300, "203.0.113.8"));
    commits.push_back(i);
  }
  events.push_back(Failure(3600 + 61, "192.0.2.1"));  // moves "now" past end + cutoff
  commits.push_back(12);
  const auto stream = Stream(BuildDetection(EventsTable(events, commits), config,
                                            {EmitMode::kUpdates, 60}));
  using Row = std::tuple<Time, int64_t, int64_t>;
  EXPECT_EQ(stream, (std::vector<Row>{Row{26, 1, 12}}));
}

TEST(Emission, LateRowsBeyondTheCutoffAreIgnoredLive) {
  // After "now" reached 200 s, a failure at 30 s (window [0, 60) ended 170 s ago, more than
  // the 60 s cutoff) no longer counts; a static run counts it.
  std::vector<TestEvent> events;
  std::vector<int> commits;
  for (int i = 0; i < 4; ++i) {
    events.push_back(Failure(10 + i, "203.0.113.5"));
    commits.push_back(0);
  }
  events.push_back(Failure(200, "192.0.2.1"));
  commits.push_back(1);
  events.push_back(Failure(30, "203.0.113.5"));
  commits.push_back(2);
  const RulesConfig config = BruteForceOnly();
  const DetectionOptions live{EmitMode::kFinal, 60};
  EXPECT_TRUE(
      CollectAlerts(BuildDetection(EventsTable(events, commits), config, live), config, live)
          .empty());
  EXPECT_EQ(Detect(events, config).size(), 1u);
}

}  // namespace
}  // namespace vigil::rules::test
