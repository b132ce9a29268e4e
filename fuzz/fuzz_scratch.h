#pragma once

// Scratch files for fuzz targets that must read real files (readers keyed by path).

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "vigil/common/check.h"

namespace vigil::fuzz {

/// The scratch directory of this process, `<parent>/<prefix><pid>` (in memory when /dev/shm
/// exists). Keep `prefix` short, so that paths under it can be short too. libFuzzer ends with
/// _Exit, so at-exit cleanup never runs: instead each process removes the directories of
/// processes with the same prefix that no longer exist when it starts.
inline const std::filesystem::path& ScratchDir(std::string_view prefix) {
  namespace fs = std::filesystem;
  static const fs::path dir = [prefix] {
    const fs::path parent =
        fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::error_code error;
    for (const fs::directory_entry& entry : fs::directory_iterator(parent, error)) {
      const std::string name = entry.path().filename().string();
      if (!name.starts_with(prefix)) continue;
      const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
      if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
        fs::remove_all(entry.path(), error);
      }
    }
    fs::path d = parent / (std::string(prefix) + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

inline void WriteFile(const std::string& path, std::string_view content) {
  FILE* f = std::fopen(path.c_str(), "wb");
  VIGIL_CHECK(f != nullptr);
  VIGIL_CHECK_EQ(std::fwrite(content.data(), 1, content.size(), f), content.size());
  VIGIL_CHECK_EQ(std::fclose(f), 0);
}

}  // namespace vigil::fuzz
