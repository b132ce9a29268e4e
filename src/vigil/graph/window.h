#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "vigil/common/status.h"
#include "vigil/types/value.h"

namespace vigil {

/// A time-like parameter of a window (hop, duration, origin): an int, a float, a duration or
/// a datetime, converting implicitly from C++ values so calls read like Pathway's.
class TimeParam {
 public:
  TimeParam(int v) : value_(Value::Int(v)) {}           // NOLINT
  TimeParam(int64_t v) : value_(Value::Int(v)) {}       // NOLINT
  TimeParam(double v) : value_(Value::Float(v)) {}      // NOLINT
  template <typename Rep, typename Period>
  TimeParam(std::chrono::duration<Rep, Period> d)  // NOLINT: any std::chrono duration.
      : value_(Value::Duration(
            std::chrono::duration_cast<std::chrono::nanoseconds>(d).count())) {}
  explicit TimeParam(Value v) : value_(v) {}
  const Value& value() const { return value_; }

 private:
  Value value_;  // Never a string or tuple: safe to copy as a view.
};

/// A datetime parameter (e.g. an origin) from `YYYY-MM-DDTHH:MM:SS[+zone]`.
TimeParam datetime_naive(const std::string& text);
TimeParam datetime_utc(const std::string& text);

/// A window definition for windowby (tumbling or sliding; sessions come with live inputs).
struct Window {
  enum class Kind { kTumbling, kSliding };
  Kind kind = Kind::kTumbling;
  std::optional<TimeParam> hop;
  std::optional<TimeParam> duration;
  std::optional<int64_t> ratio;
  std::optional<TimeParam> origin;
  Status status;  ///< A window built with inconsistent arguments carries the error here.
};

namespace temporal {
/// Windows [origin + k*duration, origin + (k+1)*duration).
Window tumbling(TimeParam duration, std::optional<TimeParam> origin = std::nullopt);
/// Windows of length `duration` starting every `hop`; exactly one of duration and ratio
/// (duration = ratio * hop) must be given. hop > duration leaves gaps.
Window sliding(TimeParam hop, std::optional<TimeParam> duration,
               std::optional<int64_t> ratio = std::nullopt,
               std::optional<TimeParam> origin = std::nullopt);
}  // namespace temporal

}  // namespace vigil
