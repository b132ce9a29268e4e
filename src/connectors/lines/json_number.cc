#include "connectors/lines/json_number.h"

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <system_error>

namespace vigil {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// The token's value as a correctly rounded double; kInvalid when it overflows.
JsonNumber ReadFloat(std::string_view token) {
  JsonNumber number;
  double value = 0;
  const auto parsed = fast_float::from_chars(token.data(), token.data() + token.size(), value);
  if (parsed.ec != std::errc() || parsed.ptr != token.data() + token.size() || std::isinf(value)) {
    return number;
  }
  number.kind = JsonNumber::Kind::kFloat;
  number.float_value = value;
  return number;
}

}  // namespace

JsonNumber ReadJsonNumber(std::string_view token) {
  while (!token.empty() && IsJsonWhitespace(token.back())) token.remove_suffix(1);
  const char* p = token.data();
  const size_t n = token.size();
  size_t i = 0;
  const bool negative = n > 0 && p[0] == '-';
  if (negative) ++i;
  if (i >= n) return {};
  const size_t digits_begin = i;
  if (p[i] == '0') {
    ++i;
  } else if (p[i] >= '1' && p[i] <= '9') {
    while (i < n && IsDigit(p[i])) ++i;
  } else {
    return {};
  }
  const size_t digits_end = i;
  bool integer = true;
  if (i < n && p[i] == '.') {
    integer = false;
    ++i;
    if (i >= n || !IsDigit(p[i])) return {};
    while (i < n && IsDigit(p[i])) ++i;
  }
  if (i < n && (p[i] == 'e' || p[i] == 'E')) {
    integer = false;
    ++i;
    if (i < n && (p[i] == '+' || p[i] == '-')) ++i;
    if (i >= n || !IsDigit(p[i])) return {};
    while (i < n && IsDigit(p[i])) ++i;
  }
  if (i != n) return {};
  if (!integer) return ReadFloat(token);

  // serde_json accumulates the digits in a u64; on overflow it reads the token as a float.
  uint64_t magnitude = 0;
  for (size_t d = digits_begin; d < digits_end; ++d) {
    const auto digit = static_cast<uint64_t>(p[d] - '0');
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) return ReadFloat(token);
    magnitude = magnitude * 10 + digit;
  }
  JsonNumber number;
  constexpr uint64_t kMinMagnitude = uint64_t{1} << 63;  // |i64::MIN|
  if (negative) {
    if (magnitude == 0 || magnitude > kMinMagnitude) {
      // serde: `-0` and integers below i64::MIN become -(magnitude as f64).
      number.kind = JsonNumber::Kind::kFloat;
      number.float_value = -static_cast<double>(magnitude);
      return number;
    }
    number.kind = JsonNumber::Kind::kSigned;
    number.signed_value = static_cast<int64_t>(~magnitude + 1);  // Two's complement negation.
    return number;
  }
  if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    number.kind = JsonNumber::Kind::kUnsigned;
    number.unsigned_value = magnitude;
    return number;
  }
  number.kind = JsonNumber::Kind::kSigned;
  number.signed_value = static_cast<int64_t>(magnitude);
  return number;
}

}  // namespace vigil
