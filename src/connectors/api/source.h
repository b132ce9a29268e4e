#pragma once

#include <functional>
#include <optional>

#include "connectors/api/unfinished_line.h"
#include "connectors/live/file_follower.h"
#include "vigil/batch/batch.h"
#include "vigil/common/status.h"
#include "vigil/common/strong_types.h"
#include "vigil/expr/bound_expr.h"
#include "vigil/types/schema.h"

namespace vigil {

/// Receives the batches a source produces. A batch is valid only during the call.
using BatchConsumer = std::function<void(const Batch&)>;

/// What a live source's ReadAvailable found.
enum class LiveRead {
  kDrained,  ///< Everything available now was emitted; wait (see Source::wait_fd).
  kMore,     ///< Stopped at the row limit; more is available right away.
  kEnded,    ///< The input has ended for good (stdin closed, replay at end of file).
};

/// A source of updates, pulled by the executor one commit at a time.
///
/// Lifecycle (all calls from the executor's thread): Open() once; then, while
/// NextCommitTime() returns a time T, ReadCommit() emits every batch of commit T (in chunks of
/// bounded size: a source never holds its whole input) and advances. Batches carry the
/// schema's columns in order, row ids and diffs.
class Source {
 public:
  virtual ~Source() = default;
  /// The columns this source produces, in order.
  virtual const Schema& schema() const = 0;
  /// Opens files etc. Errors here (missing file, bad header) fail the run.
  virtual Status Open() = 0;
  /// The processing time of the next commit, or nullopt when the input is exhausted.
  virtual std::optional<Time> NextCommitTime() = 0;
  /// Emits the batches of the next commit. A non-OK status stops the run.
  virtual Status ReadCommit(const BatchConsumer& emit) = 0;

  /// Filter pushdown: the executor offers a predicate over this source's columns that a
  /// filter downstream applies anyway. A source that accepts may drop rows for which it is
  /// False or None before doing per-row work such as computing ids; it must keep rows where
  /// it is Error (so the real filter reports them). Called before Open(). Returns whether the
  /// source will use it; ignoring it is always correct.
  virtual bool AcceptFilter(const BoundExpr& predicate) {
    (void)predicate;
    return false;
  }

  /// Whether every batch this source emits holds insertions only (diff > 0): a log or a CSV
  /// file read once or followed, never a replayed update stream. The executor checks it on
  /// every batch (a retraction from such a source fails the run) and lets stateful operators
  /// downstream keep less state when their whole input is insert-only (min/max keep one value
  /// per group instead of a multiset: ops/reduce/insert_only_reducers.cc). False is always
  /// correct.
  virtual bool insert_only() const { return false; }

  /// Live sources (mode=streaming) are not pulled commit by commit: the executor calls
  /// ReadAvailable() on each in turn and closes a commit after every such pass (see
  /// exec/live_run.cc). NextCommitTime()/ReadCommit() are not called on them.
  virtual bool is_live() const { return false; }
  /// Emits the rows available now (at least all complete ones, unless stopping early once
  /// about `max_rows` rows were emitted). Batches may carry retractions (a rewritten file).
  virtual Result<LiveRead> ReadAvailable(const BatchConsumer& emit, size_t max_rows) {
    (void)emit;
    (void)max_rows;
    return Status::Invalid("this source is not live");
  }
  /// A descriptor that becomes readable when this live source may have new input (inotify,
  /// a pipe), or -1: the executor then polls it every few milliseconds.
  virtual int wait_fd() const { return -1; }
  /// Live sources, when the run stops before their input ended (`why` is kStopped) or when a
  /// followed directory drops a deleted file (kDeleted): reports what was held back and will
  /// never be a row — an unfinished last line, or input not read yet — as warnings in the
  /// error log (file, line, the bytes). Nothing held is counted; nothing goes unreported.
  virtual void ReportUnfinished(UnfinishedLineEnd why) { (void)why; }
  /// Live sources, when the run stops before their input ended and the final results are
  /// asked for (RunOptions::flush_on_stop): emits the rows the source held back for input
  /// still to come (the auth-log reader's connections whose closing line never came), as a
  /// static read does at the end of its input. Called after ReportUnfinished.
  virtual Status FinishAtStop(const BatchConsumer& emit) {
    (void)emit;
    return Status::OK();
  }
  /// Live sources of one file: the file being read (a file is its inode: a followed
  /// directory tells a renamed file from a new one by it).
  virtual std::optional<FileIdentity> followed_file() const { return std::nullopt; }
  /// Live sources, after ReadAvailable failed: whether the failure concerns the file as a
  /// whole (it cannot be read, or is not input of this format: no usable header) rather than
  /// one of its rows (a bad row under OnBadRow::kFail). A followed directory reports such a
  /// file and follows the others on. (A failed Open() always concerns the whole file.)
  virtual bool file_rejected() const { return false; }

  /// The run's error log as a table (global_error_log): not read by commit times. The
  /// executor hands it every commit, before the commit closes, so the errors reported since
  /// the last one are rows of that commit, and after the inputs end it runs extra commits
  /// while it has rows (has_pending_rows).
  virtual bool follows_error_log() const { return false; }
  virtual bool has_pending_rows() const { return false; }
};

}  // namespace vigil
