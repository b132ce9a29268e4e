#pragma once

#include <compare>
#include <optional>

#include "vigil/types/value.h"

namespace vigil {

/// The order of event times: CompareValues, with the usual cases (two ints, two datetimes or
/// durations: one int64 each) inline, since temporal operators compare per row.
inline std::strong_ordering CompareEventTimes(const Value& a, const Value& b) {
  if (a.kind() == b.kind()) {
    switch (a.kind()) {
      case ValueKind::kInt:
        return a.as_int() <=> b.as_int();
      case ValueKind::kDateTimeUtc:
      case ValueKind::kDateTimeNaive:
      case ValueKind::kDuration:
        return a.as_timestamp() <=> b.as_timestamp();
      default:
        break;
    }
  }
  return CompareValues(a, b);
}

/// "Now" of a temporal operator: the largest event time it has seen (Pathway's column time),
/// absent until a first time arrives. Event times are ints, floats or datetimes (the type
/// checks of windowby/ignore_late/buffer/forget admit nothing else), so a Value is kept by
/// value without owning memory. None and Error times carry no information and are ignored.
class EventClock {
 public:
  /// Whether `t` is an event time (None and Error are not).
  static bool IsEventTime(const Value& t) {
    switch (t.kind()) {
      case ValueKind::kInt:
      case ValueKind::kFloat:
      case ValueKind::kDateTimeNaive:
      case ValueKind::kDateTimeUtc:
      case ValueKind::kDuration:
        return true;
      default:
        return false;
    }
  }

  bool has_now() const { return now_.has_value(); }
  const Value& now() const { return *now_; }

  /// Whether "now" has reached `threshold` (threshold <= now). False before any time.
  bool Reached(const Value& threshold) const {
    return now_ && CompareEventTimes(threshold, *now_) != std::strong_ordering::greater;
  }

  /// now = max(now, t).
  void Advance(const Value& t) {
    if (!IsEventTime(t)) return;
    if (!now_ || CompareEventTimes(t, *now_) == std::strong_ordering::greater) now_ = t;
  }
  void Advance(const EventClock& other) {
    if (other.now_) Advance(*other.now_);
  }
  void Reset() { now_.reset(); }

 private:
  std::optional<Value> now_;
};

}  // namespace vigil
