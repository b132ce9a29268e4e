#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "vigil/types/dtype.h"
#include "vigil/types/schema.h"
#include "vigil/types/value.h"

namespace vigil {

/// Outcome of parsing one field: a value, or why not. The reason is a static string worded as
/// Rust's parse errors are (Pathway prints them), so failing costs no allocation.
struct FieldParseResult {
  Value value;
  const char* error = nullptr;  ///< nullptr on success.

  bool ok() const { return error == nullptr; }
};

/// Whether CSV text can be parsed as `type` (Pointer, tuple and None columns cannot).
bool IsCsvParsableType(DType type);

/// Parses a field's text as `type` with Pathway's rules: `str`/`Any` keep the raw text (a view
/// of `text`, checked to be valid UTF-8); `int` and `Duration` (ns) are strict i64 with an
/// optional sign; `float` accepts what Rust's f64 parser accepts (`1.`, `.5`, `inf`, `NaN`);
/// `bool` is case-insensitive `true,yes,on,1,t,y` / `false,no,off,0,f,n` after trimming;
/// optional non-string types read `""`, `null`, `none` (any case, trimmed) as None; datetimes
/// use ParseDateTime. No default-value handling (see ParseCsvField).
FieldParseResult ParseTypedText(std::string_view text, DType type);

/// ParseTypedText plus the schema's `default_value`, which replaces an empty field of a
/// non-string column. The default's view points into `column`, which must outlive the value.
FieldParseResult ParseCsvField(std::string_view text, const ColumnSchema& column);

/// Pathway's (Rust) spelling of a type in parse errors: `int`, `str`, `int | None`.
std::string PathwayTypeName(DType type);

/// Rust's `{:?}` of a string (quoted, `"` `\` and control characters escaped, bytes that are
/// not UTF-8 as `\x..`), shortened like Pathway's limit_length beyond `limit` characters.
std::string RustDebugString(std::string_view text, size_t limit = 200);

/// Pathway's message for a field that does not fit its type:
/// `failed to parse value "x" at field "b" according to the type int in schema: invalid digit
/// found in string`.
std::string FormatFieldParseError(std::string_view text, std::string_view field_name,
                                  DType type, std::string_view reason);

/// Strict UTF-8 validation (no overlong forms, surrogates or code points above U+10FFFF),
/// with an 8-bytes-at-a-time ASCII fast path.
bool IsValidUtf8(std::string_view text);

/// Rust's `i64::from_str`: one optional sign, then at least one digit, nothing else. Returns
/// nullptr with `out` set, or Rust's error text (`invalid digit found in string`, ...).
/// Inline fast path for up to 18 digits; longer or malformed text goes to ParseInt64Slow.
inline const char* ParseInt64(std::string_view text, int64_t& out);
/// ParseInt64 for text whose 16 bytes before its end are readable even when the text is
/// shorter (CSV fields: see kFieldPadding). Up to 16 digits take one SSE2 pass.
inline const char* ParseInt64Padded(std::string_view text, int64_t& out);
/// ParseInt64 for any text, with exact Rust errors (overflow checked digit by digit).
const char* ParseInt64Slow(std::string_view text, int64_t& out);

/// Rust's `f64::from_str`: optional sign, decimal with optional exponent, or `inf`,
/// `infinity`, `nan` in any case. Returns nullptr with `out` set, or Rust's error text.
const char* ParseFloat64(std::string_view text, double& out);

/// Reason used for a str field that is not valid UTF-8 (an array, so its address is one
/// across translation units and callers may compare the pointer).
inline constexpr char kInvalidUtf8Reason[] = "invalid utf-8 sequence";

namespace value_parser_internal {

/// Whether the 8 bytes at `p` are all ASCII digits; if so sets `value` to their number
/// (SWAR: three multiplications for the 8 digits; little-endian hosts).
inline bool ParseEightDigits(const char* p, uint64_t& value) {
  uint64_t chunk;
  std::memcpy(&chunk, p, 8);
  // A byte is a digit iff its high nibble is 3 and adding 6 keeps it so.
  if ((((chunk & 0xF0F0F0F0F0F0F0F0ULL) |
        (((chunk + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4))) !=
      0x3333333333333333ULL) {
    return false;
  }
  chunk -= 0x3030303030303030ULL;
  chunk = chunk * 10 + (chunk >> 8);  // Pairs of digits, in every other byte.
  chunk = (((chunk & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
           (((chunk >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
          32;
  value = static_cast<uint32_t>(chunk);
  return true;
}

#if defined(__SSE2__) && defined(__x86_64__)
/// Loading 16 bytes at kKeepLast + n gives 16 - n zero bytes, then n bytes 0xFF.
alignas(32) inline constexpr unsigned char kKeepLast[32] = {
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
#endif

}  // namespace value_parser_internal

inline const char* ParseInt64(std::string_view text, int64_t& out) {
  const char* p = text.data();
  size_t n = text.size();
  bool negative = false;
  if (n != 0 && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
    --n;
  }
  // Up to 18 digits cannot overflow; anything else (errors included) takes the slow path.
  if (n == 0 || n > 18) return ParseInt64Slow(text, out);
  uint64_t value = 0;
  size_t i = 0;
  if (n >= 8) {
    if (!value_parser_internal::ParseEightDigits(p, value)) return ParseInt64Slow(text, out);
    i = 8;
    if (n >= 16) {
      uint64_t low;
      if (!value_parser_internal::ParseEightDigits(p + 8, low)) {
        return ParseInt64Slow(text, out);
      }
      value = value * 100000000 + low;
      i = 16;
    }
  }
  for (; i < n; ++i) {
    const unsigned digit = static_cast<unsigned>(static_cast<unsigned char>(p[i])) - '0';
    if (digit > 9) return ParseInt64Slow(text, out);
    value = value * 10 + digit;
  }
  out = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  return nullptr;
}

inline const char* ParseInt64Padded(std::string_view text, int64_t& out) {
#if defined(__SSE2__) && defined(__x86_64__)
  const char* p = text.data();
  size_t n = text.size();
  bool negative = false;
  if (n != 0 && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
    --n;
  }
  // Up to 16 digits (no overflow possible); anything else, errors included, goes slowly.
  if (n - 1 >= 16) return ParseInt64Slow(text, out);
  // The 16 bytes ending at the text's end: the digits are the last n lanes.
  const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
  __m128i digits = _mm_sub_epi8(raw, _mm_set1_epi8('0'));
  // A lane is a digit iff it is <= 9 after the subtraction (as an unsigned byte).
  const __m128i over = _mm_subs_epu8(digits, _mm_set1_epi8(9));
  const unsigned is_digit = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(over, _mm_setzero_si128())));
  const unsigned needed = (0xFFFFu << (16 - n)) & 0xFFFFu;
  if ((is_digit & needed) != needed) return ParseInt64Slow(text, out);
  digits = _mm_and_si128(digits, _mm_loadu_si128(reinterpret_cast<const __m128i*>(
                                     value_parser_internal::kKeepLast + n)));
  // 16 digits -> 8 two-digit -> 4 four-digit -> 2 eight-digit numbers (16-bit multiply-adds).
  const __m128i zero = _mm_setzero_si128();
  const __m128i pairs = _mm_packs_epi32(
      _mm_madd_epi16(_mm_unpacklo_epi8(digits, zero), _mm_set1_epi32(0x0001000A)),
      _mm_madd_epi16(_mm_unpackhi_epi8(digits, zero), _mm_set1_epi32(0x0001000A)));
  const __m128i quads = _mm_madd_epi16(pairs, _mm_set1_epi32(0x00010064));
  const __m128i octets =
      _mm_madd_epi16(_mm_packs_epi32(quads, quads), _mm_set1_epi32(0x00012710));
  const uint64_t both = static_cast<uint64_t>(_mm_cvtsi128_si64(octets));
  const uint64_t value = (both & 0xFFFFFFFFu) * 100000000u + (both >> 32);
  out = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  return nullptr;
#else
  return ParseInt64(text, out);
#endif
}

}  // namespace vigil
