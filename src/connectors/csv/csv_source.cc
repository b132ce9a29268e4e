#include "connectors/csv/csv_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <span>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include "connectors/csv/value_parser.h"

namespace vigil {

namespace {

constexpr size_t kMaxValueBytesInErrors = 200;

std::string QuotedList(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += RustDebugString(names[i]);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<CsvSource>> CsvSource::Make(std::string path, Schema schema,
                                                   CsvSourceOptions options) {
  auto source = std::make_unique<CsvSource>(std::move(path), std::move(schema), options);
  RETURN_NOT_OK(source->ValidateArguments());
  std::error_code error;
  if (!std::filesystem::exists(source->path_, error)) {
    return Status::NotFound("CSV input path '{}' does not exist", source->path_);
  }
  return source;
}

CsvSource::CsvSource(std::string path, Schema schema, CsvSourceOptions options)
    : path_(std::move(path)), schema_(std::move(schema)), options_(options) {
  for (size_t c = 0; c < schema_.size(); ++c) {
    if (schema_[c].primary_key) primary_key_columns_.push_back(c);
    const TypeKind kind = schema_[c].type.kind;
    if (kind == TypeKind::kString || kind == TypeKind::kAny) string_columns_.push_back(c);
  }
  row_.resize(schema_.size());
  row_errors_.resize(schema_.size());
}

CsvSource::~CsvSource() { CloseFile(); }

Status CsvSource::ValidateArguments() const {
  if (options_.chunk_bytes == 0) return Status::Invalid("CSV reader: chunk_bytes must be > 0");
  if (options_.batch_rows == 0) return Status::Invalid("CSV reader: batch_rows must be > 0");
  if (options_.max_record_bytes == 0) {
    return Status::Invalid("CSV reader: max_record_bytes must be > 0");
  }
  absl::flat_hash_map<std::string_view, size_t> seen;
  for (size_t c = 0; c < schema_.size(); ++c) {
    const ColumnSchema& column = schema_[c];
    if (!seen.emplace(column.name, c).second) {
      return Status::Invalid("CSV reader for '{}': column '{}' appears twice in the schema",
                             path_, column.name);
    }
    if (!IsCsvParsableType(column.type)) {
      return Status::TypeError("CSV reader for '{}': column '{}' has type {}, which cannot be "
                               "parsed from CSV text",
                               path_, column.name, column.type.ToString());
    }
  }
  return Status::OK();
}

Status CsvSource::ListFiles() {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path_, error);
  if (error || !fs::exists(status)) {
    return Status::NotFound("CSV input path '{}' does not exist", path_);
  }
  if (fs::is_regular_file(status)) {
    files_.push_back(path_);
    return Status::OK();
  }
  if (!fs::is_directory(status)) {
    return Status::Invalid("CSV input path '{}' is neither a file nor a directory", path_);
  }
  std::vector<fs::path> found;
  fs::recursive_directory_iterator it(path_, error);
  if (error) return Status::IoError("cannot list directory '{}': {}", path_, error.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(error)) {
    if (error) return Status::IoError("cannot list directory '{}': {}", path_, error.message());
    std::error_code file_error;
    if (it->is_regular_file(file_error)) found.push_back(it->path());
  }
  if (error) return Status::IoError("cannot list directory '{}': {}", path_, error.message());
  // Component-wise order, as Pathway's glob walk yields (`a/b` before `a-c`).
  std::sort(found.begin(), found.end());
  files_.reserve(found.size());
  for (const fs::path& p : found) files_.push_back(p.string());
  return Status::OK();
}

Status CsvSource::Open() {
  if (opened_) return Status::Invalid("CSV reader for '{}' opened twice", path_);
  RETURN_NOT_OK(ValidateArguments());
  RETURN_NOT_OK(ListFiles());
  opened_ = true;
  batch_ = Batch(schema_.size());
  batch_.Reserve(options_.batch_rows);
  file_index_ = 0;
  if (!files_.empty()) RETURN_NOT_OK(OpenFile(0));
  return Status::OK();
}

void CsvSource::CloseFile() {
  tokenizer_.reset();
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Status CsvSource::OpenFile(size_t file_index) {
  CloseFile();
  const std::string& file = files_[file_index];
  fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return Status::IoError("cannot open '{}': {}", file, std::strerror(errno));
  CsvTokenizerOptions tokenizer_options;
  tokenizer_options.chunk_bytes = options_.chunk_bytes;
  tokenizer_options.max_record_bytes = options_.max_record_bytes;
  tokenizer_ = std::make_unique<CsvTokenizer>(MakeFdReadFunction(fd_, file), tokenizer_options);

  CsvRecord header;
  bool have_header = false;
  while (!have_header) {
    switch (tokenizer_->Next(header)) {
      case CsvTokenizer::Event::kRecord:
        have_header = true;
        break;
      case CsvTokenizer::Event::kWillReuseBuffer:
        break;
      case CsvTokenizer::Event::kSyntaxError:
        return Status::ParseError("{}:{}: cannot read the CSV header: {}", file,
                                  tokenizer_->syntax_error().line,
                                  tokenizer_->syntax_error().message);
      case CsvTokenizer::Event::kIoError:
        return tokenizer_->io_status();
      case CsvTokenizer::Event::kEnd:
        // An empty file has no header and no rows.
        CloseFile();
        return Status::OK();
    }
  }

  absl::flat_hash_map<std::string_view, size_t> header_index;
  std::vector<std::string_view> duplicated;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    if (!header_index.emplace(header.fields[i], i).second) duplicated.push_back(header.fields[i]);
  }
  plan_.assign(schema_.size(), ColumnPlan{});
  std::vector<std::string_view> missing;
  std::vector<std::string_view> ambiguous;
  min_fields_ = 0;
  for (size_t c = 0; c < schema_.size(); ++c) {
    const std::string& name = schema_[c].name;
    auto found = header_index.find(name);
    if (found == header_index.end()) {
      missing.push_back(name);
      continue;
    }
    if (std::find(duplicated.begin(), duplicated.end(), name) != duplicated.end()) {
      ambiguous.push_back(name);
    }
    plan_[c].field_index = found->second;
    min_fields_ = std::max(min_fields_, found->second + 1);
  }
  std::vector<std::string_view> header_names(header.fields.begin(), header.fields.end());
  if (!missing.empty()) {
    return Status::NotFound(
        "{}: some schema columns are not in the CSV header: {} (header columns: {})", file,
        QuotedList(missing), QuotedList(header_names));
  }
  if (!ambiguous.empty()) {
    return Status::Invalid("{}: the CSV header names schema columns more than once: {} (header "
                           "columns: {})",
                           file, QuotedList(ambiguous), QuotedList(header_names));
  }
  return Status::OK();
}

std::optional<Time> CsvSource::NextCommitTime() {
  if (!opened_ || commit_done_) return std::nullopt;
  return Time{0};
}

Status CsvSource::ReadCommit(const BatchConsumer& emit) {
  if (!opened_) return Status::Invalid("CSV reader for '{}' read before Open()", path_);
  if (commit_done_) return Status::OK();
  commit_done_ = true;
  while (file_index_ < files_.size()) {
    if (tokenizer_ != nullptr) {
      Status status = ReadFileRows(emit);
      if (!status.ok()) {
        CloseFile();
        return status;
      }
      // Rows of this file may still point into its buffer, which dies with the tokenizer.
      DetachPendingStrings();
    }
    if (tokenizer_ != nullptr) bytes_of_finished_files_ += tokenizer_->bytes_read();
    CloseFile();
    if (++file_index_ < files_.size()) RETURN_NOT_OK(OpenFile(file_index_));
  }
  if (!batch_.empty()) EmitBatch(emit);
  if (options_.on_progress) options_.on_progress(bytes_of_finished_files_, rows_emitted_);
  return Status::OK();
}

Status CsvSource::ReadFileRows(const BatchConsumer& emit) {
  CsvRecord record;
  for (;;) {
    switch (tokenizer_->Next(record)) {
      case CsvTokenizer::Event::kRecord:
        RETURN_NOT_OK(ProcessRecord(record));
        if (batch_.num_rows() >= options_.batch_rows) EmitBatch(emit);
        break;
      case CsvTokenizer::Event::kWillReuseBuffer:
        DetachPendingStrings();
        break;
      case CsvTokenizer::Event::kSyntaxError: {
        DataError error;
        error.file = files_[file_index_];
        error.line = tokenizer_->syntax_error().line;
        error.message = tokenizer_->syntax_error().message;
        error.expected = "a well-formed CSV record";
        RETURN_NOT_OK(Report(std::move(error)));
        break;
      }
      case CsvTokenizer::Event::kIoError:
        return tokenizer_->io_status();
      case CsvTokenizer::Event::kEnd:
        return Status::OK();
    }
  }
}

namespace {
/// The record as one CSV line (fields quoted only when they need it), for dead-letter files.
std::string EncodeRecord(std::span<const std::string_view> fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    std::string_view f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string_view::npos) {
      out.append(f);
      continue;
    }
    out.push_back('"');
    for (char c : f) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  return out;
}
}  // namespace

Status CsvSource::ProcessRecord(const CsvRecord& record) {
  const auto& fields = record.fields;
  const std::string& file = files_[file_index_];
  if (fields.size() < min_fields_) {
    DataError error;
    error.file = file;
    error.line = record.line;
    error.expected = fmt::format("{} fields", min_fields_);
    error.value = fmt::format("{} fields", fields.size());
    error.message = fmt::format(
        "too small number of csv tokens in the line: {} (the schema needs at least {} fields)",
        fields.size(), min_fields_);
    error.record = EncodeRecord(fields);
    return Report(std::move(error));
  }

  bool any_error = false;
  for (size_t c = 0; c < schema_.size(); ++c) {
    FieldParseResult parsed = ParseCsvField(fields[plan_[c].field_index], schema_[c]);
    row_[c] = parsed.value;
    row_errors_[c] = parsed.error;
    any_error |= !parsed.ok();
  }

  if (any_error) {
    auto field_error = [&](size_t c, bool in_key, bool skipped) {
      const std::string_view text = fields[plan_[c].field_index];
      DataError error;
      error.file = file;
      error.line = record.line;
      error.column = plan_[c].field_index + 1;
      error.field = schema_[c].name;
      error.value = std::string(text.substr(0, kMaxValueBytesInErrors));
      error.expected = row_errors_[c] == kInvalidUtf8Reason ? std::string("valid UTF-8")
                                                            : PathwayTypeName(schema_[c].type);
      error.message = FormatFieldParseError(text, schema_[c].name, schema_[c].type,
                                            row_errors_[c]);
      if (in_key) error.message = "error in primary key, skipping the row: " + error.message;
      error.row_skipped = skipped;
      error.record = EncodeRecord(fields);
      return error;
    };
    // A bad key field drops the row under every policy: it has no id (Pathway does the same).
    for (size_t c : primary_key_columns_) {
      if (row_errors_[c] != nullptr) return Report(field_error(c, true, true));
    }
    if (options_.on_bad_row != OnBadRow::kKeepError) {
      for (size_t c = 0; c < schema_.size(); ++c) {
        if (row_errors_[c] != nullptr) return Report(field_error(c, false, true));
      }
    }
    for (size_t c = 0; c < schema_.size(); ++c) {
      if (row_errors_[c] == nullptr) continue;
      row_[c] = Value::Error();
      RETURN_NOT_OK(Report(field_error(c, false, false)));
    }
  }

  hasher_.Reset();
  if (!primary_key_columns_.empty()) {
    for (size_t c : primary_key_columns_) row_[c].HashInto(hasher_);
  } else {
    hasher_.AddRawBytes(file);
    hasher_.AddRaw64(record.end_offset);
  }
  batch_.ids.push_back(hasher_.Finish());
  batch_.diffs.push_back(1);
  for (size_t c = 0; c < schema_.size(); ++c) batch_.columns[c].push_back(row_[c]);
  return Status::OK();
}

void CsvSource::DetachPendingStrings() {
  if (tokenizer_ == nullptr) return;
  for (size_t c : string_columns_) {
    for (Value& value : batch_.columns[c]) {
      if (value.kind() != ValueKind::kString) continue;
      const std::string_view text = value.as_string();
      if (tokenizer_->BufferContains(text.data())) value = batch_.arena.CopyString(text);
    }
  }
}

Status CsvSource::Report(DataError error) {
  ++error_count_;
  std::string failure;
  if (options_.on_bad_row == OnBadRow::kFail) failure = FormatDataError(error);
  if (options_.error_log != nullptr) options_.error_log->Add(std::move(error));
  if (options_.on_bad_row == OnBadRow::kFail) return Status::ParseError("{}", failure);
  return Status::OK();
}

void CsvSource::EmitBatch(const BatchConsumer& emit) {
  rows_emitted_ += batch_.num_rows();
  emit(batch_);
  batch_.Clear();
  if (options_.on_progress) {
    const uint64_t current = tokenizer_ != nullptr ? tokenizer_->bytes_read() : 0;
    options_.on_progress(bytes_of_finished_files_ + current, rows_emitted_);
  }
}

}  // namespace vigil
