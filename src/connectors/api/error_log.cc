#include "connectors/api/error_log.h"

#include <cstdio>

#include <fmt/format.h>

namespace vigil {

std::string FormatDataError(const DataError& e) {
  std::string where = e.file;
  if (e.line > 0) where += fmt::format(":{}", e.line);
  std::string what;
  if (!e.field.empty()) {
    what = fmt::format("column '{}'", e.field);
  } else if (e.column > 0) {
    what = fmt::format("field {}", e.column);
  } else {
    what = "row";
  }
  if (!e.message.empty()) return fmt::format("{}: {}: {}", where, what, e.message);
  return fmt::format("{}: {}: cannot parse \"{}\" as {}", where, what, e.value, e.expected);
}

void ErrorLog::Add(DataError error) {
  std::lock_guard lock(mutex_);
  ++count_;
  if (echo_ && count_ <= echo_limit_) {
    std::fprintf(stderr, "%s\n", FormatDataError(error).c_str());
  }
  if (kept_.size() < max_kept_) kept_.push_back(std::move(error));
}

uint64_t ErrorLog::count() const {
  std::lock_guard lock(mutex_);
  return count_;
}

std::vector<DataError> ErrorLog::kept() const {
  std::lock_guard lock(mutex_);
  return kept_;
}

void ErrorLog::PrintSummary() const {
  std::lock_guard lock(mutex_);
  if (echo_ && count_ > echo_limit_) {
    std::fprintf(stderr, "... and %llu more errors (%llu in total)\n",
                 static_cast<unsigned long long>(count_ - echo_limit_),
                 static_cast<unsigned long long>(count_));
  }
}

}  // namespace vigil
