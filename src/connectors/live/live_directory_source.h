#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "connectors/api/source.h"
#include "connectors/live/change_watch.h"
#include "connectors/live/file_follower.h"

namespace vigil {

/// Options of a followed directory.
struct LiveDirectoryOptions {
  /// kNever: serve forever, picking up new files and appends. kAtEof (replay): read the
  /// files there at Open() to their ends, then end.
  FollowEnd follow_end = FollowEnd::kNever;
  /// Pathway's rule for a file that is deleted or rewritten (truncated or replaced): the rows
  /// read from it are retracted (and a rewritten file's new content is read). That needs a
  /// copy of every row read, so memory grows with the input. False gives log semantics
  /// instead: rows stay when their file goes (rotated logs keep their attacks), nothing is
  /// kept, and memory stays flat.
  bool retract_changed_files = true;
  /// Without inotify, how often the directory is listed again (ms).
  int rescan_interval_ms = 100;
};

/// Follows a directory (recursively) for a live source: one live child source per file
/// (made by `make_child`, e.g. a live CsvSource on that file), all merged into one table.
/// New files are picked up as they appear (in path order within one listing), appends are
/// read as they come, and deleted or rewritten files follow LiveDirectoryOptions.
class LiveDirectorySource final : public Source {
 public:
  /// Makes a live child for one file. `on_new_generation` must be passed to the child (it
  /// reports a truncation or replacement of the file before the child emits new content).
  using ChildFactory = std::function<Result<std::unique_ptr<Source>>(
      const std::string& file, std::function<void(uint64_t)> on_new_generation)>;

  LiveDirectorySource(std::string path, Schema schema, ChildFactory make_child,
                      LiveDirectoryOptions options);

  const Schema& schema() const override { return schema_; }
  Status Open() override;
  std::optional<Time> NextCommitTime() override { return std::nullopt; }
  Status ReadCommit(const BatchConsumer&) override { return Status::OK(); }
  bool is_live() const override { return true; }
  Result<LiveRead> ReadAvailable(const BatchConsumer& emit, size_t max_rows) override;
  int wait_fd() const override { return watch_.fd(); }

 private:
  struct Child {
    std::unique_ptr<Source> source;
    bool ended = false;
    /// retract_changed_files: every row read from the file so far (owned copies).
    Batch rows;
  };
  /// Lists the directory: starts children for new files, retracts and drops vanished ones.
  Status Rescan(const BatchConsumer& emit);
  /// Emits the retraction of every row kept for `child` and forgets them.
  void RetractAll(Child& child, const BatchConsumer& emit);
  /// Keeps an owned copy of `batch`'s rows in `child.rows` (retract_changed_files).
  void Retain(Child& child, const Batch& batch);

  std::string path_;
  Schema schema_;
  ChildFactory make_child_;
  LiveDirectoryOptions options_;
  ChangeWatch watch_;
  std::map<std::string, Child> children_;  ///< By path: path order.
  bool opened_ = false;
  int64_t last_scan_ms_ = 0;
  /// The emit of the ReadAvailable call in progress (for retractions on new generations).
  const BatchConsumer* current_emit_ = nullptr;
  Batch retraction_;
};

}  // namespace vigil
