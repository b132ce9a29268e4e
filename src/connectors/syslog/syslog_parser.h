#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "connectors/syslog/log_record.h"
#include "vigil/common/status.h"

namespace vigil::syslog {

/// How timestamps without a year or a zone are read.
struct SyslogTimeOptions {
  /// `--year`: the year of a file's first traditional line (rollover still applies after it).
  /// Unset: inferred from the file's reference time (see SyslogLineParser::StartFile).
  std::optional<int> year;
  /// The zone of timestamps that carry no offset (traditional ones, and ISO ones without
  /// `Z`/`±hh:mm`), as a fixed offset east of UTC. Default 0: such timestamps are read as UTC.
  /// A fixed offset only: daylight-saving changes inside a file are not modelled.
  int64_t utc_offset_seconds = 0;

  /// InvalidArgument when the year is outside 1678-2261 (the range of int64 nanosecond
  /// times) or the offset is not within ±24 h.
  Status Validate() const;
};

/// Parses syslog lines in the forms sshd's lines are found in:
///
///   traditional (RFC 3164 / BSD):  `Mar 29 23:18:33 host sshd[6402]: msg` (day may be
///                                  space-padded: `Mar  9`), optionally after `<PRI>`
///   RFC 3339 / ISO 8601:           `2026-03-29T23:18:33.123456+02:00 host sshd[6402]: msg`
///                                  (rsyslog's default on Debian 12; fraction of 0-9 digits,
///                                  `Z` or `±hh:mm` or `±hhmm`, or no offset: options' zone)
///   RFC 5424:                      `<38>1 2026-03-29T23:18:33.123Z host sshd 6402 - - msg`
///                                  (NILVALUE `-` fields, structured data, BOM before msg)
///
/// The tag is `program[pid]:` or `program:`; a line whose text after the host has no tag
/// (`-- MARK --`) is still a record, with an empty program and the text as message.
///
/// Year of traditional timestamps (they have none): StartFile gives a reference time,
/// normally the file's modification time. The first line takes the reference's year, or the
/// year before when that would put it more than a day (clock slack) after the reference.
/// After that years only move forward: a line more than a day earlier than the latest line
/// so far starts a new year (Dec 31 → Jan 1 in a file spanning New Year). A line less than a
/// day before the latest is out of order, not a new year; and a line that would be more
/// than half a year after the latest while the year before puts it within a day of it is a
/// late line from the old year (Dec 31 23:59:59 logged after Jan 1 00:00:01). With
/// `options.year`, the first line's year is that year. Feb 29 of a non-leap year, and every
/// other impossible date or time, is kBadTimestamp.
///
/// Speed: hand-written scanning, no regex, no allocation (except the error text of a bad
/// line), no locale, and no C library time calls: the day number of the current date is
/// cached, so a line's time is a few multiply-adds (see civil_date.h for why).
///
/// Lifecycle: one per input stream, used by one thread; StartFile at the start of each file.
class SyslogLineParser {
 public:
  /// The reference time starts as the current time, for callers that never call StartFile.
  explicit SyslogLineParser(SyslogTimeOptions options = {});

  /// Starts a file: `reference_unix_seconds` (normally the file's mtime) anchors the year of
  /// its first traditional line, and the year state of the previous file is forgotten.
  void StartFile(int64_t reference_unix_seconds);

  /// Parses one line (without its `\n`). On kRecord, `record` is filled with views into
  /// `line`; on kBadTimestamp, `*error` (when not null) says what is wrong, where and what
  /// was expected, e.g. `timestamp "Feb 29 10:00:00" at column 1: February 29 does not
  /// exist in 2025 (expected a day 1-28)`. Any bytes are accepted.
  ParseResult Parse(std::string_view line, LogRecord& record, std::string* error);

  /// The year the next traditional line is placed in before rollover (tests, diagnostics);
  /// nullopt before the file's first traditional line.
  std::optional<int64_t> current_year() const {
    return year_known_ ? std::optional<int64_t>(current_year_) : std::nullopt;
  }

 private:
  ParseResult ParseTraditional(std::string_view line, size_t start, LogRecord& record,
                               std::string* error);
  ParseResult ParseIso(std::string_view line, size_t start, bool rfc5424, LogRecord& record,
                       std::string* error);
  ParseResult ParseRfc5424(std::string_view line, size_t start, LogRecord& record,
                           std::string* error);

  SyslogTimeOptions options_;
  int64_t reference_seconds_ = 0;  ///< In the zone of the timestamps (UTC + offset).
  int64_t reference_year_ = 1970;

  // Year inference of traditional lines in the current file.
  bool year_known_ = false;
  int64_t current_year_ = 0;
  int64_t latest_local_seconds_ = 0;  ///< Latest line time so far (timestamps' zone).

  // Day-number caches: lines of a file share their date, so the calendar arithmetic and
  // validation run once per date, not once per line.
  int64_t cached_traditional_year_ = -1;
  int cached_traditional_month_ = 0;
  int cached_traditional_day_ = 0;
  int64_t cached_traditional_days_ = 0;
  char cached_iso_date_[10] = {};  ///< "YYYY-MM-DD" of the cached ISO date, if any.
  int64_t cached_iso_days_ = 0;
};

}  // namespace vigil::syslog
