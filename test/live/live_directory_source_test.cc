// A followed directory: files are inodes, not names (a rotated file is followed on, not read
// again), a stray file or an unreadable subdirectory is reported and the rest followed, and a
// deleted file is read to its end first.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "connectors/csv/csv_source.h"
#include "connectors/live/live_directory_source.h"
#include "connectors/output/value_text.h"
#include "engine_test_util.h"

namespace vigil {
namespace {

using engine_test::TempPath;

const Schema kSchema = {{"k", dtype::Str}, {"v", dtype::Int}};

void Append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
}

std::string FreshDirectory(const std::string& name) {
  const std::string dir = TempPath(name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// A directory source of live CsvSource children, as io::csv::read makes it.
std::unique_ptr<LiveDirectorySource> Directory(const std::string& dir, FollowEnd end,
                                               bool retract, ErrorLog* errors) {
  CsvSourceOptions options;
  options.live = true;
  options.follow_end = end;
  options.error_log = errors;
  options.watch_changes = false;
  options.follow_target = FollowTarget::kDescriptor;
  options.salt_ids_per_generation = !retract;
  LiveDirectoryOptions directory;
  directory.follow_end = end;
  directory.retract_changed_files = retract;
  directory.error_log = errors;
  directory.rescan_interval_ms = 0;  // Without inotify: list again at every read.
  auto make_child = [options](const std::string& file, const std::string& id_path,
                              std::function<void(uint64_t)> on_new_generation)
      -> Result<std::unique_ptr<Source>> {
    CsvSourceOptions child = options;
    child.id_path = id_path;
    child.on_new_generation = std::move(on_new_generation);
    ASSIGN_OR_RAISE(auto source, CsvSource::Make(file, kSchema, child));
    return std::unique_ptr<Source>(std::move(source));
  };
  return std::make_unique<LiveDirectorySource>(dir, kSchema, make_child, directory);
}

/// The table's content after the updates so far: "k|v" with multiplicity, and ids.
struct Table {
  std::map<std::string, int64_t> rows;  // "id|k|v" -> count
  void Add(const Batch& batch) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      const std::string row = batch.ids[r].ToString() + "|" + FormatValue(batch.columns[0][r]) +
                              "|" + FormatValue(batch.columns[1][r]);
      if ((rows[row] += batch.diffs[r]) == 0) rows.erase(row);
    }
  }
  /// Values only, sorted, each row as many times as it is in the table.
  std::vector<std::string> Values() const {
    std::vector<std::string> out;
    for (const auto& [row, count] : rows) {
      for (int64_t i = 0; i < count; ++i) out.push_back(row.substr(row.find('|') + 1));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

LiveRead ReadNow(Source& source, Table& table) {
  Result<LiveRead> state = source.ReadAvailable([&](const Batch& b) { table.Add(b); }, 1 << 20);
  EXPECT_TRUE(state.ok()) << state.status().ToString();
  return state.ok() ? *state : LiveRead::kEnded;
}

/// The static read of `dir` (what the directory holds now).
Table StaticRead(const std::string& dir) {
  Table table;
  auto source = CsvSource::Make(dir, kSchema);
  EXPECT_TRUE(source.ok());
  EXPECT_TRUE((*source)->Open().ok());
  EXPECT_TRUE((*source)->ReadCommit([&](const Batch& b) { table.Add(b); }).ok());
  return table;
}

std::vector<std::string> Warnings(const ErrorLog& errors) {
  std::vector<std::string> out;
  for (const DataError& e : errors.kept()) {
    if (e.warning) out.push_back(FormatDataError(e));
  }
  return out;
}

// Issue 8, defect 8: `a.csv` -> `a.csv.1` plus a new `a.csv` was counted twice (5 rows live,
// 3 static). The renamed file is followed on: its unread tail is read once, never again.
TEST(LiveDirectorySourceTest, RotatedFileIsFollowedOnNotReadAgain) {
  const std::string dir = FreshDirectory("dir");
  Append(dir + "/a.csv", "k,v\nx,1\ny,2\n");
  ErrorLog errors;
  auto source = Directory(dir, FollowEnd::kNever, /*retract=*/false, &errors);
  ASSERT_TRUE(source->Open().ok());
  Table live;
  ReadNow(*source, live);
  Append(dir + "/a.csv", "z,3\n");  // Not read yet when the file is rotated.
  std::filesystem::rename(dir + "/a.csv", dir + "/a.csv.1");
  Append(dir + "/a.csv", "k,v\nw,4\n");
  ReadNow(*source, live);
  ReadNow(*source, live);
  EXPECT_EQ(live.Values(), StaticRead(dir).Values());
  EXPECT_EQ(live.Values(), (std::vector<std::string>{"w|4", "x|1", "y|2", "z|3"}));
  EXPECT_EQ(errors.kept().size(), 0u);
}

// Under Pathway's rule a rename is a deletion and a creation: the final table is exactly the
// static read of the final directory, ids included.
TEST(LiveDirectorySourceTest, RotationUnderPathwaysRuleEndsAsTheStaticRead) {
  const std::string dir = FreshDirectory("dir");
  Append(dir + "/a.csv", "k,v\nx,1\ny,2\n");
  auto source = Directory(dir, FollowEnd::kNever, /*retract=*/true, nullptr);
  ASSERT_TRUE(source->Open().ok());
  Table live;
  ReadNow(*source, live);
  Append(dir + "/a.csv", "z,3\n");
  std::filesystem::rename(dir + "/a.csv", dir + "/a.csv.1");
  Append(dir + "/a.csv", "k,v\nw,4\n");
  ReadNow(*source, live);
  ReadNow(*source, live);
  EXPECT_EQ(live.rows, StaticRead(dir).rows);
  EXPECT_EQ(live.Values().size(), 4u);
}

// A deleted file (log semantics) is read to its end before it is dropped, and its unfinished
// last line is reported.
TEST(LiveDirectorySourceTest, DeletedFileIsReadToItsEndFirst) {
  const std::string dir = FreshDirectory("dir");
  Append(dir + "/a.csv", "k,v\nx,1\n");
  ErrorLog errors;
  auto source = Directory(dir, FollowEnd::kNever, /*retract=*/false, &errors);
  ASSERT_TRUE(source->Open().ok());
  Table live;
  ReadNow(*source, live);
  // Still open by the reader: deleting the name keeps the content readable.
  Append(dir + "/a.csv", "y,2\nz,");
  std::filesystem::remove(dir + "/a.csv");
  ReadNow(*source, live);
  ReadNow(*source, live);
  EXPECT_EQ(live.Values(), (std::vector<std::string>{"x|1", "y|2"}));
  EXPECT_EQ(Warnings(errors),
            (std::vector<std::string>{dir + "/a.csv:4: warning: unfinished line discarded at "
                                            "deletion (the file was deleted): 2 bytes held "
                                            "back: \"z,\""}));
}

// Issue 8, defect 10: a stray file stopped the follower. It is reported (name and what is
// wrong) and the other files are followed on.
TEST(LiveDirectorySourceTest, StrayFileIsReportedAndTheOthersFollowedOn) {
  const std::string dir = FreshDirectory("dir");
  Append(dir + "/a.csv", "k,v\nx,1\n");
  ErrorLog errors;
  auto source = Directory(dir, FollowEnd::kNever, /*retract=*/false, &errors);
  ASSERT_TRUE(source->Open().ok());
  Table live;
  ReadNow(*source, live);
  Append(dir + "/notes.txt", "remember the milk\n");
  EXPECT_EQ(ReadNow(*source, live), LiveRead::kDrained);
  // Created empty, its first line written later: found at a read, not at the open.
  Append(dir + "/later.txt", "");
  EXPECT_EQ(ReadNow(*source, live), LiveRead::kDrained);
  Append(dir + "/later.txt", "id,name\n");
  EXPECT_EQ(ReadNow(*source, live), LiveRead::kDrained);
  Append(dir + "/a.csv", "y,2\n");
  EXPECT_EQ(ReadNow(*source, live), LiveRead::kDrained);
  EXPECT_EQ(ReadNow(*source, live), LiveRead::kDrained);
  EXPECT_EQ(live.Values(), (std::vector<std::string>{"x|1", "y|2"}));
  const std::vector<std::string> warnings = Warnings(errors);
  ASSERT_EQ(warnings.size(), 2u);  // Each once, though the directory is listed again.
  EXPECT_EQ(warnings[0],
            dir + "/notes.txt: warning: not followed: " + dir +
                "/notes.txt: some schema columns are not in the CSV header: \"k\", \"v\" (header "
                "columns: \"remember the milk\") (the other files of the directory are followed "
                "on)");
  EXPECT_NE(warnings[1].find(dir + "/later.txt: warning: not followed: "), std::string::npos)
      << warnings[1];
}

// Under log semantics the rows of a deleted file stay: a new file with the same name gets
// other ids for its rows (else a row at an equal offset would take the old row's id).
TEST(LiveDirectorySourceTest, ReusedNameGetsOtherIdsUnderLogSemantics) {
  const std::string dir = FreshDirectory("dir");
  Append(dir + "/a.csv", "k,v\nx,1\n");
  auto source = Directory(dir, FollowEnd::kNever, /*retract=*/false, nullptr);
  ASSERT_TRUE(source->Open().ok());
  Table live;
  ReadNow(*source, live);
  std::filesystem::remove(dir + "/a.csv");
  ReadNow(*source, live);
  Append(dir + "/a.csv", "k,v\nx,1\n");
  ReadNow(*source, live);
  EXPECT_EQ(live.Values(), (std::vector<std::string>{"x|1", "x|1"}));
  EXPECT_EQ(live.rows.size(), 2u);  // Two ids, each once.
}

// A replay fails on a stray file, as a static read does.
TEST(LiveDirectorySourceTest, ReplayFailsOnAStrayFileAsStaticReadingDoes) {
  const std::string dir = FreshDirectory("dir");
  Append(dir + "/a.csv", "k,v\nx,1\n");
  Append(dir + "/notes.txt", "remember the milk\n");
  auto source = Directory(dir, FollowEnd::kAtEof, /*retract=*/false, nullptr);
  const Status opened = source->Open();
  EXPECT_EQ(opened.code(), StatusCode::kNotFound) << opened.ToString();
  EXPECT_NE(opened.message().find("notes.txt"), std::string::npos) << opened.ToString();
}

/// Makes `dir`/deep/... nested so deep that its full path is longer than PATH_MAX: it
/// cannot be opened by its path, even by root (ENAMETOOLONG). Returns the first directory
/// that cannot be listed.
std::string MakeTooDeepDirectory(const std::string& dir) {
  const std::string name(200, 'd');
  std::string path = dir + "/deep";
  std::filesystem::create_directory(path);
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY);
  std::string first_unreadable;
  while (path.size() < 4300) {
    EXPECT_EQ(::mkdirat(fd, name.c_str(), 0755), 0);
    const int next = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY);
    ::close(fd);
    fd = next;
    path += "/" + name;
    if (first_unreadable.empty() && path.size() >= 4096) first_unreadable = path;
  }
  // A file at the bottom, unreachable by its path.
  const int file = ::openat(fd, "x.csv", O_CREAT | O_WRONLY, 0644);
  EXPECT_GE(file, 0);
  EXPECT_EQ(::write(file, "k,v\nhidden,9\n", 13), 13);
  ::close(file);
  ::close(fd);
  return first_unreadable;
}

/// Removes what MakeTooDeepDirectory made (by descriptors, as paths are too long).
void RemoveTree(int parent, const char* name) {
  const int fd = ::openat(parent, name, O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    std::filesystem::path self = "/proc/self/fd/" + std::to_string(fd);
    for (const auto& entry : std::filesystem::directory_iterator(self)) {
      const std::string child = entry.path().filename().string();
      if (entry.is_directory()) {
        RemoveTree(fd, child.c_str());
      } else {
        ::unlinkat(fd, child.c_str(), 0);
      }
    }
    ::close(fd);
  }
  ::unlinkat(parent, name, AT_REMOVEDIR);
}

// Issue 8, defect 9: an unreadable subdirectory ended a replay with no rows and was not
// reported when following. Every mode reads what is readable and names what is not.
TEST(LiveDirectorySourceTest, UnreadableSubdirectoryIsReportedByNameAndTheRestRead) {
  for (const FollowEnd end : {FollowEnd::kAtEof, FollowEnd::kNever}) {
    const std::string dir = FreshDirectory("dir");
    Append(dir + "/a.csv", "k,v\nx,1\n");
    Append(dir + "/z.csv", "k,v\ny,2\n");
    const std::string unreadable = MakeTooDeepDirectory(dir);
    ErrorLog errors;
    auto source = Directory(dir, end, /*retract=*/false, &errors);
    ASSERT_TRUE(source->Open().ok());
    Table live;
    ReadNow(*source, live);
    ReadNow(*source, live);
    EXPECT_EQ(live.Values(), (std::vector<std::string>{"x|1", "y|2"}));
    const std::vector<std::string> warnings = Warnings(errors);
    ASSERT_EQ(warnings.size(), 1u) << "follow_end " << static_cast<int>(end);
    EXPECT_EQ(warnings[0], unreadable + ": warning: cannot read this directory (File name too "
                                        "long); its files are skipped");
    const int top = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    RemoveTree(top, "deep");
    ::close(top);
  }
}

// The same with permissions, where they apply (not to root, who reads everything).
TEST(LiveDirectorySourceTest, SubdirectoryWithoutPermissionIsReportedByName) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads a chmod 000 directory; see the test above";
  const std::string dir = FreshDirectory("dir");
  Append(dir + "/a.csv", "k,v\nx,1\n");
  std::filesystem::create_directory(dir + "/locked");
  Append(dir + "/locked/b.csv", "k,v\ny,2\n");
  ::chmod((dir + "/locked").c_str(), 0);
  ErrorLog errors;
  auto source = Directory(dir, FollowEnd::kAtEof, /*retract=*/false, &errors);
  ASSERT_TRUE(source->Open().ok());
  Table live;
  ReadNow(*source, live);
  ::chmod((dir + "/locked").c_str(), 0755);
  EXPECT_EQ(live.Values(), (std::vector<std::string>{"x|1"}));
  EXPECT_EQ(Warnings(errors),
            (std::vector<std::string>{dir + "/locked: warning: cannot read this directory "
                                            "(Permission denied); its files are skipped"}));
}

}  // namespace
}  // namespace vigil
