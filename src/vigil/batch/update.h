#pragma once

#include <string>
#include <vector>

#include "vigil/batch/batch.h"
#include "vigil/common/key.h"
#include "vigil/common/strong_types.h"
#include "vigil/types/value_arena.h"

namespace vigil {

/// One owned update `(id, row, time, diff)`: what sinks, tests and the oracle keep.
/// Not used on the hot path (each row owns its values).
struct Update {
  Key id;
  std::vector<StoredValue> row;
  Time time = 0;
  Diff diff = 0;
};

/// Copies every row of `batch` at processing time `time` into owned updates.
void AppendUpdates(const Batch& batch, Time time, std::vector<Update>& out);

/// Orders updates by (time, id, row values) — the canonical order of the diff algebra.
bool UpdateLess(const Update& a, const Update& b);

/// The canonical form of an update stream: updates with equal (id, row, time) are merged by
/// summing their diffs and those summing to zero are dropped; the result is sorted by
/// (time, id, row). Every comparison of streams in Vigil goes through this one function.
void Consolidate(std::vector<Update>& updates);

/// Squashes a stream into its final state (all times merged): the multiset of rows present
/// after the last update. A row with a negative total count is reported as an error by the
/// caller (it means an operator retracted something it never inserted).
std::vector<Update> FinalState(std::vector<Update> updates);

/// `id | v1 | v2 | time | diff` — for test failure messages.
std::string DebugString(const Update& u);

}  // namespace vigil
