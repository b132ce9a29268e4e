#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil::actions {

/// How much of a rejected text a report quotes.
inline constexpr std::size_t kMaxQuotedBytes = 64;

/// `text` in double quotes, made safe to print in a report on a terminal or in a log: printable
/// ASCII stays, a backslash or quote is escaped (`\\`, `\"`), every other byte (control characters,
/// ANSI escape sequences, newlines that could forge a log line, non-ASCII) becomes `\xNN`; past
/// `max_bytes` of input the rest is cut and replaced by `...(N bytes)`. Reports quote rejected
/// alert keys, which come from attacker-written log lines.
std::string QuoteForMessage(std::string_view text, std::size_t max_bytes = kMaxQuotedBytes);

}  // namespace vigil::actions
