#include "vigil/types/value.h"

#include <charconv>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "vigil/types/datetime.h"

namespace vigil {

void Value::HashInto(KeyHasher& hasher) const {
  switch (kind_) {
    case ValueKind::kNone:
    case ValueKind::kError:  // Errors never reach keys: rows with errors in keys are skipped.
      hasher.AddNone();
      return;
    case ValueKind::kBool: hasher.AddBool(as_bool()); return;
    case ValueKind::kInt: hasher.AddInt(i_); return;
    case ValueKind::kFloat: hasher.AddFloat(f_); return;
    case ValueKind::kPointer: hasher.AddPointer(key_); return;
    case ValueKind::kString: hasher.AddString(as_string()); return;
    case ValueKind::kTuple:
      hasher.BeginTuple(size_);
      for (uint32_t i = 0; i < size_; ++i) tuple_[i].HashInto(hasher);
      return;
    case ValueKind::kDateTimeNaive: hasher.AddTimestamp(KeyTag::kDateTimeNaive, i_); return;
    case ValueKind::kDateTimeUtc: hasher.AddTimestamp(KeyTag::kDateTimeUtc, i_); return;
    case ValueKind::kDuration: hasher.AddTimestamp(KeyTag::kDuration, i_); return;
  }
}

namespace {
std::strong_ordering CompareDoubles(double a, double b) {
  // NaN sorts after every number so that the order stays total.
  bool an = std::isnan(a), bn = std::isnan(b);
  if (an || bn) return an == bn ? std::strong_ordering::equal
                                : (an ? std::strong_ordering::greater : std::strong_ordering::less);
  if (a < b) return std::strong_ordering::less;
  if (a > b) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}
}  // namespace

std::strong_ordering CompareValues(const Value& a, const Value& b) {
  if (a.is_numeric() && b.is_numeric() && a.kind() != b.kind()) {
    return CompareDoubles(a.as_number(), b.as_number());
  }
  if (a.kind() != b.kind()) return a.kind() <=> b.kind();
  switch (a.kind()) {
    case ValueKind::kNone:
    case ValueKind::kError: return std::strong_ordering::equal;
    case ValueKind::kBool: return a.as_bool() <=> b.as_bool();
    case ValueKind::kInt: return a.as_int() <=> b.as_int();
    case ValueKind::kFloat: return CompareDoubles(a.as_float(), b.as_float());
    case ValueKind::kPointer: return a.as_pointer() <=> b.as_pointer();
    case ValueKind::kString: {
      int c = a.as_string().compare(b.as_string());
      return c < 0 ? std::strong_ordering::less
                   : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
    }
    case ValueKind::kTuple: {
      uint32_t n = std::min(a.tuple_size(), b.tuple_size());
      for (uint32_t i = 0; i < n; ++i) {
        auto c = CompareValues(a.tuple_at(i), b.tuple_at(i));
        if (c != std::strong_ordering::equal) return c;
      }
      return a.tuple_size() <=> b.tuple_size();
    }
    case ValueKind::kDateTimeNaive:
    case ValueKind::kDateTimeUtc:
    case ValueKind::kDuration: return a.as_timestamp() <=> b.as_timestamp();
  }
  return std::strong_ordering::equal;
}

bool ValuesEqual(const Value& a, const Value& b) {
  // Two ints compare exactly (a double conversion would equate 2**53 + 1 and 2**53).
  if (a.kind() == ValueKind::kInt && b.kind() == ValueKind::kInt) {
    return a.as_int() == b.as_int();
  }
  if (a.is_numeric() && b.is_numeric()) return a.as_number() == b.as_number();
  if (a.kind() == ValueKind::kTuple && b.kind() == ValueKind::kTuple) {
    if (a.tuple_size() != b.tuple_size()) return false;
    for (uint32_t i = 0; i < a.tuple_size(); ++i) {
      if (!ValuesEqual(a.tuple_at(i), b.tuple_at(i))) return false;
    }
    return true;
  }
  return a.kind() == b.kind() && CompareValues(a, b) == std::strong_ordering::equal;
}

bool ValuesIdentical(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kFloat: {
      // Bitwise, so NaN equals itself and consolidation terminates.
      double x = a.as_float(), y = b.as_float();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case ValueKind::kTuple:
      if (a.tuple_size() != b.tuple_size()) return false;
      for (uint32_t i = 0; i < a.tuple_size(); ++i) {
        if (!ValuesIdentical(a.tuple_at(i), b.tuple_at(i))) return false;
      }
      return true;
    default: return CompareValues(a, b) == std::strong_ordering::equal;
  }
}

std::string FormatPythonFloat(double f) {
  if (std::isnan(f)) return "nan";
  if (std::isinf(f)) return f > 0 ? "inf" : "-inf";
  // Shortest round-trip digits, then laid out as CPython's float_repr_style 'short' does:
  // positional for 1e-4 <= |f| < 1e16, scientific otherwise.
  char sci[64];
  auto res = std::to_chars(sci, sci + sizeof sci, f, std::chars_format::scientific);
  std::string s(sci, res.ptr);
  size_t e_pos = s.find('e');
  std::string mantissa = s.substr(0, e_pos);
  int exponent = std::stoi(s.substr(e_pos + 1));
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    int point = exponent + 1;  // Digits before the decimal point.
    if (point <= 0) {
      out.append("0.").append(static_cast<size_t>(-point), '0').append(digits);
    } else if (static_cast<size_t>(point) >= digits.size()) {
      out.append(digits).append(static_cast<size_t>(point) - digits.size(), '0').append(".0");
    } else {
      out.append(digits, 0, static_cast<size_t>(point)).push_back('.');
      out.append(digits, static_cast<size_t>(point), std::string::npos);
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) {
    out.push_back('.');
    out.append(digits, 1, std::string::npos);
  }
  out += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out;
}

namespace {
std::string FormatImpl(const Value& v, bool repr) {
  switch (v.kind()) {
    case ValueKind::kNone: return "None";
    case ValueKind::kError: return "Error";
    case ValueKind::kBool: return v.as_bool() ? "True" : "False";
    case ValueKind::kInt: return std::to_string(v.as_int());
    case ValueKind::kFloat: return FormatPythonFloat(v.as_float());
    case ValueKind::kPointer: return v.as_pointer().ToString();
    case ValueKind::kString: {
      if (!repr) return std::string(v.as_string());
      std::string out = "'";
      for (char c : v.as_string()) {
        if (c == '\'' || c == '\\') out.push_back('\\');
        out.push_back(c);
      }
      return out + "'";
    }
    case ValueKind::kTuple: {
      std::string out = "(";
      for (uint32_t i = 0; i < v.tuple_size(); ++i) {
        if (i > 0) out += ", ";
        out += FormatImpl(v.tuple_at(i), true);
      }
      if (v.tuple_size() == 1) out += ",";
      return out + ")";
    }
    case ValueKind::kDateTimeNaive: return FormatDateTime(v.as_timestamp(), false);
    case ValueKind::kDateTimeUtc: return FormatDateTime(v.as_timestamp(), true);
    case ValueKind::kDuration: return FormatDuration(v.as_timestamp());
  }
  return "?";
}
}  // namespace

std::string FormatValue(const Value& v) { return FormatImpl(v, false); }

const char* TimeValueTypeName(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kInt: return "int";
    case ValueKind::kFloat: return "float";
    case ValueKind::kDuration: return "Duration";
    case ValueKind::kDateTimeNaive: return "DateTimeNaive";
    case ValueKind::kDateTimeUtc: return "DateTimeUtc";
    default: return "invalid";
  }
}
std::string ReprValue(const Value& v) { return FormatImpl(v, true); }

}  // namespace vigil
