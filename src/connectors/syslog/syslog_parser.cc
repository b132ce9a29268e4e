#include "connectors/syslog/syslog_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "connectors/syslog/civil_date.h"

namespace vigil::syslog {

namespace {

constexpr int64_t kSecondsPerDay = 86400;
/// How far a file's clock may run ahead of its reference time (mtime written a little before
/// the last line's timestamp, a zone misconfiguration of a few hours).
constexpr int64_t kClockSlackSeconds = kSecondsPerDay;
/// A line this far after the latest one, that the year before places just before it, is a
/// late line from the old year rather than an eleven-month gap.
constexpr int64_t kHalfYearSeconds = 183 * kSecondsPerDay;
constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kMaxOffsetSeconds = kSecondsPerDay - 1;
/// Pids longer than this are not numbers sshd could have (and would overflow int64).
constexpr size_t kMaxPidDigits = 18;
/// Fraction digits beyond nanoseconds are read but ignored.
constexpr int kFractionDigitsKept = 9;

constexpr const char* kMonthNames[12] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline int DigitValue(char c) { return c - '0'; }
inline int TwoDigits(const char* p) { return DigitValue(p[0]) * 10 + DigitValue(p[1]); }

/// The month (1-12) of an English three-letter abbreviation as syslog writes it ("Mar"),
/// 0 if `p` (3 readable bytes) is none.
int MonthFromAbbreviation(const char* p) {
  switch (p[0]) {
    case 'J':
      if (p[1] == 'a' && p[2] == 'n') return 1;
      if (p[1] == 'u' && p[2] == 'n') return 6;
      if (p[1] == 'u' && p[2] == 'l') return 7;
      return 0;
    case 'F':
      return p[1] == 'e' && p[2] == 'b' ? 2 : 0;
    case 'M':
      if (p[1] != 'a') return 0;
      return p[2] == 'r' ? 3 : p[2] == 'y' ? 5 : 0;
    case 'A':
      if (p[1] == 'p' && p[2] == 'r') return 4;
      if (p[1] == 'u' && p[2] == 'g') return 8;
      return 0;
    case 'S':
      return p[1] == 'e' && p[2] == 'p' ? 9 : 0;
    case 'O':
      return p[1] == 'c' && p[2] == 't' ? 10 : 0;
    case 'N':
      return p[1] == 'o' && p[2] == 'v' ? 11 : 0;
    case 'D':
      return p[1] == 'e' && p[2] == 'c' ? 12 : 0;
    default:
      return 0;
  }
}

/// Writes `timestamp "<text>" at column N: <why>` for a bad timestamp. Only runs for bad
/// lines, so it may allocate. The quoted text passed the shape checks (digits, month
/// letters, separators), so it holds no control characters.
template <typename... Args>
ParseResult BadTimestamp(std::string* error, std::string_view line, size_t start, size_t end,
                         fmt::format_string<Args...> why, Args&&... args) {
  if (error != nullptr) {
    error->assign(
        fmt::format("timestamp \"{}\" at column {}: ", line.substr(start, end - start), start + 1));
    fmt::format_to(std::back_inserter(*error), why, std::forward<Args>(args)...);
  }
  return ParseResult::kBadTimestamp;
}

/// Reads `[.digits]` at `pos` into nanoseconds; returns the position after it. A dot
/// without a digit leaves `pos` unchanged (the caller then finds the dot unexpected).
size_t ReadFraction(std::string_view line, size_t pos, int64_t& nanos) {
  nanos = 0;
  if (pos + 1 >= line.size() || line[pos] != '.' || !IsDigit(line[pos + 1])) return pos;
  ++pos;
  int digits = 0;
  while (pos < line.size() && IsDigit(line[pos])) {
    if (digits < kFractionDigitsKept) {
      nanos = nanos * 10 + DigitValue(line[pos]);
      ++digits;
    }
    ++pos;
  }
  for (; digits < kFractionDigitsKept; ++digits) nanos *= 10;
  return pos;
}

/// Splits the text after the host into the tag (`program[pid]:` or `program:`) and the
/// message. Text without a tag is all message.
void SplitTag(std::string_view rest, LogRecord& record) {
  const size_t size = rest.size();
  size_t i = 0;
  while (i < size && rest[i] != ' ' && rest[i] != ':' && rest[i] != '[') ++i;
  record.program = {};
  record.pid = -1;
  record.message = rest;
  if (i == 0 || i == size || rest[i] == ' ') return;  // No tag.
  size_t next = i + 1;
  int64_t pid = -1;
  if (rest[i] == '[') {
    size_t k = i + 1;
    int64_t value = 0;
    while (k < size && k - (i + 1) < kMaxPidDigits && IsDigit(rest[k])) {
      value = value * 10 + DigitValue(rest[k]);
      ++k;
    }
    if (k < size && rest[k] == ']' && k > i + 1) {
      pid = value;
    } else {
      // Not a number (`prog[abc]:`): still a tag if the bracket closes before a space.
      while (k < size && rest[k] != ']' && rest[k] != ' ') ++k;
      if (k == size || rest[k] != ']') return;
    }
    next = k + 1;
    if (next < size && rest[next] == ':') ++next;  // `prog[pid] msg` (no colon) is seen too.
  }
  if (next < size && rest[next] == ' ') ++next;
  record.program = rest.substr(0, i);
  record.pid = pid;
  record.message = rest.substr(next);
}

/// Reads ` host ` and the tag after a timestamp ending at `pos`. kNotLog if no host follows.
ParseResult ReadHostAndTag(std::string_view line, size_t pos, LogRecord& record) {
  if (pos >= line.size() || line[pos] != ' ') return ParseResult::kNotLog;
  ++pos;
  const size_t host_begin = pos;
  while (pos < line.size() && line[pos] != ' ') ++pos;
  if (pos == host_begin) return ParseResult::kNotLog;
  record.host = line.substr(host_begin, pos - host_begin);
  record.unit = {};
  if (pos == line.size()) {
    record.program = {};
    record.pid = -1;
    record.message = {};
    return ParseResult::kRecord;
  }
  SplitTag(line.substr(pos + 1), record);
  return ParseResult::kRecord;
}

/// An RFC 3339 / ISO 8601 timestamp, read but not yet turned into a time.
struct IsoTimestamp {
  int year, month, day, hour, minute, second;
  int64_t fraction_nanos;
  bool has_offset;
  int64_t offset_seconds;  ///< East of UTC.
  size_t end;              ///< Position just after the timestamp.
};

/// Reads the timestamp at `start`: kNotLog if it lacks the shape
/// `YYYY-MM-DD(T| )hh:mm:ss[.f][Z|±hh:mm|±hhmm]` followed by a space or the end,
/// kBadTimestamp (with the reason) if a field is out of range.
ParseResult ReadIsoTimestamp(std::string_view line, size_t start, bool require_t, IsoTimestamp& ts,
                             std::string* error) {
  if (line.size() - start < 19) return ParseResult::kNotLog;
  const char* p = line.data() + start;
  const bool separator_ok = p[10] == 'T' || p[10] == 't' || (!require_t && p[10] == ' ');
  if (!(IsDigit(p[0]) && IsDigit(p[1]) && IsDigit(p[2]) && IsDigit(p[3]) && p[4] == '-' &&
        IsDigit(p[5]) && IsDigit(p[6]) && p[7] == '-' && IsDigit(p[8]) && IsDigit(p[9]) &&
        separator_ok && IsDigit(p[11]) && IsDigit(p[12]) && p[13] == ':' && IsDigit(p[14]) &&
        IsDigit(p[15]) && p[16] == ':' && IsDigit(p[17]) && IsDigit(p[18]))) {
    return ParseResult::kNotLog;
  }
  ts.year = TwoDigits(p) * 100 + TwoDigits(p + 2);
  ts.month = TwoDigits(p + 5);
  ts.day = TwoDigits(p + 8);
  ts.hour = TwoDigits(p + 11);
  ts.minute = TwoDigits(p + 14);
  ts.second = TwoDigits(p + 17);
  size_t pos = ReadFraction(line, start + 19, ts.fraction_nanos);
  ts.has_offset = false;
  ts.offset_seconds = 0;
  if (pos < line.size() && (line[pos] == 'Z' || line[pos] == 'z')) {
    ts.has_offset = true;
    ++pos;
  } else if (pos < line.size() && (line[pos] == '+' || line[pos] == '-')) {
    const size_t sign_pos = pos;
    const std::string_view rest = line.substr(pos + 1);
    int hours = 0;
    int minutes = 0;
    if (rest.size() >= 5 && IsDigit(rest[0]) && IsDigit(rest[1]) && rest[2] == ':' &&
        IsDigit(rest[3]) && IsDigit(rest[4])) {
      pos += 6;
    } else if (rest.size() >= 4 && IsDigit(rest[0]) && IsDigit(rest[1]) && IsDigit(rest[2]) &&
               IsDigit(rest[3])) {
      pos += 5;
    } else {
      return ParseResult::kNotLog;
    }
    hours = TwoDigits(rest.data());
    minutes = TwoDigits(rest.data() + (pos - sign_pos == 6 ? 3 : 2));
    if (hours > 23 || minutes > 59) {
      return BadTimestamp(error, line, start, pos,
                          "offset hours {:02} or minutes {:02} out of "
                          "range (expected hours 00-23, minutes 00-59)",
                          hours, minutes);
    }
    ts.has_offset = true;
    ts.offset_seconds = (hours * 3600 + minutes * 60) * (line[sign_pos] == '-' ? -1 : 1);
  }
  if (pos < line.size() && line[pos] != ' ') return ParseResult::kNotLog;
  ts.end = pos;
  if (ts.year < kMinYear || ts.year > kMaxYear) {
    return BadTimestamp(error, line, start, pos,
                        "year {} out of range (expected {}-{}, the span of nanosecond times)",
                        ts.year, kMinYear, kMaxYear);
  }
  if (ts.month < 1 || ts.month > 12) {
    return BadTimestamp(error, line, start, pos, "month {:02} out of range (expected 01-12)",
                        ts.month);
  }
  const int days_in_month = DaysInMonth(ts.year, ts.month);
  if (ts.day < 1 || ts.day > days_in_month) {
    return BadTimestamp(error, line, start, pos,
                        "day {:02} does not exist in {} {} (expected 01-{:02})", ts.day,
                        kMonthNames[ts.month - 1], ts.year, days_in_month);
  }
  if (ts.hour > 23 || ts.minute > 59 || ts.second > 60) {
    return BadTimestamp(error, line, start, pos,
                        "time {:02}:{:02}:{:02} out of range (expected 00:00:00-23:59:60)", ts.hour,
                        ts.minute, ts.second);
  }
  return ParseResult::kRecord;
}

}  // namespace

Status SyslogTimeOptions::Validate() const {
  if (year.has_value() && (*year < kMinYear || *year > kMaxYear)) {
    return Status::Invalid("year {} is out of range (expected {}-{}, the span of nanosecond times)",
                           *year, kMinYear, kMaxYear);
  }
  if (utc_offset_seconds < -kMaxOffsetSeconds || utc_offset_seconds > kMaxOffsetSeconds) {
    return Status::Invalid("UTC offset {} s is out of range (expected within ±{} s)",
                           utc_offset_seconds, kMaxOffsetSeconds);
  }
  return Status::OK();
}

SyslogLineParser::SyslogLineParser(SyslogTimeOptions options) : options_(options) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  StartFile(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

void SyslogLineParser::StartFile(int64_t reference_unix_seconds) {
  // Clamped to the span of nanosecond times: a file's mtime can be anything (tmpfs takes
  // `touch -d @9223372036854775807`), and the year arithmetic below must not overflow. A
  // reference past the span is taken as its edge: lines get the years next to it, or are
  // reported as out of range.
  constexpr int64_t kMaxReference = INT64_MAX / kNanosPerSecond;
  reference_unix_seconds = std::clamp(reference_unix_seconds, -kMaxReference, kMaxReference);
  reference_seconds_ = reference_unix_seconds + options_.utc_offset_seconds;
  reference_year_ = CivilFromDays(FloorDiv(reference_seconds_, kSecondsPerDay)).year;
  year_known_ = false;
  current_year_ = 0;
  latest_local_seconds_ = 0;
}

ParseResult SyslogLineParser::Parse(std::string_view line, LogRecord& record, std::string* error) {
  size_t pos = 0;
  if (!line.empty() && line[0] == '<') {
    // `<PRI>`: facility * 8 + severity, 0-191 (RFC 5424 6.2.1, RFC 3164 4.1.1).
    int priority = 0;
    size_t i = 1;
    while (i < line.size() && i <= 3 && IsDigit(line[i])) {
      priority = priority * 10 + DigitValue(line[i]);
      ++i;
    }
    if (i == 1 || i >= line.size() || line[i] != '>' || priority > 191) {
      return ParseResult::kNotLog;
    }
    pos = i + 1;
    if (pos + 1 < line.size() && line[pos] == '1' && line[pos + 1] == ' ') {
      return ParseRfc5424(line, pos + 2, record, error);
    }
  }
  if (pos >= line.size()) return ParseResult::kNotLog;
  if (IsDigit(line[pos])) return ParseIso(line, pos, false, record, error);
  return ParseTraditional(line, pos, record, error);
}

ParseResult SyslogLineParser::ParseTraditional(std::string_view line, size_t start,
                                               LogRecord& record, std::string* error) {
  // `Mmm dd hh:mm:ss`, `Mmm  d hh:mm:ss` or `Mmm d hh:mm:ss`: 14 or 15 bytes.
  if (line.size() - start < 14) return ParseResult::kNotLog;
  const char* p = line.data() + start;
  const int month = MonthFromAbbreviation(p);
  if (month == 0 || p[3] != ' ') return ParseResult::kNotLog;
  size_t q = 4;  // Offset of the day's first digit.
  int day = 0;
  if (p[4] == ' ') {
    if (!IsDigit(p[5])) return ParseResult::kNotLog;
    day = DigitValue(p[5]);
    q = 6;
  } else if (IsDigit(p[4]) && IsDigit(p[5])) {
    day = TwoDigits(p + 4);
    q = 6;
  } else if (IsDigit(p[4])) {
    day = DigitValue(p[4]);
    q = 5;
  } else {
    return ParseResult::kNotLog;
  }
  if (line.size() - start < q + 9) return ParseResult::kNotLog;
  const char* t = p + q + 1;
  if (p[q] != ' ' || !IsDigit(t[0]) || !IsDigit(t[1]) || t[2] != ':' || !IsDigit(t[3]) ||
      !IsDigit(t[4]) || t[5] != ':' || !IsDigit(t[6]) || !IsDigit(t[7])) {
    return ParseResult::kNotLog;
  }
  int64_t fraction_nanos = 0;
  const size_t end = ReadFraction(line, start + q + 9, fraction_nanos);
  if (end < line.size() && line[end] != ' ') return ParseResult::kNotLog;
  const int hour = TwoDigits(t);
  const int minute = TwoDigits(t + 3);
  const int second = TwoDigits(t + 6);
  if (day < 1 || day > 31) {
    return BadTimestamp(error, line, start, end, "day {} out of range (expected 1-31)", day);
  }
  if (hour > 23 || minute > 59 || second > 60) {
    return BadTimestamp(error, line, start, end,
                        "time {:02}:{:02}:{:02} out of range (expected 00:00:00-23:59:60)", hour,
                        minute, second);
  }
  const int64_t time_of_day = int64_t{hour} * 3600 + minute * 60 + second;

  // The year (see the class comment). Local seconds are in the timestamps' zone; day
  // numbers come from a one-entry cache, as every line of a day shares its date.
  auto local_seconds = [&](int64_t year) {
    if (year != cached_traditional_year_ || month != cached_traditional_month_ ||
        day != cached_traditional_day_) {
      cached_traditional_year_ = year;
      cached_traditional_month_ = month;
      cached_traditional_day_ = day;
      cached_traditional_days_ = DaysFromCivil(year, month, day);
    }
    return cached_traditional_days_ * kSecondsPerDay + time_of_day;
  };
  int64_t year = 0;
  if (!year_known_) {
    if (options_.year.has_value()) {
      year = *options_.year;
    } else {
      year = reference_year_;
      if (local_seconds(year) > reference_seconds_ + kClockSlackSeconds) --year;
    }
  } else {
    year = current_year_;
    const int64_t seconds = local_seconds(year);
    if (seconds < latest_local_seconds_ - kClockSlackSeconds) {
      ++year;  // Earlier than what came before: the file went past New Year.
    } else if (seconds > latest_local_seconds_ + kHalfYearSeconds &&
               local_seconds(year - 1) >= latest_local_seconds_ - kClockSlackSeconds) {
      --year;  // A late line from the old year, just after the rollover.
    }
  }
  if (year < kMinYear || year > kMaxYear) {
    return BadTimestamp(error, line, start, end,
                        "year {} out of range (expected {}-{}, the span of nanosecond times)", year,
                        kMinYear, kMaxYear);
  }
  const int days_in_month = DaysInMonth(year, month);
  if (day > days_in_month) {
    return BadTimestamp(error, line, start, end, "{} {} does not exist in {} (expected a day 1-{})",
                        kMonthNames[month - 1], day, year, days_in_month);
  }
  const ParseResult result = ReadHostAndTag(line, end, record);
  if (result != ParseResult::kRecord) return result;
  const int64_t seconds = local_seconds(year);
  // The first line sets the latest time, whatever it is (a line before 1970 is below the
  // initial 0, and every later line would otherwise look like a New Year's rollover).
  latest_local_seconds_ = year_known_ ? std::max(latest_local_seconds_, seconds) : seconds;
  if (!year_known_ || year > current_year_) {
    year_known_ = true;
    current_year_ = year;
  }
  record.time_ns = (seconds - options_.utc_offset_seconds) * kNanosPerSecond + fraction_nanos;
  return ParseResult::kRecord;
}

ParseResult SyslogLineParser::ParseIso(std::string_view line, size_t start, bool rfc5424,
                                       LogRecord& record, std::string* error) {
  IsoTimestamp ts;
  const ParseResult read = ReadIsoTimestamp(line, start, rfc5424, ts, error);
  if (read != ParseResult::kRecord) return read;
  if (rfc5424 && !ts.has_offset) {
    return BadTimestamp(error, line, start, ts.end,
                        "RFC 5424 timestamps need a zone (expected Z or ±hh:mm)");
  }
  if (std::memcmp(cached_iso_date_, line.data() + start, sizeof(cached_iso_date_)) != 0) {
    std::memcpy(cached_iso_date_, line.data() + start, sizeof(cached_iso_date_));
    cached_iso_days_ = DaysFromCivil(ts.year, ts.month, ts.day);
  }
  const int64_t offset = ts.has_offset ? ts.offset_seconds : options_.utc_offset_seconds;
  const int64_t seconds = cached_iso_days_ * kSecondsPerDay + int64_t{ts.hour} * 3600 +
                          ts.minute * 60 + ts.second - offset;
  if (!rfc5424) {
    const ParseResult result = ReadHostAndTag(line, ts.end, record);
    if (result != ParseResult::kRecord) return result;
  }
  record.time_ns = seconds * kNanosPerSecond + ts.fraction_nanos;
  return ParseResult::kRecord;
}

ParseResult SyslogLineParser::ParseRfc5424(std::string_view line, size_t start, LogRecord& record,
                                           std::string* error) {
  // HEADER = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID, then
  // SP STRUCTURED-DATA [SP MSG] (RFC 5424 section 6). `-` is NILVALUE in every field.
  size_t pos = start;
  auto next_field = [&](std::string_view& field) {
    const size_t begin = pos;
    while (pos < line.size() && line[pos] != ' ') ++pos;
    if (pos == begin || pos == line.size()) return false;  // Empty, or nothing after it.
    field = line.substr(begin, pos - begin);
    ++pos;
    return true;
  };
  if (pos < line.size() && line[pos] == '-') {
    if (pos + 1 < line.size() && line[pos + 1] != ' ') return ParseResult::kNotLog;
    return BadTimestamp(error, line, pos, pos + 1,
                        "no time (RFC 5424 NILVALUE; expected an RFC 3339 timestamp)");
  }
  const ParseResult time = ParseIso(line, start, /*rfc5424=*/true, record, error);
  if (time != ParseResult::kRecord) return time;
  while (pos < line.size() && line[pos] != ' ') ++pos;  // Past the timestamp.
  ++pos;
  std::string_view host, app_name, proc_id, msg_id;
  if (!next_field(host) || !next_field(app_name) || !next_field(proc_id) || !next_field(msg_id)) {
    return ParseResult::kNotLog;
  }
  // STRUCTURED-DATA: `-` or `[id param="value" ...]...`, where `\"`, `\\` and `\]` are
  // escapes inside values.
  if (pos >= line.size()) return ParseResult::kNotLog;
  if (line[pos] == '-') {
    ++pos;
  } else if (line[pos] == '[') {
    while (pos < line.size() && line[pos] == '[') {
      ++pos;
      bool in_value = false;
      while (pos < line.size()) {
        const char c = line[pos];
        if (in_value) {
          if (c == '\\') {
            pos += 2;
            continue;
          }
          if (c == '"') in_value = false;
        } else if (c == '"') {
          in_value = true;
        } else if (c == ']') {
          break;
        }
        ++pos;
      }
      if (pos >= line.size()) return ParseResult::kNotLog;  // Unclosed element.
      ++pos;
    }
  } else {
    return ParseResult::kNotLog;
  }
  std::string_view message;
  if (pos < line.size()) {
    if (line[pos] != ' ') return ParseResult::kNotLog;
    message = line.substr(pos + 1);
    if (message.starts_with("\xEF\xBB\xBF")) message.remove_prefix(3);  // UTF-8 BOM.
  }
  record.host = host == "-" ? std::string_view() : host;
  record.program = app_name == "-" ? std::string_view() : app_name;
  record.pid = -1;
  if (proc_id.size() <= kMaxPidDigits &&
      std::all_of(proc_id.begin(), proc_id.end(), [](char c) { return IsDigit(c); })) {
    int64_t pid = 0;
    for (char c : proc_id) pid = pid * 10 + DigitValue(c);
    record.pid = pid;
  }
  record.message = message;
  record.unit = {};
  return ParseResult::kRecord;
}

}  // namespace vigil::syslog
