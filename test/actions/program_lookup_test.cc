#include "actions/program_lookup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "action_test_files.h"

namespace vigil::actions {
namespace {

using testing::TempDir;
using testing::WriteScript;

/// Sets PATH for the scope of a test and puts the old value back.
class ScopedPath {
 public:
  explicit ScopedPath(const std::string& value) {
    if (const char* old = std::getenv("PATH")) old_ = old;
    ::setenv("PATH", value.c_str(), 1);
  }
  ~ScopedPath() {
    if (old_) {
      ::setenv("PATH", old_->c_str(), 1);
    } else {
      ::unsetenv("PATH");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(ProgramLookupTest, FindsABareNameInPath) {
  auto path = ResolveProgram("sh");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_TRUE(path->ends_with("/sh")) << *path;
  EXPECT_TRUE(std::filesystem::exists(*path));
}

TEST(ProgramLookupTest, SearchesPathDirectoriesInOrder) {
  TempDir first, second;
  WriteScript(second, "vigil-test-action", "exit 0");
  std::string wanted = WriteScript(first, "vigil-test-action", "exit 0");
  ScopedPath path(first.path().string() + ":" + second.path().string());
  auto found = ResolveProgram("vigil-test-action");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(*found, wanted);
}

TEST(ProgramLookupTest, SkipsNonExecutableCandidates) {
  TempDir first, second;
  std::string not_executable = first / "vigil-test-action";
  std::ofstream(not_executable) << "#!/bin/sh\n";
  std::string wanted = WriteScript(second, "vigil-test-action", "exit 0");
  ScopedPath path(first.path().string() + ":" + second.path().string());
  auto found = ResolveProgram("vigil-test-action");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(*found, wanted);
}

TEST(ProgramLookupTest, PathWithASlashIsUsedAsGiven) {
  TempDir dir;
  std::string script = WriteScript(dir, "ban", "exit 0");
  auto found = ResolveProgram(script);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, script);
}

TEST(ProgramLookupTest, MissingProgramIsNotFound) {
  auto missing = ResolveProgram("vigil-no-such-action-program");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto missing_path = ResolveProgram("/nonexistent/vigil/ban.sh");
  ASSERT_FALSE(missing_path.ok());
  EXPECT_EQ(missing_path.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing_path.status().message().find("/nonexistent/vigil/ban.sh"), std::string::npos);
}

TEST(ProgramLookupTest, RejectsNonExecutablesDirectoriesAndEmptyNames) {
  TempDir dir;
  std::string plain = dir / "plain";
  std::ofstream(plain) << "#!/bin/sh\n";
  EXPECT_EQ(ResolveProgram(plain).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveProgram(dir.path().string()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveProgram("").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::actions
