#include "connectors/lines/line_batch_builder.h"

#include <cstdint>
#include <utility>

#include "connectors/api/primary_key.h"

namespace vigil {

namespace {
constexpr size_t kMaxValueBytesInErrors = 200;
/// Longest line kept whole in an error's `record` (dead-letter files); longer lines leave it
/// empty, so that the error log's memory stays bounded whatever the input.
constexpr size_t kMaxRecordBytesInErrors = size_t{1} << 20;
}  // namespace

LineBatchBuilder::LineBatchBuilder(const Schema& schema, LineBatchOptions options)
    : schema_(schema),
      on_bad_row_(options.on_bad_row),
      error_log_(options.error_log),
      batch_rows_(options.batch_rows),
      batch_(schema.size()),
      small_batch_(schema.size()),
      slots_(schema.size()) {
  primary_key_columns_ = PrimaryKeyColumns(schema_);
  for (size_t c = 0; c < schema_.size(); ++c) {
    const TypeKind kind = schema_[c].type.kind;
    if (kind == TypeKind::kString || kind == TypeKind::kAny) string_columns_.push_back(c);
  }
  PrepareBatch();
}

void LineBatchBuilder::StartFile(std::string path, std::string_view id_path) {
  path_ = std::move(path);
  row_id_hasher_ = CsvRowIdHasher(id_path);
}

void LineBatchBuilder::PrepareBatch() {
  // Rows are written in place at index rows_: sizing once per batch avoids push_back
  // bookkeeping per value; diffs are +1 everywhere.
  for (size_t c = 0; c < batch_.columns.size(); ++c) {
    batch_.columns[c].resize(batch_rows_);
    slots_[c] = batch_.columns[c].data();
  }
  batch_.ids.resize(batch_rows_);
  batch_.diffs.resize(batch_rows_, Diff{1});
  ids_ = batch_.ids.data();
}

void LineBatchBuilder::CommitRowAt(uint64_t end_offset, uint32_t sub) {
  if (!primary_key_columns_.empty()) {
    ids_[rows_] = PrimaryKeyId();
  } else {
    Key id = row_id_hasher_.Id(end_offset);
    if (sub > 0) {
      // Another row of the same line: the line's id, re-hashed with the row's index, so ids
      // stay distinct and depend only on the file's content.
      key_hasher_.Reset();
      Value::Int(static_cast<int64_t>(id.lo)).HashInto(key_hasher_);
      Value::Int(static_cast<int64_t>(id.hi)).HashInto(key_hasher_);
      Value::Int(sub).HashInto(key_hasher_);
      id = key_hasher_.Finish();
    }
    ids_[rows_] = id;
  }
  ++rows_;
}

Key LineBatchBuilder::PrimaryKeyId() {
  return PrimaryKeyRowId(key_hasher_, primary_key_columns_,
                         [&](size_t c) -> const Value& { return slots_[c][rows_]; });
}

DataError LineBatchBuilder::LineError(const Line& line) const {
  DataError error;
  error.file = path_;
  error.line = line.number;
  if (line.text.size() <= kMaxRecordBytesInErrors) error.record = std::string(line.text);
  return error;
}

Status LineBatchBuilder::Report(DataError error) {
  ++error_count_;
  std::string failure;
  if (on_bad_row_ == OnBadRow::kFail) failure = FormatDataError(error);
  if (error_log_ != nullptr) error_log_->Add(std::move(error));
  if (on_bad_row_ == OnBadRow::kFail) return Status::ParseError("{}", failure);
  return Status::OK();
}

Status LineBatchBuilder::CommitRowWithErrors(const Line& line, std::span<const FieldError> errors) {
  auto report = [&](const FieldError& field, bool in_key, bool skipped) {
    DataError error = LineError(line);
    error.field = schema_[field.column].name;
    error.value = field.value.substr(0, kMaxValueBytesInErrors);
    error.expected = field.expected;
    error.message =
        in_key ? "error in primary key, skipping the row: " + field.message : field.message;
    error.row_skipped = skipped;
    return Report(std::move(error));
  };
  // A bad key field drops the row under every policy: it has no id (Pathway does the same).
  for (const FieldError& field : errors) {
    if (schema_[field.column].primary_key) return report(field, true, true);
  }
  if (on_bad_row_ != OnBadRow::kKeepError) return report(errors.front(), false, true);
  for (const FieldError& field : errors) {
    Set(field.column, Value::Error());
    RETURN_NOT_OK(report(field, false, false));
  }
  CommitRow(line);
  return Status::OK();
}

Status LineBatchBuilder::RejectLine(const Line& line, std::string message, std::string expected,
                                    std::string_view value) {
  DataError error = LineError(line);
  error.value = std::string(value.substr(0, kMaxValueBytesInErrors));
  error.expected = std::move(expected);
  error.message = std::move(message);
  return Report(std::move(error));
}

void LineBatchBuilder::Emit(const BatchConsumer& emit) {
  if (rows_ == 0) return;
  if (rows_ * 2 < batch_rows_) {
    // A small batch (a live commit brings a few lines): its rows are copied out, and the
    // full-size vectors stay as they are. Trimming them and growing them back would
    // re-initialise every slot past the rows: 1 MB for 11 columns of 4,096 rows, on every
    // commit of a followed log. Values keep pointing into batch_.arena.
    for (size_t c = 0; c < batch_.columns.size(); ++c) {
      small_batch_.columns[c].assign(batch_.columns[c].begin(),
                                     batch_.columns[c].begin() + static_cast<ptrdiff_t>(rows_));
    }
    small_batch_.ids.assign(batch_.ids.begin(), batch_.ids.begin() + static_cast<ptrdiff_t>(rows_));
    small_batch_.diffs.assign(rows_, Diff{1});
    emit(small_batch_);
  } else {
    for (auto& column : batch_.columns) column.resize(rows_);
    batch_.ids.resize(rows_);
    batch_.diffs.resize(rows_);
    emit(batch_);
    PrepareBatch();
  }
  rows_emitted_ += rows_;
  batch_.arena.Reset();
  rows_ = 0;
  detached_rows_ = 0;
}

void LineBatchBuilder::DetachStrings(const char* begin, const char* end) {
  for (size_t c : string_columns_) {
    Value* values = slots_[c];
    for (size_t row = detached_rows_; row < rows_; ++row) {
      if (values[row].kind() != ValueKind::kString) continue;
      // Compared as addresses: the value may point anywhere (arena, schema defaults).
      const auto data = reinterpret_cast<uintptr_t>(values[row].as_string().data());
      if (data >= reinterpret_cast<uintptr_t>(begin) && data <= reinterpret_cast<uintptr_t>(end)) {
        values[row] = batch_.arena.CopyString(values[row].as_string());
      }
    }
  }
  detached_rows_ = rows_;
}

}  // namespace vigil
