// `vigil detect`: the seed pipeline (failed logins per key in tumbling or sliding windows,
// flag windows at or above a threshold) over login CSV files, through the engine's general
// path: io::csv::read → with_columns → filter → select → windowby → reduce → filter.

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <optional>
#include <span>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include "cli/auth_detect_command.h"
#include "cli/auth_input.h"
#include "cli/commands.h"
#include "cli/detect_options.h"
#include "cli/detect_output.h"
#include "cli/live_alert_printer.h"
#include "cli/output_file.h"
#include "cli/progress.h"
#include "connectors/output/csv_writer.h"
#include "connectors/output/table_printer.h"
#include "connectors/output/value_text.h"
#include "vigil/vigil.h"

namespace vigil::cli {

namespace {

/// Total size of the inputs (files, or files under directories), for progress and ETA.
uint64_t InputBytes(const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& input : inputs) {
    if (fs::is_directory(input, ec)) {
      for (auto it = fs::recursive_directory_iterator(input, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) total += it->file_size(ec);
      }
    } else if (fs::is_regular_file(input, ec)) {
      total += fs::file_size(input, ec);
    }
  }
  return total;
}

/// Writes one dead-letter line per bad row: `file,line,reason,record` (a CSV file itself).
class DeadLetterFile {
 public:
  explicit DeadLetterFile(const std::string& path) : file_(path) {
    file_.Write("file,line,reason,record\n");
  }
  void Write(const DataError& e) {
    line_.clear();
    AppendCsvField(line_, e.file);
    line_ += fmt::format(",{},", e.line);
    AppendCsvField(line_, FormatDataError(e));
    line_.push_back(',');
    AppendCsvField(line_, e.record);
    line_.push_back('\n');
    file_.Write(line_);
  }
  OutputFile& file() { return file_; }

 private:
  OutputFile file_;
  std::string line_;
};

/// Prints `N rows read, M bad rows skipped (see FILE)` when rows were skipped.
void PrintSkippedSummary(const DetectOptions& o, uint64_t rows_read, uint64_t bad_rows) {
  if (bad_rows == 0) return;
  std::fprintf(stderr, "vigil detect: %llu rows read, %llu bad rows skipped%s\n",
               static_cast<unsigned long long>(rows_read),
               static_cast<unsigned long long>(bad_rows),
               o.dead_letter.empty() ? "" : fmt::format(" (see {})", o.dead_letter).c_str());
}

/// Reports a failed write of the results (exit 1): nothing may be lost silently.
int ReportOutputError(const OutputFile& out) {
  std::fprintf(stderr, "vigil detect: %s\n", out.ErrorMessage().c_str());
  return 1;
}

int ServeLive(const DetectOptions& o, const Table& flagged, RunOptions run_options,
              const std::vector<std::pair<uint64_t, uint64_t>>& per_input,
              const uint64_t& bad_rows, OutputFile& out) {
  ClearOutputs();
  LiveAlertPrinter printer(o, out);
  io::subscribe(
      flagged,
      [&printer](const Key&, std::span<const Value> row, Time time, bool is_addition) {
        printer.OnChange(row, time, is_addition);
      },
      [&printer](Time) { printer.OnTimeEnd(); });
  Status status = run(run_options);
  printer.Flush();
  ClearOutputs();
  if (out.failed()) return ReportOutputError(out);
  if (!status.ok()) {
    std::fprintf(stderr, "vigil detect: %s\n", status.message().c_str());
    return 1;
  }
  PrintSkippedSummary(o, per_input[0].second, bad_rows);
  return 0;
}

/// One flagged window of a static run, owned (the engine's values are views that live only
/// during the callback): the key (a string, or a scalar value: --by time/successful) and the
/// window's numbers. Compact, so a million flagged windows cost tens of megabytes.
struct FlaggedWindow {
  std::string key_text;  ///< String keys.
  Value key_scalar;      ///< Other keys (ints, bools: no heap).
  int64_t start = 0, end = 0, count = 0;
  Value key() const {
    return key_scalar.kind() == ValueKind::kNone ? Value::String(key_text) : key_scalar;
  }
};

/// Runs the static pipeline and returns its final flagged windows ordered by window start,
/// then key. Rows arrive as changes (a window's count may be retracted and inserted again
/// across commits): the last insertion of each row id wins, a retraction removes it.
Result<std::vector<FlaggedWindow>> CollectFlaggedWindows(const Table& flagged,
                                                         const RunOptions& run_options) {
  absl::flat_hash_map<Key, FlaggedWindow> by_id;
  ClearOutputs();
  io::subscribe(flagged, [&by_id](const Key& id, std::span<const Value> row, Time,
                                  bool is_addition) {
    if (!is_addition) {
      by_id.erase(id);
      return;
    }
    FlaggedWindow& w = by_id[id];
    if (row[0].kind() == ValueKind::kString) {
      w.key_text.assign(row[0].as_string());
      w.key_scalar = Value::None();
    } else {
      w.key_scalar = row[0];
    }
    w.start = row[1].as_int();
    w.end = row[2].as_int();
    w.count = row[3].as_int();
  });
  Status status = run(run_options);
  ClearOutputs();
  RETURN_NOT_OK(status);
  std::vector<FlaggedWindow> rows;
  rows.reserve(by_id.size());
  for (auto& [id, w] : by_id) rows.push_back(std::move(w));
  std::sort(rows.begin(), rows.end(), [](const FlaggedWindow& a, const FlaggedWindow& b) {
    if (a.start != b.start) return a.start < b.start;
    return CompareValues(a.key(), b.key()) < 0;
  });
  return rows;
}

/// The static answer as csv or jsonl: every flagged window, ordered by window start, then key.
std::string FormatFlaggedWindows(const DetectOptions& o, const std::vector<FlaggedWindow>& rows) {
  const OutputFormat format = ParseOutputFormat(o.format);
  std::string out;
  if (format == OutputFormat::kCsv) AppendCsvHeader(out, o.by, /*with_time_and_diff=*/false);
  for (const FlaggedWindow& w : rows) {
    const WindowRow row{w.key(), w.start, w.end, w.count};
    if (format == OutputFormat::kCsv) {
      AppendCsvRow(out, row, /*with_time_and_diff=*/false);
    } else {
      AppendJsonRow(out, o.by, row, /*with_time_and_diff=*/false);
    }
  }
  return out;
}

int RunDetect(DetectOptions& o) {
  if (auto usage = Validate(o)) {
    std::fprintf(stderr, "vigil detect: %s\n", usage->c_str());
    return 2;
  }
  // Auth logs (sshd syslog, journal JSON, the journal) go through the rules; login CSV
  // through the tutorial's rule below.
  syslog::LogFormat input_format = syslog::LogFormat::kSyslog;
  if (!o.journal) {
    auto resolved =
        ResolveInputFormat(o.input, o.inputs, !o.follow.empty() ? o.follow : o.replay);
    if (!resolved.ok()) {
      std::fprintf(stderr, "vigil detect: %s\n", resolved.status().message().c_str());
      return 2;
    }
    input_format = *resolved;
  }
  if (o.journal || input_format != syslog::LogFormat::kCsv) {
    if (auto usage = ValidateForAuthLog(o)) {
      std::fprintf(stderr, "vigil detect: %s\n", usage->c_str());
      return 2;
    }
    return RunAuthDetect(o, input_format);
  }
  if (auto usage = ValidateForCsv(o)) {
    std::fprintf(stderr, "vigil detect: %s\n", usage->c_str());
    return 2;
  }
  // Only the columns the pipeline needs are parsed; the others are skipped by the reader.
  Schema schema{{"successful", dtype::Str}, {"time", dtype::Int}};
  if (!schema.Find(o.by)) schema.Add({o.by, dtype::Str});

  const uint64_t total_bytes = InputBytes(o.inputs);
  const bool show_progress =
      !o.no_progress && (o.progress || (isatty(STDERR_FILENO) && total_bytes > 100'000'000));
  ProgressDisplay progress(show_progress, total_bytes);
  std::vector<std::pair<uint64_t, uint64_t>> per_input(o.inputs.size());  // bytes, rows

  std::optional<Table> logins;
  if (o.live()) {
    io::csv::ReadOptions read_options;
    read_options.stop_at_end = !o.replay.empty();
    // A followed directory of logs keeps the rows of rotated-away files (log semantics, flat
    // memory), unlike Pathway's default of retracting them.
    read_options.retract_changed_files = false;
    read_options.on_progress = [&per_input](uint64_t bytes, uint64_t rows) {
      per_input[0] = {bytes, rows};
    };
    per_input.resize(1);
    logins = io::csv::read(!o.replay.empty() ? o.replay : o.follow, schema,
                           io::Mode::kStreaming, read_options);
  }
  for (size_t i = 0; i < o.inputs.size(); ++i) {
    io::csv::ReadOptions read_options;
    read_options.on_progress = [&per_input, &progress, i](uint64_t bytes, uint64_t rows) {
      per_input[i] = {bytes, rows};
      uint64_t all_bytes = 0, all_rows = 0;
      for (const auto& [b, r] : per_input) {
        all_bytes += b;
        all_rows += r;
      }
      progress.Update(all_bytes, all_rows);
    };
    Table t = io::csv::read(o.inputs[i], schema, io::Mode::kStatic, read_options);
    logins = logins ? logins->concat(t) : t;
  }

  // The tutorial's pipeline: success only when `successful` is exactly "True".
  Table failed = logins->with_columns({{"successful", this_["successful"] == "True"}})
                     .filter(~this_["successful"]);
  // The key goes into windowby under a name of the CLI's own, so a CSV column of any name
  // (even one like the windowby's internal `_pw_window_end`) is only ever the key.
  Table keyed = failed.select({{"key", this_[o.by]}, {"time", this_["time"]}});
  const Window window =
      o.sliding() ? temporal::sliding(o.hop, o.window) : temporal::tumbling(o.window);
  // Live: --cutoff bounds how late a row may come and frees finished windows (flat memory);
  // --emit final emits each window once, when it can no longer change.
  // The cutoff runs on the reading-order clock: whether a row is late depends only on the
  // rows before it in the input, never on how the input was cut into commits, so --replay
  // prints what --follow prints for the same file (docs/cli.md, "Late rows").
  std::optional<Behavior> behavior;
  if (o.live()) {
    behavior = o.emit == "final" ? temporal::exactly_once_behavior(o.cutoff)
                                 : temporal::common_behavior(std::nullopt, o.cutoff);
    behavior->cutoff_clock = Behavior::CutoffClock::kReadingOrder;
  }
  Table flagged = keyed.windowby(this_["time"], window, this_["key"], behavior)
                      .reduce({{o.by, this_["_pw_instance"]},
                               {"window_start", this_["_pw_window_start"]},
                               {"window_end", this_["_pw_window_end"]},
                               {"count", reducers::count()}})
                      .filter(this_["count"] >= o.threshold);

  std::optional<DeadLetterFile> dead_letter;
  RunOptions run_options;
  run_options.on_bad_row = o.on_error == "skip" ? OnBadRow::kSkip : OnBadRow::kFail;
  run_options.echo_errors = o.on_error == "skip";
  // A clean stop (SIGINT/SIGTERM) ends the input: windows still open are emitted with the
  // counts they have, so no alert that reached the threshold is lost (--emit final).
  run_options.flush_on_stop = true;
  if (!o.dead_letter.empty()) {
    dead_letter.emplace(o.dead_letter);
    if (dead_letter->file().failed()) return ReportOutputError(dead_letter->file());
    run_options.on_data_error = [&dead_letter](const DataError& e) { dead_letter->Write(e); };
  }
  uint64_t bad_rows = 0;
  auto user_listener = run_options.on_data_error;
  run_options.on_data_error = [&bad_rows, user_listener](const DataError& e) {
    if (e.row_skipped) ++bad_rows;
    if (user_listener) user_listener(e);
  };
  // A dead-letter file that cannot take every bad row loses rows: that fails the run too.
  const auto dead_letter_failed = [&dead_letter]() {
    return dead_letter && !dead_letter->file().Close();
  };

  OutputFile out(stdout, "standard output");
  if (o.live()) {
    const int code = ServeLive(o, flagged, run_options, per_input, bad_rows, out);
    if (dead_letter_failed()) return ReportOutputError(dead_letter->file());
    return code;
  }

  std::string result;
  Status status;
  if (ParseOutputFormat(o.format) == OutputFormat::kTable) {
    // Pathway's printed table needs the row ids and the engine's own formatting.
    auto captured = debug::Capture(flagged, run_options);
    status = captured.status();
    if (captured.ok()) result = FormatTable(captured->columns, captured->updates, PrintOptions{});
  } else {
    auto windows = CollectFlaggedWindows(flagged, run_options);
    status = windows.status();
    if (windows.ok()) result = FormatFlaggedWindows(o, *windows);
  }
  progress.Finish();
  if (dead_letter_failed()) return ReportOutputError(dead_letter->file());
  if (!status.ok()) {
    std::fprintf(stderr, "vigil detect: %s\n", status.message().c_str());
    return 1;
  }
  out.Write(result);
  if (!out.Flush()) return ReportOutputError(out);
  uint64_t rows_read = 0;
  for (const auto& [b, r] : per_input) rows_read += r;
  PrintSkippedSummary(o, rows_read, bad_rows);
  return 0;
}

}  // namespace

void AddDetectCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DetectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "detect",
      "Flag attacks in login streams.\n"
      "Auth logs (sshd's syslog lines, gzip-rotated files, journalctl -o json, --journal):\n"
      "every rule of the rules file (brute_force, slow_brute_force, spraying, distributed,\n"
      "success_after_failures, scan) over sshd's authentication attempts; one JSON object\n"
      "per alert.\n"
      "Login CSV files (username,successful,time,ip_address; any order, extra columns\n"
      "ignored; a login succeeded only when `successful` is exactly `True`): keys (by default\n"
      "IP addresses) with too many failed logins in a time window, one row per flagged\n"
      "window.");
  AddDetectFlags(*cmd, *options);
  cmd->callback([options, &exit_code] { exit_code = RunDetect(*options); });
}

}  // namespace vigil::cli
