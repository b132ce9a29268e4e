#include "rules/alert_shape.h"

#include <limits>
#include <vector>

#include "rules/alert_schema.h"

namespace vigil::rules {

namespace {

/// The distinct non-empty strings of a sorted tuple, at most `limit` of them, copied into the
/// arena. Sorted input makes repeats adjacent, so one pass suffices. Runs once per alert
/// update, not per event.
Value DistinctStrings(const Value& sorted, int64_t limit, ValueArena& arena) {
  if (sorted.kind() != ValueKind::kTuple) return Value::Error();
  // Alerts are few; a thread-local scratch vector avoids a heap allocation per call.
  thread_local std::vector<Value> scratch;
  scratch.clear();
  const Value* previous = nullptr;
  for (uint32_t i = 0; i < sorted.tuple_size(); ++i) {
    const Value& v = sorted.tuple_at(i);
    if (v.kind() != ValueKind::kString || v.as_string().empty()) continue;
    if (previous != nullptr && previous->as_string() == v.as_string()) continue;
    previous = &v;
    if (static_cast<int64_t>(scratch.size()) >= limit) continue;
    scratch.push_back(arena.CopyString(v.as_string()));
  }
  return arena.MakeTuple(scratch.data(), static_cast<uint32_t>(scratch.size()));
}

int64_t CountDistinctStrings(const Value& sorted) {
  if (sorted.kind() != ValueKind::kTuple) return 0;
  int64_t count = 0;
  const Value* previous = nullptr;
  for (uint32_t i = 0; i < sorted.tuple_size(); ++i) {
    const Value& v = sorted.tuple_at(i);
    if (v.kind() != ValueKind::kString || v.as_string().empty()) continue;
    if (previous != nullptr && previous->as_string() == v.as_string()) continue;
    previous = &v;
    ++count;
  }
  return count;
}

Expr DistinctCapped(const Expr& sorted_strings, int64_t limit) {
  return apply(
      dtype::Tuple,
      [limit](std::span<const Value> args, ValueArena& arena) {
        return DistinctStrings(args[0], limit, arena);
      },
      {sorted_strings}, "distinct_strings");
}

}  // namespace

Expr DistinctNonEmptyCount(const Expr& sorted_strings) {
  return apply(
      dtype::Int,
      [](std::span<const Value> args, ValueArena&) {
        return Value::Int(CountDistinctStrings(args[0]));
      },
      {sorted_strings}, "count_distinct_strings");
}

Table ShapeAlerts(const Table& reduced, const std::string& rule, const std::string& severity,
                  int64_t max_users) {
  return reduced.select({
      {kAlertColumnNames[alert_columns::kRule], Expr(rule)},
      {kAlertColumnNames[alert_columns::kSeverity], Expr(severity)},
      {kAlertColumnNames[alert_columns::kIp], this_["ip"]},
      {kAlertColumnNames[alert_columns::kIps],
       DistinctCapped(this_["all_ips"], std::numeric_limits<int64_t>::max())},
      {kAlertColumnNames[alert_columns::kUsers], DistinctCapped(this_["all_users"], max_users)},
      {kAlertColumnNames[alert_columns::kUserCount], DistinctNonEmptyCount(this_["all_users"])},
      {kAlertColumnNames[alert_columns::kCount], this_["count"]},
      {kAlertColumnNames[alert_columns::kWindowStart], this_["window_start"]},
      {kAlertColumnNames[alert_columns::kWindowEnd], this_["window_end"]},
      {kAlertColumnNames[alert_columns::kFirstSeen], this_["first_seen"]},
      {kAlertColumnNames[alert_columns::kLastSeen], this_["last_seen"]},
  });
}

}  // namespace vigil::rules
