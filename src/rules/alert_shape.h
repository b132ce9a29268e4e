#pragma once

#include <cstdint>
#include <string>

#include "vigil/graph/table.h"

namespace vigil::rules {

/// The events a rule counted for one alert travel as one sorted tuple of per-source tuples
/// `(ip, user, first time, key, failed, count, last time)`: the events of one (ip, user[, key,
/// failed]) in the window are counted first (window_rules.cc: two-level aggregation), so the
/// tuple has one entry per distinct source and user, not one per event. The alert's fields
/// are computed from it once per alert update.
namespace event_parts {
inline constexpr uint32_t kIp = 0;
inline constexpr uint32_t kUser = 1;
inline constexpr uint32_t kTime = 2;    ///< The first event's time.
inline constexpr uint32_t kKey = 3;     ///< Where a rule skips sources that logged in; else "".
inline constexpr uint32_t kFailed = 4;  ///< false for a success; true where not tracked.
inline constexpr uint32_t kCount = 5;   ///< Events of this (ip, user[, key, failed]).
inline constexpr uint32_t kLast = 6;    ///< The last event's time.
inline constexpr uint32_t kSize = 7;
}  // namespace event_parts

/// Turns a rule's reduced groups into rows of the alerts table (alert_schema.h). `reduced`
/// has the columns `ip` (str), `events` (the sorted tuple above), `count` (int),
/// `window_start` and `window_end` (DateTimeUtc). The result has the rule's name and
/// severity, `ips` (distinct addresses), `users` (distinct non-empty user names, at most
/// `max_users`), `user_count` (all of them), `first_seen`/`last_seen` (the events' earliest
/// and latest time). Row ids are kept.
Table ShapeAlerts(const Table& reduced, const std::string& rule, const std::string& severity,
                  int64_t max_users);

/// The number of distinct non-empty strings at position `part` of the events tuple.
Expr DistinctPartCount(const Expr& events, uint32_t part);

}  // namespace vigil::rules
