#pragma once

// How `vigil detect` writes a flagged window: the same fields in every format, the key
// written by its type (a string as text, an int as digits, a bool as True/False: `--by time`
// or `--by successful` print their values, not an empty field).

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/types/value.h"

namespace vigil::cli {

enum class OutputFormat { kTable, kCsv, kJsonl };

OutputFormat ParseOutputFormat(std::string_view name);

/// The key of a window as text (the table's and the alert line's form).
std::string KeyText(const Value& key);

/// The CSV header `<by>,window_start,window_end,count` (+ `,time,diff` for live changes).
void AppendCsvHeader(std::string& out, std::string_view by, bool with_time_and_diff);

/// One flagged window as a CSV line or a JSON object line; `time`/`diff` are written when
/// `with_time_and_diff` (live changes).
struct WindowRow {
  const Value& key;
  int64_t start;
  int64_t end;
  int64_t count;
  uint64_t time = 0;
  int diff = 1;
};
void AppendCsvRow(std::string& out, const WindowRow& row, bool with_time_and_diff);
void AppendJsonRow(std::string& out, std::string_view by, const WindowRow& row,
                   bool with_time_and_diff);

}  // namespace vigil::cli
