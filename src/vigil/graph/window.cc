#include "vigil/graph/window.h"

#include "vigil/graph/table.h"
#include "vigil/types/datetime.h"

namespace vigil {

TimeParam datetime_naive(const std::string& text) {
  auto ns = ParseDateTime(text, false);
  return TimeParam(ns ? Value::DateTimeNaive(*ns) : Value::Error());
}

TimeParam datetime_utc(const std::string& text) {
  auto ns = ParseDateTime(text, true);
  return TimeParam(ns ? Value::DateTimeUtc(*ns) : Value::Error());
}

namespace temporal {

Window tumbling(TimeParam duration, std::optional<TimeParam> origin) {
  Window w;
  w.kind = Window::Kind::kTumbling;
  w.hop = duration;  // A tumbling window is a sliding one with hop = duration, ratio 1.
  w.duration = duration;
  w.origin = origin;
  return w;
}

Window sliding(TimeParam hop, std::optional<TimeParam> duration, std::optional<int64_t> ratio,
               std::optional<TimeParam> origin) {
  Window w;
  w.kind = Window::Kind::kSliding;
  w.hop = hop;
  w.duration = duration;
  w.ratio = ratio;
  w.origin = origin;
  if (duration.has_value() == ratio.has_value()) {
    w.status = Status::Invalid("sliding(): exactly one of duration and ratio must be given");
  }
  return w;
}

Window session(TimeParam max_gap) {
  Window w;
  w.kind = Window::Kind::kSession;
  w.max_gap = max_gap;
  return w;
}

Window session_predicate(std::function<bool(const Value&, const Value&)> predicate) {
  Window w;
  w.kind = Window::Kind::kSession;
  if (!predicate) w.status = Status::Invalid("session(): a predicate or max_gap is required");
  w.predicate = std::move(predicate);
  return w;
}

Window intervals_over(const Table& at_table, const Expr& at, TimeParam lower_bound,
                      TimeParam upper_bound, bool is_outer) {
  Window w;
  w.kind = Window::Kind::kIntervalsOver;
  w.at_table = at_table.node();
  w.at = at;
  w.lower_bound = lower_bound;
  w.upper_bound = upper_bound;
  w.is_outer = is_outer;
  w.status = at_table.status();  // A failed probe table fails the windowby using it.
  return w;
}

Behavior common_behavior(std::optional<TimeParam> delay, std::optional<TimeParam> cutoff,
                         bool keep_results) {
  Behavior b;
  b.kind = Behavior::Kind::kCommon;
  b.delay = delay;
  b.cutoff = cutoff;
  b.keep_results = keep_results;
  if (!keep_results && !cutoff) {
    // Without a cutoff nothing is ever forgotten, so there would be no result to retract.
    b.status = Status::Invalid("common_behavior(): keep_results=false requires a cutoff");
  }
  return b;
}

Behavior exactly_once_behavior(std::optional<TimeParam> shift) {
  Behavior b;
  b.kind = Behavior::Kind::kExactlyOnce;
  b.shift = shift;
  return b;
}

}  // namespace temporal
}  // namespace vigil
