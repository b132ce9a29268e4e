// FileFollower: appends, truncation, rename-and-recreate rotation, delete-and-recreate.

#include "connectors/live/file_follower.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine_test_util.h"

namespace vigil {
namespace {

using engine_test::TempPath;

void Append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
}

/// Reads what is there now: the bytes, and how the read ended ("wait" or "end").
std::string ReadNow(FileFollower& follower, std::string* how) {
  std::string out;
  char buffer[7];  // Small on purpose: many reads.
  for (;;) {
    Result<size_t> n = follower.Read(buffer, sizeof buffer);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    if (!n.ok()) return out;
    if (*n == kNoDataYet) {
      *how = "wait";
      return out;
    }
    if (*n == 0) {
      *how = "end";
      return out;
    }
    out.append(buffer, *n);
  }
}

TEST(FileFollowerTest, ReadsAppendsAsTheyCome) {
  const std::string path = TempPath("log");
  std::filesystem::remove(path);
  Append(path, "one\ntw");
  FileFollower follower(path, FollowEnd::kNever);
  ASSERT_TRUE(follower.Open().ok());
  std::string how;
  EXPECT_EQ(ReadNow(follower, &how), "one\ntw");
  EXPECT_EQ(how, "wait");
  EXPECT_EQ(ReadNow(follower, &how), "");
  EXPECT_EQ(how, "wait");
  Append(path, "o\nthree\n");
  EXPECT_EQ(ReadNow(follower, &how), "o\nthree\n");
  EXPECT_EQ(how, "wait");
  EXPECT_EQ(follower.generation(), 0u);
  EXPECT_EQ(follower.offset(), 14u);
}

TEST(FileFollowerTest, TruncationStartsANewGeneration) {
  const std::string path = TempPath("log");
  std::filesystem::remove(path);
  Append(path, "aaaa\nbbbb\n");
  FileFollower follower(path, FollowEnd::kNever);
  ASSERT_TRUE(follower.Open().ok());
  std::string how;
  EXPECT_EQ(ReadNow(follower, &how), "aaaa\nbbbb\n");
  std::filesystem::resize_file(path, 0);  // copytruncate
  Append(path, "c\n");
  EXPECT_EQ(ReadNow(follower, &how), "");
  EXPECT_EQ(how, "end");
  Result<bool> next = follower.NextGeneration();
  ASSERT_TRUE(next.ok());
  EXPECT_TRUE(*next);
  EXPECT_EQ(follower.generation(), 1u);
  EXPECT_EQ(ReadNow(follower, &how), "c\n");
  EXPECT_EQ(how, "wait");
}

TEST(FileFollowerTest, RotationDrainsTheOldFileThenReadsTheNewOne) {
  const std::string path = TempPath("log");
  const std::string rotated = path + ".1";
  std::filesystem::remove(path);
  std::filesystem::remove(rotated);
  Append(path, "old1\n");
  FileFollower follower(path, FollowEnd::kNever);
  ASSERT_TRUE(follower.Open().ok());
  std::string how;
  EXPECT_EQ(ReadNow(follower, &how), "old1\n");
  // logrotate: rename, the writer still appends to the old inode, then a new file appears.
  std::filesystem::rename(path, rotated);
  EXPECT_EQ(ReadNow(follower, &how), "");
  EXPECT_EQ(how, "wait");  // The path is gone but nothing replaced it: keep the old file.
  Append(rotated, "old2\n");
  Append(path, "new1\n");
  EXPECT_EQ(ReadNow(follower, &how), "old2\n");  // The old inode first, to its end.
  EXPECT_EQ(how, "end");
  Result<bool> next = follower.NextGeneration();
  ASSERT_TRUE(next.ok() && *next);
  EXPECT_EQ(ReadNow(follower, &how), "new1\n");
  EXPECT_EQ(how, "wait");
  EXPECT_EQ(follower.generation(), 1u);
}

// Why a generation ended decides whether an unfinished last line is a row (only at the true
// end of the input), so the follower says it.
TEST(FileFollowerTest, SaysWhyAGenerationEnded) {
  const std::string path = TempPath("log");
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".1");
  Append(path, "aaaa\n");
  FileFollower follower(path, FollowEnd::kNever);
  ASSERT_TRUE(follower.Open().ok());
  std::string how;
  ReadNow(follower, &how);
  EXPECT_EQ(follower.ending(), GenerationEnd::kNone);
  std::filesystem::resize_file(path, 0);
  ReadNow(follower, &how);
  EXPECT_EQ(how, "end");
  EXPECT_EQ(follower.ending(), GenerationEnd::kTruncated);
  ASSERT_TRUE(follower.NextGeneration().ok());
  Append(path, "b\n");
  ReadNow(follower, &how);
  std::filesystem::rename(path, path + ".1");
  Append(path, "c\n");
  ReadNow(follower, &how);
  EXPECT_EQ(follower.ending(), GenerationEnd::kReplaced);

  FileFollower replay(path, FollowEnd::kAtEof);
  ASSERT_TRUE(replay.Open().ok());
  EXPECT_EQ(ReadNow(replay, &how), "c\n");
  EXPECT_EQ(replay.ending(), GenerationEnd::kEnded);
}

// A followed directory's children follow the file they opened: a rename is the directory's
// business (it knows the file under its new name), not a new generation.
TEST(FileFollowerTest, FollowingTheDescriptorKeepsReadingARenamedFile) {
  const std::string path = TempPath("log");
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".1");
  Append(path, "old1\n");
  FileFollower follower(path, FollowEnd::kNever, FollowTarget::kDescriptor);
  ASSERT_TRUE(follower.Open().ok());
  const std::optional<FileIdentity> identity = follower.identity();
  ASSERT_TRUE(identity.has_value());
  std::string how;
  EXPECT_EQ(ReadNow(follower, &how), "old1\n");
  std::filesystem::rename(path, path + ".1");
  Append(path, "new1\n");
  Append(path + ".1", "old2\n");
  EXPECT_EQ(ReadNow(follower, &how), "old2\n");
  EXPECT_EQ(how, "wait");
  EXPECT_EQ(follower.generation(), 0u);
  EXPECT_EQ(follower.identity(), identity);
}

TEST(FileFollowerTest, ReplayEndsAtTheEndOfTheFile) {
  const std::string path = TempPath("log");
  std::filesystem::remove(path);
  Append(path, "x\ny\n");
  FileFollower follower(path, FollowEnd::kAtEof);
  ASSERT_TRUE(follower.Open().ok());
  std::string how;
  EXPECT_EQ(ReadNow(follower, &how), "x\ny\n");
  EXPECT_EQ(how, "end");
  Result<bool> next = follower.NextGeneration();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(*next);
}

TEST(FileFollowerTest, MissingFileIsAnError) {
  FileFollower follower(TempPath("does-not-exist"), FollowEnd::kNever);
  Status status = follower.Open();
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.ToString().find("does-not-exist"), std::string::npos) << status.ToString();
}

}  // namespace
}  // namespace vigil
