// SyslogLineParser: every timestamp form and its errors, tags, RFC 5424 fields, and hostile
// input. Expected times are computed from calendar fields with civil_date.h's arithmetic,
// itself checked against the C library (timegm) on random dates below.
#include "connectors/syslog/syslog_parser.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>

#include "connectors/syslog/civil_date.h"

namespace vigil::syslog {
namespace {

constexpr int64_t kNs = 1'000'000'000;

/// Nanoseconds of a UTC civil time.
int64_t UtcNs(int64_t year, int month, int day, int hour, int minute, int second,
              int64_t nanos = 0) {
  return (DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second) * kNs +
         nanos;
}

/// A parser whose traditional lines fall in `year` (fixed year option).
SyslogLineParser ParserForYear(int year, int64_t offset = 0) {
  SyslogTimeOptions options;
  options.year = year;
  options.utc_offset_seconds = offset;
  return SyslogLineParser(options);
}

TEST(CivilDate, MatchesTimegmOnRandomDates) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const int64_t days = static_cast<int64_t>(rng() % 200000) - 100000;
    const CivilDate date = CivilFromDays(days);
    ASSERT_EQ(DaysFromCivil(date.year, date.month, date.day), days);
    std::tm tm{};
    tm.tm_year = static_cast<int>(date.year - 1900);
    tm.tm_mon = date.month - 1;
    tm.tm_mday = date.day;
    ASSERT_EQ(static_cast<int64_t>(timegm(&tm)), days * 86400) << date.year << "-" << date.month;
    ASSERT_LE(date.day, DaysInMonth(date.year, date.month));
  }
}

TEST(SyslogLineParser, ReadsTraditionalLine) {
  SyslogLineParser parser = ParserForYear(2026);
  LogRecord record;
  ASSERT_EQ(
      parser.Parse("Mar 29 23:18:33 web1 sshd[6402]: Failed password for root", record, nullptr),
      ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 29, 23, 18, 33));
  EXPECT_EQ(record.host, "web1");
  EXPECT_EQ(record.program, "sshd");
  EXPECT_EQ(record.pid, 6402);
  EXPECT_EQ(record.message, "Failed password for root");
  EXPECT_TRUE(record.unit.empty());
}

TEST(SyslogLineParser, ReadsSpacePaddedAndUnpaddedDays) {
  SyslogLineParser parser = ParserForYear(2026);
  LogRecord record;
  ASSERT_EQ(parser.Parse("Mar  9 01:02:03 h sshd[1]: a", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 9, 1, 2, 3));
  EXPECT_EQ(record.message, "a");
  ASSERT_EQ(parser.Parse("Mar 9 01:02:04 h sshd[1]: b", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 9, 1, 2, 4));
  ASSERT_EQ(parser.Parse("Mar 09 01:02:05 h sshd[1]: c", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 9, 1, 2, 5));
}

TEST(SyslogLineParser, ReadsEveryMonthName) {
  const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int month = 1; month <= 12; ++month) {
    SyslogLineParser parser = ParserForYear(2024);
    LogRecord record;
    const std::string line = std::string(names[month - 1]) + " 15 12:00:00 h p: m";
    ASSERT_EQ(parser.Parse(line, record, nullptr), ParseResult::kRecord) << line;
    EXPECT_EQ(record.time_ns, UtcNs(2024, month, 15, 12, 0, 0)) << line;
  }
}

TEST(SyslogLineParser, TagWithoutPid) {
  SyslogLineParser parser = ParserForYear(2026);
  LogRecord record;
  ASSERT_EQ(parser.Parse("Mar 29 23:18:33 web1 sshd: Server listening", record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.program, "sshd");
  EXPECT_EQ(record.pid, -1);
  EXPECT_EQ(record.message, "Server listening");
}

TEST(SyslogLineParser, TextWithoutTagIsAllMessage) {
  SyslogLineParser parser = ParserForYear(2026);
  LogRecord record;
  ASSERT_EQ(parser.Parse("Mar 29 23:18:33 web1 -- MARK --", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.host, "web1");
  EXPECT_TRUE(record.program.empty());
  EXPECT_EQ(record.message, "-- MARK --");
  ASSERT_EQ(parser.Parse("Mar 29 23:18:33 web1", record, nullptr), ParseResult::kRecord);
  EXPECT_TRUE(record.message.empty());
}

TEST(SyslogLineParser, OddTags) {
  SyslogLineParser parser = ParserForYear(2026);
  LogRecord record;
  ASSERT_EQ(parser.Parse("Mar 29 23:18:33 h sshd[abc]: x", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.program, "sshd");
  EXPECT_EQ(record.pid, -1);
  EXPECT_EQ(record.message, "x");
  ASSERT_EQ(parser.Parse("Mar 29 23:18:33 h sshd[12] no colon", record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.program, "sshd");
  EXPECT_EQ(record.pid, 12);
  EXPECT_EQ(record.message, "no colon");
  ASSERT_EQ(parser.Parse("Mar 29 23:18:33 h sshd[12", record, nullptr), ParseResult::kRecord);
  EXPECT_TRUE(record.program.empty());
  EXPECT_EQ(record.message, "sshd[12");
  // A pid too long for sshd is not read as a number (and cannot overflow).
  ASSERT_EQ(parser.Parse("Mar 29 23:18:33 h p[99999999999999999999999]: m", record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.program, "p");
  EXPECT_EQ(record.pid, -1);
  EXPECT_EQ(record.message, "m");
  ASSERT_EQ(parser.Parse("Mar 29 23:18:33 h sshd-session[77]: Accepted", record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.program, "sshd-session");
  EXPECT_TRUE(IsSshdProgram(record.program));
}

TEST(SyslogLineParser, Rfc3164PriorityPrefix) {
  SyslogLineParser parser = ParserForYear(2026);
  LogRecord record;
  ASSERT_EQ(parser.Parse("<38>Mar 29 23:18:33 h sshd[5]: m", record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 29, 23, 18, 33));
  EXPECT_EQ(record.pid, 5);
  EXPECT_EQ(parser.Parse("<192>Mar 29 23:18:33 h sshd[5]: m", record, nullptr),
            ParseResult::kNotLog);
  EXPECT_EQ(parser.Parse("<>Mar 29 23:18:33 h sshd[5]: m", record, nullptr), ParseResult::kNotLog);
  EXPECT_EQ(parser.Parse("<3", record, nullptr), ParseResult::kNotLog);
}

TEST(SyslogLineParser, TraditionalUsesConfiguredOffset) {
  SyslogLineParser parser = ParserForYear(2026, 2 * 3600);  // Timestamps written at UTC+2.
  LogRecord record;
  ASSERT_EQ(parser.Parse("Mar 29 23:18:33 h p: m", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 29, 21, 18, 33));
}

TEST(SyslogLineParser, ReadsRfc3339WithFractionAndOffset) {
  SyslogLineParser parser;
  LogRecord record;
  ASSERT_EQ(parser.Parse("2026-03-29T23:18:33.123456+02:00 web1 sshd[6402]: msg", record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 29, 21, 18, 33, 123456000));
  EXPECT_EQ(record.host, "web1");
  EXPECT_EQ(record.program, "sshd");
  EXPECT_EQ(record.pid, 6402);
  EXPECT_EQ(record.message, "msg");

  struct Case {
    const char* stamp;
    int64_t expected;
  };
  const Case cases[] = {
      {"2026-03-29T23:18:33Z", UtcNs(2026, 3, 29, 23, 18, 33)},
      {"2026-03-29t23:18:33z", UtcNs(2026, 3, 29, 23, 18, 33)},
      {"2026-03-29T23:18:33.5Z", UtcNs(2026, 3, 29, 23, 18, 33, 500000000)},
      {"2026-03-29T23:18:33.123456789Z", UtcNs(2026, 3, 29, 23, 18, 33, 123456789)},
      {"2026-03-29T23:18:33.1234567891234Z", UtcNs(2026, 3, 29, 23, 18, 33, 123456789)},
      {"2026-03-29T23:18:33-05:30", UtcNs(2026, 3, 30, 4, 48, 33)},
      {"2026-03-29T23:18:33+0100", UtcNs(2026, 3, 29, 22, 18, 33)},
      {"2026-01-01T00:30:00+01:00", UtcNs(2025, 12, 31, 23, 30, 0)},
      {"2024-02-29T12:00:00Z", UtcNs(2024, 2, 29, 12, 0, 0)},
      {"2026-03-29 23:18:33", UtcNs(2026, 3, 29, 23, 18, 33)},  // No offset: options' (UTC).
      {"1969-12-31T23:59:59Z", UtcNs(1969, 12, 31, 23, 59, 59)},
      {"2026-06-30T23:59:60Z", UtcNs(2026, 7, 1, 0, 0, 0)},  // A leap second.
  };
  for (const Case& c : cases) {
    const std::string line = std::string(c.stamp) + " host prog[1]: text";
    ASSERT_EQ(parser.Parse(line, record, nullptr), ParseResult::kRecord) << line;
    EXPECT_EQ(record.time_ns, c.expected) << line;
    EXPECT_EQ(record.host, "host") << line;
    EXPECT_EQ(record.message, "text") << line;
  }
}

TEST(SyslogLineParser, IsoWithoutOffsetUsesConfiguredZone) {
  SyslogTimeOptions options;
  options.utc_offset_seconds = -3600;
  SyslogLineParser parser(options);
  LogRecord record;
  ASSERT_EQ(parser.Parse("2026-03-29T23:18:33 h p: m", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 30, 0, 18, 33));
  ASSERT_EQ(parser.Parse("2026-03-29T23:18:33Z h p: m", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 29, 23, 18, 33));
}

/// Parses `line` expecting kBadTimestamp, and returns the error.
std::string BadTimestampError(SyslogLineParser& parser, const std::string& line) {
  LogRecord record;
  std::string error;
  EXPECT_EQ(parser.Parse(line, record, &error), ParseResult::kBadTimestamp) << line;
  return error;
}

TEST(SyslogLineParser, Rfc3339ErrorsSayWhatAndWhere) {
  SyslogLineParser parser;
  EXPECT_EQ(BadTimestampError(parser, "2026-13-01T00:00:00Z h p: m"),
            "timestamp \"2026-13-01T00:00:00Z\" at column 1: month 13 out of range (expected "
            "01-12)");
  EXPECT_EQ(BadTimestampError(parser, "2025-02-29T00:00:00Z h p: m"),
            "timestamp \"2025-02-29T00:00:00Z\" at column 1: day 29 does not exist in February "
            "2025 (expected 01-28)");
  EXPECT_NE(BadTimestampError(parser, "2026-04-31T00:00:00Z h p: m").find("day 31"),
            std::string::npos);
  EXPECT_NE(BadTimestampError(parser, "2026-04-00T00:00:00Z h p: m").find("day 00"),
            std::string::npos);
  EXPECT_NE(BadTimestampError(parser, "2026-04-01T24:00:00Z h p: m").find("time 24:00:00"),
            std::string::npos);
  EXPECT_NE(BadTimestampError(parser, "2026-04-01T23:60:00Z h p: m").find("out of range"),
            std::string::npos);
  EXPECT_NE(BadTimestampError(parser, "2026-04-01T23:00:61Z h p: m").find("out of range"),
            std::string::npos);
  EXPECT_NE(BadTimestampError(parser, "2026-04-01T23:00:00+24:00 h p: m").find("offset"),
            std::string::npos);
  EXPECT_NE(BadTimestampError(parser, "0999-04-01T23:00:00Z h p: m").find("year 999"),
            std::string::npos);
  EXPECT_NE(BadTimestampError(parser, "<1>2026-04-31T23:00:00Z h p: m").find("column 4"),
            std::string::npos);
}

TEST(SyslogLineParser, NonTimestampsAreNotLog) {
  SyslogLineParser parser = ParserForYear(2026);
  LogRecord record;
  for (const char* line :
       {"", " ", "hello world", "Foo 29 23:18:33 h p: m", "Mar 29 23:18 h p: m", "Mar 29 23:18:33",
        "Mar 29 23:18:33x h p: m", "Mar 29 23:18:33  p: m", "2026-03-29T23:18:33Z",
        "2026-03-29 h p: m", "2026-03-29T23:18:33+ab:cd h p: m", "2026-03-29X23:18:33Z h p: m",
        "2026-03-29 23:18:33,123 INFO x", "12345", "{\"MESSAGE\":\"x\"}",
        "username,successful,time,ip_address", "mar 29 23:18:33 h p: m"}) {
    EXPECT_EQ(parser.Parse(line, record, nullptr), ParseResult::kNotLog) << '"' << line << '"';
  }
}

TEST(SyslogLineParser, TraditionalErrors) {
  SyslogLineParser parser = ParserForYear(2026);
  EXPECT_EQ(BadTimestampError(parser, "Mar 32 00:00:00 h p: m"),
            "timestamp \"Mar 32 00:00:00\" at column 1: day 32 out of range (expected 1-31)");
  EXPECT_EQ(BadTimestampError(parser, "Mar 00 00:00:00 h p: m"),
            "timestamp \"Mar 00 00:00:00\" at column 1: day 0 out of range (expected 1-31)");
  EXPECT_EQ(BadTimestampError(parser, "Apr 31 00:00:00 h p: m"),
            "timestamp \"Apr 31 00:00:00\" at column 1: April 31 does not exist in 2026 "
            "(expected a day 1-30)");
  EXPECT_NE(BadTimestampError(parser, "Apr 30 25:00:00 h p: m").find("time 25:00:00"),
            std::string::npos);
}

TEST(SyslogLineParser, Rfc5424) {
  SyslogLineParser parser;
  LogRecord record;
  ASSERT_EQ(parser.Parse("<38>1 2026-03-29T23:18:33.123Z web1 sshd 6402 - - Failed password",
                         record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 29, 23, 18, 33, 123000000));
  EXPECT_EQ(record.host, "web1");
  EXPECT_EQ(record.program, "sshd");
  EXPECT_EQ(record.pid, 6402);
  EXPECT_EQ(record.message, "Failed password");

  ASSERT_EQ(parser.Parse("<38>1 2026-03-29T23:18:33+01:00 - - - ID47 - ", record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UtcNs(2026, 3, 29, 22, 18, 33));
  EXPECT_TRUE(record.host.empty());
  EXPECT_TRUE(record.program.empty());
  EXPECT_EQ(record.pid, -1);
  EXPECT_TRUE(record.message.empty());

  ASSERT_EQ(parser.Parse("<38>1 2026-03-29T23:18:33Z h sshd abc - -", record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.pid, -1);
  EXPECT_TRUE(record.message.empty());

  // Structured data, with escapes that hide `]` and `"`, then a BOM before the message.
  ASSERT_EQ(parser.Parse("<165>1 2026-03-29T23:18:33Z h sshd 7 ID1 [ex@1 a=\"x\\]y\" "
                         "b=\"q\\\"]\"][meta k=\"v\"] \xEF\xBB\xBFhello ] world",
                         record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.pid, 7);
  EXPECT_EQ(record.message, "hello ] world");
}

TEST(SyslogLineParser, Rfc5424Errors) {
  SyslogLineParser parser;
  LogRecord record;
  EXPECT_NE(BadTimestampError(parser, "<38>1 - h sshd 1 - - m").find("NILVALUE"),
            std::string::npos);
  EXPECT_NE(BadTimestampError(parser, "<38>1 2026-03-29T23:18:33 h sshd 1 - - m").find("zone"),
            std::string::npos);
  EXPECT_NE(BadTimestampError(parser, "<38>1 2026-02-30T23:18:33Z h sshd 1 - - m").find("day 30"),
            std::string::npos);
  for (const char* line :
       {"<38>1 2026-03-29T23:18:33Z h sshd 1 -", "<38>1 2026-03-29T23:18:33Z h sshd 1 - [a",
        "<38>1 2026-03-29T23:18:33Z h sshd 1 - x", "<38>1 2026-03-29T23:18:33Z",
        "<38>1 2026-03-29T23:18:33Z h sshd 1 - [a]x", "<38>1 -x h sshd 1 - - m",
        "<38>1 2026-03-29 23:18:33Z h sshd 1 - - m"}) {
    EXPECT_EQ(parser.Parse(line, record, nullptr), ParseResult::kNotLog) << line;
  }
}

TEST(SyslogTimeOptions, Validate) {
  EXPECT_TRUE(SyslogTimeOptions{}.Validate().ok());
  EXPECT_FALSE((SyslogTimeOptions{1000, 0}.Validate().ok()));
  EXPECT_FALSE((SyslogTimeOptions{std::nullopt, 86400}.Validate().ok()));
  EXPECT_TRUE((SyslogTimeOptions{2026, -5 * 3600}.Validate().ok()));
}

/// Randomized against the C library: random valid times written as RFC 3339 (random
/// fraction length and offset form), RFC 5424 and traditional timestamps parse to what
/// timegm computes for them.
TEST(SyslogLineParser, MatchesTimegmOnRandomTimestamps) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::mt19937_64 rng(2026);
  LogRecord record;
  std::string error;
  for (int i = 0; i < 20000; ++i) {
    std::tm tm{};
    const int year = 1700 + static_cast<int>(rng() % 500);
    tm.tm_year = year - 1900;
    tm.tm_mon = static_cast<int>(rng() % 12);
    tm.tm_mday = 1 + static_cast<int>(rng() % DaysInMonth(year, tm.tm_mon + 1));
    tm.tm_hour = static_cast<int>(rng() % 24);
    tm.tm_min = static_cast<int>(rng() % 60);
    tm.tm_sec = static_cast<int>(rng() % 60);
    const int64_t utc_seconds = static_cast<int64_t>(timegm(&tm));
    const int digits = static_cast<int>(rng() % 10);
    int64_t fraction = 0;
    std::string fraction_text;
    for (int d = 0; d < 9; ++d) {
      const int digit = static_cast<int>(rng() % 10);
      if (d < digits) fraction_text.push_back(static_cast<char>('0' + digit));
      fraction = fraction * 10 + (d < digits ? digit : 0);
    }
    const int offset_minutes = static_cast<int>(rng() % (2 * 23 * 60 + 1)) - 23 * 60;
    const int offset_form = static_cast<int>(rng() % 3);  // Z (offset 0), ±hh:mm, ±hhmm.
    const int64_t offset_seconds = offset_form == 0 ? 0 : offset_minutes * 60;
    char date[64];
    std::snprintf(date, sizeof(date), "%04d-%02d-%02dT%02d:%02d:%02d", year, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    std::string stamp = date;
    if (digits > 0) stamp += "." + fraction_text;
    if (offset_form == 0) {
      stamp += "Z";
    } else {
      char zone[16];
      const int magnitude = std::abs(offset_minutes);
      std::snprintf(zone, sizeof(zone), offset_form == 1 ? "%c%02d:%02d" : "%c%02d%02d",
                    offset_minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
      stamp += zone;
    }
    const int64_t expected = (utc_seconds - offset_seconds) * kNs + fraction;
    SyslogLineParser parser;
    ASSERT_EQ(parser.Parse(stamp + " h sshd[1]: m", record, &error), ParseResult::kRecord)
        << stamp << " " << error;
    ASSERT_EQ(record.time_ns, expected) << stamp;
    ASSERT_EQ(parser.Parse("<13>1 " + stamp + " h sshd 1 - - m", record, &error),
              ParseResult::kRecord)
        << stamp << " " << error;
    ASSERT_EQ(record.time_ns, expected) << stamp;

    // Traditional, in that year, written at the offset's zone.
    SyslogTimeOptions options;
    options.year = year;
    options.utc_offset_seconds = offset_seconds;
    SyslogLineParser traditional(options);
    char line[64];
    std::snprintf(line, sizeof(line), "%s %2d %02d:%02d:%02d h sshd[1]: m", kMonths[tm.tm_mon],
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    ASSERT_EQ(traditional.Parse(line, record, &error), ParseResult::kRecord) << line << error;
    ASSERT_EQ(record.time_ns, (utc_seconds - offset_seconds) * kNs) << line;
  }
}

/// Hostile input: random bytes, and mutations of valid lines, never crash (ASan checks
/// reads), and every view of a record lies inside the line.
TEST(SyslogLineParser, SurvivesRandomBytes) {
  const std::string seeds[] = {
      "Mar 29 23:18:33 web1 sshd[6402]: Failed password for root",
      "2026-03-29T23:18:33.123456+02:00 web1 sshd[6402]: msg",
      "<38>1 2026-03-29T23:18:33.123Z host sshd 6402 - [a b=\"c\"] msg",
      "<13>Mar  9 01:02:03 h p: m",
  };
  std::mt19937_64 rng(12345);
  SyslogLineParser parser;
  parser.StartFile(1774826313);
  LogRecord record;
  std::string error;
  int records = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string line;
    if (i % 2 == 0) {
      line.resize(rng() % 80);
      for (char& c : line) c = static_cast<char>(rng() % 256);
    } else {
      line = seeds[rng() % 4];
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !line.empty(); ++e) {
        const size_t at = rng() % line.size();
        switch (rng() % 3) {
          case 0:
            line[at] = static_cast<char>(rng() % 256);
            break;
          case 1:
            line.erase(at, 1 + rng() % 3);
            break;
          default:
            line.resize(at);
            break;
        }
      }
    }
    const ParseResult result = parser.Parse(line, record, &error);
    if (result != ParseResult::kRecord) continue;
    ++records;
    for (std::string_view part : {record.host, record.program, record.message}) {
      if (part.empty()) continue;
      ASSERT_GE(part.data(), line.data());
      ASSERT_LE(part.data() + part.size(), line.data() + line.size());
    }
  }
  EXPECT_GT(records, 1000);  // The mutations keep many lines valid: the loop reached records.
}

}  // namespace
}  // namespace vigil::syslog
