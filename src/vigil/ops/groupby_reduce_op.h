#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "vigil/expr/evaluator.h"
#include "vigil/ops/operator.h"
#include "vigil/ops/reduce/reducer.h"

namespace vigil {

/// What a groupby(...).reduce(...) computes, fixed at graph-compile time.
struct GroupBySpec {
  /// Grouping expressions over the input; a group's id is the hash of their values.
  std::vector<BoundExpr> keys;
  /// Index into `keys` whose value supplies the id's low 16 bits (windowby's instance).
  std::optional<size_t> shard_key;
  /// Reducers with their argument expressions over the input.
  std::vector<ReducerSpec> reducers;
  std::vector<std::vector<BoundExpr>> reducer_args;
  /// Output columns, as expressions over the "group row": keys then reducer results.
  std::vector<BoundExpr> outputs;
};

/// groupby + reduce, incrementally. Per group it keeps the key values, the row count, the
/// reducer states and the output row it last emitted. Input batches only update state and
/// mark groups dirty; at the end of a commit each dirty group emits `-old` and/or `+new`
/// (nothing if its output did not change). A group whose rows all vanish emits only `-old`
/// and its slot is recycled, so memory follows the number of live groups.
class GroupByReduceOperator final : public Operator {
 public:
  GroupByReduceOperator(std::string name, const GroupBySpec& spec);
  void OnBatch(size_t port, const Batch& batch, Time time) override;
  void OnCommitEnd(Time time, bool end_of_input) override;

  size_t num_groups() const { return slot_of_key_.size(); }

 private:
  struct Group {
    Key key;
    std::vector<StoredValue> key_values;
    int64_t count = 0;
    bool dirty = false;
    bool emitted = false;
    std::vector<StoredValue> output;  // Last emitted row.
  };

  uint32_t SlotFor(const Key& key, const Batch& batch, size_t row);

  const GroupBySpec& spec_;
  std::vector<std::unique_ptr<ExprEvaluator>> key_evaluators_;
  std::vector<std::vector<std::unique_ptr<ExprEvaluator>>> arg_evaluators_;
  std::vector<std::unique_ptr<ReducerState>> reducers_;
  std::vector<std::unique_ptr<ExprEvaluator>> output_evaluators_;

  absl::flat_hash_map<Key, uint32_t> slot_of_key_;
  std::vector<Group> groups_;
  std::vector<uint32_t> free_slots_;
  std::vector<uint32_t> dirty_slots_;

  // Per-batch scratch, reused.
  ValueArena scratch_arena_;
  std::vector<const std::vector<Value>*> key_columns_;
  std::vector<uint32_t> row_slots_;
  std::vector<const std::vector<Value>*> arg_columns_;
  KeyHasher hasher_;
  KeyHasher shard_hasher_;
  bool needs_row_versions_ = false;
  std::vector<Key> row_versions_;
  Batch group_rows_;
  Batch out_;
};

}  // namespace vigil
