#include "rules/alert_json.h"

#include <iterator>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "vigil/types/datetime.h"

namespace vigil::rules {

namespace {

/// Length of the valid UTF-8 sequence starting at text[i] (1-4), or 0 when the bytes there
/// are not one (stray continuation, overlong form, surrogate, above U+10FFFF, cut short).
/// Sets `code_point`. RFC 3629's table of well-formed sequences.
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t& code_point) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[i + k]); };
  const size_t left = text.size() - i;
  const uint8_t b0 = byte(0);
  if (b0 < 0x80) {
    code_point = b0;
    return 1;
  }
  const auto continuation = [&](size_t k) { return (byte(k) & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (left < 2 || !continuation(1)) return 0;
    code_point = (uint32_t{b0} & 0x1F) << 6 | (byte(1) & 0x3F);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3 || !continuation(1) || !continuation(2)) return 0;
    if (b0 == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (b0 == 0xED && byte(1) >= 0xA0) return 0;  // UTF-16 surrogate
    code_point = (uint32_t{b0} & 0x0F) << 12 | (uint32_t{byte(1)} & 0x3F) << 6 | (byte(2) & 0x3F);
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4 || !continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (b0 == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    code_point = (uint32_t{b0} & 0x07) << 18 | (uint32_t{byte(1)} & 0x3F) << 12 |
                 (uint32_t{byte(2)} & 0x3F) << 6 | (byte(3) & 0x3F);
    return 4;
  }
  return 0;
}

void AppendUnicodeEscape(std::string& out, uint32_t code_point) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(code_point >> shift) & 0xF]);
}

/// Writes a code point above U+FFFF as a UTF-16 surrogate pair of \u escapes, keeping the
/// output ASCII.
void AppendEscapedCodePoint(std::string& out, uint32_t code_point) {
  if (code_point < 0x10000) {
    AppendUnicodeEscape(out, code_point);
    return;
  }
  const uint32_t v = code_point - 0x10000;
  AppendUnicodeEscape(out, 0xD800 + (v >> 10));
  AppendUnicodeEscape(out, 0xDC00 + (v & 0x3FF));
}

void AppendStringArray(std::string& out, const std::vector<std::string>& values) {
  out.push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(out, values[i]);
  }
  out.push_back(']');
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text, size_t max_bytes) {
  out.push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8(text, i, code_point);
    const size_t consumed = length == 0 ? 1 : length;
    if (i + consumed > max_bytes) break;
    i += consumed;
    if (length == 0) {
      AppendUnicodeEscape(out, 0xFFFD);
      continue;
    }
    switch (code_point) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (code_point < 0x20 || code_point == 0x7F || code_point == '<' || code_point == '>' ||
        code_point == '&' || code_point == '\'') {
      AppendUnicodeEscape(out, code_point);
    } else if (code_point < 0x80) {
      out.push_back(static_cast<char>(code_point));
    } else {
      // Non-ASCII as \u escapes: C1 controls (U+0080..U+009F, incl. the 8-bit CSI of ANSI
      // sequences), U+2028/U+2029 (line breaks to JavaScript) and bidi overrides can never
      // reach a terminal or a log viewer raw.
      AppendEscapedCodePoint(out, code_point);
    }
  }
  if (i < text.size()) out += fmt::format("...[truncated {} bytes]", text.size() - i);
  out.push_back('"');
}

void AppendRfc3339Utc(std::string& out, int64_t ns) {
  const CivilTime t = SplitTimestamp(ns);
  // Compiled formats appended in place: three to six per alert line, on every alert.
  fmt::format_to(std::back_inserter(out), FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}"),
                 t.year, t.month, t.day, t.hour, t.minute, t.second);
  if (t.nanosecond != 0) {
    out.push_back('.');
    const size_t start = out.size();
    fmt::format_to(std::back_inserter(out), FMT_COMPILE("{:09}"), t.nanosecond);
    while (out.size() > start && out.back() == '0') out.pop_back();
  }
  out.push_back('Z');
}

void AppendAlertJson(std::string& out, const Alert& alert) {
  out += "{\"rule\":";
  AppendJsonString(out, alert.rule);
  out += ",\"severity\":";
  AppendJsonString(out, alert.severity);
  out += ",\"ip\":";
  AppendJsonString(out, alert.ip);
  out += ",\"ips\":";
  AppendStringArray(out, alert.ips);
  out += ",\"users\":";
  AppendStringArray(out, alert.users);
  fmt::format_to(std::back_inserter(out), FMT_COMPILE(",\"user_count\":{},\"count\":{}"),
                 alert.user_count, alert.count);
  const std::pair<const char*, int64_t> times[] = {{"window_start", alert.window_start_ns},
                                                   {"window_end", alert.window_end_ns},
                                                   {"first_seen", alert.first_seen_ns},
                                                   {"last_seen", alert.last_seen_ns}};
  for (const auto& [name, ns] : times) {
    out += ",\"";
    out += name;
    out += "\":\"";
    AppendRfc3339Utc(out, ns);
    out.push_back('"');
  }
  out.push_back('}');
}

std::string AlertJsonLine(const Alert& alert) {
  std::string line;
  AppendAlertJson(line, alert);
  line.push_back('\n');
  return line;
}

}  // namespace vigil::rules
