#pragma once

#include <string>
#include <string_view>

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

/// Reason used for a str field that is not valid UTF-8 (an array, so its address is one
/// across translation units and callers may compare the pointer).
inline constexpr char kInvalidUtf8Reason[] = "invalid utf-8 sequence";

}  // namespace vigil
