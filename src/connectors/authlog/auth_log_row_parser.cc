#include "connectors/authlog/auth_log_row_parser.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include <fmt/format.h>

#include "connectors/authlog/auth_events_schema.h"

namespace vigil {

namespace {

/// The method names of the events table, as static strings: rows point at them instead of
/// copying the bytes of every line.
std::string_view CanonicalMethod(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"password", "publickey", "keyboard-interactive",
                                                "hostbased", "none", "gssapi-with-mic",
                                                "gssapi-keyex"};
  for (std::string_view known : kKnown) {
    if (method == known) return known;
  }
  return "";
}

bool Within(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

AuthLogRowParser::AuthLogRowParser(AuthLogOptions options)
    : options_(std::move(options)),
      stats_(options_.stats != nullptr ? options_.stats.get() : &local_stats_),
      syslog_(options_.time),
      tracker_(options_.tracker) {}

void AuthLogRowParser::StartFile(const std::string& path) {
  // Traditional syslog has no year: it is the year that puts the lines at or before the
  // file's last change (stdin and files that cannot be stat'ed: now).
  struct stat st {};
  const int64_t reference =
      (path != "-" && ::stat(path.c_str(), &st) == 0) ? static_cast<int64_t>(st.st_mtime)
                                                       : NowSeconds();
  syslog_.StartFile(reference);
}

Status AuthLogRowParser::ParseLines(std::span<const Line> lines, LineBatchBuilder& out) {
  syslog::LogRecord record;
  for (const Line& line : lines) {
    ++stats_->lines;
    const std::string_view text = line.text;
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) {
      ++stats_->blank_lines;
      continue;
    }
    const bool journal = options_.format == AuthLogLineFormat::kJournalJson ||
                         (options_.format == AuthLogLineFormat::kAuto && text.front() == '{');
    error_text_.clear();
    // The line reader leaves 64 readable bytes after every line: simdjson parses in place.
    const syslog::ParseResult parsed = journal ? journal_.ParsePadded(text, record, &error_text_)
                                               : syslog_.Parse(text, record, &error_text_);
    if (parsed == syslog::ParseResult::kNotLog) {
      ++stats_->not_log_lines;
      continue;
    }
    if (parsed == syslog::ParseResult::kBadTimestamp) {
      ++stats_->bad_lines;
      RETURN_NOT_OK(out.RejectLine(
          line, error_text_.empty() ? "bad timestamp" : error_text_,
          journal ? "a journal entry with __REALTIME_TIMESTAMP in microseconds"
                  : "a syslog timestamp (`Mar 29 23:18:33`, RFC 3339 or RFC 5424)",
          text.substr(0, 64)));
      continue;
    }
    RETURN_NOT_OK(ProcessRecord(record, line, out));
  }
  return Status::OK();
}

Status AuthLogRowParser::ProcessRecord(const syslog::LogRecord& record, const Line& line,
                                       LineBatchBuilder& out) {
  events_.clear();
  const sshd::MessageResult result =
      tracker_.Process(record.time_ns, record.host, record.program, record.pid, record.message,
                       events_, &message_error_);
  switch (result) {
    case sshd::MessageResult::kNotSshd:
      ++stats_->other_programs;
      break;
    case sshd::MessageResult::kNoEvent:
      ++stats_->sshd_no_event;
      break;
    case sshd::MessageResult::kUnknown:
      ++stats_->sshd_unknown;
      break;
    case sshd::MessageResult::kMalformed:
      ++stats_->bad_lines;
      RETURN_NOT_OK(out.RejectLine(
          line,
          fmt::format("malformed sshd message: {}", message_error_.message),
          message_error_.expected, message_error_.value));
      break;
    case sshd::MessageResult::kEvents:
      ++stats_->sshd_with_events;
      break;
  }
  // A line may also complete events of an earlier connection (a held probe), whatever its
  // own result.
  if (!events_.empty()) CommitEvents(out, line.end_offset, line.text);
  return Status::OK();
}

Status AuthLogRowParser::FinishInput(LineBatchBuilder& out, uint64_t end_offset) {
  events_.clear();
  tracker_.Finish(events_);
  CommitEvents(out, end_offset, {});
  return Status::OK();
}

void AuthLogRowParser::CommitEvents(LineBatchBuilder& out, uint64_t end_offset,
                                    std::string_view line_text) {
  // Strings that lie in the line stay views (the reader detaches them before its buffer
  // moves); the others (canonical addresses that differ from the text, a held connection's
  // user) are copied into the batch's arena.
  auto text_value = [&](std::string_view s) {
    return Within(s, line_text) ? Value::String(s) : out.arena().CopyString(s);
  };
  uint32_t sub = 0;
  for (const sshd::AuthEvent& e : events_) {
    if (e.time_ns < stats_->latest_event_ns) {
      stats_->max_event_lateness_ns =
          std::max(stats_->max_event_lateness_ns, stats_->latest_event_ns - e.time_ns);
    } else {
      stats_->latest_event_ns = e.time_ns;
    }
    for (uint32_t r = 0; r < e.repeat; ++r) {
      out.MakeRoom();
      out.Set(auth_events::kTime, Value::DateTimeUtc(e.time_ns));
      out.Set(auth_events::kHost, text_value(e.host));
      out.Set(auth_events::kPid, Value::Int(e.pid));
      out.Set(auth_events::kIp, text_value(e.ip));
      out.Set(auth_events::kIpIsHostname, Value::Bool(e.ip_is_hostname));
      out.Set(auth_events::kPort, Value::Int(e.port));
      out.Set(auth_events::kUser, text_value(e.user));
      out.Set(auth_events::kInvalidUser, Value::Bool(e.invalid_user));
      out.Set(auth_events::kOutcome, Value::String(sshd::OutcomeName(e.outcome)));
      out.Set(auth_events::kMethod, Value::String(CanonicalMethod(e.method)));
      out.Set(auth_events::kKind, Value::String(sshd::EventKindName(e.kind)));
      out.CommitRowAt(end_offset, sub++);
      ++stats_->events;
    }
  }
}

}  // namespace vigil
