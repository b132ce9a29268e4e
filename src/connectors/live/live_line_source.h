#pragma once

#include <functional>
#include <memory>
#include <string>

#include "connectors/api/source.h"
#include "connectors/lines/line_source.h"
#include "connectors/live/change_watch.h"
#include "connectors/live/file_follower.h"

namespace vigil {

/// Options of a live line-based reader (JSON Lines, plaintext).
struct LiveLineOptions {
  FollowEnd follow_end = FollowEnd::kNever;
  /// See CsvSourceOptions::salt_ids_per_generation.
  bool salt_ids_per_generation = true;
  /// Whether this source watches its file itself (false inside a LiveDirectorySource).
  bool watch_changes = true;
  /// See CsvSourceOptions::id_path.
  std::string id_path;
  /// See CsvSourceOptions::follow_target.
  FollowTarget follow_target = FollowTarget::kName;
  /// Called when the file was truncated or replaced, before any row of the new content.
  std::function<void(uint64_t generation)> on_new_generation;
  /// Bytes per read.
  size_t chunk_bytes = size_t{1} << 20;
};

/// A followed JSON Lines or plaintext file (or `-`, stdin): the bytes a FileFollower yields
/// go through the same LineSource parsing as a static read (`LineSource::StartFile` /
/// `Consume` / `FinishFile`), so a line becomes a row once its terminator has arrived, with
/// the same values, ids and errors a static read gives.
class LiveLineSource final : public Source {
 public:
  LiveLineSource(std::string path, std::unique_ptr<LineSource> lines, LiveLineOptions options);

  const Schema& schema() const override { return lines_->schema(); }
  Status Open() override;
  std::optional<Time> NextCommitTime() override { return std::nullopt; }
  Status ReadCommit(const BatchConsumer&) override { return Status::OK(); }
  bool is_live() const override { return true; }
  bool insert_only() const override { return true; }  // A followed file only grows.
  Result<LiveRead> ReadAvailable(const BatchConsumer& emit, size_t max_rows) override;
  int wait_fd() const override;
  void ReportUnfinished(UnfinishedLineEnd why) override;
  Status FinishAtStop(const BatchConsumer& emit) override;
  bool file_rejected() const override { return file_rejected_; }
  std::optional<FileIdentity> followed_file() const override { return follower_.identity(); }

 private:
  /// Starts the follower's current generation in the parser.
  void StartGeneration();

  std::string path_;
  std::unique_ptr<LineSource> lines_;
  LiveLineOptions options_;
  FileFollower follower_;
  std::unique_ptr<ChangeWatch> watch_;
  std::unique_ptr<char[]> buffer_;
  bool ended_ = false;
  bool drained_ = false;  ///< The last ReadAvailable returned kDrained.
  bool file_rejected_ = false;  ///< The last failure was reading the file.
};

}  // namespace vigil
