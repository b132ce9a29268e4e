#pragma once

// Hand-made event streams for the rules tests: events written as a table_from_markdown text
// with the events schema (AuthEventsSchema), in one commit or in many, and the alerts a
// pipeline ends with, collected through SubscribeAlerts.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "connectors/authlog/auth_events_schema.h"
#include "connectors/debug.h"
#include "rules/alert.h"
#include "rules/detection.h"
#include "vigil/exec/run.h"
#include "vigil/types/datetime.h"

namespace vigil::rules::test {

/// 2023-11-14T00:00:00Z: a day boundary, so every window in the tests starts on a round time.
inline constexpr int64_t kBaseSecond = 1'699'920'000;

inline int64_t Ns(int64_t second) { return (kBaseSecond + second) * kNanosPerSecond; }

struct TestEvent {
  int64_t second = 0;  ///< Seconds after kBaseSecond.
  std::string ip;
  std::string user = "root";
  std::string outcome = "failure";
  std::string kind = "attempt";
  std::string host = "web1";
  bool ip_is_hostname = false;
};

inline TestEvent Failure(int64_t second, std::string ip, std::string user = "root",
                         std::string host = "web1") {
  return TestEvent{second, std::move(ip), std::move(user), "failure", "attempt", std::move(host)};
}
inline TestEvent Success(int64_t second, std::string ip, std::string user = "alice") {
  return TestEvent{second, std::move(ip), std::move(user), "success", "attempt"};
}
inline TestEvent Scan(int64_t second, std::string ip) {
  return TestEvent{second, std::move(ip), "-", "none", "scan"};
}

/// The markdown text of `events`, event i in commit commit_of[i] (non-decreasing), or all in
/// one commit when commit_of is empty.
inline std::string EventsMarkdown(const std::vector<TestEvent>& events,
                                  const std::vector<int>& commit_of = {}) {
  std::string text =
      "time | host | pid | ip | ip_is_hostname | port | user | invalid_user | outcome | method "
      "| kind";
  text += commit_of.empty() ? "\n" : " | __time__\n";
  for (size_t i = 0; i < events.size(); ++i) {
    const TestEvent& e = events[i];
    const CivilTime t = SplitTimestamp(Ns(e.second));
    text += fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00 | {} | 100 | {} | {} | 2222 | "
                        "{} | False | {} | password | {}",
                        t.year, t.month, t.day, t.hour, t.minute, t.second, e.host, e.ip,
                        e.ip_is_hostname ? "True" : "False", e.user, e.outcome, e.kind);
    if (!commit_of.empty()) text += fmt::format(" | {}", 2 * (commit_of[i] + 1));
    text += "\n";
  }
  return text;
}

inline Table EventsTable(const std::vector<TestEvent>& events,
                         const std::vector<int>& commit_of = {}) {
  return debug::table_from_markdown(EventsMarkdown(events, commit_of), AuthEventsSchema());
}

inline RunOptions QuietRun() {
  RunOptions options;
  options.echo_errors = false;
  options.echo_warnings = false;
  return options;
}

/// The alerts SubscribeAlerts delivers over a run, with retractions applied (the final set),
/// sorted by (rule, ip, window_start, window_end).
inline std::vector<Alert> CollectAlerts(const Table& alerts, const RulesConfig& config,
                                        const DetectionOptions& options,
                                        size_t* deliveries = nullptr) {
  std::vector<Alert> out;
  ClearOutputs();
  SubscribeAlerts(alerts, config, options, [&](const Alert& alert, bool is_addition) {
    if (deliveries != nullptr) ++*deliveries;
    if (is_addition) {
      out.push_back(alert);
      return;
    }
    auto it = std::find(out.begin(), out.end(), alert);
    EXPECT_NE(it, out.end()) << "retraction of an alert never delivered: " << alert.rule << " "
                             << alert.ip;
    if (it != out.end()) out.erase(it);
  });
  Status status = run(QuietRun());
  ClearOutputs();
  EXPECT_TRUE(status.ok()) << status.ToString();
  std::sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) {
    return std::tie(a.rule, a.ip, a.window_start_ns, a.window_end_ns, a.count) <
           std::tie(b.rule, b.ip, b.window_start_ns, b.window_end_ns, b.count);
  });
  return out;
}

/// Detection over `events` in one static commit.
/// The shipped defaults, but success_after_failures at 5 failures: the tests' streams are
/// built around that boundary (the shipped 10 is checked by the config test).
inline RulesConfig TestRules() {
  RulesConfig config = DefaultRulesConfig();
  config.success_after_failures.min_failures = 5;
  return config;
}

inline std::vector<Alert> Detect(const std::vector<TestEvent>& events,
                                 const RulesConfig& config = TestRules()) {
  return CollectAlerts(BuildDetection(EventsTable(events), config), config, {});
}

/// Alerts of one rule.
inline std::vector<Alert> OfRule(const std::vector<Alert>& alerts, const std::string& rule) {
  std::vector<Alert> out;
  for (const Alert& a : alerts) {
    if (a.rule == rule) out.push_back(a);
  }
  return out;
}

inline std::string Describe(const std::vector<Alert>& alerts) {
  std::string text;
  for (const Alert& a : alerts) {
    text += fmt::format("{} {} {} count={} users={} ips={} [{}, {})\n", a.rule, a.severity, a.ip,
                        a.count, fmt::join(a.users, ","), fmt::join(a.ips, ","),
                        a.window_start_ns / kNanosPerSecond - kBaseSecond,
                        a.window_end_ns / kNanosPerSecond - kBaseSecond);
  }
  return text;
}

}  // namespace vigil::rules::test
