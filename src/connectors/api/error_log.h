#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "vigil/common/status.h"

namespace vigil {

/// What a reader does with a row it cannot parse (Pathway's terminate_on_error and more).
enum class OnBadRow {
  kSkip,       ///< Drop the row, report it (Pathway's default, terminate_on_error=True).
  kKeepError,  ///< Keep the row with Error values in the bad fields (terminate_on_error=False);
               ///< an error in a primary-key field still skips the row.
  kFail,       ///< Stop the run with the first error.
};

/// One row-level problem in the input, with everything a user needs to find and fix it.
struct DataError {
  std::string file;      ///< Path of the input, or the source name (e.g. "<markdown>").
  uint64_t line = 0;     ///< 1-based line where the record starts; 0 if unknown.
  uint64_t column = 0;   ///< 1-based field index in the record; 0 if the whole row is bad.
  std::string field;     ///< Column name from the header, if known.
  std::string value;     ///< The offending text (truncated to 200 bytes).
  std::string expected;  ///< What was expected (a type such as "int", or "4 fields").
  std::string message;   ///< Full human-readable message (ToString of the above).
  bool row_skipped = true;
  /// The whole record re-encoded as one CSV line (for dead-letter files); may be empty.
  std::string record;
  /// A warning, not an error: input that is reported but is not a row and must not stop the
  /// run whatever the OnBadRow policy (an unfinished line discarded at truncation, rotation or
  /// stop; a directory that cannot be listed; a stray file in a followed directory). Nothing
  /// is silently dropped, and a follower keeps serving. `row_skipped` is false for warnings.
  bool warning = false;
};

/// `FILE:LINE: column 'time': cannot parse "12x" as int` for a bad field (non-printable bytes
/// of the value escaped as \xNN); `FILE:LINE: row: <message>` for other problems;
/// `FILE:LINE: warning: <message>` for warnings.
std::string FormatDataError(const DataError& e);

/// Collects data errors of a run. Sources and operators append; the executor prints a
/// summary. Thread-safe (later, workers share one log). Keeps the first `max_kept` errors
/// in full and counts the rest, so memory stays bounded whatever the input.
class ErrorLog {
 public:
  explicit ErrorLog(size_t max_kept = 1000) : max_kept_(max_kept) {}

  void Add(DataError error);
  /// Errors reported so far (warnings not included).
  uint64_t count() const;
  /// Warnings reported so far (DataError::warning).
  uint64_t warning_count() const;
  /// The first errors, in arrival order (at most max_kept).
  std::vector<DataError> kept() const;
  /// Errors are echoed to stderr as they arrive (first `limit`, then a count at Finish).
  void set_echo_to_stderr(bool echo, size_t limit = 20) {
    echo_ = echo;
    echo_limit_ = limit;
  }
  /// Warnings are echoed to stderr as they arrive (the first `limit`), independently of
  /// errors: a run that fails at its first error (so echoes none) still shows them.
  void set_echo_warnings_to_stderr(bool echo, size_t limit = 20) {
    echo_warnings_ = echo;
    warning_echo_limit_ = limit;
  }
  /// Called for every error as it arrives (e.g. to write a dead-letter file), under the lock.
  void set_listener(std::function<void(const DataError&)> listener) {
    listener_ = std::move(listener);
  }
  /// Also called for every error and warning as it arrives, under the lock, after the
  /// listener; taps are never removed (the run's error table, global_error_log, keeps one).
  void AddTap(std::function<void(const DataError&)> tap) {
    std::lock_guard lock(mutex_);
    taps_.push_back(std::move(tap));
  }
  /// Prints "... and N more errors" if errors were left unprinted.
  void PrintSummary() const;

 private:
  mutable std::mutex mutex_;
  size_t max_kept_;
  std::vector<DataError> kept_;
  uint64_t count_ = 0;
  uint64_t warning_count_ = 0;
  bool echo_warnings_ = false;
  size_t warning_echo_limit_ = 20;
  std::function<void(const DataError&)> listener_;
  std::vector<std::function<void(const DataError&)>> taps_;
  bool echo_ = false;
  size_t echo_limit_ = 20;
};

}  // namespace vigil
