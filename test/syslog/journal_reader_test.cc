// JournalReader on journal files made in the test by systemd-journal-remote (Debian package
// systemd-journal-remote) from journal export format: sshd filtering, fields, following new
// entries, cursors, tail start, errors. Skipped when the tool is not installed.
#include "connectors/syslog/journal_reader.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace vigil::syslog {
namespace {

namespace fs = std::filesystem;

constexpr const char* kJournalRemote = "/lib/systemd/systemd-journal-remote";

/// One entry in journal export format.
struct Entry {
  uint64_t realtime_usec;
  std::string identifier;
  std::string unit;  // "" for none
  int pid;
  std::string message;
};

std::string ExportText(const std::vector<Entry>& entries, uint64_t first_monotonic) {
  std::string text;
  uint64_t monotonic = first_monotonic;
  for (const Entry& e : entries) {
    text += "__REALTIME_TIMESTAMP=" + std::to_string(e.realtime_usec) + "\n";
    text += "__MONOTONIC_TIMESTAMP=" + std::to_string(monotonic++) + "\n";
    text += "_BOOT_ID=0123456789abcdef0123456789abcdef\n";
    text += "_HOSTNAME=web1\n";
    text += "SYSLOG_IDENTIFIER=" + e.identifier + "\n";
    text += "_PID=" + std::to_string(e.pid) + "\n";
    if (!e.unit.empty()) text += "_SYSTEMD_UNIT=" + e.unit + "\n";
    text += "MESSAGE=" + e.message + "\n\n";
  }
  return text;
}

class JournalReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kJournalRemote)) {
      GTEST_SKIP() << kJournalRemote << " is missing (apt-get install systemd-journal-remote)";
    }
    dir_ = fs::temp_directory_path() /
           ("vigil_journal_test_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "journal");
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  /// Appends entries to the test's journal file (systemd-journal-remote appends to an
  /// existing file).
  void Append(const std::vector<Entry>& entries) {
    const std::string export_path = (dir_ / "in.export").string();
    std::ofstream(export_path, std::ios::binary) << ExportText(entries, next_monotonic_);
    next_monotonic_ += entries.size();
    const std::string command = std::string(kJournalRemote) + " -o " +
                                (dir_ / "journal" / "test.journal").string() + " - < " +
                                export_path + " 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  JournalOptions Options() {
    JournalOptions options;
    options.directory = (dir_ / "journal").string();
    return options;
  }

  /// Every record Next gives now, as "program pid message".
  static std::vector<std::string> Drain(JournalReader& reader) {
    std::vector<std::string> out;
    LogRecord record;
    for (;;) {
      auto next = reader.Next(record);
      EXPECT_TRUE(next.ok()) << next.status().ToString();
      if (!next.ok() || !*next) return out;
      out.push_back(std::string(record.program) + " " + std::to_string(record.pid) + " " +
                    std::string(record.message));
    }
  }

  fs::path dir_;
  uint64_t next_monotonic_ = 1000;
};

const std::vector<Entry> kFirstEntries = {
    {1774826313123456, "sshd", "ssh.service", 10, "Failed password for root"},
    {1774826314000000, "CRON", "cron.service", 11, "session opened"},
    {1774826315000000, "sshd-session", "", 12, "Invalid user bob"},
    {1774826316000000, "kernel", "", 0, "eth0 up"},
    {1774826317000000, "x", "sshd.service", 13, "from the unit"},
};

TEST_F(JournalReaderTest, ReadsOnlySshdEntriesWithFields) {
  Append(kFirstEntries);
  auto reader = JournalReader::Open(Options());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  LogRecord record;
  auto next = (*reader)->Next(record);
  ASSERT_TRUE(next.ok() && *next);
  EXPECT_EQ(record.time_ns, 1774826313123456000);
  EXPECT_EQ(record.host, "web1");
  EXPECT_EQ(record.program, "sshd");
  EXPECT_EQ(record.pid, 10);
  EXPECT_EQ(record.message, "Failed password for root");
  EXPECT_EQ(record.unit, "ssh.service");
  EXPECT_EQ(Drain(**reader),
            (std::vector<std::string>{"sshd-session 12 Invalid user bob", "x 13 from the unit"}));
}

TEST_F(JournalReaderTest, AllEntriesWhenNotFiltered) {
  Append(kFirstEntries);
  JournalOptions options = Options();
  options.sshd_only = false;
  auto reader = JournalReader::Open(options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(Drain(**reader).size(), kFirstEntries.size());
}

TEST_F(JournalReaderTest, FollowsAppendedEntries) {
  Append(kFirstEntries);
  auto reader = JournalReader::Open(Options());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(Drain(**reader).size(), 3u);
  ASSERT_GE((*reader)->wait_fd(), 0);
  Append({{1774826400000000, "sshd", "", 20, "Accepted publickey"},
          {1774826401000000, "cron", "", 21, "not sshd"}});
  // The write is done (the writer exited), so its inotify event is queued: the fd is
  // readable without waiting.
  pollfd watch{(*reader)->wait_fd(), POLLIN, 0};
  EXPECT_EQ(poll(&watch, 1, 0), 1);
  EXPECT_EQ(Drain(**reader), (std::vector<std::string>{"sshd 20 Accepted publickey"}));
  EXPECT_TRUE(Drain(**reader).empty());
}

TEST_F(JournalReaderTest, CursorFileResumesAfterLastEntry) {
  Append(kFirstEntries);
  JournalOptions options = Options();
  options.cursor_file = (dir_ / "cursor").string();
  {
    auto reader = JournalReader::Open(options);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    ASSERT_TRUE((*reader)->SaveCursor().ok());  // Nothing read: nothing saved.
    EXPECT_FALSE(fs::exists(options.cursor_file));
    LogRecord record;
    ASSERT_TRUE((*reader)->Next(record).value());
    ASSERT_TRUE((*reader)->Next(record).value());
    EXPECT_EQ(record.message, "Invalid user bob");
    ASSERT_TRUE((*reader)->SaveCursor().ok());
    EXPECT_TRUE(fs::exists(options.cursor_file));
  }
  {
    auto reader = JournalReader::Open(options);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_EQ(Drain(**reader), (std::vector<std::string>{"x 13 from the unit"}));
    ASSERT_TRUE((*reader)->SaveCursor().ok());  // After Next returned false: the last entry.
  }
  Append({{1774826500000000, "sshd", "", 30, "later"}});
  {
    auto reader = JournalReader::Open(options);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_EQ(Drain(**reader), (std::vector<std::string>{"sshd 30 later"}));
  }
}

TEST_F(JournalReaderTest, ReadsGivenFiles) {
  Append(kFirstEntries);
  JournalOptions options;
  options.files = {(dir_ / "journal" / "test.journal").string()};
  auto reader = JournalReader::Open(options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(Drain(**reader).size(), 3u);
}

TEST_F(JournalReaderTest, TailStartGivesOnlyNewEntries) {
  Append(kFirstEntries);
  JournalOptions options = Options();
  options.start = JournalOptions::Start::kTail;
  auto reader = JournalReader::Open(options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_TRUE(Drain(**reader).empty());
  Append({{1774826600000000, "sshd", "", 40, "new"}});
  EXPECT_EQ(Drain(**reader), (std::vector<std::string>{"sshd 40 new"}));
}

TEST_F(JournalReaderTest, Errors) {
  Append(kFirstEntries);
  JournalOptions options = Options();
  options.cursor_file = (dir_ / "cursor").string();
  std::ofstream(options.cursor_file) << "not a cursor\n";
  auto bad_cursor = JournalReader::Open(options);
  ASSERT_FALSE(bad_cursor.ok());
  EXPECT_EQ(bad_cursor.status().code(), StatusCode::kParseError);
  EXPECT_NE(bad_cursor.status().message().find("not a valid journal cursor"), std::string::npos);

  JournalOptions missing;
  missing.directory = (dir_ / "no_such_dir").string();
  auto opened = JournalReader::Open(missing);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kIoError);
  EXPECT_NE(opened.status().message().find("no_such_dir"), std::string::npos);
}

}  // namespace
}  // namespace vigil::syslog
