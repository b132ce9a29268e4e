#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "vigil/common/key.h"
#include "vigil/common/strong_types.h"
#include "vigil/types/packed_values.h"

namespace vigil {

/// The rows of one join input, indexed by join key (an "arrangement" in differential
/// dataflow's terms): for every join key, the rows currently present with that key and their
/// multiplicities, each row holding only the columns the join's outputs read.
///
/// A row is identified by its fingerprint, a hash of (join key, id, stored values) that the
/// caller computes: two input rows that agree on all three are interchangeable in every
/// output, so they share one entry whose count is their summed multiplicity.
///
/// Rows whose count drops to zero and groups left without rows are not freed at once: their
/// values may still be referenced by a batch the operator is emitting. CollectGarbage() frees
/// them (and their memory) once the commit's output is out. Owned by one JoinOperator (one
/// thread).
class JoinArrangement {
 public:
  static constexpr uint32_t kNoRow = ~uint32_t{0};

  explicit JoinArrangement(size_t num_stored_columns) : num_stored_columns_(num_stored_columns) {}

  /// The group (slot) of `join_key`, if any row with it has been stored since the last
  /// CollectGarbage().
  std::optional<uint32_t> FindGroup(const Key& join_key) const {
    auto it = group_of_key_.find(join_key);
    if (it == group_of_key_.end()) return std::nullopt;
    return it->second;
  }
  /// Sum of the multiplicities of the rows with `join_key` (0 when there are none).
  int64_t Count(const Key& join_key) const {
    auto group = FindGroup(join_key);
    return group ? groups_[*group].count : 0;
  }

  /// Calls `fn(row)` for every row of `group` whose count is not zero.
  template <typename Fn>
  void ForEachRow(uint32_t group, Fn&& fn) const {
    for (uint32_t r = groups_[group].head; r != kNoRow; r = rows_[r].next) {
      if (rows_[r].count != 0) fn(r);
    }
  }

  /// Adds `diff` to the multiplicity of the row (inserting it with `values`, of which the
  /// arrangement keeps a packed copy, when it is new).
  void Update(const Key& join_key, const Key& fingerprint, const Key& id, const Value* values,
              Diff diff);

  const Key& RowId(uint32_t row) const { return rows_[row].id; }
  int64_t RowCount(uint32_t row) const { return rows_[row].count; }
  /// Decodes the stored values of `row` into `out[0..num_stored_columns)`. Strings point into
  /// the arrangement (valid until the row is freed); tuple elements go to `arena`.
  void UnpackRow(uint32_t row, Value* out, ValueArena& arena) const {
    rows_[row].values.Unpack(out, num_stored_columns_, arena);
  }

  /// Frees the rows whose count is zero and the groups left without rows.
  void CollectGarbage();

  size_t num_rows() const { return row_of_fingerprint_.size(); }
  size_t num_groups() const { return group_of_key_.size(); }

 private:
  struct Row {
    Key id;
    Key fingerprint;
    PackedValues values;
    int64_t count = 0;
    uint32_t group = 0;
    uint32_t prev = kNoRow;
    uint32_t next = kNoRow;
    bool live = false;  // False once freed (the slot waits in free_rows_).
  };
  struct Group {
    Key join_key;
    int64_t count = 0;
    uint32_t head = kNoRow;
    bool live = false;  // False once freed (the slot waits in free_groups_).
  };

  uint32_t GroupFor(const Key& join_key);

  size_t num_stored_columns_;
  absl::flat_hash_map<Key, uint32_t> group_of_key_;
  absl::flat_hash_map<Key, uint32_t> row_of_fingerprint_;
  std::vector<Group> groups_;
  std::vector<Row> rows_;
  std::vector<uint32_t> free_groups_;
  std::vector<uint32_t> free_rows_;
  /// Rows whose count reached zero and groups that may have become empty since the last
  /// CollectGarbage() (checked again there: a row may have come back).
  std::vector<uint32_t> dead_rows_;
  std::vector<uint32_t> maybe_empty_groups_;
};

}  // namespace vigil
