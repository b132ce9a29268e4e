#include "connectors/lines/line_source.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <span>
#include <system_error>
#include <utility>

#include "connectors/api/input_files.h"
#include "connectors/lines/json_row_parser.h"
#include "connectors/lines/plaintext_row_parser.h"
#include "connectors/syslog/gzip_file.h"

namespace vigil {

namespace {

/// Closes a descriptor when the read of a file ends, however it ends.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

/// Whether the file starts with gzip's magic bytes (rotated logs: auth.log.2.gz).
bool IsGzip(int fd) {
  char magic[2] = {0, 0};
  return ::pread(fd, magic, 2, 0) == 2 && syslog::HasGzipMagic(std::string_view(magic, 2));
}

LineBatchOptions BatchOptions(const LineSourceOptions& options) {
  LineBatchOptions batch;
  batch.on_bad_row = options.on_bad_row;
  batch.error_log = options.error_log;
  batch.batch_rows = std::max<size_t>(options.batch_rows, 1);
  return batch;
}

}  // namespace

Result<std::unique_ptr<LineSource>> LineSource::MakeJsonLines(std::string path, Schema schema,
                                                              LineSourceOptions options) {
  ASSIGN_OR_RAISE(auto parser, MakeJsonLinesRowParser(schema, options.max_line_bytes));
  return Make(std::move(path), std::move(schema), std::move(parser), std::move(options));
}

Result<std::unique_ptr<LineSource>> LineSource::MakePlaintext(std::string path,
                                                              LineSourceOptions options) {
  return Make(std::move(path), PlaintextSchema(), MakePlaintextRowParser(), std::move(options));
}

Result<std::unique_ptr<LineSource>> LineSource::Make(std::string path, Schema schema,
                                                     std::unique_ptr<LineRowParser> parser,
                                                     LineSourceOptions options) {
  if (parser == nullptr) return Status::Invalid("line reader: no row parser given");
  auto source = std::make_unique<LineSource>(std::move(path), std::move(schema), std::move(parser),
                                             std::move(options));
  RETURN_NOT_OK(source->ValidateOptions());
  std::error_code error;
  if (!source->path_.empty() && !std::filesystem::exists(source->path_, error)) {
    return Status::NotFound("input path '{}' does not exist", source->path_);
  }
  return source;
}

LineSource::LineSource(std::string path, Schema schema, std::unique_ptr<LineRowParser> parser,
                       LineSourceOptions options)
    : path_(std::move(path)),
      schema_(std::move(schema)),
      parser_(std::move(parser)),
      options_(std::move(options)),
      splitter_(options_.max_line_bytes),
      builder_(schema_, BatchOptions(options_)) {
  builder_.set_on_full([this] {
    if (current_emit_ != nullptr) EmitBatch(*current_emit_);
  });
}

LineSource::~LineSource() = default;

Status LineSource::ValidateOptions() const {
  if (options_.chunk_bytes == 0) return Status::Invalid("line reader: chunk_bytes must be > 0");
  if (options_.batch_rows == 0) return Status::Invalid("line reader: batch_rows must be > 0");
  if (options_.max_line_bytes == 0) {
    return Status::Invalid("line reader: max_line_bytes must be > 0");
  }
  return Status::OK();
}

Status LineSource::Open() {
  if (opened_) return Status::Invalid("line reader for '{}' opened twice", path_);
  RETURN_NOT_OK(ValidateOptions());
  if (files_given_) {
    opened_ = true;
    return Status::OK();
  }
  ASSIGN_OR_RAISE(InputListing listing, ListInputFiles(path_, "input"));
  files_ = std::move(listing.files);
  // What cannot be read is reported by its own name; everything else is read.
  for (const UnreadableInput& unreadable : listing.unreadable) {
    if (options_.error_log != nullptr) {
      options_.error_log->Add(UnreadableInputWarning(unreadable));
    }
  }
  opened_ = true;
  return Status::OK();
}

void LineSource::SetFiles(std::vector<std::string> files) {
  files_ = std::move(files);
  files_given_ = true;
}

std::optional<Time> LineSource::NextCommitTime() {
  if (!opened_ || input_done_) return std::nullopt;
  return next_commit_time_;
}

class LineSource::StaticFile {
 public:
  static Result<std::unique_ptr<StaticFile>> Open(const std::string& path) {
    auto file = std::unique_ptr<StaticFile>(new StaticFile(path));
    if (file->fd_.get() < 0) {
      return Status::IoError("cannot open '{}': {}", path, std::strerror(errno));
    }
    if (IsGzip(file->fd_.get())) {
      ASSIGN_OR_RAISE(file->gzip_, syslog::GzipReader::Open(path));
    }
    return file;
  }

  /// Reads up to `size` bytes (decompressed for a gzip file); 0 at the end of the file.
  Result<size_t> Read(char* buffer, size_t size) {
    if (gzip_ != nullptr) return gzip_->Read(buffer, size);
    for (;;) {
      const ssize_t got = ::read(fd_.get(), buffer, size);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) {
        return Status::IoError("cannot read '{}': {}", path_, std::strerror(errno));
      }
    }
  }

 private:
  explicit StaticFile(const std::string& path)
      : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}

  std::string path_;
  FileDescriptor fd_;
  std::unique_ptr<syslog::GzipReader> gzip_;
};

Status LineSource::ReadCommit(const BatchConsumer& emit) {
  if (!opened_) return Status::Invalid("line reader for '{}' read before Open()", path_);
  if (input_done_) return Status::OK();
  const uint64_t rows_before = builder_.rows_emitted();
  for (;;) {
    Result<bool> more = ReadNextChunk(emit);
    if (!more.ok()) {
      input_done_ = true;  // A read that failed is over (the run stops).
      return more.status();
    }
    if (!*more) break;
    // A commit ends at a chunk boundary once it has its rows (the rows still pending count:
    // Flush below emits them in this commit).
    if (options_.rows_per_commit > 0 &&
        builder_.rows_emitted() + builder_.pending_rows() - rows_before >=
            options_.rows_per_commit) {
      break;
    }
  }
  Flush(emit);
  next_commit_time_ = next_commit_time_ + 2;  // Commit times are even (exec/executor.cc).
  if (options_.on_progress) options_.on_progress(bytes_consumed(), builder_.rows_emitted());
  return Status::OK();
}

Result<bool> LineSource::ReadNextChunk(const BatchConsumer& emit) {
  while (static_file_ == nullptr) {
    if (next_file_ == files_.size()) {
      RETURN_NOT_OK(FinishInput(emit));
      input_done_ = true;
      return false;
    }
    const std::string& file = files_[next_file_++];
    ASSIGN_OR_RAISE(static_file_, StaticFile::Open(file));
    StartFile(file);
  }
  // Read straight into the line buffer (Consume's path, minus one copy).
  PrepareAppend(options_.chunk_bytes);
  const std::span<char> space = splitter_.AppendSpace(options_.chunk_bytes);
  ASSIGN_OR_RAISE(const size_t got,
                  static_file_->Read(space.data(), std::min(space.size(), options_.chunk_bytes)));
  if (got == 0) {
    static_file_.reset();
    RETURN_NOT_OK(FinishFile(emit));
    return true;
  }
  splitter_.CommitAppend(got);
  RETURN_NOT_OK(ParseAvailableLines(emit));
  return true;
}

Status LineSource::FinishInput(const BatchConsumer& emit) {
  current_emit_ = &emit;
  const Status status = parser_->FinishInput(builder_, splitter_.bytes_appended());
  current_emit_ = nullptr;
  RETURN_NOT_OK(status);
  if (builder_.full()) EmitBatch(emit);
  return Status::OK();
}

void LineSource::StartFile(std::string path) {
  std::string id_path = path;
  StartFile(std::move(path), std::move(id_path));
}

void LineSource::StartFile(std::string path, std::string id_path) {
  // Pending rows may point into the previous file's lines, which the buffer reuse overwrites.
  DetachPendingStrings();
  bytes_of_finished_files_ += splitter_.bytes_appended();
  splitter_.Reset();
  parser_->StartFile(path);
  builder_.StartFile(std::move(path), id_path);
}

Status LineSource::Consume(std::string_view bytes, const BatchConsumer& emit) {
  // In pieces of at most chunk_bytes, so the buffer stays small whatever the caller passes.
  while (!bytes.empty()) {
    const size_t piece = std::min(bytes.size(), options_.chunk_bytes);
    PrepareAppend(piece);
    splitter_.Append(bytes.substr(0, piece));
    bytes.remove_prefix(piece);
    RETURN_NOT_OK(ParseAvailableLines(emit));
  }
  return Status::OK();
}

Status LineSource::FinishFile(const BatchConsumer& emit) {
  splitter_.Finish();
  return ParseAvailableLines(emit);
}

void LineSource::Flush(const BatchConsumer& emit) { EmitBatch(emit); }

void LineSource::ReportNotReadAtStop() {
  if (options_.error_log == nullptr) return;
  options_.error_log->Add(NotReadAtStopWarning(builder_.path(), splitter_.next_line_number(),
                                               splitter_.bytes_appended()));
}

void LineSource::ReportUnfinishedLine(UnfinishedLineEnd why) {
  const uint64_t length = splitter_.unfinished_length();
  if (length == 0) return;
  if (options_.error_log != nullptr) {
    options_.error_log->Add(UnfinishedLineWarning(builder_.path(), splitter_.next_line_number(),
                                                  splitter_.unfinished_text(), length, why));
  }
}

uint64_t LineSource::bytes_consumed() const {
  return bytes_of_finished_files_ + splitter_.bytes_appended();
}

void LineSource::DetachPendingStrings() {
  if (splitter_.buffer_begin() == nullptr) return;
  builder_.DetachStrings(splitter_.buffer_begin(), splitter_.buffer_end());
}

void LineSource::PrepareAppend(size_t size) {
  if (!splitter_.AppendKeepsLines(size)) DetachPendingStrings();
}

Status LineSource::ParseAvailableLines(const BatchConsumer& emit) {
  size_t count = 0;
  Line line;
  while (splitter_.Next(line)) {
    if (line.too_long) {
      // Rows keep file order: the lines before it are parsed first.
      RETURN_NOT_OK(ParseRun(count, emit));
      RETURN_NOT_OK(builder_.RejectLine(
          line,
          fmt::format("line of {} bytes is longer than max_line_bytes ({}); skipped", line.length,
                      splitter_.max_line_bytes()),
          fmt::format("a line of at most {} bytes", splitter_.max_line_bytes()), ""));
      continue;
    }
    run_[count++] = line;
    // One line gives at most one row: a run never overfills the batch.
    if (count == run_.size() || count == builder_.capacity() - builder_.pending_rows()) {
      RETURN_NOT_OK(ParseRun(count, emit));
    }
  }
  return ParseRun(count, emit);
}

Status LineSource::ParseRun(size_t& count, const BatchConsumer& emit) {
  if (count == 0) return Status::OK();
  current_emit_ = &emit;
  const Status status = parser_->ParseLines(std::span<const Line>(run_.data(), count), builder_);
  current_emit_ = nullptr;
  count = 0;
  RETURN_NOT_OK(status);
  if (builder_.full()) EmitBatch(emit);
  return Status::OK();
}

void LineSource::EmitBatch(const BatchConsumer& emit) {
  if (builder_.pending_rows() == 0) return;
  builder_.Emit(emit);
  if (options_.on_progress) options_.on_progress(bytes_consumed(), builder_.rows_emitted());
}

}  // namespace vigil
