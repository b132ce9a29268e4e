#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vigil/common/status.h"

namespace vigil::syslog {

/// The formats an auth-log input can be in (`--input-format`).
enum class LogFormat : uint8_t {
  kCsv,          ///< The tutorial's login CSV (username, successful, time, ip_address).
  kSyslog,       ///< Syslog lines (traditional, RFC 3339 or RFC 5424 timestamps).
  kJournalJson,  ///< `journalctl -o json` lines.
  kUnknown,      ///< DetectLogFormat found none of the above.
  kAuto,         ///< `--input-format auto`: detect per file. DetectLogFormat never returns it.
};

/// "csv", "syslog", "journal-json", "unknown", "auto".
const char* LogFormatName(LogFormat format);

/// `auto`, `csv`, `syslog` or `journal-json`; InvalidArgument naming the choices otherwise.
Result<LogFormat> ParseLogFormatName(std::string_view name);

/// The format of a file from its first bytes (up to 64 KiB of them, already decompressed;
/// more are ignored). A byte order mark and blank lines at the start are skipped; then
///  - a JSON object holding the key `__REALTIME_TIMESTAMP` or `MESSAGE` is journal JSON;
///  - a CSV header naming the columns username, successful, time and ip_address (any order,
///    other columns allowed, names optionally quoted) is CSV;
///  - a syslog header (any SyslogLineParser form) in the first non-blank lines (up to 5, so a
///    cut or foreign first line does not hide the format) is syslog;
///  - anything else is kUnknown.
/// A last line cut by the 64 KiB limit (no `\n`) is looked at only when it is the only line.
LogFormat DetectLogFormat(std::string_view first_bytes);

/// How many bytes DetectLogFormat looks at.
inline constexpr size_t kLogFormatDetectBytes = size_t{64} << 10;

}  // namespace vigil::syslog
