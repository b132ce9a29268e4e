#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace vigil::cli {

/// A one-line progress display on stderr: bytes, rows/s and ETA, redrawn at most every
/// 200 ms. Owned by the command's thread.
class ProgressDisplay {
 public:
  ProgressDisplay(bool enabled, uint64_t total_bytes)
      : enabled_(enabled), total_bytes_(total_bytes), start_(Clock::now()), last_(start_) {}
  /// Records the totals so far; redraws when due.
  void Update(uint64_t bytes, uint64_t rows);
  /// Draws the final line and ends it.
  void Finish();

 private:
  using Clock = std::chrono::steady_clock;
  void Draw(bool final_line);

  bool enabled_;
  uint64_t total_bytes_;
  uint64_t bytes_ = 0;
  uint64_t rows_ = 0;
  Clock::time_point start_;
  Clock::time_point last_;
};

}  // namespace vigil::cli
