#pragma once

#include <cstdint>
#include <string>

#include "vigil/graph/table.h"

namespace vigil::rules {

/// The events a rule counted for one alert travel as one sorted tuple of per-event tuples
/// `(ip, user, time[, key, failed])`: one `reducers::sorted_tuple` per group instead of one reducer
/// per output field (each reducer keeps a multiset per group: they dominate the cost), from
/// which the alert's fields are computed once per alert update.
namespace event_parts {
inline constexpr uint32_t kIp = 0;
inline constexpr uint32_t kUser = 1;
inline constexpr uint32_t kTime = 2;
inline constexpr uint32_t kKey = 3;     ///< Only where a rule counts distinct keys.
inline constexpr uint32_t kFailed = 4;  ///< distributed: false for a success.
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
