#include "rules/source_counts.h"

#include <chrono>
#include <utility>
#include <vector>

namespace vigil::rules {

namespace {

/// Part `i` of the level-1 instance `(host, key, ip, user, failed)`.
Expr InstancePart(uint32_t i, DType type) {
  return apply(
      type,
      [i](std::span<const Value> args, ValueArena&) {
        const Value& t = args[0];
        if (t.kind() != ValueKind::kTuple || t.tuple_size() <= i) return Value::Error();
        return t.tuple_at(i);  // A view into the group row: operators that keep it copy it.
      },
      {this_["_pw_instance"]}, "source_part");
}

/// Level 1's live behavior. Events later than the cutoff are dropped on the reading-order
/// clock (a replay and a follower of the same log agree) and a window is forgotten at its
/// end + cutoff. Where the window's alerts are emitted once (EmitsOnceWhenClosed), the counts
/// are too: exactly_once, which holds each (window, source) group's result, not its events
/// (ops/temporal/README.md), and hands level 2 one final row per source when the window
/// closes; otherwise the counts change as events come (each change reaching level 2 as a
/// retraction and an insertion). Static runs keep every window (nullopt).
std::optional<Behavior> Level1Behavior(const DetectionOptions& options, int64_t window_seconds) {
  if (options.emit == EmitMode::kStatic) return std::nullopt;
  const std::chrono::seconds cutoff(options.cutoff_seconds);
  Behavior behavior = EmitsOnceWhenClosed(options, window_seconds)
                          ? temporal::exactly_once_behavior(cutoff)
                          : temporal::common_behavior(std::nullopt, cutoff);
  behavior.cutoff_clock = Behavior::CutoffClock::kReadingOrder;
  return behavior;
}

}  // namespace

SourceCounts::SourceCounts(Table events, bool has_failed, DetectionOptions options)
    : events_(std::move(events)), has_failed_(has_failed), options_(options) {}

const Table& SourceCounts::ForWindow(int64_t window_seconds) {
  auto it = by_length_.find(window_seconds);
  if (it != by_length_.end()) return it->second;
  std::vector<Expr> source;
  source.reserve(5);  // By push_back: g++ 12's -Warray-bounds misfires on a list here.
  source.push_back(this_["host"]);
  source.push_back(this_["key"]);
  source.push_back(this_["ip"]);
  source.push_back(this_["user"]);
  source.push_back(has_failed_ ? this_["failed"] : Expr(true));
  Table counts =
      events_
          .windowby(this_["time"], temporal::tumbling(std::chrono::seconds(window_seconds)),
                    make_tuple(std::move(source)),
                    Level1Behavior(options_, window_seconds))
          .reduce({{"host", InstancePart(0, dtype::Str)},
                   {"key", InstancePart(1, dtype::Str)},
                   {"ip", InstancePart(2, dtype::Str)},
                   {"user", InstancePart(3, dtype::Str)},
                   {"failed", InstancePart(4, dtype::Bool)},
                   {"count", reducers::count()},
                   {"first", reducers::min(this_["time"])},
                   {"last", reducers::max(this_["time"])}});
  return by_length_.emplace(window_seconds, std::move(counts)).first->second;
}

}  // namespace vigil::rules
