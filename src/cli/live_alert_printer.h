#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cli/detect_options.h"
#include "cli/detect_output.h"
#include "cli/output_file.h"
#include "vigil/common/strong_types.h"
#include "vigil/types/value.h"

namespace vigil::cli {

/// Prints the live output of `vigil detect --follow/--replay` as changes happen: one line per
/// change (csv, jsonl) or one alert line per newly flagged window (table), flushed at the end
/// of every commit so an alert is on stdout within milliseconds. A failed write stops the run
/// (the caller reports it and exits 1).
class LiveAlertPrinter {
 public:
  LiveAlertPrinter(const DetectOptions& options, OutputFile& out);
  /// Buffers one change of the commit in progress: row = key, window_start, window_end, count.
  void OnChange(std::span<const Value> row, Time time, bool is_addition);
  /// The commit ended: prints its changes, retractions first, and flushes.
  void OnTimeEnd();
  /// Writes what is buffered and flushes; false once a write failed.
  bool Flush();

 private:
  struct Change {
    std::string key;   ///< KeyText (table).
    std::string line;  ///< The formatted line (csv, jsonl).
    int64_t start = 0, end = 0, count = 0;
    bool added = true;
  };
  void PrintAlert(const Change& c);

  const DetectOptions& o_;
  OutputFormat format_;
  OutputFile& out_file_;
  std::string out_;
  std::vector<Change> changes_;
  /// Table format: live rows per flagged window, and windows already alerted.
  std::map<std::pair<std::string, int64_t>, int64_t> flagged_;
  std::set<std::pair<std::string, int64_t>> alerted_;
  int64_t latest_start_ = INT64_MIN;
};

}  // namespace vigil::cli
