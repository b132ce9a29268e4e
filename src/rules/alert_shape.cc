#include "rules/alert_shape.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <vector>

#include "rules/alert_schema.h"

namespace vigil::rules {

namespace {

/// The distinct non-empty strings at position `part` of every event tuple, sorted. Runs once
/// per alert update, not per event; a thread-local scratch vector avoids a heap allocation
/// per call.
std::vector<std::string_view>& DistinctParts(const Value& events, uint32_t part) {
  thread_local std::vector<std::string_view> scratch;
  scratch.clear();
  if (events.kind() != ValueKind::kTuple) return scratch;
  for (uint32_t i = 0; i < events.tuple_size(); ++i) {
    const Value& event = events.tuple_at(i);
    if (event.kind() != ValueKind::kTuple || event.tuple_size() <= part) continue;
    const Value& v = event.tuple_at(part);
    if (v.kind() != ValueKind::kString || v.as_string().empty()) continue;
    scratch.push_back(v.as_string());
  }
  std::sort(scratch.begin(), scratch.end());
  scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
  return scratch;
}

Expr DistinctPartsCapped(const Expr& events, uint32_t part, int64_t limit) {
  return apply(
      dtype::Tuple,
      [part, limit](std::span<const Value> args, ValueArena& arena) {
        const std::vector<std::string_view>& parts = DistinctParts(args[0], part);
        const size_t n = std::min<size_t>(parts.size(), static_cast<size_t>(limit));
        thread_local std::vector<Value> values;
        values.clear();
        // Views of the argument's strings (valid while the batch is processed).
        for (size_t i = 0; i < n; ++i) values.push_back(Value::String(parts[i]));
        return arena.MakeTuple(values.data(), static_cast<uint32_t>(values.size()));
      },
      {events}, "distinct_parts");
}

/// The earliest (`latest` false: position kTime) or latest (position kLast, or kTime in
/// tuples of single events) time of the event tuples.
Expr TimeBound(const Expr& events, bool latest) {
  return apply(
      dtype::DateTimeUtc,
      [latest](std::span<const Value> args, ValueArena&) {
        const Value& events_value = args[0];
        if (events_value.kind() != ValueKind::kTuple) return Value::Error();
        bool found = false;
        int64_t bound = 0;
        for (uint32_t i = 0; i < events_value.tuple_size(); ++i) {
          const Value& event = events_value.tuple_at(i);
          // Per-source tuples carry their last time; single events (success_after_failures:
          // `(ip, user, time)`) only their time.
          const uint32_t part =
              latest && event.kind() == ValueKind::kTuple && event.tuple_size() > event_parts::kLast
                  ? event_parts::kLast
                  : event_parts::kTime;
          if (event.kind() != ValueKind::kTuple || event.tuple_size() <= part) continue;
          const Value& t = event.tuple_at(part);
          if (t.kind() != ValueKind::kDateTimeUtc) continue;
          const int64_t ns = t.as_timestamp();
          if (!found || (latest ? ns > bound : ns < bound)) bound = ns;
          found = true;
        }
        return found ? Value::DateTimeUtc(bound) : Value::Error();
      },
      {events}, latest ? "last_seen" : "first_seen");
}

}  // namespace

Expr DistinctPartCount(const Expr& events, uint32_t part) {
  return apply(
      dtype::Int,
      [part](std::span<const Value> args, ValueArena&) {
        return Value::Int(static_cast<int64_t>(DistinctParts(args[0], part).size()));
      },
      {events}, "count_distinct_parts");
}

Table ShapeAlerts(const Table& reduced, const std::string& rule, const std::string& severity,
                  int64_t max_users) {
  namespace c = alert_columns;
  const Expr events = this_["events"];
  return reduced.select({
      {kAlertColumnNames[c::kRule], Expr(rule)},
      {kAlertColumnNames[c::kSeverity], Expr(severity)},
      {kAlertColumnNames[c::kIp], this_["ip"]},
      {kAlertColumnNames[c::kIps],
       DistinctPartsCapped(events, event_parts::kIp, std::numeric_limits<int64_t>::max())},
      {kAlertColumnNames[c::kUsers], DistinctPartsCapped(events, event_parts::kUser, max_users)},
      {kAlertColumnNames[c::kUserCount], DistinctPartCount(events, event_parts::kUser)},
      {kAlertColumnNames[c::kCount], this_["count"]},
      {kAlertColumnNames[c::kWindowStart], this_["window_start"]},
      {kAlertColumnNames[c::kWindowEnd], this_["window_end"]},
      {kAlertColumnNames[c::kFirstSeen], TimeBound(events, /*latest=*/false)},
      {kAlertColumnNames[c::kLastSeen], TimeBound(events, /*latest=*/true)},
  });
}

}  // namespace vigil::rules
