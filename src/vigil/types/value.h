#pragma once

#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "vigil/common/check.h"
#include "vigil/common/key.h"

namespace vigil {

/// Kind of a single value. Order matters: it is the cross-kind sort order (None first), as
/// Pathway orders values of different kinds by their variant index.
enum class ValueKind : uint8_t {
  kNone = 0,
  kBool,
  kInt,
  kFloat,
  kPointer,
  kString,
  kTuple,
  kDateTimeNaive,
  kDateTimeUtc,
  kDuration,
  kError,  ///< A failed cast or parse in a kept row; reducers skip rows holding it.
};

/// One value, as a 24-byte trivially copyable *view*: strings and tuples point into memory
/// owned elsewhere (a batch's ValueArena, an input buffer, or a StoredValue). Whoever keeps a
/// Value beyond the call that handed it over must copy it (ValueArena::Copy, StoredValue).
/// This keeps the hot path free of allocation and refcounting.
class Value {
 public:
  constexpr Value() : kind_(ValueKind::kNone), size_(0), i_(0) {}

  static constexpr Value None() { return Value(); }
  static constexpr Value Error() {
    Value v;
    v.kind_ = ValueKind::kError;
    return v;
  }
  // Built in place through the private constructors: these run once per parsed field.
  static constexpr Value Bool(bool b) { return Value(ValueKind::kBool, int64_t{b ? 1 : 0}); }
  static constexpr Value Int(int64_t i) { return Value(ValueKind::kInt, i); }
  static constexpr Value Float(double f) { return Value(ValueKind::kFloat, f); }
  static Value Pointer(const Key& k) {
    Value v;
    v.kind_ = ValueKind::kPointer;
    v.key_ = k;
    return v;
  }
  /// A view of `s`; the caller keeps `s` alive for as long as the value is used.
  static Value String(std::string_view s) {
    return Value(ValueKind::kString, static_cast<uint32_t>(s.size()), s.data());
  }
  /// A view of `size` consecutive values.
  static Value Tuple(const Value* elements, uint32_t size) {
    Value v;
    v.kind_ = ValueKind::kTuple;
    v.size_ = size;
    v.tuple_ = elements;
    return v;
  }
  /// Nanoseconds since the Unix epoch (naive: wall-clock, no zone; utc: an instant).
  static constexpr Value DateTimeNaive(int64_t ns) { return Timestamp(ValueKind::kDateTimeNaive, ns); }
  static constexpr Value DateTimeUtc(int64_t ns) { return Timestamp(ValueKind::kDateTimeUtc, ns); }
  static constexpr Value Duration(int64_t ns) { return Timestamp(ValueKind::kDuration, ns); }

  ValueKind kind() const { return kind_; }
  bool is_none() const { return kind_ == ValueKind::kNone; }
  bool is_error() const { return kind_ == ValueKind::kError; }
  bool is_numeric() const { return kind_ == ValueKind::kInt || kind_ == ValueKind::kFloat; }

  bool as_bool() const { return i_ != 0; }
  int64_t as_int() const { return i_; }
  double as_float() const { return f_; }
  /// Int or float as a double (for mixed arithmetic and comparisons).
  double as_number() const { return kind_ == ValueKind::kInt ? static_cast<double>(i_) : f_; }
  const Key& as_pointer() const { return key_; }
  std::string_view as_string() const { return std::string_view(str_, size_); }
  uint32_t tuple_size() const { return size_; }
  const Value* tuple_data() const { return tuple_; }
  const Value& tuple_at(uint32_t i) const { return tuple_[i]; }
  /// Nanoseconds of a datetime or duration.
  int64_t as_timestamp() const { return i_; }

  /// Appends Pathway's tagged encoding of this value to `hasher` (ids of groups and rows).
  void HashInto(KeyHasher& hasher) const;

 private:
  static constexpr Value Timestamp(ValueKind k, int64_t ns) { return Value(k, ns); }
  constexpr Value(ValueKind k, int64_t i) : kind_(k), size_(0), i_(i) {}
  constexpr Value(ValueKind k, double f) : kind_(k), size_(0), f_(f) {}
  Value(ValueKind k, uint32_t size, const char* s) : kind_(k), size_(size), str_(s) {}

  ValueKind kind_;
  uint32_t size_;
  union {
    int64_t i_;
    double f_;
    Key key_;
    const char* str_;
    const Value* tuple_;
  };
};

static_assert(sizeof(Value) == 24);

/// Total order used by min/max, sorted_tuple and printing: None first, kinds by ValueKind,
/// ints and floats compared numerically, strings bytewise, tuples lexicographically.
std::strong_ordering CompareValues(const Value& a, const Value& b);
/// Structural equality (1 == 1.0 holds, as in Pathway's `==`).
bool ValuesEqual(const Value& a, const Value& b);
/// Identity for grouping and consolidation: same kind and same bits (1 and 1.0 differ).
bool ValuesIdentical(const Value& a, const Value& b);

inline bool operator==(const Value& a, const Value& b) { return ValuesIdentical(a, b); }

/// Python `str()` of the value, as Pathway prints cells: `5.0`, `True`, `(1, 'a')`.
std::string FormatValue(const Value& v);
/// Pathway's name of the type of a time-like value (a window parameter, a bound):
/// "int", "float", "Duration", "DateTimeNaive", "DateTimeUtc", else "invalid".
const char* TimeValueTypeName(const Value& v);
/// Python `repr()` (strings quoted), used inside tuples.
std::string ReprValue(const Value& v);
/// Python's float repr: shortest round-trip digits, `1e+16` style beyond 1e16.
std::string FormatPythonFloat(double f);

}  // namespace vigil
