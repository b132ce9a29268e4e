#include "connectors/output/csv_writer.h"

#include <string_view>
#include <utility>

#include "connectors/output/value_text.h"
#include "vigil/common/check.h"

namespace vigil {

void AppendCsvField(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text);
    return;
  }
  AppendCsvQuoted(out, text);
}

void AppendCsvQuoted(std::string& out, std::string_view text) {
  out.push_back('"');
  size_t start = 0;
  for (size_t quote = text.find('"'); quote != std::string_view::npos;
       quote = text.find('"', start)) {
    out.append(text.data() + start, quote + 1 - start);  // Up to and including the quote...
    out.push_back('"');                                  // ...which is then doubled.
    start = quote + 1;
  }
  out.append(text.data() + start, text.size() - start);
  out.push_back('"');
}

CsvUpdateWriter::CsvUpdateWriter(std::FILE* file, std::vector<std::string> column_names)
    : file_(file), column_names_(std::move(column_names)) {
  buffer_.reserve(kFlushThreshold + 4096);
}

CsvUpdateWriter::~CsvUpdateWriter() {
  // Owners may Flush() and fclose the file before the writer dies; touch it only if needed.
  if (!buffer_.empty()) Flush();
}

void CsvUpdateWriter::WriteHeaderOnce() {
  if (header_written_) return;
  header_written_ = true;
  for (const std::string& name : column_names_) {
    AppendCsvQuoted(buffer_, name);
    buffer_.push_back(',');
  }
  buffer_.append("\"time\",\"diff\"\n");
}

void CsvUpdateWriter::AppendQuoted(const Value& value) {
  switch (value.kind()) {
    case ValueKind::kString:
      AppendCsvQuoted(buffer_, value.as_string());
      return;
    case ValueKind::kTuple:
      // JSON text may hold quotes (strings inside the tuple), so it is built aside first.
      scratch_.clear();
      AppendJsonValue(scratch_, value);
      AppendCsvQuoted(buffer_, scratch_);
      return;
    default:
      break;
  }
  // The remaining kinds never contain a double quote.
  buffer_.push_back('"');
  switch (value.kind()) {
    case ValueKind::kNone:
      buffer_.append("None");
      break;
    case ValueKind::kError:
      buffer_.append("Error");
      break;
    case ValueKind::kBool:
      buffer_.append(value.as_bool() ? "True" : "False");
      break;
    case ValueKind::kInt:
      AppendInt(buffer_, value.as_int());
      break;
    case ValueKind::kFloat:
      AppendRustFloat(buffer_, value.as_float());
      break;
    case ValueKind::kPointer:
      AppendKeyText(buffer_, value.as_pointer());
      break;
    case ValueKind::kDateTimeNaive:
      AppendRustDateTime(buffer_, value.as_timestamp(), false);
      break;
    case ValueKind::kDateTimeUtc:
      AppendRustDateTime(buffer_, value.as_timestamp(), true);
      break;
    case ValueKind::kDuration:
      AppendInt(buffer_, value.as_timestamp());
      break;
    case ValueKind::kString:
    case ValueKind::kTuple:
      break;  // Handled above.
  }
  buffer_.push_back('"');
}

void CsvUpdateWriter::EndLine(Time time, Diff diff) {
  buffer_.push_back('"');
  AppendUnsigned(buffer_, time);
  buffer_.append("\",\"");
  AppendInt(buffer_, diff);
  buffer_.append("\"\n");
  ++updates_written_;
  if (buffer_.size() >= kFlushThreshold) WriteBuffer();
}

void CsvUpdateWriter::WriteBatch(const Batch& batch, Time time) {
  VIGIL_CHECK_EQ(batch.num_columns(), column_names_.size());
  if (batch.empty()) return;
  WriteHeaderOnce();
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    for (const std::vector<Value>& column : batch.columns) {
      AppendQuoted(column[row]);
      buffer_.push_back(',');
    }
    EndLine(time, batch.diffs[row]);
  }
}

void CsvUpdateWriter::WriteUpdate(const Update& update) {
  VIGIL_CHECK_EQ(update.row.size(), column_names_.size());
  WriteHeaderOnce();
  for (const StoredValue& value : update.row) {
    AppendQuoted(value.get());
    buffer_.push_back(',');
  }
  EndLine(update.time, update.diff);
}

void CsvUpdateWriter::WriteBuffer() {
  if (buffer_.empty()) return;
  if (ok_ && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    ok_ = false;
  }
  buffer_.clear();  // Keeps the capacity.
}

void CsvUpdateWriter::Flush() {
  WriteBuffer();
  if (ok_ && std::fflush(file_) != 0) ok_ = false;
}

}  // namespace vigil
