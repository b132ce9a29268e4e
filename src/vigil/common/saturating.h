#pragma once

#include <cstdint>
#include <limits>

namespace vigil {

/// 64-bit integer arithmetic that clamps to the int64 range instead of overflowing. Event-time
/// bounds and thresholds (a window's end, end + cutoff, start + delay) use it: a time near the
/// end of the axis must stay "very late", not wrap around to "very early" (which would make a
/// cutoff drop every row, or a delay release nothing), and signed overflow is undefined
/// behaviour besides.
inline int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t r;
  if (!__builtin_add_overflow(a, b, &r)) return r;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

inline int64_t SaturatingSub(int64_t a, int64_t b) {
  int64_t r;
  if (!__builtin_sub_overflow(a, b, &r)) return r;
  return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

inline int64_t SaturatingMul(int64_t a, int64_t b) {
  int64_t r;
  if (!__builtin_mul_overflow(a, b, &r)) return r;
  return (a < 0) != (b < 0) ? std::numeric_limits<int64_t>::min()
                            : std::numeric_limits<int64_t>::max();
}

}  // namespace vigil
