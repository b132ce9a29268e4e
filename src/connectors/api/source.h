#pragma once

#include <functional>
#include <optional>

#include "vigil/batch/batch.h"
#include "vigil/common/status.h"
#include "vigil/common/strong_types.h"
#include "vigil/types/schema.h"

namespace vigil {

/// Receives the batches a source produces. A batch is valid only during the call.
using BatchConsumer = std::function<void(const Batch&)>;

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
};

}  // namespace vigil
