#pragma once

// The `vigil` command run as a user runs it: a scratch directory per test, files written into
// it, the command's exit code, stdout and stderr.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace vigil {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("vigil_cli_" + std::to_string(::getpid()) + "_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Write(const std::string& name, const std::string& content) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  Outcome Run(const std::string& args) {
    const fs::path out = dir_ / "stdout.txt", err = dir_ / "stderr.txt";
    std::string command = std::string(VIGIL_BIN_DIR) + "/vigil " + args + " > " + out.string() +
                          " 2> " + err.string() + " < /dev/null";
    int status = std::system(command.c_str());
    Outcome o;
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o.out = ReadFile(out);
    o.err = ReadFile(err);
    return o;
  }

  fs::path dir_;
};

inline constexpr const char* kHeader = "username,successful,time,ip_address\n";

/// Rows of `n` failed logins of `ip` starting at `time`, one second apart.
inline std::string Failures(const std::string& ip, int64_t time, int n, const std::string& user = "u") {
  std::string rows;
  for (int i = 0; i < n; ++i) {
    rows += user + ",False," + std::to_string(time + i) + "," + ip + "\n";
  }
  return rows;
}

}  // namespace vigil
