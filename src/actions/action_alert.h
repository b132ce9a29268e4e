#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::actions {

/// One alert as the action runner sees it. The caller (the CLI) fills it from the rules'
/// alert; it is deliberately a plain struct with no engine types, so actions can be tested
/// and reused without a pipeline.
///
/// What reaches the action program, and how:
/// - `json` goes to its standard input verbatim, followed by a newline if it lacks one. It
///   is the only place usernames and other attacker-written text may appear, and the caller
///   has escaped them (it is the same line `--format jsonl` prints).
/// - Every other field becomes an environment variable (see action_environment.h), after
///   validation: `key` and each of `ips` must be an IPv4/IPv6 address or CIDR prefix, `rule`
///   and `severity` short identifiers, the times short timestamps. An alert failing any check
///   never runs the action; it is counted as rejected and reported.
struct ActionAlert {
  /// The alert as one JSON object (one line), already escaped by the caller.
  std::string json;
  /// Rule that raised it (`brute_force`, `success_after_failures`, ...).
  std::string rule;
  /// `info`, `low`, `medium`, `high`, `critical`, ... (whatever the rules use).
  std::string severity;
  /// What the alert is about: one address, or a CIDR prefix for aggregated ones. The cooldown
  /// is per (rule, key).
  std::string key;
  /// Every source address the alert counted (addresses or prefixes).
  std::vector<std::string> ips;
  /// Attempts counted.
  int64_t count = 0;
  /// The window the alert covers and the first/last event in it, as the alert prints them
  /// (e.g. `2024-03-29T23:18:00Z` or seconds); empty when the rule has none.
  std::string window_start;
  std::string window_end;
  std::string first_seen;
  std::string last_seen;
};

}  // namespace vigil::actions
