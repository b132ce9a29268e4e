#pragma once

#include <cstdint>
#include <string>

namespace vigil {

/// The kinds of values a column can hold (Pathway's dtypes).
enum class TypeKind : uint8_t {
  kAny = 0,  ///< Unknown/mixed (e.g. a user function declared as returning any value).
  kNone,     ///< Only None (the type of a `None` literal).
  kBool,
  kInt,
  kFloat,
  kString,
  kPointer,
  kTuple,
  kDateTimeNaive,
  kDateTimeUtc,
  kDuration,
};

/// A column type: a kind, optionally nullable (`Optional[kind]`).
/// Tuple element types are not tracked: tuples are typed as `tuple` of any values.
struct DType {
  TypeKind kind = TypeKind::kAny;
  bool optional = false;

  constexpr DType() = default;
  constexpr DType(TypeKind k, bool opt = false) : kind(k), optional(opt) {}  // NOLINT

  constexpr DType AsOptional() const { return DType(kind, true); }
  constexpr DType AsRequired() const { return DType(kind, false); }
  constexpr bool IsNumeric() const { return kind == TypeKind::kInt || kind == TypeKind::kFloat; }
  constexpr bool IsTimestamp() const {
    return kind == TypeKind::kDateTimeNaive || kind == TypeKind::kDateTimeUtc;
  }
  friend constexpr bool operator==(const DType&, const DType&) = default;

  /// Pathway's spelling: `int`, `str`, `Optional[int]`, ...
  std::string ToString() const;
};

/// Short names used by the C++ API: `dtype::Int`, `dtype::Optional(dtype::Str)`.
namespace dtype {
inline constexpr DType Any{TypeKind::kAny};
inline constexpr DType NoneType{TypeKind::kNone, true};
inline constexpr DType Bool{TypeKind::kBool};
inline constexpr DType Int{TypeKind::kInt};
inline constexpr DType Float{TypeKind::kFloat};
inline constexpr DType Str{TypeKind::kString};
inline constexpr DType Pointer{TypeKind::kPointer};
inline constexpr DType Tuple{TypeKind::kTuple};
inline constexpr DType DateTimeNaive{TypeKind::kDateTimeNaive};
inline constexpr DType DateTimeUtc{TypeKind::kDateTimeUtc};
inline constexpr DType Duration{TypeKind::kDuration};
constexpr DType Optional(DType t) { return t.AsOptional(); }
}  // namespace dtype

/// Pathway's name of a kind: `int`, `str`, `DateTimeNaive`, ...
const char* TypeKindName(TypeKind kind);

/// The common type of two branches (if_else, coalesce, concat): equal kinds merge their
/// optionality, int and float widen to float, None makes the other optional; otherwise Any.
DType UnifyTypes(DType a, DType b);

}  // namespace vigil
