#include "vigil/graph/window.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

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

std::optional<int64_t> WindowsPerRow(const Value& hop, const std::optional<Value>& duration,
                                     std::optional<int64_t> ratio) {
  if (ratio) {
    if (*ratio <= 0) return std::nullopt;
    return *ratio;
  }
  if (!duration) return std::nullopt;
  const ValueKind h = hop.kind(), d = duration->kind();
  if (h == ValueKind::kDuration && d == ValueKind::kDuration) {
    const int64_t hop_ns = hop.as_timestamp(), duration_ns = duration->as_timestamp();
    if (hop_ns <= 0 || duration_ns <= 0) return std::nullopt;
    // ceil(duration / hop) without overflow: both are positive.
    return duration_ns / hop_ns + (duration_ns % hop_ns != 0 ? 1 : 0);
  }
  if (!hop.is_numeric() || !duration->is_numeric()) return std::nullopt;
  if (h == ValueKind::kInt && d == ValueKind::kInt) {
    const int64_t hop_i = hop.as_int(), duration_i = duration->as_int();
    if (hop_i <= 0 || duration_i <= 0) return std::nullopt;
    return duration_i / hop_i + (duration_i % hop_i != 0 ? 1 : 0);
  }
  const double hop_f = hop.as_number(), duration_f = duration->as_number();
  if (!(hop_f > 0) || !(duration_f > 0)) return std::nullopt;
  const double windows = std::ceil(duration_f / hop_f);
  // Anything at or above 2^63 (including an infinite ratio) saturates.
  if (!(windows < 9223372036854775808.0)) return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(windows);
}

Status CheckWindowsPerRow(const Value& hop, const std::optional<Value>& duration,
                          std::optional<int64_t> ratio) {
  const std::optional<int64_t> windows = WindowsPerRow(hop, duration, ratio);
  if (!windows || *windows <= kMaxWindowsPerRow) return Status::OK();
  return Status::Invalid(
      "sliding window with hop {} and {} puts every row in {} windows; at most {} windows per "
      "row are supported (make the hop larger or the duration shorter)",
      FormatValue(hop), ratio ? fmt::format("ratio {}", *ratio)
                              : fmt::format("duration {}", FormatValue(*duration)),
      *windows, kMaxWindowsPerRow);
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

Window tumbling(const TumblingParams& params) {
  if (!params.duration) {
    Window w;
    w.status = Status::Invalid("tumbling(): duration is required");
    return w;
  }
  return tumbling(*params.duration, params.origin);
}

Window sliding(const SlidingParams& params) {
  if (!params.hop) {
    Window w;
    w.kind = Window::Kind::kSliding;
    w.status = Status::Invalid("sliding(): hop is required");
    return w;
  }
  return sliding(*params.hop, params.duration, params.ratio, params.origin);
}

namespace {
// hop > duration is legal (windows with gaps between them) but is also what swapping the
// two arguments of sliding(hop, duration) gives; say so in the table's warnings.
std::optional<std::string> HopLongerThanDuration(const Value& hop, const Value& duration) {
  bool longer = false;
  if (hop.is_numeric() && duration.is_numeric()) {
    longer = hop.as_number() > duration.as_number();
  } else if (hop.kind() == ValueKind::kDuration && duration.kind() == ValueKind::kDuration) {
    longer = hop.as_timestamp() > duration.as_timestamp();
  }
  if (!longer) return std::nullopt;
  return fmt::format(
      "sliding(hop={}, duration={}): the hop is longer than the duration, so rows between "
      "windows fall in none; sliding takes the hop first (sliding({{.hop = ..., .duration = "
      "...}}) names them)",
      FormatValue(hop), FormatValue(duration));
}
}  // namespace

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
  } else {
    // Checked here so that a front can read the error before building a graph, and again
    // by windowby (Window's fields are public).
    w.status = CheckWindowsPerRow(
        hop.value(), duration ? std::optional<Value>(duration->value()) : std::nullopt, ratio);
    if (duration) {
      if (auto warning = HopLongerThanDuration(hop.value(), duration->value())) {
        w.warnings.push_back(std::move(*warning));
      }
    }
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
