#include "connectors/live/live_line_source.h"

#include <fmt/format.h>

namespace vigil {

LiveLineSource::LiveLineSource(std::string path, std::unique_ptr<LineSource> lines,
                               LiveLineOptions options)
    : path_(std::move(path)),
      lines_(std::move(lines)),
      options_(std::move(options)),
      follower_(path_, options_.follow_end, options_.follow_target) {}

Status LiveLineSource::Open() {
  RETURN_NOT_OK(follower_.Open());
  if (!follower_.is_stdin() && options_.follow_end == FollowEnd::kNever &&
      options_.watch_changes) {
    watch_ = std::make_unique<ChangeWatch>();
    watch_->WatchFile(path_);
  }
  buffer_ = std::make_unique<char[]>(options_.chunk_bytes);
  StartGeneration();
  return Status::OK();
}

void LiveLineSource::StartGeneration() {
  const uint64_t generation = follower_.generation();
  const std::string& id_path = options_.id_path.empty() ? path_ : options_.id_path;
  if (generation > 0 && options_.salt_ids_per_generation) {
    // Rows at equal offsets of a rotated or truncated file are other rows: other ids.
    lines_->StartFile(path_, fmt::format("{}#{}", id_path, generation));
  } else {
    lines_->StartFile(path_, id_path);
  }
}

void LiveLineSource::ReportUnfinished(UnfinishedLineEnd why) {
  if (ended_ || buffer_ == nullptr) return;
  if (drained_) {
    lines_->ReportUnfinishedLine(why);
  } else {
    lines_->ReportNotReadAtStop();
  }
}

Status LiveLineSource::FinishAtStop(const BatchConsumer& emit) {
  if (ended_ || buffer_ == nullptr) return Status::OK();
  RETURN_NOT_OK(lines_->FinishInput(emit));
  lines_->Flush(emit);
  return Status::OK();
}

int LiveLineSource::wait_fd() const {
  if (watch_ != nullptr) return watch_->fd();
  if (follower_.is_stdin()) return follower_.fd();
  return -1;
}

Result<LiveRead> LiveLineSource::ReadAvailable(const BatchConsumer& emit, size_t max_rows) {
  if (ended_) return LiveRead::kEnded;
  if (watch_ != nullptr) (void)watch_->Drain();
  drained_ = false;
  size_t rows = 0;
  const BatchConsumer counted = [&](const Batch& batch) {
    rows += batch.num_rows();
    emit(batch);
  };
  for (;;) {
    Result<size_t> read = follower_.Read(buffer_.get(), options_.chunk_bytes);
    if (!read.ok()) {
      file_rejected_ = true;
      return read.status();
    }
    const size_t n = *read;
    if (n == kNoDataYet) {
      // Everything complete is parsed: emit it now (a partial last line stays buffered).
      lines_->Flush(counted);
      drained_ = true;
      return LiveRead::kDrained;
    }
    if (n > 0) {
      RETURN_NOT_OK(lines_->Consume(std::string_view(buffer_.get(), n), counted));
      if (rows >= max_rows) {
        lines_->Flush(counted);
        return LiveRead::kMore;
      }
      continue;
    }
    if (follower_.ending() == GenerationEnd::kEnded) {
      // The true end of the input: a last line without terminator is a row, as in static
      // reading.
      RETURN_NOT_OK(lines_->FinishFile(counted));
    } else {
      // Truncated or replaced: the writer never finished that line; it is reported, not
      // counted.
      lines_->ReportUnfinishedLine(follower_.ending() == GenerationEnd::kTruncated
                                       ? UnfinishedLineEnd::kTruncated
                                       : UnfinishedLineEnd::kReplaced);
    }
    lines_->Flush(counted);
    ASSIGN_OR_RAISE(const bool next, follower_.NextGeneration());
    if (!next) {
      // The input is over: rows the parser held for lines still to come are due now.
      RETURN_NOT_OK(lines_->FinishInput(counted));
      lines_->Flush(counted);
      ended_ = true;
      return LiveRead::kEnded;
    }
    if (options_.on_new_generation) options_.on_new_generation(follower_.generation());
    if (watch_ != nullptr) watch_->WatchFile(path_);
    StartGeneration();
  }
}

}  // namespace vigil
