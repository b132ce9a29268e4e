#include "cli/live_alert_printer.h"

#include <algorithm>

#include <fmt/format.h>

#include "vigil/exec/executor.h"

namespace vigil::cli {

LiveAlertPrinter::LiveAlertPrinter(const DetectOptions& options, OutputFile& out)
    : o_(options), format_(ParseOutputFormat(options.format)), out_file_(out) {
  if (format_ == OutputFormat::kCsv) AppendCsvHeader(out_, o_.by, /*with_time_and_diff=*/true);
}

void LiveAlertPrinter::OnChange(std::span<const Value> row, Time time, bool is_addition) {
  Change c;
  c.start = row[1].as_int();
  c.end = row[2].as_int();
  c.count = row[3].as_int();
  c.added = is_addition;
  const WindowRow window{row[0], c.start, c.end, c.count, static_cast<uint64_t>(time),
                         is_addition ? 1 : -1};
  switch (format_) {
    case OutputFormat::kCsv:
      AppendCsvRow(c.line, window, /*with_time_and_diff=*/true);
      break;
    case OutputFormat::kJsonl:
      AppendJsonRow(c.line, o_.by, window, /*with_time_and_diff=*/true);
      break;
    case OutputFormat::kTable:
      c.key = KeyText(row[0]);
      break;
  }
  changes_.push_back(std::move(c));
}

void LiveAlertPrinter::OnTimeEnd() {
  // Retractions first: a count going from 5 to 6 is (-5, +6) in one commit, and the window
  // stays flagged throughout (no second alert).
  std::stable_sort(changes_.begin(), changes_.end(),
                   [](const Change& a, const Change& b) { return !a.added && b.added; });
  for (const Change& c : changes_) {
    if (format_ == OutputFormat::kTable) {
      PrintAlert(c);
    } else {
      out_ += c.line;
    }
  }
  changes_.clear();
  if (!Flush()) Executor::RequestStop();  // Results can no longer be delivered: stop.
}

bool LiveAlertPrinter::Flush() {
  out_file_.Write(out_);
  out_.clear();
  return out_file_.Flush();
}

void LiveAlertPrinter::PrintAlert(const Change& c) {
  // One alert line per window when it first reaches the threshold.
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
    // Saturating: windows and cutoffs may be as long as int64 allows.
    int64_t length = 0, span = 0, horizon = 0;
    if (__builtin_sub_overflow(c.end, c.start, &length) ||
        __builtin_mul_overflow(length, 4, &span) ||
        __builtin_sub_overflow(latest_start_, span, &horizon) ||
        __builtin_sub_overflow(horizon, o_.cutoff, &horizon)) {
      horizon = INT64_MIN;
    }
    std::erase_if(alerted_, [&](const auto& k) { return k.second < horizon; });
  }
}

}  // namespace vigil::cli
