#pragma once

#include <cstdint>
#include <string_view>

namespace vigil {

/// A JSON number token as serde_json (Pathway's JSON reader) reads it: integers that fit are
/// kept as integers, everything else becomes an f64. Its quirks are kept on purpose: `-0`
/// is a float (-0.0), a negative integer below i64's range and any integer beyond u64's are
/// floats, and a number that overflows f64 (`1e400`) makes the whole document invalid.
struct JsonNumber {
  enum class Kind : uint8_t {
    kInvalid,   ///< Not a JSON number, or out of f64's range (serde: "number out of range").
    kSigned,    ///< An integer in i64 range (serde's I64, or U64 up to i64::MAX).
    kUnsigned,  ///< An integer above i64::MAX that fits u64 (serde's U64).
    kFloat,     ///< Everything else (serde's F64).
  };
  Kind kind = Kind::kInvalid;
  int64_t signed_value = 0;
  uint64_t unsigned_value = 0;
  double float_value = 0;

  /// serde_json's `as_f64` (integers rounded to the nearest double).
  double AsDouble() const {
    switch (kind) {
      case Kind::kSigned:
        return static_cast<double>(signed_value);
      case Kind::kUnsigned:
        return static_cast<double>(unsigned_value);
      default:
        return float_value;
    }
  }
};

/// Reads a number token (JSON grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`;
/// trailing JSON whitespace is ignored, anything else makes it kInvalid). Floats are
/// correctly rounded.
JsonNumber ReadJsonNumber(std::string_view token);

}  // namespace vigil
