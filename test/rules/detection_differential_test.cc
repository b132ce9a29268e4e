// Differential test: the alerts of a large random event stream are the same whether the
// events arrive statically in one commit or live in many commits of random sizes (--emit
// final or updates), and equal, for brute_force, spraying and success_after_failures, a
// naive reference computed here from the events directly.

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "rules_test_events.h"

namespace vigil::rules::test {
namespace {

struct Stream {
  std::vector<TestEvent> events;
  std::vector<std::string> keys;  ///< The aggregation key of each event's address.
};

/// Events at non-decreasing times (a success is the last event of its second, so "failures
/// before it" means the same in every commit split), from IPv4 addresses (their own key) and
/// addresses rotating inside three IPv6 /64s.
Stream RandomStream(size_t n, std::mt19937_64& rng) {
  static const char* kUsers[] = {"root", "admin", "test", "oracle", "ubuntu", "git", "pi", "a"};
  Stream s;
  int64_t t = 0;
  for (size_t i = 0; i < n; ++i) {
    t += static_cast<int64_t>(rng() % 4);
    std::string ip, key;
    if (rng() % 4 == 0) {
      const uint64_t prefix = rng() % 3;
      ip = fmt::format("2001:db8:0:{}::{:x}", prefix + 1, 1 + rng() % 5000);
      key = fmt::format("2001:db8:0:{}::/64", prefix + 1);
    } else {
      ip = key = fmt::format("198.51.100.{}", 1 + rng() % 15);
    }
    TestEvent e = Failure(t, ip, kUsers[rng() % 8], rng() % 2 ? "web1" : "web2");
    const uint64_t kind = rng() % 100;
    if (kind < 10) {
      e.kind = "scan";
      e.outcome = "none";
    } else if (kind < 17) {
      e.outcome = "success";
    }
    s.events.push_back(e);
    s.keys.push_back(key);
    if (e.outcome == "success") ++t;
  }
  return s;
}

/// A random cut into commits: each boundary taken with probability 1/mean_size.
std::vector<int> RandomCommits(size_t n, size_t mean_size, std::mt19937_64& rng) {
  std::vector<int> commits(n);
  int commit = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && rng() % mean_size == 0) ++commit;
    commits[i] = commit;
  }
  return commits;
}

struct Group {
  bool logged_in = false;  ///< spraying leaves out sources that logged in within the window.
  int64_t count = 0;
  std::set<std::string> users, ips;
  int64_t first = INT64_MAX, last = INT64_MIN;
};

/// brute_force or spraying by definition: failed attempts per (key, tumbling window).
std::vector<Alert> ReferenceWindowed(const Stream& s, const std::string& rule,
                                     const WindowThreshold& w) {
  std::map<std::pair<std::string, int64_t>, Group> groups;
  for (size_t i = 0; i < s.events.size(); ++i) {
    const TestEvent& e = s.events[i];
    if (e.kind != "attempt" || (e.outcome != "failure" && e.outcome != "success")) continue;
    const int64_t second = kBaseSecond + e.second;
    const int64_t start = second - second % w.window_seconds;
    Group& g = groups[{s.keys[i], start}];
    if (e.outcome == "success") {
      g.logged_in = true;
      continue;
    }
    ++g.count;
    g.users.insert(e.user);
    g.ips.insert(e.ip);
    g.first = std::min(g.first, Ns(e.second));
    g.last = std::max(g.last, Ns(e.second));
  }
  std::vector<Alert> alerts;
  for (const auto& [key, g] : groups) {
    const int64_t measure =
        rule == "spraying" ? static_cast<int64_t>(g.users.size()) : g.count;
    if (measure < w.threshold || g.count == 0) continue;
    if (rule == "spraying" && g.logged_in) continue;
    Alert a;
    a.rule = rule;
    a.severity = "medium";
    a.ip = key.first;
    a.ips.assign(g.ips.begin(), g.ips.end());
    a.users.assign(g.users.begin(), g.users.end());
    a.user_count = static_cast<int64_t>(g.users.size());
    a.count = g.count;
    a.window_start_ns = key.second * kNanosPerSecond;
    a.window_end_ns = (key.second + w.window_seconds) * kNanosPerSecond;
    a.first_seen_ns = g.first;
    a.last_seen_ns = g.last;
    alerts.push_back(a);
  }
  return alerts;
}

/// success_after_failures by definition: (key, success time, failures counted).
std::vector<std::tuple<std::string, int64_t, int64_t>> ReferenceSuccesses(
    const Stream& s, const SuccessAfterFailuresConfig& c) {
  std::vector<std::tuple<std::string, int64_t, int64_t>> out;
  for (size_t i = 0; i < s.events.size(); ++i) {
    if (s.events[i].kind != "attempt" || s.events[i].outcome != "success") continue;
    int64_t failures = 0;
    for (size_t j = 0; j < s.events.size(); ++j) {
      const TestEvent& f = s.events[j];
      if (f.kind != "attempt" || f.outcome != "failure" || s.keys[j] != s.keys[i]) continue;
      if (c.same_user && f.user != s.events[i].user) continue;
      const int64_t distance = s.events[i].second - f.second;
      if (distance > 0 && distance <= c.lookback_seconds) ++failures;
    }
    if (failures >= c.min_failures) out.emplace_back(s.keys[i], Ns(s.events[i].second), failures);
  }
  std::sort(out.begin(), out.end());
  return out;
}

RulesConfig DifferentialConfig() {
  RulesConfig config = DefaultRulesConfig();
  config.spraying.windows = {{600, 6}};
  config.distributed.windows = {{600, 4}, {3600, 8}};
  config.slow_brute_force.windows = {{3600, 60}, {86400, 200}};
  config.success_after_failures.min_failures = 8;
  // The reference counts every failure (the tutorial rule); typo forgiveness has its own tests.
  config.brute_force.forgive_typos = 0;
  return config;
}

TEST(DetectionDifferential, StaticAndLiveAgreeWithTheReference) {
  for (uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    const Stream stream = RandomStream(4000, rng);
    const RulesConfig config = DifferentialConfig();

    const std::vector<Alert> in_one_commit = Detect(stream.events, config);
    // Static (no behavior) in many commits.
    const std::vector<int> commits = RandomCommits(stream.events.size(), 40, rng);
    const std::vector<Alert> static_split = CollectAlerts(
        BuildDetection(EventsTable(stream.events, commits), config), config, {});
    EXPECT_EQ(static_split, in_one_commit);
    // Live, --emit final and --emit updates, in commits of random sizes (some of one row).
    // Under updates, the alerts left after every delivered retraction are the final ones.
    for (const auto& [mean_size, emit] : {std::pair<size_t, EmitMode>{3, EmitMode::kFinal},
                                          {200, EmitMode::kFinal},
                                          {5, EmitMode::kUpdates}}) {
      SCOPED_TRACE(emit == EmitMode::kFinal ? "final" : "updates");
      const DetectionOptions live{emit, 60};
      const std::vector<int> live_commits = RandomCommits(stream.events.size(), mean_size, rng);
      size_t deliveries = 0;
      const std::vector<Alert> live_alerts = CollectAlerts(
          BuildDetection(EventsTable(stream.events, live_commits), config, live), config, live,
          &deliveries);
      EXPECT_EQ(live_alerts, in_one_commit) << "live:\n"
                                            << Describe(live_alerts) << "static:\n"
                                            << Describe(in_one_commit);
      // --emit final delivers each alert once: no retraction, no second version.
      if (emit == EmitMode::kFinal) {
        EXPECT_EQ(deliveries, live_alerts.size());
      }
    }

    // The reference, rule by rule.
    for (const auto& [rule, window] :
         {std::pair<std::string, WindowThreshold>{"brute_force", config.brute_force.windows[0]},
          {"spraying", config.spraying.windows[0]}}) {
      std::vector<Alert> expected = ReferenceWindowed(stream, rule, window);
      std::vector<Alert> actual = OfRule(in_one_commit, rule);
      std::sort(expected.begin(), expected.end(), [](const Alert& a, const Alert& b) {
        return std::tie(a.ip, a.window_start_ns) < std::tie(b.ip, b.window_start_ns);
      });
      EXPECT_FALSE(expected.empty()) << rule;
      EXPECT_EQ(actual, expected) << rule << " engine:\n"
                                  << Describe(actual) << "reference:\n"
                                  << Describe(expected);
    }
    const auto expected_successes = ReferenceSuccesses(stream, config.success_after_failures);
    std::vector<std::tuple<std::string, int64_t, int64_t>> actual_successes;
    for (const Alert& a : OfRule(in_one_commit, "success_after_failures")) {
      actual_successes.emplace_back(a.ip, a.last_seen_ns, a.count);
    }
    std::sort(actual_successes.begin(), actual_successes.end());
    EXPECT_FALSE(expected_successes.empty());
    EXPECT_EQ(actual_successes, expected_successes);
  }
}

bool AlertLess(const Alert& a, const Alert& b) {
  return std::tie(a.rule, a.ip, a.window_start_ns, a.window_end_ns, a.count, a.users, a.ips,
                  a.first_seen_ns, a.last_seen_ns) <
         std::tie(b.rule, b.ip, b.window_start_ns, b.window_end_ns, b.count, b.users, b.ips,
                  b.first_seen_ns, b.last_seen_ns);
}

// A static read in commits (EmitMode::kStaticBounded: `vigil detect FILE` without
// --single-commit) closes windows while it reads, with a reading-order cutoff no event
// exceeds; its alerts must be those of the read as one commit. The events come out of time
// order (each read up to `lateness` seconds after its time), so failures come after the
// successes they count for (success_after_failures then grows an alert already delivered)
// and rows come late to windows other rules have moved past.
TEST(DetectionDifferential, StaticInCommitsWithACutoffOverTheLatenessEqualsOneCommit) {
  for (uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    Stream stream = RandomStream(4000, rng);
    const int64_t lateness = seed == 1 ? 0 : 50 + static_cast<int64_t>(rng() % 600);
    // Reading order: by time plus a random delay of up to `lateness` (a stable sort, so
    // events of one moment keep their order).
    std::vector<std::pair<int64_t, size_t>> order;
    for (size_t i = 0; i < stream.events.size(); ++i) {
      const int64_t delay = lateness == 0 ? 0 : static_cast<int64_t>(rng() % lateness);
      order.emplace_back(stream.events[i].second + delay, i);
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<TestEvent> events;
    int64_t latest = 0, measured = 0;  // Event seconds are >= 0.
    for (const auto& [read_at, i] : order) {
      events.push_back(stream.events[i]);
      measured = std::max(measured, latest - stream.events[i].second);
      latest = std::max(latest, stream.events[i].second);
    }
    if (lateness > 0) {
      EXPECT_GT(measured, 0);
    }
    const RulesConfig config = DifferentialConfig();
    const std::vector<Alert> in_one_commit = Detect(events, config);
    ASSERT_FALSE(OfRule(in_one_commit, "success_after_failures").empty());
    for (size_t mean_size : {1, 3, 200}) {
      SCOPED_TRACE(mean_size);
      // The CLI's cutoff: the measured lateness and a second more.
      const DetectionOptions bounded{EmitMode::kStaticBounded, measured + 1};
      const std::vector<int> commits = RandomCommits(events.size(), mean_size, rng);
      const std::vector<Alert> in_commits = CollectAlerts(
          BuildDetection(EventsTable(events, commits), config, bounded), config, bounded);
      EXPECT_EQ(in_commits.size(), in_one_commit.size());
      std::vector<Alert> missing, extra;
      std::set_difference(in_one_commit.begin(), in_one_commit.end(), in_commits.begin(),
                          in_commits.end(), std::back_inserter(missing), AlertLess);
      std::set_difference(in_commits.begin(), in_commits.end(), in_one_commit.begin(),
                          in_one_commit.end(), std::back_inserter(extra), AlertLess);
      missing.resize(std::min<size_t>(missing.size(), 5));
      extra.resize(std::min<size_t>(extra.size(), 5));
      EXPECT_TRUE(in_commits == in_one_commit) << "missing in commits:\n"
                                               << Describe(missing) << "extra:\n"
                                               << Describe(extra);
    }
  }
}

}  // namespace
}  // namespace vigil::rules::test
