#include "rules/success_after_failures.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "rules/alert_shape.h"
#include "vigil/types/datetime.h"

namespace vigil::rules {

namespace {



/// True when the failure is at or before the success and at most `lookback_ns` before it.
Expr FailureCounts(int64_t lookback_ns) {
  return apply(
      dtype::Bool,
      [lookback_ns](std::span<const Value> args, ValueArena&) {
        if (args[0].kind() != ValueKind::kDateTimeUtc ||
            args[1].kind() != ValueKind::kDateTimeUtc) {
          return Value::Bool(false);
        }
        const int64_t success = args[0].as_timestamp();
        const int64_t failure = args[1].as_timestamp();
        // failure < success, written so it cannot overflow; then the distance. A failure in
        // the success's own second does not count: syslog's one-second stamps cannot say
        // whether it came before the login, and counting it would make the alert depend on
        // how the log was cut into commits (a live run delivers the alert the moment the
        // login is read; a same-second failure logged after it would count statically only).
        if (failure >= success) return Value::Bool(false);
        const uint64_t distance =
            static_cast<uint64_t>(success) - static_cast<uint64_t>(failure);
        return Value::Bool(distance <= static_cast<uint64_t>(lookback_ns));
      },
      {this_["stime"], this_["ftime"]}, "failure_in_lookback");
}

/// floor(time / bucket_ns) + offset: the time bucket of a datetime.
Expr TimeBucket(const Expr& time, int64_t bucket_ns, int64_t offset) {
  return apply(
      dtype::Int,
      [bucket_ns, offset](std::span<const Value> args, ValueArena&) {
        if (args[0].kind() != ValueKind::kDateTimeUtc) return Value::Error();
        return Value::Int(FloorDiv(args[0].as_timestamp(), bucket_ns) + offset);
      },
      {time}, "time_bucket");
}

/// `time - lookback`, saturating at the start of the axis.
Expr LookbackStart(int64_t lookback_ns) {
  return apply(
      dtype::DateTimeUtc,
      [lookback_ns](std::span<const Value> args, ValueArena&) {
        if (args[0].kind() != ValueKind::kDateTimeUtc) return Value::Error();
        const int64_t t = args[0].as_timestamp();
        const int64_t start = t < INT64_MIN + lookback_ns ? INT64_MIN : t - lookback_ns;
        return Value::DateTimeUtc(start);
      },
      {this_["stime"]}, "lookback_start");
}

/// A sorted tuple with one more value inserted in order (deep-copied into the arena: the
/// result outlives the arguments' batch). Once per alert update.
Expr InsertSorted(const Expr& sorted, const Expr& extra) {
  return apply(
      dtype::Tuple,
      [](std::span<const Value> args, ValueArena& arena) {
        if (args[0].kind() != ValueKind::kTuple) return Value::Error();
        thread_local std::vector<Value> scratch;
        scratch.assign(args[0].tuple_data(), args[0].tuple_data() + args[0].tuple_size());
        auto at = std::lower_bound(
            scratch.begin(), scratch.end(), args[1],
            [](const Value& a, const Value& b) { return CompareValues(a, b) < 0; });
        scratch.insert(at, args[1]);
        for (Value& v : scratch) v = arena.Copy(v);
        return arena.MakeTuple(scratch.data(), static_cast<uint32_t>(scratch.size()));
      },
      {sorted, extra}, "insert_sorted");
}

}  // namespace

Table BuildSuccessAfterFailures(const Table& failures, const Table& successes,
                                const SuccessAfterFailuresConfig& config,
                                const RuleContext& context) {
  const int64_t lookback_ns = config.lookback_seconds * kNanosPerSecond;
  Table failure_state = failures;
  Table success_state = successes;
  if (context.options.emit != EmitMode::kStatic) {
    // Flat memory live: a failure can no longer count for a success once it is lookback
    // older than "now", plus the cutoff for late successes (and a second of margin). A
    // success is kept only for the cutoff, the time late failures may still come: after
    // that its alert can no longer change, and keeping it would make every forgotten
    // failure recompute the alerts of the lookback's successes (their retractions are not
    // delivered: SubscribeAlerts).
    const std::chrono::seconds failure_retention(config.lookback_seconds +
                                                 context.options.cutoff_seconds + 1);
    const std::chrono::seconds success_retention(context.options.cutoff_seconds + 1);
    failure_state = failures.forget(this_["time"], failure_retention);
    success_state = successes.forget(this_["time"], success_retention);
  }
  // The join is bucketed by lookback-long time buckets, so a success meets only the failures
  // of its own bucket and the one before (those within one lookback of it), not every failure
  // its key ever had: a busy NAT's month of logs would otherwise pair each success with every
  // failure. Successes (rare) are joined twice, with their bucket and the previous one; a
  // failure has one bucket, so the two joins' pairs are disjoint (ids hash both row ids).
  Table f = failure_state.select({{"ftime", this_["time"]},
                                  {"fkey", this_["key"]},
                                  {"fip", this_["ip"]},
                                  {"fuser", this_["user"]},
                                  {"fbucket", TimeBucket(this_["time"], lookback_ns, 0)}});
  std::optional<Table> pairs;
  for (int64_t offset : {0, -1}) {
    Table s = success_state.select({{"stime", this_["time"]},
                                    {"skey", this_["key"]},
                                    {"sip", this_["ip"]},
                                    {"suser", this_["user"]},
                                    {"sbucket", TimeBucket(this_["time"], lookback_ns, offset)}});
    std::vector<Expr> on;
    on.reserve(3);
    on.push_back(left["skey"] == right["fkey"]);
    on.push_back(left["sbucket"] == right["fbucket"]);
    if (config.same_user) on.push_back(left["suser"] == right["fuser"]);
    Table matched =
        s.join(f, std::move(on))
            .select({{"sid", left.id()},
                     {"skey", left["skey"]},
                     {"stime", left["stime"]},
                     {"sip", left["sip"]},
                     {"suser", left["suser"]},
                     {"ftime", right["ftime"]},
                     {"fip", right["fip"]},
                     {"fuser", right["fuser"]}});
    pairs = pairs ? pairs->concat(matched) : matched;
  }
  pairs = pairs->filter(FailureCounts(lookback_ns));
  // Grouped by the success row (its other columns ride along as keys, read without a
  // reducer); the failures as one sorted tuple of (ip, user, time), with the success's own
  // event added for the alert's ips, users and last_seen (alert_shape.h).
  Table reduced =
      pairs
          ->groupby({this_["sid"], this_["skey"], this_["stime"], this_["sip"], this_["suser"]})
          .reduce({this_["skey"], this_["stime"], this_["sip"], this_["suser"],
                   {"count", reducers::count()},
                   {"failures", reducers::sorted_tuple(
                                    make_tuple({this_["fip"], this_["fuser"], this_["ftime"]}))}})
          .filter(this_["count"] >= config.min_failures)
          .select({{"ip", this_["skey"]},
                   {"events", InsertSorted(this_["failures"],
                                           make_tuple({this_["sip"], this_["suser"],
                                                       this_["stime"]}))},
                   this_["count"],
                   {"window_start", LookbackStart(lookback_ns)},
                   {"window_end", this_["stime"]}});
  return ShapeAlerts(reduced, "success_after_failures", "critical", context.max_users);
}

}  // namespace vigil::rules
