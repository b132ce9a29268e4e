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
                 "count ordered by window_start then key) or jsonl (one object per row)")
      ->check(CLI::IsMember({"table", "csv", "jsonl"}))
      ->capture_default_str();
  cmd.add_option("--on-error", o.on_error,
                 "Bad rows: fail (exit 1 at the first, print no result) or skip (report each "
                 "on stderr, the first 20 then a total, and go on)")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
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
      ->check(CLI::IsMember({"updates", "final"}))
      ->capture_default_str();
  cmd.add_option("--cutoff", o.cutoff_text,
                 "Live: a row counts in a window only if no row read before it has a time at "
                 "or past the window's end + CUTOFF seconds; later rows are ignored for that "
                 "window, whose state is freed (default: the window length)")
      ->type_name("SECONDS");
  cmd.add_option("inputs", o.inputs, "CSV files or directories (read as one table)");
}

std::optional<std::string> Validate(DetectOptions& o) {
  const int sources =
      (o.inputs.empty() ? 0 : 1) + (o.follow.empty() ? 0 : 1) + (o.replay.empty() ? 0 : 1);
  if (sources != 1) {
    return "give input FILEs, or --follow PATH, or --replay FILE (exactly one of them)";
  }
  if (!o.live() && (o.emit != "updates" || !o.cutoff_text.empty())) {
    return "--emit and --cutoff apply to --follow and --replay";
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

}  // namespace vigil::cli
