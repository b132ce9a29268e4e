#include "connectors/syslog/journal_json.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <limits>

namespace vigil::syslog {

namespace {

namespace od = simdjson::ondemand;

static_assert(simdjson::SIMDJSON_PADDING <= JournalJsonParser::kPaddingBytes,
              "ParsePadded's contract must cover simdjson's padding");

/// Journal entries nest at most two levels (a repeated field of byte arrays); deeper
/// documents are refused rather than walked.
constexpr int kMaxDepth = 8;
/// Lines longer than this leave buffers oversized; they are released after such a line.
constexpr size_t kCapacityKept = size_t{16} << 20;
constexpr size_t kMaxPidDigits = 18;
/// Longest value quoted in an error message.
constexpr size_t kQuotedBytes = 64;

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// `text` for an error message: printable ASCII as is, other bytes as \xNN, cut at
/// kQuotedBytes (journal fields are written by whoever logs).
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kQuotedBytes; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      fmt::format_to(std::back_inserter(out), "\\x{:02x}", c);
    }
  }
  out += text.size() > kQuotedBytes ? "\"..." : "\"";
  return out;
}

/// Which record field a key fills (kOther: ignored).
enum class Field : uint8_t {
  kOther,
  kRealtime,
  kHostname,
  kIdentifier,
  kComm,
  kPid,
  kSyslogPid,
  kMessage,
  kUnit,
  kCount
};

Field FieldOf(std::string_view key) {
  if (key.empty() || (key[0] != '_' && key[0] != 'S' && key[0] != 'M')) return Field::kOther;
  if (key == "MESSAGE") return Field::kMessage;
  if (key == "__REALTIME_TIMESTAMP") return Field::kRealtime;
  if (key == "_HOSTNAME") return Field::kHostname;
  if (key == "SYSLOG_IDENTIFIER") return Field::kIdentifier;
  if (key == "_COMM") return Field::kComm;
  if (key == "_PID") return Field::kPid;
  if (key == "SYSLOG_PID") return Field::kSyslogPid;
  if (key == "_SYSTEMD_UNIT") return Field::kUnit;
  return Field::kOther;
}

/// A string value, consumed: a view into the line when it has no escapes, else unescaped
/// into the parser's buffer. False if it is not a valid JSON string.
bool ReadString(od::value& value, std::string_view& text) {
  std::string_view token = value.raw_json_token();  // Peeks `"..."` plus trailing space.
  while (!token.empty() && IsJsonWhitespace(token.back())) token.remove_suffix(1);
  if (token.size() < 2 || token.front() != '"' || token.back() != '"') return false;
  const std::string_view content = token.substr(1, token.size() - 2);
  if (content.find('\\') != std::string_view::npos) {
    return value.get_string().get(text) == simdjson::SUCCESS;
  }
  od::raw_json_string raw;  // Consumes the value; stage 1 validated UTF-8 and quotes.
  if (value.get_raw_json_string().get(raw) != simdjson::SUCCESS) return false;
  text = content;
  return true;
}

/// Visits a value that no field needs, so that invalid JSON anywhere fails the line
/// (On-Demand checks only what it visits).
/// Whether `token` (a raw token, maybe with trailing whitespace) is a JSON number:
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` (RFC 8259, section 6).
bool IsJsonNumber(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' ||
                            token.back() == '\n' || token.back() == '\r')) {
    token.remove_suffix(1);
  }
  size_t i = 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < token.size() && token[i] >= '0' && token[i] <= '9') ++i;
    return i - start;
  };
  if (i < token.size() && token[i] == '-') ++i;
  if (i < token.size() && token[i] == '0') {
    ++i;
  } else if (digits() == 0) {
    return false;
  }
  if (i < token.size() && token[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == token.size();
}

bool SkipValue(od::value& value, int depth) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return false;
  switch (type) {
    case od::json_type::object: {
      if (depth >= kMaxDepth) return false;
      od::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) return false;
      for (auto field_result : object) {
        od::field field;
        if (std::move(field_result).get(field) != simdjson::SUCCESS) return false;
        std::string_view key;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
        if (!SkipValue(field.value(), depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::array: {
      if (depth >= kMaxDepth) return false;
      od::array array;
      if (value.get_array().get(array) != simdjson::SUCCESS) return false;
      for (auto element_result : array) {
        od::value element;
        if (std::move(element_result).get(element) != simdjson::SUCCESS) return false;
        if (!SkipValue(element, depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::number: {
      // Checked against JSON's number grammar, not converted: simdjson's get_double refuses
      // valid numbers such as 0e99999999999999999999 (a 20-digit exponent), and a field the
      // reader does not use must not drop the entry.
      return IsJsonNumber(value.raw_json_token());
    }
    case od::json_type::string: {
      std::string_view text;
      return ReadString(value, text);
    }
    case od::json_type::boolean: {
      bool flag;
      return value.get_bool().get(flag) == simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      return value.is_null().get(is_null) == simdjson::SUCCESS && is_null;
    }
  }
  return false;
}

/// Decimal digits as a non-negative integer; false if empty, not all digits or above `max`.
bool ParseDecimal(std::string_view text, uint64_t max, uint64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > max) return false;
  out = value;
  return true;
}

}  // namespace

struct JournalJsonParser::State {
  od::parser parser;
  std::unique_ptr<char[]> line_copy;  ///< Parse's padded copy of the line.
  size_t line_copy_capacity = 0;
  /// Decoded byte-array fields. Reserved to the line's size before a parse, so appending
  /// never moves earlier fields (an array takes at least two bytes per decoded byte).
  std::string bytes;
  std::string_view values[static_cast<size_t>(Field::kCount)];
  bool present[static_cast<size_t>(Field::kCount)] = {};

  /// Reads a wanted field's value (see the class comment for the forms). False if it has
  /// none of them.
  bool ReadFieldValue(od::value& value, Field field, int depth);
  ParseResult Run(std::string_view line, size_t capacity, LogRecord& record, std::string* error);
};

bool JournalJsonParser::State::ReadFieldValue(od::value& value, Field field, int depth) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return false;
  const size_t slot = static_cast<size_t>(field);
  switch (type) {
    case od::json_type::string: {
      std::string_view text;
      if (!ReadString(value, text)) return false;
      values[slot] = text;
      present[slot] = true;
      return true;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) return false;
      present[slot] = false;
      return true;
    }
    case od::json_type::array: {
      if (depth >= 2) return false;
      od::array array;
      if (value.get_array().get(array) != simdjson::SUCCESS) return false;
      const size_t begin = bytes.size();
      bool first = true;
      bool is_bytes = false;
      for (auto element_result : array) {
        od::value element;
        if (std::move(element_result).get(element) != simdjson::SUCCESS) return false;
        od::json_type element_type;
        if (element.type().get(element_type) != simdjson::SUCCESS) return false;
        if (element_type == od::json_type::number && (first || is_bytes)) {
          uint64_t byte = 0;
          if (element.get_uint64().get(byte) != simdjson::SUCCESS || byte > 255) return false;
          bytes.push_back(static_cast<char>(byte));
          is_bytes = true;
        } else if (first && !is_bytes) {
          // A repeated field: its first value is used, the others only validated.
          if (!ReadFieldValue(element, field, depth + 1)) return false;
        } else if (is_bytes || !SkipValue(element, depth + 1)) {
          return false;
        }
        first = false;
      }
      if (is_bytes || first) {
        values[slot] = std::string_view(bytes.data() + begin, bytes.size() - begin);
        present[slot] = true;
      }
      return true;
    }
    default:
      return false;
  }
}

ParseResult JournalJsonParser::State::Run(std::string_view line, size_t capacity, LogRecord& record,
                                          std::string* error) {
  for (bool& p : present) p = false;
  if (bytes.capacity() > kCapacityKept && line.size() < kCapacityKept) {
    std::string().swap(bytes);
  }
  bytes.clear();
  bytes.reserve(line.size());
  // Released before the parse: the record may point into the parser's string buffer.
  if (parser.capacity() > kCapacityKept && line.size() < kCapacityKept) parser = od::parser();
  size_t first = 0;
  while (first < line.size() && IsJsonWhitespace(line[first])) ++first;
  if (first == line.size() || line[first] != '{') return ParseResult::kNotLog;

  od::document document;
  if (parser.iterate(line.data(), line.size(), capacity).get(document) != simdjson::SUCCESS) {
    return ParseResult::kNotLog;
  }
  od::object object;
  if (document.get_object().get(object) != simdjson::SUCCESS) return ParseResult::kNotLog;
  for (auto field_result : object) {
    od::field field;
    if (std::move(field_result).get(field) != simdjson::SUCCESS) return ParseResult::kNotLog;
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return ParseResult::kNotLog;
    const Field which = FieldOf(key);
    const bool ok = which == Field::kOther ? SkipValue(field.value(), 1)
                                           : ReadFieldValue(field.value(), which, 0);
    if (!ok) return ParseResult::kNotLog;
  }
  if (document.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return ParseResult::kNotLog;  // Something follows the object.
  }
  auto get = [&](Field f) { return values[static_cast<size_t>(f)]; };
  auto has = [&](Field f) { return present[static_cast<size_t>(f)]; };
  if (!has(Field::kRealtime)) {
    if (error != nullptr) {
      *error = "no __REALTIME_TIMESTAMP field (expected microseconds since the epoch)";
    }
    return ParseResult::kBadTimestamp;
  }
  uint64_t micros = 0;
  constexpr uint64_t kMaxMicros = std::numeric_limits<int64_t>::max() / 1000;
  if (!ParseDecimal(get(Field::kRealtime), kMaxMicros, micros)) {
    if (error != nullptr) {
      *error = fmt::format(
          "__REALTIME_TIMESTAMP {} is not a time (expected microseconds since the epoch, "
          "0-{})",
          Quoted(get(Field::kRealtime)), kMaxMicros);
    }
    return ParseResult::kBadTimestamp;
  }
  record.time_ns = static_cast<int64_t>(micros) * 1000;
  record.host = has(Field::kHostname) ? get(Field::kHostname) : std::string_view();
  record.program = has(Field::kIdentifier) ? get(Field::kIdentifier)
                   : has(Field::kComm)     ? get(Field::kComm)
                                           : std::string_view();
  record.pid = -1;
  for (Field f : {Field::kPid, Field::kSyslogPid}) {
    uint64_t pid = 0;
    if (has(f) && get(f).size() <= kMaxPidDigits && ParseDecimal(get(f), UINT64_MAX, pid)) {
      record.pid = static_cast<int64_t>(pid);
      break;
    }
  }
  record.message = has(Field::kMessage) ? get(Field::kMessage) : std::string_view();
  record.unit = has(Field::kUnit) ? get(Field::kUnit) : std::string_view();
  return ParseResult::kRecord;
}

JournalJsonParser::JournalJsonParser() : state_(std::make_unique<State>()) {}
JournalJsonParser::~JournalJsonParser() = default;

ParseResult JournalJsonParser::Parse(std::string_view line, LogRecord& record, std::string* error) {
  const size_t needed = line.size() + kPaddingBytes;
  if (needed > state_->line_copy_capacity ||
      (state_->line_copy_capacity > kCapacityKept && needed < kCapacityKept)) {
    state_->line_copy.reset(new char[needed]);
    state_->line_copy_capacity = needed;
  }
  if (!line.empty()) std::memcpy(state_->line_copy.get(), line.data(), line.size());
  std::memset(state_->line_copy.get() + line.size(), 0, kPaddingBytes);
  return state_->Run(std::string_view(state_->line_copy.get(), line.size()), needed, record, error);
}

ParseResult JournalJsonParser::ParsePadded(std::string_view line, LogRecord& record,
                                           std::string* error) {
  return state_->Run(line, line.size() + kPaddingBytes, record, error);
}

}  // namespace vigil::syslog
