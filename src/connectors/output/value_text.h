#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/common/key.h"
#include "vigil/types/value.h"

namespace vigil {

/// Text forms of values as Pathway's Rust output connectors write them (csv, jsonlines).
/// They differ from the Python `str()` forms of FormatValue (used by compute_and_print):
/// floats follow Rust's `{:?}` or serde_json, datetimes chrono's `%Y-%m-%dT%H:%M:%S%.9f`.
/// The Append* functions write into a caller-owned buffer and never allocate on their own
/// (beyond the buffer growing), so writers can use them per row.

/// Rust's `{:?}` of an f64, which is how Pathway's `Value::Float` displays: shortest
/// round-trip digits; positional with at least one fractional digit (`1.0`, `0.1`,
/// `1000000000000000.0`) when 1e-4 <= |f| < 1e16 or f == 0, else exponent form without `+`
/// or padding (`1e16`, `1.5e-7`); `NaN`, `inf`, `-inf`.
void AppendRustFloat(std::string& out, double f);
std::string FormatRustFloat(double f);

/// serde_json's number text of an f64 (ryu): shortest round-trip digits, positional
/// (`1.0`, `0.00001`) when the decimal exponent is in [-5, 15], else `1e16`, `1.5e-7`.
/// serde_json has no NaN or infinity: they become `null`.
void AppendJsonFloat(std::string& out, double f);

/// `"..."` with serde_json's escapes: `\"`, `\\`, `\b \f \n \r \t`, other control bytes as
/// `\u00xx`; everything else (valid UTF-8, DEL, `/`) passes through. Pathway strings are always
/// valid UTF-8; ours may be views of unchecked input, so each invalid byte becomes `\ufffd`
/// rather than producing a file that JSON parsers reject.
void AppendJsonString(std::string& out, std::string_view s);

/// `^` + 26 Crockford base32 characters: the same text as Key::ToString, without allocating.
void AppendKeyText(std::string& out, const Key& key);

/// Display of Pathway's DateTimeNaive (`2023-06-22T09:06:30.000000000`) or DateTimeUtc
/// (`2023-06-22T09:06:30.000000000+0000`): chrono's `%Y-%m-%dT%H:%M:%S%.9f[%z]`.
void AppendRustDateTime(std::string& out, int64_t ns, bool utc);
std::string FormatRustDateTime(int64_t ns, bool utc);

/// serde_json text of a value as Pathway's `serialize_value_to_json` builds it: None → null,
/// bools true/false, ints, floats (AppendJsonFloat), strings, pointers and datetimes as JSON
/// strings, Duration as integer nanoseconds, tuples as arrays (compact, no spaces).
/// Pathway refuses to serialize Error values (the row fails); we write `null` so that one bad
/// cell does not lose the whole row.
void AppendJsonValue(std::string& out, const Value& v);

/// Decimal text of an integer (std::to_chars).
void AppendInt(std::string& out, int64_t i);
void AppendUnsigned(std::string& out, uint64_t u);

}  // namespace vigil
