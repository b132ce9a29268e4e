#include "cli/progress.h"

namespace vigil::cli {

void ProgressDisplay::Update(uint64_t bytes, uint64_t rows) {
  bytes_ = bytes;
  rows_ = rows;
  if (!enabled_) return;
  const auto now = Clock::now();
  if (now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  Draw(false);
}

void ProgressDisplay::Finish() {
  if (!enabled_) return;
  Draw(true);
}

void ProgressDisplay::Draw(bool final_line) {
  const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(rows_) / seconds : 0;
  const double bytes_rate = seconds > 0 ? static_cast<double>(bytes_) / seconds : 0;
  const double mb = static_cast<double>(bytes_) / 1e6;
  const double total_mb = static_cast<double>(total_bytes_) / 1e6;
  if (final_line) {
    std::fprintf(stderr, "\r%.0f MB, %llu rows in %.2f s (%.1f M rows/s)\x1b[K\n", mb,
                 static_cast<unsigned long long>(rows_), seconds, rate / 1e6);
  } else {
    const double eta = bytes_rate > 0 && total_bytes_ > bytes_
                           ? static_cast<double>(total_bytes_ - bytes_) / bytes_rate
                           : 0;
    std::fprintf(stderr, "\r%.0f / %.0f MB  %.1f M rows/s  ETA %.0f s\x1b[K", mb, total_mb,
                 rate / 1e6, eta);
  }
  std::fflush(stderr);
}

}  // namespace vigil::cli
