#pragma once

// The oracle's view of an input: the sequence of commits exactly as the engine receives them
// (the processing times matter: temporal behaviors judge each commit as a whole, and
// earliest/latest order rows by the commit that inserted them), and the table a sequence of
// changes leaves.

#include <cstdint>
#include <vector>

#include "oracle_value.h"
#include "vigil/common/key.h"

namespace vigil::oracle {

/// One input line: a row version inserted (+1) or retracted (-1).
struct RowChange {
  Key id;
  Row values;
  int64_t diff = 1;
};

/// The changes of one processing time, in any order. The last commit of a run is the
/// end-of-input commit (no changes, time 18446744073709551614), which flushes buffers.
struct Commit {
  uint64_t time = 0;
  std::vector<RowChange> changes;
  bool end_of_input = false;
};
using InputStream = std::vector<Commit>;

/// A commit's net effect: changes of equal (id, row) summed, zero sums dropped. Pathway
/// consolidates every processing time before any operator looks at it, so a row inserted and
/// retracted in one commit, or retracted and re-inserted unchanged, is no change at all.
std::vector<RowChange> Consolidated(const std::vector<RowChange>& changes);

/// A present row version and the processing time at which it arrived.
struct TimedRow {
  Key id;
  Row values;
  uint64_t time = 0;
};

/// Applies consolidated changes to a table: a -1 removes the matching (id, row) version (which
/// must be present: otherwise throws std::logic_error naming the id), a +1 adds it at `time`.
void ApplyChanges(std::vector<TimedRow>& table, const std::vector<RowChange>& changes,
                  uint64_t time);

}  // namespace vigil::oracle
