#pragma once

#include <cstddef>
#include <vector>

#include "vigil/common/key.h"
#include "vigil/common/strong_types.h"
#include "vigil/types/value.h"
#include "vigil/types/value_arena.h"

namespace vigil {

/// A columnar batch of updates of one commit: one Value vector per column, plus the row ids
/// and diffs. All updates in a batch share the commit's processing time, which travels
/// beside the batch (Operator::OnBatch), not in it.
///
/// Values are views (see Value): strings and tuples point into `arena` or into memory of the
/// producer (an input buffer, operator state). A batch is valid only during the call that
/// delivers it; a consumer that keeps values longer copies them.
struct Batch {
  std::vector<std::vector<Value>> columns;
  std::vector<Key> ids;
  std::vector<Diff> diffs;
  ValueArena arena;

  Batch() = default;
  explicit Batch(size_t num_columns) : columns(num_columns) {}
  Batch(Batch&&) = default;
  Batch& operator=(Batch&&) = default;

  size_t num_rows() const { return ids.size(); }
  size_t num_columns() const { return columns.size(); }
  bool empty() const { return ids.empty(); }

  /// Clears rows but keeps capacity (and the column count), so a reused batch does not
  /// allocate in steady state.
  void Clear() {
    ClearRows();
    arena.Reset();
  }
  /// Clears rows but keeps the arena's values: views into it taken before stay valid.
  void ClearRows() {
    for (auto& c : columns) c.clear();
    ids.clear();
    diffs.clear();
  }
  void Reserve(size_t rows) {
    for (auto& c : columns) c.reserve(rows);
    ids.reserve(rows);
    diffs.reserve(rows);
  }
  /// Appends row `row` of `other` (same column count); values stay views into `other`.
  void AppendRowFrom(const Batch& other, size_t row) {
    for (size_t c = 0; c < columns.size(); ++c) columns[c].push_back(other.columns[c][row]);
    ids.push_back(other.ids[row]);
    diffs.push_back(other.diffs[row]);
  }
};

/// Whether every row of `batch` is an insertion (what an insert-only stream promises;
/// Executor::OutputIsInsertOnly).
inline bool OnlyInsertions(const Batch& batch) {
  for (Diff d : batch.diffs) {
    if (d <= 0) return false;
  }
  return true;
}

}  // namespace vigil
