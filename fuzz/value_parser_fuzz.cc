// libFuzzer target: ParseTypedText / ParseCsvField for every DType on arbitrary text.
//
// The whole input is one field's text. Checked:
//   - the result's kind fits the type (None only for optional non-string types);
//   - str/Any accept exactly the valid UTF-8 (against a naive decoder) and keep the text;
//   - int/Duration agree with a naive Rust `i64::from_str` (value and error reason), and a
//     parsed value formatted back and reparsed gives the same value;
//   - float accepts exactly Rust's f64 grammar (naive matcher), agrees with strtod on the
//     value, and a parsed value printed by fmt or FormatPythonFloat reparses to the same bits;
//   - bool agrees with a naive table; datetimes reparse from FormatDateTime to the same ns;
//   - RustDebugString always yields valid UTF-8, and error messages format without crashing.

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "connectors/csv/value_parser.h"
#include "vigil/common/check.h"
#include "vigil/types/datetime.h"
#include "vigil/types/value.h"
#include "vigil/types/value_arena.h"

namespace vigil {
namespace {

bool IsAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view NaiveTrim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsAsciiSpace(s[b])) ++b;
  while (e > b && IsAsciiSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// Decodes code points one at a time; rejects overlongs, surrogates and > U+10FFFF.
bool NaiveValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t length;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + length > s.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

/// Rust's i64::from_str, digit by digit with overflow checks; returns the error reason.
const char* NaiveParseI64(std::string_view s, int64_t& out) {
  if (s.empty()) return "cannot parse integer from empty string";
  bool negative = false;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
    if (s.size() == 1) return "invalid digit found in string";
  }
  int64_t value = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return "invalid digit found in string";
    const int digit = s[i] - '0';
    if (negative) {
      if (value < (std::numeric_limits<int64_t>::min() + digit) / 10) {
        return "number too small to fit in target type";
      }
      value = value * 10 - digit;
    } else {
      if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) {
        return "number too large to fit in target type";
      }
      value = value * 10 + digit;
    }
  }
  out = value;
  return nullptr;
}

enum class FloatSyntax { kInvalid, kDecimal, kSpecial };

/// Rust's f64 grammar: sign? (inf | infinity | nan | decimal), special words in any case;
/// decimal = (digits ['.' digits?] | '.' digits) (('e'|'E') sign? digits)?.
FloatSyntax NaiveFloatSyntax(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::string rest = Lower(s.substr(i));
  if (rest == "inf" || rest == "infinity" || rest == "nan") return FloatSyntax::kSpecial;
  auto digits = [&](size_t& p) {
    const size_t start = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    return p - start;
  };
  size_t mantissa_digits = digits(i);
  if (i < s.size() && s[i] == '.') {
    ++i;
    mantissa_digits += digits(i);
  }
  if (mantissa_digits == 0) return FloatSyntax::kInvalid;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits(i) == 0) return FloatSyntax::kInvalid;
  }
  return i == s.size() ? FloatSyntax::kDecimal : FloatSyntax::kInvalid;
}

std::optional<bool> NaiveParseBool(std::string_view s) {
  const std::string t = Lower(NaiveTrim(s));
  for (const char* yes : {"true", "yes", "on", "1", "t", "y"}) {
    if (t == yes) return true;
  }
  for (const char* no : {"false", "no", "off", "0", "f", "n"}) {
    if (t == no) return false;
  }
  return std::nullopt;
}

bool NaiveIsNull(std::string_view s) {
  const std::string t = Lower(NaiveTrim(s));
  return t.empty() || t == "null" || t == "none";
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

double ParsedFloat(std::string_view text) {
  const FieldParseResult r = ParseTypedText(text, dtype::Float);
  VIGIL_CHECK(r.ok());
  return r.value.as_float();
}

void CheckOne(std::string_view text, DType type) {
  const FieldParseResult r = ParseTypedText(text, type);
  // Error messages never fail, whatever the text.
  if (!r.ok()) {
    VIGIL_CHECK(std::strlen(r.error) > 0);
    VIGIL_CHECK(!FormatFieldParseError(text, "column", type, r.error).empty());
  }
  const bool is_text = type.kind == TypeKind::kString || type.kind == TypeKind::kAny;
  if (type.optional && !is_text && NaiveIsNull(text)) {
    // Even for types CSV cannot hold (the source rejects those schemas up front).
    VIGIL_CHECK(r.ok() && r.value.is_none());
    return;
  }
  if (!IsCsvParsableType(type)) {
    VIGIL_CHECK(!r.ok());
    return;
  }
  if (r.ok()) VIGIL_CHECK(!r.value.is_none() && !r.value.is_error());

  switch (type.kind) {
    case TypeKind::kAny:
    case TypeKind::kString:
      VIGIL_CHECK_EQ(r.ok(), NaiveValidUtf8(text));
      if (r.ok()) {
        VIGIL_CHECK(r.value.kind() == ValueKind::kString);
        VIGIL_CHECK(r.value.as_string().data() == text.data());
        VIGIL_CHECK_EQ(r.value.as_string().size(), text.size());
      } else {
        VIGIL_CHECK(r.error == kInvalidUtf8Reason);
      }
      return;
    case TypeKind::kInt:
    case TypeKind::kDuration: {
      int64_t expected = 0;
      const char* reason = NaiveParseI64(text, expected);
      VIGIL_CHECK_EQ(r.ok(), reason == nullptr);
      if (!r.ok()) {
        VIGIL_CHECK_EQ(std::string_view(r.error), std::string_view(reason));
        return;
      }
      const ValueKind kind = type.kind == TypeKind::kInt ? ValueKind::kInt : ValueKind::kDuration;
      VIGIL_CHECK(r.value.kind() == kind);
      const int64_t got = kind == ValueKind::kInt ? r.value.as_int() : r.value.as_timestamp();
      VIGIL_CHECK_EQ(got, expected);
      // Round trip: format, reparse.
      const std::string back = std::to_string(got);
      const FieldParseResult again = ParseTypedText(back, type);
      VIGIL_CHECK(again.ok());
      VIGIL_CHECK(ValuesIdentical(again.value, r.value));
      return;
    }
    case TypeKind::kFloat: {
      const FloatSyntax syntax = NaiveFloatSyntax(text);
      VIGIL_CHECK_EQ(r.ok(), syntax != FloatSyntax::kInvalid);
      if (!r.ok()) return;
      VIGIL_CHECK(r.value.kind() == ValueKind::kFloat);
      const double f = r.value.as_float();
      const std::string terminated(text);
      const double libc = std::strtod(terminated.c_str(), nullptr);
      if (std::isnan(libc)) {
        VIGIL_CHECK(std::isnan(f));
      } else {
        // Correct rounding on both sides (strtod in the C locale is correctly rounded).
        VIGIL_CHECK(SameBits(f, libc));
      }
      if (!std::isnan(f)) {
        VIGIL_CHECK(SameBits(ParsedFloat(fmt::format("{}", f)), f));
        VIGIL_CHECK(SameBits(ParsedFloat(FormatPythonFloat(f)), f));
      } else {
        VIGIL_CHECK(std::isnan(ParsedFloat(FormatPythonFloat(f))));
      }
      return;
    }
    case TypeKind::kBool: {
      const std::optional<bool> expected = NaiveParseBool(text);
      VIGIL_CHECK_EQ(r.ok(), expected.has_value());
      if (r.ok()) VIGIL_CHECK_EQ(r.value.as_bool(), *expected);
      return;
    }
    case TypeKind::kDateTimeNaive:
    case TypeKind::kDateTimeUtc: {
      if (!r.ok()) return;
      const bool utc = type.kind == TypeKind::kDateTimeUtc;
      const int64_t ns = r.value.as_timestamp();
      const std::string printed = FormatDateTime(ns, utc);
      const std::optional<int64_t> again = ParseDateTime(printed, utc);
      if (!again || *again != ns) {
        std::fprintf(stderr, "value_parser_fuzz: datetime %s -> %lld -> %s does not round-trip\n",
                     std::string(text).c_str(), static_cast<long long>(ns), printed.c_str());
        std::abort();
      }
      return;
    }
    case TypeKind::kNone:
    case TypeKind::kPointer:
    case TypeKind::kTuple:
      return;
  }
}

constexpr TypeKind kKinds[] = {
    TypeKind::kAny,           TypeKind::kNone,        TypeKind::kBool,     TypeKind::kInt,
    TypeKind::kFloat,         TypeKind::kString,      TypeKind::kPointer,  TypeKind::kTuple,
    TypeKind::kDateTimeNaive, TypeKind::kDateTimeUtc, TypeKind::kDuration,
};

}  // namespace
}  // namespace vigil

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (TypeKind kind : kKinds) {
    CheckOne(text, DType(kind, false));
    CheckOne(text, DType(kind, true));
  }

  // An empty field takes the column's default (non-string columns only).
  const ColumnSchema with_default("x", dtype::Int, false, StoredValue(Value::Int(7)));
  const FieldParseResult defaulted = ParseCsvField(text, with_default);
  if (text.empty()) VIGIL_CHECK(defaulted.ok() && defaulted.value.as_int() == 7);

  // Debug strings are always valid UTF-8 and bounded by the limit.
  const size_t limit = size % 16;
  const std::string debug = RustDebugString(text, limit);
  VIGIL_CHECK(NaiveValidUtf8(debug));
  VIGIL_CHECK(NaiveValidUtf8(RustDebugString(text)));
  VIGIL_CHECK_EQ(IsValidUtf8(text), NaiveValidUtf8(text));
  return 0;
}
