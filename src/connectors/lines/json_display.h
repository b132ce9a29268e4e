#pragma once

#include <cstddef>
#include <string>

#include "connectors/lines/json_number.h"

namespace vigil {

/// JSON text as Pathway quotes it in its error messages (serde_json's compact Display of a
/// `serde_json::Value`). Strings and floats use the output module's serde_json writers
/// (AppendJsonString, AppendJsonFloat in connectors/output/value_text.h).

/// Appends a number: integers in decimal, floats as serde_json writes them with ryu (`1.0`,
/// `0.00001`, `1e16`, `1.5e-7`, `-0.0`).
void AppendJsonNumber(std::string& out, const JsonNumber& number);

/// Pathway's `limit_length`: a text longer than `max_bytes` bytes is cut to its first
/// `max_bytes - 3` characters followed by `...`.
std::string LimitLength(std::string text, size_t max_bytes = 500);

/// Pathway's STANDARD_OBJECT_LENGTH_LIMIT, and how much JSON text a message needs at most
/// (enough characters before LimitLength cuts; longer payloads are not written further).
inline constexpr size_t kPayloadLengthLimit = 500;
inline constexpr size_t kPayloadBytesKept = 4 * kPayloadLengthLimit + 8;

}  // namespace vigil
