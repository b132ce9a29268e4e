// JournalJsonParser: `journalctl -o json` lines, byte-array fields, repeated fields,
// timestamps and errors, hostile input.
#include "connectors/syslog/journal_json.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace vigil::syslog {
namespace {

// A line as journalctl 252 writes it (fields in hash order).
constexpr const char* kSshdLine =
    R"({"_PID":"6402","__MONOTONIC_TIMESTAMP":"1000","_SYSTEMD_UNIT":"ssh.service",)"
    R"("_HOSTNAME":"web1","_BOOT_ID":"0123456789abcdef0123456789abcdef",)"
    R"("SYSLOG_IDENTIFIER":"sshd","MESSAGE":"Failed password for root from 1.2.3.4 port 22 ssh2",)"
    R"("__REALTIME_TIMESTAMP":"1774826313123456","__CURSOR":"s=4389;i=1;x=c54b"})";

TEST(JournalJsonParser, ReadsJournalctlLine) {
  JournalJsonParser parser;
  LogRecord record;
  ASSERT_EQ(parser.Parse(kSshdLine, record, nullptr), ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, 1774826313123456000);
  EXPECT_EQ(record.host, "web1");
  EXPECT_EQ(record.program, "sshd");
  EXPECT_EQ(record.pid, 6402);
  EXPECT_EQ(record.message, "Failed password for root from 1.2.3.4 port 22 ssh2");
  EXPECT_EQ(record.unit, "ssh.service");
  EXPECT_TRUE(IsSshdEntry(record));
}

TEST(JournalJsonParser, ParsePaddedReadsInPlace) {
  JournalJsonParser parser;
  LogRecord record;
  const std::string line = kSshdLine;
  std::string padded = line + std::string(JournalJsonParser::kPaddingBytes, '\0');
  ASSERT_EQ(parser.ParsePadded(std::string_view(padded.data(), line.size()), record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.message, "Failed password for root from 1.2.3.4 port 22 ssh2");
  // Unescaped strings point into the line itself.
  EXPECT_GE(record.host.data(), padded.data());
  EXPECT_LT(record.host.data(), padded.data() + line.size());
}

TEST(JournalJsonParser, DecodesByteArrayMessage) {
  JournalJsonParser parser;
  LogRecord record;
  // "hi\xff there" is not UTF-8: journalctl writes it as bytes.
  ASSERT_EQ(parser.Parse(R"({"__REALTIME_TIMESTAMP":"5","MESSAGE":[104,105,255,32,116,104,101,)"
                         R"(114,101],"_HOSTNAME":[119,49],"SYSLOG_IDENTIFIER":"sshd"})",
                         record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.message, std::string("hi\xff there"));
  EXPECT_EQ(record.host, "w1");
  EXPECT_EQ(record.time_ns, 5000);
  ASSERT_EQ(parser.Parse(R"({"__REALTIME_TIMESTAMP":"5","MESSAGE":[]})", record, nullptr),
            ParseResult::kRecord);
  EXPECT_TRUE(record.message.empty());
  // Not bytes: out of range, negative, fractional.
  for (const char* line : {R"({"__REALTIME_TIMESTAMP":"5","MESSAGE":[256]})",
                           R"({"__REALTIME_TIMESTAMP":"5","MESSAGE":[-1]})",
                           R"({"__REALTIME_TIMESTAMP":"5","MESSAGE":[1.5]})",
                           R"({"__REALTIME_TIMESTAMP":"5","MESSAGE":[1,"a"]})"}) {
    EXPECT_EQ(parser.Parse(line, record, nullptr), ParseResult::kNotLog) << line;
  }
}

TEST(JournalJsonParser, RepeatedFieldTakesFirstValue) {
  JournalJsonParser parser;
  LogRecord record;
  ASSERT_EQ(parser.Parse(R"({"__REALTIME_TIMESTAMP":"5","MESSAGE":["one","two"],)"
                         R"("SYSLOG_IDENTIFIER":[[115,115,104,100],"x"]})",
                         record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.message, "one");
  EXPECT_EQ(record.program, "sshd");
}

TEST(JournalJsonParser, EscapesAreDecoded) {
  JournalJsonParser parser;
  LogRecord record;
  ASSERT_EQ(
      parser.Parse(R"({"__REALTIME_TIMESTAMP":"5","MESSAGE":"a\"b\\c\u00e9\n"})", record, nullptr),
      ParseResult::kRecord);
  EXPECT_EQ(record.message, "a\"b\\c\xC3\xA9\n");
}

TEST(JournalJsonParser, FallbacksAndAbsentFields) {
  JournalJsonParser parser;
  LogRecord record;
  ASSERT_EQ(parser.Parse(R"({"__REALTIME_TIMESTAMP":"7","_COMM":"sshd-session",)"
                         R"("SYSLOG_PID":"42","MESSAGE":null})",
                         record, nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.program, "sshd-session");
  EXPECT_EQ(record.pid, 42);
  EXPECT_TRUE(record.message.empty());
  EXPECT_TRUE(record.host.empty());
  EXPECT_TRUE(IsSshdEntry(record));
  ASSERT_EQ(
      parser.Parse(R"({"__REALTIME_TIMESTAMP":"7","_PID":"x1","SYSLOG_PID":"9"})", record, nullptr),
      ParseResult::kRecord);
  EXPECT_EQ(record.pid, 9);
  ASSERT_EQ(parser.Parse(R"({"__REALTIME_TIMESTAMP":"7","_PID":"123456789012345678901"})", record,
                         nullptr),
            ParseResult::kRecord);
  EXPECT_EQ(record.pid, -1);
}

TEST(JournalJsonParser, SshdEntrySemantics) {
  JournalJsonParser parser;
  LogRecord record;
  struct Case {
    const char* fields;
    bool sshd;
  };
  const Case cases[] = {
      {R"("_SYSTEMD_UNIT":"sshd.service","SYSLOG_IDENTIFIER":"x")", true},
      {R"("_SYSTEMD_UNIT":"sshd@0-10.0.0.1:22-10.0.0.2:5555.service")", true},
      {R"("_SYSTEMD_UNIT":"cron.service","SYSLOG_IDENTIFIER":"sshd")", true},
      {R"("SYSLOG_IDENTIFIER":"sshd-session")", true},
      {R"("_SYSTEMD_UNIT":"cron.service","SYSLOG_IDENTIFIER":"CRON")", false},
      {R"("SYSLOG_IDENTIFIER":"sshd2")", false},
      {R"("_SYSTEMD_UNIT":"sshd.service.bak")", false},
  };
  for (const Case& c : cases) {
    const std::string line = std::string(R"({"__REALTIME_TIMESTAMP":"1",)") + c.fields + "}";
    ASSERT_EQ(parser.Parse(line, record, nullptr), ParseResult::kRecord) << line;
    EXPECT_EQ(IsSshdEntry(record), c.sshd) << line;
  }
}

TEST(JournalJsonParser, TimestampErrors) {
  JournalJsonParser parser;
  LogRecord record;
  std::string error;
  EXPECT_EQ(parser.Parse(R"({"MESSAGE":"x"})", record, &error), ParseResult::kBadTimestamp);
  EXPECT_EQ(error, "no __REALTIME_TIMESTAMP field (expected microseconds since the epoch)");
  EXPECT_EQ(parser.Parse(R"({"__REALTIME_TIMESTAMP":"12a","MESSAGE":"x"})", record, &error),
            ParseResult::kBadTimestamp);
  EXPECT_EQ(error,
            "__REALTIME_TIMESTAMP \"12a\" is not a time (expected microseconds since the epoch, "
            "0-9223372036854775)");
  EXPECT_EQ(parser.Parse(R"({"__REALTIME_TIMESTAMP":"9223372036854776"})", record, &error),
            ParseResult::kBadTimestamp);
  EXPECT_EQ(parser.Parse(R"({"__REALTIME_TIMESTAMP":""})", record, &error),
            ParseResult::kBadTimestamp);
  // Control characters of the value are escaped in the message.
  EXPECT_EQ(parser.Parse(R"({"__REALTIME_TIMESTAMP":"\u001b[31m"})", record, &error),
            ParseResult::kBadTimestamp);
  EXPECT_EQ(error.find('\x1b'), std::string::npos);
  EXPECT_NE(error.find("\\x1b[31m"), std::string::npos);
  ASSERT_EQ(parser.Parse(R"({"__REALTIME_TIMESTAMP":"9223372036854775"})", record, &error),
            ParseResult::kRecord);
  EXPECT_EQ(record.time_ns, 9223372036854775000);
}

TEST(JournalJsonParser, NotJournalLines) {
  JournalJsonParser parser;
  LogRecord record;
  for (const char* line :
       {"", "  ", "Mar 29 23:18:33 h sshd[1]: m", "[1,2]", "\"x\"", "{", "{\"a\":}",
        R"({"__REALTIME_TIMESTAMP":"1"} x)", R"({"__REALTIME_TIMESTAMP":"1",})",
        R"({"__REALTIME_TIMESTAMP":1})", R"({"__REALTIME_TIMESTAMP":"1","MESSAGE":{"a":1}})",
        R"({"__REALTIME_TIMESTAMP":"1","other":[1,{"b":tru}]})",
        R"({"s":"f":-0 x, "__REALTIME_TIMESTAMP":"1"})", "{\"a\":\"\xff\"}"}) {
    EXPECT_EQ(parser.Parse(line, record, nullptr), ParseResult::kNotLog) << line;
  }
}

TEST(JournalJsonParser, SurvivesRandomBytesAndMutations) {
  std::mt19937_64 rng(4242);
  JournalJsonParser parser;
  LogRecord record;
  std::string error;
  int records = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string line;
    if (i % 3 == 0) {
      line.resize(rng() % 100);
      for (char& c : line) c = static_cast<char>(rng() % 256);
    } else {
      line = kSshdLine;
      const int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits && !line.empty(); ++e) {
        const size_t at = rng() % line.size();
        if (rng() % 2 == 0) {
          line[at] = "{}[]\":,0a\\ "[rng() % 12];
        } else {
          line.erase(at, 1 + rng() % 4);
        }
      }
    }
    if (parser.Parse(line, record, &error) == ParseResult::kRecord) ++records;
  }
  EXPECT_GT(records, 0);
}

// Found by journal_json_fuzz: a field the reader does not use, holding a valid JSON number
// that simdjson will not convert (a 20-digit exponent), dropped the whole entry. Numbers are
// checked against JSON's grammar instead; malformed ones still reject the line.
TEST(JournalJsonParser, UnusedNumberFieldsFollowJsonGrammarNotConversion) {
  const std::string line(kSshdLine);
  const auto with_field = [&line](const std::string& value) {
    return line.substr(0, line.size() - 1) + R"(,"X":)" + value + "}";
  };
  JournalJsonParser parser;
  LogRecord record;
  for (const char* valid : {"0e99999999999999999999", "1e-99999999999999999999", "-0", "0.5",
                            "12E+3", "1e400", "-123456789012345678901234567890"}) {
    EXPECT_EQ(parser.Parse(with_field(valid), record, nullptr), ParseResult::kRecord) << valid;
    EXPECT_EQ(record.message, "Failed password for root from 1.2.3.4 port 22 ssh2");
  }
  for (const char* invalid : {"01", "1.", ".5", "1e", "+1", "--1", "1e+"}) {
    EXPECT_NE(parser.Parse(with_field(invalid), record, nullptr), ParseResult::kRecord)
        << invalid;
  }
}

}  // namespace
}  // namespace vigil::syslog
