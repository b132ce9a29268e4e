#include "cli/detect_options.h"

#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "vigil/graph/window.h"


namespace vigil::cli {

namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

/// Parses `text` as a decimal integer in [min, kInt64Max]; `what` describes the unit for the
/// message ("seconds", "failed logins").
std::optional<std::string> ParseInt(const std::string& flag, const std::string& text,
                                    int64_t min, const char* what, int64_t& out) {
  const auto expected = [&] {
    return fmt::format("expected a whole number of {} from {} to {}", what, min, kInt64Max);
  };
  if (text.empty()) return fmt::format("{}: the value is empty ({})", flag, expected());
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec == std::errc::result_out_of_range) {
    return fmt::format("{}: {} is out of range ({})", flag, text, expected());
  }
  if (ec != std::errc() || ptr != end) {
    return fmt::format("{}: '{}' is not a whole number ({})", flag, text, expected());
  }
  if (value < min) return fmt::format("{}: {} is too small ({})", flag, text, expected());
  out = value;
  return std::nullopt;
}

}  // namespace

void AddDetectFlags(CLI::App& cmd, DetectOptions& o) {
  cmd.add_option("--window", o.window_text, "Window length in seconds")
      ->type_name("SECONDS")
      ->capture_default_str();
  cmd.add_option("--hop", o.hop_text,
                 "Start a window every HOP seconds (sliding windows, HOP <= --window); "
                 "default: the window length (tumbling windows)")
      ->type_name("SECONDS");
  cmd.add_option("--threshold", o.threshold_text,
                 "Flag windows with at least this many failed logins")
      ->type_name("N")
      ->capture_default_str();
  cmd.add_option("--by", o.by, "Column to count failures per")->capture_default_str();
  cmd.add_option("--format", o.format,
                 "Output: table (Pathway's printed layout), csv (<by>,window_start,window_end,"
                 "count ordered by window_start then key) or jsonl (one object per row). "
                 "Default: table for login CSV; auth logs print alerts as jsonl (only)")
      ->check(CLI::IsMember({"table", "csv", "jsonl"}));
  cmd.add_option("--on-error", o.on_error,
                 "Bad rows: fail (exit 1 at the first, print no result) or skip (report each "
                 "on stderr, the first 20 then a total, and go on). Default: fail for login "
                 "CSV, skip for auth logs (a malformed sshd line must not stop a detector)")
      ->check(CLI::IsMember({"fail", "skip"}));
  cmd.add_option("--dead-letter", o.dead_letter,
                 "With --on-error skip: write every bad row to this CSV file "
                 "(file,line,reason,record)");
  cmd.add_flag("--progress", o.progress,
               "Show bytes, rows/s and ETA on stderr (default: on when stderr is a terminal "
               "and the input is over 100 MB)");
  cmd.add_flag("--no-progress", o.no_progress, "Never show progress");
  cmd.add_option("--follow", o.follow,
                 "Run live on a file (followed like tail -F: appends, truncation, rotation), "
                 "a directory (new and appended files) or - (stdin), printing each change as "
                 "it happens until the input ends or SIGINT/SIGTERM");
  cmd.add_option("--replay", o.replay,
                 "Run the live path over a finished file as fast as possible (prints what "
                 "--follow would print for the same file)");
  cmd.add_option("--emit", o.emit,
                 "Live: updates (an alert the moment a window reaches the threshold, then its "
                 "updates) or final (each flagged window once, when it closes: window end + "
                 "cutoff)")
      ->check(CLI::IsMember({"updates", "final"}));
  cmd.add_option("--cutoff", o.cutoff_text,
                 "Live: a row counts in a window only if no row read before it has a time at "
                 "or past the window's end + CUTOFF seconds; later rows are ignored for that "
                 "window, whose state is freed (default: the window length)")
      ->type_name("SECONDS");
  cmd.add_option("inputs", o.inputs,
                 "Login CSV files or directories (read as one table), or auth logs: sshd "
                 "syslog files (gzip-rotated ones too, read oldest first) or journalctl -o "
                 "json output");
  AddAuthInputFlags(cmd, o.input, /*allow_csv=*/true);
  cmd.add_option("--rules", o.rules_file,
                 "Auth logs: the detection rules file (TOML; see src/rules/default_rules.toml "
                 "for every knob and its default)")
      ->type_name("FILE");
  cmd.add_flag("--journal", o.journal,
               "Read sshd's entries of the systemd journal (live: new entries as they come)");
  cmd.add_option("--journal-directory", o.journal_directory,
                 "With --journal: a directory of journal files instead of the system journal")
      ->type_name("DIR");
  cmd.add_option("--cursor-file", o.cursor_file,
                 "With --journal: keep the journal position in this file, and start after it")
      ->type_name("FILE");
  cmd.add_flag("--journal-once", o.journal_once,
               "With --journal: read the entries there are, then stop");
  cmd.add_option("--on-alert", o.on_alert,
                 "Auth logs: run PROGRAM [ARGS...] for each new alert (never through a shell): "
                 "the alert as JSON on its stdin, its fields in VIGIL_* environment variables; "
                 "end the arguments with -- when input files follow")
      ->expected(1, -1)
      ->type_name("PROGRAM [ARGS...]");
  cmd.add_option("--action-cooldown", o.action_cooldown_text,
                 "Run --on-alert at most once per (rule, key) in this many seconds (0: every "
                 "alert)")
      ->type_name("SECONDS")
      ->capture_default_str();
  cmd.add_flag("--single-commit", o.single_commit,
               "Auth logs, static: read the files as one commit and keep every window to the "
               "end (no first pass over the files; memory grows with the input). By default "
               "a first pass measures how far out of time order the events come, and windows "
               "close while the files are read (the same alerts, flat memory)");
  cmd.add_option("--commit-rows", o.commit_rows_text,
                 "Auth logs: events per commit, static (without --single-commit) and live "
                 "(default 8192; fewer: less memory, more per-commit work)")
      ->type_name("N");
  cmd.add_option("--action-timeout", o.action_timeout_text,
                 "Stop an --on-alert run after this many seconds")
      ->type_name("SECONDS")
      ->capture_default_str();
}

std::optional<std::string> Validate(DetectOptions& o) {
  const int sources = (o.inputs.empty() ? 0 : 1) + (o.follow.empty() ? 0 : 1) +
                      (o.replay.empty() ? 0 : 1) + (o.journal ? 1 : 0);
  if (sources != 1) {
    return "give input FILEs, or --follow PATH, or --replay FILE, or --journal (exactly one "
           "of them)";
  }
  if (!o.journal &&
      (!o.journal_directory.empty() || !o.cursor_file.empty() || o.journal_once)) {
    return "--journal-directory, --cursor-file and --journal-once apply to --journal";
  }
  if (!o.dead_letter.empty() && o.on_error != "skip") {
    return "--dead-letter needs --on-error skip (with --on-error fail the first bad row stops "
           "the run)";
  }
  if (auto e = ParseInt("--window", o.window_text, 1, "seconds", o.window)) return e;
  o.hop = o.window;
  if (!o.hop_text.empty()) {
    if (auto e = ParseInt("--hop", o.hop_text, 1, "seconds", o.hop)) return e;
    if (o.hop > o.window) {
      return fmt::format("--hop {} is longer than --window {}: failures between two windows "
                         "would be counted in none",
                         o.hop, o.window);
    }
    // Each row is in about window/hop windows: bounded, so that no row can make the engine
    // allocate without limit.
    const int64_t per_row = o.window / o.hop + (o.window % o.hop != 0 ? 1 : 0);
    if (per_row > kMaxWindowsPerRow) {
      return fmt::format("--window {} / --hop {} puts each row in {} windows; at most {} are "
                         "allowed (use a longer hop)",
                         o.window, o.hop, per_row, kMaxWindowsPerRow);
    }
  }
  if (auto e = ParseInt("--threshold", o.threshold_text, 1, "failed logins", o.threshold)) {
    return e;
  }
  o.cutoff = o.window;
  if (!o.cutoff_text.empty()) {
    if (auto e = ParseInt("--cutoff", o.cutoff_text, 0, "seconds", o.cutoff)) return e;
  }
  if (auto e = ParseInt("--action-cooldown", o.action_cooldown_text, 0, "seconds",
                        o.action_cooldown)) {
    return e;
  }
  if (auto e = ParseInt("--action-timeout", o.action_timeout_text, 1, "seconds",
                        o.action_timeout)) {
    return e;
  }
  if (o.by.empty()) return "--by: the column name is empty";
  for (const char* output : {"window_start", "window_end", "count"}) {
    if (o.by == output) {
      return fmt::format("--by {}: the output already has a column of that name (the output "
                         "columns are <by>,window_start,window_end,count)",
                         o.by);
    }
  }
  return std::nullopt;
}

std::optional<std::string> ValidateForCsv(DetectOptions& o) {
  if (!o.live() && (!o.emit.empty() || !o.cutoff_text.empty())) {
    return "--emit and --cutoff apply to --follow and --replay";
  }
  if (o.emit.empty()) o.emit = "updates";
  if (o.format.empty()) o.format = "table";
  if (o.on_error.empty()) o.on_error = "fail";
  for (const auto& [flag, given] :
       {std::pair<const char*, bool>{"--rules", !o.rules_file.empty()},
        {"--single-commit", o.single_commit}, {"--commit-rows", !o.commit_rows_text.empty()},
        {"--on-alert", !o.on_alert.empty()}, {"--journal", o.journal},
        {"--year", !o.input.year_text.empty()}, {"--utc-offset", !o.input.utc_offset_text.empty()}}) {
    if (given) return fmt::format("{} applies to auth logs, not to login CSV input", flag);
  }
  return std::nullopt;
}

std::optional<std::string> ValidateForAuthLog(DetectOptions& o) {
  if (o.format.empty()) o.format = "jsonl";
  if (o.format != "jsonl") {
    return fmt::format("--format {}: alerts of auth logs are printed as jsonl (one JSON object "
                       "per alert); table and csv are for login CSV input",
                       o.format);
  }
  if (o.emit.empty()) o.emit = o.live() ? "updates" : "final";
  if (o.on_error.empty()) o.on_error = "skip";
  if (!o.hop_text.empty()) return "--hop applies to login CSV input (rules set their windows)";
  if (o.by != "ip_address") {
    return "--by applies to login CSV input (the auth-log rules key by source address, prefix "
           "or target)";
  }
  if (!o.dead_letter.empty()) return "--dead-letter applies to login CSV input";
  if (o.single_commit && o.live()) {
    return "--single-commit applies to static reads of auth log files";
  }
  o.commit_rows = kDefaultCommitRows;
  if (!o.commit_rows_text.empty() &&
      (ParseInt("--commit-rows", o.commit_rows_text, 1, "events", o.commit_rows) ||
       o.commit_rows > kMaxCommitRows)) {
    return fmt::format("--commit-rows: '{}' is not a whole number of events from 1 to {}",
                       o.commit_rows_text, kMaxCommitRows);
  }
  return std::nullopt;
}

}  // namespace vigil::cli
