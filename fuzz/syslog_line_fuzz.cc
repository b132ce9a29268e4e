// libFuzzer target: SyslogLineParser (line by line, with the year inference that runs across
// lines) and DetectLogFormat, on arbitrary bytes. sshd lines carry text chosen by attackers
// (user names), so any byte may follow a well-formed header.
//
// Input layout: byte 0 picks the SyslogTimeOptions (bit 0: `--year` set, bits 1-3: the zone of
// zoneless timestamps, bits 4-7: the year); byte 1 the file's reference time (bits 0-3 and 6:
// one of kReferences, bits 4-5: the unit of a shift by the signed 16-bit count in bytes 2-3,
// wrapping around int64); the rest is the file, split on `\n`. A line that is exactly `\f`
// starts another file (StartFile). The reference is a file's mtime, which may be any int64
// (tmpfs keeps `touch -d @9223372036854775807`).
//
// Checked for every line, against a model of the documented grammar (connectors/syslog/
// README.md) whose calendar is std::chrono's rather than civil_date.h's:
// - the result (kRecord, kNotLog, kBadTimestamp) is the model's;
// - a record's time is the model's: date, time of day, fraction and offset as written, and for
//   traditional timestamps the year of the documented inference (the first line from the
//   reference or `--year`, then forward only: rollover, out-of-order and late lines, leap
//   days); current_year() is the model's;
// - host, program, pid and message are the model's, views into the line at the same offsets
//   (so every view lies inside the line);
// - a bad timestamp's error quotes the line's own text at the column it names and is printable
//   ASCII (it is printed and written to error files: no control bytes from the input);
// - a second parser given no error string returns the same results and records.
// DetectLogFormat on the whole file gives the format of the documented rules (a journal key,
// the login CSV header, a syslog header among the first 5 non-blank lines, read by the model).

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include "connectors/syslog/log_format.h"
#include "connectors/syslog/log_record.h"
#include "connectors/syslog/syslog_parser.h"
#include "vigil/common/check.h"

namespace vigil::syslog {
namespace {

using std::string_view;

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kNanosPerSecond = 1'000'000'000;
/// Documented constants of the year inference (README.md, "Year of traditional timestamps").
constexpr int64_t kClockSlackSeconds = kSecondsPerDay;
constexpr int64_t kHalfYearSeconds = 183 * kSecondsPerDay;
constexpr int64_t kFirstYear = 1678;
constexpr int64_t kLastYear = 2261;

/// `--year` values: the ends of the int64-nanosecond span, both sides of 1970 (times before
/// the epoch are negative), leap and common years.
constexpr int kYears[16] = {1678, 1679, 1969, 1970, 1971, 1999, 2000, 2023,
                            2024, 2025, 2026, 2027, 2100, 2259, 2260, 2261};
/// Zones of zoneless timestamps, seconds east of UTC, up to the ±24 h Validate allows.
constexpr int64_t kOffsets[8] = {0, 3600, 7200, -18000, 19800, -34200, 86399, -86399};
/// Reference times (a file's mtime), Unix seconds: around New Year and leap days, the epoch,
/// the ends of the span, and far outside it.
constexpr int64_t kReferences[32] = {
    1774826313,   // 2026-03-29 23:18:33
    1735689630,   // 2025-01-01 00:00:30
    1735689599,   // 2024-12-31 23:59:59
    1709208000,   // 2024-02-29 12:00:00
    951782400,    // 2000-02-29
    0,            // 1970-01-01, the mtime of files from reproducible builds and archives
    1,            // 1970-01-01 00:00:01
    -1,           // 1969-12-31 23:59:59
    1209600,      // 1970-01-15
    -2203891200,  // 1900-03-01 (1900 is not a leap year)
    4107542400,   // 2100-03-01 (nor is 2100)
    -9214560000,  // 1678-01-01, the first whole year of int64 nanoseconds
    -9183110400,  // 1678-12-31
    9214646399,   // 2261-12-31 23:59:59, the last
    9214646400,   // 2262-01-01
    1767225600,   // 2026-01-01
    std::numeric_limits<int64_t>::max(),
    std::numeric_limits<int64_t>::min(),
    std::numeric_limits<int64_t>::max() - 366 * kSecondsPerDay,
    15032385535,   // 2446-05-10 22:38:55, the latest mtime ext4 stores
    253402300799,  // 9999-12-31 23:59:59
    -62135596800,  // 0001-01-01
    100000000000,  // 5138-11-16
    -100000000000,
    2147483647,   // 2038-01-19 03:14:07, the end of 32-bit time_t
    -2147483648,  // 1901-12-13 20:45:52
    946684800,    // 2000-01-01
    1704067199,   // 2023-12-31 23:59:59
    1893456000,   // 2030-01-01
    -86400,       // 1969-12-31
    31536000,     // 1971-01-01
    1767225599,   // 2025-12-31 23:59:59
};
/// The parser clamps a file's reference time to +-this many seconds (the span of nanosecond
/// times), so references near the ends of int64 still give years the model can compute.
constexpr int64_t kMaxReference = INT64_MAX / 1'000'000'000;
/// The unit of byte 1's shift of the reference.
constexpr int64_t kShiftUnits[4] = {0, 1, 3600, kSecondsPerDay};

constexpr string_view kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int Two(string_view text, size_t at) { return (text[at] - '0') * 10 + (text[at + 1] - '0'); }

/// Whether `text[at..]` has the shape of `pattern`: `d` a digit, `T` a date/time separator
/// (`T` or `t`, or a space when `space_ok`), any other byte itself.
bool Shaped(string_view text, size_t at, string_view pattern, bool space_ok = false) {
  if (at > text.size() || text.size() - at < pattern.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = text[at + i];
    if (pattern[i] == 'd') {
      if (!IsDigit(c)) return false;
    } else if (pattern[i] == 'T') {
      if (c != 'T' && c != 't' && !(space_ok && c == ' ')) return false;
    } else if (c != pattern[i]) {
      return false;
    }
  }
  return true;
}

// The calendar, by std::chrono. A day past the month's end counts on into the next month
// ([time.cal.ymd.nonmembers]), as the year inference expects of Feb 29 in a common year.
int64_t DaysFromDate(int64_t year, int month, int day) {
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(year)),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  return std::chrono::sys_days(date).time_since_epoch().count();
}
int DaysInMonth(int64_t year, int month) {
  const auto last = std::chrono::year(static_cast<int>(year)) /
                    std::chrono::month(static_cast<unsigned>(month)) / std::chrono::last;
  return static_cast<int>(static_cast<unsigned>(last.day()));
}
int64_t YearOfSeconds(int64_t seconds) {
  const auto day = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_seconds(std::chrono::seconds(seconds)));
  return static_cast<int>(std::chrono::year_month_day(day).year());
}

/// The year-inference state of one file, as the README describes it.
struct YearState {
  bool known = false;
  int64_t year = 0;
  int64_t latest = 0;  ///< Local seconds of the latest traditional record of the file.
};

/// What the parser must make of one line.
struct Expected {
  ParseResult result = ParseResult::kNotLog;
  int64_t time_ns = 0;
  string_view host, program, message;
  int64_t pid = -1;
};

/// An RFC 3339 timestamp as written.
struct IsoStamp {
  int64_t year;
  int month, day, hour, minute, second;
  int64_t fraction_nanos = 0;
  bool has_offset = false;
  int64_t offset_seconds = 0;
  size_t end = 0;
};

/// `[.digits]` at `at`: nanoseconds of the first 9 digits; the position after the digits.
size_t ModelFraction(string_view line, size_t at, int64_t& nanos) {
  nanos = 0;
  if (at + 1 >= line.size() || line[at] != '.' || !IsDigit(line[at + 1])) return at;
  size_t end = at + 1;
  while (end < line.size() && IsDigit(line[end])) ++end;
  const string_view digits = line.substr(at + 1, std::min<size_t>(end - at - 1, 9));
  for (size_t i = 0; i < 9; ++i) nanos = nanos * 10 + (i < digits.size() ? digits[i] - '0' : 0);
  return end;
}

/// `YYYY-MM-DD(T|t| )hh:mm:ss[.f][Z|z|±hh:mm|±hhmm]` then a space or the end.
ParseResult ModelIsoStamp(string_view line, size_t at, bool require_t, IsoStamp& ts) {
  if (!Shaped(line, at, "dddd-dd-ddTdd:dd:dd", !require_t)) return ParseResult::kNotLog;
  ts.year = Two(line, at) * 100 + Two(line, at + 2);
  ts.month = Two(line, at + 5);
  ts.day = Two(line, at + 8);
  ts.hour = Two(line, at + 11);
  ts.minute = Two(line, at + 14);
  ts.second = Two(line, at + 17);
  size_t pos = ModelFraction(line, at + 19, ts.fraction_nanos);
  if (pos < line.size() && (line[pos] == 'Z' || line[pos] == 'z')) {
    ts.has_offset = true;
    ++pos;
  } else if (pos < line.size() && (line[pos] == '+' || line[pos] == '-')) {
    const int64_t sign = line[pos] == '-' ? -1 : 1;
    int hours = 0;
    int minutes = 0;
    if (Shaped(line, pos + 1, "dd:dd")) {
      hours = Two(line, pos + 1);
      minutes = Two(line, pos + 4);
      pos += 6;
    } else if (Shaped(line, pos + 1, "dddd")) {
      hours = Two(line, pos + 1);
      minutes = Two(line, pos + 3);
      pos += 5;
    } else {
      return ParseResult::kNotLog;
    }
    // As the parser does it: an offset out of range is a bad timestamp even when more text
    // follows it (`+25:00x`), where the shape rule alone would say kNotLog.
    if (hours > 23 || minutes > 59) return ParseResult::kBadTimestamp;
    ts.has_offset = true;
    ts.offset_seconds = sign * (hours * 3600 + minutes * 60);
  }
  if (pos < line.size() && line[pos] != ' ') return ParseResult::kNotLog;
  ts.end = pos;
  if (ts.year < kFirstYear || ts.year > kLastYear || ts.month < 1 || ts.month > 12 ||
      ts.day < 1 || ts.day > DaysInMonth(ts.year, ts.month) || ts.hour > 23 || ts.minute > 59 ||
      ts.second > 60) {
    return ParseResult::kBadTimestamp;
  }
  return ParseResult::kRecord;
}

int64_t IsoTimeNs(const IsoStamp& ts, int64_t zone_offset) {
  const int64_t seconds = DaysFromDate(ts.year, ts.month, ts.day) * kSecondsPerDay +
                          ts.hour * 3600 + ts.minute * 60 + ts.second -
                          (ts.has_offset ? ts.offset_seconds : zone_offset);
  return seconds * kNanosPerSecond + ts.fraction_nanos;
}

/// `program[pid]:`, `program:` or `program[pid]` (no colon), then one optional space; text
/// without such a tag is all message.
void ModelTag(string_view rest, Expected& out) {
  out.program = {};
  out.pid = -1;
  out.message = rest;
  const size_t end = rest.find_first_of(" :[");
  if (end == string_view::npos || end == 0 || rest[end] == ' ') return;
  size_t next = end + 1;
  int64_t pid = -1;
  if (rest[end] == '[') {
    const size_t close = rest.find(']', end + 1);
    const size_t space = rest.find(' ', end + 1);
    if (close == string_view::npos || space < close) return;  // `[` never closed: no tag
    const string_view inside = rest.substr(end + 1, close - end - 1);
    bool number = !inside.empty() && inside.size() <= 18;
    for (char c : inside) number = number && IsDigit(c);
    if (number) {
      pid = 0;
      for (char c : inside) pid = pid * 10 + (c - '0');
    }
    next = close + 1;
    if (next < rest.size() && rest[next] == ':') ++next;
  }
  if (next < rest.size() && rest[next] == ' ') ++next;
  out.program = rest.substr(0, end);
  out.pid = pid;
  out.message = rest.substr(next);
}

/// ` host` after a timestamp that ends at `at`, then the tag and message.
ParseResult ModelHostAndTag(string_view line, size_t at, Expected& out) {
  if (at >= line.size() || line[at] != ' ') return ParseResult::kNotLog;
  const size_t host_end = std::min(line.find(' ', at + 1), line.size());
  if (host_end == at + 1) return ParseResult::kNotLog;
  out.host = line.substr(at + 1, host_end - at - 1);
  if (host_end == line.size()) {
    out.program = {};
    out.pid = -1;
    out.message = {};
  } else {
    ModelTag(line.substr(host_end + 1), out);
  }
  return ParseResult::kRecord;
}

ParseResult ModelRfc5424(string_view line, size_t at, const SyslogTimeOptions& options,
                         Expected& out) {
  if (at < line.size() && line[at] == '-') {
    // NILVALUE time: a bad timestamp when it stands alone as a field.
    return at + 1 < line.size() && line[at + 1] != ' ' ? ParseResult::kNotLog
                                                       : ParseResult::kBadTimestamp;
  }
  IsoStamp ts;
  const ParseResult stamp = ModelIsoStamp(line, at, /*require_t=*/true, ts);
  if (stamp != ParseResult::kRecord) return stamp;
  if (!ts.has_offset) return ParseResult::kBadTimestamp;
  out.time_ns = IsoTimeNs(ts, options.utc_offset_seconds);
  // HOSTNAME APP-NAME PROCID MSGID: non-empty, each followed by a space.
  string_view fields[4];
  size_t pos = ts.end + 1;
  for (string_view& field : fields) {
    const size_t space = line.find(' ', pos);
    if (space == string_view::npos || space == pos) return ParseResult::kNotLog;
    field = line.substr(pos, space - pos);
    pos = space + 1;
  }
  // STRUCTURED-DATA: `-` or elements `[...]` whose quoted values may escape `"`, `\`, `]`.
  if (pos >= line.size()) return ParseResult::kNotLog;
  if (line[pos] == '-') {
    ++pos;
  } else if (line[pos] == '[') {
    while (pos < line.size() && line[pos] == '[') {
      bool quoted = false;
      for (++pos; pos < line.size(); ++pos) {
        if (quoted && line[pos] == '\\') {
          ++pos;
        } else if (line[pos] == '"') {
          quoted = !quoted;
        } else if (!quoted && line[pos] == ']') {
          break;
        }
      }
      if (pos >= line.size()) return ParseResult::kNotLog;
      ++pos;
    }
  } else {
    return ParseResult::kNotLog;
  }
  out.message = {};
  if (pos < line.size()) {
    if (line[pos] != ' ') return ParseResult::kNotLog;
    out.message = line.substr(pos + 1);
    if (out.message.starts_with("\xEF\xBB\xBF")) out.message.remove_prefix(3);
  }
  out.host = fields[0] == "-" ? string_view() : fields[0];
  out.program = fields[1] == "-" ? string_view() : fields[1];
  out.pid = -1;
  bool number = fields[2].size() <= 18;
  for (char c : fields[2]) number = number && IsDigit(c);
  if (number) {
    out.pid = 0;
    for (char c : fields[2]) out.pid = out.pid * 10 + (c - '0');
  }
  return ParseResult::kRecord;
}

/// The model's reading of one line. `year` is the file's inference state, updated as the
/// README says (only traditional records move it); `reference` is in UTC seconds.
Expected ModelParse(string_view line, const SyslogTimeOptions& options, int64_t reference,
                    YearState& year) {
  Expected out;
  size_t pos = 0;
  if (!line.empty() && line[0] == '<') {
    const size_t close = line.find('>');
    if (close == string_view::npos || close < 2 || close > 4) return out;
    int priority = 0;
    for (size_t i = 1; i < close; ++i) {
      if (!IsDigit(line[i])) return out;
      priority = priority * 10 + (line[i] - '0');
    }
    if (priority > 191) return out;
    pos = close + 1;
    if (line.substr(pos, 2) == "1 ") {
      out.result = ModelRfc5424(line, pos + 2, options, out);
      return out;
    }
  }
  if (pos >= line.size()) return out;
  if (IsDigit(line[pos])) {
    IsoStamp ts;
    out.result = ModelIsoStamp(line, pos, /*require_t=*/false, ts);
    if (out.result != ParseResult::kRecord) return out;
    out.result = ModelHostAndTag(line, ts.end, out);
    out.time_ns = IsoTimeNs(ts, options.utc_offset_seconds);
    return out;
  }

  // Traditional: `Mmm dd hh:mm:ss`, `Mmm  d hh:mm:ss` or `Mmm d hh:mm:ss`, then [.f].
  int month = 0;
  for (int m = 0; m < 12; ++m) {
    if (line.substr(pos, 3) == kMonths[m]) month = m + 1;
  }
  if (month == 0 || !Shaped(line, pos + 3, " ")) return out;
  size_t time_at;
  int day;
  if (Shaped(line, pos + 4, " d")) {
    day = line[pos + 5] - '0';
    time_at = pos + 7;
  } else if (Shaped(line, pos + 4, "dd")) {
    day = Two(line, pos + 4);
    time_at = pos + 7;
  } else if (Shaped(line, pos + 4, "d")) {
    day = line[pos + 4] - '0';
    time_at = pos + 6;
  } else {
    return out;
  }
  if (!Shaped(line, time_at - 1, " dd:dd:dd")) return out;
  int64_t fraction = 0;
  const size_t end = ModelFraction(line, time_at + 8, fraction);
  if (end < line.size() && line[end] != ' ') return out;
  const int hour = Two(line, time_at);
  const int minute = Two(line, time_at + 3);
  const int second = Two(line, time_at + 6);
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    out.result = ParseResult::kBadTimestamp;
    return out;
  }
  const int64_t time_of_day = hour * 3600 + minute * 60 + second;
  auto local = [&](int64_t y) {
    return DaysFromDate(y, month, day) * kSecondsPerDay + time_of_day;
  };
  int64_t y;
  if (!year.known) {
    if (options.year.has_value()) {
      y = *options.year;
    } else {
      // The parser clamps the reference to the span of nanosecond times (README).
      const int64_t clamped = std::clamp(reference, -kMaxReference, kMaxReference);
      const int64_t reference_local = clamped + options.utc_offset_seconds;
      y = YearOfSeconds(reference_local);
      if (local(y) > reference_local + kClockSlackSeconds) --y;  // after the file's mtime
    }
  } else {
    y = year.year;
    if (local(y) < year.latest - kClockSlackSeconds) {
      ++y;  // New Year passed
    } else if (local(y) > year.latest + kHalfYearSeconds &&
               local(y - 1) >= year.latest - kClockSlackSeconds) {
      --y;  // a late line of the old year
    }
  }
  if (y < kFirstYear || y > kLastYear || day > DaysInMonth(y, month)) {
    out.result = ParseResult::kBadTimestamp;
    return out;
  }
  out.result = ModelHostAndTag(line, end, out);
  if (out.result != ParseResult::kRecord) return out;
  const int64_t seconds = local(y);
  year.latest = year.known ? std::max(year.latest, seconds) : seconds;
  year.year = year.known ? std::max(year.year, y) : y;
  year.known = true;
  out.time_ns = (seconds - options.utc_offset_seconds) * kNanosPerSecond + fraction;
  return out;
}

/// Both views are empty, or they are the same bytes of the line.
void CheckSameView(string_view got, string_view want) {
  if (want.empty()) {
    VIGIL_CHECK(got.empty());
  } else {
    VIGIL_CHECK(got.data() == want.data());
    VIGIL_CHECK_EQ(got.size(), want.size());
  }
}

/// `timestamp "TEXT" at column N: why`: TEXT is the line's at column N, printable ASCII (it
/// passed the shape checks); the rest is the parser's own text (UTF-8), no control bytes.
void CheckTimestampError(string_view line, const std::string& error) {
  for (char c : error) VIGIL_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  constexpr string_view kHead = "timestamp \"";
  constexpr string_view kColumn = "\" at column ";
  VIGIL_CHECK(string_view(error).starts_with(kHead));
  const size_t close = error.find('"', kHead.size());
  VIGIL_CHECK(close != std::string::npos);
  VIGIL_CHECK(string_view(error).substr(close).starts_with(kColumn));
  const string_view quoted = string_view(error).substr(kHead.size(), close - kHead.size());
  size_t column = 0;
  size_t at = close + kColumn.size();
  for (; at < error.size() && IsDigit(error[at]); ++at) column = column * 10 + (error[at] - '0');
  VIGIL_CHECK(at < error.size() && error[at] == ':');
  VIGIL_CHECK(column >= 1 && column - 1 <= line.size());
  VIGIL_CHECK(line.substr(column - 1, quoted.size()) == quoted);
  for (char c : quoted) VIGIL_CHECK(c >= 0x20 && c < 0x7f);
}

// DetectLogFormat's rules (log_format.h), read independently.
string_view TrimBlanks(string_view text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

bool ModelJournalKey(string_view line) {
  for (string_view key : {string_view("\"__REALTIME_TIMESTAMP\""), string_view("\"MESSAGE\"")}) {
    for (size_t at = line.find(key); at != string_view::npos; at = line.find(key, at + 1)) {
      const string_view after = TrimBlanks(line.substr(at + key.size()));
      if (!after.empty() && after[0] == ':') return true;
    }
  }
  return false;
}

bool ModelCsvHeader(string_view line) {
  bool username = false, successful = false, time = false, ip_address = false;
  size_t begin = 0;
  while (true) {
    const size_t comma = line.find(',', begin);
    string_view name = TrimBlanks(line.substr(begin, comma - begin));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    username |= name == "username";
    successful |= name == "successful";
    time |= name == "time";
    ip_address |= name == "ip_address";
    if (comma == string_view::npos) break;
    begin = comma + 1;
  }
  return username && successful && time && ip_address;
}

LogFormat ModelDetect(string_view bytes) {
  string_view text = bytes.substr(0, kLogFormatDetectBytes);
  const bool cut = bytes.size() >= kLogFormatDetectBytes;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  SyslogTimeOptions options;
  options.year = 2000;
  int non_blank = 0;
  for (size_t begin = 0; begin < text.size() && non_blank < 5;) {
    const size_t newline = text.find('\n', begin);
    const bool complete = newline != string_view::npos;
    string_view line = text.substr(begin, complete ? newline - begin : string_view::npos);
    begin = complete ? newline + 1 : text.size();
    if (line.ends_with('\r')) line.remove_suffix(1);
    const string_view trimmed = TrimBlanks(line);
    if (trimmed.empty()) continue;
    if (!complete && cut && non_blank > 0) break;  // cut by the limit, and not alone
    if (non_blank == 0) {
      if (trimmed[0] == '{') {
        if (ModelJournalKey(trimmed)) return LogFormat::kJournalJson;
      } else if (ModelCsvHeader(trimmed)) {
        return LogFormat::kCsv;
      }
    }
    ++non_blank;
    // Whether a line is a syslog header does not depend on the year state (only the
    // kRecord / kBadTimestamp choice does), so each line gets a fresh one.
    YearState year;
    if (ModelParse(line, options, 0, year).result != ParseResult::kNotLog) {
      return LogFormat::kSyslog;
    }
  }
  return LogFormat::kUnknown;
}

}  // namespace
}  // namespace vigil::syslog

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil::syslog;
  if (size < 4) return 0;
  SyslogTimeOptions options;
  if (data[0] & 1) options.year = kYears[data[0] >> 4];
  options.utc_offset_seconds = kOffsets[(data[0] >> 1) & 7];
  VIGIL_CHECK(options.Validate().ok());
  const int16_t shift = static_cast<int16_t>(data[2] | data[3] << 8);
  const int64_t shift_seconds = shift * kShiftUnits[(data[1] >> 4) & 3];
  int64_t reference = static_cast<int64_t>(
      static_cast<uint64_t>(kReferences[(data[1] & 15) | (data[1] >> 2 & 16)]) +
      static_cast<uint64_t>(shift_seconds));
  const string_view content(reinterpret_cast<const char*>(data + 4), size - 4);

  VIGIL_CHECK(DetectLogFormat(content) == ModelDetect(content));

  SyslogLineParser parser(options);
  SyslogLineParser quiet(options);  // Given no error string.
  parser.StartFile(reference);
  quiet.StartFile(reference);
  YearState year;
  LogRecord record;
  LogRecord quiet_record;
  std::string error;
  for (size_t begin = 0; begin < content.size();) {
    const size_t newline = std::min(content.find('\n', begin), content.size());
    const string_view line = content.substr(begin, newline - begin);
    begin = newline + 1;
    if (line == "\f") {
      parser.StartFile(reference);
      quiet.StartFile(reference);
      year = YearState();
      continue;
    }
    error.clear();
    const ParseResult result = parser.Parse(line, record, &error);
    VIGIL_CHECK(quiet.Parse(line, quiet_record, nullptr) == result);
    const Expected want = ModelParse(line, options, reference, year);
    VIGIL_CHECK_EQ(static_cast<int>(result), static_cast<int>(want.result));
    if (result == ParseResult::kBadTimestamp) CheckTimestampError(line, error);
    if (result == ParseResult::kRecord) {
      VIGIL_CHECK_EQ(record.time_ns, want.time_ns);
      CheckSameView(record.host, want.host);
      CheckSameView(record.program, want.program);
      CheckSameView(record.message, want.message);
      VIGIL_CHECK_EQ(record.pid, want.pid);
      VIGIL_CHECK(record.unit.empty());
      VIGIL_CHECK_EQ(quiet_record.time_ns, record.time_ns);
      CheckSameView(quiet_record.host, record.host);
      CheckSameView(quiet_record.program, record.program);
      CheckSameView(quiet_record.message, record.message);
      VIGIL_CHECK_EQ(quiet_record.pid, record.pid);
    }
    VIGIL_CHECK_EQ(parser.current_year().value_or(-1), year.known ? year.year : int64_t{-1});
  }
  return 0;
}
