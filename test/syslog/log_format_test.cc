// DetectLogFormat and ParseLogFormatName.
#include "connectors/syslog/log_format.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::syslog {
namespace {

TEST(DetectLogFormat, JournalJson) {
  EXPECT_EQ(DetectLogFormat("{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"x\"}\n"),
            LogFormat::kJournalJson);
  EXPECT_EQ(DetectLogFormat("\n  {\"_PID\" : \"1\", \"MESSAGE\" : \"x\"}\n"),
            LogFormat::kJournalJson);
  // A JSON object without journal keys (a key only mentioned in a value does not count).
  EXPECT_EQ(DetectLogFormat("{\"a\":\"\\\"MESSAGE\\\"\"}\n"), LogFormat::kUnknown);
}

TEST(DetectLogFormat, Syslog) {
  EXPECT_EQ(DetectLogFormat("Mar 29 23:18:33 h sshd[1]: m\n"), LogFormat::kSyslog);
  EXPECT_EQ(DetectLogFormat("2026-03-29T23:18:33.1+02:00 h sshd[1]: m\n"), LogFormat::kSyslog);
  EXPECT_EQ(DetectLogFormat("<38>1 2026-03-29T23:18:33Z h sshd 1 - - m"), LogFormat::kSyslog);
  EXPECT_EQ(DetectLogFormat("\xEF\xBB\xBF\r\n\nFeb 29 23:18:33 h sshd[1]: m\r\n"),
            LogFormat::kSyslog);
  // A first line that is not syslog (cut, foreign) does not hide the lines after it.
  EXPECT_EQ(DetectLogFormat("password for root from 1.2.3.4\nMar 29 23:18:33 h sshd[1]: m\n"),
            LogFormat::kSyslog);
  // A bad time still has the shape of a syslog header.
  EXPECT_EQ(DetectLogFormat("Mar 32 23:18:33 h sshd[1]: m\n"), LogFormat::kSyslog);
}

TEST(DetectLogFormat, Csv) {
  EXPECT_EQ(DetectLogFormat("username,successful,time,ip_address\nroot,False,1,1.2.3.4\n"),
            LogFormat::kCsv);
  EXPECT_EQ(DetectLogFormat("ip_address, time ,extra,\"username\",successful\r\n"),
            LogFormat::kCsv);
  EXPECT_EQ(DetectLogFormat("username,successful,time\n"), LogFormat::kUnknown);
}

TEST(DetectLogFormat, Unknown) {
  EXPECT_EQ(DetectLogFormat(""), LogFormat::kUnknown);
  EXPECT_EQ(DetectLogFormat("\n\n  \n"), LogFormat::kUnknown);
  EXPECT_EQ(DetectLogFormat("hello\nworld\n"), LogFormat::kUnknown);
  // Syslog lines after more than five other non-blank lines are not looked for.
  EXPECT_EQ(DetectLogFormat("a\nb\nc\nd\ne\nMar 29 23:18:33 h sshd[1]: m\n"), LogFormat::kUnknown);
}

TEST(DetectLogFormat, LooksAtFirst64KiBOnly) {
  std::string text(kLogFormatDetectBytes, ' ');
  text += "\nMar 29 23:18:33 h sshd[1]: m\n";
  EXPECT_EQ(DetectLogFormat(text), LogFormat::kUnknown);
  EXPECT_EQ(DetectLogFormat(text.substr(kLogFormatDetectBytes)), LogFormat::kSyslog);
}

TEST(ParseLogFormatName, AcceptsTheFourNames) {
  EXPECT_EQ(ParseLogFormatName("auto").value(), LogFormat::kAuto);
  EXPECT_EQ(ParseLogFormatName("csv").value(), LogFormat::kCsv);
  EXPECT_EQ(ParseLogFormatName("syslog").value(), LogFormat::kSyslog);
  EXPECT_EQ(ParseLogFormatName("journal-json").value(), LogFormat::kJournalJson);
  const auto bad = ParseLogFormatName("json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            "unknown input format \"json\" (expected auto, csv, syslog or journal-json)");
  EXPECT_FALSE(ParseLogFormatName("unknown").ok());
  EXPECT_FALSE(ParseLogFormatName("").ok());
}

}  // namespace
}  // namespace vigil::syslog
