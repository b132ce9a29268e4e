#pragma once

// Temporary directories, action scripts and small waits shared by the actions tests.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "actions/action_alert.h"

namespace vigil::actions::testing {

/// A fresh directory under the system's temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vigil-actions-XXXXXX");
    char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// Writes an executable `#!/bin/sh` script. The action may be a script; Vigil never runs a
/// shell itself, the kernel runs the interpreter the script names.
inline std::string WriteScript(const TempDir& dir, const std::string& name,
                               const std::string& body) {
  std::string path = dir / name;
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), 0755);
  return path;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

inline std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline bool Exists(const std::string& path) { return std::filesystem::exists(path); }

/// Waits until `done()` holds, checking every few milliseconds, for at most `bound` (a
/// generous bound for something to happen, never an assertion on speed).
inline bool WaitUntil(const std::function<bool()>& done,
                      std::chrono::milliseconds bound = std::chrono::seconds(10)) {
  auto give_up = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

/// True when `pid` is gone or a zombie (a zombie of init's: no longer running, not ours).
inline bool ProcessIsDead(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return true;
  std::size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

/// A valid alert for `rule` on `key`, with a JSON line that names it.
inline ActionAlert MakeAlert(const std::string& rule, const std::string& key) {
  ActionAlert alert;
  alert.rule = rule;
  alert.severity = "high";
  alert.key = key;
  alert.ips = {key};
  alert.count = 5;
  alert.window_start = "2024-03-29T23:18:00Z";
  alert.window_end = "2024-03-29T23:19:00Z";
  alert.first_seen = "2024-03-29T23:18:03Z";
  alert.last_seen = "2024-03-29T23:18:41Z";
  alert.json = "{\"rule\":\"" + rule + "\",\"ip\":\"" + key + "\"}";
  return alert;
}

}  // namespace vigil::actions::testing
