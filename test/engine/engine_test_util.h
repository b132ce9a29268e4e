#pragma once

// Helpers shared by the engine tests: runs that keep Error values instead of failing, the
// status of a run, and temporary files.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "connectors/debug.h"
#include "golden.h"

namespace vigil::engine_test {

/// Options of a run that prints nothing to stderr.
inline RunOptions QuietOptions(bool terminate_on_error = true) {
  RunOptions options;
  options.terminate_on_error = terminate_on_error;
  options.echo_errors = false;
  return options;
}

/// Final rows (as testing::RowsText) of a run with terminate_on_error=false, where runtime
/// errors leave Error values in the rows instead of failing the run.
inline std::vector<std::string> RowsKeepingErrors(const Table& table) {
  auto captured = debug::Capture(table, QuietOptions(/*terminate_on_error=*/false));
  EXPECT_TRUE(captured.ok()) << captured.status().ToString();
  if (!captured.ok()) return {};
  return testing::RowsText(captured->updates);
}

/// The status of computing `table` with default options (terminate_on_error=true).
inline Status RunStatus(const Table& table) {
  auto captured = debug::Capture(table, QuietOptions());
  return captured.status();
}

/// A path in the test's temporary directory, unique per test and `name`.
inline std::string TempPath(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string path = ::testing::TempDir();
  if (!path.empty() && path.back() != '/') path += '/';
  return path + "vigil_engine_" + info->test_suite_name() + "_" + info->name() + "_" + name;
}

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The lines of `text` (without their `\n`).
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

}  // namespace vigil::engine_test
