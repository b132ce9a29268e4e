#include "connectors/syslog/log_format.h"

#include <algorithm>
#include <array>
#include <string>

#include "connectors/syslog/syslog_parser.h"

namespace vigil::syslog {

namespace {

/// Non-blank lines looked at for a syslog header.
constexpr int kSyslogLinesLooked = 5;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

/// Whether a line that starts with `{` names a journal field as a key: `"KEY"` followed
/// (after optional spaces) by `:`.
bool HasJournalKey(std::string_view line) {
  for (std::string_view key :
       {std::string_view("\"__REALTIME_TIMESTAMP\""), std::string_view("\"MESSAGE\"")}) {
    size_t at = line.find(key);
    while (at != std::string_view::npos) {
      size_t after = at + key.size();
      while (after < line.size() && IsBlank(line[after])) ++after;
      if (after < line.size() && line[after] == ':') return true;
      at = line.find(key, at + 1);
    }
  }
  return false;
}

/// Whether a line is a CSV header with the four login columns.
bool IsLoginCsvHeader(std::string_view line) {
  static constexpr std::array<std::string_view, 4> kColumns = {"username", "successful", "time",
                                                               "ip_address"};
  bool found[kColumns.size()] = {};
  size_t begin = 0;
  while (begin <= line.size()) {
    size_t end = line.find(',', begin);
    if (end == std::string_view::npos) end = line.size();
    std::string_view name = Trim(line.substr(begin, end - begin));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    for (size_t i = 0; i < kColumns.size(); ++i) {
      if (name == kColumns[i]) found[i] = true;
    }
    begin = end + 1;
  }
  return std::all_of(std::begin(found), std::end(found), [](bool f) { return f; });
}

}  // namespace

const char* LogFormatName(LogFormat format) {
  switch (format) {
    case LogFormat::kCsv:
      return "csv";
    case LogFormat::kSyslog:
      return "syslog";
    case LogFormat::kJournalJson:
      return "journal-json";
    case LogFormat::kUnknown:
      return "unknown";
    case LogFormat::kAuto:
      return "auto";
  }
  return "unknown";
}

Result<LogFormat> ParseLogFormatName(std::string_view name) {
  for (LogFormat format :
       {LogFormat::kAuto, LogFormat::kCsv, LogFormat::kSyslog, LogFormat::kJournalJson}) {
    if (name == LogFormatName(format)) return format;
  }
  return Status::Invalid("unknown input format \"{}\" (expected auto, csv, syslog or journal-json)",
                         name.substr(0, 64));
}

LogFormat DetectLogFormat(std::string_view first_bytes) {
  std::string_view text = first_bytes.substr(0, kLogFormatDetectBytes);
  const bool cut = first_bytes.size() >= kLogFormatDetectBytes;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  // A fixed year: detection must not depend on the clock (and 2000 has a Feb 29).
  SyslogTimeOptions options;
  options.year = 2000;
  SyslogLineParser parser(options);
  parser.StartFile(0);
  LogRecord record;
  int non_blank = 0;
  size_t begin = 0;
  while (begin < text.size() && non_blank < kSyslogLinesLooked) {
    size_t end = text.find('\n', begin);
    const bool complete = end != std::string_view::npos;
    if (!complete) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty()) continue;
    // A line cut by the limit is only trusted when nothing else is there to look at.
    if (!complete && cut && non_blank > 0) break;
    if (non_blank == 0) {
      const std::string_view trimmed = Trim(line);
      if (trimmed.front() == '{') {
        if (HasJournalKey(trimmed)) return LogFormat::kJournalJson;
      } else if (IsLoginCsvHeader(trimmed)) {
        return LogFormat::kCsv;
      }
    }
    ++non_blank;
    if (parser.Parse(line, record, nullptr) != ParseResult::kNotLog) return LogFormat::kSyslog;
  }
  return LogFormat::kUnknown;
}

}  // namespace vigil::syslog
