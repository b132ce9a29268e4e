// success_after_failures: a successful login from a source with enough failures before it,
// raised in the commit that brings the success, once per success.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/alert_schema.h"
#include "rules_test_events.h"

namespace vigil::rules::test {
namespace {

std::vector<TestEvent> FailuresThenSuccess(int failures, int64_t success_second) {
  std::vector<TestEvent> events;
  for (int i = 0; i < failures; ++i) {
    events.push_back(Failure(100 + i * 30, "203.0.113.66", "admin"));
  }
  events.push_back(Success(success_second, "203.0.113.66", "admin"));
  return events;
}

TEST(SuccessAfterFailures, RaisedAfterEnoughFailures) {
  const auto alerts = OfRule(Detect(FailuresThenSuccess(5, 400)), "success_after_failures");
  ASSERT_EQ(alerts.size(), 1u) << Describe(alerts);
  const Alert& a = alerts[0];
  EXPECT_EQ(a.severity, "critical");
  EXPECT_EQ(a.ip, "203.0.113.66");
  EXPECT_EQ(a.count, 5);
  EXPECT_EQ(a.users, std::vector<std::string>({"admin"}));
  EXPECT_EQ(a.ips, std::vector<std::string>({"203.0.113.66"}));
  EXPECT_EQ(a.first_seen_ns, Ns(100));
  EXPECT_EQ(a.last_seen_ns, Ns(400));
  EXPECT_EQ(a.window_end_ns, Ns(400));
  EXPECT_EQ(a.window_start_ns, Ns(400 - 3600));
}

TEST(SuccessAfterFailures, NotRaisedBelowTheThreshold) {
  EXPECT_TRUE(OfRule(Detect(FailuresThenSuccess(4, 400)), "success_after_failures").empty());
}

TEST(SuccessAfterFailures, OtherUsersFailuresCountOnlyWithoutSameUser) {
  // An office NAT: five people mistype once each, then one logs in.
  std::vector<TestEvent> events;
  const char* users[] = {"ann", "bob", "cat", "dan", "eve"};
  for (int i = 0; i < 5; ++i) events.push_back(Failure(100 + i * 60, "198.51.100.50", users[i]));
  events.push_back(Success(500, "198.51.100.50", "eve"));
  EXPECT_TRUE(OfRule(Detect(events), "success_after_failures").empty());
  RulesConfig config = TestRules();
  config.success_after_failures.same_user = false;
  const auto alerts = OfRule(Detect(events, config), "success_after_failures");
  ASSERT_EQ(alerts.size(), 1u) << Describe(alerts);
  EXPECT_EQ(alerts[0].count, 5);
  EXPECT_EQ(alerts[0].user_count, 5);
}

TEST(SuccessAfterFailures, FailuresAfterTheSuccessDoNotCount) {
  std::vector<TestEvent> events = {Success(50, "203.0.113.66", "alice")};
  for (int i = 0; i < 8; ++i) events.push_back(Failure(60 + i, "203.0.113.66", "alice"));
  EXPECT_TRUE(OfRule(Detect(events), "success_after_failures").empty());
}

TEST(SuccessAfterFailures, FailuresBeforeTheLookbackDoNotCount) {
  // Five failures at 100..220, success 3600 s after the third: only two are in the lookback.
  EXPECT_TRUE(OfRule(Detect(FailuresThenSuccess(5, 160 + 3601)), "success_after_failures").empty());
  // At exactly one lookback after the first failure all five count.
  EXPECT_EQ(OfRule(Detect(FailuresThenSuccess(5, 100 + 3600)), "success_after_failures").size(),
            1u);
}

TEST(SuccessAfterFailures, OnlyFailuresOfEarlierSecondsCount) {
  // The login's own second cannot tell before from after (syslog stamps whole seconds), and a
  // live run gives the alert when the login is read: same-second failures never count, so
  // the alert is the same however the log is cut into commits.
  std::vector<TestEvent> events;
  for (int i = 0; i < 5; ++i) events.push_back(Failure(69, "192.0.2.99", "alice"));
  events.push_back(Success(70, "192.0.2.99", "alice"));
  EXPECT_EQ(OfRule(Detect(events), "success_after_failures").size(), 1u);
  std::vector<TestEvent> same_second;
  for (int i = 0; i < 5; ++i) same_second.push_back(Failure(70, "192.0.2.99", "alice"));
  same_second.push_back(Success(70, "192.0.2.99", "alice"));
  EXPECT_TRUE(OfRule(Detect(same_second), "success_after_failures").empty());
}

TEST(SuccessAfterFailures, EachSuccessIsOneAlert) {
  std::vector<TestEvent> events = FailuresThenSuccess(6, 400);
  events.push_back(Success(500, "203.0.113.66", "admin"));
  const auto alerts = OfRule(Detect(events), "success_after_failures");
  ASSERT_EQ(alerts.size(), 2u) << Describe(alerts);
  EXPECT_EQ(alerts[0].last_seen_ns, Ns(400));
  EXPECT_EQ(alerts[1].last_seen_ns, Ns(500));
}

TEST(SuccessAfterFailures, Ipv6SuccessFromAnotherAddressOfThePrefix) {
  std::vector<TestEvent> events;
  for (int i = 1; i <= 5; ++i) events.push_back(Failure(i * 10, fmt::format("2001:db8:9:9::{}", i)));
  events.push_back(Success(100, "2001:db8:9:9::abcd", "root"));
  const auto alerts = OfRule(Detect(events), "success_after_failures");
  ASSERT_EQ(alerts.size(), 1u) << Describe(alerts);
  EXPECT_EQ(alerts[0].ip, "2001:db8:9:9::/64");
  EXPECT_EQ(alerts[0].ips.size(), 6u);  // the five failing addresses and the accepted one
}

/// The alerts table's update stream, live (--emit final), with the failures in commit 0, the
/// success in commit `success_commit` and later failures after it.
Result<debug::Captured> LiveStream(int success_commit) {
  std::vector<TestEvent> events;
  std::vector<int> commits;
  for (int i = 0; i < 5; ++i) {
    events.push_back(Failure(100 + i, "203.0.113.66"));
    commits.push_back(0);
  }
  events.push_back(Success(200, "203.0.113.66", "root"));
  commits.push_back(success_commit);
  // A late failure (timestamp before the success) arriving after it, then later ones.
  events.push_back(Failure(150, "203.0.113.66"));
  commits.push_back(success_commit + 1);
  for (int i = 0; i < 5; ++i) {
    events.push_back(Failure(300 + i, "203.0.113.66"));
    commits.push_back(success_commit + 2);
  }
  RulesConfig config = TestRules();
  config.brute_force.enabled = config.slow_brute_force.enabled = config.spraying.enabled =
      config.distributed.enabled = config.scan.enabled = false;
  const Table alerts = BuildDetection(EventsTable(events, commits), config,
                                      {EmitMode::kFinal, /*cutoff_seconds=*/60});
  return debug::Capture(alerts, QuietRun());
}

TEST(SuccessAfterFailures, RaisedInTheCommitOfTheSuccess) {
  for (int success_commit : {1, 3}) {
    auto captured = LiveStream(success_commit);
    ASSERT_TRUE(captured.ok()) << captured.status().ToString();
    ASSERT_FALSE(captured->updates.empty());
    const Update& first = captured->updates.front();
    EXPECT_EQ(first.time, static_cast<Time>(2 * (success_commit + 1)));
    EXPECT_EQ(first.diff, 1);
    EXPECT_EQ(first.row[alert_columns::kCount].get().as_int(), 5);
  }
}

TEST(SuccessAfterFailures, DeliveredOnceUnderEmitFinal) {
  std::vector<TestEvent> events;
  std::vector<int> commits;
  for (int i = 0; i < 5; ++i) {
    events.push_back(Failure(100 + i, "203.0.113.66"));
    commits.push_back(i);
  }
  events.push_back(Success(200, "203.0.113.66", "root"));
  commits.push_back(5);
  events.push_back(Failure(150, "203.0.113.66"));  // late: the table's count grows to 6
  commits.push_back(6);
  RulesConfig config = TestRules();
  const DetectionOptions final_mode{EmitMode::kFinal, 60};
  size_t deliveries = 0;
  const auto alerts = CollectAlerts(BuildDetection(EventsTable(events, commits), config,
                                                   final_mode),
                                    config, final_mode, &deliveries);
  const auto critical = OfRule(alerts, "success_after_failures");
  ASSERT_EQ(critical.size(), 1u) << Describe(alerts);
  EXPECT_EQ(critical[0].count, 5);  // as it was when the success arrived
  // Under --emit updates the growth is delivered too.
  const DetectionOptions updates_mode{EmitMode::kUpdates, 60};
  const auto updates = OfRule(
      CollectAlerts(BuildDetection(EventsTable(events, commits), config, updates_mode), config,
                    updates_mode),
      "success_after_failures");
  ASSERT_EQ(updates.size(), 2u) << Describe(updates);
  EXPECT_EQ(updates[0].count, 5);
  EXPECT_EQ(updates[1].count, 6);
}

TEST(SuccessAfterFailures, LongLiveRunDeliversEachSuccessOnce) {
  // 1,100 logins a minute apart, each after five failures, over 18 hours: failures and
  // successes are forgotten (retracted from the table) after lookback + cutoff, and the
  // subscription prunes the ids it remembers; every login is still delivered exactly once
  // under --emit final, and nothing is retracted.
  std::vector<TestEvent> events;
  std::vector<int> commits;
  constexpr int kLogins = 1100;
  for (int i = 0; i < kLogins; ++i) {
    for (int k = 0; k < 5; ++k) {
      events.push_back(Failure(i * 60 + k, "203.0.113.70", "root"));
      commits.push_back(i);
    }
    events.push_back(Success(i * 60 + 30, "203.0.113.70", "root"));
    commits.push_back(i);
  }
  RulesConfig config = TestRules();
  config.brute_force.enabled = config.slow_brute_force.enabled = config.spraying.enabled =
      config.distributed.enabled = config.scan.enabled = false;
  const DetectionOptions live{EmitMode::kFinal, 60};
  size_t deliveries = 0;
  const auto alerts = CollectAlerts(BuildDetection(EventsTable(events, commits), config, live),
                                    config, live, &deliveries);
  EXPECT_EQ(deliveries, static_cast<size_t>(kLogins));
  ASSERT_EQ(alerts.size(), static_cast<size_t>(kLogins));
  for (size_t i = 0; i < alerts.size(); ++i) {
    // The failures of the hour before each login (5 a minute, of the 60 minutes that end
    // at it: the 61st started 3,630 s before), as known at the login.
    const int64_t expected = 5 * std::min<int64_t>(static_cast<int64_t>(i) + 1, 60);
    EXPECT_EQ(alerts[i].count, expected) << i;
  }
}

}  // namespace
}  // namespace vigil::rules::test
