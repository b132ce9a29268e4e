// Year inference of traditional syslog timestamps (they carry no year): from the file's
// reference time (mtime), with the December -> January rollover, out-of-order lines and
// leap days.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "connectors/syslog/civil_date.h"
#include "connectors/syslog/syslog_parser.h"

namespace vigil::syslog {
namespace {

constexpr int64_t kNs = 1'000'000'000;

int64_t UnixSeconds(int64_t year, int month, int day, int hour = 0, int minute = 0,
                    int second = 0) {
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

/// The year each line's time falls in (UTC), or -1 for a line that is not a record.
std::vector<int64_t> YearsOf(SyslogLineParser& parser, const std::vector<std::string>& lines) {
  std::vector<int64_t> years;
  LogRecord record;
  for (const std::string& line : lines) {
    if (parser.Parse(line, record, nullptr) != ParseResult::kRecord) {
      years.push_back(-1);
      continue;
    }
    years.push_back(CivilFromDays(FloorDiv(record.time_ns / kNs, 86400)).year);
  }
  return years;
}

TEST(YearInference, FirstLineTakesReferenceYear) {
  SyslogLineParser parser;
  parser.StartFile(UnixSeconds(2026, 3, 30, 12));
  LogRecord record;
  ASSERT_EQ(parser.Parse("Mar 29 23:18:33 h sshd[1]: m", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UnixSeconds(2026, 3, 29, 23, 18, 33) * kNs);
  EXPECT_EQ(parser.current_year(), 2026);
}

TEST(YearInference, LineAfterReferenceBelongsToYearBefore) {
  SyslogLineParser parser;
  parser.StartFile(UnixSeconds(2026, 1, 5));
  EXPECT_EQ(YearsOf(parser, {"Dec 20 10:00:00 h p: m"}), std::vector<int64_t>{2025});
}

TEST(YearInference, AllowsOneDayOfClockSlack) {
  // mtime a few hours before the line's timestamp (a clock or zone mismatch): same year.
  SyslogLineParser parser;
  parser.StartFile(UnixSeconds(2026, 3, 29, 12));
  EXPECT_EQ(YearsOf(parser, {"Mar 29 20:00:00 h p: m"}), std::vector<int64_t>{2026});
  // More than a day ahead: last year's.
  parser.StartFile(UnixSeconds(2026, 3, 29, 12));
  EXPECT_EQ(YearsOf(parser, {"Mar 31 20:00:00 h p: m"}), std::vector<int64_t>{2025});
}

TEST(YearInference, DecemberToJanuaryRolloverStartsNewYear) {
  SyslogLineParser parser;
  parser.StartFile(UnixSeconds(2026, 1, 2, 8));  // Written until Jan 2.
  const std::vector<std::string> lines = {
      "Dec 30 10:00:00 h p: a", "Dec 31 23:59:58 h p: b",
      "Jan  1 00:00:01 h p: c", "Dec 31 23:59:59 h p: late line from the old year",
      "Jan  1 12:00:00 h p: d", "Jan  2 07:00:00 h p: e"};
  EXPECT_EQ(YearsOf(parser, lines), (std::vector<int64_t>{2025, 2025, 2026, 2025, 2026, 2026}));
  EXPECT_EQ(parser.current_year(), 2026);
}

TEST(YearInference, SlightlyOutOfOrderLinesStayInTheYear) {
  SyslogLineParser parser;
  parser.StartFile(UnixSeconds(2026, 4, 2));
  const std::vector<std::string> lines = {"Mar 31 23:59:59 h p: a", "Apr  1 00:00:02 h p: b",
                                          "Mar 31 23:59:58 h p: c", "Apr  1 00:00:03 h p: d"};
  EXPECT_EQ(YearsOf(parser, lines), (std::vector<int64_t>{2026, 2026, 2026, 2026}));
}

TEST(YearInference, LongFileSpansSeveralRollovers) {
  SyslogLineParser parser;
  parser.StartFile(UnixSeconds(2026, 2, 1));
  const std::vector<std::string> lines = {"Nov  1 00:00:00 h p: a", "Jan  1 00:00:00 h p: b",
                                          "Jun  1 00:00:00 h p: c", "Jan  5 00:00:00 h p: d"};
  // The first line is later in the year than the reference: 2025; then each jump back adds
  // a year. (The last line lands after the reference: the rule only anchors the first line.)
  EXPECT_EQ(YearsOf(parser, lines), (std::vector<int64_t>{2025, 2026, 2026, 2027}));
}

TEST(YearInference, YearOptionFixesFirstLineAndRolloverStillApplies) {
  SyslogTimeOptions options;
  options.year = 2019;
  SyslogLineParser parser(options);
  parser.StartFile(UnixSeconds(2026, 1, 1));  // Ignored for the year.
  EXPECT_EQ(YearsOf(parser, {"Dec 31 23:00:00 h p: a", "Jan  1 01:00:00 h p: b"}),
            (std::vector<int64_t>{2019, 2020}));
}

TEST(YearInference, StartFileForgetsThePreviousFile) {
  SyslogLineParser parser;
  parser.StartFile(UnixSeconds(2026, 1, 2));
  EXPECT_EQ(YearsOf(parser, {"Dec 31 10:00:00 h p: a", "Jan  1 10:00:00 h p: b"}),
            (std::vector<int64_t>{2025, 2026}));
  parser.StartFile(UnixSeconds(2024, 6, 1));
  EXPECT_FALSE(parser.current_year().has_value());
  EXPECT_EQ(YearsOf(parser, {"May 31 10:00:00 h p: a"}), std::vector<int64_t>{2024});
}

TEST(YearInference, LeapDay) {
  SyslogLineParser parser;
  LogRecord record;
  std::string error;
  // Reference in a leap year: Feb 29 is a day.
  parser.StartFile(UnixSeconds(2024, 3, 10));
  ASSERT_EQ(parser.Parse("Feb 29 12:00:00 h p: m", record, &error), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UnixSeconds(2024, 2, 29, 12) * kNs);
  // Reference in a non-leap year: Feb 29 is an error, and does not set the year.
  parser.StartFile(UnixSeconds(2025, 3, 10));
  ASSERT_EQ(parser.Parse("Feb 29 12:00:00 h p: m", record, &error), ParseResult::kBadTimestamp);
  EXPECT_EQ(error,
            "timestamp \"Feb 29 12:00:00\" at column 1: February 29 does not exist in 2025 "
            "(expected a day 1-28)");
  EXPECT_FALSE(parser.current_year().has_value());
  // Reference early in 2029: a Feb 29 line would be after it in 2029, so it is 2028's (leap).
  parser.StartFile(UnixSeconds(2029, 1, 10));
  ASSERT_EQ(parser.Parse("Feb 29 12:00:00 h p: m", record, &error), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UnixSeconds(2028, 2, 29, 12) * kNs);
}

TEST(YearInference, OffsetAppliesToReferenceAndLines) {
  // Timestamps at UTC+10. mtime 2026-01-01 05:00 UTC is 15:00 local on Jan 1: a line of
  // "Jan  1 14:00:00" local is before it (2026), "Jan  3 ..." is after by more than a day.
  SyslogTimeOptions options;
  options.utc_offset_seconds = 10 * 3600;
  SyslogLineParser parser(options);
  parser.StartFile(UnixSeconds(2026, 1, 1, 5));
  LogRecord record;
  ASSERT_EQ(parser.Parse("Jan  1 14:00:00 h p: m", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UnixSeconds(2026, 1, 1, 4) * kNs);
  parser.StartFile(UnixSeconds(2026, 1, 1, 5));
  ASSERT_EQ(parser.Parse("Jan  3 14:00:00 h p: m", record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, UnixSeconds(2025, 1, 3, 4) * kNs);
}

/// Randomized: a file of traditional lines generated from true times in increasing order
/// (spanning under a year, so the rule can place the first line, and crossing New Year
/// often; up to 5 months between lines) is read back with every year right, given a
/// reference just after the last line.
TEST(YearInference, RecoversYearsOfRandomIncreasingFiles) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::mt19937_64 rng(99);
  for (int file = 0; file < 300; ++file) {
    int64_t t = UnixSeconds(2000 + static_cast<int>(rng() % 50), 1, 1) +
                static_cast<int64_t>(rng() % (366 * 86400));
    const int64_t first = t;
    std::vector<std::string> lines;
    std::vector<int64_t> truth;
    const int count = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < count; ++i) {
      // Mostly small steps, sometimes days or months.
      const uint64_t kind = rng() % 10;
      t += kind < 7   ? static_cast<int64_t>(rng() % 3600)
           : kind < 9 ? static_cast<int64_t>(rng() % (20 * 86400))
                      : static_cast<int64_t>(rng() % (150 * 86400));
      if (t - first > 330 * 86400) break;
      const CivilDate date = CivilFromDays(FloorDiv(t, 86400));
      const int64_t tod = t - FloorDiv(t, 86400) * 86400;
      char line[64];
      std::snprintf(line, sizeof(line), "%s %2d %02d:%02d:%02d h sshd[1]: m",
                    kMonths[date.month - 1], date.day, static_cast<int>(tod / 3600),
                    static_cast<int>(tod / 60 % 60), static_cast<int>(tod % 60));
      lines.push_back(line);
      truth.push_back(t);
    }
    SyslogLineParser parser;
    parser.StartFile(truth.back() + static_cast<int64_t>(rng() % 3600));  // mtime: after the end.
    LogRecord record;
    for (size_t i = 0; i < lines.size(); ++i) {
      ASSERT_EQ(parser.Parse(lines[i], record, nullptr), ParseResult::kRecord) << lines[i];
      ASSERT_EQ(record.time_ns, truth[i] * kNs)
          << "file " << file << " line " << i << ": " << lines[i];
    }
  }
}

// Found by syslog_line_fuzz: a file whose first line falls before 1970 (mtime 1, as
// reproducible archives have) put its second line a year later, because the latest time
// started at 0 and the first line was below it.
TEST(YearInference, FirstLineBefore1970IsTheLatestSoFar) {
  SyslogLineParser parser;
  parser.StartFile(1);  // 1970-01-01 00:00:01: Dec 30 is in 1969.
  EXPECT_EQ(YearsOf(parser, {"Dec 30 10:00:00 web1 sshd[6402]: Failed password for root from "
                             "5.36.59.76 port 42393 ssh2",
                             "Dec 30 10:00:05 web1 sshd[6402]: Failed password for root from "
                             "5.36.59.76 port 42393 ssh2"}),
            (std::vector<int64_t>{1969, 1969}));
}

// Found by syslog_line_fuzz: an mtime near INT64_MAX (tmpfs accepts it) overflowed the
// year arithmetic (UBSan, in the sanitizer build of this test). The reference is clamped to
// the span of nanosecond times: a line gets a year inside it, next to the clamped reference,
// or is reported out of range.
TEST(YearInference, HugeReferenceTimeIsClampedNotOverflowed) {
  const std::string line =
      "Dec 31 23:59:59 web1 sshd[6402]: Failed password for root from 5.36.59.76 port 42393 ssh2";
  for (const int64_t offset : {0, 3600, -3600}) {
    SyslogTimeOptions options;
    options.utc_offset_seconds = offset;
    SyslogLineParser parser(options);
    parser.StartFile(INT64_MAX);  // Clamped to 2262-04-11: Dec 31 is in 2261 (local time;
                                  // in UTC, 2262 where the zone is behind UTC).
    EXPECT_EQ(YearsOf(parser, {line}), (std::vector<int64_t>{offset < 0 ? 2262 : 2261}))
        << offset;
    parser.StartFile(INT64_MIN);  // Clamped to 1677-09-21: Dec 31 is in 1676, out of range.
    LogRecord record;
    std::string error;
    EXPECT_EQ(parser.Parse(line, record, &error), ParseResult::kBadTimestamp) << offset;
    EXPECT_NE(error.find("out of range"), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace vigil::syslog
