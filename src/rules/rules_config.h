#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/common/status.h"

namespace vigil::rules {

/// Every knob of the detection rules, with the shipped defaults (src/rules/default_rules.toml
/// documents each one and is kept equal to DefaultRulesConfig() by a test). Durations are in
/// seconds. Why each default is what it is: src/rules/README.md.

/// How source addresses are grouped by the per-IP rules: an attacker rotating addresses
/// inside one IPv6 /64 is one key.
struct AddressConfig {
  int ipv4_prefix = 32;
  int ipv6_prefix = 64;
  bool operator==(const AddressConfig&) const = default;
};

/// One window of a windowed rule and the count that raises an alert in it.
struct WindowThreshold {
  int64_t window_seconds = 0;
  int64_t threshold = 0;
  bool operator==(const WindowThreshold&) const = default;
};

/// Failed attempts per source key in tumbling windows (the tutorial rule).
struct BruteForceConfig {
  bool enabled = true;
  std::vector<WindowThreshold> windows = {{60, 5}};
  /// Failures of a (source, user) that logs in from that source within the window, when they
  /// are at most this many, are typos, not guesses: not counted (0 counts every failure).
  int64_t forgive_typos = 3;
  bool operator==(const BruteForceConfig&) const = default;
};

/// The same count over long windows: an attacker pacing tries below brute_force's window.
struct SlowBruteForceConfig {
  bool enabled = true;
  std::vector<WindowThreshold> windows = {{3600, 10}, {86400, 20}};
  bool operator==(const SlowBruteForceConfig&) const = default;
};

/// Distinct user names tried per source key.
struct SprayingConfig {
  bool enabled = true;
  std::vector<WindowThreshold> windows = {{600, 5}};
  bool operator==(const SprayingConfig&) const = default;
};

/// Distinct source keys failing against one (host, user).
struct DistributedConfig {
  bool enabled = true;
  std::vector<WindowThreshold> windows = {{600, 10}, {3600, 20}, {86400, 25}};
  bool operator==(const DistributedConfig&) const = default;
};

/// A successful login from a key with at least `min_failures` failures (for that user, with
/// `same_user`) in the `lookback_seconds` before it.
struct SuccessAfterFailuresConfig {
  bool enabled = true;
  int64_t lookback_seconds = 3600;
  int64_t min_failures = 10;
  /// Count only the failures for the user who then logged in: an office NAT's many users
  /// each mistyping once or twice never add up, while guessing one account's password
  /// (what a compromise is) always does. false: every failure of the source counts.
  bool same_user = true;
  bool operator==(const SuccessAfterFailuresConfig&) const = default;
};

/// Scans and pre-auth noise (events of kind "scan") per source key: a low-severity class of
/// its own, never counted as brute force.
struct ScanConfig {
  bool enabled = true;
  std::vector<WindowThreshold> windows = {{3600, 1}};
  bool operator==(const ScanConfig&) const = default;
};

struct AlertOutputConfig {
  /// The `users` field lists at most this many names (`user_count` has the full count).
  int64_t max_users = 20;
  bool operator==(const AlertOutputConfig&) const = default;
};

struct RulesConfig {
  AddressConfig addresses;
  /// Addresses and CIDR prefixes whose events are dropped before every rule.
  std::vector<std::string> allowlist;
  AlertOutputConfig alerts;
  BruteForceConfig brute_force;
  SlowBruteForceConfig slow_brute_force;
  SprayingConfig spraying;
  DistributedConfig distributed;
  SuccessAfterFailuresConfig success_after_failures;
  ScanConfig scan;
  bool operator==(const RulesConfig&) const = default;
};

/// The shipped defaults.
RulesConfig DefaultRulesConfig();

/// Parses a rules file (TOML). Keys left out keep their defaults. Unknown keys, wrong types
/// and out-of-range values are errors naming the file, line:column, key, value and what was
/// expected.
Result<RulesConfig> LoadRulesConfig(const std::string& path);
/// The same from text; `source_name` names it in errors.
Result<RulesConfig> ParseRulesConfig(std::string_view text, const std::string& source_name);

/// Longest window or lookback accepted (30 days), and the most windows per rule.
inline constexpr int64_t kMaxWindowSeconds = 30 * 86400;
inline constexpr size_t kMaxWindowsPerRule = 8;

}  // namespace vigil::rules
