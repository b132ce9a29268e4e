// `vigil detect`: the seed pipeline (failed logins per key in tumbling or sliding windows,
// flag windows at or above a threshold) over login CSV files, through the engine's general
// path: io::csv::read → with_columns → filter → windowby → reduce → filter.

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <map>
#include <set>
#include <span>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "connectors/output/csv_writer.h"
#include "connectors/output/table_printer.h"
#include "connectors/output/value_text.h"
#include "vigil/vigil.h"

namespace vigil::cli {

namespace {

struct DetectOptions {
  int64_t window = 60;
  int64_t hop = 0;  ///< 0: tumbling (hop = window).
  int64_t threshold = 5;
  std::string by = "ip_address";
  std::string format = "table";
  std::string on_error = "fail";
  std::string dead_letter;
  bool progress = false;
  bool no_progress = false;
  std::vector<std::string> inputs;
  // Live mode.
  std::string follow;   ///< A file, a directory or `-` (stdin), followed live.
  std::string replay;   ///< A finished file run through the live path, as fast as possible.
  std::string emit = "updates";
  int64_t cutoff = -1;  ///< Seconds of lateness accepted; -1: the window length.
  bool live() const { return !follow.empty() || !replay.empty(); }
};

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
  Status Open(const std::string& path) {
    file_ = std::fopen(path.c_str(), "w");
    if (file_ == nullptr) {
      return Status::IoError("cannot open dead-letter file {}: {}", path, std::strerror(errno));
    }
    std::fputs("file,line,reason,record\n", file_);
    return Status::OK();
  }
  void Write(const DataError& e) {
    if (file_ == nullptr) return;
    std::string line;
    AppendCsvField(line, e.file);
    line += fmt::format(",{},", e.line);
    AppendCsvField(line, FormatDataError(e));
    line.push_back(',');
    AppendCsvField(line, e.record);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), file_);
  }
  ~DeadLetterFile() {
    if (file_ != nullptr) std::fclose(file_);
  }

 private:
  std::FILE* file_ = nullptr;
};

/// Prints the live output of `vigil detect --follow/--replay` as changes happen: one line per
/// change, flushed at the end of every commit so an alert is on stdout within milliseconds.
class LiveAlertPrinter {
 public:
  explicit LiveAlertPrinter(const DetectOptions& o)
      : o_(o), cutoff_(o.cutoff >= 0 ? o.cutoff : o.window) {
    if (o_.format == "csv") {
      AppendCsvField(out_, o_.by);
      out_ += ",window_start,window_end,count,time,diff\n";
    }
  }
  /// Buffers the changes of one commit (called per change, then OnTimeEnd).
  void OnChange(std::span<const Value> row, Time time, bool is_addition) {
    changes_.push_back({std::string(row[0].as_string()), row[1].as_int(), row[2].as_int(),
                        row[3].as_int(), time, is_addition});
  }
  void OnTimeEnd() {
    // Retractions first: a count going from 5 to 6 is (-5, +6) in one commit, and the window
    // stays flagged throughout (no second alert).
    std::stable_sort(changes_.begin(), changes_.end(),
                     [](const Change& a, const Change& b) { return !a.added && b.added; });
    for (const Change& c : changes_) Print(c);
    changes_.clear();
    Flush();
  }
  void Flush() {
    if (!out_.empty()) {
      std::fwrite(out_.data(), 1, out_.size(), stdout);
      out_.clear();
    }
    std::fflush(stdout);
  }

 private:
  struct Change {
    std::string key;
    int64_t start, end, count;
    Time time;
    bool added;
  };
  void Print(const Change& c) {
    if (o_.format == "jsonl") {
      out_ += "{";
      AppendJsonString(out_, o_.by);
      out_ += ":";
      AppendJsonString(out_, c.key);
      out_ += fmt::format(",\"window_start\":{},\"window_end\":{},\"count\":{},\"time\":{},"
                          "\"diff\":{}}}\n",
                          c.start, c.end, c.count, c.time, c.added ? 1 : -1);
      return;
    }
    if (o_.format == "csv") {
      AppendCsvField(out_, c.key);
      out_ += fmt::format(",{},{},{},{},{}\n", c.start, c.end, c.count, c.time,
                          c.added ? 1 : -1);
      return;
    }
    // Alert lines: one per window when it first reaches the threshold.
    auto& live_rows = flagged_[{c.key, c.start}];
    live_rows += c.added ? 1 : -1;
    if (c.added && live_rows == 1 && alerted_.insert({c.key, c.start}).second) {
      out_ += fmt::format("ALERT {} {} failed logins in [{}, {})\n", c.key, c.count, c.start,
                          c.end);
    }
    if (live_rows == 0) flagged_.erase({c.key, c.start});
    // Windows long closed cannot come back (the cutoff dropped their state): forget them.
    latest_start_ = std::max(latest_start_, c.start);
    if (alerted_.size() > 4096) {
      const int64_t horizon = latest_start_ - 4 * (c.end - c.start) - cutoff_;
      std::erase_if(alerted_, [&](const auto& k) { return k.second < horizon; });
    }
  }

  const DetectOptions& o_;
  int64_t cutoff_;
  std::string out_;
  std::vector<Change> changes_;
  std::map<std::pair<std::string, int64_t>, int64_t> flagged_;
  std::set<std::pair<std::string, int64_t>> alerted_;
  int64_t latest_start_ = INT64_MIN;
};

int ServeLive(const DetectOptions& o, const Table& flagged, RunOptions run_options,
              const std::vector<std::pair<uint64_t, uint64_t>>& per_input,
              const uint64_t& bad_rows) {
  ClearOutputs();
  LiveAlertPrinter printer(o);
  io::subscribe(
      flagged,
      [&printer](const Key&, std::span<const Value> row, Time time, bool is_addition) {
        printer.OnChange(row, time, is_addition);
      },
      [&printer](Time) { printer.OnTimeEnd(); });
  Status status = run(run_options);
  printer.Flush();
  ClearOutputs();
  if (!status.ok()) {
    std::fprintf(stderr, "vigil detect: %s\n", status.message().c_str());
    return 1;
  }
  if (bad_rows > 0) {
    std::fprintf(stderr, "vigil detect: %llu rows read, %llu bad rows skipped%s\n",
                 static_cast<unsigned long long>(per_input[0].second),
                 static_cast<unsigned long long>(bad_rows),
                 o.dead_letter.empty() ? "" : fmt::format(" (see {})", o.dead_letter).c_str());
  }
  return 0;
}

int RunDetect(const DetectOptions& o) {
  if (o.window <= 0 || o.hop < 0 || o.threshold < 1) {
    std::fprintf(stderr, "vigil detect: --window and --hop must be positive, --threshold >= 1\n");
    return 2;
  }
  const int sources = (o.inputs.empty() ? 0 : 1) + (o.follow.empty() ? 0 : 1) +
                      (o.replay.empty() ? 0 : 1);
  if (sources != 1) {
    std::fprintf(stderr, "vigil detect: give input FILEs, or --follow PATH, or --replay FILE "
                         "(exactly one of them)\n");
    return 2;
  }
  if (!o.live() && (o.emit != "updates" || o.cutoff >= 0)) {
    std::fprintf(stderr, "vigil detect: --emit and --cutoff apply to --follow and --replay\n");
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
    logins = io::csv::read(o.live() && !o.replay.empty() ? o.replay : o.follow, schema,
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
  const Window window = o.hop == 0 || o.hop == o.window
                            ? temporal::tumbling(o.window)
                            : temporal::sliding(o.hop, o.window);
  // Live: --cutoff bounds how late a row may come and frees finished windows (flat memory);
  // --emit final emits each window once, when it can no longer change.
  std::optional<Behavior> behavior;
  if (o.live()) {
    const int64_t cutoff = o.cutoff >= 0 ? o.cutoff : o.window;
    behavior = o.emit == "final" ? temporal::exactly_once_behavior(cutoff)
                                 : temporal::common_behavior(std::nullopt, cutoff);
  }
  Table flagged = failed.windowby(this_["time"], window, this_[o.by], behavior)
                      .reduce({{o.by, this_["_pw_instance"]},
                               {"window_start", this_["_pw_window_start"]},
                               {"window_end", this_["_pw_window_end"]},
                               {"count", reducers::count()}})
                      .filter(this_["count"] >= o.threshold);

  DeadLetterFile dead_letter;
  RunOptions run_options;
  run_options.on_bad_row = o.on_error == "skip" ? OnBadRow::kSkip : OnBadRow::kFail;
  run_options.echo_errors = o.on_error == "skip";
  if (!o.dead_letter.empty()) {
    Status opened = dead_letter.Open(o.dead_letter);
    if (!opened.ok()) {
      std::fprintf(stderr, "vigil detect: %s\n", opened.message().c_str());
      return 1;
    }
    run_options.on_data_error = [&dead_letter](const DataError& e) { dead_letter.Write(e); };
  }
  uint64_t bad_rows = 0;
  auto user_listener = run_options.on_data_error;
  run_options.on_data_error = [&bad_rows, user_listener](const DataError& e) {
    if (e.row_skipped) ++bad_rows;
    if (user_listener) user_listener(e);
  };

  if (o.live()) return ServeLive(o, flagged, run_options, per_input, bad_rows);

  auto captured = debug::Capture(flagged, run_options);
  progress.Finish();
  if (!captured.ok()) {
    std::fprintf(stderr, "vigil detect: %s\n", captured.status().message().c_str());
    return 1;
  }

  std::vector<Update> rows = FinalState(captured->updates);
  // One row per flagged window, ordered by window start, then key.
  std::sort(rows.begin(), rows.end(), [](const Update& a, const Update& b) {
    auto c = CompareValues(a.row[1].get(), b.row[1].get());
    if (c != 0) return c < 0;
    return CompareValues(a.row[0].get(), b.row[0].get()) < 0;
  });
  std::string out;
  if (o.format == "table") {
    out = FormatTable(captured->columns, captured->updates, PrintOptions{});
  } else if (o.format == "csv") {
    AppendCsvField(out, o.by);
    out += ",window_start,window_end,count\n";
    for (const auto& u : rows) {
      AppendCsvField(out, u.row[0].get().as_string());
      out += fmt::format(",{},{},{}\n", u.row[1].get().as_int(), u.row[2].get().as_int(),
                         u.row[3].get().as_int());
    }
  } else {
    for (const auto& u : rows) {
      out += "{";
      AppendJsonString(out, o.by);
      out += ":";
      AppendJsonString(out, u.row[0].get().as_string());
      out += fmt::format(",\"window_start\":{},\"window_end\":{},\"count\":{}}}\n",
                         u.row[1].get().as_int(), u.row[2].get().as_int(),
                         u.row[3].get().as_int());
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (bad_rows > 0) {
    uint64_t rows_read = 0;
    for (const auto& [b, r] : per_input) rows_read += r;
    std::fprintf(stderr, "vigil detect: %llu rows read, %llu bad rows skipped%s\n",
                 static_cast<unsigned long long>(rows_read),
                 static_cast<unsigned long long>(bad_rows),
                 o.dead_letter.empty() ? "" : fmt::format(" (see {})", o.dead_letter).c_str());
  }
  return 0;
}

}  // namespace

void AddDetectCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DetectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "detect",
      "Flag keys (by default IP addresses) with too many failed logins in a time window.\n"
      "Reads login CSV files with the columns username,successful,time,ip_address (any order,\n"
      "extra columns ignored); a login succeeded only when `successful` is exactly `True`.\n"
      "Prints one row per flagged window.");
  cmd->add_option("--window", options->window, "Window length in seconds")
      ->capture_default_str();
  cmd->add_option("--hop", options->hop,
                  "Start a window every HOP seconds (sliding windows); default: the window "
                  "length (tumbling windows)");
  cmd->add_option("--threshold", options->threshold,
                  "Flag windows with at least this many failed logins")
      ->capture_default_str();
  cmd->add_option("--by", options->by, "Column to count failures per")->capture_default_str();
  cmd->add_option("--format", options->format,
                  "Output: table (Pathway's printed layout), csv (<by>,window_start,window_end,"
                  "count ordered by window_start then key) or jsonl (one object per row)")
      ->check(CLI::IsMember({"table", "csv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--on-error", options->on_error,
                  "Bad rows: fail (exit 1 at the first, print no result) or skip (report each "
                  "on stderr, the first 20 then a total, and go on)")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->capture_default_str();
  cmd->add_option("--dead-letter", options->dead_letter,
                  "With --on-error skip: write every bad row to this CSV file "
                  "(file,line,reason,record)");
  cmd->add_flag("--progress", options->progress,
                "Show bytes, rows/s and ETA on stderr (default: on when stderr is a terminal "
                "and the input is over 100 MB)");
  cmd->add_flag("--no-progress", options->no_progress, "Never show progress");
  cmd->add_option("--follow", options->follow,
                  "Run live on a file (followed like tail -F: appends, truncation, rotation), "
                  "a directory (new and appended files) or - (stdin), printing each change as "
                  "it happens until the input ends or SIGINT/SIGTERM");
  cmd->add_option("--replay", options->replay,
                  "Run the live path over a finished file as fast as possible (same output "
                  "as --follow would give)");
  cmd->add_option("--emit", options->emit,
                  "Live: updates (an alert the moment a window reaches the threshold, then its "
                  "updates) or final (each flagged window once, when it closes: window end + "
                  "cutoff)")
      ->check(CLI::IsMember({"updates", "final"}))
      ->capture_default_str();
  cmd->add_option("--cutoff", options->cutoff,
                  "Live: seconds of event-time lateness accepted after a window ends; later "
                  "rows are ignored and the window's state is freed (default: the window "
                  "length)");
  cmd->add_option("inputs", options->inputs, "CSV files or directories (read as one table)");
  cmd->callback([options, &exit_code] { exit_code = RunDetect(*options); });
}

}  // namespace vigil::cli
