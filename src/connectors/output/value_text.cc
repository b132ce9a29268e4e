#include "connectors/output/value_text.h"

#include "vigil/types/datetime.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "vigil/common/check.h"

namespace vigil {

namespace {

/// Shortest round-trip decimal of a finite double: value = d.ddd × 10^exponent, where
/// `digits` holds the significant digits without the point.
struct ShortestDecimal {
  bool negative = false;
  char digits[24];
  int length = 0;
  int exponent = 0;
};

ShortestDecimal ToShortestDecimal(double f) {
  // std::to_chars without a precision yields the shortest digits that round-trip, the
  // same digit choice as Rust's Grisu/Dragon and ryu (closest to the exact value).
  char text[40];
  auto result = std::to_chars(text, text + sizeof text, f, std::chars_format::scientific);
  VIGIL_CHECK(result.ec == std::errc());
  ShortestDecimal decimal;
  const char* p = text;
  if (*p == '-') {
    decimal.negative = true;
    ++p;
  }
  for (; p < result.ptr && *p != 'e'; ++p) {
    if (*p != '.') decimal.digits[decimal.length++] = *p;
  }
  VIGIL_CHECK(p < result.ptr);
  ++p;  // 'e'
  bool exponent_negative = *p == '-';
  if (*p == '-' || *p == '+') ++p;
  int exponent = 0;
  std::from_chars(p, result.ptr, exponent);
  decimal.exponent = exponent_negative ? -exponent : exponent;
  return decimal;
}

/// Positional layout with at least one fractional digit: `12.5`, `0.001`, `1500.0`.
void AppendPositional(std::string& out, const ShortestDecimal& d) {
  if (d.negative) out.push_back('-');
  int point = d.exponent + 1;  // Digits before the decimal point.
  if (point <= 0) {
    out.append("0.");
    out.append(static_cast<size_t>(-point), '0');
    out.append(d.digits, static_cast<size_t>(d.length));
  } else if (point >= d.length) {
    out.append(d.digits, static_cast<size_t>(d.length));
    out.append(static_cast<size_t>(point - d.length), '0');
    out.append(".0");
  } else {
    out.append(d.digits, static_cast<size_t>(point));
    out.push_back('.');
    out.append(d.digits + point, static_cast<size_t>(d.length - point));
  }
}

/// Rust/ryu exponent layout: `1e16`, `1.5e-7` (no `+`, no zero padding).
void AppendExponential(std::string& out, const ShortestDecimal& d) {
  if (d.negative) out.push_back('-');
  out.push_back(d.digits[0]);
  if (d.length > 1) {
    out.push_back('.');
    out.append(d.digits + 1, static_cast<size_t>(d.length - 1));
  }
  out.push_back('e');
  AppendInt(out, d.exponent);
}

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr char kHexDigits[] = "0123456789abcdef";


/// Appends `value` zero-padded to `width` digits (value >= 0).
void AppendPadded(std::string& out, int64_t value, int width) {
  char text[24];
  auto result = std::to_chars(text, text + sizeof text, value);
  int length = static_cast<int>(result.ptr - text);
  if (length < width) out.append(static_cast<size_t>(width - length), '0');
  out.append(text, result.ptr);
}

/// Length of the valid UTF-8 sequence starting at `s[i]` (a byte >= 0x80), or 0 if invalid
/// (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, truncated).
size_t ValidUtf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  auto is_continuation = [&](size_t k) { return k < s.size() && (byte(k) & 0xC0) == 0x80; };
  unsigned char lead = byte(i);
  if (lead >= 0xC2 && lead <= 0xDF) return is_continuation(i + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!is_continuation(i + 1) || !is_continuation(i + 2)) return 0;
    unsigned char second = byte(i + 1);
    if (lead == 0xE0 && second < 0xA0) return 0;   // Overlong.
    if (lead == 0xED && second >= 0xA0) return 0;  // UTF-16 surrogate.
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!is_continuation(i + 1) || !is_continuation(i + 2) || !is_continuation(i + 3)) return 0;
    unsigned char second = byte(i + 1);
    if (lead == 0xF0 && second < 0x90) return 0;   // Overlong.
    if (lead == 0xF4 && second >= 0x90) return 0;  // Beyond U+10FFFF.
    return 4;
  }
  return 0;
}

}  // namespace

void AppendInt(std::string& out, int64_t i) {
  char text[24];
  auto result = std::to_chars(text, text + sizeof text, i);
  out.append(text, result.ptr);
}

void AppendUnsigned(std::string& out, uint64_t u) {
  char text[24];
  auto result = std::to_chars(text, text + sizeof text, u);
  out.append(text, result.ptr);
}

void AppendRustFloat(std::string& out, double f) {
  if (std::isnan(f)) {
    out.append("NaN");
    return;
  }
  if (std::isinf(f)) {
    out.append(f > 0 ? "inf" : "-inf");
    return;
  }
  ShortestDecimal decimal = ToShortestDecimal(f);
  // Rust's `already_rounded_value_should_use_exponential`, compared on the value itself.
  double magnitude = std::fabs(f);
  if ((magnitude != 0.0 && magnitude < 1e-4) || magnitude >= 1e16) {
    AppendExponential(out, decimal);
  } else {
    AppendPositional(out, decimal);
  }
}

std::string FormatRustFloat(double f) {
  std::string out;
  AppendRustFloat(out, f);
  return out;
}

void AppendJsonFloat(std::string& out, double f) {
  if (!std::isfinite(f)) {
    out.append("null");
    return;
  }
  ShortestDecimal decimal = ToShortestDecimal(f);
  // ryu's rule: positional while the decimal point falls within -5 < point <= 16.
  if (decimal.exponent >= -5 && decimal.exponent <= 15) {
    AppendPositional(out, decimal);
  } else {
    AppendExponential(out, decimal);
  }
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t run_start = 0;  // Start of the pending run of bytes copied verbatim.
  auto flush_run = [&](size_t end) { out.append(s.data() + run_start, end - run_start); };
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t length = ValidUtf8SequenceLength(s, i);
      if (length > 0) {
        i += length;
        continue;
      }
      flush_run(i);
      out.append("\\ufffd");
      run_start = ++i;
      continue;
    }
    flush_run(i);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        out.append("\\u00");
        out.push_back(kHexDigits[c >> 4]);
        out.push_back(kHexDigits[c & 0xF]);
    }
    run_start = ++i;
  }
  flush_run(s.size());
  out.push_back('"');
}

void AppendKeyText(std::string& out, const Key& key) {
  unsigned char bytes[16];
  std::memcpy(bytes, &key.lo, 8);  // Little-endian hosts only, as KeyHasher.
  std::memcpy(bytes + 8, &key.hi, 8);
  char text[27];
  text[0] = '^';
  size_t length = 1;
  uint32_t accumulator = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    accumulator = (accumulator << 8) | b;
    bits += 8;
    while (bits >= 5) {
      text[length++] = kCrockford[(accumulator >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text[length++] = kCrockford[(accumulator << (5 - bits)) & 31];
  out.append(text, length);
}

void AppendRustDateTime(std::string& out, int64_t ns, bool utc) {
  const CivilTime t = SplitTimestamp(ns);
  const int64_t year = t.year;
  // chrono's %Y: four digits for years 0..9999, an explicit sign outside.
  if (year < 0) {
    out.push_back('-');
    AppendPadded(out, -year, 4);
  } else {
    if (year > 9999) out.push_back('+');
    AppendPadded(out, year, 4);
  }
  out.push_back('-');
  AppendPadded(out, t.month, 2);
  out.push_back('-');
  AppendPadded(out, t.day, 2);
  out.push_back('T');
  AppendPadded(out, t.hour, 2);
  out.push_back(':');
  AppendPadded(out, t.minute, 2);
  out.push_back(':');
  AppendPadded(out, t.second, 2);
  out.push_back('.');
  AppendPadded(out, t.nanosecond, 9);
  if (utc) out.append("+0000");
}

std::string FormatRustDateTime(int64_t ns, bool utc) {
  std::string out;
  AppendRustDateTime(out, ns, utc);
  return out;
}

void AppendJsonValue(std::string& out, const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNone:
    case ValueKind::kError:
      out.append("null");
      return;
    case ValueKind::kBool:
      out.append(v.as_bool() ? "true" : "false");
      return;
    case ValueKind::kInt:
      AppendInt(out, v.as_int());
      return;
    case ValueKind::kFloat:
      AppendJsonFloat(out, v.as_float());
      return;
    case ValueKind::kPointer:
      out.push_back('"');
      AppendKeyText(out, v.as_pointer());  // Base32 needs no escaping.
      out.push_back('"');
      return;
    case ValueKind::kString:
      AppendJsonString(out, v.as_string());
      return;
    case ValueKind::kTuple:
      out.push_back('[');
      for (uint32_t i = 0; i < v.tuple_size(); ++i) {
        if (i > 0) out.push_back(',');
        AppendJsonValue(out, v.tuple_at(i));
      }
      out.push_back(']');
      return;
    case ValueKind::kDateTimeNaive:
    case ValueKind::kDateTimeUtc:
      out.push_back('"');
      AppendRustDateTime(out, v.as_timestamp(), v.kind() == ValueKind::kDateTimeUtc);
      out.push_back('"');
      return;
    case ValueKind::kDuration:
      AppendInt(out, v.as_timestamp());
      return;
  }
}

}  // namespace vigil
