#include "connectors/output/jsonl_writer.h"

#include <utility>

#include "connectors/output/value_text.h"
#include "vigil/common/check.h"

namespace vigil {

JsonLinesUpdateWriter::JsonLinesUpdateWriter(std::FILE* file, std::vector<std::string> column_names)
    : file_(file) {
  field_prefixes_.reserve(column_names.size());
  for (size_t c = 0; c < column_names.size(); ++c) {
    std::string prefix = c == 0 ? "{" : ",";
    AppendJsonString(prefix, column_names[c]);
    prefix.push_back(':');
    field_prefixes_.push_back(std::move(prefix));
  }
  buffer_.reserve(kFlushThreshold + 4096);
}

JsonLinesUpdateWriter::~JsonLinesUpdateWriter() {
  // Owners may Flush() and fclose the file before the writer dies; touch it only if needed.
  if (!buffer_.empty()) Flush();
}

void JsonLinesUpdateWriter::EndLine(Time time, Diff diff) {
  buffer_.append(field_prefixes_.empty() ? "{\"diff\":" : ",\"diff\":");
  AppendInt(buffer_, diff);
  buffer_.append(",\"time\":");
  AppendUnsigned(buffer_, time);
  buffer_.append("}\n");
  ++updates_written_;
  if (buffer_.size() >= kFlushThreshold) WriteBuffer();
}

void JsonLinesUpdateWriter::WriteBatch(const Batch& batch, Time time) {
  VIGIL_CHECK_EQ(batch.num_columns(), field_prefixes_.size());
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    for (size_t c = 0; c < field_prefixes_.size(); ++c) {
      buffer_.append(field_prefixes_[c]);
      AppendJsonValue(buffer_, batch.columns[c][row]);
    }
    EndLine(time, batch.diffs[row]);
  }
}

void JsonLinesUpdateWriter::WriteUpdate(const Update& update) {
  VIGIL_CHECK_EQ(update.row.size(), field_prefixes_.size());
  for (size_t c = 0; c < field_prefixes_.size(); ++c) {
    buffer_.append(field_prefixes_[c]);
    AppendJsonValue(buffer_, update.row[c].get());
  }
  EndLine(update.time, update.diff);
}

void JsonLinesUpdateWriter::WriteBuffer() {
  if (buffer_.empty()) return;
  if (ok_ && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    ok_ = false;
  }
  buffer_.clear();  // Keeps the capacity.
}

void JsonLinesUpdateWriter::Flush() {
  WriteBuffer();
  if (ok_ && std::fflush(file_) != 0) ok_ = false;
}

}  // namespace vigil
