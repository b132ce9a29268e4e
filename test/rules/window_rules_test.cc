// The windowed rules (brute_force, slow_brute_force, spraying, distributed, scan), the
// address aggregation and the allowlist, on small hand-made event streams.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules_test_events.h"

namespace vigil::rules::test {
namespace {

TEST(BruteForce, FlagsFiveFailuresInOneMinute) {
  std::vector<TestEvent> events;
  for (int i = 0; i < 5; ++i) events.push_back(Failure(10 + i * 5, "203.0.113.9", i < 3 ? "root" : "admin"));
  const auto alerts = OfRule(Detect(events), "brute_force");
  ASSERT_EQ(alerts.size(), 1u) << Describe(alerts);
  const Alert& a = alerts[0];
  EXPECT_EQ(a.severity, "medium");
  EXPECT_EQ(a.ip, "203.0.113.9");
  EXPECT_EQ(a.ips, std::vector<std::string>({"203.0.113.9"}));
  EXPECT_EQ(a.users, std::vector<std::string>({"admin", "root"}));
  EXPECT_EQ(a.user_count, 2);
  EXPECT_EQ(a.count, 5);
  EXPECT_EQ(a.window_start_ns, Ns(0));
  EXPECT_EQ(a.window_end_ns, Ns(60));
  EXPECT_EQ(a.first_seen_ns, Ns(10));
  EXPECT_EQ(a.last_seen_ns, Ns(30));
}

TEST(BruteForce, IgnoresFourFailuresSuccessesAndScans) {
  std::vector<TestEvent> events;
  for (int i = 0; i < 4; ++i) events.push_back(Failure(i, "203.0.113.9"));
  events.push_back(Success(5, "203.0.113.9"));
  for (int i = 0; i < 3; ++i) events.push_back(Scan(6 + i, "203.0.113.9"));
  const auto alerts = Detect(events);
  EXPECT_TRUE(OfRule(alerts, "brute_force").empty()) << Describe(alerts);
  // The scans are their own low-severity class.
  const auto scans = OfRule(alerts, "scan");
  ASSERT_EQ(scans.size(), 1u) << Describe(alerts);
  EXPECT_EQ(scans[0].severity, "low");
  EXPECT_EQ(scans[0].count, 3);
}

TEST(BruteForce, WindowsAreTumbling) {
  // 3 failures at the end of one minute and 3 at the start of the next: 6 within 15 s, but no
  // tumbling window holds 5 (the rule's documented blind spot).
  std::vector<TestEvent> events;
  for (int i = 0; i < 3; ++i) events.push_back(Failure(55 + i, "198.51.100.1"));
  for (int i = 0; i < 3; ++i) events.push_back(Failure(60 + i, "198.51.100.1"));
  EXPECT_TRUE(OfRule(Detect(events), "brute_force").empty());
  events.push_back(Failure(63, "198.51.100.1"));
  events.push_back(Failure(64, "198.51.100.1"));
  const auto alerts = OfRule(Detect(events), "brute_force");
  ASSERT_EQ(alerts.size(), 1u) << Describe(alerts);
  EXPECT_EQ(alerts[0].window_start_ns, Ns(60));
  EXPECT_EQ(alerts[0].count, 5);
}

TEST(BruteForce, KeysAreSeparate) {
  std::vector<TestEvent> events;
  for (int i = 0; i < 6; ++i) events.push_back(Failure(i, i % 2 ? "192.0.2.1" : "192.0.2.2"));
  EXPECT_TRUE(OfRule(Detect(events), "brute_force").empty());
}

TEST(Ipv6, RotationInsideA64IsOneAttacker) {
  std::vector<TestEvent> events;
  for (int i = 1; i <= 6; ++i) events.push_back(Failure(i, fmt::format("2001:db8:1:2::{:x}", i * 17)));
  const auto alerts = OfRule(Detect(events), "brute_force");
  ASSERT_EQ(alerts.size(), 1u) << Describe(alerts);
  EXPECT_EQ(alerts[0].ip, "2001:db8:1:2::/64");
  EXPECT_EQ(alerts[0].ips.size(), 6u);
  EXPECT_EQ(alerts[0].ips[0], "2001:db8:1:2::11");
}

TEST(Ipv6, RotationAcross64sIsNotAggregated) {
  std::vector<TestEvent> events;
  for (int i = 1; i <= 6; ++i) events.push_back(Failure(i, fmt::format("2001:db8:1:{:x}::1", i)));
  EXPECT_TRUE(OfRule(Detect(events), "brute_force").empty());
  // A /48 aggregation (configurable) catches it.
  RulesConfig config = DefaultRulesConfig();
  config.addresses.ipv6_prefix = 48;
  const auto alerts = OfRule(Detect(events, config), "brute_force");
  ASSERT_EQ(alerts.size(), 1u) << Describe(alerts);
  EXPECT_EQ(alerts[0].ip, "2001:db8:1::/48");
}

TEST(Ipv4, PrefixIsConfigurable) {
  std::vector<TestEvent> events;
  for (int i = 1; i <= 5; ++i) events.push_back(Failure(i, fmt::format("10.9.8.{}", i)));
  EXPECT_TRUE(OfRule(Detect(events), "brute_force").empty());
  RulesConfig config = DefaultRulesConfig();
  config.addresses.ipv4_prefix = 24;
  const auto alerts = OfRule(Detect(events, config), "brute_force");
  ASSERT_EQ(alerts.size(), 1u) << Describe(alerts);
  EXPECT_EQ(alerts[0].ip, "10.9.8.0/24");
  EXPECT_EQ(alerts[0].ips, std::vector<std::string>({"10.9.8.1", "10.9.8.2", "10.9.8.3",
                                                     "10.9.8.4", "10.9.8.5"}));
}

TEST(SlowBruteForce, CatchesOneTryAMinute) {
  std::vector<TestEvent> events;
  for (int i = 0; i < 120; ++i) events.push_back(Failure(i * 60 + 7, "203.0.113.50"));
  const auto alerts = Detect(events);
  EXPECT_TRUE(OfRule(alerts, "brute_force").empty()) << Describe(alerts);
  const auto slow = OfRule(alerts, "slow_brute_force");
  // Two hour windows with 60 tries each, and the day window with 120.
  ASSERT_EQ(slow.size(), 3u) << Describe(alerts);
  int hour_windows = 0;
  for (const Alert& a : slow) {
    EXPECT_EQ(a.severity, "medium");
    if (a.window_end_ns - a.window_start_ns == 3600 * kNanosPerSecond) {
      ++hour_windows;
      EXPECT_EQ(a.count, 60);
    } else {
      EXPECT_EQ(a.window_end_ns - a.window_start_ns, 86400 * kNanosPerSecond);
      EXPECT_EQ(a.count, 120);
    }
  }
  EXPECT_EQ(hour_windows, 2);
}

TEST(SlowBruteForce, CatchesOneTryEverySevenMinutesOverADay) {
  std::vector<TestEvent> events;
  for (int i = 0; i < 200; ++i) events.push_back(Failure(i * 420, "203.0.113.51"));
  const auto slow = OfRule(Detect(events), "slow_brute_force");
  // 8 or 9 tries an hour stay under the hour threshold (10); the day window holds all 200.
  ASSERT_EQ(slow.size(), 1u) << Describe(slow);
  EXPECT_EQ(slow[0].count, 200);
}

TEST(SlowBruteForce, SourcesThatLoggedInAreLeftOut) {
  // A big office NAT: 30 typos an hour by different users, each followed by their login.
  std::vector<TestEvent> events;
  for (int i = 0; i < 240; ++i) {
    const std::string user = fmt::format("user{}", i % 60);
    events.push_back(Failure(i * 120, "198.51.100.80", user));
    events.push_back(Success(i * 120 + 10, "198.51.100.80", user));
  }
  const auto alerts = Detect(events);
  EXPECT_TRUE(alerts.empty()) << Describe(alerts);
  // The same failures without the logins are a slow brute force (and spraying).
  std::vector<TestEvent> failures;
  for (const TestEvent& e : events) {
    if (e.outcome == "failure") failures.push_back(e);
  }
  const auto without_logins = Detect(failures);
  EXPECT_FALSE(OfRule(without_logins, "slow_brute_force").empty());
  EXPECT_FALSE(OfRule(without_logins, "spraying").empty());
}

TEST(OfficeNat, TyposAreNotFlagged) {
  // 40 people behind one address over a working day: 4 typos an hour, each followed by the
  // right password a few seconds later, by different users.
  std::vector<TestEvent> events;
  for (int hour = 0; hour < 9; ++hour) {
    for (int k = 0; k < 4; ++k) {
      const int64_t t = hour * 3600 + k * 900 + 100;
      const std::string user = fmt::format("user{}", (hour * 4 + k) % 40);
      events.push_back(Failure(t, "198.51.100.77", user));
      events.push_back(Success(t + 8, "198.51.100.77", user));
    }
  }
  const auto alerts = Detect(events);
  EXPECT_TRUE(alerts.empty()) << Describe(alerts);
}

TEST(OfficeNat, TyposOfSeveralUsersInOneMinuteAreNotBruteForce) {
  // Three people behind one address mistype in the same minute (2 + 2 + 1 failures), each
  // then logs in: 5 failures in the window, all typos.
  std::vector<TestEvent> events;
  const std::pair<const char*, int> typos[] = {{"alice", 2}, {"bob", 2}, {"carol", 1}};
  int64_t t = 60;
  for (const auto& [user, count] : typos) {
    for (int i = 0; i < count; ++i) events.push_back(Failure(t++, "198.51.100.80", user));
    events.push_back(Success(t++, "198.51.100.80", user));
  }
  EXPECT_TRUE(OfRule(Detect(events), "brute_force").empty()) << Describe(Detect(events));
  // Without the forgiveness the same minute is the tutorial rule's alert.
  RulesConfig plain = TestRules();
  plain.brute_force.forgive_typos = 0;
  EXPECT_EQ(OfRule(Detect(events, plain), "brute_force").size(), 1u);
  // One of them does not log in: its failures count, the others' do not (2 < 5).
  events.pop_back();
  EXPECT_TRUE(OfRule(Detect(events), "brute_force").empty());
}

TEST(BruteForce, AGuesserThatLogsInIsStillCounted) {
  // Six failures for root, then root's login in the same minute: more than forgive_typos (3),
  // so a brute force (and a success after failures).
  std::vector<TestEvent> events;
  for (int i = 0; i < 6; ++i) events.push_back(Failure(60 + i, "203.0.113.90", "root"));
  events.push_back(Success(70, "203.0.113.90", "root"));
  const auto alerts = Detect(events);
  const auto brute = OfRule(alerts, "brute_force");
  ASSERT_EQ(brute.size(), 1u) << Describe(alerts);
  EXPECT_EQ(brute[0].count, 6);
  EXPECT_EQ(OfRule(alerts, "success_after_failures").size(), 1u);
}

TEST(Spraying, FlagsDistinctUsersFromOneSource) {
  std::vector<TestEvent> events;
  const char* users[] = {"root", "admin", "oracle", "test", "ubuntu"};
  for (int i = 0; i < 5; ++i) events.push_back(Failure(i * 90, "192.0.2.200", users[i]));
  const auto alerts = Detect(events);
  EXPECT_TRUE(OfRule(alerts, "brute_force").empty()) << Describe(alerts);
  const auto spraying = OfRule(alerts, "spraying");
  ASSERT_EQ(spraying.size(), 1u) << Describe(alerts);
  EXPECT_EQ(spraying[0].user_count, 5);
  EXPECT_EQ(spraying[0].users,
            std::vector<std::string>({"admin", "oracle", "root", "test", "ubuntu"}));
  EXPECT_EQ(spraying[0].window_end_ns - spraying[0].window_start_ns, 600 * kNanosPerSecond);
}

TEST(Spraying, OneUserManyTimesIsNotSpraying) {
  std::vector<TestEvent> events;
  for (int i = 0; i < 8; ++i) events.push_back(Failure(i * 70, "192.0.2.201", "deploy"));
  EXPECT_TRUE(OfRule(Detect(events), "spraying").empty());
}

TEST(Spraying, UsersFieldIsCappedButCounted) {
  RulesConfig config = DefaultRulesConfig();
  config.alerts.max_users = 3;
  std::vector<TestEvent> events;
  for (int i = 0; i < 7; ++i) events.push_back(Failure(i * 60, "192.0.2.202", fmt::format("u{}", i)));
  const auto spraying = OfRule(Detect(events, config), "spraying");
  ASSERT_EQ(spraying.size(), 1u);
  EXPECT_EQ(spraying[0].users, std::vector<std::string>({"u0", "u1", "u2"}));
  EXPECT_EQ(spraying[0].user_count, 7);
}

TEST(Distributed, FlagsManyAddressesAgainstOneUser) {
  std::vector<TestEvent> events;
  for (int i = 0; i < 12; ++i) {
    const std::string ip = fmt::format("100.{}.{}.{}", 64 + i, i * 7 % 250, 1 + i);
    events.push_back(Failure(i * 40, ip, "root"));
    events.push_back(Failure(i * 40 + 3, ip, "root"));
  }
  const auto alerts = Detect(events);
  EXPECT_TRUE(OfRule(alerts, "brute_force").empty()) << Describe(alerts);
  const auto distributed = OfRule(alerts, "distributed");
  ASSERT_EQ(distributed.size(), 1u) << Describe(alerts);
  const Alert& a = distributed[0];
  EXPECT_EQ(a.severity, "high");
  EXPECT_EQ(a.ip, "root@web1");
  EXPECT_EQ(a.count, 24);
  EXPECT_EQ(a.ips.size(), 12u);
  EXPECT_TRUE(std::is_sorted(a.ips.begin(), a.ips.end()));
  EXPECT_EQ(a.users, std::vector<std::string>({"root"}));
}

TEST(Distributed, SourcesThatLoggedInAreLeftOut) {
  // Nine bots and an office address whose user mistyped then logged in: 9 < 10, no alert;
  // a tenth bot makes one, without the office address.
  std::vector<TestEvent> events;
  for (int i = 0; i < 9; ++i) events.push_back(Failure(i * 30, fmt::format("100.80.0.{}", i + 1), "alice"));
  events.push_back(Failure(100, "198.51.100.200", "alice"));
  events.push_back(Success(105, "198.51.100.200", "alice"));
  EXPECT_TRUE(OfRule(Detect(events), "distributed").empty());
  events.push_back(Failure(400, "100.80.0.99", "alice"));
  const auto distributed = OfRule(Detect(events), "distributed");
  ASSERT_EQ(distributed.size(), 1u) << Describe(distributed);
  EXPECT_EQ(distributed[0].ips.size(), 10u);
  EXPECT_EQ(distributed[0].count, 10);
  EXPECT_EQ(std::count(distributed[0].ips.begin(), distributed[0].ips.end(), "198.51.100.200"), 0);
  // Without the login the office address counts (its failure is indistinguishable).
  events.erase(events.begin() + 10);
  const auto with_office = OfRule(Detect(events), "distributed");
  ASSERT_EQ(with_office.size(), 1u);
  EXPECT_EQ(with_office[0].ips.size(), 11u);
}

TEST(Distributed, CampaignSpreadOverHoursIsCaughtByTheDayWindow) {
  // 60 bots, 1-2 tries each, over 6 hours against root: at most 10 an hour.
  std::vector<TestEvent> events;
  for (int i = 0; i < 60; ++i) {
    const std::string ip = fmt::format("100.90.{}.{}", i / 200, i % 200 + 1);
    events.push_back(Failure(i * 360, ip, "root"));
    if (i % 2) events.push_back(Failure(i * 360 + 5, ip, "root"));
  }
  const auto distributed = OfRule(Detect(events), "distributed");
  ASSERT_EQ(distributed.size(), 1u) << Describe(distributed);
  EXPECT_EQ(distributed[0].window_end_ns - distributed[0].window_start_ns, 86400 * kNanosPerSecond);
  EXPECT_EQ(distributed[0].ips.size(), 60u);
  EXPECT_EQ(distributed[0].count, 90);
}

TEST(Distributed, AddressesAgainstDifferentHostsAreNotACampaign) {
  std::vector<TestEvent> events;
  for (int i = 0; i < 12; ++i) {
    events.push_back(Failure(i * 40, fmt::format("100.70.0.{}", i + 1), "root",
                             fmt::format("host{}", i)));
  }
  EXPECT_TRUE(OfRule(Detect(events), "distributed").empty());
}

TEST(Distributed, OneBusyAddressIsNotDistributed) {
  std::vector<TestEvent> events;
  for (int i = 0; i < 30; ++i) events.push_back(Failure(i * 10, "198.51.100.9", "root"));
  const auto alerts = Detect(events);
  EXPECT_TRUE(OfRule(alerts, "distributed").empty()) << Describe(alerts);
  EXPECT_FALSE(OfRule(alerts, "brute_force").empty());
}

TEST(Allowlist, DropsAddressesAndPrefixesOfBothFamilies) {
  RulesConfig config = DefaultRulesConfig();
  config.allowlist = {"10.0.0.0/8", "2001:db8:5::/48", "192.0.2.7"};
  std::vector<TestEvent> events;
  for (int i = 0; i < 6; ++i) {
    events.push_back(Failure(i, "10.1.2.3"));
    events.push_back(Failure(i, "2001:db8:5:1::9"));
    events.push_back(Failure(i, "192.0.2.7"));
    events.push_back(Failure(i, "192.0.2.8"));
    events.push_back(Failure(i, "2001:db8:6::9"));
  }
  const auto alerts = OfRule(Detect(events, config), "brute_force");
  ASSERT_EQ(alerts.size(), 2u) << Describe(alerts);
  EXPECT_EQ(alerts[0].ip, "192.0.2.8");
  EXPECT_EQ(alerts[1].ip, "2001:db8:6::/64");
}

TEST(Allowlist, AllowedSuccessIsNeverCritical) {
  RulesConfig config = DefaultRulesConfig();
  config.allowlist = {"192.0.2.0/24"};
  std::vector<TestEvent> events;
  for (int i = 0; i < 6; ++i) events.push_back(Failure(i, "192.0.2.50"));
  events.push_back(Success(10, "192.0.2.50", "root"));
  EXPECT_TRUE(Detect(events, config).empty());
  EXPECT_EQ(OfRule(Detect(events), "success_after_failures").size(), 1u);
}

TEST(HostNames, AreTheirOwnKey) {
  std::vector<TestEvent> events;
  for (int i = 0; i < 5; ++i) {
    TestEvent e = Failure(i, "attacker.example.net");
    e.ip_is_hostname = true;
    events.push_back(e);
  }
  const auto alerts = OfRule(Detect(events), "brute_force");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].ip, "attacker.example.net");
}

TEST(Detection, DisabledRulesGiveNoAlerts) {
  RulesConfig config = DefaultRulesConfig();
  config.brute_force.enabled = false;
  config.slow_brute_force.enabled = false;
  config.spraying.enabled = false;
  config.distributed.enabled = false;
  config.success_after_failures.enabled = false;
  config.scan.enabled = false;
  std::vector<TestEvent> events;
  for (int i = 0; i < 50; ++i) events.push_back(Failure(i, "203.0.113.1", fmt::format("u{}", i)));
  EXPECT_TRUE(Detect(events, config).empty());
  config.spraying.enabled = true;
  EXPECT_EQ(Detect(events, config).size(), 1u);
}

}  // namespace
}  // namespace vigil::rules::test
