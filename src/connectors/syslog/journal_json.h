#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "connectors/syslog/log_record.h"

namespace vigil::syslog {

/// Parses the lines of `journalctl -o json` (one JSON object per line, every field a string)
/// into LogRecords:
///
///   time     __REALTIME_TIMESTAMP (microseconds since the epoch, as a string)
///   host     _HOSTNAME
///   program  SYSLOG_IDENTIFIER, else _COMM
///   pid      _PID, else SYSLOG_PID (-1 when neither is a number)
///   message  MESSAGE
///   unit     _SYSTEMD_UNIT
///
/// journalctl writes a field that is not valid UTF-8 as an array of byte values
/// (`"MESSAGE":[104,105,255]`): it is decoded to those bytes. A field that occurs more than
/// once in the entry comes as an array of its values: the first is used. `null` (what
/// journalctl writes for a field over its size limit without --all) reads as absent.
/// Other fields are ignored, but every value is visited, so only valid JSON is accepted.
///
/// kNotLog: not a JSON object, or a wanted field of another type. kBadTimestamp: an object
/// without a valid __REALTIME_TIMESTAMP (the error says which and why). Use IsSshdEntry
/// (log_record.h) on the record to keep sshd's entries.
///
/// Lifecycle: one per input stream, one thread. Record views point into the line (Parse
/// copies it into an own padded buffer first, ParsePadded does not) or into the parser's
/// buffers, and are valid until the next call.
class JournalJsonParser {
 public:
  /// Bytes that must be readable after a line given to ParsePadded (simdjson reads ahead);
  /// LineSplitter::kReadablePadding guarantees them.
  static constexpr size_t kPaddingBytes = 64;

  JournalJsonParser();
  ~JournalJsonParser();
  JournalJsonParser(const JournalJsonParser&) = delete;
  JournalJsonParser& operator=(const JournalJsonParser&) = delete;

  /// Parses any line (copied into a padded buffer first, so any string_view works).
  ParseResult Parse(std::string_view line, LogRecord& record, std::string* error);
  /// Parses in place: `kPaddingBytes` bytes after `line` must be readable.
  ParseResult ParsePadded(std::string_view line, LogRecord& record, std::string* error);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vigil::syslog
