#include "cli/detect_output.h"

#include <fmt/format.h>

#include "connectors/output/csv_writer.h"
#include "connectors/output/value_text.h"

namespace vigil::cli {

OutputFormat ParseOutputFormat(std::string_view name) {
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "jsonl") return OutputFormat::kJsonl;
  return OutputFormat::kTable;
}

std::string KeyText(const Value& key) {
  if (key.kind() == ValueKind::kString) return std::string(key.as_string());
  return FormatValue(key);
}

void AppendCsvHeader(std::string& out, std::string_view by, bool with_time_and_diff) {
  AppendCsvField(out, by);
  out += ",window_start,window_end,count";
  out += with_time_and_diff ? ",time,diff\n" : "\n";
}

void AppendCsvRow(std::string& out, const WindowRow& row, bool with_time_and_diff) {
  if (row.key.kind() == ValueKind::kString) {
    AppendCsvField(out, row.key.as_string());
  } else {
    AppendCsvField(out, FormatValue(row.key));
  }
  out += fmt::format(",{},{},{}", row.start, row.end, row.count);
  if (with_time_and_diff) out += fmt::format(",{},{}", row.time, row.diff);
  out.push_back('\n');
}

void AppendJsonRow(std::string& out, std::string_view by, const WindowRow& row,
                   bool with_time_and_diff) {
  out.push_back('{');
  AppendJsonString(out, by);
  out.push_back(':');
  AppendJsonValue(out, row.key);
  out += fmt::format(",\"window_start\":{},\"window_end\":{},\"count\":{}", row.start, row.end,
                     row.count);
  if (with_time_and_diff) out += fmt::format(",\"time\":{},\"diff\":{}", row.time, row.diff);
  out += "}\n";
}

}  // namespace vigil::cli
