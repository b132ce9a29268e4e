#pragma once

#include <cstdint>
#include <string>

#include "vigil/graph/table.h"

namespace vigil::rules {

/// Turns a rule's reduced groups into rows of the alerts table (alert_schema.h). `reduced`
/// has the columns `ip` (str), `all_ips` and `all_users` (sorted tuples of str, repeats
/// allowed, as reducers::sorted_tuple gives them), `count` (int) and `window_start`,
/// `window_end`, `first_seen`, `last_seen` (DateTimeUtc). The result has the rule's name and
/// severity, `ips` (distinct addresses), `users` (distinct non-empty user names, at most
/// `max_users`) and `user_count` (all distinct non-empty names). Row ids are kept.
Table ShapeAlerts(const Table& reduced, const std::string& rule, const std::string& severity,
                  int64_t max_users);

/// An expression over a sorted tuple of strings: the number of distinct non-empty ones.
Expr DistinctNonEmptyCount(const Expr& sorted_strings);

}  // namespace vigil::rules
