// libFuzzer target: JournalJsonParser (`journalctl -o json` lines) on arbitrary bytes. Journal
// fields hold text chosen by whoever logs (sshd's user names among them), and a file given to
// `vigil detect --format journal-json` may hold anything.
//
// Input layout: the input is the file, split on `\n`; every line is parsed three times by one
// parser (its buffers reused from line to line): Parse on an exact-size copy of the line (any
// read past it is an ASan report), and ParsePadded with the 64 readable bytes after the line
// holding first the file's next bytes (what LineSplitter leaves there), then `"` and `\`.
//
// Checked for every line:
// - the three parses agree (result, error, record), so the padding's bytes change nothing;
// - ParsePadded's record views lie inside the line or outside the padded buffer, never in the
//   padding;
// - against simdjson's DOM parser (a full validator, independent of the On-Demand walk) and
//   the documented field rules (journal_json.h): a line DOM rejects as malformed JSON, or that
//   is not an object, is kNotLog; for one DOM accepts (nested at most 8 deep, below the
//   parser's own depth limit), the result and every field of the record are what the rules
//   give: __REALTIME_TIMESTAMP in µs, SYSLOG_IDENTIFIER else _COMM, _PID else SYSLOG_PID,
//   byte arrays decoded, a repeated field's first value, null as absent, the last of
//   duplicate keys;
// - a kBadTimestamp error is printable ASCII (journal text is quoted with escapes);
// - a record's time is whole microseconds, non-negative.

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "json_dom_model.h"
#include "connectors/syslog/journal_json.h"
#include "connectors/syslog/log_record.h"
#include "vigil/common/check.h"

namespace vigil::syslog {
namespace {

using std::string_view;

constexpr size_t kPadding = JournalJsonParser::kPaddingBytes;

/// A record, owned (the parser's views last only until its next call).
struct OwnedRecord {
  ParseResult result = ParseResult::kNotLog;
  std::string error;
  int64_t time_ns = 0;
  std::string host, program, message, unit;
  int64_t pid = -1;
  bool sshd = false;

  friend bool operator==(const OwnedRecord&, const OwnedRecord&) = default;
};

OwnedRecord Own(ParseResult result, const LogRecord& record, const std::string& error) {
  OwnedRecord out;
  out.result = result;
  out.error = result == ParseResult::kBadTimestamp ? error : "";
  if (result != ParseResult::kRecord) return out;
  out.time_ns = record.time_ns;
  out.host = record.host;
  out.program = record.program;
  out.message = record.message;
  out.unit = record.unit;
  out.pid = record.pid;
  out.sshd = IsSshdEntry(record);
  return out;
}

/// Inside [begin, begin + size), or an empty view.
bool Within(string_view view, const char* begin, size_t size) {
  return view.empty() || (view.data() >= begin && view.data() + view.size() <= begin + size);
}

/// Shares no byte with [begin, begin + size).
bool Outside(string_view view, const char* begin, size_t size) {
  return view.empty() || view.data() + view.size() <= begin || view.data() >= begin + size;
}

void CheckViews(const LogRecord& record, const char* line, size_t size) {
  for (string_view view : {record.host, record.program, record.message, record.unit}) {
    VIGIL_CHECK(Within(view, line, size) || Outside(view, line, size + kPadding));
  }
}

using ::vigil::fuzz::Depth;
using ::vigil::fuzz::IsSyntaxError;

/// One wanted field's value so far.
struct FieldValue {
  bool present = false;
  std::string text;
};

/// The documented forms of a wanted field: a string; null (absent); an array of byte values
/// (decoded); an array of values of a repeated field (the first is used, in any of these
/// forms, one level down). False for anything else. `ambiguous` is set by a byte 0 that may
/// have been written `-0`: DOM reads it as 0, the parser refuses it, and either is fine
/// (journalctl writes byte values as plain integers).
bool ReadField(simdjson::dom::element value, int depth, bool negative_zero_in_line,
               FieldValue& out, bool& ambiguous) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      out.present = true;
      out.text = std::string(value.get_string().value());
      return true;
    case simdjson::dom::element_type::NULL_VALUE:
      out.present = false;
      return true;
    case simdjson::dom::element_type::ARRAY: {
      if (depth >= 2) return false;
      std::string bytes;
      bool first = true;
      bool is_bytes = false;
      const simdjson::dom::array array = value.get_array().value();
      for (simdjson::dom::element element : array) {
        const bool number = element.is_number();
        if (number && (first || is_bytes)) {
          uint64_t byte = 0;
          if (element.get_uint64().get(byte) != simdjson::SUCCESS || byte > 255) return false;
          ambiguous = ambiguous || (byte == 0 && negative_zero_in_line);
          bytes.push_back(static_cast<char>(byte));
          is_bytes = true;
        } else if (first) {
          if (!ReadField(element, depth + 1, negative_zero_in_line, out, ambiguous)) return false;
        } else if (is_bytes) {
          return false;  // a byte array holds only numbers
        }
        first = false;
      }
      if (is_bytes || first) {
        out.present = true;
        out.text = bytes;
      }
      return true;
    }
    default:
      return false;
  }
}

bool ModelSshdUnit(string_view unit) {
  return unit == "ssh.service" || unit == "sshd.service" || unit.starts_with("sshd@") ||
         unit.starts_with("ssh@");
}

/// Decimal digits only, 1-`max_digits` of them.
std::optional<uint64_t> Decimal(const std::string& text, size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

/// What the documented rules make of `line`, or nullopt where DOM cannot say (number range
/// errors, nesting the parser refuses on its own).
std::optional<OwnedRecord> Model(simdjson::dom::parser& dom, string_view line) {
  OwnedRecord out;
  const size_t first = line.find_first_not_of(" \t\n\r");
  if (first == string_view::npos || line[first] != '{') return out;
  simdjson::dom::element root;
  const simdjson::error_code error = dom.parse(line.data(), line.size(), true).get(root);
  if (error != simdjson::SUCCESS) {
    if (IsSyntaxError(error)) return out;
    return std::nullopt;
  }
  if (!root.is_object()) return out;
  if (Depth(root) > 8) return std::nullopt;
  FieldValue realtime, hostname, identifier, comm, pid, syslog_pid, message, unit;
  const bool negative_zero = line.find("-0") != string_view::npos;
  bool ambiguous = false;
  const simdjson::dom::object object = root.get_object().value();
  for (simdjson::dom::key_value_pair field : object) {
    FieldValue* wanted = field.key == "__REALTIME_TIMESTAMP" ? &realtime
                         : field.key == "_HOSTNAME"          ? &hostname
                         : field.key == "SYSLOG_IDENTIFIER"  ? &identifier
                         : field.key == "_COMM"              ? &comm
                         : field.key == "_PID"               ? &pid
                         : field.key == "SYSLOG_PID"         ? &syslog_pid
                         : field.key == "MESSAGE"            ? &message
                         : field.key == "_SYSTEMD_UNIT"      ? &unit
                                                             : nullptr;
    if (wanted != nullptr && !ReadField(field.value, 0, negative_zero, *wanted, ambiguous)) {
      return ambiguous ? std::nullopt : std::optional(out);
    }
  }
  if (ambiguous) return std::nullopt;
  out.result = ParseResult::kBadTimestamp;
  if (!realtime.present) {
    out.error = "no __REALTIME_TIMESTAMP field (expected microseconds since the epoch)";
    return out;
  }
  const std::optional<uint64_t> micros = Decimal(realtime.text, 19);
  if (!micros || *micros > uint64_t{std::numeric_limits<int64_t>::max() / 1000}) {
    out.error = "?";  // the text quotes the value; checked apart
    return out;
  }
  out.result = ParseResult::kRecord;
  out.time_ns = static_cast<int64_t>(*micros) * 1000;
  out.host = hostname.present ? hostname.text : "";
  out.program = identifier.present ? identifier.text : comm.present ? comm.text : "";
  for (const FieldValue* field : {&pid, &syslog_pid}) {
    if (!field->present) continue;
    if (const std::optional<uint64_t> number = Decimal(field->text, 18)) {
      out.pid = static_cast<int64_t>(*number);
      break;
    }
  }
  out.message = message.present ? message.text : "";
  out.unit = unit.present ? unit.text : "";
  out.sshd = ModelSshdUnit(out.unit) || out.program == "sshd" ||
             out.program == "sshd-session" || out.program == "sshd-auth";
  return out;
}

}  // namespace
}  // namespace vigil::syslog

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::syslog;
  const string_view content(reinterpret_cast<const char*>(data), size);
  JournalJsonParser parser;
  simdjson::dom::parser dom;
  LogRecord record;
  std::string error;
  for (size_t begin = 0; begin < content.size();) {
    const size_t newline = std::min(content.find('\n', begin), content.size());
    const string_view line = content.substr(begin, newline - begin);
    begin = newline + 1;

    // Parse: an exact-size copy, so reading past the line is an ASan report.
    const std::unique_ptr<char[]> exact(new char[line.size()]);
    if (!line.empty()) std::memcpy(exact.get(), line.data(), line.size());
    error.clear();
    const ParseResult result = parser.Parse(string_view(exact.get(), line.size()), record, &error);
    const OwnedRecord copied = Own(result, record, error);

    // ParsePadded, first with the padding LineSplitter leaves (the file's next bytes), then
    // with bytes that would end or escape a string if they were read as the line's.
    const std::unique_ptr<char[]> padded(new char[line.size() + kPadding]);
    if (!line.empty()) std::memcpy(padded.get(), line.data(), line.size());
    char* const padding = padded.get() + line.size();
    const string_view next = content.substr(std::min(newline + 1, content.size()), kPadding);
    std::memset(padding, '}', kPadding);
    std::memcpy(padding, next.data(), next.size());
    auto parse_padded = [&] {
      error.clear();
      const ParseResult padded_result =
          parser.ParsePadded(string_view(padded.get(), line.size()), record, &error);
      if (padded_result == ParseResult::kRecord) CheckViews(record, padded.get(), line.size());
      VIGIL_CHECK(Own(padded_result, record, error) == copied);
    };
    parse_padded();
    std::memset(padding, '"', kPadding);
    parse_padded();
    std::memset(padding, '\\', kPadding);
    parse_padded();

    if (copied.result == ParseResult::kRecord) {
      VIGIL_CHECK(copied.time_ns >= 0 && copied.time_ns % 1000 == 0);
      VIGIL_CHECK(copied.pid >= -1);
    }
    if (copied.result == ParseResult::kBadTimestamp) {
      VIGIL_CHECK(!copied.error.empty());
      for (char c : copied.error) VIGIL_CHECK(c >= 0x20 && c < 0x7f);
    }
    const std::optional<OwnedRecord> want = Model(dom, line);
    if (!want) continue;
    VIGIL_CHECK_EQ(static_cast<int>(copied.result), static_cast<int>(want->result));
    if (want->result == ParseResult::kBadTimestamp) {
      if (want->error != "?") VIGIL_CHECK(copied.error == want->error);
    } else {
      VIGIL_CHECK(copied == *want);
    }
  }
  return 0;
}
