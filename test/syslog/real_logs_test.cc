// The real sshd logs in ../shared/data: every line is a record, and the sshd records are
// exactly the lines a plain scan finds with an sshd tag.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "connectors/syslog/civil_date.h"
#include "connectors/syslog/log_format.h"
#include "connectors/syslog/syslog_parser.h"

namespace vigil::syslog {
namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

/// The independent count: lines whose text after the header holds " sshd[" (the tag as
/// syslog writes it), found by plain substring search.
size_t CountSshdTags(const std::vector<std::string>& lines) {
  size_t count = 0;
  for (const std::string& line : lines) {
    if (line.find(" sshd[") != std::string::npos) ++count;
  }
  return count;
}

void CheckFile(const std::string& path) {
  const std::vector<std::string> lines = ReadLines(path);
  ASSERT_FALSE(lines.empty());
  std::string head;
  for (size_t i = 0; i < lines.size() && head.size() < 4096; ++i) head += lines[i] + "\n";
  EXPECT_EQ(DetectLogFormat(head), LogFormat::kSyslog);

  SyslogLineParser parser;
  parser.StartFile(DaysFromCivil(2027, 1, 1) * 86400);
  LogRecord record;
  std::string error;
  size_t sshd = 0;
  int64_t previous = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    ASSERT_EQ(parser.Parse(lines[i], record, &error), ParseResult::kRecord)
        << path << ":" << i + 1 << ": " << lines[i] << " " << error;
    ASSERT_FALSE(record.host.empty()) << lines[i];
    if (IsSshdProgram(record.program)) {
      ++sshd;
      // The message is exactly what follows the tag.
      const std::string tag = "sshd[" + std::to_string(record.pid) + "]: ";
      const size_t at = lines[i].find(tag);
      ASSERT_NE(at, std::string::npos) << lines[i];
      EXPECT_EQ(record.message, std::string_view(lines[i]).substr(at + tag.size()));
    }
    // Lines are in time order (no year jumps).
    EXPECT_GE(record.time_ns, previous) << lines[i];
    previous = record.time_ns;
  }
  EXPECT_EQ(sshd, CountSshdTags(lines)) << path;
  EXPECT_GT(sshd, 0u);
}

TEST(RealLogs, OpenSsh2k) { CheckFile(VIGIL_SHARED_DIR "/data/OpenSSH_2k.log"); }
TEST(RealLogs, ElasticAuthLog) { CheckFile(VIGIL_SHARED_DIR "/data/elastic_auth.log"); }

}  // namespace
}  // namespace vigil::syslog
