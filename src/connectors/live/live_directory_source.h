#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "connectors/api/error_log.h"
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
  /// Where warnings go (unreadable subdirectories, files that cannot be followed); not owned,
  /// may be null.
  ErrorLog* error_log = nullptr;
};

/// Follows a directory (recursively) for a live source: one live child source per file
/// (made by `make_child`, e.g. a live CsvSource on that file), all merged into one table.
/// New files are picked up as they appear (in path order within one listing), appends are
/// read as they come, and deleted or rewritten files follow LiveDirectoryOptions.
///
/// A file is its inode, not its name. Children follow the file they opened
/// (FollowTarget::kDescriptor), and each listing matches files to children by (device,
/// inode): a renamed file (`a.csv` -> `a.csv.1`, logrotate) is the same child under its new
/// name, read on from where it was, never read again as a new file; the file that takes the
/// old name is new. Under log semantics a deleted file is read to its end before it is
/// dropped. Under Pathway's rule a rename is a deletion plus a creation (rows retracted, the
/// renamed file read again with the ids of its new path), which is what a static read of the
/// directory then gives.
///
/// While following (kNever), a file that cannot be read as input (no usable header, cannot
/// be opened) and a subdirectory that cannot be listed are reported as warnings and skipped:
/// the other files are followed on. A file is tried again when another file takes its name.
/// A replay fails on such a file, as a static read does. Row errors follow the run's
/// OnBadRow policy in both modes.
class LiveDirectorySource final : public Source {
 public:
  /// Makes a live child for one file. Its row ids must hash `id_path` (the file's path, or,
  /// under log semantics, `path#n` for the n-th later file to take that name, whose rows
  /// would otherwise share ids with the earlier file's, which stay). `on_new_generation` must
  /// be passed to the child (it reports a truncation of the file before the child emits new
  /// content). The child must follow the file it opens, not its name
  /// (FollowTarget::kDescriptor).
  using ChildFactory = std::function<Result<std::unique_ptr<Source>>(
      const std::string& file, const std::string& id_path,
      std::function<void(uint64_t)> on_new_generation)>;

  LiveDirectorySource(std::string path, Schema schema, ChildFactory make_child,
                      LiveDirectoryOptions options);

  const Schema& schema() const override { return schema_; }
  Status Open() override;
  std::optional<Time> NextCommitTime() override { return std::nullopt; }
  Status ReadCommit(const BatchConsumer&) override { return Status::OK(); }
  bool is_live() const override { return true; }
  Result<LiveRead> ReadAvailable(const BatchConsumer& emit, size_t max_rows) override;
  int wait_fd() const override { return watch_.fd(); }
  void ReportUnfinished(UnfinishedLineEnd why) override;

 private:
  struct Child {
    std::string path;  ///< Its current name.
    std::unique_ptr<Source> source;
    std::optional<FileIdentity> identity;
    bool ended = false;
    /// retract_changed_files: every row read from the file so far (owned copies).
    Batch rows;
  };
  /// Lists the directory: matches files to children by identity (renames), starts children
  /// for new files, drops vanished ones (retracted, or read to their end first).
  Status Rescan(const BatchConsumer& emit);
  /// Makes and opens the child of a new file; a file that cannot be followed is reported
  /// (kNever) or fails the run (replay).
  Status StartChild(const std::string& file, const FileIdentity& identity);
  /// Reports a warning (unreadable input, a file not followed).
  void Warn(DataError warning);
  /// A child failed with `status`: while following, a file-level failure is reported and the
  /// file skipped (true); anything else stops the run (false).
  bool SkipFailedFile(Child& child, const Status& status);
  /// Emits the retraction of every row kept for `child` and forgets them.
  void RetractAll(Child& child, const BatchConsumer& emit);
  /// Keeps an owned copy of `batch`'s rows in `child.rows` (retract_changed_files).
  void Retain(Child& child, const Batch& batch);
  /// Reads `child` once (see Source::ReadAvailable).
  Result<LiveRead> ReadChild(Child& child, const BatchConsumer& emit, size_t max_rows);

  std::string path_;
  Schema schema_;
  ChildFactory make_child_;
  LiveDirectoryOptions options_;
  ChangeWatch watch_;
  std::map<std::string, std::unique_ptr<Child>> children_;  ///< By current path: path order.
  /// Deleted files (log semantics) still being read to their end, then dropped.
  std::vector<std::unique_ptr<Child>> draining_;
  /// Files reported as not followable, with the identity they had: not tried again until
  /// another file takes the name.
  std::map<std::string, FileIdentity> skipped_files_;
  /// Log semantics: how many files have been followed under each name (for id_path).
  std::map<std::string, uint64_t> name_uses_;
  /// Unreadable paths already reported (reported again only after they were readable).
  std::set<std::string> reported_unreadable_;
  bool opened_ = false;
  int64_t last_scan_ms_ = 0;
  /// The emit of the ReadAvailable call in progress (for retractions on new generations).
  const BatchConsumer* current_emit_ = nullptr;
};

}  // namespace vigil
