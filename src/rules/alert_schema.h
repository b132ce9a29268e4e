#pragma once

#include <cstddef>

#include "vigil/types/schema.h"

namespace vigil::rules {

/// The alerts table every rule returns (one schema, so BuildDetection can concatenate them).
/// Column indices are fixed: SubscribeAlerts reads rows by index.
namespace alert_columns {
inline constexpr size_t kRule = 0;        ///< str: brute_force, slow_brute_force, ...
inline constexpr size_t kSeverity = 1;    ///< str: critical, high, medium, low, info.
inline constexpr size_t kIp = 2;          ///< str: the source key (address or CIDR), or user@host.
inline constexpr size_t kIps = 3;         ///< tuple of str: every source address counted, sorted.
inline constexpr size_t kUsers = 4;       ///< tuple of str: distinct users tried, sorted, capped.
inline constexpr size_t kUserCount = 5;   ///< int: distinct users tried (uncapped).
inline constexpr size_t kCount = 6;       ///< int: events counted.
inline constexpr size_t kWindowStart = 7; ///< DateTimeUtc.
inline constexpr size_t kWindowEnd = 8;   ///< DateTimeUtc (exclusive for windows).
inline constexpr size_t kFirstSeen = 9;   ///< DateTimeUtc: earliest event counted.
inline constexpr size_t kLastSeen = 10;   ///< DateTimeUtc: latest event counted.
inline constexpr size_t kColumnCount = 11;
}  // namespace alert_columns

/// Names of the alert columns, in index order.
inline constexpr const char* kAlertColumnNames[alert_columns::kColumnCount] = {
    "rule",  "severity",     "ip",         "ips",        "users",    "user_count",
    "count", "window_start", "window_end", "first_seen", "last_seen"};

}  // namespace vigil::rules
