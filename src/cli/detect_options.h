#pragma once

// The flags of `vigil detect`, how they are registered, and the checks that turn a bad
// combination or value into a usage error (exit 2) before anything is read.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace vigil::cli {

struct DetectOptions {
  // Integer flags are taken as text and parsed strictly by Validate(): CLI11's conversion
  // clamps out-of-range numbers and accepts `1e12`, and a detector must not quietly run with a
  // window other than the one asked for.
  std::string window_text = "60";
  std::string hop_text;        ///< Empty: tumbling (hop = window).
  std::string threshold_text = "5";
  std::string cutoff_text;     ///< Empty: the window length.

  // Filled in by Validate().
  int64_t window = 60;
  int64_t hop = 60;
  int64_t threshold = 5;
  int64_t cutoff = 60;

  std::string by = "ip_address";
  std::string format = "table";
  std::string on_error = "fail";
  std::string dead_letter;
  bool progress = false;
  bool no_progress = false;
  std::vector<std::string> inputs;
  // Live mode.
  std::string follow;  ///< A file, a directory or `-` (stdin), followed live.
  std::string replay;  ///< A finished file run through the live path, as fast as possible.
  std::string emit = "updates";

  bool live() const { return !follow.empty() || !replay.empty(); }
  bool sliding() const { return hop != window; }
};

/// Registers the flags of `vigil detect` on `cmd`, writing into `options`.
void AddDetectFlags(CLI::App& cmd, DetectOptions& options);

/// Parses the integer flags and checks every combination; on a usage error returns the
/// message to print (without the `vigil detect: ` prefix), else fills the numeric fields.
std::optional<std::string> Validate(DetectOptions& options);

}  // namespace vigil::cli
