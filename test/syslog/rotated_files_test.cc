// OrderRotatedFiles: logrotate's numbered and dated families, oldest first.
#include "connectors/syslog/rotated_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace vigil::syslog {
namespace {

using Paths = std::vector<std::string>;

TEST(OrderRotatedFiles, NumberedOldestFirst) {
  EXPECT_EQ(OrderRotatedFiles({"/var/log/auth.log", "/var/log/auth.log.1", "/var/log/auth.log.2.gz",
                               "/var/log/auth.log.3.gz", "/var/log/auth.log.4.gz"}),
            (Paths{"/var/log/auth.log.4.gz", "/var/log/auth.log.3.gz", "/var/log/auth.log.2.gz",
                   "/var/log/auth.log.1", "/var/log/auth.log"}));
}

TEST(OrderRotatedFiles, NumbersComparedAsNumbers) {
  EXPECT_EQ(OrderRotatedFiles({"a.log.10.gz", "a.log.9.gz", "a.log.1", "a.log", "a.log.2.gz"}),
            (Paths{"a.log.10.gz", "a.log.9.gz", "a.log.2.gz", "a.log.1", "a.log"}));
  // Numbers beyond any integer type still compare by value.
  EXPECT_EQ(OrderRotatedFiles({"a.log.99999999999999999999999", "a.log.100000000000000000000000"}),
            (Paths{"a.log.100000000000000000000000", "a.log.99999999999999999999999"}));
  EXPECT_EQ(OrderRotatedFiles({"a.log.01", "a.log.2"}), (Paths{"a.log.2", "a.log.01"}));
}

TEST(OrderRotatedFiles, DatedInDateOrderBeforeLiveFile) {
  EXPECT_EQ(
      OrderRotatedFiles(
          {"auth.log", "auth.log-20260301", "auth.log-20260215.gz", "auth.log-20260222.gz"}),
      (Paths{"auth.log-20260215.gz", "auth.log-20260222.gz", "auth.log-20260301", "auth.log"}));
}

TEST(OrderRotatedFiles, FamiliesKeepPathOrder) {
  // A sorted listing: families stay where their first file was; other names keep their place.
  EXPECT_EQ(OrderRotatedFiles({"logs/auth.log", "logs/auth.log.1", "logs/auth.log.2.gz",
                               "logs/notes.txt", "logs/syslog", "logs/syslog.1"}),
            (Paths{"logs/auth.log.2.gz", "logs/auth.log.1", "logs/auth.log", "logs/notes.txt",
                   "logs/syslog.1", "logs/syslog"}));
  EXPECT_EQ(OrderRotatedFiles({"z.txt", "b.txt", "a.txt"}), (Paths{"z.txt", "b.txt", "a.txt"}));
  EXPECT_TRUE(OrderRotatedFiles({}).empty());
}

TEST(OrderRotatedFiles, SameNameInDifferentDirectoriesAreDifferentFamilies) {
  EXPECT_EQ(OrderRotatedFiles({"a/auth.log", "b/auth.log.1", "a/auth.log.1", "b/auth.log"}),
            (Paths{"a/auth.log.1", "a/auth.log", "b/auth.log.1", "b/auth.log"}));
}

TEST(OrderRotatedFiles, SuffixLikeNamesThatAreNotRotations) {
  // A dot-number that is the whole name, a short dash-number and version-like names are not
  // rotation suffixes.
  EXPECT_EQ(OrderRotatedFiles({"dir/.1", "dir/x-2026", "dir/x"}),
            (Paths{"dir/.1", "dir/x-2026", "dir/x"}));
}

TEST(OrderRotatedFiles, CompressedLiveNameBeforePlainLiveName) {
  EXPECT_EQ(OrderRotatedFiles({"auth.log", "auth.log.gz", "auth.log.1"}),
            (Paths{"auth.log.1", "auth.log.gz", "auth.log"}));
}

/// Randomized: any permutation of a family gives the same order (it depends on names only).
TEST(OrderRotatedFiles, IndependentOfInputOrderWithinFamily) {
  const Paths family = {"auth.log.12.gz",    "auth.log.11.gz", "auth.log.3.gz",
                        "auth.log.2.gz",     "auth.log.1",     "auth.log-20250101.gz",
                        "auth.log-20250102", "auth.log"};
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100; ++i) {
    Paths shuffled = family;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    EXPECT_EQ(OrderRotatedFiles(shuffled), family);
  }
}

}  // namespace
}  // namespace vigil::syslog
