#pragma once

// The flags of `vigil detect`, how they are registered, and the checks that turn a bad
// combination or value into a usage error (exit 2) before anything is read.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/auth_input.h"

namespace vigil::cli {

/// Auth logs: events per commit. A commit's events go through every rule at once (about 20
/// windowed pipelines), so what a commit allocates is its rows times the rules: 8,192
/// instead of the engine's 65,536 halves the peak RSS of a replayed auth.log at the same
/// speed (docs/PERFORMANCE.md, "Auth logs").
inline constexpr int64_t kDefaultCommitRows = int64_t{1} << 13;
inline constexpr int64_t kMaxCommitRows = int64_t{1} << 24;

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
  std::string format;  ///< Empty: table for login CSV, jsonl for auth logs.
  std::string on_error;  ///< Empty: fail for login CSV, skip (and report) for auth logs.
  std::string dead_letter;
  bool progress = false;
  bool no_progress = false;
  std::vector<std::string> inputs;
  // Live mode.
  std::string follow;  ///< A file, a directory or `-` (stdin), followed live.
  std::string replay;  ///< A finished file run through the live path, as fast as possible.
  std::string emit;  ///< Empty: updates (live); static runs print final results anyway.

  // Auth logs (sshd syslog, journal).
  AuthInputOptions input;
  std::string rules_file;              ///< --rules: the detection rules (TOML).
  bool journal = false;                ///< --journal: read sshd's entries of the journal.
  std::string journal_directory;       ///< --journal-directory: a journal of files.
  std::string cursor_file;             ///< --cursor-file: where the journal position is kept.
  bool journal_once = false;           ///< --journal-once: read to the end, then stop.
  std::vector<std::string> on_alert;   ///< --on-alert PROGRAM [ARGS...].
  std::string action_cooldown_text = "600";
  std::string action_timeout_text = "30";
  int64_t action_cooldown = 600;
  int64_t action_timeout = 30;
  /// --single-commit: a static read of auth logs as one commit, every window kept to the end
  /// (Pathway's static mode) instead of commits with windows closed as the files are read.
  bool single_commit = false;
  std::string commit_rows_text;        ///< --commit-rows; empty: kDefaultCommitRows.
  int64_t commit_rows = 0;             ///< Filled in by ValidateForAuthLog().

  bool live() const { return !follow.empty() || !replay.empty() || journal; }
  bool sliding() const { return hop != window; }
};

/// Registers the flags of `vigil detect` on `cmd`, writing into `options`.
void AddDetectFlags(CLI::App& cmd, DetectOptions& options);

/// Parses the integer flags and checks every combination; on a usage error returns the
/// message to print (without the `vigil detect: ` prefix), else fills the numeric fields.
std::optional<std::string> Validate(DetectOptions& options);

/// The checks that apply only to the login-CSV rule (after the input format is known);
/// also sets the default format (table).
std::optional<std::string> ValidateForCsv(DetectOptions& options);

/// The checks that apply only to auth logs (rules from --rules, alerts as jsonl); also sets
/// the default format (jsonl).
std::optional<std::string> ValidateForAuthLog(DetectOptions& options);

}  // namespace vigil::cli
