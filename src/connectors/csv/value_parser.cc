#include "connectors/csv/value_parser.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <system_error>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include "vigil/types/datetime.h"

namespace vigil {

namespace {

// Rust's error texts (core::num::ParseIntError, ParseFloatError) and Pathway's own.
constexpr const char* kIntEmpty = "cannot parse integer from empty string";
constexpr const char* kIntInvalidDigit = "invalid digit found in string";
constexpr const char* kIntTooLarge = "number too large to fit in target type";
constexpr const char* kIntTooSmall = "number too small to fit in target type";
constexpr const char* kFloatEmpty = "cannot parse float from empty string";
constexpr const char* kFloatInvalid = "invalid float literal";
constexpr const char* kBoolInvalid = "provided string was not parsable as a boolean value";
constexpr const char* kDateTimeNaiveInvalid =
    "input does not match the format %Y-%m-%dT%H:%M:%S%.f";
constexpr const char* kDateTimeUtcInvalid =
    "input does not match the format %Y-%m-%dT%H:%M:%S%.f%z";
constexpr const char* kUnsupportedType = "parsing this type from CSV is not supported";

bool IsAsciiWhitespace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/// Rust's str::trim for the ASCII whitespace (the only whitespace a CSV number or flag has).
std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

/// Pathway's parse_bool_advanced (Postgres spellings plus single letters).
const char* ParseBool(std::string_view s, bool& out) {
  const std::string_view t = Trim(s);
  switch (t.size()) {
    case 1: {
      const char c = t[0];
      if (c == '1' || c == 't' || c == 'T' || c == 'y' || c == 'Y') {
        out = true;
        return nullptr;
      }
      if (c == '0' || c == 'f' || c == 'F' || c == 'n' || c == 'N') {
        out = false;
        return nullptr;
      }
      return kBoolInvalid;
    }
    default:
      if (EqualsIgnoreCase(t, "true") || EqualsIgnoreCase(t, "yes") ||
          EqualsIgnoreCase(t, "on")) {
        out = true;
        return nullptr;
      }
      if (EqualsIgnoreCase(t, "false") || EqualsIgnoreCase(t, "no") ||
          EqualsIgnoreCase(t, "off")) {
        out = false;
        return nullptr;
      }
      return kBoolInvalid;
  }
}

bool RepresentsNull(std::string_view s) {
  const std::string_view t = Trim(s);
  return t.empty() || EqualsIgnoreCase(t, "null") || EqualsIgnoreCase(t, "none");
}

/// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
size_t Utf8SequenceLength(const unsigned char* s, size_t size, size_t i) {
  const unsigned char c = s[i];
  if (c < 0x80) return 1;
  auto continuation = [&](size_t k) { return i + k < size && (s[i + k] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return continuation(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    const unsigned char c1 = s[i + 1];
    if (c == 0xE0 && c1 < 0xA0) return 0;  // Overlong.
    if (c == 0xED && c1 > 0x9F) return 0;  // Surrogates.
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    const unsigned char c1 = s[i + 1];
    if (c == 0xF0 && c1 < 0x90) return 0;  // Overlong.
    if (c == 0xF4 && c1 > 0x8F) return 0;  // Above U+10FFFF.
    return 4;
  }
  return 0;
}


FieldParseResult Failure(const char* reason) {
  FieldParseResult result;
  result.error = reason;
  return result;
}

FieldParseResult Success(Value value) {
  FieldParseResult result;
  result.value = value;
  return result;
}

}  // namespace

const char* ParseInt64Slow(std::string_view s, int64_t& out) {
  if (s.empty()) return kIntEmpty;
  bool negative = false;
  std::string_view digits = s;
  if (digits.front() == '+' || digits.front() == '-') {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
    if (digits.empty()) return kIntInvalidDigit;
  }
  // As Rust's from_str_radix: left to right, a bad character is reported before the overflow
  // of the step that reads it, and an overflow before any later character.
  constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;  // |i64::MIN|; i64::MAX is one less.
  const uint64_t limit = negative ? kMaxMagnitude : kMaxMagnitude - 1;
  uint64_t value = 0;
  for (const char c : digits) {
    const unsigned digit = static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
    if (digit > 9) return kIntInvalidDigit;
    if (value > (limit - digit) / 10) return negative ? kIntTooSmall : kIntTooLarge;
    value = value * 10 + digit;
  }
  out = negative ? static_cast<int64_t>(0 - value) : static_cast<int64_t>(value);
  return nullptr;
}

const char* ParseFloat64(std::string_view s, double& out) {
  if (s.empty()) return kFloatEmpty;
  std::string_view body = s;
  if (body.front() == '+') {
    body.remove_prefix(1);  // fast_float does not take a leading '+'.
    if (body.empty() || body.front() == '-' || body.front() == '+') return kFloatInvalid;
  }
  if (body.find('(') != std::string_view::npos) return kFloatInvalid;
  const char* end = body.data() + body.size();
  auto result = fast_float::from_chars(body.data(), end, out);
  // Out-of-range magnitudes give +-inf or 0 in Rust; accept whatever fast_float rounded to.
  if (result.ptr != end || body.empty()) return kFloatInvalid;
  if (result.ec != std::errc() && result.ec != std::errc::result_out_of_range) {
    return kFloatInvalid;
  }
  return nullptr;
}

namespace {

/// Whether every byte is < 0x80, reading 8 (or 4) bytes at a time without a byte loop for
/// short texts (the last word overlaps the previous one).
bool IsAscii(const unsigned char* s, size_t size) {
  constexpr uint64_t kHigh64 = 0x8080808080808080ULL;
  if (size >= 8) {
    uint64_t any = 0;
    uint64_t word;
    for (size_t i = 0; i + 8 <= size; i += 8) {
      std::memcpy(&word, s + i, 8);
      any |= word;
    }
    std::memcpy(&word, s + size - 8, 8);
    return ((any | word) & kHigh64) == 0;
  }
  if (size >= 4) {
    uint32_t first;
    uint32_t last;
    std::memcpy(&first, s, 4);
    std::memcpy(&last, s + size - 4, 4);
    return ((first | last) & 0x80808080U) == 0;
  }
  unsigned any = 0;
  for (size_t i = 0; i < size; ++i) any |= s[i];
  return any < 0x80;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  if (IsAscii(s, size)) return true;
  size_t i = 0;
  while (i < size) {
    // Fast path: 8 ASCII bytes at once.
    if (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const size_t length = Utf8SequenceLength(s, size, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

bool IsCsvParsableType(DType type) {
  switch (type.kind) {
    case TypeKind::kAny:
    case TypeKind::kBool:
    case TypeKind::kInt:
    case TypeKind::kFloat:
    case TypeKind::kString:
    case TypeKind::kDateTimeNaive:
    case TypeKind::kDateTimeUtc:
    case TypeKind::kDuration:
      return true;
    case TypeKind::kNone:
    case TypeKind::kPointer:
    case TypeKind::kTuple:
      return false;
  }
  return false;
}

FieldParseResult ParseTypedText(std::string_view text, DType type) {
  const bool is_text = type.kind == TypeKind::kString || type.kind == TypeKind::kAny;
  // Optional str keeps "" and "null" as text, as Pathway does (they are valid strings).
  if (type.optional && !is_text && RepresentsNull(text)) return Success(Value::None());
  switch (type.kind) {
    case TypeKind::kAny:
    case TypeKind::kString:
      if (!IsValidUtf8(text)) return Failure(kInvalidUtf8Reason);
      return Success(Value::String(text));
    case TypeKind::kBool: {
      bool b = false;
      if (const char* error = ParseBool(text, b)) return Failure(error);
      return Success(Value::Bool(b));
    }
    case TypeKind::kInt: {
      int64_t i = 0;
      if (const char* error = ParseInt64(text, i)) return Failure(error);
      return Success(Value::Int(i));
    }
    case TypeKind::kDuration: {
      int64_t ns = 0;
      if (const char* error = ParseInt64(text, ns)) return Failure(error);
      return Success(Value::Duration(ns));
    }
    case TypeKind::kFloat: {
      double f = 0;
      if (const char* error = ParseFloat64(text, f)) return Failure(error);
      return Success(Value::Float(f));
    }
    case TypeKind::kDateTimeNaive: {
      std::optional<int64_t> ns = ParseDateTime(text, /*with_zone=*/false);
      if (!ns) return Failure(kDateTimeNaiveInvalid);
      return Success(Value::DateTimeNaive(*ns));
    }
    case TypeKind::kDateTimeUtc: {
      std::optional<int64_t> ns = ParseDateTime(text, /*with_zone=*/true);
      if (!ns) return Failure(kDateTimeUtcInvalid);
      return Success(Value::DateTimeUtc(*ns));
    }
    case TypeKind::kNone:
    case TypeKind::kPointer:
    case TypeKind::kTuple:
      return Failure(kUnsupportedType);
  }
  return Failure(kUnsupportedType);
}

FieldParseResult ParseCsvField(std::string_view text, const ColumnSchema& column) {
  if (text.empty() && column.default_value.has_value() &&
      column.type.kind != TypeKind::kString && column.type.kind != TypeKind::kAny) {
    return Success(column.default_value->get());
  }
  return ParseTypedText(text, column.type);
}

std::string PathwayTypeName(DType type) {
  std::string name = TypeKindName(type.kind);
  if (type.optional && type.kind != TypeKind::kNone && type.kind != TypeKind::kAny) {
    name += " | None";
  }
  return name;
}

std::string RustDebugString(std::string_view text, size_t limit) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t characters = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (characters == limit) {
      out += "...";
      break;
    }
    ++characters;
    const unsigned char c = s[i];
    if (c >= 0x80) {
      const size_t length = Utf8SequenceLength(s, text.size(), i);
      if (length == 0) {
        out += fmt::format("\\x{:02x}", c);
        ++i;
      } else {
        out.append(text.data() + i, length);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\\0"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += fmt::format("\\u{{{:x}}}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
  return out;
}

std::string FormatFieldParseError(std::string_view text, std::string_view field_name,
                                  DType type, std::string_view reason) {
  return fmt::format("failed to parse value {} at field {} according to the type {} in schema: {}",
                     RustDebugString(text), RustDebugString(field_name), PathwayTypeName(type),
                     reason);
}

}  // namespace vigil
