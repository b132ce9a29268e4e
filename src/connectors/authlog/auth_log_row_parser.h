#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/lines/line_row_parser.h"
#include "connectors/sshd/attempt_tracker.h"
#include "connectors/syslog/journal_json.h"
#include "connectors/syslog/syslog_parser.h"

namespace vigil {

/// What an auth-log read saw, line by line: every line is in exactly one of the counts after
/// `lines` (a line of a `message repeated` or held connection may give several events).
struct AuthLogStats {
  uint64_t lines = 0;            ///< Lines read (blank ones included).
  uint64_t blank_lines = 0;
  uint64_t not_log_lines = 0;    ///< Not a syslog / journal line at all: skipped, counted.
  uint64_t bad_lines = 0;        ///< Reported as bad rows (bad timestamp, malformed sshd line).
  uint64_t other_programs = 0;   ///< Log lines of other programs (cron, sudo, ...).
  uint64_t sshd_no_event = 0;    ///< sshd lines that belong to an attempt counted elsewhere.
  uint64_t sshd_unknown = 0;     ///< sshd lines of no known form: skipped, counted.
  uint64_t sshd_with_events = 0; ///< sshd lines that completed at least one event.
  uint64_t events = 0;           ///< Rows of the events table.
  /// How far out of time order the events came: the largest amount (ns) by which an event's
  /// time was earlier than that of an event before it (0 in time order). Events come out of
  /// order when the log does (hosts' lines merged) and when the tracker completes an event
  /// on a later line (an `Invalid user` probe waits for its connection to end). A pipeline
  /// that judges lateness in reading order with a longer cutoff dropped none of them.
  int64_t max_event_lateness_ns = 0;
  int64_t latest_event_ns = INT64_MIN;  ///< The latest event time so far.
};

/// Which line format a reader parses.
enum class AuthLogLineFormat : uint8_t {
  kAuto,         ///< Per line: a line starting with `{` is journal JSON, any other syslog.
  kSyslog,       ///< Traditional, RFC 3339 or RFC 5424 syslog lines.
  kJournalJson,  ///< `journalctl -o json`.
};

struct AuthLogOptions {
  AuthLogLineFormat format = AuthLogLineFormat::kAuto;
  syslog::SyslogTimeOptions time;
  sshd::AttemptTrackerOptions tracker;
  /// Counters, shared with whoever prints them (the CLI); may be null.
  std::shared_ptr<AuthLogStats> stats;
};

/// The row parser of auth logs: each line's header (syslog or journal JSON) is split, sshd's
/// messages go through an AttemptTracker, and every event it completes becomes a row of
/// AuthEventsSchema() (`message repeated N times` gives N rows, each with its own id). Lines
/// of other programs and unknown sshd lines are counted, not errors; a line whose timestamp
/// or sshd message is malformed is a bad row (file, line, column, value, expected).
///
/// The tracker's state (connections whose lines are still coming) carries across files, so a
/// log read with its rotated predecessors is one stream; FinishInput commits what it holds.
/// Traditional timestamps take their year from the file's modification time (StartFile).
class AuthLogRowParser final : public LineRowParser {
 public:
  explicit AuthLogRowParser(AuthLogOptions options);

  Status ParseLines(std::span<const Line> lines, LineBatchBuilder& out) override;
  void StartFile(const std::string& path) override;
  Status FinishInput(LineBatchBuilder& out, uint64_t end_offset) override;

  /// One record whose header is already split (a journal entry): its sshd message goes
  /// through the tracker and its events into `out` as rows of `line` (errors name it).
  Status ProcessRecord(const syslog::LogRecord& record, const Line& line, LineBatchBuilder& out);

 private:
  /// Writes the tracker's pending events as rows of the line ending at `end_offset`.
  void CommitEvents(LineBatchBuilder& out, uint64_t end_offset, std::string_view line_text);

  AuthLogOptions options_;
  AuthLogStats local_stats_;
  AuthLogStats* stats_;
  syslog::SyslogLineParser syslog_;
  syslog::JournalJsonParser journal_;
  sshd::AttemptTracker tracker_;
  std::vector<sshd::AuthEvent> events_;  ///< Reused: no allocation per line.
  std::string error_text_;
  sshd::SshdMessageError message_error_;
};

}  // namespace vigil
