#include "connectors/api/unfinished_line.h"

#include <fmt/format.h>

namespace vigil {

namespace {

/// Bytes of the line shown in the message (escaped) and kept as `value`.
constexpr size_t kShownBytes = 200;
/// Bytes kept as the dead-letter `record` (as the line readers keep whole lines up to 1 MiB).
constexpr size_t kRecordBytes = size_t{1} << 20;

std::string Escaped(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

std::string_view Reason(UnfinishedLineEnd why) {
  switch (why) {
    case UnfinishedLineEnd::kTruncated:
      return "unfinished line discarded at truncation/rotation (the file was truncated)";
    case UnfinishedLineEnd::kReplaced:
      return "unfinished line discarded at truncation/rotation (the file was replaced)";
    case UnfinishedLineEnd::kDeleted:
      return "unfinished line discarded at deletion (the file was deleted)";
    case UnfinishedLineEnd::kStopped:
      return "not counted: the line was unfinished at stop";
  }
  return "unfinished line discarded";
}

}  // namespace

DataError UnfinishedLineWarning(std::string file, uint64_t line, std::string_view bytes,
                                uint64_t total_bytes, UnfinishedLineEnd why) {
  DataError warning;
  warning.file = std::move(file);
  warning.line = line;
  warning.warning = true;
  warning.row_skipped = false;
  warning.expected = "a line terminator";
  warning.value = std::string(bytes.substr(0, kShownBytes));
  warning.record = std::string(bytes.substr(0, kRecordBytes));
  std::string shown = Escaped(bytes.substr(0, kShownBytes));
  if (total_bytes > kShownBytes) shown += "...";
  warning.message = fmt::format("{}: {} bytes held back: \"{}\"", Reason(why), total_bytes, shown);
  return warning;
}

DataError NotReadAtStopWarning(std::string file, uint64_t line, uint64_t bytes_read) {
  DataError warning;
  warning.file = std::move(file);
  warning.line = line;
  warning.warning = true;
  warning.row_skipped = false;
  warning.message = fmt::format(
      "not read: the run stopped before the end of the available input ({} bytes of the file "
      "were read; the rows from about this line on are not counted)",
      bytes_read);
  return warning;
}

}  // namespace vigil
