#include "connectors/api/error_log.h"

#include <cstdio>

#include <fmt/format.h>

namespace vigil {

std::string FormatDataError(const DataError& e) {
  std::string where = e.file;
  if (e.line > 0) where += fmt::format(":{}", e.line);
  if (e.warning) return fmt::format("{}: warning: {}", where, e.message);
  std::string what;
  if (!e.field.empty()) {
    what = fmt::format("column '{}'", e.field);
  } else if (e.column > 0) {
    what = fmt::format("field {}", e.column);
  } else {
    what = "row";
  }
  if (!e.field.empty() && !e.expected.empty()) {
    std::string value;
    for (unsigned char c : e.value) {
      if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
        value.push_back(static_cast<char>(c));
      } else if (c == '"' || c == '\\') {
        value.push_back('\\');
        value.push_back(static_cast<char>(c));
      } else if (c >= 0x80) {
        value.push_back(static_cast<char>(c));  // UTF-8 passes; invalid bytes are caught below.
      } else {
        value += fmt::format("\\x{:02x}", c);
      }
    }
    if (e.expected == "valid UTF-8") {
      value.clear();
      for (unsigned char c : e.value) {
        if (c >= 0x20 && c < 0x7f) {
          value.push_back(static_cast<char>(c));
        } else {
          value += fmt::format("\\x{:02x}", c);
        }
      }
      return fmt::format("{}: {}: invalid UTF-8 in \"{}\"", where, what, value);
    }
    return fmt::format("{}: {}: cannot parse \"{}\" as {}", where, what, value, e.expected);
  }
  if (!e.message.empty()) return fmt::format("{}: {}: {}", where, what, e.message);
  return fmt::format("{}: {}: expected {}, got {}", where, what, e.expected, e.value);
}

void ErrorLog::Add(DataError error) {
  std::lock_guard lock(mutex_);
  if (error.warning) {
    ++warning_count_;
    if (echo_warnings_ && warning_count_ <= warning_echo_limit_) {
      std::fprintf(stderr, "%s\n", FormatDataError(error).c_str());
    }
  } else {
    ++count_;
    if (echo_ && count_ <= echo_limit_) {
      std::fprintf(stderr, "%s\n", FormatDataError(error).c_str());
    }
  }
  if (listener_) listener_(error);
  for (const auto& tap : taps_) tap(error);
  if (kept_.size() < max_kept_) kept_.push_back(std::move(error));
}

uint64_t ErrorLog::count() const {
  std::lock_guard lock(mutex_);
  return count_;
}

uint64_t ErrorLog::warning_count() const {
  std::lock_guard lock(mutex_);
  return warning_count_;
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
  if (echo_warnings_ && warning_count_ > warning_echo_limit_) {
    std::fprintf(stderr, "... and %llu more warnings (%llu in total)\n",
                 static_cast<unsigned long long>(warning_count_ - warning_echo_limit_),
                 static_cast<unsigned long long>(warning_count_));
  }
}

}  // namespace vigil
