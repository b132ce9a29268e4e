#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "rules/alert.h"

namespace vigil::rules {

/// Longest string field written to JSON, in input bytes; longer ones (a 1 MiB user name) are
/// cut at a character boundary and marked `...[truncated N bytes]`.
inline constexpr size_t kMaxJsonStringBytes = 512;

/// Appends `text` as a JSON string literal (quotes included) that is safe to print anywhere:
/// `"` and `\` escaped; control characters (C0, DEL, C1: ESC and every ANSI sequence's
/// introducer), U+2028/U+2029 and `<`, `>`, `&` written as \u escapes; invalid UTF-8 bytes
/// replaced by U+FFFD (as \ufffd); text over `max_bytes` truncated with a marker. The output
/// is pure ASCII. Attacker-controlled text (user names, host names) goes through here.
void AppendJsonString(std::string& out, std::string_view text,
                      size_t max_bytes = kMaxJsonStringBytes);

/// `2024-03-29T23:18:33Z` (fraction digits only when present: `...33.250Z`).
void AppendRfc3339Utc(std::string& out, int64_t ns);

/// Appends one JSON object (no newline) with the fields rule, severity, ip, ips, users,
/// user_count, count, window_start, window_end, first_seen, last_seen.
void AppendAlertJson(std::string& out, const Alert& alert);

/// The alert as one JSON line, `\n` included.
std::string AlertJsonLine(const Alert& alert);

}  // namespace vigil::rules
