#pragma once

#include <cstdint>
#include <string_view>

namespace vigil::syslog {

/// One log entry's parts, as a syslog line or a journal entry gives them. The views point
/// into the parsed line, or into the parser's own buffers (journal JSON with escapes or
/// byte-array fields, entries read from the journal); they are valid until the parser's next
/// Parse/Next call. No field is copied: a record costs nothing to fill.
struct LogRecord {
  int64_t time_ns = 0;  ///< UTC, nanoseconds since the Unix epoch.
  std::string_view host;
  std::string_view program;  ///< "sshd": the syslog tag, or the journal's SYSLOG_IDENTIFIER.
  int64_t pid = -1;          ///< -1 when absent (or not a number).
  std::string_view message;  ///< The text after "program[pid]: ".
  /// The journal's _SYSTEMD_UNIT ("ssh.service"); empty for syslog lines.
  std::string_view unit;
};

/// What a parser made of one line. Documented enum rather than a bool: callers count the
/// kinds apart (other lines are skipped and counted; bad timestamps are reported).
enum class ParseResult : uint8_t {
  kRecord,        ///< `record` is filled.
  kNotLog,        ///< Not a log line of this format (blank, garbage, another format).
  kBadTimestamp,  ///< Has the shape of one, but the time is invalid (the error says why).
};

/// Whether `program` (a syslog tag or SYSLOG_IDENTIFIER) is OpenSSH's server: `sshd`, and
/// since OpenSSH 9.8 `sshd-session` (the per-connection process) and since 10.0 `sshd-auth`.
bool IsSshdProgram(std::string_view program);

/// Whether a systemd unit is sshd's: `ssh.service` (Debian's name), `sshd.service`, or an
/// instance of the socket-activated templates `sshd@...` / `ssh@...`.
bool IsSshdUnit(std::string_view unit);

/// Whether an entry is sshd's: its unit or its program says so (see above).
inline bool IsSshdEntry(const LogRecord& record) {
  return IsSshdUnit(record.unit) || IsSshdProgram(record.program);
}

}  // namespace vigil::syslog
